"""The corporation's identity and the people on a document: name, registered office and agent,
purpose, and signatories with their capacities."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..textmap import finditer_from, lower_same

_NAME = re.compile(
    r"\bname\s+of\s+(?:this|the)\s+(?:corporation|company)\s*(?:\([^)]{0,80}\)\s*)?(?:is|shall\s+be)\s*:?\s*"
    r"[\"“]?(?P<n>[^\n\"”]{2,120}?(?:\n[^\n\"”]{2,60}?)?)[\"”]?\s*(?:\.\s*$|\.\s*\n|\.\s+[A-Z(]|\(|,\s+(?:a|and)\b|$)",
    re.I | re.M,
)
_SUFFIX = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Incorporated|Corporation|Company|Limited|N\.V|S\.A|L\.P)\.?$", re.I
)
_OFFICE = re.compile(
    r"registered\s+office\s+(?:of\s+(?:the|this)\s+Corporation\s+)?(?:in\s+the\s+State\s+of\s+\w+\s+)?"
    r"(?:is|shall\s+be)\s+(?:located\s+)?(?:at\s+)?(?P<a>[^;]{5,200}?)(?:;|\.\s*(?:The|and|$)|,?\s+and\s+the\s+name)",
    re.I | re.S,
)
_AGENT = re.compile(
    r"(?:name\s+of\s+(?:the\s+|its\s+)?registered\s+agent[^.]{0,80}?\bis\s+|registered\s+agent\s+"
    r"(?:of\s+the\s+Corporation\s+)?(?:at\s+(?:such|that)\s+address\s+)?is\s+)(?P<a>[^.;\n]{3,100}(?:\.(?:\s*,)?\s*"
    r"(?:Inc|Corp|Co|Ltd)\.?)?(?:\n[^.;\n]{0,60})?)",
    re.I,
)
_SIGNED = re.compile(
    r"(?:^|\s)(?:By:\s*)?(?:/s/|\(s\)|s/)\s*(?P<n>[A-Z][A-Za-z.'\- ]{2,60}?(?:\n[ \t]*[A-Z][a-z]+(?=[ \t]*\n))?)"
    r"[ \t]*(?:$|,|\n)",
    re.M,
)
_ROLE = (
    r"(?:(?:Sole\s+)?Incorporator|President|Chief\s+Executive\s+Officer|Secretary|Assistant\s+Secretary|"
    r"(?:Executive\s+|Senior\s+)?Vice\s+President|Treasurer|Chairman(?:\s+of\s+the\s+Board)?|Director|"
    r"Authorized\s+Officer|Chief\s+Financial\s+Officer|General\s+Counsel|Chief\s+Operating\s+Officer)"
)
_CAPACITY = re.compile(
    r"\b(?:Title|Its|Capacity)\s*:\s*(?P<t>[A-Za-z ,&'-]{3,60})|"
    r"^\s*(?:[A-Z][A-Za-z.'\- ]{2,60},\s*)?(?P<t2>" + _ROLE + r"(?:(?:\s+and|,)\s+" + _ROLE + r")*)\s*$",
    re.M | re.I,
)


_FORM_NAME = re.compile(
    r"^[ \t]*(?:\d\.[ \t]*)?Name\s+of\s+(?:the\s+)?Corporation\s*:[ \t]*(?P<n>\S[^\n]{1,100}?)[ \t]*$",
    re.I | re.M,
)


# "X, Inc. (the "Corporation"), a corporation organized and existing under ...", "X Corp., a Delaware
# corporation": the name is the run of capitalised words before the defined term or the comma.
# Found from each "corporation" backwards (a pattern tried at every position of the text is slow): "a [Delaware]
# corporation", then the defined term and comma before it.
_A_CORPORATION = re.compile(r"\b(?:a|an)\s+(?:[A-Z][a-z]+\s+){0,2}$")
_DEFINED_TERM = re.compile(r"\s*,?\s*(?:\((?:the|hereinafter|herein|also)\b[^)]{0,80}\)\s*,?\s*)?(?:is\s+)?$")
# Where the leftmost match of `_DEFINED_TERM` can begin: the first space of a run of them (a match from a later
# one is a match from the first, whose `\s*` takes the rest), a comma, a parenthesis or the "i" of "is"; it
# matches the empty string only at its end, which is always tried.
_TERM_START = re.compile(r"(?<!\s)\s|[,(i]")


def _defined_term_start(text: str, lo: int, hi: int) -> int:
    """`_DEFINED_TERM.search(text, lo, hi).start()`, the pattern tried only where the match can begin (tried
    at every position of a long run of spaces, its leading blanks backtrack through every split of the run)."""
    match = _DEFINED_TERM.match
    if lo < hi and text[lo].isspace() and match(text, lo, hi):
        return lo
    for c in _TERM_START.finditer(text, lo, hi):
        if match(text, c.start(), hi):
            return c.start()
    return hi


def _recital_ends(text: str, limit: int):
    """Where the name ends in each "NAME (the "Corporation"), a corporation" of the text's first `limit` chars."""
    low = text[:limit].lower()
    i = low.find("corporation")
    while i != -1:
        after = low[i + 11 : i + 12]
        if not after.isalpha():
            a = _A_CORPORATION.search(text, max(0, i - 40), i)
            if a:
                yield _defined_term_start(text, max(0, a.start() - 130), a.start())
        i = low.find("corporation", i + 11)


