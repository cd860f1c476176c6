"""Projections: tables derived from the event log — ledger entries (dated balance changes per holder,
class and series), holders and charter versions, and the position marks over the entries (`store.marks`). Updated on
append, rebuilt from the log by `rebuild`, and checked by `check`: every row against what the log derives, column by
column. The balances per holder and class are the entries' sums: on a date, the nearest mark and the entries after it
(`positions_on`); for SQL readers, the view `balances` (migration 0008)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

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
from . import marks
from .db import fetch, stream_rows
from .schema import charter_versions, holders, ledger_entries

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
    marks_later: list | None = None,
    cur=None,
    latest: tuple[str, int] | None = marks.UNREAD,
) -> None:
    """Project freshly appended events. `ledger`, when given, holds each event's entries (computed by the
    caller against the replay state, as a split needs). `marks_later`: a list the position marks' update is put in
    (its arguments after the connection, for `marks.update`), for the caller to make once its pipeline is flushed.
    `cur`: on SQLite, the driver's cursor the append writes with (else one is taken). `latest`: the latest position
    mark, when the caller read it in this transaction (`marks.wanted`)."""
    rows: list[tuple] = []  # the ledger entries, in the order of `_LEDGER_COLUMNS`
    added: list[dict] = []  # new holders, inserted in one statement (flushed before any change to one)

    def flush_added() -> None:
        if added:
            values = [tuple(h[k] for k in _HOLDER_COLUMNS) for h in added]
            if conn.dialect.name == "postgresql":  # inside the append's pipeline (`log._append_pg`)
                with conn.connection.driver_connection.cursor() as pg:
                    pg.executemany(_PG_INSERT_HOLDER, values)
            elif (
                conn.dialect.name == "sqlite"
            ):  # the driver's, as the append writes (SQLAlchemy's took ~90 µs)
                (cur or conn.connection.driver_connection.cursor()).executemany(_SQLITE_INSERT_HOLDER, values)
            else:
                conn.execute(holders.insert(), added)
            added.clear()

    # the entries as they come (a large batch's check sends them slice by slice): written a chunk at a time, so that
    # a slice's are in while the next one is checked
    per_event = iter(ledger) if ledger is not None else (entries(e, b) for e in new)
    marked: list[tuple] = []  # (effective_on, holder, class, series, delta) of every entry, for the marks

    def write() -> None:
        _write_entries(conn, corp_id, rows, cur)
        marked.extend(r[2:7] for r in rows)
        rows.clear()

    for e, ents in zip(new, per_event, strict=True):
        if ents:
            seq, on, part = e.seq, e.effective_on.isoformat(), 0
            for h, c, s, d in ents:
                if d:
                    rows.append((corp_id, seq, on, h, c, s, d, part))
                    part += 1
            if len(rows) >= _CHUNK:
                write()
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
    write()
    if marked:
        if marks_later is not None:
            marks_later.append((corp_id, marked, max(e.seq for e in new)))
        else:
            marks.update(conn, corp_id, marked, max(e.seq for e in new), cur=cur, latest=latest)


_CHUNK = 20_000  # ledger entries written at a time by a large batch


def _write_entries(conn: sa.Connection, corp_id: int, rows: list[tuple], cur=None) -> None:
    """The dated entries inserted (`rows` in the order of `_LEDGER_COLUMNS`)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":  # the hot path: straight to the driver, inside the same transaction
        (cur or conn.connection.driver_connection.cursor()).executemany(_SQLITE_INSERT_LEDGER, rows)
    elif conn.dialect.name == "postgresql":  # inside the append's pipeline (`log._append_pg`): one round trip
        with conn.connection.driver_connection.cursor() as pg:
            pg.executemany(_PG_INSERT_LEDGER, rows)
    else:
        conn.execute(_INSERT_LEDGER, [dict(zip(_LEDGER_COLUMNS, r, strict=True)) for r in rows])


_HOLDER_COLUMNS = ("corporation_id", "holder_id", "name", "kind", "email")
_PG_INSERT_HOLDER = f"INSERT INTO holders ({', '.join(_HOLDER_COLUMNS)}) VALUES (%s, %s, %s, %s, %s)"
_SQLITE_INSERT_HOLDER = _PG_INSERT_HOLDER.replace("%s", "?")
_LEDGER_COLUMNS = (
    "corporation_id",
    "seq",
    "effective_on",
    "holder_id",
    "class_key",
    "series_key",
    "delta",
    "part",
)
_INTO_LEDGER = f"INSERT INTO ledger_entries ({', '.join(_LEDGER_COLUMNS)}) VALUES "
_PG_INSERT_LEDGER = f"{_INTO_LEDGER}({', '.join(['%s'] * len(_LEDGER_COLUMNS))})"
_SQLITE_INSERT_LEDGER = f"{_INTO_LEDGER}({', '.join('?' * len(_LEDGER_COLUMNS))})"
_INSERT_LEDGER = ledger_entries.insert()


