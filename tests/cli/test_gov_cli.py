"""The governance command line, driven in subprocesses: the newcomer walkthrough (the Auxer 1999 amendment
as it happened — board resolution and call, notice, stockholder list, special meeting, filing — then the
third charter version), the same with a nine-day notice refused with §222 cited, the written-consent
route, the registers at a date, `rules`/`explain`, `check`, `act`, and the bad input the issue lists (an
unknown director, a vote above the shares entitled to vote, a meeting dated before its notice, amendment
text that cannot be read): one line on stderr naming the field, exit 2, nothing written.

One database holding the Auxer book up to the end of 1998 (first board, officers, stock issued with the
board's approval) is built per module and copied for each test that writes."""

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

from clihelp import inproc, ok, one_line_error

ROOT = Path(__file__).resolve().parents[2]
AUXER = str(ROOT / "examples" / "auxer-group-charter.txt")
FOURTH = str(ROOT / "examples" / "auxer-1999-article-fourth.txt")
STORY = str(ROOT / "examples" / "auxer-1999-amendment.yaml")
ENV = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}

PROPOSE = (
    f"amend propose --id R-1999-1 --on 1999-01-15 --present eugene,jane,john --authorized common=150,000,000 "
    f"--article FOURTH=@{FOURTH} --call-meeting M-1999 --meeting-on 1999-03-19 --record-date 1999-02-01"
)


def mb(cwd: Path, *args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=ENV)


def sh(db: Path, command: str) -> subprocess.CompletedProcess:
    return mb(db.parent, *shlex.split(command), db=db)


def sh_all(db: Path, commands: list[str]) -> list[subprocess.CompletedProcess]:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda c: sh(db, c), commands))


def refused(p: subprocess.CompletedProcess) -> str:
    """A refused act: its findings on stdout, exit 1, nothing written (as the ledger commands do)."""
    assert p.returncode == 1, f"exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    assert "nothing written" in p.stderr and "Traceback" not in p.stderr
    return p.stdout


def log_len(db: Path) -> int:
    return len(json.loads(ok(mb(db.parent, "log", "--json", db=db)).stdout))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The Auxer book at the end of 1998: three directors named by the incorporator, Eugene President,
    45,000,000 common issued under the board's resolution R-1997-3."""
    db = tmp_path_factory.mktemp("gov") / "mb.db"
    for c in [
        f"init --from {AUXER} --until 1998-12-31",
        "director elect eugene jane john --name eugene='Eugene Chiaramonte' --name jane='Jane Roe' "
        "--name john='John Doe' --by incorporator --on 1997-09-02",
        "board consent --id B-1997-1 --on 1997-09-02 --signed-by eugene,jane,john "
        "--resolve 'R-1997-1:general:Adopt the bylaws' --resolve R-1997-2:elect_officers "
        "--resolve R-1997-3:issue_shares --param R-1997-3.class_key=common "
        "--param R-1997-3.max_shares=45,000,000 --param R-1997-3.min_price=0.001",
        "board-size 3 --on 1997-09-02 --approved-by R-1997-1",
        "officer appoint eugene --name 'Eugene Chiaramonte' --title President --on 1997-09-02 "
        "--approved-by R-1997-2",
        "holder add eugene 'Eugene Chiaramonte' --on 1997-09-15",
        "holder add alice 'Alice Ng' --on 1997-09-15",
        "holder add bob 'Bob Ray' --kind institution --on 1997-09-15",
        "issue eugene 20,000,000 --class common --price 0.001 --on 1997-09-15 --approved-by R-1997-3",
        "issue alice 15,000,000 --class common --price 0.001 --on 1997-09-15 --approved-by R-1997-3",
        "issue bob 10,000,000 --class common --price 0.001 --on 1997-09-15 --approved-by R-1997-3",
    ]:
        ok(inproc(db, c))
    return db