_NAME_WORD = re.compile(r"^(?:[A-Z0-9&][\w.,&'’-]*|[a-z]+[A-Z][\w.,'’-]*|of|and|de|du|la|the|\.|,)$")
_TITLE_WORDS = {
    "OF",
    "EXHIBIT",
    "CERTIFICATE",
    "ARTICLES",
    "AMENDMENT",
    "INCORPORATION",
    "DESIGNATION",
    "DESIGNATIONS",
}
_SUFFIX_WORD = re.compile(
    r"^(?:Inc|Corp|Co|Ltd|Incorporated|Corporation|Company|Limited|N\.V|S\.A|L\.P)\.?,?$", re.I
)
_RENAMED = re.compile(
    r"chang(?:e|es|ing)\s+(?:the|its)\s+(?:corporate\s+)?name\s+(?:of\s+the\s+(?:Corporation|Company)\s+)?"
    r"(?:from\s+[^\n]{3,80}?\s+)?to\s+[\"“]?\s*(?P<n>[A-Z][\w.&'’ -]{1,80}?(?:,?\s*(?:Inc|Corp|Co|Ltd|Incorporated|"
    r"Corporation|Company|Limited)\.?)?)\s*[\"”]?\s*(?:[,;]|\.(?:\s|$)|\s+(?:and|effective|duly))",
    re.I,
)
_NOT_NAME = re.compile(
    r"preferred|series|stock|certificate|article|amendment|designation|resolved|whereas", re.I
)


def recital_name(text: str) -> tuple[str, int, int] | None:
    """The corporation named in the opening recital of a certificate."""
    for end in _recital_ends(text, min(len(text), 12000)):
        line_start = max(
            text.rfind("\n", 0, end) + 1, end - 400
        )  # a name and its recital fit in 400 characters
        words = list(re.finditer(r"\S+", text[line_start:end]))
        taken: list[re.Match] = []
        for w in reversed(words):
            tok = w.group(0)
            if not _NAME_WORD.match(tok) or len(taken) >= 10 or tok in _TITLE_WORDS:
                break
            if _SUFFIX_WORD.match(tok) and any(
                _SUFFIX_WORD.match(t.group(0)) is None for t in taken if t.group(0) not in ",."
            ):
                break  # the end of another name before this one ("... OF X CORP. X Corp. (the ...")
            taken.append(w)
        while taken and taken[-1].group(0).lower() in ("of", "and", "the", ",", ".") and len(taken) > 1:
            if taken[-1].group(0) == "The" and len(taken) > 2:
                break
            taken.pop()
        if not taken:
            continue
        start = line_start + taken[-1].start()
        raw = re.sub(r"\s+([,.])", r"\1", " ".join(text[start:end].split())).strip(" ,")
        if len(raw) < 3 or _NOT_NAME.search(raw) or not any(c.isupper() for c in raw):
            continue
        if raw.isupper() and not _SUFFIX.search(raw):
            continue
        return raw, start, end
    return None


