"""The book's command line, driven in subprocesses: the README walkthrough (init from the Auxer filing,
holders, issuing up to the 1999 capital, the over-issue refused with its citation, the cap table at two
dates, verify, log), the ledger commands' effects on the cap table, and every kind of bad input (one line
on stderr naming the field, exit 2, nothing written).

One database is initialised per module and copied for each test that writes."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error
from minutebook.book import open_book
from serverfail import admin_engine, sessions_ended_on_insert

AUXER = str(Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt")
SLUG = "the-auxer-group-inc"
INCORPORATED = date(1997, 7, 31)
R_ISSUE = "R-ISSUE"  # the board resolution `approve` records: every `issue` names it (--approved-by)
APPROVAL_EVENTS = 2  # what `approve` appends: the directors' election, the board's consent
# the README walkthrough's approval step, with the governance commands (`minutebook director`, `board`)
GOV_DIRECTOR = "director elect dana --name dana='Dana Director' --by incorporator --on 1997-07-31"
GOV_CONSENT = (
    "board consent --id B-ISSUE --on 1997-07-31 --signed-by dana "
    "--resolve 'R-ISSUE:issue_shares:The officers may issue common stock for at least par'"
)


ENV = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}


def mb(
    cwd: Path, *args: str, db: Path | str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=env or ENV)


def sh(db: Path | str, command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`minutebook COMMAND --db DB`, the command written as in a shell."""
    return mb(cwd or (db.parent if isinstance(db, Path) else Path.cwd()), *shlex.split(command), db=db)


