"""The equity rules, each both ways: §161 (reserves within the authorized shares), §157 (grants, plans and
convertibles approved by the board; grants within the pool; exercises of vested, unexpired rights; conversions at a
priced round), IRC §409A (exercise price at least the latest valuation) and §422(b)(1) (the plan approved by the
stockholders within 12 months for ISOs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from dgcl_kit import acme, board, fails, kept, listed, ok, passes, unlisted

from minutebook.core.events import AwardExercised, ConvertibleConverted

ON = date(2011, 1, 3)


@pytest.fixture
def b(tmp_path):
    """Acme (10,000,000 common authorized, 8,000,000 issued) with R-P (adopt a plan), R-G (grant awards), R-C (issue
    convertibles) and R-S (issue shares) by unanimous consent, a plan P of 1,000,000 and a holder dee."""
    b = acme(tmp_path)
    board(
        b,
        "B-EQ",
        ON,
        {"id": "R-P", "kind": "adopt_plan"},
        {"id": "R-G", "kind": "grant_awards"},
        {"id": "R-C", "kind": "issue_convertible"},
        {"id": "R-S", "kind": "issue_shares", "params": {"class_key": "preferred"}},
        {"id": "R-X", "kind": "issue_shares", "params": {"class_key": "common"}},
        form="consent",
    )
    ok(b.adopt_plan("P", "2011 Plan", 1_000_000, on=ON, approved_by="R-P"))
    ok(b.add_holder("dee", "Dee Park", on=ON))
    return b


def option(b, award="O-1", n=480_000, on=date(2011, 2, 1), **kw):
    kw = {"plan_id": "P", "exercise_price": D("0.10"), "vesting": "48/12", "approved_by": "R-G", **kw}
    return b.grant(award, "dee", "option", n, on=on, **kw)


# --- §161: what is promised stays within the authorized shares ----------------------------------------------


def test_plan_reserve_within_authorized(b):
    passes(
        b.change_pool("P", 2_000_000, on=date(2011, 2, 1), approved_by="R-P"),
        "dgcl.161.reserve_within_authorized",
    )


def test_plan_reserve_above_authorized_is_refused(b):
    f = fails(
        b.change_pool("P", 2_000_001, on=date(2011, 2, 1), approved_by="R-P"),
        "dgcl.161.reserve_within_authorized",
        "MB-RESERVE-EXCEEDS-AUTHORIZED",
    )
    assert "8 Del. C. § 161" in f.cites and any(c.startswith("Art. FOURTH") for c in f.cites)


def test_warrant_outside_the_plan_counts_against_the_authorized(b):
    fails(
        b.grant(
            "W-1",
            "dee",
            "warrant",
            1_000_001,
            on=date(2011, 2, 1),
            class_key="common",
            exercise_price=D("0.50"),
            approved_by="R-G",
        ),
        "dgcl.161.reserve_within_authorized",
        "MB-RESERVE-EXCEEDS-AUTHORIZED",
    )
    passes(
        b.grant(
            "W-2",
            "dee",
            "warrant",
            1_000_000,
            on=date(2011, 2, 1),
            class_key="common",
            exercise_price=D("0.50"),
            approved_by="R-G",
        ),
        "dgcl.161.reserve_within_authorized",
    )


def test_stock_issued_into_the_reserve_is_a_warning(b):
    passes(
        b.issue(
            "dee", "common", 1_000_000, on=date(2011, 2, 1), price_per_share=D("0.10"), approved_by="R-X"
        ),
        "dgcl.161.reserve_within_authorized",
    )  # 9,000,000 issued + 1,000,000 reserved = the 10,000,000 authorized
    r = b.issue("dee", "common", 1, on=date(2011, 2, 1), price_per_share=D("0.10"), approved_by="R-X")
    fails(r, "dgcl.161.reserve_within_authorized", "MB-ISSUE-INTO-RESERVE", refused=False, severity="warning")


# --- §157: the pool, the exercise ------------------------------------------------------------------------------


def test_grant_within_the_pool(b):
    passes(option(b, n=1_000_000), "dgcl.157.grant_within_pool")
    fails(option(b, "O-2", n=1), "dgcl.157.grant_within_pool", "MB-GRANT-EXCEEDS-POOL")


def test_forfeited_options_return_to_the_pool(b):
    ok(option(b, n=1_000_000))
    ok(b.end_service("dee", on=date(2011, 12, 1)))  # before the cliff: every option lapses unvested
    p = b.awards(date(2011, 12, 1))[0]
    assert (p.vested, p.lapsed, p.outstanding, p.returned) == (0, 1_000_000, 0, 1_000_000)
    passes(option(b, "O-2", n=1_000_000, on=date(2011, 12, 2)), "dgcl.157.grant_within_pool")


def test_exercise_of_vested_options(b):
    ok(option(b))
    # 12-month cliff: 480,000 x 12/48 = 120,000 vest on 2012-02-01
    fails(b.exercise("O-1", 1, on=date(2012, 1, 31)), "dgcl.157.exercise_allowed", "MB-EXERCISE-UNVESTED")
    r = passes(b.exercise("O-1", 120_000, on=date(2012, 2, 1)), "dgcl.157.exercise_allowed")
    assert r.more[0].body.award_id == "O-1" and r.more[0].body.shares == 120_000
    assert b.cap_table(date(2012, 2, 1)).rows[-1].holder_id == "dee"
    fails(b.exercise("O-1", 1, on=date(2012, 2, 2)), "dgcl.157.exercise_allowed", "MB-EXERCISE-UNVESTED")


def test_exercise_after_expiry_is_refused(b):
    ok(option(b, vesting=None, expires_on=date(2015, 1, 31)))
    passes(b.exercise("O-1", 1_000, on=date(2015, 1, 31)), "dgcl.157.exercise_allowed")
    fails(b.exercise("O-1", 1_000, on=date(2015, 2, 1)), "dgcl.157.exercise_allowed", "MB-AWARD-EXPIRED")


def test_exercise_window_after_service_ends(b):
    ok(option(b, exercise_windows={"default": 90}))
    ok(b.end_service("dee", on=date(2013, 2, 1)))  # 24 of 48 months vested: 240,000
    passes(b.exercise("O-1", 240_000, on=date(2013, 5, 2)), "dgcl.157.exercise_allowed")  # day 90
    ok(option(b, "O-2", n=100_000, vesting=None, on=date(2013, 1, 2)))
    fails(b.exercise("O-2", 1, on=date(2013, 5, 3)), "dgcl.157.exercise_allowed", "MB-AWARD-EXPIRED")


# --- IRC §409A: the exercise price and the valuation on file -------------------------------------------------


def test_exercise_price_below_the_latest_valuation(b):
    ok(b.record_valuation("V-1", "common", D("0.10"), on=ON))
    passes(option(b), "irc.409a.exercise_price_fmv")
    f = kept(
        option(b, "O-2", n=1_000, exercise_price=D("0.05")),
        "irc.409a.exercise_price_fmv",
        "MB-EXERCISE-PRICE-BELOW-FMV",
    )
    assert any("V-1" in c for c in f.cites) and "26 U.S.C. § 409A" in f.cites


# --- SAFEs and notes: conversion at a priced round ------------------------------------------------------------


def test_conversion_needs_a_priced_round(b):
    ok(b.add_holder("ang", "Angel", on=ON))
    ok(b.issue_convertible("S-1", "ang", D("100000"), on=ON, cap=D("5000000"), approved_by="R-C"))
    fails(
        b.convert_convertible(
            "S-1",
            on=date(2012, 1, 1),
            class_key="preferred",
            shares=250_000,
            price_per_share=D("0.40"),
            round_price=D("1.00"),
        ),
        "dgcl.157.conversion_at_round",
        "MB-CONVERSION-NO-ROUND",
    )
    ok(b.add_holder("vc", "VC", on=ON))
    ok(
        b.issue(
            "vc", "preferred", 1_000_000, on=date(2012, 1, 1), price_per_share=D("1.00"), approved_by="R-S"
        )
    )
    passes(
        b.convert_convertible(
            "S-1",
            on=date(2012, 1, 1),
            class_key="preferred",
            shares=250_000,
            price_per_share=D("0.40"),
            round_price=D("1.00"),
        ),
        "dgcl.157.conversion_at_round",
    )


# --- what an act names exists --------------------------------------------------------------------------------


def test_unknown_award(b):
    fails(b.record(AwardExercised("O-9", 1, 1), date(2011, 3, 1)), "ledger.equity_known", "MB-AWARD-UNKNOWN")
    passes(option(b), "ledger.equity_known")
    fails(option(b), "ledger.equity_known", "MB-EQUITY-ID-TAKEN")


# --- §157 approvals ----------------------------------------------------------------------------------------------


def test_grant_needs_the_board(b):
    passes(option(b), "dgcl.157.grant_approved")
    fails(option(b, "O-2", approved_by=None), "dgcl.157.grant_approved", "MB-APPROVAL-MISSING")


def test_an_officer_cannot_be_granted_under_a_delegation(b):
    board(
        b,
        "B-D",
        ON,
        {"id": "R-D", "kind": "delegate_awards", "params": {"officer": "ada", "max_shares": 100_000}},
        form="consent",
    )
    ok(b.appoint_officer("dee", "Dee Park", ("Chief Financial Officer",), on=ON))
    fails(option(b, n=10_000, approved_by="R-D"), "dgcl.157.grant_approved", "MB-GRANT-BY-DELEGATE-TO-SELF")
    passes(option(b, n=10_000, approved_by="R-G"), "dgcl.157.grant_approved")
    ok(b.add_holder("eve", "Eve", on=ON))
    passes(
        b.grant(
            "O-E",
            "eve",
            "option",
            100_000,
            on=date(2011, 2, 1),
            plan_id="P",
            exercise_price=D("0.1"),
            approved_by="R-D",
        ),
        "dgcl.157.grant_approved",
    )
    fails(
        b.grant(
            "O-F",
            "eve",
            "option",
            1,
            on=date(2011, 2, 1),
            plan_id="P",
            exercise_price=D("0.1"),
            approved_by="R-D",
        ),
        "dgcl.157.grant_approved",
        "MB-DELEGATION-EXCEEDED",
    )


def test_plan_needs_the_board(b):
    passes(b.adopt_plan("P2", "Second plan", 10_000, on=ON, approved_by="R-P"), "dgcl.157.plan_approved")
    fails(b.adopt_plan("P3", "Third plan", 10_000, on=ON), "dgcl.157.plan_approved", "MB-APPROVAL-MISSING")


def test_convertible_needs_the_board(b):
    ok(b.add_holder("ang", "Angel", on=ON))
    passes(
        b.issue_convertible("S-1", "ang", D("1000"), on=ON, approved_by="R-C"),
        "dgcl.157.convertible_approved",
    )
    fails(
        b.issue_convertible("S-2", "ang", D("1000"), on=ON),
        "dgcl.157.convertible_approved",
        "MB-APPROVAL-MISSING",
    )


# --- book-wide: ISOs need the plan approved by the stockholders; exercises have their stock -----------------------


def test_isos_need_stockholder_approval_of_the_plan_within_12_months(b):
    ok(option(b, option_type="ISO"))
    listed(b, "irc.422.plan_stockholder_approval", "MB-ISO-PLAN-NOT-APPROVED")
    ok(
        b.written_consent(
            "C-1",
            on=date(2011, 6, 1),
            by="stockholders",
            matters=[{"id": "C-1-1", "kind": "ordinary", "text": "The 2011 Plan is approved"}],
            signatures=[{"signer": h, "signed_on": "2011-06-01"} for h in ("ada", "ben", "cy")],
        )
    )
    ok(b.change_pool("P", 1_000_000, on=date(2011, 6, 1), approved_by="R-P", stockholder_approval="C-1-1"))
    unlisted(b, "irc.422.plan_stockholder_approval")


def test_an_exercise_without_its_stock_is_listed(b):
    ok(option(b, vesting=None))
    unlisted(b, "dgcl.157.stock_issued_on_exercise")
    ok(b.record(AwardExercised("O-1", 1_000, 1_000), date(2011, 3, 1)))
    listed(b, "dgcl.157.stock_issued_on_exercise", "MB-EXERCISE-NOT-ISSUED")


def test_conversion_shares_must_match_the_amount(b):
    ok(b.add_holder("ang", "Angel", on=ON))
    ok(b.add_holder("vc", "VC", on=ON))
    ok(b.issue_convertible("S-1", "ang", D("100000"), on=ON, approved_by="R-C"))
    ok(b.issue("vc", "preferred", 1_000, on=date(2012, 1, 1), price_per_share=D("1.00"), approved_by="R-S"))
    r = b.record(
        ConvertibleConverted("S-1", "preferred", 300_000, D("0.40"), D("100000"), None, "cap", D("1.00")),
        date(2012, 1, 1),
    )
    fails(r, "dgcl.157.conversion_at_round", "MB-CONVERSION-SHARES")
