"""Fold snapshots: one row per corporation, the book's fold of its log up to an event, as the book layer encoded and
sealed it (`book.snapshot`); and in the same shape, audit snapshots (`book.audit_snapshot`: `table=audit_snapshots`).
The store keeps the bytes and tells whether the log still holds the event they end at; it neither reads nor trusts
them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .schema import audit_snapshots, events, fold_snapshots


@dataclass(frozen=True, slots=True)
class Stored:
    seq: int
    event_hash: str
    code: str
    mac: str
    data: bytes


def latest(conn: sa.Connection, corp_id: int, table: sa.Table = fold_snapshots) -> Stored | None:
    r = conn.execute(sa.select(table).where(table.c.corporation_id == corp_id)).first()
    return None if r is None else Stored(int(r.seq), r.event_hash, r.code, r.mac, bytes(r.data))


def event_hash(conn: sa.Connection, corp_id: int, seq: int) -> str | None:
    """The stored hash of event `seq`, or None."""
    q = sa.select(events.c.hash).where(events.c.corporation_id == corp_id, events.c.seq == seq)
    return conn.execute(q).scalar()


def save(conn: sa.Connection, corp_id: int, s: Stored, table: sa.Table = fold_snapshots) -> None:
    """Keep `s` as the corporation's snapshot (in place of the one before)."""
    clear(conn, corp_id, table)
    conn.execute(
        table.insert().values(
            corporation_id=corp_id, seq=s.seq, event_hash=s.event_hash, code=s.code, mac=s.mac, data=s.data
        )
    )


def clear(conn: sa.Connection, corp_id: int, table: sa.Table = fold_snapshots) -> None:
    conn.execute(table.delete().where(table.c.corporation_id == corp_id))


FOLDS, AUDITS = fold_snapshots, audit_snapshots  # the two tables of snapshots
