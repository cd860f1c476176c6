"""The stock-ledger gaps (issue 14, H4a) through the real command line: a split and a repurchase refused
without their approvals, a date after today refused unless --scheduled (then pending in the cap table), a
reused certificate number refused, the holder's address shown and changed with history, defaulted dates said
on stderr and refused out of order with the story, and the certificate register."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_book_cli import AUXER, approve, mb, sh

from clihelp import ok, one_line_error


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("gaps")
    ok(mb(d, "init", "--from", AUXER, db=d / "mb.db"))
    ok(sh(d / "mb.db", "holder add alice 'Alice Ng' --address '1 Main St, Dover DE'"))
    ok(sh(d / "mb.db", "holder add bob 'Bob Ray'"))
    approve(d / "mb.db")
    ok(sh(d / "mb.db", "issue alice 1,000 --class common --price 0.001 --on 1998-01-05 --certificate C-1 "
          "--legend 'Restricted' --approved-by R-ISSUE"))  # fmt: skip
    return d / "mb.db"


@pytest.fixture
def db(template, tmp_path) -> Path:
    shutil.copy(template, tmp_path / "mb.db")
    return tmp_path / "mb.db"


def test_split_and_repurchase_without_approval_are_refused(db):
    p = sh(db, "split common 10:1 --on 1999-01-04")
    assert p.returncode == 1 and "MB-APPROVAL-MISSING" in p.stdout and "nothing written" in p.stderr
    p = sh(db, "repurchase alice 100 --class common --price 0.01 --on 1999-01-04")
    assert p.returncode == 1 and "MB-APPROVAL-MISSING" in p.stdout
    # kept as history, with its finding
    p = ok(sh(db, "split common 10:1 --on 1999-01-04 --historical"))
    assert "MB-APPROVAL-MISSING" in p.stdout
    # an approval that is no board act of the kind is refused by name
    p = sh(db, "repurchase alice 100 --class common --price 0.01 --on 1999-01-05 --approved-by R-NOPE")
    assert p.returncode == 1 and "MB-APPROVAL-UNKNOWN" in p.stdout


def test_a_date_after_today_needs_scheduled_and_is_then_pending(db):
    later = (date.today() + timedelta(days=60)).isoformat()
    err = one_line_error(sh(db, f"cancel alice 10 --class common --on {later}"))
    assert "--scheduled" in err and later in err
    ok(sh(db, f"cancel alice 10 --class common --on {later} --scheduled"))
    now = json.loads(ok(sh(db, "captable --json")).stdout)
    assert [x["effective_on"] for x in now["pending"]] == [later]
    then = json.loads(ok(sh(db, f"captable --as-of {later} --json")).stdout)
    assert "pending" not in then and then != now
    assert "pending: event" in ok(sh(db, "captable")).stdout


def test_a_reused_certificate_number_is_refused(db):
    p = sh(
        db, "issue bob 5 --class common --price 0.001 --on 1998-02-01 --certificate C-1 --approved-by R-ISSUE"
    )
    assert p.returncode == 1 and "MB-CERTIFICATE-REUSED" in p.stdout
    assert "alice" in p.stdout and "1998-01-05" in p.stdout


def test_holder_address_is_listed_and_changed_with_history(db):
    rows = {r["id"]: r for r in json.loads(ok(sh(db, "holder list --json")).stdout)["holders"]}
    assert rows["alice"]["address"] == "1 Main St, Dover DE"
    ok(
        sh(
            db,
            "holder change alice --address '9 Elm St, Wilmington DE' --name 'Alice Ng-Lee' --on 2001-05-01",
        )
    )
    before = {
        r["id"]: r for r in json.loads(ok(sh(db, "holder list --as-of 2001-04-30 --json")).stdout)["holders"]
    }
    after = {
        r["id"]: r for r in json.loads(ok(sh(db, "holder list --as-of 2001-05-01 --json")).stdout)["holders"]
    }
    assert before["alice"]["address"] == "1 Main St, Dover DE" and before["alice"]["name"] == "Alice Ng"
    assert after["alice"]["address"] == "9 Elm St, Wilmington DE" and after["alice"]["name"] == "Alice Ng-Lee"
    assert "9 Elm St" in ok(sh(db, "holder list --as-of 2002-01-01")).stdout
    assert "--on" in one_line_error(sh(db, "holder change alice --address 'x'"))
    assert "at least one" in one_line_error(sh(db, "holder change alice --on 2001-06-01"))
    assert "no holder" in one_line_error(sh(db, "holder change zed --name Z --on 2001-06-01"))


def test_defaulted_dates_are_said_and_refused_out_of_order(db, tmp_path):
    # the story ends in 1998: no act goes in on today's date unasked
    err = one_line_error(sh(db, "issue bob 10 --class common --price 0.001 --approved-by R-ISSUE"))
    assert "--on" in err and "1999-03-19" in err  # the last act: the 1999 amendment
    # nor is a holder back-dated to the incorporation once acts are recorded
    err = one_line_error(sh(db, "holder add carol 'Carol Diaz'"))
    assert "--on" in err and "1997-07-31" in err
    ok(sh(db, "holder add carol 'Carol Diaz' --on 1998-03-01"))
    # on a fresh book, the incorporation date is used and said
    fresh = tmp_path / "fresh" / "mb.db"
    fresh.parent.mkdir()
    ok(mb(fresh.parent, "init", "--from", AUXER, db=fresh))
    p = ok(sh(fresh, "holder add dee 'Dee Ray'"))
    assert "dated 1997-07-31 (the incorporation" in p.stderr
    # --on today is an explicit date: accepted
    p = ok(sh(db, "repurchase alice 1 --class common --price 0.001 --on today --historical"))
    assert date.today().isoformat() in p.stdout


def test_the_certificate_register(db):
    ok(sh(db, "transfer alice bob 400 --class common --on 1998-03-01 --certificate C-1 --new-certificate C-2 "
          "--balance-certificate C-3"))  # fmt: skip
    data = json.loads(ok(sh(db, "certificates --json")).stdout)
    by = {c["number"]: c for c in data["certificates"]}
    assert by["C-1"]["status"] == "surrendered" and by["C-1"]["surrendered_on"] == "1998-03-01"
    assert (by["C-2"]["holder"], by["C-2"]["shares"], by["C-2"]["legends"]) == ("bob", 400, ["Restricted"])
    assert (by["C-3"]["holder"], by["C-3"]["shares"]) == ("alice", 600)
    early = json.loads(ok(sh(db, "certificates --as-of 1998-02-01 --json")).stdout)
    assert [c["number"] for c in early["certificates"]] == ["C-1"]
    assert early["certificates"][0]["status"] == "outstanding"
    assert "C-2" in ok(sh(db, "certificates --class common")).stdout
    assert "No certificates" in ok(sh(db, "certificates --class preferred")).stdout
    assert "--class" in one_line_error(sh(db, "certificates --class bonds"))
    assert "--as-of" in one_line_error(sh(db, "certificates --as-of 1998-13-01"))
