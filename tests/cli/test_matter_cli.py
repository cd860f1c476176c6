"""`minutebook matter …` driven as a user would: a §220 demand shows what is due and by when (table and JSON),
the §102(b)(7) exculpation query, a §144 transaction's safe harbor, a §122(18) covenant the charter forbids (refused,
exit 1, nothing written), a §147 approval in substantially final form on each side of 2024-08-01, and a §266
conversion after which every act is refused with the conversion named; bad input is one line on stderr naming the
option, exit 2, nothing written.

The book is Acme Widgets (tests/law/dgcl_kit.py), with a charter that exculpates directors and officers and forbids
action by written consent; most runs go through the entry point in this process (`inproc`), one in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "law"))
from dgcl_kit import NO_CONSENT, acme  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}
EXCULPATION = """
SEVENTH: A director or officer of the Corporation shall not be personally liable to the Corporation or its
stockholders for monetary damages for breach of fiduciary duty as a director or officer, except to the extent
such exemption from liability is not permitted under the General Corporation Law of the State of Delaware.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("acme")
    b = acme(d, extra=NO_CONSENT + EXCULPATION)
    b.close()
    return d / "b.db"


@pytest.fixture
def db(built, tmp_path) -> Path:
    p = tmp_path / "b.db"
    shutil.copy(built, p)
    return p


def count(db: Path) -> int:
    p = ok(inproc(db, "log --json"))
    return (
        len(json.loads(p.stdout)["events"]) if p.stdout.strip().startswith("{") else len(json.loads(p.stdout))
    )


def test_demand_shows_what_is_due_and_when(db):
    p = ok(
        inproc(
            db,
            'matter demand cy --id D-1 --purpose "to value her shares and look into the 2024 option grants" '
            '--item "board minutes" --item "annual financial statements" --item "officers\' e-mails" --on 2025-06-06',
        )
    )
    assert "MB-220-DEMAND" in p.stdout and "answer by 2025-06-13" in p.stdout
    assert "220(a)(1)(e)" in p.stdout and "e-mails" in p.stdout
    data = json.loads(ok(inproc(db, "matter due D-1 --json")).stdout)
    assert data["answer_by"] == "2025-06-13" and data["since"] == "2022-06-06"
    assert {d["category"] for d in data["due"]} == {"board_minutes", "financials"}
    assert data["beyond_definition"] == ["officers' e-mails"]


def test_demand_before_2025_in_json(db):
    data = json.loads(
        ok(
            inproc(db, 'matter demand cy --id D-0 --purpose "to value her shares" --on 2025-03-24 --json')
        ).stdout
    )
    assert data["definition"] is None and data["answer_by"] == "2025-03-31"
    assert any(f["code"] == "MB-220-DEMAND-UNDEFINED" for f in data["findings"])


def test_demand_bad_input(db):
    assert "STOCKHOLDER" in one_line_error(inproc(db, 'matter demand nobody --purpose "x" --on 2025-06-06'))
    assert "--on" in one_line_error(inproc(db, 'matter demand cy --purpose "x" --on 2025-13-01'))
    assert "--purpose" in one_line_error(inproc(db, "matter demand cy --on 2025-06-06"))


def test_exculpation_query(db):
    p = ok(inproc(db, "matter exculpation --role officer --claim derivative --on 2024-05-01"))
    assert "not covered" in p.stdout
    data = json.loads(ok(inproc(db, "matter exculpation --role director --on 2024-05-01 --json")).stdout)
    assert data["covered"] is True and data["claim"] == "direct"
    data = json.loads(ok(inproc(db, "matter exculpation --role officer --on 2024-05-01 --json")).stdout)
    assert (
        data["covered"] is False and "adopted before" in data["reason"]
    )  # a 2010 charter cannot reach officers
    assert "--role" in one_line_error(inproc(db, "matter exculpation --role ceo --on 2024-05-01"))


