"""What reading an OCF package reports: `Problem` (one line: file, item, JSON path, message, severity, code) and
`Report`, which either stops at the first error (an import: `InputError`, one line, nothing written) or collects
every problem (`minutebook ocf validate`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import InputError
from ..core.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    item: str | None  # "TX_STOCK_TRANSFER st-1", or None for the file as a whole
    path: str  # JSON path inside the item (or the file); "" for the whole
    message: str
    severity: str = "error"  # error | warning | info
    code: str = "MB-OCF-SCHEMA"

    def format(self) -> str:
        where = (
            self.file + (f": item {self.item}" if self.item else "") + (f": {self.path}" if self.path else "")
        )
        return f"{where}: {self.message}"

    def to_json(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "item": self.item,
            "path": self.path,
            "message": self.message,
        }

    def finding(self) -> Finding:
        return Finding(Severity(self.severity), self.code, self.format())


class Stop(Exception):
    """Raised by a collecting `Report` to abandon the rest of a file that cannot be read further."""


@dataclass(slots=True)
class Report:
    collect: bool = False  # False: the first error raises InputError
    problems: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)  # the bad items (`bad`), also in `problems`

    def error(
        self, file: str, item: str | None, path: str, message: str, code: str = "MB-OCF-SCHEMA"
    ) -> None:
        p = Problem(file, item, path, message, "error", code)
        if not self.collect:
            raise InputError(p.format())
        self.problems.append(p)

    def fatal(self, file: str, item: str | None, path: str, message: str, code: str = "MB-OCF-SCHEMA"):
        """An error after which the file cannot be read on (raises `Stop` when collecting)."""
        self.error(file, item, path, message, code)
        raise Stop(message)

    def bad(self, file: str, item: str | None, path: str, message: str, code: str) -> None:
        """An item that cannot be placed in the book (a stakeholder, class or security it names is not there, a
        quantity that is not one): never raises here; the import refuses the package naming every one of them, or
        with `lenient` records them as refused (`ocf.refused`)."""
        p = Problem(file, item, path, message, "error", code)
        self.problems.append(p)
        self.refused.append(p)

    def warn(self, file: str, item: str | None, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(file, item, path, message, "warning", code))

    def info(self, file: str, item: str | None, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(file, item, path, message, "info", code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
