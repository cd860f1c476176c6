"""Migration 0006 (issue 18): the tree's nodes keyed by the event that completes them, the ledger entries keyed in
date order, SQLite's balances stored by their key. A book written at 0005 is upgraded with every row kept (and
verifies, and appends go on); after it, `verify` still names a tree node, a ledger row or a balance edited, and the
tree's new key check dropped."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from storehelp import ISSUE_ALICE, R_ISSUE, TRANSFER, rows, sql
from test_tree import drop_append_only

from minutebook.book import Book, open_book
from minutebook.store import db


def nodes(raw: sa.Engine, corp_id: int) -> dict[tuple[int, int], bytes]:
    q = "SELECT level, idx, hash FROM merkle_nodes WHERE corporation_id = :c"
    return {(lv, i): bytes(h) for lv, i, h in rows(raw, q, c=corp_id)}


def entries(raw: sa.Engine) -> Counter:
    q = "SELECT seq, effective_on, holder_id, class_key, series_key, delta FROM ledger_entries"
    return Counter(tuple(r) for r in rows(raw, q))


def balances(raw: sa.Engine) -> set[tuple]:
    return {tuple(r) for r in rows(raw, "SELECT holder_id, class_key, series_key, shares FROM balances")}


def columns(raw: sa.Engine, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(raw).get_columns(table)]


@pytest.fixture(autouse=True)
def _every_node_stored(every_node_stored) -> None:
    """The upgrade from 0005 is about the nodes as that code wrote them: each append's in `merkle_nodes`."""


def at_0005(book: Book) -> None:
    """Take the book's database back to revision 0005, as a minutebook before 0006 left it."""
    book.close()
    with db.write(book.engine) as conn:
        command.downgrade(db._config(conn), "0005")
    book.engine.dispose()


@pytest.fixture
def upgraded(ledger: Book, raw) -> Book:
    """The ledger book taken back to 0005 and opened again: upgraded."""
    at_0005(ledger)
    return open_book(ledger.url)


def test_a_book_at_0005_is_upgraded_with_every_row(ledger: Book, raw):
    before = (nodes(raw, ledger.corp_id), entries(raw), balances(raw))
    at_0005(ledger)
    assert "seq" not in columns(raw, "merkle_nodes") and "id" in columns(raw, "ledger_entries")
    assert (nodes(raw, ledger.corp_id), entries(raw), balances(raw)) == before

    again = open_book(ledger.url)
    assert "seq" in columns(raw, "merkle_nodes") and "part" in columns(raw, "ledger_entries")
    assert "id" not in columns(raw, "ledger_entries")
    assert (nodes(raw, again.corp_id), entries(raw), balances(raw)) == before
    keyed = rows(raw, "SELECT seq, level, idx FROM merkle_nodes WHERE corporation_id = :c", c=again.corp_id)
    assert keyed and all(s == (i + 1) << lv for s, lv, i in keyed)
    parts = rows(raw, f"SELECT part, delta FROM ledger_entries WHERE seq = {TRANSFER} ORDER BY part")
    assert parts == [(0, -500), (1, 500)]  # bob's, then carol's: the order the append wrote them in
    assert again.verify() == []

    r = again.issue("alice", "common", 10, on=date(2000, 2, 1), price_per_share=1, approved_by=R_ISSUE)
    assert not r.refused, r.findings
    assert again.verify() == []
    assert open_book(ledger.url).cap_table().rows == again.cap_table().rows


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        (
            "UPDATE merkle_nodes SET hash = :h WHERE level = 1 AND idx = 3",
            "tree: tree node(s) that do not match their children: level 1 node 3 (events 7-8): edited",
        ),
        ("DELETE FROM merkle_nodes WHERE level = 0 AND idx = 2", "tree: the tree lacks"),
        (
            f"UPDATE ledger_entries SET delta = delta + 1 WHERE seq = {ISSUE_ALICE}",
            "projection: the dated ledger",
        ),
        (
            f"UPDATE ledger_entries SET effective_on = '1997-12-01' WHERE seq = {TRANSFER}",
            "projection: the dated",
        ),
        ("DELETE FROM ledger_entries WHERE part = 1", "projection: the dated ledger entries"),
    ],
    ids=["node-edited", "node-deleted", "entry-delta", "entry-date", "entry-deleted"],
)
def test_tampering_after_the_upgrade_is_named(upgraded: Book, raw, statement, named):
    assert upgraded.verify() == []
    drop_append_only(raw)
    sql(raw, statement, **({"h": b"\x00" * 32} if ":h" in statement else {}))
    problems = upgraded.verify()
    assert any(p.startswith(named) for p in problems), problems


def test_the_tree_key_check_dropped_is_named(ledger: Book, raw, backend):
    """Without it a node could be stored under another event's key: `verify` names it gone."""
    if backend == "postgresql":
        sql(raw, "ALTER TABLE merkle_nodes DROP CONSTRAINT ck_merkle_nodes_seq")
    else:  # SQLite drops a constraint by rebuilding the table without it
        sql(
            raw,
            "CREATE TABLE merkle_copy (corporation_id INTEGER NOT NULL, seq BIGINT NOT NULL, level INTEGER NOT NULL, "
            "idx BIGINT NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (corporation_id, seq, level), "
            "CONSTRAINT ck_merkle_nodes_hash_size CHECK (length(hash) = 32)) WITHOUT ROWID",
            "INSERT INTO merkle_copy SELECT * FROM merkle_nodes",
            "DROP TABLE merkle_nodes",
            "ALTER TABLE merkle_copy RENAME TO merkle_nodes",
        )
    problems = [p for p in ledger.verify() if p.startswith("schema: ")]
    assert any("ck_merkle_nodes_seq" in p and "missing" in p for p in problems), problems
