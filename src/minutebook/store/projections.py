"""Projections: tables derived from the event log — ledger entries (dated balance changes per holder,
class and series), current balances, holders and charter versions. Updated on append, rebuilt from the
log by `rebuild`, and checked against a replay by `check`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from ..core.corrections import corrected
from ..core.events import (
    CharterAmended,
    Event,
    Incorporated,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StakeholderAdded,
    StakeholderChanged,
    StockSplit,
)
from ..core.replay import _Build
from ..core.replay import apply as fold
from .schema import balances, charter_versions, holders, ledger_entries

Entry = tuple[str, str, str, int]  # holder, class, series ("" for none), delta
TREASURY = "__treasury__"  # the corporation's own holding of its shares (issued, not outstanding: §160)


def entries(e: Event, b: _Build | None = None) -> list[Entry]:
    """Balance changes an event makes. A split needs the balances before it (`b`, the replay state)."""
    x = e.body
    if isinstance(x, SharesIssued):
        out = [(x.holder_id, x.class_key, x.series_key or "", x.shares)]
        if x.from_treasury:
            out.append((TREASURY, x.class_key, x.series_key or "", -x.shares))
        return out
    if isinstance(x, SharesTransferred):
        s = x.series_key or ""
        return [(x.from_holder, x.class_key, s, -x.shares), (x.to_holder, x.class_key, s, x.shares)]
    if isinstance(x, SharesCancelled):
        return [(x.holder_id, x.class_key, x.series_key or "", -x.shares)]
    if isinstance(x, SharesRepurchased):
        s = x.series_key or ""
        return [(x.holder_id, x.class_key, s, -x.shares), (TREASURY, x.class_key, s, x.shares)]
    if isinstance(x, SharesConverted):
        return [
            (x.holder_id, x.from_class, x.from_series or "", -x.from_shares),
            (x.holder_id, x.to_class, x.to_series or "", x.to_shares),
        ]
    if isinstance(x, StockSplit) and b is not None:
        out = []
        for (h, c, s), n in b.balances.items():
            if c == x.class_key and n and (x.series_key is None or s == x.series_key):
                out.append((h, c, s or "", n * x.to_shares // x.from_shares - n))
        for (c, s), n in b.treasury.items():
            if c == x.class_key and n and (x.series_key is None or s == x.series_key):
                out.append((TREASURY, c, s or "", n * x.to_shares // x.from_shares - n))
        return out
    return []


def apply(
    conn: sa.Connection,
    corp_id: int,
    new: Sequence[Event],
    b: _Build | None = None,
    ledger: Iterable[list[Entry]] | None = None,
) -> None:
    """Project freshly appended events. `ledger`, when given, holds each event's entries (computed by the
    caller against the replay state, as a split needs)."""
    rows, totals = [], {}
    added: list[dict] = []  # new holders, inserted in one statement (flushed before any change to one)

    def flush_added() -> None:
        if added:
            conn.execute(holders.insert(), added)
            added.clear()

    per_event = list(ledger) if ledger is not None else [entries(e, b) for e in new]
    for e, ents in zip(new, per_event, strict=True):
        for h, c, s, d in ents:
            if d:
                rows.append(
                    {
                        "corporation_id": corp_id,
                        "seq": e.seq,
                        "effective_on": e.effective_on.isoformat(),
                        "holder_id": h,
                        "class_key": c,
                        "series_key": s,
                        "delta": d,
                    }
                )
                totals[(h, c, s)] = totals.get((h, c, s), 0) + d
        x = e.body
        if isinstance(x, StakeholderAdded):
            added.append(
                {
                    "corporation_id": corp_id,
                    "holder_id": x.holder_id,
                    "name": x.name,
                    "kind": x.kind,
                    "email": x.email,
                }
            )
        elif isinstance(x, StakeholderChanged):
            vals = {k: v for k, v in (("name", x.name), ("email", x.email)) if v}
            flush_added()
            if vals:
                conn.execute(
                    holders.update()
                    .where(holders.c.corporation_id == corp_id, holders.c.holder_id == x.holder_id)
                    .values(**vals)
                )
        elif isinstance(x, (Incorporated, CharterAmended)):
            conn.execute(
                charter_versions.insert().values(
                    corporation_id=corp_id,
                    seq=e.seq,
                    effective_on=e.effective_on.isoformat(),
                    data=json.dumps(x.charter, sort_keys=True),
                )
            )
    flush_added()
    if conn.dialect.name == "sqlite":  # the hot path: straight to the driver, inside the same transaction
        cur = conn.connection.driver_connection.cursor()
        if rows:
            cur.executemany(
                "INSERT INTO ledger_entries (corporation_id, seq, effective_on, holder_id, class_key, series_key, "
                "delta) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        corp_id,
                        r["seq"],
                        r["effective_on"],
                        r["holder_id"],
                        r["class_key"],
                        r["series_key"],
                        r["delta"],
                    )
                    for r in rows
                ],
            )
        if totals:
            cur.executemany(
                "INSERT INTO balances (corporation_id, holder_id, class_key, series_key, shares) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (corporation_id, holder_id, class_key, series_key) "
                "DO UPDATE SET shares = shares + excluded.shares",
                [(corp_id, h, c, s, d) for (h, c, s), d in totals.items()],
            )
        return
    if rows:
        conn.execute(_INSERT_LEDGER, rows)
    if totals:
        conn.execute(
            _upsert(conn),
            [
                {"corporation_id": corp_id, "holder_id": h, "class_key": c, "series_key": s, "shares": d}
                for (h, c, s), d in totals.items()
            ],
        )


_UPSERTS: dict[str, sa.Insert] = {}
_INSERT_LEDGER = ledger_entries.insert()


def _upsert(conn):
    name = conn.dialect.name
    if name not in _UPSERTS:
        _UPSERTS[name] = _make_upsert(name)
    return _UPSERTS[name]


def _make_upsert(name: str):
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(balances)
    return stmt.on_conflict_do_update(
        index_elements=[
            balances.c.corporation_id,
            balances.c.holder_id,
            balances.c.class_key,
            balances.c.series_key,
        ],
        set_={"shares": balances.c.shares + stmt.excluded.shares},
    )


def _bump(conn, corp_id, h, c, s, d) -> None:
    key = (
        balances.c.corporation_id == corp_id,
        balances.c.holder_id == h,
        balances.c.class_key == c,
        balances.c.series_key == s,
    )
    res = conn.execute(balances.update().where(*key).values(shares=balances.c.shares + d))
    if res.rowcount == 0:
        conn.execute(
            balances.insert().values(corporation_id=corp_id, holder_id=h, class_key=c, series_key=s, shares=d)
        )


def clear(conn: sa.Connection, corp_id: int) -> None:
    for t in (ledger_entries, balances, holders, charter_versions):
        conn.execute(t.delete().where(t.c.corporation_id == corp_id))


def rebuild(conn: sa.Connection, corp_id: int, events: Sequence[Event]) -> None:
    """Derive every projection again from the log (the events in order of sequence), as corrected."""
    events = corrected(events)
    clear(conn, corp_id)
    b = _Build()
    ledger = []
    for e in sorted(events, key=Event.sort_key):
        ledger.append(entries(e, b))
        fold(b, e)
    by_seq = dict(zip([e.seq for e in sorted(events, key=Event.sort_key)], ledger, strict=True))
    ordered = sorted(events, key=lambda e: e.seq)
    apply(conn, corp_id, ordered, ledger=[by_seq[e.seq] for e in ordered])


def check(conn: sa.Connection, corp_id: int, events: Sequence[Event]) -> list[str]:
    """Differences between the stored projections and a replay of the log (as corrected)."""
    events = corrected(events)
    b = _Build()
    for e in sorted(events, key=Event.sort_key):
        fold(b, e)
    want = {(h, c, s or ""): n for (h, c, s), n in b.balances.items() if n}
    want.update({(TREASURY, c, s or ""): n for (c, s), n in b.treasury.items() if n})
    got = {
        (r.holder_id, r.class_key, r.series_key): r.shares
        for r in conn.execute(sa.select(balances).where(balances.c.corporation_id == corp_id))
        if r.shares
    }
    out = []
    for k in sorted(set(want) | set(got)):
        if want.get(k, 0) != got.get(k, 0):
            out.append(
                f"balance of {k[0]} in {k[1]}{'/' + k[2] if k[2] else ''}: projection {got.get(k, 0):,}, "
                f"replay {want.get(k, 0):,}"
            )
    q = (
        sa.select(
            ledger_entries.c.holder_id,
            ledger_entries.c.class_key,
            ledger_entries.c.series_key,
            sa.func.sum(ledger_entries.c.delta),
        )
        .where(ledger_entries.c.corporation_id == corp_id)
        .group_by(ledger_entries.c.holder_id, ledger_entries.c.class_key, ledger_entries.c.series_key)
    )
    led = {(h, c, s): int(n) for h, c, s, n in conn.execute(q) if n}
    if led != want:
        out.append("the dated ledger entries do not add up to the replayed balances")
    n_hold = conn.execute(
        sa.select(sa.func.count()).select_from(holders).where(holders.c.corporation_id == corp_id)
    ).scalar()
    if n_hold != len(b.holders):
        out.append(f"holders: projection has {n_hold}, replay {len(b.holders)}")
    n_ver = conn.execute(
        sa.select(sa.func.count())
        .select_from(charter_versions)
        .where(charter_versions.c.corporation_id == corp_id)
    ).scalar()
    n_ev = sum(1 for e in events if isinstance(e.body, (Incorporated, CharterAmended)))
    if n_ver != n_ev:
        out.append(f"charter versions: projection has {n_ver}, the log {n_ev}")
    return out


def positions_at(conn: sa.Connection, corp_id: int, as_of: str) -> dict[tuple[str, str, str], int]:
    """(holder, class, series) -> shares on a date (treasury under `TREASURY`), from the dated entries."""
    q = (
        sa.select(
            ledger_entries.c.holder_id,
            ledger_entries.c.class_key,
            ledger_entries.c.series_key,
            sa.func.sum(ledger_entries.c.delta),
        )
        .where(ledger_entries.c.corporation_id == corp_id, ledger_entries.c.effective_on <= as_of)
        .group_by(ledger_entries.c.holder_id, ledger_entries.c.class_key, ledger_entries.c.series_key)
    )
    return {(h, c, s): int(n) for h, c, s, n in conn.execute(q) if n}


def positions_after(conn: sa.Connection, corp_id: int, as_of: str) -> dict[tuple[str, str, str], int]:
    """The same as `positions_at`, computed as today's balances less the entries after `as_of` (quicker for
    a date in the later part of the history)."""
    now = {
        (r.holder_id, r.class_key, r.series_key): int(r.shares)
        for r in conn.execute(sa.select(balances).where(balances.c.corporation_id == corp_id))
    }
    q = (
        sa.select(
            ledger_entries.c.holder_id,
            ledger_entries.c.class_key,
            ledger_entries.c.series_key,
            sa.func.sum(ledger_entries.c.delta),
        )
        .where(ledger_entries.c.corporation_id == corp_id, ledger_entries.c.effective_on > as_of)
        .group_by(ledger_entries.c.holder_id, ledger_entries.c.class_key, ledger_entries.c.series_key)
    )
    for h, c, s, n in conn.execute(q):
        now[(h, c, s)] = now.get((h, c, s), 0) - int(n or 0)
    return {k: v for k, v in now.items() if v}


def issued_by_date(conn: sa.Connection, corp_id: int) -> list[tuple[str, str, int]]:
    """(effective_on, class, change) of the shares issued (treasury included), one row per date and class with a
    change, in date order: running totals give the issued shares by class on any date in one read."""
    q = (
        sa.select(
            ledger_entries.c.effective_on, ledger_entries.c.class_key, sa.func.sum(ledger_entries.c.delta)
        )
        .where(ledger_entries.c.corporation_id == corp_id)
        .group_by(ledger_entries.c.effective_on, ledger_entries.c.class_key)
        .order_by(ledger_entries.c.effective_on)
    )
    return [(d, c, int(n)) for d, c, n in conn.execute(q) if n]
