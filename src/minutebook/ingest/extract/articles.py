"""Articles of a charter: "FIRST:", "FOURTH" alone on a line, "\\"FOURTH\\"", "ARTICLE IV — CAPITAL STOCK".

`find_headings` lists candidate headings with their ordinal; `split_articles` turns a charter body
into `(number, heading, start, end)` spans, keeping only headings that ascend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ORD_NUM = {w: i + 1 for i, w in enumerate(ORDINALS)}
_ORD_ALT = "|".join(sorted(ORDINALS, key=len, reverse=True))
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_HEADING = re.compile(
    rf"^[ \t]*[\"“”']?[ \t]*(?:(?P<art>ARTICLE|Article)[ \t]+)?"
    rf"(?P<ord>(?i:{_ORD_ALT}))[ \t]*[\"“”']?[ \t]*(?P<sep>[:.\-—–]|$)"
    rf"|^[ \t]*[\"“”']?[ \t]*(?P<art2>ARTICLE|Article)[ \t]+(?P<num>[IVXLC]+|\d{{1,2}})\b[ \t]*[\"“”']?[ \t]*"
    rf"(?P<sep2>[:.,\-—–]|$|(?=[A-Z]{{2}}))"
    rf"|(?<=[.;][ \t])(?P<ord3>{_ORD_ALT.upper()})[ \t]*:",
    re.M,
)
STOP = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|\bSigned\s+on\b|^[ \t]*(?:By:\s*)?/s/|^[ \t]*\(s\)|^[ \t]*Dated:",
    re.M | re.I,
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


def find_headings(text: str, start: int = 0, end: int | None = None) -> list[Heading]:
    out = []
    end = len(text) if end is None else end
    for m in _HEADING.finditer(text, start, end):
        if m.group("ord"):
            word = m.group("ord")
            # "Fourth" as a heading is capitalised (FOURTH or Fourth), never "fourth"
            if word[0].islower():
                continue
            if not m.group("art") and not word.isupper() and m.group("sep") not in (":", "") :
                continue
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
        out.append(Heading(n, m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t\"“”'"))),
                           label_end, " ".join(text[m.start():label_end].strip(" \t\"“”'").split())))
    return out


def article_label(n: int) -> str:
    return ORDINALS[n - 1].upper() if 0 < n <= len(ORDINALS) else str(n)


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
    marks = []
    expected = 1
    for m in re.finditer(r"(?:^|(?<=\s))(\d{1,2})\.\s+(?=[A-Z])", text[start:end], re.M):
        if int(m.group(1)) == expected:
            marks.append((m.group(1), start + m.start()))
            expected += 1
    if len(marks) < 2:
        for pat, conv in ((r"(?:^|(?<=\n))[ \t]*\(?([a-z])\)[ \t]+", "a"), (r"(?:^|(?<=\n))[ \t]*([A-Z])\.[ \t]+", "A")):
            marks, expected = [], ord(conv)
            for m in re.finditer(pat, text[start:end]):
                if ord(m.group(1)) == expected:
                    marks.append((m.group(1), start + m.start()))
                    expected += 1
            if len(marks) >= 2:
                break
    if len(marks) < 2:
        return [(None, start, end)]
    out = []
    if text[start : marks[0][1]].strip():
        out.append((None, start, marks[0][1]))
    for i, (label, s) in enumerate(marks):
        out.append((label, s, marks[i + 1][1] if i + 1 < len(marks) else end))
    return out
