"""The stock ledger's acts: stakeholders added and changed, shares issued, transferred, cancelled,
repurchased, converted and split, and preferred series designated. Each act checks its arguments (a share
count is a whole positive number, money is a non-negative Decimal), makes its event body and records it
through the book's append path (`Writer.record`), which checks it against `law` before it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..core.errors import InputError, NotFoundError
from ..core.events import (
    Event,
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
from ..store import log
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
        scheduled: bool = False,
    ) -> Result:
        if holder_id in self._book.build.holders:
            raise InputError(f"holder {holder_id!r} already exists")
        body = StakeholderAdded(holder_id, name, kind, email, address)
        on = on or self._book.build.incorporated_on
        _not_future(on, scheduled)
        return self._writer.record(body, on, actor=actor)

    def change_holder(
        self,
        holder_id: str,
        *,
        on: date,
        name=None,
        email=None,
        address=None,
        actor: str | None = None,
        scheduled: bool = False,
    ) -> Result:
        """Record a change of a holder's name, e-mail or address from `on` (the earlier values stay in the
        history: `core.replay.holder_at` gives the ones in force on a date)."""
        self._need_holder(holder_id)
        if name is None and email is None and address is None:
            raise InputError("a holder change names at least one of name, email, address")
        _not_future(on, scheduled)
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
        scheduled: bool = False,
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
        _not_future(on, scheduled)
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
        scheduled: bool = False,
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
        _not_future(on, scheduled)
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
        scheduled: bool = False,
    ) -> Result:
        _shares(shares)
        body = SharesCancelled(holder_id, class_key, shares, series_key, certificate, reason)
        _not_future(on, scheduled)
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
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
        scheduled: bool = False,
    ) -> Result:
        _shares(shares)
        body = SharesRepurchased(
            holder_id,
            class_key,
            shares,
            _money(price_per_share, "price per share"),
            series_key,
            certificate,
            approved_by,
        )
        _not_future(on, scheduled)
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
        scheduled: bool = False,
    ) -> Result:
        _shares(from_shares)
        _shares(to_shares)
        body = SharesConverted(
            holder_id, from_class, from_shares, to_class, to_shares, from_series, to_series
        )
        _not_future(on, scheduled)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def split(
        self,
        class_key: str,
        from_shares: int,
        to_shares: int,
        *,
        on: date,
        series_key: str | None = None,
        approved_by: tuple[str, ...] | str = (),
        historical: bool = False,
        actor: str | None = None,
        scheduled: bool = False,
    ) -> Result:
        """Split (or reverse-split) a class: a charter amendment (§242), so `approved_by` names its board
        resolution and stockholder approval (or the board's alone under §242(d)(1))."""
        _shares(from_shares)
        _shares(to_shares)
        _not_future(on, scheduled)
        ids = (approved_by,) if isinstance(approved_by, str) else tuple(approved_by)
        return self._writer.record(
            StockSplit(class_key, from_shares, to_shares, series_key, ids),
            on,
            historical=historical,
            actor=actor,
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
        scheduled: bool = False,
    ) -> Result:
        _shares(authorized)
        body = SeriesDesignated(class_key, series_key, name, authorized, designated_by, approved_by, terms)
        _not_future(on, scheduled)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def certificates(
        self, as_of: date | None = None, class_key: str | None = None
    ) -> tuple[CertificateEntry, ...]:
        """The certificate register on `as_of` (default: every act recorded): see `certificate_register`."""
        self._book.ok()
        if self._book.in_memory:
            return certificate_register(self._book.events, as_of or date.max, class_key)
        # a book opened from its snapshot: the acts that make the register, streamed in order from the store (those
        # that name a certificate, and the splits: an act of shares without one changes no certificate)
        w = self._writer
        # its fold has none: none was ever issued, if the log is as it read it
        if not self._book.build.certificates:
            with w.reading() as conn:
                if log.head(conn, w.corp_id)[0] == self._book.count:
                    return ()
        acts = w.history().events(as_of, REGISTER_TYPES, holding=CERTIFIED, unnamed=(StockSplit.TYPE,))
        return certificate_register(acts, as_of or date.max, class_key, ordered=True)

    def _need_holder(self, holder_id: str) -> None:
        if holder_id not in self._book.build.holders:
            raise NotFoundError(f"no holder {holder_id!r}")


@dataclass(frozen=True, slots=True)
class CertificateEntry:
    """One stock certificate (§158) as the ledger's events record it: to whom, for what, when issued, and
    when it was surrendered (on a transfer or repurchase) or cancelled, with the legends it carries."""

    number: str
    holder_id: str
    class_key: str
    series_key: str | None
    shares: int
    issued_on: date
    status: str = "outstanding"  # outstanding | surrendered | cancelled | repurchased
    ended_on: date | None = None
    legends: tuple[str, ...] = ()
    seq: int | None = None  # the event that issued it

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "holder": self.holder_id,
            "class": self.class_key,
            "series": self.series_key,
            "shares": self.shares,
            "issued_on": self.issued_on.isoformat(),
            "status": self.status,
            "surrendered_on": self.ended_on.isoformat()
            if self.ended_on and self.status in ("surrendered", "repurchased")
            else None,
            "cancelled_on": self.ended_on.isoformat()
            if self.ended_on and self.status == "cancelled"
            else None,
            "legends": list(self.legends),
            "event": self.seq,
        }


