"""Pure domain types and logic: no I/O, no clock, no global state."""

from .charter import (
    Article,
    Capital,
    Change,
    Charter,
    CharterVersion,
    Document,
    Provision,
    Series,
    Signatory,
    StockClass,
    diff_versions,
)
from .errors import InputError, MinutebookError, NotFoundError
from .findings import Finding, Severity
from .sources import Fact, SourceRef

__all__ = [
    "Article",
    "Capital",
    "Change",
    "Charter",
    "CharterVersion",
    "Document",
    "Fact",
    "Finding",
    "InputError",
    "MinutebookError",
    "NotFoundError",
    "Provision",
    "Series",
    "Severity",
    "Signatory",
    "SourceRef",
    "StockClass",
    "diff_versions",
]
