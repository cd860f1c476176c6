"""The book as OCF objects, as of a date: the issuer, stock classes (each class and each designated series),
authorized-share adjustments, stakeholders, stock legend templates, stock transactions, documents.

- Issuer: the corporation's name on the date, its incorporation date, the country and subdivision of its
  jurisdiction ("US", "DE" for Delaware).
- Stock classes from the charter versions: name, COMMON/PREFERRED, authorized shares when the class first
  appears, par value, votes per share (one when the charter is silent: 8 Del. C. § 212(a)) and seniority
  (common 1, preferred 2 unless the class came from OCF with its own). A designated series is its own OCF class
  (OCF has no series), named in a comment as a series of its class.
- Each later charter version that changes a class's authorized shares is a
  `TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT` on its effective date, with the board and stockholder approval
  dates of what adopted it (`approved_by`, `ocf.approvals`). Issuer-level adjustments are not written: OCF
  v1.2.0's TransactionsFile schema does not admit them, and a Delaware charter authorizes shares by class.
- The stock ledger as securities (`ocf.securities`); plans, vesting terms, valuations, awards, warrants and
  convertibles (`ocf.equity_out`); the charter documents stored with the book as `DOCUMENT`s (path inside the
  package, md5, related objects); what an OCF import kept (`ocf/kept.json`: what minutebook has no model for),
  written back as it was read; and everything OCF has no place for — the governance record — in the extension
  file (`ocf.extension`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from ..core.events import (
    CharterAmended,
    Event,
    Incorporated,
    SeriesDesignated,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StakeholderAdded,
    StakeholderChanged,
    StockSplit,
)
from .approvals import Approvals
from .equity_out import EquityOut
from .extension import document as extension_document
from .importer import ADJUSTMENTS, KEPT_DOC
from .places import jurisdiction_codes
from .securities import Securities, money, numeric


@dataclass(slots=True)
class Objects:
    """What a package holds: items by manifest key, the issuer, extra files (documents) and notes."""

    issuer: dict
    as_of: date
    generated_at: str
    items: dict[str, list[dict]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # documents/<name> -> bytes
    warnings: list[str] = field(default_factory=list)
    extension: dict | None = None  # `ocf.extension`: what OCF has no place for


# the events OCF states (the charter, holders, the ledger); equity's are `EquityOut`'s; the rest go to the extension
OCF_STATED = (
    Incorporated,
    CharterAmended,
    SeriesDesignated,
    StakeholderAdded,
    StakeholderChanged,
    SharesIssued,
    SharesTransferred,
    SharesCancelled,
    SharesRepurchased,
    SharesConverted,
    StockSplit,
)
_GENERATED_TX = re.compile(r"TX-\d{6}-e?\d+")
_GENERATED_SEC = re.compile(r"SEC-\d{6}-\d+")


CLASS_ORDER = (
    "object_type", "id", "name", "class_type", "default_id_prefix", "initial_shares_authorized",
    "board_approval_date", "stockholder_approval_date", "votes_per_share", "seniority", "par_value",
    "price_per_share", "conversion_rights", "liquidation_preference_multiple", "participation_cap_multiple",
    "comments",
)  # fmt: skip
ISSUER_ORDER = (
    "object_type", "id", "legal_name", "dba", "formation_date", "country_of_formation",
    "country_subdivision_of_formation", "country_subdivision_name_of_formation", "tax_ids", "email", "phone",
    "address", "initial_shares_authorized", "comments",
)  # fmt: skip
LEGEND_ORDER = ("object_type", "id", "name", "text", "comments")
DOCUMENT_ORDER = ("object_type", "id", "path", "uri", "md5", "related_objects", "comments")
TX_ORDER = ("object_type", "id", "date", "security_id")


def canonical(obj: dict, order: tuple[str, ...]) -> dict:
    """`obj` with its keys in a fixed order (the known ones first), whatever order it was stored in."""
    return {k: obj[k] for k in order if k in obj} | {k: obj[k] for k in sorted(obj) if k not in order}


def renumber(txs: list[dict]) -> None:
    """Transaction ids `TX-<seq>-<n>` and security ids `SEC-<seq>-<n>` as `TX-000001`, `SEC-000001`, ... in the
    order of the package (a security id skips the numbers a certificate already uses)."""
    taken: set[str] = set()
    for t in txs:
        for k in ("security_id", "balance_security_id"):
            if t.get(k) and not _GENERATED_SEC.fullmatch(t[k]):
                taken.add(t[k])
        taken.update(x for x in t.get("resulting_security_ids", ()) if not _GENERATED_SEC.fullmatch(x))
    tx_ids: dict[str, str] = {}
    sec_ids: dict[str, str] = {}
    n = 0

    def sec(x: str) -> str:
        nonlocal n
        if not _GENERATED_SEC.fullmatch(x):
            return x
        if x not in sec_ids:
            while True:
                n += 1
                new = f"SEC-{n:06d}"
                if new not in taken:
                    break
            sec_ids[x] = new
        return sec_ids[x]

    for k, t in enumerate(txs, 1):
        if _GENERATED_TX.fullmatch(t["id"]):
            tx_ids[t["id"]] = f"TX-{k:06d}"
            t["id"] = tx_ids[t["id"]]
        for key in ("security_id", "balance_security_id", "custom_id"):
            if key in t:
                t[key] = sec(t[key])
        if "resulting_security_ids" in t:
            t["resulting_security_ids"] = [sec(x) for x in t["resulting_security_ids"]]
    for t in txs:
        if t.get("split_transaction_id") in tx_ids:
            t["split_transaction_id"] = tx_ids[t["split_transaction_id"]]


def _kept(rows) -> tuple[dict, list[tuple[str, bytes]]]:
    """What an OCF import kept (`ocf/kept.json`), and the charter documents, from the book's documents."""
    kept = next((json.loads(r.content) for r in rows if r.name == KEPT_DOC), {})
    charter_docs = [(r.name, r.content.encode("utf-8")) for r in rows if not r.name.startswith("ocf/")]
    return kept, charter_docs


