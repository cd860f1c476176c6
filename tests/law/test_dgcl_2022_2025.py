"""The 2022–2025 amendments that made new facts recordable, each rule with a passing and a failing case and a
test on each side of its date: §144 safe harbors (S.B. 21, 2025-03-25), §220 demands (the same act), §122(18)
stockholder agreements and §147 approvals in substantially final form (84 Del. Laws c. 309, 2024-08-01), §266
conversion (all shares until 2022-08-01, a majority since; the book closed after it) and §102(b)(7) officer
exculpation (2022-08-01). Acme Widgets (tests/law/dgcl_kit.py): directors ada, ben, cy; common held by ada
(4,000,000), ben (2,500,000) and cy (1,500,000)."""

from __future__ import annotations

from datetime import date

import pytest
from dgcl_kit import P, acme, board, fails, findings, kept, listed, meeting, ok, passes, sig, unlisted

from minutebook.core.codec import version_to_dict
from minutebook.core.errors import InputError, NotFoundError
from minutebook.core.events import CharterAmended
from minutebook.law.dgcl import records
from minutebook.law.registry import get, history

EXCULPATION = """
SIXTH: A director or officer of the Corporation shall not be personally liable to the Corporation or its
stockholders for monetary damages for breach of fiduciary duty as a director or officer, except to the extent
such exemption from liability is not permitted under the General Corporation Law of the State of Delaware.
"""
DIRECTORS_ONLY = """
SIXTH: A director of the Corporation shall not be personally liable to the Corporation or its stockholders for
monetary damages for breach of fiduciary duty as a director, except to the extent such exemption from liability
is not permitted under the General Corporation Law of the State of Delaware.
"""
SB21 = date(2025, 3, 25)
SB313 = date(2024, 8, 1)
C2022 = date(2022, 8, 1)


def code(r, rule_id: str, c: str):
    hits = [f for f in findings(r) if f.code == c and dict(f.data).get("rule") == rule_id]
    assert hits, sorted({(dict(f.data).get("rule"), f.code) for f in findings(r)}, key=str)
    return hits[0]


def consent(b, cid: str, on: date, *signers: str):
    return ok(
        b.written_consent(
            cid,
            on=on,
            matters=[{"id": f"{cid}-1", "kind": "ordinary"}],
            signatures=[sig(s, on) for s in signers],
        )
    )


# --- § 144 --------------------------------------------------------------------------------------------------


def test_144_board_of_disinterested_directors_is_a_safe_harbor(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 2)
    board(
        b, "B-T1", d, {"id": "R-T1", "kind": "general", "against": ["ada"]}
    )  # ben and cy for, ada interested
    r = b.record_transaction(
        "T-1",
        kind="interested",
        description="lease from ada",
        interested=["ada"],
        on=d,
        board_approval="R-T1",
    )
    f = kept(r, "dgcl.144.safe_harbor", "MB-144-SAFE-HARBOR", severity="info")  # the answer: which harbor
    assert "8 Del. C. § 144(a)(1)" in f.cites
    passes(r, "dgcl.144.a.not_void")  # the older § 144(a) is no longer in force on 2025-06-02


def test_144_majority_interested_board_needs_a_committee(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 2)
    board(b, "B-T1", d, {"id": "R-T1", "kind": "general"})
    r = b.record_transaction(
        "T-1",
        kind="interested",
        description="merger with ada and ben's company",
        interested=["ada", "ben"],
        on=d,
        board_approval="R-T1",
    )
    f = kept(r, "dgcl.144.safe_harbor", "MB-144-NO-SAFE-HARBOR")
    assert "committee" in dict(f.data)["cure"]
    # one disinterested director is no committee (2 or more); cy alone cannot cleanse it
    r = b.record_transaction(
        "T-2",
        kind="interested",
        description="the same",
        interested=["ada", "ben"],
        on=d,
        committee=["cy"],
        committee_for=["cy"],
    )
    kept(r, "dgcl.144.safe_harbor", "MB-144-NO-SAFE-HARBOR")


def test_144_disinterested_stockholders_votes_cast(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 2)
    consent(b, "C-T", d, "ada", "ben")
    r = b.record_transaction(
        "T-1",
        kind="interested",
        description="loan to ada",
        interested=["ada"],
        on=d,
        stockholder_approval="C-T-1",
        disinterested_for=2_500_000,
        disinterested_against=0,
    )
    assert "8 Del. C. § 144(a)(2)" in code(r, "dgcl.144.safe_harbor", "MB-144-SAFE-HARBOR").cites
    r = b.record_transaction(
        "T-2",
        kind="interested",
        description="loan to ada",
        interested=["ada"],
        on=d,
        stockholder_approval="C-T-1",
        disinterested_for=1_000_000,
        disinterested_against=1_500_000,
    )
    kept(r, "dgcl.144.safe_harbor", "MB-144-NO-SAFE-HARBOR")


