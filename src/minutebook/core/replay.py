"""Replay: the state of the corporation on a date, as a pure fold over its events.

`replay(events, as_of)` applies, in (effective date, sequence) order, every event effective on or before
`as_of`. The fold never fails: an event that cannot apply cleanly (shares a holder does not have, a
class the charter lacks) still applies as far as it can, and the rules in `law.ledger` are what report
it. Treasury shares count as issued, not outstanding (§160).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .charter import Charter, CharterVersion, Series
from .codec import version_from_dict
from .corrections import corrected
from .equity import Equity
from .equity import apply as apply_equity
from .events import (
    CharterAmended,
    Event,
    Incorporated,
    SeriesDesignated,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StakeholderAdded,
    StakeholderChanged,
    StockSplit,
)
from .heap import fast_pickling

Key = tuple[str, str | None]  # (class key, series key)


@dataclass(frozen=True, slots=True)
class Holder:
    id: str
    name: str
    kind: str = "individual"
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Certificate:
    number: str
    holder_id: str
    class_key: str
    series_key: str | None
    shares: int
    status: str = "outstanding"  # outstanding | surrendered | cancelled | treasury


@dataclass(slots=True)
class _Build:
    name: str | None = None
    jurisdiction: str | None = None
    incorporated_on: date | None = None
    versions: list[CharterVersion] = field(default_factory=list)
    series: dict[str, dict[str, Series]] = field(default_factory=dict)
    holders: dict[str, Holder] = field(default_factory=dict)
    balances: dict[tuple[str, str, str | None], int] = field(default_factory=dict)
    issued: dict[Key, int] = field(default_factory=dict)
    treasury: dict[Key, int] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    fractions: list[tuple[int, str, str, int, int]] = field(
        default_factory=list
    )  # seq, holder, class, num, den
    cert_first_use: dict[tuple[str, str], tuple[str, date]] = field(default_factory=dict)  # (class, no.)
    applied: int = 0
    last_seq: int | None = None
    equity: Equity = field(default_factory=Equity)  # plans, awards, convertibles, valuations (`core.equity`)


@dataclass(frozen=True, slots=True)
class State:
    as_of: date
    name: str | None
    jurisdiction: str | None
    incorporated_on: date | None
    charter: Charter
    holders: Mapping[str, Holder]
    balances: Mapping[tuple[str, str, str | None], int]  # (holder, class, series) -> outstanding shares held
    issued: Mapping[Key, int]  # issued shares, treasury included
    treasury: Mapping[Key, int]
    certificates: Mapping[str, Certificate]
    events_applied: int
    # (class key, certificate number) -> (holder, date) of the number's first use (§158: one per class)
    cert_first_use: Mapping[tuple[str, str], tuple[str, date]] = field(default_factory=dict)
    equity: Equity = field(default_factory=Equity)  # as of the build's last event (ask it with `as_of`)

    @property
    def version(self) -> CharterVersion | None:
        return self.charter.at(self.as_of)

    def restamped(self, as_of: date, events_applied: int) -> State:
        """This state seen on another date after more events (the view of a build that moved on: the same
        mappings) — `dataclasses.replace` without its per-call introspection, for a fold's every event."""
        return _restamp(self, as_of, events_applied)

    def authorized(self, class_key: str, series_key: str | None = None) -> int | None:
        v = self.version
        if v is None or v.capital is None:
            return None
        c = v.capital.cls(class_key)
        if c is None:
            return None
        if series_key is None:
            return c.authorized
        s = next((s for s in c.series if s.key == series_key), None)
        return s.authorized if s else None

    def issued_in_class(self, class_key: str) -> int:
        return sum(n for (c, _), n in self.issued.items() if c == class_key)

    def outstanding(self, class_key: str, series_key: str | None = None, *, whole_class: bool = True) -> int:
        return sum(
            n
            for (h, c, s), n in self.balances.items()
            if c == class_key and (whole_class and series_key is None or s == series_key)
        )

    def held(self, holder_id: str, class_key: str, series_key: str | None = None) -> int:
        return self.balances.get((holder_id, class_key, series_key), 0)


_STATE_FIELDS = tuple(State.__dataclass_fields__)


def _restamper():
    """`State.restamped` in straight-line code (made once: no loop over the field names, no `getattr` by name)."""
    kept = [f"    _set(new, {n!r}, s.{n})" for n in _STATE_FIELDS if n not in ("as_of", "events_applied")]
    code = (
        "def restamp(s, as_of, events_applied):\n    new = _new(State)\n"
        + "\n".join(kept)
        + "\n    _set(new, 'as_of', as_of)\n    _set(new, 'events_applied', events_applied)\n    return new\n"
    )
    scope = {"_new": object.__new__, "_set": object.__setattr__, "State": State}
    exec(code, scope)  # noqa: S102 - the source is made here from the dataclass's own field names
    return scope["restamp"]


_restamp = _restamper()


def replay(events: Iterable[Event], as_of: date) -> State:
    """The state on `as_of` of the history `events` stand for (their corrections read: `core.corrections`)."""
    return Replayer(events).at(as_of)


