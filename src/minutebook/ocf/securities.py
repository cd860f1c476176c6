"""The stock ledger as OCF stock transactions: each holding a security with a `security_id`, each ledger event
the OCF transactions that retire securities and issue what they become (OCF's TraversingTransactions rules).

The ledger keeps balances; OCF keeps securities. `Securities` follows the book's events in order and keeps each
holder's securities per class and series (first issued, first used): an issuance opens one; a transfer,
cancellation, repurchase or conversion uses the named certificate first, then the oldest securities, retiring
each one it touches with one OCF transaction, which names the transferee's new security and, when it used only
part, the balance security left to the holder (`resulting_security_ids`, `balance_security_id`, each with its
`TX_STOCK_ISSUANCE`). A split is a `TX_STOCK_CLASS_SPLIT` followed by a `TX_STOCK_REISSUANCE` of each outstanding
security at its new size (rounded down per holder, as the ledger rounds: `traverse.allocate_split`).

Ids are deterministic: a security keeps its certificate number when it has one (and it is not yet used), else
`SEC-<event seq>-<n>`; transactions are `TX-<event seq>-<n>`. The exporter then renumbers both in the order of the
package (`spill.Renumber`): `SEC-000001`, `TX-000001`, ... So the same book exports the same package, and a
book imported from a package exports it again with the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.events import (
    Event,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StockSplit,
)
from .approvals import Approvals
from .traverse import TREASURY_NOTE, allocate_split

Key = tuple[str, str, str | None]  # holder, class, series


def numeric(d: Decimal | int) -> str:
    """An OCF Numeric: plain digits, at most 10 decimal places."""
    if isinstance(d, int):
        return str(d)
    if d.as_tuple().exponent < -10:  # type: ignore[operator]
        d = d.quantize(Decimal("1E-10"))
    return format(d, "f")


def consideration_text(kind: str, amount: Decimal) -> str:
    """An issuance's consideration where it is not cash at the price times the shares ("conversion of safe:
    $500000 in all"; a round's "cash: $4000000 in all" where the price was rounded): OCF has no field for it."""
    return f"{kind}: ${numeric(amount)} in all"


_CONSIDERATION = re.compile(r"(?P<kind>[^:$\n]{1,80}): \$(?P<amount>\d{1,30}(?:\.\d{1,10})?) in all")


def read_consideration(text: str | None) -> tuple[str, Decimal] | None:
    """(kind, amount) of a `consideration_text` as minutebook writes it; None for any other text (another tool's
    free text: the issuance is then cash at its price)."""
    m = _CONSIDERATION.fullmatch(text or "")
    return (m["kind"], Decimal(m["amount"])) if m else None


def money(d: Decimal) -> dict:
    return {"amount": numeric(d), "currency": "USD"}


@dataclass(slots=True)
class Lot:
    id: str
    qty: int
    price: Decimal


