"""The cap table on a date, from a replayed state: holdings by holder and class, and per class the
authorized, issued, treasury, outstanding and available shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .replay import State


@dataclass(frozen=True, slots=True)
class Holding:
    holder_id: str
    holder_name: str
    class_key: str
    series_key: str | None
    shares: int
    percent_of_class: Decimal  # of the class's outstanding shares, 4 places
    percent_of_total: Decimal  # of all outstanding shares


@dataclass(frozen=True, slots=True)
class ClassSummary:
    class_key: str
    name: str
    authorized: int | None
    issued: int  # treasury included
    treasury: int
    outstanding: int
    available: int | None  # authorized less issued


@dataclass(frozen=True, slots=True)
class CapTable:
    as_of: date
    rows: tuple[Holding, ...]
    by_class: tuple[ClassSummary, ...]
    outstanding: int
    authorized: int | None
    available: int | None
    fully_diluted: int  # outstanding plus shares reserved under options and warrants (none modelled yet)

    def holder_totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.holder_id] = out.get(r.holder_id, 0) + r.shares
        return out

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "outstanding": self.outstanding,
            "authorized": self.authorized,
            "available": self.available,
            "fully_diluted": self.fully_diluted,
            "classes": [
                {
                    "class": c.class_key,
                    "name": c.name,
                    "authorized": c.authorized,
                    "issued": c.issued,
                    "treasury": c.treasury,
                    "outstanding": c.outstanding,
                    "available": c.available,
                }
                for c in self.by_class
            ],
            "holdings": [
                {
                    "holder": r.holder_id,
                    "name": r.holder_name,
                    "class": r.class_key,
                    "series": r.series_key,
                    "shares": r.shares,
                    "percent_of_class": str(r.percent_of_class),
                    "percent_of_total": str(r.percent_of_total),
                }
                for r in self.rows
            ],
        }


def _pct(n: int, d: int) -> Decimal:
    if not d:
        return Decimal("0.0000")
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def cap_table(state: State) -> CapTable:
    v = state.version
    classes = list(v.capital.classes) if v and v.capital else []
    keys = [c.key for c in classes] + sorted({k[0] for k in state.issued} - {c.key for c in classes})
    per_class_out: dict[str, int] = {}
    for (_, c, _), n in state.balances.items():
        per_class_out[c] = per_class_out.get(c, 0) + n
    total_out = sum(per_class_out.values())
    summaries = []
    for key in keys:
        c = next((x for x in classes if x.key == key), None)
        issued = state.issued_in_class(key)
        treasury = sum(n for (k, _), n in state.treasury.items() if k == key)
        auth = c.authorized if c else None
        summaries.append(
            ClassSummary(
                key,
                c.name if c else key,
                auth,
                issued,
                treasury,
                per_class_out.get(key, 0),
                None if auth is None else auth - issued,
            )
        )
    rows = []
    for (h, c, s), n in sorted(
        state.balances.items(),
        key=lambda kv: (keys.index(kv[0][1]) if kv[0][1] in keys else 99, -kv[1], kv[0][0]),
    ):
        if n:
            name = state.holders[h].name if h in state.holders else h
            rows.append(Holding(h, name, c, s, n, _pct(n, per_class_out.get(c, 0)), _pct(n, total_out)))
    auth_total = v.capital.total_authorized if v and v.capital else None
    issued_total = sum(s.issued for s in summaries)
    return CapTable(
        state.as_of,
        tuple(rows),
        tuple(summaries),
        total_out,
        auth_total,
        None if auth_total is None else auth_total - issued_total,
        total_out,
    )
