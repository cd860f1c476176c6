"""Property: on random event streams appended through the Book — holders, issuances within and beyond the
authorized shares, transfers, cancels, repurchases, resales from treasury, conversions and splits, some back-dated — the
stored projections agree with a pure replay of the log: the `balances` view with the latest state, and a SQL
sum of `ledger_entries` up to a date with `replay(events, as_of)` on that date (SQLite, for speed)."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from storehelp import AUXER, R_ISSUE, approve_issues

from minutebook.book import Book, create, open_book, snapshot
from minutebook.cli.book_common import known, known_from_events
from minutebook.core.captable import cap_table
from minutebook.core.replay import replay
from minutebook.store import marks
from minutebook.store.projections import TREASURY, positions_on

INCORPORATED = date(1997, 7, 31)
HOLDERS = ["h0", "h1", "h2", "h3"]
CLASSES = ["common", "preferred"]
PAR = Decimal("0.001")

days = st.integers(0, 5 * 365)  # 1997-07-31 .. 2002: across both amendments
shares = st.one_of(st.integers(1, 2_000), st.integers(1, 40_000_000))
holder = st.sampled_from(HOLDERS)
cls = st.sampled_from(CLASSES)
op = st.one_of(
    st.tuples(st.just("issue"), holder, cls, shares, days),
    st.tuples(st.just("issue"), holder, cls, shares, days),
    st.tuples(st.just("transfer"), holder, holder, cls, shares, days),
    st.tuples(st.just("cancel"), holder, cls, shares, days),
    st.tuples(st.just("repurchase"), holder, cls, shares, days),
    st.tuples(st.just("resell"), holder, cls, shares, days),
    st.tuples(st.just("split"), cls, st.sampled_from([(1, 2), (2, 1), (1, 3), (3, 2)]), days),
    st.tuples(st.just("convert"), holder, cls, shares, cls, shares, days),
    st.tuples(st.just("holder"), days),
)
# an issuance scheduled after today (`scheduled=True`): pending, out of today's views until its date
scheduled = st.tuples(st.just("scheduled"), holder, cls, shares, st.integers(1, 400))


@pytest.fixture(scope="module")
def template(tmp_path_factory, auxer_read):
    """An SQLite book with the Auxer charter, a board resolution authorising issuances (`R_ISSUE`) and four
    holders, all from incorporation, copied for each example."""
    d = tmp_path_factory.mktemp("template")
    book = create(str(d / "mb.db"), auxer_read, [AUXER])
    approve_issues(book, INCORPORATED)
    for h in HOLDERS:
        book.add_holder(h, h.upper())
    book.engine.dispose()  # checkpoints the WAL into the file
    return d / "mb.db"


def fresh(template, tmp_path_factory) -> Book:
    d = tmp_path_factory.mktemp("prop", numbered=True)
    path = d / "mb.db"
    for suffix in ("", "-wal", "-shm"):
        src = template.with_name(template.name + suffix)
        if src.exists():
            shutil.copy(src, d / (path.name + suffix))
    return open_book(str(path))


def play(book: Book, ops, historical: bool) -> int:
    kept = 0
    for o in ops:
        kind, on = o[0], INCORPORATED + timedelta(days=o[-1])
        if kind == "scheduled":
            _, h, c, n, _ = o
            r = book.issue(
                h,
                c,
                n,
                on=date.today() + timedelta(days=o[-1]),
                price_per_share=PAR,
                approved_by=R_ISSUE,
                historical=historical,
                scheduled=True,
            )
        elif kind == "issue":
            _, h, c, n, _ = o
            r = book.issue(h, c, n, on=on, price_per_share=PAR, approved_by=R_ISSUE, historical=historical)
        elif kind == "resell":
            _, h, c, n, _ = o
            r = book.issue(
                h,
                c,
                n,
                on=on,
                price_per_share=Decimal(0),
                from_treasury=True,
                approved_by=R_ISSUE,
                historical=historical,
            )
        elif kind == "transfer":
            _, a, b, c, n, _ = o
            r = book.transfer(a, b, c, n, on=on, historical=historical)
        elif kind == "cancel":
            _, h, c, n, _ = o
            r = book.cancel(h, c, n, on=on, historical=historical)
        elif kind == "repurchase":
            _, h, c, n, _ = o
            r = book.repurchase(
                h, c, n, on=on, price_per_share=PAR, historical=historical, approved_by="R-BUY"
            )
        elif kind == "convert":
            _, h, c, n, c2, n2, _ = o
            r = book.convert(h, c, n, c2, n2, on=on, historical=historical)
        elif kind == "split":
            _, c, (f, t), _ = o
            r = book.split(c, f, t, on=on, historical=historical)
        else:
            r = book.add_holder(f"n{uuid.uuid4().hex[:6]}", "New", on=on)
        if historical and kind != "holder":  # `add_holder` has no historical mode
            assert not r.refused, r.findings
        kept += not r.refused
    return kept


def stored_balances(conn, corp_id: int) -> dict:
    q = sa.text("SELECT holder_id, class_key, series_key, shares FROM balances WHERE corporation_id = :c")
    return {(h, c, s): n for h, c, s, n in conn.execute(q, {"c": corp_id}) if n}


def ledger_sum(conn, corp_id: int, as_of: date) -> dict:
    q = sa.text(
        "SELECT holder_id, class_key, series_key, SUM(delta) FROM ledger_entries "
        "WHERE corporation_id = :c AND effective_on <= :d GROUP BY holder_id, class_key, series_key"
    )
    return {(h, c, s): int(n) for h, c, s, n in conn.execute(q, {"c": corp_id, "d": as_of.isoformat()}) if n}


def probe_dates(events, probe) -> list[date]:
    """Every event's date and the day before it, the probed days, and a day after everything."""
    on_dates = {e.effective_on for e in events}
    return sorted(
        on_dates
        | {d - timedelta(days=1) for d in on_dates}
        | {INCORPORATED + timedelta(days=p) for p in probe}
        | {date(2100, 1, 1)}
    )


