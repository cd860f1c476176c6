"""Dates as filed: "this 19th, day of March, 1999", "Signed on August 28, 1997", "03/14/2005".

`find_dates` returns every date in a span with its position; `signing_date`, `filing_date` and
`effective_date` pick the one each role refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..textmap import finditer_from, lower_same

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_ORD_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_DAYWORD = r"(?:(?:twenty|thirty)[\s-]+)?(?:" + "|".join(_ORD_WORDS) + ")"
_YEAR = r"((?:1[89]|20)\d\d)"

_DATE = re.compile(
    # "March 19, 1999", "March 19 1999"
    rf"(?P<mon1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:1[89]|20)\d\d)\b"
    # "19th day of March, 1999", "19th, day of March 1999", "twenty-eighth day of August, 1997"
    rf"|(?P<d2>\d{{1,2}}|{_DAYWORD})(?:st|nd|rd|th)?,?\s+day\s+of\s+(?P<mon2>{_MON}),?\s+(?:A\.D\.\s+)?"
    rf"(?P<y2>(?:1[89]|20)\d\d)\b"
    # "19 March 1999"
    rf"|\b(?P<d3>\d{{1,2}})\s+(?P<mon3>{_MON}),?\s+(?P<y3>(?:1[89]|20)\d\d)\b"
    # "03/14/2005", "3-14-05" is too ambiguous: four-digit years only
    rf"|\b(?P<m4>\d{{1,2}})/(?P<d4>\d{{1,2}})/(?P<y4>(?:1[89]|20)\d\d)\b"
    # "2005-03-14"
    rf"|\b(?P<y5>(?:1[89]|20)\d\d)-(?P<m5>\d\d)-(?P<d5>\d\d)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int


def _day(s: str) -> int:
    s = s.lower()
    if s.isdigit():
        return int(s)
    parts = re.split(r"[\s-]+", s)
    base = {"twenty": 20, "thirty": 30}.get(parts[0], 0) if len(parts) > 1 else 0
    return base + _ORD_WORDS[parts[-1]]


# Where a date can begin (the text lowered): a digit, a month's name or abbreviation, or a day in words.
# `_DATE` is an alternation of such starts, which `finditer` would try at every position.
_DATE_WORDS = tuple(sorted({m[:3] for m in _MONTHS} | {"twenty", "thirty"} | set(_ORD_WORDS)))
_DIGIT = re.compile(r"\d")


def _date_matches(text: str, start: int, end: int):
    """`_DATE.finditer(text, start, end)`, trying the pattern only where a date can begin."""
    return finditer_from(_DATE, text, _DATE_WORDS, start, end, start_re=_DIGIT)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[FoundDate]:
    out = []
    for m in _date_matches(text, start, len(text) if end is None else end):
        g = m.groupdict()
        try:
            if g["mon1"]:
                d = date(int(g["y1"]), _MONTHS[g["mon1"].lower().rstrip(".")], int(g["d1"]))
            elif g["mon2"]:
                d = date(int(g["y2"]), _MONTHS[g["mon2"].lower().rstrip(".")], _day(g["d2"]))
            elif g["mon3"]:
                d = date(int(g["y3"]), _MONTHS[g["mon3"].lower().rstrip(".")], int(g["d3"]))
            elif g["m4"]:
                d = date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
            else:
                d = date(int(g["y5"]), int(g["m5"]), int(g["d5"]))
        except (ValueError, KeyError):
            continue
        out.append(FoundDate(d, m.start(), m.end()))
    return out


_SIGNING_CUE = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|\b(?:signed|executed|dated|subscribed)\b(?:\s+(?:on|as\s+of|this|at))?"
    r"|\bthis\s+\d{1,2}(?:st|nd|rd|th)?,?\s+day\b|\bset\s+(?:my|our|his|her|their)\s+hands?\b",
    re.I,
)
_FILED_STAMP = re.compile(
    r"^[ \t]*(?:FILED|DELIVERED|Filed)\b[ \t]*(?:\d{1,2}:\d\d[ \t]*(?:[AP]\.?M\.?)?[ \t]*)?", re.M
)
_FILED_ON = re.compile(
    r"(?:this\s+certificate\s+(?:was\s+)?|hereby\s+)?filed\s+(?:with|in|by)\s+the\s+(?:office\s+of\s+the\s+)?"
    r"Secretary\s+of\s+State[^.]{0,40}?\bon\s+",
    re.I,
)
_EFFECTIVE = re.compile(
    r"(?:shall\s+(?:become|be)\s+effective|effective\s+(?:time|date)[^.]{0,40}?\bshall\s+be)"
    r"(?:[^.]|(?<=[ap])\.(?=m\.)|(?<=[ap]\.m)\.){0,80}?\b(?:on|as\s+of)\s+",
    re.I,
)


def _cues(text: str):
    """`_SIGNING_CUE.finditer(text)`, trying the pattern only where a cue can begin: at "this", at a
    signing verb, or at the "IN" of "IN WITNESS WHEREOF" (found from its "witness")."""
    low = lower_same(text)
    if low is None:
        yield from _SIGNING_CUE.finditer(text)
        return
    find = low.find
    cands: set[int] = set()
    for w in ("this", "signed", "executed", "dated", "subscribed", "set"):
        i = find(w)
        while i != -1:
            cands.add(i)
            i = find(w, i + 1)
    i = find("witness")
    while i != -1:
        j = i
        while j > 0 and low[j - 1].isspace():
            j -= 1
        if j < i and low.endswith("in", 0, j):
            cands.add(j - 2)
        i = find("witness", i + 1)
    pos = 0
    match = _SIGNING_CUE.match
    for i in sorted(cands):
        if i >= pos:
            m = match(text, i)
            if m:
                yield m
                pos = m.end()


def signing_date(text: str) -> FoundDate | None:
    """The execution date: the date nearest after the last signing cue (testimonium, "Signed on")."""
    cues = list(_cues(text))
    for cue in reversed(cues):
        ds = find_dates(text, cue.start(), min(len(text), cue.end() + 400))
        if ds:
            return ds[0]
    return None


_BLANKS = re.compile(r"\s*")


def _stamp_starts(text: str) -> list[int]:
    """Where a match of `_FILED_STAMP` can begin: the start of a line whose first word (after blanks) is
    "FILED", "DELIVERED" or "Filed"."""
    out = []
    for w in ("FILED", "DELIVERED", "Filed"):
        i = text.find(w)
        while i != -1:
            b = i
            while b > 0 and text[b - 1] in " \t":
                b -= 1
            if b == 0 or text[b - 1] == "\n":
                out.append(b)
            i = text.find(w, i + 1)
    return out


def filing_date(text: str) -> FoundDate | None:
    # "FILED"/"DELIVERED"/"Filed" (case as written) and "filed" (any case) are what the two patterns need.
    if "FILED" in text or "DELIVERED" in text or "Filed" in text:
        for m in finditer_from(_FILED_STAMP, text, (), cased=True, extra=_stamp_starts(text)):
            gap = _BLANKS.match(text, m.end()).end()  # a stamp may spread over lines
            ds = find_dates(text, m.end(), min(len(text), gap + 40))
            if ds and (ds[0].start - m.end() < 5 or not text[m.end() : ds[0].start].strip()):
                return ds[0]
    low = lower_same(text)
    if low is not None and "filed" not in low:
        return None
    for m in finditer_from(_FILED_ON, text, ("this", "hereby", "filed")):
        # "the original certificate was filed ... on" describes an earlier filing, not this one
        before = text[max(0, m.start() - 80) : m.start()].lower()
        if "original" in before or "originally" in before:
            continue
        ds = find_dates(text, m.end(), min(len(text), m.end() + 40))
        if ds and ds[0].start == m.end():
            return ds[0]
    return None


def effective_date(text: str) -> FoundDate | None:
    low = lower_same(text)
    if low is not None and "effective" not in low:
        return None
    for m in _EFFECTIVE.finditer(text):
        ds = find_dates(text, m.end(), min(len(text), m.end() + 60))
        if ds and ds[0].start - m.end() < 30:
            return ds[0]
    return None
