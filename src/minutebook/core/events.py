"""Events: every change to the corporation's record, as immutable values.

An `Event` is an envelope (sequence, effective date or bound, actor, source) around a body of one of
the types below. Bodies serialise to plain JSON (`to_payload`) — Decimals and dates as strings, share
counts as ints — and back (`body_from_payload`), so the log in the database is exactly the events.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, get_type_hints

from .sources import SourceRef

BOUNDS = ("on", "on_or_before", "on_or_after")


@dataclass(frozen=True, slots=True)
class Body:
    TYPE: ClassVar[str] = ""

    def to_payload(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _encode(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, tuple):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {k: _encode(x) for k, x in v.items()}
    return v


# --- the charter ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incorporated(Body):
    """The corporation exists: its name, jurisdiction and first charter version (`core.codec` form)."""

    TYPE: ClassVar[str] = "Incorporated"
    name: str
    jurisdiction: str | None
    charter: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CharterAmended(Body):
    """A new charter version in force from the event's date (amendment, restatement)."""

    TYPE: ClassVar[str] = "CharterAmended"
    charter: dict = field(default_factory=dict)
    document_kind: str | None = None
    statute: str | None = None


@dataclass(frozen=True, slots=True)
class SeriesDesignated(Body):
    """A series of a class designated under §151(g) (its certificate of designations filed)."""

    TYPE: ClassVar[str] = "SeriesDesignated"
    class_key: str
    series_key: str
    name: str
    authorized: int
    designated_by: str = "board of directors"


# --- people ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StakeholderAdded(Body):
    TYPE: ClassVar[str] = "StakeholderAdded"
    holder_id: str
    name: str
    kind: str = "individual"  # individual | institution
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class StakeholderChanged(Body):
    TYPE: ClassVar[str] = "StakeholderChanged"
    holder_id: str
    name: str | None = None
    email: str | None = None
    address: str | None = None


# --- the stock ledger ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SharesIssued(Body):
    """Shares issued to a holder, on a certificate or in book entry (`certificate` None)."""

    TYPE: ClassVar[str] = "SharesIssued"
    holder_id: str
    class_key: str
    shares: int
    price_per_share: Decimal
    consideration: Decimal
    consideration_kind: str = "cash"
    series_key: str | None = None
    certificate: str | None = None
    legends: tuple[str, ...] = ()
    from_treasury: bool = False


@dataclass(frozen=True, slots=True)
class SharesTransferred(Body):
    TYPE: ClassVar[str] = "SharesTransferred"
    from_holder: str
    to_holder: str
    class_key: str
    shares: int
    series_key: str | None = None
    certificate: str | None = None  # surrendered
    new_certificate: str | None = None  # issued to the transferee
    balance_certificate: str | None = None  # issued to the transferor for what remains
    price_per_share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SharesCancelled(Body):
    TYPE: ClassVar[str] = "SharesCancelled"
    holder_id: str
    class_key: str
    shares: int
    series_key: str | None = None
    certificate: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SharesRepurchased(Body):
    """Shares bought back into treasury: still issued, no longer outstanding (§160)."""

    TYPE: ClassVar[str] = "SharesRepurchased"
    holder_id: str
    class_key: str
    shares: int
    price_per_share: Decimal
    series_key: str | None = None
    certificate: str | None = None


@dataclass(frozen=True, slots=True)
class SharesConverted(Body):
    TYPE: ClassVar[str] = "SharesConverted"
    holder_id: str
    from_class: str
    from_shares: int
    to_class: str
    to_shares: int
    from_series: str | None = None
    to_series: str | None = None


@dataclass(frozen=True, slots=True)
class StockSplit(Body):
    """Every share of a class becomes `to_shares / from_shares` shares (a reverse split when < 1);
    fractions are rounded down per holder and reported."""

    TYPE: ClassVar[str] = "StockSplit"
    class_key: str
    from_shares: int
    to_shares: int
    series_key: str | None = None


BODY_TYPES: dict[str, type[Body]] = {
    c.TYPE: c
    for c in (
        Incorporated,
        CharterAmended,
        SeriesDesignated,
        StakeholderAdded,
        StakeholderChanged,
        SharesIssued,
        SharesTransferred,
        SharesCancelled,
        SharesRepurchased,
        SharesConverted,
        StockSplit,
    )
}


_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def body_from_payload(type_name: str, payload: dict[str, Any]) -> Body:
    cls = BODY_TYPES.get(type_name)
    if cls is None:
        raise ValueError(f"unknown event type {type_name!r}")
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in payload:
            continue
        kwargs[f.name] = _decode(hints[f.name], payload[f.name])
    return cls(**kwargs)


def _decode(hint: Any, v: Any) -> Any:
    if v is None:
        return None
    text = str(hint)
    if "Decimal" in text:
        return Decimal(v)
    if "tuple" in text:
        return tuple(v)
    if text.startswith("<class 'int'>") or hint is int:
        return int(v)
    return v


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log. `seq` and `recorded_at` are set by the log when it is appended."""

    body: Body
    effective_on: date
    bound: str = "on"  # "on" | "on_or_before" | "on_or_after": how `effective_on` is known
    actor: str | None = None
    source: SourceRef | None = None
    seq: int | None = None
    recorded_at: datetime | None = None

    @property
    def type(self) -> str:
        return self.body.TYPE

    def sort_key(self) -> tuple:
        return (self.effective_on, self.seq if self.seq is not None else 1 << 62)
