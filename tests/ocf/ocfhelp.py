"""Shared by the OCF tests: where OCF's own files are (`../shared/ocf`, beside the repository, as CI clones it),
the Auxer book with a few holders, small packages written inline, the cap table as rows, and an independent
reading of a package's holdings by OCF-Tools' snapshot rules (issuances add a security, terminal transactions
remove it) to hold the import to."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from minutebook import ingest
from minutebook.book import Book, create
from minutebook.core.events import CharterAmended

REPO = Path(__file__).resolve().parents[2]
AUXER = REPO / "examples" / "auxer-group-charter.txt"
# the team's shared folder: beside the repository (as CI clones it), else named by MINUTEBOOK_SHARED;
# the OCF samples also ship in tests/ocf/packages, so a bare clone runs the import tests
_CANDIDATES = [REPO.parent / "shared", Path(os.environ.get("MINUTEBOOK_SHARED", "/nonexistent"))]
SHARED = next((p for p in _CANDIDATES if (p / "ocf").is_dir()), REPO.parent / "shared")
_LOCAL = Path(__file__).resolve().parent / "packages"
OCF = SHARED / "ocf"
if (OCF / "releases" / "v1.2.0" / "samples").is_dir():
    RELEASE_SAMPLES = OCF / "releases" / "v1.2.0" / "samples"
    MAIN_SAMPLES = OCF / "samples"
    TOOLS_ROOT = OCF / "ocf-tools-samples"
else:
    RELEASE_SAMPLES = _LOCAL / "release-v1.2.0-samples"
    MAIN_SAMPLES = _LOCAL / "main-samples"
    TOOLS_ROOT = _LOCAL / "ocf-tools-samples"
TOOLS_SAMPLES = sorted(p.parent for p in TOOLS_ROOT.glob("*/*/Manifest.ocf.json"))
VALIDATOR = SHARED / "tools" / "ocf_validate.py"
SAMPLES_ROOT = OCF if OCF.is_dir() else _LOCAL  # every *.ocf.json sample at hand

TERMINAL = (
    "TX_STOCK_TRANSFER",
    "TX_STOCK_CANCELLATION",
    "TX_STOCK_REPURCHASE",
    "TX_STOCK_CONVERSION",
    "TX_STOCK_REISSUANCE",
    "TX_STOCK_RETRACTION",
)


def need(path: Path | None) -> Path:
    if path is None or not path.exists():
        pytest.skip(f"{path} is not there (CI clones the repository beside ../shared)")
    return path


def auxer_book(db_url: str) -> Book:
    """The Auxer Group (1997 charter, amended 1997 and 1999) with a director, a blanket issuance resolution,
    three holders, issuances (one certificated, with a legend), a transfer with a balance certificate, a
    repurchase, a cancellation, a resale from treasury, a 2-for-3 split, a series of preferred and an
    amendment approved by the board and by written consent of the stockholders."""
    b = create(db_url, ingest.read([AUXER]), [AUXER])
    for hid, name, kind in [
        ("alice", "Alice Ng", "individual"),
        ("bob", "Bob Ventures LLC", "institution"),
        ("carol", "Carol Ruiz", "individual"),
    ]:
        assert not b.add_holder(hid, name, kind=kind, email=f"{hid}@example.com").refused
    assert not b.elect_directors(["d1"], on=date(1997, 9, 1), names={"d1": "Dana"}, by="incorporator").refused
    r = b.board_act(
        "B-1",
        on=date(1997, 9, 2),
        form="consent",
        present=["d1"],
        resolutions=[{"id": "R-ISSUE", "kind": "issue_shares", "text": "The officers may issue stock."}],
    )
    assert not r.refused, r.findings

    def ok(r):
        assert r.event is not None, r.findings

    legend = ("Securities Act legend",)
    ok(b.issue("alice", "common", 5_000_000, on=date(1998, 1, 5), price_per_share=Decimal("0.001"),
               certificate="C-1", legends=legend, approved_by="R-ISSUE", historical=True))  # fmt: skip
    ok(b.issue("bob", "common", 2_000_000, on=date(1998, 2, 1), price_per_share=Decimal("0.01"),
               approved_by="R-ISSUE", historical=True))  # fmt: skip
    ok(b.transfer("alice", "carol", "common", 1_000_000, on=date(2000, 1, 3), certificate="C-1",
                  new_certificate="C-2", balance_certificate="C-3", historical=True))  # fmt: skip
    ok(
        b.repurchase(
            "bob", "common", 500_000, on=date(2001, 1, 2), price_per_share=Decimal("0.02"), historical=True
        )
    )
    ok(b.cancel("carol", "common", 100_000, on=date(2001, 3, 1), historical=True))
    ok(b.issue("carol", "common", 250_000, on=date(2001, 6, 1), price_per_share=Decimal("0.05"),
               from_treasury=True, approved_by="R-ISSUE", historical=True))  # fmt: skip
    ok(b.split("common", 2, 3, on=date(2002, 1, 1), historical=True))
    ok(b.record(_series_a(), date(2003, 1, 1), historical=True))
    ok(b.issue("carol", "preferred", 100_000, series_key="A", on=date(2003, 2, 1), price_per_share=Decimal("1"),
               approved_by="R-ISSUE", historical=True))  # fmt: skip
    ok(
        b.convert(
            "carol",
            "preferred",
            50_000,
            "common",
            100_000,
            from_series="A",
            on=date(2004, 1, 1),
            historical=True,
        )
    )
    r = b.board_act(
        "B-2",
        on=date(2004, 12, 1),
        form="consent",
        present=["d1"],
        resolutions=[{"id": "R-AMEND", "kind": "amend_charter", "text": "More common stock."}],
        historical=True,
    )
    ok(r)
    ok(b.written_consent("C-AMEND", by="stockholders", on=date(2004, 12, 15),
                         matters=[{"id": "M-AMEND", "kind": "amend_charter", "text": "More common stock."}],
                         signatures=[{"signer": "alice", "signed_on": "2004-12-15"}], historical=True))  # fmt: skip
    charter = dict(next(e for e in reversed(b.events) if e.type == "CharterAmended").body.charter)
    cap = dict(charter["capital"])
    cap["classes"] = [dict(c, authorized=300_000_000) if c["key"] == "common" else c for c in cap["classes"]]
    cap["total_authorized"] = 325_000_000
    charter["capital"] = cap
    ok(
        b.record(
            CharterAmended(charter, "amendment", "242", ("R-AMEND", "C-AMEND")),
            date(2005, 1, 1),
            historical=True,
        )
    )
    return b


def _series_a():
    from minutebook.core.events import SeriesDesignated

    return SeriesDesignated("preferred", "A", "Series A Preferred", 1_000_000, approved_by="R-ISSUE")


def rows(book: Book, on: date | None = None) -> list[tuple]:
    return sorted((r.holder_id, r.class_key, r.series_key, r.shares) for r in book.cap_table(on).rows)


def transaction_dates(book: Book) -> list[date]:
    return sorted({e.effective_on for e in book.events})


def write_package(folder: Path, items: dict[str, list[dict]], **manifest) -> Path:
    """A package with the given items per manifest key (`transactions_files`, ...), correct md5s."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        "stock_plans_files": ("StockPlans.ocf.json", "OCF_STOCK_PLANS_FILE"),
        "stock_legend_templates_files": ("StockLegends.ocf.json", "OCF_STOCK_LEGEND_TEMPLATES_FILE"),
        "stock_classes_files": ("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE"),
        "vesting_terms_files": ("VestingTerms.ocf.json", "OCF_VESTING_TERMS_FILE"),
        "valuations_files": ("Valuations.ocf.json", "OCF_VALUATIONS_FILE"),
        "transactions_files": ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE"),
        "stakeholders_files": ("Stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE"),
    }
    m = {
        "ocf_version": "1.2.0",
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": "issuer-1",
            "legal_name": "Inline Corp.",
            "formation_date": "2020-01-02",
            "country_of_formation": "US",
            "country_subdivision_of_formation": "DE",
        },
        "as_of": "2024-12-31",
        "generated_at": "2025-01-01T00:00:00Z",
    }
    for key, (name, file_type) in names.items():
        data = json.dumps({"file_type": file_type, "items": items.get(key, [])}, indent=1).encode()
        (folder / name).write_bytes(data)
        m[key] = [{"filepath": f"./{name}", "md5": hashlib.md5(data).hexdigest()}]
    m.update(manifest)
    (folder / "Manifest.ocf.json").write_text(json.dumps(m, indent=1))
    return folder


