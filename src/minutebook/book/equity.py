"""Equity compensation and convertibles: plans and their pools, vesting terms, grants of options, RSUs, restricted
stock and warrants, their exercise, release, forfeiture, expiry, repricing and acceleration; SAFEs and notes and
their conversion at a priced round; valuations. Each act checks its arguments (one line naming the bad one), makes
its events and records them through the book's append path (`Writer.record`); an act of two events — an exercise
and the stock it issues, a conversion and its stock — is recorded in one transaction or not at all.

The views: `fully_diluted` (the cap table with every promise counted), `awards` (the option ledger with vesting on a
date) and `pro_forma` (a priced round modelled on the book as it stands: `core.rounds`). `close_round` records a
round as modelled: the pool top-up, the investors' shares and each SAFE's and note's conversion.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from ..core import rounds
from ..core.captable import FullyDiluted
from ..core.equity import Position
from ..core.errors import InputError, NotFoundError
from ..core.events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    AwardRepriced,
    ChangeOfControl,
    ConvertibleConverted,
    ConvertibleIssued,
    PlanAdopted,
    PoolChanged,
    ServiceEnded,
    SharesCancelled,
    SharesIssued,
    ValuationRecorded,
    VestingAccelerated,
    VestingDefined,
    VestingEventOccurred,
    VestingStarted,
)
from ..core.findings import Finding
from ..core.replay import State, freeze
from ..core.vesting import Schedule, parse
from .append import Refused, Result, Writer
from .folded import Folded
from .ledger import _money, _not_future, _shares

KINDS = ("option", "rsu", "rsa", "warrant")
REASONS = ("voluntary", "involuntary", "cause", "death", "disability", "retirement")
CENT = Decimal("0.01")


class EquityActs:
    """The equity acts, recorded through `writer`; `book` is the log in memory."""

    def __init__(self, writer: Writer, book: Folded, fully_diluted: Callable[[date | None], FullyDiluted]):
        self._writer, self._book, self._fully_diluted = writer, book, fully_diluted

    # --- what the book knows -----------------------------------------------------------------------------

    def _state(self, on: date | None = None) -> State:
        self._book.ok()
        if on is None or on >= self._book.last:
            return freeze(self._book.build, on or date.max, copy=False)
        return self._book.state_at(on)

    def _award(self, award_id: str):
        a = self._book.build.equity.awards.get(award_id)
        if a is None:
            known = ", ".join(sorted(self._book.build.equity.awards)[:8]) or "none"
            raise NotFoundError(f"no award {award_id!r} (awards: {known})")
        return a

    def _convertible(self, convertible_id: str):
        c = self._book.build.equity.convertibles.get(convertible_id)
        if c is None:
            known = ", ".join(sorted(self._book.build.equity.convertibles)[:8]) or "none"
            raise NotFoundError(f"no SAFE or note {convertible_id!r} (convertibles: {known})")
        return c

    def _record(self, body, on: date, historical: bool, actor: str | None, scheduled: bool = False) -> Result:
        _not_future(on, scheduled)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def _many(self, bodies: list, on: date, historical: bool, actor: str | None, main: int = 0) -> Result:
        """Record several events as one act: all or none. The result is `bodies[main]`'s, the others in `more`."""
        if len(bodies) == 1:
            return self._record(bodies[0], on, historical, actor)
        _not_future(on, False)
        results = []
        try:
            with self._writer.atomic():
                for body in bodies:
                    r = self._writer.record(body, on, historical=historical, actor=actor)
                    if r.refused:
                        raise Refused(r)
                    results.append(r)
        except Refused as ex:
            return Result(ex.result.findings, None)
        return Result(
            tuple(f for r in results for f in r.findings),
            results[main].event,
            tuple(r.event for i, r in enumerate(results) if i != main),
        )

    # --- valuations, plans, vesting terms ----------------------------------------------------------------

    def record_valuation(
        self,
        valuation_id: str,
        class_key: str,
        price_per_share: Decimal,
        *,
        on: date,
        provider: str | None = None,
        kind: str = "409A",
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """A valuation of a class's shares effective `on` (a §409A appraisal): the floor for exercise prices."""
        price = _money(price_per_share, "price per share")
        body = ValuationRecorded(valuation_id, class_key, price, provider, kind, approved_by)
        return self._record(body, on, historical, actor)

    def adopt_plan(
        self,
        plan_id: str,
        name: str,
        reserved: int,
        *,
        on: date,
        class_key: str = "common",
        approved_by: str | None = None,
        stockholder_approval: str | None = None,
        on_forfeit: str = "return",
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(reserved)
        if on_forfeit not in ("return", "retire", "hold"):
            raise InputError(f"on_forfeit: return, retire or hold, not {on_forfeit!r}")
        body = PlanAdopted(plan_id, name, reserved, class_key, on_forfeit, approved_by, stockholder_approval)
        return self._record(body, on, historical, actor)

    def change_pool(
        self,
        plan_id: str,
        reserved: int,
        *,
        on: date,
        approved_by: str | None = None,
        stockholder_approval: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Set the plan's reserve to `reserved` shares (an increase or a decrease of the pool)."""
        if plan_id not in self._book.build.equity.plans:
            raise NotFoundError(f"no plan {plan_id!r}")
        if isinstance(reserved, bool) or not isinstance(reserved, int) or reserved < 0:
            raise InputError(f"reserved shares must be a whole number, zero or more, not {reserved!r}")
        body = PoolChanged(plan_id, reserved, approved_by, stockholder_approval)
        return self._record(body, on, historical, actor)

    def define_vesting(
        self,
        terms_id: str,
        schedule: Schedule | str,
        *,
        on: date,
        name: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Vesting terms awards may name: a `core.vesting.Schedule`, or its text (`48/12`, `12:1/4,…`)."""
        s = parse(schedule) if isinstance(schedule, str) else schedule
        body = VestingDefined(terms_id, name or s.describe(), s.to_dict())
        return self._record(body, on, historical, actor)

    # --- grants ------------------------------------------------------------------------------------------

    def grant(
        self,
        award_id: str,
        holder_id: str,
        kind: str,
        quantity: int,
        *,
        on: date,
        plan_id: str | None = None,
        class_key: str | None = None,
        series_key: str | None = None,
        exercise_price: Decimal | None = None,
        option_type: str | None = None,
        expires_on: date | None = None,
        exercise_windows: dict | None = None,
        vesting: str | None = None,
        vesting_start: date | None = None,
        early_exercise: bool = False,
        acceleration: dict | None = None,
        approved_by: str | None = None,
        consideration: Decimal | None = None,
        certificate: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Grant an option, RSU, restricted stock award (its shares issued with it) or warrant. `vesting` names
        vesting terms already defined, or is a schedule's text (`48/12`): terms `<award>-vesting` are then
        defined with the grant. The vesting starts on `vesting_start` (the grant date when vesting is given)."""
        _shares(quantity)
        if kind not in KINDS:
            raise InputError(f"kind: one of {', '.join(KINDS)}, not {kind!r}")
        eq = self._book.build.equity
        if plan_id is not None:
            plan = eq.plans.get(plan_id)
            if plan is None:
                raise NotFoundError(f"no plan {plan_id!r} (plans: {', '.join(sorted(eq.plans)) or 'none'})")
            class_key = class_key or plan.class_key
        if class_key is None:
            raise InputError(f"{award_id}: name the class of the shares (or the plan it is granted under)")
        if kind == "warrant" and plan_id is not None:
            raise InputError(f"{award_id}: a warrant is issued outside the equity plans")
        price = None if exercise_price is None else _money(exercise_price, "exercise price")
        if kind in ("option", "warrant") and price is None:
            raise InputError(f"{award_id}: an {kind} needs its exercise price")
        if option_type is not None and (kind != "option" or option_type.upper() not in ("ISO", "NSO")):
            raise InputError(f"{award_id}: option type ISO or NSO, for options only (not {option_type!r})")
        windows = {str(k): _days(v, f"exercise window {k}") for k, v in (exercise_windows or {}).items()}
        accel = {}
        for k, v in (acceleration or {}).items():
            if k not in ("single", "double"):
                raise InputError(f"acceleration trigger: single or double, not {k!r}")
            try:
                portion = Fraction(str(v))
            except (ValueError, ZeroDivisionError):
                raise InputError(f"acceleration {k}: a portion such as 1/2 or 1, not {v!r}") from None
            if not 0 < portion <= 1:
                raise InputError(f"acceleration {k}: a portion between 0 and 1, not {v}")
            accel[k] = str(portion)
        terms = vesting
        schedule = None
        if vesting is not None and vesting not in eq.terms:
            schedule = parse(vesting)  # one line naming what is wrong with it
            terms = f"{award_id}-vesting"
        start = vesting_start or (on if terms else None)
        body = AwardGranted(
            award_id,
            holder_id,
            kind,
            quantity,
            class_key,
            series_key,
            plan_id,
            price,
            option_type.upper() if option_type else None,
            expires_on,
            windows,
            terms,
            start,
            early_exercise,
            accel,
            approved_by,
            None if consideration is None else _money(consideration, "consideration"),
        )
        events = [body]
        if schedule is not None:
            events.insert(0, VestingDefined(terms, f"{award_id}: {schedule.describe()}", schedule.to_dict()))
        if kind == "rsa":
            paid = price if price is not None else Decimal(0)
            total = paid * quantity if consideration is None else _money(consideration, "consideration")
            events.append(
                SharesIssued(
                    holder_id,
                    class_key,
                    quantity,
                    paid,
                    total,
                    "restricted stock award",
                    series_key,
                    certificate,
                    approved_by=approved_by,
                    award_id=award_id,
                )
            )
        return self._many(events, on, historical, actor, main=events.index(body))

    # --- exercise, release, forfeiture, expiry, repricing, acceleration -----------------------------------

    def exercise(
        self,
        award_id: str,
        quantity: int,
        *,
        on: date,
        method: str = "cash",
        fair_value: Decimal | None = None,
        certificate: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Exercise options or warrants (`cash`, or `net`: shares worth the price withheld, at `fair_value` or the
        latest valuation), or release vested RSUs: the award's rights used and the stock issued, as one act."""
        _shares(quantity)
        a = self._award(award_id)
        if a.kind == "rsa":
            raise InputError(f"{award_id} is restricted stock: its shares were issued at grant")
        if a.kind == "rsu":
            method = "release"
        elif method not in ("cash", "net", "cashless"):
            raise InputError(f"method: cash, net or cashless, not {method!r}")
        price = a.exercise_price or Decimal(0)
        shares, per_share, paid, kind = quantity, price, price * quantity, f"{a.kind} exercise"
        st = self._state(on)
        if method == "release":
            v = st.equity.valuation(a.class_key, on)
            per_share = v.price_per_share if v else _par(st, a.class_key)
            paid, kind = per_share * quantity, "services (RSU release)"
        elif method == "net":
            fv = fair_value if fair_value is not None else _fmv(st, a.class_key, on)
            fv = _money(fv, "fair value")
            if fv <= price:
                raise InputError(
                    f"{award_id}: a net exercise needs the fair value (${fv}) above the exercise price (${price})"
                )
            shares = int((Decimal(quantity) * (fv - price) / fv).to_integral_value(rounding=ROUND_DOWN))
            if shares <= 0:
                raise InputError(
                    f"{award_id}: a net exercise of {quantity:,} rights leaves no shares to issue"
                )
            per_share = (paid / shares).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
            kind = f"{a.kind} net exercise (rights surrendered)"
        first = AwardExercised(award_id, quantity, shares, method, paid)
        second = SharesIssued(
            a.holder_id,
            a.class_key,
            shares,
            per_share,
            paid,
            kind,
            a.series_key,
            certificate,
            approved_by=None,
            award_id=award_id,
        )
        return self._many([first, second], on, historical, actor)

    def end_award(
        self,
        award_id: str,
        *,
        on: date,
        how: str = "cancelled",
        quantity: int | None = None,
        reason: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Forfeit, expire, cancel or retract an award's remaining rights (`quantity`: all of them by default). A
        restricted stock award's forfeited shares are cancelled with it (bought back at cost under the award)."""
        if how not in ("forfeited", "expired", "cancelled", "retracted"):
            raise InputError(f"how: forfeited, expired, cancelled or retracted, not {how!r}")
        a = self._award(award_id)
        p = self._state(on).equity.position(award_id, on)
        left = p.unvested - a.ended if a.kind == "rsa" else p.outstanding + p.lapsed
        if quantity is not None:
            _shares(quantity)
        n = left if quantity is None else quantity
        if n <= 0:
            raise InputError(f"{award_id} has nothing left to end on {on.isoformat()}")
        first = AwardEnded(award_id, n, how, reason)
        if a.kind != "rsa":
            return self._record(first, on, historical, actor)
        second = SharesCancelled(
            a.holder_id, a.class_key, n, a.series_key, None, f"unvested restricted stock of {award_id} {how}"
        )
        return self._many([first, second], on, historical, actor)

    def reprice(
        self,
        award_id: str,
        exercise_price: Decimal,
        *,
        on: date,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        self._award(award_id)
        body = AwardRepriced(award_id, _money(exercise_price, "exercise price"), approved_by)
        return self._record(body, on, historical, actor)

    def start_vesting(self, award_id: str, *, on: date, historical: bool = False, actor: str | None = None):
        self._award(award_id)
        return self._record(VestingStarted(award_id), on, historical, actor)

    def vesting_event(
        self, event: str, *, on: date, award_id: str | None = None, historical: bool = False, actor=None
    ) -> Result:
        """A milestone an event tranche waits for (for one award, or every award naming it)."""
        if award_id is not None:
            self._award(award_id)
        return self._record(VestingEventOccurred(event, award_id), on, historical, actor)

    def accelerate(
        self,
        award_id: str,
        quantity: int,
        *,
        on: date,
        trigger: str = "board",
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(quantity)
        self._award(award_id)
        if trigger not in ("single", "double", "board"):
            raise InputError(f"trigger: single, double or board, not {trigger!r}")
        return self._record(
            VestingAccelerated(award_id, quantity, trigger, approved_by), on, historical, actor
        )

    def end_service(
        self, holder_id: str, *, on: date, reason: str = "voluntary", historical: bool = False, actor=None
    ) -> Result:
        """A holder's service ended: vesting stops, the exercise window for the reason opens."""
        if reason not in REASONS:
            raise InputError(f"reason: one of {', '.join(REASONS)}, not {reason!r}")
        left = self._book.build.equity.service_ended.get(holder_id)
        if left is not None:
            raise InputError(f"{holder_id}: service already ended on {left[0].isoformat()} ({left[1]})")
        return self._record(ServiceEnded(holder_id, reason), on, historical, actor)

    def change_of_control(
        self,
        description: str,
        *,
        on: date,
        approved_by: str | None = None,
        historical: bool = False,
        actor=None,
    ) -> Result:
        return self._record(ChangeOfControl(description, approved_by), on, historical, actor)

    # --- SAFEs and notes ---------------------------------------------------------------------------------

    def issue_convertible(
        self,
        convertible_id: str,
        holder_id: str,
        amount: Decimal,
        *,
        on: date,
        kind: str = "safe",
        cap: Decimal | None = None,
        cap_basis: str | None = None,
        discount: Decimal | None = None,
        mfn: bool = False,
        interest_rate: Decimal | None = None,
        maturity_on: date | None = None,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """A SAFE (post-money cap by default, as the YC post-money SAFE) or a convertible note (pre-money cap)."""
        if kind not in ("safe", "note"):
            raise InputError(f"kind: safe or note, not {kind!r}")
        amt = _money(amount, "amount")
        if amt <= 0:
            raise InputError(f"{convertible_id}: the amount must be more than zero")
        basis = cap_basis or ("post" if kind == "safe" else "pre")
        if basis not in ("post", "pre"):
            raise InputError(f"cap basis: post or pre, not {cap_basis!r}")
        cap_ = None if cap is None else _money(cap, "valuation cap")
        if cap_ is not None and cap_ <= 0:
            raise InputError(f"{convertible_id}: a valuation cap must be more than zero")
        disc = None if discount is None else _money(discount, "discount")
        if disc is not None and disc >= 1:
            raise InputError(
                f"{convertible_id}: a discount is a fraction below 1 (0.20 for 20 %), not {disc}"
            )
        rate = None if interest_rate is None else _money(interest_rate, "interest rate")
        if kind == "safe" and rate:
            raise InputError(f"{convertible_id}: a SAFE bears no interest")
        body = ConvertibleIssued(
            convertible_id, holder_id, kind, amt, cap_, basis, disc, mfn, rate, maturity_on, approved_by
        )
        return self._record(body, on, historical, actor)

    def convert(
        self,
        convertible_id: str,
        *,
        on: date,
        class_key: str,
        shares: int,
        price_per_share: Decimal,
        round_price: Decimal,
        series_key: str | None = None,
        amount: Decimal | None = None,
        basis: str = "cap",
        certificate: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Convert a SAFE or note at a priced round (the round's issuances recorded first): the conversion and the
        stock it issues, as one act."""
        _shares(shares)
        c = self._convertible(convertible_id)
        amt = rounds.accrued(_as_round_convertible(c), on) if amount is None else _money(amount, "amount")
        price = _money(price_per_share, "conversion price")
        first = ConvertibleConverted(
            convertible_id,
            class_key,
            shares,
            price,
            amt,
            series_key,
            basis,
            _money(round_price, "round price"),
        )
        second = SharesIssued(
            c.holder_id,
            class_key,
            shares,
            price,
            amt,
            f"conversion of {c.kind}",
            series_key,
            certificate,
            award_id=convertible_id,
        )
        return self._many([first, second], on, historical, actor)

    # --- views -------------------------------------------------------------------------------------------

    def awards(self, as_of: date | None = None) -> list[Position]:
        """Every award on a date with its vesting, exercises and what is left (the option ledger): the folded
        equity asked about that date (its positions are dated)."""
        on = as_of or max(self._book.last, date.today())
        q = self._book.build.equity
        return [q.position(a.id, on) for a in q.awards.values() if a.granted_on <= on]

    def pro_forma(
        self,
        *,
        pre_money: Decimal,
        investors: dict[str, Decimal] | list[tuple[str, Decimal]],
        pool_target: Decimal,
        on: date,
        plan_id: str | None = None,
    ) -> rounds.RoundResult:
        """A priced round modelled on the book as it stands on `on` (`core.rounds.model_round`): the pool in the
        pre-money, the SAFEs and notes outstanding converting in it."""
        fd = self._fully_diluted(on)
        st = self._state(on)
        plans = [p for p in st.equity.plans.values() if plan_id in (None, p.id)]
        if plan_id is not None and not plans:
            raise NotFoundError(f"no plan {plan_id!r}")
        items = investors.items() if isinstance(investors, dict) else investors
        try:
            terms = rounds.RoundTerms(
                pre_money=_money(pre_money, "pre-money valuation"),
                investors=tuple(rounds.Investor(h, _money(a, f"{h}'s investment")) for h, a in items),
                pool_target=_money(pool_target, "pool target"),
                closing_on=on,
                outstanding=fd.outstanding,
                rights=fd.options + fd.rsus + fd.warrants,
                pool_available=fd.pool_available,
                convertibles=tuple(
                    _as_round_convertible(c)
                    for c in st.equity.convertibles.values()
                    if c.converted_on is None and c.issued_on <= on
                ),
            )
            return rounds.model_round(terms)
        except (ValueError, TypeError) as ex:
            raise InputError(f"round: {ex}") from None

    def close_round(
        self,
        *,
        on: date,
        class_key: str,
        pre_money: Decimal,
        investors: dict[str, Decimal],
        pool_target: Decimal,
        approved_by: str,
        series_key: str | None = None,
        plan_id: str | None = None,
        pool_approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> tuple[rounds.RoundResult, Result]:
        """Record a priced round as `pro_forma` models it, in one transaction: the pool top-up (the plan's reserve
        raised), each investor's shares at the round price, and each SAFE's and note's conversion with its stock.
        Refused as a whole if any act is."""
        model = self.pro_forma(
            pre_money=pre_money, investors=investors, pool_target=pool_target, on=on, plan_id=plan_id
        )
        eq = self._book.build.equity
        if model.pool_top_up and not (plan_id or len(eq.plans) == 1):
            raise InputError("the round tops up the pool: name the plan (--plan)")
        plan = plan_id or (next(iter(eq.plans)) if eq.plans else None)
        written = []
        findings: list[Finding] = []
        _not_future(on, False)
        try:
            with self._writer.atomic():

                def rec(body):
                    r = self._writer.record(body, on, historical=historical, actor=actor)
                    if r.refused:
                        raise Refused(r)
                    written.append(r.event)
                    findings.extend(r.findings)

                if model.pool_top_up and plan is not None:
                    st = self._state(on)
                    rec(
                        PoolChanged(
                            plan,
                            st.equity.reserved_under(plan, on) + model.pool_top_up,
                            pool_approved_by or approved_by,
                        )
                    )
                for holder, n in model.new_shares:
                    amount = dict((i.holder_id, i.amount) for i in _investors(investors))[holder]
                    rec(
                        SharesIssued(
                            holder,
                            class_key,
                            n,
                            model.price,
                            amount,
                            "cash",
                            series_key,
                            approved_by=approved_by,
                        )
                    )
                for cv in model.conversions:
                    rec(
                        ConvertibleConverted(
                            cv.id,
                            class_key,
                            cv.shares,
                            cv.price,
                            cv.amount,
                            series_key,
                            cv.basis,
                            model.price,
                        )
                    )
                    rec(
                        SharesIssued(
                            cv.holder_id,
                            class_key,
                            cv.shares,
                            cv.price,
                            cv.amount,
                            f"conversion of {self._convertible(cv.id).kind}",
                            series_key,
                            award_id=cv.id,
                        )
                    )
        except Refused as ex:
            return model, Result(ex.result.findings, None)
        return model, Result(tuple(findings), written[0] if written else None, tuple(written[1:]))

    def record_round(self, **kwargs) -> Result:
        """`close_round`, answering only what was recorded (a story's step)."""
        return self.close_round(**kwargs)[1]


def _investors(investors) -> list[rounds.Investor]:
    items = investors.items() if isinstance(investors, dict) else investors
    return [rounds.Investor(h, _money(a, f"{h}'s investment")) for h, a in items]


def _as_round_convertible(c) -> rounds.Convertible:
    return rounds.Convertible(
        c.id,
        c.holder_id,
        c.kind,
        c.amount,
        c.cap,
        c.cap_basis,
        c.discount,
        c.mfn,
        c.interest_rate,
        c.issued_on,
    )


def _days(v, what: str) -> int:
    try:
        n = int(str(v))
    except ValueError:
        raise InputError(f"{what}: a number of days, not {v!r}") from None
    if n < 0:
        raise InputError(f"{what}: a number of days, not {n}")
    return n


def _par(st: State, class_key: str) -> Decimal:
    v = st.version
    c = v.capital.cls(class_key) if v and v.capital else None
    return c.par_value if c is not None and c.par_value is not None else Decimal(0)


def _fmv(st: State, class_key: str, on: date) -> Decimal:
    v = st.equity.valuation(class_key, on)
    if v is None:
        raise InputError(
            f"a net exercise needs the fair value: no valuation of {class_key} on file by {on.isoformat()}"
        )
    return v.price_per_share


__all__ = ["EquityActs"]
