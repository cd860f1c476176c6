"""A writer killed with SIGKILL in the middle of appending loses no committed event and leaves a valid
chain, on both back ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import storehelp

from minutebook.book import open_book

APPENDER = Path(storehelp.__file__)
ROUNDS = 3


def run_and_kill(url: str, tag: str, after: int) -> list[int]:
    """Start an appender, SIGKILL it once it has reported `after` committed events; every sequence it
    reported (each printed, flushed, after its transaction committed)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(APPENDER.parent), *sys.path])}
    p = subprocess.Popen(
        [sys.executable, str(APPENDER), url, tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    committed: list[int] = []
    try:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
        deadline = time.monotonic() + 60
        while len(committed) < after:
            line = p.stdout.readline()
            assert line, f"the appender stopped: {p.stderr.read()}"
            committed.append(int(line))
            assert time.monotonic() < deadline
        time.sleep(0.003 * (after % 7))  # land somewhere inside a later append
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        committed += [int(x) for x in p.stdout.read().split()]  # reported before the kill, not yet read
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stderr.close()
    assert p.returncode == -signal.SIGKILL
    return committed


def test_sigkill_loses_no_committed_event(book, db_url):
    storehelp.approve_issues(book, storehelp.ON)  # what the appenders' issuances name
    expected_next = len(book.events) + 1
    for rnd in range(ROUNDS):
        committed = run_and_kill(db_url, f"k{rnd}", after=25 + 10 * rnd)
        assert committed == list(range(expected_next, expected_next + len(committed)))
        after = open_book(db_url)
        seqs = [e.seq for e in after.events]
        assert set(committed) <= set(seqs)
        assert seqs == list(range(1, len(seqs) + 1))
        # at most one more: committed, killed before it printed
        assert len(seqs) - committed[-1] in (0, 1), (committed[-1], len(seqs))
        assert after.verify() == []
        expected_next = len(seqs) + 1
    # the book goes on after the crashes
    book = open_book(db_url)
    r = book.add_holder("after-crash", "After Crash", on=storehelp.ON)
    assert not r.refused and r.event.seq == expected_next
    assert book.verify() == []
