"""What a document is: its kind (incorporation, amendment, restated, designations, articles, other),
the statute it was filed under (§241, §242, §245, §151(g)), and its jurisdiction."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from .textmap import finditer_from, lower_same

_STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "Wisconsin",
    "Wyoming",
] + [
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
    "British Columbia",
    "Ontario",
    "Cayman Islands",
    "British Virgin Islands",
    "Marshall Islands",
    "Puerto Rico",
]
_DE = re.compile(
    r"General\s+Corporation\s+Law\s+of\s+(?:the\s+)?State\s+of\s+Delaware|Delaware\s+General\s+Corporation\s+Law|"
    r"\bDGCL\b|Title\s+8\s+of\s+the\s+Delaware\s+Code|\bDel\.\s*C\.|laws\s+of\s+the\s+State\s+of\s+Delaware|"
    r"(?:Secretary\s+of\s+State|STATE)\s+OF\s+DELAWARE|Delaware\s+Code",
    re.I,
)


@lru_cache(maxsize=256)
def _other_re(states: tuple[str, ...]) -> re.Pattern:
    return re.compile(
        _OTHER_TEMPLATE.replace(
            "STATES", _by_first_letter([s for s in states if s not in ("NRS", "RCW")]) or "(?!)"
        ),
        re.I,
    )


def _by_first_letter(names: list[str]) -> str:
    """`"|".join(names)`, the names that begin with the same letter taken together ("A(?:labama|laska)"): a
    place where no name begins is rejected once for each letter, not once for each name. The same matches: no
    name is the beginning of another, so at most one matches at a place."""
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(n[0], []).append(n)
    return "|".join(
        g[0] if len(g) == 1 else f"{k}(?:{'|'.join(n[1:] for n in g)})" for k, g in groups.items()
    )


_OTHER_TEMPLATE = (
    r"(?:laws|statutes?|Business\s+Corporation\s+(?:Law|Act)|Corporations?\s+(?:Law|Act|Code)|Revised\s+Statutes|"
    r"Companies\s+(?:Act|Law)(?:\s+\([^)]{1,30}\))?|General\s+Corporation\s+Law)"
    r"\s+of\s+(?:the\s+)?(?:(?:State|Commonwealth|Province)\s+of\s+)?(?P<s>STATES)"
    r"|(?:State|Commonwealth|Province)\s+of\s+(?P<s2>STATES)\s+(?:Business|General|Revised)"
    r"|\b(?P<nrs>NRS|Nevada\s+Revised\s+Statutes)\b|\b(?P<rcw>RCW)\s+23B\b|(?P<s3>STATES)\s+(?:Business\s+Corporation"
    r"|Revised\s+Statutes|General\s+Corporation\s+Law|Corporations\s+Code)"
)


_TITLE_KIND = re.compile(
    r"(?P<restated>(?:AMENDED\s+AND\s+)?RESTATED\s+(?:CERTIFICATE|ARTICLES)|RESTATEMENT)"
    r"|(?P<amendment>(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|\d+(?:ST|ND|RD|TH))\s+AMENDMENT\s+TO"
    r"|(?:CERTIFICATE|ARTICLES|CERT[A-Z]{4,10})\s+OF\s+AMENDMENT|AMENDMENT\s+(?:TO|OF)\s+(?:THE\s+)?"
    r"(?:[A-Z]+\s+){0,4}(?:CERTIFICATE|ARTICLES))"
    r"|(?P<designations>DESIGNATIONS?\b|(?:STATEMENT|CERTIFICATE)\s+OF\s+(?:RIGHTS|PREFERENCES))"
    r"|(?P<other>CORRECTION|ELIMINATION|MERGER|OWNERSHIP|CONVERSION|RETIREMENT|DISSOLUTION|VALIDATION|"
    r"BY-?LAWS?|CODE\s+OF\s+REGULATIONS|FORMATION|LIMITED\s+LIABILITY|ORGANIZATION)"
    r"|(?P<articles>ARTICLES\s+OF\s+INCORPORATION|MEMORANDUM\s+(?:AND\s+ARTICLES\s+)?OF\s+ASSOCIATION|"
    r"ARTICLES\s+OF\s+ASSOCIATION)"
    r"|(?P<incorporation>(?:CERTIFICATE|CERT[A-Z]{4,10})\s+OF\s+INCORPORATION|CHARTER)"
)
_OTHER_STATUTE = {
    "CORRECTION": "103(f)",
    "ELIMINATION": "151(g)",
    "MERGER": "251",
    "VALIDATION": "204",
    "RETIREMENT": "243",
    "DISSOLUTION": "275",
    "OWNERSHIP": "253",
    "CONVERSION": "266",
}
# Untitled documents are judged by what they do.
_DOES_DESIGNATE = re.compile(
    r"151\s*\(g\)|(?:create|creates|establish|establishes|provide\s+for)\s+(?:a|one)\s+series\s+of|"
    r"designated\s+as\s+[\"“]?(?:Series|[A-Z][\w,-]*\s+(?:[A-Z][\w,-]*\s+)?Preferred)",
    re.I,
)
_DOES_AMEND = re.compile(
    r"Certificate\s+of\s+Amendment|Articles\s+of\s+Amendment|(?:Certificate|Articles)\s+of\s+Incorporation"
    r"[^.]{0,200}?\b(?:be|is|are)\s+(?:hereby\s+)?(?:further\s+)?amended",
    re.I,
)


_NOT_CORPORATION = re.compile(
    r"CERTIFICATE\s+OF\s+(?:FORMATION|LIMITED\s+PARTNERSHIP|TRUST)|LIMITED\s+LIABILITY\s+COMPANY|\bL\.?L\.?C\.?$|"
    r"LIMITED\s+PARTNERSHIP|STATUTORY\s+TRUST|OPERATING\s+AGREEMENT"
)
_ENTITY_ACT = re.compile(
    r"Limited\s+Liability\s+Company\s+Act|Revised\s+Uniform\s+Limited\s+Partnership\s+Act|Statutory\s+Trust\s+Act|"
    r"limited\s+liability\s+company|limited\s+partnership",
    re.I,
)


def _two_entity_acts(body: str) -> bool:
    """`_ENTITY_ACT` matches at least twice in `body`. Every match holds a "limited" or a "statutory" of its
    own, so a body with fewer than two of them is not scanned."""
    low = lower_same(body)
    if low is not None and low.count("limited") + low.count("statutory") < 2:
        return False
    return len(_ENTITY_ACT.findall(body)) >= 2


def entity_not_corporation(title: str, body: str) -> str | None:
    """The kind of entity, when the document is not a corporation's ("a limited liability company")."""
    if _NOT_CORPORATION.search(title) or (
        _two_entity_acts(body) and not re.search(r"General\s+Corporation\s+Law", body, re.I)
    ):
        low = (title + " " + body[:3000]).lower()
        if "limited partnership" in low:
            return "a limited partnership"
        if "trust" in title.lower():
            return "a statutory trust"
        return "a limited liability company"
    return None


