"""OCF import: OCF's own packages (the v1.2.0 samples strictly, main's samples and OCF-Tools' replay fixtures
leniently), holdings by OCF's traversal rules (by hand for one package, and against an independent snapshot),
round trips (import → export → import, and the Auxer book → export → import) with the same cap table at every
date, approvals carried through, history checked as history, and every kind of bad package refused with one line
naming the file and item, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from ocfhelp import (
    MAIN_SAMPLES,
    RELEASE_SAMPLES,
    TOOLS_SAMPLES,
    issuance,
    need,
    refresh_md5s,
    rows,
    snapshot,
    stakeholder,
    stock_class,
    transaction_dates,
    write_package,
)

from minutebook.core.codec import version_to_dict
from minutebook.core.errors import InputError
from minutebook.core.events import ApprovalRecorded, CharterAmended, Incorporated, SeriesDesignated
from minutebook.ocf.extension import NAME as EXTENSION
from minutebook.ocf.importer import import_package, validate_package
from minutebook.ocf.writer import export_package

ACME = next((p for p in TOOLS_SAMPLES if p.name == "acme_holdings_limited"), None)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def by_ocf_class(book) -> dict[tuple[str, str], int]:
    """Holdings keyed by OCF stakeholder id and OCF stock class id (kept with the charter), as `snapshot` has them."""
    inc = next(e for e in book.events if isinstance(e.body, Incorporated))
    ocf_id = {c["key"]: c["ocf"]["id"] for c in inc.body.charter["capital"]["classes"]}
    return {(r.holder_id, ocf_id[r.class_key]): r.shares for r in book.cap_table().rows}


@pytest.fixture
def release(tmp_path) -> Path:
    """OCF's v1.2.0 samples with their manifest's md5s recomputed (the manifest itself says they are dummies)."""
    folder = tmp_path / "release"
    shutil.copytree(need(RELEASE_SAMPLES), folder)
    os.chmod(folder, 0o755)
    for p in folder.iterdir():
        os.chmod(p, 0o644)
    refresh_md5s(folder)
    return folder


def test_release_samples_are_refused_strictly_and_import_leniently(release, tmp_path):
    # the samples show each object type once: their transactions name stakeholders ("stakeholder-id"), classes
    # and securities the package does not have; a strict import names every one and writes nothing
    with pytest.raises(InputError, match=r"59 item\(s\) cannot be placed") as ex:
        import_package(str(tmp_path / "strict.db"), release)
    assert "Transactions.ocf.json: item TX_STOCK_ISSUANCE test-stock-issuance-minimal" in str(ex.value)
    assert not (tmp_path / "strict.db").exists()
    r = import_package(str(tmp_path / "mb.db"), release, lenient=True)
    assert r.counts["TX_STOCK_ISSUANCE"] == 4 and r.counts["STAKEHOLDER"] == 4
    assert r.book().cap_table().rows == ()
    assert r.refused == 59 and "MB-OCF-REFUSED-ITEM" in codes(r.findings)
    # only what minutebook has no model for is kept: transfers and acceptances of awards, warrants and
    # convertibles, a convertible's cancellation and retraction, a return to pool, a conversion-ratio change,
    # two vesting terms it cannot say (days, absolute dates), the financing
    assert "TX_EQUITY_COMPENSATION_ISSUANCE" not in r.kept and "TX_WARRANT_ISSUANCE" not in r.kept
    assert sum(r.kept.values()) == 21
    classes = r.book().charter.versions[0].capital.classes
    assert [(c.key, c.authorized) for c in classes] == [
        ("common", 1_000_000_000),
        ("series-seed-preferred", 10_000_000),
    ]
    assert any(e.type == "StockSplit" for e in r.book().events)  # the Common 2-for-1 split applies
    equity = r.book().state().equity
    assert "257e5da9-265c-465c-84be-f6d4d4703a9b" in equity.plans or equity.plans  # the plan is modelled
    assert equity.valuations and equity.terms


def test_release_samples_as_published_need_lenient_for_their_dummy_md5s(tmp_path):
    with pytest.raises(
        InputError, match=r"^Manifest.ocf.json: \$.stock_plans_files\[0\].md5: md5 of ./StockPlans"
    ):
        import_package(str(tmp_path / "mb.db"), need(RELEASE_SAMPLES))
    assert not (tmp_path / "mb.db").exists()
    r = import_package(str(tmp_path / "mb.db"), RELEASE_SAMPLES, lenient=True)
    assert "MB-OCF-MD5" in codes(r.findings)


@pytest.mark.parametrize("folder", [MAIN_SAMPLES, *TOOLS_SAMPLES], ids=lambda p: p.name)
def test_other_packages_import_leniently_with_ocf_tools_holdings(folder, tmp_path):
    need(folder)
    with pytest.raises(InputError, match="ocf_version"):
        import_package(str(tmp_path / "strict.db"), folder)
    r = import_package(str(tmp_path / "mb.db"), folder, lenient=True)
    assert {"MB-OCF-VERSION", "MB-OCF-MD5"} <= codes(r.findings)
    as_of = json.loads((folder / "Manifest.ocf.json").read_text())["as_of"]
    book = r.book()
    if folder == MAIN_SAMPLES:  # the same unplaceable securities as the release samples
        assert book.cap_table().rows == () and "TX_STOCK_CONSOLIDATION" in r.kept and r.refused
    else:
        assert by_ocf_class(book) == snapshot(folder, as_of)


def test_acme_holdings_worked_out_by_hand(tmp_path):
    r = import_package(str(tmp_path / "mb.db"), need(ACME), lenient=True)
    book = r.book()
    # OCF-Tools' acme_holdings_limited, traversed by hand (as of 2023-06-29):
    # Ordinary A
    #   si_01 2022-01-01 Fiona 600,000 (stock_issuance_01); si_02 Charlie 400,000 (_02)
    #   st_01 2022-06-15 transfers 300,000 of _02 to Fiona as _03; Charlie keeps the balance _04 = 100,000
    #   sc_02 2022-06-30 cancels 220,000 of _03; Fiona keeps the balance _07 = 80,000
    #   si_10 2022-06-30 Fiona 50,000 (_10), retracted by sr_10 on 2022-07-01: gone
    #   sc_01 2022-09-01 cancels all 100,000 of _04 (no balance): Charlie has no Ordinary A left
    #   si_05 2023-01-01 Charlie 25,000 (_05)
    #   repurchases 2023-01-15: 500,000 of _01 (balance _06 = 100,000), then all of _06: Fiona's 600,000 gone,
    #     600,000 into treasury
    #   stock_conversion_01 2023-06-01: 20,000 of Fiona's preferred _preferred_01 (35,000) become _11 (30,000)
    #     and _12 (10,000) Ordinary A; the 15,000 preferred balance stays hers
    #   => Fiona 80,000 + 30,000 + 10,000 = 120,000; Charlie 25,000; issued 145,000 + 600,000 in treasury
    # Preferred: Fiona 15,000
    # Ordinary B: sib_1 2023-01-01 Jane 25,000, reissued 2023-02-01 as 13,500 + 11,500; split 2-for-1 on
    #   2023-03-01 (27,000 + 23,000), reissued as b_04 27,000 and b_05 23,000 => Jane 50,000
    # The options (eci_01..03) and their vesting starts are awards (their plan is not in the package: granted
    # outside a plan); their exercises name resulting securities that have no issuance: refused, named.
    assert rows(book, date(2023, 6, 29)) == [
        ("charlieCofounder", "ordinary-a", None, 25_000),
        ("fionaFounder", "ordinary-a", None, 120_000),
        ("fionaFounder", "preferred", None, 15_000),
        ("janeCTO", "ordinary-b", None, 50_000),
    ]
    oa = next(c for c in book.cap_table(date(2023, 6, 29)).by_class if c.class_key == "ordinary-a")
    assert (oa.issued, oa.treasury, oa.outstanding) == (745_000, 600_000, 145_000)
    assert rows(book, date(2022, 6, 15)) == [
        ("charlieCofounder", "ordinary-a", None, 100_000),
        ("fionaFounder", "ordinary-a", None, 900_000),
    ]
    assert r.kept == {} and r.refused == 4
    equity = book.state().equity
    assert sorted(equity.awards) == [f"equity_compensation_issuance_0{i}" for i in (1, 2, 3)]
    assert equity.awards["equity_compensation_issuance_01"].vesting_start == date(2019, 6, 1)
    assert [f.code for f in r.findings].count("MB-OCF-REFUSED-ITEM") == 4


def _same_at_every_date(a, b) -> None:
    for d in transaction_dates(a):
        assert rows(a, d) == rows(b, d), d


@pytest.mark.parametrize("source", ["acme", "release"])
def test_round_trip_import_export_import(source, release, tmp_path):
    folder, lenient = (need(ACME), True) if source == "acme" else (release, True)
    one = import_package(str(tmp_path / "one.db"), folder, lenient=lenient)
    x = export_package(one.book(), tmp_path / "pkg.ocf.zip", as_zip=True)
    two = import_package(str(tmp_path / "two.db"), x.path)
    _same_at_every_date(one.book(), two.book())
    # what the first import kept is written back and kept again; what it refused is not in the book
    assert two.kept == one.kept and two.refused == 0


def _charter(book) -> list[dict]:
    return [version_to_dict(v) for v in book.charter.versions]


def _events(book, *types) -> list[tuple]:
    return [(e.effective_on, e.body) for e in book.events if isinstance(e.body, types)]


def test_auxer_book_exports_and_imports_with_its_charter_and_series(auxer_copy, tmp_path):
    """The Auxer book (a §241 and a §242 amendment, a series A of its preferred) exported and imported: the same
    charter at every version, text and all, the series a series (designated as it was), the same cap table at every
    date and the same findings. OCF holds only the capital; the rest comes from the extension's `charter`. Before,
    the import came back with a bare charter and series A as a class of its own, authorized at incorporation."""
    book = auxer_copy(tmp_path / "db")
    out = export_package(book, tmp_path / "auxer").path
    r = import_package(str(tmp_path / "back.db"), out)
    back = r.book()
    assert "MB-OCF-EXTENSION" not in codes(r.findings)
    assert _charter(back) == _charter(book)
    assert _events(back, SeriesDesignated, CharterAmended) == _events(book, SeriesDesignated, CharterAmended)
    assert any(s for _, _, s, _ in rows(book))  # (the book has series shares to compare)
    _same_at_every_date(book, back)
    assert sorted((f.code, f.message) for f in back.check()) == sorted(
        (f.code, f.message) for f in book.check()
    )


def test_a_package_whose_classes_differ_from_its_extension_reads_them_from_the_classes(auxer_copy, tmp_path):
    """Another tool renamed a class after minutebook exported the package: the extension's charter no longer gives
    the package's stock classes, so the import says so and reads the charter from the stock classes (the series a
    class of its own)."""
    book = auxer_copy(tmp_path / "db")
    out = export_package(book, tmp_path / "auxer").path
    f = out / "StockClasses.ocf.json"
    doc = json.loads(f.read_text())
    doc["items"][0]["name"] = "Class A Common Stock"
    f.write_text(json.dumps(doc, indent=2))
    refresh_md5s(out)
    r = import_package(str(tmp_path / "back.db"), out)
    warned = [x.message for x in r.findings if x.code == "MB-OCF-EXTENSION"]
    assert (
        len(warned) == 1
        and "StockClasses.ocf.json" in warned[0]
        and "read from the stock classes" in warned[0]
    )
    back = r.book()
    assert back.charter.versions[0].capital.classes[0].name == "Class A Common Stock"
    assert not _events(back, SeriesDesignated)
    key = {"common": "class-a-common"}  # (the key is the class's name, read again)
    for d in transaction_dates(book):
        want = [(h, "series-a-preferred" if s else key.get(c, c), None, n) for h, c, s, n in rows(book, d)]
        assert sorted(want) == rows(back, d), d


def test_approval_dates_become_recorded_approvals_and_come_back(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class(board_approval_date="2020-01-02")],
            "stakeholders_files": [stakeholder("ann", "Ann")],
            "transactions_files": [
                issuance("i1", "2020-02-01", "S1", "ann", 1000, board_approval_date="2020-01-20"),
                issuance("i2", "2020-03-01", "S2", "ann", 500, board_approval_date="2020-01-20"),
                {
                    "object_type": "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT",
                    "id": "a1",
                    "date": "2021-05-01",
                    "stock_class_id": "common",
                    "new_shares_authorized": "5000000",
                    "board_approval_date": "2021-03-01",
                    "stockholder_approval_date": "2021-04-15",
                },
            ],
        },
    )
    r = import_package(str(tmp_path / "mb.db"), pkg)
    book = r.book()
    recorded = sorted(
        (e.effective_on, e.body.body) for e in book.events if isinstance(e.body, ApprovalRecorded)
    )
    assert recorded == [
        (date(2020, 1, 20), "board"),
        (date(2021, 3, 1), "board"),
        (date(2021, 4, 15), "stockholders"),
    ]
    amended = next(e for e in book.events if e.type == "CharterAmended")
    assert amended.body.approved_by == ("ocf-board-2021-03-01", "ocf-stockholders-2021-04-15")
    assert amended.source.path == "Transactions.ocf.json" and amended.source.line > 1
    assert book.charter.at(date(2021, 5, 1)).capital.cls("common").authorized == 5_000_000
    out = export_package(book, tmp_path / "again").path
    txs = json.loads((out / "Transactions.ocf.json").read_text())["items"]
    assert [t.get("board_approval_date") for t in txs if t["object_type"] == "TX_STOCK_ISSUANCE"] == [
        "2020-01-20"
    ] * 2
    adj = next(t for t in txs if t["object_type"] == "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT")
    assert (adj["board_approval_date"], adj["stockholder_approval_date"]) == ("2021-03-01", "2021-04-15")
    common = json.loads((out / "StockClasses.ocf.json").read_text())["items"][0]
    assert common["board_approval_date"] == "2020-01-02"


def test_issuance_above_the_authorized_shares_is_a_finding_not_a_refusal(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class(authorized="1000")],
            "stakeholders_files": [stakeholder("ann", "Ann")],
            "transactions_files": [issuance("i1", "2020-02-01", "S1", "ann", 1500)],
        },
    )
    r = import_package(str(tmp_path / "mb.db"), pkg)
    over = [f for f in r.findings if f.code == "MB-ISSUE-EXCEEDS-AUTHORIZED"]
    assert over and over[0].severity.value == "warning" and "item TX_STOCK_ISSUANCE i1" in over[0].message
    assert rows(r.book()) == [("ann", "common", None, 1500)]


def test_deprecated_aliases_only_leniently(tmp_path):
    option = {
        "object_type": "TX_PLAN_SECURITY_ISSUANCE",
        "id": "o1",
        "date": "2020-02-01",
        "security_id": "O1",
        "custom_id": "O-1",
        "stakeholder_id": "ann",
        "stock_class_id": "common",
        "quantity": "100",
        "exercise_price": {"amount": "1", "currency": "USD"},
        "compensation_type": "OPTION",
        "expiration_date": "2030-01-01",
        "termination_exercise_windows": [],
        "security_law_exemptions": [],
    }
    pkg = write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class()],
            "stakeholders_files": [stakeholder("ann", "Ann")],
            "transactions_files": [option],
        },
    )
    with pytest.raises(InputError, match="item TX_PLAN_SECURITY_ISSUANCE o1: .*deprecated alias"):
        import_package(str(tmp_path / "a.db"), pkg)
    r = import_package(str(tmp_path / "b.db"), pkg, lenient=True)
    assert r.kept == {} and "MB-OCF-DEPRECATED-TYPE" in codes(r.findings)
    assert r.book().state().equity.awards["O1"].kind == "option"


# --- bad packages: one line naming file and item, exit 2, nothing written --------------------------------------


def _base(tmp_path: Path, txs: list[dict]) -> Path:
    return write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class()],
            "stakeholders_files": [stakeholder("ann", "Ann"), stakeholder("ben", "Ben")],
            "transactions_files": txs,
        },
    )


def _transfer(tid: str, sec: str, qty: int, to: str) -> dict:
    return {
        "object_type": "TX_STOCK_TRANSFER",
        "id": tid,
        "date": "2021-01-01",
        "security_id": sec,
        "quantity": str(qty),
        "resulting_security_ids": [to],
    }


def _missing_manifest(tmp_path):
    folder = _base(tmp_path, [])
    (folder / "Manifest.ocf.json").unlink()
    return folder, "no OCF manifest"


def _bad_json(tmp_path):
    folder = _base(tmp_path, [issuance("i1", "2020-02-01", "S1", "ann", 10)])
    text = (folder / "Transactions.ocf.json").read_text()
    (folder / "Transactions.ocf.json").write_text(text[:-5])
    refresh_md5s(folder)
    return folder, "Transactions.ocf.json: not valid JSON (line"


def _wrong_type(tmp_path):
    bad = issuance("i1", "2020-02-01", "S1", "ann", 10)
    bad["quantity"] = 10
    return _base(
        tmp_path, [bad]
    ), "Transactions.ocf.json: item TX_STOCK_ISSUANCE i1: $.quantity: 10 is not of type 'string'"


def _retired(tmp_path):
    txs = [
        issuance("i1", "2020-02-01", "S1", "ann", 10),
        _transfer("t1", "S1", 10, "S2"),
        issuance("i2", "2021-01-01", "S2", "ben", 10),
        _transfer("t2", "S1", 10, "S3"),
        issuance("i3", "2021-01-01", "S3", "ben", 10),
    ]
    return (
        _base(tmp_path, txs),
        "Transactions.ocf.json: item TX_STOCK_TRANSFER t2: $.items[3].security_id: "
        "security S1 was already retired by TX_STOCK_TRANSFER t1 on 2021-01-01",
    )


@pytest.mark.parametrize(
    "make", [_missing_manifest, _bad_json, _wrong_type, _retired], ids=lambda f: f.__name__[1:]
)
def test_bad_packages_are_refused_by_the_cli_with_one_line(make, tmp_path):
    folder, expected = make(tmp_path)
    db = tmp_path / "mb.db"
    env = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}
    p = subprocess.run(
        [sys.executable, "-m", "minutebook", "ocf", "import", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert p.returncode == 2, p.stdout + p.stderr
    err = p.stderr.strip()
    assert err.startswith("minutebook: error: ") and "\n" not in err and "Traceback" not in err, err
    assert expected in err
    assert not db.exists()  # nothing written: not even the database file
    problems = validate_package(folder)
    assert any(x.severity == "error" for x in problems)


def test_a_retired_security_is_refused_into_an_existing_database_which_stays_unchanged(tmp_path):
    ok = write_package(
        tmp_path / "ok",
        {"stock_classes_files": [stock_class()], "stakeholders_files": [stakeholder("ann", "Ann")]},
    )
    import_package(str(tmp_path / "mb.db"), ok)
    before = (tmp_path / "mb.db").read_bytes()
    folder, _ = _retired(tmp_path)
    with pytest.raises(InputError, match="already retired"):
        import_package(str(tmp_path / "mb.db"), folder, lenient=True)
    assert (tmp_path / "mb.db").read_bytes() == before


def test_cli_import_and_validate(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}

    def mb(*args):
        return subprocess.run(
            [sys.executable, "-m", "minutebook", *args], capture_output=True, text=True, timeout=120, env=env
        )

    acme = need(ACME)
    v = mb("ocf", "validate", str(acme))
    assert v.returncode == 1 and "MB-OCF-VERSION" in v.stdout
    v = mb("ocf", "validate", str(acme), "--lenient")  # four exercises name stock issuances not in it
    assert v.returncode == 1 and v.stdout.count("error MB-OCF-UNRESOLVED") == 4
    p = mb("ocf", "import", str(acme), "--lenient", "--db", str(tmp_path / "mb.db"), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["kept"] == {} and out["refused"] == 4
    assert {(h["holder"], h["shares"]) for h in out["cap_table"]["holdings"]} >= {("fionaFounder", 120_000)}
    e = mb("ocf", "export", str(tmp_path / "acme"), "--zip", "--db", str(tmp_path / "mb.db"))
    assert e.returncode == 0, e.stderr
    assert mb("ocf", "validate", str(tmp_path / "acme.ocf.zip")).returncode == 0


def test_an_extension_charter_that_cannot_be_taken_is_said_and_the_classes_read(auxer_copy, tmp_path):
    """The extension's `charter` edited by hand: an entry that is not a charter event, or one whose place in its
    document is not four offsets. Each is a one-line warning naming the extension, and the charter is read from the
    stock classes (an amendment left out no longer gives the package's adjustments); nothing else is lost."""
    book = auxer_copy(tmp_path / "db")
    out = export_package(book, tmp_path / "auxer").path
    path = out / EXTENSION
    original = json.loads(path.read_text())
    for n, edit in enumerate(("type", "source")):
        ext = json.loads(json.dumps(original))
        if edit == "type":
            ext["charter"].append(
                {"type": "StakeholderAdded", "date": "2001-01-01", "payload": {"holder_id": "x", "name": "X"}}
            )
        else:
            ext["charter"][1]["source"]["line"] = "seventy-one"
        path.write_text(json.dumps(ext))
        r = import_package(str(tmp_path / f"back{n}.db"), out)
        warned = [x.message for x in r.findings if x.code == "MB-OCF-EXTENSION"]
        assert warned and all("\n" not in w and EXTENSION in w for w in warned), warned
        assert any("read from the stock classes" in w for w in warned)
        back = r.book()
        assert not [e for e in back.events if isinstance(e.body, SeriesDesignated)]
        assert sum(n for *_, n in rows(back)) == sum(n for *_, n in rows(book))
