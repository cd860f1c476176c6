"""The whole book checked as history: every event against the state just before it — the ledger
rules and the DGCL rules of `law` — then the book-wide rules (what is missing rather than wrong).
Each finding carries the event's sequence and, where the event came from a document, its file:line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


def audit_in_order(
    ordered: Iterable[Event], later: frozenset[str], as_of: date, state_at: Callable[[date], object]
) -> list[Finding]:
    """`audit` of the history given in effective order, up to `as_of` (and no further), as it streams from the store:
    each event read once, none held; `later`, the `known_ids` of that history."""
    b, g = _Build(), Record()
    out: list[Finding] = []
    approvals = Approvals(g, state_at)  # kept while only shares move (outcomes do not change with them)
    # the view of `b` the rules read, made again only when the charter or the corporation changes
    state = None
    for e in ordered:
        if state is None or state.equity is not b.equity:
            before = state = freeze(b, e.effective_on, copy=False)
        else:  # the same mappings seen on another date (`freeze`, without the charter made again for every event)
            before = state.restamped(e.effective_on, b.applied)
        found = list(ledger.check(before, e, True))
        try:
            ctx = registry.Context(e, before, g, True, state_at, approvals, later)
            found += registry.run(ctx)
        except Exception as ex:  # noqa: BLE001 - a record that cannot be judged is itself a finding
            from ..core.findings import warning

            found.append(warning("MB-UNREADABLE-ACT", f"cannot check {e.type}: {ex}"))
        apply(b, e)
        gapply(g, e)
        if isinstance(e.body, CHARTER_TYPES):  # its name, its incorporation, its charter's versions
            state = None
        if not isinstance(e.body, LEDGER_TYPES):
            approvals = Approvals(g, state_at)
        if isinstance(e.body, CharterAmended):
            found += ledger.check_after(freeze(b, e.effective_on, copy=False), e, True)
        out += [_place(f, e) for f in found]
    end = Event(CharterAmended(), min(as_of, date.max), seq=None)
    ctx = registry.Context(
        end, freeze(b, end.effective_on, copy=False), g, True, state_at, Approvals(g, state_at)
    )
    registry.load()
    for r in registry.RULES.values():
        if "*" in r.events and r.check is not None:
            out += [registry.tag(f, r.id) for f in r.check(ctx)]
    return sorted(out, key=lambda f: (dict(f.data).get("event") or 0, sort_key(f)))


def _place(f: Finding, e: Event) -> Finding:
    data = dict(f.data)
    data.setdefault("event", e.seq)
    data.setdefault("date", e.effective_on.isoformat())
    data.setdefault("act", e.type)
    src = f.source if f.source is not None else e.source
    return placed(f, src, tuple(data.items()))