class Replayer:
    """The states of one history on dates asked in increasing order (each year's end, one after another) from one pass
    over it: `at(d)` is the state on `d` (`replay`), folding on from the date asked before (from the start again for an
    earlier one). `events` is the history as given (not corrected), in effective order."""

    def __init__(self, events: Iterable[Event]):
        self.events = sorted(events, key=Event.sort_key)
        self._history = corrected(self.events)  # (in the same order: a correction keeps its event's place)
        self._start()

    def _start(self) -> None:
        self._b, self._i, self._on = _Build(), 0, date.min

    def at(self, on: date) -> State:
        if on < self._on:
            self._start()
        evs, b, i = self._history, self._b, self._i
        while i < len(evs) and evs[i].effective_on <= on:
            apply(b, evs[i])
            i += 1
        self._i, self._on = i, on
        return freeze(b, on)


def holders_at(events: Iterable[Event], on: date) -> dict[str, Holder]:
    """Every holder added on or before `on`, as the record stood then (name, e-mail and address in force after every
    `StakeholderChanged` effective on or before it): the §219 list's view, in one pass over `events` (those of other
    types are passed over; give only `HOLDER_TYPES` where the log is large)."""
    out: dict[str, Holder] = {}
    for e in sorted(events, key=Event.sort_key):
        if e.effective_on > on:
            break
        body = e.body
        if isinstance(body, StakeholderAdded):
            out[body.holder_id] = Holder(body.holder_id, body.name, body.kind, body.email, body.address)
        elif isinstance(body, StakeholderChanged) and (h := out.get(body.holder_id)) is not None:
            out[h.id] = Holder(
                h.id, body.name or h.name, h.kind, body.email or h.email, body.address or h.address
            )
    return out


HOLDER_TYPES = (StakeholderAdded.TYPE, StakeholderChanged.TYPE)
"""The event types `holders_at` reads."""


def holder_at(events: Iterable[Event], holder_id: str, on: date) -> Holder | None:
    """The holder `holder_id` as the record stood on `on` (`holders_at`), or None if not yet added."""
    return holders_at((e for e in events if getattr(e.body, "holder_id", None) == holder_id), on).get(
        holder_id
    )


def freeze(b: _Build, as_of: date, copy: bool = True) -> State:
    """The state `b` has reached, as of `as_of`. With `copy=False` the state is a view of `b` (cheap, for
    a check made before `b` moves on)."""
    versions = tuple(b.versions)
    if copy:
        holders, issued, treasury, certs = (
            dict(b.holders),
            dict(b.issued),
            dict(b.treasury),
            dict(b.certificates),
        )
        bal = {k: v for k, v in b.balances.items() if v}
    else:
        holders, issued, treasury, certs, bal = b.holders, b.issued, b.treasury, b.certificates, b.balances
    return State(
        as_of,
        b.name,
        b.jurisdiction,
        b.incorporated_on,
        Charter(versions),
        MappingProxyType(holders),
        MappingProxyType(bal),
        MappingProxyType(issued),
        MappingProxyType(treasury),
        MappingProxyType(certs),
        b.applied,
        MappingProxyType(dict(b.cert_first_use) if copy else b.cert_first_use),
        b.equity.copy() if copy else b.equity,
    )


def _with_series(v: CharterVersion, series: dict[str, dict[str, Series]]) -> CharterVersion:
    """`v` with the designated series added to their classes (a series the version already lists is kept)."""
    if not series or v.capital is None:
        return v
    from dataclasses import replace

    classes = []
    for c in v.capital.classes:
        extra = series.get(c.key)
        if extra:
            have = {s.key for s in c.series}
            c = replace(c, series=c.series + tuple(s for k, s in extra.items() if k not in have))
        classes.append(c)
    return replace(v, capital=replace(v.capital, classes=tuple(classes)))


def _add(d: dict, k, n: int) -> None:
    d[k] = d.get(k, 0) + n


