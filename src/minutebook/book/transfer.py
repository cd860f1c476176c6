"""The book moved whole: `export_book` writes it as readable, diffable files and `import_book` reads such
files into a database that does not yet hold the corporation (the format and its checks are
`store.export`'s); `scratch_copy` copies a book's events and documents into another database, to try acts on it.

An import and a copy write through the append path without checking the events again (they were checked
when first written): each event keeps its sequence and recorded-at, so the chain hashes to the same head.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import MinutebookError
from ..store.export import read_export, write_export
from .create import new_corporation
from .facade import Book


def export_book(book: Book, out_dir: str | Path, *, check: bool = True) -> list[Path]:
    """Write `book` to `out_dir`; the paths written, book.yaml first.

    `out_dir` may be new, empty, or an earlier export of the same corporation (refreshed in place, so a
    version-controlled export diffs event by event). With `check` (the default) a book whose chain or
    documents no longer match their hashes is refused, as the import would refuse the files. Refused inside
    `book.atomic()`: the files would hold acts the block may yet roll back."""
    if book._writer.in_block:
        raise MinutebookError("an export writes the book as committed: export after the `atomic()` block")
    return write_export(book.engine, book.corp_id, Path(out_dir), check=check)


def import_book(db_url: str | None, in_dir: str | Path) -> Book:
    """Read an export into the database `db_url` (a path or URL, as `open_book` takes), which must not
    already hold the corporation; the new `Book`. Everything is checked before anything is written, and
    it is written in one transaction."""
    x = read_export(in_dir)
    taken = ": import into another database"
    return new_corporation(
        db_url, x.slug, x.name, x.documents, x.events, taken=taken, keep_recorded_at=True
    ).book()


def scratch_copy(book: Book, db_url: str) -> Book:
    """A copy of `book`'s events and documents in the database `db_url`: the same record, nothing shared (no
    signing key either), for a dry run (the documents too: the events read from one record its hash, which
    `verify` holds them to)."""
    evs = list(book.log)  # the log as stored, corrections and all (the history is read from it)
    docs = [(r.name, r.content) for r in book.documents()]
    made = new_corporation(
        db_url, book.slug, book.name or book.slug, docs, evs, keep_recorded_at=True, key=False
    )
    return made.book()
