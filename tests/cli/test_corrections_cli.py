"""`minutebook void` and `minutebook correct`, driven in subprocesses on a small Acme Widgets book (set up
through the Python API, tests/law/dgcl_kit.py): a correction recorded and read by the cap table, `log` showing
the original marked "corrected by #N"/"voided by #N", a correction the law refuses (exit 1, findings, nothing
written), and each mistake a user can make (one line naming it, exit 2, nothing written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "law"))

from dgcl_kit import acme, board  # noqa: E402
from dgcl_kit import ok as recorded  # noqa: E402

from clihelp import ok, one_line_error  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k not in ("MINUTEBOOK_DB", "MINUTEBOOK_ACTOR")}


def mb(db: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *args, "--db", str(db)]
    return subprocess.run(cmd, cwd=db.parent, capture_output=True, text=True, timeout=120, env=ENV)


@pytest.fixture
def acme_db(tmp_path) -> tuple[Path, dict[str, int]]:
    """Acme's book with a transfer ben -> cy and the board's R-FIX; the sequences of what the tests name."""
    b = acme(tmp_path)
    board(b, "B-FIX", date(2010, 4, 1), {"id": "R-FIX", "kind": "correction"}, form="consent")
    recorded(b.transfer("ben", "cy", "common", 1_000_000, on=date(2010, 3, 1)))
    seqs = {
        "ben_added": next(e.seq for e in b.log if e.type == "StakeholderAdded" and e.body.holder_id == "ben"),
        "ben_issued": next(e.seq for e in b.log if e.type == "SharesIssued" and e.body.holder_id == "ben"),
        "cy_issued": next(e.seq for e in b.log if e.type == "SharesIssued" and e.body.holder_id == "cy"),
        "events": len(b.log),
    }
    b.close()
    return tmp_path / "b.db", seqs


def holdings(db: Path) -> dict[str, int]:
    return {h["holder"]: h["shares"] for h in json.loads(ok(mb(db, "captable", "--json")).stdout)["holdings"]}


def log_json(db: Path) -> list[dict]:
    return json.loads(ok(mb(db, "log", "--json")).stdout)


def test_correct_an_issuance_and_every_view_reads_it(acme_db):
    db, seq = acme_db
    n = seq["ben_issued"]
    p = ok(
        mb(
            db,
            "correct",
            str(n),
            "--set",
            "shares=2,000,000",
            "--reason",
            "typo in the count",
            "--approved-by",
            "R-FIX",
            "--on",
            "2010-04-02",
        )
    )
    assert f"corrects event {n}" in p.stdout
    assert holdings(db)["ben"] == 1_000_000  # 2,000,000 issued, 1,000,000 transferred to cy
    rows = log_json(db)
    assert len(rows) == seq["events"] + 1
    original = next(r for r in rows if r["seq"] == n)
    assert original["payload"]["shares"] == 2_500_000 and original["corrected_by"] == seq["events"] + 1
    assert not original["voided"]
    text = ok(mb(db, "log")).stdout
    assert f"corrected by #{seq['events'] + 1}" in text
    ok(mb(db, "verify"))


def test_a_clerical_correction_needs_no_approval(acme_db):
    db, seq = acme_db
    ok(
        mb(
            db,
            "correct",
            str(seq["ben_added"]),
            "--set",
            "name=Ben Ode",
            "--reason",
            "misspelt",
            "--on",
            "2010-04-02",
        )
    )
    assert "Ben Ode" in ok(mb(db, "holder", "list")).stdout


def test_void_refused_when_the_shares_were_later_transferred(acme_db):
    db, seq = acme_db
    p = mb(
        db,
        "void",
        str(seq["ben_issued"]),
        "--reason",
        "never made",
        "--approved-by",
        "R-FIX",
        "--on",
        "2010-04-02",
    )
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "MB-CORRECTION-CONFLICT" in p.stdout and "nothing written" in p.stderr
    assert len(log_json(db)) == seq["events"]


def test_void_recorded_and_marked_in_the_log(acme_db):
    db, seq = acme_db
    n = seq["cy_issued"]
    ok(mb(db, "void", str(n), "--reason", "never made", "--approved-by", "R-FIX", "--on", "2010-04-02"))
    assert holdings(db)["cy"] == 1_000_000  # only what ben transferred
    assert f"voided by #{seq['events'] + 1}" in ok(mb(db, "log")).stdout
    assert next(r for r in log_json(db) if r["seq"] == n)["voided"] is True


def test_a_change_to_an_act_without_the_approval_is_refused(acme_db):
    db, seq = acme_db
    p = mb(
        db,
        "correct",
        str(seq["ben_issued"]),
        "--set",
        "shares=2000000",
        "--reason",
        "typo",
        "--on",
        "2010-04-02",
    )
    assert p.returncode == 1 and "MB-APPROVAL-MISSING" in p.stdout and "Traceback" not in p.stderr
    assert len(log_json(db)) == seq["events"]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["void", "999", "--reason", "x"], "no event 999"),
        (["void", "abc", "--reason", "x"], "SEQ"),
        (["void", "1", "--reason", "x"], "incorporation"),
        (["void", "{ben_issued}"], "--reason"),
        (["correct", "{ben_issued}", "--reason", "x"], "--set"),
        (["correct", "{ben_issued}", "--set", "sharez=5", "--reason", "x"], "no field 'sharez'"),
        (["correct", "{ben_issued}", "--set", "shares=many", "--reason", "x"], "--set shares"),
        (
            ["correct", "{ben_issued}", "--set", "price_per_share=-1", "--reason", "x"],
            "--set price_per_share",
        ),
        (["correct", "{ben_issued}", "--set", "shares", "--reason", "x"], "FIELD=VALUE"),
        (["correct", "999", "--set", "shares=5", "--reason", "x"], "no event 999"),
        (["correct", "{ben_issued}", "--set", "shares=5", "--reason", "x", "--on", "2010-02-30"], "--on"),
    ],
)
def test_a_users_mistake_is_one_line_and_exit_2(acme_db, args, names):
    db, seq = acme_db
    err = one_line_error(mb(db, *(a.format(**seq) for a in args)))
    assert names in err
    assert len(log_json(db)) == seq["events"]
