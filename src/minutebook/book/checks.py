"""What the append path checks before it writes, in two kinds:

- `live`: one act against the book as it stands. The event is checked against the state on its effective date
  and the charter in force then: the ledger rules (`law.ledger`) and the DGCL rules (`law.registry`, with the
  governance record and the approvals). A back-dated event is checked against every later event too: a later
  event it would make invalid is its conflict (`MB-BACKDATED-CONFLICT`).
- `history`: a new corporation's past in one fold, as the importers read it. Each event is checked as history
  by the ledger rules against the state just before it on its date (and a charter change against the state
  after it); a defect is a finding, never a refusal.

Both also give each event's ledger entries (`store.projections.entries`, computed against the replayed
balances a split needs), which the append writes with it. Nothing here reads or writes the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from ..core import record as gov
from ..core.corrections import corrected
from ..core.errors import MinutebookError
from ..core.events import LEDGER_TYPES, ApprovalRecorded, CharterAmended, Correction, Event, Incorporated
from ..core.findings import Finding, Severity, error
from ..core.replay import State, _Build, freeze, replay
from ..core.replay import apply as fold
from ..governance.approvals import Approvals
from ..law import ledger, registry
from ..store.projections import Entry, entries
from .folded import Folded
from .parallel import beside_each

T = TypeVar("T")


def live(book: Folded, e: Event, historical: bool) -> tuple[list[Finding], list[Entry], bool]:
    """The findings on `e` as the next act of the book, its ledger entries, and whether it is in order (effective
    no earlier than every event in the log: the book then folds it in place, else reads itself again)."""
    if isinstance(e.body, Correction):
        return _correction(book, e, historical)
    first = book.build.incorporated_on
    if not isinstance(e.body, Incorporated) and first is not None and e.effective_on < first:
        return (
            [
                error(
                    "MB-BEFORE-INCORPORATION",
                    f"{e.effective_on.isoformat()} is before the corporation "
                    f"was incorporated ({first.isoformat()})",
                    cites=("8 Del. C. § 106",),
                )
            ],
            [],
            True,
        )
    if e.effective_on >= book.last:
        before = freeze(book.build, e.effective_on, copy=False)
        findings = ledger.check(before, e, historical)
        findings += _rules(book, e, before, historical)
        ents = entries(e, book.build)
        if isinstance(e.body, CharterAmended):
            b2 = _Build()
            for x in sorted(corrected([*book.events, e]), key=Event.sort_key):
                fold(b2, x)
            findings += ledger.check_after(freeze(b2, e.effective_on), e, historical)
        return findings, ents, True
    return _backdated(book, e, historical)


def _backdated(book: Folded, e: Event, historical: bool) -> tuple[list[Finding], list[Entry], bool]:
    """Check a back-dated `e`, and every later event against the state it now leaves; a later event's defect
    that the log already had (without the new event) is not the new event's conflict."""
    existing = sorted(book.history, key=Event.sort_key)
    already: set[tuple[int | None, str]] = set()
    b, g = _Build(), gov.Record()
    appr = Approvals(g, book.state_at)  # kept while only shares move, as in `Folded.approvals`
    for x in existing:
        if x.effective_on >= e.effective_on:
            st = freeze(b, x.effective_on, copy=False)
            already |= {(x.seq, f.code) for f in ledger.check(st, x, historical)}
            already |= {(x.seq, f.code) for f in _later_rules(x, st, g, historical, appr)}
        fold(b, x)
        gov.apply(g, x)
        if not isinstance(x.body, LEDGER_TYPES):
            appr = Approvals(g, book.state_at)
    new_log = [*book.events, e]
    states: dict[date, State] = {}

    def state_at(on: date) -> State:  # the ledger on a date as the log would be with `e`
        if on not in states:
            states[on] = replay(new_log, on)
        return states[on]

    b, g = _Build(), gov.Record()
    appr = Approvals(g, state_at)
    findings: list[Finding] = []
    ents: list[Entry] = []
    for x in sorted(corrected(new_log), key=Event.sort_key):
        if x is e:
            before = freeze(b, e.effective_on, copy=False)
            findings += ledger.check(before, e, historical)
            findings += _rules(book, e, before, historical, g)
            ents = entries(e, b)
        elif x.effective_on >= e.effective_on:
            st = freeze(b, x.effective_on, copy=False)
            later = [*ledger.check(st, x, historical), *_later_rules(x, st, g, historical, appr)]
            for f in later:
                if (x.seq, f.code) in already or not (f.severity == Severity.ERROR or historical):
                    continue
                message = (
                    f"with this back-dated event, event {x.seq} ({x.type} on "
                    f"{x.effective_on.isoformat()}) would be invalid: {f.message}"
                )
                findings.append(Finding(f.severity, "MB-BACKDATED-CONFLICT", message, f.source, f.cites))
        fold(b, x)
        gov.apply(g, x)
        if not isinstance(x.body, LEDGER_TYPES):
            appr = Approvals(g, state_at)
    return findings, ents, False


