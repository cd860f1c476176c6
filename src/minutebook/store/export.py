"""The book as files, the format: `write_export` writes a corporation's whole record as readable, diffable
YAML plus its source documents; `read_export` reads such a directory back and checks it (the book's
`export_book` and `import_book` are built on them). Export → import → export gives the same files, byte for
byte.

    book.yaml                       the corporation (slug, name), the chain head, the documents, the format
    events/000001-Incorporated.yaml one file per event: seq, type, effective_on, bound, recorded_at, actor,
    events/000002-...                 payload (as stored: Decimals and dates as strings), source, prev_hash, hash
    documents/<name>                the source documents, byte for byte as stored
    documents/SHA256SUMS            `sha256sum -c` format

`read_export` checks everything, so the import can check it before it writes anything: each document
against SHA256SUMS, each event's hash against its content and the event before it, the chain against the
head in book.yaml, and each event, read back as an `Event`, against its hash as the log will chain it
again (its sequence and recorded-at kept). A refusal is a one-line `InputError` naming the file. The
import restores a record; it does not re-apply the ledger rules (a historical book keeps its reported
defects, as it did before the export).

YAML: PyYAML's safe dumper (libyaml's emitter when present, else PyYAML's own; a test holds their bytes
equal on the exports it makes), keys sorted, block style, multi-line strings as literal blocks; a string
that would read back as another type (`'on'`, `'2021-01-01'`, `'yes'`) is quoted. The loader reads no
timestamps and only true/false as booleans, so dates stay strings and a hand-edited `on` stays a string.
Every file written is read back and compared before the export is done.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from ..core.errors import InputError, MinutebookError
from ..core.events import Event, body_from_payload
from . import db, log
from .schema import corporations, events

FORMAT = "minutebook-book"
FORMAT_VERSION = 1
BOOK_FILE = "book.yaml"
EVENTS_DIR = "events"
DOCUMENTS_DIR = "documents"
SUMS_FILE = "SHA256SUMS"
SEQ_WIDTH = 6  # events/000001-…; wider (and so renamed) only once a book passes 999,999 events

EVENT_KEYS = log.EVENT_COLUMNS[1:]  # an event file's keys: the events table's columns but the corporation


# --- YAML ---------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, sorted keys, literal blocks for multi-line strings; never aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    if "\n" in s:
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s)


_Dumper.add_representer(str, _represent_str)

if getattr(yaml, "__with_libyaml__", False):  # the same bytes, ~20x faster (a test holds them equal)

    class _CDumper(yaml.CSafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    _CDumper.add_representer(str, _represent_str)
    _FAST_DUMPER: type = _CDumper
else:  # pragma: no cover - PyYAML built without libyaml
    _FAST_DUMPER = _Dumper

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without timestamps and with YAML 1.2 booleans (true/false only)."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def dump_yaml(obj: Any, *, pure: bool = False) -> bytes:
    """`obj` (JSON-compatible: dict, list, str, int, bool, None) as YAML, the same bytes every time: with
    libyaml's emitter when PyYAML has it, else (or with `pure`) PyYAML's own, which writes the same."""
    text = yaml.dump(
        obj,
        Dumper=_Dumper if pure else _FAST_DUMPER,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
        line_break="\n",
    )
    return text.encode("utf-8")


def load_yaml(data: bytes, name: str) -> Any:
    try:
        return yaml.load(data.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        at = f" (line {where.line + 1})" if where is not None else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(f"{name}: not valid YAML{at}: {what}") from None


# --- export -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doc:
    file: str
    name: str
    sha256: str
    content: bytes


def _safe_name(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return s or "document"


def _doc_files(rows) -> list[_Doc]:
    """File names for the documents, unique (also on case-insensitive file systems) and deterministic."""
    out: list[_Doc] = []
    used = {SUMS_FILE.lower()}
    for r in rows:
        base = _safe_name(r.name)
        file = base
        if file.lower() in used:
            p = Path(base)
            file = f"{p.stem}-{r.sha256[:12]}{p.suffix}"
            n = 2
            while file.lower() in used:
                file, n = f"{p.stem}-{r.sha256[:12]}-{n}{p.suffix}", n + 1
        used.add(file.lower())
        out.append(_Doc(file, r.name, r.sha256, r.content.encode("utf-8")))
    return out


def event_file(seq: int, type_: str, width: int = SEQ_WIDTH) -> str:
    return f"{seq:0{width}d}-{type_}.yaml"


def _event_doc(row) -> dict:
    return {
        "seq": row.seq,
        "type": row.type,
        "effective_on": row.effective_on,
        "bound": row.bound,
        "recorded_at": row.recorded_at,
        "actor": row.actor,
        "payload": _json_or_text(row.payload),
        "source": _json_or_text(row.source) if row.source else None,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def _json_or_text(s: str) -> Any:
    """Stored JSON as values; a damaged (non-JSON) column as its text, for an export with check=False."""
    try:
        return json.loads(s)
    except ValueError:
        return s


def _prepare_dir(out_dir: Path, slug: str) -> None:
    """`out_dir` must be new, empty, or an earlier export of this corporation (whose files are replaced)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: exists and is not a directory")
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    book_file = out_dir / BOOK_FILE
    if not book_file.is_file():
        raise InputError(f"{out_dir}: not empty and not a minutebook export (no {BOOK_FILE}); pick another")
    meta = load_yaml(book_file.read_bytes(), str(book_file))
    corp = meta.get("corporation") if isinstance(meta, dict) else None
    other = corp.get("slug") if isinstance(corp, dict) else None
    if other != slug:
        raise InputError(f"{out_dir}: holds the export of {other!r}, not {slug!r}; pick another directory")


