"""The export as one pass over the book's history, streamed from the store: `write_package` writes the package's
files into a folder, each item validated as it is written, and never holds the whole history, nor a whole file.

1. A first read of the few events the charter and the approvals come from (incorporation, amendments,
   designations, board and stockholder action): the issuer, the stock classes and their adjustments, the class ids
   and the approval dates every later object names (`exporter`).
2. One pass over the whole history in effective order: the stakeholders folded (`core.replay.apply`, once per
   event that changes them, and never for the ledger's), the securities and equity objects (`securities`,
   `equity_out`) as the exporter has them; the transactions go to a scratch file (`spill`) and the events OCF has
   no place for to the extension's scratch file, as they come.
3. The files: `Transactions.ocf.json` read back from the scratch file in the package's order, renumbered, each item
   checked and written; the small files; the extension; the manifest with every md5, last.

What it writes is what the exporter wrote when it built the whole package in memory, byte for byte
(`tests/ocf/test_ocf_export_stream.py` holds it to the digests of that exporter's packages).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import orjson

from ..book.parallel import fed
from ..core.events import (
    CHARTER_TYPES,
    ApprovalRecorded,
    BoardActed,
    CharterAmended,
    Correction,
    Incorporated,
    MeetingCalled,
    MeetingHeld,
    SeriesDesignated,
    SharesIssued,
    StakeholderAdded,
    StakeholderChanged,
    WrittenConsent,
)
from ..core.replay import _Build
from ..core.replay import apply as fold
from .approvals import Approvals
from .equity_out import EquityOut
from .exporter import (
    LEGEND_ORDER,
    OCF_STATED,
    TX_ORDER,
    canonical,
    charter_objects,
    document_objects,
    document_places,
    issuer_object,
    kept_and_documents,
)
from .extension import FORMAT
from .extension import NAME as EXTENSION_NAME
from .extension import entry as extension_entry
from .jsonout import ArrayFile, dumps, nested
from .report import Problem
from .schemas import ADJUSTMENTS, FILE_KINDS, MANIFEST, OCF_VERSION, message, schemas
from .securities import Securities
from .spill import Renumber, Spill, package_order

FILE_NAMES = {
    "stock_plans_files": "StockPlans.ocf.json",
    "stock_legend_templates_files": "StockLegends.ocf.json",
    "stock_classes_files": "StockClasses.ocf.json",
    "vesting_terms_files": "VestingTerms.ocf.json",
    "valuations_files": "Valuations.ocf.json",
    "transactions_files": "Transactions.ocf.json",
    "stakeholders_files": "Stakeholders.ocf.json",
    "financings_files": "Financings.ocf.json",
    "documents_files": "Documents.ocf.json",
}
OPTIONAL = ("financings_files",)  # written only when it has items
MANIFEST_NAME = "Manifest.ocf.json"
COMMENT = "Exported by minutebook from the corporation's minute book."
# the events the charter, the classes and the approval dates come from: read before the pass
FIRST = tuple(
    t.TYPE
    for t in (
        Incorporated,
        CharterAmended,
        SeriesDesignated,
        BoardActed,
        MeetingCalled,
        MeetingHeld,
        WrittenConsent,
        ApprovalRecorded,
    )
)
_HOLDERS = (StakeholderAdded, StakeholderChanged)


@dataclass(slots=True)
class Written:
    """What `write_package` wrote: the files (path in the package), items per manifest key, warnings, and the
    problems of the items that do not validate (`problems()`: the package must then not be used)."""

    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    checks: list[Callable[[], list[Problem]]] = field(
        default_factory=list
    )  # each file's, in the manifest's order

    def problems(self) -> list[Problem]:
        """The problems of the items that do not validate, file by file (waits for the checks made beside)."""
        return [p for answer in self.checks for p in answer()]


class FileCheck:
    """A file's items checked one by one as they are written — each against its object schema, and against what
    the file schema admits — and then the file's own fields: what was checked in two passes, in one."""

    def __init__(self, name: str, file_type: str):
        S = self.S = schemas()
        self.name, self.sid = name, S.file_types[file_type]
        self.whole, self.admit = S.file_items(self.sid)
        self.problems: list[Problem] = []
        self._fast: dict[str, object] = {}
        self._outside: tuple[int, dict] | None = None  # the first item the file schema does not admit

    def __call__(self, i: int, item: dict) -> None:
        ot = item.get("object_type")
        osid = self.S.object_schema(ot)
        if osid is None:
            self.problems.append(Problem(self.name, f"#{i}", "", f"unknown object_type {ot!r}"))
            return
        check = self._fast.get(osid)
        if check is None:
            check = self._fast[osid] = self.S.fast(osid)
        if not check(item):  # type: ignore[operator]
            for err in self.S.errors(osid, item)[:1]:
                where, text = message(err)
                self.problems.append(
                    Problem(self.name, f"{item['object_type']} {item.get('id')}", where, text)
                )
            return
        admitted = self.admit is not None and self.admit.get(ot) == osid
        if not admitted and not self.whole(item) and self._outside is None:
            self._outside = (i, item)

    def close(self, head: dict) -> list[Problem]:
        """The file's problems: its items', else the first the file schema finds (its message then readable)."""
        if self.problems:
            return self.problems
        if self._outside is not None:
            i, item = self._outside
            for err in self.S.errors(self.sid, {**head, "items": [item]})[:1]:
                where, text = message(err)
                return [Problem(self.name, None, where.replace("$.items[0]", f"$.items[{i}]", 1), text)]
        for err in self.S.errors(self.sid, {**head, "items": []})[:1]:
            where, text = message(err)
            return [Problem(self.name, None, where, text)]
        return []


