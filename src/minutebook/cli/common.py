"""Shared CLI plumbing: consoles, one-line errors, argument parsing that never prints a traceback.

Every value a user types is taken as a string and parsed here, so a bad value is one line on stderr
naming the option or argument (exit 2), never Typer's usage box or a traceback.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

import typer
from rich.console import Console

out = Console(soft_wrap=True, highlight=False)

MAX_SHARES = 10**15  # far beyond any real corporation; keeps counts inside a 64-bit column after splits

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)")
_FRACTION = re.compile(r"[-+]?(?:\d[\d,_]*)?\.\d*(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+")
_MONEY = re.compile(r"\$?\s*(\d[\d,]*(?:\.\d*)?|\.\d+)")


_ACTOR: list[str | None] = [None]  # set by the root command's --actor (or $MINUTEBOOK_ACTOR)


def set_actor(name: str | None) -> None:
    """Who the command's acts are recorded as done by (the root command's `--actor`)."""
    _ACTOR[0] = " ".join(name.split()) if name and name.strip() else None


def actor() -> str:
    """Who acts: `--actor`, else $MINUTEBOOK_ACTOR, else the operating-system user, else "unknown"."""
    import getpass
    import os

    if _ACTOR[0]:
        return _ACTOR[0]
    env = " ".join(os.environ.get("MINUTEBOOK_ACTOR", "").split())
    if env:
        return env
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError, ImportError):  # no such user in the password database, no login name
        return "unknown"


EXIT_PROBLEMS = 1  # `verify`: the book does not prove itself (each problem named)
EXIT_USAGE = 2  # bad input, a wrong argument: one line, nothing written
EXIT_DATABASE = (
    3  # the database file cannot be read as a minutebook database: not SQLite, empty, damaged, another's
)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    print(f"minutebook: error: {' '.join(str(message).split())}", file=sys.stderr)
    return typer.Exit(code)


def refuse(e: Exception) -> typer.Exit:
    """`fail` for an exception minutebook raised: exit 3 for a database file it cannot read (`DatabaseFileError`),
    else 2."""
    from ..store.db import DatabaseFileError

    return fail(str(e), EXIT_DATABASE if isinstance(e, DatabaseFileError) else EXIT_USAGE)


def parse_date(value: str | None, option: str) -> date | None:
    """YYYY-MM-DD; a malformed date and an impossible one ("2021-02-30") are told apart."""
    if value is None:
        return None
    text = value.strip()
    if not _DATE.fullmatch(text):
        raise fail(f"{option}: not a date: {value!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise fail(f"{option}: no such date: {value!r} ({e})") from None


def parse_shares(value: str | None, what: str) -> int:
    """A positive whole number of shares: "1000000", "1,000,000" or "1_000_000"."""
    if value is None:
        raise fail(f"{what}: missing (a whole number of shares)")
    text = value.strip().replace("\u2212", "-")
    if not text:
        raise fail(f"{what}: missing (a whole number of shares)")
    if not _WHOLE.fullmatch(text):
        if _FRACTION.fullmatch(text):
            raise fail(f"{what}: must be a whole number of shares, not {value!r}")
        raise fail(f"{what}: not a whole number of shares: {value!r}")
    n = int(re.sub(r"[,_+]", "", text))
    if n <= 0:
        raise fail(f"{what}: must be a positive number of shares, not {value!r}")
    if n > MAX_SHARES:
        raise fail(f"{what}: {n:,} shares is more than minutebook accepts ({MAX_SHARES:,})")
    return n


def parse_money(value: str | None, option: str, *, required: bool = False) -> Decimal | None:
    """A non-negative amount in dollars: "0.001", "$1,250.50". None when absent and not required."""
    if value is None:
        if required:
            raise fail(f"{option}: missing (an amount in dollars, e.g. 0.001)")
        return None
    text = value.strip()
    m = _MONEY.fullmatch(text)
    if text.startswith(("-", "\u2212", "$-")):
        raise fail(f"{option}: must be zero or more, not {value!r}")
    if not m:
        raise fail(f"{option}: not an amount: {value!r} (expected dollars, e.g. 0.001)")
    try:
        d = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        raise fail(f"{option}: not an amount: {value!r}") from None
    if d.as_tuple().exponent < -12:  # type: ignore[operator]
        raise fail(f"{option}: more than 12 decimal places: {value!r}")
    return d


def parse_ratio(value: str, what: str) -> tuple[int, int]:
    """A split ratio FROM:TO of positive whole numbers: "1:2" (forward), "10:1" (reverse)."""
    m = re.fullmatch(r"\s*(\d[\d,_]*)\s*[:/]\s*(\d[\d,_]*)\s*", value or "")
    if not m:
        raise fail(f"{what}: not a ratio: {value!r} (expected FROM:TO, e.g. 1:2 forward or 10:1 reverse)")
    a, b = (int(re.sub(r"[,_]", "", g)) for g in m.groups())
    if not a or not b:
        raise fail(f"{what}: both sides of the ratio must be positive: {value!r}")
    if a == b:
        raise fail(f"{what}: {value} changes nothing")
    if max(a, b) > MAX_SHARES:
        raise fail(f"{what}: ratio too large: {value!r}")
    return a, b


def choice(value: str | None, option: str, allowed: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    v = value.strip().lower()
    if v not in allowed:
        raise fail(f"{option}: must be one of {', '.join(allowed)}, not {value!r}")
    return v


def plain() -> bool:
    """Whether the output goes elsewhere than a terminal (piped, a file): aligned text, no Rich. Asked once per
    stdout (Rich asks the stream each time: a check listing a million findings asked a million times)."""
    global _PLAIN
    stream = sys.stdout
    if _PLAIN is None or _PLAIN[0] is not stream:
        _PLAIN = (stream, not out.is_terminal)
    return _PLAIN[1]


_PLAIN: tuple[object, bool] | None = None


def dump_each(items, indent: int = 0) -> None:
    """A JSON list written to stdout item by item as `json.dumps(list(items), indent=2)` writes it (at `indent` spaces
    of nesting), each item as it comes: a list of a million items never held, nor its text."""
    write, opened, pad = sys.stdout.write, False, " " * indent
    for item in items:
        write(",\n" if opened else "[\n")
        # (no line of an item's text is empty: each is indented, the first too)
        write(pad + "  " + json.dumps(item, indent=2).replace("\n", "\n" + pad + "  "))
        opened = True
    write("\n" + pad + "]" if opened else "[]")


def dump_with_list(head: dict, key: str, items) -> None:
    """`json.dumps({**head, key: list(items)}, indent=2)` and a new line written to stdout, the list item by item
    (`dump_each`): a book's findings by the hundred thousand."""
    text = json.dumps(head, indent=2)
    sys.stdout.write((text[:-2] + ",\n" if head else "{\n") + f"  {json.dumps(key)}: ")
    dump_each(items, indent=2)
    sys.stdout.write("\n}\n")
