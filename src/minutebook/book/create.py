"""Where a book comes from: `open_book` opens a corporation's book in a database; `create` makes a new one
from its charter documents as the reader read them (`charter_events`: incorporation, then one amendment per
later version); `new_corporation` writes any new corporation, with its documents and its events, in one
transaction through the append path (the importers' way in: an export, an OCF package, a scratch copy).

Every new book gets its signing key in the same transaction (`book.keys`): the private key written to the key
folder, the public key recorded; `Created.key` and `Book.public_key()` give it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ..core.codec import version_to_dict
from ..core.errors import InputError, NotFoundError
from ..core.events import Body, CharterAmended, Event, Incorporated
from ..store import db, log
from ..store.schema import corporations
from . import keys, snapshot
from .append import Appended, append
from .checkpoints import Checkpoints
from .facade import Book
from .history import History


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "corporation"


def corporations_in(engine: sa.Engine) -> list[tuple[int, str, str]]:
    with db.read(engine) as conn:
        return [
            (r.id, r.slug, r.name) for r in conn.execute(sa.select(corporations).order_by(corporations.c.id))
        ]


def open_book(db_url: str | None = None, corp: str | None = None, *, actor: str | None = None) -> Book:
    """The book of corporation `corp` (its slug or name; the only one when None) in database `db_url`;
    `actor`: who its acts are recorded as done by (an act may name another). An empty SQLite file is refused
    (`store.db.DatabaseFileError`), untouched."""
    engine, url, cid, slug = _locate(db_url, corp)
    return Book(engine, url, cid, slug, actor)


def open_record(db_url: str | None = None, corp: str | None = None) -> Checkpoints:
    """The book's key, checkpoints and proofs (`Book.checkpoint`, `proof`, ... under the same names) without
    reading its log into memory: what `minutebook checkpoint` and `proof` use on a large book."""
    engine, url, cid, slug = _locate(db_url, corp)
    return Checkpoints(engine, url, cid, slug)


def open_history(db_url: str | None = None, corp: str | None = None) -> History:
    """The book's history as a stream (`book.history`) without reading its log into memory: what `minutebook ocf
    export` reads on a large book."""
    engine, _url, cid, slug = _locate(db_url, corp)
    return History(engine, cid, slug)


def _locate(db_url: str | None, corp: str | None) -> tuple[sa.Engine, str, int, str]:
    engine, url = db.open_engine(db_url, existing=True)
    corps = corporations_in(engine)
    if not corps:
        raise NotFoundError(
            f"{db.display(url)}: no corporation yet (create one with `minutebook init --from FILE`)"
        )
    if corp is None:
        if len(corps) > 1:
            raise InputError(
                f"{db.display(url)} holds {len(corps)} corporations ({', '.join(c[1] for c in corps)}): "
                "pick one with --corp"
            )
        cid, slug, _ = corps[0]
    else:
        match = [c for c in corps if c[1] == corp or c[2].lower() == corp.lower()]
        if not match:
            raise NotFoundError(
                f"{db.display(url)}: no corporation {corp!r} (there are: {', '.join(c[1] for c in corps)})"
            )
        cid, slug, _ = match[0]
    return engine, url, cid, slug


def charter_events(read_result, until: date | None = None) -> list[Event]:
    """The events a charter history becomes: incorporation, then one amendment per later version (those
    in force from `until` or earlier, when given)."""
    out: list[Event] = []
    versions = read_result.charter.versions
    if until is not None:
        versions = tuple(v for v in versions if v.effective_on is None or v.effective_on <= until)
    for i, v in enumerate(versions):
        if v.effective_on is None:
            raise InputError(
                f"charter version {i + 1} ({v.document_kind}) has no date: cannot place it in the book"
            )
        bound = "on_or_after" if v.date_basis == "executed" else "on"
        data = version_to_dict(v)
        src = v.sources[0] if v.sources else None
        if src is not None:  # named as the book stores the file (`create`), wherever it was read from
            src = replace(src, path=Path(src.path).name)
        if i == 0:
            shown = read_result.corporation
            if shown and v.name and shown.lower() != v.name.lower():
                shown = v.name
            signers = tuple(
                s.name
                for d in read_result.charter.documents
                if d.kind == "incorporation"
                for s in d.signatories
                if "incorporator" in (s.capacity or "").lower()
            )
            body: Body = Incorporated(
                shown or v.name or "",
                v.jurisdiction or read_result.jurisdiction,
                data,
                tuple(dict.fromkeys(signers)),
            )
        else:
            body = CharterAmended(data, v.document_kind, v.statute)
        out.append(Event(body, v.effective_on, bound, "minutebook read", src))
    return out


def create(
    db_url: str | None,
    read_result,
    files: list[str | Path],
    slug: str | None = None,
    until: date | None = None,
    key_dir: str | Path | None = None,
) -> Book:
    """A new corporation from its charter documents (already read); refuses a slug already in use. Its key is
    written to `key_dir` (default: `book.keys.key_dir`)."""
    engine, url = db.open_engine(db_url)
    evs = charter_events(read_result, until)
    if not evs:
        raise InputError("no charter version to create the corporation from")
    name = evs[0].body.name or "corporation"
    slug = slug or slugify(name)
    # the text the reader read (a PDF's, a .docx's, a scan's OCR), so `check` reads it again line for line
    from ..ingest.load import load_text  # the reader: for a new book alone, not every command's start

    docs = [(Path(f).name, load_text(f)) for f in files]
    taken = "; use --corp to name the new one differently"
    return _write(engine, url, slug, name, docs, anchored(evs, docs), taken=taken, key_dir=key_dir).book()


def anchored(
    events: Sequence[Event], documents: Iterable[tuple[str, str]], first_only: bool = False
) -> list[Event]:
    """The events, each one read from a stored document (its source's path or document id is the document's name)
    recording that document's SHA-256 in its source: the log then vouches for the document's bytes (`verify`).
    `first_only`: only the first event read from each document records it (a large import, where thousands of
    events cite one file: one record is enough)."""
    sha = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in documents}
    out, done = [], set()
    for e in events:
        src = e.source
        name = None if src is None else next((n for n in (src.path, src.document_id) if n in sha), None)
        if name is not None and not (first_only and name in done):
            e = replace(e, source=replace(src, sha256=sha[name]))
            done.add(name)
        out.append(e)
    return out


@dataclass(frozen=True, slots=True)
class Created:
    """A corporation just written: where it is, and what the append path did with its events."""

    engine: sa.Engine
    url: str
    corp_id: int
    slug: str
    appended: Appended
    key: keys.BookKey | None = None  # the book's signing key (None: made without one)

    def book(self) -> Book:
        return Book(self.engine, self.url, self.corp_id, self.slug)


def new_corporation(
    db_url: str | None,
    slug: str,
    name: str,
    documents: Iterable[tuple[str, str]],
    events: Sequence[Event],
    *,
    taken: str | None = None,
    check: str | None = None,
    keep_recorded_at: bool = False,
    key_dir: str | Path | None = None,
    key: bool = True,
) -> Created:
    """A new corporation in the database `db_url` (a path or URL, as `open_book` takes) with its documents
    (name, text) and its events, written in one transaction through the append path (`check` and
    `keep_recorded_at` as `append` takes them). With `taken`, a slug already in use is refused:
    "<database> already holds '<slug>'" followed by `taken` (what to do instead). Its signing key is made in the
    same transaction, in `key_dir` (default: `book.keys.key_dir`); `key=False` makes none (a scratch copy)."""
    engine, url = db.open_engine(db_url)
    return _write(
        engine,
        url,
        slug,
        name,
        documents,
        events,
        taken=taken,
        check=check,
        keep_recorded_at=keep_recorded_at,
        key_dir=key_dir,
        key=key,
    )


def _write(
    engine: sa.Engine,
    url: str,
    slug: str,
    name: str,
    documents: Iterable[tuple[str, str]],
    events: Sequence[Event],
    *,
    taken: str | None,
    check: str | None = None,
    keep_recorded_at: bool = False,
    key_dir: str | Path | None = None,
    key: bool = True,
) -> Created:
    with db.filling(engine) if len(events) >= FILL else db.write(engine) as conn:
        refusal = None if taken is None else f"{db.display(url)} already holds {slug!r}{taken}"
        cid = log.new_corporation(conn, slug, name, refusal)
        log.add_documents(conn, cid, documents)
        done = append(conn, cid, events, check=check, keep_recorded_at=keep_recorded_at)
        made = keys.ensure(conn, url, cid, slug, key_dir) if key and _has_key_dir(url, key_dir) else None
    # the fold the history check made, the first opening's snapshot: asked for in any case (the check's child sends it)
    fold = done.fold() if done.fold is not None else None
    if fold is not None and made is not None:
        snapshot.keep_data(fold, done.events[-1].seq, engine, url=url, corp_id=cid, slug=slug)
    return Created(engine, url, cid, slug, done, made)


FILL = 10_000
"""From this many events, a new corporation written into a database that holds none yet is written under SQLite's
rollback journal (`db.filling`): a large import into a new file, whose every page the WAL would write twice."""


def _has_key_dir(url: str, key_dir: str | Path | None) -> bool:
    """Whether the book has a place for its key: any but an in-memory SQLite book without one given (it gets a
    key with `minutebook key --create --key-dir DIR`, or at its first checkpoint)."""
    return keys.key_dir(url, key_dir) is not None
