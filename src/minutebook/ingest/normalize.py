"""Layout normalisation: the text as the later stages expect it, whatever shape it arrived in.

Filings reach the reader in three shapes besides the plain one, and each is brought to the plain one
(a title block on lines of its own, one heading or paragraph per line, blank lines between them):
- **marked up**: Markdown headings and emphasis (`## FIRST`, `**OF**`), table pipes left by an HTML
  table turned into text (`|FIRST:`), code fences. The marks are set aside; the words stay.
- **flattened**: a whole filing on one line, as text extracted from HTML with its breaks lost
  ("EX-3.1 ... CERTIFICATE OF INCORPORATION OF X CORP. ... FIRST: The name ..."). The line is cut
  again where a document says a new thing begins: a title in capitals, the corporation's name after it,
  "(Pursuant to Section ...)", an article heading ("FIRST:", "ARTICLE IV"), "RESOLVED", "WHEREAS",
  "IN WITNESS WHEREOF", a numbered paragraph after a sentence.
- **broken**: a line break after every word or two ("CERTIFICATE\\nOF DESIGNATIONS", "Section\\n1.
  Designation"), as some converters leave it. Fragments are joined back into lines.
Every character of the result keeps its map to the source file (`MappedText`), so facts still point
at the right line and column of the file as the user holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .extract.articles import ORDINALS
from .textmap import Builder, MappedText, finditer_from

# ---------------------------------------------------------------------------------------------- marks

_FENCE = re.compile(r"^[ \t]*```[^\n]*$", re.M)
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|\|[ \t|]*)", re.M)
# each begins where its run of blanks begins (a pattern that may start inside a long run of blanks and scan it
# to the end for every start is quadratic)
_TRAILING_PIPES = re.compile(r"(?<![ \t|])[ \t]*\|[ \t|]*$", re.M)
_RULE_ROW = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
# `\*\*|__(?=\S)|(?<=\S)__|``, spelt so that every alternative begins with its character (a search skips to one)
_EMPHASIS = re.compile(r"\*\*|__(?:(?=\S)|(?<=\S__))|`")
# Each pattern with the strings one of which every match holds: a text with none is not scanned.
_MARK_PATTERNS = (
    (_FENCE, ("```",)),
    (_RULE_ROW, ("---",)),
    (_LINE_MARKS, ("#", ">", "|")),
    (_TRAILING_PIPES, ("|",)),
    (_EMPHASIS, ("**", "__", "`")),
)


def _trailing_pipes(text: str) -> list[tuple[int, int]]:
    """The spans `_TRAILING_PIPES.finditer(text)` matches: a line's trailing run of blanks and pipes holding a
    pipe. Each line holding a pipe is looked at once, from its end (a regex search from every pipe would be
    quadratic in a long line of pipes that does not end with one)."""
    out: list[tuple[int, int]] = []
    at = text.find("|")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        kept = len(text[start:end].rstrip(" \t|"))
        if "|" in text[start + kept : end]:
            out.append((start + kept, end))
        at = text.find("|", end)
    return out


def strip_marks(mt: MappedText) -> MappedText:
    """Markdown marks and table pipes set aside (their characters dropped, the rest kept in place)."""
    text = mt.text
    if not ("|" in text or "#" in text or "**" in text or "`" in text or "__" in text or "\n>" in text):
        return mt
    cuts: list[tuple[int, int]] = []
    for pat, marks in _MARK_PATTERNS:
        if any(k in text for k in marks):
            if pat is _TRAILING_PIPES:
                cuts.extend(_trailing_pipes(text))
            else:
                cuts.extend((m.start(), m.end()) for m in pat.finditer(text) if m.end() > m.start())
    if not cuts:
        return mt
    b = Builder(mt.file)
    pos = 0
    for s, e in sorted(cuts):
        if e <= pos:
            continue
        s = max(s, pos)
        b.copy(mt, pos, s)
        # a pipe between two table cells on one line stands for a space
        if s > 0 and text[s - 1] != "\n" and e < len(text) and text[e] != "\n" and text.find("|", s, e) != -1:
            b.insert(" ", s)
        pos = e
    b.copy(mt, pos, len(text))
    return b.build()


# ---------------------------------------------------------------------------------------------- flattened

_KIND_WORD = (
    r"(?:INCORPORATION|AMENDMENT|DESIGNATIONS?|CORRECTION|ELIMINATION|MERGER|OWNERSHIP|CONVERSION|"
    r"RETIREMENT|RESTATEMENT|DISSOLUTION|VALIDATION|FORMATION)"
)
_ORDINAL_CAPS = r"(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH)"
# A document title in capitals: "CERTIFICATE OF AMENDMENT", "SECOND AMENDED AND RESTATED CERTIFICATE OF
# INCORPORATION", "RESTATED CERTIFICATE OF INCORPORATION", "ARTICLES OF INCORPORATION".
TITLE_CAPS = re.compile(
    rf"(?:{_ORDINAL_CAPS}\s+)?(?:(?:AMENDED\s+AND\s+)?RESTATED\s+|AMENDED\s+)?(?:CERTIFICATE|ARTICLES)\s+"
    rf"(?:OF|FOR)\s+{_KIND_WORD}\b|{_ORDINAL_CAPS}\s+AMENDMENT\s+TO\b"
)
_ARTICLE_HEAD = re.compile(
    rf"\b(?:ARTICLE\s+(?:[IVXL]+|\d{{1,2}}|{_ORDINAL_CAPS}|ELEVENTH|TWELFTH)\b(?!\s+OF\b)"
    rf"|(?:{_ORDINAL_CAPS}|ELEVENTH|TWELFTH|THIRTEENTH|FOURTEENTH|FIFTEENTH)\s*:)"
)
_CLAUSE_HEAD = re.compile(
    r"\b(?:(?:FURTHER\s+)?RESOLVED\b|WHEREAS\b|IN\s+WITNESS\s+WHEREOF\b|NOW,?\s+THEREFORE\b)"
    r"|(?<=[.:;]\s)(?:Section\s+)?\d{1,2}\.\s+(?=[A-Z][a-z])"
    r"|(?<=[.:;]\s)Section\s+\d{1,2}(?:\.\d{1,2})?\.?\s+(?=[A-Z])"
    r"|\b(?:By|Name|Title|Its):\s"
    r"|\b(?:Exhibit|EXHIBIT|Annex|ANNEX|Schedule|SCHEDULE)\s+[A-Z0-9](?:[.-]\d{1,2})*\b(?=\s+[A-Z])"
)
_STATUTE_LEAD = re.compile(r"\(?\b(?:PURSUANT\s+TO|UNDER\s+SECTION|ADOPTED\s+(?:PURSUANT|IN\s+ACCORDANCE))\b")
_CONNECTORS = {"OF", "TO", "FOR", "AND", "THE", "&", "ON"}
_CORP_SUFFIX = re.compile(
    r"(?:INC|CORP|CORPORATION|COMPANY|CO|LTD|LIMITED|INCORPORATED|LLC|L\.L\.C|GROUP|HOLDINGS|N\.V|S\.A|L\.P|PLC)"
    r"\.?,?$"
)
_REFERRING = {"SAID", "OUR", "ITS", "AS", "IN", "SEE", "HERETO", "ATTACHED", "WITH", "UNDER", "BY", "AT"}
# Words the patterns' matches begin with, as the (case-sensitive) patterns spell them: each pattern is tried
# only where one begins.
_ORDINAL_UPPER = tuple(w.upper() for w in ORDINALS[:10])
_TITLE_STARTS = (*_ORDINAL_UPPER, "AMENDED", "RESTATED", "CERTIFICATE", "ARTICLES")
_ARTICLE_STARTS = ("ARTICLE", *(w.upper() for w in ORDINALS[:15]))
_CLAUSE_STARTS = (
    "FURTHER", "RESOLVED", "WHEREAS", "IN", "NOW", "Section", "By:", "Name:", "Title:", "Its:",
    "Exhibit", "EXHIBIT", "Annex", "ANNEX", "Schedule", "SCHEDULE",
)  # fmt: skip
_NUMBERED_START = re.compile(r"[.:;]\s\d")
_LONG_LINE = 300
_WORD = re.compile(r"\S+")


def reflow(mt: MappedText) -> MappedText:
    """Cut every long line again at the places where a document says a new thing begins."""
    text = mt.text
    breaks: set[int] = set()
    pos = 0
    found = None  # where a title, heading or clause can begin, looked for once in the whole text
    for line in text.split("\n"):
        if len(line) > _LONG_LINE:
            if found is None:
                found = _break_starts(text)
            at = [i - pos for i in found[bisect_left(found, pos) : bisect_right(found, pos + len(line))]]
            breaks.update(pos + b for b in _line_breaks(line, at))
        pos += len(line) + 1
    if not breaks:
        return mt
    b = Builder(mt.file)
    pos = 0
    for at in sorted(breaks):
        if at <= pos:
            continue
        b.copy(mt, pos, at)
        b.insert("\n\n", mt.src(at))
        pos = at
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    b.copy(mt, pos, len(text))
    return b.build()


# The words a title, an article heading or a clause `_line_breaks` looks for begins with, as the patterns spell
# them: looked for together, where any begins (the plain form of `_BREAK_STARTS`, which `_break_starts` scans).
_BREAK_WORDS = re.compile(
    "|".join(map(re.escape, sorted({*_TITLE_STARTS, *_ARTICLE_STARTS, *_CLAUSE_STARTS})))
)


def _one_char_starts(words) -> str:
    """A pattern that matches the first character of each of `words` where the word begins, and that character
    alone: `finditer` finds every place one of them begins, even inside another's match."""
    rests: dict[str, list[str]] = {}
    for w in words:
        rests.setdefault(w[0], []).append(w[1:])
    alts = []
    for c, rest in sorted(rests.items()):
        if "" in rest:
            alts.append(re.escape(c))
        else:
            ahead = "|".join(map(re.escape, sorted(set(rest), key=lambda r: (-len(r), r))))
            alts.append(f"{re.escape(c)}(?={ahead})")
    return "|".join(alts)


