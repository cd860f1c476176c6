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
- `seqs(types, on)`: the sequences of the events of `types` by a date: how many, from their counts by date (counted
  by the database, kept), and the first ones read as far as they are looked at;
- `record()`, `last`: the book's fold's.

The log as stored is the history but for the corrections (`History.corrected_by`, which the book keeps): a corrected
event keeps its sequence, type and date, and `seqs` leaves the voided ones out of its counts and its sequences.
"""

from __future__ import annotations

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
        self._dated: dict[tuple[type, ...], tuple[list[int], list[int], _First]] = {}

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
            names = [t.TYPE for t in types]
            counts = {day.toordinal(): n for day, n in self._history.dated(names)}
            voided = self._voided(names)
            for day, _ in voided:  # out of the history: out of its counts
                counts[day] -= 1
            days, totals, total = [], [], 0
            for day in sorted(counts):
                total += counts[day]
                days.append(day)
                totals.append(total)
            skip = frozenset(seq for _, seq in voided)
            got = self._dated[types] = (days, totals, _First(self._history, names, skip))
        days, totals, first = got
        i = bisect_right(days, on.toordinal())
        return _Prefix(first, totals[i - 1] if i else 0)

    def record(self) -> Record:
        return self._folded.record

    def _voided(self, names: list[str]) -> list[tuple[int, int]]:
        """(day's ordinal, sequence) of the log's voided events of the types `names` (each read as stored: a few)."""
        out = []
        for (
            seq,
            fix,
        ) in self._history.corrected_by().items():  # (kept by the book's writer: no scan of the log)
            if fix.body.replacement is None:  # type: ignore[attr-defined]
                e = self._history.one(seq)
                if e is not None and e.type in names:
                    out.append((e.effective_on.toordinal(), seq))
        return out


FIRST = 64  # sequences read at first (then twice as many each time more are looked at)


class _First:
    """The sequences of the first events of some types in effective order, read from the store as far as asked (the
    events by a date are always the first ones: a prefix of them)."""

    def __init__(self, history: History, types: list[str], skip: frozenset[int] = frozenset()):
        self._history, self._types, self._seqs = history, types, list[int]()
        self._skip = skip  # the voided events' sequences: out of the history
        self._all = False

    def upto(self, k: int) -> list[int]:
        if k > len(self._seqs) and not self._all:
            want = max(k, 2 * len(self._seqs), FIRST) + len(self._skip)
            stored = self._history.first_seqs(self._types, want)
            self._seqs = [s for s in stored if s not in self._skip]
            self._all = len(stored) < want
        return self._seqs


class _Prefix(Sequence):
    """The first `n` of those sequences, read only as far as they are looked at (the tax names eight)."""

    def __init__(self, first: _First, n: int):
        self._first, self._n = first, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            picked = range(self._n)[i]
            seqs = self._first.upto(max(picked, default=-1) + 1)
            return [seqs[j] for j in picked]
        j = range(self._n)[i]  # (an IndexError beyond it, as a list's)
        return self._first.upto(j + 1)[j]
