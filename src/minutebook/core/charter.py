"""The charter as data: filed documents, stock classes and series, provisions, dated versions.

`Charter.versions` are in time order; `Charter.at(date)` is the version in force on a date and
`Charter.diff(a, b)` the structured changes between two versions (see `core.diff`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
        return next((c for c in self.classes if c.key == key), None)


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
        from .diff import diff_versions

        return diff_versions(self._version(a), self._version(b))

    def _version(self, ref: CharterVersion | date | int) -> CharterVersion:
        if isinstance(ref, CharterVersion):
            return ref
        if isinstance(ref, date):
            v = self.at(ref)
            if v is None:
                from .errors import NotFoundError

                raise NotFoundError(f"no charter in force on {ref.isoformat()}")
            return v
        return self.versions[ref]
