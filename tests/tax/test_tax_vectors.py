"""The franchise-tax arithmetic against the law notes (../shared/law/delaware.md § A5, vectors V1-V25) and
the rules behind them: every tier boundary of both methods, the exact million, half-up rounding of the
assumed par, the caps, the large corporate filer, stock without par, installments, late charges and
proration. Expected amounts are worked out from the rules (the arithmetic in each comment), not fitted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

import pytest

from minutebook import InputError
from minutebook.tax import Period, ShareClass, TaxInputs, compute, franchise_tax, load_rates, rate_table
from minutebook.tax.amounts import fraction_to_cents
from minutebook.tax.compute import installments, interest_months
from minutebook.tax.methods import assumed_par


def par(n: int, p: str, key: str = "common") -> ShareClass:
    return ShareClass(key, n, D(p))


def nopar(n: int, key: str = "common") -> ShareClass:
    return ShareClass(key, n, None, True)


def asm(n: int, year: int = 2025) -> D:
    return franchise_tax(year=year, classes=[par(n, "0.0001")]).asm


def codes(r) -> set[str]:
    return {f.code for f in r.findings}


# --- authorized shares method ------------------------------------------------------------------------------


def test_v1_v2_v8_v9_asm_official_examples():
    assert asm(10_005) == 335  # V1: $250 + $85
    assert asm(100_000) == 1_015  # V2: $250 + 9 x $85
    assert asm(1_000_000) == 8_665  # V8: $250 + 99 x $85
    assert asm(200_000) == 1_865  # V9: $250 + 19 x $85 (+ the $50 fee, separately)
    r = franchise_tax(year=2025, classes=[par(200_000, "0.0001")])
    assert r.tax == 1_865 and r.annual_report_fee == 50 and r.total_due == 1_915


@pytest.mark.parametrize(
    "shares, tax",
    [
        (1, 175),
        (5_000, 175),
        (5_001, 250),
        (10_000, 250),
        (10_001, 335),
        (20_000, 335),
        (20_001, 420),
        (10**9, 200_000),
    ],
)
def test_v10_asm_tier_boundaries(shares, tax):
    assert asm(shares) == tax


def test_asm_reaches_the_maximum_exactly():
    # $250 + $85 x k = $200,000 at k = 2,350 blocks, i.e. 10,000 + 2,350 x 10,000 = 23,510,000 shares
    assert asm(23_500_000) == 250 + 85 * 2_349 == 199_915
    assert asm(23_510_000) == 200_000
    assert asm(23_510_001) == 200_000  # $200,085 before the cap


def test_a7_8_published_numbers_that_are_wrong():
    assert asm(10_005) == 335 != 675  # S35
    assert (
        asm(10_000) == 250 != 175 and asm(100_000) == 1_015 != 250
    )  # S38a: "1-10,000 $175; to 100,000 $250"
    assert asm(10_000_000) == 85_165  # S38c: "about $76,500"
    assert asm(5_001) == asm(10_000) == 250 != 350  # S41
    big = franchise_tax(year=2025, classes=[par(1_000, "1")], issued=1, gross_assets=10**9)
    assert big.method != "lcf"  # S38c: gross assets alone never make a large corporate filer


def test_v5_2014_to_2017_rates():
    for year in (2014, 2015, 2016, 2017):
        assert asm(10_005, year) == 325  # $250 + $75
        assert asm(100_000, year) == 925  # $250 + 9 x $75
    assert asm(10_005, 2018) == 335


V6_2007 = """
sources: {S17: Division text quoted in 2007}
parameters:
  asm_tiers: {values: {2007: {value: [[3000, "35"], [5000, "62.50"], [10000, "112.50"]], source: S17}}}
  asm_step: {values: {2007: {value: {per: 10000, amount: "62.50"}, source: S17}}}
  nopar_value_per_share: {values: {2007: {value: "100", source: S17}}}
  nopar_tiers: {values: {2007: {value: [[500000, "35"], [1000000, "62.50"]], source: S17}}}
  nopar_step: {values: {2007: {value: {per: 1000000, amount: "62.50"}, source: S17}}}
  apvc_rate: {values: {2007: {value: {per: 1000000, amount: "250"}, source: S17}}}
  apvc_minimum: {values: {2007: {value: "35", source: S17}}}
  maximum: {values: {2007: {value: "165000", source: S17}}}
  large_corporate_filer: {values: {2007: {value: null, source: S17}}}
  annual_report_fee: {values: {2007: {value: "25", source: S17}}}
  late_penalty: {values: {2007: {value: "100", source: S17}}}
  interest_per_month: {values: {2007: {value: "0.015", source: S17}}}
  report_due: {values: {2007: {value: "03-01", source: S17}}}
  estimate_threshold: {values: {2007: {value: "5000", source: S17}}}
  estimate_installments:
    values: {2007: {value: [["06-01", "0.40"], ["09-01", "0.20"], ["12-01", "0.20"]], source: S17}}
