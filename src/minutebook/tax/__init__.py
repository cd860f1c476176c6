"""Delaware annual franchise tax (8 Del. C. § 503), by tax year, with an explanation trace.

    >>> from minutebook.tax import franchise_tax, ShareClass
    >>> r = franchise_tax(year=2025, classes=[ShareClass("common", 10_000_000, Decimal("0.0001"))],
    ...                   issued=8_000_000, gross_assets=Decimal("250000"))
    >>> r.asm, r.apvc, r.tax
    (Decimal('85165'), Decimal('400'), Decimal('400'))
    >>> print(r.explain())

`franchise_tax(book_or_events, year, ...)` gathers the inputs from a corporation's record (`book_inputs`);
without a record it taxes the classes, issued shares and gross assets given. Modules: `rates` (the dated
rate data in `data/`), `methods` (the two methods, step by step), `compute` (the tax year: proration, the
lesser, large corporate filer, fee, installments, late charges; the A7 decisions are documented there),
`book_inputs` (inputs from events), `model` (the values and their story in words), `amounts` (money and
rates in words, rounding to the cent).

May import: `core` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from ..core.errors import InputError
from .book_inputs import from_events, gross_assets_reported
from .compute import compute
from .model import FranchiseTax, Installment, LateCharges, Line, Period, PeriodTax, ShareClass, TaxInputs
from .rates import Rates, RateTable, load_rates, rate_table


def amount(value, what: str = "gross assets") -> Decimal:
    """A dollar amount from a Decimal, an int or a string; floats are refused (they are not exact)."""
    if isinstance(value, float):
        raise InputError(f"{what}: pass a Decimal, an int or a string, not a float ({value!r})")
    if isinstance(value, bool):
        raise InputError(f"{what}: not an amount: {value!r}")
    try:
        d = Decimal(str(value).replace(",", "").removeprefix("$").strip())
    except (InvalidOperation, ValueError):
        raise InputError(f"{what}: not an amount: {value!r}") from None
    if not d.is_finite():
        raise InputError(f"{what}: not an amount: {value!r}")
    if d < 0:
        raise InputError(f"{what}: must be zero or more, not {value}")
    return d


def franchise_tax(
    source=None,
    year: int | None = None,
    *,
    gross_assets=None,
    classes: Iterable[ShareClass] = (),
    issued: int | None = None,
    large_corporate_filer: bool = False,
    paid_on: date | None = None,
    what_if_authorized: int | None = None,
    table: RateTable | None = None,
) -> FranchiseTax:
    """The franchise tax for tax `year`.

    `source` is a `Book`, or the events of one: the stock structure for each day of the year comes from its
    charter versions, the issued shares from its ledger, and the gross assets from `gross_assets` or else the
    latest `GrossAssetsReported` for the year. Without a `source`, `classes` (with `issued` and
    `gross_assets`) is the stock structure for the whole year. An `InputError` for a year before the
    incorporation or outside the rate data, or for a negative or non-numeric amount."""
    if year is None:
        raise InputError("tax year: missing")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"tax year must be a whole number, not {year!r}")
    assets = None if gross_assets is None else amount(gross_assets)
    if issued is not None and (isinstance(issued, bool) or not isinstance(issued, int) or issued < 0):
        raise InputError(f"issued shares must be a whole number >= 0, not {issued!r}")
    if source is not None:
        inputs = from_events(
            source,  # a book (its `timeline()`: a large one's store is read, not its events), or events
            year,
            gross_assets=assets,
            large_corporate_filer=large_corporate_filer,
            paid_on=paid_on,
            what_if_authorized=what_if_authorized,
        )
        return compute(inputs, table)
    cls = tuple(classes)
    if not cls:
        raise InputError("no classes of stock given (and no book to read them from)")
    (table or rate_table()).for_year(year)  # a year outside the data is named before anything else
    whole = Period(date(year, 1, 1), date(year, 12, 31), cls, None, issued, assets)
    if what_if_authorized is not None:
        if issued is not None and what_if_authorized < issued:
            raise InputError(
                f"what-if: {what_if_authorized:,} authorized shares is fewer than the {issued:,} issued"
            )
        total = sum(c.authorized for c in cls) or 1
        scaled = [c.authorized * what_if_authorized // total for c in cls]
        scaled[0] += what_if_authorized - sum(scaled)
        whole = Period(
            whole.start,
            whole.end,
            tuple(
                ShareClass(c.key, n, c.par_value, c.no_par, c.name) for c, n in zip(cls, scaled, strict=True)
            ),
            None,
            issued,
            assets,
            origin=f"what-if: {what_if_authorized:,} authorized shares",
        )
    return compute(TaxInputs(year, (whole,), large_corporate_filer, paid_on), table)


__all__ = [
    "FranchiseTax",
    "Installment",
    "LateCharges",
    "Line",
    "Period",
    "PeriodTax",
    "RateTable",
    "Rates",
    "ShareClass",
    "TaxInputs",
    "amount",
    "compute",
    "franchise_tax",
    "from_events",
    "gross_assets_reported",
    "load_rates",
    "rate_table",
]
