"""The corporation's identity and the people on a document: name, registered office and agent,
purpose, and signatories with their capacities."""

from __future__ import annotations

import re

_NAME = re.compile(
    r"\bname\s+of\s+(?:this|the)\s+corporation\s*(?:\([^)]{0,80}\)\s*)?(?:is|shall\s+be)\s*:?\s*"
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
    r"(?:of\s+the\s+Corporation\s+)?(?:at\s+(?:such|that)\s+address\s+)?is\s+)(?P<a>[^.;\n]{3,100}(?:\.\s*,?\s*"
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


def corporation_name(text: str) -> tuple[str, int, int] | None:
    m = _NAME.search(text)
    if not m:
        fm = _FORM_NAME.search(text)
        return (" ".join(fm.group("n").split()), fm.start("n"), fm.end("n")) if fm else None
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


def signatories(text: str, start: int, end: int) -> list[tuple[str, str | None, int, int]]:
    out: list[tuple[str, str | None, int, int]] = []
    for m in _SIGNED.finditer(text, start, end):
        name = " ".join(m.group("n").split()).rstrip(",. ")
        if name.lower() in ("authorized officer", "incorporator"):
            continue
        nxt = _SIGNED.search(text, m.end(), end)
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
