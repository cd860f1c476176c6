"""The franchise-tax computation's values: what goes in (`TaxInputs`: the stock structure for each part of
the tax year, issued shares, gross assets) and what comes out (`FranchiseTax`: both methods, the tax, the
fee, installments, late charges, findings, and the `Line`s of its explanation trace).

Money is `Decimal` (dollars), shares are `int`, dates are `date`; every input carries a note of where it
came from (an event of the book, a charter version, or the caller), so the trace can cite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.findings import Finding
from .amounts import pct, usd
from .rates import Rates

METHOD_NAMES = {
    "asm": "authorized shares method",
    "apvc": "assumed par value capital method",
    "lcf": "large corporate filer flat tax",
}


@dataclass(frozen=True, slots=True)
class ShareClass:
    """A class of stock as the charter authorizes it. `par_value` None with `no_par` False: par unknown."""

    key: str
    authorized: int
    par_value: Decimal | None
    no_par: bool = False
    name: str = ""

    def label(self) -> str:
        return self.name or self.key

    def par_text(self) -> str:
        if self.no_par:
            return "no par value"
        return "par unknown" if self.par_value is None else f"par ${self.par_value}"


@dataclass(frozen=True, slots=True)
class Period:
    """Part of the tax year (from `start` to `end`, both included) with one stock structure."""

    start: date
    end: date
    classes: tuple[ShareClass, ...]
    total_authorized: int | None = None  # as the charter states it; None: the sum of the classes
    issued: int | None = None  # issued shares of every class, treasury included; None: unknown
    gross_assets: Decimal | None = None  # None: unknown
    origin: str = "given"  # where the stock structure comes from
    issued_origin: str = "given"
    assets_origin: str = "given"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def authorized(self) -> int:
        if self.total_authorized is not None:
            return self.total_authorized
        return sum(c.authorized for c in self.classes)

    def structure(self) -> tuple:
        """What the tax depends on in the charter: the classes' authorized shares and par."""
        return tuple(
            (c.key, c.authorized, c.par_value, c.no_par) for c in self.classes
        ), self.total_authorized


@dataclass(frozen=True, slots=True)
class TaxInputs:
    year: int
    periods: tuple[Period, ...]
    large_corporate_filer: bool = False
    paid_on: date | None = None  # the report filed and the tax paid in full on this date
    corporation: str | None = None
    incorporated_on: date | None = None
    notes: tuple[Finding, ...] = ()  # what gathering the inputs found


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the explanation: a parameter, an input, or a step of the arithmetic."""

    section: str  # rate | input | asm | apvc | proration | result
    text: str
    value: Decimal | int | str | None = None
    source: str = ""  # the source keys and effective year, the event or charter version, or the rule
    period: int | None = None  # 1-based, when the year has several stock structures

    def to_json(self) -> dict:
        v = self.value
        return {
            "section": self.section,
            "period": self.period,
            "text": self.text,
            "value": v if v is None or isinstance(v, (int, str)) else str(v),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class PeriodTax:
    period: Period
    asm: Decimal
    apvc: Decimal | None  # None: not computable for this period (see the findings)
    assumed_par: Decimal | None = None
    apvc_capital: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Installment:
    due_on: date
    share: Decimal | None  # None: the remainder, due with the report
    amount: Decimal


@dataclass(frozen=True, slots=True)
class LateCharges:
    paid_on: date
    penalty: Decimal
    months: int
    interest: Decimal
    base: Decimal  # what the interest runs on (A7.4: tax and penalty)


@dataclass(frozen=True, slots=True)
class FranchiseTax:
    year: int
    corporation: str | None
    due_on: date
    asm: Decimal
    apvc: Decimal | None
    method: str  # asm | apvc | lcf
    tax: Decimal
    annual_report_fee: Decimal
    installments: tuple[Installment, ...]
    late: LateCharges | None
    periods: tuple[PeriodTax, ...]
    findings: tuple[Finding, ...]
    trace: tuple[Line, ...]
    rates: Rates

    @property
    def total_due(self) -> Decimal:
        late = self.late.penalty + self.late.interest if self.late else Decimal(0)
        return self.tax + self.annual_report_fee + late

    @property
    def saving(self) -> Decimal:
        """What filing the assumed-par figures saves against the Division's first bill (the ASM)."""
        return self.asm - self.tax if self.method == "apvc" else Decimal(0)

    def to_json(self) -> dict:
        s = str
        return {
            "corporation": self.corporation,
            "tax_year": self.year,
            "due_on": self.due_on.isoformat(),
            "authorized_shares_method": s(self.asm),
            "assumed_par_value_capital_method": None if self.apvc is None else s(self.apvc),
            "method": self.method,
            "method_name": METHOD_NAMES[self.method],
            "tax": s(self.tax),
            "annual_report_fee": s(self.annual_report_fee),
            "late": None
            if self.late is None
            else {
                "paid_on": self.late.paid_on.isoformat(),
                "penalty": s(self.late.penalty),
                "months": self.late.months,
                "interest": s(self.late.interest),
                "interest_base": s(self.late.base),
            },
            "total_due": s(self.total_due),
            "installments": [
                {
                    "due_on": i.due_on.isoformat(),
                    "share": None if i.share is None else s(i.share),
                    "amount": s(i.amount),
                }
                for i in self.installments
            ],
            "periods": [
                {
                    "start": p.period.start.isoformat(),
                    "end": p.period.end.isoformat(),
                    "days": p.period.days,
                    "authorized": p.period.authorized,
                    "classes": [
                        {
                            "class": c.key,
                            "authorized": c.authorized,
                            "par_value": None if c.par_value is None else s(c.par_value),
                            "no_par": c.no_par,
                        }
                        for c in p.period.classes
                    ],
                    "issued": p.period.issued,
                    "gross_assets": None if p.period.gross_assets is None else s(p.period.gross_assets),
                    "asm": s(p.asm),
                    "apvc": None if p.apvc is None else s(p.apvc),
                    "assumed_par": None if p.assumed_par is None else s(p.assumed_par),
                    "assumed_par_value_capital": None if p.apvc_capital is None else s(p.apvc_capital),
                    "origin": p.period.origin,
                }
                for p in self.periods
            ],
            "findings": [f.to_json() for f in self.findings],
            "trace": [line.to_json() for line in self.trace],
        }

    def explain(self) -> str:
        return explain(self)


