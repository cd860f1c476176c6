"""DGCL rules on board action, directors and officers, stock issuance and transfer waivers, bylaws and
§203: each with a passing case (the act recorded, the rule's codes absent) and a failing case (the
finding code, tagged with the rule's id; a new act refused, a historical one kept as a warning). Then the
bad input that is refused before anything is judged, and the registry itself.

Meetings, votes and consents: test_dgcl_meetings.py. Charter amendments and designations:
test_dgcl_amendments.py. Helpers: dgcl_kit.py.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from dgcl_kit import (
    P,
    acme,
    auxer,
    board,
    fails,
    findings,
    kept,
    listed,
    meeting,
    new_book,
    ok,
    passes,
    sig,
    tagged,
)

from minutebook.core.errors import InputError, NotFoundError
from minutebook.core.events import Event, Incorporated, SharesIssued, StakeholderAdded
from minutebook.core.findings import warning
from minutebook.core.record import Record
from minutebook.core.replay import replay
from minutebook.law import registry

D = date(2011, 3, 1)


# --- §141(b): quorum of the whole board, majority of those present ------------------------------------------


def test_board_meeting_with_a_quorum_acts_by_a_majority_of_those_present(tmp_path):
    b = acme(tmp_path)
    r = b.board_act("B-2", on=D, present=["ada", "ben"], resolutions=[{"id": "R-2", "kind": "general"}])
    passes(r, "dgcl.141.b.quorum_and_majority")
    assert b.approvals().get("R-2").passed


def test_board_meeting_without_a_quorum_is_refused(tmp_path):
    b = acme(tmp_path)
    r = b.board_act("B-2", on=D, present=["ada"], resolutions=[{"id": "R-2", "kind": "general"}])
    fails(r, "dgcl.141.b.quorum_and_majority", "MB-BOARD-NO-QUORUM")


def test_board_quorum_counts_the_whole_board_fixed_not_the_directors_in_office(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "general"})
    ok(b.fix_board_size(5, on=D, approved_by="R-2"))  # two vacancies: 2 of 5 is no quorum
    r = b.board_act("B-3", on=D, present=["ada", "ben"], resolutions=[{"id": "R-3"}])
    fails(r, "dgcl.141.b.quorum_and_majority", "MB-BOARD-NO-QUORUM")
    passes(b.board_act("B-4", on=D, present=["ada", "ben", "cy"]), "dgcl.141.b.quorum_and_majority")


def test_board_resolution_without_a_majority_of_those_present_does_not_carry(tmp_path):
    b = acme(tmp_path)
    r = b.board_act("B-2", on=D, present=["ada", "ben"], resolutions=[{"id": "R-2", "against": ["ben"]}])
    fails(r, "dgcl.141.b.quorum_and_majority", "MB-BOARD-RESOLUTION-FAILED", refused=False, severity="info")
    assert not b.approvals().get("R-2").passed
    # an act resting on it is refused
    r = b.issue("cy", "common", 10, on=D, price_per_share=P, approved_by="R-2")
    fails(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-FAILED")


def test_unknown_director_at_a_board_meeting_is_refused(tmp_path):
    b = acme(tmp_path)
    n = len(b.events)
    r = b.board_act("B-2", on=D, present=["ada", "ben", "zed"], resolutions=[{"id": "R-2"}])
    f = fails(r, "dgcl.141.b.quorum_and_majority", "MB-DIRECTOR-UNKNOWN")
    assert dict(f.data)["field"] == "present" and len(b.events) == n


def test_board_cannot_act_before_any_director_is_elected(tmp_path):
    b = new_book(tmp_path)
    r = b.board_act("B-0", on=date(2010, 1, 5), present=[], resolutions=[{"id": "R-0"}])
    fails(r, "dgcl.141.b.quorum_and_majority", "MB-BOARD-NO-DIRECTORS")


# --- §141(f): unanimous written consent ---------------------------------------------------------------------


def test_board_consent_signed_by_every_director(tmp_path):
    b = acme(tmp_path)
    r = b.board_act("B-2", on=D, form="consent", present=["ada", "ben", "cy"], resolutions=[{"id": "R-2"}])
    passes(r, "dgcl.141.f.unanimous_consent")


def test_board_consent_without_every_director_is_refused(tmp_path):
    b = acme(tmp_path)
    r = b.board_act("B-2", on=D, form="consent", present=["ada", "ben"], resolutions=[{"id": "R-2"}])
    fails(r, "dgcl.141.f.unanimous_consent", "MB-BOARD-CONSENT-NOT-UNANIMOUS")
    # a majority that suffices at a meeting does not suffice in writing
    passes(
        b.board_act("B-3", on=D, present=["ada", "ben"], resolutions=[{"id": "R-3"}]),
        "dgcl.141.f.unanimous_consent",
    )


def test_board_consent_with_a_stranger_is_refused(tmp_path):
    b = acme(tmp_path)
    r = b.board_act(
        "B-2", on=D, form="consent", present=["ada", "ben", "cy", "zed"], resolutions=[{"id": "R-2"}]
    )
    fails(r, "dgcl.141.f.unanimous_consent", "MB-DIRECTOR-UNKNOWN")


# --- §141(b), (k): directors in office ------------------------------------------------------------------------


def test_director_leaves_only_if_in_office(tmp_path):
    b = acme(tmp_path)
    passes(b.remove_directors(["cy"], on=D), "dgcl.141.b.directors_in_office")
    assert [d.id for d in b.directors()] == ["ada", "ben"]
    assert [d.id for d in b.directors(date(2011, 2, 28))] == ["ada", "ben", "cy"]
    n = len(b.events)
    f = fails(b.remove_directors(["cy"], on=D), "dgcl.141.b.directors_in_office", "MB-DIRECTOR-UNKNOWN")
    assert dict(f.data)["field"] == "directors" and len(b.events) == n


def test_incorporator_names_directors_only_until_directors_are_elected(tmp_path):
    b = acme(tmp_path)
    r = b.elect_directors(["dee"], on=D, by="incorporator")
    fails(r, "dgcl.141.b.directors_in_office", "MB-APPROVAL-WRONG-BODY")


def test_board_fills_a_vacancy_by_its_own_resolution(tmp_path):
    b = acme(tmp_path)
    ok(b.remove_directors(["cy"], on=D))
    board(b, "B-2", D, {"id": "R-2", "kind": "fill_vacancy"})
    passes(b.elect_directors(["dee"], on=D, by="board", approved_by="R-2"), "dgcl.141.b.directors_in_office")
    r = b.elect_directors(["eve"], on=D, by="board", approved_by="R-404")
    fails(r, "dgcl.141.b.directors_in_office", "MB-APPROVAL-UNKNOWN")


def test_stockholders_elect_only_by_a_stockholder_vote(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "elect_directors"})
    r = b.elect_directors(["dee"], on=D, approved_by="R-2")
    fails(r, "dgcl.141.b.directors_in_office", "MB-APPROVAL-WRONG-BODY")


def test_only_the_nominees_the_plurality_elected_take_office(tmp_path):
    b = acme(tmp_path)
    votes = {"dee": {"common": 4_000_000}, "eve": {"common": 2_500_000}, "fay": {"common": 1_500_000}}
    meeting(
        b,
        "M-1",
        {"id": "E-1", "kind": "elect_directors", "params": {"seats": 2}},
        meeting_on=date(2011, 4, 15),
    )
    ok(
        b.hold_meeting(
            "M-1", on=date(2011, 4, 15), present=["ada", "ben", "cy"], votes=[{"matter": "E-1", "for": votes}]
        )
    )
    r = b.elect_directors(["fay"], on=date(2011, 4, 15), approved_by="E-1")
    fails(r, "dgcl.141.b.directors_in_office", "MB-APPROVAL-MISMATCH")
    passes(
        b.elect_directors(["dee", "eve"], on=date(2011, 4, 15), approved_by="E-1"),
        "dgcl.141.b.directors_in_office",
    )


# --- §142: officers ------------------------------------------------------------------------------------------


def test_officer_appointed_by_the_board(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "elect_officers"})
    passes(
        b.appoint_officer("ada", "Ada Lane", ["President"], on=D, approved_by="R-2"),
        "dgcl.142.officers_chosen_by_board",
    )
    assert [(o.person_id, o.title) for o in b.officers()] == [("ada", "President")]


def test_officer_appointment_naming_an_unknown_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    n = len(b.events)
    r = b.appoint_officer("ada", "Ada Lane", ["President"], on=D, approved_by="R-404")
    fails(r, "dgcl.142.officers_chosen_by_board", "MB-APPROVAL-UNKNOWN")
    assert len(b.events) == n and b.officers() == ()


def test_officer_appointment_by_the_stockholders_is_the_wrong_body(tmp_path):
    b = acme(tmp_path)
    ok(
        b.written_consent(
            "C-1",
            on=D,
            matters=[{"id": "C-1-1", "kind": "elect_officers"}],
            signatures=[sig("ada", D), sig("ben", D)],
        )
    )
    r = b.appoint_officer("ada", "Ada Lane", ["President"], on=D, approved_by="C-1-1")
    fails(r, "dgcl.142.officers_chosen_by_board", "MB-APPROVAL-WRONG-BODY")


def test_officer_appointment_naming_no_approval_is_noted(tmp_path):
    b = acme(tmp_path)
    r = b.appoint_officer("ben", "Ben Cho", ["Secretary"], on=D)
    fails(r, "dgcl.142.officers_chosen_by_board", "MB-APPROVAL-NOT-NAMED", refused=False, severity="info")


# --- §152: every issuance points at the board's authority ----------------------------------------------------


def _issue(b, approved_by=None, *, shares=100, cls="common", on=D, price=P, holder="dan", **kw):
    if holder not in b.holders:
        ok(b.add_holder(holder, holder.title(), on=date(2011, 1, 1)))
    return b.issue(holder, cls, shares, on=on, price_per_share=price, approved_by=approved_by, **kw)


def test_issuance_with_the_boards_approval(tmp_path):
    passes(_issue(acme(tmp_path), "R-1"), "dgcl.152.board_authorizes_issue")


def test_issuance_without_approval_is_refused_and_in_history_a_gap_with_its_cure(tmp_path):
    b = acme(tmp_path)
    fails(_issue(b), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-MISSING")
    f = kept(_issue(b, historical=True), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-MISSING")
    assert "8 Del. C. § 152" in f.cites and "204" in dict(f.data)["cure"]
    gap = [f for f in b.check() if f.code == "MB-APPROVAL-MISSING"]
    assert (
        len(gap) == 1
        and dict(gap[0].data)["act"] == "SharesIssued"
        and dict(gap[0].data)["date"] == "2011-03-01"
    )


def test_issuance_naming_an_unknown_approval_is_refused(tmp_path):
    fails(_issue(acme(tmp_path), "R-404"), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-UNKNOWN")


def test_issuance_of_another_class_than_approved_is_refused(tmp_path):
    b = acme(tmp_path)
    r = _issue(b, "R-1", cls="preferred", price=Decimal("1"))
    fails(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-MISMATCH")


def test_issuance_to_another_holder_or_under_another_kind_of_resolution_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "issue_shares", "params": {"holder_id": "dan"}})
    board(b, "B-3", D, {"id": "R-3", "kind": "designate_series"})
    passes(_issue(b, "R-2"), "dgcl.152.board_authorizes_issue")
    fails(_issue(b, "R-2", holder="eve"), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-MISMATCH")
    fails(_issue(b, "R-3"), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-MISMATCH")


def test_issuance_beyond_the_approved_maximum_is_refused(tmp_path):
    b = acme(tmp_path)  # at most 9,000,000, of which 8,000,000 are issued
    passes(_issue(b, "R-1", shares=1_000_000), "dgcl.152.board_authorizes_issue")
    fails(_issue(b, "R-1", shares=1), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-EXCEEDED")


def test_issuance_after_the_approval_expired_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "issue_shares", "params": {"until": "2011-06-30"}})
    passes(_issue(b, "R-2", on=date(2011, 6, 30)), "dgcl.152.board_authorizes_issue")
    fails(_issue(b, "R-2", on=date(2011, 7, 1)), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-EXPIRED")


def test_issuance_below_the_minimum_price_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "issue_shares", "params": {"min_price": "0.01"}})
    passes(_issue(b, "R-2", price=Decimal("0.01")), "dgcl.152.board_authorizes_issue")
    r = _issue(b, "R-2", price=Decimal("0.005"))
    fails(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-BELOW-MINIMUM")


def test_issuance_under_a_failed_or_stockholder_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "issue_shares", "against": ["ben", "cy"]})
    fails(_issue(b, "R-2"), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-FAILED")
    ok(
        b.written_consent(
            "C-1",
            on=D,
            matters=[{"id": "C-1-1", "kind": "issue_shares"}],
            signatures=[sig("ada", D), sig("ben", D)],
        )
    )
    fails(_issue(b, "C-1-1"), "dgcl.152.board_authorizes_issue", "MB-APPROVAL-WRONG-BODY")


def test_issuance_dated_before_its_approval_is_refused(tmp_path):
    # the approval is a vote at a meeting not yet held: it is dated after the act (and has not passed)
    b = acme(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "X-1", "kind": "ratify"},
        meeting_on=date(2011, 5, 1),
        notice_days=None,
        list_days=None,
    )
    r = _issue(b, "X-1", on=date(2011, 3, 20))
    fails(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-AFTER-ACT")
    assert {"MB-APPROVAL-WRONG-BODY", "MB-APPROVAL-FAILED"} <= {c for _, c in tagged(r)}


def test_incorporators_do_not_approve_once_directors_are_elected(tmp_path):
    # §107: the incorporators act only until directors are elected
    b = new_book(tmp_path)
    ok(b.add_holder("ada", "Ada", on=date(2010, 1, 5)))
    m = [{"id": "I-1-1", "kind": "issue_shares"}]
    ok(
        b.written_consent(
            "I-1", on=date(2010, 1, 5), by="incorporators", matters=m, signatures=[sig("ada", "2010-01-05")]
        )
    )
    passes(
        b.issue("ada", "common", 10, on=date(2010, 1, 5), price_per_share=P, approved_by="I-1-1"),
        "dgcl.152.board_authorizes_issue",
    )
    ok(b.elect_directors(["ada"], on=date(2010, 1, 6), by="incorporator"))
    r = b.issue("ada", "common", 10, on=date(2010, 1, 6), price_per_share=P, approved_by="I-1-1")
    fails(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-WRONG-BODY")


# --- §202: a transfer restriction waived by the board ----------------------------------------------------------


def test_transfer_waiver_points_at_a_board_action(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "kind": "general", "text": "waive the right of first refusal"})
    passes(b.transfer("ada", "ben", "common", 100, on=D, approved_by="R-2"), "dgcl.202.transfer_waiver")
    passes(b.transfer("ada", "ben", "common", 100, on=D), "dgcl.202.transfer_waiver")  # no waiver claimed


def test_transfer_of_a_restricted_certificate_without_a_waiver_is_flagged(tmp_path):
    b = acme(tmp_path)
    ok(b.add_holder("dee", "Dee", on=D))
    legend = (
        "The shares are subject to a right of first refusal and may not be transferred except as provided."
    )
    ok(
        b.issue(
            "dee",
            "common",
            500,
            on=D,
            price_per_share=P,
            approved_by="R-1",
            certificate="CS-9",
            legends=(legend,),
        )
    )
    # the restriction travels with the shares: the balance certificate carries it too
    r = b.transfer(
        "dee",
        "ada",
        "common",
        100,
        on=D,
        certificate="CS-9",
        new_certificate="CS-10",
        balance_certificate="CS-11",
    )
    kept(r, "dgcl.202.transfer_waiver", "MB-TRANSFER-RESTRICTED")
    board(b, "B-3", D, {"id": "R-3", "kind": "general", "text": "waive the right of first refusal for Dee"})
    passes(
        b.transfer(
            "dee", "ada", "common", 100, on=D, certificate="CS-11", new_certificate="CS-12", approved_by="R-3"
        ),
        "dgcl.202.transfer_waiver",
    )
    # a book-entry transfer (no certificate named) is not judged by the legend of a certificate
    passes(b.transfer("ada", "ben", "common", 1, on=D), "dgcl.202.transfer_waiver")


def test_transfer_waiver_naming_an_unknown_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    n = len(b.events)
    fails(
        b.transfer("ada", "ben", "common", 100, on=D, approved_by="R-404"),
        "dgcl.202.transfer_waiver",
        "MB-APPROVAL-UNKNOWN",
    )
    assert len(b.events) == n


def test_transfer_waiver_by_a_failed_resolution_or_the_stockholders_is_refused(tmp_path):
    b = acme(tmp_path)
    board(b, "B-2", D, {"id": "R-2", "against": ["ben", "cy"]})
    fails(
        b.transfer("ada", "ben", "common", 1, on=D, approved_by="R-2"),
        "dgcl.202.transfer_waiver",
        "MB-APPROVAL-FAILED",
    )
    ok(b.written_consent("C-1", on=D, matters=[{"id": "C-1-1"}], signatures=[sig("ada", D), sig("ben", D)]))
    r = b.transfer("ada", "ben", "common", 1, on=D, approved_by="C-1-1")
    fails(r, "dgcl.202.transfer_waiver", "MB-APPROVAL-WRONG-BODY")


# --- §109(a): who amends the bylaws ------------------------------------------------------------------------


def test_bylaws_amended_by_the_stockholders(tmp_path):
    b = acme(tmp_path)
    ok(
        b.written_consent(
            "C-1",
            on=D,
            matters=[{"id": "C-1-1", "kind": "amend_bylaws"}],
            signatures=[sig("ada", D), sig("ben", D)],
        )
    )
    passes(
        b.amend_bylaws("2.1", "A third of the shares is a quorum.", on=D, approved_by="C-1-1"),
        "dgcl.109.a.who_amends_bylaws",
    )


def test_bylaws_amended_by_the_board_without_a_charter_power_after_payment(tmp_path):
    b = acme(tmp_path)  # the Acme charter confers no bylaw power on the board; its stock is paid for
    board(b, "B-2", D, {"id": "R-2", "kind": "amend_bylaws"})
    r = b.amend_bylaws("2.1", "text", on=D, approved_by="R-2")
    fails(r, "dgcl.109.a.who_amends_bylaws", "MB-BYLAWS-BOARD-NOT-EMPOWERED")
    r = b.amend_bylaws("2.1", "text", on=D, approved_by="R-2", historical=True)
    kept(r, "dgcl.109.a.who_amends_bylaws", "MB-BYLAWS-BOARD-NOT-EMPOWERED")


def test_bylaws_amended_by_the_board_before_payment(tmp_path):
    b = new_book(tmp_path)
    ok(b.elect_directors(["ada", "ben"], on=date(2010, 1, 5), by="incorporator"))
    board(b, "B-0", date(2010, 1, 5), {"id": "R-0", "kind": "amend_bylaws"})
    passes(
        b.amend_bylaws("1.1", "text", on=date(2010, 1, 5), approved_by="R-0"), "dgcl.109.a.who_amends_bylaws"
    )


def test_bylaws_amended_by_the_board_under_auxer_article_eighth(tmp_path):
    b = auxer(tmp_path)
    assert any(
        p.kind == "board_may_amend_bylaws" and p.article == "EIGHTH"
        for p in b.charter.versions[-1].provisions
    )
    board(b, "B-2", date(1998, 1, 2), {"id": "R-2", "kind": "amend_bylaws"})
    passes(
        b.amend_bylaws("2.1", "text", on=date(1998, 1, 2), approved_by="R-2"), "dgcl.109.a.who_amends_bylaws"
    )


def test_bylaws_amendment_without_or_with_an_unknown_or_failed_approval(tmp_path):
    b = auxer(tmp_path)
    fails(
        b.amend_bylaws("2.1", "x", on=date(1998, 1, 2)), "dgcl.109.a.who_amends_bylaws", "MB-APPROVAL-MISSING"
    )
    r = b.amend_bylaws("2.1", "x", on=date(1998, 1, 2), approved_by="R-404")
    fails(r, "dgcl.109.a.who_amends_bylaws", "MB-APPROVAL-UNKNOWN")
    board(b, "B-2", date(1998, 1, 2), {"id": "R-2", "kind": "amend_bylaws", "against": ["jane", "john"]})
    r = b.amend_bylaws("2.1", "x", on=date(1998, 1, 2), approved_by="R-2")
    fails(r, "dgcl.109.a.who_amends_bylaws", "MB-APPROVAL-FAILED")


def test_bylaws_amended_before_the_meeting_that_approves_them(tmp_path):
    b = auxer(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "M-1-1", "kind": "amend_bylaws"},
        meeting_on=date(1998, 3, 1),
        notice_days=None,
        list_days=None,
    )
    r = b.amend_bylaws("2.2", "x", on=date(1998, 1, 20), approved_by="M-1-1")
    fails(r, "dgcl.109.a.who_amends_bylaws", "MB-APPROVAL-AFTER-ACT")


# --- §203: interested stockholders ---------------------------------------------------------------------------


def test_203_a_holder_below_15_percent_is_not_interested(tmp_path):
    b = acme(tmp_path)
    passes(_issue(b, "R-1", shares=1_000_000), "dgcl.203.interested_stockholder")  # 1/9 = 11.1%


def test_203_says_nothing_where_the_statute_does_not_reach_the_corporation(tmp_path):
    # §203(b)(4): not listed, 2,000 holders of record or fewer — a founder's block is not a takeover event
    b = acme(tmp_path, holders=(("ada", 5_000_000),))
    ok(b.add_holder("ben", "Ben", on=D))
    r = b.issue("ben", "common", 1_000_000, on=D, price_per_share=P, approved_by="R-1")  # 1/6 = 16.7%
    passes(r, "dgcl.203.interested_stockholder")
    assert not [f for f in r.findings if f.code == "MB-203-INTERESTED-STOCKHOLDER"]


def test_203_reaches_a_corporation_whose_voting_stock_is_listed(tmp_path):
    # §203(b)(4): a class of voting stock listed on a national securities exchange — a handful of holders of
    # record is no exemption then
    b = acme(tmp_path, holders=(("ada", 5_000_000),))
    ok(b.list_class("common", on=D, exchange="NASDAQ"))
    ok(b.add_holder("ben", "Ben", on=D))
    r = b.issue("ben", "common", 1_000_000, on=D, price_per_share=P, approved_by="R-1")  # 16.7%
    f = fails(
        r,
        "dgcl.203.interested_stockholder",
        "MB-203-INTERESTED-STOCKHOLDER",
        refused=False,
        severity="warning",
    )
    assert "listed on a national securities exchange" in f.message and "8 Del. C. § 203(a)" in f.cites


def test_203_auxer_crossing_15_percent_is_not_noise(tmp_path):
    b = auxer(tmp_path)
    ok(b.add_holder("dan", "Dan", on=date(1998, 1, 5)))
    r = b.issue(
        "dan", "common", 4_000_000, on=date(1998, 1, 5), price_per_share=P, approved_by="R-1997-3"
    )  # 8.2%
    passes(r, "dgcl.203.interested_stockholder")
    r = b.transfer("eugene", "dan", "common", 4_000_000, on=date(1998, 1, 6))  # 16.3%, a handful of holders
    passes(r, "dgcl.203.interested_stockholder")
    assert not [f for f in r.findings if f.code == "MB-203-INTERESTED-STOCKHOLDER"]


def _wide(opt_out: bool) -> list[Event]:
    """2,001 holders of one share each of a corporation whose original charter opts out of §203 or not."""
    charter = {
        "capital": {
            "total_authorized": 100_000,
            "classes": [
                {
                    "key": "common",
                    "name": "Common",
                    "kind": "common",
                    "authorized": 100_000,
                    "par_value": "0.01",
                }
            ],
        }
    }
    if opt_out:
        charter["provisions"] = [
            {"article": "TENTH", "paragraph": None, "kind": "section_203_opt_out", "params": {}}
        ]
    on = date(2020, 1, 1)
    evs = [Event(Incorporated("Wide, Inc.", "Delaware", charter), on, seq=1)]
    for i in range(2001):
        evs.append(Event(StakeholderAdded(f"h{i}", f"H {i}"), on, seq=len(evs) + 1))
        evs.append(
            Event(SharesIssued(f"h{i}", "common", 1, Decimal("0.01"), Decimal("0.01")), on, seq=len(evs) + 1)
        )
    evs.append(Event(StakeholderAdded("raider", "Raider"), on, seq=len(evs) + 1))
    return evs


def _raid(evs: list[Event], n: int) -> list:
    rule = registry.get("dgcl.203.interested_stockholder")
    e = Event(SharesIssued("raider", "common", n, Decimal("0.01"), Decimal("0.01") * n), date(2020, 2, 1))
    return list(rule.check(registry.Context(e, replay(evs, e.effective_on), Record())))


def test_203_applies_with_more_than_2000_holders_of_record():
    # the rule alone, on a ledger replayed in memory: 2,001 holders of one share each, then a block of 15%
    evs = _wide(opt_out=False)
    assert _raid(evs, 300) == []  # 300 of 2,301: 13.0%
    (f,) = _raid(evs, 400)  # 400 of 2,401: 16.7%
    assert (f.code, f.severity.value) == ("MB-203-INTERESTED-STOCKHOLDER", "warning")
    assert "8 Del. C. § 203(a)" in f.cites and "2,001 holders of record" in f.message


def test_203_reached_but_the_original_charter_opts_out():
    (f,) = _raid(_wide(opt_out=True), 400)
    assert (f.code, f.severity.value) == ("MB-203-INTERESTED-STOCKHOLDER", "info")
    assert "8 Del. C. § 203(b)(1)" in f.cites and any("TENTH" in c for c in f.cites)


# --- bad input: refused before any rule judges it, nothing written -------------------------------------------


def test_bad_input_raises_and_writes_nothing(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=date(2011, 4, 15), notice_days=None)
    n = len(b.events)
    with pytest.raises(InputError, match=r"^votes\[0\]\.for\.common: "):  # above the shares entitled to vote
        b.hold_meeting(
            "M-1",
            on=date(2011, 4, 15),
            present=["ada"],
            votes=[{"matter": "X-1", "for": {"common": 8_000_001}}],
        )
    with pytest.raises(InputError, match=r"^votes\[0\]: "):  # for + against above them
        b.hold_meeting(
            "M-1",
            on=date(2011, 4, 15),
            votes=[{"matter": "X-1", "for": {"common": 5_000_000}, "against": {"common": 3_000_001}}],
        )
    with pytest.raises(InputError, match="notice date"):  # a meeting dated before its notice
        b.send_notice("M-1", on=date(2011, 4, 16))
    with pytest.raises(InputError, match=r"^articles\.FOURTH: "):  # an amendment text that cannot be read
        b.file_amendment(on=date(2011, 5, 1), approved_by=["R-2"], articles={"FOURTH": "gibberish"})
    with pytest.raises(InputError, match=r"^articles\.TWELVE: "):
        b.file_amendment(on=date(2011, 5, 1), articles={"TWELVE": "text"})
    with pytest.raises(InputError, match=r"^signatures: "):  # a signer who held no shares
        b.written_consent("C-1", on=D, matters=[{"id": "C-1-1"}], signatures=[sig("zed", D)])
    with pytest.raises(InputError, match=r"^resolutions\[0\]\.against"):
        b.board_act("B-9", on=D, present=["ada", "ben"], resolutions=[{"id": "R-9", "against": ["cy"]}])
    assert len(b.events) == n


def test_unknown_director_leaving_is_refused_with_the_field_named(tmp_path):
    # the Book refuses it as a finding naming the field (the CLI turns it into exit 2 before the Book sees it)
    b = acme(tmp_path)
    n = len(b.events)
    f = fails(b.remove_directors(["zed"], on=D), "dgcl.141.b.directors_in_office", "MB-DIRECTOR-UNKNOWN")
    assert dict(f.data)["field"] == "directors" and len(b.events) == n


def test_an_article_amended_by_text_reads_back(tmp_path):
    # not bad input: a well-formed FOURTH and a new SIXTH are read (the charter's articles are numbered)
    b = acme(tmp_path)
    text = (
        "The total number of shares of stock which the Corporation shall have authority to issue is 25,000,000, "
        "consisting of 20,000,000 shares of Common Stock, par value $0.001 per share, and 5,000,000 shares of "
        "Preferred Stock, par value $0.001 per share."
    )
    r = b.file_amendment(
        on=date(2011, 5, 1), articles={"FOURTH": text, "SIXTH": "No preemptive rights."}, dry_run=True
    )
    assert r.refused and {"MB-APPROVAL-MISSING"} == {c for _, c in tagged(r)}  # judged, not crashed


# --- the registry ------------------------------------------------------------------------------------------


def test_registry_get_unknown_rule():
    with pytest.raises(NotFoundError):
        registry.get("dgcl.999.no_such_rule")
    assert registry.get("dgcl.222.b.notice_window").id == "dgcl.222.b.notice_window"


HERE = Path(__file__).parent
_HELPERS = r"\b(passes|unlisted|fails|kept|listed)\("
# a helper call and the first rule id quoted after it (before the next helper call): its rule argument
_CALL = re.compile(_HELPERS + r"(?:(?!" + _HELPERS + r").)*?\"((?:dgcl|ledger|irc)\.[a-z0-9_.]+)\"", re.S)


def _cases() -> dict[str, set[str]]:
    """rule id -> the kinds of case the DGCL test files make of it: passing (`passes`, `unlisted`) and failing
    (`fails`, `kept`, `listed`), each a call of the helper with the rule id."""
    out: dict[str, set[str]] = {}
    for p in sorted([*HERE.glob("test_dgcl_*.py"), HERE / "test_ledger_gaps.py"]):
        for m in _CALL.finditer(p.read_text(encoding="utf-8")):
            out.setdefault(m.group(3), set()).add(m.group(1))
    return out


def test_every_rule_is_cited_summarised_and_tested_both_ways():
    cases = _cases()
    ledger_tests = "".join(
        p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != Path(__file__).name
    )
    for r in registry.rules():
        # every statutory rule cites its section; only the ledger's bookkeeping rules (a holder holds what
        # it transfers, parties are known) have none (reported)
        assert all(r.cites) and (r.cites or r.id.startswith("ledger.")), r.id
        assert r.summary.strip() and len(r.summary) < 200, r.id
        assert r.source, r.id
        if r.source.startswith("minutebook.law.ledger"):
            # the stock-ledger rules are tested by their codes (test_ledger.py; a few through the Book here)
            assert any(code in ledger_tests for code in r.codes), r.id
            continue
        if not r.codes:  # a rule with nothing to report (treasury shares do not vote): a test names it
            assert any(f'"{r.id}"' in p.read_text(encoding="utf-8") for p in HERE.glob("test_dgcl_*.py")), (
                r.id
            )
            continue
        kinds = cases.get(r.id, set())
        assert kinds & {"passes", "unlisted"} and kinds & {"fails", "kept", "listed"}, (
            f"{r.id}: {sorted(kinds)}"
        )


def test_rule_ids_in_the_tests_are_registered():
    known = {r.id for r in registry.rules()}
    assert set(_cases()) <= known, set(_cases()) - known


def test_findings_of_the_helpers_are_checked_against_the_registry():
    with pytest.raises(NotFoundError):
        findings([warning("MB-X", "x", rule="dgcl.999.no_such_rule")])
    with pytest.raises(AssertionError):
        findings([warning("MB-NOT-DECLARED", "x", rule="dgcl.222.b.notice_window")])


def test_back_dated_issuance_before_its_resolution_is_after_the_act(tmp_path):
    # the resolution is in the book, but dated after the issuance that names it: a §204 case in history
    b = acme(tmp_path)
    board(b, "B-9", date(2012, 6, 1), {"id": "R-9", "kind": "issue_shares"}, form="consent")
    ok(b.add_holder("late", "Late Holder", on=date(2011, 1, 1)))
    r = b.issue(
        "late", "common", 10, on=date(2011, 2, 1), price_per_share=P, approved_by="R-9", historical=True
    )
    f = kept(r, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-AFTER-ACT")
    assert "§ 204" in dict(f.data).get("cure", "") or "204" in f.message
    listed(b, "dgcl.152.board_authorizes_issue", "MB-APPROVAL-AFTER-ACT")  # and `check` lists it


def test_check_reports_the_reader_findings_of_the_documents_the_book_holds_as_charter(tmp_path):
    whole = {f.code: f for f in auxer(tmp_path / "all", until=None, seed=False).check()}
    assert whole["MB-FIGURE-MALFORMED"].source.line == 66  # the 1999 copy with "150,000,00", file:line
    assert whole["MB-FIGURE-MALFORMED"].source.path == "auxer-group-charter.txt"
    until_1998 = {f.code for f in auxer(tmp_path / "1998", seed=False).check()}
    assert "MB-FIGURE-MALFORMED" not in until_1998 and "MB-DOC-DUPLICATE" not in until_1998  # 1999 left out
    assert "MB-EDITOR-NOTE" in until_1998  # the 1997 certificate's findings stay


def test_back_dated_resignation_that_breaks_a_later_board_quorum_is_refused(tmp_path):
    b = acme(tmp_path)  # ada, ben, cy on the board since 2010-01-05
    ok(b.board_act("B-7", on=date(2012, 3, 1), present=["ada", "ben"], resolutions=[{"id": "R-7"}]))
    n = len(b.events)
    # ben resigning in 2011 would leave ada alone present at the 2012 meeting of a board of two: no quorum
    # (1 of 2 is not a majority) — the later act's defect is the back-dated event's conflict
    r = b.remove_directors(["ben"], on=date(2011, 6, 1))
    assert r.refused and "MB-BACKDATED-CONFLICT" in {f.code for f in r.findings}
    assert len(b.events) == n
    ok(b.remove_directors(["cy"], on=date(2012, 6, 1)))  # after the meeting: no conflict
