"""A history as the views that fold it on dates read it: the franchise tax (`tax.book_inputs`) and the compliance
calendar (`governance.calendar`). They ask for

- `of(*types)`: the history's events of a few types (the incorporation, the charter documents, the meetings …), in
  effective order;
- `at(on)`: the state on a date (`core.replay`), whole; `shares_at(on)`: the same as far as the charter in force, the
  corporation's name and the shares issued, held and in the treasury go (what most of them read): a stored timeline
  answers it from the ledger projection and the charter's events, without a replay;
- `seqs(types, on)`: the sequences of the events of `types` effective on or before `on`, in effective order (the tax
  names the ledger's events it counted);
- `record()`: the governance record of the whole history; `last`: its latest effective date.

`Timeline` holds the history (a list of events, or a book read whole) and folds it once for dates asked in
increasing order (`Replayer`). A book opened from its snapshot gives another with the same answers that reads its
store instead of its events (`book.stored.StoredTimeline`): a history of a million events is never held for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from .events import Event
from .record import Record, build
from .replay import Replayer, State


class Timeline:
    """A history held in memory (the events as given: their corrections are read as `replay` reads them)."""

    def __init__(self, events: Iterable[Event]):
        self._states = Replayer(events)
        self.events = self._states.events  # in effective order, as given
        self._record: Record | None = None

    @property
    def last(self) -> date | None:
        return self.events[-1].effective_on if self.events else None

    def of(self, *types: type) -> list[Event]:
        return [e for e in self.events if isinstance(e.body, types)]

    def at(self, on: date) -> State:
        return self._states.at(on)

    def shares_at(self, on: date) -> State:
        return self._states.at(on)

    def seqs(self, types: tuple[type, ...], on: date) -> Sequence[int | None]:
        return [e.seq for e in self.events if isinstance(e.body, types) and e.effective_on <= on]

    def record(self) -> Record:
        if self._record is None:
            self._record = build(self.events)
        return self._record


def timeline(source) -> Timeline:
    """`source` as a timeline: a timeline itself (or what reads like one: a book's `timeline()`), or events."""
    if hasattr(source, "timeline"):
        return source.timeline()
    if hasattr(source, "seqs") and hasattr(source, "at"):
        return source
    return Timeline(source.events if hasattr(source, "events") else source)
