"""The reader's entry points (`read`, `read_text`, `read_texts`), exported by the package `minutebook.ingest`: the
stages in order on each file, the documents assembled into one charter with the findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core.charter import Charter
from ..core.errors import InputError, MinutebookError
from ..core.findings import Finding, sort_key, warning
from . import build, defects, load
from .classify import entity_not_corporation
from .clean import clean
from .formats import parts
from .normalize import normalize
from .parse import DocRead, read_document
from .result import ReadResult
from .segment import segment
from .textmap import SourceFile


def read(paths: Sequence[str | Path], max_bytes: int = load.MAX_BYTES) -> ReadResult:
    """Read charter documents from files; a file that cannot be read is recorded in `errors`."""
    docs: list[DocRead] = []
    errors: list[str] = []
    for p in paths:
        name = str(p)
        try:
            text = load.load_text(p, max_bytes)
            found = _documents(SourceFile(name, text), len(docs))
            if not found:
                raise InputError(f"{name}: no charter document found in the file")
            docs.extend(found)
        except MinutebookError as e:
            errors.append(str(e).splitlines()[0] if str(e) else f"{name}: cannot be read")
    return _assemble(docs, errors, tuple(str(p) for p in paths))


def read_text(text: str, path: str = "<text>") -> ReadResult:
    """Read charter documents from a string. Raises `InputError` when it holds no charter."""
    if not text.strip():
        raise InputError(f"{path}: empty text")
    if "\x00" in text:
        raise InputError(f"{path}: binary data, not text")
    text = load.newlines(text)
    docs = _documents(SourceFile(path, text), 0)
    if not docs:
        raise InputError(f"{path}: no charter document found in the text")
    return _assemble(docs, [], (path,))


def read_texts(items: Sequence[tuple[str, str]]) -> ReadResult:
    """Read several named texts together (a book's stored documents), as `read` reads files."""
    docs: list[DocRead] = []
    errors: list[str] = []
    for name, text in items:
        text = load.newlines(text)
        found = _documents(SourceFile(name, text), len(docs))
        if not found:
            errors.append(f"{name}: no charter document found in the text")
        docs.extend(found)
    return _assemble(docs, errors, tuple(n for n, _ in items))


# More documents than any one filing holds (a minute book's whole history is tens): past this, a file is noise
# or many filings pasted together, and each further amendment would cost a copy of the charter.
MAX_DOCUMENTS = 200


def _documents(file: SourceFile, offset: int) -> list[DocRead]:
    out: list[DocRead] = []
    for sec_type, part in parts(file):
        mt = normalize(clean(part))
        segs = segment(mt)
        room = MAX_DOCUMENTS - len(out)
        for seg in segs[:room]:
            n = offset + len(out) + 1
            out.append(read_document(mt, seg, f"d{n}", n, sec_type))
        if len(segs) > room:
            first = segs[room]
            out[-1].findings.append(
                warning(
                    "MB-TOO-MANY-DOCUMENTS",
                    f"the file holds more than {MAX_DOCUMENTS} documents: the first {MAX_DOCUMENTS} are read; this "
                    "one and those after it are not (split the file)",
                    mt.ref(first.start, max(first.title_end, first.start + 1)),
                )
            )
            break
    charter_kinds = {"incorporation", "amendment", "restated", "designations", "articles"}
    if not any(d.kind in charter_kinds for d in out):
        entity = next(
            (e for d in out if (e := entity_not_corporation(d.title.upper(), d.mt.text[:6000]))), None
        ) or entity_not_corporation("", file.text[:6000])
        if entity:
            raise InputError(
                f"{file.path}: the document is {entity}'s, not a corporation's charter: out of minutebook's scope"
            )
        return []
    return out


def _assemble(docs: list[DocRead], errors: list[str], paths: tuple[str, ...]) -> ReadResult:
    findings: list[Finding] = []
    for d in docs:
        findings.extend(d.findings)
    kept, dup = build.merge_duplicates(docs)
    findings.extend(dup)
    base = next((d for d in build.order(kept) if d.kind in ("incorporation", "articles")), None)
    for d in kept:
        findings.extend(defects.misspellings(d))
        findings.extend(defects.copy_figures(d))
        if d.jurisdiction not in (None, "Delaware") and d.kind != "other":
            findings.append(defects.not_delaware(d))
        if d.kind == "amendment" and d.statute == "241":
            findings.extend(defects.check_241(d, base))
    versions, vf = build.build_versions(kept)
    findings.extend(vf)
    findings = _dedupe(findings)
    charter = Charter(tuple(versions), tuple(d.to_document() for d in kept))
    current = versions[-1] if versions else None
    name = _display_name(current.name if current else None, kept)
    juris = next(
        (
            d.jurisdiction
            for d in build.order(kept)
            if d.kind in ("incorporation", "articles", "restated") and d.jurisdiction
        ),
        None,
    ) or next((d.jurisdiction for d in kept if d.jurisdiction), None)
    return ReadResult(name, juris, charter.documents, charter, tuple(findings), tuple(errors), paths)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in findings:
        key = (f.code, f.source.path if f.source else None, f.source.start if f.source else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return sorted(out, key=sort_key)


def _display_name(name: str | None, docs: list[DocRead]) -> str | None:
    """The name as the charter states it; where every document prints it in capitals, a mixed-case
    rendering from another document's title block is preferred."""
    if name is None:
        name = next((d.name[0] for d in docs if d.name), None) or next(
            (d.title_name for d in docs if d.title_name), None
        )
    if name and name.isupper():
        for d in docs:
            for cand in (d.title_name, d.name[0] if d.name else None):
                if cand and cand.lower() == name.lower() and not cand.isupper():
                    return cand
    return name
