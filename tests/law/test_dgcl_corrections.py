"""`dgcl.224.correction_approved` (§§224, 142(a), 103(f)): a correction of the record that changes what an
act did names the approval of the body whose act it was; a clerical slip needs none. The rest of the
corrections' behaviour (the corrected history, its re-check, the views) is tested in tests/core/test_corrections.py."""

from __future__ import annotations

from datetime import date

from dgcl_kit import acme, board, fails, kept, passes

FIXED_ON = date(2010, 4, 2)


def _book(tmp_path):
    b = acme(tmp_path)
    board(b, "B-FIX", date(2010, 4, 1), {"id": "R-FIX", "kind": "correction"}, form="consent")
    return b


def _seq(b, type_: str, holder: str) -> int:
    return next(e.seq for e in b.log if e.type == type_ and e.body.holder_id == holder)


def test_a_clerical_slip_needs_no_approval(tmp_path):
    b = _book(tmp_path)
    r = b.correct(_seq(b, "StakeholderAdded", "ben"), {"name": "Ben Ode"}, reason="misspelt", on=FIXED_ON)
    passes(r, "dgcl.224.correction_approved")


def test_a_changed_issuance_needs_the_boards_approval(tmp_path):
    b = _book(tmp_path)
    seq = _seq(b, "SharesIssued", "ben")
    fails(
        b.correct(seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON),
        "dgcl.224.correction_approved",
        "MB-APPROVAL-MISSING",
    )
    r = b.correct(seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON, approved_by="R-FIX")
    passes(r, "dgcl.224.correction_approved")


def test_a_void_names_a_known_approval(tmp_path):
    b = _book(tmp_path)
    r = b.void(_seq(b, "SharesIssued", "cy"), reason="never made", on=FIXED_ON, approved_by="R-NONE")
    fails(r, "dgcl.224.correction_approved", "MB-APPROVAL-UNKNOWN")


def test_history_keeps_an_unapproved_correction_with_the_defect(tmp_path):
    b = _book(tmp_path)
    r = b.correct(
        _seq(b, "SharesIssued", "ben"), {"shares": 2_000_000}, reason="t", on=FIXED_ON, historical=True
    )
    kept(r, "dgcl.224.correction_approved", "MB-APPROVAL-MISSING")