# -- the result in words: the answer, why, then every input, rate and step with its source --------------------

SECTIONS = (
    ("input", "Inputs"),
    ("rate", "Rates for tax year {year} (each with its sources and the tax year it took effect)"),
    ("asm", "Authorized shares method (8 Del. C. § 503(a)(1))"),
    ("apvc", "Assumed par value capital method (8 Del. C. § 503(a)(2))"),
    ("proration", "Proration"),
    ("result", "The tax"),
)


def summary(r: FranchiseTax) -> list[str]:
    rows = [("Authorized shares method", usd(r.asm))]
    rows.append(("Assumed par value capital method", "not computed" if r.apvc is None else usd(r.apvc)))
    if r.method == "lcf":
        label = "Tax (large corporate filer, flat)"
    elif r.apvc is None:
        label = "Tax (authorized shares method, the only one computed)"
    else:
        label = f"Tax (the lesser: {METHOD_NAMES[r.method]})"
    rows.append((label, usd(r.tax)))
    rows.append(("Annual report fee (not part of the tax)", usd(r.annual_report_fee)))
    if r.late:
        rows.append((f"Late penalty (paid {r.late.paid_on})", usd(r.late.penalty)))
        rows.append(
            (f"Interest, {r.late.months} month{'s' if r.late.months != 1 else ''}", usd(r.late.interest))
        )
    rows.append((f"Total due on or before {r.due_on}" if not r.late else "Total", usd(r.total_due)))
    width = max(len(a) for a, _ in rows)
    money = max(len(b) for _, b in rows)
    return [f"  {a.ljust(width)}  {b.rjust(money)}" for a, b in rows]


def why(r: FranchiseTax) -> str:
    if r.method == "lcf":
        return (
            f"As a large corporate filer the corporation pays a flat {usd(r.tax)}, whatever the two methods give "
            f"(authorized shares {usd(r.asm)}"
            + ("" if r.apvc is None else f", assumed par value capital {usd(r.apvc)}")
            + ")."
        )
    if r.apvc is None:
        reason = next((f.message.split(": ", 1)[-1] for f in r.findings if f.code == "MB-TAX-ASM-ONLY"), "")
        return (
            f"Only the authorized shares method could be computed ({reason}), so the tax is {usd(r.asm)}, the "
            "amount the Division bills first. The assumed par value capital method needs the shares issued "
            "and the gross assets for the year; it may give a lower tax."
        )
    if r.method == "apvc":
        p = r.periods[-1].period
        return (
            f"Delaware charges the lesser of the two methods (8 Del. C. § 503(a)). The Division's first bill "
            f"uses the authorized shares method: {usd(r.asm)}. Filing the assumed par value capital figures "
            f"with the annual report ({p.issued:,} issued shares, gross assets {usd(p.gross_assets or 0)}) "
            f"brings the tax to {usd(r.tax)}, saving {usd(r.saving)}."
        )
    return (
        f"Delaware charges the lesser of the two methods (8 Del. C. § 503(a)). Here the authorized shares method "
        f"gives the lesser tax ({usd(r.asm)}, against {usd(r.apvc)}), which is also what the Division bills."
    )


def _line(n: int, line: Line, numbered: bool) -> list[str]:
    head = f"  {n}. " if numbered else "  - "
    out = [head + (f"[period {line.period}] " if line.period else "") + line.text]
    if line.source:
        out.append(" " * len(head) + f"source: {line.source}")
    return out


def explain(r: FranchiseTax) -> str:
    name = r.corporation or "The corporation"
    lines = [
        f"{name}: Delaware franchise tax for tax year {r.year} (annual report and tax due on or before {r.due_on})",
        "",
        *summary(r),
        "",
        "Why: " + why(r),
    ]
    for key, title in SECTIONS:
        items = [x for x in r.trace if x.section == key]
        if not items:
            continue
        lines += ["", title.format(year=r.year)]
        numbered = key in ("asm", "apvc", "proration", "result")
        for i, x in enumerate(items, 1):
            lines += _line(i, x, numbered)
    if r.installments:
        lines += ["", "Estimated installments"]
        for i in r.installments:
            what = "the rest, with the annual report" if i.share is None else f"{pct(i.share)} of the tax"
            lines.append(f"  {i.due_on}  {usd(i.amount).rjust(14)}  {what}")
    if r.findings:
        lines += ["", "Notes"]
        for f in r.findings:
            cites = f"  [{'; '.join(f.cites)}]" if f.cites else ""
            lines.append(f"  {f.severity.value}: {f.code} {f.message}{cites}")
    return "\n".join(lines)
