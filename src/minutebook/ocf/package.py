"""Reading an OCF package — a folder or an `.ocf.zip` — into checked, normalised objects.

The manifest is the `*.json` file whose `file_type` is `OCF_MANIFEST_FILE` (one per package); it lists the
other files by kind, relative to its own folder, each with an md5. Every listed file must be there, be JSON,
have the file type its list promises and an `items` array; each item is validated against the v1.2.0 object
schema its `object_type` selects (`ocf.schemas`).

Strict (the default) refuses anything that is not plain v1.2.0. `lenient` accepts, each with a warning: any
`1.x` version, the deprecated `TX_PLAN_SECURITY_*` aliases (read as `TX_EQUITY_COMPENSATION_*`), md5s that do
not match, fields the schema does not know (dropped from the object read; the file itself is kept unchanged by
the import), and object types v1.2.0 does not define (kept as they are, not validated, not applied). Neither
mode accepts a wrong type, a missing required field, a missing file or JSON that does not parse.

A `minutebook.extension.json` beside the manifest (a package minutebook wrote: `ocf.extension`) is read as bytes.

The files are read within `container.Limits` (a file's size decompressed, checked before it is read; all files read
together; how many): each refusal one line naming the package and the file. JSON nested too deeply to parse is a
finding.
"""

from __future__ import annotations

import copy
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..book.parallel import beside
from ..core.errors import InputError
from .container import LIMITS, Limits, files
from .container import container as container
from .extension import NAME as EXTENSION_NAME
from .report import Report, Stop
from .schemas import FILE_KINDS, MANIFEST, OCF_VERSION, json_path, message, schemas, unknown_fields

_OBJECT_FILE = {  # file type -> the object types it may hold (transactions: TX_* and CE_*)
    "OCF_STAKEHOLDERS_FILE": ("STAKEHOLDER",),
    "OCF_STOCK_CLASSES_FILE": ("STOCK_CLASS",),
    "OCF_STOCK_LEGEND_TEMPLATES_FILE": ("STOCK_LEGEND_TEMPLATE",),
    "OCF_STOCK_PLANS_FILE": ("STOCK_PLAN",),
    "OCF_VESTING_TERMS_FILE": ("VESTING_TERMS",),
    "OCF_VALUATIONS_FILE": ("VALUATION",),
    "OCF_FINANCINGS_FILE": ("FINANCING",),
    "OCF_DOCUMENTS_FILE": ("DOCUMENT",),
}
_VERSION_1X = re.compile(r"1\.\d+(\.\d+)?([-+].*)?")


@dataclass(slots=True)
class Item:
    file: str
    index: int
    data: dict  # as read, unknown fields dropped and a deprecated alias renamed (lenient)
    known: bool = True  # False: an object type v1.2.0 does not define (kept, not validated)
    type: str = ""  # the object type and id, from `data`
    id: str = ""

    def __post_init__(self) -> None:
        self.type, self.id = self.data["object_type"], self.data["id"]

    @property
    def label(self) -> str:
        return f"{self.type} {self.id}"


@dataclass(slots=True)
class Package:
    source: str
    manifest_file: str
    manifest: dict
    items: dict[str, list[Item]] = field(default_factory=dict)  # manifest key -> items, in file order
    raw: dict[str, bytes] = field(default_factory=dict)  # every file read, by its path in the package
    extension: bytes | None = (
        None  # `minutebook.extension.json` beside the manifest, if any (`ocf.extension`)
    )

    def of(self, kind: str) -> list[Item]:
        return self.items.get(kind, [])


# --- the container ------------------------------------------------------------------------------------------


def _json(name: str, data: bytes, report: Report):
    try:
        return json.loads(data)
    except UnicodeDecodeError as e:
        report.fatal(name, None, "", f"not UTF-8 text ({e.reason} at byte {e.start})", "MB-OCF-JSON")
    except json.JSONDecodeError as e:
        report.fatal(
            name, None, "", f"not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}", "MB-OCF-JSON"
        )
    except RecursionError:
        report.fatal(name, None, "", "JSON nested too deeply to read", "MB-OCF-JSON")


