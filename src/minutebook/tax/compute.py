"""One tax year's Delaware franchise tax from its inputs: both methods, the lesser, and what follows from it.

Decisions on the open questions of the law notes (../shared/law/delaware.md § A7), as it recommends:

* **A7.1 Large corporate filer.** A corporation the caller says is a Large Corporate Filer pays the flat
  amount ($250,000 from tax year 2017), whatever the methods give; because that status applies only where
  the corporation would otherwise pay the maximum (S6), a computed tax under the maximum is reported as a
  warning (`MB-TAX-LCF-BELOW-MAX`). Before the status existed (tax years before 2017) it is ignored, with a
  warning.
* **A7.2 and A7.3** (the assumed-par arithmetic): see `methods`.
* **A7.4 Interest base.** Interest runs on the unpaid tax *and* the penalty, not on the annual report fee
  (the Division via S22; S23 in 2020; S24's "unpaid tax balance" read with them), simple, at the monthly
  rate, accruing on the 6th of each month after the due date (S23) until paid: paid on March 2-5, the
  penalty but no interest yet; paid on March 6, one month.
* **A7.5 The 2017 penalty.** $200 for tax year 2017 on: both readings agree for a tax-year-2017 report,
  which falls due on 2018-03-01 (see the rate data).
* **A7.6 Proration.** When the stock structure changes during the year, each method's tax is computed for
  each part of the year and weighted by days in force / days in the year (365, or 366 in a leap year; S4,
  Incserv), and the weighted amounts are added; then the lesser of the two methods' totals is the tax. The
  exact sum is rounded to the cent once (half-up). The year of incorporation is weighted the same way from
  the date of incorporation (the corporation's charter was in force only for those days; a note says so).

* **A7.7 Rates before 2014.** The 2003 and 2007 tables disagree and no source documents the change between
  them, so the shipped data starts with tax year 2014 (HB 265) and an earlier year is refused by name. A
  table for another period can be loaded from a file of the same form (`rates.load_rates`); the tests load
  the Division's 2007 tiers that way (V6).
* **A7.8 Published numbers that are wrong** are kept as negative tests: 10,005 shares is $335 (not $675,
  S35); 1-10,000 shares is not a flat $175 (S38a); 10,000,000 shares is $85,165 (not about $76,500, S38c);
  5,001-10,000 shares is $250 (not $350, S41); and large corporate filer status is the caller's statement
  (listed, and revenue or assets of $750M), never inferred from gross assets (S38c).

Estimated installments: when the tax is at least $5,000, 40% by June 1, 20% by September 1 and 20% by
December 1 of the tax year, each rounded to the cent, and the remainder with the report on March 1 (S3c,
S24). The annual report fee is added to what is due and is never part of the tax (S3b, S37).
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..core.errors import InputError
from ..core.findings import Finding, info, warning
from . import methods
from .amounts import fraction_to_cents, pct, to_cents, usd, usd_rate
from .model import METHOD_NAMES, FranchiseTax, Installment, LateCharges, Line, Period, PeriodTax, TaxInputs
from .rates import Rates, RateTable, rate_table

S503 = "8 Del. C. § 503(a)"


def year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _check(inputs: TaxInputs) -> None:
    y = inputs.year
    if not inputs.periods:
        raise InputError(f"tax year {y}: no stock structure to tax (no charter in force during the year)")
    prev_end = None
    for p in inputs.periods:
        if p.start > p.end or p.start.year != y or p.end.year != y:
            raise InputError(f"tax year {y}: a period must lie within the year, not {p.start} to {p.end}")
        if prev_end is not None and p.start <= prev_end:
            raise InputError(f"tax year {y}: periods overlap or are out of order at {p.start}")
        prev_end = p.end
        for c in p.classes:
            if isinstance(c.authorized, bool) or not isinstance(c.authorized, int) or c.authorized < 0:
                raise InputError(f"class {c.label()}: authorized shares must be a whole number >= 0")
            if c.par_value is not None and (not c.par_value.is_finite() or c.par_value < 0):
                raise InputError(f"class {c.label()}: par value must be zero or more, not {c.par_value}")
        if p.issued is not None and (
            isinstance(p.issued, bool) or not isinstance(p.issued, int) or p.issued < 0
        ):
            raise InputError(f"issued shares must be a whole number >= 0, not {p.issued!r}")
        g = p.gross_assets
        if g is not None and (not isinstance(g, Decimal) or not g.is_finite() or g < 0):
            raise InputError(f"gross assets must be an amount of zero or more, not {g}")
        if not p.classes and p.total_authorized is None:
            raise InputError(f"tax year {y}: the charter in force from {p.start} states no authorized shares")


def _rate_lines(rates: Rates, nopar: bool) -> list[Line]:
    def tiers(name: str, unit: str, noun: str = "") -> str:
        return "; ".join(f"up to {unit}{up:,}{noun}: {usd_rate(a)}" for up, a in rates.value(name))

    def step(name: str, unit: str, noun: str = "", further: str = "further ") -> str:
        s = rates.value(name)
        return f"{usd_rate(s.amount)} for each {further}{unit}{s.per:,}{noun} or part"

    out = [
        ("asm_tiers", f"authorized shares method: {tiers('asm_tiers', '', ' shares')}"),
        ("asm_step", f"authorized shares method: {step('asm_step', '', ' shares')}"),
        ("apvc_rate", f"assumed par value capital method: {step('apvc_rate', '$', further='')}"),
        (
            "apvc_minimum",
            f"assumed par value capital method: minimum {usd_rate(rates.value('apvc_minimum'))}",
        ),
    ]
    if nopar:
        out += [
            (
                "nopar_value_per_share",
                f"stock without par counts at {usd_rate(rates.value('nopar_value_per_share'))}",
            ),
            ("nopar_tiers", f"stock without par: {tiers('nopar_tiers', '$')}"),
            ("nopar_step", f"stock without par: {step('nopar_step', '$')}"),
        ]
    lcf = rates.value("large_corporate_filer")
    out += [
        ("maximum", f"maximum tax {usd_rate(rates.value('maximum'))}"),
        (
            "large_corporate_filer",
            "large corporate filer: "
            + (f"flat {usd_rate(lcf)}" if lcf is not None else "no such status yet"),
        ),
        (
            "annual_report_fee",
            f"annual report fee {usd_rate(rates.value('annual_report_fee'))} (not part of the tax)",
        ),
        (
            "estimate_threshold",
            f"estimated installments when the tax is {usd_rate(rates.value('estimate_threshold'))} or more",
        ),
        ("late_penalty", f"late penalty {usd_rate(rates.value('late_penalty'))}"),
        ("interest_per_month", f"interest {pct(rates.value('interest_per_month'))} a month"),
    ]
    return [Line("rate", text, None, rates[name].cite()) for name, text in out]


def _input_lines(p: Period, i: int | None) -> list[Line]:
    classes = "; ".join(f"{c.label()} {c.authorized:,} shares, {c.par_text()}" for c in p.classes)
    stated = "" if p.total_authorized is None else " as the charter states the total"
    lines = [
        Line("input", f"authorized shares: {p.authorized:,}{stated} ({classes})", p.authorized, p.origin, i),
        Line(
            "input",
            "issued shares (treasury included): " + ("unknown" if p.issued is None else f"{p.issued:,}"),
            p.issued,
            p.issued_origin,
            i,
        ),
        Line(
            "input",
            "gross assets: " + ("unknown" if p.gross_assets is None else usd(p.gross_assets)),
            p.gross_assets,
            p.assets_origin,
            i,
        ),
    ]
    return lines


def _prorate(
    label: str, amounts: list[Decimal], periods: tuple[Period, ...], days: int
) -> tuple[Decimal, Line]:
    exact = sum(
        (Fraction(a) * Fraction(p.days, days) for a, p in zip(amounts, periods, strict=True)), Fraction(0)
    )
    total = fraction_to_cents(exact)
    parts = " + ".join(f"{usd(a)} x {p.days}/{days}" for a, p in zip(amounts, periods, strict=True))
    line = Line(
        "proration",
        f"{label}: {parts} = {usd(total)} (days in force / days in the year; the sum rounded to the cent)",
        total,
        "S4 (A7.6: by days, not months)",
    )
    return total, line


def installments(tax: Decimal, rates: Rates, year: int, due_on: date) -> tuple[Installment, ...]:
    if tax < rates.value("estimate_threshold"):
        return ()
    out = []
    for (m, d), share in rates.value("estimate_installments"):
        out.append(Installment(date(year, m, d), share, to_cents(tax * share)))
    out.append(Installment(due_on, None, tax - sum((i.amount for i in out), Decimal(0))))
    return tuple(out)


def interest_months(due_on: date, paid_on: date) -> int:
    """The 6ths of a month after `due_on` up to and including `paid_on` (S23: interest accrues on the 6th)."""
    n = 0
    y, m = due_on.year, due_on.month
    while True:
        d = date(y, m, 6)
        if d > paid_on:
            return n
        if d > due_on:
            n += 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def late_charges(tax: Decimal, rates: Rates, due_on: date, paid_on: date) -> LateCharges | None:
    if paid_on <= due_on:
        return None
    penalty = to_cents(rates.value("late_penalty"))
    months = interest_months(due_on, paid_on)
    base = tax + penalty
    return LateCharges(
        paid_on, penalty, months, to_cents(base * rates.value("interest_per_month") * months), base
    )


def compute(inputs: TaxInputs, table: RateTable | None = None) -> FranchiseTax:
    """The franchise tax for `inputs.year`; an `InputError` for a year outside the rate data or bad inputs."""
    rates = (table or rate_table()).for_year(inputs.year)
    _check(inputs)
    y = inputs.year
    m, d = rates.value("report_due")
    due_on = date(y + 1, m, d)
    days = year_days(y)
    periods = inputs.periods
    several = len(periods) > 1
    findings: list[Finding] = list(inputs.notes)
    trace = _rate_lines(rates, any(c.no_par for p in periods for c in p.classes))
    if rates.assumed:
        t = table or rate_table()
        findings.append(
            warning(
                "MB-TAX-RATES-ASSUMED",
                f"tax year {y} is after {t.checked_through}, the last year minutebook's rates were checked against "
                f"the Division of Corporations' published rates: the rates in force from "
                f"{max(p.since for p in rates.params.values())} are assumed unchanged. Check the Division's page, "
                f"{t.check_page}, before relying on this amount",
                cites=(S503,),
            )
        )

    results: list[PeriodTax] = []
    why_not: str | None = None
    for i, p in enumerate(periods, 1):
        k = i if several else None
        if several:
            trace.append(
                Line("input", f"period {i}: {p.start} to {p.end}, {p.days} days", p.days, p.origin, k)
            )
        trace += _input_lines(p, k)
        a, a_lines = methods.asm(p, rates, k)
        v, q, cap, v_lines, reason = methods.apvc(p, rates, k)
        trace += a_lines + v_lines
        why_not = why_not or reason
        results.append(PeriodTax(p, a, v, q, cap))

    apvc_ok = all(r.apvc is not None for r in results)
    prorate = several or periods[0].days != days
    if prorate:
        asm_total, line = _prorate("authorized shares method", [r.asm for r in results], periods, days)
        trace.append(line)
        apvc_total = None
        if apvc_ok:
            apvc_total, line = _prorate(
                "assumed par value capital method", [r.apvc for r in results], periods, days
            )
            trace.append(line)
        first = inputs.incorporated_on
        if first is not None and first.year == y and first >= periods[0].start:
            findings.append(
                info(
                    "MB-TAX-FIRST-YEAR",
                    f"incorporated on {first}: tax year {y} is weighted by the {sum(p.days for p in periods)} "
                    f"days from incorporation out of {days} (confirm with the Division of Corporations)",
                    cites=(S503, "S4"),
                )
            )
        if several:
            findings.append(
                info(
                    "MB-TAX-PRORATED",
                    f"the stock structure changed during {y} ({len(periods)} periods): each method is "
                    f"computed for each period and weighted by days in force out of {days}",
                    cites=(S503, "S4"),
                )
            )
    else:
        asm_total, apvc_total = results[0].asm, results[0].apvc

    if apvc_total is None:
        findings.append(
            info(
                "MB-TAX-ASM-ONLY",
                f"only the authorized shares method can be computed for {y}: {why_not}",
                cites=("8 Del. C. § 503(a)(2)",),
            )
        )
        tax, method = asm_total, "asm"
        trace.append(
            Line(
                "result",
                f"only the authorized shares method can be computed ({why_not}): {usd(tax)}",
                tax,
                f"{S503}; S29",
            )
        )
    else:
        method = "apvc" if apvc_total < asm_total else "asm"
        tax = min(apvc_total, asm_total)
        trace.append(
            Line(
                "result",
                f"the lesser of {usd(asm_total)} (authorized shares) and {usd(apvc_total)} (assumed par value "
                f"capital) is {usd(tax)}, by the {METHOD_NAMES[method]}",
                tax,
                f"{S503} (S1, S3c)",
            )
        )

    lcf_amount = rates.value("large_corporate_filer")
    if inputs.large_corporate_filer:
        if lcf_amount is None:
            findings.append(
                warning(
                    "MB-TAX-LCF-NOT-IN-FORCE",
                    f"there was no large corporate filer tax in tax year {y} (it starts with tax year 2017): ignored",
                    cites=("8 Del. C. § 503(c)", "S5"),
                )
            )
        else:
            top = rates.value("maximum")
            if tax < top:
                findings.append(
                    warning(
                        "MB-TAX-LCF-BELOW-MAX",
                        f"as a large corporate filer the tax is {usd(lcf_amount)}, but the computed tax is only "
                        f"{usd(tax)}: the status applies only where the corporation would otherwise pay the "
                        f"{usd(top)} maximum; check the filer's status",
                        cites=("8 Del. C. § 503(c)", "S6", "A7.1"),
                    )
                )
            trace.append(
                Line(
                    "result",
                    f"large corporate filer: a flat {usd(lcf_amount)} in place of {usd(tax)}",
                    lcf_amount,
                    f"{rates['large_corporate_filer'].cite()}; A7.1 (flat amount, S42, S29, S30)",
                )
            )
            tax, method = to_cents(lcf_amount), "lcf"

    fee = to_cents(rates.value("annual_report_fee"))
    trace.append(
        Line(
            "result",
            f"annual report fee {usd(fee)}, filed with the tax and not part of it: {usd(tax)} + {usd(fee)} = "
            f"{usd(tax + fee)} due on or before {due_on}",
            tax + fee,
            f"{rates['annual_report_fee'].cite()}; due {rates['report_due'].cite()}",
        )
    )
    parts = installments(tax, rates, y, due_on)
    threshold = rates.value("estimate_threshold")
    if parts:
        text = "; ".join(
            f"{i.due_on}: {usd(i.amount)}" + (f" ({pct(i.share)})" if i.share is not None else " (the rest)")
            for i in parts
        )
        trace.append(
            Line(
                "result",
                f"{usd(tax)} is at least {usd_rate(threshold)}: estimated installments {text}",
                None,
                f"{rates['estimate_installments'].cite()}",
            )
        )
    else:
        trace.append(
            Line(
                "result",
                f"{usd(tax)} is under {usd_rate(threshold)}: no estimated installments",
                None,
                rates["estimate_threshold"].cite(),
            )
        )
    late = late_charges(tax, rates, due_on, inputs.paid_on) if inputs.paid_on else None
    if late:
        rate = rates.value("interest_per_month")
        trace.append(
            Line(
                "result",
                f"paid on {late.paid_on}, after {due_on}: penalty {usd(late.penalty)}; interest "
                f"({usd(tax)} + {usd(late.penalty)}) x {pct(rate)} x {late.months} month"
                f"{'s' if late.months != 1 else ''} = {usd(late.interest)}",
                late.penalty + late.interest,
                f"{rates['late_penalty'].cite()}; {rates['interest_per_month'].cite()}; A7.4 (interest on tax and "
                "penalty, accruing on the 6th of each month, S23)",
            )
        )
        findings.append(
            warning(
                "MB-TAX-LATE",
                f"paid on {late.paid_on}, after the {due_on} due date: penalty {usd(late.penalty)} and interest "
                f"{usd(late.interest)} ({late.months} month{'s' if late.months != 1 else ''})",
                cites=("8 Del. C. § 502", "S22", "S23"),
            )
        )
    elif inputs.paid_on is None:
        trace.append(
            Line(
                "result",
                f"if filed or paid after {due_on}: a {usd(rates.value('late_penalty'))} penalty, and interest at "
                f"{pct(rates.value('interest_per_month'))} a month on the tax and the penalty",
                None,
                f"{rates['late_penalty'].cite()}; A7.4",
            )
        )
    result = FranchiseTax(
        y,
        inputs.corporation,
        due_on,
        asm_total,
        apvc_total,
        method,
        tax,
        fee,
        parts,
        late,
        tuple(results),
        tuple(findings),
        tuple(trace),
        rates,
    )
    return result
