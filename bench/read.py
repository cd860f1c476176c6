"""Benchmark of the charter reader: the Auxer example, N synthetic charters, and a bare regex baseline.

Run from the repo root: `python bench/read.py [--n 200] [--seed 1] [--repeat 3] [--corpus DIR]`. Prints
`key=value` lines, then a short summary; exits 0 whether or not the targets hold (it reports, it does not
judge).

Targets: the Auxer example reads in under 50 ms once imported (best of 20); `read_text` keeps up at least
2 MB/s on one core (the reader runs on one thread, so this is per core); and it stays within 20x of the
time a bare `re.finditer` scan for figures and article headings takes over the same texts.

With a corpus of real filings (`--corpus DIR`; by default `$MINUTEBOOK_CORPUS`, else `../shared/corpus`
beside the repo; skipped with a note when there is none), each file under it is read on its own through
`minutebook.ingest.bulk` in this process, as `minutebook read DIR --jsonl OUT` does: once on one core
(`jobs=1`, best of --repeat), once with two worker processes (`jobs=2`, wall time including starting the
pool, best of --repeat); against the same regex scan over the same files' text, already in memory. The
same two targets apply, to the one-core figure. Only counts are printed, never a file's name.

Large inputs (`--large-mib 32`, the default; 0 skips them): for each of several shapes (`--shapes`), a file
just under the reader's size cap (32 MiB) is written to a temporary folder and read by `read()` in a child
process of its own, so that its peak memory (VmHWM) is that read's alone; the same child then runs the bare
regex scan over the file's text as the baseline. Shapes: `charters` (synthetic filings one after another),
`paged` (the same cut into pages of 50 lines, each ending with its number on a line of its own), `series`
(one certificate designating thousands of series), `listed` (one resolution whose one sentence designates
series after series), `tables` (a charter whose capital article is a long table of pipes), `flat`
(filings flattened to one line, as text taken from HTML without its breaks), `html` (filings as an
EDGAR-style HTML exhibit) and `longline` (a filing, then one very long line: an inline
image's base64). Targets for each: under 30 s and under 500 MB peak (issue 18), and the 2 MB/s of one core.
The load average is printed beside the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import synthetic_charter

ROOT = Path(__file__).resolve().parent.parent
AUXER = ROOT / "examples" / "auxer-group-charter.txt"

TARGET_AUXER_MS = 50.0
TARGET_MB_S = 2.0
TARGET_RATIO = 20.0
TARGET_LARGE_S = 30.0
TARGET_LARGE_MB = 500.0
CAP_BYTES = 32 * 1024 * 1024  # load.MAX_BYTES, the reader's size cap
SHAPES = ("charters", "paged", "series", "listed", "tables", "flat", "html", "longline")

BASELINE_PATTERNS = (
    re.compile(r"\d{1,3}(?:,\d{3})+"),  # figures: 175,000,000
    re.compile(
        r"^\s*(?:ARTICLE\s+)?(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH"
        r"|ELEVENTH|TWELFTH)\b[:.]?",
        re.IGNORECASE | re.MULTILINE,
    ),  # article headings
)


def _import_reader():
    """`minutebook.ingest`, from the installed package or else from the repo's src/."""
    try:
        import minutebook.ingest as ingest
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        for name in [m for m in sys.modules if m == "minutebook" or m.startswith("minutebook.")]:
            del sys.modules[name]
        import minutebook.ingest as ingest
    missing = [name for name in ("read", "read_text") if not hasattr(ingest, name)]
    if missing:
        raise ImportError(f"minutebook.ingest has no {' or '.join(missing)}")
    return ingest


