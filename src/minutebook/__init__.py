"""minutebook: a corporation's minute book as code.

    >>> from minutebook import read
    >>> result = read(["examples/auxer-group-charter.txt"])
    >>> result.charter.current.capital.total_authorized
    175000000

Public API: `read` / `read_text` (the charter reader), `open_book` / `Book` (the record), the domain
types (`Charter`, `CharterVersion`, `Capital`, `StockClass`, `Finding`, ...) and the exception root
`MinutebookError`.
"""

from .book import Book, Result, open_book
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
from .core.captable import CapTable
from .ingest import ReadResult, read, read_text

__version__ = "0.1.0"

__all__ = [
    "Book",
    "CapTable",
    "Result",
    "open_book",
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
