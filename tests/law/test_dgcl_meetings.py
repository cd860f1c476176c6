"""DGCL rules on stockholder action: the call of a meeting (§211), its record date (§213), notice (§222),
the stockholder list (§219), quorum and the vote each matter needs (§§216, 242(b), 271, 102(b)(2),
211(e), 212(a), 160(c)), and written consents (§§228, 211(b)). Each rule: a passing case and a failing
case asserting on the finding code and the rule's id. Helpers: dgcl_kit.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dgcl_kit import (
    DUAL_CLASS,
    NO_CONSENT,
    P,
    acme,
    auxer,
    board,
    book_codes,
    fails,
    kept,
    listed,
    meeting,
    new_book,
    ok,
    passes,
    sig,
    tagged,
    unlisted,
)

from minutebook.core.errors import InputError
from minutebook.core.votes import electorate
from minutebook.law import registry

M = date(2011, 4, 15)  # the meeting date in most cases here
CALLED = date(2011, 3, 1)
EVERYONE = ["ada", "ben", "cy"]  # 4,000,000 + 2,500,000 + 1,500,000 of 8,000,000 common shares


def _call(b, mid, *matters, record_date=None, called_on=CALLED, kind="special", meeting_on=M):
    board(b, f"B-{mid}", called_on, {"id": f"R-{mid}", "kind": "call_meeting"})
    return b.call_meeting(
        mid,
        on=called_on,
        kind=kind,
        meeting_on=meeting_on,
        record_date=record_date,
        called_by=f"R-{mid}",
        matters=list(matters),
    )


def _hold(b, mid, *votes, present=EVERYONE, on=M, **kw):
    return b.hold_meeting(mid, on=on, present=present, votes=list(votes), **kw)


# --- §211: the call -------------------------------------------------------------------------------------------


def test_meeting_called_by_a_board_resolution(tmp_path):
    passes(_call(acme(tmp_path), "M-1", {"id": "X-1"}), "dgcl.211.meeting_called")


def test_meeting_called_without_or_with_an_unknown_or_wrong_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    r = b.call_meeting("M-1", on=CALLED, kind="special", meeting_on=M, matters=[{"id": "X-1"}])
    fails(r, "dgcl.211.meeting_called", "MB-APPROVAL-MISSING")
    r = b.call_meeting(
        "M-1", on=CALLED, kind="special", meeting_on=M, called_by="R-404", matters=[{"id": "X-1"}]
    )
    fails(r, "dgcl.211.meeting_called", "MB-APPROVAL-UNKNOWN")
    ok(
        b.written_consent(
            "C-1", on=CALLED, matters=[{"id": "C-1-1"}], signatures=[sig("ada", CALLED), sig("ben", CALLED)]
        )
    )
    r = b.call_meeting(
        "M-1", on=CALLED, kind="special", meeting_on=M, called_by="C-1-1", matters=[{"id": "X-1"}]
    )
    fails(r, "dgcl.211.meeting_called", "MB-APPROVAL-WRONG-BODY")
    board(b, "B-2", CALLED, {"id": "R-2", "kind": "call_meeting", "against": ["ben", "cy"]})
    r = b.call_meeting(
        "M-1", on=CALLED, kind="special", meeting_on=M, called_by="R-2", matters=[{"id": "X-1"}]
    )
    fails(r, "dgcl.211.meeting_called", "MB-APPROVAL-FAILED")


# --- §213(a): the record date -------------------------------------------------------------------------------


def test_record_date_10_and_60_days_before_the_meeting(tmp_path):
    b = acme(tmp_path)
    passes(
        _call(b, "M-1", {"id": "X-1"}, record_date=M - timedelta(days=10)), "dgcl.213.a.record_date_window"
    )
    r = _call(b, "M-2", {"id": "X-2"}, called_on=date(2011, 2, 1), record_date=M - timedelta(days=60))
    passes(r, "dgcl.213.a.record_date_window")


def test_record_date_9_or_61_days_before_the_meeting_is_refused(tmp_path):
    b = acme(tmp_path)
    r = _call(b, "M-1", {"id": "X-1"}, record_date=M - timedelta(days=9))
    assert dict(fails(r, "dgcl.213.a.record_date_window", "MB-RECORD-DATE-OUT-OF-WINDOW").data)["days"] == 9
    r = _call(b, "M-2", {"id": "X-2"}, called_on=date(2011, 2, 1), record_date=M - timedelta(days=61))
    assert dict(fails(r, "dgcl.213.a.record_date_window", "MB-RECORD-DATE-OUT-OF-WINDOW").data)["days"] == 61


def test_record_date_before_the_boards_resolution_is_refused(tmp_path):
    b = acme(tmp_path)
    r = _call(b, "M-1", {"id": "X-1"}, record_date=CALLED - timedelta(days=1))
    fails(r, "dgcl.213.a.record_date_window", "MB-RECORD-DATE-BEFORE-RESOLUTION")
    passes(_call(b, "M-2", {"id": "X-2"}, record_date=CALLED), "dgcl.213.a.record_date_window")


def test_record_date_defect_in_history_is_kept(tmp_path):
    b = acme(tmp_path)
    board(b, "B-M", CALLED, {"id": "R-M", "kind": "call_meeting"})
    r = b.call_meeting(
        "M-1",
        on=CALLED,
        kind="special",
        meeting_on=M,
        record_date=M - timedelta(days=5),
        called_by="R-M",
        historical=True,
    )
    assert r.event is not None and (
        "dgcl.213.a.record_date_window",
        "MB-RECORD-DATE-OUT-OF-WINDOW",
    ) in tagged(r)
    assert ("dgcl.213.a.record_date_window", "MB-RECORD-DATE-OUT-OF-WINDOW") in book_codes(b)


# --- §222: notice --------------------------------------------------------------------------------------------


def test_notice_exactly_10_days_passes_9_is_refused(tmp_path):
    b = acme(tmp_path)
    ok(_call(b, "M-1", {"id": "X-1"}))
    f = fails(
        b.send_notice("M-1", on=M - timedelta(days=9)), "dgcl.222.b.notice_window", "MB-NOTICE-TOO-LATE"
    )
    assert dict(f.data)["days"] == 9 and "8 Del. C. § 222(b)" in f.cites
    passes(b.send_notice("M-1", on=M - timedelta(days=10)), "dgcl.222.b.notice_window")


def test_notice_exactly_60_days_passes_61_is_refused(tmp_path):
    b = acme(tmp_path)
    ok(_call(b, "M-1", {"id": "X-1"}, called_on=date(2011, 1, 10)))
    f = fails(
        b.send_notice("M-1", on=M - timedelta(days=61)), "dgcl.222.b.notice_window", "MB-NOTICE-TOO-EARLY"
    )
    assert dict(f.data)["days"] == 61
    passes(b.send_notice("M-1", on=M - timedelta(days=60)), "dgcl.222.b.notice_window")


def test_notice_of_an_asset_sale_needs_20_days(tmp_path):
    b = acme(tmp_path)
    ok(_call(b, "M-1", {"id": "S-1", "kind": "asset_sale"}))
    f = fails(
        b.send_notice("M-1", on=M - timedelta(days=19)), "dgcl.222.b.notice_window", "MB-NOTICE-TOO-LATE"
    )
    assert "8 Del. C. § 271(a)" in f.cites
    passes(b.send_notice("M-1", on=M - timedelta(days=20)), "dgcl.222.b.notice_window")


def test_meeting_held_without_notice(tmp_path):
    b = acme(tmp_path)
    ok(_call(b, "M-1", {"id": "X-1"}))
    ok(b.prepare_stockholder_list("M-1", on=date(2011, 3, 20)))
    r = _hold(b, "M-1", {"matter": "X-1", "for": EVERYONE})
    fails(r, "dgcl.222.b.notice_window", "MB-NOTICE-MISSING")
    r = _hold(b, "M-1", {"matter": "X-1", "for": EVERYONE}, historical=True)
    assert r.event is not None and ("dgcl.222.b.notice_window", "MB-NOTICE-MISSING") in tagged(r)
    assert not b.approvals().get("X-1").passed  # a meeting not validly noticed acts on nothing


def test_special_meeting_notice_states_its_purpose(tmp_path):
    b = acme(tmp_path)
    ok(_call(b, "M-1", {"id": "X-1"}))
    ok(_call(b, "M-2", {"id": "X-2"}, kind="annual"))
    fails(
        b.send_notice("M-1", on=date(2011, 3, 20), states_purpose=False),
        "dgcl.222.a.notice_contents",
        "MB-NOTICE-NO-PURPOSE",
    )
    passes(b.send_notice("M-1", on=date(2011, 3, 20)), "dgcl.222.a.notice_contents")
    passes(
        b.send_notice("M-2", on=date(2011, 3, 20), states_purpose=False), "dgcl.222.a.notice_contents"
    )  # annual


def test_amendment_notice_carries_its_text(tmp_path):
    b = acme(tmp_path)
    ok(
        _call(
            b, "M-1", {"id": "A-1", "kind": "amend_charter", "params": {"authorized": {"common": 20_000_000}}}
        )
    )
    r = b.send_notice("M-1", on=date(2011, 3, 20), includes_text=False)
    fails(r, "dgcl.222.a.notice_contents", "MB-NOTICE-NO-AMENDMENT-TEXT")
    passes(b.send_notice("M-1", on=date(2011, 3, 20)), "dgcl.222.a.notice_contents")


# --- §219: the stockholder list (a warning: the meeting stands) ---------------------------------------------


def test_stockholder_list_prepared_10_days_before(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M, list_days=10)
    passes(_hold(b, "M-1", {"matter": "X-1", "for": EVERYONE}), "dgcl.219.a.stockholder_list")


def test_stockholder_list_missing_or_late_is_a_warning(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M, list_days=None)
    meeting(b, "M-2", {"id": "X-2"}, meeting_on=M, list_days=9)
    kept(
        _hold(b, "M-1", {"matter": "X-1", "for": EVERYONE}), "dgcl.219.a.stockholder_list", "MB-LIST-MISSING"
    )
    kept(_hold(b, "M-2", {"matter": "X-2", "for": EVERYONE}), "dgcl.219.a.stockholder_list", "MB-LIST-LATE")
    assert b.approvals().get("X-1").passed and b.approvals().get("X-2").passed


# --- §216: quorum --------------------------------------------------------------------------------------------


def test_quorum_is_a_majority_of_the_voting_power(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(
        b, "M-1", {"matter": "X-1", "for": ["ben", "cy"]}, present=["ben", "cy"]
    )  # 4,000,000 of 8,000,000
    f = fails(r, "dgcl.216.quorum_and_votes", "MB-MEETING-NO-QUORUM")
    assert (dict(f.data)["present"], dict(f.data)["entitled"]) == (4_000_000, 8_000_000)
    # a corrected record of the same meeting is judged afresh
    passes(
        _hold(b, "M-1", {"matter": "X-1", "for": ["ada", "cy"]}, present=["ada", "cy"]),
        "dgcl.216.quorum_and_votes",
    )
    assert b.approvals().get("X-1").passed


def _quorum_bylaw(b, text, section="quorum", on=date(2011, 1, 10)):
    # the stockholders adopt it by consent (ada and ben: 6,500,000 of 8,000,000)
    ok(_consent(b, f"C-{section}", sig("ada", on), sig("ben", on), on=on, kind="amend_bylaws"))
    return b.amend_bylaws(section, text, on=on, approved_by=f"C-{section}-1")


def test_a_quorum_bylaw_replaces_the_statutes_majority(tmp_path):
    b = acme(tmp_path)
    passes(_quorum_bylaw(b, "One-third of the shares entitled to vote"), "dgcl.216.quorum_floor")
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    # 4,000,000 of 8,000,000 present: no quorum by the statute's majority, a quorum under the bylaw
    passes(
        _hold(b, "M-1", {"matter": "X-1", "for": ["ben", "cy"]}, present=["ben", "cy"]),
        "dgcl.216.quorum_and_votes",
    )
    assert b.approvals().get("X-1").passed


def test_a_quorum_bylaw_below_one_third_is_refused(tmp_path):
    b = acme(tmp_path)
    fails(
        _quorum_bylaw(b, "one-fourth of the shares entitled to vote"),
        "dgcl.216.quorum_floor",
        "MB-QUORUM-BELOW-FLOOR",
    )
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)  # the statute's majority still governs
    f = fails(
        _hold(b, "M-1", {"matter": "X-1", "for": ["cy"]}, present=["cy"]),
        "dgcl.216.quorum_and_votes",
        "MB-MEETING-NO-QUORUM",
    )
    assert "default" in f.message and "8 Del. C. § 216(1)" in f.cites


def test_a_board_quorum_bylaw_applies_to_board_meetings(tmp_path):
    b = acme(tmp_path)  # three directors: one present is no quorum by §141(b)'s majority
    fails(board_meeting_of_one(b, "B-9", "R-9"), "dgcl.141.b.quorum_and_majority", "MB-BOARD-NO-QUORUM")
    passes(_quorum_bylaw(b, "1/3 of the whole board", section="board quorum"), "dgcl.216.quorum_floor")
    passes(board_meeting_of_one(b, "B-10", "R-10"), "dgcl.141.b.quorum_and_majority")


def board_meeting_of_one(b, action_id, rid):
    return b.board_act(
        action_id, on=date(2011, 2, 1), present=["ada"], resolutions=[{"id": rid, "kind": "general"}]
    )


def test_quorum_failure_in_history_is_kept_and_the_matter_fails(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(b, "M-1", {"matter": "X-1", "for": ["cy"]}, present=["cy"], historical=True)
    assert r.event is not None and ("dgcl.216.quorum_and_votes", "MB-MEETING-NO-QUORUM") in tagged(r)
    assert not b.approvals().get("X-1").passed


def test_matter_without_a_recorded_vote(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, {"id": "X-2"}, meeting_on=M)
    r = _hold(b, "M-1", {"matter": "X-1", "for": EVERYONE})
    fails(r, "dgcl.216.quorum_and_votes", "MB-MATTER-NOT-VOTED", refused=False, severity="info")
    assert b.approvals().get("X-1").passed and not b.approvals().get("X-2").passed


# --- §216(2): other matters, a majority of the shares present ------------------------------------------------


def test_ordinary_matter_majority_of_shares_present_abstentions_count(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, {"id": "X-2"}, meeting_on=M)
    r = _hold(
        b,
        "M-1",
        {"matter": "X-1", "for": ["ada"], "against": ["ben"], "abstain": ["cy"]},  # 4,000,000 of 8,000,000
        {"matter": "X-2", "for": ["ada", "cy"], "against": ["ben"]},  # 5,500,000 of 8,000,000
    )
    fails(r, "dgcl.216.2.majority_present", "MB-VOTE-FAILED", refused=False, severity="warning")
    assert not b.approvals().get("X-1").passed and b.approvals().get("X-2").passed


def test_ordinary_matter_majority_of_those_present_not_of_those_outstanding(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(
        b, "M-1", {"matter": "X-1", "for": ["ada"], "against": ["cy"]}, present=["ada", "cy"]
    )  # 4.0 of 5.5M
    passes(r, "dgcl.216.2.majority_present")
    assert b.approvals().get("X-1").passed


# --- §242(b)(1): a majority of the outstanding stock, not of the votes cast ----------------------------------


def _amendment_meeting(b, **params):
    board(
        b,
        "B-A",
        CALLED,
        {"id": "R-A", "kind": "amend_charter", "params": params or {"authorized": {"common": 20_000_000}}},
    )
    meeting(
        b,
        "M-1",
        {"id": "A-1", "kind": "amend_charter", "params": {"resolution": "R-A"}},
        meeting_on=M,
        called_on=CALLED,
    )


def test_amendment_carried_by_a_majority_of_the_outstanding_stock(tmp_path):
    b = acme(tmp_path)
    _amendment_meeting(b)
    passes(
        _hold(b, "M-1", {"matter": "A-1", "for": ["ada", "cy"], "against": ["ben"]}),
        "dgcl.242.b.1.majority_outstanding",
    )
    passes(b.file_amendment(on=M, approved_by=["R-A", "A-1"]), "dgcl.242.b.procedure")
    assert b.charter.versions[-1].capital.cls("common").authorized == 20_000_000


def test_amendment_with_most_votes_cast_but_not_a_majority_outstanding_fails(tmp_path):
    b = acme(tmp_path)
    _amendment_meeting(b)
    # ada for (4,000,000), ben against (2,500,000), cy away: 62% of the votes cast, 50% of the outstanding
    r = _hold(b, "M-1", {"matter": "A-1", "for": ["ada"], "against": ["ben"]}, present=["ada", "ben"])
    f = fails(r, "dgcl.242.b.1.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    assert "8 Del. C. § 242(b)(1)" in f.cites
    assert not b.approvals().get("A-1").passed
    fails(b.file_amendment(on=M, approved_by=["R-A", "A-1"]), "dgcl.242.b.procedure", "MB-APPROVAL-FAILED")


def test_amendment_by_consent_needs_a_majority_of_the_outstanding_stock(tmp_path):
    b = acme(tmp_path)
    board(
        b,
        "B-A",
        CALLED,
        {"id": "R-A", "kind": "amend_charter", "params": {"authorized": {"common": 20_000_000}}},
    )
    m = {"kind": "amend_charter", "params": {"resolution": "R-A"}}
    r = b.written_consent("C-1", on=CALLED, matters=[{"id": "C-1-1", **m}], signatures=[sig("ada", CALLED)])
    fails(r, "dgcl.242.b.1.majority_outstanding", "MB-CONSENT-INSUFFICIENT")
    r = b.written_consent(
        "C-2", on=CALLED, matters=[{"id": "C-2-1", **m}], signatures=[sig("ada", CALLED), sig("cy", CALLED)]
    )
    passes(r, "dgcl.242.b.1.majority_outstanding")


# --- §271(a): an asset sale, a majority of the outstanding stock ---------------------------------------------


def test_asset_sale_needs_a_majority_of_the_outstanding_stock(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "S-1", "kind": "asset_sale"}, {"id": "S-2", "kind": "asset_sale"}, meeting_on=M)
    r = _hold(
        b,
        "M-1",
        {"matter": "S-1", "for": ["ada"], "against": ["cy"]},  # 4,000,000 of 8,000,000 outstanding
        {"matter": "S-2", "for": ["ada"], "against": ["cy"]},
        present=["ada", "cy"],
    )
    fails(r, "dgcl.271.a.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    b2 = acme(tmp_path / "b2")
    meeting(b2, "M-1", {"id": "S-1", "kind": "asset_sale"}, meeting_on=M)
    passes(
        _hold(b2, "M-1", {"matter": "S-1", "for": ["ada", "cy"], "against": ["ben"]}),
        "dgcl.271.a.majority_outstanding",
    )


def test_asset_sale_under_auxer_article_eighth_cites_the_charter(tmp_path):
    b = auxer(tmp_path)
    m = date(1998, 4, 15)
    meeting(b, "M-1", {"id": "S-1", "kind": "asset_sale"}, meeting_on=m)
    r = b.hold_meeting(
        "M-1",
        on=m,
        present=["eugene", "bob"],
        votes=[{"matter": "S-1", "for": ["eugene"], "against": ["bob"]}],
    )
    f = fails(r, "dgcl.271.a.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    assert any("EIGHTH" in c for c in f.cites)  # 20,000,000 of 45,000,000: the charter's clause and §271


# --- §242(b)(2): class votes ---------------------------------------------------------------------------------


def _with_preferred(b, on=date(2010, 2, 1)):
    """A venture fund holding 1,000,000 preferred shares (voting, one vote each: §212(a))."""
    board(b, "B-P", on, {"id": "R-P", "kind": "issue_shares", "params": {"class_key": "preferred"}})
    ok(b.add_holder("vc", "VC Fund", on=on, kind="institution"))
    ok(b.issue("vc", "preferred", 1_000_000, on=on, price_per_share=1, approved_by="R-P"))
    return b


def test_class_vote_required_when_a_class_authorized_shares_change(tmp_path):
    b = _with_preferred(acme(tmp_path))
    _amendment_meeting(b, authorized={"preferred": 6_000_000})
    # all of the common (8,000,000 of 9,000,000) for, the preferred against: the class vote fails
    r = _hold(b, "M-1", {"matter": "A-1", "for": EVERYONE, "against": ["vc"]}, present=[*EVERYONE, "vc"])
    f = fails(r, "dgcl.242.b.2.class_vote", "MB-CLASS-VOTE-FAILED", refused=False, severity="warning")
    assert "8 Del. C. § 242(b)(2)" in f.cites
    assert not b.approvals().get("A-1").passed
    fails(b.file_amendment(on=M, approved_by=["R-A", "A-1"]), "dgcl.242.b.procedure", "MB-APPROVAL-FAILED")


def test_class_vote_carried(tmp_path):
    b = _with_preferred(acme(tmp_path))
    _amendment_meeting(b, authorized={"preferred": 6_000_000})
    r = _hold(
        b, "M-1", {"matter": "A-1", "for": ["ada", "ben", "vc"], "against": ["cy"]}, present=[*EVERYONE, "vc"]
    )
    passes(r, "dgcl.242.b.2.class_vote")
    assert b.approvals().get("A-1").class_votes == ("preferred",)
    passes(b.file_amendment(on=M, approved_by=["R-A", "A-1"]), "dgcl.242.b.2.class_vote")


def test_class_vote_missing_when_the_approval_did_not_take_it(tmp_path):
    b = _with_preferred(acme(tmp_path))
    board(
        b,
        "B-A",
        CALLED,
        {"id": "R-A", "kind": "amend_charter", "params": {"authorized": {"preferred": 6_000_000}}},
    )
    # a consent on "an amendment" that does not say which: the preferred class was never asked
    ok(
        b.written_consent(
            "C-1",
            on=CALLED,
            matters=[{"id": "C-1-1", "kind": "amend_charter"}],
            signatures=[sig("ada", CALLED), sig("ben", CALLED)],
        )
    )
    r = b.file_amendment(on=CALLED, approved_by=["R-A", "C-1-1"])
    fails(r, "dgcl.242.b.procedure", "MB-CLASS-VOTE-MISSING")
    # with the class asked: a consent of the common alone is insufficient, with the preferred it carries
    m = {"kind": "amend_charter", "params": {"resolution": "R-A"}}
    r = b.written_consent(
        "C-2", on=CALLED, matters=[{"id": "C-2-1", **m}], signatures=[sig("ada", CALLED), sig("ben", CALLED)]
    )
    fails(r, "dgcl.242.b.2.class_vote", "MB-CONSENT-INSUFFICIENT")
    signed = [sig("ada", CALLED), sig("ben", CALLED), sig("vc", CALLED)]
    passes(
        b.written_consent("C-3", on=CALLED, matters=[{"id": "C-3-1", **m}], signatures=signed),
        "dgcl.242.b.2.class_vote",
    )
    passes(b.file_amendment(on=CALLED, approved_by=["R-A", "C-3-1"]), "dgcl.242.b.procedure")


def _auxer_amendment_vote(b, params: dict, present: list[str], against: list[str]):
    """The Auxer board proposes `params` on 1999-01-15 and the stockholders vote at a special meeting on
    1999-03-19: eugene and alice for, `against` against."""
    board(b, "B-A", date(1999, 1, 15), {"id": "R-A", "kind": "amend_charter", "params": params})
    meeting(
        b,
        "M-1",
        {"id": "A-1", "kind": "amend_charter", "params": {"resolution": "R-A"}},
        meeting_on=date(1999, 3, 19),
        called_on=date(1999, 1, 15),
    )
    votes = [{"matter": "A-1", "for": ["eugene", "alice"], "against": against}]
    return b.hold_meeting("M-1", on=date(1999, 3, 19), present=present, votes=votes)


def test_auxer_carve_out_reaches_only_classes_denied_voting_power(tmp_path):
    b = auxer(tmp_path)
    carve = [p for p in b.charter.versions[-1].provisions if p.kind == "class_vote_carve_out"]
    assert carve and carve[0].article == "EIGHTH"
    _with_preferred(b, on=date(1998, 1, 5))
    # Art. EIGHTH(3) takes the vote on authorized shares only from a class "denied voting power"; this
    # preferred votes (one vote a share, §212(a)), so it still votes as a class under §242(b)(2) — and fails
    params = {"authorized": {"common": 150_000_000, "preferred": 30_000_000}}
    r = _auxer_amendment_vote(b, params, ["eugene", "alice", "bob", "vc"], ["bob", "vc"])
    fails(r, "dgcl.242.b.2.class_vote", "MB-CLASS-VOTE-FAILED", refused=False, severity="warning")
    assert not b.approvals().get("A-1").passed


def test_no_class_vote_for_a_class_without_outstanding_shares_under_auxer(tmp_path):
    b = auxer(tmp_path)  # no preferred outstanding: only the common votes, and it carries the amendment
    r = _auxer_amendment_vote(b, {"authorized": {"common": 150_000_000}}, ["eugene", "alice", "bob"], ["bob"])
    passes(r, "dgcl.242.b.2.class_vote")
    passes(b.file_amendment(on=date(1999, 3, 19), approved_by=["R-A", "A-1"]), "dgcl.242.b.2.class_vote")


def test_class_vote_on_a_par_change_even_under_auxer_carve_out(tmp_path):
    # the carve-out reaches only a change in the number of authorized shares, not the par value
    b = _with_preferred(auxer(tmp_path), on=date(1998, 1, 5))
    r = _auxer_amendment_vote(
        b, {"par": {"preferred": "0.01"}}, ["eugene", "alice", "bob", "vc"], ["bob", "vc"]
    )
    fails(r, "dgcl.242.b.2.class_vote", "MB-CLASS-VOTE-FAILED", refused=False, severity="warning")


# --- §160(c): treasury shares do not vote; §212(a): votes per share -------------------------------------------


def test_treasury_shares_do_not_vote_or_count_for_quorum(tmp_path):
    assert registry.get("dgcl.160.c.treasury_no_vote").source == "minutebook.core.votes:electorate"
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(
        b, "M-1", {"matter": "X-1", "for": ["ben", "cy"]}, present=["ben", "cy"]
    )  # 4,000,000 of 8,000,000
    fails(r, "dgcl.216.quorum_and_votes", "MB-MEETING-NO-QUORUM")
    # the corporation buys back 2,000,000 of ada's shares before the record date: 6,000,000 outstanding
    b2 = acme(tmp_path / "b2")
    board(b2, "B-BUY", date(2011, 2, 1), {"id": "R-BUY", "kind": "general"})  # §160: the board buys
    ok(b2.repurchase("ada", "common", 2_000_000, on=date(2011, 2, 1), price_per_share=P, approved_by="R-BUY"))
    el = electorate(b2.state(date(2011, 3, 16)), date(2011, 3, 16))
    assert el.shares["common"] == 6_000_000 and el.total() == 6_000_000
    meeting(b2, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(
        b2, "M-1", {"matter": "X-1", "for": ["ben", "cy"]}, present=["ben", "cy"]
    )  # 4,000,000 of 6,000,000
    passes(r, "dgcl.216.quorum_and_votes")
    assert b2.approvals().get("X-1").passed


def test_treasury_shares_cannot_be_voted(tmp_path):
    b = acme(tmp_path)
    board(b, "B-BUY", date(2011, 2, 1), {"id": "R-BUY", "kind": "general"})  # §160: the board buys
    ok(b.repurchase("ada", "common", 2_000_000, on=date(2011, 2, 1), price_per_share=P, approved_by="R-BUY"))
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    with pytest.raises(InputError, match="only 6,000,000 common shares were outstanding"):
        b.hold_meeting(
            "M-1",
            on=M,
            present_shares={"common": 6_500_000},
            votes=[{"matter": "X-1", "for": {"common": 6_500_000}}],
        )


def test_only_shares_held_in_treasury_are_resold_from_it(tmp_path):
    # §160 (a ledger rule, untagged): the 2,000,000 bought back may be resold, not one more
    b = acme(tmp_path)
    board(b, "B-BUY", date(2011, 2, 1), {"id": "R-BUY", "kind": "general"})  # §160: the board buys
    ok(b.repurchase("ada", "common", 2_000_000, on=date(2011, 2, 1), price_per_share=P, approved_by="R-BUY"))
    board(b, "B-T", date(2011, 2, 2), {"id": "R-T", "kind": "issue_shares"})
    r = b.issue(
        "ben",
        "common",
        2_000_001,
        on=date(2011, 2, 2),
        price_per_share=P,
        from_treasury=True,
        approved_by="R-T",
    )
    assert r.refused and "MB-TREASURY-SHORT" in {c for _, c in tagged(r)}
    ok(
        b.issue(
            "ben",
            "common",
            2_000_000,
            on=date(2011, 2, 2),
            price_per_share=P,
            from_treasury=True,
            approved_by="R-T",
        )
    )


def _dual(tmp_path):
    b = new_book(tmp_path, DUAL_CLASS)
    ok(b.elect_directors(["ada"], on=date(2010, 1, 5), by="incorporator"))
    board(b, "B-1", date(2010, 1, 5), {"id": "R-1", "kind": "issue_shares"})
    for h, cls, n in (
        ("fo", "class_b_common", 1_000_000),
        ("ada", "class_a_common", 4_000_000),
        ("ben", "class_a_common", 2_000_000),
    ):
        ok(b.add_holder(h, h.title(), on=date(2010, 1, 6)))
        ok(b.issue(h, cls, n, on=date(2010, 1, 6), price_per_share=P, approved_by="R-1"))
    return b


def test_votes_per_share_from_the_charter(tmp_path):
    b = _dual(tmp_path)
    v = b.charter.versions[-1].capital
    assert (v.cls("class_a_common").votes_per_share, v.cls("class_b_common").votes_per_share) == (1, 10)
    _amendment_meeting(b, name="Brisk Dual Holdings, Inc.")
    # the founder's 1,000,000 Class B shares carry 10,000,000 of the 16,000,000 votes
    r = b.hold_meeting(
        "M-1",
        on=M,
        present=["fo", "ada", "ben"],
        votes=[{"matter": "A-1", "for": ["fo"], "against": ["ada", "ben"]}],
    )
    passes(r, "dgcl.242.b.1.majority_outstanding")
    assert b.approvals().get("A-1").passed


def test_one_vote_per_share_by_default(tmp_path):
    b = acme(tmp_path, holders=(("fo", 1_000_000), ("ada", 4_000_000), ("ben", 2_000_000)))
    assert b.charter.versions[-1].capital.cls("common").votes_per_share is None  # the statute's default
    _amendment_meeting(b, name="Acme Holdings, Inc.")
    r = b.hold_meeting(
        "M-1",
        on=M,
        present=["fo", "ada", "ben"],
        votes=[{"matter": "A-1", "for": ["fo"], "against": ["ada", "ben"]}],
    )
    fails(r, "dgcl.242.b.1.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")


# --- §216(3): plurality; §211(e): written ballot ------------------------------------------------------------


def test_directors_elected_by_a_plurality(tmp_path):
    b = acme(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "E-1", "kind": "elect_directors", "params": {"seats": 2}},
        meeting_on=M,
        kind="annual",
    )
    votes = {"dee": {"common": 3_000_000}, "eve": {"common": 2_600_000}, "fay": {"common": 2_400_000}}
    passes(_hold(b, "M-1", {"matter": "E-1", "for": votes}), "dgcl.216.3.plurality")
    out = b.approvals().get("E-1")
    assert out.passed and out.params["elected"] == ["dee", "eve"]  # 37.5% and 32.5% of those present elect


def test_election_with_no_votes_elects_no_one(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "E-1", "kind": "elect_directors"}, meeting_on=M, kind="annual")
    r = _hold(b, "M-1", {"matter": "E-1", "for": {"dee": []}, "abstain": EVERYONE})
    fails(r, "dgcl.216.3.plurality", "MB-VOTE-FAILED", refused=False, severity="warning")


def test_election_without_a_written_ballot(tmp_path):
    b = acme(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "E-1", "kind": "elect_directors"},
        {"id": "E-2", "kind": "elect_directors"},
        meeting_on=M,
        kind="annual",
    )
    r = _hold(
        b,
        "M-1",
        {"matter": "E-1", "for": {"dee": ["ada"]}, "ballot": "voice"},
        {"matter": "E-2", "for": {"eve": ["ada"]}},  # by written ballot (the default)
    )
    fails(r, "dgcl.211.e.written_ballot", "MB-ELECTION-NOT-BY-BALLOT", refused=False, severity="warning")
    assert len([x for x in r.findings if x.code == "MB-ELECTION-NOT-BY-BALLOT"]) == 1


def test_no_written_ballot_under_auxer_article_eighth(tmp_path):
    b = auxer(tmp_path)
    m = date(1998, 4, 15)
    meeting(b, "M-1", {"id": "E-1", "kind": "elect_directors"}, meeting_on=m, kind="annual")
    r = b.hold_meeting(
        "M-1",
        on=m,
        present=["eugene", "alice"],
        votes=[{"matter": "E-1", "for": {"jane": ["eugene", "alice"]}, "ballot": "voice"}],
    )
    passes(r, "dgcl.211.e.written_ballot")


# --- §102(b)(2): Auxer Art. SEVENTH's compromise test ---------------------------------------------------------


def test_compromise_needs_a_majority_in_number_and_three_fourths_in_value(tmp_path):
    b = auxer(tmp_path)
    for h in ("dan", "erin"):
        ok(b.add_holder(h, h.title(), on=date(1998, 1, 5)))
        ok(b.issue(h, "common", 100, on=date(1998, 1, 5), price_per_share=P, approved_by="R-1997-3"))
    m = date(1998, 4, 15)
    meeting(b, "M-1", *({"id": f"K-{i}", "kind": "compromise"} for i in (1, 2, 3)), meeting_on=m)
    everyone = ["eugene", "alice", "bob", "dan", "erin"]
    r = b.hold_meeting(
        "M-1",
        on=m,
        present=everyone,
        votes=[
            # 3 of 5 holders, 35,000,100 of 45,000,200 shares (77.8%): both tests met
            {"matter": "K-1", "for": ["eugene", "alice", "dan"], "against": ["bob", "erin"]},
            # 2 of 5 holders, 77.8% in value: the value test met, not the headcount
            {"matter": "K-2", "for": ["eugene", "alice"], "against": ["bob", "dan", "erin"]},
            # 3 of 5 holders, 10,000,200 shares (22.2%): the headcount met, not the value
            {"matter": "K-3", "for": ["bob", "dan", "erin"], "against": ["eugene", "alice"]},
        ],
    )
    fails(r, "dgcl.102.b.2.compromise", "MB-VOTE-FAILED", refused=False, severity="warning")
    a = b.approvals()
    assert (a.get("K-1").passed, a.get("K-2").passed, a.get("K-3").passed) == (True, False, False)
    b2 = auxer(tmp_path / "b2")
    meeting(b2, "M-1", {"id": "K-1", "kind": "compromise"}, meeting_on=m)
    r = b2.hold_meeting(
        "M-1",
        on=m,
        present=["eugene", "alice", "bob"],
        votes=[{"matter": "K-1", "for": ["eugene", "alice"], "against": ["bob"]}],
    )
    passes(r, "dgcl.102.b.2.compromise")


# --- §228: written consent of stockholders -------------------------------------------------------------------


def _consent(b, cid, *signatures, on=CALLED, kind="ordinary", **kw):
    return b.written_consent(
        cid, on=on, matters=[{"id": f"{cid}-1", "kind": kind}], signatures=list(signatures), **kw
    )


def test_consent_signed_by_holders_of_a_majority(tmp_path):
    b = acme(tmp_path)
    passes(_consent(b, "C-1", sig("ada", "2011-02-20"), sig("cy", CALLED)), "dgcl.228.a.consent_sufficient")
    assert b.approvals().get("C-1-1").passed


def test_consent_signed_by_too_few_is_refused_and_in_history_kept(tmp_path):
    b = acme(tmp_path)
    r = _consent(b, "C-1", sig("ben", CALLED), sig("cy", CALLED))  # 4,000,000 of 8,000,000
    fails(r, "dgcl.228.a.consent_sufficient", "MB-CONSENT-INSUFFICIENT")
    r = _consent(b, "C-1", sig("ben", CALLED), sig("cy", CALLED), historical=True)
    kept(r, "dgcl.228.a.consent_sufficient", "MB-CONSENT-INSUFFICIENT")
    assert not b.approvals().get("C-1-1").passed


def test_consent_forbidden_by_the_charter(tmp_path):
    b = acme(tmp_path, extra=NO_CONSENT)
    assert any(p.kind == "no_written_consent" for p in b.charter.versions[-1].provisions)
    everyone = [sig(h, CALLED) for h in EVERYONE]
    f = fails(_consent(b, "C-1", *everyone), "dgcl.228.a.consent_sufficient", "MB-CONSENT-FORBIDDEN")
    assert any(c.startswith("Art. SIXTH") for c in f.cites)
    kept(
        _consent(b, "C-1", *everyone, historical=True),
        "dgcl.228.a.consent_sufficient",
        "MB-CONSENT-FORBIDDEN",
    )
    assert not b.approvals().get("C-1-1").passed
    passes(_consent(acme(tmp_path / "b2"), "C-1", *everyone), "dgcl.228.a.consent_sufficient")


def test_consent_signatures_60_days_after_the_first_do_not_count(tmp_path):
    b = acme(tmp_path)
    # cy signs first; ada signs 61 days later: only cy counts (1,500,000 of 8,000,000)
    r = _consent(b, "C-1", sig("cy", "2011-01-01"), sig("ada", "2011-03-03"), on=date(2011, 3, 3))
    fails(r, "dgcl.228.c.sixty_days", "MB-CONSENT-STALE", severity="warning")  # refused: too few count
    assert ("dgcl.228.a.consent_sufficient", "MB-CONSENT-INSUFFICIENT") in tagged(r)


def test_consent_signature_on_the_60th_day_counts(tmp_path):
    b = acme(tmp_path)
    passes(
        _consent(b, "C-1", sig("cy", "2011-01-01"), sig("ada", "2011-03-02"), on=date(2011, 3, 2)),
        "dgcl.228.c.sixty_days",
    )


def test_stale_signature_beside_enough_timely_ones(tmp_path):
    b = acme(tmp_path)
    r = _consent(
        b,
        "C-1",
        sig("ada", "2011-01-01"),
        sig("cy", "2011-01-02"),
        sig("ben", "2011-03-05"),
        on=date(2011, 3, 5),
    )
    kept(r, "dgcl.228.c.sixty_days", "MB-CONSENT-STALE")
    assert b.approvals().get("C-1-1").passed


def test_prompt_notice_to_those_who_did_not_consent(tmp_path):
    # the rule judges the whole book (`check`), not one act
    b = acme(tmp_path)
    ok(_consent(b, "C-1", sig("ada", CALLED), sig("cy", CALLED)))
    ok(_consent(b, "C-2", *(sig(h, CALLED) for h in EVERYONE)))  # unanimous: no one to notify
    f = listed(b, "dgcl.228.e.prompt_notice", "MB-CONSENT-NOTICE-MISSING")
    assert dict(f.data)["event"] == b.approvals().get("C-1-1").seq
    assert len([x for x in b.check() if x.code == "MB-CONSENT-NOTICE-MISSING"]) == 1
    ok(b.send_consent_notice("C-1", on=date(2011, 3, 3)))
    unlisted(b, "dgcl.228.e.prompt_notice")


# --- §211(b): directors elected by consent only unanimously --------------------------------------------------


def test_directors_elected_by_consent_only_unanimously(tmp_path):
    b = acme(tmp_path)
    r = _consent(b, "C-1", sig("ada", CALLED), sig("ben", CALLED), kind="elect_directors")
    fails(r, "dgcl.211.b.unanimous", "MB-CONSENT-INSUFFICIENT")
    passes(
        _consent(b, "C-1", *(sig(h, CALLED) for h in EVERYONE), kind="elect_directors"),
        "dgcl.211.b.unanimous",
    )


def test_less_than_unanimous_consent_elects_directors_when_not_in_lieu_of_the_annual_meeting(tmp_path):
    b = acme(tmp_path)  # ada and ben hold 6,500,000 of the 8,000,000 common: a majority, not everyone
    majority = [sig(h, CALLED) for h in ("ada", "ben")]
    r = b.written_consent(
        "C-1",
        on=CALLED,
        matters=[{"id": "C-1-1", "kind": "elect_directors", "params": {"in_lieu_of_annual": False}}],
        signatures=majority,
    )
    passes(r, "dgcl.211.b.unanimous")
    assert b.approvals().get("C-1-1").passed


def test_the_directors_a_meeting_elects_take_office_with_it(tmp_path):
    b = acme(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "E-1", "kind": "elect_directors", "params": {"seats": 1}},
        meeting_on=M,
        kind="annual",
    )
    r = _hold(b, "M-1", {"matter": "E-1", "for": {"dot": ["ben"], "eve": ["ada"]}})  # 2,500,000 to 4,000,000
    passes(r, "dgcl.216.quorum_and_votes")
    assert [e.body.directors for e in r.more] == [("eve",)]  # the plurality's winner, seated by the same act
    assert "eve" in {d.id for d in b.directors()} and "dot" not in {d.id for d in b.directors()}
    assert b.events[-1].body.approved_by == "E-1"


def test_the_directors_a_unanimous_consent_elects_take_office_with_it(tmp_path):
    b = acme(tmp_path)
    r = b.written_consent(
        "C-E",
        on=CALLED,
        matters=[
            {
                "id": "C-E-1",
                "kind": "elect_directors",
                "params": {"nominees": ["zed"], "names": {"zed": "Zed"}},
            }
        ],
        signatures=[sig(h, CALLED) for h in EVERYONE],
    )
    passes(r, "dgcl.211.b.unanimous")
    assert [e.body.directors for e in r.more] == [("zed",)]
    assert {d.id: d.name for d in b.directors()}["zed"] == "Zed"
    # a consent short of unanimity (in lieu of the annual meeting) seats no one
    r = b.written_consent(
        "C-F",
        on=CALLED,
        matters=[{"id": "C-F-1", "kind": "elect_directors", "params": {"nominees": ["yan"]}}],
        signatures=[sig("ada", CALLED)],
    )
    fails(r, "dgcl.211.b.unanimous", "MB-CONSENT-INSUFFICIENT")
    assert "yan" not in {d.id for d in b.directors()}


def test_a_tie_for_the_last_seat_elects_no_one_to_it(tmp_path):
    b = acme(tmp_path)
    meeting(
        b,
        "M-1",
        {"id": "E-1", "kind": "elect_directors", "params": {"seats": 1}},
        meeting_on=M,
        kind="annual",
    )
    r = _hold(b, "M-1", {"matter": "E-1", "for": {"dot": ["ben", "cy"], "eve": ["ada"]}})  # 4,000,000 each
    kept(r, "dgcl.216.3.plurality", "MB-ELECTION-TIE")
    assert r.more == () and not {"dot", "eve"} & {d.id for d in b.directors()}


def test_a_meeting_is_judged_by_the_bylaws_of_its_day(tmp_path):
    b = acme(tmp_path)
    meeting(b, "M-1", {"id": "X-1"}, meeting_on=M)
    r = _hold(b, "M-1", {"matter": "X-1", "for": ["ben", "cy"]}, present=["ben", "cy"], historical=True)
    kept(r, "dgcl.216.quorum_and_votes", "MB-MEETING-NO-QUORUM", severity="error")  # 4,000,000 of 8,000,000
    passes(_quorum_bylaw(b, "one-third", on=date(2011, 6, 1)), "dgcl.216.quorum_floor")  # adopted afterwards
    assert not b.approvals().get("X-1").passed  # a later bylaw does not make the earlier meeting quorate
