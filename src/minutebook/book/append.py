"""The one append path. Every event written to a corporation's log goes through `append`: it checks the
events (`book.checks`), then `store.log.append` chains their hashes onto the head and writes them with their
projections, in the caller's transaction. Three ways to check:

- `check=LIVE`: one act onto the book as it stands (`Folded`, caught up first when another writer appended
  since it was read). An act with an error finding is refused and nothing is written, unless it is
  `historical` (a past act kept with its defects reported); a `dry_run` is checked and never written.
- `check=HISTORY`: a new corporation's past in one batch, checked in one fold as history (the importers').
  Nothing is refused: each event's findings come back beside it.
- `check=None`: a new corporation's record written as given: the charter as read (`create`, whose findings
  are the reader's), or a record checked when it was first written, copied with its recorded-at
  (`keep_recorded_at`: an import of an export, a scratch copy). The projections are rebuilt from the log.

`Writer` is the book's own use of it: the write connection kept open between appends, `atomic` blocks (and
`reading`, the connection the book's reads go through: inside a block, the block's own), and `record`, which makes
an act an event and answers a `Result`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from ..core.errors import InputError, MinutebookError
from ..core.events import BOUNDS, EQUITY_TYPES, Body, Correction, Event, StockSplit
from ..core.findings import Finding, Severity
from ..store import db, log, projections
from . import checks, snapshot
from .folded import Folded, catch_up, read
from .history import History

LIVE = "live"
HISTORY = "history"


@dataclass(frozen=True, slots=True)
class Result:
    """What an action did: the findings, whether it was refused, and the event written (if any)."""

    findings: tuple[Finding, ...]
    event: Event | None
    more: tuple[Event, ...] = ()  # events the act wrote with it (the directors a meeting elected)

    @property
    def refused(self) -> bool:
        return self.event is None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.ERROR)


class Refused(MinutebookError):
    """Raised inside `Book.atomic()` to abandon every act of the block because one was refused."""

    def __init__(self, result: Result):
        super().__init__("; ".join(f.format() for f in result.errors) or "refused")
        self.result = result


@dataclass(frozen=True, slots=True)
class Appended:
    """What `append` did: the events as written (with their sequence and recorded-at; none when refused or a
    dry run), each given event's findings in the order given, and whether a live act was in order."""

    events: tuple[Event, ...]
    findings: tuple[Sequence[Finding], ...]
    in_order: bool = True
    # a new book's fold snapshot (`snapshot.fold_of`: its ledger build from the history check's child, `build_of`, the
    # rest folded here): answers the bytes or None; call it once the transaction is over (the child waits to send it)
    fold: Callable[[], bytes | None] | None = None