def kept_and_documents(history) -> tuple[dict, list[tuple[str, bytes]], Callable[[str], str | None]]:
    """`_kept` from the documents' names, reading the text of only those it needs (never the package an OCF import
    stored, `ocf/...`, unless a kept DOCUMENT names one): what the import kept, the charter documents, and the text
    of a stored document by name (the last stored under it)."""
    names = history.document_names()
    kept_id = next((i for i, n in names if n == KEPT_DOC), None)
    kept = json.loads(history.document_text(kept_id)) if kept_id is not None else {}
    charter_docs = [
        (n, history.document_text(i).encode("utf-8")) for i, n in names if not n.startswith("ocf/")
    ]
    last = {n: i for i, n in names}

    def stored(name: str) -> str | None:
        return history.document_text(last[name]) if name in last else None

    return kept, charter_docs, stored


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", PurePosixPath(name).name).strip("-.") or "document"


def issuer_object(slug: str, inc: Event, name: str | None, versions) -> dict:
    """The ISSUER: the corporation's name on the date, its incorporation date, the country and subdivision of its
    jurisdiction, and what an OCF import kept of the issuer."""
    extras = (inc.body.charter or {}).get("ocf", {}).get("issuer", {})
    country, sub = jurisdiction_codes(inc.body.jurisdiction)
    issuer = {k: v for k, v in extras.items() if k not in ("country_subdivision_name_of_formation",)}
    issuer.update(
        object_type="ISSUER",
        id=extras.get("id") or slug,
        legal_name=name or inc.body.name,
        formation_date=inc.effective_on.isoformat(),
        country_of_formation=country,
    )
    if sub:
        issuer["country_subdivision_of_formation"] = sub
    first_cap = versions[0].capital if versions else None
    if not extras.get("initial_shares_authorized") and first_cap and first_cap.total_authorized is not None:
        issuer["initial_shares_authorized"] = numeric(first_cap.total_authorized)
    return canonical(issuer, ISSUER_ORDER)


