"""What an amendment changes: the articles it replaces, adds or deletes, and the new text of each.

"amended by changing the Article thereof numbered "Fourth" so that, as amended, said Article shall be
and read as follows: See attached schedule 1A", "striking out Article FOURTH thereof and by
substituting in lieu of said Article the following new Article: "FOURTH" ...", "Article IV of the
Certificate of Incorporation is hereby amended and restated in its entirety to read as follows:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textmap import finditer_from
from .articles import ORDINALS, STOP, find_headings, roman

_CARDINALS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_ORD = "|".join(sorted(ORDINALS + _CARDINALS, key=len, reverse=True))
_REF = (
    # each optional quote owns the blanks beside it: two runs of blanks side by side backtrack quadratically
    r"Articles?\s+(?:thereof\s+)?(?:numbered\s+)?(?:[\"“']\s*)?(?P<G>"
    + _ORD
    + r"|[IVXLC]+|\d{1,2})\b(?:\s*[\"”'])?"
)
_TARGET = re.compile(
    r"(?P<verb>chang(?:e|ing)|amend(?:ing)?|strik(?:e|ing)\s+out|delet(?:e|ing)|replac(?:e|ing)|restat(?:e|ing)|"
    r"add(?:ing)?|insert(?:ing)?|amendment\s+(?:of|to))\s+(?:(?:in\s+its\s+entirety\s+)?(?:the\s+|a\s+new\s+)?)"
    r"(?:(?P<pt>(?:first|second|third|fourth|fifth|last)(?:\s+(?:two|three))?\s+paragraphs?|(?:paragraph|section)\s+"
    r"\(?[A-Za-z0-9]{1,2}\)?)\s+of\s+(?:the\s+)?)?"
    + _REF.replace("G", "a", 1)
    + r"|"
    + _REF.replace("G", "b", 1)
    + r"(?:\s+of\s+the\s+(?:Amended\s+and\s+Restated\s+|Restated\s+)?(?:Certificate|Articles)\s+of\s+Incorporation)?"
    r"(?:\s*(?:of\s+the\s+Corporation|,\s*as\s+amended,?))?\s+(?:is|be|shall\s+be)\s+(?:hereby\s+)?(?:further\s+)?"
    r"(?P<verb2>amended|deleted|replaced|restated|added|inserted)",
    re.I,
)
# The words every match of `_TARGET` begins with: it is tried only where one begins.
_TARGET_STARTS = ("chang", "amend", "strik", "delet", "replac", "restat", "add", "insert", "article")
_END = re.compile(
    r"^[ \t]*(?:IN\s+WITNESS|RESOLVED|FURTHER\s+RESOLVED|The\s+(?:foregoing\s+)?amendment|This\s+amendment|"
    r"The\s+(?:foregoing\s+)?(?:certificate|Certificate\s+of\s+Amendment)|\d\.\s+(?:The|That|This|Article|Paragraph|"
    r"Section)\b|"
    r"(?:SECOND|THIRD|FOURTH|FIFTH|FIRST)\s*:\s*That\b)",
    re.M | re.I,
)
_ATTACHED = re.compile(
    r"see\s+attached|attached\s+hereto|annexed\s+hereto|set\s+forth\s+(?:on|in)\s+(?:the\s+)?"
    r"(?:attached\s+)?(?:schedule|exhibit)",
    re.I,
)


_PART = re.compile(
    r"(?:(?P<ord>first|second|third|fourth|fifth|last)\s+paragraph|(?:paragraph|section|subsection|clause)\s+"
    r"\(?(?P<label>[A-Z]|[a-z]|\d{1,2})\)?\.?)\s+of\s*$",
    re.I,
)
_APPEND = re.compile(r"adding\s+(?:the\s+following|a\s+new)\s+(?:paragraph|section|sentence)", re.I)


@dataclass(slots=True)
class Change:
    number: int
    action: str  # "replace" | "add" | "delete" | "append" (a paragraph added to an existing article)
    clause: tuple[int, int]
    text_span: tuple[int, int] | None
    part: str | None = None  # the paragraph replaced: "A", "(b)", "first" ... None for the whole article


def _num(s: str) -> int | None:
    low = s.lower()
    if low in ORDINALS:
        return ORDINALS.index(low) + 1
    if low in _CARDINALS:
        return _CARDINALS.index(low) + 1  # "Article Four"
    return roman(s)


def read_changes(text: str, start: int, end: int) -> list[Change]:
    changes: list[Change] = []
    for m in finditer_from(_TARGET, text, _TARGET_STARTS, start, end):
        ref = m.group("a") or m.group("b")
        n = _num(ref)
        verb = (m.group("verb") or m.group("verb2") or "").lower()
        tail = text[m.end() : m.end() + 120].lower()
        appending = bool(_APPEND.search(text, m.start(), min(end, m.end() + 120)))
        if not n or any(c.number == n and not appending for c in changes):
            continue
        pm = _PART.search(text[max(start, m.start() - 80) : m.start()])
        part = (pm.group("ord") or pm.group("label")).lower() if pm else None
        if m.group("pt"):
            words = m.group("pt").lower().replace("(", " ").replace(")", " ").split()
            part = words[0] if words[0] not in ("paragraph", "section") else words[-1]
        if appending and any(c.number == n for c in changes):
            action = "append"
        elif verb.startswith(("add", "insert")):
            action = "add"
        elif verb.startswith("delet") and not re.search(r"replac|substitut|in\s+lieu|following", tail):
            action = "delete"
        else:
            action = "replace"
        changes.append(Change(n, action, (m.start(), m.end()), None, part))
    clauses = sorted(c.clause[0] for c in changes)
    for c in changes:
        if c.action != "delete":
            # a change's new text ends, at the latest, where the next change is stated
            nxt = next((p for p in clauses if p > c.clause[0]), end)
            c.text_span = _new_text(text, c, start, nxt)
    return changes


def _new_text(text: str, c: Change, start: int, end: int) -> tuple[int, int] | None:
    stop = STOP.search(text, c.clause[1], end)
    body_end = end
    if c.action == "append":
        heads = []
    else:
        heads = [h for h in find_headings(text, c.clause[1], end) if not _is_cert_paragraph(text, h.end)]
    attached = _ATTACHED.search(text, c.clause[1], min(end, c.clause[1] + 400))
    chosen = None
    for h in heads:
        if h.number != c.number:
            continue
        if attached and stop and h.start < stop.start() and h.start > attached.end() + 200:
            pass
        if attached and h.start < attached.end():
            continue
        chosen = h
        if not attached:
            break
    if chosen is not None:
        s = chosen.end
    else:
        colon = re.compile(
            r"(?:as\s+follows|to\s+read|following\s+(?:new\s+)?(?:Article|paragraph|section|sentence)"
            r"[^:]{0,80}?|following[^:.]{0,80})\s*:",
            re.I,
        )
        cm = colon.search(text, c.clause[1], min(end, c.clause[1] + 400))
        if not cm:
            return None
        s = cm.end()
    e = body_end
    for pat in (_END, STOP):
        m = pat.search(text, s, e)
        if m and m.start() < e:
            e = m.start()
    for h in find_headings(text, s, e):
        if h.number != c.number and h.start > s:
            e = h.start
            break
    while e > s and text[e - 1] in " \t\n\"”'":
        e -= 1
    while s < e and text[s] in " \t\n\"“':":
        s += 1
    return (s, e) if e - s > 10 else None


def _is_cert_paragraph(text: str, pos: int) -> bool:
    return bool(re.match(r"\s*That\b", text[pos : pos + 30]))
