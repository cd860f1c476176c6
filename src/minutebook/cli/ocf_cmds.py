"""`minutebook ocf export|import|validate`: the book as an Open Cap Format (OCF v1.2.0) package, a package from
another system into a new corporation, and a validation report for any package."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import typer

from ..core.errors import MinutebookError
from . import book_common as bc
from .common import fail, parse_date, plain, refuse

ocf_app = typer.Typer(
    help="Open Cap Format (OCF v1.2.0): export the book, import a package, validate one.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@ocf_app.command("export")
def export_cmd(
    out: str = typer.Argument(
        ...,
        metavar="OUT",
        help="Folder to write (new, empty or an earlier export), or with --zip the zip file.",
    ),
    as_zip: bool = typer.Option(False, "--zip", help="Write one .ocf.zip file instead of a folder."),
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="The package's as-of date (default: the book's last event)."
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Write the book as an OCF package, validated against the OCF v1.2.0 schemas before it is written.

    Example: minutebook ocf export auxer --zip
    """
    from ..book import open_history
    from ..ocf.writer import export_package
    from ..store import db as store_db

    when = parse_date(as_of, "--as-of")
    url = bc.must_exist(db)
    try:  # the log streamed from the store, never read whole nor replayed (a book of a million events)
        b = open_history(db, corp)
        x = export_package(b, Path(out), as_zip=as_zip, as_of=when)
    except MinutebookError as e:
        raise fail(str(e)) from None
    except Exception as e:  # noqa: BLE001 - a damaged database: name it, never a traceback (as `bc.open_book`)
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise fail(
            f"{store_db.display(url)}: the log cannot be read ({first}); run `minutebook verify`"
        ) from None
    for w in x.warnings:
        bc.say(f"warning: {w}", "yellow")
    n_tx = x.counts.get("transactions_files", 0)
    bc.say(
        f"exported {b.slug} as OCF 1.2.0 to {x.path}: {x.counts.get('stakeholders_files', 0)} stakeholders, "
        f"{x.counts.get('stock_classes_files', 0)} stock classes, {n_tx} transactions, "
        f"{x.counts.get('documents_files', 0)} documents",
        "green",
    )


@ocf_app.command("import")
def import_cmd(
    path: str = typer.Argument(..., metavar="PATH", help="An OCF package: a folder or an .ocf.zip."),
    lenient: bool = typer.Option(
        False,
        "--lenient",
        help="Accept any 1.x version, deprecated aliases, stale md5s and unknown fields (each a warning), and "
        "import a package with items that cannot be placed (each an error finding, kept in ocf/refused.json).",
    ),
    db: str = bc.db_option(),
    corp: str = typer.Option(
        None, "--corp", metavar="SLUG", help="Short name for the new corporation (default: from its name)."
    ),
    as_json: bool = bc.json_option(),
) -> None:
    """Read an OCF package into a new corporation: its classes become the charter, its stock transactions the ledger.

    Example: minutebook ocf import acme.ocf.zip --lenient
    """
    from ..ocf.importer import import_package

    if corp is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", corp):
        raise fail(f"--corp: {corp!r} is not a slug (lower-case letters, digits and '-', up to 80)")
    if not Path(path).exists():
        raise fail(f"{path}: no such file or folder")
    try:
        r = import_package(db, Path(path), lenient=lenient, slug=corp)
    except MinutebookError as e:
        raise refuse(e) from None
    book = r.book()
    table = book.cap_table()
    if as_json:
        out = {
            "corporation": r.slug,
            "name": r.name,
            "events": r.events,
            "items": r.counts,
            "kept": r.kept,
            "refused": r.refused,
            "findings": [f.to_json() for f in r.findings],
            "cap_table": table.to_json(),
            "public_key": book.public_key(),
        }
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return
    bc.print_findings(r.findings)
    kept = sum(r.kept.values())
    bc.say(
        f"imported {r.slug}: {r.name}, {r.events} events from {sum(r.counts.values())} OCF objects"
        + (f"; {kept} kept, not applied (ocf/kept.json)" if kept else "")
        + (f"; {r.refused} refused (ocf/refused.json)" if r.refused else ""),
        "green",
    )
    for row in table.rows:
        line = f"  {row.holder_id}  {row.class_key}{'/' + row.series_key if row.series_key else ''}  {row.shares:,}"
        sys.stdout.write(line + "\n") if plain() else bc.out.print(line)
    from .proof_cmds import announce_key

    announce_key(book)  # the book's signing key (issue 17)


@ocf_app.command("validate")
def validate_cmd(
    path: str = typer.Argument(..., metavar="PATH", help="An OCF package: a folder or an .ocf.zip."),
    lenient: bool = typer.Option(False, "--lenient", help="Validate as `ocf import --lenient` reads."),
    as_json: bool = bc.json_option(),
) -> None:
    """Check a package as an import would (schemas, md5s, security-id chains): one line per problem; exit 1 if invalid.

    Example: minutebook ocf validate acme.ocf.zip
    """
    from ..ocf.importer import validate_package

    if not Path(path).exists():
        raise fail(f"{path}: no such file or folder")
    problems = validate_package(Path(path), lenient=lenient)
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        sys.stdout.write(
            json.dumps({"valid": not errors, "problems": [p.to_json() for p in problems]}, indent=2) + "\n"
        )
    else:
        for p in problems:
            sys.stdout.write(f"{p.severity} {p.code} {p.format()}\n")
        verdict = "invalid" if errors else "valid"
        notes = len(problems) - len(errors)
        sys.stdout.write(
            f"{path}: {verdict} OCF 1.2.0 package ({len(errors)} error(s), {notes} other note(s))\n"
        )
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(ocf_app, name="ocf")
