"""The Python API of `render`: the kinds there are, a paper drawn from the book, written to a file and recorded.

    from minutebook.render import kinds, paper, draw
    p = paper(book, "meeting-notice", act="M-1999")
    r = draw(book, "meeting-minutes", act="M-1999", fmt="pdf", out="minutes.pdf")   # written and recorded
    r.sha256

`draw` records a `DocumentDrawn` event (kind, act, format, file name, SHA-256) through the book's one append
path, so a signed copy can later be matched to what was drawn (`drawn`, `match`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from ..core.errors import InputError
from ..core.events import DocumentDrawn, Event
from . import papers
from .output import Rendered, render


def kinds() -> list[papers.Kind]:
    """Every document kind, grouped as `doc list` shows them."""
    order = ("board", "stockholders", "filings", "stock", "cure", "tax")
    return sorted(
        papers.KINDS.values(), key=lambda k: (order.index(k.group) if k.group in order else 9, k.name)
    )


def paper(book, kind: str, act: str | None = None, as_of: date | None = None) -> papers.Paper:
    """The paper of `kind` for `act` (an id, or "event N") and/or `as_of`, filled from the book."""
    return papers.build(book, kind, act, as_of)


def draw(
    book,
    kind: str,
    act: str | None = None,
    as_of: date | None = None,
    fmt: str = "pdf",
    out: str | Path | None = None,
    record: bool = True,
    on: date | None = None,
    actor: str | None = None,
) -> Rendered:
    """Render a paper; write it to `out` (when given) and record that it was drawn (when `record`)."""
    r = render(paper(book, kind, act, as_of), fmt)
    if out is not None:
        write(r, Path(out))
    if record:
        note(book, r, on=on, actor=actor)
    return r


def write(r: Rendered, path: Path) -> Path:
    """Write the bytes to `path` (its folder made); an `InputError` naming the path when it cannot be."""
    try:
        if path.exists() and path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name (-o FILE)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(r.data)
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
    return path


def note(book, r: Rendered, on: date | None = None, actor: str | None = None):
    """Record in the book that `r` was drawn (a `DocumentDrawn` event dated `on`, default today)."""
    p = r.paper
    body = DocumentDrawn(p.kind, r.sha256, r.format, r.name, p.act, p.as_of)
    return book.record(body, on or date.today(), actor=actor)


def drawn(book) -> list[Event]:
    """Every paper the book records as drawn, in the order drawn (read by type from the store: a large book's other
    events are not read)."""
    return sorted(book.history().events(types=(DocumentDrawn.TYPE,)), key=lambda e: e.seq)


def match(book, data: bytes) -> list[Event]:
    """The drawn papers whose bytes are exactly `data` (a file compared with what was drawn)."""
    digest = hashlib.sha256(data).hexdigest()
    return [e for e in drawn(book) if e.body.sha256 == digest]
