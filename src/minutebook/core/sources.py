"""Where a fact came from: `SourceRef` (a span of a filed document) and `Fact` (a value with its source)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from .heap import fast_pickling

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A span of a source file. `start`/`end` are character offsets in the decoded file; `line` and
    `column` are 1-based and point at `start` in the file as the user sees it. `sha256`, when known, is the
    SHA-256 of the whole file's text (UTF-8) as the book stores it: an event read from a stored document records it,
    so the log vouches for the document's bytes (`store.integrity`)."""

    document_id: str | None
    path: str
    start: int
    end: int
    line: int
    column: int
    text: str = ""
    sha256: str | None = None

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """A value read from a document, tied to the span it was read from."""

    value: T
    source: SourceRef | None = None


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