def charter_entries(events, issuer_id: str, paths: dict[str, str]) -> list[dict]:
    """The charter's events whole, for the extension (`ocf.charter_in`): the incorporation's with the issuer's id
    (so it goes back as it was), each read from a charter document with where in it (`source`: its path in the
    package)."""
    out = []
    for e in events:
        if not isinstance(e.body, CHARTER_TYPES):
            continue
        x = extension_entry(e)
        if isinstance(e.body, Incorporated) and isinstance(x["payload"].get("charter"), dict):
            ocf = x["payload"]["charter"].setdefault("ocf", {})
            ocf["issuer"] = ocf.get("issuer") or {"id": issuer_id}
        src = e.source
        if src is not None and src.path in paths:
            x["source"] = {
                "path": paths[src.path],
                "document_id": src.document_id,
                "start": src.start,
                "end": src.end,
                "line": src.line,
                "column": src.column,
                "text": src.text,
            }
        out.append(x)
    return out


class _Extension:
    """The extension's events, each written as it comes to a scratch file, already indented for its place."""

    def __init__(self, path: Path):
        self.path, self.n = path, 0
        self._f = open(path, "wb")  # noqa: SIM115 - closed by `close`

    def add(self, e) -> None:
        if isinstance(e.body, Correction):
            return
        self._f.write(nested(extension_entry(e), 2) + b"\n\x00\n")
        self.n += 1

    def close(self) -> None:
        self._f.close()

    def entries(self):
        with open(self.path, "rb") as f:
            buf = b""
            for chunk in iter(lambda: f.read(1 << 20), b""):
                buf += chunk
                *done, buf = buf.split(b"\n\x00\n")
                yield from done