def charter_objects(
    raw: list[Event], events, versions, approvals: Approvals, as_of: date
) -> tuple[list[dict], list[dict], dict[tuple[str, str | None], str]]:
    """The stock classes (each class and each designated series), the authorized-share adjustments of the later
    charter versions, and the OCF class id of each (class, series), from the charter's `versions` and the events
    that made them (`raw`: the incorporation and amendments; `events`: any iterable holding the amendments and
    designations, in effective order)."""
    class_extras: dict[str, dict] = {}
    for e in raw:
        for c in ((e.body.charter or {}).get("capital") or {}).get("classes", ()):
            if isinstance(c, dict) and isinstance(c.get("ocf"), dict):
                class_extras[c["key"]] = c["ocf"]
    amended_by: dict[date, list[str]] = {}
    series_by: dict[tuple[str, str], str | None] = {}
    for e in events:
        if isinstance(e.body, CharterAmended):
            amended_by.setdefault(e.effective_on, []).extend(e.body.approved_by)
        elif isinstance(e.body, SeriesDesignated):
            series_by[(e.body.class_key, e.body.series_key)] = e.body.approved_by
    ids: dict[tuple[str, str | None], str] = {}
    classes: list[dict] = []
    adjustments: list[dict] = []
    last: dict[tuple[str, str | None], int | None] = {}
    for v in versions:
        on = v.effective_on.isoformat() if v.effective_on else as_of.isoformat()
        for c in v.capital.classes if v.capital else ():
            ex = class_extras.get(c.key, {})
            units = [((c.key, None), c.name, c.authorized, ex)] + [
                ((c.key, s.key), s.name, s.authorized, {}) for s in c.series
            ]
            for key, name, auth, ex in units:
                if key not in ids:
                    ids[key] = ex.get("id") or (c.key if key[1] is None else f"{ids[(c.key, None)]}.{key[1]}")
                    obj = {k: v for k, v in ex.items() if k not in ("par_value",)}
                    obj.update(
                        object_type="STOCK_CLASS",
                        id=ids[key],
                        name=name,
                        class_type="PREFERRED" if c.kind == "preferred" else "COMMON",
                        default_id_prefix=ex.get("default_id_prefix")
                        or ("PS-" if c.kind == "preferred" else "CS-"),
                        initial_shares_authorized="NOT APPLICABLE" if auth is None else numeric(auth),
                        votes_per_share=numeric(c.votes_per_share)
                        if c.votes_per_share is not None
                        else ex.get("votes_per_share", "1"),
                        seniority=ex.get("seniority") or ("2" if c.kind == "preferred" else "1"),
                    )
                    if c.par_value is not None:
                        obj["par_value"] = money(c.par_value)
                    if key[1] is not None:
                        obj["comments"] = [
                            f"minutebook: series {key[1]} of stock class {ids[(c.key, None)]} (8 Del. C. § 151(g))"
                        ]
                        obj.update(approvals.dates([series_by.get(key)]))
                    elif v is not versions[0]:
                        obj.update(approvals.dates(amended_by.get(v.effective_on, ())))
                    classes.append(canonical(obj, CLASS_ORDER))
                elif last.get(key) != auth:
                    adjustments.append(
                        {
                            "object_type": ADJUSTMENTS[0],
                            "id": f"ADJ-{on}-{ids[key]}",
                            "date": on,
                            "stock_class_id": ids[key],
                            "new_shares_authorized": "0" if auth is None else numeric(auth),
                            **approvals.dates(amended_by.get(v.effective_on, ())),
                        }
                    )
                last[key] = auth
        present = {(c.key, None) for c in (v.capital.classes if v.capital else ())}
        present |= {(c.key, s.key) for c in (v.capital.classes if v.capital else ()) for s in c.series}
        for key in [k for k in last if k not in present and last[k]]:
            adjustments.append(
                {
                    "object_type": ADJUSTMENTS[0],
                    "id": f"ADJ-{on}-{ids[key]}",
                    "date": on,
                    "stock_class_id": ids[key],
                    "new_shares_authorized": "0",
                }
            )
            last[key] = 0

    return classes, adjustments, ids