def test_144_controlling_stockholder_committee_must_be_empowered(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 2)
    args = dict(
        kind="controlling",
        description="services agreement with ada",
        interested=["ada"],
        on=d,
        committee=["ben", "cy"],
        committee_for=["ben", "cy"],
    )
    kept(b.record_transaction("T-1", **args), "dgcl.144.safe_harbor", "MB-144-NO-SAFE-HARBOR")
    r = b.record_transaction("T-2", committee_empowered=True, **args)
    assert "8 Del. C. § 144(b)(1)" in code(r, "dgcl.144.safe_harbor", "MB-144-SAFE-HARBOR").cites


def test_144_going_private_needs_both(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 2)
    consent(b, "C-G", d, "ada", "ben")
    args = dict(
        kind="going_private",
        description="ada buys out the minority",
        interested=["ada"],
        on=d,
        committee=["ben", "cy"],
        committee_for=["ben", "cy"],
        committee_empowered=True,
    )
    kept(b.record_transaction("T-1", **args), "dgcl.144.safe_harbor", "MB-144-NO-SAFE-HARBOR")
    r = b.record_transaction(
        "T-2",
        stockholder_approval="C-G-1",
        disinterested_for=2_500_000,
        disinterested_against=1_500_000,
        conditioned=True,
        **args,
    )
    assert "8 Del. C. § 144(c)(1)" in code(r, "dgcl.144.safe_harbor", "MB-144-SAFE-HARBOR").cites


def test_144_before_sb21_the_older_rule(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 3, 24)
    board(b, "B-T1", d, {"id": "R-T1", "kind": "general", "against": ["ada"]})
    r = b.record_transaction(
        "T-1", kind="interested", description="lease", interested=["ada"], on=d, board_approval="R-T1"
    )
    f = kept(r, "dgcl.144.a.not_void", "MB-144-NOT-VOIDABLE", severity="info")
    assert "not void or voidable" in f.message
    passes(r, "dgcl.144.safe_harbor")  # not in force on 2025-03-24
    r = b.record_transaction("T-2", kind="interested", description="lease", interested=["ada"], on=d)
    kept(r, "dgcl.144.a.not_void", "MB-144-VOIDABLE")
    # a controlling stockholder before S.B. 21: the common law, both protections
    r = b.record_transaction(
        "T-3",
        kind="controlling",
        description="services",
        interested=["ada"],
        on=d,
        committee=["ben", "cy"],
        committee_for=["ben"],
        committee_empowered=True,
    )
    kept(r, "dgcl.144.a.not_void", "MB-144-COMMON-LAW")
    assert [r.id for r in history("dgcl.144.safe_harbor")] == ["dgcl.144.a.not_void", "dgcl.144.safe_harbor"]


def test_144_bad_kind_is_input_error(tmp_path):
    b = acme(tmp_path)
    with pytest.raises(InputError, match="kind"):
        b.record_transaction("T-1", kind="friendly", description="x", interested=["ada"], on=date(2025, 6, 2))
    with pytest.raises(InputError, match="interested: adda"):  # a typo would count ada as disinterested
        b.record_transaction(
            "T-1", kind="interested", description="x", interested=["adda"], on=date(2025, 6, 2)
        )


# --- § 220 --------------------------------------------------------------------------------------------------


def test_220_answer_by_five_business_days():
    assert records.answer_by(date(2025, 6, 6)) == date(2025, 6, 13)  # a Friday: the next Friday
    assert records.answer_by(date(2025, 6, 2)) == date(2025, 6, 9)


def test_220_items_sorted_into_the_definition():
    # the stock ledger and the list of stockholders are reached by § 220(b) itself, outside the definition
    assert records.classify("the stock ledger") == records.classify("list of stockholders") == "ledger"
    assert records.classify("audit committee minutes") == "board_minutes"
    assert records.classify("D&O independence questionnaires") == "questionnaires"
    assert records.classify("officers' text messages") is None


