"""Editor's notes: text added by whoever compiled the filing ("Subsequently amended. See certificate
of amendment.", "[Intentionally omitted]") that is not operative charter text."""

from __future__ import annotations

import re

NOTE = re.compile(
    r"\[\s*(?:Editor'?s?\s+note|Note)\s*:[^\]]{0,300}\]"
    r"|\[?\s*(?:Subsequently|Since|Later|As\s+subsequently)\s+amended[^.\]\n]{0,120}[.\]]"
    r"(?:\s*See\s+(?:the\s+)?(?:certificate|articles|amendment|exhibit)[^.\]]{0,160}[.\]]+)?\]?",
    re.I,
)


def find_notes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in NOTE.finditer(text, start, end)]
