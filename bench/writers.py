"""Many writers on one book: total enforced appends per second, and nothing lost (issue 18: 8 writers on PostgreSQL,
>= 500 appends/s in total, 0 lost).

Run from the repo root: `python bench/writers.py [--writers 8] [--appends 200] [--pg URL | --no-pg]`.

For each back end (SQLite in a temporary folder; PostgreSQL on `--pg URL`, else on a throwaway server started from
the Debian `postgresql` binaries as the test suite starts it: fsync and synchronous_commit off, so the figure is the
book's, not the disk's) a new book is made from the Auxer filing with the board's approval of issuances. `--writers`
processes each open the book, wait for the others at a barrier, and append `--appends` events through the book's
public acts (a holder, then one share issued to it, ...: `tests/store/storehelp.writer`, the suite's concurrency
writer), each act checked and written in its own transaction. Timed from the barrier to the last writer's answer.

Baseline, same run: one writer appending as many events alone (the book's single-writer rate on that back end).
Prints `key=value` lines per back end: appends, seconds, appends/s in total and per writer, the single-writer rate,
lost (events the writers were told were written but the log does not hold, or sequences given twice), verify.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))

import storehelp  # noqa: E402 - the suite's writer, from tests/store

from minutebook.book import create, open_book  # noqa: E402
from minutebook.ingest import read  # noqa: E402

TARGET_PG = 500  # appends/s in total, 8 writers on PostgreSQL (issue 18)


def pg_server():
    """The test suite's throwaway PostgreSQL server (tests/conftest.py's `PgServer`), started."""
    spec = importlib.util.spec_from_file_location("suite_conftest", ROOT / "tests" / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    server = mod.PgServer("bench")
    server.start()
    return server


def new_book(url: str):
    book = create(url, read([storehelp.AUXER]), [storehelp.AUXER])
    storehelp.approve_issues(book, storehelp.ON)
    return book


def run_writers(url: str, writers: int, appends: int) -> tuple[float, list[int], list[str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(writers + 1), ctx.Queue()
    procs = [
        ctx.Process(target=storehelp.writer, args=(url, f"w{i}", appends, barrier, results))
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    t0 = time.perf_counter()
    seqs, errors = [], []
    for _ in procs:
        tag, got, err = results.get(timeout=900)
        seqs += got
        if err:
            errors.append(f"{tag}: {err}")
    dt = time.perf_counter() - t0
    for p in procs:
        p.join()
    return dt, seqs, errors


def measure(name: str, url: str, alone_url: str, args) -> bool:
    book = new_book(url)
    before = len(book.events)
    book.close()
    dt, seqs, errors = run_writers(url, args.writers, args.appends)
    n = len(seqs)
    book = open_book(url)
    stored = {e.seq for e in book.events if e.seq > before}
    lost = len(set(seqs) - stored) + (len(seqs) - len(set(seqs)))
    problems = book.verify()
    book.close()
    alone = new_book(alone_url)
    alone.close()
    dt1, seqs1, errors1 = run_writers(alone_url, 1, args.appends)
    rate = n / dt if dt else 0.0
    print(f"{name}_writers={args.writers}")
    print(f"{name}_appends={n} (of {args.writers * args.appends} asked)")
    print(f"{name}_seconds={dt:.2f}")
    print(f"{name}_appends_s={rate:.0f} ({rate / args.writers:.0f} per writer)")
    print(
        f"{name}_single_writer_appends_s={len(seqs1) / dt1:.0f} (baseline: one writer alone, same book shape)"
    )
    print(f"{name}_lost={lost}")
    print(f"{name}_verify={'ok' if not problems else '; '.join(problems[:3])}")
    for e in errors + errors1:
        print(f"{name}_writer_error={e}")
    ok = not lost and not problems and not errors and n == args.writers * args.appends
    if name == "pg":
        met = "ok" if ok and rate >= TARGET_PG else "MISSED"
        print(f"target pg_writers: {met} ({rate:.0f} >= {TARGET_PG}, lost {lost})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--appends", type=int, default=200, help="appends per writer")
    ap.add_argument("--pg", metavar="URL", help="an empty PostgreSQL database (default: a throwaway server)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="mb-writers-") as tmp:
        if not args.no_sqlite:
            ok &= measure("sqlite", str(Path(tmp) / "w.db"), str(Path(tmp) / "alone.db"), args)
        if not args.no_pg:
            server = None
            if args.pg:
                url, alone_url = args.pg, None
            else:
                server = pg_server()
                url, alone_url = server.url(server.create_database()), None
            try:
                alone_url = server.url(server.create_database()) if server else url
                if alone_url == url:
                    print("pg_note=--pg gives one database: the single-writer baseline is skipped")
                ok &= measure("pg", url, alone_url, args)
            finally:
                if server:
                    server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