def write_package(history, as_of: date | None, folder: Path, work: Path) -> Written:  # noqa: C901 - the pass
    """Write the package of `history` (`book.History`) as of `as_of` (its last date when None) into `folder`,
    using `work` for scratch files. Raises ValueError when the book has no events."""
    out = Written()
    last = history.last_date()
    if last is None:
        raise ValueError("the book has no events")
    as_of = as_of or last
    first = list(history.events(as_of, FIRST))
    inc = next((e for e in first if isinstance(e.body, Incorporated)), None)
    if inc is None:
        if next(iter(history.events(as_of)), None) is None:
            raise ValueError("the book has no events")
        raise ValueError("the book records no incorporation")
    approvals = Approvals(first)
    build = _Build()
    for e in first:
        if isinstance(e.body, CHARTER_TYPES):
            fold(build, e)
    versions = tuple(build.versions)
    kept, charter_docs, stored = kept_and_documents(history)
    kept_objects = kept.get("objects", {})
    raw = [e for e in first if isinstance(e.body, (Incorporated, CharterAmended))]
    issuer = issuer_object(history.slug, inc, build.name, versions)
    charter = charter_entries(first, issuer["id"], document_places(kept_objects, charter_docs))
    classes, adjustments, ids = charter_objects(raw, first, versions, approvals, as_of)
    del first

    legends: dict[str, dict] = {}
    for t in kept_objects.get("stock_legend_templates_files", ()):
        legends.setdefault(t["name"], canonical(t, LEGEND_ORDER))

    def legend_id(name: str) -> str:  # numbered in the order the issuances name them
        t = legends.get(name)
        if t is None:
            t = legends[name] = {
                "object_type": "STOCK_LEGEND_TEMPLATE",
                "id": f"LEGEND-{len(legends) + 1}",
                "name": name,
                "text": name,
            }
        return t["id"]

    def class_id(cls: str, series: str | None) -> str:
        return ids.get((cls, series)) or ids.get((cls, None)) or cls

    kept_txs = list(kept_objects.get("transactions_files", ()))
    spill = Spill(work / "transactions", frozenset((t["object_type"], t["id"]) for t in kept_txs))
    for a in adjustments:
        spill.note(a)
    ext = _Extension(work / "extension")
    sec = Securities(class_id, legend_id, approvals)
    eq = EquityOut(class_id, approvals)
    sec.award_fields = eq.rsa_fields
    eq.reopened = spill.reopened
    generated = None
    try:
        for e in history.events(as_of):
            if e.recorded_at and (generated is None or e.recorded_at > generated):
                generated = e.recorded_at
            b = e.body
            if isinstance(b, OCF_STATED):
                if isinstance(b, _HOLDERS):
                    fold(build, e)
                sec.event(e)
                if isinstance(b, SharesIssued) and b.award_id and sec.last_issued:
                    eq.issued(e, b, sec.last_issued)
            else:
                eq.event(e)
                if eq.leftover:
                    ext.add(e)
                    eq.leftover.clear()
            if sec.txs:
                for t in sec.txs:
                    spill.add(t)
                sec.txs.clear()
            if eq.txs:
                for t in eq.txs:
                    spill.add(t)
                eq.txs.clear()
        ext.close()
        out.warnings += sec.warnings
        kept_out = []
        for t in kept_txs:
            if t["object_type"] == ADJUSTMENTS[1]:
                out.warnings.append(
                    f"kept {t['object_type']} {t['id']} not written: the v1.2.0 TransactionsFile schema rejects it"
                )
            elif (t["object_type"], t["id"]) in spill.clashes:
                out.warnings.append(f"kept {t['object_type']} {t['id']} not written: its id is taken")
            else:
                kept_out.append(canonical(t, TX_ORDER))
        for t in kept_out:
            spill.note(t, kept=True)
        if kept.get("not_ocf_1_2_0"):
            out.warnings.append(
                f"{len(kept['not_ocf_1_2_0'])} kept object(s) of types OCF 1.2.0 does not define not written"
            )
        docs, doc_files = document_objects(kept_objects, stored, charter_docs, raw, adjustments, issuer["id"])
        holders = []
        for h in build.holders.values():
            obj = {"object_type": "STAKEHOLDER", "id": h.id, "name": {"legal_name": h.name}}
            obj["stakeholder_type"] = "INSTITUTION" if h.kind == "institution" else "INDIVIDUAL"
            if h.email:
                obj["contact_info"] = {"emails": [{"email_type": "OTHER", "email_address": h.email}]}
            holders.append(obj)
        if approvals.unresolved:
            out.warnings.append(
                f"approvals not found in the book (no date written): {', '.join(sorted(approvals.unresolved))}"
            )
        small = {
            "stock_plans_files": eq.plans,
            "stock_legend_templates_files": list(legends.values()),
            "stock_classes_files": classes,
            "vesting_terms_files": eq.terms + list(kept_objects.get("vesting_terms_files", ())),
            "valuations_files": eq.valuations,
            "stakeholders_files": holders,
            "financings_files": list(kept_objects.get("financings_files", ())),
            "documents_files": docs,
        }
        manifest: dict = {
            "ocf_version": OCF_VERSION,
            "file_type": MANIFEST,
            "issuer": issuer,
            "as_of": as_of.isoformat(),
            "generated_at": generated.isoformat() if generated else f"{as_of.isoformat()}T00:00:00Z",
        }
        for kind, file_type in FILE_KINDS.items():
            if kind == "transactions_files":
                md5, n = _transactions(folder, adjustments, spill, kept_out, out)
            else:
                items = small[kind]
                if kind in OPTIONAL and not items:
                    continue
                md5, n = _small_file(folder, kind, file_type, items, out)
            out.counts[kind] = n
            manifest[kind] = [{"filepath": f"./{FILE_NAMES[kind]}", "md5": md5}]
        manifest["comments"] = [COMMENT]
        _write(folder, MANIFEST_NAME, dumps(manifest), out)
        for rel, data in doc_files.items():
            _write(folder, rel, data, out)
        supplements = eq.final_supplements()
        if ext.n or supplements or charter:
            with open(folder / EXTENSION_NAME, "wb") as f:
                w = ArrayFile(f, {"format": FORMAT, "format_version": 1}, "events")
                for text in ext.entries():
                    w.add_text(text)
                w.close({"charter": charter, "supplements": supplements})
            out.files.append(EXTENSION_NAME)
    except BaseException:
        for answer in out.checks:  # a check beside waits for its lines to end: end them
            with contextlib.suppress(Exception):
                answer()
        raise
    finally:
        spill.close()
        ext.close()
    return out


