"""Franchise-tax parameters by tax year: read from a dated data file, each value with its sources.

`rate_table()` is the table shipped in `data/delaware_rates.yaml`; `RateTable.for_year(y)` gives `Rates`, the
value of every parameter in force for tax year `y`, each a `Param` that remembers the tax year it took
effect and the source keys (S1, S3a, ... of the law notes) it rests on. A year before the data begins is an
`InputError` naming it. Amounts are `Decimal`; the loader refuses YAML floats so that no binary fraction
ever reaches the arithmetic.

`confirmed` records, per tax year, the rates as the Division published them and the day they were read; the
loader refuses a confirmation that disagrees with the table, so the table cannot drift from what was checked.
A tax year after `checked_through` is computed with the last values and `assumed` (the computation warns and
names `check_page`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InputError

DATA = Path(__file__).with_name("data") / "delaware_rates.yaml"

# every parameter the computation reads, and how its value is decoded
_KINDS = {
    "asm_tiers": "tiers",
    "asm_step": "step",
    "nopar_value_per_share": "money",
    "nopar_tiers": "tiers",
    "nopar_step": "step",
    "apvc_rate": "step",
    "apvc_minimum": "money",
    "maximum": "money",
    "large_corporate_filer": "money?",
    "annual_report_fee": "money",
    "late_penalty": "money",
    "interest_per_month": "money",
    "report_due": "monthday",
    "estimate_threshold": "money",
    "estimate_installments": "installments",
}


@dataclass(frozen=True, slots=True)
class Step:
    """`amount` for each further `per` units (shares or dollars) or part of one."""

    per: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter's value for a tax year: where it comes from and since when."""

    name: str
    value: Any
    since: int  # the first tax year this value applies to
    sources: tuple[str, ...]
    description: str = ""

    def cite(self) -> str:
        return f"{', '.join(self.sources)}; in force from tax year {self.since}"


@dataclass(frozen=True, slots=True)
class Rates:
    """Every parameter in force for one tax year."""

    year: int
    params: Mapping[str, Param]
    source_titles: Mapping[str, str]
    assumed: bool = False  # the year is after the year the sources were last checked

    def __getitem__(self, name: str) -> Param:
        return self.params[name]

    def value(self, name: str) -> Any:
        return self.params[name].value


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The rates of one tax year as published, checked against the table: when read and on what sources."""

    year: int
    read_on: str
    sources: tuple[str, ...]
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RateTable:
    """Every parameter's dated values: {name: ((since, value, sources), ...)} in year order."""

    series: Mapping[str, tuple[tuple[int, Any, tuple[str, ...]], ...]]
    descriptions: Mapping[str, str]
    source_titles: Mapping[str, str]
    checked_through: int | None
    origin: str
    check_page: str = "https://corp.delaware.gov/frtax/"
    confirmed: Mapping[int, Confirmation] = field(default_factory=dict)

    @property
    def first_year(self) -> int:
        """The first tax year for which every parameter has a value."""
        return max(vals[0][0] for vals in self.series.values())

    def for_year(self, year: int) -> Rates:
        if isinstance(year, bool) or not isinstance(year, int):
            raise InputError(f"tax year must be a whole number, not {year!r}")
        if year < self.first_year:
            raise InputError(
                f"no Delaware franchise-tax rates for tax year {year}: the rate data ({self.origin}) covers "
                f"tax years {self.first_year} onward"
            )
        params = {}
        for name, vals in self.series.items():
            since, value, sources = [v for v in vals if v[0] <= year][-1]
            params[name] = Param(name, value, since, sources, self.descriptions.get(name, ""))
        assumed = self.checked_through is not None and year > self.checked_through
        return Rates(year, params, self.source_titles, assumed)


# --- loading -----------------------------------------------------------------------------------------------


def _money(v: Any, where: str) -> Decimal:
    if isinstance(v, (float, bool)):
        raise InputError(f"{where}: write amounts as strings or integers, not {v!r}")
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise InputError(f"{where}: not an amount: {v!r}") from None
    if not d.is_finite() or d < 0:
        raise InputError(f"{where}: not an amount: {v!r}")
    return d


