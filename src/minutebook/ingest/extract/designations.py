"""Series of preferred stock created by a document (§151(g)): a certificate of designations, an amendment
that designates series, or a charter that creates one; each series' name, number of shares, par value,
and whether the board adopted the resolution. Also the classes such a document states on the way
("the Certificate of Incorporation authorizes 1,000,000 shares of Preferred Stock, par value $.01";
"senior to the common stock, par value $0.05 per share"), so that a designation read on its own still
says what it knows of the capital.

A series is named ("Series B 5% Convertible Preferred Stock", "7.25% Series B Non-Voting Convertible
Preferred Stock", or any quoted name ending in "Preferred Stock" that the text designates) and sized in
one sentence, in either order: "2,000 shares ... designated Series B ...", "designated as Series B ...
consisting of 2,000 shares", "the number of shares constituting such series shall be 100,000", "the
maximum number of shares of Series A Preferred Stock shall be one". Other series a document mentions
(ranking against an earlier series, say) are references: they carry no size of their own.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from operator import itemgetter

from ..textmap import finditer_from, lower_same
from .numbers import Amount, amounts, iter_amounts, words_to_int
from .stock import NO_PAR as _NO_PAR
from .stock import PAR, par_of

_PCT = r"(?:\d{1,2}(?:\.\d{1,3})?%\s+)?"
_ADJ = (
    r"(?:(?:Convertible|Participating|Junior|Senior|Redeemable|Non-?Voting|Voting|Cumulative|Non-?Cumulative|"
    r"Noncumulative|Exchangeable|Perpetual|Mandatory|Super|Fixed|Floating|Rate|Reset|Increasing)\s+)*"
)
SERIES_NAME = (
    rf"{_PCT}(?:Series|Class)\s+(?!of\b)[A-Z0-9][A-Za-z0-9-]{{0,4}}\s+{_PCT}{_ADJ}{_PCT}"
    r"(?:Convertible\s+)?(?:Preferred|Preference)(?:\s+(?:Stock|Shares))?"
)
_SERIES = re.compile(SERIES_NAME, re.I)
_QUOTED = re.compile(
    r"designated\s+(?:as\s+)?(?:the\s+)?[\"“]\s*(?P<n>[A-Z0-9][^\"”\n]{2,80}?(?:Preferred|Preference)"
    r"(?:\s+(?:Stock|Shares))?)\s*[\"”]"
)
_CUE = re.compile(
    r"designat|series\s+of|establish|creat|constitut|consist|number\s+of\s+(?:authorized\s+)?shares|authorized\s+to\s+issue",
    re.I,
)
# The words every match of `_CUE` begins with; a match of `_SERIES` begins with one of its words or a digit.
_CUE_STARTS = ("designat", "series", "establish", "creat", "constitut", "consist", "number", "authorized")
# Where a match of `_SERIES` can begin with a figure: the first digit of its percentage ("7.25% Series B").
_PCT_START = re.compile(r"\d(?=\d?(?:\.\d{1,3})?%)")
_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=[A-Z0-9(\"“])|\n\s*\n")
_PREFERRED = re.compile(r"\b(?:preferred|preference)\s+(?:stock|shares)\b", re.I)
_COMMON_PAR = re.compile(r"\bcommon\s+stock\b\s*,?\s*(?:\([^)]{0,40}\)\s*)?", re.I)
_SMALL_COUNT = re.compile(
    r"(?:shall\s+be|is|of)\s+(?:fixed\s+at\s+)?(?P<w>one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"(?!\s*\()(?:\s+(?:and\s+no\s+more|shares?))?",
    re.I,
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
    par: Decimal | None = None
    no_par: bool = False


@dataclass(slots=True)
class ClassMention:
    """A class the document states something of: its size where given, its par value."""

    kind: str  # "preferred" | "common"
    authorized: int | None
    par: Decimal | None
    no_par: bool
    start: int
    end: int


def _title_case(name: str) -> str:
    words = " ".join(name.split()).split(" ")
    return " ".join(w if (len(w) <= 2 and w.isupper()) or not w.isalpha() else w.capitalize() for w in words)


# `_SENTENCE` with the stop taken in (a look-behind first is tried at every position; a stop first is looked
# for): its matches are `_SENTENCE`'s, each a character earlier where it begins with a stop, in a text read
# from its start (where no stop before the range can precede its first blank).
# (Each alternative begins with a character of its own: a search skips to one.)
_SENTENCE_STOP = re.compile(r"\.\s+(?=[A-Z0-9(\"“])|;\s+(?=[A-Z0-9(\"“])|:\s+(?=[A-Z0-9(\"“])|\n\s*\n")


def _sentences(text: str, start: int, end: int):
    pos = start
    if start == 0:
        cuts = (
            (m.start() + (text[m.start()] in ".;:"), m.end()) for m in _SENTENCE_STOP.finditer(text, 0, end)
        )
    else:
        cuts = ((m.start(), m.end()) for m in _SENTENCE.finditer(text, start, end))
    for s, e in cuts:
        if s > pos:
            yield pos, s
        pos = e
    if pos < end:
        yield pos, end


_SHARES_NEXT = re.compile(r"\s*\)?\s*(?:shares?|authorized|of\s+the\s+shares)", re.I)
_SIZE_LEAD = re.compile(r"(?:shall\s+be|is|consist\s+of|up\s+to)\s*$", re.I)


def _share_amounts(text: str, s: int, e: int) -> list[Amount]:
    out = []
    for a in iter_amounts(text, s, e):
        if a.value is None or text[max(s, a.start - 2) : a.start].strip().endswith("$"):
            continue
        after = text[a.end : a.end + 30]
        if _SHARES_NEXT.match(after) or _SIZE_LEAD.search(text[max(s, a.start - 30) : a.start]):
            out.append(a)
    return out


MAX_SERIES = 1_000
"""Series read from one document at most. A certificate designates one series or a few, a restated charter of a
long-lived company a few dozen; past this, a text is generated or pasted together, and each further series would
cost memory and time in every version after it. The rest are not read, and the reader says so (`SeriesFound.unread`)."""


@dataclass(slots=True)
class SeriesFound:
    """What `read_series` found: the series in the order named, and where the first one past `MAX_SERIES` is named
    (None when none was left unread)."""

    found: list[SeriesRead]
    unread: tuple[int, int] | None = None


def read_series(text: str, start: int, end: int, title: str = "") -> list[SeriesRead]:
    """The series this text creates, in the order it names them (at most `MAX_SERIES`: `series_in`)."""
    return series_in(text, start, end, title).found


def series_in(text: str, start: int, end: int, title: str = "") -> SeriesFound:
    """The series this text creates, in the order it names them, up to `MAX_SERIES`; where one more is named, the
    reading stops there and says where."""
    by_board = next(finditer_from(_BY_BOARD, text, ("board", "resolved"), start, end), None) is not None
    par, no_par = preferred_par(text, start, end)
    found: dict[str, SeriesRead] = {}
    letters: dict[str, list[str]] = {}  # the keys in `found` by their series' letter
    aliases: dict[str, str] = {}  # a defined term ("the Junior Preferred Stock") -> the series' key
    unnamed: int | None = None  # a size stated for "a series" before its name is given
    ltext = lower_same(text)
    for s, e in _sentences(text, start, end):
        # the sentence is not cut out (nor lowered): one sentence can be the whole text
        if ltext is not None:
            # most sentences say neither: looked for in the text lowered
            if ltext.find("prefer", s, e) == -1 and ltext.find("series", s, e) == -1:
                continue
            designated = ltext.find("designated", s, e) != -1
        else:
            low = text[s:e].lower()
            if not ("prefer" in low or "series" in low):
                continue
            designated = "designated" in low
        # `_CUE`, `_SERIES`, `_QUOTED` and `_CREATES` hold no look-behind nor word boundary at their start: tried in
        # the text from `s` to `e`, they match as in the sentence
        if next(finditer_from(_CUE, text, _CUE_STARTS, s, e), None) is None:
            continue
        # a name that begins with its percentage holds a "%": where the sentence holds none, the digits are not
        # looked at for one
        pct = _PCT_START if text.find("%", s, e) != -1 else None
        names = [
            (m.start(), m.end(), _title_case(m.group(0)))
            for m in finditer_from(_SERIES, text, ("series", "class"), s, e, start_re=pct)
        ]
        if designated:
            names += [
                (m.start("n"), m.end("n"), _title_case(m.group("n")))
                for m in _QUOTED.finditer(text, s, e)
                if not _SERIES.fullmatch(m.group("n").strip())
            ]
        if not names:
            if unnamed is None and _UNNAMED.search(text[s:e]):
                unnamed = _size(
                    text, s, e, []
                )  # "a series of the preferred stock, which shall consist of up to N"
            continue
        names.sort()
        sizes = _sizes(text, s, e, names)
        for idx, (ns, ne, name) in enumerate(names):
            size = sizes[idx]
            key = _known(found, aliases, name, letters)
            alias = _ALIAS.match(text, ne, min(e, ne + 120))  # right after the name: `match` anchors at `ne`
            if alias:
                aliases[_key(alias.group("a"))] = key
            if key in found:
                if found[key].authorized is None and size is not None:
                    found[key].authorized = size
                continue
            if idx == 0 and size is None and not _CREATES.search(text, s, e):
                continue  # a mention, not the designation
            if idx > 0 and size is None:
                continue  # a reference in the same sentence ("ranks senior to the Series A Preferred Stock")
            if len(found) >= MAX_SERIES:
                return SeriesFound(list(found.values()), (ns, ne))
            found[key] = SeriesRead(name, size, ns, ne, by_board, par, no_par and par is None)
            _add_letter(letters, key, name)
    if not found and title:
        tm = _SERIES.search(title)
        if tm:
            name = _title_case(tm.group(0))
            found[_key(name)] = SeriesRead(name, None, start, start, by_board, par, no_par and par is None)
    if unnamed is not None and len(found) == 1:
        only = next(iter(found.values()))
        if only.authorized is None:
            only.authorized = unnamed
    return SeriesFound(list(found.values()))


_CREATES = re.compile(r"designat|creat|establish", re.I)
_UNNAMED = re.compile(r"\b(?:a|one|new)\s+series\s+of|designation\s+of\s+[\d,]+|series\s+of\s+up\s+to", re.I)


_ALIAS = re.compile(r"[\"”]?\s*,?\s*\((?:the|hereinafter[^\"“]{0,30})\s*[\"“]\s*(?P<a>[^\"”]{3,80}?)\s*[\"”]")
# a series' letter is its whole designator: "A-1" and "A-2" are two series, neither of them "A"
_LETTER = re.compile(r"\b(?:series|class)\s+([a-z0-9]{1,3}(?:-[a-z0-9]{1,3})*)(?![\w-])", re.I)


def _known(
    found: dict[str, SeriesRead], aliases: dict[str, str], name: str, letters: dict[str, list[str]]
) -> str:
    """The key of the series `name` stands for: itself, a defined alias, or the one series of that letter
    ("Series C Preferred Stock" for "Series C Convertible Preferred Stock"). `letters`: the keys in `found`
    by their series' letter (`_LETTER`'s group), in the order found (`_add_letter`)."""
    key = _key(name)
    if key in found:
        return key
    if key in aliases:
        return aliases[key]
    m = _LETTER.search(name)
    if m:
        same = letters.get(m.group(1), ())
        if len(same) == 1:
            return same[0]
    return key


def _add_letter(letters: dict[str, list[str]], key: str, name: str) -> None:
    m = _LETTER.search(name)
    if m:
        letters.setdefault(m.group(1), []).append(key)


_NON_KEY = re.compile(r"[^a-z0-9]+")


def _key(name: str) -> str:
    return _NON_KEY.sub("_", name.lower().replace(" stock", "")).strip("_")


def _sizes(text: str, s: int, e: int, names) -> list[int | None]:
    """Each named series' number of shares, stated in the sentence that names it: the number just before its
    name ("4,120,000 shares ... are designated Series Seed, 6,875,400 shares ... Series A"), else just after
    ("designated Series D ... consisting of 40,000 shares"), never one that belongs to a neighbour."""
    shares = _share_amounts(text, s, e)
    spans = _Spans(names)
    cands = sorted((a for a in shares if not _is_parent_total(text, a, s, spans)), key=lambda a: a.start)
    starts = array("q", (a.start for a in cands))
    out: list[int | None] = []
    for idx, (ns, ne, _name) in enumerate(names):
        lo = names[idx - 1][1] if idx else s
        hi = names[idx + 1][0] if idx + 1 < len(names) else e
        # the last figure in [lo, ns), else the first in [ne, hi): found by bisection, not by a scan of all
        j = bisect_left(starts, ns) - 1
        k = bisect_left(starts, ne)
        if j >= 0 and starts[j] >= lo:
            out.append(cands[j].value)
        elif k < len(starts) and starts[k] < hi:
            out.append(cands[k].value)
        else:
            out.append(None)
    if names and out[0] is None:
        out[0] = _size(text, s, e, [], shares)
    return out


def _size(text: str, s: int, e: int, names, shares: list[Amount] | None = None) -> int | None:
    """A number of shares the sentence states for a series it does not name (`shares`: the sentence's
    `_share_amounts`, where the caller has them)."""
    shares = _share_amounts(text, s, e) if shares is None else shares
    spans = _Spans(names)
    cands = [a for a in shares if not _is_parent_total(text, a, s, spans)]
    if cands:
        return cands[0].value
    m = _SMALL_COUNT.search(text, s, e)
    if m and _COUNT_CUE.search(text[s:e]):
        return words_to_int(m.group("w"))
    return None


_COUNT_CUE = re.compile(r"number\s+of\s+(?:authorized\s+)?shares|series\s+of", re.I)
_OF_PREFERRED = re.compile(
    r"\s*\)?\s*shares\s+of\s+(?:its\s+|the\s+)?(?:authorized\s+)?preferred\s+stock", re.I
)
_ISSUE_CUE = re.compile(r"authori[sz]ed\s+to\s+issue|authority\s+to\s+issue|authorizes", re.I)
_PREFERRED_OR_SERIES = re.compile(r"preferred|series", re.I)


class _Spans:
    """The spans of the series named in a sentence, asked whether one holds a place: `holds(x)` is
    `any(ns <= x < ne for ns, ne, _ in names)`, by bisection (a sentence naming thousands of series asked it
    for each of thousands of figures was quadratic)."""

    __slots__ = ("starts", "reach")

    def __init__(self, names) -> None:
        spans = sorted(names, key=itemgetter(0))
        self.starts = array("q", (ns for ns, _, _ in spans))
        self.reach = array("q", accumulate((ne for _, ne, _ in spans), max))  # the furthest end so far

    def holds(self, x: int) -> bool:
        k = bisect_right(self.starts, x) - 1
        return k >= 0 and self.reach[k] > x


def _is_parent_total(text: str, a: Amount, s: int, spans: _Spans) -> bool:
    """ "authorized to issue up to 50,000,000 shares of Preferred Stock" in a sentence that then designates a
    series: the class's size, not the series'. `spans`: the series the sentence names."""
    after = text[a.end : a.end + 80]
    if spans.holds(a.start):
        return True
    if not _OF_PREFERRED.match(after):
        return False
    before = text[max(s, a.start - 80) : a.start]
    return bool(_ISSUE_CUE.search(before))


# The last texts `preferred_par` read, with the span and what it found: a designation's series and its classes
# both ask it of the whole document.
_PAR_KEPT: tuple[tuple[str, int, int, tuple[Decimal | None, bool]], ...] = ()


def preferred_par(text: str, start: int, end: int) -> tuple[Decimal | None, bool]:
    """The par value the text gives the preferred stock (the first one stated next to it), or no par."""
    global _PAR_KEPT
    kept = _PAR_KEPT
    for t, s, e, found in kept:
        if t is text and s == start and e == end:
            return found
    found = _preferred_par(text, start, end)
    _PAR_KEPT = ((text, start, end, found), *kept[:3])
    return found


# What every match of `PAR` holds ("par value", "per value") or of `NO_PAR` ("par"): a mention of the preferred
# stock with neither in reach is passed over without its windows cut out and searched.
_PAR_WORD = re.compile(r"par|per\s+value", re.I)


def _preferred_par(text: str, start: int, end: int) -> tuple[Decimal | None, bool]:
    # the next `_PAR_WORD` that does not begin before the current mention's window: the mentions come in order,
    # and each window begins no earlier than the one before
    words = _PAR_WORD.finditer(text, start, end)
    word = next(words, None)
    for m in finditer_from(_PREFERRED, text, ("prefer",), start, end):
        lo, hi = max(start, m.start() - 120), min(end, m.end() + 90)
        while word is not None and word.start() < lo:
            word = next(words, None)
        if word is None:
            break
        if word.end() > hi:
            continue  # no `PAR` nor `NO_PAR` in the window before the mention nor in the one after it
        window = text[m.end() : min(end, m.end() + 90)]
        pm = PAR.search(window)
        if pm and not _PREFERRED.search(window[: pm.start()]):
            return par_of(pm), False
        before = text[max(start, m.start() - 120) : m.start()]
        pb = PAR.search(before)
        if pb and _PREFERRED_OR_SERIES.search(before[pb.end() :]):
            return par_of(pb), False
        if _NO_PAR.search(window[:60]) or _NO_PAR.search(before[-60:]):
            return None, True
    return None, False


_PREFERRED_TOTAL = re.compile(
    r"(?:authori[sz]ed\s+to\s+issue|authority\s+to\s+issue|authorizes)\s+(?:up\s+to\s+)?(?P<a>[^.;]{1,130}?)\s*"
    r"shares\s+of\s+(?:its\s+|the\s+)?preferred\s+stock"
    r"|authorizes\s+(?:the\s+issuance\s+of\s+)?preferred\s+stock\s+consisting\s+of\s+(?P<b>[^.;]{1,80}?)\s*shares",
    re.I,
)


def class_mentions(text: str, start: int, end: int) -> list[ClassMention]:
    """The preferred class's authorized number and par, and the common stock's par, as a designation
    states them in passing."""
    out: list[ClassMention] = []
    m = next(finditer_from(_PREFERRED_TOTAL, text, ("authori",), start, end), None)
    par, no_par = preferred_par(text, start, end)
    if m:
        g = "a" if m.group("a") else "b"
        found = amounts(text, m.start(g), m.end(g))
        value = found[-1].value if found else None
        out.append(ClassMention("preferred", value, par, no_par and par is None, m.start(), m.end()))
    elif par is not None or no_par:
        out.append(ClassMention("preferred", None, par, no_par and par is None, start, start))
    for cm in finditer_from(_COMMON_PAR, text, ("common",), start, end):
        window = text[cm.end() : min(end, cm.end() + 40)]
        pm = _HAVING_PAR.match(window)
        if pm:
            v = par_of(pm)
            out.append(ClassMention("common", None, v, False, cm.start(), cm.end() + pm.end()))
            return out
    pm = next(finditer_from(_PAR_OF_COMMON, text, ("par",), start, end), None)
    if pm:
        out.append(ClassMention("common", None, par_of(pm), False, pm.start(), pm.end()))
    return out


_HAVING_PAR = re.compile(r"(?:having\s+a\s+)?" + PAR.pattern, re.I)
# "The par value of the Common Stock following the Reverse Stock Split shall remain $0.0001 per share."
_PAR_OF_COMMON = re.compile(
    r"\bpar\s+value\s+of\s+(?:the\s+|its\s+|each\s+share\s+of\s+(?:the\s+)?)?Common\s+Stock\b[^.$]{0,80}?"
    r"(?:shall\s+(?:remain|be|continue\s+to\s+be)|is|remains|will\s+(?:remain|be))\s+\$\s*(?P<v>\d*\.?\d+)",
    re.I,
)
