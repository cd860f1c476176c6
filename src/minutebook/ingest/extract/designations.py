"""Certificates of designations (§151(g)): the series designated, its number of shares, and whether
the board adopted the resolution. One certificate designates one series; other series it mentions
(ranking against an earlier series, say) are references, not designations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import amounts

_SERIES = (
    r"(?:Series|Class)\s+[A-Z0-9][A-Za-z0-9-]{0,4}\s+(?:(?:Convertible|Participating|Junior|Senior|"
    r"Redeemable|Non-?Voting|Cumulative|Exchangeable)\s+)*(?:Preferred|Preference)\s+Stock"
)
_DESIGNATED = re.compile(
    r"designated\s+(?:as\s+)?(?:the\s+)?(?:Corporation'?s\s+)?[\"“]?(?P<n>" + _SERIES + ")", re.I
)
_ANY = re.compile(_SERIES, re.I)
_COUNT = re.compile(
    r"number\s+of\s+(?:authorized\s+)?shares\s+(?:constituting|of|comprising|designated\s+as|in|included\s+in)"
    r"[^.]{0,120}?"
    r"(?:shall\s+be|is|will\s+be)\s+(?:fixed\s+at\s+|initially\s+)?",
    re.I | re.S,
)
_BY_BOARD = re.compile(
    r"Board\s+of\s+Directors[^.]{0,200}?(?:adopted|resolved|RESOLVED)|RESOLVED,?\s+that\s+"
    r"pursuant\s+to\s+the\s+authority[^.]{0,200}?Board\s+of\s+Directors",
    re.I | re.S,
)


@dataclass(slots=True)
class SeriesRead:
    name: str
    authorized: int | None
    start: int
    end: int
    by_board: bool


def _title_case(name: str) -> str:
    return " ".join(w if len(w) <= 2 and w.isupper() else w.capitalize() for w in name.split())


def read_series(text: str, start: int, end: int, title: str = "") -> list[SeriesRead]:
    m = _DESIGNATED.search(text, start, end)
    tm = _ANY.search(title)
    if m is None:
        m = _ANY.search(text, start, end)
    if m is None and tm is None:
        return []
    raw = m.group("n") if m is not None and "n" in m.groupdict() else (m.group(0) if m else tm.group(0))
    name = _title_case(" ".join(raw.split()))
    count = None
    for cm in _COUNT.finditer(text, start, end):
        for a in amounts(text, cm.end(), min(end, cm.end() + 80)):
            if a.value and a.start - cm.end() < 40:
                count = a.value
                break
        if count:
            break
    s, e = (m.start(), m.end()) if m else (start, start)
    return [SeriesRead(name, count, s, e, bool(_BY_BOARD.search(text, start, end)))]
