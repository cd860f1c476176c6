"""The franchise tax from a corporation's record: the Auxer book (175,000,000 authorized since 1999), gross
assets recorded in the book (the latest wins), a mid-year amendment prorated by days, the year of
incorporation, a year with no shares issued, the what-if, and the years that cannot be taxed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from fractions import Fraction

import pytest

from minutebook import InputError, franchise_tax
from minutebook.book import Book, open_book
from minutebook.core.charter import Capital, CharterVersion, StockClass
from minutebook.core.codec import version_to_dict
from minutebook.core.events import CharterAmended, Event, GrossAssetsReported, Incorporated, SharesIssued
from minutebook.tax.amounts import fraction_to_cents


def record(b: Book, body, on: date) -> int:
    r = b.record(body, on)
    if r.refused:
        r = b.record(body, on, historical=True)
    assert not r.refused, r.findings
    return r.event.seq


@pytest.fixture
def book(template, tmp_path) -> Book:
    """A copy of the Auxer book with 150,000,000 common issued (conftest.py's `template`), opened."""
    for f in template.parent.glob("mb.db*"):
        shutil.copy(f, tmp_path / f.name)
    b = open_book(f"sqlite:///{tmp_path / 'mb.db'}")
    yield b
    b.close()
    b.engine.dispose()


def test_auxer_asm_is_capped_and_apvc_brings_it_down(book):
    r = franchise_tax(book, 2025, gross_assets=1_000_000)
    # 175,000,000 authorized: $250 + $85 x 17,499 = $1,487,665, capped at $200,000
    assert r.asm == 200_000
    # 1,000,000 / 150,000,000 = 0.0066666... -> 0.006667; 175,000,000 x 0.006667 = 1,166,725 -> 2 x $400
    p = r.periods[0]
    assert (p.period.start, p.period.end, p.period.authorized, p.period.issued) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        175_000_000,
        150_000_000,
    )
    assert p.assumed_par == D("0.006667") and p.apvc_capital == D("1166725") and r.apvc == 800
    assert r.tax == 800 and r.method == "apvc" and r.saving == 199_200 and r.total_due == 850
    assert r.corporation == "The Auxer Group, Inc." and r.due_on == date(2026, 3, 1) and r.installments == ()


def test_every_figure_is_traceable(book):
    r = franchise_tax(book, 2025, gross_assets=1_000_000)
    inputs = [x for x in r.trace if x.section == "input"]
    authorized, issued, assets = inputs
    assert (
        "1999-03-19" in authorized.source and "event 3" in authorized.source and "§ 242" in authorized.source
    )
    assert "auxer-group-charter.txt:" in authorized.source
    assert "events 6, 7, 8" in issued.source and "2025-12-31" in issued.source
    assert assets.source == "given by the user"
    for x in r.trace:
        assert x.source, x.text
        if x.section == "rate":
            assert "in force from tax year" in x.source and x.source.startswith("S")
    text = r.explain()
    for needle in ("$200,000.00", "$800.00", "0.006667", "lesser", "saving $199,200.00", "source:"):
        assert needle in text


def test_without_gross_assets_only_the_asm_and_its_installments(book):
    r = franchise_tax(book, 2025)
    assert r.apvc is None and r.tax == 200_000 and r.method == "asm"
    assert "MB-TAX-ASM-ONLY" in {f.code for f in r.findings}
    assert [i.amount for i in r.installments] == [80_000, 40_000, 40_000, 40_000]


def test_recorded_gross_assets_latest_wins(book):
    record(book, GrossAssetsReported(2025, D("500000")), date(2026, 1, 10))
    seq = record(book, GrossAssetsReported(2025, D("1000000")), date(2026, 1, 20))
    record(book, GrossAssetsReported(2024, D("9000000000")), date(2026, 1, 25))
    r = franchise_tax(book, 2025)
    assert r.periods[0].period.gross_assets == 1_000_000 and r.tax == 800
    assets = [x for x in r.trace if x.section == "input"][2]
    assert f"event {seq}" in assets.source and "GrossAssetsReported" in assets.source
    assert (
        franchise_tax(book, 2025, gross_assets=500_000).periods[0].period.gross_assets == 500_000
    )  # user wins