def _find_manifest(src: str, names: list[str], read, report: Report) -> tuple[str, dict, bytes]:
    jsons = [n for n in names if n.lower().endswith(".json")]
    first = [n for n in jsons if "manifest" in posixpath.basename(n).lower()]
    found = []
    for group in (first, [n for n in jsons if n not in first]):
        for n in group:
            data = read(n)
            try:
                doc = json.loads(data)
            except (ValueError, RecursionError):
                if n in first:
                    _json(f"{src}/{n}", data, report)  # a manifest that does not parse: say so
                continue
            if isinstance(doc, dict) and doc.get("file_type") == MANIFEST:
                found.append((n, doc, data))
        if found:
            break
    if not found:
        raise InputError(f"{src}: no OCF manifest (a .json file whose file_type is {MANIFEST})")
    if len(found) > 1:
        raise InputError(f"{src}: more than one OCF manifest ({', '.join(n for n, _, _ in found)})")
    return found[0]


# --- reading ---------------------------------------------------------------------------------------------------


def read_package(
    path: str | Path,
    *,
    lenient: bool = False,
    report: Report | None = None,
    deferred: Deferred | None = None,
    limits: Limits = LIMITS,
) -> Package:
    """The package at `path`, checked. Problems go to `report` (a new one raising at the first error if None);
    warnings and notes stay in `report.problems`. With `deferred`, the schema checks of a large file's items are
    left to it (`Deferred`): the package is then read as if they all passed, until `deferred.failed()` says."""
    report = report if report is not None else Report()
    path = Path(path)
    src = str(path)
    names, read = files(path, limits)
    mname, manifest, mbytes = _find_manifest(src, names, read, report)
    pkg = Package(src, mname, manifest, raw={mname: mbytes})
    try:
        _check_manifest(pkg, lenient, report)
    except Stop:
        return pkg
    base = posixpath.dirname(mname)
    listed = {mname}
    pkg.extension = read(posixpath.join(base, EXTENSION_NAME))
    S = schemas()
    for kind, file_type in FILE_KINDS.items():
        refs = manifest.get(kind) or []
        for j, ref in enumerate(refs):
            rel = posixpath.normpath(posixpath.join(base, ref["filepath"]))
            listed.add(rel)
            where = json_path([kind, j, "filepath"])
            data = read(rel) if not rel.startswith("../") else None
            if data is None:
                report.error(
                    mname, None, where, f"lists {ref['filepath']}, which is not in the package", "MB-OCF-FILE"
                )
                continue
            pkg.raw[rel] = data
            md5 = hashlib.md5(data).hexdigest()
            if md5 != ref["md5"].lower():
                text = f"md5 of {ref['filepath']} is {md5}, the manifest says {ref['md5']}"
                if lenient:
                    report.warn(
                        mname, None, json_path([kind, j, "md5"]), text + " (stale md5 accepted)", "MB-OCF-MD5"
                    )
                else:
                    report.error(
                        mname,
                        None,
                        json_path([kind, j, "md5"]),
                        text + " (--lenient accepts it)",
                        "MB-OCF-MD5",
                    )
            try:
                pkg.items.setdefault(kind, []).extend(
                    _read_file(rel, data, file_type, lenient, report, S, deferred)
                )
            except Stop:
                continue
    for n in names:
        if n not in listed and n.lower().endswith(".ocf.json"):
            report.info(n, None, "", "not listed in the manifest: not read", "MB-OCF-UNLISTED-FILE")
    if deferred is not None:
        deferred.start()
    _check_ids(pkg, report)
    return pkg


