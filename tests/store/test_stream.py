"""`store.log.stream`: the history in effective order (date, then sequence), read in stretches of consecutive
sequences, or sorted by the database where the stretches would be many; both give the same order, on both back
ends, with and without a date and a type."""

from __future__ import annotations

import random
import sqlite3
from array import array
from datetime import date, timedelta
from decimal import Decimal

import pytest
from storehelp import ON, R_ISSUE, approve_issues, rows

from minutebook.core.errors import MinutebookError
from minutebook.store import log


def _expected(raw, until: str | None = None, types: tuple[str, ...] | None = None) -> list[int]:
    got = rows(raw, "SELECT seq, effective_on, type FROM events")
    keep = [
        (on, seq)
        for seq, on, kind in got
        if (until is None or on <= until) and (types is None or kind in types)
    ]
    return [seq for _, seq in sorted(keep)]


@pytest.fixture
def scrambled(book):
    """The Auxer Group with 40 holders added on dates out of the order they were recorded in: stretches of
    consecutive sequences, some of one event, some of several."""
    rng = random.Random(7)
    days = [ON + timedelta(days=rng.randrange(0, 400)) for _ in range(12)]
    for i in range(40):
        on = days[i // 4] if i % 5 else days[rng.randrange(len(days))]
        r = book.add_holder(f"h{i}", f"Holder {i}", on=on)
        assert not r.refused, r.findings
    return book


@pytest.mark.parametrize("stretches", [True, False])  # read stretch by stretch, or sorted by the database
def test_the_stream_is_in_effective_order_either_way(scrambled, raw, monkeypatch, backend, stretches):
    asked = []
    monkeypatch.setattr(log, "_in_stretches", lambda n, runs: asked.append(runs) or stretches)
    history = scrambled.history()
    assert [e.seq for e in history.events()] == _expected(raw)
    until = date(2000, 7, 1)
    assert [e.seq for e in history.events(until)] == _expected(raw, until.isoformat())
    holders = ("StakeholderAdded",)
    got = list(history.events(until, holders))
    assert [e.seq for e in got] == _expected(raw, until.isoformat(), holders)
    assert got and all(x.body.TYPE == "StakeholderAdded" for x in got)
    if (
        backend == "sqlite"
    ):  # PostgreSQL sorts the rows itself, on the server, streaming them through a cursor
        assert max(asked) > 10  # the history is out of order: many stretches


def test_a_log_in_date_order_is_one_stretch_and_a_scrambled_one_many():
    assert log._in_stretches(1_000_000, 1)
    assert log._in_stretches(1_000_000, 15_000)
    assert not log._in_stretches(1_000_000, 20_000)
    assert log._in_stretches(40, 16) and not log._in_stretches(40, 17)


def test_the_events_streamed_are_those_loaded(scrambled):
    history = scrambled.history()
    by_seq = {e.seq: e for e in scrambled.events}
    streamed = list(history.events())
    assert len(streamed) == len(by_seq)
    for e in streamed:
        assert e == by_seq[e.seq]


@pytest.mark.parametrize(
    ("seqs", "runs"),
    [
        ([], []),
        ([5], [(5, 5)]),
        ([1, 2, 3], [(1, 3)]),
        ([3, 1, 2], [(3, 3), (1, 2)]),
        ([1, 2, 7, 8, 9, 4], [(1, 2), (7, 9), (4, 4)]),
        ([2, 1], [(2, 2), (1, 1)]),
    ],
)
def test_runs(seqs, runs):
    assert log._runs(array("q", seqs)) == runs


def test_a_row_that_is_not_utf8_is_one_error_naming_verify(scrambled, db_url, backend):
    if backend != "sqlite":
        pytest.skip("a TEXT value that is not UTF-8 is SQLite's (PostgreSQL refuses to store one)")
    scrambled.close()
    con = sqlite3.connect(db_url)
    con.execute("DROP TRIGGER events_no_update")
    con.execute("UPDATE events SET actor = CAST(x'ff00fe' AS TEXT) WHERE seq = 12")
    con.commit()
    con.close()
    with pytest.raises(MinutebookError, match="minutebook verify"):
        list(scrambled.history().events())


_HOLDER_FIELDS = ("holder_id", "from_holder", "to_holder")
_CERT_FIELDS = ("certificate", "new_certificate", "balance_certificate")


def _names(e, hid: str) -> bool:
    return any(getattr(e.body, f, None) == hid for f in _HOLDER_FIELDS)


def _certified(e) -> bool:
    return any(getattr(e.body, f, None) for f in _CERT_FIELDS)


@pytest.fixture
def dealt(book):
    """The Auxer Group with holders whose ids are prefixes of one another (`h1`, `h10`) or need escaping in JSON,
    shares issued with and without certificates, transferred, cancelled, split 2-for-1; an issuance to `h2`
    corrected to `h1`, one to `h1` corrected to `h2`, one voided."""
    approve_issues(book, ON)
    ids = ("h1", "h10", "h2", 'Zoë "Z" \\ Ltd')
    for i, hid in enumerate(ids):
        assert not book.add_holder(hid, f"Holder {i}", on=ON).refused
    day = iter(ON + timedelta(days=n) for n in range(1, 100))

    def ok(r):
        assert not r.refused, r.findings
        return r.event.seq

    kw = {"price_per_share": Decimal("0.01"), "approved_by": R_ISSUE}
    ok(book.issue("h1", "common", 1_000, on=next(day), certificate="C-1", **kw))
    ok(book.issue("h10", "common", 500, on=next(day), **kw))
    moved = ok(book.issue("h2", "common", 300, on=next(day), **kw))
    back = ok(book.issue("h1", "common", 70, on=next(day), **kw))
    gone = ok(book.issue("h10", "common", 40, on=next(day), **kw))
    ok(book.issue(ids[3], "common", 90, on=next(day), certificate="C-2", **kw))
    ok(book.transfer("h1", "h2", "common", 400, on=next(day), certificate="C-1", new_certificate="C-3",
                     balance_certificate="C-4"))  # fmt: skip
    ok(book.transfer("h10", ids[3], "common", 100, on=next(day)))
    ok(book.cancel("h2", "common", 10, on=next(day)))
    ok(book.split("common", 1, 2, on=next(day), historical=True))
    ok(book.correct(moved, {"holder_id": "h1"}, reason="the wrong holder", on=next(day), historical=True))
    ok(book.correct(back, {"holder_id": "h2"}, reason="the wrong holder", on=next(day), historical=True))
    ok(book.void(gone, reason="never made", on=next(day), approved_by=R_ISSUE, historical=True))
    return book, ids


@pytest.mark.parametrize(
    "kept", [500, 0]
)  # the corrected events named in the query; none: no prefilter at all
def test_a_prefilter_reads_every_event_it_is_asked_for_and_fewer_others(dealt, backend, monkeypatch, kept):
    """An id's prefilter, matched by the database on the stored text, gives every event of the history naming the
    id (a corrected event's replacement too, whatever its original named), in the same order, and the types it
    spares; a prefilter by fields gives every event with a value in one of them; each leaves others out."""
    monkeypatch.setattr(log, "NAMED_KEPT", kept)
    book, ids = dealt
    history = book.history()
    whole = list(history.events())
    for hid in (*ids, "nobody"):
        got = list(history.events(naming=hid, unnamed=("StockSplit",)))
        assert [e for e in got if _names(e, hid)] == [e for e in whole if _names(e, hid)], hid
        assert [e.seq for e in got if e.type == "StockSplit"] == [
            e.seq for e in whole if e.type == "StockSplit"
        ]
        assert (len(got) < len(whole)) == (kept > 0), hid
    issued = ("SharesIssued",)
    assert [e.body.shares for e in history.events(types=issued, naming="h1") if _names(e, "h1")] == [
        1_000,
        300,
    ]
    assert [e.body.shares for e in history.events(types=issued, naming="h2") if _names(e, "h2")] == [70]
    got = list(history.events(holding=_CERT_FIELDS))
    assert [e for e in got if _certified(e)] == [e for e in whole if _certified(e)]
    # the three acts naming a certificate, and the two corrected issuances still in the history (read whatever
    # they hold: their replacements might name one); without the prefilter, everything
    assert len(got) == (3 + 2 if kept else len(whole))
    before = list(history.events(date(1999, 12, 31), naming="h1"))  # by its dates too
    assert all(e.effective_on <= date(1999, 12, 31) for e in before) and not [
        e for e in before if _names(e, "h1")
    ]
    assert (len(before) > 0) == (kept == 0)  # the charter's events, read when nothing is prefiltered


def test_a_prefilter_on_a_field_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="not a field name"):
        log.Prefilter(holding=("x') OR 1=1 --",)).sqlite()


