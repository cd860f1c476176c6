"""The two methods of 8 Del. C. § 503(a) for one stock structure, each step written down as it is taken.

* **Authorized shares method** (§ 503(a)(1); S1, S3a): a tier amount for up to 5,000 and up to 10,000
  authorized shares, then a step amount for each further 10,000 shares *or part thereof*; at most the
  maximum (§ 503(c)).
* **Assumed par value capital method** (§ 503(a)(2); S2, S3a): gross assets / issued shares (treasury
  included) is the *assumed par*, carried to 6 decimal places, rounded half-up (A7.3: the Division prints
  1,000,000 / 485,000 = 2.061856, not the truncated 2.061855). Each class of par stock counts at the assumed
  par where its own par is lower, at its own par otherwise. On the resulting capital: the rate for each
  $1,000,000 *or fraction* (A7.2 and A3: the Division's ceil(capital / 1,000,000) x rate, so exactly
  $3,000,000 is 3 units and $10,002,000 is 11), prorated below $1,000,000 (which always lands under the
  minimum). Stock without par counts at $100 a share, taxed by its own tiers, and that tax is added. The
  total is at least the method's minimum and at most the maximum.

Arithmetic is exact: `Decimal` in a wide context, `Fraction` for the one division whose rounding the
Division names. A result is rounded to the cent (half-up) only where a fraction of a cent can arise.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

from .amounts import num, to_cents, usd, usd_rate
from .model import Line, Period
from .rates import Rates, Step

WIDE = 120  # digits: shares up to 10^15 times any par or assumed par stay exact


# --- the pieces -------------------------------------------------------------------------------------------


def tiered(
    quantity: Decimal | int, tiers, step: Step, unit: str = "", label: str = ""
) -> tuple[Decimal, str]:
    """A tier amount, or the last tier's amount plus `step` for each further `step.per` or part of one;
    `label` names the quantity at the start of the text (default: the quantity itself)."""
    label = label or f"{unit}{num(quantity)}"
    for up_to, amount in tiers:
        if quantity <= up_to:
            return amount, f"{label} is not more than {unit}{up_to:,}: {usd_rate(amount)}"
    last, base = tiers[-1]
    with localcontext() as ctx:
        ctx.prec = WIDE
        blocks = int(((Decimal(quantity) - last) / step.per).to_integral_value(rounding=ROUND_CEILING))
        amount = base + step.amount * blocks
    text = (
        f"{label} is more than {unit}{last:,}: {usd_rate(base)} + {usd_rate(step.amount)} x "
        f"ceil(({unit}{num(quantity)} - {unit}{last:,}) / {unit}{step.per:,}) = {usd_rate(base)} + "
        f"{usd_rate(step.amount)} x {blocks:,} = {usd(amount)}"
    )
    return amount, text


def assumed_par(gross_assets: Decimal, issued: int) -> tuple[Decimal, Fraction]:
    """(gross assets / issued shares rounded half-up to 6 places, the exact quotient)."""
    exact = Fraction(gross_assets) / issued
    return Decimal((exact * 10**6 + Fraction(1, 2)).__floor__()).scaleb(-6), exact


def _show_exact(f: Fraction) -> str:
    whole, rest = divmod(f.numerator, f.denominator)
    digits = []
    for _ in range(10):
        rest *= 10
        d, rest = divmod(rest, f.denominator)
        digits.append(str(d))
    return f"{whole:,}." + "".join(digits) + ("..." if rest else "")


def _cap(amount: Decimal, rates: Rates, section: str, period: int | None) -> tuple[Decimal, list[Line]]:
    top = rates["maximum"]
    if amount > top.value:
        return to_cents(top.value), [
            Line(
                section,
                f"more than the maximum of {usd_rate(top.value)} (§ 503(c)): the tax is {usd(top.value)}",
                top.value,
                top.cite(),
                period,
            )
        ]
    return amount, []


# --- the methods ----------------------------------------------------------------------------------------


def asm(p: Period, rates: Rates, period: int | None = None) -> tuple[Decimal, list[Line]]:
    tiers, step = rates["asm_tiers"], rates["asm_step"]
    amount, text = tiered(
        p.authorized, tiers.value, step.value, label=f"{p.authorized:,} authorized shares (all classes)"
    )
    lines = [
        Line(
            "asm",
            text,
            amount,
            f"tiers {tiers.cite()}; step {step.cite()}",
            period,
        )
    ]
    amount, capped = _cap(amount, rates, "asm", period)
    return to_cents(amount), lines + capped


def apvc(
    p: Period, rates: Rates, period: int | None = None
) -> tuple[Decimal | None, Decimal | None, Decimal | None, list[Line], str | None]:
    """(tax, assumed par, assumed par value capital, lines, why not) for one period; the tax is None (with
    the reason) when the method cannot be computed: no issued shares, no gross assets, a par unknown."""
    if not p.issued:
        return None, None, None, [], "no shares were issued, so there is no assumed par (S29, A2)"
    if p.gross_assets is None:
        return None, None, None, [], "no gross assets figure was given or recorded for the year"
    unknown = [c.label() for c in p.classes if c.par_value is None and not c.no_par]
    if unknown:
        return None, None, None, [], f"the charter's par value of {', '.join(unknown)} is not known"
    lines: list[Line] = []
    src_par = "S2, S3a (§ 503(a)(2): carried to 6 decimal places; rounded half-up, A7.3)"
    q, exact = assumed_par(p.gross_assets, p.issued)
    lines.append(
        Line(
            "apvc",
            f"assumed par = gross assets / issued shares = {usd(p.gross_assets)} / {p.issued:,} = "
            f"{_show_exact(exact)} -> {q} (6 places, half-up)",
            q,
            src_par,
            period,
        )
    )
    with localcontext() as ctx:
        ctx.prec = WIDE
        capital = Decimal(0)
        for c in p.classes:
            if c.no_par:
                continue
            assert c.par_value is not None
            if c.par_value < q:
                part, how = c.authorized * q, f"par ${c.par_value} < assumed par {q}: {c.authorized:,} x {q}"
            else:
                cmp = "=" if c.par_value == q else ">"
                part, how = (
                    c.authorized * c.par_value,
                    f"par ${c.par_value} {cmp} assumed par {q}: {c.authorized:,} x {c.par_value}",
                )
            capital += part
            lines.append(Line("apvc", f"{c.label()}: {how} = {usd(part)}", part, "S2; S3a steps 2-4", period))
        rate = rates["apvc_rate"]
        per, each = rate.value.per, rate.value.amount
        if not any(not c.no_par for c in p.classes):
            par_part = Decimal(0)
        elif capital <= per:
            par_part = capital * each / per
            lines.append(
                Line(
                    "apvc",
                    f"assumed par value capital {usd(capital)} is not more than {usd_rate(per)}: prorated, "
                    f"{usd(capital)} / {usd_rate(per)} x {usd_rate(each)} = {usd(par_part)}",
                    par_part,
                    f"{rate.cite()}; S2 (A2: below $1,000,000 the statute prorates)",
                    period,
                )
            )
        else:
            units = int((capital / per).to_integral_value(rounding=ROUND_CEILING))
            par_part = each * units
            lines.append(
                Line(
                    "apvc",
                    f"assumed par value capital {usd(capital)}: ceil({num(capital)} / {per:,}) = {units:,} "
                    f"x {usd_rate(each)} = {usd(par_part)}",
                    par_part,
                    f"{rate.cite()}; S3a step 5, S4 (A3: the Division's ceil per $1,000,000 or fraction)",
                    period,
                )
            )
        nopar = [c for c in p.classes if c.no_par]
        total = par_part
        if nopar:
            each_np = rates["nopar_value_per_share"]
            shares = sum(c.authorized for c in nopar)
            npc = shares * each_np.value
            np_tax, np_text = tiered(
                npc,
                rates["nopar_tiers"].value,
                rates["nopar_step"].value,
                "$",
                f"assumed no-par capital {usd(npc)}",
            )
            lines.append(
                Line(
                    "apvc",
                    f"stock without par: {shares:,} shares x {usd_rate(each_np.value)}; {np_text}",
                    np_tax,
                    f"{each_np.cite()}; tiers {rates['nopar_tiers'].cite()}; step {rates['nopar_step'].cite()}",
                    period,
                )
            )
            total = par_part + np_tax
            lines.append(
                Line(
                    "apvc",
                    f"{usd(par_part)} on par stock + {usd(np_tax)} on stock without par = {usd(total)}",
                    total,
                    "S1",
                    period,
                )
            )
    low = rates["apvc_minimum"]
    if total < low.value:
        lines.append(
            Line(
                "apvc",
                f"less than the minimum of {usd_rate(low.value)}: the tax is {usd(low.value)}",
                low.value,
                low.cite(),
                period,
            )
        )
        total = low.value
    total, capped = _cap(to_cents(total), rates, "apvc", period)
    return total, q, capital, lines + capped, None
