"""The bottom floor: pure domain types and logic, no I/O, no clock, no global state.

Owns: the charter as data and the changes between versions (`charter`), events and their payloads
(`events`, `codec`), the ledger state and its replay (`replay`), a history as the views that fold it on dates read
it (`timeline`), the cap table (`captable`), the governance
record derived from events — who is in office, meetings, consents (`record`) — and vote counting with the
`Outcome` of an approval (`votes`), findings and source references, errors; the log's Merkle tree hashing and
proofs (`merkle`, RFC 6962/9162) and its signed checkpoints (`checkpoint`, C2SP signed-note).
May import: the standard library only (and `cryptography` for `checkpoint`'s Ed25519); nothing else of minutebook.
"""

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