def test_220_demand_2025_definition(tmp_path):
    b = acme(tmp_path)
    d = date(2025, 6, 6)
    r = b.demand_books(
        "D-1",
        "cy",
        purpose="to value her shares and investigate possible mismanagement",
        on=d,
        items=["board minutes", "annual financial statements", "officers' e-mails"],
    )
    f = code(r, "dgcl.220.demand", "MB-220-DEMAND")
    assert dict(f.data)["answer_by"] == "2025-06-13"
    beyond = code(r, "dgcl.220.demand", "MB-220-BEYOND-DEFINITION")
    assert "e-mails" in beyond.message
    passes(r, "dgcl.220.demand_before_2025")  # not in force on 2025-06-06
    due = b.books_due("D-1")
    assert {x.key for x in due.due} == {"board_minutes", "financials"}
    assert due.since == date(2022, 6, 6) and due.beyond == ("officers' e-mails",)
    assert next(x for x in due.due if x.key == "board_minutes").cite == "8 Del. C. § 220(a)(1)(e)"


def test_220_demand_defects(tmp_path):
    b = acme(tmp_path)
    ok(b.add_holder("zed", "Zed", on=date(2025, 1, 2)))
    r = b.demand_books("D-1", "zed", purpose="curious", on=date(2025, 6, 6), under_oath=False)
    kept(r, "dgcl.220.demand", "MB-220-DEMAND-DEFECT")
    hits = [f for f in findings(r) if f.code == "MB-220-DEMAND-DEFECT"]
    assert len(hits) == 3  # no shares, not under oath, no particular purpose
    r = b.demand_books("D-3", "zed", purpose="curious", on=date(2025, 3, 24))
    kept(r, "dgcl.220.demand_before_2025", "MB-220-DEMAND-DEFECT")  # no shares held
    with pytest.raises(NotFoundError):
        b.demand_books("D-2", "nobody", purpose="to value shares", on=date(2025, 6, 6))


def test_220_before_sb21_no_definition(tmp_path):
    b = acme(tmp_path)
    r = b.demand_books("D-1", "cy", purpose="to value her shares", on=date(2025, 3, 24), items=["e-mails"])
    f = code(r, "dgcl.220.demand_before_2025", "MB-220-DEMAND-UNDEFINED")
    assert "did not define" in f.message
    assert not [x for x in findings(r) if x.code == "MB-220-BEYOND-DEFINITION"]
    passes(r, "dgcl.220.demand")  # S.B. 21's definition is not in force on 2025-03-24
    assert b.books_due("D-1").defined is False


# --- § 122(18) ----------------------------------------------------------------------------------------------


def test_122_18_agreement_after_2024(tmp_path):
    b = acme(tmp_path)
    d = date(2024, 9, 2)
    board(b, "B-A", d, {"id": "R-A", "kind": "general"})
    r = b.stockholder_agreement(
        "SA-1",
        ["ada", "ben"],
        on=d,
        approved_by="R-A",
        covenants=[{"kind": "approval", "text": "no new debt without ada's consent"}],
    )
    assert code(r, "dgcl.122.18.stockholder_agreement", "MB-122-18-AGREEMENT").severity.value == "info"

    assert not [f for f in findings(r) if f.severity.value != "info"]
    passes(r, "dgcl.122.18.before_statute")  # made after 2024-08-01: no common-law warning


def test_122_18_agreement_before_2024(tmp_path):
    b = acme(tmp_path)
    r = b.stockholder_agreement(
        "SA-1",
        ["ada"],
        on=date(2024, 7, 31),
        covenants=[{"kind": "restrict_action", "text": "no charter amendment"}],
    )
    kept(r, "dgcl.122.18.before_statute", "MB-122-18-BEFORE-STATUTE")
    passes(r, "dgcl.122.18.stockholder_agreement")  # § 122(18) is not in force on 2024-07-31


def test_122_18_covenant_contrary_to_charter(tmp_path):
    from dgcl_kit import NO_CONSENT

    b = acme(tmp_path, extra=NO_CONSENT)
    d = date(2024, 9, 2)
    r = b.stockholder_agreement(
        "SA-1", ["ada"], on=d, covenants=[{"kind": "act_by_consent", "text": "approve by consent"}]
    )
    fails(r, "dgcl.122.18.stockholder_agreement", "MB-122-18-CHARTER-CONFLICT")
    r = b.stockholder_agreement(
        "SA-2",
        ["ada"],
        on=d,
        covenants=[{"kind": "stock_rights", "text": "ten votes a share"}],
        historical=True,
    )
    kept(r, "dgcl.122.18.stockholder_agreement", "MB-122-18-CHARTER-CONFLICT")


