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
from .places import jurisdiction_codes
from .schemas import ADJUSTMENTS, KEPT_DOC
from .securities import money, numeric

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
                        approvals.note(
                            {
                                "object_type": ADJUSTMENTS[0],
                                "id": f"ADJ-{on}-{ids[key]}",
                                "date": on,
                                "stock_class_id": ids[key],
                                "new_shares_authorized": "0" if auth is None else numeric(auth),
                                **approvals.dates(amended_by.get(v.effective_on, ())),
                            },
                            amended_by.get(v.effective_on, ()),
                        )
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


def document_places(kept_objects: dict, charter_docs: list[tuple[str, bytes]]) -> dict[str, str]:
    """Where each document the package carries goes in it, by the name the book stores it under: those an OCF import
    stored (`ocf/<path>`, as its DOCUMENT says), then the charter documents (`document_paths`)."""
    out = {}
    for d in kept_objects.get("documents_files", ()):
        rel = _kept_path(d)
        if rel:
            out[f"ocf/{rel}"] = rel
    out.update(zip((name for name, _ in charter_docs), document_paths(charter_docs), strict=True))
    return out


def _kept_path(d: dict) -> str:
    return PurePosixPath(d.get("path") or "").as_posix().removeprefix("./")


def document_paths(charter_docs: list[tuple[str, bytes]]) -> list[str]:
    """Where each charter document stored with the book goes in the package (`documents/<file>`), in order."""
    used, out = set(), []
    for n, (name, _) in enumerate(charter_docs, 1):
        file = _safe(name)
        while file in used:
            file = f"{n}-{file}"
        used.add(file)
        out.append(f"documents/{file}")
    return out


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
        rel = _kept_path(d)
        text = stored(f"ocf/{rel}") if rel else None
        if text is not None:
            files[rel] = text.encode("utf-8")
    for n, ((name, data), rel) in enumerate(zip(charter_docs, document_paths(charter_docs), strict=True), 1):
        files[rel] = data
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
                "path": f"./{rel}",
                "md5": hashlib.md5(data).hexdigest(),
                "related_objects": related,
            }
        )
    return docs, files
