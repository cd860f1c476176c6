"""`store.log.stream`: the history in effective order (date, then sequence), read in stretches of consecutive
sequences, or sorted by the database where the stretches would be many; both give the same order, on both back
ends, with and without a date and a type."""

from __future__ import annotations

import random
import sqlite3
from array import array
from datetime import date, timedelta

import pytest
from storehelp import ON, rows

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