# --- § 147 --------------------------------------------------------------------------------------------------


def test_147_substantially_final_form_on_each_side(tmp_path):
    b = acme(tmp_path)
    for d, rid in ((date(2024, 7, 31), "R-F1"), (date(2024, 8, 1), "R-F2")):
        board(b, f"B-{rid}", d, {"id": rid, "kind": "general"})
    before = b.approve_agreement(
        "AG-1", "merger agreement", on=date(2024, 7, 31), form="substantially final", approved_by="R-F1"
    )
    kept(before, "dgcl.147.final_form_before_2024", "MB-147-NOT-FINAL-FORM")
    after = b.approve_agreement(
        "AG-2", "merger agreement", on=date(2024, 8, 1), form="substantially final", approved_by="R-F2"
    )
    assert (
        code(after, "dgcl.147.substantially_final_form", "MB-147-SUBSTANTIALLY-FINAL").severity.value
        == "info"
    )
    passes(
        b.approve_agreement("AG-3", "final", on=date(2024, 7, 31), form="final", approved_by="R-F1"),
        "dgcl.147.final_form_before_2024",
    )
    passes(
        b.approve_agreement("AG-5", "final", on=date(2024, 8, 1), form="final", approved_by="R-F2"),
        "dgcl.147.substantially_final_form",
    )
    fails(
        b.approve_agreement("AG-4", "no approval", on=date(2024, 8, 2)),
        "dgcl.147.substantially_final_form",
        "MB-APPROVAL-MISSING",
    )


# --- § 266 --------------------------------------------------------------------------------------------------


def _convert(b, d: date, *signers: str, tag: str = "CV", **kw):
    board(b, f"B-{tag}", d, {"id": f"R-{tag}", "kind": "general"})
    consent(b, f"C-{tag}", d, *signers)
    return b.convert_corporation(
        entity="limited liability company",
        jurisdiction="Texas",
        on=d,
        board_approval=f"R-{tag}",
        stockholder_approval=f"C-{tag}-1",
        **kw,
    )


def test_266_majority_since_2022(tmp_path):
    b = acme(tmp_path)
    r = _convert(b, date(2022, 8, 1), "ada", "ben")
    kept(r, "dgcl.266.book_closed", "MB-266-CONVERTED", severity="info")
    passes(r, "dgcl.266.b.majority_outstanding")
    passes(r, "dgcl.266.b.all_outstanding")  # 6,500,000 of 8,000,000 would not do before 2022-08-01
    passes(r, "dgcl.266.unavailable")

    assert not [f for f in findings(r) if f.code == "MB-266-VOTE-SHORT"]
    assert b.converted().effective_on == date(2022, 8, 1)


def test_266_all_shares_before_2022(tmp_path):
    b = acme(tmp_path)
    r = _convert(b, date(2022, 7, 29), "ada", "ben")
    fails(r, "dgcl.266.b.all_outstanding", "MB-266-NOT-UNANIMOUS")
    r = _convert(b, date(2022, 7, 29), "ada", "ben", tag="CV2", historical=True)
    kept(r, "dgcl.266.b.all_outstanding", "MB-266-NOT-UNANIMOUS")
    passes(r, "dgcl.266.b.majority_outstanding")  # the majority rule is not yet in force on 2022-07-29


def test_266_majority_short(tmp_path):
    b = acme(tmp_path)
    d = date(2023, 3, 1)
    board(b, "B-CV", date(2023, 1, 3), {"id": "R-CV", "kind": "general"})
    meeting(b, "M-CV", {"id": "M-CV-1", "kind": "ordinary"}, meeting_on=d)
    # carried at the meeting (4,000,000 of the 6,500,000 present), but 4,000,000 of 8,000,000 outstanding
    ok(
        b.hold_meeting(
            "M-CV",
            on=d,
            present=["ada", "ben"],
            votes=[{"matter": "M-CV-1", "for": ["ada"], "against": ["ben"]}],
        )
    )
    r = b.convert_corporation(
        entity="corporation",
        jurisdiction="Nevada",
        on=d,
        board_approval="R-CV",
        stockholder_approval="M-CV-1",
        historical=True,
    )
    kept(r, "dgcl.266.b.majority_outstanding", "MB-266-VOTE-SHORT")


def test_266_unavailable_before_2013(tmp_path):
    b = acme(tmp_path)
    r = b.convert_corporation(entity="corporation", jurisdiction="Nevada", on=date(2012, 5, 1))
    fails(r, "dgcl.266.unavailable", "MB-266-NOT-AVAILABLE")


