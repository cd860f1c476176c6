"""`minutebook tax`, `tax calc` and `tax assets` as a user runs them: the Auxer explanation (both methods,
the lesser, and why, every figure with its source), JSON, the what-if, the standalone calculator,
recording gross assets, and bad input (one line on stderr, exit 2, nothing written).

The Auxer explanation and one bad input run in real subprocesses; the rest call the same entry point
(`minutebook.cli.app.main`, which turns every error into one line and an exit code) in process, which
keeps the file fast."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clihelp import ok, one_line_error
from minutebook.book import open_book

ENV = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}


def mb(cwd: Path, command: str, db: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *shlex.split(command)]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=ENV)


def mb_all(cwd: Path, commands: list[str], db: Path | None = None) -> list[subprocess.CompletedProcess]:
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda c: mb(cwd, c, db), commands))


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """`minutebook COMMAND` in process: (exit code, stdout, stderr) as a CompletedProcess."""
    from minutebook.cli.app import main

    def run(command: str, db: Path | None = None) -> subprocess.CompletedProcess:
        argv = ["minutebook", *shlex.split(command), *(["--db", str(db)] if db else [])]
        monkeypatch.setattr(sys, "argv", argv)
        monkeypatch.chdir(db.parent if db else tmp_path)
        monkeypatch.delenv("MINUTEBOOK_DB", raising=False)
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main()
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, done.value.code, out, err)

    return run


def events_in(db: Path) -> int:
    b = open_book(f"sqlite:///{db}")
    try:
        return len(b.events)
    finally:
        b.close()
        b.engine.dispose()


@pytest.fixture
def db(template, tmp_path) -> Path:
    """A copy of the Auxer book with 150,000,000 common issued (conftest.py's `template`)."""
    for f in template.parent.glob("mb.db*"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "mb.db"


def test_auxer_explain_shows_both_methods_the_lesser_and_why(db):
    explain, as_json, short = (
        ok(p)
        for p in mb_all(
            db.parent,
            [
                "tax --year 2025 --gross-assets 1000000 --explain",
                "tax --year 2025 --gross-assets 1,000,000 --json",
                "tax --year 2025 --gross-assets $1000000",
            ],
            db,
        )
    )
    out = explain.stdout
    assert "The Auxer Group, Inc.: Delaware franchise tax for tax year 2025" in out
    assert "Authorized shares method" in out and "$200,000.00" in out
    assert "Assumed par value capital method" in out and "$800.00" in out
    assert "Tax (the lesser: assumed par value capital method)" in out and "saving $199,200.00" in out
    assert "Why: Delaware charges the lesser of the two methods" in out
    assert "175,000,000 authorized shares (all classes) is more than 10,000" in out
    assert "0.0066666666... -> 0.006667" in out and "ceil(1,166,725 / 1,000,000) = 2 x $400" in out
    assert "event 3 (CharterAmended" in out and "stock ledger replayed to 2025-12-31" in out
    assert out.count("source:") >= 15
    data = json.loads(as_json.stdout)
    assert data["book"] == "the-auxer-group-inc" and data["tax"] == "800.00" and data["method"] == "apvc"
    assert data["authorized_shares_method"] == "200000.00" and data["total_due"] == "850.00"
    assert all(line["source"] for line in data["trace"])
    assert "$800.00" in short.stdout and "--explain" in short.stdout and "source:" not in short.stdout


def test_what_if_and_standalone_calc(db, cli):
    what_if = ok(cli("tax --year 2025 --gross-assets 1000000 --what-if-authorized 160,000,000", db))
    calc, classes, nopar, what_if_json = (
        ok(cli(c))
        for c in (
            "tax calc --authorized 10000 --par 0.001 --issued 5000 --gross-assets 100000 --year 2025 --json",
            "tax calc --class common:1,000,000:1 --class pref:250,000:5 --issued 485,000 --gross-assets 1000000"
            " --year 2025 --json",
            "tax calc --authorized 20001 --par none --issued 1 --gross-assets 1 --year 2025 --explain",
            "tax calc --authorized 10000000 --par 0.0001 --issued 4,000,000 --gross-assets 100000 --year 2025"
            " --what-if-authorized 5,000,000 --json",
        )
    )
    assert "What if the charter authorized 160,000,000 shares for all of 2025?" in what_if.stdout
    c = json.loads(calc.stdout)
    # ASM: 10,000 shares -> $250; APVC: 100,000 / 5,000 = 20; 10,000 x 20 = $200,000 -> the $400 minimum
    assert (c["authorized_shares_method"], c["assumed_par_value_capital_method"], c["tax"]) == (
        "250.00",
        "400.00",
        "250.00",
    )
    assert json.loads(classes.stdout)["tax"] == "1600.00"  # the Division's example (V3)
    assert "stock without par" in nopar.stdout and "$420" in nopar.stdout
    w = json.loads(what_if_json.stdout)
    # 10,000,000 -> $85,165; 5,000,000 -> $250 + 499 x $85 = $42,665; APVC (0.025): $400 both ways
    assert w["as_given"]["tax"] == "400.00" and w["what_if"]["authorized_shares_method"] == "42665.00"


def test_record_gross_assets_then_tax_uses_them(db, cli):
    before = events_in(db)
    p = ok(cli("tax assets --year 2025 1,000,000 --on 2026-01-15", db))
    assert "gross assets for tax year 2025: $1,000,000.00" in p.stdout
    assert events_in(db) == before + 1
    data = json.loads(ok(cli("tax --year 2025 --json", db)).stdout)
    assert data["tax"] == "800.00" and data["periods"][0]["gross_assets"] == "1000000"
    assets = [x for x in data["trace"] if x["section"] == "input" and x["text"].startswith("gross assets")]
    assert "recorded: event" in assets[0]["source"]


BAD = [
    ("tax --year 2025 --gross-assets -5", "--gross-assets: must be zero or more"),
    ("tax --year 2025 --gross-assets abc", "--gross-assets: not an amount"),
    ("tax --year 2025 --gross-assets 1e6", "--gross-assets: not an amount"),
    ("tax --year 1996", "1996 is before The Auxer Group, Inc. was incorporated (1997-07-31)"),
    ("tax --year 2013", "no Delaware franchise-tax rates for tax year 2013"),
    ("tax --year 20x5", "--year: not a tax year"),
    ("tax --year 2025 --what-if-authorized 1000000", "fewer than the 150,000,000 shares issued"),
    ("tax assets --year 2025 -5", "AMOUNT: must be zero or more"),
    ("tax assets --year 2025 lots", "AMOUNT: not an amount"),
    ("tax assets --year 1996 100", "1996 is before The Auxer Group, Inc. was incorporated"),
    ("tax assets --year 2013 100", "no Delaware franchise-tax rates for tax year 2013"),
    ("tax assets 100", "--year: missing"),
]


def test_bad_input_is_one_line_exit_2_nothing_written(db, cli):
    before = events_in(db)
    for command, message in BAD:
        assert message in one_line_error(cli(command, db)), command
    assert events_in(db) == before
    # and in a real process: one line, no traceback
    assert "must be zero or more" in one_line_error(mb(db.parent, "tax assets --year 2025 -5", db))
    assert events_in(db) == before


def test_bad_input_without_a_book(cli):
    cases = [
        ("tax calc --authorized 10000 --par 0.001 --issued 5000 --gross-assets -1", "must be zero or more"),
        ("tax calc --authorized 10000 --par 0.001 --issued 5000 --gross-assets x", "not an amount"),
        ("tax calc --authorized 10000 --par 0.001 --year 2010", "tax year 2010"),
        ("tax calc --par 0.001", "--authorized: missing"),
        ("tax calc --class common:10:0.1 --authorized 5", "not both"),
        ("tax calc --class common:ten:0.1", "not a whole number"),
        ("tax --year 2025", "no such database"),
    ]
    for command, message in cases:
        assert message in one_line_error(cli(command)), command