def certificate_register(
    events: Iterable[Event], as_of: date, class_key: str | None = None, ordered: bool = False
) -> tuple[CertificateEntry, ...]:
    """Every certificate issued on or before `as_of`, in the order issued: a pure fold over the ledger's events
    (an issuance's certificate; a transfer's surrendered, new and balance certificates, the legends travelling
    with the shares; a cancellation or repurchase surrendering one; a split restating the shares of those
    outstanding, as the ledger does). A number used twice in a class (a defect, §158) gives two entries. `ordered`:
    the events come in effective order already (a stream from the store), and are read as they come."""
    rows: list[CertificateEntry] = []
    at: dict[tuple[str, str], int] = {}  # (class, number) -> index of its latest entry

    def add(entry: CertificateEntry) -> None:
        at[(entry.class_key, entry.number)] = len(rows)
        rows.append(entry)

    def end(cls: str, number: str | None, status: str, on: date) -> CertificateEntry | None:
        i = at.get((cls, number or ""))
        if i is None or rows[i].status != "outstanding":
            return None
        rows[i] = replace(rows[i], status=status, ended_on=on)
        return rows[i]

    for e in events if ordered else sorted(events, key=Event.sort_key):
        if e.effective_on > as_of:
            break
        b, on = e.body, e.effective_on
        if isinstance(b, SharesIssued) and b.certificate:
            add(CertificateEntry(b.certificate, b.holder_id, b.class_key, b.series_key, b.shares, on,
                                 legends=tuple(b.legends), seq=e.seq))  # fmt: skip
        elif isinstance(b, SharesTransferred):
            old = end(b.class_key, b.certificate, "surrendered", on)
            legends = old.legends if old else ()
            if b.new_certificate:
                add(CertificateEntry(b.new_certificate, b.to_holder, b.class_key, b.series_key, b.shares, on,
                                     legends=legends, seq=e.seq))  # fmt: skip
            if b.balance_certificate and old is not None:
                add(CertificateEntry(b.balance_certificate, b.from_holder, b.class_key, b.series_key,
                                     old.shares - b.shares, on, legends=legends, seq=e.seq))  # fmt: skip
        elif isinstance(b, SharesCancelled):
            end(b.class_key, b.certificate, "cancelled", on)
        elif isinstance(b, SharesRepurchased):
            end(b.class_key, b.certificate, "repurchased", on)
        elif isinstance(b, StockSplit):
            for i, r in enumerate(rows):
                if (
                    r.class_key == b.class_key
                    and r.status == "outstanding"
                    and (b.series_key is None or r.series_key == b.series_key)
                ):
                    rows[i] = replace(r, shares=r.shares * b.to_shares // b.from_shares)
    return tuple(r for r in rows if class_key is None or r.class_key == class_key)


REGISTER_TYPES = tuple(
    t.TYPE for t in (SharesIssued, SharesTransferred, SharesCancelled, SharesRepurchased, StockSplit)
)
"""The events `certificate_register` reads."""
CERTIFIED = ("certificate", "new_certificate", "balance_certificate")
"""The fields of those that name a certificate (issued, surrendered, new, for the balance): an act that names none,
but for a split, leaves the register as it was."""


def _not_future(on: Any, scheduled: bool) -> None:
    """An act dated after today is refused unless it is `scheduled` (then it is pending until its date)."""
    # (a datetime is no date: `Writer.record` refuses it by name)
    if isinstance(on, date) and not isinstance(on, datetime) and on > date.today() and not scheduled:
        raise InputError(
            f"{on.isoformat()} is after today ({date.today().isoformat()}): an act is recorded when it has "
            "happened; to record one planned for that date, mark it scheduled (--scheduled)"
        )


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