def document_objects(
    kept_objects: dict,
    stored: Callable[[str], str | None],
    charter_docs: list[tuple[str, bytes]],
    raw: list[Event],
    adjustments: list[dict],
    issuer_id: str,
) -> tuple[list[dict], dict[str, bytes]]:
    """The DOCUMENTs (those an OCF import kept, then the charter documents stored with the book, each related to the
    issuer and to the adjustments its filing made) and the files they name (path in the package -> bytes)."""
    files: dict[str, bytes] = {}
    docs = [
        canonical(d, DOCUMENT_ORDER)
        | (
            {"related_objects": [canonical(r, ("object_type", "object_id")) for r in d["related_objects"]]}
            if "related_objects" in d
            else {}
        )
        for d in kept_objects.get("documents_files", ())
    ]
    for d in docs:  # a document file an import stored (`ocf/<path>`) goes back where the package had it
        rel = PurePosixPath(d.get("path") or "").as_posix().removeprefix("./")
        text = stored(f"ocf/{rel}") if rel else None
        if text is not None:
            files[rel] = text.encode("utf-8")
    used = set()
    for n, (name, data) in enumerate(charter_docs, 1):
        file = _safe(name)
        while file in used:
            file = f"{n}-{file}"
        used.add(file)
        files[f"documents/{file}"] = data
        related = [{"object_type": "ISSUER", "object_id": issuer_id}]
        for e in raw:
            if e.source and PurePosixPath(e.source.path).name == name:
                on = e.effective_on.isoformat()
                related += [
                    {"object_type": a["object_type"], "object_id": a["id"]}
                    for a in adjustments
                    if a["date"] == on
                ]
        docs.append(
            {
                "object_type": "DOCUMENT",
                "id": f"DOC-{n}",
                "path": f"./documents/{file}",
                "md5": hashlib.md5(data).hexdigest(),
                "related_objects": related,
            }
        )
    return docs, files


