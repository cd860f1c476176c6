"""Books held open by a long-running server (the web app): one `Book` per corporation, read once and caught up
with the store before each use (another process — the command line, another server — may have appended), a lock
per book (a book is one writer), and answers remembered until the log moves on (`Served.memo`).

    lib = Library("minutebook.db")
    with lib.use("the-auxer-group") as s:
        s.book.cap_table(day)
        s.memo(("captable", day), lambda: ...)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from ..core.errors import NotFoundError
from ..core.events import Correction, Event, StockSplit
from ..store import accounts as rows
from ..store import db, log, projections
from .accounts import Accounts
from .create import corporations_in
from .facade import Book
from .folded import catch_up


def server_failure(ex: BaseException) -> str | None:
    """What the database said, when `ex` is its failing under a request (`store.db.failed`: a PostgreSQL session
    ended, the connection lost, a deadlock; an SQLite file's write lock held by another program past the wait); None
    for any other error."""
    return db.first_line(ex) if db.failed(ex) else None


class Served:
    """One corporation's book in a server, with the answers worked out from its log as it stands."""

    def __init__(self, book: Book):
        self.book = book
        self.lock = threading.RLock()
        self.head = -1
        self._memo: dict[Any, Any] = {}
        # the issued shares' changes by date and class (`issued_history`), with the log's length they were read at:
        # kept across the log's moves, and caught up with the acts appended since when they allow it
        self._issued: tuple[int, list[tuple[str, str, int]]] | None = None

    def memo(self, key, make: Callable[[], Any]):
        """`make()`'s answer, remembered until the log changes (at most 256 answers)."""
        if key not in self._memo:
            if len(self._memo) >= 256:
                self._memo.clear()
            self._memo[key] = make()
        return self._memo[key]

    def as_read(self):
        """The corporation's stored documents read again by the reader (`ingest.read_texts`), as `check` reads them:
        each charter version's facts with their places in the filing (line, column), which the book's versions, kept
        as data, do not carry."""
        from ..ingest import read_texts

        return self.memo("as_read", lambda: read_texts([(d.name, d.content) for d in self.book.documents()]))

    def issued_history(self, until: date, points: int = 200) -> dict[str, list[tuple[date, int, int]]]:
        """class -> [(day, authorized, issued)] on each day up to `until` on which the issued shares (treasury
        included) or the charter changed, and on `until` itself; at most `points` days, evenly spaced through them,
        the last kept. The issued shares come from running totals of the dated ledger projection in one read, the
        authorized from the charter in force on the day: what the dashboard's chart draws, without reading the log
        or a cap table per day."""
        b = self.book
        changes = self._issued_changes()
        stamp = until.isoformat()
        days = {date.fromisoformat(d) for d, _, _ in changes if d <= stamp}
        days |= {v.effective_on for v in b.charter.versions if v.effective_on and v.effective_on <= until}
        order = sorted(days | {until})
        if len(order) > points:
            step = len(order) / (points - 1)
            order = sorted({order[int(i * step)] for i in range(points - 1)} | {order[-1]})
        out: dict[str, list[tuple[date, int, int]]] = {}
        totals: dict[str, int] = {}
        i = 0
        for day in order:
            stamp = day.isoformat()
            while i < len(changes) and changes[i][0] <= stamp:
                _, cls, n = changes[i]
                totals[cls] = totals.get(cls, 0) + n
                i += 1
            version = b.charter.at(day)
            for c in version.capital.classes if version and version.capital else ():
                out.setdefault(c.key, []).append((day, c.authorized or 0, totals.get(c.key, 0)))
        return out

    def _issued_changes(self) -> list[tuple[str, str, int]]:
        """`projections.issued_by_date` as the log stands. Read once; then, as acts are appended, their own changes
        are added to it (the events after the length it was read at, each one's ledger entries): a book of a million
        events reads the few new events rather than every ledger entry. Read again whole when the new events are not
        simply later acts (one before the last change, a split, a correction), and inside `atomic()`."""
        b = self.book
        if b._writer.in_block:  # the block's acts counted, on its connection; kept nowhere (it may roll back)
            with b._writer.reading() as conn:
                return projections.issued_by_date(conn, b.corp_id)
        count, kept = b._log.count, self._issued
        if kept is not None and kept[0] == count:
            return kept[1]
        changes = None
        with b._writer.reading() as conn:
            if kept is not None and kept[0] < count:
                new = list(log.stream(conn, b.corp_id, upto_seq=count, after_seq=kept[0]))
                changes = _with_later(kept[1], new)
            if changes is None:
                changes = projections.issued_by_date(conn, b.corp_id)
        self._issued = (count, changes)
        return changes

    def fresh(self, head: int | None = None) -> None:
        """Catch up with what other writers appended; forget the remembered answers if anything changed. `head`: the
        chain head as the caller has just read it (a web request, with its session), else it is read here."""
        b = self.book
        if head != b._log.count:  # not given, or the log moved (or this process appended since it was read)
            with db.single(b.engine) as conn:  # one statement
                head = rows.head(conn, b.corp_id)
        if head != b._log.count:
            with db.read(b.engine) as conn:
                catch_up(b._log, conn, b.corp_id)
            head = b._log.count
        if head != self.head:
            self.head = head
            self._memo.clear()


def _with_later(changes: list[tuple[str, str, int]], new: list[Event]) -> list[tuple[str, str, int]] | None:
    """`changes` (`projections.issued_by_date`'s rows, in date order) with the issued shares the events `new` move,
    as the ledger projection writes their entries; None when they cannot simply be added: an event dated before the
    last change, a split (its entries come from the balances before it) or a correction (the history behind it
    changes)."""
    if any(isinstance(e.body, (StockSplit, Correction)) for e in new):
        return None
    last = changes[-1][0] if changes else ""
    moved: dict[tuple[str, str], int] = {}
    for e in new:
        ents = projections.entries(e)
        if not ents:
            continue
        on = e.effective_on.isoformat()
        if on < last:
            return None
        for _h, c, _s, d in ents:
            moved[(on, c)] = moved.get((on, c), 0) + d
    if not moved:
        return changes
    out = [r for r in changes if r[0] != last]  # the last day's rows, added to below
    day = {c: n for d, c, n in changes if d == last}
    for (on, c), n in sorted(moved.items()):
        if on == last:
            day[c] = day.get(c, 0) + n
    out += [(last, c, n) for c, n in sorted(day.items()) if n]
    out += [(on, c, n) for (on, c), n in sorted(moved.items()) if on != last and n]
    return out


class Library:
    """Every corporation's book in the database `db_url`, opened on first use, and its accounts."""

    def __init__(self, db_url: str | None = None):
        self.engine, self.url = db.open_engine(db_url)
        self.accounts = Accounts(self.engine)
        self._books: dict[str, Served] = {}
        self._lock = threading.Lock()

    def corporations(self) -> dict[str, str]:
        """slug -> name of every corporation in the database."""
        return {slug: name for _, slug, name in corporations_in(self.engine)}

    def served(self, slug: str) -> Served:
        with self._lock:
            s = self._books.get(slug)
            if s is None:
                found = [c for c in corporations_in(self.engine) if c[1] == slug]
                if not found:
                    raise NotFoundError(f"no corporation {slug!r}")
                s = self._books[slug] = Served(Book(self.engine, self.url, found[0][0], slug))
            return s

    @contextmanager
    def use(self, slug: str, head: int | None = None) -> Iterator[Served]:
        """The corporation's book, caught up and held for this caller alone until the block ends (`head`: its chain
        head as the caller has just read it)."""
        s = self.served(slug)
        with s.lock:
            s.fresh(head)
            yield s

    def after_write(self, s: Served) -> None:
        """After an act through `s.book`: the head moved, forget the answers."""
        s.head = -1
        s.fresh()

    def close(self) -> None:
        for s in self._books.values():
            s.book.close()
        self.engine.dispose()