def refresh_md5s(folder: Path) -> None:
    """Recompute the manifest's md5s (OCF's own samples carry dummy ones)."""
    path = folder / "Manifest.ocf.json"
    m = json.loads(path.read_text())
    for key, refs in m.items():
        if key.endswith("_files"):
            for ref in refs:
                ref["md5"] = hashlib.md5((folder / ref["filepath"]).read_bytes()).hexdigest()
    path.write_text(json.dumps(m, indent=2))


def stock_class(cid: str = "common", name: str = "Common Stock", authorized: str = "1000000", **kw) -> dict:
    return {
        "object_type": "STOCK_CLASS",
        "id": cid,
        "name": name,
        "class_type": kw.pop("class_type", "COMMON"),
        "default_id_prefix": "CS-",
        "initial_shares_authorized": authorized,
        "votes_per_share": "1",
        "seniority": "1",
        "par_value": {"amount": "0.0001", "currency": "USD"},
        **kw,
    }


def stakeholder(sid: str, name: str) -> dict:
    return {
        "object_type": "STAKEHOLDER",
        "id": sid,
        "name": {"legal_name": name},
        "stakeholder_type": "INDIVIDUAL",
    }


def issuance(tid: str, on: str, sec: str, holder: str, qty: int, cls: str = "common", **kw) -> dict:
    return {
        "object_type": "TX_STOCK_ISSUANCE",
        "id": tid,
        "date": on,
        "security_id": sec,
        "custom_id": kw.pop("custom_id", sec),
        "stakeholder_id": holder,
        "stock_class_id": cls,
        "share_price": {"amount": "0.01", "currency": "USD"},
        "quantity": str(qty),
        "security_law_exemptions": [],
        "stock_legend_ids": [],
        **kw,
    }


def snapshot(folder: Path, as_of: str) -> dict[tuple[str, str], int]:
    """OCF-Tools' snapshot rules, independently: by date (issuances first on a date), a stock issuance adds its
    security, a terminal transaction removes the security it names; holdings are the outstanding securities'
    quantities by stakeholder and stock class id."""
    manifest = json.loads((folder / "Manifest.ocf.json").read_text())
    items = []
    for ref in manifest["transactions_files"]:
        items += json.loads((folder / ref["filepath"]).read_text())["items"]
    items = [t for t in items if t["date"] <= as_of]
    items.sort(key=lambda t: (t["date"], t["object_type"] != "TX_STOCK_ISSUANCE"))
    out: dict[str, dict] = {}
    for t in items:
        if t["object_type"] == "TX_STOCK_ISSUANCE":
            out[t["security_id"]] = t
        elif t["object_type"] in TERMINAL:
            out.pop(t["security_id"], None)
    held: dict[tuple[str, str], int] = {}
    for t in out.values():
        key = (t["stakeholder_id"], t["stock_class_id"])
        held[key] = held.get(key, 0) + int(Decimal(t["quantity"]))
    return held
