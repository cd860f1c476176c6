"""Benchmark of the command line and the web pages on a large book: each command as its user runs it, a process of its
own, its wall time and peak RSS; the web pages' first request in a new app (no answer remembered).

Run from the repo root: `python bench/cli.py [--events 1000000] [--db PATH] [--only log,check]`.
Prints `key=value` lines; there are no targets (issue 18 sets none for these): the figures are for planning, beside
the floor every command that reads the whole log stands on.

- The book: `--db PATH` uses a book already there (one `bench/book.py --db PATH` built, say); otherwise one is built
  in a temporary folder as `bench/book.py` builds its own (`--events`, `--holders`: the same seeded generator,
  bulk-loaded by `store.log.append` in batches, not through the enforced path), then opened once, which keeps the
  fold snapshot every later opening reads.
- The floor (the baseline of the same run): plain `sqlite3` reading every event row of the book in order of
  sequence, each payload decoded by `json.loads`: what any command that looks at every event cannot go under.
- Each command runs as `python -m minutebook COMMAND --db PATH` with its output sent to /dev/null; its time is
  the wall time of the process (start-up included, ~0.3 s), its peak RSS the process's own (`wait4`). A command
  that fails is reported with its one-line error. `--timeout` stops one that runs too long (reported as such).
- The web pages are asked in-process through the app (`minutebook.web.create_app`, Starlette's test client), as a
  user with the counsel role (added to the book's database if missing): each page's first request, then the same
  request again (an answer remembered until the log moves). `web_dashboard_after_append` asks the dashboard once,
  then has another process append one act (a transfer of one share, WRITTEN TO THE BOOK: with `--db`, to the book
  given), then asks it again: its check goes on from the audit it kept instead of auditing the whole log anew. The
  process's peak RSS after each is printed (with a book built by the run, that peak includes the build).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
try:
    import minutebook  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

import book as bench_book  # noqa: E402  (bench/book.py: the same book)
from minutebook.book import open_book  # noqa: E402

COMMANDS = {
    "captable": ["captable"],
    "captable_middle": ["captable", "--as-of", "{middle}"],
    "holders": ["holder", "list"],
    "charter": ["charter"],
    "log_last": ["log", "--last", "20"],
    "log": ["log"],
    "log_json": ["log", "--json"],
    "certificates": ["certificates"],
    "tax": ["tax"],
    "calendar": ["calendar"],
    "check": ["check"],
    "check_json": ["check", "--json"],
    "verify": ["verify"],
    # a holder's papers (the largest holder on the latest date; written to /dev/null, not recorded as drawn)
    "holder_ledger": ["doc", "render", "holder-ledger", "--for", "{holder}", "-f", "html", "-o", "/dev/null",
                      "--no-record"],
    "uncertificated_notice": ["doc", "render", "uncertificated-notice", "--for", "{holder}", "-f", "html", "-o",
                              "/dev/null", "--no-record"],
}  # fmt: skip
PAGES = {
    "web_ledger": "/ledger",
    "web_captable": "/captable",
    "web_charter": "/charter",
    "web_tax": "/tax",
    "web_dashboard": "",
    "web_documents": "/documents",
    "web_holder": "/holders/{holder}",
    # after another process appends one act (a transfer of one share, dated the day after the book's last act): the
    # dashboard's check goes on from the audit it kept, auditing that act alone (`governance.audit.Audit`)
    "web_dashboard_after_append": "",
}
PASSWORD = "bench password 1"


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


def build(path: Path, events: int, holders: int, seed: int) -> None:
    """The book of `bench/book.py`, every event bulk-loaded; opened once (the fold snapshot kept)."""
    book = bench_book.new_book(str(path))
    ops = bench_book.operations(events, holders, seed)
    bench_book.bulk_load(book, ops, events - 1)
    book.close()
    open_book(str(path)).close()


def floor(path: Path) -> tuple[float, int]:
    """Seconds for plain sqlite3 to read every event row in order of sequence and decode its payload."""
    con = sqlite3.connect(path)
    t0 = time.perf_counter()
    n = 0
    for row in con.execute(
        "SELECT seq, type, effective_on, payload, hash FROM events ORDER BY corporation_id, seq"
    ):
        json.loads(row[3])
        n += 1
    dt = time.perf_counter() - t0
    con.close()
    return dt, n


_MEASURE = """
import os, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
err = p.stderr.decode(errors="replace").strip().splitlines()
print(dt, rss, p.returncode, (err or [""])[-1], sep="\\t")
"""


def measure(args: list[str], timeout: float) -> tuple[float, float, str | None]:
    """(wall seconds, peak RSS in MB, the error line or None) of `python -m minutebook ARGS`, run by a helper
    process whose only child it is (so that its RUSAGE_CHILDREN peak is that command's own)."""
    env = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}
    cmd = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "minutebook", *args]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env).stdout
    except subprocess.TimeoutExpired:
        return timeout, 0.0, f"stopped after {timeout:.0f} s"
    dt, rss, rc, err = out.rstrip("\n").split("\t")
    problem = err if int(rc) not in (0, 1) else None  # 1: `check`/`verify` found problems, which is an answer
    return float(dt), float(rss), problem


