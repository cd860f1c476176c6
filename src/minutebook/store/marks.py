"""Position marks: every (holder, class, series)'s shares at the end of chosen days through a corporation's history,
so that its positions on any date are the nearest mark plus the ledger entries between the mark and the date — a
bounded number of entries however long the history — instead of a sum over every entry before the date.

Marks are a projection of `ledger_entries`: kept in step by `update` (called by `projections.apply` in the append's
transaction), checked by `check` (`verify`), cleared and made again from nothing by `projections.rebuild`.

- `position_mark_dates` lists a corporation's marks. The mark "" (before every date) holds nothing; it is made with
  the first entries, its `checked_seq` 0, so a book from before marks gets them with its next append.
- New marks are looked for once `EVERY` events have been appended since the last look (the latest mark's
  `checked_seq`): walking the entries dated after the latest mark in date order, a mark is made at the end of each
  day by which `EVERY` more entries have gathered — never on the ledger's latest day, which in-order acts still add to.
- An entry dated on or before a mark's day (a back-dated act) is added to that mark and to every later one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from .db import fetch, scan, write_many
from .schema import position_mark_dates as dates
from .schema import position_marks as marks

EVERY = 20_000  # entries between two marks; a test may lower it to make marks in a small book

Key = tuple[str, str, str]  # holder, class, series ("" for none)
Row = tuple[str, str, str, str, int]  # effective_on (ISO), holder, class, series, delta


_LISTED = "SELECT mark_on, checked_seq FROM position_mark_dates WHERE corporation_id = ? ORDER BY mark_on"


def listed(conn: sa.Connection, corp_id: int, cur=None) -> list[tuple[str, int]]:
    """The corporation's marks, (day, checked_seq), in date order ("" first); [] when it has none yet. (Read by an
    append, straight from the driver in its transaction: `cur`, on SQLite the append's cursor; `db.fetch`.)"""
    return [(m, int(s)) for m, s in fetch(conn, _LISTED, (corp_id,), cur)]


LATEST = "SELECT mark_on, checked_seq FROM position_mark_dates WHERE corporation_id = ? ORDER BY mark_on DESC LIMIT 1"
LATEST_OF = (
    "(SELECT {col} FROM position_mark_dates WHERE corporation_id = {corp} ORDER BY mark_on DESC LIMIT 1)"
)
"""One column of `LATEST`'s row as a subquery, for the corporation `corp` (a column or a placeholder): how the
append's head lock reads the latest mark beside the head (`log.lock_head`)."""

UNREAD = ("", -1)
"""`latest` as `wanted` and `update` take it when the caller has not read the latest mark: they read it."""


def wanted(
    conn: sa.Connection, corp_id: int, rows: Sequence[Row], cur=None, latest: tuple[str, int] | None = UNREAD
) -> list[tuple[str, int]]:
    """What `update` needs of the marks `listed` gives, for entries `rows`: the latest mark alone (one row read on
    its key), unless an entry is dated on or before its day (back-dated behind it): then every mark. `latest`: that
    mark, (day, checked_seq) or None for none, when the caller read it in the same transaction (`log.lock_head` reads
    it with the head: on PostgreSQL no round trip of its own)."""
    if latest is UNREAD:
        last = fetch(conn, LATEST, (corp_id,), cur)
        latest = (last[0][0], int(last[0][1])) if last else None
    if latest is None:
        return []
    if _behind(latest[0], rows):
        return listed(conn, corp_id, cur)
    return [latest]


