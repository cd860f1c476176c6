"""The stock ledger's acts: stakeholders added and changed, shares issued, transferred, cancelled,
repurchased, converted and split, and preferred series designated. Each act checks its arguments (a share
count is a whole positive number, money is a non-negative Decimal), makes its event body and records it
through the book's append path (`Writer.record`), which checks it against `law` before it is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..core.errors import InputError, NotFoundError
from ..core.events import (
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
from .append import Result, Writer
from .folded import Folded


class LedgerActs:
    """The ledger's acts, recorded through `writer`; `book` is the log in memory (who the holders are)."""

    def __init__(self, writer: Writer, book: Folded):
        self._writer, self._book = writer, book

    def add_holder(
        self,
        holder_id: str,
        name: str,
        *,
        on: date | None = None,
        kind: str = "individual",
        email: str | None = None,
        address: str | None = None,
        actor: str | None = None,
    ) -> Result:
        if holder_id in self._book.build.holders:
            raise InputError(f"holder {holder_id!r} already exists")
        body = StakeholderAdded(holder_id, name, kind, email, address)
        return self._writer.record(body, on or self._book.build.incorporated_on, actor=actor)

    def change_holder(
        self, holder_id: str, *, on: date, name=None, email=None, address=None, actor: str | None = None
    ) -> Result:
        self._need_holder(holder_id)
        return self._writer.record(StakeholderChanged(holder_id, name, email, address), on, actor=actor)

    def issue(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        price_per_share: Decimal,
        consideration: Decimal | None = None,
        series_key: str | None = None,
        certificate: str | None = None,
        legends: tuple[str, ...] = (),
        consideration_kind: str = "cash",
        from_treasury: bool = False,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        price = _money(price_per_share, "price per share")
        total = price * shares if consideration is None else _money(consideration, "consideration")
        body = SharesIssued(
            holder_id,
            class_key,
            shares,
            price,
            total,
            consideration_kind,
            series_key,
            certificate,
            tuple(legends),
            from_treasury,
            approved_by,
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def transfer(
        self,
        from_holder: str,
        to_holder: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        series_key: str | None = None,
        certificate: str | None = None,
        new_certificate: str | None = None,
        balance_certificate: str | None = None,
        price_per_share: Decimal | None = None,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        price = None if price_per_share is None else _money(price_per_share, "price per share")
        body = SharesTransferred(
            from_holder,
            to_holder,
            class_key,
            shares,
            series_key,
            certificate,
            new_certificate,
            balance_certificate,
            price,
            approved_by,
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def cancel(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        series_key: str | None = None,
        certificate: str | None = None,
        reason: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        body = SharesCancelled(holder_id, class_key, shares, series_key, certificate, reason)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def repurchase(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        price_per_share: Decimal,
        series_key: str | None = None,
        certificate: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        body = SharesRepurchased(
            holder_id, class_key, shares, _money(price_per_share, "price per share"), series_key, certificate
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def convert(
        self,
        holder_id: str,
        from_class: str,
        from_shares: int,
        to_class: str,
        to_shares: int,
        *,
        on: date,
        from_series: str | None = None,
        to_series: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(from_shares)
        _shares(to_shares)
        body = SharesConverted(
            holder_id, from_class, from_shares, to_class, to_shares, from_series, to_series
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def split(
        self,
        class_key: str,
        from_shares: int,
        to_shares: int,
        *,
        on: date,
        series_key: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(from_shares)
        _shares(to_shares)
        return self._writer.record(
            StockSplit(class_key, from_shares, to_shares, series_key), on, historical=historical, actor=actor
        )

    def designate_series(
        self,
        class_key: str,
        series_key: str,
        name: str,
        authorized: int,
        *,
        on: date,
        approved_by: str | None = None,
        designated_by: str = "board of directors",
        terms: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(authorized)
        body = SeriesDesignated(class_key, series_key, name, authorized, designated_by, approved_by, terms)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def _need_holder(self, holder_id: str) -> None:
        if holder_id not in self._book.build.holders:
            raise NotFoundError(f"no holder {holder_id!r}")


def _shares(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InputError(f"share count must be a whole number, not {n!r}")
    if n <= 0:
        raise InputError(f"share count must be positive, not {n:,}")


def _money(v, what: str) -> Decimal:
    try:
        d = Decimal(str(v))
    except Exception:  # noqa: BLE001
        raise InputError(f"{what}: not a number: {v!r}") from None
    if not d.is_finite() or d < 0:
        raise InputError(f"{what}: must be zero or more, not {v}")
    return d
