"""`minutebook certificates`: the register of stock certificates (§158) kept from the ledger's events —
number, holder, class and series, shares, when issued, when surrendered (on a transfer or repurchase) or
cancelled, and the legends noted on it (§202). Rich table in a terminal, plain columns when piped, `--json`.
"""

from __future__ import annotations

import json
import sys

import typer

from . import book_common as bc
from .common import parse_date


def certificates_cmd(
    as_of: str = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="The register as it stood on DATE (default: every act recorded).",
    ),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="Only the certificates of one class."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The certificate register: every stock certificate issued, with its holder, class, shares, the date it
    was issued and the date it was surrendered or cancelled, and its legends.

    Example: minutebook certificates --as-of 2000-12-31 --class common
    """
    day = parse_date(as_of, "--as-of")
    b = bc.open_book(db, corp)
    key = bc.need_class(bc.known(b), cls) if cls is not None else None
    rows = b.certificates(day, key)
    if as_json:
        data = {
            "corporation": b.slug,
            "as_of": day.isoformat() if day else None,
            "class": key,
            "certificates": [r.to_json() for r in rows],
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    when = f" on {day.isoformat()}" if day else ""
    if not rows:
        bc.say(
            f"No certificates{when}{f' of {key}' if key else ''} "
            "(a certificate is numbered on `issue --certificate NO`)."
        )
        return
    from .book_views import table

    outstanding = sum(1 for r in rows if r.status == "outstanding")
    table(
        f"{b.name} — certificates{when}{f' ({key})' if key else ''}: {len(rows)}, {outstanding} outstanding",
        ["number", "holder", "class", "shares", "issued", "status", "ended", "legends"],
        [
            [
                r.number,
                r.holder_id,
                r.class_key + (f"/{r.series_key}" if r.series_key else ""),
                f"{r.shares:,}",
                r.issued_on.isoformat(),
                r.status,
                r.ended_on.isoformat() if r.ended_on else "—",
                "; ".join(r.legends) or "—",
            ]
            for r in rows
        ],
    )


def register(app: typer.Typer) -> None:
    app.command("certificates")(certificates_cmd)
