"""Editor's notes: text added by whoever compiled the filing ("Subsequently amended. See certificate
of amendment.", "[Intentionally omitted]") that is not operative charter text."""

from __future__ import annotations

import re

from ..textmap import lower_slice

NOTE = re.compile(
    r"\[\s*(?:Editor'?s?\s+note|Note)\s*:[^\]]{0,300}\]"
    r"|(?:\[\s*)?(?:Subsequently|Since|Later|As\s+subsequently)\s+amended[^.\]\n]{0,120}[.\]]"
    r"(?:\s*See\s+(?:the\s+)?(?:certificate|articles|amendment|exhibit)[^.\]]{0,160}[.\]]+)?\]?",
    re.I,
)


def find_notes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # A note is "[... note:" or "... amended": where neither can occur, `NOTE` (which may begin at any
    # position) is not tried at all.
    low = lower_slice(text, start, end)
    if (
        low is not None
        and not ("[" in low and "note" in low)
        and not ("amended" in low and ("subsequently" in low or "since" in low or "later" in low))
    ):
        return []
    return [(m.start(), m.end()) for m in NOTE.finditer(text, start, end)]
