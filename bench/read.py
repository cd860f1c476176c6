"""Benchmark of the charter reader: the Auxer example, N synthetic charters, and a bare regex baseline.

Run from the repo root: `python bench/read.py [--n 200] [--seed 1] [--repeat 3]`. Prints `key=value`
lines, then a short summary; exits 0 whether or not the targets hold (it reports, it does not judge).

Targets: the Auxer example reads in under 50 ms once imported (best of 20); `read_text` keeps up at least
2 MB/s on one core (the reader runs on one thread, so this is per core); and it stays within 20x of the
time a bare `re.finditer` scan for figures and article headings takes over the same texts.
"""

from __future__ import annotations

import argparse
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