def update(
    conn: sa.Connection,
    corp_id: int,
    rows: Sequence[Row],
    seq: int,
    have: list[tuple[str, int]] | None = None,
    cur=None,
    latest: tuple[str, int] | None = UNREAD,
) -> None:
    """Keep the marks in step with the ledger entries just written (`rows`); `seq`: the log's last sequence now;
    `have`: the marks as `listed` gives them (or as `wanted` gives them for `rows`), when the caller has read them in
    the same transaction; `cur`: on SQLite, the append's driver cursor; `latest`: as `wanted` takes it."""
    if have is None:
        have = wanted(conn, corp_id, rows, cur, latest)
    if not have:
        conn.execute(dates.insert().values(corporation_id=corp_id, mark_on="", checked_seq=0))
        have = [("", 0)]
    days = [m for m, _ in have if m]
    if days:
        bumps: dict[tuple[str, str, str, str], int] = {}
        last_day = days[-1]
        for on, h, c, s, d in rows:
            if on <= last_day:  # back-dated behind a mark: that mark and every later one hold it too
                for m in days:
                    if m >= on:
                        bumps[(m, h, c, s)] = bumps.get((m, h, c, s), 0) + d
        if bumps:
            _add(conn, corp_id, bumps)
    last_on, checked = have[-1]
    if _due(checked, seq):
        _make(conn, corp_id, last_on, seq)


def still(have: list[tuple[str, int]] | None, rows: Sequence[Row], seq: int) -> bool:
    """Whether `update` with these arguments would write nothing: a mark is known, no entry is back-dated behind the
    latest one, and no look for new marks is due."""
    if not have:
        return False
    day, checked = have[-1]
    return not _behind(day, rows) and not _due(checked, seq)


def _behind(day: str, rows: Sequence[Row]) -> bool:
    """Whether an entry of `rows` is dated on or before the mark of `day` ("" holds nothing: none is): back-dated
    behind it."""
    return bool(day) and any(r[0] <= day for r in rows)


def _due(checked: int, seq: int) -> bool:
    """Whether a look for new marks is due, the last one made at sequence `checked` and the log now at `seq`."""
    return seq - checked >= EVERY


def _add(conn: sa.Connection, corp_id: int, bumps: dict[tuple[str, str, str, str], int]) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(marks)
    stmt = stmt.on_conflict_do_update(
        index_elements=[marks.c.corporation_id, marks.c.mark_on, marks.c.holder_id, marks.c.class_key,
                        marks.c.series_key],
        set_={"shares": marks.c.shares + stmt.excluded.shares},
    )  # fmt: skip
    conn.execute(
        stmt,
        [
            {
                "corporation_id": corp_id,
                "mark_on": m,
                "holder_id": h,
                "class_key": c,
                "series_key": s,
                "shares": d,
            }
            for (m, h, c, s), d in bumps.items()
        ],
    )


def _make(conn: sa.Connection, corp_id: int, last_on: str, seq: int) -> None:
    """New marks after the latest one (`last_on`), every `EVERY` entries in date order; the look recorded at `seq`.
    (Straight on the driver: a large import makes a dozen marks of thousands of positions each.)"""
    per_day = fetch(conn, _PER_DAY, (corp_id, last_on))
    chosen, run = [], 0
    for on, n in per_day[:-1]:  # never the latest day
        run += int(n)
        if run >= EVERY:
            chosen.append(on)
            run = 0
    if not chosen:
        conn.execute(
            dates.update()
            .where(dates.c.corporation_id == corp_id, dates.c.mark_on == last_on)
            .values(checked_seq=seq)
        )
        return
    write_many(
        conn,
        _INSERT_MARK,
        [
            (corp_id, day, h, c, s, n)
            for day, held in _through(conn, corp_id, last_on, chosen)
            for (h, c, s), n in held.items()
        ],
    )
    write_many(conn, _INSERT_DATE, [(corp_id, m, seq) for m in chosen])


