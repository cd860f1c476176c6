"""Traversing OCF stock transactions by `security_id` into ledger events (OCF's TraversingTransactions rules).

A `security_id` is a holding, like a certificate: a `TX_STOCK_ISSUANCE` opens it; a transfer, cancellation,
repurchase, conversion, reissuance or retraction retires it ("terminal"), and what remains of it, or what it
became, is a new issuance named by the transaction's `balance_security_id` and `resulting_security_ids`. So:

- an issuance named by no terminal transaction is a new issue of stock (`SharesIssued`);
- a transfer becomes one `SharesTransferred` per resulting security (to its stakeholder); a cancellation or a
  retraction `SharesCancelled`; a repurchase `SharesRepurchased` (into treasury); a conversion
  `SharesConverted` per class it results in; a reissuance changes certificates, not holdings;
- `TX_STOCK_CLASS_SPLIT` is a `StockSplit`: every outstanding security of the class takes the ratio (rounded
  down per holder as the ledger does, `allocate_split`), so the reissuances that follow a split in OCF exchange
  securities of equal size.

Order: by date, then as the package lists them (a reissuance that names a split after that split; an issuance
that a transaction of the same date acts on before it is listed, first). The result — the holdings of the
outstanding securities on any date — is OCF's cap table.

What the package states inconsistently about a security we track is refused (one line naming file and item):
acting on a retired security, opening an id already open, taking more than the security holds, a partial
action without its balance security, results that do not add up, or a result or balance that has no issuance.
A security whose stakeholder or class is not in the package, or whose quantity is not a whole number of shares,
cannot be placed on the ledger: it and every transaction on it are bad items (`Report.bad`, `MB-OCF-UNRESOLVED`),
each named: an import refuses them, or with `lenient` records them as refused (`ocf.refused`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ..core.events import (
    Body,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StockSplit,
)
from ..core.heap import day
from .package import Item
from .report import Report

TERMINAL = frozenset(
    {
        "TX_STOCK_TRANSFER",
        "TX_STOCK_CANCELLATION",
        "TX_STOCK_REPURCHASE",
        "TX_STOCK_CONVERSION",
        "TX_STOCK_REISSUANCE",
        "TX_STOCK_RETRACTION",
    }
)
STOCK = TERMINAL | {"TX_STOCK_ISSUANCE", "TX_STOCK_ACCEPTANCE", "TX_STOCK_CLASS_SPLIT"}
TREASURY_NOTE = "minutebook: issued from treasury (8 Del. C. § 160)"


def number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):  # pragma: no cover - the schema admits only numerals
        raise ValueError(f"not a number: {text!r}") from None


def whole(text: str) -> int | None:
    """A Numeric that is a whole number, else None."""
    if text.isdigit():  # the common case, without a Decimal
        return int(text)
    d = number(text)
    return int(d) if d == d.to_integral_value() else None


def allocate_split(quantities: list[int], num: int, den: int) -> list[int]:
    """One holder's securities of a class after a split of num:den: each rounded down, and the shares the
    holder gains from rounding the total instead (as the ledger does) added to the last, so they add up to
    floor(total × num / den)."""
    out = [q * num // den for q in quantities]
    if out:
        out[-1] += sum(quantities) * num // den - sum(out)
    return out


@dataclass(slots=True)
class Security:
    id: str
    holder: str
    cls: str
    qty: int
    price: Decimal
    cert: str  # our certificate number for it
    order: int  # when it was opened (for allocating a split)
    status: str = "outstanding"  # outstanding | retired
    retired_by: Item | None = None
    on_ledger: bool = False  # the ledger's certificate register knows it (so events may name it)


def _by(s: Security) -> str:
    it = s.retired_by
    return f"{it.label} on {it.data['date']}" if it is not None else "?"


@dataclass(frozen=True, slots=True)
class Op:
    on: date
    body: Body
    item: Item
    pos: int = 0  # the place in the package of the item being traversed when it was made
    n: int = 0  # made n-th


@dataclass(slots=True)
class Traversal:
    """Replays stock transactions; `holders` and `classes` map OCF ids to ours; `certificate(item)` gives the
    certificate number for an issuance; `issue(item, security)` builds its `SharesIssued`."""

    holders: dict[str, str]
    classes: dict[str, str]
    certificate: Callable[[Item], str]
    issue: Callable[[Item, Security], SharesIssued]
    report: Report
    position: Callable[[Item], int] | None = (
        None  # the item's place in the package (default: in `run`'s list)
    )
    ops: list[Op] = field(default_factory=list)
    kept: list[Item] = field(default_factory=list)  # stock items minutebook has no model for
    refused: list[Item] = field(default_factory=list)  # stock items that cannot be placed (`Report.bad`)
    settles: dict[str, str] = field(default_factory=dict)  # security id -> award or convertible it settles
    _pos: int = 0
    _done: set = field(default_factory=set)  # ids of the issuances already traversed
    securities: dict[str, Security] = field(default_factory=dict)
    unplaced: set[str] = field(default_factory=set)
    _opened: int = 0
    _derived: dict[str, Item] = field(default_factory=dict)
    _issuances: dict[str, Item] = field(default_factory=dict)

    # --- helpers ----------------------------------------------------------------------------------------

    def _bad(self, it: Item, path: str, text: str) -> None:
        self.report.error(it.file, it.label, f"$.items[{it.index}]{path}", text, "MB-OCF-TRAVERSAL")

    def _unresolved(self, it: Item, text: str) -> None:
        self.report.bad(it.file, it.label, f"$.items[{it.index}]", text, "MB-OCF-UNRESOLVED")
        self.refused.append(it)

    def _qty(self, it: Item, key: str) -> int | None:
        q = whole(it.data[key])
        if q is None or q <= 0:
            self._bad(it, f".{key}", f"{it.data[key]} is not a positive whole number of shares")
            return None
        return q

    def _open(self, it: Item, parent: Item | None) -> Security | None:
        """The security an issuance opens (None, reported, when it cannot be placed)."""
        d = it.data
        sid = d["security_id"]
        holder, cls = self.holders.get(d["stakeholder_id"]), self.classes.get(d["stock_class_id"])
        if sid in self.securities:
            prev = self.securities[sid]
            what = "still outstanding" if prev.status == "outstanding" else f"retired by {_by(prev)}"
            self._bad(it, ".security_id", f"security {sid} was opened before and is {what}")
            return None
        q = whole(d["quantity"])
        if holder is None or cls is None or q is None or q < 0:
            why = (
                f"stakeholder {d['stakeholder_id']!r} is not in the package"
                if holder is None
                else f"stock class {d['stock_class_id']!r} is not in the package"
                if cls is None
                else f"quantity {d['quantity']} is not a whole number of shares, at least 0"
            )
            if parent is not None:
                self._bad(it, "", f"result of {parent.label}: {why}")
            else:
                self._unresolved(it, why)
            self.unplaced.add(sid)
            return None
        self._opened += 1
        sec = Security(
            sid, holder, cls, q, number(d["share_price"]["amount"]), self.certificate(it), self._opened
        )
        self.securities[sid] = sec
        return sec

    # --- the replay -------------------------------------------------------------------------------------

    def run(self, items: list[Item]) -> None:
        issuances: dict[str, Item] = {}
        derived: dict[str, Item] = {}  # security id -> the terminal transaction that names it
        for it in items:
            t = it.type
            if t == "TX_STOCK_ISSUANCE":
                issuances.setdefault(it.data["security_id"], it)
            elif t in TERMINAL:
                for sid in [
                    *it.data.get("resulting_security_ids", ()),
                    it.data.get("balance_security_id") or "",
                ]:
                    if sid:  # named twice: the second opening is refused, if both chains are placed
                        derived.setdefault(sid, it)
        self._derived = derived
        self._issuances = issuances
        splits = {
            it.id: (it.data["date"], i) for i, it in enumerate(items) if it.type == "TX_STOCK_CLASS_SPLIT"
        }

        def key(pair):
            i, it = pair
            d = it.data["date"]
            split = splits.get(it.data.get("split_transaction_id") or "")
            if it.type == "TX_STOCK_REISSUANCE" and split and split[0] == d and split[1] > i:
                return (d, split[1] + 0.5)
            return (d, i)

        for i, it in sorted(enumerate(items), key=key):
            t = it.type
            self._pos = self.position(it) if self.position is not None else i
            if t == "TX_STOCK_ISSUANCE":
                if it.data["security_id"] in derived or id(it) in self._done:
                    continue  # opened by the transaction that names it, or already by one acting on it
                self._new_issue(it)
            elif t in TERMINAL:
                self._terminal(it)
            elif t == "TX_STOCK_CLASS_SPLIT":
                self._split(it)
            elif t == "TX_STOCK_ACCEPTANCE":
                pass  # the holder accepted the security: no change to holdings

    def _new_issue(self, it: Item) -> None:
        self._done.add(id(it))
        sec = self._open(it, None)
        if sec is not None:
            self._emit(it, self.issue(it, sec))
            sec.on_ledger = bool(sec.cert)

    def _emit(self, it: Item, body: Body) -> None:
        self.ops.append(Op(day(it.data["date"]), body, it, self._pos, len(self.ops)))

    def _results(self, it: Item, src: Security) -> list[Security] | None:
        out = []
        for sid in it.data.get("resulting_security_ids", ()):
            iss = self._issuances.get(sid)
            if iss is None:
                self._bad(it, ".resulting_security_ids", f"resulting security {sid} has no TX_STOCK_ISSUANCE")
                return None
            sec = self._open(iss, it)
            if sec is None:
                return None
            out.append(sec)
        return out

    def _balance(self, it: Item, src: Security, taken: int) -> Security | None | bool:
        """The balance security (None if there is none); False after a reported inconsistency."""
        sid = it.data.get("balance_security_id") or ""
        rest = src.qty - taken
        if not sid:
            if rest:
                self._bad(
                    it,
                    "",
                    f"acts on {taken:,} of the {src.qty:,} shares of {src.id} but names no balance_security_id",
                )
                return False
            return None
        iss = self._issuances.get(sid)
        if iss is None:
            self._bad(it, ".balance_security_id", f"balance security {sid} has no TX_STOCK_ISSUANCE")
            return False
        bal = self._open(iss, it)
        if bal is None:
            return False
        if (bal.holder, bal.cls, bal.qty) != (src.holder, src.cls, rest):
            self._bad(
                it,
                ".balance_security_id",
                f"balance security {sid} should be {rest:,} {src.cls} shares of {src.holder}, "
                f"not {bal.qty:,} {bal.cls} shares of {bal.holder}",
            )
            return False
        return bal

    def _unplace(self, it: Item) -> None:
        for sid in [*it.data.get("resulting_security_ids", ()), it.data.get("balance_security_id") or ""]:
            if sid:
                self.unplaced.add(sid)

    def _terminal(self, it: Item) -> None:  # noqa: C901 - one branch per transaction type
        d, t = it.data, it.type
        sid = d["security_id"]
        src = self.securities.get(sid)
        iss = self._issuances.get(sid)
        if (
            src is None
            and iss is not None
            and sid not in self._derived
            and id(iss) not in self._done
            and iss.data["date"] == d["date"]
        ):  # issued the same day, listed after what acts on it
            self._new_issue(iss)
            src = self.securities.get(sid)
        if src is None:
            why = "is not in the package" if sid not in self.unplaced else "could not be placed on the ledger"
            self._unresolved(it, f"security {sid} {why}")
            self._unplace(it)
            return
        if src.status != "outstanding":
            self._bad(it, ".security_id", f"security {sid} was already retired by {_by(src)}")
            return
        if t == "TX_STOCK_RETRACTION" or t == "TX_STOCK_REISSUANCE":
            taken = src.qty
        else:
            taken = self._qty(it, "quantity_converted" if t == "TX_STOCK_CONVERSION" else "quantity")
            if taken is None:
                return
            if taken > src.qty:
                self._bad(it, "", f"acts on {taken:,} shares but security {sid} holds {src.qty:,}")
                return
        results = self._results(it, src) if "resulting_security_ids" in d else []
        if results is None:
            return
        bal = None if t in ("TX_STOCK_RETRACTION", "TX_STOCK_REISSUANCE") else self._balance(it, src, taken)
        if bal is False:
            return
        cert = src.cert if src.on_ledger else None
        if t == "TX_STOCK_TRANSFER":
            if sum(r.qty for r in results) != taken or any(r.cls != src.cls for r in results):
                self._bad(
                    it,
                    ".resulting_security_ids",
                    f"the resulting securities are not {taken:,} {src.cls} shares",
                )
                return
            for k, r in enumerate(results):
                single = len(results) == 1
                self._emit(
                    it,
                    SharesTransferred(
                        src.holder,
                        r.holder,
                        src.cls,
                        r.qty,
                        None,
                        cert if k == 0 else None,
                        r.cert,
                        bal.cert if (single and bal is not None and cert) else None,
                    ),
                )
                r.on_ledger = True
            if bal is not None:
                bal.on_ledger = len(results) == 1 and cert is not None
        elif t in ("TX_STOCK_CANCELLATION", "TX_STOCK_RETRACTION"):
            reason = d.get("reason_text") or ""
            if t == "TX_STOCK_RETRACTION":
                reason = "retracted" + (f": {reason}" if reason else "")
            self._emit(it, SharesCancelled(src.holder, src.cls, taken, None, cert, reason or None))
        elif t == "TX_STOCK_REPURCHASE":
            self._emit(
                it, SharesRepurchased(src.holder, src.cls, taken, number(d["price"]["amount"]), None, cert)
            )
        elif t == "TX_STOCK_CONVERSION":
            self._convert(it, src, taken, results)
        elif t == "TX_STOCK_REISSUANCE":
            self._reissue(it, src, results)
        src.status, src.retired_by = "retired", it

    def _convert(self, it: Item, src: Security, taken: int, results: list[Security]) -> None:
        groups: dict[tuple[str, str], int] = {}
        for r in results:
            groups[(r.holder, r.cls)] = groups.get((r.holder, r.cls), 0) + r.qty
        total = sum(groups.values())
        done = 0
        for k, ((holder, cls), n) in enumerate(groups.items()):
            share = taken - done if k == len(groups) - 1 else taken * n // max(total, 1)
            done += share
            self._emit(it, SharesConverted(src.holder, src.cls, share, cls, n))
            if holder != src.holder:
                self._emit(it, SharesTransferred(src.holder, holder, cls, n))
        if not results:
            self._emit(it, SharesCancelled(src.holder, src.cls, taken, None, None, "converted into nothing"))

    def _reissue(self, it: Item, src: Security, results: list[Security]) -> None:
        for r in results:
            if r.cls != src.cls:
                self._bad(
                    it, ".resulting_security_ids", f"resulting security {r.id} is {r.cls}, not {src.cls}"
                )
                return
        for r in results:
            if r.holder != src.holder:
                self._emit(it, SharesTransferred(src.holder, r.holder, src.cls, r.qty))
        diff = sum(r.qty for r in results) - src.qty
        if diff:
            self.report.warn(
                it.file,
                it.label,
                f"$.items[{it.index}].resulting_security_ids",
                f"reissues {src.qty:,} shares of {src.id} as {src.qty + diff:,}: the difference is recorded as "
                + ("an issuance" if diff > 0 else "a cancellation"),
                "MB-OCF-REISSUANCE-QUANTITY",
            )
            if diff > 0:
                self._emit(it, SharesIssued(src.holder, src.cls, diff, Decimal(0), Decimal(0)))
            else:
                self._emit(
                    it, SharesCancelled(src.holder, src.cls, -diff, None, None, "reissued as fewer shares")
                )

    def _split(self, it: Item) -> None:
        d = it.data
        cls = self.classes.get(d["stock_class_id"])
        if cls is None:
            self._unresolved(it, f"stock class {d['stock_class_id']!r} is not in the package")
            return
        ratio = Fraction(d["split_ratio"]["numerator"]) / Fraction(d["split_ratio"]["denominator"])
        if ratio <= 0 or ratio == 1:
            self._bad(it, ".split_ratio", f"a split ratio of {ratio} changes nothing or is not positive")
            return
        self._emit(it, StockSplit(cls, ratio.denominator, ratio.numerator))
        by_holder: dict[str, list[Security]] = {}
        for s in self.securities.values():
            if s.cls == cls and s.status == "outstanding":
                by_holder.setdefault(s.holder, []).append(s)
        for secs in by_holder.values():
            secs.sort(key=lambda s: s.order)
            for s, q in zip(
                secs, allocate_split([s.qty for s in secs], ratio.numerator, ratio.denominator), strict=True
            ):
                s.qty = q
