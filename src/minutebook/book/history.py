"""The book's history as a stream: the corrected events in effective order (effective date, then sequence), read
from the store in batches, for work over a whole log that must not hold it in memory (the OCF export of a book of
a million events). `open_history` gives one without opening the book (no replay); `Book.history()` the same for a
book already open.

The stream is the history every view reads (`Book.events`, `core.corrections`): each voided event left out, each
corrected one replaced at its place; the corrections are read first (they are few) and apply whatever their own
dates. A row that no longer reads stops the stream with the same error an opened book gives (`verify` names it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa

from ..core.corrections import corrections_of
from ..core.errors import MinutebookError
from ..core.events import Correction, Event
from ..store import db, log, snapshots

_CORRECTION = Correction.TYPE


class History:
    """One corporation's log, read as a stream (`events`), and its stored documents, on the connection `reading()`
    gives (default: a read snapshot of its own; a book inside `atomic()` gives the block's)."""

    def __init__(self, engine: sa.Engine, corp_id: int, slug: str, reading=None, kept: dict | None = None):
        self.engine, self.corp_id, self.slug = engine, corp_id, slug
        self._reading = reading or (lambda: db.read(engine))
        # the corrections read, kept across streams (a book's, given to each of its histories) with the log's head
        # they were read at: a stream reads again only those appended since
        self._kept = kept

    def _fixes(self, conn: sa.Connection) -> dict[int, Event]:
        """The corrections on `conn`'s snapshot of the log (`corrections_of`). With `kept`, those kept there when the
        log's head is still the one they were read at; when the log has grown from it (the event there has the hash
        it had), those kept and the ones appended since, read on the log's index; else all of them, read again. A
        book opened from its snapshot starts `kept` where it read to, with the snapshot's (`Book._open`), and so reads
        only those appended after."""
        kept = self._kept
        if kept is None:
            return corrections_of(log.stream(conn, self.corp_id, types=(_CORRECTION,)))
        seq, hash_ = log.head(conn, self.corp_id)
        at, at_hash, fixes = kept.get("at", (None, None, None))  # one item: read and replaced whole (threads)
        if fixes is not None and (at, at_hash) == (seq, hash_):
            return fixes
        if (
            fixes is not None
            and at is not None
            and at < seq
            and snapshots.event_hash(conn, self.corp_id, at) == at_hash
        ):
            later = corrections_of(log.stream(conn, self.corp_id, types=(_CORRECTION,), after_seq=at))
            fixes = {**fixes, **later}  # a later correction decides
        else:
            fixes = corrections_of(log.stream(conn, self.corp_id, types=(_CORRECTION,)))
        kept["at"] = (seq, hash_, fixes)
        return fixes

    def history(self) -> History:
        return self

    def documents(self) -> list:
        """The stored documents, each with its text: rows of (name, sha256, content)."""
        with self._reading() as conn:
            return log.documents_of(conn, self.corp_id)

    def document_names(self) -> list[tuple[int, str]]:
        """(id, name) of the stored documents, in the order they were added, without their text (an OCF import
        stores the package it read: a large one is hundreds of megabytes)."""
        with self._reading() as conn:
            return log.document_names(conn, self.corp_id)

    def document_text(self, doc_id: int) -> str:
        with self._reading() as conn:
            return log.document_text(conn, self.corp_id, doc_id)

    def last_date(self) -> date | None:
        """The latest effective date in the history (None: no events), without reading the events."""
        with self._reading() as conn, _readable():
            fixes = self._fixes(conn)
            voided = {seq for seq, fix in fixes.items() if fix.body.replacement is None}  # type: ignore[attr-defined]
            for seq, kind, on in log.latest_first(conn, self.corp_id):
                if seq not in voided or kind == _CORRECTION:
                    return date.fromisoformat(on)
        return None

    def events(
        self,
        as_of: date | None = None,
        types: Sequence[str] | None = None,
        *,
        naming: str | None = None,
        holding: Sequence[str] = (),
        unnamed: Sequence[str] = (),
    ) -> Iterator[Event]:
        """The corrected history in effective order, up to `as_of` (all of it when None), of `types` only if given
        (a correction keeps its event's type, so a filter by type is a filter of the history). `naming` (a holder's
        id), `holding` (fields: a certificate's) and `unnamed` (types they spare) say what else the database reads
        by (`store.log.Prefilter`): a superset of what is asked, which the caller narrows."""
        only = (
            log.Prefilter(naming, tuple(holding), tuple(unnamed)) if naming is not None or holding else None
        )
        with self._reading() as conn:
            yield from self.events_in(conn, as_of, types, only)

    def events_in(
        self,
        conn: sa.Connection,
        as_of: date | None = None,
        types: Sequence[str] | None = None,
        only: log.Prefilter | None = None,
    ) -> Iterator[Event]:
        """`events(as_of, types)` read on `conn` (a snapshot of the log the caller reads other things on too)."""
        until = as_of.isoformat() if as_of is not None else None
        with _readable():
            yield from log.history(conn, self.corp_id, until, types, only=only, fixes=self._fixes(conn))

    def dated(self, types: Sequence[str]) -> list[tuple[date, int]]:
        """(effective date, how many) of the log's events of `types` as stored (corrected or not), one per date, in
        date order, counted without reading the events."""
        with self._reading() as conn:
            return [(date.fromisoformat(on), int(n)) for on, n in log.dated(conn, self.corp_id, types)]

    def first_seqs(self, types: Sequence[str], n: int) -> list[int]:
        """The sequences of the log's first `n` events of `types` as stored, in effective order."""
        with self._reading() as conn:
            return log.first_seqs(conn, self.corp_id, types, n)

    def corrected_by(self) -> dict[int, Event]:
        """Each corrected or voided event's sequence -> the correction that decides it, from the corrections alone."""
        with self._reading() as conn, _readable():
            return dict(self._fixes(conn))

    def recorded(self, first: int = 1, last: int | None = None) -> Iterator[tuple[Event, str, str]]:
        """The log as stored (every event appended, corrected or not) from sequence `first` to `last` (to the end when
        None), in order of sequence: (event, its hash, the hash before it), streamed."""
        with self._reading() as conn, _readable():
            yield from log.recorded(conn, self.corp_id, first, last)

    def one(self, seq: int) -> Event | None:
        """The event of sequence `seq` as stored (None when there is none): one row read."""
        with self._reading() as conn, _readable():
            return next((e for e, _, _ in log.recorded(conn, self.corp_id, seq, seq)), None)

    def count(self) -> int:
        """How many events the log holds, as stored (corrections and corrected events each count)."""
        with self._reading() as conn:
            return log.count(conn, self.corp_id)


@contextmanager
def _readable() -> Iterator[None]:
    """A row that no longer reads, as one line naming `verify` (which names the row)."""
    try:
        yield
    except (ValueError, KeyError, TypeError) as ex:  # a tampered row: `verify` names it
        raise MinutebookError(f"the event log cannot be read ({ex}); run `minutebook verify`") from None
    except (sa.exc.OperationalError, sqlite3.OperationalError) as ex:
        if not db.undecodable(ex):  # text that is not UTF-8 (SQLite): `verify` names the row
            raise
        raise MinutebookError(
            f"the event log cannot be read ({db.first_line(ex)}); run `minutebook verify`"
        ) from None
