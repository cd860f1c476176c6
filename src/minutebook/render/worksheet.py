"""The franchise-tax worksheet: both methods of 8 Del. C. § 503 for a tax year, their inputs from the book (the
classes, authorized shares and par value of the charter in force, the issued shares from the ledger, the gross
assets reported), every step of `tax.franchise_tax`'s trace grouped by section, the lesser chosen, the annual
report fee, the installments and the due date.

Drawn for a tax year (``2025``) or a date (its year). When the book records no gross assets for the year the
assumed par value capital method cannot be computed: the worksheet says so and shows the authorized shares
method alone; it never supposes an amount.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..core.errors import InputError
from ..tax import franchise_tax
from ..tax.model import METHOD_NAMES, SECTIONS, why
from . import facts
from .papers import Paper, kind

CITES = ("8 Del. C. § 502", "8 Del. C. § 503")


def tax_year(act: str | None, as_of: date | None) -> int:
    """The tax year `--for` names ("2025"), else the year of `--as-of`."""
    if act is None:
        if as_of is None:
            raise InputError("tax-worksheet: give --for YEAR (e.g. 2025) or --as-of DATE")
        return as_of.year
    text = act.strip().lower().removeprefix("tax year").removeprefix("ty").strip()
    if not (text.isdigit() and len(text) == 4):
        raise InputError(f"tax-worksheet: --for names a tax year as four digits (e.g. 2025), not {act!r}")
    return int(text)


def _period(p) -> dict:
    per = p.period
    return {
        "start": per.start,
        "end": per.end,
        "days": per.days,
        "classes": [
            {
                "name": c.label(),
                "authorized": c.authorized,
                "par": facts.par(c.par_value, c.no_par)
                if (c.par_value is not None or c.no_par)
                else "par unknown",
            }
            for c in per.classes
        ],
        "authorized": per.authorized,
        "issued": per.issued,
        "gross_assets": per.gross_assets,
        "origin": per.origin,
        "issued_origin": per.issued_origin,
        "assets_origin": per.assets_origin,
        "asm": p.asm,
        "apvc": p.apvc,
        "assumed_par": p.assumed_par,
        "apvc_capital": None if p.apvc_capital is None else p.apvc_capital.quantize(Decimal("0.01")),
    }


@kind(
    "tax-worksheet",
    "Delaware Franchise Tax Worksheet",
    "tax",
    "a tax year (2025), or --as-of a date in it",
    needs="either",
    cites=CITES,
)
def tax_worksheet(book, act, as_of) -> Paper:
    year = tax_year(act, as_of)
    r = franchise_tax(book, year)
    corp = facts.corporation(book, date(year, 12, 31))  # the year's tax is computed only once incorporated
    sections = []
    for key, title in SECTIONS:
        lines = [
            {"text": x.text, "source": x.source, "period": x.period} for x in r.trace if x.section == key
        ]
        if lines:
            sections.append({"key": key, "title": title.format(year=year), "lines": lines})
    periods = [_period(p) for p in r.periods]
    no_assets = [p for p in periods if p["gross_assets"] is None]
    ctx = {
        "corp": corp,
        "year": year,
        "due_on": r.due_on,
        "asm": r.asm,
        "apvc": r.apvc,
        "method": r.method,
        "method_name": METHOD_NAMES[r.method],
        "tax": r.tax,
        "fee": r.annual_report_fee,
        "total_due": r.total_due,
        "installments": [{"due_on": i.due_on, "share": i.share, "amount": i.amount} for i in r.installments],
        "periods": periods,
        "no_gross_assets": bool(no_assets),
        "sections": sections,
        "why": why(r),
        "findings": [
            f"{f.severity.value}: {f.message}" + (f" [{'; '.join(f.cites)}]" if f.cites else "")
            for f in r.findings
        ],  # fmt: skip
    }
    return Paper(
        "tax-worksheet",
        "Delaware Franchise Tax Worksheet",
        "tax-worksheet.html.j2",
        ctx,
        act=str(year),
        as_of=date(year, 12, 31),
        on=r.due_on,
        cites=CITES,
    )