# `match_starts(_BREAK_WORDS, text)` and `_NUMBERED_START`'s stops, in one scan: every alternative begins with a
# character of its own (a search skips to one), and none with a stop.
_BREAK_STARTS = re.compile(
    _one_char_starts({*_TITLE_STARTS, *_ARTICLE_STARTS, *_CLAUSE_STARTS}) + r"|\.(?=\s\d)|:(?=\s\d)|;(?=\s\d)"
)


def _break_starts(text: str) -> list[int]:
    """Where one of `_BREAK_WORDS` begins in `text` (each position, even inside another's match), or a
    numbered clause can (`_NUMBERED_START`: two characters after its stop), in order."""
    return sorted({m.start() + 2 if m.group() in ".:;" else m.start() for m in _BREAK_STARTS.finditer(text)})


def _line_breaks(line: str, at: list[int]) -> set[int]:
    """Where the line is cut: before a title, an article heading, a clause. `at`: where any of them can
    begin in the line, looked for in the whole text (`_break_starts`: a word of the line is one of the
    text, and a place `_NUMBERED_START` finds in the line it finds in the text)."""
    out: set[int] = set()
    titles, heads, clauses = (
        finditer_from(p, line, (), cased=True, extra=at) for p in (TITLE_CAPS, _ARTICLE_HEAD, _CLAUSE_HEAD)
    )
    for n, m in enumerate(titles):
        if n >= _MAX_TITLES:
            break  # no filing holds more titles on one line: the rest is noise, not more documents
        if _previous_word(line, m.start()) in _CONNECTORS or line[max(0, m.start() - 1) : m.start()] in '"“(':
            continue  # "... TO CERTIFICATE OF DESIGNATION": one title; '(the "ARTICLES OF INCORPORATION")' a term
        out.add(m.start())
        out.update(_title_run_breaks(line, m.start()))
    for found in (heads, clauses):
        for m in found:
            if m.start() and _previous_word(line, m.start()) not in _CONNECTORS | _REFERRING:
                out.add(m.start())
    return {i for i in out if i > 0}


