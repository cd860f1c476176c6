"""The cap table on a date, from a replayed state: holdings by holder and class, and per class the
authorized, issued, treasury, outstanding and available shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import NamedTuple

from .heap import fast_pickling
from .replay import State


class Holding(NamedTuple):
    """One line of the table (a named tuple: a table of 10,000 holders is built in one pass, and a frozen dataclass's
    construction costs as much again)."""

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
    fully_diluted: int  # outstanding, plus outstanding options, RSUs and warrants, plus the pools available

    def holder_totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.holder_id] = out.get(r.holder_id, 0) + r.shares
        return out

    def classes_json(self) -> list[dict]:
        """Each class's line of the table, as `to_json` gives it under "classes"."""
        return [
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
        ]

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "outstanding": self.outstanding,
            "authorized": self.authorized,
            "available": self.available,
            "fully_diluted": self.fully_diluted,
            "classes": self.classes_json(),
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


def percent_of(n: int, d: int, places: int = 4) -> Decimal:
    """n as a percentage of d to `places` places, rounded half up (away from zero; 0 when d is 0): exact, in integer
    arithmetic."""
    if places == 4:
        return _Percents(d)(n)
    if not d:
        return Decimal(0).scaleb(-places)
    q, r = divmod(abs(n) * 100 * 10**places, abs(d))
    got = Decimal(q + (r + r >= abs(d))).scaleb(-places)
    return got.copy_negate() if (n < 0) != (d < 0) else got


class _Percents:
    """n -> n as a percentage of `d`, 4 places, rounded half up: `_pct(n, d)` in integer arithmetic (exact, as the
    share counts are integers). Each distinct result is made once: the 10,000 holdings of a large table, nearly all
    of different sizes, come to a few hundred distinct percentages."""

    __slots__ = ("d", "seen")

    def __init__(self, d: int):
        self.d, self.seen = d, {}

    def __call__(self, n: int) -> Decimal:
        d = self.d
        if n > 0 and d > 0:  # the usual case
            q, r = divmod(n * 1_000_000, d)
            q += r + r >= d  # half up
            got = self.seen.get(q)
            if got is None:
                got = self.seen[q] = Decimal(q).scaleb(-4)
            return got
        if not d:
            return Decimal("0.0000")
        q, r = divmod(abs(n) * 1_000_000, abs(d))
        got = Decimal(q + (r + r >= abs(d))).scaleb(-4)  # half up, away from zero as `quantize` rounds
        return got.copy_negate() if (n < 0) != (d < 0) else got


def _holder(kv: tuple[tuple[str, str, str | None], int]) -> str:
    return kv[0][0]


_shares = itemgetter(1)


def cap_table(state: State) -> CapTable:
    v = state.version
    classes = list(v.capital.classes) if v and v.capital else []
    keys = [c.key for c in classes] + sorted({k[0] for k in state.issued} - {c.key for c in classes})
    items = [kv for kv in state.balances.items() if kv[1]]
    per_class_out: dict[str, int] = {}
    for (_, c, _), n in items:
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
    rank = {k: i for i, k in reversed(list(enumerate(keys)))}
    # classes in the charter's order, then the most shares first, then the holder; ties kept in the ledger's order:
    # stable sorts, the least significant key first (a sort on one key is quicker than on a tuple of three)
    items.sort(key=_holder)
    items.sort(key=_shares, reverse=True)  # (reversed, equal keys keep their order)
    if len(per_class_out) > 1:
        items.sort(key=lambda kv: rank.get(kv[0][1], 99))
    names = state.holders.get
    of_total = _Percents(total_out)
    # a class holding every outstanding share (the usual one-class book) shares its percentages with the total's
    of_class = {c: of_total if n == total_out else _Percents(n) for c, n in per_class_out.items()}
    new = Holding._make
    rows = []
    append = rows.append
    for (h, c, s), n in items:
        holder = names(h)
        of = of_class[c]
        pt = of_total(n)
        append(new((h, holder.name if holder else h, c, s, n, pt if of is of_total else of(n), pt)))
    auth_total = v.capital.total_authorized if v and v.capital else None
    issued_total = sum(s.issued for s in summaries)
    promised = 0
    if state.equity:
        on = state.as_of
        promised = sum(state.equity.rights(on).values())
        promised += sum(state.equity.pool_available(p, on) for p in state.equity.plans)
    return CapTable(
        state.as_of,
        tuple(rows),
        tuple(summaries),
        total_out,
        auth_total,
        None if auth_total is None else auth_total - issued_total,
        total_out + promised,
    )


