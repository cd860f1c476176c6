"""Position marks (`store.marks`) on SQLite and PostgreSQL: made as the log grows, added to by a back-dated act,
named by `verify` when edited behind minutebook's back, made again by `rebuild`; a book from before marks gets them
with its next append."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from storehelp import approve_issues, sql

from minutebook.store import marks
from minutebook.store.projections import positions_at, positions_on

START = date(1998, 1, 5)


def _issue_daily(book, n: int, first: date = START) -> None:
    for i in range(n):
        r = book.issue(f"h{i % 3}", "common", 100 + i, on=first + timedelta(days=i),
                       price_per_share=Decimal("0.001"), approved_by="R-ISSUE")  # fmt: skip
        assert not r.refused, r.findings


def _days(book) -> list[str]:
    with book.engine.connect() as conn:
        return [m for m, _ in marks.listed(conn, book.corp_id) if m]


def test_marks_follow_the_log_and_verify_names_an_edited_one(book, raw, monkeypatch):
    monkeypatch.setattr(marks, "EVERY", 2)
    approve_issues(book, START)
    for h in ("h0", "h1", "h2"):
        book.add_holder(h, h.upper(), on=START)
    _issue_daily(book, 8)
    made = _days(book)
    assert len(made) >= 2 and made[-1] < (START + timedelta(days=7)).isoformat()  # never on the latest day
    # a back-dated issuance: every mark from its day on holds it
    r = book.issue("h1", "common", 5_000, on=START, price_per_share=Decimal("0.001"), approved_by="R-ISSUE")
    assert not r.refused, r.findings
    with book.engine.connect() as conn:
        for m in made:
            assert marks.at_mark(conn, book.corp_id, m) == positions_at(conn, book.corp_id, m)
        middle = (START + timedelta(days=4)).isoformat()
        assert positions_on(conn, book.corp_id, middle) == positions_at(conn, book.corp_id, middle)
    assert book.verify() == []

    sql(
        raw,
        "UPDATE position_marks SET shares = shares + 7 WHERE mark_on = :m AND holder_id = 'h1'",
        m=made[0],
    )
    problems = book.verify()
    assert any(p.startswith(f"projection: position marks: on {made[0]}: h1 in common") for p in problems), (
        problems
    )
    book.rebuild()
    assert book.verify() == []


def test_a_book_from_before_marks_gets_them_with_its_next_append(book, raw, monkeypatch):
    monkeypatch.setattr(marks, "EVERY", 3)
    approve_issues(book, START)
    book.add_holder("h0", "H0", on=START)
    book.add_holder("h1", "H1", on=START)
    book.add_holder("h2", "H2", on=START)
    _issue_daily(book, 6)
    sql(
        raw, "DELETE FROM position_marks", "DELETE FROM position_mark_dates"
    )  # as migration 0004 leaves a book
    assert _days(book) == []
    day = (START + timedelta(days=2)).isoformat()
    with book.engine.connect() as conn:
        assert positions_on(conn, book.corp_id, day) == positions_at(conn, book.corp_id, day)
    _issue_daily(book, 1, START + timedelta(days=30))
    assert len(_days(book)) >= 2
    assert book.verify() == []


def test_an_act_back_dated_between_marks_is_added_to_the_later_ones_only(book, monkeypatch):
    """An append reads the latest mark alone unless an entry is dated on or before its day: then every mark."""
    monkeypatch.setattr(marks, "EVERY", 2)
    approve_issues(book, START)
    for h in ("h0", "h1", "h2"):
        book.add_holder(h, h.upper(), on=START)
    _issue_daily(book, 10)
    made = _days(book)
    assert len(made) >= 3, made
    with book.engine.connect() as conn:
        before = {m: marks.at_mark(conn, book.corp_id, m) for m in made}
    on = date.fromisoformat(made[1])  # on the second mark's day: it and the later ones hold it
    r = book.issue("h2", "common", 777, on=on, price_per_share=Decimal("0.001"), approved_by="R-ISSUE")
    assert not r.refused, r.findings
    with book.engine.connect() as conn:
        for m in made:
            now = marks.at_mark(conn, book.corp_id, m)
            assert now == positions_at(conn, book.corp_id, m)
            grew = now.get(("h2", "common", ""), 0) - before[m].get(("h2", "common", ""), 0)
            assert grew == (777 if m >= made[1] else 0), (m, grew)
    assert book.verify() == []