def kind_of(title: str, text: str) -> tuple[str, str | None]:
    """The document's kind from the head of its title (the first kind it names: "CERTIFICATE OF AMENDMENT
    OF THE RESTATED CERTIFICATE" is an amendment), else from what its text does."""
    t = " ".join(title.upper().split())
    body = text[:6000]
    if entity_not_corporation(t, body):
        return "other", None
    m = _TITLE_KIND.search(t)
    kind = m.lastgroup if m else None
    if kind == "other":
        word = m.group("other")
        if word.startswith(("BY", "CODE")):
            return "other", None
        return "other", next((v for k, v in _OTHER_STATUTE.items() if k in word), None)
    if kind == "designations":
        return "designations", "151(g)"
    if kind == "restated":
        secs = []
        if re.search(r"Sections?\s+242|§\s*242|\b242\s+and\s+245", text):
            secs.append("242")
        secs.append("245")
        return "restated", " and ".join(secs)
    if kind == "amendment":
        if "BEFORE PAYMENT" in t or re.search(r"Section\s+241\b|§\s*241\b", body):
            return "amendment", "241"
        if re.search(r"Sections?\s+242\b|§\s*242\b|Sections?\s+228\s+and\s+242", body):
            return "amendment", "242"
        return "amendment", None
    if kind in ("articles", "incorporation"):
        return kind, None
    # untitled, or a title that names no kind ("CERTIFICATE OF X CORP."): judge by content
    if _DOES_DESIGNATE.search(body) and re.search(r"RESOLVED|Board\s+of\s+Directors", body, re.I):
        return "designations", "151(g)"
    if _DOES_AMEND.search(body):
        return "amendment", "242" if re.search(r"Sections?\s+242\b|§\s*242\b", body) else None
    if re.search(r"name\s+of\s+(?:this|the)\s+corporation", body, re.I) and re.search(
        r"authority\s+to\s+issue|authorized\s+to\s+issue", body, re.I
    ):
        return "incorporation", None
    return "other", None


