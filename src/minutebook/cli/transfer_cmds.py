"""`minutebook export DIR` and `minutebook import DIR`: the whole book as readable, diffable files
(YAML events and the source documents with their hashes), and back into a database."""

from __future__ import annotations

from pathlib import Path

import typer

from ..core.errors import MinutebookError
from . import book_common as bc
from .common import fail, refuse


def export_cmd(
    out_dir: str = typer.Argument(
        ..., metavar="DIR", help="Folder to write (new, empty, or an earlier export)."
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Write the whole book as readable, diffable files: book.yaml, events/*.yaml, documents/ with SHA256SUMS.

    Example: minutebook export book/
    """
    from ..book import export_book

    b = bc.open_book(db, corp)
    try:
        files = export_book(b, Path(out_dir))
    except MinutebookError as e:
        raise fail(str(e)) from None
    bc.say(f"exported {b.slug}: {b.count} events, {len(files)} files in {out_dir}", "green")


def import_cmd(
    in_dir: str = typer.Argument(..., metavar="DIR", help="A folder written by `minutebook export`."),
    db: str = bc.db_option(),
) -> None:
    """Read an exported book into a database that does not hold that corporation yet; every hash is checked.

    Example: minutebook import book/ --db copy.db
    """
    from ..book import import_book

    if not Path(in_dir).is_dir():
        raise fail(f"{in_dir}: no such folder")
    try:
        b = import_book(db, Path(in_dir))
    except MinutebookError as e:
        raise refuse(e) from None
    problems = b.verify()
    if problems:
        raise fail(f"imported {b.slug} but verify reports: {problems[0]}", 1)
    bc.say(f"imported {b.slug}: {b.count} events; chain intact", "green")
    from .proof_cmds import announce_key

    announce_key(b)  # the book's signing key (issue 17)


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