def mb_all(
    cwd: Path, calls: list[list[str]], db: Path | str | None = None
) -> list[subprocess.CompletedProcess]:
    """Independent commands, run side by side (each is a process start; the file stays fast)."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda args: mb(cwd, *args, db=db), calls))


@contextmanager
def python_api(db: Path | str):
    """The book in `db` through the Python API, closed after (the engine disposed too: on SQLite that
    checkpoints the WAL into the database file, which the tests copy without its `-wal` file)."""
    book = open_book(str(db))
    try:
        yield book
    finally:
        book.close()
        book.engine.dispose()


def board_consent(book, action_id: str, on: date, *resolutions: dict) -> None:
    """The board (director d1, see `approve`) acts by unanimous written consent."""
    r = book.board_act(action_id, on=on, form="consent", present=["d1"], resolutions=resolutions)
    assert not r.refused, r.findings


def approve(db: Path | str, on: date = INCORPORATED) -> None:
    """Record, on the book in `db`, a board that authorises issuances (§152): a director named by the
    incorporator and a unanimous written consent with one blanket `issue_shares` resolution, `R_ISSUE`,
    both effective `on`. Through the Python API, so that these tests do not depend on the governance
    commands (`test_walkthrough_on_postgresql` runs the README's `director elect` and `board consent`)."""
    with python_api(db) as book:
        before = len(book.events)
        r = book.elect_directors(["d1"], on=on, names={"d1": "Dana Director"}, by="incorporator")
        assert not r.refused, r.findings
        text = "The officers may issue stock of any class for at least par (treasury shares at any price)."
        board_consent(book, "B-ISSUE", on, {"id": R_ISSUE, "kind": "issue_shares", "text": text})
        assert len(book.events) == before + APPROVAL_EVENTS


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The Auxer book with three holders: alice and bob from incorporation, carol from 1999-06-01; and the
    board's resolution `R_ISSUE` authorising issuances, from incorporation."""
    d = tmp_path_factory.mktemp("template")
    init = ok(mb(d, "init", "--from", AUXER, db=d / "mb.db"))
    ok(mb(d, "holder", "add", "alice", "Alice Ng", "--email", "alice@example.com", db=d / "mb.db"))
    ok(mb(d, "holder", "add", "bob", "Bob Ray", "--kind", "institution", db=d / "mb.db"))
    ok(mb(d, "holder", "add", "carol", "Carol Diaz", "--on", "1999-06-01", db=d / "mb.db"))
    approve(d / "mb.db")
    return d / "mb.db", init


@pytest.fixture
def db(template, tmp_path) -> Path:
    shutil.copy(template[0], tmp_path / "mb.db")
    return tmp_path / "mb.db"


def log_len(db: Path) -> int:
    return len(json.loads(ok(mb(db.parent, "log", "--json", db=db)).stdout))


def captable(db: Path, as_of: str) -> dict:
    return json.loads(ok(mb(db.parent, "captable", "--as-of", as_of, "--json", db=db)).stdout)


def captables(db: Path, *dates: str) -> list[dict]:
    ps = mb_all(db.parent, [["captable", "--as-of", d, "--json"] for d in dates], db=db)
    return [json.loads(ok(p).stdout) for p in ps]


def common(ct: dict) -> dict:
    return next(c for c in ct["classes"] if c["class"] == "common")


def holding(ct: dict, holder: str, cls: str = "common") -> int:
    return sum(h["shares"] for h in ct["holdings"] if h["holder"] == holder and h["class"] == cls)


# --- init ------------------------------------------------------------------------------------------------


def test_init_prints_findings_and_versions(template):
    out = template[1].stdout
    assert f"created {SLUG}" in out and "3 charter versions" in out
    assert "MB-FIGURE-MALFORMED" in out and "MB-BLANK-CHECK-NOT-BOARD" in out  # the reader's findings
    assert (
        "25,000,000 authorized" in out and "75,000,000 authorized" in out and "175,000,000 authorized" in out
    )
    # the Auxer file has warnings and notes but no error: init needed no --accept-findings
    read = json.loads(ok(mb(template[0].parent, "read", AUXER, "--json")).stdout)
    assert read["findings"] and all(f["severity"] != "error" for f in read["findings"])


def test_init_unreadable_file_writes_nothing(tmp_path):
    err = one_line_error(mb(tmp_path, "init", "--from", "missing.txt", db=tmp_path / "mb.db"))
    assert "missing.txt" in err
    assert not (tmp_path / "mb.db").exists()


def test_init_same_corporation_twice_is_refused(db):
    err = one_line_error(mb(db.parent, "init", "--from", AUXER, db=db))
    assert SLUG in err and "--corp" in err


def test_init_refuses_reader_errors_unless_accepted(tmp_path, monkeypatch):
    """The reader reports no error on any real filing, so one is injected (in process)."""
    from typer.testing import CliRunner

    import minutebook.ingest as ingest
    from minutebook.cli.app import app
    from minutebook.core.findings import error

    real = ingest.read

    def read_with_error(paths):
        r = real(paths)
        return type(r)(
            r.corporation,
            r.jurisdiction,
            r.documents,
            r.charter,
            (*r.findings, error("MB-TEST-ERROR", "an injected error")),
            r.errors,
            r.paths,
        )

    monkeypatch.setattr(ingest, "read", read_with_error)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    p = runner.invoke(app, ["init", "--from", AUXER, "--db", "mb.db"])
    assert p.exit_code == 1 and "MB-TEST-ERROR" in p.output and "--accept-findings" in p.output
    assert not (tmp_path / "mb.db").exists()
    p = runner.invoke(app, ["init", "--from", AUXER, "--db", "mb.db", "--accept-findings"])
    assert p.exit_code == 0, p.output
    assert "created" in p.output and (tmp_path / "mb.db").exists()


# --- the walkthrough -------------------------------------------------------------------------------------


def test_walkthrough_issue_up_to_authorized_and_refuse_the_over_issue(db):
    d = db.parent
    # before 1999-03-19 the charter authorizes 50,000,000 common: issue exactly that
    ok(sh(db, "issue alice 30,000,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE"))
    p = ok(sh(db, "issue bob 20000000 --class common --price 0.001 --on 1998-02-01 --approved-by R-ISSUE"))
    assert "recorded event" in p.stdout
    n = log_len(db)
    p = sh(db, "issue carol 1 --class common --price 0.001 --on 1999-07-01 --approved-by R-ISSUE")
    ok(p)  # after the 1999 amendment there is room
    p = sh(db, "issue bob 1 --class common --price 0.001 --on 1998-06-01 --approved-by R-ISSUE")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "MB-ISSUE-EXCEEDS-AUTHORIZED" in p.stdout and "8 Del. C. § 161" in p.stdout
    assert "50,000,000 authorized" in p.stdout and "nothing written" in p.stderr
    assert log_len(db) == n + 1
    # after 1999-03-19: 150,000,000 common; fill it up, then one more share is refused
    ok(sh(db, "issue carol 99,999,999 --class common --price 0.01 --on 1999-07-02 --approved-by R-ISSUE"))
    p = sh(db, "issue alice 1 --class common --price 0.01 --on 2000-01-01 --approved-by R-ISSUE")
    assert p.returncode == 1 and "8 Del. C. § 161" in p.stdout and "150,000,000 authorized" in p.stdout
    # a back-dated issuance that fits on its date but breaks a later one is refused too
    p = sh(db, "issue alice 1 --class common --price 0.01 --on 1999-06-30 --approved-by R-ISSUE")
    assert p.returncode == 1 and "MB-BACKDATED-CONFLICT" in p.stdout

    early, late = captables(db, "1998-12-31", "2000-01-01")
    assert early["as_of"] == "1998-12-31" and early["authorized"] == 75_000_000
    assert common(early) == {**common(early), "authorized": 50_000_000, "issued": 50_000_000, "available": 0}
    assert holding(early, "alice") == 30_000_000 and holding(early, "bob") == 20_000_000
    assert holding(early, "carol") == 0 and early["outstanding"] == 50_000_000
    assert late["authorized"] == 175_000_000 and late["outstanding"] == 150_000_000
    assert common(late) == {**common(late), "authorized": 150_000_000, "issued": 150_000_000, "available": 0}
    assert holding(late, "carol") == 100_000_000
    pct = {h["holder"]: h["percent_of_class"] for h in late["holdings"]}
    assert pct == {"carol": "66.6667", "alice": "20.0000", "bob": "13.3333"}

    p, log = (ok(x) for x in mb_all(d, [["verify"], ["log", "--json"]], db=db))
    assert p.stdout.startswith(f"chain intact: {n + 2} events")
    log = json.loads(log.stdout)
    assert [e["seq"] for e in log] == list(range(1, n + 3))
    assert [e["type"] for e in log[:4]] == [
        "Incorporated",
        "CharterAmended",
        "CharterAmended",
        "StakeholderAdded",
    ]
    assert log[3]["effective_on"] == "1997-07-31" and log[0]["bound"] == "on_or_after"
    assert all(len(e["hash"]) == 64 for e in log) and log[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(log, log[1:], strict=False))
    assert log[-1]["summary"] == "99,999,999 common issued to carol at $0.01"
    assert log[-1]["payload"]["shares"] == 99_999_999 and log[-1]["payload"]["price_per_share"] == "0.01"


def test_captable_plain_by_holder_and_class(db):
    d = db.parent
    ok(sh(db, "issue alice 3,000,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE"))
    ok(sh(db, "issue bob 1,000,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE"))
    p = ok(mb(d, "captable", "--as-of", "1998-12-31", db=db))
    assert "\x1b[" not in p.stdout and "cap table on 1998-12-31" in p.stdout
    assert "alice" in p.stdout and "3,000,000" in p.stdout and "75.0000%" in p.stdout
    assert "50,000,000" in p.stdout and "46,000,000" in p.stdout  # authorized and available common
    p = ok(sh(db, "captable --as-of 1998-12-31 --by class"))
    assert "Common Stock (common): 4,000,000 outstanding of 50,000,000 authorized" in p.stdout
    assert "25.0000%" in p.stdout
    p = ok(mb(d, "captable", "--as-of", "1990-01-01", db=db))
    assert "no charter in force" in p.stdout


def test_charter_as_of_list_and_diff(template):
    db, d = template[0], template[0].parent
    as_of, diff13, diff_dates, listing, listing_json, as_of_plain = (
        ok(p).stdout
        for p in mb_all(
            d,
            [
                ["charter", "--as-of", "1998-01-01", "--json"],
                ["charter", "--diff", "1", "3"],
                ["charter", "--diff", "1998-01-01", "2000-01-01", "--json"],
                ["charter"],
                ["charter", "--json"],
                ["charter", "--as-of", "1998-01-01"],
            ],
            db=db,
        )
    )
    data = json.loads(as_of)
    assert data["version"] == 2 and data["in_force"]["total_authorized"] == 75_000_000
    assert {c["key"]: c["authorized"] for c in data["in_force"]["classes"]} == {
        "common": 50_000_000,
        "preferred": 25_000_000,
    }
    assert "Version 1" in diff13 and "version 3" in diff13
    assert "common: authorized 20,000,000 → 150,000,000" in diff13
    assert "preferred_terms_fixed_by board of directors → the President" in diff13
    diff = json.loads(diff_dates)
    assert (diff["from"], diff["to"]) == (2, 3)
    assert {"field": "total_authorized", "old": 75_000_000, "new": 175_000_000}.items() <= diff["changes"][
        0
    ].items()
    assert "on or after 1999-03-19" in listing and "175,000,000" in listing and "* in force today" in listing
    versions = json.loads(listing_json)
    assert [v["total_authorized"] for v in versions["versions"]] == [25_000_000, 75_000_000, 175_000_000]
    assert versions["in_force_today"] == 3
    assert "version 2" in as_of_plain and "75,000,000" in as_of_plain


def test_holders_list(template):
    db, d = template[0], template[0].parent
    listed, plain = (ok(p).stdout for p in mb_all(d, [["holder", "list", "--json"], ["holders"]], db=db))
    data = json.loads(listed)
    assert [(h["id"], h["kind"], h["added_on"]) for h in data["holders"]] == [
        ("alice", "individual", "1997-07-31"),
        ("bob", "institution", "1997-07-31"),
        ("carol", "individual", "1999-06-01"),
    ]
    assert data["holders"][0]["email"] == "alice@example.com"
    assert "Carol Diaz" in plain and "1999-06-01" in plain


# --- the ledger commands ---------------------------------------------------------------------------------


def test_transfer_cancel_repurchase_split_and_treasury(db):
    """Every write first (each dated after the one before), then the cap table on each date."""
    d = db.parent
    legend = "--legend 'Restricted under the Securities Act'"
    ok(
        sh(
            db,
            f"issue alice 1,000,000 --class common --price 0.001 --on 1998-01-05 --certificate C-1 {legend} "
            "--approved-by R-ISSUE",
        )
    )
    certificates = "--certificate C-1 --new-certificate C-2 --balance-certificate C-3"
    p = ok(sh(db, f"transfer alice bob 400,000 --class common --on 1999-01-10 {certificates}"))
    assert "400,000 common transferred alice → bob" in p.stdout
    ok(sh(db, "cancel bob 100,000 --class common --on 1999-02-01 --reason forfeited"))
    # the board authorises the purchase (§160) and adopts the two splits, which the stockholders approve (§242)
    with python_api(db) as book:
        board_consent(
            book,
            "B-SPLITS",
            date(1999, 2, 15),
            {"id": "R-BUY", "kind": "general", "text": "Purchase 200,000 common from alice at $0.05."},
            {"id": "R-SPLIT", "kind": "amend_charter", "text": "A 2-for-1 split of the common stock."},
            {"id": "R-REVERSE", "kind": "amend_charter", "text": "A 1-for-10 reverse split of the common."},
        )
        matters = [{"id": m, "kind": "amend_charter", "text": m} for m in ("M-SPLIT", "M-REVERSE")]
        signed = [{"signer": h, "signed_on": "1999-12-15"} for h in ("alice", "bob")]
        r = book.written_consent(
            "C-SPLITS", by="stockholders", on=date(1999, 12, 15), matters=matters, signatures=signed
        )
        assert not r.refused, r.findings
    ok(sh(db, "repurchase alice 200,000 --class common --price 0.05 --on 1999-03-01 --approved-by R-BUY"))
    # treasury shares may be reissued below par (§153(c))
    ok(
        sh(
            db,
            "issue carol 50,000 --class common --price 0 --from-treasury --on 1999-07-01 --approved-by R-ISSUE",
        )
    )
    p = ok(sh(db, "split common 1:2 --on 2000-01-03 --approved-by R-SPLIT,M-SPLIT"))
    assert "common split 1:2" in p.stdout
    ok(sh(db, "split common 10:1 --on 2001-01-02 --approved-by R-REVERSE --approved-by M-REVERSE"))
    transferred, cancelled, repurchased, before, after, reversed_, _ = captables(
        db, "1999-01-10", "1999-02-01", "1999-03-01", "2000-01-02", "2000-01-03", "2001-01-02", "2001-01-03"
    )
    assert (holding(transferred, "alice"), holding(transferred, "bob")) == (600_000, 400_000)
    assert holding(cancelled, "bob") == 300_000 and common(cancelled)["issued"] == 900_000
    assert holding(repurchased, "alice") == 400_000
    assert common(repurchased) == {
        **common(repurchased),
        "issued": 900_000,
        "treasury": 200_000,
        "outstanding": 700_000,
    }
    for h in ("alice", "bob", "carol"):
        assert holding(after, h) == 2 * holding(before, h)
    assert common(after)["treasury"] == 300_000 and common(after)["issued"] == 1_800_000
    assert (holding(reversed_, "alice"), holding(reversed_, "bob"), holding(reversed_, "carol")) == (
        80_000,
        60_000,
        10_000,
    )
    ok(mb(d, "verify", db=db))


def test_designate_and_convert_series(db):
    with python_api(db) as book:  # only the board designates a series, by resolution (§151(a))
        terms = {
            "id": "R-SERIES-A",
            "kind": "designate_series",
            "text": "Series A Preferred, 5,000,000 shares",
        }
        board_consent(book, "B-SERIES-A", date(1998, 1, 1), terms)
    ok(
        sh(
            db,
            "designate preferred series-a 5,000,000 --name 'Series A Preferred' --on 1998-01-01 "
            "--approved-by R-SERIES-A",
        )
    )
    ok(
        sh(
            db,
            "issue bob 1,000,000 --class preferred --series series-a --price 1 --on 1998-02-01 --approved-by R-ISSUE",
        )
    )
    p = sh(
        db,
        "issue bob 4,000,001 --class preferred --series series-a --price 1 --on 1998-03-01 --approved-by R-ISSUE",
    )
    assert p.returncode == 1 and "8 Del. C. § 151(g)" in p.stdout
    ok(sh(db, "convert bob 500,000 --class preferred --series series-a --into common --on 1998-04-01"))
    ct = captable(db, "1998-04-01")
    assert holding(ct, "bob", "preferred") == 500_000 and holding(ct, "bob", "common") == 500_000


def test_refusals_exit_1_and_write_nothing(db):
    d = db.parent
    ok(sh(db, "issue alice 1,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE"))
    n = log_len(db)
    cases = [
        # carol is on the books only from 1999-06-01
        (
            [
                "issue",
                "carol",
                "10",
                "--class",
                "common",
                "--price",
                "0.001",
                "--on",
                "1999-01-01",
                "--approved-by",
                R_ISSUE,
            ],
            "MB-HOLDER-UNKNOWN",
        ),
        (
            [
                "issue",
                "alice",
                "10",
                "--class",
                "common",
                "--price",
                "0.0001",
                "--on",
                "1999-01-01",
                "--approved-by",
                R_ISSUE,
            ],
            "§ 153(a)",
        ),
        (
            ["transfer", "alice", "bob", "1,001", "--class", "common", "--on", "1999-01-01"],
            "MB-INSUFFICIENT-SHARES",
        ),
        (["cancel", "bob", "1", "--class", "common", "--on", "1999-01-01"], "MB-INSUFFICIENT-SHARES"),
        (
            ["repurchase", "alice", "2,000", "--class", "common", "--price", "1", "--on", "1999-01-01"],
            "holds 1,000",
        ),
        (["issue", "alice", "10", "--class", "preferred", "--series", "x", "--price", "1"], None),  # exit 2
        (["split", "common", "1:100000", "--on", "1999-01-01"], "§242(a)(3)"),
    ]
    for (args, expect), p in zip(cases, mb_all(d, [c[0] for c in cases], db=db), strict=True):
        if expect is None:
            one_line_error(p)
            continue
        assert p.returncode == 1, (args, p.stdout, p.stderr)
        assert expect in p.stdout and "nothing written" in p.stderr and "Traceback" not in p.stderr
    assert log_len(db) == n


def test_historical_keeps_the_over_issue_and_cites_204(db):
    n = log_len(db)
    p = ok(
        sh(
            db,
            "issue alice 60,000,000 --class common --price 0.001 --on 1998-01-05 --historical --approved-by R-ISSUE",
        )
    )
    assert (
        "MB-ISSUE-EXCEEDS-AUTHORIZED" in p.stdout and "8 Del. C. § 204" in p.stdout and "putative" in p.stdout
    )
    assert "recorded event" in p.stdout and log_len(db) == n + 1
    assert common(captable(db, "1998-12-31"))["issued"] == 60_000_000


# --- bad input: one line naming the field, exit 2, nothing written ---------------------------------------

BAD = [
    (["issue", "alice", "1.5", "--class", "common", "--price", "0.001"], "SHARES"),
    (["issue", "alice", "0", "--class", "common", "--price", "0.001"], "SHARES"),
    (["issue", "alice", "-3", "--class", "common", "--price", "0.001"], "SHARES"),
    (["issue", "alice", "abc", "--class", "common", "--price", "0.001"], "SHARES"),
    (["issue", "alice", "10", "--class", "common", "--price", "0.001", "--on", "2021-02-30"], "--on"),
    (["issue", "alice", "10", "--class", "common", "--price", "0.001", "--on", "1990-01-01"], "--on"),
    (["issue", "alice", "10", "--class", "common", "--price", "abc"], "--price"),
    (["issue", "alice", "10", "--class", "common", "--price", "-1"], "--price"),
    (["issue", "alice", "10", "--class", "common"], "--price"),
    (["issue", "alice", "10", "--price", "0.001"], "--class"),
    (["issue", "zed", "10", "--class", "common", "--price", "0.001"], "HOLDER"),
    (["issue", "alice", "10", "--class", "gold", "--price", "0.001"], "--class"),
    (["transfer", "alice", "zed", "10", "--class", "common"], "TO"),
    (["transfer", "alice", "alice", "10", "--class", "common"], "TO"),
    (["transfer", "alice", "bob", "10", "--class", "common", "--on", "02/03/2021"], "--on"),
    (["cancel", "alice", "-1", "--class", "common"], "SHARES"),
    (["cancel", "alice", "1", "--class", "common", "--on", "2021-13-01"], "--on"),
    (["repurchase", "alice", "1", "--class", "common", "--price", "nan"], "--price"),
    (["repurchase", "alice", "1", "--class", "common"], "--price"),
    (["split", "common", "1:1"], "FROM:TO"),
    (["split", "common", "2"], "FROM:TO"),
    (["holder", "add", "alice", "Alice Again"], "ID"),
    (["holder", "add", "dave smith", "Dave"], "ID"),
    (["holder", "add", "dave", "Dave", "--kind", "robot"], "--kind"),
    (["holder", "add", "dave", "Dave", "--on", "1996-01-01"], "--on"),
    (["captable", "--as-of", "yesterday"], "--as-of"),
    (["captable", "--by", "series"], "--by"),
    (["charter", "--diff", "1", "4"], "--diff"),
    (["captable", "--corp", "nobody"], "nobody"),
]


def test_bad_input_is_one_line_exit_2_nothing_written(template):
    db, d = template[0], template[0].parent
    before = db.read_bytes()
    n = log_len(db)
    for (args, field), p in zip(BAD, mb_all(d, [case[0] for case in BAD], db=db), strict=True):
        err = one_line_error(p)
        assert field in err, (args, err)
    assert log_len(db) == n and db.read_bytes() == before


def test_missing_or_corrupt_database(tmp_path):
    err = one_line_error(mb(tmp_path, "captable", db=tmp_path / "none.db"))
    assert "none.db" in err and "init" in err
    assert not (tmp_path / "none.db").exists()
    (tmp_path / "junk.db").write_bytes(b"this is not a database at all" * 10)
    err = one_line_error(mb(tmp_path, "log", db=tmp_path / "junk.db"), 3)  # not a database: exit 3
    assert "junk.db" in err
    # the default database is minutebook.db in the working folder
    err = one_line_error(mb(tmp_path, "verify"))
    assert "minutebook.db" in err


def test_default_db_env_and_corp_choice(template, tmp_path):
    shutil.copy(template[0], tmp_path / "minutebook.db")
    p = ok(mb(tmp_path, "holders"))
    assert "Alice Ng" in p.stdout
    ok(mb(tmp_path, "init", "--from", AUXER, "--corp", "auxer-two"))
    err = one_line_error(mb(tmp_path, "captable"))
    assert "--corp" in err and SLUG in err and "auxer-two" in err
    p = ok(mb(tmp_path, "holders", "--corp", "auxer-two", "--json"))
    assert json.loads(p.stdout)["holders"] == []
    p = ok(mb(tmp_path, "holders", "--corp", SLUG, "--json"))
    assert len(json.loads(p.stdout)["holders"]) == 3
    p = mb(
        tmp_path.parent,
        "verify",
        "--corp",
        "auxer-two",
        env={**ENV, "MINUTEBOOK_DB": str(tmp_path / "minutebook.db")},
    )
    assert ok(p).stdout.startswith("chain intact: 3 events")


def test_log_streams_a_long_log_in_pages_and_shows_a_stretch(db):
    """A log longer than one printed table (`LOG_PAGE` rows) prints every event once, in order, under one title and
    one header, its columns aligned across the tables; the JSON is the whole list, each hash as stored; --from and
    --last show a stretch; a --from past the end is one line, exit 2."""
    from minutebook.cli.book_views import LOG_PAGE

    with python_api(db) as book:
        for i in range(
            LOG_PAGE + 30
        ):  # more than one table's worth, after the last date (each appended in order)
            r = book.issue("alice", "common", 1 + i, on=date(2001, 1, 1), price_per_share=Decimal("0.01"),
                           approved_by=R_ISSUE)  # fmt: skip
            assert not r.refused, r.findings
        hashes = book.hashes()
    n = len(hashes)
    assert n > LOG_PAGE
    text = ok(mb(db.parent, "log", db=db)).stdout.splitlines()
    assert text[0] == f"The Auxer Group, Inc.: {n} events"
    assert sum(1 for x in text if x.split()[:1] == ["seq"]) == 1  # one header, however many tables
    rows = text[3:]
    assert [int(x.split()[0]) for x in rows] == list(range(1, n + 1))
    assert (
        len({x.index(hashes[int(x.split()[0])][0][:12]) for x in rows[-50:]}) == 1
    )  # the last column aligned
    assert "1,030 common issued to alice" in rows[-1]
    items = json.loads(ok(mb(db.parent, "log", "--json", db=db)).stdout)
    assert [(x["seq"], x["hash"], x["prev_hash"]) for x in items] == [
        (s, *hashes[s]) for s in range(1, n + 1)
    ]
    tail = ok(mb(db.parent, "log", "--last", "3", db=db)).stdout.splitlines()
    assert tail[0] == f"The Auxer Group, Inc.: events {n - 2}–{n} of {n}"
    assert [int(x.split()[0]) for x in tail[3:]] == [n - 2, n - 1, n]
    part = json.loads(ok(mb(db.parent, "log", "--json", "--from", str(n - 5), "--last", "10", db=db)).stdout)
    assert [x["seq"] for x in part] == list(range(n - 5, n + 1)) and part == items[n - 6 :]
    err = one_line_error(mb(db.parent, "log", "--from", str(n + 1), db=db))
    assert f"--from {n + 1}" in err and f"{n:,} events" in err


def test_check_lists_twenty_of_a_code_and_counts_the_rest(db):
    """A book with many findings of one code (a register recorded without its approvals) lists the first
    `SHOWN_PER_CODE` and counts the rest with the events they are at; --all lists each, --json gives them all."""
    from minutebook.cli.gov_views import SHOWN_PER_CODE

    with python_api(db) as book:
        first = book.count + 1
        for i in range(SHOWN_PER_CODE + 5):  # each names no approval: recorded as history, with its finding
            r = book.issue("bob", "common", 10 + i, on=date(2001, 1, 1), price_per_share=Decimal("0.01"),
                           historical=True)  # fmt: skip
            assert not r.refused and any(f.code == "MB-APPROVAL-MISSING" for f in r.findings), r.findings
    code = "MB-APPROVAL-MISSING"
    found = json.loads(ok(mb(db.parent, "check", "--json", db=db)).stdout)["findings"]
    ours = [f for f in found if f["code"] == code and f["severity"] == "warning"]  # the book had some already
    at = [int(f["where"].removeprefix("event ")) if f["where"].startswith("event ") else None for f in ours]
    assert len(ours) > SHOWN_PER_CODE + 4 and {first, first + 24} <= set(at)
    hidden = [n for n in at[SHOWN_PER_CODE:] if n is not None]
    text = ok(mb(db.parent, "check", db=db)).stdout
    warnings = text[text.index("Warnings (") :]
    assert len([x for x in warnings.splitlines() if f": {code} " in x]) == SHOWN_PER_CODE
    assert f"… and {len(hidden)} more {code} at events {min(hidden):,}–{max(hidden):,}" in warnings
    every = ok(mb(db.parent, "check", "--all", db=db)).stdout
    assert len([x for x in every.splitlines() if f": {code} " in x]) == sum(
        1 for f in found if f["code"] == code
    )
    assert "… and" not in every


# --- verify and rebuild ----------------------------------------------------------------------------------


def test_verify_names_tampered_events_and_rebuild(db):
    d = db.parent
    ok(sh(db, "issue alice 1,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE"))
    log = json.loads(ok(mb(d, "log", "--json", db=db)).stdout)
    issued = log[-1]["seq"]  # the issuance just recorded
    carol = next(
        e["seq"] for e in log if e["type"] == "StakeholderAdded" and e["payload"]["holder_id"] == "carol"
    )
    assert log[-1]["type"] == "SharesIssued" and log[-1]["payload"]["shares"] == 1000
    p = ok(mb(d, "rebuild", db=db))
    assert "rebuilt" in p.stdout
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS events_no_update")  # the append-only guard, if any
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{name}"')
    con.execute("UPDATE events SET payload = replace(payload, '1000', '9000') WHERE seq = ?", (issued,))
    con.commit()
    con.close()
    p = mb(d, "verify", db=db)
    assert p.returncode == 1 and f"event {issued}" in p.stdout and "Traceback" not in p.stderr
    data = json.loads(mb(d, "verify", "--json", db=db).stdout)
    assert data["ok"] is False and any(f"event {issued}" in x for x in data["problems"])
    # a payload that no longer reads at all: verify still names it, other commands say so in one line
    con = sqlite3.connect(db)
    con.execute("UPDATE events SET payload = '{not json' WHERE seq = ?", (carol,))
    con.commit()
    con.close()
    p = mb(d, "verify", db=db)
    assert p.returncode == 1 and f"event {carol}" in p.stdout and "Traceback" not in p.stderr
    err = one_line_error(mb(d, "captable", db=db))
    assert "verify" in err


def test_usage_errors_are_one_line(template):
    d = template[0].parent
    db = str(template[0])
    calls = [
        ["issue", "alice", "--db", db],
        ["issue", "alice", "1", "--bogus", "--db", db],
        ["charter", "--db", db, "--diff", "1"],
        ["nosuchcommand"],
        ["--help"],
    ]
    *errors, helped = mb_all(d, calls)
    assert "SHARES" in one_line_error(errors[0]) and "--bogus" in one_line_error(errors[1])
    assert "--diff" in one_line_error(errors[2]) and "nosuchcommand" in one_line_error(errors[3])
    assert "minutebook issue: Missing argument 'SHARES'" in errors[0].stderr  # named as typed, not python -m
    for cmd in (
        "init",
        "holder",
        "issue",
        "transfer",
        "cancel",
        "repurchase",
        "split",
        "captable",
        "charter",
        "log",
        "verify",
        "rebuild",
    ):
        assert cmd in ok(helped).stdout


# --- PostgreSQL ------------------------------------------------------------------------------------------


def test_walkthrough_on_postgresql(pg_database, tmp_path):
    url = pg_database()
    ok(sh(url, f"init --from {AUXER}", cwd=tmp_path))
    ok(sh(url, "holder add alice 'Alice Ng'", cwd=tmp_path))
    # the README's approval step, through the governance commands: a director, the board's consent
    ok(sh(url, GOV_DIRECTOR, cwd=tmp_path))
    ok(sh(url, GOV_CONSENT, cwd=tmp_path))
    ok(
        sh(
            url,
            "issue alice 50,000,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-ISSUE",
            cwd=tmp_path,
        )
    )
    p = sh(
        url, "issue alice 1 --class common --price 0.001 --on 1998-01-06 --approved-by R-ISSUE", cwd=tmp_path
    )
    assert p.returncode == 1 and "8 Del. C. § 161" in p.stdout
    ok(
        sh(
            url,
            "issue alice 100,000,000 --class common --price 0.001 --on 1999-04-01 --approved-by R-ISSUE",
            cwd=tmp_path,
        )
    )
    bad, early, late, verify, log = mb_all(
        tmp_path,
        [
            ["issue", "alice", "1.5", "--class", "common", "--price", "1"],
            ["captable", "--as-of", "1998-12-31", "--json"],
            ["captable", "--as-of", "2000-01-01", "--json"],
            ["verify"],
            ["log", "--json"],
        ],
        db=url,
    )
    assert "SHARES" in one_line_error(bad)
    assert common(json.loads(ok(early).stdout))["issued"] == 50_000_000
    assert json.loads(ok(late).stdout)["outstanding"] == 150_000_000
    n = 3 + 1 + APPROVAL_EVENTS + 2  # the charter, alice, the approval, the two issuances kept
    assert ok(verify).stdout.startswith(f"chain intact: {n} events")
    log = json.loads(ok(log).stdout)
    assert len(log) == n
    assert [e["type"] for e in log[4 : 4 + APPROVAL_EVENTS]] == ["DirectorsElected", "BoardActed"]


def test_export_import_round_trip_through_the_cli(tmp_path):
    db = tmp_path / "a.db"
    run = [sys.executable, "-m", "minutebook"]
    auxer = str(Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt")
    for args in (
        ["init", "--from", auxer, "--db", str(db)],
        ["holder", "add", "alice", "Alice Ng", "--db", str(db)],
        [
            "issue",
            "alice",
            "1,000",
            "--class",
            "common",
            "--price",
            "0.001",
            "--on",
            "1998-01-05",
            "--approved-by",
            R_ISSUE,
            "--db",
            str(db),
        ],
        ["export", str(tmp_path / "out"), "--db", str(db)],
        ["import", str(tmp_path / "out"), "--db", str(tmp_path / "b.db")],
        ["export", str(tmp_path / "out2"), "--db", str(tmp_path / "b.db")],
    ):
        p = subprocess.run([*run, *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        if args[0] == "holder":
            approve(db)  # the board's resolution that the issuance names
    a = {
        f.relative_to(tmp_path / "out"): f.read_bytes() for f in (tmp_path / "out").rglob("*") if f.is_file()
    }
    b = {
        f.relative_to(tmp_path / "out2"): f.read_bytes()
        for f in (tmp_path / "out2").rglob("*")
        if f.is_file()
    }
    assert a == b and len(a) >= 5
    p = subprocess.run(
        [*run, "import", str(tmp_path / "out"), "--db", str(tmp_path / "b.db")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


LATER = "1997-08-01"


def test_a_database_session_ended_mid_act_is_one_line_exit_3_nothing_written(pg_database, tmp_path):
    """The server ends the command's session in the middle of an act (as a restart, a failover or an administrator
    would): one line naming the database and what the server said, exit 3, no traceback; the act is not in the log,
    which verifies, and the same command goes through once the server lets it."""
    url = pg_database()
    ok(sh(url, f"init --from {AUXER}", cwd=tmp_path))
    ok(sh(url, "holder add alice 'Alice Ng'", cwd=tmp_path))
    engine = admin_engine(url)
    try:
        with sessions_ended_on_insert(engine):
            err = one_line_error(sh(url, f"holder add bob 'Bob Li' --on {LATER}", cwd=tmp_path), code=3)
    finally:
        engine.dispose()
    assert "the database failed before the command ended" in err and "minutebook log" in err, err
    assert "connection" in err  # what the driver said
    assert url.rsplit("/", 1)[-1] in err  # the database named
    assert "bob" not in ok(sh(url, "holders", cwd=tmp_path)).stdout
    ok(sh(url, f"holder add bob 'Bob Li' --on {LATER}", cwd=tmp_path))
    assert "bob" in ok(sh(url, "holders", cwd=tmp_path)).stdout
    ok(sh(url, "verify", cwd=tmp_path))


def test_a_write_lock_held_by_another_program_is_one_line_exit_3_nothing_written(tmp_path, monkeypatch):
    """Another program holds the SQLite file's write lock for all of the wait (`db.BUSY_WAIT_S`, a minute, here a
    fifth of a second): one line naming the file and the lock, exit 3, no traceback, nothing written; once the lock is
    released the same command goes through."""
    from minutebook.store import db as store_db

    db = tmp_path / "book.db"
    ok(sh(db, f"init --from {AUXER}"))
    monkeypatch.setattr(store_db, "BUSY_WAIT_S", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        p = inproc(db, f"holder add bob 'Bob Li' --on {LATER}")
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = one_line_error(p, code=3)
    assert "another program held the database's write lock for 0.2 s (database is locked)" in err, err
    assert str(db) in err and "nothing written" in err
    assert "bob" not in ok(inproc(db, "holders")).stdout
    ok(inproc(db, f"holder add bob 'Bob Li' --on {LATER}"))
    assert "bob" in ok(inproc(db, "holders")).stdout
    ok(inproc(db, "verify"))
