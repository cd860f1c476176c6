"""Equity-compensation and convertible rules checked with the ledger's on every append (`law.ledger.check` calls
`check`), against the state on the event's date — the ledger, the charter in force and the equity state
(`core.equity`). The approvals (§157: the board fixes the terms) are `law.dgcl.equity`'s.

- dgcl.161.reserve_within_authorized — §161: a plan's reserve, a warrant or an award outside a plan may promise
  only shares the charter authorizes and has not issued or promised already (outstanding + reserved ≤ authorized);
  stock issued outside the plans that eats into the shares they keep is a warning.
- dgcl.157.grant_within_pool — an award under a plan fits in the pool available on its date.
- dgcl.157.exercise_allowed — only vested (or early-exercisable), unexpired, outstanding rights are exercised, RSUs
  are released, and no more stock is issued on an exercise or a conversion than it owes.
- irc.409a.exercise_price_fmv — an option's exercise price is not below the fair market value of the latest
  valuation on file (IRC §409A; for an ISO, §422(b)(4)): a warning citing the valuation.
- dgcl.157.conversion_at_round — a SAFE or note converts only at a priced round of the class it converts into, at no
  more than the round's price, into the shares its amount buys.
- ledger.equity_known — the award, plan, vesting terms, convertible and holder named exist; ids are not reused.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from ..core.equity import RIGHTS
from ..core.events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    AwardRepriced,
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
from ..core.findings import Finding, error, warning
from ..core.replay import State

KINDS = ("option", "rsu", "rsa", "warrant")
METHODS = ("cash", "net", "cashless", "release")
ENDINGS = ("forfeited", "expired", "cancelled", "retracted")


def _c(section: str) -> str:
    return f"8 Del. C. § {section}"


def _article(state: State) -> str:
    v = state.version
    if v is None:
        return "charter"
    art = next((p.article for p in v.provisions if p.kind == "authorized_capital" and p.article), "FOURTH")
    when = v.effective_on.isoformat() if v.effective_on else "undated"
    return f"Art. {art}, as in force from {when}"


def _defect(code: str, message: str, historical: bool, cites=(), cure: str | None = None) -> Finding:
    if historical:
        return warning(code, message + (f"; cure: {cure}" if cure else ""), cites=tuple(cites))
    return error(code, message, cites=tuple(cites))


def check(state: State, e: Event, historical: bool = False) -> list[Finding]:
    """Findings for applying `e` to `state` (the state just before it, on its date), each tagged with its rule."""
    return [tag(f, _RULE_OF.get(f.code, "ledger.equity_known")) for f in _check(state, e, historical)]


def _check(state: State, e: Event, historical: bool) -> list[Finding]:  # noqa: C901 - one branch per type
    b = e.body
    q = state.equity
    on = e.effective_on
    out: list[Finding] = []
    if isinstance(b, SharesIssued):
        if b.award_id:
            return _settles(state, b, historical)
        if q and not b.from_treasury:
            out += _into_reserve(state, b.class_key, b.shares)
        return out
    if isinstance(b, (PlanAdopted, PoolChanged)):
        plan = q.plans.get(b.plan_id)
        if isinstance(b, PlanAdopted):
            if plan is not None:
                return [error("MB-EQUITY-ID-TAKEN", f"plan {b.plan_id!r} already exists")]
            out += _class_known(state, b.class_key)
            if out:
                return out
            more, cls = b.reserved, b.class_key
        else:
            if plan is None:
                return [error("MB-PLAN-UNKNOWN", f"no plan {b.plan_id!r} on {on.isoformat()}")]
            cls = plan.class_key
            reserved = q.reserved_under(plan.id, on)
            # granted less returned: the running totals bound it from above (a lapse returns shares), else exact
            held = reserved - q.available_at_least(plan.id, on)
            if b.reserved < held:
                _, granted, returned = q.pool(plan.id, on)
                held = granted - returned
            if b.reserved < held:
                return [
                    error(
                        "MB-POOL-BELOW-GRANTED",
                        f"plan {plan.id}: a reserve of {b.reserved:,} is below the {held:,} shares "
                        "already granted under it (and not returned)",
                    )
                ]
            more = b.reserved - reserved
        if b.reserved < 0:
            return [error("MB-POOL-NEGATIVE", f"plan {b.plan_id}: a reserve is not negative")]
        return out + _promise(
            state, cls, more, f"reserving {b.reserved:,} {cls} shares under plan {b.plan_id}", historical
        )
    if isinstance(b, VestingDefined):
        if b.terms_id in q.terms:
            return [error("MB-EQUITY-ID-TAKEN", f"vesting terms {b.terms_id!r} already exist")]
        return out
    if isinstance(b, AwardGranted):
        return _grant(state, b, historical)
    if isinstance(b, AwardExercised):
        return _exercise(state, b, historical)
    if isinstance(b, (AwardEnded, AwardRepriced, VestingStarted, VestingAccelerated)):
        a = q.awards.get(b.award_id)
        if a is None:
            return [error("MB-AWARD-UNKNOWN", f"no award {b.award_id!r} on {on.isoformat()}")]
        p = q.position(a.id, on)
        if isinstance(b, AwardEnded):
            if b.how not in ENDINGS:
                out.append(error("MB-INPUT", f"an award ends {', '.join(ENDINGS)}, not {b.how!r}"))
            left = p.outstanding + p.lapsed if a.kind != "rsa" else a.quantity - a.ended
            if b.quantity > left:
                out.append(
                    error(
                        "MB-AWARD-ENDS-TOO-MANY",
                        f"award {a.id} has {left:,} rights left on {on.isoformat()}, fewer than the {b.quantity:,} "
                        f"{b.how}",
                    )
                )
        elif isinstance(b, AwardRepriced):
            if a.kind not in ("option", "warrant"):
                out.append(
                    error("MB-INPUT", f"award {a.id} is an {a.kind}: only options and warrants are repriced")
                )
            out += _fmv(state, a.class_key, b.exercise_price, f"the repricing of {a.id}", a.kind)
        elif isinstance(b, VestingAccelerated) and b.quantity > p.unvested:
            out.append(
                error(
                    "MB-ACCELERATION-EXCEEDS-UNVESTED",
                    f"award {a.id} has {p.unvested:,} unvested shares on {on.isoformat()}, fewer than the "
                    f"{b.quantity:,} accelerated",
                )
            )
        return out
    if isinstance(b, VestingEventOccurred):
        if b.award_id is not None and b.award_id not in q.awards:
            return [error("MB-AWARD-UNKNOWN", f"no award {b.award_id!r} on {on.isoformat()}")]
        return out
    if isinstance(b, ServiceEnded):
        if b.holder_id not in state.holders:
            return [error("MB-HOLDER-UNKNOWN", f"no holder {b.holder_id!r} on the books on {on.isoformat()}")]
        return out
    if isinstance(b, ValuationRecorded):
        out += _class_known(state, b.class_key)
        if b.price_per_share <= 0:
            out.append(error("MB-INPUT", f"valuation {b.valuation_id}: a price per share is positive"))
        return out
    if isinstance(b, ConvertibleIssued):
        if b.convertible_id in q.convertibles or b.convertible_id in q.awards:
            out.append(
                error("MB-EQUITY-ID-TAKEN", f"{b.convertible_id!r} is already an award or a convertible")
            )
        if b.holder_id not in state.holders:
            out.append(
                error("MB-HOLDER-UNKNOWN", f"no holder {b.holder_id!r} on the books on {on.isoformat()}")
            )
        return out
    if isinstance(b, ConvertibleConverted):
        return _conversion(state, b, historical)
    return out


def _class_known(state: State, cls: str, series: str | None = None) -> list[Finding]:
    v = state.version
    if v is None or v.capital is None or v.capital.cls(cls) is None:
        known = ", ".join(c.key for c in (v.capital.classes if v and v.capital else ())) or "none"
        return [
            error(
                "MB-CLASS-UNKNOWN",
                f"the charter in force on {state.as_of.isoformat()} has no class {cls!r} (classes: {known})",
                cites=(_c("102(a)(4)"), _article(state)),
            )
        ]
    if series is not None and state.authorized(cls, series) is None:
        return [
            error(
                "MB-SERIES-NOT-DESIGNATED",
                f"series {series!r} of {cls} has not been designated by {state.as_of.isoformat()}",
                cites=(_c("151(g)"),),
            )
        ]
    return []


def _promise(state: State, cls: str, more: int, what: str, historical: bool) -> list[Finding]:
    """§161: promising `more` shares of `cls` must leave issued + reserved within the authorized shares."""
    if more <= 0:
        return []
    auth = state.authorized(cls)
    if auth is None:
        return []
    issued = state.issued_in_class(cls)
    q = state.equity
    if issued + q.reserved_at_most(cls, state.as_of) + more <= auth:
        return []
    reserved = q.reserved(cls, state.as_of)
    if issued + reserved + more <= auth:
        return []
    return [
        _defect(
            "MB-RESERVE-EXCEEDS-AUTHORIZED",
            f"{what}: {issued:,} issued and {reserved:,} already reserved (pools and outstanding rights) leave "
            f"{max(0, auth - issued - reserved):,} of the {auth:,} authorized, fewer than the {more:,} promised",
            historical,
            (_c("161"), _c("157"), _article(state)),
            "a §242 amendment increasing the authorized shares before the promise (or reduce it)",
        )
    ]


def _into_reserve(state: State, cls: str, shares: int) -> list[Finding]:
    auth = state.authorized(cls)
    if auth is None:
        return []
    issued = state.issued_in_class(cls)
    q = state.equity
    if issued + shares > auth or issued + shares + q.reserved_at_most(cls, state.as_of) <= auth:
        return []  # beyond the authorized: the ledger's own rule reports it
    reserved = q.reserved(cls, state.as_of)
    if issued + shares + reserved <= auth:
        return []
    return [
        warning(
            "MB-ISSUE-INTO-RESERVE",
            f"issuing {shares:,} {cls} shares leaves {auth - issued - shares:,} unissued, fewer than the "
            f"{reserved:,} reserved for the plans and outstanding options, RSUs and warrants: those promises "
            "could not all be kept",
            cites=(_c("161"), _article(state)),
        )
    ]


def _fmv(state: State, cls: str, price: Decimal | None, what: str, kind: str) -> list[Finding]:
    if kind not in ("option",) or price is None:
        return []
    v = state.equity.valuation(cls, state.as_of)
    if v is None or price >= v.price_per_share:
        return []
    return [
        warning(
            "MB-EXERCISE-PRICE-BELOW-FMV",
            f"{what}: exercise price ${price} is below the fair market value ${v.price_per_share} of the latest "
            f"valuation on file ({v.id}, {v.kind}, {v.on.isoformat()}"
            + (f", {v.provider}" if v.provider else "")
            + "): a discounted option is deferred compensation under IRC §409A, and cannot be an ISO",
            cites=("26 U.S.C. § 409A", "26 U.S.C. § 422(b)(4)", f"valuation {v.id} of {v.on.isoformat()}"),
        )
    ]


def _grant(state: State, b: AwardGranted, historical: bool) -> list[Finding]:
    q, on = state.equity, state.as_of
    out: list[Finding] = []
    if b.award_id in q.awards or b.award_id in q.convertibles:
        return [error("MB-EQUITY-ID-TAKEN", f"{b.award_id!r} is already an award or a convertible")]
    if b.kind not in KINDS:
        return [error("MB-INPUT", f"an award is one of {', '.join(KINDS)}, not {b.kind!r}")]
    if b.holder_id not in state.holders:
        out.append(error("MB-HOLDER-UNKNOWN", f"no holder {b.holder_id!r} on the books on {on.isoformat()}"))
    out += _class_known(state, b.class_key, b.series_key)
    if b.vesting and b.vesting not in q.terms:
        out.append(error("MB-VESTING-UNKNOWN", f"no vesting terms {b.vesting!r} on {on.isoformat()}"))
    if b.kind in ("option", "warrant") and b.exercise_price is None:
        out.append(error("MB-INPUT", f"{b.kind} {b.award_id}: an exercise price is needed"))
    if b.expires_on is not None and b.expires_on <= on:
        out.append(
            error("MB-INPUT", f"{b.award_id}: it expires {b.expires_on.isoformat()}, not after its grant")
        )
    if b.option_type == "ISO" and b.expires_on is not None and b.expires_on > _years(on, 10):
        out.append(
            warning(
                "MB-ISO-TERM",
                f"ISO {b.award_id} runs to {b.expires_on.isoformat()}, more than 10 years from its grant",
                cites=("26 U.S.C. § 422(b)(3)",),
            )
        )
    if out:
        return out
    what = f"the grant of {b.quantity:,} {b.class_key} shares as {b.kind} {b.award_id} to {b.holder_id}"
    if b.plan_id:
        plan = q.plans.get(b.plan_id)
        if plan is None:
            return [error("MB-PLAN-UNKNOWN", f"no plan {b.plan_id!r} on {on.isoformat()}")]
        if plan.class_key != b.class_key:
            return [error("MB-INPUT", f"plan {plan.id} reserves {plan.class_key} shares, not {b.class_key}")]
        if q.available_at_least(plan.id, on) < b.quantity:
            available = q.pool_available(plan.id, on)
            if available < b.quantity:
                out.append(
                    _defect(
                        "MB-GRANT-EXCEEDS-POOL",
                        f"{what}: plan {plan.id} has {max(0, available):,} shares available on {on.isoformat()}",
                        historical,
                        (_c("157"), _c("161")),
                        "increase the pool (board and, for ISOs, stockholders) before the grant, or grant less",
                    )
                )
    elif b.kind != "rsa":
        out += _promise(state, b.class_key, b.quantity, what, historical)
    out += _fmv(state, b.class_key, b.exercise_price, f"option {b.award_id}", b.kind)
    return out


def _years(d, n: int):
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _exercise(state: State, b: AwardExercised, historical: bool) -> list[Finding]:
    q, on = state.equity, state.as_of
    a = q.awards.get(b.award_id)
    if a is None:
        return [error("MB-AWARD-UNKNOWN", f"no award {b.award_id!r} on {on.isoformat()}")]
    out: list[Finding] = []
    if b.method not in METHODS:
        return [error("MB-INPUT", f"an exercise is {', '.join(METHODS)}, not {b.method!r}")]
    if a.kind == "rsa":
        return [error("MB-INPUT", f"{a.id} is restricted stock: its shares were issued at grant")]
    if (a.kind == "rsu") != (b.method == "release"):
        what = (
            "RSUs are released (method release)"
            if a.kind == "rsu"
            else f"an {a.kind} is exercised, not released"
        )
        return [error("MB-INPUT", f"{a.id}: {what}")]
    if b.shares < 0 or b.shares > b.quantity:
        return [error("MB-INPUT", f"{a.id}: {b.shares:,} shares issued for {b.quantity:,} rights exercised")]
    p = q.position(a.id, on)
    cites = (_c("157"), _c("152"), _c("153"))
    if p.expires is not None and on > p.expires:
        out.append(
            _defect(
                "MB-AWARD-EXPIRED",
                f"{a.id} could be exercised until {p.expires.isoformat()}, not on {on.isoformat()}",
                historical,
                cites,
            )
        )
    elif b.quantity > p.outstanding:
        out.append(
            _defect(
                "MB-EXERCISE-EXCEEDS-OUTSTANDING",
                f"{a.id} has {p.outstanding:,} rights outstanding on {on.isoformat()}, fewer than the "
                f"{b.quantity:,} exercised",
                historical,
                cites,
            )
        )
    elif b.quantity > p.exercisable:
        out.append(
            _defect(
                "MB-EXERCISE-UNVESTED",
                f"{a.id}: {p.exercisable:,} of its rights may be exercised on {on.isoformat()} ({p.vested:,} vested, "
                f"{p.exercised:,} already exercised), fewer than the {b.quantity:,} exercised",
                historical,
                cites,
            )
        )
    return out


def _settles(state: State, b: SharesIssued, historical: bool) -> list[Finding]:
    """Stock issued on an exercise, a release, an RSA or a conversion: within what that act owes, of its class."""
    q = state.equity
    a = q.awards.get(b.award_id)
    c = q.convertibles.get(b.award_id) if a is None else None
    if a is None and c is None:
        return [error("MB-AWARD-UNKNOWN", f"stock issued under {b.award_id!r}: no such award or convertible")]
    cls = a.class_key if a is not None else c.conversion.class_key if c and c.conversion else None
    out: list[Finding] = []
    if cls is not None and cls != b.class_key:
        out.append(error("MB-INPUT", f"{b.award_id} is for {cls} shares, not {b.class_key}"))
    owed = c.to_issue if a is None else (a.quantity - a.issued if a.kind == "rsa" else a.to_issue)
    if b.shares > owed:
        out.append(
            _defect(
                "MB-ISSUE-NOT-OWED",
                f"{b.shares:,} shares issued under {b.award_id}, which owes {owed:,} "
                + (
                    "(its exercises and releases less what was issued for them)"
                    if a and a.kind != "rsa"
                    else ""
                ),
                historical,
                (_c("152"), _c("157")),
            )
        )
    return out


def _conversion(state: State, b: ConvertibleConverted, historical: bool) -> list[Finding]:
    q, on = state.equity, state.as_of
    c = q.convertibles.get(b.convertible_id)
    if c is None:
        return [error("MB-CONVERTIBLE-UNKNOWN", f"no SAFE or note {b.convertible_id!r} on {on.isoformat()}")]
    if c.converted_on is not None:
        return [
            error("MB-CONVERTIBLE-CONVERTED", f"{c.id} already converted on {c.converted_on.isoformat()}")
        ]
    out = _class_known(state, b.class_key, b.series_key)
    if out:
        return out
    priced = q.priced.get((b.class_key, b.series_key))
    if b.round_price is None or priced is None or priced[1] != b.round_price or priced[0] > on:
        have = (
            f"; the last priced issuance of it was at ${priced[1]} on {priced[0].isoformat()}"
            if priced
            else ""
        )
        out.append(
            _defect(
                "MB-CONVERSION-NO-ROUND",
                f"{c.kind} {c.id} converts at a priced round of {b.class_key}"
                + (f" series {b.series_key}" if b.series_key else "")
                + f", and none at ${b.round_price} is on the books by {on.isoformat()}{have}: record the round's "
                "issuances first",
                historical,
                (_c("152"), _c("157")),
            )
        )
    if b.price_per_share <= 0 or (b.round_price is not None and b.price_per_share > b.round_price):
        out.append(
            error("MB-INPUT", f"{c.id}: a conversion price of ${b.price_per_share} is not within the round's")
        )
    elif b.shares != int((b.amount / b.price_per_share).to_integral_value(rounding=ROUND_DOWN)):
        out.append(
            error(
                "MB-CONVERSION-SHARES",
                f"{c.id}: ${b.amount} at ${b.price_per_share} buys "
                f"{int((b.amount / b.price_per_share).to_integral_value(rounding=ROUND_DOWN)):,} shares, not "
                f"{b.shares:,}",
            )
        )
    return out


# --- the registry's view of these rules (applied by `check`, from `law.ledger.check`) ----------------------------

from .registry import RULES, describe, tag  # noqa: E402

_BY = "minutebook.law.equity:check"
describe(
    "dgcl.161.reserve_within_authorized",
    cites=(_c("161"), _c("157")),
    summary="Shares reserved for plans and promised by outstanding rights, with those issued, stay within the "
    "authorized shares; issuing stock into that reserve is a warning.",
    codes=(
        "MB-RESERVE-EXCEEDS-AUTHORIZED",
        "MB-ISSUE-INTO-RESERVE",
        "MB-POOL-BELOW-GRANTED",
        "MB-POOL-NEGATIVE",
    ),
    applied_by=_BY,
)
describe(
    "dgcl.157.grant_within_pool",
    cites=(_c("157"), _c("161")),
    summary="An award under a plan fits in the shares the plan has available on its date.",
    codes=("MB-GRANT-EXCEEDS-POOL",),
    applied_by=_BY,
)
describe(
    "dgcl.157.exercise_allowed",
    cites=(_c("157"), _c("152"), _c("153")),
    summary="Only vested (or early-exercisable), unexpired, outstanding rights are exercised, and no more stock is "
    "issued on an exercise, release or conversion than it owes.",
    codes=(
        "MB-AWARD-EXPIRED",
        "MB-EXERCISE-EXCEEDS-OUTSTANDING",
        "MB-EXERCISE-UNVESTED",
        "MB-ISSUE-NOT-OWED",
        "MB-AWARD-ENDS-TOO-MANY",
        "MB-ACCELERATION-EXCEEDS-UNVESTED",
    ),
    applied_by=_BY,
)
describe(
    "irc.409a.exercise_price_fmv",
    cites=("26 U.S.C. § 409A", "26 U.S.C. § 422(b)(4)"),
    summary="An option's exercise price is not below the fair market value of the latest valuation on file.",
    codes=("MB-EXERCISE-PRICE-BELOW-FMV", "MB-ISO-TERM"),
    applied_by=_BY,
)
describe(
    "dgcl.157.conversion_at_round",
    cites=(_c("152"), _c("157")),
    summary="A SAFE or note converts at a priced round of its class, at no more than the round's price, into the "
    "shares its amount buys.",
    codes=("MB-CONVERSION-NO-ROUND", "MB-CONVERSION-SHARES", "MB-CONVERTIBLE-CONVERTED"),
    applied_by=_BY,
)
describe(
    "ledger.equity_known",
    cites=(),
    summary="The award, plan, vesting terms and convertible an act names exist, and an id is used once.",
    codes=(
        "MB-AWARD-UNKNOWN",
        "MB-PLAN-UNKNOWN",
        "MB-VESTING-UNKNOWN",
        "MB-CONVERTIBLE-UNKNOWN",
        "MB-EQUITY-ID-TAKEN",
        "MB-INPUT",
        "MB-HOLDER-UNKNOWN",
        "MB-CLASS-UNKNOWN",
        "MB-SERIES-NOT-DESIGNATED",
    ),
    applied_by=_BY,
)

_RULE_OF = {code: rid for rid, r in RULES.items() if r.source == _BY for code in r.codes}

__all__ = ["RIGHTS", "check"]