def _previous_word(line: str, at: int) -> str:
    head = line[max(0, at - 60) : at].split()
    return head[-1].upper() if head else ""


_MAX_TITLES = 500
_RUN_WINDOW = 1500  # a title block, its name and statute line fit in this many characters
_OF = re.compile(r"\s(?:OF|FOR)\s")


def _title_run_breaks(line: str, start: int) -> list[int]:
    """In a run of capitals that begins with a title: a break before the corporation's name ("OF NAME,
    INC."), before "(PURSUANT TO ..." / "UNDER SECTION ...", and where the run ends."""
    # the words up to the first with a lower-case letter, and the six after it that `_repeated_name` looks at
    words: list[tuple[int, int, str]] = []
    lower_at = None
    for m in _WORD.finditer(line, start, start + _RUN_WINDOW):
        w = m.group(0)
        words.append((m.start() - start, m.end() - start, w))
        if lower_at is None:
            if any(c.islower() for c in w):
                lower_at = len(words) - 1
        elif len(words) > lower_at + 6:
            break
    run_end = None
    for i, (s, _e, w) in enumerate(words):
        if any(c.islower() for c in w):
            # back over a one-letter or "THE" word that begins the sentence ("I, Jane Doe", "THE undersigned")
            j = i
            while j > 0 and words[j - 1][2].strip(",") in ("I", "A", "THE", "WE"):
                j -= 1
            run_end = words[j][0] if j < len(words) else s
            break
    out: list[int] = []
    if run_end is not None:
        run_end = _repeated_name(line, start, words, run_end)
        out.append(start + run_end)
    limit = run_end if run_end is not None else min(len(line) - start, _RUN_WINDOW)
    run = line[start : start + limit]
    lead = _STATUTE_LEAD.search(run)
    if lead:
        out.append(start + lead.start())
        limit = lead.start()
    # the name: after the last " OF " of the run's title part whose tail ends in a corporate suffix
    words_before = run[max(0, limit - 60) : limit].split()
    if words_before and _CORP_SUFFIX.fullmatch(words_before[-1]):
        for m in reversed(list(_OF.finditer(run, 0, limit))):
            if run[m.end() : limit].strip() and not TITLE_CAPS.match(run, m.end()):
                out.append(start + m.start() + 1)
                break
    return out


