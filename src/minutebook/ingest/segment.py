"""Finding the documents in a text: title blocks ("STATE OF DELAWARE / CERTIFICATE OF AMENDMENT / OF
CERTIFICATE OF INCORPORATION / OF / THE AUXER GROUP, INC.") start documents; a title block that heads
an attachment the previous document refers to ("See attached schedule 1A") belongs to that document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textmap import MappedText, finditer_from

_TITLE_START = re.compile(
    r"^(?:(?:AMENDED\s+AND\s+)?RESTATED\s+|AMENDED\s+|THIRD\s+|SECOND\s+|FOURTH\s+|FIFTH\s+)*"
    r"(?:CERTIFICATE|CERT[A-Z]{4,10}|ARTICLES)\s+OF\s+(?:INCORPORATION|AMENDMENT|DESIGNATIONS?|CORRECTION|ELIMINATION|"
    r"MERGER|OWNERSHIP|CONVERSION|RETIREMENT|RESTATEMENT|DISSOLUTION|VALIDATION|FORMATION|LIMITED\s+PARTNERSHIP)\b"
    r"|^(?:(?:AMENDED\s+AND\s+)?RESTATED\s+|AMENDED\s+)?(?:BY-?LAWS|CODE\s+OF\s+REGULATIONS)\b"
    r"|^RESTATED\s+CERTIFICATE\b"
    r"|^(?:(?:AMENDED\s+AND\s+)?RESTATED\s+)?(?:MEMORANDUM\s+(?:AND\s+ARTICLES\s+)?|ARTICLES\s+)OF\s+ASSOCIATION\b",
    re.I,
)
_STATE_LINE = re.compile(
    r"^(?:STATE\s+OF\s+[A-Z][A-Za-z ]+|SECRETARY\s+OF\s+STATE|DIVISION\s+OF\s+CORPORATIONS)$", re.I
)
_STAMP = re.compile(
    r"^(?:State\s+of\s+Delaware|Secretary\s+of\s+State|Division\s+of\s+Corporations|(?:Delivered|FILED|Filed)"
    r"(?:\s+\d{1,2}:\d\d.*)?|SRV?\s+\d+.*|\d{6,}\s*-\s*\d+(?:\s+FILE)?|[A-Z]{3}\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,2}(?::\d\d)?\s*[AP]\.?M\.?|Exhibit\s+\d+(?:\.\d+)?)$",
    re.I,
)
_RESTATED_LINE = re.compile(
    r"^(?:(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH)\s+)?(?:AMENDED\s+AND\s+)?RESTATED$|^AMENDED$", re.I
)
_ATTACH_REF = re.compile(
    r"(?:see\s+attached|attached\s+hereto|annexed\s+hereto|set\s+forth\s+(?:in|on)\s+(?:the\s+)?(?:attached\s+)?)"
    r"[^.\n]{0,40}?\b(?:schedule|exhibit|annex|appendix)",
    re.I,
)
# The first letters of what `_TITLE_START`, `_STATE_LINE` and `_RESTATED_LINE` match (case-insensitive, and
# the long s that matches "s"): a line that begins otherwise is not tried.
_TITLE_FIRST = frozenset("ABCDFMRSTabcdfmrst\u017f")
_ATTACH_LINE = re.compile(r"^(?:schedule|exhibit|annex|appendix)\b", re.I)
_SMALL = {"of", "the", "and", "a", "an", "in", "for", "to", "by", "on", "as", "under", "pursuant", "section"}


@dataclass(slots=True)
class Segment:
    start: int  # offsets in the part's MappedText
    end: int
    title: str
    title_start: int
    title_end: int
    name_line: str | None  # corporation name printed in the title block, if any
    attachment: int | None = None  # where an attachment the document refers to ("Exhibit A") begins


def _line_iter(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


_WORDS = re.compile(r"[A-Za-z][A-Za-z.'&-]*")
_CORP_END = re.compile(r"\b(?:Inc|Corp|Co|Ltd|L\.P|N\.A)\.$", re.I)
_ATTACHMENT_WORD = re.compile(r"^(?:schedule|exhibit|annex)\b", re.I)


def _headingish(s: str) -> bool:
    s = s.strip()
    if not s or len(s) > (200 if s.upper() == s else 90):
        return False
    if set(s) <= set("-_=*~ ."):
        return True
    letters = "".join(filter(str.isalpha, s))
    if not letters:
        return False
    if sum(map(str.isupper, letters)) / len(letters) >= 0.8:
        return True
    words = _WORDS.findall(s)
    if len(words) > 12:
        return False
    ends_ok = not s.endswith((".", ";", ",")) or bool(_CORP_END.search(s))
    return (
        all(w[0].isupper() or w.lower() in _SMALL for w in words)
        and ends_ok
        or bool(_ATTACHMENT_WORD.match(s))
    )


def segment(mt: MappedText) -> list[Segment]:
    text = mt.text
    lines = list(_line_iter(text))
    blocks: list[tuple[int, int, list[tuple[int, str]]]] = []  # (first line idx, last line idx, lines)
    i = 0
    n = len(lines)
    while i < n:
        pos, line = lines[i]
        s = line.strip()
        starts = (
            bool(s)
            and len(s) <= 200
            and s[0] in _TITLE_FIRST
            and (
                _TITLE_START.match(s)
                or ((_STATE_LINE.match(s) or _RESTATED_LINE.match(s)) and _next_is_title(lines, i))
            )
            and _headingish(s)
        )
        if starts and _after_article_heading(lines, i):
            starts = False  # "ARTICLE VI / BYLAWS" is an article's caption, not a new document
        if not starts:
            i += 1
            continue
        j, block = _block_at(lines, i)
        blocks.append((i, j, block))
        i = max(j, i + 1)
    if not blocks:
        found = _by_content(text, lines)
        if found is None:
            return []
        blocks.append(found)
    segments: list[Segment] = []
    for _bi, (first, _last, block) in enumerate(blocks):
        first = _stamp_start(lines, first)
        start = lines[first][0]
        if segments and _is_attachment(text, segments[-1], start, block):
            if segments[-1].attachment is None:
                segments[-1].attachment = start
            continue
        title, name = _title(block)
        title_end = block[-1][0] + len(block[-1][1]) if block else start
        if segments:
            segments[-1].end = start
            if _is_cover(text, segments[-1]):
                segments.pop()
        segments.append(Segment(start, len(text), title, start, title_end, name))
    return segments


_NUMBERED_CLAUSE = re.compile(r"\d{1,2}\.\s+\S")


def _block_at(lines, i: int) -> tuple[int, list[tuple[int, str]]]:
    """The title block that begins at line `i`: the heading-like lines that follow it."""
    j, n = i, len(lines)
    block: list[tuple[int, str]] = []
    blanks = 0
    while j < n:
        t = lines[j][1].strip()
        if not t:
            blanks += 1
            if blanks > 3:
                break
            j += 1
            continue
        if not _headingish(t) or (block and (_article_heading(t) or _NUMBERED_CLAUSE.match(t))):
            break
        blanks = 0
        block.append((lines[j][0], t))
        j += 1
    return j, block


# A title anywhere, its words split over lines or run into other text: "CERTIFICATE\nOF AMENDMENT",
# "Substantive Text of Articles of Amendment".
_TITLE_ANYWHERE = re.compile(
    r"\b(?:(?:[Aa]mended\s+and\s+)?[Rr]estated\s+|AMENDED\s+AND\s+RESTATED\s+|RESTATED\s+)?"
    r"(?:CERTIFICATE|Certificate|ARTICLES|Articles|CERTIFICATION|MEMORANDUM|Memorandum)\s+(?:OF|of|FOR|for)\s+"
    r"(?:(?:AMENDMENT|Amendment|DESIGNATIONS?|Designations?|INCORPORATION|Incorporation|ASSOCIATION|Association)\b)"
)
_TITLE_ANYWHERE_STARTS = (
    "Amended", "amended", "Restated", "restated", "AMENDED", "RESTATED", "CERTIFICAT", "Certificate", "ARTICLES",
    "Articles", "MEMORANDUM", "Memorandum",
)  # fmt: skip
# What a charter document says, whatever its title: the capital clause, an amendment resolved, the
# undersigned certifying, a series created under §151(g), articles headed FIRST/FOURTH.
_OPERATIVE = re.compile(
    r"authority\s+to\s+issue|authorized\s+to\s+issue|"
    r"(?:Certificate|Articles)\s+of\s+Incorporation[^.]{0,200}?\b(?:be|is|are)\s+(?:hereby\s+)?(?:further\s+)?amended|"
    r"hereby\s+certif(?:y|ies)|(?:create|creates|establish|establishes)\s+(?:a|one)\s+series\s+of|"
    r"designated\s+as\s+[\"“]?Series|^[ \t]*[\"“]?(?:FIRST|FOURTH|ARTICLE\s+[IV]+)\b",
    re.I | re.M,
)


# The words a match of `_OPERATIVE` begins with, or a line whose first word (after blanks and a quote) begins
# with "f" or "a" ("FIRST", "FOURTH", "ARTICLE"), the text lowered.
_OPERATIVE_STARTS = ("authori", "certificate", "articles", "hereby", "creat", "establish", "designated")
_OPERATIVE_LINE = re.compile('\n(?=[ \t]*["“]?[fa])')


def _operative(text: str):
    """`_OPERATIVE.finditer(text)`, tried only where a match can begin."""
    return finditer_from(
        _OPERATIVE, text, _OPERATIVE_STARTS, start_re=_OPERATIVE_LINE, offset=1, at_start=True
    )


def _by_content(text: str, lines) -> tuple[int, int, list[tuple[int, str]]] | None:
    """Where no title block starts a line: a title found anywhere near the top, else — when the text says
    what a charter document says — the whole text as one untitled document."""
    m = None
    for t in finditer_from(
        _TITLE_ANYWHERE, text, _TITLE_ANYWHERE_STARTS, 0, min(len(text), 6000), cased=True
    ):
        line = lines[text.count("\n", 0, t.start())][1]
        if t.group(0).isupper() or _headingish(line):
            m = t  # in capitals, or on a line of its own: a title, not "its Certificate of Incorporation"
            break
    if m is None and next(_operative(text), None) is None:
        return None
    if m is None:
        return 0, 0, []
    i = text.count("\n", 0, m.start())
    head = " ".join(text[m.start() : m.end()].split())
    j, block = _block_at(lines, i)
    if not block:
        block = [(lines[i][0] + m.start() - lines[i][0], head)]
    return i, j, block


def _is_cover(text: str, seg: Segment) -> bool:
    """A cover page ("CERTIFICATE OF INCORPORATION OF X, AS AMENDED (conformed copy)") holds a title and
    a note but no operative text of its own."""
    body = text[seg.title_end : seg.end]
    if len(body.split()) < 40 and not re.search(r"\d{1,3},\d{3}|shares|hereby|RESOLVED", body, re.I):
        return True
    # a web page's caption or summary above the filing: it names the document but does nothing itself
    return len(body.split()) < 400 and not _OPERATIVE.search(body) and not re.search(r"\d{1,3},\d{3}", body)


def _stamp_start(lines, first: int) -> int:
    """Extend a title block upwards over the filing stamp printed above it (and the corporation's
    name, where the form prints it between the stamp and the title)."""
    j = first - 1
    start = first
    name_allowed = True
    while j >= 0:
        s = lines[j][1].strip()
        if not s:
            j -= 1
            continue
        if _STAMP.match(s):
            start = j
            name_allowed = False
        elif name_allowed and _headingish(s) and len(s) < 70 and not _TITLE_START.match(s):
            name_allowed = False  # a name line counts only if a stamp sits above it
            k = j - 1
            while k >= 0 and not lines[k][1].strip():
                k -= 1
            if k < 0 or not _STAMP.match(lines[k][1].strip()):
                break
            start = j
        else:
            break
        j -= 1
    return start


_ARTICLE_CAPTION = re.compile(r"^\s*ARTICLE\s+(?:[IVXLC]+|\d{1,2})\b|^\s*[A-Z]+(?:TH|ST|ND|RD)\s*[:.]?\s*$")


def _after_article_heading(lines, i: int) -> bool:
    for _, line in reversed(lines[max(0, i - 3) : i]):
        if line.strip():
            return bool(_ARTICLE_CAPTION.match(line))
    return False


def _next_is_title(lines, i: int) -> bool:
    seen = 0
    for _, line in lines[i + 1 : i + 8]:
        s = line.strip()
        if not s or set(s) <= set("-_= "):
            continue
        if _TITLE_START.match(s):
            return True
        seen += 1
        if seen >= 2:
            return False
    return False


_ARTICLE_HEAD = re.compile(r"^[\"“]?(?:ARTICLE\s+[IVXLC\d]+|FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH)\b", re.I)


def _article_heading(s: str) -> bool:
    return bool(_ARTICLE_HEAD.match(s)) and not _TITLE_START.match(s)


def _is_attachment(text: str, prev: Segment, start: int, block) -> bool:
    # `_ATTACH_REF.search(text[prev.title_end : start])`, tried only where a match can begin
    if (
        next(
            finditer_from(_ATTACH_REF, text, ("see", "attached", "annexed", "set"), prev.title_end, start),
            None,
        )
        is None
    ):
        return False
    lead = [ln.strip() for ln in text[max(prev.title_end, start - 300) : start].split("\n") if ln.strip()][
        -2:
    ]
    return any(_ATTACH_LINE.match(t) for _, t in block) or any(_ATTACH_LINE.match(t) for t in lead)


_TITLE_WORD = re.compile(
    r"\b(?:CERTIFICATE|ARTICLES|INCORPORATION|AMENDMENT|DESIGNATIONS?|RESTATED|"
    r"BEFORE\s+PAYMENT|PREFERENCES|RIGHTS|BY-?LAWS|MEMORANDUM|ASSOCIATION)\b",
    re.I,
)
_LEADING_OF = re.compile(r"^(?:OF|of)\s+")


def _title(block) -> tuple[str, str | None]:
    parts: list[str] = []
    name = None
    after_of = False
    for _, t in block:
        if set(t) <= set("-_=*~ ."):
            continue
        if _STATE_LINE.match(t) and not parts:
            continue
        if _ATTACH_LINE.match(t) or t.lower().startswith(
            ("(pursuant", "pursuant", "(under", "under section")
        ):
            continue
        is_kw = bool(_TITLE_WORD.search(t))
        if is_kw or t.upper() in ("OF", "TO"):
            parts.append(t)
            after_of = t.upper() in ("OF", "TO") or t.upper().endswith((" OF", " TO"))
            continue
        if name is None and not t.startswith("("):
            name = _LEADING_OF.sub("", t)
            if after_of:
                parts.append(t)
        after_of = False
    title = " ".join(" ".join(parts).split())
    return title or "(untitled)", name
