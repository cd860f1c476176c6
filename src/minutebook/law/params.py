"""Dated numbers of the DGCL (notice and record-date windows, consent periods, quorum floors), read
from `data/dgcl.yaml`, where each value is keyed by the date it took effect and names its source."""

from __future__ import annotations

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
