"""Findings: problems in the user's data reported as values, never raised.

Every finding has a severity, a stable code (``MB-...``), a one-line message, the source span it
refers to where there is one, and the citations (DGCL section, charter article) that decide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .heap import fast_pickling
from .sources import SourceRef


class Severity(StrEnum):
    ERROR = "error"  # the action or document is invalid
    WARNING = "warning"  # a defect to review
    INFO = "info"  # worth knowing; nothing to fix

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    message: str
    source: SourceRef | None = None
    cites: tuple[str, ...] = ()
    data: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    @property
    def id(self) -> str:
        """A short id naming this finding in the book's `check` ("F-1a2b3c4d"): a hash of its code, its place
        and its message, so the same finding keeps its id from one run to the next (`doc cure ID`)."""
        import hashlib

        where = self.source.location() if self.source else f"event {dict(self.data).get('event')}"
        digest = hashlib.sha256(f"{self.code}|{where}|{self.message}".encode()).hexdigest()
        return f"F-{digest[:8]}"

    def format(self) -> str:
        """`path:line:col: CODE message`, or `event N: CODE message` for a finding about a recorded event."""
        if self.source:
            where = self.source.location() + ": "
        else:
            seq = dict(self.data).get("event")
            where = f"event {seq}: " if seq is not None else ""
        return f"{where}{self.code} {self.message}"

    def to_json(self) -> dict:
        out = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "source": self.source.to_json() if self.source else None,
            "cites": list(self.cites),
        }
        if self.data:
            out["data"] = {k: _jsonable(v) for k, v in self.data}
        return out


_PUT = tuple(getattr(Finding, n).__set__ for n in ("severity", "code", "message", "source", "cites", "data"))


def placed(f: Finding, source: SourceRef | None, data: tuple[tuple[str, object], ...]) -> Finding:
    """`f` with `source` and `data`: `dataclasses.replace(f, source=source, data=data)` without its introspection
    and frozen `__init__` (a large book's check places hundreds of thousands of findings, each twice)."""
    new = object.__new__(Finding)
    for put, v in zip(_PUT, (f.severity, f.code, f.message, source, f.cites, data), strict=True):
        put(new, v)
    return new


def _jsonable(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)


def error(code: str, message: str, source: SourceRef | None = None, cites=(), **data) -> Finding:
    return Finding(Severity.ERROR, code, message, source, tuple(cites), tuple(data.items()))


def warning(code: str, message: str, source: SourceRef | None = None, cites=(), **data) -> Finding:
    return Finding(Severity.WARNING, code, message, source, tuple(cites), tuple(data.items()))


def info(code: str, message: str, source: SourceRef | None = None, cites=(), **data) -> Finding:
    return Finding(Severity.INFO, code, message, source, tuple(cites), tuple(data.items()))


def sort_key(f: Finding) -> tuple:
    s = f.source
    return (s.path if s else "", s.start if s else -1, f.severity.rank, f.code)


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