def snapshot(db: Path) -> bytes:
    """The database file and its write-ahead log: unchanged when nothing was written."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def db(template, tmp_path) -> Path:
    for suffix in ("", "-wal"):
        src = template.with_name(template.name + suffix)
        if src.exists():
            shutil.copy(src, tmp_path / ("mb.db" + suffix))
    return tmp_path / "mb.db"


@pytest.fixture
def proposed(db) -> Path:
    """The board has declared the 1999 amendment advisable and called the special meeting."""
    p = ok(sh(db, PROPOSE))
    assert "R-1999-1 (amend_charter)" in p.stdout and "M-1999-1 (amend_charter)" in p.stdout
    assert "--approved-by R-1999-1,M-1999-1" in p.stdout  # what to file it with
    return db


# --- the walkthrough -------------------------------------------------------------------------------------


def test_walkthrough_the_1999_amendment_as_it_happened(proposed):
    db = proposed
    p = ok(sh(db, "meeting notice M-1999 --on 1999-02-16"))
    assert "notice of meeting M-1999 sent" in p.stdout
    ok(sh(db, "meeting list M-1999 --on 1999-02-16"))
    # 35,000,000 of the 45,000,000 outstanding vote for: a majority of the outstanding (§242(b)(1))
    p = ok(
        sh(
            db,
            "meeting hold M-1999 --on 1999-03-19 --present eugene,alice,bob --for eugene,alice --against bob",
        )
    )
    assert "MB-VOTE-FAILED" not in p.stdout and "MB-MEETING-NO-QUORUM" not in p.stdout
    p = ok(sh(db, "amend file --on 1999-03-19 --approved-by R-1999-1,M-1999-1"))
    assert "charter version 3, in force from 1999-03-19: 175,000,000 authorized" in p.stdout
    assert "MB-BLANK-CHECK-DEFECTIVE" in p.stdout  # the grant to the President, reported as it is filed
    listing, data, diff, check = sh_all(
        db, ["charter", "charter --json", "charter --diff 2 3", "check --json"]
    )
    assert "175,000,000" in ok(listing).stdout
    versions = json.loads(ok(data).stdout)["versions"]
    assert [v["total_authorized"] for v in versions] == [25_000_000, 75_000_000, 175_000_000]
    assert "common: authorized 50,000,000 → 150,000,000" in ok(diff).stdout
    found = json.loads(ok(check).stdout)  # warnings and notes only: exit 0
    assert found["counts"]["error"] == 0
    blank = [f for f in found["findings"] if f["code"] == "MB-BLANK-CHECK-DEFECTIVE"]
    assert blank and blank[0]["where"].startswith("event ")
    assert "§204" in blank[0]["message"] and "§242" in blank[0]["message"]  # the two cures
    assert "8 Del. C. § 151(a)" in blank[0]["cites"]


def test_nine_day_notice_is_refused_with_222_cited(proposed):
    db = proposed
    n = log_len(db)
    out = refused(sh(db, "meeting notice M-1999 --on 1999-03-10"))
    assert "MB-NOTICE-TOO-LATE" in out and "8 Del. C. § 222(b)" in out
    assert log_len(db) == n
    # and the meeting cannot be held on it: no notice at all
    out = refused(sh(db, "meeting hold M-1999 --on 1999-03-19 --present eugene,alice,bob --for eugene,alice"))
    assert "MB-NOTICE-MISSING" in out
    assert log_len(db) == n


def test_the_same_amendment_by_written_consent(db):
    ok(
        sh(
            db,
            f"amend propose --id R-1999-1 --on 1999-01-15 --present eugene,jane,john --article FOURTH=@{FOURTH}",
        )
    )
    p = ok(
        sh(
            db,
            "consent C-1999 --on 1999-02-02 --matter C-1999-1:amend_charter --param C-1999-1.resolution=R-1999-1 "
            "--signed eugene@1999-02-01,alice@1999-02-02",
        )
    )
    assert "written consent C-1999 of the stockholders, 2 signatures" in p.stdout
    ok(sh(db, "consent notice C-1999 --on 1999-02-03"))
    p = ok(sh(db, "amend file --on 1999-02-05 --approved-by R-1999-1,C-1999-1"))
    assert "175,000,000 authorized" in p.stdout


def test_registers_at_a_date(template):
    before, after, officers, none = (
        inproc(template, c)
        for c in [
            "directors --as-of 1997-09-01 --json",
            "directors --as-of 1998-01-01 --json",
            "officers --as-of 1998-01-01 --json",
            "officers --as-of 1997-08-01",
        ]
    )
    assert json.loads(ok(before).stdout)["directors"] == []
    board = json.loads(ok(after).stdout)
    assert [d["id"] for d in board["directors"]] == ["eugene", "jane", "john"] and board["board_size"] == 3
    assert board["directors"][0] == {"id": "eugene", "name": "Eugene Chiaramonte", "since": "1997-09-02"}
    assert json.loads(ok(officers).stdout)["officers"] == [
        {"person": "eugene", "name": "Eugene Chiaramonte", "title": "President", "since": "1997-09-02"}
    ]
    assert "No officer in office on 1997-08-01" in ok(none).stdout
    p = ok(inproc(template, "directors --as-of 1998-01-01"))
    assert "\x1b[" not in p.stdout and "Jane Roe" in p.stdout and "whole board fixed at 3" in p.stdout


def test_rules_and_explain(template):
    listing, one, plain_one, unknown = (
        inproc(template, c, with_db=False)
        for c in (
            "rules --json",
            "explain dgcl.222.b.notice_window --json",
            "explain dgcl.242.b.1.majority_outstanding",
            "explain dgcl.222",
        )
    )
    rules = {r["id"]: r for r in json.loads(ok(listing).stdout)["rules"]}
    assert {"dgcl.213.a.record_date_window", "dgcl.222.b.notice_window", "dgcl.242.b.2.class_vote"} <= set(
        rules
    )
    assert all(r["cites"] and r["summary"] for r in rules.values() if r["id"].startswith("dgcl."))
    rule = json.loads(ok(one).stdout)
    assert "8 Del. C. § 222(b)" in rule["cites"] and "MB-NOTICE-TOO-LATE" in rule["codes"]
    assert "8 Del. C. § 242(b)(1)" in ok(plain_one).stdout
    assert "dgcl.222.b.notice_window" in one_line_error(unknown)  # the near miss is suggested


def test_check_lists_every_defect_with_its_source_and_cure(db):
    p = ok(sh(db, "check"))  # the book as built: warnings and notes only, exit 0
    assert "Warnings (" in p.stdout and "Errors (" not in p.stdout
    assert "auxer-group-charter.txt:" in p.stdout  # the reader's findings, file:line:col
    # an over-issue kept as history: reported against its event, with the §204 cure
    ok(
        sh(
            db,
            "issue bob 10,000,000 --class common --price 0.001 --on 1998-01-05 --historical --approved-by R-1997-3",
        )
    )
    p = sh(db, "check --json")
    found = json.loads(p.stdout)
    assert p.returncode == (1 if found["counts"]["error"] else 0) and "Traceback" not in p.stderr
    over = [f for f in found["findings"] if f["code"] == "MB-ISSUE-EXCEEDS-AUTHORIZED"]
    assert over and over[0]["where"].startswith("event ") and "§204" in over[0]["message"]
    assert "8 Del. C. § 161" in over[0]["cites"]
    p = sh(db, "check --as-of 1997-12-31 --json")
    assert not [f for f in json.loads(p.stdout)["findings"] if f["code"] == "MB-ISSUE-EXCEEDS-AUTHORIZED"]


def test_bylaws_by_the_board_after_payment(db):
    ok(
        sh(
            db,
            "board meeting --id B-1998-1 --on 1998-05-01 --present eugene,jane --resolve R-1998-1:amend_bylaws",
        )
    )
    p = ok(
        sh(
            db,
            "bylaws amend 3.2 --text 'The board has three directors.' --on 1998-05-01 --approved-by R-1998-1",
        )
    )
    assert "bylaws 3.2 amended" in p.stdout and "MB-BYLAWS-BOARD-NOT-EMPOWERED" not in p.stdout


# --- act: a story into the book ------------------------------------------------------------------------


def test_act_runs_the_example_story(tmp_path):
    db = tmp_path / "auxer.db"
    p = ok(mb(tmp_path, "act", STORY, "--init", db=db))
    assert "all 16 steps went as the story says; the end matches" in p.stdout
    data = json.loads(ok(mb(tmp_path, "charter", "--json", db=db)).stdout)
    assert [v["total_authorized"] for v in data["versions"]] == [25_000_000, 75_000_000, 175_000_000]


def test_act_dry_run_writes_nothing_and_bad_story_is_one_line(template, tmp_path):
    story = tmp_path / "s.yaml"
    story.write_text("steps:\n  - on: 1999-01-20\n    notice: {meeting: M-1999, purpose: no}\n")
    assert "s.yaml:3: step 1 (notice): purpose: unknown field" in one_line_error(
        mb(tmp_path, "act", str(story), db=template)
    )
    n = log_len(template)
    story.write_text(
        "steps:\n"
        "  - {on: 1998-03-01, holder: {id: dora, name: Dora Diaz}}\n"
        "  - {on: 1998-03-02, issue: {holder: dora, class: common, shares: 1000, price: '0.001'}, "
        "expect: {refused: true, codes: [MB-APPROVAL-MISSING]}}\n"
    )
    p = ok(mb(tmp_path, "act", str(story), "--dry-run", db=template))
    assert "dry run" in p.stdout and "refused as expected" in p.stdout
    assert log_len(template) == n


ACT_FIVE = (
    "steps:\n"
    "  - {on: 1998-03-01, holder: {id: dora, name: Dora Diaz}}\n"
    "  - {on: 1998-03-01, holder: {id: eli, name: Eli Ng}}\n"
    "  - on: 1998-03-02\n"
    "    issue: {holder: dora, class: common, shares: 1000, price: '0.001'}\n"
    "%s"
    "  - {on: 1998-03-03, holder: {id: fay, name: Fay Wu}}\n"
    "  - {on: 1998-03-04, holder: {id: gil, name: Gil Ho}}\n"
)


def test_act_is_one_transaction(db, tmp_path):
    """A story's steps are written together or not at all: the third of five not going as the story says (an
    issuance without the board's approval, which the story expects recorded) leaves the log as it was, with one
    line on stderr naming the file and the step's line; expected refused, the other four land together."""
    story = tmp_path / "five.yaml"
    n = log_len(db)
    story.write_text(ACT_FIVE % "", encoding="utf-8")
    p = mb(tmp_path, "act", str(story), db=db)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    err = p.stderr.strip()
    assert "\n" not in err and err.startswith(f"minutebook: {story}:5: step 3 (issue): "), err
    assert "rolled back, nothing of it written" in err
    assert "step 3 (issue) 1998-03-02: NOT AS EXPECTED" in p.stdout
    assert log_len(db) == n
    story.write_text(
        ACT_FIVE % "    expect: {refused: true, codes: [MB-APPROVAL-MISSING]}\n", encoding="utf-8"
    )
    p = ok(mb(tmp_path, "act", str(story), db=db))
    assert "all 5 steps went as the story says; written in one transaction" in p.stdout
    assert log_len(db) == n + 4


