"""DGCL rules on stockholder votes, written consents and record dates as the statute stood on each date:
§242(d)(1) and (d)(2) (84 Del. Laws c. 98, from 1 August 2023, with the "listed on a national securities
exchange" fact), §213(b) (the record date of a written consent: both branches and the 10-day cap), §228(c)
(the 60 days from the earliest dated signature, then from the first delivery), the §242(b)(2) carve-out's
conditions, and the quorum a charter sets (§216). A passing and a failing case for each, and a case on each
side of a change of date. Helpers: dgcl_kit.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dgcl_kit import acme, board, fails, kept, meeting, ok, passes, sig, tagged

from minutebook.core.errors import InputError, NotFoundError

EVERYONE = ["ada", "ben", "cy"]  # 4,000,000 + 2,500,000 + 1,500,000 of 8,000,000 common shares
AFTER, BEFORE = date(2024, 1, 10), date(2023, 7, 31)


# --- §242(d)(2): a listed class's authorized shares, by the votes cast ---------------------------------------


def _listed_increase(tmp_path, meeting_on: date, *, listed: bool = True, **params):
    b = acme(tmp_path)
    if listed:
        ok(b.list_class("common", on=date(2015, 6, 1), exchange="NYSE"))
    called = meeting_on - timedelta(days=45)
    board(
        b,
        "B-A",
        called,
        {"id": "R-A", "kind": "amend_charter", "params": params or {"authorized": {"common": 20_000_000}}},
    )
    meeting(
        b,
        "M-1",
        {"id": "A-1", "kind": "amend_charter", "params": {"resolution": "R-A"}},
        meeting_on=meeting_on,
        called_on=called,
    )
    # 3,000,000 for and 1,000,000 against, of 8,000,000 present: more for than against, short of a majority
    # of the outstanding (4,000,001)
    r = b.hold_meeting(
        "M-1",
        on=meeting_on,
        present=EVERYONE,
        votes=[{"matter": "A-1", "for": {"common": 3_000_000}, "against": {"common": 1_000_000}}],
    )
    return b, r


def test_242d2_listed_increase_carries_by_votes_cast_after_august_2023(tmp_path):
    b, r = _listed_increase(tmp_path, AFTER)
    passes(r, "dgcl.242.d.2.votes_cast")
    assert {c for _, c in tagged(r)} == {"MB-242D2-VOTES-CAST"}  # the standard applied, named
    f = fails(r, "dgcl.216.quorum_and_votes", "MB-242D2-VOTES-CAST", refused=False, severity="info")
    assert "8 Del. C. § 242(d)(2)" in f.cites and "NYSE" in f.message
    out = b.approvals().get("A-1")
    assert out.passed and "242(d)(2)" in out.standard
    passes(b.file_amendment(on=AFTER, approved_by=["R-A", "A-1"]), "dgcl.242.b.procedure")
    assert b.charter.versions[-1].capital.cls("common").authorized == 20_000_000


def test_242d2_the_same_vote_before_august_2023_fails_by_the_outstanding(tmp_path):
    b, r = _listed_increase(tmp_path, BEFORE)
    fails(r, "dgcl.242.b.1.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    assert "MB-242D2-VOTES-CAST" not in {c for _, c in tagged(r)}
    assert not b.approvals().get("A-1").passed


def test_242d2_not_listed_fails_by_the_outstanding(tmp_path):
    b, r = _listed_increase(tmp_path, AFTER, listed=False)
    fails(r, "dgcl.242.b.1.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    assert not b.approvals().get("A-1").passed


def test_242d2_delisted_before_the_vote_fails_by_the_outstanding(tmp_path):
    b = acme(tmp_path)
    ok(b.list_class("common", on=date(2015, 6, 1), exchange="NYSE"))
    ok(b.list_class("common", on=date(2023, 9, 1), exchange="NYSE", listed=False))
    assert b._log.record.listed_on("common", date(2023, 8, 31)) == "NYSE"
    assert b._log.record.listed_on("common", AFTER) is None


def test_242d2_reaches_neither_a_par_change_nor_a_votes_cast_majority_against(tmp_path):
    b, r = _listed_increase(
        tmp_path / "par", AFTER, authorized={"common": 20_000_000}, par={"common": "0.01"}
    )
    fails(r, "dgcl.242.b.1.majority_outstanding", "MB-VOTE-FAILED", refused=False, severity="warning")
    b = acme(tmp_path / "against")
    ok(b.list_class("common", on=date(2015, 6, 1), exchange="NYSE"))
    called = AFTER - timedelta(days=45)
    board(b, "B-A", called, {"id": "R-A", "kind": "amend_charter", "params": {"authorized": {"common": 2}}})
    board(
        b,
        "B-A2",
        called,
        {"id": "R-B", "kind": "amend_charter", "params": {"authorized": {"common": 9_000_000}}},
    )
    meeting(
        b,
        "M-1",
        {"id": "A-1", "kind": "amend_charter", "params": {"resolution": "R-B"}},
        meeting_on=AFTER,
        called_on=called,
    )
    r = b.hold_meeting(
        "M-1", on=AFTER, present=EVERYONE, votes=[{"matter": "A-1", "for": ["cy"], "against": ["ben"]}]
    )
    fails(r, "dgcl.242.d.2.votes_cast", "MB-VOTE-FAILED", refused=False, severity="warning")


def test_class_listing_is_checked(tmp_path):
    b = acme(tmp_path)
    with pytest.raises(NotFoundError, match="no class 'warrants'"):
        b.list_class("warrants", on=AFTER, exchange="NYSE")
    with pytest.raises(InputError, match="not listed"):
        b.list_class("common", on=AFTER, exchange="NYSE", listed=False)
    with pytest.raises(InputError, match="exchange"):
        b.list_class("common", on=AFTER, exchange=" ")


# --- §242(d)(1): a forward split with a proportionate increase, no stockholder vote ---------------------------


def _forward_split(tmp_path, on):
    b = acme(tmp_path)
    board(
        b,
        "B-S",
        on,
        {
            "id": "R-S",
            "kind": "amend_charter",
            "params": {"split": "2:1", "authorized": {"common": 20_000_000}},
        },
    )
    return b.file_amendment(on=on, approved_by=["R-S"])


def test_242d1_forward_split_needs_no_vote_after_august_2023(tmp_path):
    r = _forward_split(tmp_path, AFTER)
    fails(r, "dgcl.242.b.procedure", "MB-242D-NO-VOTE", refused=False, severity="info")


def test_242d1_forward_split_needs_the_vote_before_august_2023(tmp_path):
    fails(_forward_split(tmp_path, BEFORE), "dgcl.242.b.procedure", "MB-APPROVAL-MISSING")


# --- §228(c): 60 days from the earliest dated signature, then (from 1 August 2017) from the first delivery ---


def dsig(signer: str, signed: str | None, delivered: str | None) -> dict:
    out = {"signer": signer}
    if signed:
        out["signed_on"] = signed
    if delivered:
        out["delivered_on"] = delivered
    return out


def _ordinary(b, cid, *signatures, on: date, **kw):
    return b.written_consent(cid, on=on, matters=[{"id": f"{cid}-1"}], signatures=list(signatures), **kw)


def test_228c_before_august_2017_runs_from_the_earliest_signature(tmp_path):
    # ada signed in April and delivered in July: more than 60 days after the earliest dated signature
    b = acme(tmp_path)
    r = _ordinary(
        b,
        "C-1",
        dsig("ada", "2017-04-01", "2017-07-10"),
        dsig("ben", "2017-07-05", "2017-07-12"),
        on=date(2017, 7, 12),
    )
    fails(r, "dgcl.228.c.sixty_days", "MB-CONSENT-STALE", severity="warning")  # refused: none count
    assert ("dgcl.228.a.consent_sufficient", "MB-CONSENT-INSUFFICIENT") in tagged(r)
    assert "dgcl.228.c.sixty_days_from_delivery" not in {rid for rid, _ in tagged(r)}


def test_228c_from_august_2017_runs_from_the_first_delivery(tmp_path):
    # the same consents a year later: the 60 days run from ada's delivery, 2024-07-10
    b = acme(tmp_path)
    r = _ordinary(
        b,
        "C-1",
        dsig("ada", "2024-04-01", "2024-07-10"),
        dsig("ben", "2024-07-05", "2024-07-12"),
        on=date(2024, 7, 12),
    )
    passes(r, "dgcl.228.c.sixty_days_from_delivery")
    assert "dgcl.228.c.sixty_days" not in {rid for rid, _ in tagged(r)}
    assert b.approvals().get("C-1-1").passed


def test_228c_from_august_2017_a_delivery_61_days_after_the_first_does_not_count(tmp_path):
    b = acme(tmp_path)
    r = _ordinary(
        b,
        "C-1",
        dsig("ada", "2024-02-01", "2024-03-01"),
        dsig("ben", "2024-04-30", "2024-05-01"),  # 61 days after 2024-03-01
        on=date(2024, 5, 1),
    )
    fails(r, "dgcl.228.c.sixty_days_from_delivery", "MB-CONSENT-STALE", severity="warning")
    assert r.refused  # ada alone holds 4,000,000 of 8,000,000


def test_228c_before_august_2017_each_signature_bears_its_date(tmp_path):
    b = acme(tmp_path)
    r = _ordinary(
        b, "C-1", dsig("ada", "2017-07-01", None), dsig("ben", None, "2017-07-02"), on=date(2017, 7, 2)
    )
    fails(r, "dgcl.228.c.sixty_days", "MB-CONSENT-UNDATED", severity="warning")
    # from 1 August 2017 a consent delivered with no date of signature counts
    b = acme(tmp_path / "after")
    r = _ordinary(
        b, "C-1", dsig("ada", "2024-07-01", None), dsig("ben", None, "2024-07-02"), on=date(2024, 7, 2)
    )
    assert "MB-CONSENT-UNDATED" not in {c for _, c in tagged(ok(r))}
    assert b.approvals().get("C-1-1").passed


def test_228c_old_payload_without_delivery_dates_is_read_as_delivered_when_signed(tmp_path):
    b = acme(tmp_path)
    r = _ordinary(b, "C-1", sig("ada", "2024-07-01"), sig("ben", "2024-07-02"), on=date(2024, 7, 2))
    f = fails(
        r,
        "dgcl.228.c.sixty_days_from_delivery",
        "MB-CONSENT-DELIVERY-ASSUMED",
        refused=False,
        severity="info",
    )
    assert "ada" in f.message and "ben" in f.message
    # before 1 August 2017 the signing date is what counts: nothing to note
    r = _ordinary(
        acme(tmp_path / "before"),
        "C-1",
        sig("ada", "2017-07-01"),
        sig("ben", "2017-07-02"),
        on=date(2017, 7, 2),
    )
    passes(r, "dgcl.228.c.sixty_days")


def test_228c_delivery_before_signing_is_bad_input(tmp_path):
    b = acme(tmp_path)
    with pytest.raises(InputError, match=r"signatures\[0\]\.delivered_on"):
        _ordinary(b, "C-1", dsig("ada", "2024-07-02", "2024-07-01"), on=date(2024, 7, 2))


# --- §213(b): the record date of a written consent ----------------------------------------------------------

R = date(2011, 3, 1)  # the board's resolution


def _fixing(b, record_date: str, on: date = R):
    board(b, "B-RD", on, {"id": "R-RD", "kind": "general", "params": {"record_date": record_date}})


def test_213b_record_date_fixed_by_the_board_within_10_days(tmp_path):
    b = acme(tmp_path)
    _fixing(b, "2011-03-11")  # the 10th day after the resolution
    r = _ordinary(
        b,
        "C-1",
        sig("ada", "2011-03-12"),
        sig("ben", "2011-03-12"),
        on=date(2011, 3, 12),
        record_date=date(2011, 3, 11),
    )
    passes(r, "dgcl.213.b.consent_record_date")


def test_213b_record_date_more_than_10_days_after_the_resolution_is_refused(tmp_path):
    b = acme(tmp_path)
    _fixing(b, "2011-03-12")  # the 11th day
    r = _ordinary(
        b,
        "C-1",
        sig("ada", "2011-03-13"),
        sig("ben", "2011-03-13"),
        on=date(2011, 3, 13),
        record_date=date(2011, 3, 12),
    )
    f = fails(r, "dgcl.213.b.consent_record_date", "MB-CONSENT-RECORD-DATE-TOO-LATE")
    assert "8 Del. C. § 213(b)" in f.cites
    r = _ordinary(
        b,
        "C-1",
        sig("ada", "2011-03-13"),
        sig("ben", "2011-03-13"),
        on=date(2011, 3, 13),
        record_date=date(2011, 3, 12),
        historical=True,
    )
    kept(r, "dgcl.213.b.consent_record_date", "MB-CONSENT-RECORD-DATE-TOO-LATE")


def test_213b_record_date_before_the_resolution_is_refused(tmp_path):
    b = acme(tmp_path)
    _fixing(b, "2011-02-27")
    r = _ordinary(
        b,
        "C-1",
        sig("ada", "2011-03-02"),
        sig("ben", "2011-03-02"),
        on=date(2011, 3, 2),
        record_date=date(2011, 2, 27),
    )
    fails(r, "dgcl.213.b.consent_record_date", "MB-CONSENT-RECORD-DATE-BEFORE-RESOLUTION")


def test_213b_record_date_no_board_fixed(tmp_path):
    b = acme(tmp_path)
    r = _ordinary(
        b,
        "C-1",
        sig("ada", "2011-03-02"),
        sig("ben", "2011-03-02"),
        on=date(2011, 3, 2),
        record_date=date(2011, 3, 1),
    )
    fails(
        r,
        "dgcl.213.b.consent_record_date",
        "MB-CONSENT-RECORD-DATE-UNFIXED",
        refused=False,
        severity="warning",
    )


def _sold_to_dan(b, on=date(2011, 3, 3)):
    ok(b.add_holder("dan", "Dan", on=on))
    ok(b.transfer("ben", "dan", "common", 2_500_000, on=on))


def test_213b_no_record_date_and_prior_board_action_the_day_the_board_adopts_it(tmp_path):
    # the amendment needs the board's resolution first (§242(b)(1)): the record date is the close of business on
    # 2011-03-01, before ben sold to dan; ben, not dan, consents for those shares
    b = acme(tmp_path)
    board(
        b, "B-A", R, {"id": "R-A", "kind": "amend_charter", "params": {"authorized": {"common": 20_000_000}}}
    )
    _sold_to_dan(b)
    m = [{"id": "C-1-1", "kind": "amend_charter", "params": {"resolution": "R-A"}}]
    on = date(2011, 3, 5)
    r = b.written_consent("C-1", on=on, matters=m, signatures=[sig("ada", on), sig("dan", on)])
    fails(r, "dgcl.213.b.consent_record_date", "MB-CONSENT-SIGNER-NOT-OF-RECORD", severity="warning")
    assert ("dgcl.242.b.1.majority_outstanding", "MB-CONSENT-INSUFFICIENT") in tagged(r)
    r = b.written_consent("C-1", on=on, matters=m, signatures=[sig("ada", on), sig("ben", on)])
    passes(r, "dgcl.213.b.consent_record_date")
    assert b.approvals().get("C-1-1").passed


def test_213b_no_record_date_and_no_prior_board_action_the_first_delivery(tmp_path):
    # an ordinary matter: the record date is the first delivery, after dan bought ben's shares
    b = acme(tmp_path)
    _sold_to_dan(b)
    on = date(2011, 3, 5)
    r = _ordinary(b, "C-1", sig("ada", on), sig("dan", on), on=on)
    passes(r, "dgcl.213.b.consent_record_date")
    assert b.approvals().get("C-1-1").passed
    # a consent first delivered before the sale: dan was not yet of record
    b = acme(tmp_path / "early")
    _sold_to_dan(b)
    r = _ordinary(b, "C-1", dsig("ada", "2011-03-02", "2011-03-02"), sig("dan", on), on=on)
    fails(r, "dgcl.213.b.consent_record_date", "MB-CONSENT-SIGNER-NOT-OF-RECORD", severity="warning")


# --- §242(b)(2): the carve-out binds a class only as the statute says ------------------------------------------

CARVE_OUT = """
SIXTH: The number of authorized shares of any class of stock may be increased or decreased (but not below the
number of shares thereof then outstanding) by the affirmative vote of the holders of a majority of the stock of
the Corporation entitled to vote, irrespective of the provisions of Section 242(b)(2) of the General Corporation
Law of the State of Delaware.
"""


def _with_preferred(b, on=date(2010, 2, 1)):
    board(b, "B-P", on, {"id": "R-P", "kind": "issue_shares", "params": {"class_key": "preferred"}})
    ok(b.add_holder("vc", "VC Fund", on=on, kind="institution"))
    ok(b.issue("vc", "preferred", 1_000_000, on=on, price_per_share=1, approved_by="R-P"))
    return b


def _more_preferred(b, on=date(2011, 4, 15)):
    """The board proposes 6,000,000 preferred; every common holder votes for, the preferred against."""
    called = on - timedelta(days=45)
    board(
        b,
        "B-A",
        called,
        {"id": "R-A", "kind": "amend_charter", "params": {"authorized": {"preferred": 6_000_000}}},
    )
    meeting(b, "M-1", {"id": "A-1", "kind": "amend_charter", "params": {"resolution": "R-A"}}, meeting_on=on,
            called_on=called)  # fmt: skip
    votes = [{"matter": "A-1", "for": EVERYONE, "against": ["vc"]}]
    return b.hold_meeting("M-1", on=on, present=[*EVERYONE, "vc"], votes=votes)


def test_carve_out_in_the_original_charter_binds_the_class(tmp_path):
    b = _with_preferred(acme(tmp_path, extra=CARVE_OUT))
    assert any(p.kind == "class_vote_carve_out" for p in b.charter.versions[-1].provisions)
    r = _more_preferred(b)
    passes(r, "dgcl.242.b.2.carve_out_conditions")
    passes(r, "dgcl.242.b.2.class_vote")
    assert b.approvals().get("A-1").passed


def _carve_out_added_later(b, on=date(2010, 6, 1)):
    """The carve-out added as Art. SIXTH after the preferred was issued, approved by the common (ada, ben) alone."""
    board(
        b,
        "B-C",
        on,
        {"id": "R-C", "kind": "amend_charter", "params": {"articles": {"SIXTH": CARVE_OUT.split(":", 1)[1]}}},
    )
    m = [{"id": "C-C-1", "kind": "amend_charter", "params": {"resolution": "R-C"}}]
    ok(b.written_consent("C-C", on=on, matters=m, signatures=[sig("ada", on), sig("ben", on)]))
    ok(b.file_amendment(on=on, approved_by=["R-C", "C-C-1"]))
    assert any(p.kind == "class_vote_carve_out" for p in b.charter.versions[-1].provisions)


def test_carve_out_added_after_the_class_was_issued_without_its_vote_does_not_bind_it(tmp_path):
    b = _with_preferred(acme(tmp_path))
    _carve_out_added_later(b)
    r = _more_preferred(b)
    f = fails(
        r, "dgcl.242.b.2.carve_out_conditions", "MB-CARVE-OUT-INEFFECTIVE", refused=False, severity="warning"
    )
    assert "8 Del. C. § 242(b)(2)" in f.cites and any(c.startswith("Art. SIXTH") for c in f.cites)
    fails(r, "dgcl.242.b.2.class_vote", "MB-CLASS-VOTE-FAILED", refused=False, severity="warning")
    assert not b.approvals().get("A-1").passed


def test_carve_out_added_before_any_share_of_the_class_was_issued_binds_it(tmp_path):
    b = acme(tmp_path)
    _carve_out_added_later(b, on=date(2010, 1, 20))
    _with_preferred(b, on=date(2010, 2, 1))
    r = _more_preferred(b)
    passes(r, "dgcl.242.b.2.carve_out_conditions")
    assert b.approvals().get("A-1").passed


def test_carve_out_approved_by_the_class_binds_it(tmp_path):
    b = _with_preferred(acme(tmp_path))
    on = date(2010, 6, 1)
    board(
        b,
        "B-C",
        on,
        {"id": "R-C", "kind": "amend_charter", "params": {"articles": {"SIXTH": CARVE_OUT.split(":", 1)[1]}}},
    )
    m = [{"id": "C-C-1", "kind": "amend_charter", "params": {"resolution": "R-C"}}]
    ok(b.written_consent("C-C", on=on, matters=m, signatures=[sig("ada", on), sig("ben", on), sig("vc", on)]))
    ok(b.file_amendment(on=on, approved_by=["R-C", "C-C-1"]))
    r = _more_preferred(b)
    passes(r, "dgcl.242.b.2.carve_out_conditions")
    assert b.approvals().get("A-1").passed


# --- the command line: a class listed on an exchange; a consent's delivery dates --------------------------------


def _cli(tmp_path, *args):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}
    cmd = [sys.executable, "-m", "minutebook", *args, "--db", f"sqlite:///{tmp_path}/b.db"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_cli_class_list_on_exchange_and_delisted(tmp_path):
    b = acme(tmp_path)
    del b
    r = _cli(tmp_path, "class", "list-on-exchange", "common", "--exchange", "NYSE", "--on", "2015-06-01")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    r = _cli(
        tmp_path,
        "class",
        "list-on-exchange",
        "common",
        "--exchange",
        "NYSE",
        "--on",
        "2016-06-01",
        "--delisted",
    )
    assert r.returncode == 0, r.stderr
    r = _cli(
        tmp_path,
        "class",
        "list-on-exchange",
        "common",
        "--exchange",
        "NYSE",
        "--on",
        "2017-06-01",
        "--delisted",
    )
    err = r.stderr.strip()
    assert (
        r.returncode == 2
        and err.startswith("minutebook: error: ")
        and "\n" not in err
        and "not listed" in err
    )
    r = _cli(tmp_path, "class", "list-on-exchange", "bonds", "--exchange", "NYSE", "--on", "2015-06-01")
    assert r.returncode == 2 and "no class 'bonds'" in r.stderr and "Traceback" not in r.stderr


def test_cli_consent_with_delivery_dates(tmp_path):
    b = acme(tmp_path)
    del b
    base = ("consent", "C-1", "--matter", "C-1-1:ordinary", "--signed", "ada@2024-02-01,ben@2024-04-30")
    # ben's consent reaches the corporation 61 days after ada's: refused (§228(c) from 1 August 2023)
    r = _cli(tmp_path, *base, "--delivered", "ada@2024-03-01,ben@2024-05-01", "--on", "2024-05-01")
    assert r.returncode == 1 and "MB-CONSENT-STALE" in r.stdout + r.stderr
    r = _cli(tmp_path, *base, "--delivered", "ada@2024-03-02,ben@2024-05-01", "--on", "2024-05-01")
    assert r.returncode == 0, r.stdout + r.stderr
    r = _cli(tmp_path, "consent", "C-2", "--matter", "C-2-1:ordinary", "--signed", "ada@2024-06-02",
             "--delivered", "ada@2024-06-01", "--on", "2024-06-02")  # fmt: skip
    assert r.returncode == 2 and "before signing" in r.stderr and "\n" not in r.stderr.strip()
