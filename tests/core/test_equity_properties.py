"""Properties of the equity fold (`core.equity`) and the fully diluted table over random histories: vested never
exceeds granted; a plan's pool available is reserved − granted + returned; fully diluted is outstanding + every
outstanding right + the pools available; and the fast bounds the rules use never contradict the exact figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.core import record
from minutebook.core.captable import fully_diluted
from minutebook.core.equity import RIGHTS
from minutebook.core.events import (
    EQUITY_TYPES,
    AwardEnded,
    AwardExercised,
    AwardGranted,
    DirectorsElected,
    Event,
    PlanAdopted,
    PoolChanged,
    ServiceEnded,
    SharesIssued,
    StakeholderAdded,
    VestingDefined,
)
from minutebook.core.replay import _Build, replay
from minutebook.core.replay import apply as fold
from minutebook.core.vesting import monthly

START = date(2020, 1, 1)


@st.composite
def histories(draw):
    """A plan, its pool changes, grants (options, RSUs, warrants, RSAs) with random vesting, exercises within what
    may be exercised, endings and departures; each event dated after the one before."""
    events: list[Event] = []
    day = START

    def add(body, step=0):
        nonlocal day
        day += timedelta(days=step)
        events.append(Event(body, day, seq=len(events) + 1))

    people = [f"h{i}" for i in range(draw(st.integers(1, 4)))]
    for h in people:
        add(StakeholderAdded(h, h.upper()))
    add(SharesIssued("h0", "common", draw(st.integers(1, 10_000_000)), D("0.001"), D("1")))
    reserved = draw(st.integers(0, 2_000_000))
    add(PlanAdopted("P", "Plan", reserved, "common", draw(st.sampled_from(["return", "retire"]))))
    total, cliff = draw(st.sampled_from([(48, 12), (36, 0), (12, 12), (24, 6), (4, 1)]))
    add(VestingDefined("T", "terms", monthly(total, cliff).to_dict()))
    granted = 0
    for i in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["option", "rsu", "warrant", "rsa"]))
        n = draw(st.integers(1, 500_000))
        in_plan = kind != "warrant" and granted + n <= reserved
        if kind != "warrant" and not in_plan:
            continue
        granted += n if in_plan else 0
        holder = draw(st.sampled_from(people))
        a = f"A{i}"
        add(
            AwardGranted(
                a,
                holder,
                kind,
                n,
                "common",
                plan_id="P" if in_plan else None,
                exercise_price=D("0.10"),
                expires_on=day + timedelta(days=draw(st.integers(30, 4000))),
                vesting=draw(st.sampled_from([None, "T"])),
                vesting_start=day,
                early_exercise=draw(st.booleans()),
            ),
            draw(st.integers(0, 200)),
        )
        if kind == "rsa":
            add(SharesIssued(holder, "common", n, D("0.10"), D("0.10") * n, award_id=a))
    for _ in range(draw(st.integers(0, 10))):
        step = draw(st.integers(0, 400))
        day2 = day + timedelta(days=step)
        st_ = replay(events, day2)
        q = st_.equity
        live = [x for x in q.awards.values() if x.kind in RIGHTS and q.position(x.id, day2).exercisable]
        choice = draw(st.sampled_from(["exercise", "end", "leave", "pool"]))
        if choice == "exercise" and live:
            x = draw(st.sampled_from(live))
            k = draw(st.integers(1, q.position(x.id, day2).exercisable))
            add(AwardExercised(x.id, k, k, "release" if x.kind == "rsu" else "cash"), step)
            add(SharesIssued(x.holder_id, "common", k, D("0.10"), D("0.10") * k, award_id=x.id))
        elif choice == "end" and q.awards:
            x = draw(st.sampled_from(sorted(q.awards)))
            p = q.position(x, day2)
            left = p.outstanding if q.awards[x].kind != "rsa" else p.unvested - q.awards[x].ended
            if left > 0:
                add(AwardEnded(x, draw(st.integers(1, left)), "cancelled"), step)
        elif choice == "leave":
            add(
                ServiceEnded(draw(st.sampled_from(people)), draw(st.sampled_from(["voluntary", "death"]))),
                step,
            )
        elif choice == "pool":
            low = max(0, granted)  # never below what was granted (ignoring returns): always allowed
            add(PoolChanged("P", draw(st.integers(low, low + 1_000_000))), step)
    return events, day


@settings(max_examples=120, deadline=None)
@given(histories(), st.integers(0, 3000))
def test_equity_invariants(h, offset):
    events, last = h
    on = START + timedelta(days=offset)
    state = replay(events, on)
    q = state.equity
    rights = 0
    for a in q.awards.values():
        p = q.position(a.id, on)
        assert 0 <= p.vested <= a.quantity
        assert p.vested + p.unvested == a.quantity
        assert 0 <= p.outstanding <= a.quantity and 0 <= p.exercisable <= p.outstanding
        assert p.exercised + p.ended + p.lapsed + p.outstanding == (
            a.quantity if a.kind != "rsa" else p.ended + p.lapsed
        )
        if a.kind in RIGHTS:
            rights += p.outstanding
    pools = 0
    for plan in q.plans:
        reserved, granted, returned = q.pool(plan, on)
        assert granted == sum(
            a.quantity for a in q.awards.values() if a.plan_id == plan and a.granted_on <= on
        )
        assert q.pool_available(plan, on) == reserved - granted + returned
        pools += reserved - granted + returned
        if on >= q.last:
            assert q.available_at_least(plan, on) <= q.pool_available(plan, on)
    fd = fully_diluted(state, on)
    outstanding = sum(n for n in state.balances.values())
    assert fd.outstanding == outstanding
    assert fd.options + fd.rsus + fd.warrants == rights
    assert fd.pool_available == pools
    assert fd.total == outstanding + rights + pools
    assert sum(r.total for r in fd.rows) + fd.pool_available == fd.total
    if on >= q.last:
        assert q.reserved_at_most("common", on) >= q.reserved("common", on)


@settings(max_examples=80, deadline=None)
@given(histories(), st.integers(0, 3000))
def test_the_whole_fold_answers_for_any_earlier_date(h, offset):
    """The fold of the whole log, asked about an earlier date, gives what the log folded to that date gives: each
    award's position and the pools (the fully diluted table at a past date needs no replay)."""
    events, _ = h
    on = START + timedelta(days=offset)
    whole = replay(events, date.max)
    then = replay(events, on)
    for a in then.equity.awards.values():
        got, want = whole.equity.position(a.id, on), then.equity.position(a.id, on)
        assert replace(got, award=None) == replace(want, award=None)
    for plan in then.equity.plans:
        assert whole.equity.pool(plan, on) == then.equity.pool(plan, on)
    assert fully_diluted(replace(then, equity=whole.equity), on) == fully_diluted(then, on)