def _write(folder: Path, rel: str, data: bytes, out: Written) -> None:
    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
    (folder / rel).write_bytes(data)
    out.files.append(rel)


def _small_file(folder: Path, kind: str, file_type: str, items: list[dict], out: Written) -> tuple[str, int]:
    name = FILE_NAMES[kind]
    check = FileCheck(name, file_type)
    with open(folder / name, "wb") as f:
        w = ArrayFile(f, {"file_type": file_type}, "items")
        for i, item in enumerate(items):
            check(i, item)
            w.add(item)
        md5 = w.close()
    problems = check.close({"file_type": file_type})
    out.checks.append(lambda: problems)
    out.files.append(name)
    return md5, len(items)


def _transactions(
    folder: Path, adjustments: list[dict], spill: Spill, kept: list[dict], out: Written
) -> tuple[str, int]:
    """`Transactions.ocf.json`, each item checked beside the writing (`book.parallel.fed`: on the other core), its
    answer waited for when the package is complete (`Written.problems`)."""
    name, file_type = FILE_NAMES["transactions_files"], FILE_KINDS["transactions_files"]
    known = None
    while True:
        send, answer = fed(lambda: _line_check(name, file_type))
        renumber = Renumber(spill.taken, spill.split_refs, known)
        try:
            with open(folder / name, "wb") as f:
                w = ArrayFile(f, {"file_type": file_type}, "items")
                for t in package_order(adjustments, spill, kept):
                    t = renumber(t)
                    send(orjson.dumps(t))
                    w.add(t)
                md5 = w.close()
        except BaseException:
            with contextlib.suppress(Exception):
                answer()  # the child stops with the lines
            raise
        if not renumber.forward or known is not None:
            break
        with contextlib.suppress(Exception):
            answer()
        known = renumber.tx_ids  # a reissuance named its split before the split came: once more, knowing it
    out.checks.append(answer)
    out.files.append(name)
    return md5, w.count


def _line_check(name: str, file_type: str):
    """(step, finish) of `FileCheck` over items sent as compact JSON lines."""
    check, n = FileCheck(name, file_type), [0]

    def step(line: bytes) -> None:
        check(n[0], orjson.loads(line))
        n[0] += 1

    return step, lambda: check.close({"file_type": file_type})
