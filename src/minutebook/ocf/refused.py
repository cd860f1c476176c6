"""The bad items of a lenient OCF import, kept as a durable record: the stored document `ocf/refused.json`.

A package item that cannot be placed in the book — a stock issuance naming a stakeholder or class that is not in
the package, a quantity that is not a whole number of shares, a transaction on a security that could not be
placed, an award naming a plan that is not there — refuses a strict import (every one named, file and object id,
one line each; nothing written). `lenient` imports the rest and writes each bad item here, with the item as read;
`findings(book)` gives them back as error findings (`MB-OCF-REFUSED-ITEM`) for as long as the book lasts.

    {"format": "minutebook-ocf-refused", "format_version": 1, "package": "...",
     "items": [{"file": "Transactions.ocf.json", "item": "TX_STOCK_ISSUANCE i1", "path": "$.items[0]",
                "code": "MB-OCF-UNRESOLVED", "message": "stakeholder 'ghost' is not in the package",
                "object": {...}}]}
"""

from __future__ import annotations

from ..book.refused import CODE, DOC, FORMAT, from_documents, line
from ..core.findings import Finding
from .report import Problem

__all__ = ["CODE", "DOC", "FORMAT", "document", "findings", "from_documents", "line"]


def document(source: str, problems: list[Problem], objects: dict[tuple[str, str], dict]) -> dict:
    return {
        "format": FORMAT,
        "format_version": 1,
        "package": source,
        "items": [
            {
                "file": p.file,
                "item": p.item,
                "path": p.path,
                "code": p.code,
                "message": p.message,
                "object": objects.get((p.file, p.item or "")),
            }
            for p in problems
        ],
    }


def findings(book) -> list[Finding]:
    """The book's refused OCF items as error findings (empty for a book not imported leniently with any)."""
    return from_documents(book.documents())
