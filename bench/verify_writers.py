"""`verify` while writers append: false alarms per back end (issue 17, item 6: there must be none).

Run from the repo root: `python bench/verify_writers.py [--runs 500] [--writers 4] [--pause 0.05] [--pg URL]`.

For each back end (SQLite in a temporary folder; PostgreSQL on `--pg URL`, else on a throwaway server started
from the Debian `postgresql` binaries as the test suite does, `--no-pg` to skip it) a new book is made from the
Auxer filing with the board's approval of issuances; `--writers` processes then append to it through the book's
append path (a holder, then an issuance to it, ...; `--pause` seconds between one writer's appends) while this
process runs `Book.verify()` `--runs` times. The loop and the writers are the suite's (tests/store/busywriters.py,
whose test runs a shorter loop). A run that reports any problem is a false alarm: nothing was tampered with.

Prints `key=value` lines per back end: runs, false alarms, appends the writers made meanwhile (and per second of the
loop), the distinct log sizes the runs saw (the writers were writing), the run time, verify's median and slowest
run, the first false alarms if any, and the machine's load average at the end (timings mean little without it).
Exits 1 if there was a false alarm or a writer failed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))

import busywriters  # noqa: E402 - the suite's loop and writers, from tests/store
import storehelp  # noqa: E402

from minutebook.book import create  # noqa: E402
from minutebook.ingest import read  # noqa: E402
from writers import pg_server  # noqa: E402 - the suite's throwaway PostgreSQL, as bench/writers.py starts it


def measure(name: str, url: str, args) -> busywriters.Loop:
    book = create(url, read([storehelp.AUXER]), [storehelp.AUXER])
    storehelp.approve_issues(book, storehelp.ON)
    times: list[float] = []
    real = book.verify

    def timed():
        t0 = time.perf_counter()
        try:
            return real()
        finally:
            times.append(time.perf_counter() - t0)

    book.verify = timed  # the loop calls book.verify(): time each run
    loop = busywriters.verify_while_writing(
        book, url, args.runs, writers=args.writers, pause=args.pause, budget=args.budget
    )
    print(f"{name}_runs={loop.runs}")
    print(f"{name}_false_alarms={loop.false_alarms}")
    print(f"{name}_appends_meanwhile={loop.appends}")
    print(f"{name}_appends_per_s={loop.appends / loop.seconds if loop.seconds else 0:.0f}")
    print(f"{name}_log_sizes_seen={loop.sizes_seen} (of {loop.runs} runs)")
    print(f"{name}_events_at_end={max(loop.sizes, default=0)}")
    print(f"{name}_seconds={loop.seconds:.1f}")
    if times:
        print(f"{name}_verify_median_ms={statistics.median(times) * 1000:.1f}")
        print(f"{name}_verify_max_ms={max(times) * 1000:.1f}")
    for e in loop.errors:
        print(f"{name}_writer_error={e}")
    for x in loop.examples:
        print(f"{name}_false_alarm_example={x}")
    print(f"{name}_load_average={' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return loop


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=500, help="verify runs per back end (default 500)")
    ap.add_argument("--writers", type=int, default=4, help="writer processes (default 4)")
    ap.add_argument("--pause", type=float, default=0.05, help="seconds between one writer's appends")
    ap.add_argument("--budget", type=float, default=300.0, help="seconds at most per back end")
    ap.add_argument("--pg", metavar="URL", help="a PostgreSQL database to use (default: a throwaway server)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args()
    print(f"writers={args.writers} pause_s={args.pause} runs_asked={args.runs}")
    print(f"load_average_at_start={' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    loops: dict[str, busywriters.Loop] = {}
    with tempfile.TemporaryDirectory(prefix="mb-verify-writers-") as tmp:
        os.environ["MINUTEBOOK_KEY_DIR"] = tmp  # the books' signing keys: not in the user's key folder
        loops["sqlite"] = measure("sqlite", str(Path(tmp) / "book.db"), args)
        if not args.no_pg:
            server = None if args.pg else pg_server()
            try:
                url = args.pg or server.url(server.create_database())
                loops["postgresql"] = measure("postgresql", url, args)
            finally:
                if server is not None:
                    server.stop()
    bad = 0
    for name, loop in loops.items():  # issue 17, item 6: 0 false alarms in >= 200 runs on each back end
        ok = loop.false_alarms == 0 and not loop.errors and loop.runs >= 200 and loop.sizes_seen > 1
        bad += not ok
        print(
            f"target {name}_no_false_alarm: {'ok' if ok else 'MISSED'} ({loop.false_alarms} false alarms in "
            f"{loop.runs} runs, >= 200 asked; {len(loop.errors)} writer errors; {loop.sizes_seen} log sizes seen)"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
