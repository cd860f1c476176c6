"""Position marks (`store.marks`) on SQLite and PostgreSQL: made as the log grows, added to by a back-dated act,
named by `verify` when edited behind minutebook's back, made again by `rebuild`; a book from before marks gets them
with its next append."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import storehelp
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


def test_the_head_lock_reads_the_latest_mark(book, monkeypatch):
    """`log.lock_head` reads the latest mark with the head (on PostgreSQL in the same round trip), as `marks.LATEST`
    reads it: none before the first entry, then "" and each new latest mark with the sequence it was looked for at."""
    from minutebook.store import db, log

    def both():
        with (
            book.engine.connect() as conn,
            db.immediate(conn) if conn.dialect.name == "sqlite" else conn.begin(),
        ):
            head = log.lock_head(conn, book.corp_id)
            rows = db.fetch(conn, marks.LATEST, (book.corp_id,))
            return head.mark, (rows[0][0], int(rows[0][1])) if rows else None

    monkeypatch.setattr(marks, "EVERY", 2)
    assert both() == (None, None)
    approve_issues(book, START)
    for h in ("h0", "h1", "h2"):
        book.add_holder(h, h.upper(), on=START)
    seen = set()
    for i in range(6):
        _issue_daily(book, 1, START + timedelta(days=i))
        got, read = both()
        assert got == read and got is not None
        seen.add(got)
    assert ("", 0) not in seen and len({day for day, _ in seen}) >= 2  # marks made as the log grew, each read


def test_still_says_whether_update_writes_nothing(tmp_path, auxer_read, monkeypatch):
    """`marks.still`, which lets an act's commit go with its writes on PostgreSQL, is true exactly when `update`
    would write nothing: checked against `update` itself on a real book, the changes SQLite counts."""
    from minutebook.book import create
    from minutebook.store import db

    monkeypatch.setattr(marks, "EVERY", 3)
    book = create(str(tmp_path / "mb.db"), auxer_read, [storehelp.AUXER])
    approve_issues(book, START)
    book.add_holder("h0", "H0", on=START)  # no ledger entry, so no mark yet: each case writes its own
    day = (START + timedelta(days=2)).isoformat()
    cases = [
        ([], [(day, "h0", "common", "", 5)], 10),  # no mark yet: "" is made
        ([("", 8)], [(day, "h0", "common", "", 5)], 9),  # nothing due
        ([("", 8)], [(day, "h0", "common", "", 5)], 11),  # a look for new marks is due
        ([("", 0), (day, 9)], [(day, "h0", "common", "", 5)], 10),  # an entry on the mark's day
        ([("", 0), (day, 9)], [(START.isoformat(), "h0", "common", "", 5)], 10),  # behind it
        ([("", 0), (day, 9)], [("2099-01-01", "h0", "common", "", 5)], 10),  # after it
        ([("", 0), (day, 9)], [("2099-01-01", "h0", "common", "", 5)], 12),  # after it, a look due
    ]
    for have, rows, seq in cases:
        conn = book.engine.connect()
        raw = conn.connection.driver_connection
        try:
            with db.immediate(conn):
                for m, checked in have:  # the marks `have` names, as the book would hold them
                    raw.execute(
                        "INSERT INTO position_mark_dates (corporation_id, mark_on, checked_seq) VALUES (?, ?, ?)",
                        (book.corp_id, m, checked),
                    )
                before = raw.total_changes
                marks.update(conn, book.corp_id, rows, seq, have=list(have))
                wrote = raw.total_changes != before
                db.rollback(conn)
        finally:
            conn.close()
        assert marks.still(have, rows, seq) is not wrote, (have, rows, seq)
