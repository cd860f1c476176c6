"""A YAML story of a few hundred steps recorded by `minutebook act` (issue 18: one transaction per batch where the
caller gives one), on SQLite and on PostgreSQL.

Run from the repo root: `python bench/story.py [--steps 300] [--repeat 3] [--no-pg]`.

For each back end (SQLite in a temporary folder; PostgreSQL on a throwaway server started from the Debian
`postgresql` binaries as the test suite starts it: fsync and synchronous_commit off, so the figure is the book's,
not the disk's) a book is made from the Auxer filing with the board's approval of issuances
(`tests/store/storehelp`). The story then adds holders, issues them stock, transfers some of it, and has one
issuance beyond the authorized shares that it expects to be refused; its end compares a few holdings.

Timed, each the median of `--repeat` runs on a fresh copy of the book (the two in-process runs alternating which goes
first), wall clock and, in process, this process's CPU seconds:
- `act_cli_s`: `minutebook act STORY --db ...` as a user runs it (a process: start-up, opening the book, the steps,
  the end, the commit);
- `story_api_s`: the same story through `book.stories.run` in this process (as `act` records it);
- baseline, same run: `per_step_api_s`, the same steps each recorded in a transaction of its own through the same
  Book methods (`stories.call`, no block): how `act` recorded a story before it was one transaction.
Not timed: making the book, reading the story file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))

import storehelp  # noqa: E402 - the suite's Auxer book with a board that approves issuances

from minutebook.book import create, open_book, stories  # noqa: E402
from minutebook.governance.story import load  # noqa: E402
from minutebook.ingest import read  # noqa: E402
from writers import pg_server  # noqa: E402 - the suite's throwaway PostgreSQL, as bench/writers.py starts it

MB = str(Path(sys.executable).with_name("minutebook"))
START = storehelp.ON + timedelta(days=1)


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


def story_text(steps: int) -> str:
    """`steps` steps: per pair a holder added and issued 1,000 common, every tenth a transfer, one refusal."""
    out = ["name: bench story", "steps:"]
    n, i, day, refusal = 0, 0, START, False
    while n < steps:
        on = day.isoformat()
        if not refusal and n >= steps // 2:
            refusal = True
            out.append(
                f"  - {{on: {on}, issue: {{holder: h0, class: common, shares: 1000000000, price: '0.001', "
                f"approved_by: {storehelp.R_ISSUE}}}, expect: {{refused: true}}}}"
            )
            n += 1
            continue
        if i and i % 10 == 0 and n + 1 < steps:
            out.append(
                f"  - {{on: {on}, transfer: {{from: h{i - 1}, to: h{i - 2}, class: common, shares: 10}}}}"
            )
            n += 1
        out.append(f"  - {{on: {on}, holder: {{id: h{i}, name: Holder {i}}}}}")
        n += 1
        if n < steps:
            out.append(
                f"  - {{on: {on}, issue: {{holder: h{i}, class: common, shares: 1000, price: '0.001', "
                f"approved_by: {storehelp.R_ISSUE}}}}}"
            )
            n += 1
        i += 1
        day += timedelta(days=1)
    out.append("end:")
    out.append("  holdings: {h0: {common: 1000}, h1: {common: 1000}}")
    return "\n".join(out) + "\n"


class SQLite:
    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self.base = folder / "base.db"
        b = create(str(self.base), read([storehelp.AUXER]), [storehelp.AUXER])
        storehelp.approve_issues(b, storehelp.ON)
        b.close()
        self.n = 0

    def fresh(self) -> str:
        self.n += 1
        path = self.folder / f"run{self.n}.db"
        shutil.copy(self.base, path)
        keys = self.folder / f".{self.base.name}.keys"
        if keys.exists():
            shutil.copytree(keys, self.folder / f".{path.name}.keys")
        return str(path)


class Postgres:
    name = "pg"

    def __init__(self, server):
        self.server = server

    def fresh(self) -> str:
        url = self.server.url(self.server.create_database())
        b = create(url, read([storehelp.AUXER]), [storehelp.AUXER])
        storehelp.approve_issues(b, storehelp.ON)
        b.close()
        return url


def act_cli(story: Path, url: str) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([MB, "act", str(story), "--db", url], capture_output=True, text=True, cwd=story.parent)
    took = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(f"minutebook act failed ({r.returncode}): {r.stderr.strip()[-2000:]}")
    return took


def story_api(story, url: str) -> tuple[float, float]:
    """The story as `act` records it; (wall-clock, this process's CPU) seconds."""
    book = open_book(url)
    t0, c0 = time.perf_counter(), time.process_time()
    outcomes = stories.run(book, story)
    took = time.perf_counter() - t0, time.process_time() - c0
    book.close()
    bad = [o for o in outcomes if not o.ok]
    if bad or len(outcomes) != len(story.steps):
        raise SystemExit(f"the story did not go as written: {bad[:1]}")
    return took


def per_step_api(story, url: str) -> tuple[float, float]:
    """The steps as `act` recorded them before a story was one transaction: each in its own."""
    book = open_book(url)
    t0, c0 = time.perf_counter(), time.process_time()
    for step in story.steps:
        try:
            r = stories.call(book, step)
        except Exception as e:  # noqa: BLE001 - a step that raised is not part of this story
            raise SystemExit(f"step {step.number} raised {e}") from None
        if r.refused != step.expect.refused:
            raise SystemExit(f"step {step.number}: refused={r.refused}")
    took = time.perf_counter() - t0, time.process_time() - c0
    book.close()
    return took


def events(url: str) -> int:
    b = open_book(url)
    n = len(b.log)
    b.close()
    return n


def measure(backend, story_path: Path, repeat: int) -> None:
    story = load(story_path)
    name = backend.name
    line(f"{name}_steps", len(story.steps))
    cli, api, base = [], [], []
    for i in range(repeat):  # the two in-process runs alternate which goes first (a loaded machine drifts)
        url = backend.fresh()
        before = events(url)
        cli.append(act_cli(story_path, url))
        line(f"{name}_events_written", events(url) - before)
        first, second = (story_api, per_step_api) if i % 2 == 0 else (per_step_api, story_api)
        a, b = first(story, backend.fresh()), second(story, backend.fresh())
        api.append(a if first is story_api else b)
        base.append(b if first is story_api else a)
    n = len(story.steps)
    s, p = statistics.median(w for w, _ in api), statistics.median(w for w, _ in base)
    line(f"{name}_act_cli_s", f"{statistics.median(cli):.2f}")
    cpu = statistics.median(c for _, c in api)
    line(f"{name}_story_api_s", f"{s:.3f} ({n / s:.0f} steps/s; CPU {cpu:.3f} s)")
    cpu = statistics.median(c for _, c in base)
    line(f"{name}_per_step_api_s", f"{p:.3f} ({n / p:.0f} steps/s; CPU {cpu:.3f} s) [baseline]")
    line(f"{name}_story_vs_per_step", f"{p / s:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args()
    line("load_average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="mb-story-") as tmp:
        folder = Path(tmp)
        story_path = folder / "story.yaml"
        story_path.write_text(story_text(args.steps), encoding="utf-8")
        measure(SQLite(folder), story_path, args.repeat)
        if not args.no_pg:
            server = pg_server()
            try:
                measure(Postgres(server), story_path, args.repeat)
            finally:
                server.stop()
    line("load_average_end", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
