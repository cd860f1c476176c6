"""Gaps in the stock ledger found trying it as a new user would (issue 14, part H4a): a split needs its §242
amendment's approvals (the §242(d)(1) board-only forward split from 2023-08-01), a repurchase the board's act
and a surplus (§160), a certificate number is used once in a class (§158), a board's delegation of the power
to issue stock names its limits (§152/§157(c) from 2022-08-01; not permitted before), an act dated after today
is scheduled, a holder's address has a history (`holder_at`), and the certificate register.

Each rule has a passing and a failing case, and a rule that changed on a date a case on each side of it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dgcl_kit import P, acme, board, fails, findings, kept, listed, ok, passes, sig

from minutebook.book.ledger import certificate_register
from minutebook.core.errors import InputError
from minutebook.core.events import GrossAssetsReported
from minutebook.core.replay import HOLDER_TYPES, holder_at, holders_at

SPLIT = "dgcl.242.split_approved"
SPLIT_D1 = "dgcl.242.split_approved_d1"
BUY = "dgcl.160.repurchase_authorized"


def _split_approvals(b, on: date, suffix: str = "", stockholders: bool = True) -> tuple[str, ...]:
    """The board's resolution adopting a split amendment, and (unless not) the stockholders' written consent
    (ada and ben hold 6,500,000 of the 8,000,000 common)."""
    board(b, f"B-S{suffix}", on, {"id": f"R-S{suffix}", "kind": "amend_charter"}, form="consent")
    if not stockholders:
        return (f"R-S{suffix}",)
    ok(
        b.written_consent(
            f"C-S{suffix}",
            on=on,
            matters=[{"id": f"M-S{suffix}", "kind": "amend_charter"}],
            signatures=[sig("ada", on), sig("ben", on)],
        )
    )
    return (f"R-S{suffix}", f"M-S{suffix}")


# --- §242: a split amends the charter -------------------------------------------------------------------------


def test_a_split_without_its_amendment_is_refused_and_with_it_recorded(tmp_path):
    b = acme(tmp_path)
    on = date(2011, 3, 1)
    f = fails(b.split("common", 10, 1, on=on), "dgcl.242.split_approved", "MB-APPROVAL-MISSING")
    assert "8 Del. C. § 242(b)" in f.cites
    ids = _split_approvals(b, on)
    r = passes(b.split("common", 10, 1, on=on, approved_by=ids), "dgcl.242.split_approved")
    assert b.state(on).held("ada", "common") == 400_000 and r.event.body.approved_by == ids


def test_a_reverse_split_with_the_board_alone_is_refused(tmp_path):
    b = acme(tmp_path)
    on = date(2011, 3, 1)
    ids = _split_approvals(b, on, stockholders=False)
    fails(b.split("common", 10, 1, on=on, approved_by=ids), "dgcl.242.split_approved", "MB-APPROVAL-MISSING")


def test_a_historical_split_without_approval_is_kept_and_listed(tmp_path):
    b = acme(tmp_path)
    kept(
        b.split("common", 1, 2, on=date(2011, 3, 1), historical=True),
        "dgcl.242.split_approved",
        "MB-APPROVAL-MISSING",
    )
    listed(b, "dgcl.242.split_approved", "MB-APPROVAL-MISSING")


def test_a_split_naming_an_unknown_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    fails(
        b.split("common", 1, 2, on=date(2011, 3, 1), approved_by="R-NOPE"),
        "dgcl.242.split_approved",
        "MB-APPROVAL-UNKNOWN",
    )


def test_forward_split_by_the_board_alone_only_from_2023_08_01(tmp_path):
    # §242(d)(1) (84 Del. Laws c. 98): a forward split of the only class outstanding, not in series, needs no
    # stockholder vote from 2023-08-01; the day before, it still does (§242(b))
    before = date(2023, 7, 31)
    b = acme(tmp_path / "before")
    ids = _split_approvals(b, before, stockholders=False)
    fails(
        b.split("common", 4, 5, on=before, approved_by=ids), "dgcl.242.split_approved", "MB-APPROVAL-MISSING"
    )
    after = date(2023, 8, 1)
    b2 = acme(tmp_path / "after")
    ids2 = _split_approvals(b2, after, stockholders=False)
    passes(b2.split("common", 4, 5, on=after, approved_by=ids2), "dgcl.242.split_approved_d1")
    # ... but not a reverse split, which still needs the stockholders
    fails(
        b2.split("common", 10, 1, on=after, approved_by=ids2),
        "dgcl.242.split_approved_d1",
        "MB-APPROVAL-MISSING",
    )


def test_forward_split_by_the_board_alone_needs_the_only_class_outstanding(tmp_path):
    b = acme(tmp_path)
    on = date(2023, 9, 1)
    ok(b.add_holder("pref", "Pref Holder", on=date(2011, 1, 1)))
    board(b, "B-P", date(2011, 1, 1), {"id": "R-P", "kind": "issue_shares"}, form="consent")
    ok(b.issue("pref", "preferred", 10, on=date(2011, 1, 2), price_per_share=P, approved_by="R-P"))
    ids = _split_approvals(b, on, stockholders=False)
    fails(
        b.split("common", 1, 2, on=on, approved_by=ids), "dgcl.242.split_approved_d1", "MB-APPROVAL-MISSING"
    )


# --- §160: a repurchase needs the board and a surplus --------------------------------------------------------


def _buyback(b, on=date(2011, 2, 1)) -> None:
    board(
        b, "B-BUY", on, {"id": "R-BUY", "kind": "general", "text": "Buy back ada's shares."}, form="consent"
    )


def test_a_repurchase_without_the_board_is_refused(tmp_path):
    b = acme(tmp_path)
    r = b.repurchase("ada", "common", 1_000, on=date(2011, 2, 1), price_per_share=Decimal("1"))
    fails(r, "dgcl.160.repurchase_authorized", "MB-APPROVAL-MISSING")
    kept(
        b.repurchase(
            "ada", "common", 1_000, on=date(2011, 2, 1), price_per_share=Decimal("1"), historical=True
        ),
        "dgcl.160.repurchase_authorized",
        "MB-APPROVAL-MISSING",
    )


def test_a_repurchase_with_the_board_and_a_surplus_passes(tmp_path):
    b = acme(tmp_path)
    # the board authorises the purchase and determines the surplus it is paid from (§160(a)(1))
    res = {"id": "R-BUY", "kind": "general", "params": {"surplus": "50000"}}
    board(b, "B-BUY", date(2011, 2, 1), res, form="consent")
    r = b.repurchase(
        "ada", "common", 1_000, on=date(2011, 2, 1), price_per_share=Decimal("1"), approved_by="R-BUY"
    )
    passes(r, "dgcl.160.repurchase_authorized")


def test_a_repurchase_above_the_surplus_the_board_determined_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-BUY", date(2011, 2, 1), {"id": "R-BUY", "kind": "general", "params": {"surplus": "999"}})
    r = b.repurchase(
        "ada", "common", 1_000, on=date(2011, 2, 1), price_per_share=Decimal("1"), approved_by="R-BUY"
    )
    fails(r, "dgcl.160.repurchase_authorized", "MB-REPURCHASE-IMPAIRS-CAPITAL")


def test_a_repurchase_that_surely_impairs_capital_is_refused(tmp_path):
    b = acme(tmp_path)
    _buyback(b)
    # gross assets $10,000, capital $8,000: the surplus is at most $2,000, and $5,000 is paid (§160(a)(1))
    ok(b.record(GrossAssetsReported(2010, Decimal("10000")), date(2011, 1, 15)))
    r = b.repurchase(
        "ada", "common", 5_000, on=date(2011, 2, 1), price_per_share=Decimal("1"), approved_by="R-BUY"
    )
    f = fails(r, "dgcl.160.repurchase_authorized", "MB-REPURCHASE-IMPAIRS-CAPITAL")
    assert "8 Del. C. § 160(a)(1)" in f.cites


def test_a_repurchase_with_no_assets_recorded_warns_that_the_surplus_is_unchecked(tmp_path):
    b = acme(tmp_path)
    _buyback(b)
    r = b.repurchase(
        "ada", "common", 1_000, on=date(2011, 2, 1), price_per_share=Decimal("1"), approved_by="R-BUY"
    )
    f = kept(r, "dgcl.160.repurchase_authorized", "MB-REPURCHASE-SURPLUS-UNKNOWN")
    assert "tax assets" in f.message and "MB-APPROVAL-MISSING" not in {x.code for x in findings(r)}


# --- §158: a certificate number once per class ----------------------------------------------------------------


def test_a_reused_certificate_number_is_refused_naming_its_first_use(tmp_path):
    b = acme(tmp_path)
    d = date(2011, 1, 3)
    ok(b.issue("ada", "common", 10, on=d, price_per_share=P, certificate="C-7", approved_by="R-1"))
    r = b.issue(
        "ben", "common", 10, on=d + timedelta(days=1), price_per_share=P, certificate="C-7", approved_by="R-1"
    )
    assert r.refused
    (f,) = [f for f in findings(r) if f.code == "MB-CERTIFICATE-REUSED"]
    assert "ada" in f.message and "2011-01-03" in f.message and "8 Del. C. § 158" in f.cites
    # a transfer's new certificate may not take it either
    r = b.transfer(
        "ada", "ben", "common", 5, on=d + timedelta(days=2), certificate="C-7", new_certificate="C-7"
    )
    assert r.refused and "MB-CERTIFICATE-REUSED" in {f.code for f in findings(r)}
    # the same number in another class is another certificate
    board(b, "B-P", d, {"id": "R-P", "kind": "issue_shares"}, form="consent")
    ok(b.issue("ben", "preferred", 10, on=d, price_per_share=P, certificate="C-7", approved_by="R-P"))
    # history keeps a reused number, reported
    r = b.issue(
        "cy", "common", 1, on=d, price_per_share=P, certificate="C-7", approved_by="R-1", historical=True
    )
    assert r.event is not None and any(f.code == "MB-CERTIFICATE-REUSED" for f in findings(r))


# --- §152/§157(c): delegating the power to issue stock ------------------------------------------------------------

DELEGATION = {"id": "R-D", "kind": "issue_shares", "text": "The officers may issue common stock."}


def test_delegation_to_officers_was_not_permitted_before_2022_08_01(tmp_path):
    b = acme(tmp_path)
    on = date(2022, 7, 31)
    r = b.board_act("B-D", on=on, form="consent", present=["ada", "ben", "cy"], resolutions=[DELEGATION])
    kept(r, "dgcl.152.delegation_before_2022", "MB-DELEGATION-NOT-PERMITTED")
    r = b.issue("ada", "common", 1_000, on=on, price_per_share=P, approved_by="R-D")
    kept(r, "dgcl.152.delegation_before_2022", "MB-DELEGATION-NOT-PERMITTED")
    # the board's own resolution is no delegation
    passes(
        b.issue("ben", "common", 1_000, on=on, price_per_share=P, approved_by="R-1"),
        "dgcl.152.delegation_before_2022",
    )


def test_delegation_without_limits_authorises_nothing_from_2022_08_01(tmp_path):
    b = acme(tmp_path)
    on = date(2022, 8, 1)
    r = b.board_act("B-D", on=on, form="consent", present=["ada", "ben", "cy"], resolutions=[DELEGATION])
    f = kept(r, "dgcl.152.delegation_limits", "MB-DELEGATION-NO-LIMITS")
    assert "maximum number" in f.message and "8 Del. C. § 157(c)" in f.cites
    r = b.issue("ada", "common", 1_000, on=on, price_per_share=P, approved_by="R-D")
    fails(r, "dgcl.152.delegation_limits", "MB-DELEGATION-NO-LIMITS")
    kept(
        b.issue("ada", "common", 1_000, on=on, price_per_share=P, approved_by="R-D", historical=True),
        "dgcl.152.delegation_limits",
        "MB-DELEGATION-NO-LIMITS",
    )


def test_delegation_with_its_limits_authorises_issuances_within_them(tmp_path):
    b = acme(tmp_path)
    on = date(2023, 1, 10)
    limits = {"max_shares": 1_500, "until": "2023-12-31", "min_price": "0.01"}
    res = {**DELEGATION, "params": limits}
    passes(
        b.board_act("B-D", on=on, form="consent", present=["ada", "ben", "cy"], resolutions=[res]),
        "dgcl.152.delegation_limits",
    )
    passes(
        b.issue("ada", "common", 1_000, on=on, price_per_share=Decimal("0.01"), approved_by="R-D"),
        "dgcl.152.delegation_limits",
    )
    # each issuance under it within the limits: number, time, price (§152)
    issue = "dgcl.152.board_authorizes_issue"
    fails(
        b.issue("ben", "common", 501, on=on, price_per_share=Decimal("0.01"), approved_by="R-D"),
        issue,
        "MB-APPROVAL-EXCEEDED",
    )
    fails(
        b.issue("ben", "common", 1, on=date(2024, 1, 1), price_per_share=Decimal("0.01"), approved_by="R-D"),
        issue,
        "MB-APPROVAL-EXPIRED",
    )
    fails(
        b.issue("ben", "common", 1, on=on, price_per_share=Decimal("0.005"), approved_by="R-D"),
        issue,
        "MB-APPROVAL-BELOW-MINIMUM",
    )


# --- acts dated after today -------------------------------------------------------------------------------------


def test_an_act_after_today_is_refused_unless_scheduled_and_then_pending(tmp_path):
    b = acme(tmp_path)
    later = date.today() + timedelta(days=30)
    with pytest.raises(InputError, match="--scheduled"):
        b.issue("ada", "common", 1_000, on=later, price_per_share=P, approved_by="R-1")
    ok(b.issue("ada", "common", 1_000, on=later, price_per_share=P, approved_by="R-1", scheduled=True))
    today, then = b.cap_table(date.today()), b.cap_table(later)
    assert today.outstanding == 8_000_000 and then.outstanding == 8_001_000


# --- holders: the address and its history ---------------------------------------------------------------------


def test_a_holders_address_is_kept_and_changes_with_history(tmp_path):
    b = acme(tmp_path)
    ok(b.add_holder("dee", "Dee Ray", on=date(2011, 1, 1), address="1 Main St, Dover DE"))
    ok(b.change_holder("dee", on=date(2012, 6, 1), name="Dee Ray-Lane", address="9 Elm St, Wilmington DE"))
    assert holder_at(b.events, "dee", date(2010, 12, 31)) is None
    old = holder_at(b.events, "dee", date(2012, 5, 31))
    new = holder_at(b.events, "dee", date(2012, 6, 1))
    assert (old.name, old.address) == ("Dee Ray", "1 Main St, Dover DE")
    assert (new.name, new.address) == ("Dee Ray-Lane", "9 Elm St, Wilmington DE")
    with pytest.raises(InputError):
        b.change_holder("dee", on=date(2013, 1, 1))
    # every holder at once, in one pass over the holders' own events (`holder list` on a large book)
    for on in (date(2010, 12, 31), date(2012, 5, 31), date(2012, 6, 1)):
        everyone = holders_at(b.history().events(on, HOLDER_TYPES), on)
        assert everyone.get("dee") == holder_at(b.events, "dee", on)
        assert set(everyone) == {
            e.body.holder_id for e in b.events if e.type == "StakeholderAdded" and e.effective_on <= on
        }


# --- the certificate register ------------------------------------------------------------------------------------


def test_the_certificate_register_follows_issue_transfer_cancel_and_split(tmp_path):
    b = acme(tmp_path)
    legend = ("Restricted under the Securities Act",)
    ok(
        b.issue(
            "ada",
            "common",
            1_000,
            on=date(2011, 1, 3),
            price_per_share=P,
            certificate="C-1",
            legends=legend,
            approved_by="R-1",
        )
    )
    ok(
        b.transfer(
            "ada",
            "ben",
            "common",
            400,
            on=date(2011, 2, 1),
            certificate="C-1",
            new_certificate="C-2",
            balance_certificate="C-3",
        )
    )
    ok(b.cancel("ben", "common", 400, on=date(2011, 3, 1), certificate="C-2"))
    reg = {c.number: c for c in b.certificates()}
    assert (reg["C-1"].status, reg["C-1"].ended_on) == ("surrendered", date(2011, 2, 1))
    assert (reg["C-2"].holder_id, reg["C-2"].shares, reg["C-2"].status) == ("ben", 400, "cancelled")
    assert (reg["C-3"].holder_id, reg["C-3"].shares, reg["C-3"].legends) == ("ada", 600, legend)
    # as of a date: only what was issued by then, in the state it was in
    early = {c.number: c for c in certificate_register(b.events, date(2011, 1, 31))}
    assert set(early) == {"C-1"} and early["C-1"].status == "outstanding"
    assert b.certificates(class_key="preferred") == ()
