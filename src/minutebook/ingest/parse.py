"""One document read: its kind, dates, parties, articles (or, for an amendment, the articles it
changes and their new text), series designated, splits, citations and editor's notes.

Offsets are kept in the document's `MappedText`, so every fact becomes a `SourceRef`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from ..core.charter import Document, Signatory
from ..core.findings import Finding, info, warning
from ..core.sources import Fact, SourceRef
from .classify import jurisdiction_of, kind_of
from .extract import amendment, articles, dates, designations, notes, parties, provisions, stock
from .extract.citations import Citation, find_citations
from .segment import Segment
from .textmap import Builder, MappedText, finditer_from, lower_same


@dataclass(slots=True)
class ArticleRead:
    number: int
    label: str
    text: MappedText  # operative text (editor's notes removed), mapped to the file
    document_id: str
    part: str | None = None  # an amendment that replaces one paragraph: "a", "first", ...
    action: str = "replace"  # "replace" | "append" (an amendment adding a paragraph)

    def ref(self, start: int = 0, end: int | None = None) -> SourceRef:
        end = len(self.text.text) if end is None else end
        return self.text.ref(start, end, self.document_id)


@dataclass(slots=True)
class DocRead:
    id: str
    index: int
    mt: MappedText  # the document's text
    title: str
    title_ref: SourceRef
    kind: str
    statute: str | None
    jurisdiction: str | None
    sec_type: str | None
    signed_on: date | None = None
    signed_ref: SourceRef | None = None
    filed_on: date | None = None
    effective_on: date | None = None
    signatories: list[Signatory] = field(default_factory=list)
    name: tuple[str, SourceRef] | None = None
    title_name: str | None = None
    articles: list[ArticleRead] = field(default_factory=list)  # articles this document sets out
    deleted: list[int] = field(default_factory=list)
    replaces_all: bool = False
    changes_unresolved: list[tuple[int, SourceRef]] = field(default_factory=list)
    series: list[tuple[designations.SeriesRead, SourceRef]] = field(default_factory=list)
    mentions: list[tuple[designations.ClassMention, SourceRef]] = field(default_factory=list)
    stated_total: int | None = None  # the total authorized a designation recites
    splits: list[tuple[stock.SplitRead, SourceRef]] = field(default_factory=list)
    citations: list[tuple[Citation, SourceRef]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    copies: list[DocRead] = field(default_factory=list)

    @property
    def date(self) -> date | None:
        return self.effective_on or self.filed_on or self.signed_on

    @property
    def date_basis(self) -> str:
        if self.effective_on:
            return "effective"
        if self.filed_on:
            return "filed"
        return "executed" if self.signed_on else "unknown"

    def ref(self, start: int, end: int) -> SourceRef:
        return self.mt.ref(start, end, self.id)

    def to_document(self) -> Document:
        text = self.mt.text
        refs = sorted([self.title_ref] + [c.title_ref for c in self.copies], key=lambda r: r.start)
        return Document(
            id=self.id,
            kind=self.kind,
            title=self.title,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            signed_on=self.signed_on,
            signatories=tuple(self.signatories),
            statute=self.statute,
            jurisdiction=self.jurisdiction,
            filed_on=self.filed_on,
            effective_on=self.effective_on,
            source=refs[0],
            copies=tuple(refs[1:]),
            citations=tuple(Fact(("" if c.dgcl else "other:") + c.section, ref) for c, ref in self.citations),
        )


def read_document(part: MappedText, seg: Segment, doc_id: str, index: int, sec_type: str | None) -> DocRead:
    mt = part.slice(seg.start, seg.end)
    text = mt.text
    title_start, title_end = seg.title_start - seg.start, seg.title_end - seg.start
    kind, statute = kind_of(seg.title, text)
    # the statute a form is made under may be printed above its title ("THE COMPANIES ACT ... OF THE CAYMAN ISLANDS")
    juris = jurisdiction_of(text) or jurisdiction_of(part.text[max(0, seg.start - 2000) : seg.start])
    if juris and juris != "Delaware" and kind in ("incorporation", "amendment", "restated", "designations"):
        statute = None
    d = DocRead(
        doc_id,
        index,
        mt,
        seg.title,
        mt.ref(title_start, max(title_end, title_start + 1), doc_id),
        kind,
        statute,
        juris,
        sec_type,
        title_name=seg.name_line,
    )
    body = title_end
    sd = dates.signing_date(text)
    if sd:
        d.signed_on, d.signed_ref = sd.value, d.ref(sd.start, sd.end)
    fd = dates.filing_date(text)
    if fd:
        d.filed_on = fd.value
    ed = dates.effective_date(text)
    if (
        ed
        and (d.filed_on is None or ed.value >= d.filed_on)
        and (d.signed_on is None or ed.value >= d.signed_on)
    ):
        d.effective_on = ed.value
    sig_from = articles.STOP.search(text, body)
    sig_start = sig_from.start() if sig_from else body
    for name, capacity, s, e in parties.signatories(text, sig_start, len(text)):
        d.signatories.append(Signatory(name, capacity, d.ref(s, e)))
    nm = parties.corporation_name(text)
    if nm:
        d.name = (nm[0], d.ref(nm[1], nm[2]))
    every = find_citations(text, 0, len(text), default_dgcl=True) if juris in (None, "Delaware") else None
    for c in _citations_from(text, body, every, default_dgcl=juris in (None, "Delaware")):
        d.citations.append((c, d.ref(c.start, c.end)))
    if kind in ("incorporation", "articles", "restated"):
        start = body
        if kind == "restated" and seg.attachment is not None and seg.start <= seg.attachment < seg.end:
            start = (
                seg.attachment - seg.start
            )  # the restated text is the attachment the certificate refers to
            d.replaces_all = True
        elif kind == "restated":
            m = re.search(
                r"(?:restated|integrated)[^.]{0,200}?(?:to\s+read|as\s+follows|in\s+full|herein\s+set\s+forth)"
                r"[^:]{0,60}:",
                text[body:],
                re.I,
            )
            if m:
                start = body + m.end()
            d.replaces_all = True
        found = articles.split_articles(text, start)
        if len(found) < 3:
            found = _numbered_sections(text, start) or found
        for n, label, s, e in found:
            d.articles.append(ArticleRead(n, label, _operative(mt, s, e, d), doc_id))
        if kind == "restated" and not d.articles:
            d.replaces_all = False
    elif kind == "amendment":
        for ch in amendment.read_changes(text, body, len(text)):
            if ch.action == "delete":
                d.deleted.append(ch.number)
            elif ch.text_span:
                s, e = ch.text_span
                d.articles.append(
                    ArticleRead(
                        ch.number,
                        articles.article_label(ch.number),
                        _operative(mt, s, e, d),
                        doc_id,
                        ch.part,
                        "append" if ch.action == "append" else "replace",
                    )
                )
            else:
                d.changes_unresolved.append((ch.number, d.ref(*ch.clause)))
        if not d.articles and not d.deleted:
            # no "Article X is amended to read" found: the capital article the amendment sets out, if any
            # (a filing that holds only the new text, "FOURTH: The total number of shares ...")
            for n, label, s, e in _set_out_capital(text, body):
                d.articles.append(ArticleRead(n, label, _operative(mt, s, e, d), doc_id))
                d.changes_unresolved = [c for c in d.changes_unresolved if c[0] != n]
    if kind == "amendment" and not any(_states_capital(a.text.text) for a in d.articles):
        # no capital article set out: the par values it states in passing (a split clause's "each ten shares
        # of Common Stock, par value $0.001 per share, ...") are what is known of the classes
        for cm in designations.class_mentions(text, body, len(text)):
            d.mentions.append((cm, d.ref(cm.start, max(cm.end, cm.start + 1))))
    if kind == "designations" or (kind != "other" and _designates(text)):
        got = designations.series_in(text, 0, len(text), seg.title if kind == "designations" else "")
        for sr in got.found:
            d.series.append((sr, d.ref(sr.start, sr.end)))
        if got.unread is not None:
            d.findings.append(
                warning(
                    "MB-TOO-MANY-SERIES",
                    f"the document designates more than {designations.MAX_SERIES:,} series: the first "
                    f"{designations.MAX_SERIES:,} are read; this one and those after it are not (no charter holds "
                    "so many: is the file one filing?)",
                    d.ref(*got.unread),
                )
            )
        if d.series and not d.articles:
            stated = _stated_capital(text)
            if stated is not None and stated.total is not None:
                d.stated_total = stated.total.value
            mentions = [
                designations.ClassMention(
                    c.kind, c.amount.value if c.amount else None, c.par, c.no_par, c.start, c.end
                )
                for c in (stated.classes if stated else ())
            ] or designations.class_mentions(text, 0, len(text))
            for cm in mentions:
                d.mentions.append((cm, d.ref(cm.start, max(cm.end, cm.start + 1))))
    if juris in (None, "Delaware"):
        d.statute = _adopted_under(d, text, every) or d.statute
    if kind in ("amendment", "restated", "incorporation", "articles"):
        for sp in stock.read_splits(text, body, len(text)):
            d.splits.append((sp, d.ref(sp.start, sp.end)))
    return d


# "adopted in accordance with Sections 242 and 245", "(Pursuant to Section 151 of the ...)", "UNDER SECTION 102":
# the sections a document says it is made under (a citation inside the articles it sets out is not one).
_ADOPTION_LEAD = re.compile(
    r"(?:pursuant\s+to|in\s+accordance\s+with|under|by\s+virtue\s+of|as\s+provided\s+(?:in|by)|provisions\s+of|"
    r"authority\s+of|conformity\s+with|compliance\s+with|acting\s+pursuant\s+to)\s+(?:the\s+)?(?:applicable\s+)?"
    r"(?:provisions?\s+of\s+)?(?:(?:subsection|paragraph)\s+\([a-z0-9]+\)\s+of\s+)?(?:the\s+)?$",
    re.I,
)
# The sections that make a document what it is; the procedure it followed (§§141, 222, 228 ...) stays among its
# citations.
_ADOPTION_SECTIONS = ("102", "151", "241", "242", "245", "266", "303")


def _citations_from(
    text: str, start: int, every: list[Citation] | None, default_dgcl: bool
) -> list[Citation]:
    """`find_citations(text, start, len(text), default_dgcl)`, taken from `every` (the text's citations from
    its start, read with `default_dgcl`) where no citation there runs across `start`: the scan from the start
    then reaches `start` where a scan from `start` begins, and finds what it finds from there."""
    if every is None or any(c.start < start < c.end for c in every):
        return find_citations(text, start, len(text), default_dgcl=default_dgcl)
    return [c for c in every if c.start >= start]


def _adopted_under(d: DocRead, text: str, every: list[Citation] | None = None) -> str | None:
    """The DGCL sections the document says it is adopted under, with the one its kind implies (`every`: the
    text's citations, where the caller has them)."""
    spans = [(a.text.origin[0], a.text.origin[-1]) for a in d.articles if len(a.text.origin)]
    found: set[str] = set()
    for c in find_citations(text, 0, len(text), default_dgcl=True) if every is None else every:
        if not c.dgcl:
            continue
        base = re.match(r"\d+", c.section)
        if not base or base.group(0) not in _ADOPTION_SECTIONS:
            continue
        src = d.mt.src(c.start)
        if any(lo <= src <= hi for lo, hi in spans):
            continue
        if _ADOPTION_LEAD.search(text[max(0, c.start - 70) : c.start]) or (
            c.start > 0
            and text[c.start - 1] in "("
            or text[max(0, c.start - 12) : c.start].strip().upper() == "UNDER"
        ):
            found.add(base.group(0))
    found |= set(re.findall(r"\d{3}", d.statute or ""))  # what the title and the certificate's wording imply
    if d.kind == "restated":
        found.add("245")
    elif d.kind == "designations":
        found.add("151")
    if not found:
        return None
    if "241" in found and d.kind == "amendment":
        found = {"241"}  # before payment: the incorporators' or directors' act under §241, not §242
    secs = [("151(g)" if x == "151" and d.kind == "designations" else x) for x in sorted(found, key=int)]
    return secs[0] if len(secs) == 1 else ", ".join(secs[:-1]) + " and " + secs[-1]


def _states_capital(text: str) -> bool:
    return any(k == "authorized_capital" for k, _s, _p in provisions.classify(text))


def _set_out_capital(text: str, start: int) -> list[tuple[int, str, int, int]]:
    heads = articles.find_headings(text, start, len(text))
    out = []
    for i, h in enumerate(heads):
        e = heads[i + 1].start if i + 1 < len(heads) else len(text)
        stop = articles.STOP.search(text, h.end, e)
        e = stop.start() if stop else e
        if _states_capital(text[h.end : e]):
            out.append((h.number, h.label, h.end, e))
    return out[:1]


_CAPITAL_CLAUSE = re.compile(
    r"(?:total|aggregate)\s+number\s+of\s+(?:authorized\s+)?shares[^.;]{0,160}?(?:authority|authorized)\s+to\s+issue",
    re.I,
)


def _stated_capital(text: str) -> stock.CapitalRead | None:
    """The whole capital as a designation recites it ("The total number of shares ... which the Corporation
    shall have authority to issue is ...; these shares shall be divided into ..."), read from its paragraph."""
    m = next(finditer_from(_CAPITAL_CLAUSE, text, ("total", "aggregate")), None)
    if m is None:
        return None
    end = re.compile(r"\n[ \t]*\n|\s\d{1,2}\.\s+(?=[A-Z])|\bWHEREAS\b|\bRESOLVED\b").search(text, m.end())
    return stock.read_capital(text, m.start(), end.start() if end else min(len(text), m.end() + 1500))


_DESIGNATES = re.compile(r"(?:hereby|are|be|is)\s+designated|designated\s+as\b", re.I)


def _designates(text: str) -> bool:
    """`_DESIGNATES` matches in `text` (scanned only when "designated" is in it)."""
    low = lower_same(text)
    return (low is None or "designated" in low) and _DESIGNATES.search(text) is not None


def _operative(mt: MappedText, s: int, e: int, d: DocRead) -> MappedText:
    """The article's text with editor's notes cut out (each reported as an info finding)."""
    found = notes.find_notes(mt.text, s, e)
    if not found:
        return mt.slice(s, e)
    b = Builder(mt.file)
    pos = s
    for ns, ne in found:
        b.copy(mt, pos, ns)
        pos = ne
        d.findings.append(
            info(
                "MB-EDITOR-NOTE",
                f'not operative text, left out of the charter: "{" ".join(mt.text[ns:ne].split())}"',
                d.ref(ns, ne),
            )
        )
    b.copy(mt, pos, e)
    return b.build()


_SECTION_HEAD = re.compile(r"^[ \t]*(\d{1,2})\.[ \t]+([A-Z][A-Za-z,' ]{2,40}?)[.:](?=[ \t]|$)", re.M)
# Clauses numbered without titles ("1. The name of the Company is ...", a memorandum of association), or headed
# by cardinals ("ONE:", "FOUR:", California's articles).
_CLAUSE_HEADS = (
    re.compile(r"^[ \t]*(\d{1,2})\.[ \t]+(?=[A-Z])", re.M),
    re.compile(
        r"^[ \t]*(ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|THIRTEEN|FOURTEEN|FIFTEEN)"
        r"[ \t]*[:.](?=[ \t]|$)",
        re.M,
    ),
)
_CARDINAL = ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE",
             "THIRTEEN", "FOURTEEN", "FIFTEEN")  # fmt: skip


def _numbered_sections(text: str, start: int) -> list[tuple[int, str, int, int]]:
    """Charters drafted in numbered sections ("4. Authorized Capital. The total number ..."):
    headings numbered 1, 2, 3 ... in sequence, each with a short title."""
    stop = articles.STOP.search(text, start)
    end = stop.start() if stop else len(text)
    heads = []
    for m in _SECTION_HEAD.finditer(text, start, end):
        if int(m.group(1)) == len(heads) + 1:
            heads.append(m)
    if len(heads) >= 3:
        out = []
        for i, m in enumerate(heads):
            e = heads[i + 1].start() if i + 1 < len(heads) else end
            out.append((int(m.group(1)), f"{m.group(1)}. {m.group(2)}", m.end(), e))
        return out
    for pat in _CLAUSE_HEADS:
        heads = []
        for m in pat.finditer(text, start, end):
            g = m.group(1)
            n = int(g) if g.isdigit() else _CARDINAL.index(g) + 1
            if n == len(heads) + 1:
                heads.append((n, m))
        if len(heads) >= 3:
            return [
                (n, m.group(0).strip(), m.end(), heads[i + 1][1].start() if i + 1 < len(heads) else end)
                for i, (n, m) in enumerate(heads)
            ]
    return []