# Words every match of `_DE` / of `_other_re(...)` begins with (besides the state names themselves): the
# patterns are tried only where one begins (`finditer_from`), not at every position.
_DE_STARTS = ("general", "delaware", "dgcl", "title", "del.", "laws", "secretary", "state")
_OTHER_STARTS = (
    "laws",
    "statute",
    "business",
    "corporation",
    "revised",
    "state",
    "commonwealth",
    "province",
    "nrs",
    "nevada",
    "rcw",
    "companies",
    "general",
)


_STATES_LOWER = tuple(s.lower() for s in _STATES)
_ALL_STATES = tuple(_STATES)
# The states by the last four letters of their names, lowered: which can end where a blank begins.
_BY_LAST_FOUR: dict[str, tuple[str, ...]] = {}
for _s in _STATES_LOWER:
    _BY_LAST_FOUR[_s[-4:]] = (*_BY_LAST_FOUR.get(_s[-4:], ()), _s)
# The first words of what follows a state's name where a match of the pattern begins with the name
# ("Nevada Revised Statutes", "New York Business Corporation Law").
_AFTER_STATE = ("business", "revised", "general", "corporations")


def _other_laws(text: str) -> list[re.Match]:
    """The matches of the other-state pattern in `text`: `finditer` of `_other_re` over the states whose names
    (lowered) are in the text lowered, or none when no state, "NRS" or "RCW" is.

    Where the text lowered keeps every offset and letter (`lower_same`), the names need not be looked for one
    by one: a name not in the text matches nowhere, so the pattern over every state finds the same; it is
    tried where a match can begin, at its first words and where a state's name ends before a blank and
    "Business", "Revised", "General" or "Corporations". A match of a state's name says a state is there; a
    match of "NRS" or "RCW" in lower case alone is kept only when one is."""
    low = lower_same(text)
    if low is None:
        low = text.lower()
        present = (
            tuple(s for s in _STATES if s.lower() in low)
            + (("NRS",) if "NRS" in text else ())
            + (("RCW",) if "RCW" in text else ())
        )
        starts = _OTHER_STARTS + tuple(s.lower() for s in present)
        return list(finditer_from(_other_re(present), text, starts)) if present else []
    named: list[int] = []  # where a state's name ends before one of `_AFTER_STATE`, a match may begin
    for w in _AFTER_STATE:
        i = low.find(w)
        while i != -1:
            j = i
            while j > 0 and text[j - 1].isspace():
                j -= 1
            if j < i:
                named.extend(
                    j - len(n) for n in _BY_LAST_FOUR.get(low[j - 4 : j], ()) if low.endswith(n, 0, j)
                )
            i = low.find(w, i + 1)
    found = list(finditer_from(_other_re(_ALL_STATES), text, _OTHER_STARTS, extra=named))
    if (
        found
        and "NRS" not in text
        and "RCW" not in text
        and not any(m.group("s") or m.group("s2") or m.group("s3") for m in found)
        and not any(n in low for n in _STATES_LOWER)
    ):
        return []
    return found


def jurisdiction_of(text: str) -> str | None:
    """The state whose corporation law the text invokes most often (Delaware on a tie); else Delaware where
    the text names it; else None."""
    others: dict[str, int] = {}
    for m in _other_laws(text):
        name = m.group("s") or m.group("s2") or m.group("s3") or ("Nevada" if m.group("nrs") else None)
        name = name or ("Washington" if m.group("rcw") else None)
        if name:
            name = " ".join(w.capitalize() for w in name.split())
            others[name] = others.get(name, 0) + 1
    if "elaware" in text or "DGCL" in text or "Del." in text or "ELAWARE" in text:
        # Delaware's citations are counted only as far as the most cited other state's (the first one will do
        # where there is none): a long Delaware filing is not scanned to its end
        need = max(others.values(), default=0) or 1
        if next(islice(finditer_from(_DE, text, _DE_STARTS), need - 1, None), None) is not None:
            return "Delaware"
    if others:
        return max(others, key=others.get)
    if re.search(r"\bDelaware\b", text):
        return "Delaware"
    return None
