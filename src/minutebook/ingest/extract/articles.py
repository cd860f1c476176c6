"""Articles of a charter: "FIRST:", "FOURTH" alone on a line, "\\"FOURTH\\"", "ARTICLE IV — CAPITAL STOCK".

`find_headings` lists candidate headings with their ordinal; `split_articles` turns a charter body
into `(number, heading, start, end)` spans, keeping only headings that ascend.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from ...core.charter import article_label  # noqa: F401 - re-exported: "FOURTH" for 4
from ..textmap import lower_slice

ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_ORD_NUM = {w: i + 1 for i, w in enumerate(ORDINALS)}
_ORD_ALT = "|".join(sorted(ORDINALS, key=len, reverse=True))
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_HEADING = re.compile(
    rf"^[ \t]*(?:[\"“”'][ \t]*)?(?:(?P<art>ARTICLE|Article)[ \t]+)?"
    rf"(?P<ord>(?i:{_ORD_ALT}))[ \t]*(?:[\"“”'][ \t]*)?(?P<sep>[:.\-—–]|$|(?<=[ \t])(?=[A-Z][a-z]))"
    rf"|^[ \t]*(?:[\"“”'][ \t]*)?(?P<art2>ARTICLE|Article)[ \t]+(?P<num>[IVXLC]+|\d{{1,2}})\b[ \t]*(?:[\"“”'][ \t]*)?"
    rf"(?P<sep2>[:.,\-—–]|$|(?=[A-Z]{{2}})|(?<=[ \t])(?=[A-Z][a-z]))"
    rf"|(?<=[.;][ \t])(?P<ord3>{_ORD_ALT.upper()})[ \t]*:",
    re.M,
)


class _Stop:
    """The start of a signature block: a compiled pattern whose `search` tries it only where a match can
    begin. Every match holds one of `_TRIGGERS` (the text lowered), preceded only by whitespace and the
    "IN" of "IN WITNESS" or a "By:": each match begins in the run of such characters before a trigger."""

    __slots__ = ("pattern_",)
    _TRIGGERS = ("witness", "signed", "/s/", "(s)", "dated:")
    _LEAD = frozenset("inby:")

    def __init__(self, pattern: re.Pattern):
        self.pattern_ = pattern

    def __getattr__(self, name: str):
        return getattr(self.pattern_, name)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        endpos = min(endpos, len(text))
        low = lower_slice(text, pos, endpos) if 0 <= pos <= endpos else None
        if low is None:
            return self.pattern_.search(text, pos, endpos)
        found: list[int] = []
        for w in self._TRIGGERS:
            i = low.find(w)
            while i != -1:
                found.append(i)
                i = low.find(w, i + 1)
        match, lead = self.pattern_.match, self._LEAD
        lo = 0
        for t in sorted(found):
            b = t
            while b > lo and (low[b - 1] in lead or low[b - 1].isspace()):
                b -= 1
            for q in range(b, t + 1):
                m = match(text, pos + q, endpos)
                if m:
                    return m
            lo = t + 1
        return None


STOP = _Stop(
    re.compile(
        r"IN\s+WITNESS\s+WHEREOF|\bSigned\s+on\b|^[ \t]*(?:By:\s*)?/s/|^[ \t]*\(s\)|^[ \t]*Dated:",
        re.M | re.I,
    )
)


@dataclass(frozen=True, slots=True)
class Heading:
    number: int
    start: int  # start of the heading text
    end: int  # end of the heading (where the article text begins)
    label: str


def roman(s: str) -> int | None:
    s = s.upper()
    if s.isdigit():
        return int(s)
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN.get(c)
        if v is None:
            return None
        nxt = _ROMAN.get(s[i + 1], 0) if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    return total or None


# Where a heading can begin: a line whose first word (after blanks and a quote) is "Article" or an
# ordinal, or an upper-case ordinal after ". " or "; ". `_HEADING` begins with "^" or a look-behind, so
# `finditer` would try it at every position. (A case-insensitive alternation of the ordinals is slow to
# try even at each line: a line's first word is tested on the text lowered instead.)
_LINE_HEAD = re.compile("\n[ \t]*(?:[\"“”'][ \t]*)?(?=[AEFNSTaefnst\u017f])")
_HEAD_WORDS = ("article", *ORDINALS)
_RUN_IN_HEAD = re.compile(r"[.;][ \t](?=[EFNST][A-Z])")


def _heading_matches(text: str, start: int, end: int):
    """`_HEADING.finditer(text, start, end)`, trying the pattern only where a heading can begin."""
    lo = max(0, start - 1)
    low = lower_slice(text, lo, end)
    cands = {
        m.start() + 1
        for m in _LINE_HEAD.finditer(text, lo, end)
        if low is None or low.startswith(_HEAD_WORDS, m.end() - lo)
    }
    cands.update(m.end() for m in _RUN_IN_HEAD.finditer(text, max(0, start - 2), end))
    if start == 0:
        cands.add(0)
    pos = start
    match = _HEADING.match
    for i in sorted(cands):
        if pos <= i < end:
            m = match(text, i, end)
            if m:
                yield m
                pos = m.end()


def find_headings(text: str, start: int = 0, end: int | None = None) -> list[Heading]:
    out = []
    end = len(text) if end is None else end
    for m in _heading_matches(text, start, end):
        if m.group("ord"):
            word = m.group("ord")
            # "Fourth" as a heading is capitalised (FOURTH or Fourth), never "fourth"
            if word[0].islower():
                continue
            if not m.group("art") and not word.isupper() and m.group("sep") not in (":", ""):
                continue
            if not m.group("sep") and not m.group("art") and text[m.end() : m.end() + 1] not in ("\n", ""):
                continue  # "FIRST The name ..." is a heading only as "ARTICLE FIRST The name ..."
            n = _ORD_NUM[word.lower()]
        elif m.group("num"):
            n = roman(m.group("num"))
            if n is None:
                continue
        else:
            n = _ORD_NUM[m.group("ord3").lower()]
        label_end = m.end()
        # "ARTICLE IV — CAPITAL STOCK": keep an all-caps title on the same line as part of the heading
        line_end = text.find("\n", label_end)
        line_end = end if line_end == -1 or line_end > end else line_end
        rest = text[label_end:line_end].strip()
        if m.group("num") and rest and rest.upper() == rest and len(rest) < 60:
            label_end = line_end
        out.append(
            Heading(
                n,
                m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t\"“”'"))),
                label_end,
                " ".join(text[m.start() : label_end].strip(" \t\"“”'").split()),
            )
        )
    return out


def split_articles(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str, int, int]]:
    """Articles of a charter body: ascending headings; each article runs to the next heading or to a
    signature block, whichever comes first (articles may follow a signature, as on a state's form
    with an attached continuation)."""
    end = len(text) if end is None else end
    heads: list[Heading] = []
    for h in find_headings(text, start, end):
        if heads and h.number <= heads[-1].number:
            continue
        if not heads and h.number > 3:
            continue  # a charter starts at its first articles; a lone "FOURTH" is not a charter
        heads.append(h)
    out = []
    for i, h in enumerate(heads):
        a_end = heads[i + 1].start if i + 1 < len(heads) else end
        stop = STOP.search(text, h.end, a_end)
        out.append((h.number, h.label, h.end, stop.start() if stop else a_end))
    return out


def paragraphs(text: str, start: int, end: int) -> list[tuple[str | None, int, int]]:
    """Numbered paragraphs of an article ("1.", "2.", ... in sequence, even run together on a line),
    or the whole article as one paragraph."""
    return list(_paragraphs(text, start, end))


# "1. " before a capital, at the start of the text or after a blank; "(a) " or "a) ", and "A. ", at the start
# of a line. Each is found by what follows its start (a digit, a new line), which is quicker than trying
# "^" or a look-behind at every position; the start is then checked.
_NUMBERED = re.compile(r"(\d{1,2})\.\s+(?=[A-Z])")
_STOP_CAPITAL = re.compile(r"\.\s+[A-Z]")
_LETTERED = (
    (re.compile(r"[ \t]*\(?([a-z])\)[ \t]+"), re.compile(r"\n[ \t]*\(?([a-z])\)[ \t]+"), "a"),
    (re.compile(r"[ \t]*([A-Z])\.[ \t]+"), re.compile(r"\n[ \t]*([A-Z])\.[ \t]+"), "A"),
)


@lru_cache(maxsize=256)
def _paragraphs(text: str, start: int, end: int) -> tuple[tuple[str | None, int, int], ...]:
    body = text[start:end]
    marks = []
    expected = 1
    search = _NUMBERED.search
    # a numbered paragraph's mark holds a stop, blanks and a capital: a text with none (a table of figures) is not
    # searched for digits
    m = search(body) if _STOP_CAPITAL.search(body) else None
    while m:
        q = m.start()
        if q and not body[q - 1].isspace():
            m = search(body, q + 1)
            continue
        if int(m.group(1)) == expected:
            marks.append((m.group(1), start + q))
            expected += 1
        m = search(body, m.end())
    if len(marks) < 2:
        for first, rest, conv in _LETTERED:
            marks, expected = [], ord(conv)
            m0 = first.match(body)
            found = [(m0.group(1), 0)] if m0 else []
            found += [(m.group(1), m.start() + 1) for m in rest.finditer(body, m0.end() if m0 else 0)]
            for label, q in found:
                if ord(label) == expected:
                    marks.append((label, start + q))
                    expected += 1
            if len(marks) >= 2:
                break
    if len(marks) < 2:
        return ((None, start, end),)
    out = []
    if text[start : marks[0][1]].strip():
        out.append((None, start, marks[0][1]))
    for i, (label, s) in enumerate(marks):
        out.append((label, s, marks[i + 1][1] if i + 1 < len(marks) else end))
    return tuple(out)
