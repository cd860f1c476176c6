"""Statute citations in their common forms, normalised to DGCL section strings like "102(b)(7)".

"Section 242 of the General Corporation Law", "§ 102(b)(7)", "8 Del. C. § 141(d)", "Sections 228
and 242", "paragraph (7) of subsection (b) of Section 102", "subsection (d) of Section 141".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textmap import finditer_from

_SUB = r"(?:\s?\([a-z0-9]{1,4}\))*"
_SECTION = re.compile(
    r"(?:(?P<para>paragraph|clause)\s+\((?P<p>[a-z0-9]+)\)\s+of\s+)?"
    r"(?:(?:subsection|sub-section)\s+\((?P<s>[a-z0-9]+)\)\s+(?:of|to)\s+)?"
    rf"(?:(?:\b8\s+Del\.?\s*C(?:ode)?\.?\s*)?(?:\bSections?\b|\bSecs?\.|§§?)\s*)"
    rf"(?P<num>\d{{2,3}}(?:\.\d+)?[A-Za-z]?{_SUB})"
    rf"(?P<more>(?:\s*(?:,|and|or|through|&)\s*(?:§\s*)?\d{{2,3}}(?:\.\d+)?{_SUB}(?![\d,]))*)",
    re.I,
)
_MORE = re.compile(rf"\d{{2,3}}(?:\.\d+)?{_SUB}")
_DGCL_CONTEXT = re.compile(
    r"General\s+Corporation\s+Law|DGCL|Del(?:aware)?\.?\s*C(?:ode)?\b|Title\s+8|Delaware", re.I
)
_OTHER_CONTEXT = re.compile(
    r"\bNRS\b|Nevada|Revised\s+Statutes|Business\s+Corporation\s+Law|\bBCL\b|Model", re.I
)


@dataclass(frozen=True, slots=True)
class Citation:
    section: str  # "242(b)(2)"
    start: int
    end: int
    dgcl: bool


# What a citation can begin with (the text lowered): its paragraph or subsection prefix, "8 Del. C.", or
# the section sign or word. `_SECTION` begins with optional groups, so `finditer` would try it at every
# position; it is tried only where one of these begins.
_STARTS = ("sec", "\u00a7", "8", "paragraph", "clause", "subsection", "sub-section")
_SPACE = re.compile(r"\s+")


def find_citations(text: str, start: int = 0, end: int | None = None, default_dgcl: bool = True):
    out: list[Citation] = []
    end = len(text) if end is None else end
    for m in finditer_from(_SECTION, text, _STARTS, start, end):
        tail = text[m.end() : min(len(text), m.end() + 90)]
        head = text[max(0, m.start() - 12) : m.start()]
        if "Del" in m.group(0):
            dgcl = True
        else:
            dgcl = default_dgcl
            for ctx in (tail, head):
                d, o = _DGCL_CONTEXT.search(ctx), _OTHER_CONTEXT.search(ctx)
                if d or o:
                    dgcl = bool(d) and (not o or d.start() < o.start())
                    break
        main = _SPACE.sub("", m.group("num"))
        if m.group("s"):
            main += f"({m.group('s')})"
        if m.group("p"):
            main += f"({m.group('p')})"
        out.append(Citation(main, m.start(), m.end(), dgcl))
        more = m.group("more")
        if more:
            for extra in _MORE.finditer(more):
                out.append(Citation(_SPACE.sub("", extra.group(0)), m.start(), m.end(), dgcl))
    return out


def cite(section: str) -> str:
    return f"8 Del. C. § {section}"