@dataclass(slots=True)
class Securities:
    class_id: Callable[[str, str | None], str]  # our class and series -> OCF stock class id
    legend_id: Callable[[str], str]
    approvals: Approvals
    lots: dict[Key, list[Lot]] = field(default_factory=dict)
    txs: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    # a restricted stock award's fields for the issuance of its shares (`equity_out.EquityOut.rsa_fields`)
    award_fields: Callable[[SharesIssued], dict] | None = None
    last_issued: str | None = None  # the security id of the last `SharesIssued`
    _prices: dict[str, Decimal] = field(
        default_factory=dict
    )  # one Decimal per price as written (lots share it)
    _seq: int = 0
    _n: int = 0

    # --- ids ----------------------------------------------------------------------------------------------

    def _sec(self, certificate: str | None = None) -> str:
        if certificate and certificate not in self.used:
            self.used.add(certificate)
            return certificate
        while True:
            self._n += 1
            sid = f"SEC-{self._seq:06d}-{self._n}"
            if sid not in self.used:
                self.used.add(sid)
                return sid

    def _tx(self) -> str:
        self._n += 1
        return f"TX-{self._seq:06d}-{self._n}"

    # --- building blocks -----------------------------------------------------------------------------------

    def _issue(self, on: str, key: Key, qty: int, price: Decimal, sid: str, extra: dict | None = None) -> Lot:
        holder, cls, series = key
        tx = {
            "object_type": "TX_STOCK_ISSUANCE",
            "id": self._tx(),
            "date": on,
            "security_id": sid,
            "custom_id": sid,
            "stakeholder_id": holder,
            "stock_class_id": self.class_id(cls, series),
            "share_price": money(price),
            "quantity": numeric(qty),
            "security_law_exemptions": [],
            "stock_legend_ids": [],
        }
        tx.update(extra or {})
        self.txs.append(tx)
        return Lot(sid, qty, self._prices.setdefault(str(price), price))

    def _take(
        self, key: Key, shares: int, certificate: str | None, what: str, on: str
    ) -> list[tuple[Lot, int]]:
        """The securities `shares` come from (the certificate's first, then the oldest), with how many each."""
        lots = self.lots.get(key, [])
        order = sorted(range(len(lots)), key=lambda i: (lots[i].id != certificate, i))
        out, need = [], shares
        for i in order:
            if need <= 0:
                break
            take = min(lots[i].qty, need)
            if take > 0:
                out.append((lots[i], take))
                need -= take
        if need > 0:
            self.warnings.append(
                f"{on}: {what} of {shares:,} {key[1]} shares of {key[0]}: {need:,} are not held in any security "
                "(a defect of the record); OCF can only state the rest"
            )
        return out

    def _retire(self, key: Key, lot: Lot, balance: Lot | None) -> None:
        lots = self.lots[key]
        i = next(i for i, x in enumerate(lots) if x is lot)
        if balance is None:
            del lots[i]
        else:
            lots[i] = balance

    def _balance(self, on: str, key: Key, lot: Lot, taken: int, certificate: str | None) -> Lot | None:
        rest = lot.qty - taken
        return self._issue(on, key, rest, lot.price, self._sec(certificate)) if rest else None

    # --- the events ------------------------------------------------------------------------------------------

    def event(self, e: Event) -> None:  # noqa: C901 - one branch per event type
        self._seq, self._n = e.seq or 0, 0
        b, on = e.body, e.effective_on.isoformat()
        if isinstance(b, SharesIssued):
            extra: dict = {}
            extra["stock_legend_ids"] = [self.legend_id(x) for x in b.legends]
            extra.update(self.approvals.dates([b.approved_by]))
            if b.consideration_kind != "cash" or b.consideration != b.price_per_share * b.shares:
                extra["consideration_text"] = consideration_text(b.consideration_kind, b.consideration)
            if b.from_treasury:
                extra["comments"] = [TREASURY_NOTE]
            award = self.award_fields(b) if self.award_fields is not None else {}
            extra.update(award)
            self.approvals.note(extra, [b.approved_by])
            key = (b.holder_id, b.class_key, b.series_key)
            sid = self._sec(b.certificate or (b.award_id if award else None))
            extra["custom_id"] = b.certificate or sid
            self.lots.setdefault(key, []).append(
                self._issue(on, key, b.shares, b.price_per_share, sid, extra)
            )
            self.last_issued = sid
        elif isinstance(b, SharesTransferred):
            src, dst = (b.from_holder, b.class_key, b.series_key), (b.to_holder, b.class_key, b.series_key)
            for k, (lot, taken) in enumerate(self._take(src, b.shares, b.certificate, "transfer", on)):
                tx = {"object_type": "TX_STOCK_TRANSFER", "id": self._tx(), "date": on, "security_id": lot.id}
                self.txs.append(tx)
                new = self._sec(b.new_certificate if k == 0 else None)
                tx.update(quantity=numeric(taken), resulting_security_ids=[new])
                if b.price_per_share is not None:
                    tx["consideration_text"] = f"${numeric(b.price_per_share)} per share"
                bal = self._balance(on, src, lot, taken, b.balance_certificate)
                if bal is not None:
                    tx["balance_security_id"] = bal.id
                got = self._issue(
                    on, dst, taken, b.price_per_share if b.price_per_share is not None else lot.price, new
                )
                self._retire(src, lot, bal)
                self.lots.setdefault(dst, []).append(got)
        elif isinstance(b, (SharesCancelled, SharesRepurchased)):
            key = (b.holder_id, b.class_key, b.series_key)
            kind = "cancellation" if isinstance(b, SharesCancelled) else "repurchase"
            for lot, taken in self._take(key, b.shares, b.certificate, kind, on):
                tx = {
                    "object_type": f"TX_STOCK_{kind.upper()}",
                    "id": self._tx(),
                    "date": on,
                    "security_id": lot.id,
                }
                self.txs.append(tx)
                tx["quantity"] = numeric(taken)
                if isinstance(b, SharesCancelled):
                    tx["reason_text"] = b.reason or "cancelled"
                else:
                    tx["price"] = money(b.price_per_share)
                bal = self._balance(on, key, lot, taken, None)
                if bal is not None:
                    tx["balance_security_id"] = bal.id
                self._retire(key, lot, bal)
        elif isinstance(b, SharesConverted):
            self._convert(on, b)
        elif isinstance(b, StockSplit):
            self._split(on, b)

    def _convert(self, on: str, b: SharesConverted) -> None:
        src, dst = (b.holder_id, b.from_class, b.from_series), (b.holder_id, b.to_class, b.to_series)
        pieces = self._take(src, b.from_shares, None, "conversion", on)
        done_from = done_to = 0
        for lot, taken in pieces:
            done_from += taken
            to = b.to_shares * done_from // b.from_shares - done_to
            done_to += to
            tx = {"object_type": "TX_STOCK_CONVERSION", "id": self._tx(), "date": on, "security_id": lot.id}
            self.txs.append(tx)
            new = self._sec()
            tx.update(quantity_converted=numeric(taken), resulting_security_ids=[new])
            bal = self._balance(on, src, lot, taken, None)
            if bal is not None:
                tx["balance_security_id"] = bal.id
            got = self._issue(on, dst, to, lot.price, new)
            self._retire(src, lot, bal)
            self.lots.setdefault(dst, []).append(got)

    def _split(self, on: str, b: StockSplit) -> None:
        keys = sorted(
            (k for k in self.lots if k[1] == b.class_key and (b.series_key is None or k[2] == b.series_key)),
            key=lambda k: (k[2] or "", k[0]),
        )
        split_ids: dict[str | None, str] = {}
        for series in sorted({k[2] for k in keys} | {b.series_key}, key=lambda s: s or ""):
            split_ids[series] = self._tx()
            self.txs.append(
                {
                    "object_type": "TX_STOCK_CLASS_SPLIT",
                    "id": split_ids[series],
                    "date": on,
                    "stock_class_id": self.class_id(b.class_key, series),
                    "split_ratio": {"numerator": numeric(b.to_shares), "denominator": numeric(b.from_shares)},
                }
            )
        for key in keys:
            lots = self.lots[key]
            sizes = allocate_split([x.qty for x in lots], b.to_shares, b.from_shares)
            new_lots = []
            for lot, size in zip(lots, sizes, strict=True):
                new = self._sec() if size else None
                self.txs.append(
                    {
                        "object_type": "TX_STOCK_REISSUANCE",
                        "id": self._tx(),
                        "date": on,
                        "security_id": lot.id,
                        "resulting_security_ids": [new] if new else [],
                        "split_transaction_id": split_ids[key[2]],
                        "reason_text": f"split {b.from_shares}:{b.to_shares}",
                    }
                )
                if new:
                    price = lot.price * b.from_shares / b.to_shares
                    new_lots.append(self._issue(on, key, size, price, new))
            self.lots[key] = new_lots
