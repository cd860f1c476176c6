"""`minutebook doc …`: papers drawn from the book, ready to sign (`render`).

- `doc list` — the kinds of paper, what each is drawn for, the sections it serves;
- `doc render KIND --for ACT | --as-of DATE [--format pdf|docx|html] -o FILE` — one paper, written and recorded
  in the book (a `DocumentDrawn` event with the file's SHA-256; `--no-record` to leave the book untouched);
- `doc cure FINDING-ID -o DIR` — every paper that cures a finding `check` reports (§242, §103(f) or §204);
- `doc drawn` — the papers the book records as drawn; `doc match FILE` — which drawn paper a file is, byte for byte.

Bad input (an act not in the book, a kind that does not apply to it, a date with no charter in force, a folder
that cannot be written) is one line on stderr, exit 2, and nothing is written or recorded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from . import book_common as bc
from .common import actor, fail, parse_date

doc_app = typer.Typer(
    help="Papers drawn from the book, ready to sign: minutes, consents, notices, the §219 list, certificates to "
    "file, stock certificates, the secretary's certificate, the tax worksheet, cure packages (§242, §103(f), §204).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@doc_app.command("list")
def doc_list(as_json: bool = bc.json_option()) -> None:
    """The kinds of paper minutebook draws, what `--for` names for each, and the sections they serve.

    Example: minutebook doc list
    """
    from ..render import kinds

    ks = kinds()
    if as_json:
        data = [
            {
                "kind": k.name,
                "title": k.title,
                "group": k.group,
                "for": k.target,
                "needs": k.needs,
                "cites": list(k.cites),
            }
            for k in ks
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    from .book_views import table

    table(
        f"{len(ks)} kinds of paper",
        ["kind", "group", "drawn for", "sections"],
        [[k.name, k.group, k.target, "; ".join(c.replace("8 Del. C. ", "") for c in k.cites)] for k in ks],
    )


def _formats(fmt: str | None) -> list[str]:
    """`--format`: one format or several, comma-separated ("pdf,docx")."""
    from ..render import FORMATS

    fs = [f.strip().lower().lstrip(".") for f in (fmt or "pdf").split(",") if f.strip()]
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)} (or several, comma-separated)")
    return list(dict.fromkeys(fs))


def _out_path(out: str | None, default: str, several: bool) -> Path:
    """The file to write: `-o FILE`, or `default` inside `-o DIR` (or here); several formats need a folder."""
    path = Path(out) if out else Path(default)
    if path.exists() and path.is_dir():
        path = path / default
    elif several and out:
        raise fail(
            f"-o: {out!r} is not a folder; with several formats give a folder (its files take their own names)"
        )
    if not path.parent.exists():
        raise fail(f"-o: the folder {str(path.parent)!r} does not exist")
    return path


@doc_app.command("render")
def doc_render(
    kind: str = typer.Argument(..., metavar="KIND", help="The kind of paper (see `minutebook doc list`)."),
    act: str = typer.Option(
        None,
        "--for",
        metavar="ACT",
        help="What it is drawn for: an id (B-…, R-…, M-…, C-…, a certificate, a holder) or 'event N'.",
    ),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The date it speaks as of, YYYY-MM-DD."),
    fmt: str = typer.Option(
        "pdf",
        "--format",
        "-f",
        metavar="pdf|docx|html",
        help="Default pdf; several comma-separated (pdf,docx).",
    ),
    out: str = typer.Option(
        None,
        "-o",
        "--out",
        metavar="FILE|DIR",
        help="Where to write it (default: KIND-ACT.FORMAT here, or in DIR).",
    ),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record in the book that it was drawn."),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Draw one paper from the book and write it to a file; the book records its SHA-256 (`doc drawn`).

    Example: minutebook doc render meeting-minutes --for M-1999 -o minutes.pdf
    """
    from ..render import note, paper, render, write

    day = parse_date(as_of, "--as-of")
    fs = _formats(fmt)
    b = bc.open_book(db, corp)
    p = paper(b, kind, act, day)  # every bad input is raised here, before anything is written
    done = [(r, _out_path(out, f"{p.stem}.{r.format}", len(fs) > 1)) for r in (render(p, f) for f in fs)]
    for r, path in done:
        write(r, path)
        if not no_record:
            res = note(b, r, actor=actor())
            if res.refused:
                path.unlink(missing_ok=True)
                bc.print_findings(res.findings)
                raise fail("the book refused to record the paper; it was not kept", 1)
        bc.say(f"{path}  {p.title}  ({r.format}, {len(r.data):,} bytes, sha256 {r.sha256[:16]}…)")