def _check_manifest(pkg: Package, lenient: bool, report: Report) -> None:
    S = schemas()
    name, m = pkg.manifest_file, copy.deepcopy(pkg.manifest)
    version = m.get("ocf_version")
    if version != OCF_VERSION:
        if lenient and isinstance(version, str) and _VERSION_1X.fullmatch(version):
            report.warn(
                name, None, "$.ocf_version", f"version {version} read as {OCF_VERSION}", "MB-OCF-VERSION"
            )
            m["ocf_version"] = OCF_VERSION
        else:
            hint = " (--lenient reads any 1.x)" if not lenient else ""
            report.fatal(
                name,
                None,
                "$.ocf_version",
                f"ocf_version {version!r} is not {OCF_VERSION}{hint}",
                "MB-OCF-VERSION",
            )
    m = _validated(name, None, m, S.file_types[MANIFEST], lenient, report)
    pkg.manifest = m


def _validated(file: str, label: str | None, obj: dict, sid: str, lenient: bool, report: Report) -> dict:
    """`obj` if valid; lenient: with unknown fields dropped (a warning each). Anything else is an error."""
    S = schemas()
    errs = S.errors(sid, obj)
    if not errs:
        return obj
    extras = [x for e in errs for x in unknown_fields(e)]
    if extras:
        if lenient:
            fixed = copy.deepcopy(obj)
            for where, fields in extras:
                target = fixed
                for p in where:
                    target = target[p]
                for f in fields:
                    target.pop(f, None)
            if not S.errors(sid, fixed):
                for where, fields in extras:
                    report.warn(
                        file,
                        label,
                        json_path(where),
                        f"unknown field(s) {', '.join(fields)} dropped",
                        "MB-OCF-UNKNOWN-FIELD",
                    )
                return fixed
        elif errs[0].validator == "additionalProperties":
            where, fields = extras[0]
            report.fatal(
                file,
                label,
                json_path(where),
                f"unknown field(s) {', '.join(fields)} (--lenient drops them)",
                "MB-OCF-UNKNOWN-FIELD",
            )
    where, text = message(errs[0])
    report.fatal(file, label, where, text)
    return obj  # pragma: no cover - fatal raised