"""


def test_v6_2007_rates_from_a_rate_file_of_three_tiers():
    """The rate structure is data: the Division's 2007 tiers (three, at $62.50 a block) give V6 unchanged code."""
    table = load_rates(V6_2007, "2007 test rates")
    t = [franchise_tax(year=2007, classes=[par(n, "0.0001")], table=table).asm for n in (10_005, 100_000)]
    assert t == [175, 675]  # $112.50 + $62.50; $112.50 + 9 x $62.50
    assert franchise_tax(year=2007, classes=[par(2_999, "0.0001")], table=table).asm == 35


# --- assumed par value capital method ----------------------------------------------------------------------


def test_v3_v4_division_example():
    r = franchise_tax(
        year=2025,
        classes=[par(1_000_000, "1.00", "a"), par(250_000, "5.00", "b")],
        issued=485_000,
        gross_assets=1_000_000,
    )
    p = r.periods[0]
    assert p.assumed_par == D("2.061856")  # 2.0618556... rounded half-up
    assert p.apvc_capital == D("3311856")  # 1,000,000 x 2.061856 + 250,000 x 5
    assert r.apvc == 1_600  # 4 x $400
    assert r.asm == 10_790 and r.tax == 1_600 and r.method == "apvc" and r.saving == 9_190  # V4


def test_v12_v14_v15_small_capital_pays_the_minimum():
    r = franchise_tax(year=2025, classes=[par(10_000_000, "0.00001")], issued=2_000_000, gross_assets=100_000)
    assert (
        r.periods[0].assumed_par == D("0.05") and r.periods[0].apvc_capital == 500_000 and r.apvc == 400
    )  # V12
    r = franchise_tax(year=2025, classes=[par(10_000_000, "0.0001")], issued=1_000_000, gross_assets=100_000)
    assert (
        r.periods[0].assumed_par == D("0.1") and r.periods[0].apvc_capital == 1_000_000 and r.apvc == 400
    )  # V14
    r = franchise_tax(year=2025, classes=[par(1_000_000, "0.0001")], issued=100_000, gross_assets=50_000)
    assert r.periods[0].apvc_capital == 500_000 and r.apvc == 400  # V15


def test_v17_asm_lesser_for_a_tiny_authorized_capital():
    r = franchise_tax(year=2025, classes=[par(1_000, "0.01")], issued=1_000, gross_assets=50_000_000)
    assert r.periods[0].apvc_capital == 50_000_000 and r.apvc == 20_000  # 50 x $400
    assert r.asm == 175 and r.tax == 175 and r.method == "asm"


def test_v18_apvc_capped():
    r = franchise_tax(year=2025, classes=[par(1_000_000, "0.01")], issued=1_000_000, gross_assets=10**12)
    assert r.apvc == 200_000  # 1,000,000 units x $400 before the cap
    assert r.asm == 8_665 and r.tax == 8_665  # the lesser is still the ASM


def apvc_on(capital: int, year: int = 2025) -> D:
    """APVC tax on exactly `capital`: 1 issued share, assets = capital / authorized... kept simple with par."""
    # par $1 above any assumed par (assets 0): the capital is authorized x $1
    return franchise_tax(year=year, classes=[par(capital, "1")], issued=1, gross_assets=0).apvc


def test_v25_and_apvc_million_boundaries():
    assert apvc_on(10_002_000) == 11 * 400  # V25: 10,002,000 = 11 units
    assert apvc_on(3_000_000) == 1_200  # exactly 3 millions: 3 units, not 4
    assert apvc_on(3_000_001) == 1_600
    assert apvc_on(1_000_000) == 400  # prorated: exactly $400
    assert apvc_on(1_000_001) == 800  # just over one million: 2 units
    assert apvc_on(2_000_000) == 800
    assert apvc_on(999_999) == 400  # prorated $399.9996, then the $400 minimum
    assert apvc_on(1) == 400
    assert apvc_on(500_000_000) == 200_000  # 500 x $400
    assert apvc_on(499_000_000) == 199_600
    assert apvc_on(500_000_001) == 200_000  # 501 x $400 capped


def test_apvc_2014_to_2017_rate_and_minimum():
    assert apvc_on(3_000_000, 2016) == 1_050  # 3 x $350
    assert apvc_on(1, 2016) == 350  # the $350 minimum
    assert apvc_on(600_000_000, 2016) == 180_000  # the $180,000 maximum of those years
    assert apvc_on(600_000_000, 2017) == 200_000  # HB 175: $200,000 from tax year 2017