def replayed(events, as_of: date) -> dict:
    s = replay(events, as_of)
    out = {(h, c, x or ""): n for (h, c, x), n in s.balances.items() if n}
    out.update({(TREASURY, c, x or ""): n for (c, x), n in s.treasury.items() if n})
    return out


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, min_size=2, max_size=16), historical=st.booleans(), probe=st.lists(days, max_size=3))
def test_projections_agree_with_replay(template, tmp_path_factory, ops, historical, probe):
    book = fresh(template, tmp_path_factory)
    setup = len(book.events)  # the template's: the charter, the approval, the holders
    try:
        kept = play(book, ops, historical)
        event(f"kept {min(kept, 10) // 5 * 5}+ of the actions")
        events = open_book(book.url.removeprefix("sqlite:///")).events  # read back from the log
        assert [e.seq for e in events] == [e.seq for e in book.events]
        mine = [e for e in events if e.seq > setup]
        seqs_by_date = [e.seq for e in sorted(mine, key=lambda e: (e.effective_on, e.seq))]
        if seqs_by_date != sorted(seqs_by_date):
            event("some kept event was back-dated")
        if any(e.type == "StockSplit" for e in mine):
            event("kept a split")
        dates = probe_dates(events, probe)
        with book.engine.connect() as conn:
            assert stored_balances(conn, book.corp_id) == replayed(events, date.max)
            for d in dates:
                assert ledger_sum(conn, book.corp_id, d) == replayed(events, d), d
        for d in dates:  # the cap table: live fold at the latest date, ledger projection before it
            assert book.cap_table(d).to_json() == cap_table(replay(events, d)).to_json(), d
        assert book.verify() == []
    finally:
        book.engine.dispose()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(op, min_size=4, max_size=24),
    historical=st.booleans(),
    every=st.integers(1, 4),
    probe=st.lists(days, max_size=3),
)
def test_positions_from_marks_agree_with_the_whole_sum(
    template, tmp_path_factory, monkeypatch, ops, historical, every, probe
):
    """With a mark every `every` entries (`store.marks`), back-dated acts and all: the positions on every date —
    the nearest mark plus the entries after it — equal the sum of every entry up to the date and a replay; the marks
    agree with the entries (`verify`), and again after a rebuild."""
    monkeypatch.setattr(marks, "EVERY", every)
    book = fresh(template, tmp_path_factory)
    try:
        play(book, ops, historical)
        events = open_book(book.url.removeprefix("sqlite:///")).events
        dates = probe_dates(events, probe)
        with book.engine.connect() as conn:
            made = [m for m, _ in marks.listed(conn, book.corp_id) if m]
            if len(made) > 1:
                event("two marks or more")
            for d in dates:
                assert positions_on(conn, book.corp_id, d.isoformat()) == ledger_sum(conn, book.corp_id, d), (
                    d,
                    made,
                )
            assert marks.check(conn, book.corp_id) == []
        for d in dates:
            assert book.cap_table(d).to_json() == cap_table(replay(events, d)).to_json(), d
        assert book.verify() == []
        book.rebuild()  # marks made again, all at once (their days may differ from those made act by act)
        with book.engine.connect() as conn:
            assert marks.check(conn, book.corp_id) == []
            for d in dates:
                assert positions_on(conn, book.corp_id, d.isoformat()) == ledger_sum(conn, book.corp_id, d)
    finally:
        book.engine.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(op, scheduled), min_size=1, max_size=12), historical=st.booleans())
def test_the_names_a_command_checks_are_those_the_events_give(
    template, tmp_path_factory, monkeypatch, ops, historical
):
    """`cli.book_common.known` from what the book keeps as it folds (`Book.names`) equals `known` worked out from
    every event, on the book as recorded and on the book opened again from its fold snapshot, acts scheduled after
    today among them."""
    monkeypatch.setattr(snapshot, "FROM", 1)
    book = fresh(template, tmp_path_factory)
    try:
        play(book, ops, historical)
        assert known(book) == known_from_events(book)
        book.close()
        keys = template.parent / f".{template.name}.keys"  # the template's key: the snapshot's seal
        path = book.url.removeprefix("sqlite:///")
        shutil.copytree(keys, Path(path).parent / f".{Path(path).name}.keys", dirs_exist_ok=True)
        again = open_book(path)  # reads whole and keeps a snapshot
        again.close()
        again = open_book(path)
        assert again._log._fetch is not None  # from the snapshot
        got = known(again)
        assert again._log._fetch is not None  # ... without reading an event
        assert got == known_from_events(again)
        again.close()
    finally:
        book.engine.dispose()