_PER_DAY = (
    "SELECT effective_on, count(*) FROM ledger_entries WHERE corporation_id = ? AND effective_on > ? "
    "GROUP BY effective_on ORDER BY effective_on"
)
_INSERT_MARK = (
    "INSERT INTO position_marks (corporation_id, mark_on, holder_id, class_key, series_key, shares) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_DATE = "INSERT INTO position_mark_dates (corporation_id, mark_on, checked_seq) VALUES (?, ?, ?)"
_ENTRIES_THROUGH = (
    "SELECT effective_on, holder_id, class_key, series_key, delta FROM ledger_entries "
    "WHERE corporation_id = ? AND effective_on > ? AND effective_on <= ? ORDER BY effective_on"
)


def _through(
    conn: sa.Connection, corp_id: int, after: str, days: list[str]
) -> Iterator[tuple[str, dict[Key, int]]]:
    """The positions at the end of each of `days` (in date order, all after `after`): the mark `after` (none for "")
    plus the entries dated up to each day, in one pass over the entries in date order."""
    bal = at_mark(conn, corp_id, after) if after else {}
    todo = iter(days)
    nxt: str | None = next(todo, None)
    for on, h, c, s, d in scan(conn, _ENTRIES_THROUGH, (corp_id, after, days[-1])):
        while nxt is not None and on > nxt:
            yield nxt, {k: n for k, n in bal.items() if n}
            nxt = next(todo, None)
        k = (h, c, s)
        bal[k] = bal.get(k, 0) + int(d)
    while nxt is not None:
        yield nxt, {k: n for k, n in bal.items() if n}
        nxt = next(todo, None)


def at_mark(conn: sa.Connection, corp_id: int, day: str) -> dict[Key, int]:
    """The positions a mark holds (none for the mark "")."""
    rows = fetch(conn, _AT_MARK, (corp_id, day))
    return {(h, c, s): int(n) for h, c, s, n in rows}


_AT_MARK = (
    "SELECT holder_id, class_key, series_key, shares FROM position_marks "
    "WHERE corporation_id = ? AND mark_on = ?"
)


def nearest(conn: sa.Connection, corp_id: int, as_of: str) -> tuple[str, bool] | None:
    """The latest mark on or before `as_of` and whether a later mark exists; None when the corporation has none.
    Two point reads straight from the driver (0.1 ms; through SQLAlchemy 0.4 ms, and 2 ms on its first compile in a
    process, which a command asking one cap table pays)."""
    ((before,),) = fetch(conn, _BEFORE, (corp_id, as_of))
    if before is None:
        return None
    return before, bool(fetch(conn, _LATER, (corp_id, as_of)))


_BEFORE = "SELECT max(mark_on) FROM position_mark_dates WHERE corporation_id = ? AND mark_on <= ?"
_LATER = "SELECT 1 FROM position_mark_dates WHERE corporation_id = ? AND mark_on > ? LIMIT 1"


def clear(conn: sa.Connection, corp_id: int) -> None:
    for t in (marks, dates):
        conn.execute(t.delete().where(t.c.corporation_id == corp_id))


def check(conn: sa.Connection, corp_id: int, limit: int = 20) -> list[str]:
    """Each mark against the ledger entries dated on or before its day (one pass over the entries in date order)."""
    days = [m for m, _ in listed(conn, corp_id) if m]
    if not days:
        return []
    stored: dict[str, dict[Key, int]] = {m: {} for m in days}
    q = sa.select(marks).where(marks.c.corporation_id == corp_id)
    extra: set[str] = set()
    for r in conn.execute(q):
        if r.mark_on in stored:
            if r.shares:
                stored[r.mark_on][(r.holder_id, r.class_key, r.series_key)] = int(r.shares)
        else:
            extra.add(r.mark_on)
    out = [f"position marks: rows on {m}, which is not a mark" for m in sorted(extra)]
    for day, want in _through(conn, corp_id, "", days):
        got = stored[day]
        for k in sorted(set(want) | set(got)):
            if want.get(k, 0) != got.get(k, 0):
                h, c, s = k
                out.append(
                    f"position marks: on {day}: {h} in {c}{'/' + s if s else ''}: the mark holds {got.get(k, 0):,}, "
                    f"the ledger entries give {want.get(k, 0):,}"
                )
    if len(out) > limit:
        out = [*out[:limit], f"position marks: {len(out) - limit} more difference(s)"]
    return out