@settings(max_examples=80, deadline=None)
@given(histories(), st.integers(0, 3000))
def test_counts_are_the_positions(h, offset):
    """`Equity.counts` (the fully diluted table's and the pools' quick path) gives what `position` gives."""
    events, _ = h
    on = START + timedelta(days=offset)
    q = replay(events, date.max).equity
    for a in q.awards.values():
        p = q.position(a.id, on)
        assert q.counts(a, on) == (p.outstanding, p.returned)


@settings(max_examples=60, deadline=None)
@given(histories())
def test_the_governance_record_neither_folds_nor_keeps_equity_events(h):
    """The record of a history with equity compensation is the record of its other events: it keeps none of the equity
    events (a book of options holds hundreds of thousands of them, and its fold snapshot would carry them twice)."""
    events, day = h
    board = Event(DirectorsElected(("d1",), {"d1": "Dana"}, "incorporator"), START, seq=len(events) + 1)
    whole = record.build([*events, board])
    assert whole == record.build([e for e in [*events, board] if not isinstance(e.body, EQUITY_TYPES)])
    assert not [e for e in whole.log if isinstance(e.body, EQUITY_TYPES)]
    assert [e.type for e in whole.log] == ["DirectorsElected"]


def _folds(events: list[Event], asks: list[bool]) -> tuple[_Build, _Build]:
    """The fold of `events`, and the fold a history check makes of them: before folding an event it may ask the pool's
    bound on the event's date (as the check of a grant does), which settles the expiries before that date."""
    plain, checked = _Build(), _Build()
    for i, e in enumerate(events):
        q = checked.equity
        if asks[i % len(asks)] and "P" in q.plans and e.effective_on >= q.last:
            q.available_at_least("P", e.effective_on)
        fold(plain, e)
        fold(checked, e)
    return plain, checked


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.booleans(), min_size=1, max_size=30))
def test_a_fold_settled_by_a_check_unsettles_to_the_plain_fold(h, asks):
    """`Equity.unsettled` gives back the fold as the events alone leave it, whatever dates a check settled on (the
    fold snapshot of an import is made from its check's fold: `book.snapshot.build_of`)."""
    events, _ = h
    plain, checked = _folds(events, asks)
    back = checked.equity.unsettled()
    assert back == plain.equity
    assert back.expiring == plain.equity.expiring  # the heap as the fold pushed it, not just the same entries


def _grant(seq: int, award: str, n: int, on: date, expires: date | None) -> Event:
    """An option on `n` common shares under plan P, granted to h0 `on`."""
    return Event(
        AwardGranted(award, "h0", "option", n, "common", plan_id="P", expires_on=expires), on, seq=seq
    )


def test_unsettling_puts_back_the_expiries_settled_and_keeps_the_fold():
    """A grant checked after an earlier option expired settles that expiry (its rights back in the pool); the
    fold unsettled is the plain fold, and both answer the pool alike."""
    day = START
    events = [
        Event(StakeholderAdded("h0", "H0"), day, seq=1),
        Event(PlanAdopted("P", "Plan", 1_000, "common", "return"), day, seq=2),
        _grant(3, "A1", 600, day, day + timedelta(30)),
        _grant(4, "A2", 300, day, day + timedelta(900)),
        _grant(5, "A3", 700, day + timedelta(60), day + timedelta(999)),
    ]
    plain, checked = _folds(events, [True])
    assert checked.equity.settled == {"A1"} and checked.equity.lapsed_back == {"P": 600}
    assert plain.equity.settled == set() and checked.equity != plain.equity
    back = checked.equity.unsettled()
    assert back == plain.equity and back.expiring == plain.equity.expiring
    on = day + timedelta(61)
    assert back.pool_available("P", on) == checked.equity.pool_available("P", on) == 0
    assert back.available_at_least("P", on) == checked.equity.available_at_least("P", on)


def test_unsettling_refuses_an_award_granted_twice_under_one_id():
    day = START
    events = [
        Event(PlanAdopted("P", "Plan", 1_000, "common", "return"), day, seq=1),
        _grant(2, "A1", 10, day, day + timedelta(5)),
        _grant(3, "A1", 10, day + timedelta(1), day + timedelta(9)),
        _grant(4, "A2", 10, day + timedelta(20), None),
    ]
    _, checked = _folds(events, [True])
    assert checked.equity.settled_to > date.min
    assert checked.equity.unsettled() is None
