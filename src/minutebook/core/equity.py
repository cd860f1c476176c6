"""Equity compensation and convertibles as state: plans and their pools, awards (options, RSUs, restricted stock
awards, warrants) with their vesting, SAFEs and notes, valuations — a fold over the events, beside the ledger's
(`core.replay` keeps one `Equity` in its build and hands it to every `State`).

What is worked out on a date (`position`, `pool_available`, `reserved`):
- an award's rights outstanding = granted − exercised − ended − lapsed, where the rights that lapse without an
  event are the unvested ones when service ends, and the unexercised ones once the award expires or the window
  after service ends closes (the book shows them lapsed until an `AwardEnded` records it);
- a plan's pool available = reserved − granted under it + returned to it (ended or lapsed rights, where the plan
  returns them), never counting exercises (a granted share has already left the pool);
- the shares a class must keep for its promises = every plan's pool available + every outstanding right to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from heapq import heappop, heappush

from .events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    AwardRepriced,
    ChangeOfControl,
    ConvertibleConverted,
    ConvertibleIssued,
    Event,
    PlanAdopted,
    PoolChanged,
    ServiceEnded,
    SharesIssued,
    ValuationRecorded,
    VestingAccelerated,
    VestingDefined,
    VestingEventOccurred,
    VestingStarted,
)
from .heap import fast_pickling
from .vesting import Schedule, schedule_from_dict, vested

RIGHTS = ("option", "rsu", "warrant")  # awards that are rights to shares not yet issued (an RSA is stock)
DEFAULT_WINDOW_DAYS = 90  # the usual post-termination exercise window, when a grant names none


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    name: str
    class_key: str
    reserved: int
    on_forfeit: str
    adopted_on: date
    approved_by: str | None = None
    stockholder_approval: str | None = None
    history: tuple[tuple[date, int], ...] = ()  # (date, reserved) for each change of the pool


@dataclass(frozen=True, slots=True)
class Award:
    id: str
    holder_id: str
    kind: str
    class_key: str
    series_key: str | None
    quantity: int
    granted_on: date
    plan_id: str | None = None
    exercise_price: Decimal | None = None
    option_type: str | None = None
    expires_on: date | None = None
    windows: tuple[tuple[str, int], ...] = ()
    vesting: str | None = None
    vesting_start: date | None = None
    early_exercise: bool = False
    acceleration: tuple[tuple[str, str], ...] = ()
    approved_by: str | None = None
    exercised: int = 0  # rights used (options, warrants, RSUs released)
    ended: int = 0  # rights ended by an event (forfeited, expired, cancelled, retracted)
    accelerated: int = 0
    to_issue: int = 0  # shares owed on exercises not yet issued
    issued: int = 0  # shares issued on its exercises (an RSA: its stock)
    exercises: tuple[tuple[date, int], ...] = ()
    repricings: tuple[tuple[date, Decimal], ...] = ()
    ends: tuple[tuple[date, int], ...] = ()  # (date, rights ended) for each `AwardEnded`
    accelerations: tuple[tuple[date, int], ...] = ()  # (date, shares) for each `VestingAccelerated`

    def on(self, on: date) -> tuple[int, int, int]:
        """(exercised, ended, accelerated) on `on`: the running totals, less the moves dated after it (the fold
        holds the whole log; a question about an earlier date reads the dated moves)."""
        exercised, ended, accelerated = self.exercised, self.ended, self.accelerated
        if self.exercises and self.exercises[-1][0] > on:
            exercised = sum(n for d, n in self.exercises if d <= on)
        if self.ends and self.ends[-1][0] > on:
            ended = sum(n for d, n in self.ends if d <= on)
        if self.accelerations and self.accelerations[-1][0] > on:
            accelerated = sum(n for d, n in self.accelerations if d <= on)
        return exercised, ended, accelerated

    def window(self, reason: str) -> int:
        d = dict(self.windows)
        return int(d.get(reason, d.get("default", DEFAULT_WINDOW_DAYS)))


@dataclass(frozen=True, slots=True)
class Convertible:
    id: str
    holder_id: str
    kind: str
    amount: Decimal
    issued_on: date
    cap: Decimal | None = None
    cap_basis: str = "post"
    discount: Decimal | None = None
    mfn: bool = False
    interest_rate: Decimal | None = None
    maturity_on: date | None = None
    approved_by: str | None = None
    converted_on: date | None = None
    conversion: ConvertibleConverted | None = None
    to_issue: int = 0
    issued: int = 0


@dataclass(frozen=True, slots=True)
class Valuation:
    id: str
    class_key: str
    price_per_share: Decimal
    on: date
    provider: str | None = None
    kind: str = "409A"


@dataclass(frozen=True, slots=True)
class Position:
    """An award on a date."""

    award: Award
    on: date
    vested: int  # of the quantity granted (time, milestones, acceleration; stopped when service ended)
    unvested: int
    exercised: int
    ended: int  # by an event
    lapsed: int  # ended without an event: forfeited on leaving, expired, the window closed
    outstanding: int  # rights still held (an RSA: 0, its shares are stock)
    exercisable: int  # outstanding rights that may be exercised now
    expires: date | None  # the last day to exercise, if any
    returned: int  # shares back in the plan's pool from this award

    @property
    def restricted(self) -> int:
        """Shares held as stock that have not vested (an RSA, an early exercise): subject to repurchase."""
        if self.award.kind == "rsa":
            return min(self.unvested, self.award.issued)
        return max(0, self.exercised - self.vested)


@dataclass(slots=True)
class Equity:
    plans: dict[str, Plan] = field(default_factory=dict)
    awards: dict[str, Award] = field(default_factory=dict)
    terms: dict[str, tuple[str, Schedule]] = field(default_factory=dict)  # id -> (name, schedule)
    convertibles: dict[str, Convertible] = field(default_factory=dict)
    valuations: list[Valuation] = field(default_factory=list)
    service_ended: dict[str, tuple[date, str]] = field(default_factory=dict)  # holder -> (date, reason)
    milestones: dict[tuple[str | None, str], date] = field(
        default_factory=dict
    )  # (award or None, event) -> date
    change_of_control: date | None = None
    # running totals from the events alone (no lapse worked out): the checks' fast path (`bounds`)
    granted: dict[str, int] = field(default_factory=dict)  # plan -> shares granted under it
    returned: dict[str, int] = field(default_factory=dict)  # plan -> shares returned to it by `AwardEnded`
    open_rights: dict[str, int] = field(
        default_factory=dict
    )  # class -> rights granted, not exercised or ended
    owed: dict[str, int] = field(default_factory=dict)  # class -> shares owed on exercises, not yet issued
    last: date = date.min  # the latest date of an equity event folded in
    # (class, series) -> (date, price) of the latest issuance for cash outside any award: a priced round
    priced: dict[tuple[str, str | None], tuple[date, Decimal]] = field(default_factory=dict)
    # the rights under a returning plan that have expired by `settled_to`, settled once (`_settle`): their unused
    # rights are back in the pool for good, so the bound need not look at them again (a pool near its end would
    # otherwise send every grant to the exact count over every award)
    expiring: list[tuple[date, str]] = field(
        default_factory=list
    )  # a heap of (expires_on, award) not settled
    lapsed_back: dict[str, int] = field(
        default_factory=dict
    )  # plan -> rights returned by the expiries settled
    settled: set[str] = field(default_factory=set)
    settled_to: date = date.min
    popped: list[tuple[date, str]] = field(default_factory=list)  # the heap's entries `_settle` took off it

    def copy(self) -> Equity:
        return Equity(
            dict(self.plans),
            dict(self.awards),
            dict(self.terms),
            dict(self.convertibles),
            list(self.valuations),
            dict(self.service_ended),
            dict(self.milestones),
            self.change_of_control,
            dict(self.granted),
            dict(self.returned),
            dict(self.open_rights),
            dict(self.owed),
            self.last,
            dict(self.priced),
            list(self.expiring),
            dict(self.lapsed_back),
            set(self.settled),
            self.settled_to,
            list(self.popped),
        )

    def __bool__(self) -> bool:
        return bool(self.plans or self.awards or self.convertibles or self.valuations)

    # --- on a date -----------------------------------------------------------------------------------------

    def schedule(self, a: Award) -> Schedule | None:
        t = self.terms.get(a.vesting) if a.vesting else None
        return t[1] if t else None

    def counts(self, a: Award, on: date) -> tuple[int, int]:
        """(outstanding, returned) of `position(a.id, on)`, without working out the vesting where it cannot matter
        (the holder still in service): what the fully diluted table and the pools need, award by award."""
        left = self.service_ended.get(a.holder_id)
        if left is not None and left[0] <= on:
            p = self.position(a.id, on)
            return p.outstanding, p.returned
        exercised, ended, _ = a.on(on)
        if a.kind == "rsa":
            outstanding, back = 0, ended
        else:
            remaining = a.quantity - exercised - ended
            lapsed = remaining if a.expires_on is not None and on > a.expires_on else 0
            outstanding, back = max(0, remaining - lapsed), ended + lapsed
        plan = self.plans.get(a.plan_id) if a.plan_id else None
        return outstanding, back if plan is not None and plan.on_forfeit == "return" else 0

    def position(self, award_id: str, on: date) -> Position:  # noqa: C901 - the lifecycle in one place
        """The award on `on`, any date of the fold's history: what was exercised, ended and accelerated is read
        from the dated moves (the shares owed and issued on exercises, `to_issue` and `issued`, are the fold's)."""
        a = self.awards[award_id]
        exercised, ended, accelerated = a.on(on)
        events = {ev: d for (who, ev), d in self.milestones.items() if who in (None, a.id) and d <= on}
        left = self.service_ended.get(a.holder_id)
        left = left if left and left[0] <= on else None
        stop = min(on, left[0]) if left else on
        v = vested(a.quantity, self.schedule(a), a.vesting_start, stop, events)
        v = min(a.quantity, v + accelerated + self._auto_acceleration(a, v, accelerated, stop, left))
        unvested = a.quantity - v
        remaining = a.quantity - exercised - ended  # rights not used or ended by an event
        lapsed, expires = 0, a.expires_on
        if a.kind != "rsa":
            if left is not None:
                # unvested rights are forfeited when service ends (early-exercised stock is bought back instead)
                # (less those an `AwardEnded` already recorded as ended)
                lapsed = max(0, min(remaining, a.quantity - v - max(0, exercised - v) - ended))
                if a.kind == "option":
                    end = left[0] + timedelta(days=a.window(left[1]))
                    expires = end if expires is None else min(expires, end)
            if expires is not None and on > expires:
                lapsed = remaining
        else:
            if left is not None:
                lapsed = max(0, unvested - ended)  # unvested RSA shares: forfeited (repurchased) on leaving
        outstanding = 0 if a.kind == "rsa" else max(0, remaining - lapsed)
        if a.kind == "rsa":
            exercisable = 0
        elif a.kind == "rsu":
            exercisable = max(0, min(outstanding, v - exercised))  # vested units not yet released
        elif a.early_exercise and left is None:
            exercisable = outstanding
        else:
            exercisable = max(0, min(outstanding, v - exercised))
        plan = self.plans.get(a.plan_id) if a.plan_id else None
        # unvested restricted stock stays issued until its repurchase is recorded (`AwardEnded`): only then do its
        # shares go back to the pool; a lapsed right goes back at once
        back = ended if a.kind == "rsa" else ended + lapsed
        returned = back if plan and plan.on_forfeit == "return" else 0
        return Position(
            a, on, v, unvested, exercised, ended, lapsed, outstanding, exercisable, expires, returned
        )

    def _auto_acceleration(self, a: Award, v: int, accelerated: int, on: date, left) -> int:
        """Shares a single trigger (a change of control) or a double trigger (a change of control, then service
        ended without cause within 12 months) vests on top of the schedule, as the grant provides."""
        cic = self.change_of_control
        acc = dict(a.acceleration)
        if cic is None or cic > on or not acc:
            return 0
        portion = Fraction(0)
        if "single" in acc:
            portion = max(portion, Fraction(acc["single"]))
        if (
            "double" in acc
            and left is not None
            and left[1] in ("involuntary", "good reason")
            and cic <= left[0] <= cic + timedelta(days=365)
        ):
            portion = max(portion, Fraction(acc["double"]))
        unvested = a.quantity - v - accelerated
        return int(unvested * portion)

    def reserved_under(self, plan_id: str, on: date) -> int:
        p = self.plans[plan_id]
        reserved = p.reserved
        for when, n in p.history:
            if when > on:
                break
            reserved = n
        return reserved

    def pool(self, plan_id: str, on: date) -> tuple[int, int, int]:
        """(reserved, granted, returned) under a plan on `on`."""
        reserved = self.reserved_under(plan_id, on)
        granted = returned = 0
        for a in self.awards.values():
            if a.plan_id == plan_id and a.granted_on <= on:
                granted += a.quantity
                returned += self.counts(a, on)[1]
        return reserved, granted, returned

    def pool_available(self, plan_id: str, on: date) -> int:
        reserved, granted, returned = self.pool(plan_id, on)
        return reserved - granted + returned

    def rights(self, on: date, class_key: str | None = None) -> dict[str, int]:
        """Outstanding rights by kind (option, rsu, warrant) on `on`, of a class or of all."""
        out = {k: 0 for k in RIGHTS}
        for a in self.awards.values():
            if a.kind in RIGHTS and a.granted_on <= on and (class_key is None or a.class_key == class_key):
                out[a.kind] += self.counts(a, on)[0]
        return out

    def reserved(self, class_key: str, on: date) -> int:
        """Shares of a class the corporation has promised and not issued: every plan's pool available and every
        outstanding right to it, with the shares owed on exercises not yet issued (§161 counts them as spoken
        for)."""
        n = sum(self.pool_available(p.id, on) for p in self.plans.values() if p.class_key == class_key)
        n += sum(self.rights(on, class_key).values())
        n += sum(a.to_issue for a in self.awards.values() if a.class_key == class_key)
        return n

    def available_at_least(self, plan_id: str, on: date) -> int:
        """A lower bound of the pool available on `on` from the running totals (exact but for the lapses not yet
        settled, which only return shares), valid on or after the latest equity event and the dates settled; the
        exact figure otherwise."""
        if on < self.last or on < self.settled_to:
            return self.pool_available(plan_id, on)
        self._settle(on)
        return (
            self.reserved_under(plan_id, on)
            - self.granted.get(plan_id, 0)
            + self.returned.get(plan_id, 0)
            + self.lapsed_back.get(plan_id, 0)
        )

    def _settle(self, on: date) -> None:
        """Settle the rights expired before `on` (on or after every event folded): what they had left is back in
        their plan's pool for good (an `AwardEnded` recording it later moves it from lapsed to ended)."""
        heap = self.expiring
        while heap and heap[0][0] < on:
            _, aid = entry = heappop(heap)
            self.popped.append(entry)
            a = self.awards.get(aid)
            if a is None or aid in self.settled:
                continue
            self.settled.add(aid)
            _add(self.lapsed_back, a.plan_id, max(0, a.quantity - a.exercised - a.ended))
        self.settled_to = max(self.settled_to, on)

    def unsettled(self) -> Equity | None:
        """This fold as a fold of the same events leaves it when nothing asked `available_at_least` (no expiry settled):
        the expiries the settlements took off the heap pushed back, in the order of their grants as the fold pushes
        them, and the settlements' totals cleared. An import's history check settles as it checks the grants; the
        book's fold snapshot made from that check's fold (`book.snapshot.build_of`) must be the fold an opening makes.
        None where an award was granted twice under one id (the order of the pushes is then not the awards')."""
        if self.settled_to == date.min:
            return self
        entries = {aid: (on, aid) for on, aid in (*self.expiring, *self.popped)}
        if len(entries) != len(self.expiring) + len(self.popped):
            return None
        new = self.copy()
        new.expiring = []
        for aid in self.awards:
            entry = entries.pop(aid, None)
            if entry is not None:
                heappush(new.expiring, entry)
        if entries:  # an expiry pushed for an award the fold does not hold
            return None
        new.lapsed_back, new.settled, new.settled_to, new.popped = {}, set(), date.min, []
        return new

    def reserved_at_most(self, class_key: str, on: date) -> int:
        """An upper bound of `reserved(class_key, on)` from the running totals (a lapse only moves a right back to
        the pool or retires it), valid on or after the latest equity event; the exact figure otherwise."""
        if on < self.last:
            return self.reserved(class_key, on)
        n = sum(self.available_at_least(p.id, on) for p in self.plans.values() if p.class_key == class_key)
        return n + self.open_rights.get(class_key, 0) + self.owed.get(class_key, 0)

    def valuation(self, class_key: str, on: date) -> Valuation | None:
        """The latest valuation of a class on or before `on`."""
        best = None
        for v in self.valuations:
            if v.class_key == class_key and v.on <= on and (best is None or v.on >= best.on):
                best = v
        return best


_FIELDS = {t: tuple(f.name for f in fields(t)) for t in (Plan, Award, Convertible)}
_NAMES = {t: frozenset(names) for t, names in _FIELDS.items()}


def _copier(t: type):
    """A copy of a frozen record of type `t`, field by field in straight-line code (made once per type: no loop over
    the field names, no `getattr` by name)."""
    lines = [f"    _set(new, {n!r}, obj.{n})" for n in _FIELDS[t]]
    code = "def copy(obj):\n    new = _new(_t)\n" + "\n".join(lines) + "\n    return new\n"
    scope = {"_new": object.__new__, "_set": object.__setattr__, "_t": t}
    exec(code, scope)  # noqa: S102 - the source is made here from the dataclass's own field names
    return scope["copy"]


_COPY = {t: _copier(t) for t in _FIELDS}


def apply(q: Equity, e: Event) -> bool:  # noqa: C901 - one branch per event type
    """Fold an event into `q`; False when it is not one of equity's."""
    b, on = e.body, e.effective_on
    if isinstance(b, SharesIssued):
        if b.award_id:
            if b.award_id in q.awards:
                a = q.awards[b.award_id]
                paid = min(a.to_issue, b.shares)
                _add(q.owed, a.class_key, -paid)
                q.awards[a.id] = _with(a, to_issue=a.to_issue - paid, issued=a.issued + b.shares)
            elif b.award_id in q.convertibles:
                c = q.convertibles[b.award_id]
                q.convertibles[c.id] = _with(
                    c, to_issue=max(0, c.to_issue - b.shares), issued=c.issued + b.shares
                )
        elif b.consideration_kind == "cash" and not b.from_treasury and b.price_per_share > 0:
            q.priced[(b.class_key, b.series_key)] = (on, b.price_per_share)
        return False
    if isinstance(b, ValuationRecorded):
        q.valuations.append(Valuation(b.valuation_id, b.class_key, b.price_per_share, on, b.provider, b.kind))
    elif isinstance(b, PlanAdopted):
        q.plans[b.plan_id] = Plan(
            b.plan_id,
            b.name,
            b.class_key,
            b.reserved,
            b.on_forfeit,
            on,
            b.approved_by,
            b.stockholder_approval,
        )
    elif isinstance(b, PoolChanged):
        p = q.plans.get(b.plan_id)
        if p is not None:
            q.plans[p.id] = _with(
                p,
                history=(*p.history, (on, b.reserved)),
                stockholder_approval=p.stockholder_approval or b.stockholder_approval,
            )
    elif isinstance(b, VestingDefined):
        q.terms[b.terms_id] = (b.name, schedule_from_dict(b.schedule))
    elif isinstance(b, AwardGranted):
        if b.plan_id:
            _add(q.granted, b.plan_id, b.quantity)
        if b.kind in RIGHTS:
            _add(q.open_rights, b.class_key, b.quantity)
            plan = q.plans.get(b.plan_id) if b.plan_id else None
            if b.expires_on is not None and plan is not None and plan.on_forfeit == "return":
                heappush(q.expiring, (b.expires_on, b.award_id))
        q.awards[b.award_id] = Award(
            b.award_id,
            b.holder_id,
            b.kind,
            b.class_key,
            b.series_key,
            b.quantity,
            on,
            b.plan_id,
            b.exercise_price,
            b.option_type,
            b.expires_on,
            tuple(sorted((str(k), int(v)) for k, v in b.exercise_windows.items())),
            b.vesting,
            b.vesting_start,
            b.early_exercise,
            tuple(sorted((str(k), str(v)) for k, v in b.acceleration.items())),
            b.approved_by,
        )
    elif isinstance(b, AwardExercised):
        a = q.awards.get(b.award_id)
        if a is not None:
            if a.kind in RIGHTS:
                _add(q.open_rights, a.class_key, -b.quantity)
            _add(q.owed, a.class_key, b.shares)
            if a.id in q.settled:  # exercised after its expiry was settled: those rights did not come back
                _add(q.lapsed_back, a.plan_id, -b.quantity)
            q.awards[a.id] = _with(
                a,
                exercised=a.exercised + b.quantity,
                to_issue=a.to_issue + b.shares,
                exercises=(*a.exercises, (on, b.quantity)),
            )
    elif isinstance(b, AwardEnded):
        a = q.awards.get(b.award_id)
        if a is not None:
            if a.kind in RIGHTS:
                _add(q.open_rights, a.class_key, -b.quantity)
            plan = q.plans.get(a.plan_id) if a.plan_id else None
            if plan is not None and plan.on_forfeit == "return":
                _add(q.returned, plan.id, b.quantity)
                if a.id in q.settled:  # already back as lapsed: now recorded as ended
                    _add(q.lapsed_back, plan.id, -b.quantity)
            q.awards[a.id] = _with(a, ended=a.ended + b.quantity, ends=(*a.ends, (on, b.quantity)))
    elif isinstance(b, AwardRepriced):
        a = q.awards.get(b.award_id)
        if a is not None:
            q.awards[a.id] = _with(
                a, exercise_price=b.exercise_price, repricings=(*a.repricings, (on, b.exercise_price))
            )
    elif isinstance(b, VestingStarted):
        a = q.awards.get(b.award_id)
        if a is not None:
            q.awards[a.id] = _with(a, vesting_start=on)
    elif isinstance(b, VestingEventOccurred):
        q.milestones.setdefault((b.award_id, b.event), on)
    elif isinstance(b, VestingAccelerated):
        a = q.awards.get(b.award_id)
        if a is not None:
            q.awards[a.id] = _with(
                a, accelerated=a.accelerated + b.quantity, accelerations=(*a.accelerations, (on, b.quantity))
            )
    elif isinstance(b, ServiceEnded):
        q.service_ended.setdefault(b.holder_id, (on, b.reason))  # the first departure ends vesting
    elif isinstance(b, ChangeOfControl):
        if q.change_of_control is None:
            q.change_of_control = on
    elif isinstance(b, ConvertibleIssued):
        q.convertibles[b.convertible_id] = Convertible(
            b.convertible_id,
            b.holder_id,
            b.kind,
            b.amount,
            on,
            b.cap,
            b.cap_basis,
            b.discount,
            b.mfn,
            b.interest_rate,
            b.maturity_on,
            b.approved_by,
        )
    elif isinstance(b, ConvertibleConverted):
        c = q.convertibles.get(b.convertible_id)
        if c is not None:
            q.convertibles[c.id] = _with(c, converted_on=on, conversion=b, to_issue=c.to_issue + b.shares)
    else:
        return False
    q.last = max(q.last, on)
    return True


def _add(d: dict, k, n: int) -> None:
    d[k] = d.get(k, 0) + n


def _with(obj, **changes):
    """`dataclasses.replace` for the fold's frozen records, without its per-call introspection of the fields (the
    fold changes a record for every exercise, ending and issuance)."""
    t = type(obj)
    if not changes.keys() <= _NAMES[t]:
        raise TypeError(f"{t.__name__} has no field {sorted(changes.keys() - set(_FIELDS[t]))}")
    new = _COPY[t](obj)
    for name, value in changes.items():
        object.__setattr__(new, name, value)
    return new


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