def _correction(book: Folded, e: Event, historical: bool) -> tuple[list[Finding], list[Entry], bool]:
    """Check a `Correction` as the next act: the rules on the correction itself (the approval it needs), then
    the corrected history from the corrected event's place on, each event against the state the correction
    leaves. A defect the history did not have before is the correction's: on the corrected event itself, the
    rule's own finding; on a later event, `MB-CORRECTION-CONFLICT`. It writes no ledger entries (the append
    rebuilds the projections from the corrected history)."""
    fix: Correction = e.body  # type: ignore[assignment]
    before = freeze(book.build, e.effective_on, copy=False)
    findings = _rules(book, e, before, historical)
    target = next((x for x in book.events if x.seq == fix.corrects), None)
    if target is None:
        raise MinutebookError(f"no event {fix.corrects} in the log to correct")
    start = Event.sort_key(target)
    already = {(x.seq, f.code) for x, f in _judge(book.history, start, historical, book.state_at)}
    new_log = [*book.events, e]
    states: dict[date, State] = {}

    def state_at(on: date) -> State:  # the ledger on a date in the corrected history
        if on not in states:
            states[on] = replay(new_log, on)
        return states[on]

    for x, f in _judge(corrected(new_log), start, historical, state_at):
        if (x.seq, f.code) in already or not (f.severity == Severity.ERROR or historical):
            continue
        what = f"{x.type} on {x.effective_on.isoformat()}"
        if x.seq == fix.corrects:
            findings.append(replace(f, message=f"the corrected event {x.seq} ({what}): {f.message}"))
        else:
            message = f"with this correction, event {x.seq} ({what}) would be invalid: {f.message}"
            findings.append(Finding(f.severity, "MB-CORRECTION-CONFLICT", message, f.source, f.cites))
    return findings, [], e.effective_on >= book.last


def _judge(history, start: tuple, historical: bool, state_at) -> list[tuple[Event, Finding]]:
    """Each event of `history` from sort key `start` on (corrections aside), with the findings of the ledger
    and DGCL rules on it against the state just before it."""
    out: list[tuple[Event, Finding]] = []
    b, g = _Build(), gov.Record()
    appr = Approvals(g, state_at)
    for x in sorted(history, key=Event.sort_key):
        if Event.sort_key(x) >= start and not isinstance(x.body, Correction):
            st = freeze(b, x.effective_on, copy=False)
            found = (*ledger.check(st, x, historical), *_later_rules(x, st, g, historical, appr))
            out += [(x, f) for f in found]
        fold(b, x)
        gov.apply(g, x)
        if not isinstance(x.body, LEDGER_TYPES):
            appr = Approvals(g, state_at)
    return out


def _rules(
    book: Folded, e: Event, before: State, historical: bool, record: gov.Record | None = None
) -> list[Finding]:
    """The DGCL rules' findings on `e`, with the book's governance record (or `record`, the one built up to
    a back-dated `e`; the acts the book holds after it are then named as later)."""
    if record is None:
        record, approvals = book.record, book.approvals()
    else:
        approvals = Approvals(record, book.state_at)
    later = frozenset(book.record.known_ids()) if record is not book.record else frozenset()
    ctx = registry.Context(e, before, record, historical, book.state_at, approvals, later)
    return registry.run(ctx)


def _later_rules(x: Event, st: State, g: gov.Record, historical: bool, appr: Approvals) -> list[Finding]:
    """The DGCL rules' findings on a later event `x` (for the back-dating check); a later act that no
    longer reads (a meeting the back-dated event changes) is itself a conflict."""
    try:
        return registry.run(registry.Context(x, st, g, historical, appr.state_at, appr))
    except MinutebookError as ex:
        return [error("MB-LATER-ACT-UNREADABLE", str(ex))]


def history(events: Sequence[Event]) -> tuple[list[list[Entry]], list[list[Finding]]]:
    """Each event's ledger entries and findings, checked as history in one fold from an empty book: each
    against the state just before it on its date (and a charter change against the state after it). An event
    dated before the formation (the batch's `Incorporated`), other than a recorded approval, is a finding."""
    ledger_rows, findings, _ = _history(events)
    return ledger_rows, findings


def _history(events: Sequence[Event]) -> tuple[list[list[Entry]], list[list[Finding]], _Build]:
    """`history`, with the ledger build its fold ends with."""
    c = _Check(events)
    rows, found = c.upto(len(events))
    return rows, found, c.b