def _remove_stale(folder: Path, keep: set[str]) -> None:
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name not in keep and p.is_file():
                p.unlink()


def write_export(engine: sa.Engine, corp_id: int, out_dir: Path, *, check: bool = True) -> list[Path]:
    """Write the corporation's record to `out_dir`; the paths written, book.yaml first.

    `out_dir` may be new, empty, or an earlier export of the same corporation (refreshed in place, so a
    version-controlled export diffs event by event). With `check` (the default) a record whose chain or
    documents no longer match their hashes is refused, as the import would refuse the files."""
    with db.read(engine) as conn:
        corp = conn.execute(sa.select(corporations).where(corporations.c.id == corp_id)).one()
        docs = _doc_files(log.documents_of(conn, corp_id))
        _prepare_dir(out_dir, corp.slug)
        if check:  # before anything is written, so a refused export leaves the folder as it was
            for d in docs:
                if hashlib.sha256(d.content).hexdigest() != d.sha256:
                    raise InputError(
                        f"document {d.name!r}: its content no longer matches its recorded sha256; "
                        "run `minutebook verify` (export with check=False to write it anyway)"
                    )
            _check_chain(conn, corp_id, corp.slug)
        width = max(SEQ_WIDTH, len(str(corp.head_seq)))
        (out_dir / EVENTS_DIR).mkdir(parents=True, exist_ok=True)
        (out_dir / DOCUMENTS_DIR).mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "corporation": {"slug": corp.slug, "name": corp.name},
            "head": {"seq": corp.head_seq, "hash": corp.head_hash},
            "documents": [{"file": d.file, "name": d.name, "sha256": d.sha256} for d in docs],
        }
        written.append(_write(out_dir / BOOK_FILE, dump_yaml(meta), meta))
        for d in docs:
            path = out_dir / DOCUMENTS_DIR / d.file
            path.write_bytes(d.content)
            written.append(path)
        sums = "".join(f"{d.sha256}  {d.file}\n" for d in docs).encode("utf-8")
        (out_dir / DOCUMENTS_DIR / SUMS_FILE).write_bytes(sums)
        written.append(out_dir / DOCUMENTS_DIR / SUMS_FILE)
        _remove_stale(out_dir / DOCUMENTS_DIR, {d.file for d in docs} | {SUMS_FILE})

        names: set[str] = set()
        rows = conn.execute(
            sa.select(events).where(events.c.corporation_id == corp_id).order_by(events.c.seq)
        )
        for row in rows:
            doc = _event_doc(row)
            name = event_file(row.seq, row.type, width)
            names.add(name)
            written.append(_write(out_dir / EVENTS_DIR / name, dump_yaml(doc), doc))
        _remove_stale(out_dir / EVENTS_DIR, names)
    return written


def _check_chain(conn: sa.Connection, corp_id: int, slug: str) -> None:
    prev, expected = log.GENESIS, 1
    for row in conn.execute(
        sa.select(events).where(events.c.corporation_id == corp_id).order_by(events.c.seq)
    ):
        if row.seq != expected or row.prev_hash != prev or log.row_hash(slug, row._mapping) != row.hash:
            raise InputError(
                f"event {row.seq}: the chain no longer matches its hashes; run `minutebook verify` "
                "(export with check=False to write it anyway)"
            )
        prev, expected = row.hash, expected + 1


def _write(path: Path, data: bytes, obj: Any) -> Path:
    if load_yaml(data, str(path)) != obj:  # pragma: no cover - a guard on the dumper
        raise MinutebookError(f"{path}: the YAML written does not read back as the same values")
    path.write_bytes(data)
    return path


# --- import -------------------------------------------------------------------------------------------------


