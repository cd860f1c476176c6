"""Dated numbers of the DGCL (notice and record-date windows, consent periods, quorum floors), read
from `data/dgcl.yaml`, where each value is keyed by the date it took effect and names its source; and the
dates each rule is in force, with the act that made it (`data/rules.yaml`, read by the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..core.errors import NotFoundError


@cache
def _table() -> dict[str, list[dict]]:
    text = resources.files("minutebook.law").joinpath("data/dgcl.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    out = {}
    for name, rows in data.items():
        out[name] = sorted(
            (
                {**r, "since": r["since"] if isinstance(r["since"], date) else date.fromisoformat(r["since"])}
                for r in rows
            ),
            key=lambda r: r["since"],
        )
    return out


def entry(name: str, on: date) -> dict:
    """The row of parameter `name` in force on `on` (value, since, source)."""
    rows = _table().get(name)
    if rows is None:
        raise NotFoundError(f"no DGCL parameter {name!r}")
    found = None
    for r in rows:
        if r["since"] <= on:
            found = r
    if found is None:
        raise NotFoundError(f"DGCL parameter {name!r} has no value before {rows[0]['since'].isoformat()}")
    return found


def param(name: str, on: date) -> Any:
    return entry(name, on)["value"]


def names() -> list[str]:
    return sorted(_table())


# --- the dates of the rules ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleDates:
    """When one rule is in force and what made it: `since` (first day in force), `until` (first day no
    longer in force, or None), `act` (the session law, or the year and the bill), `family` (the provision
    whose versions it is one of; None for a rule with one version)."""

    since: date
    until: date | None
    act: str
    family: str | None = None


class _UniqueKeys(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice (two helpers' entries for one rule would otherwise
    silently keep the last)."""


def _mapping_unique(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ValueError(f"line {key_node.start_mark.line + 1}: {key!r} is given twice")
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_unique)
# dates stay text until `_day` reads them, so an impossible one ("2014-13-01") is named with its rule
_UniqueKeys.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _day(v: Any, where: str) -> date | None:
    if v is None:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise ValueError(f"{where}: not a date (YYYY-MM-DD): {v!r}") from None


def parse_rule_dates(text: str, origin: str = "rules.yaml") -> dict[str, RuleDates]:
    """The dates of each rule from the YAML text of `data/rules.yaml` (or of a file a test writes): a
    ValueError, one line naming the file, the rule and the field, for an entry that is not well formed."""
    try:
        data = yaml.load(text, Loader=_UniqueKeys) or {}  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as e:
        raise ValueError(f"{origin}: {' '.join(str(e).split())}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{origin}: expected a mapping of rule ids to their dates")
    out = {}
    for rid, e in data.items():
        where = f"{origin}: {rid}"
        if not isinstance(e, dict):
            raise ValueError(f"{where}: expected since, until, act (and family)")
        extra = set(e) - {"since", "until", "act", "family"}
        if extra:
            raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(map(str, extra)))}")
        since = _day(e.get("since"), f"{where}.since")
        if since is None:
            raise ValueError(f"{where}.since: missing (the first day the rule is in force)")
        until = _day(e.get("until"), f"{where}.until")
        if until is not None and until <= since:
            raise ValueError(f"{where}: until {until} is not after since {since}")
        act = e.get("act")
        if not isinstance(act, str) or not act.strip():
            raise ValueError(f"{where}.act: missing (the session law, or the year and the bill)")
        family = e.get("family")
        if family is not None and not isinstance(family, str):
            raise ValueError(f"{where}.family: expected a rule family id, not {family!r}")
        out[str(rid)] = RuleDates(since, until, act.strip(), family)
    return out


@cache
def rule_dates() -> dict[str, RuleDates]:
    """`data/rules.yaml`: the dates in force, act and family of every rule, by rule id."""
    text = resources.files("minutebook.law").joinpath("data/rules.yaml").read_text(encoding="utf-8")
    return parse_rule_dates(text, "law/data/rules.yaml")
