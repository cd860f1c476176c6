"""The story of a franchise-tax result, in plain text a CFO can follow: the answer, why, then every
input, rate and step of the arithmetic with where it came from."""

from __future__ import annotations

from .compute import pct
from .methods import usd
from .model import METHOD_NAMES, FranchiseTax, Line

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