def _best(fn, repeat: int) -> float:
    """The fastest of `repeat` runs of `fn()`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="synthetic charters to read (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="runs over the corpus; the best counts (default 3)")
    ap.add_argument(
        "--corpus",
        metavar="DIR",
        help="a folder of filings, each read on its own (default: $MINUTEBOOK_CORPUS, else ../shared/corpus)",
    )
    ap.add_argument(
        "--large-mib",
        type=float,
        default=32.0,
        help="size of each large input in MiB, kept just under the 32 MiB cap (default 32; 0 skips them)",
    )
    ap.add_argument(
        "--shapes", default=",".join(SHAPES), help=f"large inputs to read (default {','.join(SHAPES)})"
    )
    ap.add_argument("--large-only", action="store_true", help="only the large inputs")
    args = ap.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        ap.error("--n and --repeat must be at least 1")
    shapes = [s for s in args.shapes.split(",") if s]
    if unknown := [s for s in shapes if s not in SHAPES]:
        ap.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    if args.large_only:
        _bench_large(shapes, args.large_mib, args.seed)
        return 0

    try:
        ingest = _import_reader()
    except ImportError as exc:
        print(f"bench/read.py: cannot import minutebook.ingest: {exc}", file=sys.stderr)
        return 2
    from minutebook.core.errors import InputError

    # (a) the Auxer example, end to end through read() (file I/O included), once imported.
    t0 = time.perf_counter()
    auxer = ingest.read([str(AUXER)])
    auxer_first_ms = (time.perf_counter() - t0) * 1000
    auxer_ms = _best(lambda: ingest.read([str(AUXER)]), 20) * 1000

    # (b) read_text over N synthetic charters.
    rng = random.Random(args.seed)
    texts = [synthetic_charter(rng) for _ in range(args.n)]
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rejected: list[str] = []

    def pipeline() -> None:
        rejected.clear()
        for i, text in enumerate(texts):
            try:
                ingest.read_text(text, path=f"synthetic-{i}.txt")
            except InputError as exc:
                rejected.append(f"synthetic-{i}.txt: {exc}")

    pipeline_s = _best(pipeline, args.repeat)

    # (c) the baseline: a bare regex scan over the same texts.
    matches = 0

    def baseline() -> None:
        nonlocal matches
        matches = 0
        for text in texts:
            for pattern in BASELINE_PATTERNS:
                for _ in pattern.finditer(text):
                    matches += 1

    baseline_s = _best(baseline, max(args.repeat, 5))

    docs_s = args.n / pipeline_s if pipeline_s else float("inf")
    pipeline_mb_s = size_mb / pipeline_s if pipeline_s else float("inf")
    baseline_mb_s = size_mb / baseline_s if baseline_s else float("inf")
    ratio = pipeline_s / baseline_s if baseline_s else float("inf")
    checks = {
        "auxer": auxer_ms < TARGET_AUXER_MS,
        "throughput": pipeline_mb_s >= TARGET_MB_S,
        "ratio": ratio <= TARGET_RATIO,
    }

    # (d) the report.
    lines = [
        f"n={args.n}",
        f"seed={args.seed}",
        f"corpus_mb={size_mb:.3f}",
        f"auxer_first_ms={auxer_first_ms:.1f}",
        f"auxer_ms={auxer_ms:.1f}",
        f"auxer_versions={len(auxer.charter.versions)}",
        f"auxer_errors={len(auxer.errors)}",
        f"pipeline_s={pipeline_s:.3f}",
        f"pipeline_docs_s={docs_s:.1f}",
        f"pipeline_mb_s={pipeline_mb_s:.2f}",
        f"pipeline_rejected={len(rejected)}",
        f"baseline_s={baseline_s:.4f}",
        f"baseline_mb_s={baseline_mb_s:.2f}",
        f"baseline_matches={matches}",
        f"ratio={ratio:.1f}",
        *(f"target_{name}={'ok' if ok else 'MISSED'}" for name, ok in checks.items()),
    ]
    print("\n".join(lines))
    print()
    print(
        f"Auxer example: {auxer_ms:.1f} ms best of 20 (first run {auxer_first_ms:.1f} ms); "
        f"target < {TARGET_AUXER_MS:.0f} ms: {'ok' if checks['auxer'] else 'MISSED'}"
    )
    print(
        f"read_text: {args.n} synthetic charters, {size_mb:.2f} MB in {pipeline_s:.3f} s = "
        f"{docs_s:.0f} documents/s, {pipeline_mb_s:.2f} MB/s on one core; "
        f"target >= {TARGET_MB_S:.0f} MB/s: {'ok' if checks['throughput'] else 'MISSED'}"
    )
    print(
        f"baseline regex scan: {baseline_mb_s:.1f} MB/s; pipeline is {ratio:.1f}x slower; "
        f"target <= {TARGET_RATIO:.0f}x: {'ok' if checks['ratio'] else 'MISSED'}"
    )
    if auxer.errors:
        print(f"the Auxer example was not read: {auxer.errors[0]}")
    if rejected:
        print(f"{len(rejected)} synthetic charter(s) rejected with InputError, e.g. {rejected[0]}")
    print(
        "all targets hold"
        if all(checks.values())
        else "targets missed: " + ", ".join(name for name, ok in checks.items() if not ok)
    )

    # (e) a corpus of real filings, each file on its own, as `minutebook read DIR --jsonl OUT` reads them.
    print()
    corpus = _corpus_dir(args.corpus)
    if corpus is None:
        where = args.corpus or "$MINUTEBOOK_CORPUS or ../shared/corpus"
        print("corpus=absent")
        print(f"no corpus of filings at {where}: the per-file corpus measurements are skipped")
    else:
        _bench_corpus(corpus, args.repeat)
    if args.large_mib > 0:
        print()
        _bench_large(shapes, args.large_mib, args.seed)
    return 0


def _corpus_dir(given: str | None) -> Path | None:
    """`--corpus`, else the first folder that exists of $MINUTEBOOK_CORPUS and ../shared/corpus."""
    candidates = (
        [given] if given else [os.environ.get("MINUTEBOOK_CORPUS"), str(ROOT.parent / "shared" / "corpus")]
    )
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


def _bench_corpus(corpus: Path, repeat: int) -> None:
    from minutebook.core.errors import InputError
    from minutebook.ingest import bulk

    try:
        paths = bulk.iter_files([corpus])
    except InputError as exc:
        print("corpus=empty")
        print(f"the corpus holds no file to read ({exc}): skipped")
        return
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in paths]
    statuses: dict[str, int] = {"read": 0, "partial": 0, "refused": 0}

    def one_core() -> None:
        for status in statuses:
            statuses[status] = 0
        for record in bulk.read_many(paths, jobs=1):
            statuses[record["status"]] += 1

    def two_jobs() -> None:
        for _ in bulk.read_many(paths, jobs=2):
            pass

    def regex() -> None:
        for text in texts:
            for pattern in BASELINE_PATTERNS:
                for _ in pattern.finditer(text):
                    pass

    one_s = _best(one_core, repeat)
    two_s = _best(two_jobs, repeat)
    regex_s = _best(regex, max(repeat, 5))

    def rate(amount: float, seconds: float) -> float:
        return amount / seconds if seconds else float("inf")

    one_mb_s = rate(size_mb, one_s)
    ratio = one_s / regex_s if regex_s else float("inf")
    checks = {"corpus_ratio": ratio <= TARGET_RATIO, "corpus_throughput": one_mb_s >= TARGET_MB_S}
    lines = [
        f"corpus_files={len(paths)}",
        f"corpus_mb={size_mb:.3f}",
        *(f"corpus_{status}={n}" for status, n in statuses.items()),
        f"read_1core_s={one_s:.3f}",
        f"read_1core_files_s={rate(len(paths), one_s):.1f}",
        f"read_1core_mb_s={one_mb_s:.2f}",
        f"read_jobs2_s={two_s:.3f}",
        f"read_jobs2_files_s={rate(len(paths), two_s):.1f}",
        f"read_jobs2_mb_s={rate(size_mb, two_s):.2f}",
        f"regex_s={regex_s:.4f}",
        f"regex_mb_s={rate(size_mb, regex_s):.2f}",
        f"ratio_vs_regex={ratio:.1f}",
        *(f"target_{name}={'ok' if ok else 'MISSED'}" for name, ok in checks.items()),
    ]
    print("\n".join(lines))
    print()
    print(
        f"corpus: {len(paths)} files, {size_mb:.2f} MB, each read on its own "
        f"({statuses['read']} read, {statuses['partial']} partial, {statuses['refused']} refused): "
        f"{rate(len(paths), one_s):.0f} files/s, {one_mb_s:.2f} MB/s on one core; "
        f"{rate(len(paths), two_s):.0f} files/s, {rate(size_mb, two_s):.2f} MB/s with 2 jobs (wall time, "
        f"pool start included); target >= {TARGET_MB_S:.0f} MB/s per core: "
        f"{'ok' if checks['corpus_throughput'] else 'MISSED'}"
    )
    print(
        f"corpus regex scan: {rate(size_mb, regex_s):.1f} MB/s; reading is {ratio:.1f}x slower; "
        f"target <= {TARGET_RATIO:.0f}x: {'ok' if checks['corpus_ratio'] else 'MISSED'}"
    )


# ---- large inputs -------------------------------------------------------------------------------------------


def _fill(size: int, piece) -> str:
    """Pieces from `piece()` joined until the text holds `size` UTF-8 bytes, cut there (at a character)."""
    parts: list[str] = []
    n = 0
    while n < size:
        p = piece()
        parts.append(p)
        n += len(p.encode("utf-8"))
    return "".join(parts).encode("utf-8")[:size].decode("utf-8", errors="ignore")


def _series_block(rng: random.Random, i: int) -> str:
    name = f"Series {chr(65 + i % 26)}-{i}"
    shares = rng.randint(1, 999) * 1000
    price = f"{rng.randint(1, 99)}.{rng.randint(0, 99):02d}"
    return (
        f"     RESOLVED, that a series of Preferred Stock, par value $0.001 per share, be and it hereby is\n"
        f"created, and that its designation and number of shares are as follows:\n\n"
        f"     {i % 9 + 1}. Designation and Amount. The shares of such series shall be designated as\n"
        f'"{name} Preferred Stock" (the "{name} Preferred"), and the number of shares\n'
        f"constituting such series shall be {shares:,}. Such number may be increased or decreased by\n"
        f"resolution of the Board of Directors.\n\n"
        f"     Dividends. The holders of {name} Preferred shall be entitled to receive cumulative\n"
        f"dividends at the rate of {rng.randint(1, 12)}% per annum of ${price} per share.\n\n"
        f"     Conversion. Each share of {name} Preferred shall be convertible into such number of\n"
        f"shares of Common Stock as is determined by dividing ${price} by the Conversion Price.\n\n"
    )


_SERIES_HEAD = """                          CERTIFICATE OF DESIGNATIONS
                                       OF
                            PREFERRED STOCK
                                       OF
                          NORTHWIND LANTERN HOLDINGS, INC.

           Pursuant to Section 151(g) of the General Corporation Law
                          of the State of Delaware

     Northwind Lantern Holdings, Inc., a Delaware corporation (the "Corporation"), certifies that,
