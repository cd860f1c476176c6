"""Certificates of designations (§151(g)): the series designated, its number of shares, the class it
belongs to, and who adopted the resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import amounts

_SERIES_NAME = re.compile(
    r"[\"“](?P<q>(?:Series|Class)\s+[^\"”\n]{1,60}?(?:Preferred|Preference|Common)\s+Stock)[\"”]"
    r"|\b(?P<p>Series\s+[A-Z0-9][A-Za-z0-9-]{0,4}\s+(?:(?:Convertible|Participating|Junior|Senior|Redeemable|"
    r"Non-?Voting|Cumulative)\s+)*(?:Preferred|Preference)\s+Stock)",
)
_COUNT = re.compile(
    r"(?:number\s+of\s+shares[^.]{0,120}?(?:shall\s+be|is)\s+|(?:consist|consisting)\s+of\s+|designated\s+"
    r"(?:as\s+)?[^.]{0,40}?(?:and\s+)?(?:shall\s+)?(?:consist\s+of\s+)?)",
    re.I,
)
_BY_BOARD = re.compile(r"Board\s+of\s+Directors[^.]{0,200}?(?:adopted|resolved|RESOLVED)|RESOLVED,?\s+that\s+"
                       r"pursuant\s+to\s+the\s+authority[^.]{0,200}?Board\s+of\s+Directors", re.I | re.S)


@dataclass(slots=True)
class SeriesRead:
    name: str
    authorized: int | None
    start: int
    end: int
    by_board: bool


def read_series(text: str, start: int, end: int) -> list[SeriesRead]:
    out: list[SeriesRead] = []
    for m in _SERIES_NAME.finditer(text, start, end):
        name = " ".join((m.group("q") or m.group("p")).split())
        if any(s.name.lower() == name.lower() for s in out):
            continue
        count = None
        for cm in _COUNT.finditer(text, max(start, m.start() - 300), min(end, m.end() + 500)):
            for a in amounts(text, cm.end(), min(end, cm.end() + 80)):
                if a.value and re.match(r"\s*\)?\s*(?:shares|\.|,|\s)", text[a.end : a.end + 10]) and (
                    a.value >= 10 or a.words
                ):
                    count = a.value
                    break
            if count:
                break
        out.append(SeriesRead(name, count, m.start(), m.end(), bool(_BY_BOARD.search(text, start, end))))
        if len(out) >= 4:
            break
    return [s for s in out if s.authorized] or out[:1]
