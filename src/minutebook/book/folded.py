"""The book's log in memory: the corporation's events as read from the store, folded into the ledger build
(`core.replay`) and the governance record (`core.record`), the latest effective date among them, and what is
worked out from them on demand (the ledger state on a past date, the approvals of `governance.approvals`).

`read` loads the whole log; `catch_up` reads only the events other writers appended since, and folds them
when they follow in time (else it reads everything again). Every service of the book reads this one object;
only the append path (`book.append`) changes it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import sqlalchemy as sa

from ..core import heap
from ..core import record as gov
from ..core.corrections import corrected, corrections_of
from ..core.errors import MinutebookError
from ..core.events import (
    LEDGER_TYPES,
    CharterAmended,
    Correction,
    Event,
    Incorporated,
    SeriesDesignated,
    StakeholderAdded,
)
from ..core.replay import State, _Build, freeze, replay
from ..core.replay import apply as fold
from ..governance.approvals import Approvals
from ..store import db, log


@dataclass
class Names:
    """What a command needs to check the names and dates a user gives, kept as the log is folded (so a book opened
    from its snapshot answers without reading its events): each holder's first `StakeholderAdded` date, each
    designated series' name (class -> series -> lower-case name), the first incorporation date, and the days the
    history's events are effective on, all of them and the acts' other than the charter documents' (`latest`: the
    last of them on or before a date, so that acts scheduled after today are left out without reading an event)."""

    added: dict[str, date] = field(default_factory=dict)
    designated: dict[str, dict[str, str]] = field(default_factory=dict)
    incorporated_on: date | None = None
    # every event's effective day, as ordinals, sorted, once each; and the same without the charter documents'
    days: list[int] = field(default_factory=list)
    act_days: list[int] = field(default_factory=list)

    def see(self, e: Event) -> None:
        x = e.body
        _mark(self.days, e.effective_on.toordinal())
        if isinstance(x, Incorporated):
            if self.incorporated_on is None:
                self.incorporated_on = e.effective_on
        elif not isinstance(x, CharterAmended):
            _mark(self.act_days, e.effective_on.toordinal())
            if isinstance(x, StakeholderAdded):
                self.added.setdefault(x.holder_id, e.effective_on)
            elif isinstance(x, SeriesDesignated):
                self.designated.setdefault(x.class_key, {})[x.series_key] = x.name.lower()

    def latest(self, on: date, acts: bool = False) -> date | None:
        """The latest effective date on or before `on` of an event of the history (of an act other than the charter
        documents', with `acts`); None when there is none."""
        days = self.act_days if acts else self.days
        i = bisect_right(days, on.toordinal())
        return date.fromordinal(days[i - 1]) if i else None


T = TypeVar("T")

_NAMING = (Incorporated, StakeholderAdded, SeriesDesignated)  # what `Names.see` keeps the first or last of


def _mark(days: list[int], day: int) -> None:
    """Add `day` to the sorted list `days` unless it is there (at the end, the usual case, in O(1))."""
    if not days or day > days[-1]:
        days.append(day)
        return
    if day == days[-1]:  # the day of the event before: most events of a large history
        return
    i = bisect_left(days, day)
    if days[i] != day:
        days.insert(i, day)


def _seq(e: Event) -> int:
    return e.seq or 0


class Folded:
    """The events, the ledger build and the governance record they fold into, and caches that depend on them."""

    def __init__(self) -> None:
        self._events: list[Event] = []  # in order of sequence, as stored
        self._history: list[Event] = []  # the events as corrected (`core.corrections`): what every view reads
        self.count = 0  # the events in the log, as read
        self.build = _Build()  # the ledger and charter, folded in effective order
        self.record = gov.Record()  # directors, officers, board and stockholder action
        self.last = date.min  # the latest effective date in the log
        self.names = Names()
        self.load_error: str | None = None  # why the log could not be read, when it could not
        self._states: dict[date, State] = {}
        self._approvals: Approvals | None = None
        # opened from a snapshot (`book.snapshot`): the events up to its sequence are read from the store when first
        # asked for (`_fetch(seq)`), the ones folded since are kept here
        self._fetch: Callable[[int], list[Event]] | None = None
        # and the history effective on or before a date, streamed from the store in effective order (`state_at`)
        self._stream: Callable[[date], Iterator[Event]] | None = None
        self._base = 0
        self._tail: list[Event] = []
        self._fixes: dict[int, Event] = {}  # the corrections of the events up to `_base` (the snapshot's)

    def corrections(self) -> dict[int, Event]:
        """The log's corrections (`corrections_of`): for a book opened from its snapshot, without reading its events
        (the snapshot's; none is folded after it: a correction makes the book read itself whole)."""
        if self._fetch is not None:
            return dict(self._fixes)
        return corrections_of(self._events)

    @property
    def events(self) -> list[Event]:
        """The log's events in order of sequence (read from the store on first use after a snapshot)."""
        if self._fetch is not None:
            self._materialise()
        return self._events

    @property
    def in_memory(self) -> bool:
        """Whether the log's events are held (read whole, or read since a snapshot was opened) rather than left in the
        store until asked."""
        return self._fetch is None

    @property
    def history(self) -> list[Event]:
        """The events as corrected (a book with a snapshot has no correction: the same events)."""
        if self._fetch is not None:
            self._materialise()
        return self._history

    def event(self, seq: int) -> Event | None:
        """The history's event of sequence `seq`, as corrected (None when there is none, or it was voided): found by
        bisection, the history being in order of sequence."""
        if isinstance(seq, bool) or not isinstance(seq, int):
            return None  # (a finding's data naming its event otherwise: no event has that sequence)
        h = self.history
        i = bisect_left(h, seq, key=_seq)
        return h[i] if i < len(h) and h[i].seq == seq else None

    def _materialise(self) -> None:
        fetch, self._fetch, stream, self._stream = self._fetch, None, self._stream, None
        try:
            # a large log read at once: the collector would walk it at every pass as it is made
            with heap.quiet():
                evs = [*fetch(self._base), *self._tail]
        except _UNREADABLE as ex:
            # an event the snapshot stands for no longer reads: the book answers nothing more
            self._fetch, self._stream, self.load_error = fetch, stream, unreadable(ex)
            raise MinutebookError(self.load_error) from None
        self._events, self._history, self._tail = evs, list(corrected(evs)), []

    def reset(self, events: list[Event], load_error: str | None = None) -> None:
        """Fold `events` from nothing (all of the log, in order of sequence)."""
        self._fetch, self._tail, self._stream = None, [], None
        self._events, self.load_error = events, load_error
        self._history = list(corrected(events))
        self.count = len(events)
        last = max((e.effective_on for e in events), default=date.min)
        ordered = sorted(self._history, key=Event.sort_key)
        self.build, self.record, self.last, self.names = Folded.fold_of(ordered, last)
        self.changed(None)

    @staticmethod
    def fold_of(history: Iterable[Event], last: date) -> tuple[_Build, gov.Record, date, Names]:
        """(build, record, last, names) of the history given in effective order (corrected: `reset`'s, or streamed by
        `store.log.history` without holding it), `last` the latest date of the events as stored (a voided one's too).
        The names a later event may not change (a holder's first addition, a series' name, the incorporation) are
        seen in order of sequence; the days each event marks, as they come (the order does not change them)."""
        build, record, names = _Build(), gov.Record(), Names()
        ordered: list[Event] = []
        for e in history:
            fold(build, e)
            gov.apply(record, e)
            if isinstance(e.body, _NAMING):
                ordered.append(e)
            else:
                names.see(e)
        for e in sorted(ordered, key=lambda e: e.seq):
            names.see(e)
        return build, record, last, names

    def restore(
        self,
        build: _Build,
        record: gov.Record,
        last: date,
        names: Names,
        base: int,
        fetch: Callable[[int], list[Event]],
        stream: Callable[[date], Iterator[Event]] | None = None,
        fixes: dict[int, Event] | None = None,
    ) -> None:
        """Take a snapshot's fold of the first `base` events; `fetch(base)` reads those events when first asked;
        `stream(on)`, the history (all of it, in the store) effective on or before `on`, in effective order; `fixes`,
        the log's corrections up to `base` (`corrections_of`: its history stands under them)."""
        self._fetch, self._base, self._tail, self._stream = fetch, base, [], stream
        self._fixes = dict(fixes or {})
        self._events, self._history = [], []
        self.build, self.record, self.last, self.names, self.count = build, record, last, names, base
        self.load_error = None
        self.changed(None)

    def add(self, e: Event) -> None:
        """Fold one event just written or read that is effective no earlier than any before it (a correction
        changes the history behind it: the log is folded again)."""
        if isinstance(e.body, Correction):
            self.reset([*self.events, e])
            return
        if self._fetch is not None:
            self._tail.append(e)
        else:
            self._events.append(e)
            self._history.append(e)
        self.count += 1
        fold(self.build, e)
        gov.apply(self.record, e)
        self.last = max(self.last, e.effective_on)
        self.names.see(e)
        self.changed(e)

    def changed(self, e: Event | None) -> None:
        """Forget what depends on the log: ledger states on past dates and, unless `e` only moved shares
        forward in time, the approvals worked out from them."""
        self._states.clear()
        if e is None or not isinstance(e.body, LEDGER_TYPES):
            self._approvals = None

    def ok(self) -> None:
        """Refuse to answer from a log that could not be read."""
        if self.load_error:
            raise MinutebookError(self.load_error)

    def state_at(self, on: date) -> State:
        """The ledger on a date: on or after the latest effective date the fold as it stands (no event read), before
        it replayed, and kept for the next question until the log changes."""
        st = self._states.get(on)
        if st is None:
            if len(self._states) > 32:
                self._states.clear()
            st = freeze(self.build, on) if on >= self.last else self._replayed(on)
            self._states[on] = st
        return st

    def _replayed(self, on: date) -> State:
        """The history replayed to `on`: a book opened from its snapshot folds it as it streams from the store, and
        holds nothing of it but the fold (a past date's state of a book of a million events: ~10 MB, not 1 GB)."""
        if self._stream is None:  # the history held (or read whole)
            return replay(self.history, on)
        return freeze(_streamed(self._stream(on), _Build(), fold), on)

    def approvals(self) -> Approvals:
        """Every approval in the book resolved to its outcome (worked out once until the log changes)."""
        if self._approvals is None:
            self._approvals = Approvals(self.record, self.state_at)
        return self._approvals

    def record_at(self, as_of: date | None) -> gov.Record:
        """The governance record on a date: the live one at the latest date, else built again (a book opened from its
        snapshot folds its history as it streams from the store, holding none of it)."""
        self.ok()
        if as_of is None or as_of >= self.last:
            return self.record
        if self._stream is None:
            return gov.build(self.history, as_of)
        return _streamed(self._stream(as_of), gov.Record(), gov.apply)


def _streamed(history: Iterable[Event], into: T, step: Callable[[T, Event], object]) -> T:
    """`into` with each event of `history` folded in by `step` as it streams from the store (a book opened from its
    snapshot): none of it held."""
    try:
        with heap.quiet():
            for e in history:
                step(into, e)
    except _UNREADABLE as ex:  # an event the snapshot stands for no longer reads
        raise MinutebookError(unreadable(ex)) from None
    return into


def read(folded: Folded, conn: sa.Connection, corp_id: int) -> None:
    """Load and fold the whole log; a row that no longer reads leaves the book empty with a `load_error`."""
    try:
        with heap.quiet():  # a large log's fold: made without the collector walking it at every pass
            folded.reset(log.load(conn, corp_id))
    except _UNREADABLE as ex:  # a tampered row: `verify` names it
        folded.reset([], unreadable(ex))


_UNREADABLE = (ValueError, KeyError, TypeError, sqlite3.OperationalError)


def unreadable(ex: Exception) -> str:
    """The load error for `ex`, raised reading the log, where a row no longer reads (a payload or type edited behind
    minutebook's back; on SQLite's driver, text that is not UTF-8); any other error is raised again."""
    if isinstance(ex, sqlite3.OperationalError):
        if not db.undecodable(ex):
            raise ex
        return f"the event log cannot be read ({db.first_line(ex)}); run `minutebook verify`"
    return f"the event log cannot be read ({ex}); run `minutebook verify`"


def readable(
    conn: sa.Connection, corp_id: int, after_seq: int, rows: list[tuple] | None = None
) -> list[Event] | None:
    """The events after `after_seq` (from their `rows` when read already: `log.load`), or None when one of them no
    longer reads: the caller then reads the whole log, which says so (`read`)."""
    try:
        return log.load(conn, corp_id, after_seq=after_seq, rows=rows)
    except _UNREADABLE as ex:
        unreadable(ex)
        return None


def catch_up(folded: Folded, conn: sa.Connection, corp_id: int, rows: list[tuple] | None = None) -> None:
    """Read only the events other writers appended since we last read (`rows`: their rows, when the head's lock read
    them: `log.lock_head`); fold them if they follow in time."""
    missed = readable(conn, corp_id, folded.count, rows)
    if missed and min(e.effective_on for e in missed) >= folded.last and not folded.load_error:
        for e in missed:
            folded.add(e)
    else:
        read(folded, conn, corp_id)
