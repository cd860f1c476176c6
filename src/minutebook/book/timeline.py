"""The history of a book opened from its snapshot as `core.timeline` reads it (the franchise tax, the compliance
calendar), from the store rather than from its events, which such a book does not hold (`book.snapshot`):

- `of(*types)`: the events of those types streamed from the store (a few: the incorporation, the charter's documents,
  the meetings); kept, and read again only for a type not yet read;
- `shares_at(on)`: the charter, name and incorporation folded from the charter's events alone (nothing else changes
  them: `core.replay.apply`), with the shares held, issued and in the treasury from the dated ledger projection
  (`Queries.state_on`: an index scan, which `verify` holds to the log's replay); on or after the latest date, the
  book's fold;
- `at(on)`: the book's own `state_at` (the fold on or after its latest date; before it, the history streamed from the
  store and folded to the date);
- `seqs(types, on)`: the sequences of the events of `types` by a date, from one read of their dates and sequences
  (no body decoded), kept;
- `record()`, `last`: the book's fold's.

Such a book holds no correction (its snapshot is set aside once one is appended), so the log as stored is its
history: the sequences `seqs` gives need no correction read.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from ..core.events import CHARTER_TYPES, Event
from ..core.record import Record
from ..core.replay import Replayer, State
from .folded import Folded
from .history import History


class StoredTimeline:
    """A book's history answered from its store (see the module's docstring)."""

    def __init__(self, folded: Folded, history: History, state_on: Callable[[date], State]):
        self._folded, self._history, self._state_on = folded, history, state_on
        self._types: frozenset[type] = frozenset()
        self._events: list[Event] = []
        self._charter: Replayer | None = None
        self._dated: dict[tuple[type, ...], tuple[array, array]] = {}

    @property
    def last(self) -> date | None:
        return self._folded.last if self._folded.count else None

    def of(self, *types: type) -> list[Event]:
        if not self._types.issuperset(types):
            self._types |= frozenset(types)
            self._events = list(self._history.events(types=sorted(t.TYPE for t in self._types)))
        return [e for e in self._events if isinstance(e.body, types)]

    def at(self, on: date) -> State:
        return self._folded.state_at(on)

    def shares_at(self, on: date) -> State:
        if on >= self._folded.last:
            return self._folded.state_at(on)
        if self._charter is None:
            self._charter = Replayer(self.of(*CHARTER_TYPES))
        charter = self._charter.at(on)
        held = self._state_on(on)
        return replace(
            charter, holders=held.holders, balances=held.balances, issued=held.issued, treasury=held.treasury
        )

    def seqs(self, types: tuple[type, ...], on: date) -> Sequence[int | None]:
        got = self._dated.get(types)
        if got is None:
            days, seqs = array("l"), array("q")
            for day, seq in self._history.dated([t.TYPE for t in types]):
                days.append(day.toordinal())
                seqs.append(seq)
            got = self._dated[types] = (days, seqs)
        days, seqs = got
        return seqs[: bisect_right(days, on.toordinal())]

    def record(self) -> Record:
        return self._folded.record