def web(path: Path, pages: dict[str, str]) -> None:
    """Each page's first request in a new app, then again; the process's peak RSS after it."""
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx`")  # Starlette's own test client's notice
    from fastapi.testclient import TestClient

    from minutebook.book.accounts import Accounts
    from minutebook.web import create_app

    url = str(path)
    book = open_book(url)
    slug = book.slug
    book.close()
    acc = Accounts.open(url)
    if "bench-counsel" in acc.users():
        acc.set_password("bench-counsel", PASSWORD)
    else:
        acc.add_user("bench-counsel", PASSWORD)
    acc.grant("bench-counsel", slug, "counsel")
    acc.engine.dispose()
    c = TestClient(create_app(url), base_url="https://testserver", follow_redirects=False)
    form = c.get("/login").text
    token = re.search(
        r'action="/login"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"', form
    ).group(1)
    r = c.post("/login", data={"username": "bench-counsel", "password": PASSWORD, "csrf": token, "next": "/"})
    assert r.status_code == 303, r.text
    for name, page in pages.items():
        if name == "web_dashboard_after_append":
            c.get(f"/c/{slug}")  # the dashboard once, as a counsel would have it open
            appended = append_one(path)
            if appended:
                line(f"{name}_s", f"not measured: {appended}")
                continue
        t0 = time.perf_counter()
        r = c.get(f"/c/{slug}{page}")
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        c.get(f"/c/{slug}{page}")
        again = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line(
            f"{name}_s",
            f"{first:.2f} (again {again:.2f} s; HTTP {r.status_code}, {len(r.content) / 1e6:.2f} MB; "
            f"the process's peak RSS so far {rss:.0f} MB)",
        )


def append_one(path: Path) -> str | None:
    """Another process's act on the book: one share of its largest holder transferred to its smallest, the day after
    its last act (`minutebook transfer`). None when written, else what went wrong."""
    book = open_book(str(path))
    rows = sorted(book.cap_table().rows, key=lambda r: r.shares)
    day = book.last_effective + timedelta(days=1)
    book.close()
    cmd = [
        "transfer",
        rows[-1].holder_id,
        rows[0].holder_id,
        "1",
        "--class",
        "common",
        "--on",
        day.isoformat(),
    ]
    p = subprocess.run(
        [sys.executable, "-m", "minutebook", *cmd, "--db", str(path)], capture_output=True, text=True
    )
    return None if p.returncode == 0 else (p.stderr.strip() or f"exit {p.returncode}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--events", type=int, default=1_000_000, help="events of the book built (default 1,000,000)"
    )
    ap.add_argument("--holders", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--db", metavar="PATH", help="an existing book (default: build one in a temporary folder)"
    )
    ap.add_argument("--only", metavar="NAMES", help=f"comma-separated, of: {', '.join([*COMMANDS, *PAGES])}")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds at most for one command")
    args = ap.parse_args(argv)
    chosen = set(args.only.split(",")) if args.only else set(COMMANDS) | set(PAGES)
    unknown = chosen - set(COMMANDS) - set(PAGES)
    if unknown:
        ap.error(f"--only: no such measure {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="mb-cli-"))
    try:
        if args.db:
            path = Path(args.db)
            if not path.exists():
                ap.error(f"--db {path}: no such file")
        else:
            path = work / "book.db"
            t0 = time.perf_counter()
            build(path, args.events, args.holders, args.seed)
            line(
                "built_s",
                f"{time.perf_counter() - t0:.1f} ({args.events:,} events bulk-loaded, then opened once)",
            )
        book = open_book(str(path))
        middle = bench_book.middle_date(book)
        holder = max(book.cap_table().rows, key=lambda r: r.shares).holder_id
        line("events", f"{bench_book.stored(book):,}")
        book.close()
        line("db_size_mb", f"{path.stat().st_size / 1e6:.0f}")
        dt, n = floor(path)
        line(
            "floor_read_all_s",
            f"{dt:.2f} (plain sqlite3 reading {n:,} event rows, json.loads of each payload)",
        )
        for name, cmd in COMMANDS.items():
            if name not in chosen:
                continue
            argv_ = [a.replace("{middle}", middle.isoformat()).replace("{holder}", holder) for a in cmd]
            argv_ += ["--db", str(path)]
            secs, rss, problem = measure(argv_, args.timeout)
            what = f"{secs:.2f} (peak RSS {rss:.0f} MB; `minutebook {' '.join(argv_[:-2])}`)"
            line(f"cli_{name}_s", what + (f" FAILED: {problem}" if problem else ""))
        web(path, {k: v.replace("{holder}", holder) for k, v in PAGES.items() if k in chosen})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