def corporation_name(text: str) -> tuple[str, int, int] | None:
    # each pattern is tried only where its first word is ("chang...", "name"), not at every position
    rn = next(finditer_from(_RENAMED, text, ("chang",), 0, min(len(text), 12000)), None)
    if rn:
        raw = re.sub(r"\s+([,.])", r"\1", " ".join(rn.group("n").split())).strip(" ,")
        return raw, rn.start("n"), rn.end("n")
    m = next(finditer_from(_NAME, text, ("name",)), None)
    if not m:
        low = lower_same(text)
        fm = _FORM_NAME.search(text) if low is None or "name" in low else None
        if fm:
            return " ".join(fm.group("n").split()), fm.start("n"), fm.end("n")
        return recital_name(text)
    raw = " ".join(m.group("n").split()).strip(" ,:")
    raw = re.sub(r"\s*\(.*$", "", raw)
    if len(raw) < 2 or len(raw) > 100:
        return None
    if not _SUFFIX.search(raw) and text[m.end("n") : m.end("n") + 1] == ".":
        pass
    if re.search(r"\b(?:Inc|Corp|Co|Ltd)$", raw, re.I) and text[m.end("n") : m.end("n") + 1] == ".":
        raw += "."
    return raw, m.start("n"), m.end("n")


def registered_office(text: str) -> tuple[str, int, int] | None:
    m = _OFFICE.search(text)
    if not m:
        return None
    return " ".join(m.group("a").split()).rstrip(" ,."), m.start("a"), m.end("a")


def registered_agent(text: str) -> tuple[str, int, int] | None:
    m = _AGENT.search(text)
    if not m:
        return None
    return " ".join(m.group("a").split()).rstrip(" ,."), m.start("a"), m.end("a")


def _signed_starts(text: str, start: int, end: int) -> list[int]:
    """Where a match of `_SIGNED` can begin in `text[start:end]`: at or just before a signature mark ("/s/",
    "s/", "(s)"), or at or just before a "By:" that only blanks part from one."""
    marks: set[int] = set()
    for w, back in (("s/", 1), ("(s)", 0)):
        i = text.find(w, start, end)
        while i != -1:
            marks.update((i - back, i))
            i = text.find(w, i + 1, end)
    out: set[int] = set()
    for k in marks:
        out.update((k - 1, k))
        j = k
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if text[j - 3 : j] == "By:":
            out.update((j - 4, j - 3))
    return sorted(i for i in out if start <= i <= end)


def signatories(text: str, start: int, end: int) -> list[tuple[str, str | None, int, int]]:
    out: list[tuple[str, str | None, int, int]] = []
    # `_SIGNED` tried once at each place one can begin (`_signed_starts`); the matches that do not overlap the one
    # before are the signatures, and the next match after each (overlapping or not) bounds its window
    hits = [m for m in map(lambda i: _SIGNED.match(text, i, end), _signed_starts(text, start, end)) if m]
    hit_starts = [m.start() for m in hits]
    pos = start
    for m in hits:
        if m.start() < pos:
            continue
        pos = m.end()
        name = " ".join(m.group("n").split()).rstrip(",. ")
        if name.lower() in ("authorized officer", "incorporator"):
            continue
        k = bisect_left(hit_starts, m.end())
        nxt = hits[k] if k < len(hits) else None
        window_end = min(nxt.start() if nxt else end, m.end("n") + 300)
        titles, roles = [], []
        for c in _CAPACITY.finditer(text, m.end("n"), window_end):
            if c.group("t") and "print" not in c.group("t").lower():
                titles.append(" ".join(c.group("t").split()).strip(" ,"))
            elif c.group("t2"):
                roles.append(" ".join(c.group("t2").split()))
        capacity = None
        if titles or roles:
            capacity = titles[0] if titles else roles[0]
            if titles and roles and roles[0].lower() != titles[0].lower():
                capacity = f"{titles[0]} ({roles[0]})"
        if not capacity:
            tail = text[m.end("n") : m.end("n") + 120]
            mm = re.search(r"(?:an?\s+)?(Authorized\s+Officer|Incorporator|President|Secretary)", tail, re.I)
            capacity = mm.group(1) if mm else None
        if not any(o[0] == name for o in out):
            out.append((name, capacity, m.start("n"), m.end("n")))
    if not out:
        # "to be signed by Eugene Chiaramonte, an Authorized Officer" with no /s/ line
        m = re.search(
            r"signed\s+by\s+(?P<n>[A-Z][a-z]+(?:\s+[A-Z][a-z.]*){1,3}),?\s+(?:its|an?|the)\s+"
            r"(?P<c>[A-Za-z ]{3,40}?)(?:,|\s+this|\.)",
            text[start:end],
        )
        if m:
            out.append((m.group("n"), m.group("c"), start + m.start("n"), start + m.end("n")))
    return out