def _repeated_name(line: str, start: int, words, run_end: int) -> int:
    """Where the name in capitals is printed again in mixed case right after the title ("... OF CXR
    CORPORATION CXR Corporation (the ..."), the run ends before the repeat."""
    caps = [w for w in words if w[0] < run_end]
    after = [w[2].upper().strip(",") for w in words if w[0] >= run_end][:6]
    up = [w[2].upper().strip(",") for w in caps]
    for size in range(1, 6):
        for j in range(max(size, len(up) - size + 1), len(up)):
            if up[j - size : j] == (up[j:] + after)[:size]:
                return caps[j][0]
    return run_end


# ---------------------------------------------------------------------------------------------- broken

_SENTENCE_END = (".", ":", ";", "!", "?", '"', "”", ")")


def unwrap(mt: MappedText) -> MappedText:
    """Join the fragments of a text broken after every word or two back into lines.

    Applied only where most lines are such fragments and blank lines are rare (a converter's output),
    never to a text laid out in paragraphs."""
    text = mt.text
    lines = text.split("\n")
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) < 8:
        return mt
    cut = 0  # a word or two cut from a sentence that goes on in lower case
    for i, ln in enumerate(lines[:-1]):
        s, t = ln.strip(), lines[i + 1].strip()
        if (
            s
            and t
            and len(s.split()) <= 2
            and not s.endswith(_SENTENCE_END)
            and (t[0].islower() or s[0].islower())
        ):
            cut += 1
    if cut < max(3, 0.03 * len(nonblank)):
        return mt
    joins: list[int] = []  # offsets of the newlines to turn into spaces
    pos = 0
    for i, ln in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        end = pos + len(ln)
        s, t = ln.strip(), nxt.strip()
        if s and t and _fragment(s, t):
            joins.append(end)
        pos = end + 1
    if not joins:
        return mt
    b = Builder(mt.file)
    pos = 0
    for at in joins:
        b.copy(mt, pos, at)
        b.insert(" ", mt.src(at))
        pos = at + 1
    b.copy(mt, pos, len(text))
    return b.build()


_HEADING_LINE = re.compile(
    rf"^(?:ARTICLE\s+\S+|{_ORDINAL_CAPS}\s*:?|RESOLVED\b.*|WHEREAS\b.*|IN\s+WITNESS\b.*|\(?[a-z0-9]{{1,2}}[.)])$",
    re.I,
)


_NO_JOIN_BEFORE = re.compile(
    r"(?:CERTIFICATE|ARTICLES|RESTATED|AMENDED\s+AND|ARTICLE\s|RESOLVED|WHEREAS)\b|\((?:Pursuant|PURSUANT|Under|UNDER)\b"
)
_NO_JOIN_AFTER = re.compile(r"(?:Exhibit|EXHIBIT|EX-)[\w.()-]*(?:\s+[\w.()-]+)?$")


def _fragment(line: str, following: str) -> bool:
    """`line` does not end where it should: a word or two cut from what follows, or a sentence that goes
    on in lower case on the next line."""
    if _HEADING_LINE.match(line) and not following[:1].islower():
        return False
    if line.endswith(_SENTENCE_END) or _NO_JOIN_BEFORE.match(following) or _NO_JOIN_AFTER.match(line):
        return False
    return len(line.split()) <= 2 or following[:1].islower()


def normalize(mt: MappedText) -> MappedText:
    return unwrap(reflow(strip_marks(mt)))
