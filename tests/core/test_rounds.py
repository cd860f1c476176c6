"""Pro-forma priced rounds with SAFEs and notes (`minutebook.core.rounds`): hand-worked examples, every
figure asserted exactly, then the bad terms and a property test over random terms.

The figures in the comments are worked with plain integer/Decimal arithmetic, not by the module. Notation:
F fully diluted before the round, P the pool top-up, S the conversion shares, I the investor shares,
T = F + P + S + I the post-money fully diluted shares, fl4(x) = x rounded DOWN to $0.0001.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutebook.core.rounds import (
    Conversion,
    Convertible,
    Investor,
    RoundTerms,
    accrued,
    model_round,
)

CLOSING = date(2025, 1, 1)


def terms(**kw):
    base = dict(
        pre_money=D("10000000"),
        investors=(Investor("lead", D("2000000")),),
        pool_target=D("0"),
        closing_on=CLOSING,
        outstanding=10_000_000,
        rights=0,
        pool_available=0,
        convertibles=(),
    )
    base.update(kw)
    return RoundTerms(**base)


# --- (a) no convertibles, no pool change ------------------------------------------------------------------


def test_a_plain_round():
    # F = 10,000,000; price = fl4(10,000,000 / 10,000,000) = 1.0000; I = floor(2,000,000 / 1.0000) = 2,000,000
    # T = 12,000,000; target 0 -> P = max(0, ceil(0 - 0)) = 0; post-money = 1.0000 x 12,000,000 = 12,000,000.
    # The first pass (P = 0, S = 0) already reproduces itself: 1 iteration.
    r = model_round(terms())
    assert r.price == D("1.0000")
    assert str(r.price) == "1.0000"
    assert r.pre_money_shares == 10_000_000
    assert r.pool_top_up == 0
    assert r.new_shares == (("lead", 2_000_000),)
    assert r.conversions == ()
    assert r.post_money_shares == 12_000_000
    assert r.post_money == D("12000000")
    assert r.pool_after == 0
    assert r.iterations == 1
    assert r.to_json() == {
        "price": "1.0000",
        "pre_money_shares": 10_000_000,
        "pool_top_up": 0,
        "new_shares": [{"holder_id": "lead", "shares": 2_000_000}],
        "conversions": [],
        "post_money_shares": 12_000_000,
        "post_money": "12000000.0000",
        "pool_after": 0,
        "iterations": 1,
    }


# --- (b) the option pool shuffle --------------------------------------------------------------------------


def test_b_pool_top_up():
    # F = 9,000,000 outstanding + 1,000,000 pool = 10,000,000; pre $10M, new $2.5M, post $12.5M, target 10 %.
    # Closed form: T ~ (F - pool + S) / (pre/post - target) = 9,000,000 / (0.8 - 0.1) = 12,857,142.9,
    #   P ~ 0.1 x 12,857,142.9 - 1,000,000 = 285,714.3 (the rounded-down price buys a few more shares).
    # Exactly, at P = 285,721:
    #   pre-money shares = 10,000,000 + 285,721 = 10,285,721
    #   price = fl4(10,000,000 / 10,285,721 = 0.972221...) = 0.9722
    #     (10,285,721 x 0.9722 = 9,999,777.96 <= 10M < 10,285,721 x 0.9723 = 10,000,806.53)
    #   I = floor(2,500,000 / 0.9722 = 2,571,487.35) = 2,571,487
    #   T = 10,285,721 + 2,571,487 = 12,857,208
    #   P' = ceil(0.1 x 12,857,208 - 1,000,000) = ceil(285,720.8) = 285,721 = P: settled.
    # The passes from P = 0: 0 -> 250,000 -> 281,253 -> 285,169 -> 285,666 -> 285,716 -> 285,721 -> 285,721.
    r = model_round(
        terms(
            outstanding=9_000_000,
            pool_available=1_000_000,
            pool_target=D("0.10"),
            investors=(Investor("lead", D("2500000")),),
        )
    )
    assert r.pool_top_up == 285_721
    assert r.pre_money_shares == 10_285_721
    assert r.price == D("0.9722")
    assert r.new_shares == (("lead", 2_571_487),)
    assert r.post_money_shares == 12_857_208
    assert r.pool_after == 1_285_721  # 10.000006 % of 12,857,208
    assert r.post_money == D("0.9722") * 12_857_208 == D("12499777.6176")
    assert r.iterations == 7


# --- (c) a seed company: two post-money SAFEs into a Series A -----------------------------------------------


def test_c_seed_company_series_a():
    # Founders 8,000,000 shares, pool 1,000,000 available, none granted: F = 9,000,000.
    # SAFE 1: $500,000 at a $5M post-money cap.  SAFE 2: $1,000,000 at a $10M post cap, 20 % discount.
    # Series A: $4,000,000 at $16M pre (post $20M), pool 10 % of the post-money.
    #
    # The SAFEs (on the cap, both own 10 % of C): C ~ 9,000,000 / (1 - 0.1 - 0.1) = 11,250,000. Exactly:
    #   S1 = S2 = 1,125,112, C = 9,000,000 + 1,125,112 + 1,125,112 = 11,250,224
    #   cap price 1 = fl4(5,000,000 / 11,250,224 = 0.444435...) = 0.4444
    #   cap price 2 = fl4(10,000,000 / 11,250,224 = 0.888871...) = 0.8888
    #   S1 = floor(500,000 / 0.4444 = 1,125,112.51) = 1,125,112
    #   S2 = floor(1,000,000 / 0.8888 = 1,125,112.51) = 1,125,112    (consistent with C)
    # The round, at P = 464,324:
    #   pre-money shares = 9,000,000 + 464,324 + 2,250,224 = 11,714,548
    #   price = fl4(16,000,000 / 11,714,548 = 1.365823...) = 1.3658
    #   SAFE 2's discount price = fl4(1.3658 x 0.8 = 1.09264) = 1.0926 > 0.8888: it converts on the cap
    #   I = floor(4,000,000 / 1.3658 = 2,928,686.48) = 2,928,686
    #   T = 11,714,548 + 2,928,686 = 14,643,234
    #   P' = ceil(0.1 x 14,643,234 - 1,000,000) = ceil(464,323.4) = 464,324 = P: settled.
    #   (closed form: T ~ (9,000,000 - 1,000,000 + 2,250,224) / (0.8 - 0.1) = 14,643,177, P ~ 464,318)
    #   pool after = 1,000,000 + 464,324 = 1,464,324 (10.000003 % of T)
    #   post-money = 1.3658 x 14,643,234 = 19,999,728.9972
    # The passes climb from P = 0, S = 0 and settle on the 11th.
    safe1 = Convertible("safe-1", "angel", "safe", D("500000"), cap=D("5000000"), issued_on=date(2023, 3, 1))
    safe2 = Convertible(
        "safe-2",
        "seed-fund",
        "safe",
        D("1000000"),
        cap=D("10000000"),
        discount=D("0.20"),
        issued_on=date(2024, 2, 1),
    )
    r = model_round(
        terms(
            pre_money=D("16000000"),
            investors=(Investor("series-a-lead", D("4000000")),),
            pool_target=D("0.10"),
            outstanding=8_000_000,
            rights=0,
            pool_available=1_000_000,
            convertibles=(safe1, safe2),
        )
    )
    c1, c2 = r.conversions
    assert c1 == Conversion("safe-1", "angel", D("500000"), D("0.4444"), 1_125_112, "cap")
    assert c2 == Conversion("safe-2", "seed-fund", D("1000000"), D("0.8888"), 1_125_112, "cap")
    company_capitalization = 9_000_000 + c1.shares + c2.shares
    assert company_capitalization == 11_250_224
    assert r.pool_top_up == 464_324
    assert r.pre_money_shares == 11_714_548
    assert r.price == D("1.3658")
    assert r.new_shares == (("series-a-lead", 2_928_686),)
    assert r.post_money_shares == 14_643_234
    assert r.pool_after == 1_464_324
    assert r.post_money == D("19999728.9972")
    assert r.iterations == 11
    assert r.to_json()["conversions"][1] == {
        "id": "safe-2",
        "holder_id": "seed-fund",
        "amount": "1000000",
        "price": "0.8888",
        "shares": 1_125_112,
        "basis": "cap",
    }


# --- (d) a convertible note ------------------------------------------------------------------------------


def test_d_note_with_interest_pre_money_cap():
    # Note: $250,000 principal, 6 % simple, issued 2024-01-01, closing 2025-01-01 = 366 days (2024 is leap).
    #   interest = 250,000 x 0.06 x 366 / 365 = 15,041.0958... -> 15,041.10; amount = 265,041.10
    # Company: 9,000,000 outstanding + 500,000 options + 500,000 pool: F = 10,000,000.
    # Cap $6M pre-money: cap price = fl4(6,000,000 / 10,000,000) = 0.6000
    # Round: $3M at $12M pre, pool target 3 %.
    #   S = floor(265,041.10 / 0.6000 = 441,735.17) = 441,735
    #   pre-money shares = 10,000,000 + 0 + 441,735 = 10,441,735
    #   price = fl4(12,000,000 / 10,441,735 = 1.149234...) = 1.1492
    #   discount price = fl4(1.1492 x 0.8 = 0.91936) = 0.9193 > 0.6000: the note converts on the cap
    #   I = floor(3,000,000 / 1.1492 = 2,610,511.66) = 2,610,511
    #   T = 10,441,735 + 2,610,511 = 13,052,246
    #   P = max(0, ceil(0.03 x 13,052,246 - 500,000 = 391,567.38 - 500,000)) = 0: the pool already suffices
    #   post-money = 1.1492 x 13,052,246 = 14,999,641.1032
    # Passes: (P 0, S 0) -> (0, 441,735) -> (0, 441,735): 2.
    note = Convertible(
        "note-1",
        "bridge",
        "note",
        D("250000"),
        cap=D("6000000"),
        cap_basis="pre",
        discount=D("0.20"),
        interest_rate=D("0.06"),
        issued_on=date(2024, 1, 1),
    )
    assert accrued(note, CLOSING) == D("265041.10")
    r = model_round(
        terms(
            pre_money=D("12000000"),
            investors=(Investor("lead", D("3000000")),),
            pool_target=D("0.03"),
            outstanding=9_000_000,
            rights=500_000,
            pool_available=500_000,
            convertibles=(note,),
        )
    )
    assert r.conversions == (Conversion("note-1", "bridge", D("265041.10"), D("0.6000"), 441_735, "cap"),)
    assert r.pool_top_up == 0
    assert r.pre_money_shares == 10_441_735
    assert r.price == D("1.1492")
    assert r.new_shares == (("lead", 2_610_511),)
    assert r.post_money_shares == 13_052_246
    assert r.pool_after == 500_000
    assert r.post_money == D("14999641.1032")
    assert r.iterations == 2


def test_accrued():
    # 100,000 x 0.08 x 181 / 365 = 3,967.1232... -> 3,967.12 (2023-01-01 to 2023-07-01 is 181 days)
    note = Convertible("n", "h", "note", D("100000"), interest_rate=D("0.08"), issued_on=date(2023, 1, 1))
    assert accrued(note, date(2023, 7, 1)) == D("103967.12")
    # 1,000 x 0.10 x 73 / 365 = 20.00 exactly (2023-01-01 to 2023-03-15: 31 + 28 + 14 = 73 days)
    ten = Convertible("n", "h", "note", D("1000"), interest_rate=D("0.10"), issued_on=date(2023, 1, 1))
    assert accrued(ten, date(2023, 3, 15)) == D("1020.00")
    # half up: 1,000.50 x 0.01 x 365 / 365 = 10.005 -> 10.01
    odd = Convertible("n", "h", "note", D("1000.50"), interest_rate=D("0.01"), issued_on=date(2023, 1, 1))
    assert accrued(odd, date(2024, 1, 1)) == D("1010.51")
    assert accrued(note, date(2023, 1, 1)) == D("100000.00")
    safe = Convertible("s", "h", "safe", D("50000"), issued_on=date(2023, 1, 1))
    assert accrued(safe, date(2024, 1, 1)) == D("50000")
    with pytest.raises(ValueError, match="no issued_on"):
        accrued(Convertible("n", "h", "note", D("1"), interest_rate=D("0.05")), CLOSING)
    with pytest.raises(ValueError, match="after"):
        accrued(note, date(2022, 12, 31))


# --- (e) MFN ---------------------------------------------------------------------------------------------


def test_e_mfn_takes_the_best_later_terms():
    # F = 10,000,000; round $5M at $20M pre, no pool target. All caps post-money.
    #   mfn  2023-01-01  $200,000, MFN, no terms -> lowest later cap $8M (A's) and highest later discount 15 % (B's)
    #   A    2023-06-01  $300,000, $8M cap
    #   B    2023-09-01  $400,000, $12M cap, 15 % discount
    # At S = 276,510 + 414,765 + 368,697 = 1,059,972, C = 11,059,972 = the pre-money shares:
    #   price = fl4(20,000,000 / 11,059,972 = 1.808322...) = 1.8083
    #   $8M cap price = fl4(8,000,000 / 11,059,972 = 0.723329...) = 0.7233
    #   $12M cap price = fl4(12,000,000 / 11,059,972 = 1.084994...) = 1.0849
    #   15 % discount price = fl4(1.8083 x 0.85 = 1.537055) = 1.5370 (above both caps)
    #   mfn = floor(200,000 / 0.7233 = 276,510.47) = 276,510
    #   A   = floor(300,000 / 0.7233 = 414,765.66) = 414,765
    #   B   = floor(400,000 / 1.0849 = 368,697.58) = 368,697
    #   I = floor(5,000,000 / 1.8083 = 2,765,027.93) = 2,765,027; T = 11,059,972 + 2,765,027 = 13,824,999
    mfn = Convertible("mfn", "friend", "safe", D("200000"), mfn=True, issued_on=date(2023, 1, 1))
    a = Convertible("A", "angel-a", "safe", D("300000"), cap=D("8000000"), issued_on=date(2023, 6, 1))
    b = Convertible(
        "B", "angel-b", "safe", D("400000"), cap=D("12000000"), discount=D("0.15"), issued_on=date(2023, 9, 1)
    )
    r = model_round(
        terms(pre_money=D("20000000"), investors=(Investor("lead", D("5000000")),), convertibles=(mfn, a, b))
    )
    assert r.conversions == (
        Conversion("mfn", "friend", D("200000"), D("0.7233"), 276_510, "cap"),
        Conversion("A", "angel-a", D("300000"), D("0.7233"), 414_765, "cap"),
        Conversion("B", "angel-b", D("400000"), D("1.0849"), 368_697, "cap"),
    )
    assert r.pre_money_shares == 11_059_972
    assert r.price == D("1.8083")
    assert r.new_shares == (("lead", 2_765_027),)
    assert r.post_money_shares == 13_824_999
    assert r.pool_top_up == 0
    assert r.post_money == D("1.8083") * 13_824_999


def test_e_mfn_ignores_earlier_and_other_basis_caps():
    # F = 10,000,000; $1M at $10M pre.
    #   early 2022-01-01 $100,000, $2M post cap     (before the MFN: not taken)
    #   mfn   2023-01-01 $100,000, MFN, post basis
    #   late  2024-01-01 $100,000, $5M PRE cap      (a different basis: not taken) -> the MFN has no terms
    # At S = 542,593 + 108,518 + 200,000 = 851,111, C = 10,851,111 = the pre-money shares:
    #   price = fl4(10,000,000 / 10,851,111 = 0.921564...) = 0.9215
    #   early: fl4(2,000,000 / 10,851,111 = 0.184312...) = 0.1843, floor(100,000 / 0.1843 = 542,593.6) = 542,593
    #   mfn at the round price: floor(100,000 / 0.9215 = 108,518.7) = 108,518
    #   late: fl4(5,000,000 / 10,000,000) = 0.5000, 100,000 / 0.5 = 200,000
    #   I = floor(1,000,000 / 0.9215 = 1,085,187.2) = 1,085,187; T = 10,851,111 + 1,085,187 = 11,936,298
    early = Convertible("early", "e", "safe", D("100000"), cap=D("2000000"), issued_on=date(2022, 1, 1))
    mfn = Convertible("mfn", "m", "safe", D("100000"), mfn=True, issued_on=date(2023, 1, 1))
    late = Convertible(
        "late", "l", "safe", D("100000"), cap=D("5000000"), cap_basis="pre", issued_on=date(2024, 1, 1)
    )
    r = model_round(
        terms(
            pre_money=D("10000000"),
            investors=(Investor("lead", D("1000000")),),
            convertibles=(early, mfn, late),
        )
    )
    assert [(c.price, c.shares, c.basis) for c in r.conversions] == [
        (D("0.1843"), 542_593, "cap"),
        (D("0.9215"), 108_518, "round"),
        (D("0.5000"), 200_000, "cap"),
    ]
    assert r.price == D("0.9215")
    assert r.pre_money_shares == 10_851_111
    assert r.new_shares == (("lead", 1_085_187),)
    assert r.post_money_shares == 11_936_298


# --- (f) a SAFE converting on its discount -----------------------------------------------------------------


def test_f_safe_converts_on_discount():
    # F = 10,000,000; $2M at a low $8M pre. SAFE $500,000, $20M post cap, 20 % discount.
    # At S = 847,457: C = 10,847,457 = the pre-money shares
    #   price = fl4(8,000,000 / 10,847,457 = 0.7375000...) = 0.7375
    #     (10,847,457 x 0.7375 = 7,999,999.5375 <= 8M < 10,847,457 x 0.7376 = 8,001,084.28)
    #   cap price = fl4(20,000,000 / 10,847,457 = 1.843749...) = 1.8437
    #   discount price = fl4(0.7375 x 0.8 = 0.59) = 0.5900 < 1.8437: on the discount
    #   S = floor(500,000 / 0.59 = 847,457.6) = 847,457  (consistent)
    #   I = floor(2,000,000 / 0.7375 = 2,711,864.4) = 2,711,864; T = 10,847,457 + 2,711,864 = 13,559,321
    safe = Convertible(
        "s", "h", "safe", D("500000"), cap=D("20000000"), discount=D("0.20"), issued_on=date(2024, 1, 1)
    )
    r = model_round(terms(pre_money=D("8000000"), convertibles=(safe,)))
    assert r.conversions == (Conversion("s", "h", D("500000"), D("0.5900"), 847_457, "discount"),)
    assert r.price == D("0.7375")
    assert r.pre_money_shares == 10_847_457
    assert r.new_shares == (("lead", 2_711_864),)
    assert r.post_money_shares == 13_559_321
    assert r.post_money == D("0.7375") * 13_559_321 == D("9999999.2375")


def test_capped_safe_above_the_round_price_converts_at_the_round_price():
    # F = 10,000,000, $10M pre: a $50M pre-money cap gives 5.0000 > the round price; no discount -> the round price.
    #   S = 101,010: price = fl4(10,000,000 / 10,101,010 = 0.9900000...) = 0.9900
    #     (10,101,010 x 0.99 = 9,999,999.9 <= 10M < 10,101,010 x 0.9901 = 10,001,010.0)
    #   S = floor(100,000 / 0.9900 = 101,010.1) = 101,010 (consistent)
    #   I = floor(2,000,000 / 0.99 = 2,020,202.02) = 2,020,202
    safe = Convertible("s", "h", "safe", D("100000"), cap=D("50000000"), cap_basis="pre")
    r = model_round(terms(convertibles=(safe,)))
    assert r.conversions == (Conversion("s", "h", D("100000"), D("0.9900"), 101_010, "round"),)
    assert r.price == D("0.9900")
    assert r.new_shares == (("lead", 2_020_202),)
    assert r.post_money_shares == 10_101_010 + 2_020_202


# --- (g) bad terms -----------------------------------------------------------------------------------------


def _safe(**kw):
    base = dict(id="s", holder_id="h", kind="safe", amount=D("100000"), cap=D("5000000"))
    base.update(kw)
    return Convertible(**base)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (dict(pre_money=D("0")), "pre_money must be positive"),
        (dict(pre_money=D("-1")), "pre_money must be positive"),
        (dict(investors=()), "no new money"),
        (dict(investors=(Investor("x", D("0")),)), "positive amount"),
        (dict(pool_target=D("1")), r"pool_target must be in \[0, 1\)"),
        (dict(pool_target=D("-0.01")), r"pool_target must be in \[0, 1\)"),
        (dict(outstanding=-1), "outstanding must not be negative"),
        (dict(rights=-5), "rights must not be negative"),
        (dict(pool_available=-1), "pool_available must not be negative"),
        (dict(outstanding=0), "no shares before the round"),
        (dict(pool_target=D("0.9")), "cannot be met"),  # 0.9 x $12M post >= $10M pre
        (dict(convertibles=(_safe(cap=D("0")),)), "cap must be positive"),
        (dict(convertibles=(_safe(cap=D("-1")),)), "cap must be positive"),
        (dict(convertibles=(_safe(discount=D("1")),)), r"discount must be in \[0, 1\)"),
        (dict(convertibles=(_safe(discount=D("-0.1")),)), r"discount must be in \[0, 1\)"),
        (dict(convertibles=(_safe(cap_basis="pre-money"),)), "cap_basis must be 'post' or 'pre'"),
        (dict(convertibles=(_safe(kind="warrant"),)), "kind must be 'safe' or 'note'"),
        (dict(convertibles=(_safe(amount=D("0")),)), "amount must be positive"),
        (
            dict(convertibles=(_safe(kind="note", interest_rate=D("-0.01")),)),
            "interest_rate must not be negative",
        ),
        (dict(convertibles=(_safe(issued_on=date(2026, 1, 1)),)), "after the closing"),
        (dict(convertibles=(_safe(), _safe())), "appears twice"),
        (dict(convertibles=(_safe(cap=None, mfn=True),)), "needs an issued_on"),
        (dict(convertibles=(_safe(kind="note", interest_rate=D("0.05")),)), "no issued_on"),
    ],
)
def test_g_bad_terms(kw, message):
    with pytest.raises(ValueError, match=message):
        model_round(terms(**kw))


def test_g_money_must_be_decimal():
    with pytest.raises(TypeError, match="Decimal"):
        model_round(terms(pre_money=10_000_000.0))
    with pytest.raises(TypeError, match="int"):
        model_round(terms(outstanding=1e7))


def test_g_post_money_caps_claiming_the_whole_company():
    # $600,000 + $500,000 on $1M post-money caps: 60 % + 50 % of C, which no share count can satisfy
    safes = (
        _safe(amount=D("600000"), cap=D("1000000")),
        _safe(id="s2", amount=D("500000"), cap=D("1000000")),
    )
    with pytest.raises(ValueError, match="claim 1.1000 of the Company Capitalization"):
        model_round(terms(convertibles=safes))


def test_g_does_not_settle():
    # $10M at $10M pre with a 49 % pool: feasible (0.49 < pre/post = 0.5), but P climbs by a factor
    # 0.49 x 2 = 0.98 a pass towards T ~ 10,000,000 / (0.5 - 0.49) = 1,000,000,000: far beyond 100 passes
    with pytest.raises(ValueError, match="does not settle in 100 iterations"):
        model_round(terms(investors=(Investor("lead", D("10000000")),), pool_target=D("0.49")))


# --- (h) properties over random terms ----------------------------------------------------------------------


def _money(lo: int, hi: int):
    return st.integers(lo * 100, hi * 100).map(lambda cents: D(cents).scaleb(-2))


@st.composite
def round_terms(draw):
    pre = draw(_money(1_000_000, 100_000_000))
    n_inv = draw(st.integers(1, 3))
    investors = tuple(
        Investor(f"inv-{i}", draw(st.integers(1, 10_000)) * pre / 10_000 / n_inv) for i in range(n_inv)
    )  # total new money up to the pre-money
    convertibles = []
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["safe", "note"]))
        cap_tenths = draw(st.none() | st.integers(5, 30))  # the cap, 0.5 to 3 times the pre-money
        convertibles.append(
            Convertible(
                id=f"c{i}",
                holder_id=f"h{i}",
                kind=kind,
                amount=(pre * draw(st.integers(1, 500)) / 10_000).quantize(D("0.01")) + D("0.01"),  # <= 5 %
                cap=None if cap_tenths is None else (pre * cap_tenths / 10).quantize(D("1")),
                cap_basis=draw(st.sampled_from(["post", "pre"])),
                discount=draw(st.none() | st.integers(0, 35).map(lambda k: D(k) / 100)),
                mfn=draw(st.booleans()),
                interest_rate=draw(st.integers(0, 12).map(lambda k: D(k) / 100)) if kind == "note" else None,
                issued_on=date.fromordinal(date(2020, 1, 1).toordinal() + draw(st.integers(0, 1800))),
            )
        )
    return RoundTerms(
        pre_money=pre,
        investors=investors,
        pool_target=D(draw(st.integers(0, 25))) / 100,
        closing_on=CLOSING,
        outstanding=draw(st.integers(1, 50_000_000)),
        rights=draw(st.integers(0, 5_000_000)),
        pool_available=draw(st.integers(0, 5_000_000)),
        convertibles=tuple(convertibles),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(round_terms())
def test_h_properties(t):
    r = model_round(t)
    f = t.outstanding + t.rights + t.pool_available
    conv = sum(c.shares for c in r.conversions)
    bought = sum(n for _, n in r.new_shares)
    assert r.post_money_shares == f + r.pool_top_up + conv + bought
    assert r.pre_money_shares == f + r.pool_top_up + conv
    assert r.pool_after == t.pool_available + r.pool_top_up
    assert r.post_money == r.price * r.post_money_shares
    assert r.price == r.price.quantize(D("0.0001")) and r.price > 0
    assert r.pool_top_up >= 0
    if r.pool_top_up > 0:  # the pool meets the target, by less than one share over
        excess = r.pool_after - t.pool_target * r.post_money_shares
        assert 0 <= excess < 1
    else:  # the existing pool already met the target
        assert r.pool_after >= t.pool_target * r.post_money_shares
    for c, src in zip(r.conversions, t.convertibles, strict=True):
        assert c.price <= r.price
        assert c.price == c.price.quantize(D("0.0001")) and c.price > 0
        assert c.shares >= 0
        assert c.shares == c.amount // c.price  # Decimal integer division is exact
        assert c.basis in ("cap", "discount", "round")
        assert c.amount == accrued(src, t.closing_on)
    for inv, (holder, n) in zip(t.investors, r.new_shares, strict=True):
        assert holder == inv.holder_id and n >= 0
        assert n == inv.amount // r.price
    assert 1 <= r.iterations <= 100