def _rel(in_dir: Path, p: Path) -> str:
    try:
        return str(p.relative_to(in_dir))
    except ValueError:  # pragma: no cover
        return str(p)


def _read_book(in_dir: Path) -> dict:
    if not in_dir.is_dir():
        raise InputError(f"{in_dir}: not a directory")
    path = in_dir / BOOK_FILE
    if not path.is_file():
        raise InputError(f"{in_dir}: not a minutebook export (no {BOOK_FILE})")
    meta = load_yaml(path.read_bytes(), str(path))
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise InputError(f"{path}: not a minutebook export (format is not {FORMAT!r})")
    v = meta.get("format_version")
    if not isinstance(v, int) or isinstance(v, bool):
        raise InputError(f"{path}: format_version must be a whole number, not {v!r}")
    if v > FORMAT_VERSION:
        raise InputError(f"{path}: format version {v} is newer than this minutebook ({FORMAT_VERSION})")
    corp, head, docs = meta.get("corporation"), meta.get("head"), meta.get("documents")
    if not isinstance(corp, dict) or not _str(corp.get("slug")) or not _str(corp.get("name")):
        raise InputError(f"{path}: corporation must have a slug and a name")
    if not isinstance(head, dict) or not _int(head.get("seq")) or not _str(head.get("hash")):
        raise InputError(f"{path}: head must have a seq and a hash")
    if not isinstance(docs, list) or not all(
        isinstance(d, dict) and _str(d.get("file")) and _str(d.get("name")) and _str(d.get("sha256"))
        for d in docs
    ):
        raise InputError(f"{path}: documents must be a list of file, name and sha256")
    return meta


def _str(v: Any) -> bool:
    return isinstance(v, str) and bool(v)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _read_documents(in_dir: Path, listed: list[dict]) -> list[_Doc]:
    folder = in_dir / DOCUMENTS_DIR
    sums_path = folder / SUMS_FILE
    if not sums_path.is_file():
        raise InputError(f"{_rel(in_dir, sums_path)}: missing")
    sums: dict[str, str] = {}
    for i, line in enumerate(sums_path.read_bytes().decode("utf-8", errors="replace").splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not m:
            raise InputError(f"{_rel(in_dir, sums_path)}: line {i} is not '<sha256>  <file>'")
        sums[m.group(2)] = m.group(1)
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != SUMS_FILE}
    extra = sorted(present - set(sums))
    if extra:
        raise InputError(f"{DOCUMENTS_DIR}/{extra[0]}: not listed in {DOCUMENTS_DIR}/{SUMS_FILE}")
    out = []
    for d in listed:
        file, rel = d["file"], f"{DOCUMENTS_DIR}/{d['file']}"
        if "/" in file or "\\" in file or file in (".", "..", SUMS_FILE):
            raise InputError(f"{BOOK_FILE}: document file name {file!r} is not a plain file name")
        if file not in sums:
            raise InputError(f"{rel}: not listed in {DOCUMENTS_DIR}/{SUMS_FILE}")
        if file not in present:
            raise InputError(f"{rel}: missing")
        data = (folder / file).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != sums[file]:
            raise InputError(f"{rel}: its sha256 {sha[:12]}… does not match {SUMS_FILE} ({sums[file][:12]}…)")
        if sha != d["sha256"]:
            raise InputError(
                f"{rel}: its sha256 {sha[:12]}… does not match {BOOK_FILE} ({d['sha256'][:12]}…)"
            )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{rel}: not UTF-8 text") from None
        out.append(_Doc(file, d["name"], sha, data))
    unlisted = sorted(set(sums) - {d["file"] for d in listed})
    if unlisted:
        raise InputError(f"{DOCUMENTS_DIR}/{unlisted[0]}: listed in {SUMS_FILE} but not in {BOOK_FILE}")
    return out


_FIELD_TYPES = {
    "seq": _int,
    "type": _str,
    "effective_on": _str,
    "bound": _str,
    "recorded_at": _str,
    "prev_hash": _str,
    "hash": _str,
}


