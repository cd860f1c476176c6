"""`verify` reads the whole book in one snapshot: run 100 times on each back end while four writer processes append
through the book's append path, it never reports a problem that is not there (before, on PostgreSQL, about a third
to a half of the runs named a broken chain, a truncated tree or projections out of step: each statement saw a later
state than the one before it). `bench/verify_writers.py` runs the same loop as long as asked and prints its
figures."""

from __future__ import annotations

import storehelp
from busywriters import verify_while_writing

from minutebook.store import db, log

RUNS = 100  # per back end: 200 in all; bench/verify_writers.py runs 500 on each


def test_verify_while_four_writers_append(book, db_url, backend):
    storehelp.approve_issues(book, storehelp.ON)  # what the writers' issuances name
    loop = verify_while_writing(book, db_url, RUNS, writers=4, pause=0.05, budget=120)
    print(
        f"\n{backend}: {loop.runs} verify runs in {loop.seconds:.1f} s, {loop.false_alarms} false alarm(s), "
        f"{loop.appends} appends meanwhile, {loop.sizes_seen} log sizes seen"
    )
    assert loop.errors == []
    assert loop.false_alarms == 0, loop.examples
    assert loop.runs == RUNS, f"only {loop.runs} runs"
    # the runs saw the log grow: many caught it between two appends
    assert loop.appends > RUNS // 2 and loop.sizes_seen > RUNS // 5, "the writers were not writing"
    assert book.verify() == []


def test_a_read_sees_one_snapshot(book, backend):
    """The reason the loop above finds nothing: inside one `db.read` an append committed meanwhile (another
    connection) is not seen, on either back end; PostgreSQL reads at REPEATABLE READ, read-only."""
    with db.read(book.engine) as conn:
        before = log.count(conn, book.corp_id)
        assert not storehelp.append_one(book, "s", 0).refused  # committed on another connection
        assert log.count(conn, book.corp_id) == before
        if backend == "postgresql":
            assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
            assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
    with db.read(book.engine) as conn:
        assert log.count(conn, book.corp_id) == before + 1
