"""OCF export of the Auxer book: what the package says (issuer, classes and the designated series, adjustments with
their approval dates, securities traversed as OCF has it, documents), that it validates by our validation and by
the independent `../shared/tools/ocf_validate.py --strict`, that it is byte for byte reproducible, and that an
invalid package is refused with nothing written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from ocfhelp import AUXER, VALIDATOR, need

from minutebook.core.errors import MinutebookError
from minutebook.ocf.importer import validate_package
from minutebook.ocf.writer import export_package


@pytest.fixture(scope="module")
def book(auxer_copy, tmp_path_factory):
    return auxer_copy(tmp_path_factory.mktemp("auxer"))


@pytest.fixture(scope="module")
def package(book, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "auxer"
    export_package(book, out)
    return out


def items(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text())["items"]


def test_manifest_names_the_issuer_and_every_file_with_its_md5(package):
    m = json.loads((package / "Manifest.ocf.json").read_text())
    assert m["ocf_version"] == "1.2.0" and m["as_of"] == "2005-01-01"
    issuer = m["issuer"]
    assert issuer["legal_name"] == "The Auxer Group, Inc."
    assert issuer["formation_date"] == "1997-07-31"
    assert (issuer["country_of_formation"], issuer["country_subdivision_of_formation"]) == ("US", "DE")
    for key in ("stock_plans_files", "vesting_terms_files", "valuations_files"):  # required, empty
        assert items(package, m[key][0]["filepath"]) == []
    for key, refs in m.items():
        if key.endswith("_files"):
            for ref in refs:
                assert hashlib.md5((package / ref["filepath"]).read_bytes()).hexdigest() == ref["md5"]


def test_stock_classes_each_class_and_the_designated_series(package):
    classes = {c["id"]: c for c in items(package, "StockClasses.ocf.json")}
    assert set(classes) == {"common", "preferred", "preferred.A"}
    common = classes["common"]
    assert common["initial_shares_authorized"] == "20000000"  # the 1997-07-31 certificate
    assert common["par_value"] == {"amount": "0.001", "currency": "USD"}
    assert (common["votes_per_share"], common["seniority"], common["class_type"]) == ("1", "1", "COMMON")
    assert classes["preferred"]["seniority"] == "2" and classes["preferred"]["class_type"] == "PREFERRED"
    series = classes["preferred.A"]
    assert series["initial_shares_authorized"] == "1000000" and "series A" in series["comments"][0]
    assert series["board_approval_date"] == "1997-09-02"  # R-ISSUE, by the board's consent B-1


def test_adjustments_at_each_charter_version_with_approval_dates(package):
    adj = [
        (t["date"], t["stock_class_id"], t["new_shares_authorized"], t.get("board_approval_date"),
         t.get("stockholder_approval_date"))
        for t in items(package, "Transactions.ocf.json")
        if t["object_type"] == "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT"
    ]  # fmt: skip
    assert adj == [
        (
            "1997-08-28",
            "common",
            "50000000",
            None,
            None,
        ),  # §241 by the incorporator: no board, no stockholders
        ("1997-08-28", "preferred", "25000000", None, None),
        ("1999-03-19", "common", "150000000", None, None),
        ("2005-01-01", "common", "300000000", "2004-12-01", "2004-12-15"),  # R-AMEND; consent C-AMEND
    ]
    assert not any(
        t["object_type"] == "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT"
        for t in items(package, "Transactions.ocf.json")
    )


def test_securities_are_traversed_as_ocf_has_them(package):
    txs = items(package, "Transactions.ocf.json")
    by_sec = {t["security_id"]: t for t in txs if t["object_type"] == "TX_STOCK_ISSUANCE"}
    c1 = by_sec["C-1"]
    assert (c1["custom_id"], c1["quantity"], c1["stakeholder_id"]) == ("C-1", "5000000", "alice")
    assert c1["board_approval_date"] == "1997-09-02"
    assert c1["stock_legend_ids"] == ["LEGEND-1"]
    transfer = next(t for t in txs if t["object_type"] == "TX_STOCK_TRANSFER")
    assert transfer["security_id"] == "C-1" and transfer["quantity"] == "1000000"
    assert transfer["resulting_security_ids"] == ["C-2"] and transfer["balance_security_id"] == "C-3"
    assert (by_sec["C-2"]["stakeholder_id"], by_sec["C-2"]["quantity"]) == ("carol", "1000000")
    assert (by_sec["C-3"]["stakeholder_id"], by_sec["C-3"]["quantity"]) == ("alice", "4000000")
    repurchase = next(t for t in txs if t["object_type"] == "TX_STOCK_REPURCHASE")
    assert repurchase["quantity"] == "500000" and repurchase["price"]["amount"] == "0.02"
    assert by_sec[repurchase["balance_security_id"]]["quantity"] == "1500000"
    treasury = next(t for t in txs if t.get("comments") and "treasury" in t["comments"][0])
    assert treasury["quantity"] == "250000"
    split = next(t for t in txs if t["object_type"] == "TX_STOCK_CLASS_SPLIT")
    assert split["split_ratio"] == {"numerator": "3", "denominator": "2"}
    reissued = [t for t in txs if t.get("split_transaction_id") == split["id"]]
    assert len(reissued) == 4  # every outstanding common security: C-3, bob's balance, carol's two
    security_ids = [t["security_id"] for t in txs if t["object_type"] == "TX_STOCK_ISSUANCE"]
    assert len(security_ids) == len(set(security_ids))


def test_documents_carry_the_charter_with_md5_and_related_objects(package):
    (doc,) = items(package, "Documents.ocf.json")
    data = (package / doc["path"]).read_bytes()
    assert data == AUXER.read_bytes() and hashlib.md5(data).hexdigest() == doc["md5"]
    related = {(r["object_type"], r["object_id"]) for r in doc["related_objects"]}
    assert ("ISSUER", "the-auxer-group-inc") in related
    assert ("TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT", "ADJ-1999-03-19-common") in related


def test_validates_by_ours_and_by_the_independent_validator(book, package, tmp_path):
    assert [p for p in validate_package(package) if p.severity == "error"] == []
    zipped = export_package(book, tmp_path / "auxer", as_zip=True).path
    assert zipped.name == "auxer.ocf.zip"
    assert [p for p in validate_package(zipped) if p.severity == "error"] == []
    for target in (package, zipped):
        p = subprocess.run(
            [sys.executable, str(need(VALIDATOR)), str(target), "--strict", "--check-manifest"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert p.returncode == 0, p.stdout + p.stderr
        assert "0 error(s), 0 warning(s)" in p.stdout


def test_export_is_reproducible(book, tmp_path):
    a = export_package(book, tmp_path / "a.ocf.zip", as_zip=True).path.read_bytes()
    b = export_package(book, tmp_path / "b.ocf.zip", as_zip=True).path.read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.ocf.zip") as zf:
        assert "Manifest.ocf.json" in zf.namelist()


def test_as_of_leaves_out_what_came_later(book, tmp_path):
    out = export_package(book, tmp_path / "early", as_of=date(1999, 12, 31)).path
    m = json.loads((out / "Manifest.ocf.json").read_text())
    assert m["as_of"] == "1999-12-31"
    txs = items(out, "Transactions.ocf.json")
    assert max(t["date"] for t in txs) <= "1999-12-31"
    issued = {t["stakeholder_id"]: t for t in txs if t["object_type"] == "TX_STOCK_ISSUANCE"}
    assert issued["alice"]["security_id"] == "C-1" and issued["bob"]["security_id"].startswith("SEC-")
    assert set(issued) == {"alice", "bob"}


def test_an_invalid_package_is_refused_and_nothing_written(auxer_copy, tmp_path):
    book = auxer_copy(tmp_path / "book")
    # the book takes the address; OCF's Email type does not
    r = book.add_holder("robot", "Robot Holdings", email="no-at-sign")
    assert not r.refused
    with pytest.raises(
        MinutebookError,
        match=r"\(1 problem\(s\)\); nothing written: Stakeholders.ocf.json: item STAKEHOLDER robot: "
        r"\$.contact_info.emails\[0\].email_address",
    ):
        export_package(book, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
    with pytest.raises(MinutebookError, match="STAKEHOLDER robot"):
        export_package(book, tmp_path / "bad.ocf.zip", as_zip=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]  # no zip, no scratch folder left behind
