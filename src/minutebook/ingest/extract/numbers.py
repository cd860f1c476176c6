"""Share counts written in figures, in words, or both: "One Hundred Million (100,000,000)".

Figures are parsed strictly (groups of three after the first); OCR noise is read where the
reading is unambiguous ("l0,OOO" is 10,000; "1 50,000,000" is 150,000,000) and reported; a figure
whose grouping is broken ("150,000,00") is kept as malformed, with its candidate readings, for the
builder to reconcile against the rest of the charter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..textmap import finditer_from

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_WORD = "|".join(sorted(list(_UNITS) + list(_SCALES), key=len, reverse=True))
WORDS_RE = rf"(?:(?:{_WORD})(?:(?:[\s-]+|,[ \t]+)(?:and[\s-]+)?(?:{_WORD}))*)"

# A figure: digits (or the OCR look-alikes O/o/l/I) with comma groups; may be broken by one stray space. The
# groups are taken possessively: a figure followed by more digits is no figure, and giving groups back one by
# one, each time scanning the rest of the run for a digit, is quadratic on a long run of "9,9,9,...".
_D = r"[0-9OolI]"
FIGURE_RE = (
    rf"(?<![\w.,$])(?:\d (?=\d{{1,2}},\d{{3}})|\d\d (?=\d,\d{{3}}))?{_D}{{1,3}}"
    rf"(?:(?:,|\.(?=\d{{3}}\b))[ ]?{_D}{{1,4}})*+(?![\w,]*\d)"
)
_FIGURE = re.compile(FIGURE_RE)


@dataclass(frozen=True, slots=True)
class Figure:
    value: int | None  # None when malformed
    raw: str
    ocr: bool = False  # read through OCR look-alikes or a stray space
    candidates: tuple[int, ...] = ()  # readings of a malformed figure


def parse_figure(raw: str) -> Figure | None:
    """Parse a share-count figure. Returns None when `raw` is not a number at all."""
    try:
        return _parse_figure(raw)
    except ValueError:  # past Python's limit on the digits of an int: no share count
        return None


_LOOK_ALIKES = str.maketrans("OolI", "0011")
_DOT_GROUPS = re.compile(r"\d{1,3}(\.\d{3})+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_DECIMAL = re.compile(r"\d")  # a decimal digit, as `str.isdecimal` reads one (Unicode category Nd)


def _parse_figure(raw: str) -> Figure | None:
    s = raw.strip()
    if s.isdecimal() or _GROUPED.fullmatch(s):  # a plain figure, as the steps below read it
        return Figure(int(s.replace(",", "")), raw)
    if not _DECIMAL.search(s):
        return None
    fixed = s.translate(_LOOK_ALIKES)
    ocr = fixed != s
    if " " in fixed:
        fixed = fixed.replace(" ", "")
        ocr = True
    fixed = fixed.replace(".", ",") if _DOT_GROUPS.fullmatch(fixed) else fixed
    if "," not in fixed:
        if not fixed.isdecimal():  # not isdigit: a superscript is a digit int() cannot read
            return None
        return Figure(int(fixed), raw, ocr)
    groups = fixed.split(",")
    if not all(g.isdecimal() for g in groups):
        return None
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return Figure(int("".join(groups)), raw, ocr)
    digits = "".join(groups)
    cands = {int(digits)}
    bad = [g for g in groups[1:] if len(g) != 3]
    if bad and all(len(g) < 3 for g in bad):
        cands.add(int("".join(g.ljust(3, "0") if i else g for i, g in enumerate(groups))))
    return Figure(None, raw, ocr, tuple(sorted(cands)))


def words_to_int(words: str) -> int | None:
    tokens = [t for t in re.split(r"[\s,-]+", words.lower()) if t and t != "and"]
    if not tokens:
        return None
    total, current = 0, 0
    for t in tokens:
        if t in _UNITS:
            current += _UNITS[t]
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in _SCALES:
            total += (current or 1) * _SCALES[t]
            current = 0
        else:
            return None
    return total + current


# "One Hundred Million (100,000,000)", "100,000,000 (One Hundred Million)", or either alone.
_AMOUNT = re.compile(
    rf"(?P<w1>\b{WORDS_RE}\b)\s*\(\s*(?P<f1>{FIGURE_RE})\s*\)"
    rf"|(?P<f2>{FIGURE_RE})\s*\(\s*(?P<w2>{WORDS_RE})\s*\)"
    rf"|(?P<f3>{FIGURE_RE})"
    rf"|(?P<w3>\b{WORDS_RE}\b)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A number as written: `value` is the figure's reading (or the words' when only words)."""

    start: int
    end: int
    value: int | None
    figure: Figure | None
    words: str | None
    words_value: int | None

    @property
    def disagrees(self) -> bool:
        return (
            self.figure is not None
            and self.figure.value is not None
            and self.words_value is not None
            and self.figure.value != self.words_value
        )


