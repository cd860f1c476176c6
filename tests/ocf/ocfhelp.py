"""Shared by the OCF tests: where OCF's own files are (`../shared/ocf`, beside the repository, as CI clones it),
the Auxer book with a few holders, small packages written inline, the cap table as rows, an independent reading
of a package's holdings by OCF-Tools' snapshot rules (issuances add a security, terminal transactions remove it)
to hold the import to, and a seeded generator of packages with equity compensation (`equity_package`)."""

from __future__ import annotations

import hashlib
import json
import os
import random
from datetime import date, timedelta
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


def warrant_trigger(trigger_id: str, cls: str, qty: int) -> dict:
    """A warrant's exercise trigger: at will, for a fixed number of shares of a class."""
    mechanism = {"type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": str(qty)}
    right = {
        "type": "WARRANT_CONVERSION_RIGHT",
        "converts_to_stock_class_id": cls,
        "conversion_mechanism": mechanism,
    }
    return {
        "trigger_id": trigger_id,
        "nickname": "At will",
        "type": "ELECTIVE_AT_WILL",
        "conversion_right": right,
    }


def equity_package(folder: Path, *, seed: int, n_tx: int, n_holders: int = 20) -> Path:
    """A seeded, strictly valid OCF v1.2.0 package with equity compensation, about `n_tx` transactions over eight
    years: two classes (common and a preferred); plan-a (reserves 400,000 from formation; returns cancelled shares
    to its pool, or says nothing, which reads the same: by seed) and plan-b (reserves 250,000, retires them,
    adopted half way); stock issuances, transfers and cancellations (with their resulting and balance issuances);
    grants under the plans of ISOs, NSOs, RSUs and restricted stock, and options outside any plan, some with an
    expiration date inside the history; warrants for either class, some expiring; option exercises and RSU
    releases with the stock they issue; cancellations (partial, full, some in OCF's traversal style with a balance
    security), retractions; warrant exercises (in full, with the stock issued) and cancellations; pool increases and
    decreases. Never over-granted (the pool is counted as if nothing lapsed); nothing exercised once expired."""
    rng = random.Random(seed)
    formed = date(2014, 1, 2)
    span = 8 * 365
    holders = [f"h{i:03d}" for i in range(n_holders)]
    plans = {
        "plan-a": {"reserved": 400_000, "used": 0, "on": formed, "returns": True},
        "plan-b": {
            "reserved": 250_000,
            "used": 0,
            "on": formed + timedelta(days=span // 2),
            "returns": False,
        },
    }
    txs: list[dict] = []
    stock: list[list] = []  # [security id, holder, class, quantity]
    awards: list[dict] = []  # sid, kind, holder, left, plan, cls, expires, tx
    n = 0

    def nid(prefix: str) -> str:
        nonlocal n
        n += 1
        return f"{prefix}-{n:05d}"

    def tx(object_type: str, on: date, **kw) -> dict:
        t = {"object_type": object_type, "id": nid("T"), "date": on.isoformat(), **kw}
        txs.append(t)
        return t

    def shares(on: date, holder: str, cls: str, qty: int, price: str = "0.10", **kw) -> str:
        sid = nid("S")
        t = issuance(nid("T"), on.isoformat(), sid, holder, qty, cls, **kw)
        t["share_price"]["amount"] = price
        txs.append(t)
        stock.append([sid, holder, cls, qty])
        return sid

    def expiry(on: date, p: float) -> date | None:
        return on + timedelta(days=rng.randint(200, 2_500)) if rng.random() < p else None

    def grant(on: date) -> None:
        open_plans = [k for k, p in plans.items() if p["on"] <= on]
        kind = rng.choice(["OPTION_ISO", "OPTION_NSO", "OPTION_NSO", "RSU", "RSA"])
        qty = rng.randint(1_000, 20_000)
        plan = rng.choice(open_plans)
        if kind != "RSA" and rng.random() < 0.1:
            plan = None  # a grant outside any plan
        elif plans[plan]["reserved"] - plans[plan]["used"] < qty:
            return
        holder = rng.choice(holders)
        if plan:
            plans[plan]["used"] += qty
        if kind == "RSA":
            shares(on, holder, "common", qty, "0.01", stock_plan_id=plan, issuance_type="RSA")
            return
        sid = nid("EC")
        ends = expiry(on, 0.35 if kind != "RSU" else 0.1)
        t = tx("TX_EQUITY_COMPENSATION_ISSUANCE", on, security_id=sid, custom_id=sid, stakeholder_id=holder,
               security_law_exemptions=[], stock_class_id="common", compensation_type=kind, quantity=str(qty),
               expiration_date=ends and ends.isoformat(), termination_exercise_windows=[])  # fmt: skip
        if plan:
            t["stock_plan_id"] = plan
        if kind != "RSU":
            t["exercise_price"] = {"amount": "0.25", "currency": "USD"}
            t["early_exercisable"] = False
        awards.append({"sid": sid, "kind": kind, "holder": holder, "left": qty, "plan": plan, "cls": "common",
                       "expires": ends, "tx": t})  # fmt: skip

    def warrant(on: date) -> None:
        sid, qty, cls = nid("W"), rng.randint(500, 30_000), rng.choice(["common", "preferred"])
        ends = expiry(on, 0.5)
        t = tx("TX_WARRANT_ISSUANCE", on, security_id=sid, custom_id=sid, stakeholder_id=rng.choice(holders),
               security_law_exemptions=[], quantity=str(qty), quantity_source="INSTRUMENT_FIXED",
               exercise_price={"amount": "1.00", "currency": "USD"},
               purchase_price={"amount": "0.00", "currency": "USD"},
               exercise_triggers=[warrant_trigger(f"{sid}.EXERCISE", cls, qty)])  # fmt: skip
        if ends:
            t["warrant_expiration_date"] = ends.isoformat()
        awards.append({"sid": sid, "kind": "WARRANT", "holder": t["stakeholder_id"], "left": qty, "plan": None,
                       "cls": cls, "expires": ends, "tx": t})  # fmt: skip

    def act(on: date, a: dict) -> None:
        r, left, sid = rng.random(), a["left"], a["sid"]
        take = left if rng.random() < 0.3 else rng.randint(1, left)
        prefix = "TX_WARRANT" if a["kind"] == "WARRANT" else "TX_EQUITY_COMPENSATION"
        if r < 0.55:
            if a["kind"] == "WARRANT":
                take = left
                t = tx("TX_WARRANT_EXERCISE", on, security_id=sid, trigger_id=f"{sid}.EXERCISE",
                       resulting_security_ids=[])  # fmt: skip
            elif a["kind"] == "RSU":
                t = tx("TX_EQUITY_COMPENSATION_RELEASE", on, security_id=sid, quantity=str(take),
                       release_price={"amount": "0.00", "currency": "USD"}, settlement_date=on.isoformat(),
                       resulting_security_ids=[])  # fmt: skip
            else:
                t = tx("TX_EQUITY_COMPENSATION_EXERCISE", on, security_id=sid, quantity=str(take),
                       resulting_security_ids=[])  # fmt: skip
            t["resulting_security_ids"].append(shares(on, a["holder"], a["cls"], take, "0.25"))
            a["left"] -= take
            return
        if r < 0.9:
            t = tx(f"{prefix}_CANCELLATION", on, security_id=sid, quantity=str(take), reason_text="forfeited")
            if take < left and a["kind"] != "WARRANT" and rng.random() < 0.4:
                balance = nid("EC")
                t["balance_security_id"] = balance
                b = dict(a["tx"], id=nid("T"), date=on.isoformat(), security_id=balance, custom_id=balance,
                         quantity=str(left - take))  # fmt: skip
                txs.append(b)
                a["sid"], a["tx"] = balance, b
        else:
            take = left
            tx(f"{prefix}_RETRACTION", on, security_id=sid, reason_text="never accepted")
        if a["plan"] and plans[a["plan"]]["returns"]:
            plans[a["plan"]]["used"] -= take
        a["left"] -= take

    while len(txs) < n_tx:
        on = formed + timedelta(days=1 + len(txs) * span // n_tx)
        r = rng.random()
        live = [a for a in awards if a["left"] and (a["expires"] is None or on <= a["expires"])]
        if r < 0.2 or (r < 0.3 and not stock):
            shares(
                on,
                rng.choice(holders),
                rng.choice(["common", "common", "preferred"]),
                rng.randint(1_000, 50_000),
            )
        elif r < 0.3:
            k = rng.randrange(len(stock))
            sid, holder, cls, qty = stock.pop(k)
            take = rng.randint(1, qty)
            if rng.random() < 0.7:
                t = tx(
                    "TX_STOCK_TRANSFER", on, security_id=sid, quantity=str(take), resulting_security_ids=[]
                )
                t["resulting_security_ids"].append(shares(on, rng.choice(holders), cls, take))
            else:
                t = tx(
                    "TX_STOCK_CANCELLATION", on, security_id=sid, quantity=str(take), reason_text="cancelled"
                )
            if take < qty:
                t["balance_security_id"] = shares(on, holder, cls, qty - take)
        elif r < 0.52:
            grant(on)
        elif r < 0.57:
            warrant(on)
        elif r < 0.61:
            k = rng.choice([k for k, p in plans.items() if p["on"] <= on])
            p = plans[k]
            p["reserved"] += (
                rng.randint(20_000, 100_000)
                if rng.random() < 0.75
                else -rng.randint(0, (p["reserved"] - p["used"]) // 2)
            )
            tx("TX_STOCK_PLAN_POOL_ADJUSTMENT", on, stock_plan_id=k, shares_reserved=str(p["reserved"]))
        elif live:
            act(on, rng.choice(live))
    plan_items = []
    for k, p in plans.items():
        item = {"object_type": "STOCK_PLAN", "id": k, "plan_name": f"Plan {k[-1].upper()}",
                "initial_shares_reserved": str(400_000 if k == "plan-a" else 250_000),
                "board_approval_date": p["on"].isoformat(), "stock_class_ids": ["common"]}  # fmt: skip
        if k == "plan-b":
            item["default_cancellation_behavior"] = "RETIRE"
        elif seed % 2:
            item["default_cancellation_behavior"] = "RETURN_TO_POOL"
        plan_items.append(item)
    issuer = {"object_type": "ISSUER", "id": "gen-issuer", "legal_name": f"Generated Equity {seed}, Inc.",
              "formation_date": formed.isoformat(), "country_of_formation": "US",
              "country_subdivision_of_formation": "DE"}  # fmt: skip
    return write_package(
        folder,
        {
            "stock_classes_files": [
                stock_class(authorized="100000000"),
                stock_class("preferred", "Series Seed Preferred", "20000000", class_type="PREFERRED"),
            ],
            "stakeholders_files": [stakeholder(h, f"Holder {h}") for h in holders],
            "stock_plans_files": plan_items,
            "transactions_files": txs,
        },
        issuer=issuer,
        as_of=txs[-1]["date"],
    )
