"""`verify` in a loop while writers append: the loop the suite runs (`test_verify_snapshot.py`) and the benchmark
(`bench/verify_writers.py`) prints. Writers are processes appending through the public append path (`Book`'s acts,
`storehelp.append_one`) until told to stop; every verify must find the book intact, whatever it caught half way."""

from __future__ import annotations

import multiprocessing
import queue
import time
from dataclasses import dataclass, field

import storehelp

from minutebook.book import Book, open_book


def busy_writer(url: str, tag: str, pause: float, ready, stop, results) -> None:
    """Append (holder, then an issuance to it, ...) until `stop` is set, `pause` seconds apart; report how many."""
    done = 0
    try:
        book = open_book(url)
        ready.put(tag)
        while not stop.is_set():
            r = storehelp.append_one(book, tag, done)
            if r.refused:
                raise AssertionError(f"{tag} append {done} refused: {r.findings}")
            done += 1
            if pause:
                time.sleep(pause)
        results.put((tag, done, None))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        results.put((tag, done, f"{type(e).__name__}: {e}"))


@dataclass
class Loop:
    """What the loop saw: verify runs, those that reported a problem (false alarms: nothing was tampered with), the
    first few of their problems, the events each run saw, and the appends the writers made meanwhile."""

    runs: int = 0
    false_alarms: int = 0
    examples: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    appends: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def sizes_seen(self) -> int:
        """How many different log sizes the runs saw: more than one, or the writers were not writing."""
        return len(set(self.sizes))


def verify_while_writing(
    book: Book, url: str, runs: int, writers: int = 4, pause: float = 0.0, budget: float = 120.0
) -> Loop:
    """Run `book.verify()` `runs` times (or until `budget` seconds) while `writers` processes append to the book at
    `url`. `book` needs the board's approval of issuances first (`storehelp.approve_issues`)."""
    ctx = multiprocessing.get_context("spawn")
    ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=busy_writer, args=(url, f"v{i}", pause, ready, stop, results), daemon=True)
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    loop = Loop()
    try:
        for _ in procs:
            ready.get(timeout=120)
        t0 = time.monotonic()
        while loop.runs < runs and time.monotonic() - t0 < budget:
            problems = book.verify()
            loop.runs += 1
            loop.sizes.append(getattr(problems, "events", -1))
            if problems:
                loop.false_alarms += 1
                loop.examples += problems[: max(0, 5 - len(loop.examples))]
        loop.seconds = time.monotonic() - t0
    finally:
        stop.set()
        for _ in procs:
            try:
                tag, n, err = results.get(timeout=120)
            except queue.Empty:
                loop.errors.append("a writer did not report")
                continue
            loop.appends += n
            if err:
                loop.errors.append(f"{tag}: {err}")
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    return loop