# Where an amount can begin: a number word, or a figure's first character (a digit, or a look-alike O, l
# or I) after a character that cannot precede a figure. `_AMOUNT` is an alternation of such starts, which
# `finditer` would try at every position. A word that begins with look-alikes ("of", "is", "liability")
# gives at most a figure with no digit, which is dropped, within the word: it is tried only when a digit
# follows the look-alikes, or a comma or period that could continue the figure, or the parenthesis of
# "(one hundred)" (matched, and dropped, with the figure before it).
_FIGURE_START = re.compile(r"[^\w.,$](?=\d|[oli]+(?:\d|[,.]|\s*\())")
_NUMBER_WORDS = tuple(
    sorted(
        w for w in {**_UNITS, **_SCALES} if not any(v != w and w.startswith(v) for v in {**_UNITS, **_SCALES})
    )
)


# `_AMOUNT` as it reads where the text holds a digit: its alternatives that begin with a number word (a letter)
# cannot match there and are left out (their groups kept, never matched), and "figure (words)" or else the figure
# alone is the figure once, then the words if they follow (a figure that gives back characters is followed by more
# of itself, never by a parenthesis). The figure is its "f3", with or without the words.
_AMOUNT_AT_DIGIT = re.compile(
    rf"(?P<f3>{FIGURE_RE})(?:\s*\(\s*(?P<w2>{WORDS_RE})\s*\))?|(?!)(?P<w1>)(?P<f1>)(?P<f2>)(?P<w3>)",
    re.I,
)


class _AmountPattern:
    """`_AMOUNT` as `finditer_from` tries it: at a digit (most places it is tried), `_AMOUNT_AT_DIGIT`."""

    finditer = _AMOUNT.finditer

    @staticmethod
    def match(text: str, pos: int, endpos: int) -> re.Match | None:
        if pos < endpos and text[pos].isdecimal():
            return _AMOUNT_AT_DIGIT.match(text, pos, endpos)
        return _AMOUNT.match(text, pos, endpos)


def _amount_matches(text: str, start: int, end: int):
    """`_AMOUNT.finditer(text, start, end)`, trying the pattern only where an amount can begin (the text's
    start, after a figure-start boundary, or at a number word)."""
    yield from finditer_from(
        _AmountPattern, text, _NUMBER_WORDS, start, end, _FIGURE_START, offset=1, at_start=True
    )


def amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    return list(iter_amounts(text, start, end))


def iter_amounts(
    text: str,
    start: int = 0,
    end: int | None = None,
    keep: Callable[[int, int, int | None, str | None], bool] | None = None,
) -> Iterator[Amount]:
    """`amounts(text, start, end)` one at a time: a caller that keeps few of a long text's amounts (a table of
    figures) does not hold them all. `keep(start, end, value, words)`: where given, only the amounts it keeps
    are made and given (the others, most of a table's figures, are not each made an `Amount`)."""
    for m in _amount_matches(text, start, len(text) if end is None else end):
        w1, f1, f2, w2, f3, w3 = m.group("w1", "f1", "f2", "w2", "f3", "w3")
        fraw = f1 or f2 or f3
        wraw = w1 or w2 or w3
        fig = parse_figure(fraw) if fraw else None
        if fraw and fig is None:
            continue
        wv = words_to_int(wraw) if wraw else None
        if wraw and wv is None:
            continue
        if fig is None and wraw and not _substantial(wraw):
            continue
        value = fig.value if fig else wv
        if keep is None or keep(m.start(), m.end(), value, wraw):
            yield Amount(m.start(), m.end(), value, fig, wraw, wv)


def _substantial(words: str) -> bool:
    """Words alone count only when they are a real quantity ("one" alone is usually an article)."""
    w = words.lower()
    return any(s in w for s in ("hundred", "thousand", "million", "billion"))
