"""The book: one corporation's record in a database, every event checked before it is written, and the
facade every adapter (the command line, OCF, the web) asks.

Owns: the `Book` facade (`facade`) and its services — the log in memory (`folded`), the one append path that
checks, chains and writes every event, live or in bulk (`append`, with its `checks`), the ledger's acts
(`ledger`), the governance acts (`governance`), the questions (`queries`) — where a book comes from
(`create`: open, create from a charter, a new corporation from an import), the book moved whole (`transfer`:
export, import, scratch copy), running a story's steps through the book (`stories`), and the record a third
party can verify: the book's signing key (`keys`), its checkpoints and proofs (`checkpoints`), time stamps
(`timestamp`); the history read as a stream, for work over a whole log (`history`).
May import: `core`, `ingest`, `tax`, `law`, `governance`, `store`. Never `ocf` or `cli` (they import the book).
"""

from ..core.errors import MinutebookError
from .append import HISTORY, LIVE, Refused, Result
from .create import (
    Created,
    anchored,
    charter_events,
    corporations_in,
    create,
    new_corporation,
    open_book,
    open_history,
    open_record,
    slugify,
)
from .facade import Book
from .history import History
from .transfer import export_book, import_book, scratch_copy

__all__ = [
    "Book",
    "History",
    "Result",
    "Refused",
    "open_book",
    "open_history",
    "open_record",
    "create",
    "charter_events",
    "anchored",
    "corporations_in",
    "slugify",
    "new_corporation",
    "Created",
    "LIVE",
    "HISTORY",
    "export_book",
    "import_book",
    "scratch_copy",
    "MinutebookError",
]
