"""Correcting the record: `minutebook void SEQ` and `minutebook correct SEQ --set FIELD=VALUE`.

The mistaken event stays in the log; a `Correction` event names it, with the reason and the approval the
law needs (`--approved-by`: none for a clerical slip such as a holder's name, a board resolution for a
change to what an act did). Every view then reads the corrected history, and `minutebook log` shows both,
the original marked "corrected by #N" or "voided by #N".

A FIELD is a field of the original event's body (`minutebook log --json` shows them), its VALUE parsed by the
field's type: a whole number, an amount in dollars, a date (YYYY-MM-DD), yes/no, text, a comma-separated list,
or "none" to clear an optional field. An unknown event, field or value is one line, exit 2; a correction the
law refuses prints its findings and exits 1, nothing written.
"""

from __future__ import annotations

import re

import typer

from ..core.errors import MinutebookError
from . import book_common as bc
from .common import fail, parse_date, parse_money

_INT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)")


def _seq(value: str) -> int:
    text = (value or "").strip().lstrip("#")
    if not text.isdigit() or int(text) < 1:
        raise fail(f"SEQ: not an event number: {value!r} (see `minutebook log`)")
    return int(text)


def parse_value(field: str, hint, text: str):
    """VALUE for `field`, read by its type hint (a bad value: one line naming the field, exit 2)."""
    what = f"--set {field}"
    kind = str(hint)
    optional = "None" in kind
    raw = text.strip()
    if optional and raw.lower() in ("none", "null", ""):
        return None
    if "dict" in kind:
        raise fail(f"{what}: a structured field; correct it through the Python API (Book.correct)")
    if "Decimal" in kind:
        return parse_money(raw, what, required=True)
    if "datetime.date" in kind or hint is __import__("datetime").date:
        return parse_date(raw, what)
    if "bool" in kind:
        if raw.lower() in ("yes", "true", "1"):
            return True
        if raw.lower() in ("no", "false", "0"):
            return False
        raise fail(f"{what}: expected yes or no, not {text!r}")
    if "int" in kind and "str" not in kind:
        if not _INT.fullmatch(raw):
            raise fail(f"{what}: not a whole number: {text!r}")
        return int(re.sub(r"[,_+]", "", raw))
    if "tuple" in kind:
        return tuple(x.strip() for x in raw.split(",") if x.strip())
    if not raw:
        raise fail(f"{what}: empty (give a value, or none to clear an optional field)")
    return raw


def _changes(b, seq: int, sets: list[str]) -> dict:
    from ..book.corrections import field_types

    if not sets:
        raise fail("--set: missing (FIELD=VALUE, once for each field corrected)")
    try:
        target = next((e for e in b.log if e.seq == seq), None)
        if target is None:
            raise fail(f"SEQ: no event {seq} in the log (its events: 1–{len(b.log)}; see `minutebook log`)")
        types = field_types(target.type)
    except MinutebookError as e:
        raise fail(str(e)) from None
    out: dict = {}
    for item in sets:
        field, eq, value = item.partition("=")
        field = field.strip()
        if not eq or not field:
            raise fail(f"--set: expected FIELD=VALUE, not {item!r}")
        if field not in types:
            raise fail(
                f"--set: {target.type} has no field {field!r} (its fields: {', '.join(sorted(types))})"
            )
        if field in out:
            raise fail(f"--set: {field} given twice")
        out[field] = parse_value(field, types[field], value)
    return out


def _reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise fail("--reason: missing (why the event is corrected)")
    return reason


def void_cmd(
    seq: str = typer.Argument(..., metavar="SEQ", help="The event voided (its number in `minutebook log`)."),
    reason: str = typer.Option(None, "--reason", metavar="TEXT", help="Why (required)."),
    approved_by: str = typer.Option(
        None,
        "--approved-by",
        metavar="ID",
        help="The approval the law needs (a board resolution, a consent).",
    ),
    on: str = bc.on_option("Date of the correction, YYYY-MM-DD (default: today)."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Void a mistaken event: it stays in the log, and every view reads the history without it.

    Refused (exit 1) when the history without it breaks a rule (shares later transferred that were never
    issued) or the approval the law needs is missing.

    Example: minutebook void 7 --reason "entered twice"
    Example: minutebook void 9 --reason "issuance never made" --approved-by R-12
    """
    n = _seq(seq)
    why = _reason(reason)
    day = bc.parse_date(on, "--on")
    b = bc.open_book(db, corp)
    try:
        result = b.void(n, reason=why, on=day, approved_by=approved_by, historical=historical)
    except MinutebookError as e:
        raise fail(str(e)) from None
    bc.report(result)


def correct_cmd(
    seq: str = typer.Argument(
        ..., metavar="SEQ", help="The event corrected (its number in `minutebook log`)."
    ),
    sets: list[str] = typer.Option(
        None, "--set", metavar="FIELD=VALUE", help="A field of the event and its right value (repeat)."
    ),
    reason: str = typer.Option(None, "--reason", metavar="TEXT", help="Why (required)."),
    approved_by: str = typer.Option(
        None,
        "--approved-by",
        metavar="ID",
        help="The approval the law needs (a board resolution, a consent).",
    ),
    on: str = bc.on_option("Date of the correction, YYYY-MM-DD (default: today)."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Correct a mistaken event: it stays in the log, and every view reads it with the fields set right,
    in its place (its date).

    A clerical slip (a holder's name, e-mail or address, a certificate number) needs no approval; a change to
    what an act did (shares, class, price, holder) needs the board's (--approved-by R-…).

    Example: minutebook correct 5 --set name="Alice Ng" --reason "name misspelt"
    Example: minutebook correct 9 --set shares=1,500,000 --reason "typo in the count" --approved-by R-12
    """
    n = _seq(seq)
    why = _reason(reason)
    day = bc.parse_date(on, "--on")
    b = bc.open_book(db, corp)
    changes = _changes(b, n, list(sets or ()))
    try:
        result = b.correct(n, changes, reason=why, on=day, approved_by=approved_by, historical=historical)
    except MinutebookError as e:
        raise fail(str(e)) from None
    bc.report(result)


def register(app: typer.Typer) -> None:
    app.command("void")(void_cmd)
    app.command("correct")(correct_cmd)
