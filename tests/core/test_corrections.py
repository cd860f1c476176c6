"""Correcting the record (issue 14): a `Correction` voids or replaces an earlier event; the log keeps both
(append-only, the hash chain unchanged) and every view reads the corrected history; the corrected history is
checked again (a correction that breaks a later act is refused, nothing written); and the approval the law
needs for it (`dgcl.224.correction_approved`): none for a clerical slip, the board's for a change to an act.

Books are small Acme Widgets books from the DGCL test kit (tests/law/dgcl_kit.py), on real SQLite files."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "law"))

from dgcl_kit import acme, board, fails, kept, ok, passes  # noqa: E402

from minutebook.book import export_book, import_book, open_book  # noqa: E402
from minutebook.core.corrections import corrected  # noqa: E402
from minutebook.core.errors import InputError, NotFoundError  # noqa: E402
from minutebook.core.events import Correction, Event, SharesIssued, StakeholderAdded  # noqa: E402
from minutebook.core.replay import replay  # noqa: E402

RULE = "dgcl.224.correction_approved"
FIXED_ON = date(2010, 4, 2)


def issued(b, holder: str) -> Event:
    return next(e for e in b.log if isinstance(e.body, SharesIssued) and e.body.holder_id == holder)


def with_fix_resolution(b):
    """The board's resolution approving corrections of the record (R-FIX, 2010-04-01)."""
    board(b, "B-FIX", date(2010, 4, 1), {"id": "R-FIX", "kind": "correction"}, form="consent")
    return b


@pytest.fixture
def book(tmp_path):
    b = with_fix_resolution(acme(tmp_path))
    yield b
    b.close()


# --- the history a log stands for (pure) ------------------------------------------------------------------


def _ev(seq: int, body, on=date(2020, 1, 1)) -> Event:
    return Event(body, on, seq=seq)


def test_corrected_leaves_a_voided_event_out_and_puts_a_replacement_in_its_place():
    a = _ev(1, StakeholderAdded("a", "Ann"))
    b = _ev(2, StakeholderAdded("b", "Bem"))
    fix = StakeholderAdded("b", "Ben").to_payload()
    log = [
        a,
        b,
        _ev(3, Correction(2, "StakeholderAdded", "misspelt", fix), date(2021, 1, 1)),
        _ev(4, Correction(1, "StakeholderAdded", "entered in error"), date(2021, 1, 1)),
    ]
    history = corrected(log)
    assert [e.seq for e in history] == [2, 3, 4]
    assert history[0].body.name == "Ben" and history[0].effective_on == b.effective_on
    assert corrected(history) == history  # reading it twice changes nothing
    assert set(replay(log, date(2022, 1, 1)).holders) == {"b"}
    assert replay(log, date(2022, 1, 1)).holders["b"].name == "Ben"


def test_the_latest_correction_of_an_event_decides():
    log = [
        _ev(1, StakeholderAdded("a", "Ann")),
        _ev(2, Correction(1, "StakeholderAdded", "void", None)),
        _ev(3, Correction(1, "StakeholderAdded", "restore", StakeholderAdded("a", "Anne").to_payload())),
    ]
    assert replay(log, date(2022, 1, 1)).holders["a"].name == "Anne"
    assert "a" not in replay(log[:2], date(2022, 1, 1)).holders


# --- every view reads the corrected history; the log keeps both -------------------------------------------


def test_a_corrected_issuance_shows_in_the_cap_table_the_state_and_the_projections(book):
    ben = issued(book, "ben")
    hashes = book.hashes()
    r = ok(book.correct(ben.seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON, approved_by="R-FIX"))
    passes(r, RULE)
    # the log keeps the original, unchanged; its hash chain still proves itself
    assert issued(book, "ben").body.shares == 2_500_000
    assert all(book.hashes()[s] == h for s, h in hashes.items())
    assert book.verify() == []
    # the history reads the replacement in the original's place
    fixed = next(e for e in book.events if e.seq == ben.seq)
    assert fixed.body.shares == 2_000_000 and fixed.body.consideration == Decimal("2000.000")
    assert fixed.effective_on == ben.effective_on
    assert book.state().held("ben", "common") == 2_000_000
    rows = {h.holder_id: h.shares for h in book.cap_table().rows}
    assert rows["ben"] == 2_000_000
    # a past date (the dated ledger projection) and a book opened again from the store read it too
    assert {h.holder_id: h.shares for h in book.cap_table(date(2010, 2, 1)).rows}["ben"] == 2_000_000
    again = open_book(book.url)
    try:
        assert again.state().held("ben", "common") == 2_000_000
        assert again.corrected_by()[ben.seq].seq == r.event.seq
    finally:
        again.close()


def test_a_void_takes_the_event_out_of_every_view_and_the_ocf_export(book, tmp_path):
    from minutebook.ocf.writer import export_package

    cy = issued(book, "cy")
    ok(book.void(cy.seq, reason="never made", on=FIXED_ON, approved_by="R-FIX"))
    assert book.state().held("cy", "common") == 0
    assert all(e.seq != cy.seq for e in book.events)
    assert any(e.seq == cy.seq for e in book.log)
    files = export_package(book, tmp_path / "pkg").files
    text = " ".join(json.dumps(json.loads(d)["items"]) for n, d in files.items() if n.endswith("s.ocf.json"))
    assert "1500000" not in text and "2500000" in text
    assert book.verify() == []