def test_assumed_par_rounds_half_up_to_six_places():
    assert assumed_par(D("1000000"), 485_000)[0] == D("2.061856")  # truncation would give 2.061855
    assert assumed_par(D("2.5"), 1_000_000)[0] == D(
        "0.000003"
    )  # 0.0000025: half-up (half-even gives 0.000002)
    assert assumed_par(D("1.5"), 1_000_000)[0] == D("0.000002")
    assert assumed_par(D("1"), 3)[0] == D("0.333333")
    assert assumed_par(D("2"), 3)[0] == D("0.666667")


def test_rounding_decides_a_million_boundary():
    # assets 1,000,000 over 3,000,000 issued: 0.333333... -> 0.333333; 3,000,000 authorized x 0.333333 = 999,999
    r = franchise_tax(year=2025, classes=[par(3_000_000, "0.0001")], issued=3_000_000, gross_assets=1_000_000)
    assert r.periods[0].apvc_capital == D("999999.000000") and r.apvc == 400
    # 2,000,000 / 3,000,000 = 0.666667 (half-up): 3,000,000 x 0.666667 = 2,000,001 -> 3 units
    r = franchise_tax(year=2025, classes=[par(3_000_000, "0.0001")], issued=3_000_000, gross_assets=2_000_000)
    assert r.periods[0].apvc_capital == D("2000001.000000") and r.apvc == 1_200


def test_class_at_own_par_when_par_is_not_below_assumed_par():
    # assumed par 0.5: a class at par 0.5 (equal) and one at par 2 (above) count at their own par
    r = franchise_tax(
        year=2025,
        classes=[par(1_000_000, "0.5", "a"), par(1_000_000, "2", "b")],
        issued=200_000,
        gross_assets=100_000,
    )
    assert r.periods[0].assumed_par == D("0.5") and r.periods[0].apvc_capital == 2_500_000 and r.apvc == 1_200


# --- stock without par -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shares, tax",
    # assumed no-par capital = shares x $100: up to $500,000 $175; up to $1,000,000 $250;
    # then $85 for each further million or part
    [(5_000, 175), (5_001, 250), (10_000, 250), (10_001, 335), (20_000, 335), (20_001, 420), (30_001, 505)],
)
def test_no_par_tiers(shares, tax):
    r = franchise_tax(year=2025, classes=[nopar(shares)], issued=1, gross_assets=1)
    np_line = [x for x in r.trace if x.section == "apvc" and "without par" in x.text]
    assert np_line and np_line[0].value == tax
    assert r.apvc == max(tax, 400)  # the APVC minimum still applies
    assert r.tax == min(r.asm, r.apvc)


def test_no_par_adds_to_par_stock_and_asm_is_lesser():
    # par part: 1,000,000 x $5 (par above assumed par 0.000001) = $5,000,000 -> 5 x $400 = $2,000
    # no-par part: 20,001 x $100 = $2,000,100 -> $250 + 2 x $85 = $420
    r = franchise_tax(
        year=2025, classes=[par(1_000_000, "5", "pref"), nopar(20_001)], issued=1_000_000, gross_assets=1
    )
    assert r.apvc == 2_420
    assert r.asm == 250 + 85 * 102  # 1,020,001 shares of both kinds
    for shares in (1_000, 50_000, 3_000_000):  # the Division: with no-par stock the ASM is always lesser
        r = franchise_tax(year=2025, classes=[nopar(shares)], issued=shares, gross_assets=10**9)
        assert r.method == "asm"


# --- no APVC inputs ----------------------------------------------------------------------------------------


def test_no_issued_shares_means_asm_only_and_says_so():
    r = franchise_tax(year=2025, classes=[par(10_000_000, "0.0001")], issued=0, gross_assets=1_000_000)
    assert r.apvc is None and r.method == "asm" and r.tax == r.asm == 85_165
    assert "MB-TAX-ASM-ONLY" in codes(r)
    assert "no shares were issued" in next(f.message for f in r.findings if f.code == "MB-TAX-ASM-ONLY")
    assert "Only the authorized shares method" in r.explain()


def test_no_gross_assets_means_asm_only():
    r = franchise_tax(year=2025, classes=[par(10_000_000, "0.0001")], issued=5)
    assert r.apvc is None and "MB-TAX-ASM-ONLY" in codes(r)


# --- large corporate filer (A7.1) --------------------------------------------------------------------------


