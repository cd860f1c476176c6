"""The charter as data: filed documents, stock classes and series, provisions, dated versions.

`Charter.versions` are in time order; `Charter.at(date)` is the version in force on a date and
`Charter.diff(a, b)` the structured changes between two versions: which article, which class, old → new
(`diff_versions`, `Change`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .errors import NotFoundError
from .heap import fast_pickling
from .sources import Fact, SourceRef

DOCUMENT_KINDS = ("incorporation", "amendment", "restated", "designations", "articles", "other")


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str
    capacity: str | None = None
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One filed instrument (a certificate of incorporation, an amendment, ...)."""

    id: str
    kind: str
    title: str
    text: str
    sha256: str
    signed_on: date | None = None
    signatories: tuple[Signatory, ...] = ()
    statute: str | None = None  # "241", "242", "245", "151(g)", "102", "NRS 78" ...
    jurisdiction: str | None = None
    filed_on: date | None = None
    effective_on: date | None = None
    source: SourceRef | None = None
    copies: tuple[SourceRef, ...] = ()  # other copies of the same document in the input
    citations: tuple[Fact[str], ...] = ()  # statute sections cited, e.g. Fact("242(b)(2)", source)


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    class_key: str
    name: str
    authorized: int | None
    terms: tuple[tuple[str, str], ...] = ()
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class StockClass:
    key: str
    name: str
    kind: str  # "common" | "preferred"
    authorized: int | None
    par_value: Decimal | None
    no_par: bool = False
    votes_per_share: int | None = None
    series: tuple[Series, ...] = ()
    source: SourceRef | None = None

    def par_text(self) -> str | None:
        if self.no_par:
            return "no par"
        return None if self.par_value is None else str(self.par_value)


@dataclass(frozen=True, slots=True)
class Capital:
    total_authorized: int | None
    classes: tuple[StockClass, ...] = ()
    blank_check_holder: str | None = None  # who may fix the terms of preferred stock
    source: SourceRef | None = None

    def cls(self, key: str) -> StockClass | None:
        for c in self.classes:  # (a loop, not `next` over a generator: the checks ask it for every event)
            if c.key == key:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Provision:
    article: str
    paragraph: str | None
    kind: str
    params: tuple[tuple[str, object], ...] = ()
    source: SourceRef | None = None
    text: str = ""

    def param(self, name: str, default=None):
        return next((v for k, v in self.params if k == name), default)


@dataclass(frozen=True, slots=True)
class Article:
    """An article of the charter as it reads in a version: its ordinal, heading and operative text."""

    number: int
    heading: str
    text: str
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class CharterVersion:
    effective_on: date | None
    name: str | None
    registered_office: str | None = None
    registered_agent: str | None = None
    purpose: str | None = None
    capital: Capital | None = None
    provisions: tuple[Provision, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    articles: tuple[Article, ...] = ()
    document_id: str | None = None
    document_kind: str | None = None
    statute: str | None = None
    date_basis: str = "filed"  # "filed" | "effective" | "executed" | "unknown"
    jurisdiction: str | None = None
    # built without the charter it amends: only what its documents state is known; `unknown` names the rest
    partial: bool = False

    @property
    def unknown(self) -> tuple[str, ...]:
        """What a partial version cannot tell (its base charter is missing)."""
        if not self.partial:
            return ()
        cap = self.capital
        gaps = {
            "name": self.name is None,
            "registered_office": self.registered_office is None,
            "purpose": self.purpose is None,
            "total_authorized": cap is None or cap.total_authorized is None,
            "classes": cap is None or not cap.classes,
            "class sizes": cap is not None and any(c.authorized is None for c in cap.classes),
            "par values": cap is not None and any(c.par_value is None and not c.no_par for c in cap.classes),
            "articles not amended": True,
        }
        return tuple(k for k, missing in gaps.items() if missing)

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)

    def provisions_of(self, kind: str) -> tuple[Provision, ...]:
        return tuple(p for p in self.provisions if p.kind == kind)


@dataclass(frozen=True, slots=True)
class Charter:
    versions: tuple[CharterVersion, ...]
    documents: tuple[Document, ...] = ()
    _dates: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        dates = tuple(v.effective_on or date.max for v in self.versions)  # undated last
        if list(dates) != sorted(dates):
            raise ValueError("charter versions must be in time order")
        object.__setattr__(self, "_dates", dates)

    @property
    def current(self) -> CharterVersion | None:
        return self.versions[-1] if self.versions else None

    def at(self, when: date) -> CharterVersion | None:
        """The version in force on `when` (None before incorporation; undated versions are never
        placed in time)."""
        i = bisect.bisect_right(self._dates, when)
        return self.versions[i - 1] if i else None

    def diff(self, a: CharterVersion | date | int, b: CharterVersion | date | int):
        return diff_versions(self._version(a), self._version(b))

    def _version(self, ref: CharterVersion | date | int) -> CharterVersion:
        if isinstance(ref, CharterVersion):
            return ref
        if isinstance(ref, date):
            v = self.at(ref)
            if v is None:
                raise NotFoundError(f"no charter in force on {ref.isoformat()}")
            return v
        return self.versions[ref]