def build_objects(book, as_of: date | None = None) -> Objects:  # noqa: C901 - one pass per object kind
    events = [e for e in sorted(book.events, key=Event.sort_key) if as_of is None or e.effective_on <= as_of]
    if not events:
        raise ValueError("the book has no events")
    as_of = as_of or max(e.effective_on for e in events)
    state = book.state(as_of)
    approvals = Approvals(events)
    rows = book.documents()
    kept, charter_docs = _kept(rows)
    kept_objects = kept.get("objects", {})
    inc = next(e for e in events if isinstance(e.body, Incorporated))
    raw = [e for e in events if isinstance(e.body, (Incorporated, CharterAmended))]

    issuer = issuer_object(book.slug, inc, state.name, state.charter.versions)
    versions = state.charter.versions
    generated = (
        max(e.recorded_at for e in events if e.recorded_at) if any(e.recorded_at for e in events) else None
    )
    objs = Objects(issuer, as_of, generated.isoformat() if generated else f"{as_of.isoformat()}T00:00:00Z")

    classes, adjustments, ids = charter_objects(raw, events, versions, approvals, as_of)

    # --- legends, stakeholders, the ledger --------------------------------------------------------------------
    legends: dict[str, dict] = {}
    for t in kept_objects.get("stock_legend_templates_files", ()):
        legends.setdefault(t["name"], canonical(t, LEGEND_ORDER))
    for e in events:
        if isinstance(e.body, SharesIssued):
            for name in e.body.legends:
                legends.setdefault(
                    name,
                    {
                        "object_type": "STOCK_LEGEND_TEMPLATE",
                        "id": f"LEGEND-{len(legends) + 1}",
                        "name": name,
                        "text": name,
                    },
                )
    holders = []
    for h in state.holders.values():
        obj = {"object_type": "STAKEHOLDER", "id": h.id, "name": {"legal_name": h.name}}
        obj["stakeholder_type"] = "INSTITUTION" if h.kind == "institution" else "INDIVIDUAL"
        if h.email:
            obj["contact_info"] = {"emails": [{"email_type": "OTHER", "email_address": h.email}]}
        holders.append(obj)

    def class_id(cls: str, series: str | None) -> str:
        return ids.get((cls, series)) or ids.get((cls, None)) or cls

    sec = Securities(class_id, lambda name: legends[name]["id"], approvals)
    eq = EquityOut(class_id, approvals)
    sec.award_fields = eq.rsa_fields
    shared: list[dict] = []  # stock and equity transactions in the order of the events
    rest: list[Event] = []  # events OCF has no place for (the extension)
    for e in events:
        n_sec, n_eq = len(sec.txs), len(eq.txs)
        if isinstance(e.body, OCF_STATED):
            sec.event(e)
            if isinstance(e.body, SharesIssued) and e.body.award_id and sec.last_issued:
                eq.issued(e, e.body, sec.last_issued)
        else:
            left = len(eq.leftover)
            eq.event(e)
            if len(eq.leftover) > left:
                rest.append(e)
        shared += sec.txs[n_sec:] + eq.txs[n_eq:]
    txs = sorted(adjustments, key=lambda t: t["date"])
    merged, i = [], 0
    for t in sorted(shared, key=lambda t: t["date"]):  # the adjustments of a date before its transactions
        while i < len(txs) and txs[i]["date"] <= t["date"]:
            merged.append(txs[i])
            i += 1
        merged.append(t)
    merged += txs[i:]
    objs.warnings += sec.warnings
    objs.extension = extension_document(rest, eq.final_supplements())

    # --- what an OCF import kept ------------------------------------------------------------------------------
    taken = {(t["object_type"], t["id"]) for t in merged}
    for t in kept_objects.get("transactions_files", ()):
        if t["object_type"] == ADJUSTMENTS[1]:
            objs.warnings.append(
                f"kept {t['object_type']} {t['id']} not written: the v1.2.0 TransactionsFile schema rejects it"
            )
        elif (t["object_type"], t["id"]) in taken:
            objs.warnings.append(f"kept {t['object_type']} {t['id']} not written: its id is taken")
        else:
            merged.append(canonical(t, TX_ORDER))
    merged.sort(key=lambda t: t["date"])  # stable
    renumber(merged)
    if kept.get("not_ocf_1_2_0"):
        objs.warnings.append(
            f"{len(kept['not_ocf_1_2_0'])} kept object(s) of types OCF 1.2.0 does not define not written"
        )

    stored = {r.name: r.content for r in rows}.get
    docs, objs.files = document_objects(kept_objects, stored, charter_docs, raw, adjustments, issuer["id"])
    objs.items = {
        "stock_plans_files": eq.plans,
        "stock_legend_templates_files": list(legends.values()),
        "stock_classes_files": classes,
        "vesting_terms_files": eq.terms + list(kept_objects.get("vesting_terms_files", ())),
        "valuations_files": eq.valuations,
        "transactions_files": merged,
        "stakeholders_files": holders,
        "financings_files": list(kept_objects.get("financings_files", ())),
        "documents_files": docs,
    }
    if approvals.unresolved:
        objs.warnings.append(
            f"approvals not found in the book (no date written): {', '.join(sorted(approvals.unresolved))}"
        )
    return objs