def test_266_book_closed_after_conversion(tmp_path):
    b = acme(tmp_path)
    ok(_convert(b, date(2023, 1, 3), "ada", "ben", "cy"))
    r = b.issue("ada", "common", 10, on=date(2023, 2, 1), price_per_share=P, approved_by="R-1")
    f = fails(r, "dgcl.266.book_closed", "MB-266-BOOK-CLOSED")
    assert "Texas" in f.message and "2023-01-03" in f.message
    passes(b.add_holder("dan", "Dan", on=date(2022, 12, 1)), "dgcl.266.book_closed")  # before it: not closed
    listed(b, "dgcl.266.book_closed", "MB-266-CONVERTED", severity="info")
    with pytest.raises(InputError, match="already converted"):
        b.convert_corporation(entity="corporation", jurisdiction="Ohio", on=date(2023, 3, 1))


def test_266_back_dated_conversion_before_a_later_act_is_refused(tmp_path):
    b = acme(tmp_path)
    ok(b.add_holder("dan", "Dan", on=date(2023, 3, 1)))
    r = _convert(b, date(2023, 1, 3), "ada", "ben", "cy")
    assert r.refused and "MB-BACKDATED-CONFLICT" in {f.code for f in findings(r)}
    assert b.converted() is None


def test_266_franchise_tax_stops_at_the_conversion(tmp_path):
    from minutebook.tax import franchise_tax

    b = acme(tmp_path)
    whole = franchise_tax(b, 2023)
    ok(_convert(b, date(2023, 7, 2), "ada", "ben"))  # 182 days of 2023 as a Delaware corporation
    part = franchise_tax(b, 2023)
    assert "MB-TAX-CONVERTED" in {f.code for f in part.findings}
    assert part.tax < whole.tax
    with pytest.raises(InputError, match="converted"):
        franchise_tax(b, 2024)


# --- § 102(b)(7) --------------------------------------------------------------------------------------------


def test_102b7_officers_premature_in_a_2010_charter(tmp_path):
    b = acme(tmp_path, extra=EXCULPATION)
    listed(b, "dgcl.102.b.7.officers_premature", "MB-102B7-OFFICERS-PREMATURE")
    unlisted(b, "dgcl.102.b.7.officers")  # a 2010 clause is no § 102(b)(7) officer exculpation
    cov = b.exculpation("officer", "direct", date(2023, 1, 1))
    assert not cov.covered and "amendment" in cov.reason
    assert b.exculpation("director", "derivative", date(2023, 1, 1)).covered
    assert not b.exculpation("officer", "direct", date(2021, 1, 1)).covered


def test_102b7_amendment_after_2022_covers_officers_directly_only(tmp_path):
    b = acme(tmp_path, extra=EXCULPATION)
    v = version_to_dict(b.charter.versions[-1])
    r = b.record(
        CharterAmended(charter=v, document_kind="amendment", statute="242"), date(2022, 9, 1), historical=True
    )
    kept(r, "dgcl.102.b.7.officers", "MB-102B7-OFFICERS", severity="info")
    assert b.exculpation("officer", "direct", date(2023, 1, 1)).covered
    cov = b.exculpation("officer", "derivative", date(2023, 1, 1))
    assert not cov.covered and "8 Del. C. § 102(b)(7)(v)" in cov.cites
    assert not b.exculpation("officer", "direct", date(2022, 8, 31)).covered  # before the amendment


def test_102b7_directors_only_charter(tmp_path):
    b = acme(tmp_path, extra=DIRECTORS_ONLY)
    unlisted(b, "dgcl.102.b.7.officers_premature")  # directors only: nothing premature
    assert not b.exculpation("officer", "direct", date(2024, 1, 1)).covered
    assert b.exculpation("director", "direct", date(2024, 1, 1)).covered
    with pytest.raises(InputError):
        b.exculpation("agent", "direct", date(2024, 1, 1))


def test_rules_dated():
    for rid, since in (
        ("dgcl.144.safe_harbor", SB21),
        ("dgcl.220.demand", SB21),
        ("dgcl.147.substantially_final_form", SB313),
        ("dgcl.122.18.stockholder_agreement", SB313),
        ("dgcl.266.b.majority_outstanding", C2022),
        ("dgcl.102.b.7.officers", C2022),
        ("dgcl.102.b.7.exculpation", date(1986, 7, 1)),  # applied by `covers`, the exculpation query
    ):
        assert get(rid).since == since and get(rid).act
