"""Papers drawn from the book, ready to sign: minutes, consents, notices, the stockholder list, certificates to
file with Delaware, stock certificates, the secretary's certificate, the franchise-tax worksheet, and the cure
packages (§242, §103(f), §204) for what `check` finds.

An adapter over `book`, beside `ocf`: it reads the book (events, state, charter, findings, tax) and never writes
to `store` — a paper drawn is recorded through the book's append path (`api.note`). Every name, date, share count,
tally and article text in a paper comes from the book; the templates hold only the words around them.

Modules: `papers` (the kinds and their registry), `facts` (what every paper reads the same way), one module per
group of papers (`board`, `stockholders`, `filings`, `stock`, `cures`, `worksheet`), `output` (HTML, PDF via
WeasyPrint, DOCX via `docx`), `api` (the functions below).
"""

from __future__ import annotations

from . import board, cures, filings, stock, stockholders, worksheet  # noqa: F401 - each registers its kinds
from .api import draw, drawn, kinds, match, note, paper, write
from .cures import curable, cure
from .output import FORMATS, Rendered, render

__all__ = [
    "FORMATS",
    "Rendered",
    "curable",
    "cure",
    "draw",
    "drawn",
    "kinds",
    "match",
    "note",
    "paper",
    "render",
    "write",
]
