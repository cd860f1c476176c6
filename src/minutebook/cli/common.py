"""Shared CLI plumbing: consoles, one-line errors, argument parsing that never prints a traceback."""

from __future__ import annotations

import sys
from datetime import date

import typer
from rich.console import Console

out = Console(soft_wrap=True, highlight=False)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    print(f"minutebook: error: {' '.join(str(message).split())}", file=sys.stderr)
    return typer.Exit(code)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: not a date: {value!r} (expected YYYY-MM-DD)") from None


def plain() -> bool:
    return not out.is_terminal
