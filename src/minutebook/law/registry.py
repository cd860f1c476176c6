"""The rule registry: every rule minutebook enforces, with its id, citation, dates in force and a
one-line summary of the statute, and the check that returns findings.

The dates come from one place, `data/rules.yaml`: for each rule id the first day it is in force (`since`),
the first day it no longer is (`until`), the act that made it (`act`) and the provision whose versions it is
one of (`family`). A provision that changed is two rules, two ids in one family, each with its dates, so a
1999 act is judged by the 1999 statute (`in_force_on(date)`, `history(rule_id)`). Every registered rule
has an entry and every entry names a registered rule (`problems()` after `load()`).

A rule is a small function of a `Context` (the event, the state just before it, the governance record,
the ledger on other dates). It is registered with `@rule(...)`; `run(ctx)` applies every rule in force
on the event's date that concerns the event's type, and tags each finding with the rule's id. Where the
statute yields to the charter ("unless otherwise provided in the certificate of incorporation") the rule
says so in `default`, reads the charter, and its finding names which applied.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..core.errors import NotFoundError
from ..core.events import Event
from ..core.findings import Finding, placed
from .params import RuleDates, rule_dates

_MODULES = (
    "minutebook.law.ledger",
    "minutebook.law.dgcl.board",
    "minutebook.law.dgcl.notices",
    "minutebook.law.dgcl.meetings",
    "minutebook.law.dgcl.consents",
    "minutebook.law.dgcl.amendments",
    "minutebook.law.dgcl.stock",
    "minutebook.law.dgcl.bylaws",
    "minutebook.law.dgcl.takeover",
    "minutebook.law.dgcl.corrections",
    "minutebook.law.dgcl.transactions",
    "minutebook.law.dgcl.records",
    "minutebook.law.dgcl.conversion",
    "minutebook.law.dgcl.exculpation",
    "minutebook.law.dgcl.ratification",
    "minutebook.law.dgcl.equity",
)


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule sees: the event, the state just before it on its date (ledger and charter), the
    governance record just before it, and a way to read the ledger on another date (a record date)."""

    event: Event
    state: Any  # core.replay.State
    gov: Any  # core.record.Record
    historical: bool = False
    state_at: Callable[[date], Any] | None = None
    approvals: Any = None  # governance.approvals.Approvals
    known_later: frozenset = frozenset()  # approval ids the book records after this event (history)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    cites: tuple[str, ...]
    summary: str
    codes: tuple[str, ...]
    events: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    default: str | None = None
    source: str | None = None  # module:function
    check: Callable[[Context], Iterable[Finding]] | None = field(default=None, compare=False)
    act: str | None = None  # the session law (or year and bill) that put this version in force
    family: str | None = None  # the provision whose versions this rule is one of

    def in_force(self, on: date) -> bool:
        return (self.since is None or on >= self.since) and (self.until is None or on < self.until)

    @property
    def lineage(self) -> str:
        """The family id, or the rule's own id for a provision with one version."""
        return self.family or self.id

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "cites": list(self.cites),
            "summary": self.summary,
            "codes": list(self.codes),
            "events": list(self.events),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "act": self.act,
            "family": self.family,
            "default": self.default,
            "source": self.source,
        }


RULES: dict[str, Rule] = {}
_BY_TYPE: dict[str, list[Rule]] = {}
_DECLARED: dict[str, tuple[date | None, date | None]] = {}  # dates a decorator gave (the YAML must agree)


def _dated(r: Rule) -> Rule:
    """`r` with its since/until/act/family from data/rules.yaml (unchanged when it has no entry: `problems()`
    reports it)."""
    if r.since is not None or r.until is not None:
        _DECLARED[r.id] = (r.since, r.until)
    d: RuleDates | None = rule_dates().get(r.id)
    if d is None:
        return r
    return replace(r, since=d.since, until=d.until, act=d.act, family=d.family)


def rule(
    id: str,
    *,
    cites: Iterable[str],
    summary: str,
    codes: Iterable[str],
    events: Iterable[str] = (),
    since: date | None = None,
    until: date | None = None,
    default: str | None = None,
):
    """Register the decorated `check(ctx) -> findings` as rule `id`."""

    def wrap(fn: Callable[[Context], Iterable[Finding]]):
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        r = _dated(
            Rule(
                id,
                tuple(cites),
                summary,
                tuple(codes),
                tuple(events),
                since,
                until,
                default,
                f"{fn.__module__}:{fn.__name__}",
                fn,
            )
        )
        RULES[id] = r
        for t in r.events:
            _BY_TYPE.setdefault(t, []).append(r)
        return fn

    return wrap