pursuant to the authority contained in Article FOURTH of its Certificate of Incorporation, the Board of
Directors of the Corporation, at a meeting duly held on March 3, 2015, adopted the following resolutions:

"""


def _table_charter(rng: random.Random, size: int) -> str:
    head = (
        "CERTIFICATE OF INCORPORATION\nOF\nNORTHWIND LANTERN HOLDINGS, INC.\n\n"
        "FIRST: The name of the corporation is Northwind Lantern Holdings, Inc.\n\n"
        "SECOND: The registered office of the Corporation in the State of Delaware is 1209 Orange Street, "
        "City of Wilmington, County of New Castle, Delaware 19801.\n\n"
        "THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which "
        "corporations may be organized under the General Corporation Law of the State of Delaware.\n\n"
        "FOURTH: The Corporation is authorized to issue 900,000,000 shares of Common Stock, par value "
        "$0.001 per share, and the classes and series of Preferred Stock below:\n\n"
        "| Class | Series | Shares authorized | Par value | Original issue price |\n"
        "| --- | --- | --- | --- | --- |\n"
    )
    tail = "\nFIFTH: The Board of Directors is authorized to make, alter or repeal the Bylaws of the Corporation.\n"
    counter = iter(range(1 << 30))

    def row() -> str:
        i = next(counter)
        return (
            f"| Preferred | Series {chr(65 + i % 26)}-{i} | {rng.randint(1, 999) * 1000:,} | $0.001 "
            f"| ${rng.randint(1, 99)}.{rng.randint(0, 99):02d} |\n"
        )

    body = _fill(size - len(head) - len(tail), row)
    return head + body[: body.rfind("\n") + 1] + tail


def _html_piece(rng: random.Random) -> str:
    style = '<p style="margin-bottom:12pt;margin-top:0pt;text-align:justify;font-family:Times New Roman;">'
    out = []
    for para in synthetic_charter(rng).split("\n\n"):
        words = " ".join(para.split())
        if not words:
            continue
        words = words.replace("&", "&amp;").replace("<", "&lt;")
        out.append(f'{style}<font style="font-size:10pt;">{words}</font></p>\n')
    return "".join(out) + '<hr style="page-break-after:always"/>\n'


def large_text(shape: str, size: int, seed: int) -> str:
    """A text of about `size` UTF-8 bytes in the given shape (see the module docstring)."""
    rng = random.Random(seed)
    if shape == "charters":
        return _fill(size, lambda: synthetic_charter(rng) + "\n\n\n")
    if shape == "paged":
        lines = _fill(size, lambda: synthetic_charter(rng) + "\n\n\n").split("\n")
        out = []
        for page, at in enumerate(range(0, len(lines), 50), 1):
            out.extend(lines[at : at + 50])
            out.extend(("", f"{page:>40}", ""))
        return "\n".join(out)[:size]
    if shape == "series":
        counter = iter(range(1 << 30))
        return _SERIES_HEAD + _fill(size - len(_SERIES_HEAD), lambda: _series_block(rng, next(counter)))
    if shape == "listed":
        head = (
            _SERIES_HEAD
            + "     RESOLVED, that the Board of Directors hereby designates the following series: "
        )
        counter = iter(range(1 << 30))

        def named() -> str:
            i = next(counter)
            name = f"Series {chr(65 + i % 26)}-{i} Preferred Stock"
            return f'{rng.randint(1, 999) * 1000:,} shares designated as "{name}", '

        return head + _fill(size - len(head) - 2, named) + ".\n"
    if shape == "tables":
        return _table_charter(rng, size)
    if shape == "flat":
        return " ".join(_fill(size, lambda: synthetic_charter(rng) + "\n\n").split())
    if shape == "html":
        head = "<html><head><title>EX-3.1</title></head><body>\n"
        tail = "</body></html>\n"
        return head + _fill(size - len(head) - len(tail), lambda: _html_piece(rng)) + tail
    if shape == "longline":
        charter = synthetic_charter(rng) + "\n\n"
        blob = base64.b64encode(rng.randbytes(size * 3 // 4 + 3)).decode("ascii")
        return charter + blob[: size - len(charter) - 1] + "\n"
    raise ValueError(shape)


# Run in a child process: read the file, then the regex scan over its text; print one JSON line.
_CHILD = r"""
import json, re, sys, time
path, patterns = sys.argv[1], json.loads(sys.argv[2])
import minutebook.ingest as ingest
from minutebook.ingest import load
t0, c0 = time.perf_counter(), time.process_time()
result = ingest.read([path])
read_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
hwm = next(
    (int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")), 0
)
if not hwm:
    import resource
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = load.load_text(path)
compiled = [re.compile(p, f) for p, f in patterns]
t0 = time.perf_counter()
matches = sum(1 for p in compiled for _ in p.finditer(text))
regex_s = time.perf_counter() - t0
print(json.dumps({
    "read_s": read_s, "cpu_s": cpu_s, "peak_mb": hwm / 1024, "regex_s": regex_s, "matches": matches,
    "versions": len(result.charter.versions), "documents": len(result.documents),
    "findings": len(result.findings), "errors": [e[:160] for e in result.errors],
}))
"""


def _bench_large(shapes: list[str], mib: float, seed: int) -> None:
    size = min(int(mib * 1024 * 1024), CAP_BYTES) - 4096  # just under the cap
    patterns = json.dumps([(p.pattern, p.flags) for p in BASELINE_PATTERNS])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    summary = []
    with tempfile.TemporaryDirectory(prefix="mb-read-large-") as tmp:
        for shape in shapes:
            text = large_text(shape, size, seed)
            path = Path(tmp) / (f"{shape}.htm" if shape == "html" else f"{shape}.txt")
            path.write_text(text, encoding="utf-8")
            mb = path.stat().st_size / 1e6
            del text
            load_before = os.getloadavg()[0]
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), patterns], capture_output=True, text=True, env=env
            )
            load_after = os.getloadavg()[0]
            path.unlink()
            key = f"large_{shape}"
            if proc.returncode != 0:
                last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                print(f"{key}_failed=exit {proc.returncode}: {last}")
                summary.append(f"{shape}: the child failed (exit {proc.returncode}): {last}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            mb_s = mb / r["read_s"] if r["read_s"] else float("inf")
            ratio = r["read_s"] / r["regex_s"] if r["regex_s"] else float("inf")
            checks = {
                "time": r["read_s"] < TARGET_LARGE_S,
                "memory": r["peak_mb"] < TARGET_LARGE_MB,
                "throughput": mb_s >= TARGET_MB_S,
            }
            print(
                "\n".join(
                    [
                        f"{key}_mb={mb:.3f}",
                        f"{key}_s={r['read_s']:.2f}",
                        f"{key}_cpu_s={r['cpu_s']:.2f}",
                        f"{key}_mb_s={mb_s:.2f}",
                        f"{key}_peak_mb={r['peak_mb']:.0f}",
                        f"{key}_regex_s={r['regex_s']:.3f}",
                        f"{key}_ratio_vs_regex={ratio:.1f}",
                        f"{key}_versions={r['versions']}",
                        f"{key}_documents={r['documents']}",
                        f"{key}_errors={len(r['errors'])}",
                        f"{key}_load={load_before:.2f}/{load_after:.2f}",
                        *(f"{key}_target_{name}={'ok' if ok else 'MISSED'}" for name, ok in checks.items()),
                    ]
                )
            )
            verdict = ", ".join(f"{name} {'ok' if ok else 'MISSED'}" for name, ok in checks.items())
            note = f"; refused: {r['errors'][0]}" if r["errors"] else ""
            summary.append(
                f"{shape:9} {mb:6.2f} MB in {r['read_s']:6.2f} s ({r['cpu_s']:.2f} s CPU) = {mb_s:5.2f} MB/s, "
                f"peak {r['peak_mb']:4.0f} MB; "
                f"regex {r['regex_s']:.2f} s ({ratio:.0f}x); load {load_before:.2f}/{load_after:.2f}; {verdict}{note}"
            )
    print()
    print(
        f"large inputs (each just under the 32 MiB cap, read() in a child process; targets < {TARGET_LARGE_S:.0f} s, "
        f"< {TARGET_LARGE_MB:.0f} MB peak, >= {TARGET_MB_S:.0f} MB/s):"
    )
    for line in summary:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
