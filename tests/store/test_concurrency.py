"""Writers to one corporation are serialised: 8 processes x 200 appends on each back end give 1,600 new
events, sequences without gaps, and an intact chain."""

from __future__ import annotations

import multiprocessing
import queue
import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
import storehelp
from storehelp import rows, scalar

from minutebook.book import open_book
from minutebook.store import log

PROCESSES, APPENDS = 8, 200


def test_eight_writers(book, db_url, raw, backend):
    storehelp.approve_issues(book, storehelp.ON)  # what the writers' issuances name
    start = len(book.events)  # the charter and the approval
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [
        ctx.Process(target=storehelp.writer, args=(db_url, f"w{i}", APPENDS, barrier, results), daemon=True)
        for i in range(PROCESSES)
    ]
    t0 = time.monotonic()
    for p in procs:
        p.start()
    try:
        got = [results.get(timeout=300) for _ in procs]
    except queue.Empty:
        pytest.fail(f"writers did not finish in 300 s on {backend}")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    elapsed = time.monotonic() - t0
    print(f"\n{backend}: {PROCESSES} x {APPENDS} appends in {elapsed:.1f} s")
    assert [err for _, _, err in got if err] == []

    total = start + PROCESSES * APPENDS
    mine = {tag: seqs for tag, seqs, _ in got}
    for tag, seqs in mine.items():
        assert len(seqs) == APPENDS and seqs == sorted(seqs), tag  # each writer's events in its order
    assert sorted(s for seqs in mine.values() for s in seqs) == list(range(start + 1, total + 1))

    assert [r[0] for r in rows(raw, "SELECT seq FROM events ORDER BY seq")] == list(range(1, total + 1))
    assert scalar(raw, "SELECT head_seq FROM corporations") == total
    again = open_book(db_url)
    assert again.verify() == []
    assert [e.seq for e in again.events] == list(range(1, total + 1))
    ct = again.cap_table()
    n = PROCESSES * APPENDS // 2
    assert next(c for c in ct.by_class if c.class_key == "common").issued == n
    assert ct.holder_totals() == {f"w{i}-{k}": 1 for i in range(PROCESSES) for k in range(APPENDS // 2)}
    assert book.verify() == []  # the first Book object, stale, still sees the whole log
    assert elapsed < 120, f"{backend}: {elapsed:.0f} s"


def test_first_open_by_several_processes_at_once(db_url, backend):
    """The first processes to open an empty database race to create the schema: all must succeed."""
    ctx = multiprocessing.get_context("spawn")
    n = 4
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [
        ctx.Process(target=storehelp.opener, args=(db_url, barrier, results), daemon=True) for _ in range(n)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    errors = [g for g in got if g]
    from minutebook.store import db

    engine, _ = db.open_engine(db_url)  # whatever happened, the schema is there and complete
    assert {"events", "corporations", "ledger_entries"} <= set(sa.inspect(engine).get_table_names())
    assert "balances" in sa.inspect(engine).get_view_names()
    engine.dispose()
    assert errors == [], f"concurrent first opens raced to create the schema on {backend}"


def test_a_writer_behind_the_head_reads_only_what_it_missed(book, db_url, monkeypatch):
    """A Book that finds the head moved on (another writer appended) should read the events it missed, not
    the whole log again under the write lock: with writers interleaving, that makes each append O(log)."""
    a = book
    approved = storehelp.approve_issues(a, storehelp.ON)
    for i in range(100):
        a.add_holder(f"h{i}", f"H {i}", on=storehelp.ON)
    b = open_book(db_url)  # has read all the events: the charter, the approval, 100 holders
    assert len(b.events) == len(a.events)
    a.add_holder("x", "X", on=storehelp.ON)
    a.add_holder("y", "Y", on=storehelp.ON)  # b is now 2 events behind
    decoded = []
    real = log.from_values  # (what `log.load` decodes each row with, on both back ends)
    monkeypatch.setattr(log, "from_values", lambda *r: decoded.append(r) or real(*r))
    r = b.issue(
        "h0", "common", 1, on=date(2000, 1, 3), price_per_share=Decimal("0.001"), approved_by=approved
    )
    monkeypatch.undo()
    assert not r.refused and r.event.seq == len(a.events) + 1
    assert b.verify() == []
    assert 1 <= len(decoded) <= 10, f"{len(decoded)} events decoded to catch up on 2"