# -- the changes between two versions -------------------------------------------------------------------------

_ORDINALS = [
    "FIRST",
    "SECOND",
    "THIRD",
    "FOURTH",
    "FIFTH",
    "SIXTH",
    "SEVENTH",
    "EIGHTH",
    "NINTH",
    "TENTH",
    "ELEVENTH",
    "TWELFTH",
    "THIRTEENTH",
    "FOURTEENTH",
    "FIFTEENTH",
    "SIXTEENTH",
    "SEVENTEENTH",
    "EIGHTEENTH",
    "NINETEENTH",
    "TWENTIETH",
]


def article_label(number: int) -> str:
    return _ORDINALS[number - 1] if 0 < number <= len(_ORDINALS) else str(number)


@dataclass(frozen=True, slots=True)
class Change:
    """One edit: `field` names what changed ("authorized", "par_value", "text", "name", ...)."""

    article: str | None
    field: str
    old: object
    new: object
    class_key: str | None = None
    series_key: str | None = None

    def describe(self) -> str:
        where = f"Art. {self.article}" if self.article else "charter"
        if self.class_key:
            where += f", {self.class_key}" + (f"/{self.series_key}" if self.series_key else "")
        return f"{where}: {self.field} {_show(self.old)} → {_show(self.new)}"

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "field": self.field,
            "class": self.class_key,
            "series": self.series_key,
            "old": _json(self.old),
            "new": _json(self.new),
        }


def _show(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, int):
        return f"{v:,}"
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _json(v: object) -> object:
    return v if v is None or isinstance(v, (int, str, bool)) else str(v)


def diff_versions(a: CharterVersion, b: CharterVersion) -> tuple[Change, ...]:
    out: list[Change] = []
    for fld in ("name", "registered_office", "registered_agent", "purpose"):
        old, new = getattr(a, fld), getattr(b, fld)
        if old != new:
            out.append(Change(None, fld, old, new))
    cap_article = _capital_article(b) or _capital_article(a)
    ca, cb = a.capital, b.capital
    if ca or cb:
        if (ca and ca.total_authorized) != (cb and cb.total_authorized):
            out.append(
                Change(
                    cap_article, "total_authorized", ca and ca.total_authorized, cb and cb.total_authorized
                )
            )
        if (ca and ca.blank_check_holder) != (cb and cb.blank_check_holder):
            out.append(
                Change(
                    cap_article,
                    "preferred_terms_fixed_by",
                    ca and ca.blank_check_holder,
                    cb and cb.blank_check_holder,
                )
            )
        old_classes = {c.key: c for c in (ca.classes if ca else ())}
        new_classes = {c.key: c for c in (cb.classes if cb else ())}
        for key in list(old_classes) + [k for k in new_classes if k not in old_classes]:
            out.extend(_class_changes(cap_article, old_classes.get(key), new_classes.get(key), key))
    old_art = {x.number: x for x in a.articles}
    new_art = {x.number: x for x in b.articles}
    for n in sorted(set(old_art) | set(new_art)):
        ta = old_art[n].text if n in old_art else None
        tb = new_art[n].text if n in new_art else None
        if _norm(ta) != _norm(tb):
            out.append(Change(article_label(n), "text", ta, tb))
    return tuple(out)


def _capital_article(v: CharterVersion) -> str | None:
    for p in v.provisions:
        if p.kind == "authorized_capital":
            return p.article
    return None


def _class_changes(article, old: StockClass | None, new: StockClass | None, key: str) -> list[Change]:
    if old is None:
        return [Change(article, "class added", None, new.authorized, key)]
    if new is None:
        return [Change(article, "class removed", old.authorized, None, key)]
    out = []
    if old.authorized != new.authorized:
        out.append(Change(article, "authorized", old.authorized, new.authorized, key))
    if old.par_text() != new.par_text():
        out.append(Change(article, "par_value", old.par_text(), new.par_text(), key))
    if old.votes_per_share != new.votes_per_share:
        out.append(Change(article, "votes_per_share", old.votes_per_share, new.votes_per_share, key))
    os_ = {s.key: s for s in old.series}
    ns = {s.key: s for s in new.series}
    for sk in list(os_) + [k for k in ns if k not in os_]:
        so, sn = os_.get(sk), ns.get(sk)
        if so is None:
            out.append(Change(article, "series added", None, sn.authorized, key, sk))
        elif sn is None:
            out.append(Change(article, "series removed", so.authorized, None, key, sk))
        elif so.authorized != sn.authorized:
            out.append(Change(article, "authorized", so.authorized, sn.authorized, key, sk))
    return out


def _norm(t: str | None) -> str | None:
    return None if t is None else " ".join(t.split())


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
