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


def test_a_books_event_by_sequence_is_the_historys_as_corrected(tmp_path):
    """`Book.event(seq)`: the event `events` holds under that sequence, found without copying the history (a large
    book's `check` looked each finding's event up by scanning a copy of the whole history: hours for a million)."""
    b = _book(tmp_path)
    fixed = _seq(b, "StakeholderAdded", "ben")
    gone = _seq(b, "SharesIssued", "ben")
    b.correct(fixed, {"name": "Ben Ode"}, reason="misspelt", on=FIXED_ON)
    b.void(gone, reason="never happened", on=FIXED_ON, approved_by="R-FIX")
    for seq in range(0, len(b.log) + 2):
        assert b.event(seq) == next((e for e in b.events if e.seq == seq), None)
    assert b.event(fixed).body.name == "Ben Ode" and b.event(gone) is None
    assert b.event(str(fixed)) is None and b.event(None) is None  # as the scan found none