# --- fully diluted ---------------------------------------------------------------------------------------------

METHOD = (
    "Fully diluted = outstanding shares of every class (preferred counted as converted into common at 1:1 unless a "
    "ratio is given) + options, RSUs and warrants outstanding (vested or not; lapsed ones excluded) + the shares "
    "available in every plan's pool. Treasury shares are not counted. SAFEs and notes are listed with their "
    "amounts, not counted: their share count is fixed only at the priced round that converts them."
)


@dataclass(frozen=True, slots=True)
class DilutedRow:
    holder_id: str
    name: str
    stock: int  # outstanding shares held, preferred as converted
    options: int
    rsus: int
    warrants: int
    by_class: tuple[tuple[str, int], ...]  # (class, outstanding shares held)
    total: int
    percent: Decimal  # of the fully diluted total, 4 places


@dataclass(frozen=True, slots=True)
class DilutedClass:
    class_key: str
    name: str
    authorized: int | None
    outstanding: int
    as_converted: int  # outstanding × conversion ratio (1 for common)
    options: int
    rsus: int
    warrants: int
    pool_available: int
    total: int
    percent: Decimal


@dataclass(frozen=True, slots=True)
class DilutedConvertible:
    id: str
    holder_id: str
    kind: str
    amount: Decimal
    cap: Decimal | None
    cap_basis: str
    discount: Decimal | None


@dataclass(frozen=True, slots=True)
class FullyDiluted:
    as_of: date
    rows: tuple[DilutedRow, ...]
    by_class: tuple[DilutedClass, ...]
    pools: tuple[tuple[str, int, int, int], ...]  # (plan, reserved, granted less returned, available)
    convertibles: tuple[DilutedConvertible, ...]
    outstanding: int  # preferred as converted
    options: int
    rsus: int
    warrants: int
    pool_available: int
    total: int
    method: str = METHOD

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "method": self.method,
            "outstanding": self.outstanding,
            "options": self.options,
            "rsus": self.rsus,
            "warrants": self.warrants,
            "pool_available": self.pool_available,
            "fully_diluted": self.total,
            "classes": [
                {
                    "class": c.class_key,
                    "name": c.name,
                    "authorized": c.authorized,
                    "outstanding": c.outstanding,
                    "as_converted": c.as_converted,
                    "options": c.options,
                    "rsus": c.rsus,
                    "warrants": c.warrants,
                    "pool_available": c.pool_available,
                    "total": c.total,
                    "percent": str(c.percent),
                }
                for c in self.by_class
            ],
            "holders": [
                {
                    "holder": r.holder_id,
                    "name": r.name,
                    "stock": r.stock,
                    "by_class": dict(r.by_class),
                    "options": r.options,
                    "rsus": r.rsus,
                    "warrants": r.warrants,
                    "total": r.total,
                    "percent": str(r.percent),
                }
                for r in self.rows
            ],
            "pools": [{"plan": p, "reserved": r, "granted": g, "available": a} for p, r, g, a in self.pools],
            "convertibles": [
                {
                    "id": c.id,
                    "holder": c.holder_id,
                    "kind": c.kind,
                    "amount": str(c.amount),
                    "cap": None if c.cap is None else str(c.cap),
                    "cap_basis": c.cap_basis,
                    "discount": None if c.discount is None else str(c.discount),
                }
                for c in self.convertibles
            ],
        }


