"""The whole book checked as history: every event against the state just before it — the ledger
rules and the DGCL rules of `law` — then the book-wide rules (what is missing rather than wrong).
Each finding carries the event's sequence and, where the event came from a document, its file:line."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date

from ..core.events import BODY_TYPES, CHARTER_TYPES, LEDGER_TYPES, CharterAmended, Event
from ..core.findings import Finding, placed, sort_key
from ..core.record import NOT_KEPT, Record
from ..core.record import apply as gapply
from ..core.replay import _Build, apply, freeze
from ..law import ledger, registry
from .approvals import Approvals


def audit(events: Sequence[Event], as_of: date, state_at: Callable[[date], object]) -> list[Finding]:
    """Every finding of the history `events` (in any order) up to `as_of`."""
    ordered = [e for e in sorted(events, key=Event.sort_key) if e.effective_on <= as_of]
    return audit_in_order(ordered, known_ids(ordered), as_of, state_at)


def known_ids(events: Iterable[Event]) -> frozenset[str]:
    """The ids the governance record of `events` knows (resolutions, actions, meetings, matters, consents): what an act
    may name, though recorded later. Only the events the record keeps make them (`record.NOT_KEPT`: the ledger's and
    the equity plans' are not), so those alone may be given."""
    whole = Record()
    for e in events:
        gapply(whole, e)
    return frozenset(whole.known_ids())


KEPT_TYPES = tuple(t.TYPE for t in BODY_TYPES.values() if not issubclass(t, NOT_KEPT))
"""The event types whose events make `known_ids` (a large history's few: its ledger's are not among them)."""
_KEPT = frozenset(KEPT_TYPES)


def audit_in_order(
    ordered: Iterable[Event], later: frozenset[str], as_of: date, state_at: Callable[[date], object]
) -> list[Finding]:
    """`audit` of the history given in effective order, up to `as_of` (and no further), as it streams from the store:
    each event read once, none held; `later`, the `known_ids` of that history."""
    run = Audit(later, state_at)
    run.feed(ordered)
    return run.findings(as_of)


class Audit:
    """`audit_in_order` that can go on: the events fed in effective order, each checked against the state just before
    it, the findings kept; `findings(as_of)` adds the book-wide rules on the state reached. A log that has only grown
    since can be fed its new events rather than audited again (`resumable`).

    Its findings are those a new audit of the longer history would give when nothing the new events change was asked
    of the earlier ones. They reach an earlier event's check three ways: by coming before it (they must all come
    after the events fed: `last`); through `later`, the ids the governance record knows (they must add none: no event
    of `KEPT_TYPES`); and through `state_at`, the book's state on a date, which the rules ask of the days around a
    meeting or consent (every date asked is watched: `horizon`, and the new events must all fall after it)."""

    def __init__(self, later: frozenset[str], state_at: Callable[[date], object], tally: Tally | None = None):
        self.b, self.g = _Build(), Record()
        self.later, self._state_at = later, state_at
        self.horizon = date.min  # the latest date an event's check asked `state_at` about
        self.last: tuple | None = None  # the sort key of the last event fed
        self._found: list[Finding] = []
        self.tally = tally  # given: the findings are counted into it, not kept (`verify`'s audit)
        # kept while only shares move (outcomes do not change with them)
        self._approvals = Approvals(self.g, self._asked)
        # the view of `b` the rules read, made again only when the charter or the corporation changes
        self._state = None

    def saved(self) -> tuple:
        """What the audit needs to go on, in plain data (its state but what it asks through): (build, record, later,
        horizon, last, findings); `restored` takes it back."""
        return (self.b, self.g, self.later, self.horizon, self.last, self._found)

    @classmethod
    def restored(cls, saved: tuple, state_at: Callable[[date], object]) -> Audit:
        """The audit `saved` gave, asking `state_at` from here on. Its view of the state and its approvals are made
        again when next asked: the same answers, from the same record and the same state on the same dates."""
        run = cls(saved[2], state_at)
        run.b, run.g, _, run.horizon, run.last, run._found = saved
        run._approvals = Approvals(run.g, run._asked)
        return run

    def _asked(self, on: date):
        if on > self.horizon:
            self.horizon = on
        return self._state_at(on)

    def resumable(self, new: Sequence[Event]) -> bool:
        """Whether feeding `new` (events appended to the log since, in any order) gives what a new audit of the whole
        would (see the class)."""
        return all(
            e.type not in _KEPT  # (a correction is one of them: it changes the history behind)
            and e.effective_on > self.horizon
            and (self.last is None or Event.sort_key(e) > self.last)
            for e in new
        )

    def feed(self, ordered: Iterable[Event]) -> None:
        """Check each event of `ordered` (effective order, after those fed before) against the state before it."""
        b, g, out, tally = self.b, self.g, [], self.tally
        approvals, state = self._approvals, self._state
        for e in ordered:
            if state is None or state.equity is not b.equity:
                before = state = freeze(b, e.effective_on, copy=False)
            else:  # the same mappings seen on another date (`freeze`, without the charter made again for every event)
                before = state.restamped(e.effective_on, b.applied)
            found = list(ledger.check(before, e, True))
            try:
                ctx = registry.Context(e, before, g, True, self._asked, approvals, self.later)
                found += registry.run(ctx)
            except Exception as ex:  # noqa: BLE001 - a record that cannot be judged is itself a finding
                from ..core.findings import warning

                found.append(warning("MB-UNREADABLE-ACT", f"cannot check {e.type}: {ex}"))
            apply(b, e)
            gapply(g, e)
            if isinstance(e.body, CHARTER_TYPES):  # its name, its incorporation, its charter's versions
                state = None
            if not isinstance(e.body, LEDGER_TYPES):
                approvals = Approvals(g, self._asked)
            if isinstance(e.body, CharterAmended):
                found += ledger.check_after(freeze(b, e.effective_on, copy=False), e, True)
            if tally is None:
                out += [_place(f, e) for f in found]
            else:  # counted as they come: none held
                tally.add(_place(f, e) for f in found)
            self.last = Event.sort_key(e)
        self._approvals, self._state = approvals, state
        if tally is None:
            self._found = _merged(self._found, out)

    def findings(self, as_of: date) -> list[Finding]:
        """The findings of the events fed, and the book-wide rules' on the state they reach, judged on `as_of`."""
        b, g, state_at = self.b, self.g, self._state_at
        end = Event(CharterAmended(), min(as_of, date.max), seq=None)
        ctx = registry.Context(
            end, freeze(b, end.effective_on, copy=False), g, True, state_at, Approvals(g, state_at)
        )
        registry.load()
        out = []
        for r in registry.RULES.values():
            if "*" in r.events and r.check is not None:
                out += [registry.tag(f, r.id) for f in r.check(ctx)]
        return _merged(self._found, out)


class Tally:
    """Findings counted, not kept: how many, and the sum of their digests (every field of each, in any order): what
    `verify` holds a kept audit's findings to without holding half a million of them twice."""

    def __init__(self) -> None:
        self.n = self.total = 0

    def add(self, found: Iterable[Finding]) -> None:
        for f in found:
            text = json.dumps(f.to_json(), sort_keys=True, ensure_ascii=False).encode()
            self.total = (self.total + int.from_bytes(hashlib.sha256(text).digest())) % _MOD
            self.n += 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and (self.n, self.total) == (other.n, other.total)

    __hash__ = None  # type: ignore[assignment]


_MOD = 1 << 256


def in_order(found: Iterable[Finding]) -> Iterator[Finding]:
    """`found` as given, raising ValueError where one comes before the one ahead of it in a check's order."""
    before = None
    for f in found:
        key = _order(f)
        if before is not None and key < before:
            raise ValueError("findings out of order")
        before = key
        yield f


def _order(f: Finding) -> tuple:
    """The order a check gives its findings in: by the event they are about (the book-wide ones first), then by their
    place in a document, their severity and their code."""
    return (dict(f.data).get("event") or 0, sort_key(f))


def _merged(ordered: list[Finding], more: list[Finding]) -> list[Finding]:
    """`sorted(ordered + more, key=_order)`, a new list, for `ordered` already in that order: each of `more` put in its
    place by bisection, so that only their own keys are worked out (a check of a million events has half a million
    findings; those an act adds to them, or the book-wide rules, are few)."""
    if not ordered:
        return sorted(more, key=_order)
    out: list[Finding] = []
    at = 0
    # stable, and each after those of `ordered` that it equals: as `sorted` does
    for f in sorted(more, key=_order):
        to = bisect.bisect_right(ordered, _order(f), lo=at, key=_order)
        out += ordered[at:to]
        out.append(f)
        at = to
    out += ordered[at:]
    return out


def _place(f: Finding, e: Event) -> Finding:
    data = dict(f.data)
    data.setdefault("event", e.seq)
    data.setdefault("date", e.effective_on.isoformat())
    data.setdefault("act", e.type)
    src = f.source if f.source is not None else e.source
    return placed(f, src, tuple(data.items()))