def clear(conn: sa.Connection, corp_id: int) -> None:
    for t in (ledger_entries, holders, charter_versions):
        conn.execute(t.delete().where(t.c.corporation_id == corp_id))
    marks.clear(conn, corp_id)


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


LISTED = 20  # rows of one projection named one by one in `check`; the rest are counted


def check(conn: sa.Connection, corp_id: int, history: Iterable[Event]) -> list[str]:
    """Differences between the stored projections and the log, naming the table and the row: every column a query
    reads. `history` is the log as corrected in effective order (`log.history`), read once as it streams, never held:
    each event's ledger entries are computed against the state before it, as `rebuild` writes them, and compared
    with the stored ones read beside them in the same order (the table's key: date, sequence, part): a date moved in
    the ledger changes a past cap table with every balance still adding up. The holders and the charter versions row by
    row against what `rebuild` would write, from those events alone; the position marks against the entries."""
    b = _Build()
    # stored entries the log does not make, and entries it makes that are not stored
    extra: Counter = Counter()
    missing: Counter = Counter()
    acts: list[Event] = []  # the holders' and the charter's events, read again in order of sequence
    stored = _entries_in_order(conn, corp_id)
    row = next(stored, None)
    for e in history:
        on = e.effective_on.isoformat()
        want = [(e.seq, on, h, c, s, d) for h, c, s, d in entries(e, b) if d]
        fold(b, e)
        got = []
        while row is not None and (row[1], row[0]) <= (on, e.seq):
            if (row[1], row[0]) == (on, e.seq):
                got.append(row)
            else:
                extra[row] += 1
            row = next(stored, None)
        if got != want:  # stored in the order made (by part): the same lists, unless a row differs
            made, kept = Counter(want), Counter(got)
            extra += kept - made
            missing += made - kept
        if isinstance(e.body, _NAMED):
            acts.append(e)
    for rest in (row, *stored) if row is not None else ():
        extra[rest] += 1
    people: dict[str, tuple[str, str, str | None]] = {}
    versions: dict[int, tuple[str, str]] = {}
    for e in sorted(acts, key=lambda e: e.seq):
        x = e.body
        if isinstance(x, StakeholderAdded):
            people.setdefault(x.holder_id, (x.name, x.kind, x.email))
        elif isinstance(x, StakeholderChanged) and x.holder_id in people:
            name, kind, email = people[x.holder_id]
            people[x.holder_id] = (x.name or name, kind, x.email or email)
        elif isinstance(x, (Incorporated, CharterAmended)):
            versions[e.seq] = (e.effective_on.isoformat(), json.dumps(x.charter, sort_keys=True))
    return [
        *_ledger(extra, missing),
        *_holders(conn, corp_id, people),
        *_versions(conn, corp_id, versions),
        *marks.check(
            conn, corp_id
        ),  # the position marks against the entries, themselves held to the log above
    ]


_NAMED = (StakeholderAdded, StakeholderChanged, Incorporated, CharterAmended)
_IN_ORDER = (
    "SELECT seq, effective_on, holder_id, class_key, series_key, delta FROM ledger_entries "
    "WHERE corporation_id = ? ORDER BY effective_on, seq, part"
)


def _entries_in_order(conn: sa.Connection, corp_id: int) -> Iterator[tuple]:
    """The stored ledger entries as (seq, effective date, holder, class, series, delta), in the order of the table's
    key, streamed from the cursor."""
    for seq, on, h, c, s, d in stream_rows(conn, _IN_ORDER, (corp_id,)):
        yield (seq, on, h, c, s, int(d))


def _cls(c: str, s: str) -> str:
    return f"{c}/{s}" if s else c


def _listed(lines: list[str], what: str) -> list[str]:
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], f"{what}: {len(lines) - LISTED} more rows differ"]


