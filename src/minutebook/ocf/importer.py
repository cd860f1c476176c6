"""`import_package`: an OCF package into a new corporation in the book.

- The issuer and its stock classes become `Incorporated` (the charter version in `core.codec` form, dated at the
  formation date); each date of authorized-share adjustments a `CharterAmended`. Both are sourced to the OCF file
  and item they come from; what OCF says about a class that the charter model has no place for (its id, prefix,
  seniority, preferences, approval dates) rides along under the class's `"ocf"` key, so an export gives it back.
- Stakeholders become holders (the OCF id is the holder id); stock transactions become ledger events by their
  security-id chains (`ocf.traverse`).
- Every board or stockholder approval date becomes one `ApprovalRecorded` event per date and body, and the acts
  it approved point at it (`approved_by`), so an export finds the dates again.
- Transactions minutebook does not model (options, warrants, convertibles, plan securities, vesting, valuations,
  ...) and objects it has no place for are kept: in the book's documents as `ocf/kept.json` (re-exported by
  `minutebook ocf export`), with the package's files themselves as `ocf/<file>`; the summary counts them.

Everything is read before anything is written; the corporation, its documents and its events are then
written in one transaction with the projections, through the book's append path (`book.new_corporation`
with `check=HISTORY`): the history is checked as history by the ledger rules in one fold over the events,
so a defect such as an issuance above the authorized shares is a finding (named with the OCF file and item
it came from), not a refusal.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from bisect import bisect_right
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from datetime import date

import sqlalchemy as sa

from ..book import HISTORY, Book, anchored, new_corporation, slugify
from ..core import heap
from ..core.errors import InputError
from ..core.events import (
    EQUITY_TYPES,
    ApprovalRecorded,
    AwardGranted,
    CharterAmended,
    Event,
    Incorporated,
    SharesIssued,
    StakeholderAdded,
)
from ..core.findings import Finding, info
from ..core.heap import day
from ..core.sources import SourceRef
from . import charter_in
from .approvals import Approvals, read_notes
from .equity_in import EQUITY_TX, EquityIn
from .extension import NAME as EXTENSION_NAME
from .extension import read as read_extension
from .package import Deferred, Item, Package, read_package
from .package import container as package_container
from .places import jurisdiction_name
from .refused import DOC as REFUSED_DOC
from .refused import document as refused_document
from .refused import from_documents as refused_from_documents
from .report import Report
from .schemas import ADJUSTMENTS, KEPT_DOC
from .securities import read_consideration
from .traverse import STOCK, TREASURY_NOTE, Security, Traversal, number, whole

ACTOR = "minutebook ocf import"
OBJECT_KINDS = (
    "stock_plans_files",
    "vesting_terms_files",
    "valuations_files",
    "financings_files",
    "documents_files",
)


@dataclass(frozen=True, slots=True)
class Imported:
    engine: sa.Engine
    url: str
    corp_id: int
    slug: str
    name: str
    events: int
    findings: tuple[Finding, ...]
    counts: dict  # object type -> items read
    kept: dict  # object type -> items kept, not applied (minutebook has no model for them)
    refused: int = 0  # bad items a lenient import recorded as refused (`ocf.refused`)

    def book(self) -> Book:
        return Book(self.engine, self.url, self.corp_id, self.slug)


def approval_id(body: str, on: str) -> str:
    return f"ocf-{body}-{on}"


_ID = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


class _Places:
    """Where each object of one package file is: its `"id": ...` member. The first few are searched for; from then on
    one pass over the text finds every id (the first time each appears) and where lines begin, so that an object's
    (offset, line, column) is a dictionary lookup and a binary search — not a scan of the file per object."""

    SEARCHES = 8  # objects looked for by a plain search before the file is indexed

    def __init__(self, text: str):
        self.text, self.asked = text, 0
        self.ids: dict[str, int] | None = None
        self.starts: list[int] = []

    def _index(self) -> None:
        text, ids = self.text, {}
        for m in _ID.finditer(text):
            raw = m.group(1)
            if "\\" in raw:
                try:
                    raw = json.loads(f'"{raw}"')
                except ValueError:
                    continue
            ids.setdefault(raw, m.start())
        starts, find, at = [0], text.find, text.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.ids, self.starts = ids, starts

    def of(self, needle: str) -> tuple[int, int, int]:
        """(offset, line, column) of the first `"id": "<needle>"` in the text, else of `needle` itself, else 0."""
        text = self.text
        self.asked += 1
        if self.ids is None and self.asked > self.SEARCHES:
            self._index()
        if self.ids is None:
            forms = {json.dumps(needle, ensure_ascii=False), json.dumps(needle)}  # as written, or \\u-escaped
            m = re.search(r'"id"\s*:\s*(?:' + "|".join(map(re.escape, forms)) + ")", text)
            at = m.start() if m else max(text.find(needle), 0)
            return at, text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        at = self.ids.get(needle)
        if at is None:
            at = max(text.find(needle), 0)
        line = bisect_right(self.starts, at)
        return at, line, at - self.starts[line - 1] + 1


class _Builder:
    def __init__(self, pkg: Package, report: Report, recorded: dict[str, tuple[date, str]] | None = None):
        """`recorded`: the approvals of the extension's governance record, id -> (date, body) (`Approvals.by_id`)."""
        self.pkg, self.report = pkg, report
        self.places: dict[str, _Places] = {}
        self.approvals: dict[tuple[str, str], list[Item]] = {}  # (body, date) -> the items it approved
        self.recorded = {aid: (body, on.isoformat()) for aid, (on, body) in (recorded or {}).items()}
        self.known: dict[tuple[str, str], str] = {}  # (body, date) -> the record's first approval then
        for aid, key in self.recorded.items():
            self.known.setdefault(key, aid)

    def source(self, file: str, item_id: str, label: str) -> SourceRef:
        places = self.places.get(file)
        if places is None:
            places = self.places[file] = _Places(self.pkg.raw[file].decode("utf-8"))
        at, line, col = places.of(item_id)
        return SourceRef(f"ocf/{file}", file, at, at, line, col, label)

    def approve(self, it: Item) -> tuple[str, ...]:
        return tuple(a for a in self.approve_pair(it) if a)

    def approve_pair(self, it: Item) -> tuple[str | None, str | None]:
        """The approvals of an item's board and stockholder approval dates: the one its comments name
        (`Approvals.note`, minutebook's export) where the extension's governance record holds it, by that body on
        that date; else an act of that record on that date by that body; else an `ApprovalRecorded` made for the
        date."""
        out, data = [], it.data
        noted = read_notes(data)
        for body, key in (("board", "board_approval_date"), ("stockholders", "stockholder_approval_date")):
            on = data.get(key)
            if not on:
                out.append(None)
            elif noted.get(body) and self.recorded.get(noted[body]) == (body, on):
                out.append(noted[body])
            elif (body, on) in self.known:
                out.append(self.known[(body, on)])
            else:
                self.approvals.setdefault((body, on), []).append(it)
                out.append(approval_id(body, on))
        return out[0], out[1]

    # --- the charter ------------------------------------------------------------------------------------

    def classes(self) -> tuple[list[dict], dict[str, str]]:
        out, keys, used = [], {}, set()
        for it in self.pkg.of("stock_classes_files"):
            d = it.data
            base = slugify(re.sub(r"\s+stock$", "", d["name"].strip(), flags=re.I)) or "class"
            key, n = base, 2
            while key in used:
                key, n = f"{base}-{n}", n + 1
            used.add(key)
            keys[d["id"]] = key
            auth = self._whole(it, "initial_shares_authorized")
            par = d.get("par_value")
            if par and par["currency"] != "USD":
                self.report.warn(
                    it.file,
                    it.label,
                    f"$.items[{it.index}].par_value",
                    f"par value in {par['currency']}, read as an amount",
                    "MB-OCF-CURRENCY",
                )
            votes = whole(d["votes_per_share"])
            out.append(
                {
                    "key": key,
                    "name": d["name"],
                    "kind": "preferred" if d["class_type"] == "PREFERRED" else "common",
                    "authorized": auth,
                    "par_value": str(number(par["amount"])) if par else None,
                    "no_par": False,
                    "votes_per_share": votes,
                    "series": [],
                    "ocf": d,
                }
            )
        return out, keys

    def _whole(self, it: Item, field_: str) -> int | None:
        v = it.data[field_]
        if v in ("UNLIMITED", "NOT APPLICABLE"):
            return None
        n = whole(v)
        if n is None or n < 0:
            self.report.error(
                it.file, it.label, f"$.items[{it.index}].{field_}", f"{v} is not a whole number of shares"
            )
        return n

    def charter(self, issuer: dict, classes: list[dict]) -> dict:
        total = issuer.get("initial_shares_authorized")
        total = whole(total) if total not in (None, "UNLIMITED", "NOT APPLICABLE") else None
        if total is None and classes and all(c["authorized"] is not None for c in classes):
            total = sum(c["authorized"] for c in classes)
        return {
            "effective_on": issuer["formation_date"],
            "name": issuer["legal_name"],
            "jurisdiction": jurisdiction_name(
                issuer["country_of_formation"], issuer.get("country_subdivision_of_formation")
            ),
            "registered_office": None,
            "registered_agent": None,
            "purpose": None,
            "document_kind": "incorporation",
            "statute": None,
            "date_basis": "effective",
            "capital": {"total_authorized": total, "blank_check_holder": None, "classes": classes},
            "provisions": [],
            "articles": [],
            "ocf": {"issuer": issuer},
        }

    def amendments(
        self, first: dict, keys: dict[str, str], issuer_id: str, kept: list[Item]
    ) -> list[tuple[Event, bool]]:
        """One `CharterAmended` per date of adjustments, with whether it raises any class (it then goes before
        the stock transactions of that date; a reduction after them)."""
        by_date: dict[str, list[Item]] = {}
        for it in self.pkg.of("transactions_files"):
            if (
                it.type == ADJUSTMENTS[0]
                and it.data["stock_class_id"] not in keys
                or (it.type == ADJUSTMENTS[1] and it.data["issuer_id"] != issuer_id)
            ):
                what = "stock class" if it.type == ADJUSTMENTS[0] else "issuer"
                ref = it.data.get("stock_class_id") or it.data.get("issuer_id")
                self.report.bad(
                    it.file,
                    it.label,
                    f"$.items[{it.index}]",
                    f"{what} {ref!r} is not in the package",
                    "MB-OCF-UNRESOLVED",
                )
                kept.append(it)
            elif it.type in ADJUSTMENTS:
                by_date.setdefault(it.data["date"], []).append(it)
        out, prev = [], first
        for on in sorted(by_date):
            charter = copy.deepcopy(prev)
            charter["effective_on"], charter["document_kind"], charter["date_basis"] = (
                on,
                "amendment",
                "effective",
            )
            charter.pop("ocf", None)
            cap = charter["capital"]
            raised, approved, total = False, [], None
            for it in by_date[on]:
                new = self._whole(it, "new_shares_authorized")
                approved += [a for a in self.approve(it) if a not in approved]
                if it.type == ADJUSTMENTS[1]:
                    total = new
                    continue
                c = next(c for c in cap["classes"] if c["key"] == keys[it.data["stock_class_id"]])
                raised |= new is not None and (c["authorized"] is None or new > c["authorized"])
                if cap["total_authorized"] is not None and c["authorized"] is not None and new is not None:
                    cap["total_authorized"] += new - c["authorized"]
                c["authorized"] = new
            if total is not None:
                cap["total_authorized"] = total
            it = by_date[on][0]
            body = CharterAmended(charter, "amendment", None, tuple(approved))
            out.append(
                (
                    Event(body, day(on), "on", ACTOR, self.source(it.file, it.id, it.label)),
                    raised,
                )
            )
            prev = charter
        return out


