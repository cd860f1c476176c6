"""The log is append-only, and `verify` names every change made to it directly with SQL (the sequence and
what differs); a tampered projection is named too, and `rebuild` derives it again from the log."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from storehelp import (
    HOLDER_BOB,
    ISSUE_ALICE,
    ISSUE_BOB,
    TRANSFER,
    N,
    drop_append_only,
    n_events,
    rows,
    scalar,
    sql,
)

from minutebook.book import Book, open_book
from minutebook.core.events import Event, SharesIssued
from minutebook.store.log import to_row

PAR = Decimal("0.001")


def named(problems: list[str], seq: int) -> list[str]:
    """The problems that name event `seq`."""
    return [p for p in problems if re.match(rf"event {seq}:", p)]


# --- append-only --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE events SET payload = '{{}}' WHERE seq = {ISSUE_ALICE}",
        "UPDATE events SET seq = seq + 100",
        f"DELETE FROM events WHERE seq = {ISSUE_ALICE}",
        "DELETE FROM events",
    ],
)
def test_events_cannot_be_updated_or_deleted(ledger, raw, statement):
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        sql(raw, statement)
    assert n_events(raw) == N
    assert ledger.verify() == []


def test_events_cannot_be_truncated(ledger, raw):
    """TRUNCATE skips row triggers on PostgreSQL: the log needs a statement-level TRUNCATE trigger too.
    (SQLite has no TRUNCATE; its DELETE without WHERE fires the row triggers.)"""
    if raw.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        sql(raw, "TRUNCATE events")
    assert n_events(raw) == N


# --- verify -------------------------------------------------------------------------------------------


def test_intact_book_verifies(ledger, db_url):
    assert ledger.verify() == []
    assert open_book(db_url).verify() == []


def test_edited_payload_is_named(ledger, raw):
    drop_append_only(raw)
    payload = scalar(raw, "SELECT payload FROM events WHERE seq = :s", s=ISSUE_BOB)
    assert '"shares":2000' in payload
    sql(
        raw,
        "UPDATE events SET payload = :p WHERE seq = :s",
        p=payload.replace('"shares":2000', '"shares":9000'),
        s=ISSUE_BOB,
    )
    problems = ledger.verify()
    assert named(problems, ISSUE_BOB) and "edited" in named(problems, ISSUE_BOB)[0], problems
    assert not named(problems, ISSUE_BOB - 1) and not named(problems, ISSUE_BOB + 1), problems  # only it
    entry = (
        f"projection: the dated ledger entries: event {ISSUE_BOB}: the entry of bob in common reads +2,000"
    )
    assert any(p.startswith(entry) and "the log gives +9,000" in p for p in problems), problems


@pytest.mark.parametrize(
    "column,value",
    [
        ("effective_on", "1997-12-31"),
        ("bound", "on_or_before"),
        ("actor", "mallory"),
        ("type", "SharesCancelled"),
        ("recorded_at", "2001-01-01T00:00:00.000000+00:00"),
        ("source", '{"path": "forged.txt"}'),
        ("prev_hash", "0" * 64),
    ],
)
def test_edited_envelope_is_named(ledger, raw, column, value):
    drop_append_only(raw)
    sql(raw, f"UPDATE events SET {column} = :v WHERE seq = :s", v=value, s=TRANSFER)
    problems = ledger.verify()
    assert named(problems, TRANSFER), problems


def test_unreadable_payload_is_named(ledger, raw, db_url):
    drop_append_only(raw)
    sql(raw, "UPDATE events SET payload = 'not json {' WHERE seq = :s", s=ISSUE_ALICE)
    problems = open_book(db_url).verify()
    assert named(problems, ISSUE_ALICE) and "edited" in named(problems, ISSUE_ALICE)[0], problems


@pytest.mark.parametrize("seq", [HOLDER_BOB, ISSUE_BOB])
def test_deleted_event_is_named(ledger, raw, seq):
    drop_append_only(raw)
    sql(raw, "DELETE FROM events WHERE seq = :s", s=seq)
    problems = ledger.verify()
    assert named(problems, seq) and "deleted" in named(problems, seq)[0], problems
    assert named(problems, seq + 1), problems  # its successor no longer links to the event before it


def test_deleted_last_event_is_named(ledger, raw):
    drop_append_only(raw)
    sql(raw, "DELETE FROM events WHERE seq = :s", s=N)
    problems = ledger.verify()
    assert named(problems, N) and "head" in named(problems, N)[0], problems


def forged(ledger: Book, raw: sa.Engine, seq: int, prev_hash: str) -> dict:
    """A well-formed issuance at `seq`, hashed correctly (the forger knows the algorithm)."""
    body = SharesIssued("alice", "common", 1_000_000, PAR, PAR * 1_000_000)
    row = to_row(
        Event(body, date(1998, 1, 5)), seq, "2001-01-01T00:00:00.000000+00:00", prev_hash, ledger.slug
    )
    return {**row, "corporation_id": ledger.corp_id}


def insert(raw: sa.Engine, row: dict) -> None:
    cols = ", ".join(row)
    sql(raw, f"INSERT INTO events ({cols}) VALUES ({', '.join(':' + c for c in row)})", **row)


def test_forged_event_with_a_bogus_hash_is_named(ledger, raw):
    head = scalar(raw, "SELECT head_hash FROM corporations")
    insert(raw, {**forged(ledger, raw, N + 1, head), "hash": "f" * 64})  # INSERT needs no trigger dropped
    problems = ledger.verify()
    assert named(problems, N + 1), problems


def test_forged_event_appended_with_a_valid_hash_is_named(ledger, raw):
    head = scalar(raw, "SELECT head_hash FROM corporations")
    insert(raw, forged(ledger, raw, N + 1, head))
    problems = ledger.verify()
    assert named(problems, N + 1) and "inserted" in named(problems, N + 1)[0], problems


def test_forged_event_inserted_mid_chain_is_named(ledger, raw):
    drop_append_only(raw)
    k = ISSUE_BOB
    sql(  # make room at k (two steps: the (corporation, seq) pair is unique)
        raw,
        "UPDATE events SET seq = -(seq + 1) WHERE seq >= :k",
        "UPDATE events SET seq = -seq WHERE seq < 0",
        k=k,
    )
    prev = scalar(raw, "SELECT hash FROM events WHERE seq = :s", s=k - 1)
    insert(raw, forged(ledger, raw, k, prev))
    problems = ledger.verify()
    # the forged row links to its predecessor and hashes correctly; the event after it is what breaks
    assert named(problems, k + 1), problems
    assert "events are stored out of their order of appending (rows reordered)" in problems
    assert any(p.startswith(f"projection: the dated ledger entries: event {k}: ") for p in problems), problems


def test_reordered_events_are_named(ledger, raw):
    drop_append_only(raw)
    a, b = ISSUE_ALICE, TRANSFER
    sql(
        raw,
        "UPDATE events SET seq = -1 WHERE seq = :a",
        "UPDATE events SET seq = :a WHERE seq = :b",
        "UPDATE events SET seq = :b WHERE seq = -1",
        a=a,
        b=b,
    )
    problems = ledger.verify()
    assert named(problems, a) and named(problems, b), problems
    assert "events are stored out of their order of appending (rows reordered)" in problems


def test_swapped_contents_are_named(ledger, raw):
    """Two events exchange everything but their sequence and row id."""
    drop_append_only(raw)
    cols = ["type", "effective_on", "payload", "prev_hash", "hash"]
    x, y = (
        dict(zip(cols, rows(raw, f"SELECT {', '.join(cols)} FROM events WHERE seq = {s}")[0], strict=True))
        for s in (ISSUE_ALICE, ISSUE_BOB)
    )
    sets = ", ".join(f"{c} = :{c}" for c in cols)
    sql(raw, f"UPDATE events SET {sets} WHERE seq = {ISSUE_ALICE}", **y)
    sql(raw, f"UPDATE events SET {sets} WHERE seq = {ISSUE_BOB}", **x)
    problems = ledger.verify()
    assert named(problems, ISSUE_ALICE) and named(problems, ISSUE_BOB), problems


@pytest.mark.parametrize("edit", ["hash", "seq"])
def test_edited_chain_head_is_named(ledger, raw, edit):
    if edit == "hash":
        sql(raw, "UPDATE corporations SET head_hash = :h", h="0" * 63 + "1")
    else:
        sql(raw, "UPDATE corporations SET head_seq = :s", s=N - 1)
    problems = ledger.verify()
    # a head moved back to N-1 may be read as "event N inserted beyond the head": either names the place
    hits = named(problems, N) + (named(problems, N - 1) if edit == "seq" else [])
    assert hits and any("head" in p for p in hits), problems


@pytest.mark.parametrize(
    "statement,expect",
    [
        (f"DELETE FROM ledger_entries WHERE seq = {ISSUE_BOB}", "projection: the dated ledger entries"),
        ("DELETE FROM holders WHERE holder_id = 'bob'", "projection: holders"),
        ("DELETE FROM charter_versions WHERE seq = 2", "projection: charter versions"),
    ],
)
def test_tampered_projection_is_named_and_rebuilt(ledger, raw, db_url, statement, expect):
    before = {
        t: sorted(rows(raw, f"SELECT * FROM {t} ORDER BY 1, 2, 3"))
        for t in ("balances", "holders", "charter_versions")
    }
    entries = sorted(
        rows(raw, "SELECT seq, effective_on, holder_id, class_key, series_key, delta FROM ledger_entries")
    )
    sql(raw, statement)
    problems = ledger.verify()
    assert any(p.startswith(expect) for p in problems), problems
    assert all(p.startswith("projection: ") for p in problems), problems  # the log itself is intact
    open_book(db_url).rebuild()
    assert ledger.verify() == []
    for t, got in before.items():
        assert sorted(rows(raw, f"SELECT * FROM {t} ORDER BY 1, 2, 3")) == got, t
    assert (
        sorted(
            rows(raw, "SELECT seq, effective_on, holder_id, class_key, series_key, delta FROM ledger_entries")
        )
        == entries
    )


def test_recorded_payloads_are_canonical_json(ledger, raw):
    """Decimals as strings, share counts as ints, keys sorted, no spaces: what the hash is taken over."""
    payload = scalar(raw, "SELECT payload FROM events WHERE seq = :s", s=ISSUE_ALICE)
    d = json.loads(payload)
    assert d["shares"] == 1000 and d["price_per_share"] == "0.001" and d["consideration"] == "1.000"
    assert payload == json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