def test_lcf_is_a_flat_amount_and_warns_below_the_maximum():
    big = franchise_tax(
        year=2025, classes=[par(10**9, "1")], issued=10**9, gross_assets=10**12, large_corporate_filer=True
    )
    assert big.tax == 250_000 and big.method == "lcf" and "MB-TAX-LCF-BELOW-MAX" not in codes(big)
    small = franchise_tax(year=2025, classes=[par(10_000, "0.0001")], large_corporate_filer=True)
    assert small.tax == 250_000 and "MB-TAX-LCF-BELOW-MAX" in codes(small)
    before = franchise_tax(year=2016, classes=[par(10**9, "1")], large_corporate_filer=True)
    assert before.tax == 180_000 and "MB-TAX-LCF-NOT-IN-FORCE" in codes(before)
    assert franchise_tax(year=2017, classes=[par(10**9, "1")], large_corporate_filer=True).tax == 250_000


# --- fee, installments, late charges -----------------------------------------------------------------------


def test_installments_40_20_20_rest():
    r = franchise_tax(year=2025, classes=[par(1_250_000, "0.0001")])  # ASM $10,790
    got = [(i.due_on, i.amount) for i in r.installments]
    assert got == [
        (date(2025, 6, 1), D("4316.00")),
        (date(2025, 9, 1), D("2158.00")),
        (date(2025, 12, 1), D("2158.00")),
        (date(2026, 3, 1), D("2158.00")),
    ]
    rates = rate_table().for_year(2025)
    assert installments(D("4999.99"), rates, 2025, date(2026, 3, 1)) == ()
    odd = installments(D("5000.03"), rates, 2025, date(2026, 3, 1))
    assert [i.amount for i in odd] == [D("2000.01"), D("1000.01"), D("1000.01"), D("1000.00")]
    assert sum(i.amount for i in odd) == D("5000.03")
    assert franchise_tax(year=2025, classes=[par(100_000, "0.0001")]).installments == ()


def test_late_penalty_and_interest_on_tax_and_penalty():
    base = dict(year=2025, classes=[par(1_000, "0.0001")])  # tax $175
    assert franchise_tax(**base, paid_on=date(2026, 3, 1)).late is None
    r = franchise_tax(**base, paid_on=date(2026, 3, 2))
    assert r.late.penalty == 200 and r.late.months == 0 and r.late.interest == 0
    r = franchise_tax(**base, paid_on=date(2026, 3, 6))
    assert r.late.months == 1 and r.late.interest == D("5.63")  # ($175 + $200) x 1.5% = 5.625 -> 5.63
    r = franchise_tax(**base, paid_on=date(2026, 6, 5))
    assert r.late.months == 3 and r.late.interest == D("16.88")  # 375 x 4.5% = 16.875
    assert r.total_due == 175 + 50 + 200 + D("16.88") and "MB-TAX-LATE" in codes(r)
    assert (
        franchise_tax(year=2016, classes=[par(1_000, "0.0001")], paid_on=date(2017, 4, 1)).late.penalty == 125
    )
    assert (
        franchise_tax(year=2017, classes=[par(1_000, "0.0001")], paid_on=date(2018, 4, 1)).late.penalty == 200
    )
    assert interest_months(date(2026, 3, 1), date(2027, 3, 6)) == 13


# --- proration ---------------------------------------------------------------------------------------------


def _periods(year: int, split: date, a: int, b: int) -> TaxInputs:
    first = Period(date(year, 1, 1), split - timedelta(days=1), (par(a, "0.0001"),))
    second = Period(split, date(year, 12, 31), (par(b, "0.0001"),))
    return TaxInputs(year, (first, second))


@pytest.mark.parametrize("year, days", [(2025, 365), (2024, 366)])
def test_proration_by_days_in_force(year, days):
    r = compute(_periods(year, date(year, 7, 1), 1_000_000, 2_000_000))
    d1 = (date(year, 7, 1) - date(year, 1, 1)).days
    d2 = days - d1
    exact = Fraction(8_665 * d1 + 17_165 * d2, days)  # ASM 1,000,000 -> $8,665; 2,000,000 -> $17,165
    assert r.asm == fraction_to_cents(exact)
    assert [p.asm for p in r.periods] == [8_665, 17_165]
    assert "MB-TAX-PRORATED" in codes(r)
    assert any(x.section == "proration" and f"/{days}" in x.text for x in r.trace)


def test_bad_inputs_are_input_errors_naming_the_problem():
    with pytest.raises(InputError, match="2013"):
        franchise_tax(year=2013, classes=[par(1, "1")])
    with pytest.raises(InputError, match="zero or more"):
        franchise_tax(year=2025, classes=[par(1, "1")], gross_assets=-1)
    with pytest.raises(InputError, match="not an amount"):
        franchise_tax(year=2025, classes=[par(1, "1")], gross_assets="lots")
    with pytest.raises(InputError, match="float"):
        franchise_tax(year=2025, classes=[par(1, "1")], gross_assets=1.5)
    with pytest.raises(InputError, match="issued"):
        franchise_tax(year=2025, classes=[par(1, "1")], issued=-3)