@doc_app.command("cure")
def doc_cure(
    finding: str = typer.Argument(
        ..., metavar="FINDING-ID", help="A finding's id from `minutebook check --json` (F-…)."
    ),
    out: str = typer.Option(
        ..., "-o", "--out", metavar="DIR", help="The folder to write the papers into (made if missing)."
    ),
    fmt: str = typer.Option(
        "pdf",
        "--format",
        "-f",
        metavar="pdf|docx|html",
        help="Default pdf; several comma-separated (pdf,docx).",
    ),
    no_record: bool = typer.Option(
        False, "--no-record", help="Do not record in the book that they were drawn."
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Every paper that cures a finding: a §242 amendment's papers, a §103(f) certificate of correction, or the
    §204 ratification package (board resolution, stockholder approval, certificate of validation, notice).

    Example: minutebook doc cure F-1a2b3c4d -o cure/
    """
    from ..render import cure

    fs = _formats(fmt)
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise fail(f"-o: {out!r} is a file; give a folder")
    b = bc.open_book(db, corp)
    for f in fs:
        for r in cure(b, finding, folder, fmt=f, record=not no_record):
            bc.say(f"{folder / r.name}  {r.paper.title}")


@doc_app.command("drawn")
def doc_drawn(
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The papers the book records as drawn: when, what, for which act, and each file's SHA-256.

    Example: minutebook doc drawn
    """
    from ..render import drawn

    b = bc.open_book(db, corp)
    rows = drawn(b)
    if as_json:
        data = [
            {
                "event": e.seq,
                "drawn_on": e.effective_on.isoformat(),
                "kind": e.body.kind,
                "for": e.body.act,
                "as_of": e.body.as_of.isoformat() if e.body.as_of else None,
                "format": e.body.format,
                "name": e.body.name,
                "sha256": e.body.sha256,
                "actor": e.actor,
            }
            for e in rows
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not rows:
        bc.say("No papers drawn yet (minutebook doc render KIND --for ACT -o FILE).")
        return
    from .book_views import table

    table(
        f"{b.name} — {len(rows)} papers drawn",
        ["event", "drawn", "kind", "for", "file", "sha256"],
        [
            [
                str(e.seq),
                e.effective_on.isoformat(),
                e.body.kind,
                e.body.act or (e.body.as_of.isoformat() if e.body.as_of else ""),
                e.body.name,
                e.body.sha256[:16] + "…",
            ]
            for e in rows
        ],
    )


@doc_app.command("match")
def doc_match(
    file: str = typer.Argument(..., metavar="FILE", help="A file to compare with the papers drawn."),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Which paper drawn from the book a file is, byte for byte (its SHA-256); exit 1 when none.

    Example: minutebook doc match minutes.pdf
    """
    from ..render import match

    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise fail(f"{file}: cannot read: {e.strerror or e}") from None
    b = bc.open_book(db, corp)
    hits = match(b, data)
    if not hits:
        bc.say(f"{file}: not a paper drawn from this book (no drawn paper has its SHA-256)")
        raise typer.Exit(1)
    for e in hits:
        what = e.body.act or (e.body.as_of.isoformat() if e.body.as_of else "")
        bc.say(
            f"{file}: {e.body.kind} for {what}, drawn {e.effective_on.isoformat()} (event {e.seq}, {e.body.name})"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(doc_app, name="doc")
