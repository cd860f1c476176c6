"""Votes counted from the stock ledger: who may vote on the record date, with how many votes.

Only outstanding shares vote: treasury shares neither vote nor count for quorum (§160(c)). Each share
has one vote unless the charter provides otherwise (§212(a)); a class the charter makes non-voting
still votes as a class where §242(b)(2) gives it a class vote. Votes are given as holder ids (all their
shares of the class on the record date) or as shares by class; a count above what could vote is bad
input, refused with the field named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .errors import InputError
from .heap import fast_pickling


@dataclass(frozen=True, slots=True)
class Electorate:
    record_date: date
    shares: Mapping[str, int]  # class -> outstanding shares on the record date
    votes_per_share: Mapping[str, int]  # class -> votes per share (§212(a) default 1)
    holders: Mapping[str, Mapping[str, int]]  # holder -> class -> shares
    charter_sets_votes: frozenset[str] = frozenset()  # classes whose votes the charter fixes

    def voting_classes(self) -> tuple[str, ...]:
        return tuple(c for c, n in self.shares.items() if n > 0 and self.votes_per_share.get(c, 1) > 0)

    def votes(self, by_class: Mapping[str, int], classes: Iterable[str] | None = None) -> int:
        keep = set(self.voting_classes() if classes is None else classes)
        return sum(n * self.votes_per_share.get(c, 1) for c, n in by_class.items() if c in keep)

    def total(self, classes: Iterable[str] | None = None) -> int:
        return self.votes(self.shares, classes)


def electorate(state, record_date: date) -> Electorate:
    """The electorate on `record_date` from a `core.replay.State` on that date."""
    shares: dict[str, int] = {}
    holders: dict[str, dict[str, int]] = {}
    for (h, c, _s), n in state.balances.items():
        if n <= 0:
            continue
        shares[c] = shares.get(c, 0) + n
        holders.setdefault(h, {})
        holders[h][c] = holders[h].get(c, 0) + n
    vps: dict[str, int] = {}
    fixed: set[str] = set()
    v = state.version
    if v is not None and v.capital is not None:
        for c in v.capital.classes:
            shares.setdefault(c.key, 0)
            if c.votes_per_share is not None:
                vps[c.key] = c.votes_per_share
                fixed.add(c.key)
            else:
                vps[c.key] = 1
    return Electorate(record_date, shares, vps, holders, frozenset(fixed))


def count(spec, el: Electorate, where: str) -> dict[str, int]:
    """Shares by class from a vote or presence spec: holder ids, or {class: shares}."""
    if spec is None or spec == [] or spec == ():
        return {}
    out: dict[str, int] = {}
    if isinstance(spec, Mapping):
        for c, n in spec.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InputError(
                    f"{where}.{c}: share count must be a whole number of zero or more, not {n!r}"
                )
            if c not in el.shares:
                raise InputError(f"{where}.{c}: no class {c!r} (classes: {', '.join(el.shares) or 'none'})")
            if n > el.shares[c]:
                raise InputError(
                    f"{where}.{c}: {n:,} shares, but only {el.shares[c]:,} {c} shares were outstanding "
                    f"and entitled to vote on the record date {el.record_date.isoformat()}"
                )
            out[c] = n
        return out
    if isinstance(spec, str):
        spec = [spec]
    seen: set[str] = set()
    for h in spec:
        h = str(h)
        if h in seen:
            raise InputError(f"{where}: holder {h!r} is listed twice")
        seen.add(h)
        if h not in el.holders:
            raise InputError(
                f"{where}: {h!r} held no outstanding shares on the record date {el.record_date.isoformat()}"
            )
        for c, n in el.holders[h].items():
            out[c] = out.get(c, 0) + n
    return out


def add(*parts: Mapping[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in parts:
        for c, n in p.items():
            out[c] = out.get(c, 0) + n
    return out


def cap(d: Mapping[str, int], el: Electorate, where: str) -> None:
    for c, n in d.items():
        if n > el.shares.get(c, 0):
            raise InputError(
                f"{where}: {n:,} {c} shares in all, but only {el.shares.get(c, 0):,} were outstanding "
                f"and entitled to vote on the record date {el.record_date.isoformat()}"
            )


_WORDS = {
    "majority": (Fraction(1, 2), True),
    "one-half": (Fraction(1, 2), False),
    "one half": (Fraction(1, 2), False),
    "one-third": (Fraction(1, 3), False),
    "one third": (Fraction(1, 3), False),
    "one-fourth": (Fraction(1, 4), False),
    "one-quarter": (Fraction(1, 4), False),
    "two-thirds": (Fraction(2, 3), False),
    "two thirds": (Fraction(2, 3), False),
    "three-fourths": (Fraction(3, 4), False),
}


def quorum_share(text: str) -> tuple[Fraction, bool] | None:
    """The share of the votes (or directors) a quorum bylaw names, and whether it must be exceeded
    ("a majority") rather than met ("one-third"): "1/3", "one-third", "40%", "a majority"."""
    t = str(text).strip().lower()
    for word, value in _WORDS.items():
        if word in t:
            return value
    m = re.search(r"(\d+(?:\.\d+)?)\s*%", t)
    if m:
        return Fraction(m.group(1)) / 100, False
    m = re.search(r"\b(\d+)\s*/\s*(\d+)\b", t)
    if m and int(m.group(2)) > 0:
        return Fraction(int(m.group(1)), int(m.group(2))), False
    return None


def meets(present: int, whole: int, share: tuple[Fraction, bool]) -> bool:
    q, strict = share
    return present > q * whole if strict else present >= q * whole


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    body: str  # board | stockholders | incorporators | recorded-board | recorded-stockholders
    on: date
    kind: str
    passed: bool
    params: Mapping = field(default_factory=dict)
    text: str = ""
    standard: str = ""  # the vote it needed and got, in words
    class_votes: tuple[str, ...] = ()  # classes that approved it voting separately
    seq: int | None = None
    why: str = ""  # when it did not pass
    tally: Mapping = field(
        default_factory=dict
    )  # class -> (shares for, shares outstanding on the record date)

    def class_carried(self, cls: str) -> bool:
        """Whether a majority of the class's outstanding shares approved it (§242(b)(2)), as tallied."""
        if cls in self.class_votes:
            return True
        yes, of = self.tally.get(cls, (0, 0))
        return of > 0 and 2 * yes > of

    @property
    def by_board(self) -> bool:
        return self.body in ("board", "recorded-board")

    @property
    def by_stockholders(self) -> bool:
        return self.body in ("stockholders", "recorded-stockholders")


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
