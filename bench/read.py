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
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

from synth import synthetic_charter

ROOT = Path(__file__).resolve().parent.parent
AUXER = ROOT / "examples" / "auxer-group-charter.txt"

TARGET_AUXER_MS = 50.0
TARGET_MB_S = 2.0
TARGET_RATIO = 20.0

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
    args = ap.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        ap.error("--n and --repeat must be at least 1")

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
        return 0
    _bench_corpus(corpus, args.repeat)
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


if __name__ == "__main__":
    sys.exit(main())