# --- bad input: one line naming the field, exit 2, nothing written -----------------------------------------

BAD = [
    ("director leave zed --on 1998-01-01", "ID", "'zed' is not a director"),
    ("board meeting --id B-9 --on 1998-01-01 --present eugene,zed --resolve R-9:general", "--present", "zed"),
    (
        "board meeting --id B-9 --on 1998-01-01 --present eugene --resolve R-9:coup",
        "--resolve",
        "unknown kind",
    ),
    (
        "board meeting --id B-1997-1 --on 1998-01-01 --present eugene --resolve R-9:general",
        "--id",
        "already used",
    ),
    ("officer leave jane --on 1998-01-01", "PERSON", "holds no office"),
    (
        "amend propose --id R-9 --on 1999-01-15 --present eugene --article FOURTH=@missing.txt",
        "--article FOURTH",
        "missing.txt",
    ),
    (
        "amend propose --id R-9 --on 1999-01-15 --present eugene --article 'FOURTH=150,000,00 shares of common'",
        "--article FOURTH",
        "150,000,00",
    ),
    (
        "amend propose --id R-9 --on 1999-01-15 --present eugene --article 'FOURTH=The shares shall be common stock.'",
        "--article FOURTH",
        "cannot read",
    ),
    ("amend propose --id R-9 --on 1999-01-15 --present eugene --authorized gold=5", "--authorized", "gold"),
    (
        "amend propose --id R-9 --on 1999-01-15 --present eugene",
        "--authorized/--par/--article/--name",
        "changes",
    ),
    ("meeting notice M-9 --on 1999-01-20", "ID", "no meeting"),
    ("consent C-9 --on 1999-01-20 --matter C-9-1:amend_charter --signed zed@1999-01-19", "--signed", "zed"),
    (
        "consent C-9 --on 1999-01-20 --matter C-9-1:amend_charter --signed alice@1999-01-21",
        "--signed",
        "after",
    ),
    ("directors --as-of 1999-02-30", "--as-of", "no such date"),
]


