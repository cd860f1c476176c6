"""minutebook: a corporation's minute book as code.

    >>> from minutebook import read
    >>> result = read(["examples/auxer-group-charter.txt"])
    >>> result.charter.current.capital.total_authorized
    175000000

Public API: `read` / `read_text` (the charter reader), `open_book` / `Book` (the record),
`franchise_tax` (the Delaware franchise tax, from a book or from figures), the domain
types (`Charter`, `CharterVersion`, `Capital`, `StockClass`, `Finding`, ...) and the exception root
`MinutebookError`.
"""

from .core import (
    Capital,
    Change,
    Charter,
    CharterVersion,
    Document,
    Finding,
    InputError,
    MinutebookError,
    NotFoundError,
    Provision,
    Series,
    Severity,
    SourceRef,
    StockClass,
)

__version__ = "0.1.0"

_LAZY = {
    "ReadResult": ".ingest",
    "read": ".ingest",
    "read_text": ".ingest",
    "Book": ".book",
    "Result": ".book",
    "open_book": ".book",
    "CapTable": ".core.captable",
    "franchise_tax": ".tax",
}


def __getattr__(name: str):
    """The reader and the book (SQLAlchemy, Alembic) are imported on first use: a command starts quickly."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Book",
    "CapTable",
    "Result",
    "open_book",
    "franchise_tax",
    "Capital",
    "Change",
    "Charter",
    "CharterVersion",
    "Document",
    "Finding",
    "InputError",
    "MinutebookError",
    "NotFoundError",
    "Provision",
    "ReadResult",
    "Series",
    "Severity",
    "SourceRef",
    "StockClass",
    "read",
    "read_text",
]