def test_a_books_histories_read_its_corrections_again_only_once_the_log_has_moved(dealt, monkeypatch):
    """The corrections a book's history streams apply are read once and kept with the log's head: another stream
    reads none, until another writer appends (a voiding, here), which the next stream then applies."""
    from minutebook.book.create import open_book

    book, _ = dealt
    read = []
    real = log.stream
    monkeypatch.setattr(log, "stream", lambda *a, **k: read.append(k.get("types")) or real(*a, **k))
    first = [e.seq for e in book.history().events()]
    again = [e.seq for e in book.history().events(types=("SharesIssued",))]
    assert again and set(again) < set(first)
    assert read.count(("Correction",)) == 1
    other = open_book(book.url)
    issued = again[0]
    assert not other.void(issued, reason="never made", approved_by=R_ISSUE, historical=True).refused
    after = [e.seq for e in book.history().events()]
    assert issued in first and issued not in after and read.count(("Correction",)) == 2
    assert book.history().last_date() == max(e.effective_on for e in other.events)
    assert read.count(("Correction",)) == 2


def test_corrections_kept_from_a_block_rolled_back_are_not_applied_after_it(dealt):
    """The corrections a stream keeps are tied to the log's head by its hash: a voiding read inside an `atomic()`
    block that is then rolled back is forgotten, even once another event takes its sequence."""
    book, _ = dealt
    issued = next(e.seq for e in book.history().events(types=("SharesIssued",)))
    with pytest.raises(RuntimeError), book.atomic():
        assert not book.void(issued, reason="never made", approved_by=R_ISSUE, historical=True).refused
        assert issued not in [e.seq for e in book.history().events()]  # read (and kept) inside the block
        raise RuntimeError("rolled back")
    n = book.count
    assert not book.add_holder("h99", "Late Holder", on=ON + timedelta(days=200)).refused
    assert book.count == n + 1
    assert issued in [e.seq for e in book.history().events()]


