"""Authorized capital: the total, each class (and series), par value or no par, votes per share,
who may fix the terms of preferred stock, and stock splits and combinations.

Reads the sentences of a capital article ("The total number of shares ... is 25,000,000. The par
value of each of such shares is $.001. 20,000,000 of such shares shall be shares of common stock.")
and the one-sentence form ("... is One Hundred Ten Million (110,000,000) shares, consisting of (i)
One Hundred Million (100,000,000) shares of Common Stock, par value $0.0001 per share, and ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache, partial

from ..textmap import finditer_from, lower_slice
from .numbers import Amount, iter_amounts, words_to_int

CLASS_RE = (
    r"(?:(?:Class|Series)\s+[A-Z0-9]{1,3}(?:-\d)?\s+)?"
    r"(?:(?:Convertible|Non-?Voting|Voting|Participating|Redeemable|Junior|Senior|Serial|Exchangeable|"
    r"Blank\s+Check)\s+)*"
    r"(?:Common|Preferred|Preference|Capital|Ordinary)(?:\s+(?:Stock|Shares))?"
)
_CLASS = re.compile(CLASS_RE, re.I)
_SHARES_AFTER = re.compile(
    r"\s*\)?\s*(?:fully\s+paid\s+and\s+non-?assessable\s+)?(?:ordinary\s+|preference\s+)?shares?\b", re.I
)
_TOTAL_CUE = re.compile(
    r"total\s+number|aggregate\s+number|total\s+authorized|authorized\s+capital|authority\s+to\s+issue|"
    r"authorized\s+to\s+issue|authorized\s+(?:number|shares)|shall\s+consist\s+of",
    re.I,
)
_ALL_CLASSES = re.compile(
    r"^\W*(?:shares\s+)?(?:of\s+)?(?:all\s+classes|capital\s+stock|stock)\b|consisting|of\s+which|divided",
    re.I,
)
PAR = re.compile(
    r"\bp[ae]r\s+value\b(?:\s+(?:of|is|at|equal\s+to))*(?:[^$\d.]{0,60}?)\(?\s*\$\s*(?P<v>\d*\.?\d+)"
    r"|\$\s*(?P<v2>\d*\.?\d+)\s+p[ae]r\s+value"
    r"|\bp[ae]r\s+value\s+(?:of\s+|is\s+|at\s+)?(?P<v3>\d*\.\d+|\d+)\s*(?P<unit>cents?|dollars?|per\s+share|each)\b",
    re.I,
)
_PAR = PAR


def par_of(m: re.Match) -> Decimal | None:
    """The par value a `PAR` match states ("$0.001", "0.10 per share", "10 cents")."""
    g = m.groupdict()
    raw = g.get("v") or g.get("v2") or g.get("v3")
    value = _par_value(raw) if raw else None
    if value is not None and (g.get("unit") or "").lower().startswith("cent"):
        value = _par_value(str(value / 100))
    return value


NO_PAR = re.compile(r"\b(?:without|no)\s+(?:nominal\s+or\s+)?par\s+value\b|\bno-par\b|\bno\s+par\b", re.I)
_NO_PAR = NO_PAR
_GLOBAL_PAR = re.compile(
    r"p[ae]r\s+value\s+of\s+(?:each|all|the|such|said)\b(?:\s+of)?(?:\s+(?:such|said|the))?\s+shares?\b|"
    r"all\s+of\s+which\s+(?:shall\s+)?ha(?:ve|s)\s+a\s+par|all\s+of\s+which\s+shall\s+be\s+(?:without|of\s+no)\s+par",
    re.I,
)
_VOTES = re.compile(
    r"\b(?P<n>one|two|three|four|five|ten|twenty|fifty|one\s+hundred|\d{1,3})\s*(?:\(\d+\)\s*)?votes?\s+"
    r"(?:for|per|on\s+account\s+of)\s+(?:each\s+)?share",
    re.I,
)
_NONVOTING = re.compile(
    r"non-?voting|shall\s+(?:have\s+no|not\s+have\s+any)\s+voting\s+(?:rights|power)", re.I
)
_BLANK_CHECK = re.compile(
    r"(?P<h1>(?:the\s+)?[A-Z][A-Za-z\s]{2,60}?)\s+(?:of\s+the\s+Corporation\s+)?(?:\([^)]{0,40}\)\s+)?"
    r"(?:is|are|shall\s+be)\s+"
    r"(?:hereby\s+)?(?:expressly\s+)?(?:granted|vested|authorized|empowered|given)\b"
    r"|(?:authority|power)\s+(?:is|shall\s+be)\s+(?:hereby\s+)?(?:expressly\s+)?(?:granted\s+to|vested\s+in|"
    r"conferred\s+upon|given\s+to)\s+(?P<h2>(?:the\s+)?[A-Z][A-Za-z\s]{2,60}?)(?:\s+of\s+the\s+Corporation)?\s*"
    r"(?=[,(]|to\b|\s+(?:subject|by))"
    r"|(?:hereby\s+)?(?:expressly\s+)?(?:authorizes|vests\s+in|grants\s+to)\s+(?P<h3>(?:the\s+)?[A-Z][A-Za-z\s]{2,60}?)"
    r"(?:\s+of\s+the\s+Corporation)?\s*(?=[,(]|to\b|\s+(?:the|authority|power))",
)
_BLANK_PURPOSE = re.compile(
    r"(?:fix|determine|designate|establish|provide|issue)[^.]{0,400}?(?:preference|right|series|powers)",
    re.I | re.S,
)
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z(\"“]|\s*$|\s*\n\s*\n)|;\s*(?=and\b)|\n\s*\n", re.M)
_BLANK_PURPOSE_STARTS = ("fix", "determine", "designate", "establish", "provide", "issue")


def _blank_purpose(sent: str, low: str | None) -> bool:
    """`_BLANK_PURPOSE.search(sent)` found something. `low`: `sent` lowered where that keeps every offset (an
    ASCII sentence), for the pattern to be tried only where one of its first words is (a search tries an
    alternation of words at every place: a long table of figures is one long sentence)."""
    if low is None:
        return _BLANK_PURPOSE.search(sent) is not None
    match, find = _BLANK_PURPOSE.match, low.find
    for w in _BLANK_PURPOSE_STARTS:
        i = find(w)
        while i != -1:
            if match(sent, i):
                return True
            i = find(w, i + 1)
    return False


_SERIES_IN_CHARTER = re.compile(
    r"^\s*\)?\s*shares\s+of\s+(?:the\s+)?(?:authorized\s+)?(?:undesignated\s+)?(?P<cls>Preferred|Common)\s+Stock"
    r"[^.\"“]{0,80}?designated\s+(?:as\s+)?(?:the\s+)?[\"“]?(?P<name>(?:Series|Class)\s+[^\"”,.]{1,40}?"
    r"(?:Preferred|Common)\s+Stock)",
    re.I,
)
_CLASS_BEFORE = re.compile(
    r"number\s+of\s+(?:authorized\s+)?shares\s+of\s+(?:the\s+)?(?:Corporation'?s\s+)?(?P<cls>"
    + CLASS_RE
    + r")"
    r"(?!\s*(?:,|and|or)\s)(?=[^.;]{0,120}$)",
    re.I,
)
_KNOWN_AS = re.compile(
    r"\W*shares\s+of\s+(?:the\s+)?(?:authorized\s+)?capital\s+stock[^.;]{0,80}?(?:shall\s+be\s+(?:known|designated)|"
    r"(?:are|is)\s+(?:hereby\s+)?designated)\s+as\s+(?:the\s+)?[\"“]?(?P<cls>" + CLASS_RE + ")",
    re.I,
)
_SHALL_BE_CLASS = re.compile(
    r"\s*\)?\s*(?:shall\s+be|are|is)\s+(?:designated\s+(?:as\s+)?)?(?:shares\s+of\s+)?" + CLASS_RE, re.I
)
_PLACEHOLDER = re.compile(r"(?:\[[A-Za-z][^\]\n]{0,40}\]|\{\{[^}\n]{1,40}\}\}|_{4,})(?=\s+shares\b)")
_ONE_CLASS = re.compile(
    r"(?:only\s+)?one\s+class\s+of\s+(?:shares|stock|capital\s+stock)(?:\s+of\s+stock)?[^.]{0,40}?(?:designated|known)\s+"
    r"(?:as\s+)?(?:the\s+)?[\"“]?(?P<cls>" + CLASS_RE + ")",
    re.I,
)
_DOLLARS_AFTER = re.compile(r"\s*\)?\s*(?:Dollars|dollars|DOLLARS)\b")
_ALL_OF_WHICH = re.compile(
    r"all\s+of\s+which\s+(?:shall\s+be|are|is)\s+(?:designated\s+(?:as\s+)?)?(?:shares\s+of\s+)?[\"“]?"
    r"(?P<cls>" + CLASS_RE + ")",
    re.I,
)

_SPLIT = re.compile(
    r"each\s+(?P<old>(?:[a-z]+[\s-]*)?(?:\(\s*[\d,]+\s*\)|[\d,]+)|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty|fifty|hundred)?\s*(?:\(\s*[\d,]+\s*\)\s*)?(?:issued\s+and\s+outstanding\s+)?shares?\s+of\s+"
    r"(?:the\s+Corporation'?s?\s+)?(?P<cls>" + CLASS_RE + r")?"
    r"[^.]{0,300}?\b(?:shall|are|is|will)\b[^.]{0,120}?\b(?:be\s+)?(?:hereby\s+)?(?:automatically\s+)?"
    r"(?P<verb>combined|reclassified|converted|changed|split|subdivided|consolidated|exchanged)"
    r"[^.]{0,120}?\binto\s+(?P<new>(?:[a-z]+[\s-]*)?(?:\(\s*[\d,]+\s*\)|[\d,]+)|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|twenty|fifty|hundred)\s*(?:\(\s*[\d,]+\s*\)\s*)?(?:validly\s+issued,?\s+)?(?:fully[\s-]+paid"
    r"[^.]{0,40}?)?(?:shares?|share)\b",
    re.I,
)


@dataclass(slots=True)
class ClassRead:
    key: str
    name: str
    kind: str
    amount: Amount | None
    start: int
    end: int
    par: Decimal | None = None
    par_span: tuple[int, int] | None = None
    no_par: bool = False
    votes: int | None = None


@dataclass(slots=True)
class SplitRead:
    old: int
    new: int
    class_key: str | None
    start: int
    end: int

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.new, self.old)


@dataclass(slots=True)
class CapitalRead:
    total: Amount | None = None
    classes: list[ClassRead] = field(default_factory=list)
    holder: str | None = None
    holder_span: tuple[int, int] | None = None
    global_par: Decimal | None = None
    global_par_span: tuple[int, int] | None = None
    global_no_par: bool = False
    all_amounts: list[Amount] = field(default_factory=list)
    series: list[tuple[str, str, Amount]] = field(default_factory=list)  # (class key, series name, amount)


@lru_cache(maxsize=1024)
def class_key(name: str) -> tuple[str, str, str]:
    """("class_a_common", "Class A Common Stock", "common") for "class A common stock"."""
    if re.search(
        r"\bordinary\b", name, re.I
    ):  # "ordinary shares": the common stock of a company limited by shares
        cls = re.match(r"(?:class\s+([A-Z0-9]{1,3})\s+)?", name, re.I).group(1)
        if cls:
            return f"class_{cls.lower()}_ordinary", f"Class {cls.upper()} Ordinary Shares", "common"
        return "ordinary", "Ordinary Shares", "common"
    words = name.split()
    norm = " ".join(
        w.capitalize() if len(w) > 3 or w.lower() in ("common", "stock") else w.upper() for w in words
    )
    norm = re.sub(r"\bPreference\b", "Preferred", norm)
    if not re.search(r"\b(?:Stock|Shares)$", norm):
        norm += " Stock"
    norm = re.sub(r"\bShares$", "Stock", norm)
    kind = "preferred" if re.search(r"prefer", norm, re.I) else "common"
    key = re.sub(r"[^a-z0-9]+", "_", norm.lower().replace(" stock", "")).strip("_")
    if key == "capital":
        key, norm, kind = "common", "Common Stock", "common"
    return key, norm, kind


def _par_value(s: str) -> Decimal | None:
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return Decimal(format(d.normalize(), "f"))


def _sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > pos:
            out.append((pos, m.end()))
            pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def read_capital(text: str, start: int, end: int) -> CapitalRead | None:
    cap = CapitalRead()
    found_any = False
    for s, e in _sentence_bounds(text, start, end):
        sent = text[s:e]
        low = sent.lower()
        if "share" not in low and "par" not in low and "prefer" not in low and "series" not in low:
            continue
        share_amounts = list(iter_amounts(text, s, e, keep=partial(_is_share_amount, text, end=e)))
        if "[" in sent or "{{" in sent or "___" in sent:
            # a form's blank ("[Shares-amount] shares"): a number not stated, not a number missed
            blanks = [
                Amount(m.start(), m.end(), None, None, None, None) for m in _PLACEHOLDER.finditer(text, s, e)
            ]
            share_amounts = sorted(share_amounts + blanks, key=lambda a: a.start)
        cap.all_amounts.extend(share_amounts)
        for i, a in enumerate(share_amounts):
            nxt = share_amounts[i + 1].start if i + 1 < len(share_amounts) else e
            window = text[a.end : nxt]
            sm = _SERIES_IN_CHARTER.match(window)
            if sm:
                skey = "preferred" if sm.group("cls").lower().startswith("pref") else "common"
                cap.series.append((skey, " ".join(sm.group("name").split()), a))
                found_any = True
                continue
            cm = _CLASS.search(window[:160])
            before = text[s : a.start]
            local = text[share_amounts[i - 1].end if i else s : a.start]
            bm = _CLASS_BEFORE.search(local)
            if bm and not _CAPITAL.match(bm.group("cls")):
                # "the total number of shares of Common Stock this Corporation shall have authority to issue is N"
                key, name, kind = class_key(" ".join(bm.group("cls").split()))
                if not any(c.key == key for c in cap.classes):
                    cr = ClassRead(key, name, kind, a, a.start, a.end)
                    pm = _PAR.search(window[:160])
                    if pm:
                        cr.par = par_of(pm)
                        cr.par_span = (a.end + pm.start(), a.end + pm.end())
                    elif _NO_PAR.search(window[:160]):
                        cr.no_par = True
                    cap.classes.append(cr)
                    found_any = True
                continue
            capital_stock = bool(cm and _CAPITAL.match(cm.group(0)))
            if (
                cap.total is None
                and i == 0
                and _TOTAL_CUE.search(before)
                and (
                    not cm
                    or capital_stock
                    or _ALL_CLASSES.search(window[: cm.end() + 1])
                    or not _names_one_class(window)
                )
            ):
                cap.total = a
                found_any = True
                pm = _PAR.search(window)  # "100,000,000 shares, par value $0.001 per share, of which ..."
                if pm and cap.global_par is None:
                    cap.global_par = par_of(pm)
                    cap.global_par_span = (a.end + pm.start(), a.end + pm.end())
                elif _NO_PAR.search(window[:120]):
                    cap.global_no_par = True
                am = _ALL_OF_WHICH.search(window[:160])
                if (
                    am and not cap.classes
                ):  # "1,500 shares of capital stock, all of which shall be Common Stock"
                    key, name, kind = class_key(" ".join(am.group("cls").split()))
                    cr = ClassRead(key, name, kind, a, a.start, a.end + am.end())
                    pm2 = _PAR.search(window)
                    if pm2:
                        cr.par = par_of(pm2)
                    elif _NO_PAR.search(window):
                        cr.no_par = True
                    cap.classes.append(cr)
                continue
            if not cm:
                # "20,000,000 of such shares shall be shares of common stock" names the class later
                cm = _CLASS.search(window[:200])
                if not cm:
                    continue
            if _CAPITAL.match(cm.group(0)):
                km = _KNOWN_AS.match(window)
                if not km:
                    continue
                cm = km  # "N shares of the authorized capital stock ... shall be known as Common Stock"
            key, name, kind = class_key(" ".join(cm.group("cls" if cm.re is _KNOWN_AS else 0).split()))
            if any(c.key == key for c in cap.classes):
                continue
            cr = ClassRead(key, name, kind, a, a.start, a.end + cm.end())
            pm = _PAR.search(window)
            if pm and not _GLOBAL_PAR.search(window[: pm.end()]):
                cr.par = par_of(pm)
                cr.par_span = (a.end + pm.start(), a.end + pm.end())
            elif _NO_PAR.search(window[:200]):
                cr.no_par = True
            cap.classes.append(cr)
            found_any = True
        # an ASCII sentence lowered is what IGNORECASE reads: a pattern whose every match holds a word ("value"
        # in `_PAR`'s, "value" or "which" in `_GLOBAL_PAR`'s, "par" in `_NO_PAR`'s) is not tried where it is not
        ascii = sent.isascii()
        gm = _GLOBAL_PAR.search(sent) if not ascii or "value" in low or "which" in low else None
        pm = _PAR.search(sent) if (gm or not share_amounts) and (not ascii or "value" in low) else None
        if pm and (gm or not cap.classes):
            cap.global_par = par_of(pm)
            cap.global_par_span = (s + pm.start(), s + pm.end())
            found_any = True
        elif (
            not share_amounts
            and (not ascii or "par" in low)
            and _NO_PAR.search(sent)
            and _ALL_SUCH.search(sent)
        ):
            for c in cap.classes:
                c.no_par = c.par is None
        if (
            "preferred" in low or "series" in low if ascii else _PREFERRED_OR_SERIES.search(sent)
        ) and _blank_purpose(sent, low if ascii else None):
            holder = _holder(sent)
            if holder and cap.holder is None:
                cap.holder, cap.holder_span = holder[0], (s + holder[1], s + holder[2])
        _read_votes(text, s, e, cap)
    if cap.total is not None and not cap.classes:
        om = _ONE_CLASS.search(
            text, start, end
        )  # "only one class of shares of stock, designated Common Stock"
        if om:
            key, name, kind = class_key(" ".join(om.group("cls").split()))
            cap.classes.append(ClassRead(key, name, kind, cap.total, om.start("cls"), om.end("cls")))
    for c in cap.classes:
        if c.par is None and not c.no_par and cap.global_par is not None:
            c.par = cap.global_par
        elif c.par is None and cap.global_no_par:
            c.no_par = True
    if cap.global_par is None and len(cap.classes) == 0 and cap.total is not None:
        pass
    return cap if found_any else None


_CAPITAL = re.compile(r"capital", re.I)
_ALL_SUCH = re.compile(r"\b(?:all|such|said|each)\b", re.I)
_PREFERRED_OR_SERIES = re.compile(r"preferred|series", re.I)
_ONE_CLASS_NAMED = re.compile(
    r"\W*(?:shares\s+)?(?:of\s+)?(?:its\s+|the\s+Corporation'?s?\s+)?" + CLASS_RE, re.I
)
_OF_SUCH_SHARES = re.compile(r"\s*of\s+(?:such|said|the)\s+shares", re.I)
_SHARES_WORD = re.compile(r"\s*shares", re.I)
_IS_END = re.compile(r"\bis:?\s*$")


def _names_one_class(window: str) -> bool:
    return bool(_ONE_CLASS_NAMED.match(window))


# An amount followed (past blanks and a closing parenthesis) by a figure or a mark, as in a table's row of cells:
# `_SHARES_AFTER`, `_OF_SUCH_SHARES`, `_SHALL_BE_CLASS` and `_SHARES_WORD` each want a word there, and none is tried.
_NO_WORD_AFTER = re.compile(r"\s*\)?\s*[0-9|$%,.;:-]")


def _is_share_amount(
    text: str, start: int, a_end: int, value: int | None, words: str | None, end: int
) -> bool:
    """Whether the amount of `text[start:a_end]` (its `value` and `words`, of a sentence ending at `end`) is a number
    of shares."""
    after = text[a_end : min(end, a_end + 40)]
    if _DOLLARS_AFTER.match(after) or text[max(0, start - 2) : start].strip().endswith("$"):
        return False
    if not _NO_WORD_AFTER.match(text, a_end):
        if _SHARES_AFTER.match(after) or _OF_SUCH_SHARES.match(after):
            return True
        if _SHALL_BE_CLASS.match(text, a_end, min(end, a_end + 80)):
            return True  # "of which 41,666,666 shall be common stock"
        if _SHARES_WORD.match(text[a_end : a_end + 12]):
            return True
    before = text[max(0, start - 40) : start]
    if "is" in before and _IS_END.search(before) and _TOTAL_CUE.search(text[max(0, start - 200) : start]):
        return value is None or value >= 100 or words is not None
    return False


def _holder(sent: str) -> tuple[str, int, int] | None:
    for m in _BLANK_CHECK.finditer(sent):
        g = m.group("h1") or m.group("h2") or m.group("h3")
        name = " ".join(g.split())
        low = name.lower()
        if low.startswith("the "):
            low = low[4:]
        if re.search(r"shares?|stock|series|corporation$", low) and "board" not in low:
            continue
        if "board" in low or "directors" in low:
            return "board of directors", m.start(), m.end()
        words = name.split()
        while words and words[0].lower() in ("the", "and", "that"):
            words = words[1:]
        if not words:
            continue
        return "the " + " ".join(words), m.start(), m.end()
    return None


def _read_votes(text: str, s: int, e: int, cap: CapitalRead) -> None:
    low = lower_slice(text, s, e)
    if low is not None and "vot" not in low:
        return  # every match of `_VOTES` and `_NONVOTING` holds "vote" or "voting"
    for m in _VOTES.finditer(text, s, e):
        n = m.group("n")
        votes = int(n) if n.isdigit() else words_to_int(n)
        target = _class_before(text, max(s, m.start() - 1500), m.start(), cap)  # the class named just before
        if target and target.votes is None:
            target.votes = votes
    if _NONVOTING.search(text, s, e):
        m = _NONVOTING.search(text, s, e)
        target = _class_before(text, s, m.end() + 60, cap, window_after=True)
        if target and target.votes is None:
            target.votes = 0


def _class_before(text: str, s: int, pos: int, cap: CapitalRead, window_after: bool = False):
    best = None
    for m in _CLASS.finditer(text, s, pos):
        key = class_key(" ".join(m.group(0).split()))[0]
        c = next((c for c in cap.classes if c.key == key), None)
        if c:
            best = c
    return best


def read_splits(text: str, start: int, end: int) -> list[SplitRead]:
    out = []
    for m in finditer_from(_SPLIT, text, ("each",), start, end):  # every match begins with "each"
        old, new = _small(m.group("old") or "one"), _small(m.group("new"))
        if not old or not new or old == new:
            continue
        key = class_key(" ".join(m.group("cls").split()))[0] if m.group("cls") else None
        out.append(SplitRead(old, new, key, m.start(), m.end()))
    return out


def _small(s: str) -> int | None:
    s = s.strip()
    fig = re.search(r"[\d,]+", s)
    if fig and fig.group(0).replace(",", "").isdigit():
        return int(fig.group(0).replace(",", ""))
    return words_to_int(re.sub(r"[()]", " ", s))