def _read_events(in_dir: Path, slug: str) -> Iterator[tuple[str, dict]]:
    """The exported events in order of sequence, each checked against its hash, its file name and the
    event before it."""
    folder = in_dir / EVENTS_DIR
    if not folder.is_dir():
        raise InputError(f"{in_dir}: not a minutebook export (no {EVENTS_DIR}/)")
    files = sorted(p.name for p in folder.iterdir())
    for name in files:
        if not (folder / name).is_file():
            raise InputError(f"{EVENTS_DIR}/{name}: not an event file")
    width = len(files[-1].split("-", 1)[0]) if files else SEQ_WIDTH
    prev = log.GENESIS
    for expected, name in enumerate(files, 1):
        rel = f"{EVENTS_DIR}/{name}"
        doc = load_yaml((folder / name).read_bytes(), rel)
        if not isinstance(doc, dict) or set(doc) != set(EVENT_KEYS):
            have = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
            raise InputError(
                f"{rel}: an event needs exactly the keys {', '.join(EVENT_KEYS)} (it has {have})"
            )
        for key, ok in _FIELD_TYPES.items():
            if not ok(doc[key]):
                raise InputError(f"{rel}: {key}: {doc[key]!r} is not valid")
        if doc["actor"] is not None and not isinstance(doc["actor"], str):
            raise InputError(f"{rel}: actor: {doc['actor']!r} is not text")
        if not isinstance(doc["payload"], dict) or not (
            doc["source"] is None or isinstance(doc["source"], dict)
        ):
            raise InputError(f"{rel}: payload must be a mapping, source a mapping or null")
        if doc["seq"] != expected:
            what = "missing" if doc["seq"] > expected else "repeated or out of order"
            raise InputError(
                f"{rel}: holds event {doc['seq']} where event {expected} belongs (an event is {what})"
            )
        if name != event_file(doc["seq"], doc["type"], width):
            raise InputError(f"{rel}: the file name does not match its event ({doc['seq']}, {doc['type']})")
        try:
            row = _row(doc)
        except (TypeError, ValueError) as e:
            raise InputError(f"{rel}: payload or source is not plain data: {e}") from None
        if log.row_hash(slug, row) != doc["hash"]:
            raise InputError(f"{rel}: its content does not match its hash (the event was edited)")
        if doc["prev_hash"] != prev:
            raise InputError(f"{rel}: its prev_hash does not match the event before it (the chain is broken)")
        prev = doc["hash"]
        yield rel, doc


def _row(doc: dict) -> dict:
    return {
        "seq": doc["seq"],
        "type": doc["type"],
        "effective_on": doc["effective_on"],
        "bound": doc["bound"],
        "recorded_at": doc["recorded_at"],
        "actor": doc["actor"],
        "payload": log.canonical(doc["payload"]).decode(),
        "source": log.canonical(doc["source"]).decode() if doc["source"] is not None else None,
        "prev_hash": doc["prev_hash"],
    }


def _event(rel: str, doc: dict) -> Event:
    """The exported event as an `Event` (what the log appends), or a one-line refusal naming the file."""
    try:
        body = body_from_payload(doc["type"], doc["payload"])
        src = log._source_from(doc["source"]) if doc["source"] is not None else None
        return Event(
            body,
            date.fromisoformat(doc["effective_on"]),
            doc["bound"],
            doc["actor"],
            src,
            doc["seq"],
            datetime.fromisoformat(doc["recorded_at"]),
        )
    except (TypeError, ValueError, KeyError) as e:
        raise InputError(f"{rel}: does not read as a {doc['type']} event: {e}") from None


@dataclass(frozen=True, slots=True)
class Export:
    """An export read back and checked: the corporation, its documents (name, text) and its events."""

    slug: str
    name: str
    documents: list[tuple[str, str]]
    events: list[Event]


def read_export(in_dir: str | Path) -> Export:
    """Read and check an export (see the module's docstring); nothing is written."""
    in_dir = Path(in_dir)
    meta = _read_book(in_dir)
    slug, name = meta["corporation"]["slug"], meta["corporation"]["name"]
    docs = _read_documents(in_dir, meta["documents"])
    exported = list(_read_events(in_dir, slug))
    head_seq, head_hash = meta["head"]["seq"], meta["head"]["hash"]
    last_seq = exported[-1][1]["seq"] if exported else 0
    last_hash = exported[-1][1]["hash"] if exported else log.GENESIS
    if (last_seq, last_hash) != (head_seq, head_hash):
        raise InputError(
            f"{BOOK_FILE}: the head is event {head_seq} but {EVENTS_DIR}/ ends at event {last_seq} "
            "(event files were deleted or added)"
        )
    evs = [_event(rel, doc) for rel, doc in exported]
    for (rel, doc), e in zip(exported, evs, strict=True):
        h = log.to_row(e, doc["seq"], log.kept_stamp(e), doc["prev_hash"], slug)["hash"]
        if h != doc["hash"]:
            raise InputError(
                f"{rel}: appended again it hashes to {h[:12]}…, not the exported {doc['hash'][:12]}… "
                "(its payload or recorded_at does not read back exactly)"
            )
    return Export(slug, name, [(d.name, d.content.decode("utf-8")) for d in docs], evs)


__all__ = ["write_export", "read_export", "Export", "dump_yaml", "load_yaml", "FORMAT_VERSION"]
