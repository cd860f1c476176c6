"""A quorum for stockholder meetings set in the certificate of incorporation (8 Del. C. § 216): the reader
recognises it as a charter provision, and the meeting rule applies the charter's quorum before a bylaw's and the
statute's majority, naming which applied; a charter quorum below one third is void and reported. Small inline
charters of our own.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "law"))

from dgcl_kit import ACME, acme, board, findings, listed, ok, sig, tagged, unlisted  # noqa: E402

from minutebook.ingest.extract.provisions import classify  # noqa: E402

ONE_THIRD = """
SIXTH: The holders of one-third of the shares of stock issued and outstanding and entitled to vote, present in
person or represented by proxy, shall constitute a quorum at all meetings of the stockholders.
"""
ONE_FIFTH = """
SIXTH: The holders of twenty percent (20%) of the voting power of the outstanding shares of stock entitled to
vote shall constitute a quorum at all meetings of the stockholders.
"""
BOARD_ONLY = """
SIXTH: A majority of the total number of directors shall constitute a quorum for the transaction of business.
"""

M = date(2011, 4, 15)


def _kinds(text: str) -> dict:
    return {k: params for k, _, params in classify(text)}


def test_the_reader_recognises_a_charter_quorum():
    q = _kinds(ONE_THIRD)["stockholder_quorum"]
    assert (q["share"], q["strict"]) == ("1/3", False) and "quorum" in q["text"]
    assert _kinds(ONE_FIFTH)["stockholder_quorum"]["share"] == "1/5"
    assert "stockholder_quorum" not in _kinds(BOARD_ONLY)  # a quorum of the board (§141(b)) is not §216's


def test_the_book_carries_it_with_its_article(tmp_path):
    b = acme(tmp_path, extra=ONE_THIRD)
    p = next(p for p in b.charter.versions[-1].provisions if p.kind == "stockholder_quorum")
    assert p.article == "SIXTH" and dict(p.params)["share"] == "1/3"
    assert "stockholder_quorum" not in {
        p.kind for p in acme(tmp_path / "plain").charter.versions[-1].provisions
    }


def _meeting_of_ben_and_cy(b):
    """ben and cy attend (4,000,000 of 8,000,000): a third or more, but not a majority."""
    called = M - timedelta(days=45)
    board(b, "B-M", called, {"id": "R-M", "kind": "call_meeting"})
    ok(b.call_meeting("M-1", on=called, kind="special", meeting_on=M, record_date=M - timedelta(days=30),
                      called_by="R-M", matters=[{"id": "X-1"}]))  # fmt: skip
    ok(b.send_notice("M-1", on=M - timedelta(days=20)))
    ok(b.prepare_stockholder_list("M-1", on=M - timedelta(days=20)))
    return b.hold_meeting(
        "M-1", on=M, present=["ben", "cy"], votes=[{"matter": "X-1", "for": ["ben"], "against": ["cy"]}]
    )


def _quorum_finding(r):
    return next((f for f in findings(r) if f.code == "MB-MEETING-NO-QUORUM"), None)


def test_the_charter_quorum_of_one_third_applies(tmp_path):
    b = acme(tmp_path, extra=ONE_THIRD)
    r = ok(_meeting_of_ben_and_cy(b))
    assert _quorum_finding(r) is None
    assert b.approvals().get("X-1").passed


def test_without_it_the_statute_s_majority_applies(tmp_path):
    b = acme(tmp_path)
    r = _meeting_of_ben_and_cy(b)
    f = _quorum_finding(r)
    assert f is not None and "statute's default" in f.message
    assert not b.approvals().get("X-1").passed


def test_the_charter_quorum_goes_before_a_bylaw(tmp_path):
    b = acme(tmp_path, extra=ONE_THIRD)
    on = date(2011, 1, 10)  # the stockholders adopt a bylaw quorum of a majority by consent (ada and ben)
    m = [{"id": "C-Q-1", "kind": "amend_bylaws"}]
    ok(b.written_consent("C-Q", on=on, matters=m, signatures=[sig("ada", on), sig("ben", on)]))
    ok(b.amend_bylaws("quorum", "A majority of the shares entitled to vote", on=on, approved_by="C-Q-1"))
    r = ok(_meeting_of_ben_and_cy(b))
    assert _quorum_finding(r) is None and b.approvals().get("X-1").passed
    # and where the meeting fails its quorum, the finding names the charter's
    b = acme(tmp_path / "b2", extra=ONE_THIRD)
    called = M - timedelta(days=45)
    board(b, "B-M", called, {"id": "R-M", "kind": "call_meeting"})
    ok(b.call_meeting("M-1", on=called, kind="special", meeting_on=M, record_date=M - timedelta(days=30),
                      called_by="R-M", matters=[{"id": "X-1"}]))  # fmt: skip
    ok(b.send_notice("M-1", on=M - timedelta(days=20)))
    ok(b.prepare_stockholder_list("M-1", on=M - timedelta(days=20)))
    r = b.hold_meeting("M-1", on=M, present=["cy"], votes=[{"matter": "X-1", "for": ["cy"]}])
    f = _quorum_finding(r)
    assert f is not None and "charter's, Art. SIXTH" in f.message
    assert any(c.startswith("Art. SIXTH") for c in f.cites)


def test_a_charter_quorum_below_one_third_is_reported_and_void(tmp_path):
    b = acme(tmp_path, extra=ONE_FIFTH)
    f = listed(b, "dgcl.216.quorum_floor", "MB-QUORUM-BELOW-FLOOR")
    assert any(c.startswith("Art. SIXTH") for c in f.cites)
    r = _meeting_of_ben_and_cy(b)  # the statute's majority applies instead
    q = _quorum_finding(r)
    assert q is not None and "below one third and void" in q.message
    unlisted(acme(tmp_path / "ok", extra=ONE_THIRD), "dgcl.216.quorum_floor")


def test_the_acme_charter_text_is_ours():
    assert "quorum" not in ACME.lower() and tagged([]) == set()
