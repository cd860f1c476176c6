"""The web app's issued-shares chart (`Served.issued_history`) on SQLite and PostgreSQL: read once from the ledger
projection, then caught up with the acts appended since (by the server's book or by another process) from their own
ledger entries, and read again whole when they are not simply later acts (one dated before the last change, a split,
a correction). Every answer equals the one a server opening the book afresh gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from storehelp import PAR, R_ISSUE, ledger_book

from minutebook.book import open_book
from minutebook.book.served import Served
from minutebook.store import projections

UNTIL = date(2030, 1, 1)


@pytest.fixture
def served(book, monkeypatch):
    """The ledger book served, and the whole reads of the projection it makes counted."""
    ledger_book(book)
    reads = []
    whole = projections.issued_by_date
    monkeypatch.setattr(projections, "issued_by_date", lambda *a: reads.append(1) or whole(*a))
    s = Served(book)
    s.reads = reads
    return s


def fresh(s: Served) -> dict:
    """What a server opening the book now answers."""
    return Served(open_book(s.book.url)).issued_history(UNTIL)


def test_later_acts_are_added_and_others_read_again(served):
    s, book = served, served.book
    assert s.issued_history(UNTIL) == fresh(s) and len(s.reads) == 2
    day = book.last_effective
    steps = [  # (the act, whether the chart can go on from what it holds)
        (lambda: book.issue("alice", "common", 7, on=day, price_per_share=PAR, approved_by=R_ISSUE), True),
        (lambda: book.transfer("alice", "bob", "common", 3, on=day + timedelta(days=1)), True),
        (lambda: book.cancel("bob", "common", 2, on=day + timedelta(days=2)), True),
        (lambda: book.add_holder("dan", "Dan", on=day + timedelta(days=2)), True),
        (lambda: book.issue("carol", "common", 9, on=date(1998, 5, 1), price_per_share=PAR, approved_by=R_ISSUE),
         False),  # back-dated
        (lambda: book.void(book.count, reason="entered in error", on=day + timedelta(days=3), historical=True),
         False),
        (lambda: book.split("common", 1, 2, on=day + timedelta(days=4), historical=True), False),
        (lambda: book.issue("dan", "common", 5, on=day + timedelta(days=5), price_per_share=PAR,
                            approved_by=R_ISSUE), True),
    ]  # fmt: skip
    for act, goes_on in steps:
        r = act()
        assert r.event is not None, r.findings
        before = len(s.reads)
        s.fresh()
        assert s.issued_history(UNTIL) == fresh(s), r.event
        assert len(s.reads) == before + 1 + (not goes_on), (r.event, goes_on)  # (+1: `fresh`'s own server)


def test_another_writers_act_is_caught_up(served):
    s = served
    s.issued_history(UNTIL)
    other = open_book(s.book.url)
    r = other.issue("bob", "common", 11, on=other.last_effective, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.event is not None, r.findings
    other.close()
    before = len(s.reads)
    s.fresh()
    got = s.issued_history(UNTIL)
    assert len(s.reads) == before  # the new act's entries added: no whole read
    assert got == fresh(s)
