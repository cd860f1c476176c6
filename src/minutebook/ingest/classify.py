"""What a document is: its kind (incorporation, amendment, restated, designations, articles, other),
the statute it was filed under (§241, §242, §245, §151(g)), and its jurisdiction."""

from __future__ import annotations

import re
from functools import lru_cache

from .textmap import finditer_from

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
        _OTHER_TEMPLATE.replace("STATES", "|".join(s for s in states if s != "NRS") or "(?!)"), re.I
    )


_OTHER_TEMPLATE = (
    r"(?:laws|statutes?|Business\s+Corporation\s+(?:Law|Act)|Corporations?\s+(?:Law|Act|Code)|Revised\s+Statutes)"
    r"\s+of\s+(?:the\s+)?(?:State\s+|Commonwealth\s+|Province\s+)?of\s+(?P<s>STATES)"
    r"|(?:State|Commonwealth|Province)\s+of\s+(?P<s2>STATES)\s+(?:Business|General|Revised)"
    r"|\b(?P<nrs>NRS|Nevada\s+Revised\s+Statutes)\b|(?P<s3>STATES)\s+(?:Business\s+Corporation"
    r"|Revised\s+Statutes|General\s+Corporation\s+Law)"
)


def kind_of(title: str, text: str) -> tuple[str, str | None]:
    t = title.upper()
    body = text[:6000]
    if "BY-LAW" in t or "BYLAW" in t or "CODE OF REGULATIONS" in t:
        return "other", None
    if "DESIGNATION" in t:
        return "designations", "151(g)"
    if any(
        w in t
        for w in (
            "CORRECTION",
            "ELIMINATION",
            "MERGER",
            "OWNERSHIP",
            "CONVERSION",
            "RETIREMENT",
            "DISSOLUTION",
            "VALIDATION",
        )
    ):
        statute = {
            "CORRECTION": "103(f)",
            "ELIMINATION": "151(g)",
            "MERGER": "251",
            "VALIDATION": "204",
            "RETIREMENT": "243",
            "DISSOLUTION": "275",
            "OWNERSHIP": "253",
            "CONVERSION": "266",
        }
        return "other", next((v for k, v in statute.items() if k in t), None)
    if "RESTATED" in t or "RESTATEMENT" in t:
        secs = []
        if re.search(r"Sections?\s+242|§\s*242|\b242\s+and\s+245", text):
            secs.append("242")
        secs.append("245")
        return "restated", " and ".join(secs)
    if "AMENDMENT" in t:
        if "BEFORE PAYMENT" in t or re.search(r"Section\s+241\b|§\s*241\b", body):
            return "amendment", "241"
        if re.search(r"Sections?\s+242\b|§\s*242\b|Sections?\s+228\s+and\s+242", body):
            return "amendment", "242"
        return "amendment", None
    if t.startswith("ARTICLES OF INCORPORATION") or "ARTICLES OF INCORPORATION" in t:
        return "articles", None
    if "INCORPORATION" in t:
        return "incorporation", None
    # untitled: judge by content
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
)


def jurisdiction_of(text: str) -> str | None:
    de = (
        sum(1 for _ in finditer_from(_DE, text, _DE_STARTS))
        if "elaware" in text or "DGCL" in text or "Del." in text or "ELAWARE" in text
        else 0
    )
    others: dict[str, int] = {}
    low = text.lower()
    present = tuple(s for s in _STATES if s.lower() in low) + (("NRS",) if "NRS" in text else ())
    starts = _OTHER_STARTS + tuple(s.lower() for s in present)
    for m in finditer_from(_other_re(present), text, starts) if present else ():
        name = m.group("s") or m.group("s2") or m.group("s3") or ("Nevada" if m.group("nrs") else None)
        if name:
            name = " ".join(w.capitalize() for w in name.split())
            others[name] = others.get(name, 0) + 1
    if de and de >= max(others.values(), default=0):
        return "Delaware"
    if others:
        return max(others, key=others.get)
    if re.search(r"\bDelaware\b", text):
        return "Delaware"
    return None