def apply(b: _Build, e: Event) -> None:  # noqa: C901 - one branch per event type
    body = e.body
    b.applied += 1
    b.last_seq = e.seq
    if apply_equity(b.equity, e):
        return
    if isinstance(body, Incorporated):
        b.name, b.jurisdiction, b.incorporated_on = body.name, body.jurisdiction, e.effective_on
        if body.charter:
            b.versions.append(version_from_dict({**body.charter, "effective_on": e.effective_on.isoformat()}))
    elif isinstance(body, CharterAmended):
        # designated series stay part of the charter (§151(g)) unless the amendment restates them
        v = _with_series(
            version_from_dict({**body.charter, "effective_on": e.effective_on.isoformat()}), b.series
        )
        if b.versions and b.versions[-1].effective_on == e.effective_on:
            b.versions[-1] = v
        else:
            b.versions.append(v)
        if v.name and (b.name or "").lower() != v.name.lower():
            b.name = v.name  # a change of name (the same name in other capitals is not one)
    elif isinstance(body, SeriesDesignated):
        # a certificate of designations becomes part of the charter when filed (§151(g)): a new version
        b.series.setdefault(body.class_key, {})[body.series_key] = Series(
            body.series_key, body.class_key, body.name, body.authorized
        )
        if b.versions:
            from dataclasses import replace

            v = replace(
                _with_series(b.versions[-1], b.series),
                effective_on=e.effective_on,
                document_kind="designations",
                statute="151(g)",
                date_basis="effective",  # the designation's own date, not how the version before it was dated
            )
            if b.versions[-1].effective_on == e.effective_on:
                b.versions[-1] = v
            else:
                b.versions.append(v)
    elif isinstance(body, StakeholderAdded):
        b.holders[body.holder_id] = Holder(body.holder_id, body.name, body.kind, body.email, body.address)
    elif isinstance(body, StakeholderChanged):
        old = b.holders.get(body.holder_id)
        if old:
            b.holders[body.holder_id] = Holder(
                old.id, body.name or old.name, old.kind, body.email or old.email, body.address or old.address
            )
    elif isinstance(body, SharesIssued):
        key = (body.class_key, body.series_key)
        if body.from_treasury:
            _add(b.treasury, key, -body.shares)
        else:
            _add(b.issued, key, body.shares)
        _add(b.balances, (body.holder_id, body.class_key, body.series_key), body.shares)
        if body.certificate:
            b.cert_first_use.setdefault((body.class_key, body.certificate), (body.holder_id, e.effective_on))
            b.certificates[body.certificate] = Certificate(
                body.certificate, body.holder_id, body.class_key, body.series_key, body.shares
            )
    elif isinstance(body, SharesTransferred):
        _add(b.balances, (body.from_holder, body.class_key, body.series_key), -body.shares)
        _add(b.balances, (body.to_holder, body.class_key, body.series_key), body.shares)
        _surrender(b, body.certificate)
        for no, who in ((body.new_certificate, body.to_holder), (body.balance_certificate, body.from_holder)):
            if no:
                b.cert_first_use.setdefault((body.class_key, no), (who, e.effective_on))
        if body.new_certificate:
            b.certificates[body.new_certificate] = Certificate(
                body.new_certificate, body.to_holder, body.class_key, body.series_key, body.shares
            )
        if body.balance_certificate and body.certificate and body.certificate in b.certificates:
            rest = b.certificates[body.certificate].shares - body.shares
            b.certificates[body.balance_certificate] = Certificate(
                body.balance_certificate, body.from_holder, body.class_key, body.series_key, rest
            )
    elif isinstance(body, SharesCancelled):
        key = (body.class_key, body.series_key)
        _add(b.balances, (body.holder_id, body.class_key, body.series_key), -body.shares)
        _add(b.issued, key, -body.shares)
        _surrender(b, body.certificate, "cancelled")
    elif isinstance(body, SharesRepurchased):
        key = (body.class_key, body.series_key)
        _add(b.balances, (body.holder_id, body.class_key, body.series_key), -body.shares)
        _add(b.treasury, key, body.shares)
        _surrender(b, body.certificate, "treasury")
    elif isinstance(body, SharesConverted):
        _add(b.balances, (body.holder_id, body.from_class, body.from_series), -body.from_shares)
        _add(b.issued, (body.from_class, body.from_series), -body.from_shares)
        _add(b.balances, (body.holder_id, body.to_class, body.to_series), body.to_shares)
        _add(b.issued, (body.to_class, body.to_series), body.to_shares)
    elif isinstance(body, StockSplit):
        _split(b, e, body)


def _surrender(b: _Build, number: str | None, status: str = "surrendered") -> None:
    if number and number in b.certificates:
        c = b.certificates[number]
        b.certificates[number] = Certificate(
            c.number, c.holder_id, c.class_key, c.series_key, c.shares, status
        )


def _split(b: _Build, e: Event, body: StockSplit) -> None:
    num, den = body.to_shares, body.from_shares
    for k, n in list(b.balances.items()):
        holder, cls, series = k
        if cls != body.class_key or (body.series_key is not None and series != body.series_key) or not n:
            continue
        new, rem = divmod(n * num, den)
        if rem:
            b.fractions.append((e.seq or 0, holder, cls, rem, den))
        b.balances[k] = new
    for table in (b.issued, b.treasury):
        for k, n in list(table.items()):
            if k[0] == body.class_key and (body.series_key is None or k[1] == body.series_key):
                table[k] = n * num // den
    # issued = outstanding + treasury after rounding down per holder, for every position of the class split
    keys = {k for k in (*b.issued, *b.treasury) if k[0] == body.class_key}
    keys |= {(c, s) for (_, c, s) in b.balances if c == body.class_key}
    for k in keys:
        if body.series_key is None or k[1] == body.series_key:
            out = sum(n for (h, c, s), n in b.balances.items() if c == k[0] and s == k[1])
            b.issued[k] = out + b.treasury.get(k, 0)
    for num_, c in list(b.certificates.items()):
        if c.class_key == body.class_key and c.status == "outstanding":
            b.certificates[num_] = Certificate(
                c.number, c.holder_id, c.class_key, c.series_key, c.shares * num // den, c.status
            )


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