# --- the index of the acts ----------------------------------------------------------------------------------------


def test_the_acts_are_read_through_their_index_and_the_ledger_writes_none_of_it(scrambled, raw, backend):
    """A question about events of no bulk type (the charter, the board's acts: `schema.BULK_TYPES`) reads them through
    `ix_events_acts`, whose condition the query repeats word for word; a stream of such types and of a bulk one gives
    the same events as a filter of every row; the ledger's events and the holders are not in the index."""
    from minutebook.store.schema import ACTS_ONLY, BULK_TYPES

    acts = ("Incorporated", "CharterAmended", "BoardSizeFixed", "Correction")
    with scrambled.engine.connect() as conn:
        for types in (acts, ("StakeholderAdded",), (*acts, "StakeholderAdded")):
            assert [e.seq for e in log.stream(conn, scrambled.corp_id, types=types)] == _expected(
                raw, types=types
            )
            assert log.acts_only(types) == (types == acts)
    if backend == "sqlite":
        where = log._of_types(acts)
        assert where.endswith(ACTS_ONLY)
        con = sqlite3.connect(
            raw.url.database
        )  # the plan asked of the driver, its placeholders as the store's
        try:
            plan = con.execute(
                f"EXPLAIN QUERY PLAN SELECT seq FROM events WHERE corporation_id = ? AND seq > ? AND {where}",
                (scrambled.corp_id, 0, *acts),
            ).fetchall()
            indexed = con.execute(
                f"SELECT count(*) FROM events INDEXED BY ix_events_acts WHERE corporation_id = ? AND {ACTS_ONLY}",
                (scrambled.corp_id,),
            ).fetchone()[0]
        finally:
            con.close()
        assert any("INDEX ix_events_acts " in str(step) for step in plan), plan
        total = rows(raw, "SELECT count(*) FROM events")[0][0]
        held = rows(
            raw, f"SELECT count(*) FROM events WHERE type IN ({', '.join(repr(t) for t in BULK_TYPES)})"
        )[0][0]
        assert (
            held >= 40 and indexed == total - held
        )  # the 40 holders and the ledger's events: not in the index
    else:
        (definition,) = rows(raw, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_events_acts'")[0]
        assert all(f"'{t}'" in definition for t in BULK_TYPES), definition


def test_the_acts_index_condition_is_the_one_migration_0010_wrote():
    """A partial index serves only a query repeating its condition: `schema.ACTS_ONLY` is the migration's, and every
    type it names is an event type."""
    import importlib.util
    from pathlib import Path

    from minutebook.core.events import BODY_TYPES
    from minutebook.store import schema

    path = Path(log.__file__).parent / "migrations" / "versions" / "0010_acts_index.py"
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.WHERE == schema.ACTS_ONLY
    assert set(schema.BULK_TYPES) <= {t.TYPE for t in BODY_TYPES.values()}