def test_bad_input_is_one_line_exit_2_nothing_written(template):
    before, n = snapshot(template), log_len(template)
    for (command, field, words), p in zip(BAD, [inproc(template, c) for c, _, _ in BAD], strict=True):
        err = one_line_error(p)
        assert field in err and words in err, (command, err)
    assert snapshot(template) == before and log_len(template) == n


def test_bad_votes_and_dates_at_the_meeting(proposed):
    db = proposed
    ok(sh(db, "meeting notice M-1999 --on 1999-02-16"))
    n = log_len(db)
    cases = [
        # a vote count above the shares entitled to vote (45,000,000 outstanding on the record date)
        ("meeting hold M-1999 --on 1999-03-19 --for common=46,000,000", "--for", "45,000,000"),
        (
            "meeting hold M-1999 --on 1999-03-19 --vote 'M-1999-1:for=common=30,000,000;against=common=20,000,000'",
            "--vote M-1999-1",
            "50,000,000",
        ),
        ("meeting hold M-1999 --on 1999-03-19 --for eugene,alice --against alice", "--for", "alice"),
        # a meeting dated before its notice
        ("meeting hold M-1999 --on 1999-02-10 --for eugene,alice", "--on", "before its notice"),
        ("meeting hold M-1999 --on 1999-03-19 --vote M-9:for=eugene", "--vote", "no matter"),
        ("meeting hold M-1999 --on 1999-03-19 --for zed", "--for", "zed"),
    ]
    for (command, field, words), p in zip(cases, [inproc(db, c) for c, _, _ in cases], strict=True):
        err = one_line_error(p)
        assert field in err and words in err, (command, err)
    assert log_len(db) == n