def _read_file(
    rel: str, data: bytes, file_type: str, lenient: bool, report: Report, S, deferred: Deferred | None = None
) -> list[Item]:
    doc = _json(rel, data, report)
    if not isinstance(doc, dict) or doc.get("file_type") != file_type:
        got = doc.get("file_type") if isinstance(doc, dict) else type(doc).__name__
        report.fatal(
            rel, None, "$.file_type", f"is {got!r}; the manifest lists it as {file_type}", "MB-OCF-FILE"
        )
    if not isinstance(doc.get("items"), list):
        report.fatal(rel, None, "$.items", "must be an array of objects")
    other = sorted(set(doc) - {"file_type", "items"})
    if other:
        text = f"unknown field(s) {', '.join(other)}"
        if lenient:
            report.warn(rel, None, "$", text + " ignored", "MB-OCF-UNKNOWN-FIELD")
        else:
            report.error(rel, None, "$", text + " (--lenient ignores them)", "MB-OCF-UNKNOWN-FIELD")
    allowed = _OBJECT_FILE.get(file_type)
    fast = {  # the object types this file may hold, each with its compiled check
        ot: S.fast(sid)
        for ot, sid in S.object_types.items()
        if ot not in S.deprecated and (ot in allowed if allowed else ot.startswith(("TX_", "CE_")))
    }
    out = []
    if deferred is not None and len(doc["items"]) >= deferred.FROM:
        deferred.files.append((fast, doc["items"]))
        passes = _passes  # the item's schema check: left to `deferred`
    else:
        passes = _check
    for i, item in enumerate(doc["items"]):
        if type(item) is dict:  # the common case: a valid item of a type this file holds
            check = fast.get(item.get("object_type"))
            oid = item.get("id")
            if check is not None and type(oid) is str and oid and passes(check, item):
                out.append(Item(rel, i, item))
                continue
        where = f"$.items[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item.get("id"):
            report.error(rel, f"#{i}", where, "an object needs a non-empty string id")
            continue
        ot = item.get("object_type")
        label = f"{ot} {item['id']}"
        if not isinstance(ot, str):
            report.error(rel, label, where + ".object_type", "missing or not a string")
            continue
        if allowed and ot not in allowed or not allowed and not ot.startswith(("TX_", "CE_")):
            report.error(
                rel, label, where + ".object_type", f"{ot} does not belong in a {file_type}", "MB-OCF-FILE"
            )
            continue
        if ot in S.deprecated:
            if not lenient:
                report.error(
                    rel,
                    label,
                    where + ".object_type",
                    f"deprecated alias of {S.deprecated[ot]} (--lenient reads it)",
                    "MB-OCF-DEPRECATED-TYPE",
                )
                continue
            report.warn(
                rel,
                label,
                where + ".object_type",
                f"deprecated: read as {S.deprecated[ot]}",
                "MB-OCF-DEPRECATED-TYPE",
            )
            item = {**item, "object_type": S.deprecated[ot]}
            label = f"{item['object_type']} {item['id']}"
        sid = S.object_schema(item["object_type"])
        if sid is None:
            if not lenient:
                report.error(
                    rel,
                    label,
                    where + ".object_type",
                    f"{ot} is not an OCF {OCF_VERSION} object type (--lenient keeps it)",
                    "MB-OCF-UNKNOWN-TYPE",
                )
                continue
            report.warn(
                rel,
                label,
                where,
                f"{ot} is not an OCF {OCF_VERSION} object type: kept as it is, not applied",
                "MB-OCF-UNKNOWN-TYPE",
            )
            out.append(Item(rel, i, item, known=False))
            continue
        try:
            out.append(Item(rel, i, _validated(rel, label, item, sid, lenient, report)))
        except Stop:
            continue
    return out


def _check(check, item: dict) -> bool:
    return check(item)


def _passes(check, item: dict) -> bool:
    return True


class Deferred:
    """The schema checks of a large package's items, run beside the reading (`book.parallel`: a forked child on the
    other core) while the caller goes on with the package as if they pass. `start()` once the package is read;
    `failed()` answers whether any item failed its check — then the caller reads the package again without deferring,
    and meets each failure as a serial read does (same report, same refusal). Nothing it defers is skipped."""

    FROM = 20_000  # items: a smaller file is checked as it is read

    def __init__(self) -> None:
        self.files: list[tuple[dict, list]] = []  # (the checks by object type, the file's items)
        self._answer = None
        self._failed: bool | None = None

    def start(self) -> None:
        if self.files:
            self._answer = beside(self._any_fails)

    def failed(self) -> bool:
        if self._failed is None:
            self._failed = self._answer() if self._answer is not None else self._any_fails()
            # answered: let go of the items and of the answer (which holds this object: a cycle that would keep the
            # package's parsed items alive until the collector walked them all)
            self.files, self._answer = [], None
        return self._failed

    def _any_fails(self) -> bool:
        for fast, items in self.files:
            for item in items:  # the items the reading took as passing: the others it checked itself
                if type(item) is dict:
                    check = fast.get(item.get("object_type"))
                    oid = item.get("id")
                    if check is not None and type(oid) is str and oid and not check(item):
                        return True
        return False


def _check_ids(pkg: Package, report: Report) -> None:
    """`id` is unique per object type (OCF's identifier rule)."""
    seen: dict[tuple[str, str], str] = {}
    for items in pkg.items.values():
        for it in items:
            key = (it.type, it.id)
            if key in seen:
                report.error(
                    it.file,
                    it.label,
                    f"$.items[{it.index}].id",
                    f"id also used by another {it.type} in {seen[key]}",
                    "MB-OCF-DUPLICATE-ID",
                )
            else:
                seen[key] = it.file
