"""The equity commands driven as a user would: a plan, vesting, a valuation, grants, an exercise, a SAFE, the
fully diluted cap table, the option ledger and a modelled round (table and JSON); and the bad inputs a tired user
types — a grant above the pool, an exercise of unvested or expired options, an exercise price below par, a SAFE
conversion with no priced round, a vesting schedule that does not sum — each one line (exit 2) or the findings and
exit 1, nothing written.

The book is Acme Widgets (tests/law/dgcl_kit.py: 10,000,000 common authorized, 8,000,000 issued, par $0.001) with the
board's resolutions R-P (adopt a plan), R-G (grant awards), R-C (issue convertibles)."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "law"))
from dgcl_kit import acme, board  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("acme")
    b = acme(d)
    board(
        b,
        "B-EQ",
        date(2011, 1, 3),
        {"id": "R-P", "kind": "adopt_plan"},
        {"id": "R-G", "kind": "grant_awards"},
        {"id": "R-C", "kind": "issue_convertible"},
        form="consent",
    )
    b.close()
    return d / "b.db"


@pytest.fixture
def db(built, tmp_path) -> Path:
    p = tmp_path / "b.db"
    shutil.copy(built, p)
    for cmd in (
        "plan adopt P-1 1,000,000 --name '2011 Plan' --approved-by R-P --on 2011-01-03",
        "vesting define std 48/12 --on 2011-01-03",
        "valuation add V-1 0.10 --provider 'Appraisal Co.' --on 2011-01-03",
        "holder add dee 'Dee Park' --on 2011-01-03",
        "holder add ang 'Angel Fund' --on 2011-01-03",
        "grant O-1 dee 480,000 --plan P-1 --price 0.10 --type ISO --expires 2021-01-31 --vesting std "
        "--window default=90 --approved-by R-G --on 2011-02-01",
        "safe issue S-1 ang 500,000 --cap 5,000,000 --discount 20% --approved-by R-C --on 2011-03-01",
    ):
        ok(inproc(p, cmd))
    return p


def count(db: Path) -> int:
    return len(json.loads(ok(inproc(db, "log --json")).stdout))


def test_fully_diluted_and_the_option_ledger(db):
    out = ok(inproc(db, "captable --fully-diluted --as-of 2012-03-01")).stdout
    assert "dee" in out and "480,000" in out and "520,000" in out  # options, then the pool left
    data = json.loads(ok(inproc(db, "captable --fully-diluted --as-of 2012-03-01 --json")).stdout)
    # 8,000,000 outstanding + 480,000 options + 520,000 available in the pool
    assert (data["outstanding"], data["options"], data["pool_available"], data["fully_diluted"]) == (
        8_000_000,
        480_000,
        520_000,
        9_000_000,
    )
    assert data["convertibles"][0]["id"] == "S-1" and data["convertibles"][0]["amount"] == "500000"
    # before the incorporation: said, as the plain cap table says it, not an empty table
    early = ok(inproc(db, "captable --fully-diluted --as-of 1990-01-01")).stdout
    assert "no charter in force on 1990-01-01 (before incorporation)" in early and "holder" not in early
    awards = json.loads(ok(inproc(db, "award list --as-of 2012-03-01 --json")).stdout)["awards"]
    # 13 months from 2011-02-01: 480,000 × 13/48 = 130,000 vested
    assert awards[0]["vested"] == 130_000 and awards[0]["exercisable"] == 130_000
    pools = json.loads(ok(inproc(db, "plan list --as-of 2012-03-01 --json")).stdout)["pools"]
    assert pools == [{"plan": "P-1", "reserved": 1_000_000, "granted": 480_000, "available": 520_000}]


def test_exercise_issues_the_stock(db):
    before = count(db)
    p = ok(inproc(db, "exercise O-1 120,000 --on 2012-02-01"))
    assert "O-1" in p.stdout and count(db) == before + 2  # the exercise and the stock, as one act
    ct = json.loads(ok(inproc(db, "captable --as-of 2012-02-01 --json")).stdout)
    assert any(h["holder"] == "dee" and h["shares"] == 120_000 for h in ct["holdings"])


def test_round_is_modelled_without_writing(db):
    before = count(db)
    p = ok(
        inproc(db, "round --pre-money 9,000,000 --new-money lead=1,000,000 --pool 10% --on 2012-01-01 --json")
    )
    m = json.loads(p.stdout)
    assert m["conversions"][0]["id"] == "S-1" and m["price"] and m["pool_top_up"] >= 0
    assert count(db) == before
    text = ok(inproc(db, "round --pre-money 9,000,000 --new-money 1,000,000 --on 2012-01-01")).stdout
    assert "price per share" in text and "S-1" in text


@pytest.mark.parametrize(
    ("command", "says", "code"),
    [
        (
            "grant O-2 dee 520,001 --plan P-1 --price 0.10 --approved-by R-G --on 2011-02-02",
            "MB-GRANT-EXCEEDS-POOL",
            1,
        ),
        ("exercise O-1 1 --on 2011-06-01", "MB-EXERCISE-UNVESTED", 1),
        ("exercise O-1 1,000 --on 2021-02-01", "MB-AWARD-EXPIRED", 1),
        (
            "safe convert S-1 --shares 125,000 --price 0.40 --round-price 1.00 --class common --on 2012-01-01",
            "MB-CONVERSION-NO-ROUND",
            1,
        ),
        (
            "grant W-1 dee 10 --kind warrant --class common --price 0.0001 --approved-by R-G --on 2011-02-02",
            None,
            0,
        ),
    ],
)
def test_refused_acts_write_nothing(db, command, says, code):
    before = count(db)
    p = inproc(db, command)
    if code == 0:
        ok(p)
        # a warrant at $0.0001 is below the $0.001 par: its exercise is refused by §153
        q = inproc(db, "exercise W-1 10 --on 2011-02-03")
        assert q.returncode == 1 and "MB-ISSUE-BELOW-PAR" in q.stdout
        assert count(db) == before + 1
        return
    assert p.returncode == code, p.stdout + p.stderr
    assert says in p.stdout and "nothing written" in p.stderr and "Traceback" not in p.stderr
    assert count(db) == before


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("vesting define bad 12:1/4,24:1/4 --on 2011-02-01", "sum to 1/2, not 1"),
        ("vesting define bad 48/13/2 --on 2011-02-01", "do not divide"),
        (
            "grant O-9 dee 10 --plan P-1 --price 0.10 --vesting 12:1/3 --approved-by R-G --on 2011-02-01",
            "sum to 1/3",
        ),
        ("grant O-9 dee -5 --plan P-1 --price 0.1 --on 2011-02-01", "SHARES"),
        ("grant O-9 dee 10 --plan P-9 --price 0.1 --on 2011-02-01", "no plan 'P-9'"),
        ("grant O-9 ghost 10 --plan P-1 --price 0.1 --on 2011-02-01", "no holder 'ghost'"),
        ("grant O-9 dee 10 --plan P-1 --on 2011-02-01", "needs its exercise price"),
        ("grant O-9 dee 10 --kind stock --plan P-1 --on 2011-02-01", "--kind"),
        ("grant O-9 dee 10 --plan P-1 --price 0.1 --window default=soon --on 2011-02-01", "a number of days"),
        ("exercise O-9 10 --on 2012-02-01", "no award 'O-9'"),
        ("exercise O-1 10 --method barter --on 2012-02-01", "--method"),
        ("safe issue S-2 ang 100 --discount 120% --on 2011-03-01", "--discount"),
        (
            "safe convert S-9 --shares 1 --price 1 --round-price 1 --class common --on 2012-01-01",
            "no SAFE or note",
        ),
        ("round --pre-money 0 --new-money 1 --on 2012-01-01", "pre"),
        ("round --pre-money 1,000 --new-money x=abc --on 2012-01-01", "--new-money"),
        ("plan adopt P-2 1,000.5 --on 2011-01-03", "whole number"),
    ],
)
def test_bad_input_is_one_line(db, command, says):
    before = count(db)
    err = one_line_error(inproc(db, command))
    assert says in err, err
    assert count(db) == before


def test_service_ends_once(db):
    """A holder's service ends once: the first departure stops vesting; a second is refused naming the first."""
    p = inproc(db, "award service-ended dee --reason involuntary --on 2012-06-01")
    assert p.returncode == 0, p.stdout + p.stderr
    before = count(db)
    err = one_line_error(inproc(db, "award service-ended dee --on 2012-07-01"))
    assert "service already ended on 2012-06-01 (involuntary)" in err, err
    assert count(db) == before
