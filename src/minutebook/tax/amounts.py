"""Amounts of tax, rates, quantities and shares in the words a return or a CFO uses, and rounding to the cent:
the bottom of the tax package, importing nothing of it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def usd(d: Decimal | int) -> str:
    """$1,234.50: an amount of tax, always with cents."""
    return f"${Decimal(d).quantize(CENT, rounding=ROUND_HALF_UP):,}"


def usd_rate(d: Decimal | int) -> str:
    """$85 or $62.50: a rate as the law states it."""
    d = Decimal(d)
    return f"${int(d):,}" if d == d.to_integral_value() else f"${d.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def num(d: Decimal | int) -> str:
    """1,166,725 or 1,000,050.5: a quantity, exact, with thousands separators."""
    d = Decimal(d)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def to_cents(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def fraction_to_cents(f: Fraction) -> Decimal:
    """Round a non-negative exact amount to the cent, half-up."""
    n = (f * 100 + Fraction(1, 2)).__floor__()
    return Decimal(n).scaleb(-2)


def pct(share: Decimal) -> str:
    """0.015 -> '1.5%'."""
    return f"{(share * 100).normalize():f}%"