def _whole(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise InputError(f"{where}: expected a positive whole number, not {v!r}")
    return v


def _monthday(v: Any, where: str) -> tuple[int, int]:
    try:
        m, d = (int(x) for x in str(v).split("-"))
    except ValueError:
        raise InputError(f"{where}: expected MM-DD, not {v!r}") from None
    if not (1 <= m <= 12 and 1 <= d <= 28):  # the 28th at most: the day exists in every month and year
        raise InputError(f"{where}: expected MM-DD (day 1-28), not {v!r}")
    return m, d


def _decode(kind: str, v: Any, where: str) -> Any:
    if kind == "money":
        return _money(v, where)
    if kind == "money?":
        return None if v is None else _money(v, where)
    if kind == "step":
        if not isinstance(v, dict) or set(v) != {"per", "amount"}:
            raise InputError(f"{where}: expected {{per, amount}}, not {v!r}")
        return Step(_whole(v["per"], where), _money(v["amount"], where))
    if kind == "tiers":
        if not isinstance(v, list) or not v:
            raise InputError(f"{where}: expected [[up to, amount], ...], not {v!r}")
        tiers = tuple((_whole(a, where), _money(b, where)) for a, b in v)
        if [t[0] for t in tiers] != sorted({t[0] for t in tiers}):
            raise InputError(f"{where}: tiers must rise")
        return tiers
    if kind == "monthday":
        return _monthday(v, where)
    if kind == "installments":
        parts = tuple((_monthday(d, where), _money(s, where)) for d, s in v)
        if sum(s for _, s in parts) >= 1:
            raise InputError(f"{where}: the installments must leave a remainder for the report")
        return parts
    raise AssertionError(kind)


def load_rates(text: str, origin: str = "rate data") -> RateTable:
    """A rate table from the YAML text of a data file (the shipped one, or one a test writes)."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise InputError(f"{origin}: not YAML: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("parameters"), dict):
        raise InputError(f"{origin}: no `parameters` mapping")
    titles = {str(k): str(v) for k, v in (doc.get("sources") or {}).items()}
    series: dict[str, tuple] = {}
    descriptions: dict[str, str] = {}
    for name, kind in _KINDS.items():
        p = doc["parameters"].get(name)
        if not isinstance(p, dict) or not isinstance(p.get("values"), dict) or not p["values"]:
            raise InputError(f"{origin}: parameter {name!r} has no dated values")
        descriptions[name] = str(p.get("description", ""))
        vals = []
        for since, entry in sorted(p["values"].items()):
            where = f"{origin}: {name} from {since}"
            if isinstance(since, bool) or not isinstance(since, int):
                raise InputError(f"{where}: key must be a tax year")
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
                raise InputError(f"{where}: each value needs `value` and `source`")
            src = entry["source"]
            sources = tuple(str(s) for s in (src if isinstance(src, list) else [src]))
            vals.append((since, _decode(kind, entry["value"], where), sources))
        series[name] = tuple(vals)
    checked = doc.get("checked_through")
    table = RateTable(
        series,
        descriptions,
        titles,
        checked if isinstance(checked, int) else None,
        origin,
        str(doc.get("check_page") or "https://corp.delaware.gov/frtax/"),
    )
    confirmed = _confirmations(doc.get("confirmed"), table, origin)
    if confirmed and table.checked_through is not None and table.checked_through > max(confirmed):
        raise InputError(
            f"{origin}: checked_through {table.checked_through} is after the last confirmed tax year "
            f"{max(confirmed)}"
        )
    return replace(table, confirmed=confirmed)


def _confirmations(raw: Any, table: RateTable, origin: str) -> dict[int, Confirmation]:
    """The `confirmed` block: each year's published values, each equal to the value in force that year."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{origin}: `confirmed` must map tax years to what was read")
    out = {}
    for year, entry in sorted(raw.items()):
        where = f"{origin}: confirmed {year}"
        if isinstance(year, bool) or not isinstance(year, int):
            raise InputError(f"{where}: key must be a tax year")
        if not isinstance(entry, dict) or not entry.get("read_on") or not entry.get("source"):
            raise InputError(f"{where}: needs `read_on`, `source` and `values`")
        values = entry.get("values")
        if not isinstance(values, dict) or not values:
            raise InputError(f"{where}: needs `values`")
        rates = table.for_year(year)
        decoded = {}
        for name, v in values.items():
            if name not in _KINDS:
                raise InputError(f"{where}: no parameter {name!r}")
            decoded[name] = _decode(_KINDS[name], v, f"{where}: {name}")
            if decoded[name] != rates.value(name):
                raise InputError(
                    f"{where}: {name} was published as {v!r} but the table has {rates.value(name)!r} "
                    f"(in force from tax year {rates[name].since})"
                )
        src = entry["source"]
        sources = tuple(str(s) for s in (src if isinstance(src, list) else [src]))
        out[year] = Confirmation(year, str(entry["read_on"]), sources, decoded)
    return out


@lru_cache(maxsize=1)
def rate_table() -> RateTable:
    """The Delaware table shipped with minutebook."""
    return load_rates(DATA.read_text(encoding="utf-8"), f"tax/data/{DATA.name}")