def test_the_governance_record_reads_the_corrected_history(book):
    ok(book.fix_board_size(3, on=date(2010, 2, 1), approved_by="R-1"))
    size = next(e for e in book.log if e.type == "BoardSizeFixed")
    ok(
        book.correct(
            size.seq, {"size": 5}, reason="the resolution said five", on=FIXED_ON, approved_by="R-FIX"
        )
    )
    assert book.board_size() == 5
    assert book.board_size(date(2010, 3, 1)) == 5


def test_export_and_import_keep_the_corrections_and_the_corrected_view(book, tmp_path):
    ben = issued(book, "ben")
    ok(book.correct(ben.seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON, approved_by="R-FIX"))
    export_book(book, tmp_path / "export")
    copy = import_book(f"sqlite:///{tmp_path}/copy.db", tmp_path / "export")
    try:
        assert len(copy.log) == len(book.log)
        assert copy.state().held("ben", "common") == 2_000_000
        assert copy.verify() == []
    finally:
        copy.close()


# --- the corrected history is checked again ---------------------------------------------------------------


def test_voiding_an_issuance_whose_shares_were_later_transferred_is_refused(book):
    ok(book.transfer("ben", "cy", "common", 1_000_000, on=date(2010, 3, 1)))
    n = len(book.log)
    r = book.void(issued(book, "ben").seq, reason="never made", on=FIXED_ON, approved_by="R-FIX")
    assert r.refused
    assert "MB-CORRECTION-CONFLICT" in {f.code for f in r.errors}
    assert len(book.log) == n and book.state().held("ben", "common") == 1_500_000


def test_a_correction_that_breaks_the_rule_on_the_event_itself_is_refused_with_that_rule(book):
    r = book.correct(
        issued(book, "ben").seq, {"shares": 9_000_000}, reason="x", on=FIXED_ON, approved_by="R-FIX"
    )
    assert r.refused
    assert "MB-ISSUE-EXCEEDS-AUTHORIZED" in {f.code for f in r.errors}


def test_a_correction_that_keeps_the_history_valid_is_recorded(book):
    ok(book.transfer("ben", "cy", "common", 1_000_000, on=date(2010, 3, 1)))
    r = book.correct(
        issued(book, "ben").seq, {"shares": 1_000_000}, reason="x", on=FIXED_ON, approved_by="R-FIX"
    )
    ok(r)
    assert book.state().held("ben", "common") == 0


# --- the approval the law needs (dgcl.224.correction_approved) --------------------------------------------


def test_a_clerical_correction_needs_no_approval(book):
    ben = next(e for e in book.log if isinstance(e.body, StakeholderAdded) and e.body.holder_id == "ben")
    passes(book.correct(ben.seq, {"name": "Ben Ode"}, reason="misspelt", on=FIXED_ON), RULE)
    assert book.holders["ben"].name == "Ben Ode"


def test_a_change_to_an_issuance_needs_the_boards_approval(book):
    seq = issued(book, "ben").seq
    fails(book.correct(seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON), RULE, "MB-APPROVAL-MISSING")
    fails(book.void(seq, reason="never", on=FIXED_ON, approved_by="R-NONE"), RULE, "MB-APPROVAL-UNKNOWN")
    passes(book.correct(seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON, approved_by="R-FIX"), RULE)


def test_the_approval_must_come_before_the_correction(book):
    seq = issued(book, "ben").seq
    r = book.correct(seq, {"shares": 2_000_000}, reason="typo", on=date(2010, 3, 1), approved_by="R-FIX")
    fails(r, RULE, "MB-APPROVAL-AFTER-ACT")


def test_a_historical_correction_without_approval_is_kept_with_the_defect(book):
    seq = issued(book, "ben").seq
    r = book.correct(seq, {"shares": 2_000_000}, reason="typo", on=FIXED_ON, historical=True)
    kept(r, RULE, "MB-APPROVAL-MISSING")


def test_the_charter_as_filed_is_corrected_only_with_the_boards_approval(book):
    r = book.correct(1, {"name": "Acme Widget, Inc."}, reason="misread", on=FIXED_ON)
    fails(r, RULE, "MB-APPROVAL-MISSING")
    assert "103(f)" in r.errors[0].message


# --- what a user names wrongly: InputError (the command line's exit 2) ------------------------------------


def test_what_a_correction_names_must_exist_and_make_sense(book):
    n = len(book.log)
    with pytest.raises(NotFoundError):
        book.void(999, reason="x")
    with pytest.raises(InputError, match="no field 'sharez'"):
        book.correct(issued(book, "ben").seq, {"sharez": 1}, reason="x")
    with pytest.raises(InputError, match="incorporation"):
        book.void(1, reason="x")
    with pytest.raises(InputError, match="reason"):
        book.void(issued(book, "ben").seq, reason="  ")
    with pytest.raises(InputError, match="changes nothing"):
        book.correct(issued(book, "ben").seq, {"shares": 2_500_000}, reason="x")
    holder = next(e for e in book.log if isinstance(e.body, StakeholderAdded))
    r = ok(book.correct(holder.seq, {"email": "ada@example.com"}, reason="x", on=FIXED_ON))
    with pytest.raises(InputError, match="itself a correction"):
        book.void(r.event.seq, reason="x")
    ok(book.board_act("B-9", on=FIXED_ON, form="consent", present=["ada", "ben", "cy"], resolutions=[]))
    act = book.log[-1].seq
    ok(book.void(act, reason="entered twice", on=FIXED_ON, approved_by="R-FIX"))
    with pytest.raises(InputError, match="voided"):
        book.correct(act, {"form": "meeting"}, reason="x")
    assert len(book.log) == n + 3