def _certificates(pkg: Package, report: Report):
    """Certificate numbers: the issuances' `custom_id`s when they are unique in the package, else their
    security ids (which are)."""
    issues = [it for it in pkg.of("transactions_files") if it.type == "TX_STOCK_ISSUANCE"]
    customs = [it.data["custom_id"] for it in issues]
    if issues and len(set(customs)) == len(customs) and all(customs):
        return lambda it: it.data["custom_id"]
    if issues:
        report.info(
            pkg.manifest_file,
            None,
            "",
            "custom_ids repeat in the package: certificates are numbered by security id",
            "MB-OCF-CERTIFICATES",
        )
    return lambda it: it.data["security_id"]


def build(pkg: Package, report: Report):
    """Everything the package becomes: (name, formation date, events with their OCF items, kept items, refused
    items)."""
    ext = read_extension(pkg.extension)
    for text in ext.problems:
        report.warn(EXTENSION_NAME, None, "", text + ": not read", "MB-OCF-EXTENSION")
    approvals = Approvals(e for _, e in ext.events)
    b = _Builder(pkg, report, approvals.by_id)
    issuer = pkg.manifest["issuer"]
    formation = day(issuer["formation_date"])
    kept: list[Item] = []
    refused: list[Item] = []
    events: list[tuple[tuple, Event, Item | None]] = []
    charter, why = charter_in.read(pkg, [e for _, e in ext.charter], approvals, b.source)
    if why:
        report.warn(
            EXTENSION_NAME, None, "", f"{why}: the charter is read from the stock classes", "MB-OCF-EXTENSION"
        )
    if charter is None:
        classes, keys = b.classes()
        first = b.charter(issuer, classes)
        inc = Incorporated(issuer["legal_name"], first["jurisdiction"], first)
        events.append(
            (
                (formation, 0),
                Event(inc, formation, "on", ACTOR, b.source(pkg.manifest_file, issuer["id"], "ISSUER")),
                None,
            )
        )
    else:  # the book's own charter events (`ocf.charter_in`), a raise before the stock of its day
        keys = charter.keys
        for i, (ev, raised) in enumerate(charter.events):
            rank = 0 if isinstance(ev.body, Incorporated) else 3 if raised else 5
            events.append(((ev.effective_on, rank, -1, i), ev, None))
    holders: dict[str, str] = {}
    for it in pkg.of("stakeholders_files"):
        d = it.data
        if len(d["id"]) > 100:
            report.error(
                it.file, it.label, f"$.items[{it.index}].id", "a stakeholder id longer than 100 characters"
            )
        holders[d["id"]] = d["id"]
        contact = d.get("contact_info") or d.get("primary_contact") or {}
        email = next((e.get("email_address") for e in contact.get("emails", ())), None)
        kind = "institution" if d["stakeholder_type"] == "INSTITUTION" else "individual"
        events.append(
            (
                (formation, 1),
                Event(
                    StakeholderAdded(d["id"], d["name"]["legal_name"], kind, email), formation, "on", ACTOR
                ),
                it,
            )
        )
    if charter is None:
        for ev, raised in b.amendments(first, keys, issuer["id"], refused):
            events.append(((ev.effective_on, 3 if raised else 5), ev, None))
    legends = {it.id: it.data["name"] for it in pkg.of("stock_legend_templates_files")}
    txs = [it for it in pkg.of("transactions_files") if it.known]
    pos = {id(it): i for i, it in enumerate(txs)}

    def position(it: Item) -> int:
        return pos.get(id(it), it.index)

    first_use: dict[str, str] = {}
    for it in txs:
        plan = it.data.get("stock_plan_id")
        if plan and plan not in first_use:
            first_use[plan] = it.data["date"]
    eq = EquityIn(pkg, report, keys, holders, b.approve, b.approve_pair, position, formation, ext.supplements)
    eq.objects(first_use)
    eq.scan(txs)
    eq.run([it for it in txs if it.type in EQUITY_TX or it.type == "TX_STOCK_ISSUANCE"])
    eq.finish()
    rsa_grants: dict[int, AwardGranted] = {}

    def issue(it: Item, sec: Security) -> SharesIssued:
        d = it.data
        approved = b.approve(it)
        award = eq.settles.get(d["security_id"])
        if d["security_id"] in eq.rsa:
            award = d["security_id"]
            grant = eq.rsa_grant(award)
            if grant is not None:
                rsa_grants[id(it)] = grant
        kind, paid = read_consideration(d.get("consideration_text")) or ("cash", sec.price * sec.qty)
        return SharesIssued(
            sec.holder,
            sec.cls,
            sec.qty,
            sec.price,
            paid,
            kind,
            None,
            sec.cert,
            tuple(legends.get(x, x) for x in d["stock_legend_ids"]),
            TREASURY_NOTE in d.get("comments", ()),
            approved[0] if approved else None,
            award,
        )

    stock = [it for it in txs if it.type in STOCK]
    t = Traversal(holders, keys, _certificates(pkg, report), issue, report, position)
    t.run(stock)
    kept += t.kept + eq.kept
    refused += t.refused + eq.refused
    for op in t.ops:
        grant = rsa_grants.pop(id(op.item), None) if isinstance(op.body, SharesIssued) else None
        if grant is not None:
            events.append(((op.on, 4, op.pos, op.n - 0.5), Event(grant, op.on, "on", ACTOR), op.item))
        events.append(((op.on, 4, op.pos, op.n), Event(op.body, op.on, "on", ACTOR), op.item))
    for m in eq.made:
        if m.body is not None:
            key = (m.on, m.rank, m.pos, m.sub) if m.rank == 4 else (m.on, m.rank, -1, m.pos, m.sub)
            events.append((key, Event(m.body, m.on, "on", ACTOR), m.item))
    for i, e in ext.events:
        # the governance record first on its day (-2): the approvals an equity object of that day names (a plan
        # adopted, rank 2) are then recorded before it, as in the book exported
        key = (e.effective_on, 6, -1, i) if isinstance(e.body, EQUITY_TYPES) else (e.effective_on, 2, -2, i)
        events.append((key, e, None))
    for (body, on), items in sorted(b.approvals.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        more = ", ..." if len(items) > 1 else ""
        text = f"{body} approval date in the OCF package ({len(items)} item(s): {items[0].label}{more})"
        d = day(on)
        events.append(
            ((d, 2), Event(ApprovalRecorded(approval_id(body, on), body, text), d, "on", ACTOR), None)
        )
    events.sort(key=lambda x: x[0])  # stable: the order within a rank is the package's
    if charter is not None and charter.series:
        events[:] = [(k, _in_series(e, charter.series), it) for k, e, it in events]
    kept += [
        it
        for it in pkg.of("transactions_files")
        if it.type not in STOCK and it.type not in ADJUSTMENTS and it.type not in EQUITY_TX
    ]
    return issuer["legal_name"], formation, events, kept, refused


_SERIES_FIELDS = (("class_key", "series_key"), ("from_class", "from_series"), ("to_class", "to_series"))


_FIELDS_OF: dict[type, tuple[tuple[str, str | None], ...]] = {}  # body type -> its (class, series) fields


def _in_series(e: Event, series: dict[str, tuple[str, str]]) -> Event:
    """`e` with the key a series' stock class had while the package was read (`charter_in.series_key`) made the
    class and series it is."""
    b, changes = e.body, {}
    pairs = _FIELDS_OF.get(type(b))
    if pairs is None:
        names = {f.name for f in fields(b)}
        pairs = _FIELDS_OF[type(b)] = tuple(
            (cls, ser if ser in names else None) for cls, ser in _SERIES_FIELDS if cls in names
        )
    for cls, ser in pairs:
        hit = series.get(getattr(b, cls))
        if hit is not None:
            changes[cls] = hit[0]
            if ser is not None:
                changes[ser] = hit[1]
    return replace(e, body=replace(b, **changes)) if changes else e


def _where(findings, events) -> list[Finding]:
    """Each event's findings, named with the OCF file and item it came from."""
    out = []
    for found, (_, _, it) in zip(findings, events, strict=True):
        if found:
            where = f"{it.file}: item {it.label}: " if it is not None else ""
            out += [Finding(f.severity, f.code, where + f.message, f.source, f.cites, f.data) for f in found]
    return out


def _kept_document(pkg: Package, kept: list[Item]) -> dict:
    by_kind: dict[str, list] = {
        k: [it.data for it in pkg.of(k)] for k in ("financings_files", "documents_files")
    }
    by_kind["stock_legend_templates_files"] = [it.data for it in pkg.of("stock_legend_templates_files")]
    by_kind["vesting_terms_files"] = [it.data for it in kept if it.type == "VESTING_TERMS"]
    by_kind["transactions_files"] = [it.data for it in kept if it.known and it.type.startswith("TX_")]
    return {
        "format": "minutebook-ocf-kept",
        "format_version": 2,
        "package": pkg.source,
        "objects": by_kind,
        "not_ocf_1_2_0": [it.data for it in kept if not it.known],
    }


def import_package(db_url: str | None, path, *, lenient: bool = False, slug: str | None = None) -> Imported:
    """Read the package at `path` (a folder or .ocf.zip) into a new corporation in `db_url`. A problem that
    makes the package unreadable or self-contradictory is an `InputError` (one line, nothing written). No cyclic
    collection while the package's hundreds of thousands of objects are made (`core.heap.quiet`): they are all alive
    until the end, and each pass would walk them all again."""
    with heap.quiet():
        return _import(db_url, path, lenient, slug)


def _import(db_url, path, lenient: bool, slug: str | None, defer: bool = True) -> Imported:
    report = Report()
    deferred = Deferred() if defer else None  # a large file's schema checks, run beside the reading
    try:
        pkg = read_package(path, lenient=lenient, report=report, deferred=deferred)
        name, _, events, kept, refused = build(pkg, report)
    except Exception:
        if deferred is not None and deferred.failed():  # read as if they passed: read it again, checking
            return _import(db_url, path, lenient, slug, defer=False)
        raise
    if deferred is not None and deferred.failed():
        return _import(db_url, path, lenient, slug, defer=False)
    if report.refused and not lenient:
        lines = "\n".join(f"  {p.format()}" for p in report.refused)
        raise InputError(
            f"{pkg.source}: {len(report.refused)} item(s) cannot be placed in the book; nothing written "
            f"(--lenient imports the rest and records these as refused):\n{lines}"
        )
    counts: dict[str, int] = {}
    for items in pkg.items.values():
        for it in items:
            counts[it.type] = counts.get(it.type, 0) + 1
    kept += [it for k in ("financings_files", "documents_files") for it in pkg.of(k)]
    kept_counts: dict[str, int] = {}
    for it in kept:
        kept_counts[it.type] = kept_counts.get(it.type, 0) + 1
    notes = [p.finding() for p in report.problems if p not in report.refused]
    for t, n in sorted(kept_counts.items()):
        notes.append(
            info(
                "MB-OCF-NOT-MODELLED",
                f"{n} {t} item{'s' if n != 1 else ''} kept in {KEPT_DOC}, not applied (minutebook has no model "
                "for them)",
            )
        )
    kept_doc = json.dumps(_kept_document(pkg, kept), indent=1, ensure_ascii=False, sort_keys=True)

    slug = slug or slugify(name)
    docs = {f"ocf/{rel}": data.decode("utf-8") for rel, data in sorted(pkg.raw.items())}
    docs.update(_document_files(pkg, report))
    docs[KEPT_DOC] = kept_doc  # (stored by their SHA-256: the same bytes twice are one document)
    if report.refused:
        objects = {(it.file, it.label): it.data for it in refused}
        docs[REFUSED_DOC] = json.dumps(
            refused_document(pkg.source, report.refused, objects),
            indent=1,
            ensure_ascii=False,
            sort_keys=True,
        )
    taken = "; import with --corp to name the new one differently"
    evs = anchored([e for _, e, _ in events], docs.items(), first_only=True)  # the log vouches for the files
    made = new_corporation(db_url, slug, name, docs.items(), evs, taken=taken, check=HISTORY)
    findings = _where(made.appended.findings, events)
    bad = refused_from_documents([_Doc(REFUSED_DOC, docs[REFUSED_DOC])]) if report.refused else []
    return Imported(
        made.engine,
        made.url,
        made.corp_id,
        slug,
        name,
        len(evs),
        tuple(bad + notes + findings),
        counts,
        kept_counts,
        len(report.refused),
    )


def _document_files(pkg: Package, report: Report) -> dict[str, str]:
    """The files the package's DOCUMENTs name by path, stored as `ocf/<path>` (text files; another is noted)."""
    out: dict[str, str] = {}
    names, read = package_container(pkg.source)
    base = posixpath.dirname(pkg.manifest_file)
    for it in pkg.of("documents_files"):
        rel = posixpath.normpath(posixpath.join(base, it.data.get("path") or ""))
        if not it.data.get("path") or rel.startswith("../") or rel not in names:
            continue
        try:
            out[f"ocf/{posixpath.relpath(rel, base or '.')}"] = read(rel).decode("utf-8")
        except UnicodeDecodeError:
            report.info(it.file, it.label, "", f"{rel}: not a text file, not stored", "MB-OCF-DOCUMENT")
    return out


@dataclass(frozen=True, slots=True)
class _Doc:
    name: str
    content: str


def validate_package(path, *, lenient: bool = False) -> list:
    """Every problem an import of `path` would report or refuse on (`report.Problem`s, in order): the package's
    files and schemas, then its security-id chains. Nothing is written."""
    from .report import Problem, Stop

    report = Report(collect=True)
    try:
        pkg = read_package(path, lenient=lenient, report=report)
    except InputError as e:  # no manifest at all, or one that does not parse
        return [Problem(str(path), None, "", str(e).removeprefix(f"{path}: "))]
    except Stop:
        return report.problems
    if not [p for p in report.errors if p not in report.refused] and "issuer" in pkg.manifest:
        with suppress(Stop):
            build(pkg, report)
    return report.problems