def test_transaction_safe_harbor(db):
    ok(
        inproc(
            db,
            "board meeting --id B-T --resolve R-T:general --present ada,ben,cy --against R-T=ada --on 2025-06-02",
        )
    )
    p = ok(
        inproc(
            db,
            'matter transaction T-1 --kind interested --description "lease from ada" --interested ada --board R-T '
            "--on 2025-06-02",
        )
    )
    assert "MB-144-SAFE-HARBOR" in p.stdout and "144(a)(1)" in p.stdout
    p = ok(
        inproc(
            db,
            'matter transaction T-2 --kind going-private --description "buy-out" --interested ada '
            "--on 2025-06-02",
        )
    )
    assert "MB-144-NO-SAFE-HARBOR" in p.stdout and "cure:" in p.stdout
    assert "--kind" in one_line_error(
        inproc(db, "matter transaction T-3 --kind friendly --description x --interested ada")
    )
    assert "already" in one_line_error(
        inproc(
            db, "matter transaction T-1 --kind interested --description x --interested ada --on 2025-06-03"
        )
    )


def test_agreement_against_the_charter_is_refused(db):
    before = count(db)
    p = inproc(
        db,
        'matter agreement SA-1 --party ada --covenant "act_by_consent=the parties act by consent" '
        "--on 2024-09-02",
    )
    assert p.returncode == 1 and "MB-122-18-CHARTER-CONFLICT" in p.stdout and "nothing written" in p.stderr
    assert count(db) == before
    p = ok(
        inproc(
            db,
            'matter agreement SA-2 --party ada,ben --covenant "approval=no debt without ada" --on 2024-09-02',
        )
    )
    assert "MB-122-18-AGREEMENT" in p.stdout
    assert "--covenant" in one_line_error(inproc(db, 'matter agreement SA-3 --party ada --covenant "veto"'))


def test_approve_agreement_form(db):
    ok(inproc(db, "board meeting --id B-F --resolve R-F:general --present ada,ben,cy --on 2024-07-31"))
    p = ok(
        inproc(
            db,
            'matter approve-agreement AG-1 --title "merger agreement" --form substantially-final '
            "--approved-by R-F --on 2024-07-31",
        )
    )
    assert "MB-147-NOT-FINAL-FORM" in p.stdout
    p = ok(
        inproc(
            db,
            'matter approve-agreement AG-2 --title "merger agreement" --form substantially-final '
            "--approved-by R-F --on 2024-08-01",
        )
    )
    assert "MB-147-SUBSTANTIALLY-FINAL" in p.stdout
    assert "--form" in one_line_error(inproc(db, "matter approve-agreement AG-3 --title x --form draft"))


def test_conversion_closes_the_book(db):
    ok(inproc(db, "board meeting --id B-C --resolve R-C:call_meeting --present ada,ben,cy --on 2023-01-03"))
    ok(
        inproc(
            db,
            "meeting call M-C --kind special --meeting-on 2023-02-15 --record-date 2023-01-20 --called-by R-C "
            "--matter M-C-1:ordinary --on 2023-01-03",
        )
    )
    ok(inproc(db, "meeting notice M-C --on 2023-01-25"))
    ok(inproc(db, "meeting list M-C --on 2023-01-25"))
    ok(inproc(db, "meeting hold M-C --present ada,ben --for ada,ben --on 2023-02-15"))
    p = ok(
        inproc(
            db,
            'matter convert --entity "limited liability company" --jurisdiction Texas --board R-C '
            "--stockholders M-C-1 --on 2023-02-15",
        )
    )
    assert "MB-266-CONVERTED" in p.stdout
    before = count(db)
    # in a subprocess, as a user runs it: refused with the conversion named, nothing written
    cmd = [
        sys.executable,
        "-m",
        "minutebook",
        "holder",
        "add",
        "dan",
        "Dan",
        "--on",
        "2023-03-01",
        "--db",
        str(db),
    ]
    p = subprocess.run(cmd, cwd=db.parent, capture_output=True, text=True, timeout=120, env=ENV)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert "MB-266-BOOK-CLOSED" in p.stdout and "Texas" in p.stdout and "2023-02-15" in p.stdout
    assert count(db) == before
    p = inproc(db, "check")
    assert "MB-266-CONVERTED" in p.stdout
    assert "converted to a limited liability company of Texas (§266)" in ok(inproc(db, "log")).stdout