def describe(id: str, *, cites, summary: str, codes, applied_by: str, since=None, until=None, default=None):
    """Register a rule that another rule's check applies (a vote standard inside the meeting rule): it is
    listed and explained like any rule, and its findings carry its id."""
    RULES[id] = _dated(
        Rule(id, tuple(cites), summary, tuple(codes), (), since, until, default, applied_by, None)
    )


_loaded = False


def load() -> None:
    global _loaded
    if not _loaded:
        for m in _MODULES:
            importlib.import_module(m)
        _loaded = True


def rules() -> list[Rule]:
    load()
    return sorted(RULES.values(), key=lambda r: r.id)


def in_force_on(on: date) -> list[Rule]:
    """The rules in force on `on` (by id)."""
    return [r for r in rules() if r.in_force(on)]


def history(rule_id: str) -> list[Rule]:
    """Every version of the provision `rule_id` is a version of (its family), oldest first; a rule with no
    family is its own history. Raises `NotFoundError` for an unknown id, as `get` does."""
    r = get(rule_id)
    return sorted(
        (x for x in rules() if x.lineage == r.lineage),
        key=lambda x: (x.since or date.min, x.until or date.max, x.id),
    )


def problems() -> list[str]:
    """What is wrong between the registered rules and data/rules.yaml, one line each: a rule with no entry,
    an entry naming no rule, a decorator's date the entry contradicts, a family whose versions overlap."""
    load()
    dates = rule_dates()
    out = [f"rule {rid} has no entry in law/data/rules.yaml" for rid in sorted(set(RULES) - set(dates))]
    out += [f"law/data/rules.yaml: {rid} names no registered rule" for rid in sorted(set(dates) - set(RULES))]
    for rid, (since, until) in sorted(_DECLARED.items()):
        d = dates.get(rid)
        if d is not None and ((since and since != d.since) or (until and until != d.until)):
            out.append(f"rule {rid}: the decorator's dates ({since} to {until}) differ from rules.yaml's")
    families: dict[str, list[Rule]] = {}
    for r in RULES.values():
        if r.family:
            families.setdefault(r.family, []).append(r)
    for fam, rs in sorted(families.items()):
        rs.sort(key=lambda x: x.since or date.min)
        for a, b in zip(rs, rs[1:], strict=False):
            if a.until is None or (b.since is not None and b.since < a.until):
                out.append(f"family {fam}: {a.id} and {b.id} are both in force on {b.since}")
    return out


def _section_of(cite: str) -> str | None:
    """ "8 Del. C. § 228(c)" -> "228(c)"; None for a cite that names no section of the DGCL."""
    m = _SECTION.search(cite)
    return m.group(1).replace(" ", "") if m else None


_SECTION = re.compile(r"§+\s*(\d+[A-Za-z]?(?:\s*\([0-9A-Za-z]+\))*)")


def citing(section: str) -> list[Rule]:
    """The rules that cite `section` ("228", "§ 228", "141(b)", "8 Del. C. § 242(b)(2)"): each rule citing that
    section or a part of it, and each citing a section that contains the part asked for. Raises `NotFoundError`
    (one line) for a text that names no section."""
    q = _section_of(section if "§" in section else f"§ {section.strip()}")
    if not q:
        raise NotFoundError(f"{section!r} names no section (write it as 228, 141(b) or § 242(b)(2))")
    out = []
    for r in rules():
        for cite in r.cites:
            c = _section_of(cite)
            if c and (c == q or c.startswith(q + "(") or q.startswith(c + "(")):
                out.append(r)
                break
    return out


def get(rule_id: str) -> Rule:
    load()
    r = RULES.get(rule_id)
    if r is None:
        near = [k for k in RULES if rule_id.lower() in k.lower()]
        hint = f" (did you mean {', '.join(sorted(near)[:3])}?)" if near else " (see `minutebook rules`)"
        raise NotFoundError(f"no rule {rule_id!r}{hint}")
    return r


def run(ctx: Context, skip: Iterable[str] = ()) -> list[Finding]:
    """Every finding of the rules in force on the event's date that concern its type."""
    load()
    skipped = set(skip)
    out: list[Finding] = []
    on = ctx.event.effective_on
    for r in _BY_TYPE.get(ctx.event.type, ()):
        if r.id in skipped or r.check is None or not r.in_force(on):
            continue
        for f in r.check(ctx):
            out.append(tag(f, r.id))
    return out


def tag(f: Finding, rule_id: str, seq: int | None = None) -> Finding:
    data = dict(f.data)
    data.setdefault("rule", rule_id)
    if seq is not None:
        data.setdefault("event", seq)
    return placed(f, f.source, tuple(data.items()))