class _Check:
    """`history`'s fold, done a slice at a time (`upto`): a large batch's check sends each slice's answer as soon as it
    is ready, and the caller writes its ledger entries while the next slice is checked."""

    def __init__(self, events: Sequence[Event]):
        self.events = events
        self.formation = next((e.effective_on for e in events if isinstance(e.body, Incorporated)), None)
        self.b = _Build()
        self.state: State | None = None
        self.key: tuple | None = None
        self.done = 0

    def between(self, lo: int, hi: int) -> tuple[list[list[Entry]], list[list[Finding]]]:
        """The answer for events lo to hi, the fold first brought to `lo` where it is behind (a caller answering for a
        child that ended partway: its own fold starts from nothing)."""
        if self.done > lo:
            raise MinutebookError(f"the history check is at event {self.done}, past {lo}")
        if self.done < lo:
            self.upto(lo)
        return self.upto(hi)

    def upto(self, k: int) -> tuple[list[list[Entry]], list[list[Finding]]]:
        """Check the events from the last slice's end to `k`: their ledger entries and findings."""
        formation, b = self.formation, self.b
        state, key = self.state, self.key
        ledger_rows: list[list[Entry]] = []
        findings: list[list[Finding]] = []
        for i in range(self.done, k):
            e = self.events[i]
            found = []
            if (
                formation is not None
                and e.effective_on < formation
                and not isinstance(e.body, (Incorporated, ApprovalRecorded))
            ):
                found.append(
                    error(
                        "MB-BEFORE-INCORPORATION",
                        f"{e.effective_on.isoformat()} is before the issuer's formation date ({formation.isoformat()})",
                        cites=("8 Del. C. § 106",),
                    )
                )
            # `freeze(b, on, copy=False)`: a view of the live build; its charter is made again only when a version
            # was added or replaced (building it for each of 100,000 events would be most of the fold), and the view
            # is restamped only when the date moves (the rules read its date, never its count of events applied)
            now = (len(b.versions), id(b.versions[-1]) if b.versions else 0)
            if state is None or now != key:
                state, key = freeze(b, e.effective_on, copy=False), now
            elif state.as_of != e.effective_on:
                state = state.restamped(e.effective_on, b.applied)
            found += ledger.check(state, e, True)
            ledger_rows.append(entries(e, b))
            fold(b, e)
            if isinstance(e.body, CharterAmended):
                found += ledger.check_after(freeze(b, e.effective_on, copy=False), e, True)
            findings.append(found)
        self.state, self.key, self.done = state, key, k
        return ledger_rows, findings


class Checked:
    """A history check under way, in slices: call it for the whole answer (ledger entries, findings), or iterate
    `ledger()` for the entries slice by slice, each waited for only when reached."""

    def __init__(self, slices: Sequence[Callable[[], tuple[list[list[Entry]], list[list[Finding]]]]]):
        self._slices = slices

    def ledger(self) -> Iterator[list[Entry]]:
        for answer in self._slices:
            yield from answer()[0]

    def __call__(self) -> tuple[list[list[Entry]], list[list[Finding]]]:
        rows: list[list[Entry]] = []
        found: list[list[Finding]] = []
        for answer in self._slices:
            r, f = answer()
            rows += r
            found += f
        return rows, found


PARALLEL_FROM = 20_000  # events: a smaller batch is checked in place (the fork and the pipe would cost more)


SLICES = 8  # a large batch's check is sent in this many slices


def history_started(
    events: Sequence[Event],
    before: Sequence[Callable[[], T]] = (),
    then: Callable[[_Build], object] | None = None,
) -> tuple[list[Callable[[], T | None]], Checked, Callable[[], object]]:
    """`history(events)`, started; call the second thing returned for its answer (or iterate its `ledger()`). A large
    batch is checked beside the caller (`book.parallel`: a forked child on the other core) while the caller writes the
    events, and its answer is sent in `SLICES` slices, each as soon as it is ready. `before` is work the child does
    first, piece by piece, each answer sent when ready (the first thing returned: a function per piece, answering
    None for a small batch): the caller's write asks for them early, the check's answer only at the end. `then` is
    work the child does last, once the check's answer is sent, with the ledger build the check's fold ended with (that
    part of the book's fold snapshot: `book.snapshot.build_of`): the third function returned answers it — None for a
    small batch checked in place, without `then`, or when the child ended before it (the caller has no build to give
    it). Call it whenever the second was called: the child waits to send its answer."""
    none: Callable[[], None] = lambda: None  # noqa: E731
    if len(events) < PARALLEL_FROM:
        answer = history(events)
        return [none for _ in before], Checked([lambda: answer]), none
    c = _Check(events)
    n = len(events)
    bounds = [n * i // SLICES for i in range(SLICES + 1)]
    slices: list[Callable[[], Any]] = [
        lambda lo=lo, hi=hi: c.between(lo, hi) for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]

    def after() -> object:  # in the child, once every slice is checked
        return then(c.b) if then is not None and c.done == n else None

    works = [*before, *slices, after] if then is not None else [*before, *slices]
    got = beside_each(works)
    at = len(before)
    return got[:at], Checked(got[at : at + SLICES]), (got[-1] if then is not None else none)
