"""The franchise-tax rates of tax years 2025 and 2026, checked against the Division of Corporations'
published rates (tax/data/delaware_rates.yaml `confirmed`), and the warning a later year gets."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from tests.clihelp import ok

from minutebook import InputError
from minutebook.tax import ShareClass, franchise_tax, load_rates, rate_table
from minutebook.tax.rates import DATA, Step

DIVISION = "https://corp.delaware.gov/frtax/"


def _codes(r) -> dict[str, str]:
    return {f.code: f.severity.value for f in r.findings}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_rates_of_2025_and_2026(year):
    t = rate_table()
    rates = t.for_year(year)
    assert rates.value("asm_tiers") == ((5_000, D(175)), (10_000, D(250)))  # ASM minimum $175
    assert rates.value("asm_step") == Step(10_000, D(85))
    assert rates.value("apvc_rate") == Step(1_000_000, D(400))  # $400 per $1,000,000
    assert rates.value("apvc_minimum") == D(400)
    assert rates.value("maximum") == D(200_000)
    assert rates.value("large_corporate_filer") == D(250_000)
    assert rates.value("annual_report_fee") == D(50)
    c = t.confirmed[year]
    assert c.read_on == "2026-12-05" and c.sources and all(s in t.source_titles for s in c.sources)
    assert not rates.assumed


def test_rates_checked_through_2026():
    t = rate_table()
    assert t.checked_through == 2026 and max(t.confirmed) == 2026
    assert t.check_page == DIVISION


def test_a_tax_year_checked_has_no_warning():
    r = franchise_tax(year=2026, classes=[ShareClass("common", 10_005, D("0.0001"))])
    assert r.tax == 335 and r.annual_report_fee == 50
    assert "MB-TAX-RATES-ASSUMED" not in _codes(r)


def test_a_tax_year_after_the_check_is_a_warning_naming_the_divisions_page():
    r = franchise_tax(year=2027, classes=[ShareClass("common", 10_005, D("0.0001"))])
    assert r.tax == 335  # the 2026 rates, assumed unchanged
    assert _codes(r)["MB-TAX-RATES-ASSUMED"] == "warning"
    f = next(f for f in r.findings if f.code == "MB-TAX-RATES-ASSUMED")
    assert DIVISION in f.message and "2026" in f.message


def test_a_confirmation_that_disagrees_with_the_table_is_refused():
    text = DATA.read_text(encoding="utf-8")
    assert load_rates(text, "copy").confirmed[2026].values["maximum"] == D(200_000)
    head, sep, tail = text.partition("confirmed:\n  2025:")
    tampered = head + sep + tail.replace('maximum: "200000"', 'maximum: "210000"', 1)  # the 2025 entry
    assert tampered != text
    with pytest.raises(InputError, match="confirmed 2025: maximum was published as '210000'"):
        load_rates(tampered, "copy")


def test_checked_through_after_the_last_confirmation_is_refused():
    text = DATA.read_text(encoding="utf-8").replace("checked_through: 2026", "checked_through: 2027")
    with pytest.raises(InputError, match="checked_through 2027 is after the last confirmed tax year 2026"):
        load_rates(text, "copy")


def test_cli_tax_calc_warns_for_2027_and_not_for_2026(tmp_path: Path):
    def calc(year: int) -> dict:
        p = ok(
            subprocess.run(
                [sys.executable, "-m", "minutebook", "tax", "calc", "--authorized", "10005", "--par", "0.0001",
                 "--year", str(year), "--json"],
                capture_output=True, text=True, cwd=tmp_path,
            )
        )  # fmt: skip
        return json.loads(p.stdout)

    later, checked = calc(2027), calc(2026)
    codes_later = {f["code"]: f["severity"] for f in later["findings"]}
    assert codes_later.get("MB-TAX-RATES-ASSUMED") == "warning"
    assert "MB-TAX-RATES-ASSUMED" not in {f["code"] for f in checked["findings"]}