def test_amendment_text_file_that_is_binary_or_empty(template, tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.txt").write_text("  \n")
    for name, words in (("bin.txt", "binary"), ("empty.txt", "empty")):
        p = sh(
            template,
            f"amend propose --id R-9 --on 1999-01-15 --present eugene --article FOURTH=@{tmp_path / name}",
        )
        err = one_line_error(p)
        assert "--article FOURTH" in err and words in err


def test_parameter_values():
    from minutebook.cli.gov_common import value

    assert value("1,000,000", "--param") == 1_000_000 and value("0.001", "--param") == "0.001"
    assert value("common=150,000,000,preferred=25,000,000", "--param") == {
        "common": 150_000_000,
        "preferred": 25_000_000,
    }
    assert value("eugene,jane,kim", "--param") == ["eugene", "jane", "kim"]
    assert value('"Acme, Inc."', "--param") == "Acme, Inc." and value("true", "--param") is True
    assert value("1999-03-19", "--param") == "1999-03-19"


def test_check_strict_fails_on_history_defects(db):
    p = sh(db, "check --strict")
    assert p.returncode == 1 and "Warnings (" in p.stdout  # the 1999 grant to the President, and more
    assert "Traceback" not in p.stderr


def test_a_proposal_whose_call_is_refused_writes_neither(db):
    n = log_len(db)
    bad = PROPOSE.replace("--record-date 1999-02-01", "--record-date 1999-01-16")  # 62 days before: §213(a)
    out = refused(sh(db, bad))
    assert "MB-RECORD-DATE-OUT-OF-WINDOW" in out
    assert log_len(db) == n  # the board's resolution was not written without its call
    ok(sh(db, PROPOSE))  # and the ids are free for the corrected proposal