def fully_diluted(state: State, as_of: date, ratios: dict[str, int] | None = None) -> FullyDiluted:
    """The fully diluted cap table on `as_of` from `state` (replayed to that date): see `METHOD`. `ratios`: class ->
    common shares per share, for preferred converting at other than 1:1."""
    q = state.equity
    ratios = ratios or {}
    v = state.version
    classes = list(v.capital.classes) if v and v.capital else []
    keys = [c.key for c in classes] + sorted({k[1] for k in state.balances} - {c.key for c in classes})
    held: dict[str, dict[str, int]] = {}
    per_class: dict[str, int] = {}
    for (h, c, _), n in state.balances.items():
        if n:
            held.setdefault(h, {})
            held[h][c] = held[h].get(c, 0) + n
            per_class[c] = per_class.get(c, 0) + n
    rights: dict[str, dict[str, int]] = {}  # holder -> kind -> n
    class_rights: dict[str, dict[str, int]] = {}
    moved: dict[
        str, list[int]
    ] = {}  # plan -> [granted, returned]: every award looked at once (`Equity.counts`)
    for a in q.awards.values():
        if a.granted_on > as_of:
            continue
        n, back = q.counts(a, as_of)
        if a.plan_id:
            m = moved.setdefault(a.plan_id, [0, 0])
            m[0] += a.quantity
            m[1] += back
        if n and a.kind != "rsa":
            rights.setdefault(a.holder_id, {}).setdefault(a.kind, 0)
            rights[a.holder_id][a.kind] += n
            class_rights.setdefault(a.class_key, {}).setdefault(a.kind, 0)
            class_rights[a.class_key][a.kind] += n
    keys += sorted(
        set(class_rights) - set(keys)
    )  # a class with rights but no stock yet (before the formation)
    pools = []
    pool_by_class: dict[str, int] = {}
    for p in q.plans.values():
        if p.adopted_on > as_of:
            continue
        reserved = q.reserved_under(p.id, as_of)
        granted, returned = moved.get(p.id, (0, 0))  # as `Equity.pool`
        available = reserved - granted + returned
        pools.append((p.id, reserved, granted - returned, available))
        pool_by_class[p.class_key] = pool_by_class.get(p.class_key, 0) + available

    def conv(cls: str, n: int) -> int:
        return n * int(ratios.get(cls, 1))

    outstanding = sum(conv(c, n) for c, n in per_class.items())
    kinds = {k: sum(r.get(k, 0) for r in rights.values()) for k in ("option", "rsu", "warrant")}
    pool_total = sum(pool_by_class.values())
    total = outstanding + sum(kinds.values()) + pool_total
    rows = []
    for h in set(held) | set(rights):
        stock = sum(conv(c, n) for c, n in held.get(h, {}).items())
        r = rights.get(h, {})
        n = stock + sum(r.values())
        name = state.holders[h].name if h in state.holders else h
        by_class = tuple(
            sorted(held.get(h, {}).items(), key=lambda kv: keys.index(kv[0]) if kv[0] in keys else 99)
        )
        rows.append(
            DilutedRow(
                h,
                name,
                stock,
                r.get("option", 0),
                r.get("rsu", 0),
                r.get("warrant", 0),
                by_class,
                n,
                _pct(n, total),
            )
        )
    rows.sort(key=lambda r: (-r.total, r.holder_id))
    by_class = []
    for key in keys + sorted(set(pool_by_class) - set(keys)):
        c = next((x for x in classes if x.key == key), None)
        out = per_class.get(key, 0)
        r = class_rights.get(key, {})
        n = conv(key, out) + sum(r.values()) + pool_by_class.get(key, 0)
        if not (n or out or c):
            continue
        by_class.append(
            DilutedClass(
                key,
                c.name if c else key,
                c.authorized if c else None,
                out,
                conv(key, out),
                r.get("option", 0),
                r.get("rsu", 0),
                r.get("warrant", 0),
                pool_by_class.get(key, 0),
                n,
                _pct(n, total),
            )
        )
    convertibles = tuple(
        DilutedConvertible(c.id, c.holder_id, c.kind, c.amount, c.cap, c.cap_basis, c.discount)
        for c in q.convertibles.values()
        if c.issued_on <= as_of and (c.converted_on is None or c.converted_on > as_of)
    )
    return FullyDiluted(
        as_of,
        tuple(rows),
        tuple(by_class),
        tuple(pools),
        convertibles,
        outstanding,
        kinds["option"],
        kinds["rsu"],
        kinds["warrant"],
        pool_total,
        total,
    )


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
