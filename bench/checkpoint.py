"""Benchmark of the verifiable record on a large book: `minutebook checkpoint`, `minutebook proof` and
`minutebook verify --proof` on a book of `--events` events (default 100,000), as a user runs them (a process
each, wall clock, the median of `--repeat`), and the same calls through the Python API in one process.

Run from the repo root: `python bench/checkpoint.py [--events 100000] [--repeat 5] [--pg URL]`. Prints
`key=value` lines. The book is bench/book.py's (a synthetic charter, holders, issuances, transfers, a split),
bulk-loaded through `store.log.append` in batches (its tree written with it), in a temporary folder; with `--pg`
the same book is built in that PostgreSQL database too and timed there.

What each costs, by design: a checkpoint reads the tree's size and the stored nodes of its right edge (O(log n)),
checks the latest checkpoint against them (O(log n)) and signs; a proof reads O(log n) nodes and the event, and
checks itself with the verifier; `verify --proof` opens no database. `minutebook verify` (the whole book: chain,
tree, projections, checkpoints) is O(n) and timed for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import book as benchbook  # noqa: E402 - bench/book.py: the synthetic book and its bulk loader

MB = str(Path(sys.executable).with_name("minutebook"))


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


def cli(*args: str, cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([MB, *args], cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(f"minutebook {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return took


def median_cli(repeat: int, *args: str, cwd: Path) -> float:
    return statistics.median(cli(*args, cwd=cwd) for _ in range(repeat))


def timed(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def build(url: str, n_events: int) -> object:
    b = benchbook.new_book(url)
    t0 = time.perf_counter()
    loaded = benchbook.bulk_load(b, benchbook.operations(n_events, 1_000, 1), n_events - len(b.log))
    line("bulk_load_s", f"{time.perf_counter() - t0:.1f} ({loaded:,} events)")
    from minutebook.book import open_book

    return open_book(url)


def run(label: str, url: str, folder: Path, n_events: int, repeat: int) -> None:
    b = build(url, n_events)
    n = len(b.log)
    line(f"{label}_events", f"{n:,}")
    db = ["--db", url]
    line(
        f"{label}_cli_checkpoint_s",
        f"{median_cli(repeat, 'checkpoint', *db, '--out', 'cp.txt', cwd=folder):.3f}",
    )
    for seq in (1, n // 2, n):
        line(
            f"{label}_cli_proof_seq{seq}_s",
            f"{median_cli(repeat, 'proof', str(seq), *db, '-o', f'p{seq}.json', cwd=folder):.3f}",
        )
    (folder / "book.vkey").write_text(b.public_key() + "\n")
    line(
        f"{label}_cli_verify_proof_s",
        f"{median_cli(repeat, 'verify', '--proof', f'p{n}.json', '--key', 'book.vkey', cwd=folder):.3f}",
    )
    line(f"{label}_cli_noop_s", f"{median_cli(repeat, '--help', cwd=folder):.3f} (interpreter and imports)")
    line(f"{label}_api_checkpoint_ms", f"{timed(b.checkpoint, repeat) * 1000:.1f}")
    line(f"{label}_api_proof_ms", f"{timed(lambda: b.proof(n // 2), repeat * 20) * 1000:.2f}")
    line(
        f"{label}_api_consistency_ms", f"{timed(lambda: b.consistency(1, 'latest'), repeat * 20) * 1000:.2f}"
    )
    from minutebook import verifier

    doc = json.loads((folder / f"p{n}.json").read_text())
    line(
        f"{label}_api_verify_proof_us",
        f"{timed(lambda: verifier.verify_proof_file(doc, b.public_key()), 200) * 1e6:.0f}",
    )
    line(f"{label}_proof_bytes", (folder / f"p{n}.json").stat().st_size)
    t0 = time.perf_counter()
    problems = b.verify()
    line(f"{label}_api_verify_book_s", f"{time.perf_counter() - t0:.1f} ({len(problems)} problems)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--pg", metavar="URL", help="also build and time the book in this (empty) PostgreSQL database"
    )
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mb-bench-ckpt-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("MINUTEBOOK_KEY_DIR", str(folder / "keys"))
        run("sqlite", str(folder / "book.db"), folder, a.events, a.repeat)
        if a.pg:
            run("pg", a.pg, folder, a.events, a.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