def append(
    conn: sa.Connection,
    corp_id: int,
    events: Sequence[Event],
    *,
    check: str | None = None,
    book: Folded | None = None,
    historical: bool = False,
    dry_run: bool = False,
    keep_recorded_at: bool = False,
    commit: bool = False,
) -> Appended:
    """Check `events`, chain them onto the corporation's log and write them with their projections, in the
    transaction of `conn` (`check`: see the module's docstring; `book`, `historical` and `dry_run` are a live
    act's). `commit`: the transaction ends with this append, nothing written after it (on PostgreSQL its commit may
    then go with the writes: `log.append`)."""
    head = log.lock_head(conn, corp_id, book.count if check == LIVE and book is not None else None)

    def before() -> list[Event]:  # the events already in the log (a live act's book), read only if needed
        return book.events if check == LIVE and book is not None else []

    in_order, texts, stamp, fold = True, (), None, None
    if check == LIVE:
        if book is None or len(events) != 1:
            raise TypeError("a live append is one act onto the book read into `book`")
        if head[0] != book.count:
            catch_up(book, conn, corp_id, head.later)  # another writer appended since we read
        found, entries, in_order = checks.live(book, events[0], historical)
        ledger, findings = [entries], [found]
        if dry_run or (not historical and any(f.severity == Severity.ERROR for f in found)):
            return Appended((), (tuple(found),), in_order)
    elif head[0]:
        raise MinutebookError(f"corporation {corp_id} already has a log: only a live act goes onto it")
    elif check == HISTORY:  # a large batch: checked beside the write, which the child may first help
        n = len(events)
        own = writer_encodes(events)  # the last piece ends at n exactly
        starts = [own + (n - own) * i // TEXT_PIECES for i in range(TEXT_PIECES + 1)]
        stamp = log.now()  # known ahead: the child makes the book's snapshot of the events as written
        # the child sends the ledger build of the book's snapshot; the rest of it is folded here once the write is over
        then = None if keep_recorded_at else (lambda b: snapshot.build_of(b, len(events), head[0]))
        pieces = [
            lambda lo=lo, hi=hi: log.payload_texts(events[lo:hi])
            for lo, hi in zip(starts, starts[1:], strict=False)
        ]
        ahead, checked, built = checks.history_started(events, pieces, then)
        fold = built if then is None else (lambda: snapshot.fold_of(events, head[0], stamp, built))
        texts = list(zip(starts, ahead, strict=False))
        ledger = checked.ledger()  # asked for once the events are written, slice by slice
    elif check is None:
        ledger, findings = [[] for _ in events], [() for _ in events]  # entries: from the rebuild below
    else:
        raise TypeError(f"check: {LIVE!r}, {HISTORY!r} or None, not {check!r}")
    rebuild = (
        check is None
        or (not in_order and any(isinstance(x.body, StockSplit) for x in before()))
        or any(isinstance(x.body, Correction) for x in events)
    )  # a split's entries need the replayed balances; a correction changes the history behind it
    written = log.append(
        conn,
        corp_id,
        events,
        stamp,
        keep_recorded_at=keep_recorded_at,
        ledger=ledger,
        head=head,
        texts=texts,
        commit=commit and not rebuild,
    )
    if check == HISTORY:
        findings = checked()[1]
    if rebuild:
        projections.rebuild(conn, corp_id, [*before(), *written])
    return Appended(tuple(written), tuple(findings), in_order, fold)


def writer_encodes(events: Sequence[Event]) -> int:
    """Of a large batch written with its history check beside it, how many events (the first ones) the writer encodes
    itself; the child encodes the rest first, in `TEXT_PIECES` pieces each sent when ready, then checks the history,
    then pickles the ledger build of the book's snapshot. The split is chosen so that the two end together: each event
    gives the writer its hashing, chaining, insert and projections (and, at the end, its part of the snapshot), and the
    child its check and its part of the build's pickle; encoding a body, the work either can do, is the unit. A ledger
    event costs the writer about `LEDGER_LEAN` encodings more than it costs the child; an equity-compensation event
    costs the child `EQUITY_HEAVY` encodings more than the writer (its check folds vesting, pools and exercises, and its
    award is most of the pickle). So a stock ledger's import leaves most bodies to the child, and one of options
    leaves it only the check. The writer always encodes at least the share `AHEAD`: what it writes while the child
    encodes the first piece."""
    n = len(events)
    heavy = sum(1 for e in events if type(e.body) in _EQUITY)
    # half the child's work beyond the writer's, in encodings: what the writer takes on beyond an even split
    lag = (heavy * EQUITY_HEAVY - (n - heavy) * LEDGER_LEAN) / 2
    return min(n, max(int(n * AHEAD), int(n / 2 + lag)))


AHEAD = 0.1
LEDGER_LEAN = 1.1
EQUITY_HEAVY = 0.7
"""Measured (issue 18) by timing each side of `bench/ocf.py`'s two imports, the child's pieces stamped as it sent them.
The stock package's 75,861 events cost the check ~14 µs each and the writer ~22.5 µs, beside ~6 µs to encode a body:
the writer ends last even when it encodes only the share `AHEAD` (the child was done 0.4 s before it). EQUITY_HEAVY
was 2.9, measured when the equity package's check and pickle took 4.1 s; measured again on today's code, that split
(the writer encoding 176,087 of the 210,003 bodies) left the child idle for the last 0.7-0.9 s of the writer's
4.1-4.2 s: its check, encodings and pickle took 3.3 s.
With 0.7 the writer encodes 35 % of them and the two end within 0.05 s of each other: the import took 8.54-8.56 s
against 8.94-9.23 s in two paired runs (the writer's part 3.76-3.79 s against 4.06-4.21 s)."""
_EQUITY = frozenset(EQUITY_TYPES)
TEXT_PIECES = 6


class Writer:
    """The book's writer: its connection, its `atomic` blocks, and `record` (an act through `append`)."""

    def __init__(self, engine: sa.Engine, corp_id: int, book: Folded, actor: str | None = None):
        self.engine, self.corp_id, self.book = engine, corp_id, book
        self.actor = actor  # who acts, for every event recorded that names no actor of its own
        self._conn: sa.Connection | None = None
        self._batch: sa.Connection | None = None  # the connection of the `atomic` block under way
        self.kept: dict = {}  # the corrections the book's histories read, with the log's head then (`History`)

    def reload(self, conn: sa.Connection | None = None) -> None:
        """Read the whole log again (on `conn`, inside an uncommitted block, else on a read connection)."""
        if conn is not None:
            read(self.book, conn, self.corp_id)
            return
        with db.read(self.engine) as c:
            read(self.book, c, self.corp_id)

    @contextmanager
    def _write(self, act: bool = False) -> Iterator[sa.Connection]:
        """A write transaction on the book's own connection, kept open between appends (no pool checkout
        per append); on SQLite it holds the database's write lock from its first statement. `act`: the block is one
        act's `append`, whose first statement locks the head (on PostgreSQL the transaction then begins with it:
        `db.begun`)."""
        conn = self._conn
        if conn is None or conn.closed or conn.invalidated:
            conn = self._conn = self.engine.connect()
        conn.info["write"] = True
        if conn.dialect.name == "sqlite":
            tx = db.immediate(conn)
        else:
            tx = db.begun(conn) if act and conn.dialect.name == "postgresql" else conn.begin()
        try:
            with db.writable(self.engine), tx:  # a read-only database: one line naming it
                yield conn
        except BaseException:
            if conn.invalidated:
                self._conn = None
            raise
        finally:
            conn.info["write"] = False

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every `record` inside shares one transaction; if the block raises, none of them is written (and the
        book reads itself again, forgetting what the rolled-back acts folded in). A block inside a block is a
        savepoint: if it raises, its own acts are undone and the outer block goes on without them."""
        batch = self._batch
        if batch is not None:
            with self._undone_if_raises(batch):
                yield
            return
        try:
            with self._write() as conn:
                self._batch = conn
                yield
        except BaseException:
            self._batch = None
            self.reload()
            raise
        finally:
            self._batch = None

    @contextmanager
    def _undone_if_raises(self, batch: sa.Connection) -> Iterator[None]:
        """A savepoint in the block under way; rolled back if the body raises, and the book read again on the
        block's connection when the body had changed what it folded (or failed with something unforeseen)."""
        count = self.book.count
        savepoint = batch.begin_nested()
        try:
            yield
        except BaseException as ex:
            if savepoint.is_active:
                savepoint.rollback()
            if self.book.count != count or not isinstance(ex, MinutebookError):
                self.reload(batch)
            raise
        else:
            if savepoint.is_active:
                savepoint.commit()

    @contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        """A connection to read the book's rows on: inside `atomic()` the block's own, which sees the acts it has
        recorded and not yet committed; else a read transaction of its own that sees one snapshot (`db.read`)."""
        if self._batch is not None:
            yield self._batch
            return
        with db.read(self.engine) as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A connection to write rows other than events on (projections, the key): inside `atomic()` the block's
        own (committed or rolled back with it; on SQLite another connection would wait on the block's write
        lock), else a write transaction of its own (`db.write`)."""
        if self._batch is not None:
            yield self._batch
            return
        with db.write(self.engine) as conn:
            yield conn

    def history(self, slug: str = "") -> History:
        """The book's history streamed from the store, on `reading()`'s connection, applying the corrections the writer
        keeps (`kept`)."""
        return History(self.engine, self.corp_id, slug, self.reading, self.kept)

    @property
    def in_block(self) -> bool:
        """Whether an `atomic()` block is under way (its acts not yet committed)."""
        return self._batch is not None

    def close(self) -> None:
        """Close the book's connections. On SQLite this also folds the write-ahead log into the database
        file, so the file alone holds everything written (the engine stays usable: it reconnects)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.engine.dispose()

    def record(
        self,
        body: Body,
        on: date,
        *,
        bound: str = "on",
        actor: str | None = None,
        source=None,
        historical: bool = False,
        dry_run: bool = False,
    ) -> Result:
        """Check `body` as an event effective `on`, and append it unless refused."""
        self.book.ok()
        if not isinstance(on, date) or isinstance(on, datetime):
            raise InputError(f"effective date must be a date, not {on!r}")
        if bound not in BOUNDS:
            raise InputError(f"bound must be one of {', '.join(BOUNDS)}, not {bound!r}")
        e = Event(body, on, bound, actor or self.actor, source)
        batch = self._batch
        with nullcontext(batch) if batch is not None else self._write(act=True) as conn:
            done = append(
                conn,
                self.corp_id,
                [e],
                check=LIVE,
                book=self.book,
                historical=historical,
                dry_run=dry_run,
                commit=batch is None,
            )
            (findings,) = done.findings
            if not done.events:
                if batch is None:
                    db.rollback(conn)
                return Result(tuple(findings), None)
        (written,) = done.events
        if done.in_order:
            self.book.add(written)
        else:
            self.reload(batch)  # inside `atomic()`, read back on its connection (the block is not committed)
        return Result(tuple(findings), written)
