"""OCF and equity compensation: a book with plans, vesting, options, RSUs, a warrant, SAFEs and a note, and its
governance record, exported (schema-valid by ours and by the independent validator, the extension file beside),
imported and exported again to the same JSON; OCF-Tools' and OCF's samples imported with their equity; bad
packages refused strictly, imported leniently with error findings that stay; fully diluted figures after import
against a tally computed from the package JSON itself (`test_ocf_parity.replay`, which also holds the book to it
holder by holder on generated packages and OCF's samples)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from equityhelp import add_equity
from ocfhelp import (
    TOOLS_SAMPLES,
    VALIDATOR,
    issuance,
    need,
    stakeholder,
    stock_class,
    write_package,
)
from test_ocf_parity import replay

from minutebook.book import open_book
from minutebook.core.errors import InputError
from minutebook.core.events import ServiceEnded
from minutebook.ocf.extension import NAME as EXTENSION
from minutebook.ocf.importer import import_package, validate_package
from minutebook.ocf.refused import findings as refused_findings
from minutebook.ocf.writer import export_package

ACME = next((p for p in TOOLS_SAMPLES if p.name == "acme_holdings_limited"), None)


@pytest.fixture(scope="module")
def book(auxer_copy, tmp_path_factory):
    return add_equity(auxer_copy(tmp_path_factory.mktemp("equity")))


@pytest.fixture(scope="module")
def package(book, tmp_path_factory) -> Path:
    return export_package(book, tmp_path_factory.mktemp("x") / "pkg").path


def _items(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text())["items"]


def _comparable(files: dict[str, bytes]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, data in files.items():
        if name.endswith(".json"):
            doc = json.loads(data)
            if name == "Manifest.ocf.json":
                doc.pop("generated_at")  # when the book's last event was recorded: the import's own time
            out[name] = doc
        else:
            out[name] = data
    return out


def test_round_trip_gives_identical_json(book, tmp_path):
    one = export_package(book, tmp_path / "one")
    r = import_package(str(tmp_path / "back.db"), one.path)
    assert r.kept == {"DOCUMENT": 1} and r.refused == 0  # the charter's document: kept as OCF has it
    two = export_package(r.book(), tmp_path / "two")
    assert _comparable(one.files) == _comparable(two.files)
    assert EXTENSION in two.files
    # and the equity state is the same
    a, b = book.state().equity, r.book().state().equity
    on = date(2010, 6, 1)
    assert {k: a.position(k, on).outstanding for k in a.awards} == {
        k: b.position(k, on).outstanding for k in b.awards
    }
    assert a.pool_available("plan-2006", on) == b.pool_available("plan-2006", on)
    assert sorted(a.convertibles) == sorted(b.convertibles)


def test_what_each_equity_event_becomes(package):
    txs = _items(package, "Transactions.ocf.json")
    by = {}
    for t in txs:
        by.setdefault(t["object_type"], []).append(t)
    (plan,) = _items(package, "StockPlans.ocf.json")
    assert (plan["id"], plan["initial_shares_reserved"], plan["board_approval_date"]) == (
        "plan-2006",
        "1000000",
        "2006-01-10",
    )
    (pool,) = by["TX_STOCK_PLAN_POOL_ADJUSTMENT"]
    assert (pool["shares_reserved"], pool["board_approval_date"], pool["stockholder_approval_date"]) == (
        "1500000", "2006-07-01", "2006-06-01")  # fmt: skip
    terms = {t["id"]: t for t in _items(package, "VestingTerms.ocf.json")}
    conds = terms["4y1y"]["vesting_conditions"]
    assert [c["id"] for c in conds] == ["start", "c1", "c2"]
    assert conds[1]["portion"] == {"numerator": "1", "denominator": "4"}
    assert conds[2]["trigger"]["period"] == {"length": 1, "type": "MONTHS", "occurrences": 36,
                                             "day_of_month": "VESTING_START_DAY_OR_LAST_DAY_OF_MONTH"}  # fmt: skip
    assert [c["trigger"]["type"] for c in terms["half-ipo"]["vesting_conditions"]] == [
        "VESTING_START_DATE",
        "VESTING_EVENT",
    ]
    opts = {t["security_id"]: t for t in by["TX_EQUITY_COMPENSATION_ISSUANCE"]}
    assert (
        opts["opt-1"]["compensation_type"] == "OPTION_ISO"
        and opts["opt-2"]["compensation_type"] == "OPTION_NSO"
    )
    assert opts["rsu-1"]["compensation_type"] == "RSU" and opts["opt-1"]["exercise_price"]["amount"] == "0.10"
    assert {"reason": "INVOLUNTARY_WITH_CAUSE", "period": 0, "period_type": "DAYS"} in opts["opt-1"][
        "termination_exercise_windows"
    ]
    stock = {t["security_id"]: t for t in by["TX_STOCK_ISSUANCE"]}
    (ex,) = by["TX_EQUITY_COMPENSATION_EXERCISE"]
    assert stock[ex["resulting_security_ids"][0]]["quantity"] == "25000"
    (rel,) = by["TX_EQUITY_COMPENSATION_RELEASE"]
    assert stock[rel["resulting_security_ids"][0]]["stakeholder_id"] == "bob"
    (cancel,) = by["TX_EQUITY_COMPENSATION_CANCELLATION"]
    assert (cancel["quantity"], cancel["reason_text"]) == ("32000", "forfeited: left the company")
    assert by["TX_WARRANT_EXERCISE"][0]["resulting_security_ids"]
    assert len(by["TX_CONVERTIBLE_ISSUANCE"]) == 3 and len(by["TX_CONVERTIBLE_CONVERSION"]) == 3
    mechs = {t["security_id"]: t["conversion_triggers"][0]["conversion_right"]["conversion_mechanism"]
             for t in by["TX_CONVERTIBLE_ISSUANCE"]}  # fmt: skip
    assert mechs["safe-1"]["conversion_valuation_cap"]["amount"] == "5000000"
    assert mechs["safe-2"]["conversion_timing"] == "PRE_MONEY" and mechs["safe-2"]["conversion_mfn"] is True
    assert mechs["note-1"]["interest_rates"][0]["rate"] == "0.06"
    assert {t["security_id"] for t in by["TX_VESTING_START"]} == {"opt-1", "opt-2", "rsu-1"}
    assert by["TX_VESTING_EVENT"][0]["vesting_condition_id"] == "e1"
    assert by["TX_VESTING_ACCELERATION"][0]["quantity"] == "10000"
    (val1, val2) = _items(package, "Valuations.ocf.json")
    assert val1["price_per_share"]["amount"] == "0.10"
    # the kind, then the board's resolution that approved it (OCF has only its date)
    assert val2["comments"] == ["minutebook: kind board", "minutebook: board approval R-VAL"]
    ext = json.loads((package / EXTENSION).read_text())
    types = [e["type"] for e in ext["events"]]
    for t in ("DirectorsElected", "BoardActed", "MeetingCalled", "NoticeSent", "MeetingHeld", "WrittenConsent",
              "ServiceEnded", "AwardRepriced", "ChangeOfControl"):  # fmt: skip
        assert t in types, t
    assert ext["supplements"]["opt-1"] == {"acceleration": {"double": "1/1"}}
    assert ext["supplements"]["note-1"] == {"maturity_on": "2010-02-01"}
    sample = next(e for e in ext["events"] if e["type"] == "ServiceEnded")
    assert sample == {"type": "ServiceEnded", "date": "2007-06-01", "bound": "on", "actor": None,
                      "payload": ServiceEnded("carol", "voluntary").to_payload()}  # fmt: skip


def test_schema_valid_by_ours_and_the_independent_validator(book, package, tmp_path):
    assert [p for p in validate_package(package) if p.severity == "error"] == []
    zipped = export_package(book, tmp_path / "eq", as_zip=True).path
    for target in (package, zipped):
        p = subprocess.run(
            [sys.executable, str(need(VALIDATOR)), str(target), "--strict", "--check-manifest"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert p.returncode == 0, p.stdout + p.stderr
        assert "0 error(s), 0 warning(s)" in p.stdout


def test_governance_comes_back(book, package, tmp_path):
    back = import_package(str(tmp_path / "g.db"), package).book()
    assert [e.type for e in back.events if e.type in ("MeetingHeld", "BoardActed", "WrittenConsent")] == [
        e.type for e in book.events if e.type in ("MeetingHeld", "BoardActed", "WrittenConsent")
    ]
    assert back.directors(date(2010, 1, 1)) == book.directors(date(2010, 1, 1))
    assert not [e for e in back.events if e.type == "ApprovalRecorded"]  # every approval date is an act in it


# --- OCF's and OCF-Tools' samples ---------------------------------------------------------------------------


def test_acme_options_and_vesting_import(tmp_path):
    r = import_package(str(tmp_path / "mb.db"), need(ACME), lenient=True)
    q = r.book().state().equity
    a = q.awards["equity_compensation_issuance_03"]
    assert (a.kind, a.option_type, a.quantity, a.exercise_price, a.early_exercise) == (
        "option", "ISO", 240_000, Decimal("1.0") * 7, True)  # fmt: skip
    assert a.vesting == "four_year_monthly_one_year_cliff_cumulative_round_down"
    assert q.position(a.id, date(2023, 11, 1)).vested == 240_000 * 48 // 48
    assert sorted(v.id for v in q.valuations) == ["valuation_01", "valuation_02", "valuation_03"]


def test_fully_diluted_after_import_matches_a_tally_of_the_package(package, tmp_path):
    book = import_package(str(tmp_path / "fd.db"), package).book()
    on = date(2007, 5, 1)  # before the forfeiture on leaving (which the book also counts as lapsed rights)
    st = book.state(on)
    q = st.equity
    outstanding = sum(r.shares for r in book.cap_table(on).rows)
    rights = sum(q.rights(on).values())
    pools = sum(q.pool_available(p, on) for p in q.plans)
    assert outstanding + rights + pools == replay(package, on.isoformat()).total
    end = date(2010, 6, 1)
    q = book.state(end).equity
    got = sum(r.shares for r in book.cap_table(end).rows) + sum(q.rights(end).values())
    got += sum(q.pool_available(p, end) for p in q.plans)
    assert got == replay(package, end.isoformat()).total


# --- bad packages: refused strictly, findings that stay leniently --------------------------------------------


def _bad(tmp_path: Path, first: dict) -> Path:
    return write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class()],
            "stakeholders_files": [stakeholder("ann", "Ann"), stakeholder("ben", "Ben")],
            "transactions_files": [
                first,
                {"object_type": "TX_STOCK_TRANSFER", "id": "t1", "date": "2021-01-01", "security_id": "S1",
                 "quantity": "5", "resulting_security_ids": ["S2"], "balance_security_id": "S3"},
                issuance("i2", "2021-01-01", "S2", "ben", 5),
                issuance("i3", "2021-01-01", "S3", "ann", 5),
                issuance("i4", "2021-02-01", "S4", "ann", 100),
            ],
        },
    )  # fmt: skip


@pytest.mark.parametrize(
    "first, why",
    [
        (issuance("i1", "2020-02-01", "S1", "ghost", 10), "stakeholder 'ghost' is not in the package"),
        (issuance("i1", "2020-02-01", "S1", "ann", -5), "quantity -5 is not a whole number of shares"),
    ],
    ids=["no-stakeholder", "negative"],
)
def test_bad_items_refused_strictly_and_kept_as_findings_leniently(first, why, tmp_path):
    pkg = _bad(tmp_path, first)
    db = tmp_path / "mb.db"
    with pytest.raises(InputError) as ex:
        import_package(str(db), pkg)
    lines = str(ex.value).splitlines()
    assert "2 item(s) cannot be placed" in lines[0] and not db.exists()
    assert lines[1].strip().startswith(f"Transactions.ocf.json: item TX_STOCK_ISSUANCE i1: $.items[0]: {why}")
    assert (
        lines[2]
        .strip()
        .startswith("Transactions.ocf.json: item TX_STOCK_TRANSFER t1: $.items[1]: security S1")
    )
    cli = subprocess.run(
        [sys.executable, "-m", "minutebook", "ocf", "import", str(pkg), "--db", str(db)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert cli.returncode == 2 and "TX_STOCK_ISSUANCE i1" in cli.stderr and not db.exists()
    r = import_package(str(db), pkg, lenient=True)
    errors = [f for f in r.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["MB-OCF-REFUSED-ITEM"] * 2 and r.refused == 2
    assert "TX_STOCK_ISSUANCE i1" in errors[0].message and "TX_STOCK_TRANSFER t1" in errors[1].message
    assert [(x.holder_id, x.shares) for x in r.book().cap_table().rows] == [("ann", 100)]
    again = open_book(str(db))  # a durable record: the findings come back from the book itself
    assert [f.message for f in refused_findings(again)] == [f.message for f in errors]


def test_book_check_keeps_showing_refused_items(tmp_path):
    pkg = _bad(tmp_path, issuance("i1", "2020-02-01", "S1", "ghost", 10))
    r = import_package(str(tmp_path / "mb.db"), pkg, lenient=True)
    assert "MB-OCF-REFUSED-ITEM" in {f.code for f in r.book().check()}


def test_the_seed_example_round_trips_with_its_issuances_consideration(tmp_path):
    """examples/seed-stage-company.yaml: a priced round whose cash is not the rounded price times the shares, and
    two SAFEs converted at it. OCF has no field for an issuance's consideration: the export writes it in
    `consideration_text` ("conversion of safe: $500000 in all"), and the import reads it back — before, the import
    took every issuance as cash at its price, and the second export lost those three texts."""
    from minutebook.book import stories
    from minutebook.core.codec import version_to_dict
    from minutebook.core.events import SeriesDesignated, SharesIssued
    from minutebook.governance.story import load

    story = load(Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml")
    book = stories.create_book(story, str(tmp_path / "seed.db"))
    assert all(o.ok for o in stories.run(book, story))
    one = export_package(book, tmp_path / "one")
    texts = [t.get("consideration_text") for t in _items(one.path, "Transactions.ocf.json")]
    assert sum(1 for t in texts if t and t.startswith("conversion of safe: $")) == 2
    back = import_package(str(tmp_path / "back.db"), one.path).book()
    two = export_package(back, tmp_path / "two")
    assert _comparable(one.files) == _comparable(two.files)

    def paid(b):
        return sorted(
            (e.body.holder_id, e.body.consideration_kind, e.body.consideration)
            for e in b.events
            if isinstance(e.body, SharesIssued)
        )

    assert paid(back) == paid(book)

    def approved(b):  # each act's approvals: named in the comments of the OCF objects (Approvals.note)
        return sorted(
            (
                e.body.TYPE,
                str(getattr(e.body, "approved_by", None)),
                str(getattr(e.body, "stockholder_approval", None)),
            )
            for e in b.events
            if getattr(e.body, "approved_by", None)
        )

    # the board acted on several resolutions on one day (2023-01-10, 2025-03-03): before, every act of that day was
    # read back as approved by the first of them
    assert approved(back) == approved(book)
    codes = {f.code for f in back.check()}
    assert "MB-APPROVAL-AFTER-ACT" not in codes  # the day's board act is recorded before the plan it adopts
    # the Series A Preferred is a series of the preferred class, designated on its day by R-5, in a charter that
    # grants the board that power (the extension's `charter`): before, it came back as a class of its own,
    # authorized at incorporation, and R-6 (which authorises preferred shares) did not match its issuances
    designated = [(e.effective_on, e.body) for e in back.events if isinstance(e.body, SeriesDesignated)]
    assert designated == [
        (e.effective_on, e.body) for e in book.events if isinstance(e.body, SeriesDesignated)
    ]
    assert [version_to_dict(v) for v in back.charter.versions] == [
        version_to_dict(v) for v in book.charter.versions
    ]
    assert sorted((f.code, f.message) for f in back.check()) == sorted(
        (f.code, f.message) for f in book.check()
    )
    for on in (date(2025, 3, 3), book.last_effective):
        assert back.fully_diluted(on) == book.fully_diluted(on)
    book.close()
    back.close()
