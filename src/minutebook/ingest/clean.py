"""Page furniture and line-break artefacts: what is printed on the page but is not operative text.

Removes page numbers ("Page 2 of 5", "- 2 -", a bare "2"), form feeds, and running headers or
footers repeated at page breaks; joins words hyphenated across a line break ("incor-\\nporation").
The result keeps its map to the source, so facts found later still point at the right line.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter

from .textmap import Builder, MappedText

_PAGE_NUMBER_TEXT = (
    r"[ \t]*(?:(?:page|pg\.?)[ \t]+\d{1,3}(?:[ \t]+of[ \t]+\d{1,3})?|[-–—][ \t]*\d{1,3}[ \t]*[-–—]"
    r"|\d{1,3}|\(\d{1,3}\))[ \t]*"
)
_PAGE_NUMBER = re.compile(rf"^{_PAGE_NUMBER_TEXT}$", re.I)
# A line `_PAGE_NUMBER` matches, found at the newline before it (a pattern that begins with "\n" is quick to
# search for; the first line is tested on its own).
_PAGE_NUMBER_LINE = re.compile(rf"\n(?={_PAGE_NUMBER_TEXT}(?:\n|\Z))", re.I)
_HYPHEN_BREAK = re.compile(r"([a-z])-[ \t]*\n[ \t]*([a-z])")


def clean(mt: MappedText) -> MappedText:
    text = mt.text
    if "\f" in text:
        text = text.replace("\f", "\n")
        mt = MappedText(text, mt.origin, mt.file)
    drop: set[int] = set()
    breaks: list[int] = []
    if "\f" in mt.file.text:
        lines = _lines(text)
        for i, (s, e) in enumerate(lines):
            line = text[s:e]
            if line.strip() and _PAGE_NUMBER.match(line) and _isolated(text, lines, i):
                drop.add(i)
                breaks.append(i)
            elif "\f" in mt.file.text[mt.src(s) : mt.src(s) + 1]:
                breaks.append(i)
    else:
        # No form feed in the file: the breaks are the page numbers alone, and only their lines are tested.
        found = _page_number_lines(text)
        lines = _lines(text) if found else []
        for i in found:
            if _isolated(text, lines, i):
                drop.add(i)
                breaks.append(i)
    if breaks:
        drop |= _running_heads(text, lines, breaks)
    cuts = sorted([lines[i] for i in drop] + _mid_sentence_gaps(text, lines, drop))
    b = Builder(mt.file)
    pos = 0
    for s, e in cuts:
        if s < pos:
            continue
        b.copy(mt, pos, s)
        pos = e
    b.copy(mt, pos, len(text))
    out = b.build() if cuts else mt
    return _dehyphenate(out)


def _page_number_lines(text: str) -> list[int]:
    """The lines (numbered from 0) that `_PAGE_NUMBER` matches, in order."""
    first = text[: text.find("\n")] if "\n" in text else text
    found = [0] if first.strip() and _PAGE_NUMBER.match(first) else []
    # each match's line counted on from the last one's (counting from 0 for each is quadratic)
    line, at = 0, 0
    for m in _PAGE_NUMBER_LINE.finditer(text):
        line += text.count("\n", at, m.start()) + 1
        at = m.start() + 1
        found.append(line)
    return found


def _mid_sentence_gaps(text: str, lines, drop: set[int]) -> list[tuple[int, int]]:
    """Where a page break fell mid-sentence ("... of the par" / page furniture / "value $.01 ..."), the blank
    lines left around the removed furniture are closed up, so the sentence reads on."""
    out = []
    done = -1  # the end of the last run of removed and blank lines looked at: each run is closed up once
    for i in sorted(drop):
        if i < done:
            continue
        j = i - 1
        while j >= 0 and (j in drop or not text[lines[j][0] : lines[j][1]].strip()):
            j -= 1
        k = i + 1
        while k < len(lines) and (k in drop or not text[lines[k][0] : lines[k][1]].strip()):
            k += 1
        done = k
        if j < 0 or k >= len(lines):
            continue
        before = text[lines[j][0] : lines[j][1]].rstrip()
        after = text[lines[k][0] : lines[k][1]].lstrip()
        if before and after and before[-1] not in '.:;!?"”)' and (after[0].islower() or after[0] in "$("):
            out.append((lines[j][1], lines[k][0] - 1))
    return out


class _Lines:
    """The (start, end) of each line of a text, newline left out, as the list `[(s, e), ...]` reads: held as
    an array of line starts (8 bytes a line, where a list of tuples takes some 130)."""

    __slots__ = ("starts", "size")

    def __init__(self, text: str):
        starts = array("q", [0])
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts, self.size = starts, len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> tuple[int, int]:
        starts = self.starts
        if i < 0:
            i += len(starts)
        if not 0 <= i < len(starts):
            raise IndexError("line index out of range")
        return starts[i], (starts[i + 1] - 1 if i + 1 < len(starts) else self.size)

    def __iter__(self):
        return (self[i] for i in range(len(self.starts)))


def _lines(text: str) -> _Lines:
    """The lines of `text`: for each, (start, end) with the newline left out."""
    return _Lines(text)


def _isolated(text: str, lines, i: int) -> bool:
    """A page number stands alone: blank line (or start/end) on at least one side."""
    before = i == 0 or not text[lines[i - 1][0] : lines[i - 1][1]].strip()
    after = i + 1 >= len(lines) or not text[lines[i + 1][0] : lines[i + 1][1]].strip()
    if not (before or after):
        return False
    # A bare number or roman numeral right before text is more likely a list marker.
    line = text[lines[i][0] : lines[i][1]].strip()
    return not (line.isdigit() or line.strip("()").isdigit() or line.isalpha()) or (before and after)


def _running_heads(text: str, lines, breaks: list[int]) -> set[int]:
    """Lines that recur next to two or more page breaks are running headers/footers."""
    near: dict[str, list[int]] = {}
    for bi in breaks:
        for step in (-1, 1):
            j, seen = bi + step, 0
            while 0 <= j < len(lines) and seen < 2:
                line = text[lines[j][0] : lines[j][1]].strip()
                if line:
                    key = re.sub(r"\d+", "#", line.lower())
                    near.setdefault(key, []).append(j)
                    seen += 1
                j += step
    counts = Counter({k: len(set(v)) for k, v in near.items()})
    out: set[int] = set()
    for key, n in counts.items():
        if n >= 2 and len(key) < 100:
            out.update(near[key])
    return out


# Where a word is hyphenated across a line break: `_HYPHEN_BREAK` is tried only at the letter before each
# hyphen at the end of a line (a pattern that begins with a letter is tried at every letter).
_HYPHEN_AT_BREAK = re.compile(r"-(?=[ \t]*\n)")


def _dehyphenate(mt: MappedText) -> MappedText:
    text = mt.text
    if "-" not in text:
        return mt
    b = Builder(mt.file)
    pos = 0
    found = False
    match = _HYPHEN_BREAK.match
    after = 0  # where the last match ended: `finditer` goes on from there
    for h in _HYPHEN_AT_BREAK.finditer(text):
        m = match(text, h.start() - 1) if h.start() - 1 >= after else None
        if not m:
            continue
        after = m.end()
        found = True
        b.copy(mt, pos, m.start(1) + 1)
        pos = m.start(2)
        # keep the line structure: the joined word's tail moves up, the newline follows it
    if not found:
        return mt
    b.copy(mt, pos, len(text))
    return b.build()