def _ledger(extra: Counter, missing: Counter) -> list[str]:
    """The stored dated ledger entries that differ from the log's, each named (`extra`: stored, not made by the log;
    `missing`: made by the log, not stored)."""
    if not extra and not missing:
        return []
    by_key: dict[tuple, tuple[list, list]] = {}
    for rows, i in ((extra, 0), (missing, 1)):
        for (seq, on, h, c, s, d), n in rows.items():
            by_key.setdefault((seq, h, c, s), ([], []))[i].extend([(d, on)] * n)
    what = "the dated ledger entries"
    out = []
    for (seq, h, c, s), (stored, derived) in sorted(by_key.items(), key=lambda kv: tuple(map(str, kv[0]))):
        where = f"{what}: event {seq}: the entry of {h} in {_cls(c, s)}"
        for (d, on), (d2, on2) in zip(stored, derived, strict=False):
            out.append(f"{where} reads {d:+,} on {on}, the log gives {d2:+,} on {on2}: edited")
        for d, on in stored[len(derived) :]:
            out.append(
                f"{what}: event {seq}: an entry of {h} in {_cls(c, s)} ({d:+,} on {on}) that the log does "
                "not make: inserted"
            )
        for d, on in derived[len(stored) :]:
            out.append(f"{where} ({d:+,} on {on}) is missing: deleted")
    return _listed(out, what)


def _holders(conn: sa.Connection, corp_id: int, want: dict[str, tuple[str, str, str | None]]) -> list[str]:
    q = sa.select(holders.c.holder_id, holders.c.name, holders.c.kind, holders.c.email).where(
        holders.c.corporation_id == corp_id
    )
    got = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(q)}
    out = []
    for h in sorted(set(got) | set(want)):
        if h not in got:
            out.append(f"holders: {h} is missing: deleted")
        elif h not in want:
            out.append(f"holders: {h} is not a holder the log adds: inserted")
        else:
            for col, a, b in zip(("name", "kind", "email"), got[h], want[h], strict=True):
                if a != b:
                    out.append(f"holders: {h}: its {col} reads {a!r}, the log gives {b!r}: edited")
    return _listed(out, "holders")


def _versions(conn: sa.Connection, corp_id: int, want: dict[int, tuple[str, str]]) -> list[str]:
    t = charter_versions
    q = sa.select(t.c.seq, t.c.effective_on, t.c.data).where(t.c.corporation_id == corp_id)
    got = {r[0]: (r[1], r[2]) for r in conn.execute(q)}
    out = []
    for seq in sorted(set(got) | set(want)):
        where = f"charter versions: event {seq}"
        if seq not in got:
            out.append(f"{where}: its version is missing: deleted")
        elif seq not in want:
            out.append(f"{where}: a version the log does not hold (no charter event {seq}): inserted")
        else:
            if got[seq][0] != want[seq][0]:
                out.append(
                    f"{where}: its effective date reads {got[seq][0]}, the log gives {want[seq][0]}: edited"
                )
            if got[seq][1] != want[seq][1]:
                out.append(f"{where}: its charter (data) is not the one the log records: edited")
    return _listed(out, "charter versions")


def positions_on(conn: sa.Connection, corp_id: int, as_of: str) -> dict[tuple[str, str, str], int]:
    """(holder, class, series) -> shares on a date: the nearest position mark on or before it plus the entries between
    (`store.marks`), a bounded number of entries however long the history. A book without marks (not appended to
    since they came): the sum of every entry up to the date."""
    near = marks.nearest(conn, corp_id, as_of)
    return positions_at(conn, corp_id, as_of, since=near[0] if near else "")


def positions_at(
    conn: sa.Connection, corp_id: int, as_of: str, since: str = ""
) -> dict[tuple[str, str, str], int]:
    """(holder, class, series) -> shares on a date (treasury under `TREASURY`), from the dated entries; `since`: a
    position mark's day, whose positions the entries after it are added to."""
    out = marks.at_mark(conn, corp_id, since) if since else {}
    for h, c, s, n in fetch(conn, _SUM_BETWEEN, (corp_id, as_of, since)):
        out[(h, c, s)] = out.get((h, c, s), 0) + int(n or 0)
    return {k: v for k, v in out.items() if v}


_SUM = (
    "SELECT holder_id, class_key, series_key, sum(delta) FROM ledger_entries WHERE corporation_id = ? AND {} "
)
_GROUP = "GROUP BY holder_id, class_key, series_key"
_SUM_BETWEEN = _SUM.format("effective_on <= ? AND effective_on > ?") + _GROUP


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
