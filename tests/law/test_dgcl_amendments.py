"""DGCL rules on amending the charter (§§241, 242(b), 242(d)(1), reductions below the outstanding shares)
and on preferred stock: who may fix a series' terms (§§102(a)(4), 151(a)), the Auxer 1999 grant to the
President, and designations by the board under its grant (§151(g)). A passing and a failing case for each,
asserting on the finding code and the rule's id. Helpers: dgcl_kit.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from dgcl_kit import (
    DUAL_CLASS,
    P,
    acme,
    auxer,
    board,
    fails,
    kept,
    listed,
    new_book,
    ok,
    passes,
    sig,
    tagged,
    unlisted,
)

from minutebook.core.errors import InputError

D = date(2011, 3, 1)
EVERYONE = ["ada", "ben", "cy"]


def _resolution(b, on=D, rid="R-A", **params):
    board(b, f"B-{rid}", on, {"id": rid, "kind": "amend_charter", "params": params})


def _consent(b, cid="C-1", on=D, resolution="R-A", signers=("ada", "ben")):
    m = [{"id": f"{cid}-1", "kind": "amend_charter", "params": {"resolution": resolution}}]
    return ok(b.written_consent(cid, on=on, matters=m, signatures=[sig(s, on) for s in signers]))


# --- §241: before any payment for stock ---------------------------------------------------------------------


def test_241_amendment_before_payment_by_the_board(tmp_path):
    b = new_book(tmp_path)
    ok(b.elect_directors(["ada", "ben"], on=date(2010, 1, 5), by="incorporator"))
    _resolution(b, on=date(2010, 1, 5), authorized={"common": 12_000_000})
    r = b.file_amendment(on=date(2010, 1, 5), approved_by=["R-A"], statute="241")
    passes(r, "dgcl.242.b.procedure")
    assert (
        len(b.charter.versions) == 2 and b.charter.versions[-1].capital.cls("common").authorized == 12_000_000
    )


def test_241_amendment_before_payment_by_the_incorporators(tmp_path):
    b = new_book(tmp_path)  # no director yet: the incorporators adopt it (§§ 107, 241)
    m = [{"id": "I-1-1", "kind": "amend_charter"}]
    ok(
        b.written_consent(
            "I-1", on=date(2010, 1, 5), by="incorporators", matters=m, signatures=[sig("ada", "2010-01-05")]
        )
    )
    r = b.file_amendment(
        on=date(2010, 1, 5), approved_by=["I-1-1"], statute="241", authorized={"common": 12_000_000}
    )
    passes(r, "dgcl.242.b.procedure")


def test_241_amendment_without_its_adoption_is_refused(tmp_path):
    b = new_book(tmp_path)
    r = b.file_amendment(on=date(2010, 1, 5), statute="241", authorized={"common": 12_000_000})
    fails(r, "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")


def test_241_amendment_after_payment_is_refused_and_in_history_kept_with_its_cure(tmp_path):
    b = acme(tmp_path)  # 8,000,000 common shares paid for on 2010-01-06
    _resolution(b, on=date(2010, 2, 1), authorized={"common": 12_000_000})
    r = b.file_amendment(on=date(2010, 2, 1), approved_by=["R-A"], statute="241")
    f = fails(r, "dgcl.242.b.procedure", "MB-241-AFTER-PAYMENT")
    assert "8 Del. C. § 241(a)" in f.cites
    r = b.file_amendment(on=date(2010, 2, 1), approved_by=["R-A"], statute="241", historical=True)
    f = kept(r, "dgcl.242.b.procedure", "MB-241-AFTER-PAYMENT")
    assert "§242" in dict(f.data)["cure"]


def test_auxer_241_amendment_is_noted_as_having_no_recorded_adoption(tmp_path):
    b = auxer(tmp_path, seed=False)
    f = listed(b, "dgcl.242.b.procedure", "MB-APPROVAL-NOT-RECORDED", severity="info")
    assert dict(f.data)["date"] == "1997-08-28"
    assert "MB-241-AFTER-PAYMENT" not in {c for _, c in tagged(b.check())}


# --- §242(b): board resolution, stockholder approval, certificate ------------------------------------------


def test_242_amendment_with_resolution_and_approval(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"common": 20_000_000})
    _consent(b)
    passes(b.file_amendment(on=D, approved_by=["R-A", "C-1-1"]), "dgcl.242.b.procedure")
    v = b.charter.versions[-1]
    assert (v.effective_on, v.capital.cls("common").authorized, v.statute) == (D, 20_000_000, "242")
    unlisted(b, "dgcl.242.b.procedure")


def test_242_amendment_without_a_board_resolution_is_refused(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"common": 20_000_000})
    _consent(b)
    r = b.file_amendment(on=D, approved_by=["C-1-1"], authorized={"common": 20_000_000})
    f = fails(r, "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")
    assert "8 Del. C. § 242(b)(1)" in f.cites


def test_242_amendment_without_stockholder_approval_is_refused_and_in_history_kept(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"common": 20_000_000})
    n = len(b.events)
    fails(b.file_amendment(on=D, approved_by=["R-A"]), "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")
    assert len(b.events) == n and len(b.charter.versions) == 1
    f = kept(
        b.file_amendment(on=D, approved_by=["R-A"], historical=True),
        "dgcl.242.b.procedure",
        "MB-APPROVAL-MISSING",
    )
    assert "204" in dict(f.data)["cure"]  # §204 ratification
    listed(b, "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")


def test_242_amendment_naming_an_unknown_approval_is_refused(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"common": 20_000_000})
    _consent(b)
    r = b.file_amendment(on=D, approved_by=["R-A", "C-1-1", "R-404"])
    fails(r, "dgcl.242.b.procedure", "MB-APPROVAL-UNKNOWN")


def test_242_certificate_differing_from_what_was_approved_is_refused(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"common": 20_000_000})
    _consent(b)
    r = b.file_amendment(on=D, approved_by=["R-A", "C-1-1"], authorized={"common": 30_000_000})
    fails(r, "dgcl.242.b.procedure", "MB-AMENDMENT-DIFFERS")


def test_242_approval_by_incorporators_after_directors_are_elected_is_the_wrong_body(tmp_path):
    b = acme(tmp_path)
    _resolution(b, authorized={"preferred": 6_000_000})  # no preferred outstanding: no class vote
    m = [{"id": "I-1-1", "kind": "amend_charter"}]
    with pytest.raises(InputError, match="mallory not among the incorporators"):  # a stranger signs
        b.written_consent("I-0", on=D, by="incorporators", matters=m, signatures=[sig("mallory", D)])
    ok(b.written_consent("I-1", on=D, by="incorporators", matters=m, signatures=[sig("ada", D)]))
    fails(
        b.file_amendment(on=D, approved_by=["R-A", "I-1-1"]), "dgcl.242.b.procedure", "MB-APPROVAL-WRONG-BODY"
    )


# --- §242(d)(1): a forward split of the only class outstanding, from 1 August 2023 ---------------------------


def _split(tmp_path, on, **params):
    b = acme(tmp_path)
    _resolution(b, on=on, **params)
    return b.file_amendment(on=on, approved_by=["R-A"])


def test_242d_forward_split_with_proportionate_increase_needs_no_vote(tmp_path):
    for on in (date(2023, 8, 1), date(2024, 1, 10)):
        r = _split(tmp_path / on.isoformat(), on, split="2:1", authorized={"common": 20_000_000})
        # filed on the board's resolution alone, with a note of the section that allows it
        f = fails(r, "dgcl.242.b.procedure", "MB-242D-NO-VOTE", refused=False, severity="info")
        assert "8 Del. C. § 242(d)(1)" in f.cites and tagged(r) == {
            ("dgcl.242.b.procedure", "MB-242D-NO-VOTE")
        }
        assert _filed_common_authorized(r) == 20_000_000


def _filed_common_authorized(r) -> int:
    return next(c["authorized"] for c in r.event.body.charter["capital"]["classes"] if c["key"] == "common")


def test_242d_forward_split_before_august_2023_needs_the_vote(tmp_path):
    r = _split(tmp_path, date(2023, 7, 31), split="2:1", authorized={"common": 20_000_000})
    fails(r, "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")


def test_242d_does_not_reach_what_is_not_a_proportionate_forward_split(tmp_path):
    on = date(2024, 1, 10)
    cases = {
        "more than proportionate": dict(split="2:1", authorized={"common": 30_000_000}),
        "reverse split": dict(split="1-for-2", authorized={"common": 10_000_001}),
        "another article too": dict(
            split="2:1", authorized={"common": 20_000_000}, articles={"SIXTH": "No preemptive rights."}
        ),
        "the name too": dict(split="2:1", authorized={"common": 20_000_000}, name="Acme Split, Inc."),
    }
    for i, (why, params) in enumerate(cases.items()):
        r = _split(tmp_path / str(i), on, **params)
        assert r.refused and ("dgcl.242.b.procedure", "MB-APPROVAL-MISSING") in tagged(r), why
        assert "MB-242D-NO-VOTE" not in {c for _, c in tagged(r)}, why


def test_242d_needs_a_single_class_outstanding(tmp_path):
    b = acme(tmp_path)
    board(
        b,
        "B-P",
        date(2012, 1, 5),
        {"id": "R-P", "kind": "issue_shares", "params": {"class_key": "preferred"}},
    )
    ok(b.add_holder("vc", "VC", on=date(2012, 1, 5)))
    ok(b.issue("vc", "preferred", 10, on=date(2012, 1, 5), price_per_share=1, approved_by="R-P"))
    _resolution(b, on=date(2024, 1, 10), split="2:1", authorized={"common": 20_000_000})
    fails(
        b.file_amendment(on=date(2024, 1, 10), approved_by=["R-A"]),
        "dgcl.242.b.procedure",
        "MB-APPROVAL-MISSING",
    )


# --- reducing authorized shares below those outstanding ------------------------------------------------------


def test_reducing_authorized_shares_below_the_outstanding_is_refused(tmp_path):
    b = acme(tmp_path)  # 8,000,000 common outstanding
    _resolution(b, authorized={"common": 7_999_999})
    _consent(b)
    r = b.file_amendment(on=D, approved_by=["R-A", "C-1-1"])
    assert r.refused and "MB-ISSUE-EXCEEDS-AUTHORIZED" in {c for _, c in tagged(r)}  # §161 (the ledger rule)
    _resolution(b, rid="R-B", authorized={"common": 8_000_000})
    _consent(b, "C-2", resolution="R-B")
    passes(b.file_amendment(on=D, approved_by=["R-B", "C-2-1"]), "dgcl.242.b.procedure")


# --- §102(a)(4), §151(a): the blank-check grant runs to the board -------------------------------------------


def test_auxer_1999_grant_to_the_president_is_listed_with_its_cures(tmp_path):
    b = auxer(tmp_path, until=None, seed=False)
    assert b.charter.versions[-1].capital.blank_check_holder == "the President"
    f = listed(b, "dgcl.102.a.4.blank_check_to_board", "MB-BLANK-CHECK-DEFECTIVE")
    cure = dict(f.data)["cure"]
    # no series was designated under the grant, so no act is defective yet: the cure is a §242 amendment
    # restoring the power to the board; §204 only once a series has been designated under it
    assert cure.index("§242") < cure.index("§204") and "once one has been designated" in cure
    assert "no act is defective yet" in f.message
    assert "8 Del. C. § 102(a)(4)" in f.cites and any(c.startswith("Art. FOURTH") for c in f.cites)
    assert dict(f.data)["date"] == "1999-03-19"


def test_auxer_before_1999_grants_the_board(tmp_path):
    b = auxer(tmp_path, seed=False)  # 1997 and the §241 amendment: "the board of directors"
    unlisted(b, "dgcl.102.a.4.blank_check_to_board")


def test_amendment_granting_an_officer_the_blank_check_is_reported(tmp_path):
    b = acme(tmp_path)
    text = (
        "The total number of shares of stock which the Corporation shall have authority to issue is 15,000,000, "
        "consisting of 10,000,000 shares of Common Stock, par value $0.001 per share, and 5,000,000 shares of "
        "Preferred Stock, par value $0.001 per share. The President of the Corporation is hereby granted the power "
        "to determine by resolution the powers, preferences and rights of the Preferred Stock."
    )
    _resolution(b, articles={"FOURTH": text})
    _consent(b)
    r = b.file_amendment(on=D, approved_by=["R-A", "C-1-1"])
    fails(
        r, "dgcl.102.a.4.blank_check_to_board", "MB-BLANK-CHECK-DEFECTIVE", refused=False, severity="warning"
    )
    assert b.charter.versions[-1].capital.blank_check_holder == "the President"


# --- §151(a), (g): designation of a series by the board -----------------------------------------------------


def _designate(b, on, approved_by="R-D", series="series_a", **kw):
    return b.designate_series(
        "preferred", series, series.replace("_", " ").title(), 1_000_000, on=on, approved_by=approved_by, **kw
    )


def test_designation_by_board_resolution_under_the_boards_grant(tmp_path):
    b = auxer(tmp_path)  # before 1999: the grant runs to the board
    board(b, "B-D", date(1998, 1, 10), {"id": "R-D", "kind": "designate_series"})
    passes(_designate(b, date(1998, 1, 10)), "dgcl.151.a.designation_by_board")
    assert [s.key for s in b.state().version.capital.cls("preferred").series] == ["series_a"]


def test_designation_under_the_presidents_grant_is_refused_and_in_history_a_defect(tmp_path):
    b = auxer(tmp_path, until=None)
    board(b, "B-D", date(2000, 1, 10), {"id": "R-D", "kind": "designate_series"})
    f = fails(_designate(b, date(2000, 1, 10)), "dgcl.151.a.designation_by_board", "MB-BLANK-CHECK-DEFECTIVE")
    assert any(c.startswith("Art. FOURTH, as in force from 1999-03-19") for c in f.cites)
    f = kept(
        _designate(b, date(2000, 1, 10), historical=True),
        "dgcl.151.a.designation_by_board",
        "MB-BLANK-CHECK-DEFECTIVE",
    )
    assert "§204" in dict(f.data)["cure"]


def test_designation_without_any_grant_is_refused(tmp_path):
    b = new_book(tmp_path, DUAL_CLASS)  # two classes of common, no preferred, no grant
    ok(b.elect_directors(["ada"], on=date(2010, 1, 5), by="incorporator"))
    board(b, "B-D", date(2010, 1, 5), {"id": "R-D", "kind": "designate_series"})
    r = b.designate_series(
        "class_a_common", "series_1", "Series 1", 10, on=date(2010, 1, 5), approved_by="R-D"
    )
    fails(r, "dgcl.151.a.designation_by_board", "MB-BLANK-CHECK-DEFECTIVE")


def test_designation_by_someone_other_than_the_board_is_refused(tmp_path):
    b = auxer(tmp_path)
    board(b, "B-D", date(1998, 1, 10), {"id": "R-D", "kind": "designate_series"})
    r = _designate(b, date(1998, 1, 10), designated_by="the President")
    fails(r, "dgcl.151.a.designation_by_board", "MB-DESIGNATION-NOT-BY-BOARD")
    r = _designate(b, date(1998, 1, 10), designated_by="the President", historical=True)
    kept(r, "dgcl.151.a.designation_by_board", "MB-DESIGNATION-NOT-BY-BOARD")


def test_designation_without_a_valid_board_resolution_is_refused(tmp_path):
    b = auxer(tmp_path)
    on = date(1998, 1, 10)
    fails(_designate(b, on, approved_by=None), "dgcl.151.a.designation_by_board", "MB-APPROVAL-MISSING")
    fails(_designate(b, on, approved_by="R-404"), "dgcl.151.a.designation_by_board", "MB-APPROVAL-UNKNOWN")
    board(b, "B-D", on, {"id": "R-D", "kind": "designate_series", "against": ["jane", "john"]})
    fails(_designate(b, on), "dgcl.151.a.designation_by_board", "MB-APPROVAL-FAILED")
    m = [{"id": "C-1-1", "kind": "designate_series"}]
    ok(b.written_consent("C-1", on=on, matters=m, signatures=[sig("eugene", on), sig("alice", on)]))
    fails(_designate(b, on, approved_by="C-1-1"), "dgcl.151.a.designation_by_board", "MB-APPROVAL-WRONG-BODY")


def test_series_issued_only_after_its_designation(tmp_path):
    b = auxer(tmp_path)
    on = date(1998, 1, 10)
    board(b, "B-D", on, {"id": "R-D", "kind": "designate_series"}, {"id": "R-I", "kind": "issue_shares"})
    ok(b.add_holder("vc", "VC", on=on))
    r = b.issue("vc", "preferred", 10, on=on, series_key="series_a", price_per_share=P, approved_by="R-I")
    assert r.refused and "MB-SERIES-NOT-DESIGNATED" in {c for _, c in tagged(r)}  # §151(g) (the ledger rule)
    passes(_designate(b, on), "dgcl.151.a.designation_by_board")
    r = b.issue("vc", "preferred", 10, on=on, series_key="series_a", price_per_share=P, approved_by="R-I")
    passes(r, "dgcl.152.board_authorizes_issue")