def test_mid_year_amendment_prorates_both_methods(book):
    """Auxer amends on 2025-07-01 to 300,000,000 common: 181 days at 175,000,000, 184 at 325,000,000."""
    v = version_to_dict(book.charter.current)
    v["capital"]["total_authorized"] = 325_000_000
    v["capital"]["classes"][0]["authorized"] = 300_000_000
    record(book, CharterAmended(v, "amendment", "242"), date(2025, 7, 1))
    r = franchise_tax(book, 2025, gross_assets=1_000_000)
    assert [(p.period.start, p.period.end, p.period.authorized) for p in r.periods] == [
        (date(2025, 1, 1), date(2025, 6, 30), 175_000_000),
        (date(2025, 7, 1), date(2025, 12, 31), 325_000_000),
    ]
    assert [p.asm for p in r.periods] == [200_000, 200_000] and r.asm == 200_000
    # 325,000,000 x 0.006667 = 2,166,775 -> 3 x $400; then $800 x 181/365 + $1,200 x 184/365
    assert [p.apvc for p in r.periods] == [800, 1_200]
    assert r.apvc == fraction_to_cents(Fraction(800 * 181 + 1_200 * 184, 365)) == D("1001.64")
    assert r.tax == D("1001.64") and "MB-TAX-PRORATED" in {f.code for f in r.findings}
    assert "MB-TAX-ASSETS-EACH-PERIOD" in {f.code for f in r.findings}
    assert any(x.section == "proration" for x in r.trace)
    # the year before and after: no proration
    assert len(franchise_tax(book, 2026, gross_assets=1_000_000).periods) == 1


def test_an_amendment_that_keeps_the_stock_structure_is_not_a_new_period(book):
    v = version_to_dict(book.charter.current)
    v["name"] = "Auxer Holdings, Inc."
    record(book, CharterAmended(v, "amendment", "242"), date(2025, 5, 1))
    r = franchise_tax(book, 2025, gross_assets=1_000_000)
    assert len(r.periods) == 1 and r.tax == 800


def test_what_if_a_smaller_authorized_capital(book):
    with pytest.raises(InputError, match="fewer than the 150,000,000 shares issued"):
        franchise_tax(book, 2025, gross_assets=1_000_000, what_if_authorized=1_000_000)
    r = franchise_tax(book, 2025, gross_assets=1_000_000, what_if_authorized=160_000_000)
    classes = {c.key: c.authorized for c in r.periods[0].period.classes}
    assert sum(classes.values()) == 160_000_000 and classes["common"] >= 150_000_000
    assert "MB-TAX-WHAT-IF" in {f.code for f in r.findings}


def test_years_that_cannot_be_taxed(book):
    with pytest.raises(InputError, match="1996 is before The Auxer Group, Inc. was incorporated"):
        franchise_tax(book, 1996)
    with pytest.raises(InputError, match="tax year 1999"):  # incorporated, but before the rate data
        franchise_tax(book, 1999)


# --- a corporation written as events -----------------------------------------------------------------------


def charter(on: date, authorized: int, par: str | None = "0.0001") -> dict:
    cls = StockClass(
        "common", "Common Stock", "common", authorized, None if par is None else D(par), par is None
    )
    return version_to_dict(CharterVersion(on, "Acme, Inc.", capital=Capital(authorized, (cls,))))


def acme(inc: date, authorized: int = 5_000, *more: Event) -> list[Event]:
    first = Event(Incorporated("Acme, Inc.", "Delaware", charter(inc, authorized)), inc, seq=1)
    return [first, *(replace(e, seq=i) for i, e in enumerate(more, 2))]


def test_year_of_incorporation_is_weighted_from_incorporation():
    evs = acme(date(2024, 7, 1))  # 184 days of 2024's 366
    r = franchise_tax(evs, 2024)
    assert r.periods[0].period.start == date(2024, 7, 1)
    assert r.asm == fraction_to_cents(Fraction(175 * 184, 366)) == D("87.98")
    assert "MB-TAX-FIRST-YEAR" in {f.code for f in r.findings}
    assert franchise_tax(evs, 2025).asm == 175


def test_a_year_with_no_issued_shares_is_asm_only():
    r = franchise_tax(acme(date(2020, 1, 1), 10_000_000), 2025, gross_assets=100_000)
    assert r.periods[0].period.issued == 0 and r.apvc is None and r.tax == 85_165
    assert "no shares were issued" in r.explain()


def test_issued_shares_include_treasury_and_are_counted_at_each_period_end():
    issued = Event(SharesIssued("a", "common", 4_000_000, D("0.0001"), D("400")), date(2024, 3, 1))
    amended = Event(CharterAmended(charter(date(2025, 1, 1), 20_000_000)), date(2025, 4, 1))
    later = Event(SharesIssued("a", "common", 6_000_000, D("0.0001"), D("600")), date(2025, 9, 1))
    evs = acme(date(2020, 1, 1), 10_000_000, issued, amended, later)
    r = franchise_tax(evs, 2025, gross_assets=1_000_000)
    assert [p.period.issued for p in r.periods] == [4_000_000, 10_000_000]
    assert [p.assumed_par for p in r.periods] == [D("0.25"), D("0.1")]


def test_no_incorporation_is_an_input_error():
    with pytest.raises(InputError, match="no incorporation"):
        franchise_tax([], 2025)
