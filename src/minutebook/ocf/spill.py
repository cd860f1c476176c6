"""The package's transactions between the event pass and `Transactions.ocf.json`: written to a scratch file as the
pass makes them (one compact JSON line each), then read back in the package's order and renumbered, one at a
time — never all in memory.

The order is the exporter's: by date (stable), the authorized-share adjustments of a date first, then the stock
and equity transactions in the order of the events, then what an OCF import kept. The pass makes transactions
nearly in date order (a vesting start may carry another date): the scratch file keeps each line's offset and date,
and is read in sorted order only when it is not already in it.

Ids are renumbered in the order of the package (`Renumber`): a generated transaction id `TX-<seq>-<n>` becomes
`TX-<position>`, a generated security id `SEC-<seq>-<n>` the next `SEC-NNNNNN` no certificate uses, a split's
reissuances name their split by its new id. What the renumbering needs from all transactions first (the certificate
numbers of the form `SEC-…` already used, the split ids referred to) is noted as each line is written.

An exercise or conversion names the security it results in when the stock is issued, in a later event
(`equity_out.EquityOut.issued` appends to its `resulting_security_ids`, and changes nothing else of it): once written,
such a transaction is cut down in memory to that list, and a list that grew (`reopened`) replaces its line's when read
back.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from heapq import merge
from pathlib import Path

import orjson

GENERATED_TX = re.compile(r"TX-\d{6}-e?\d+")
GENERATED_SEC = re.compile(r"SEC-\d{6}-\d+")
# the transactions `equity_out.EquityOut` may still add a resulting security to after their event
REOPENABLE = frozenset(
    {
        "TX_EQUITY_COMPENSATION_EXERCISE",
        "TX_EQUITY_COMPENSATION_RELEASE",
        "TX_WARRANT_EXERCISE",
        "TX_CONVERTIBLE_CONVERSION",
    }
)
_MARK = "\x00line"  # a reopenable transaction's line number, in the dict the pass still holds


class Spill:
    """Transactions in the order the event pass makes them, on disk."""

    def __init__(self, path: Path, kept_keys: frozenset[tuple[str, str]] = frozenset()):
        self._f = open(path, "w+b")  # noqa: SIM115 - closed by `close`
        self._pos = 0
        self.offsets = array("q")
        self._day = array("l")  # an index into `_dates`, a date string each
        self._dates: dict[str, int] = {}
        self._last = ""
        self.in_order = True
        self.patches: dict[int, dict] = {}
        self.taken: set[str] = set()  # certificate numbers that read like `SEC-…` (a new number skips them)
        self.split_refs: set[str] = set()  # the split transaction ids reissuances name
        self.kept_keys = kept_keys  # (object type, id) of what an import kept
        self.clashes: set[tuple[str, str]] = set()  # ... of those, the ones a transaction here also has

    def __len__(self) -> int:
        return len(self.offsets)

    def note(self, t: dict, kept: bool = False) -> None:
        """What the renumbering needs to know of `t` before any transaction is renumbered (`kept`: `t` is one an
        import kept, not a transaction of this package's own)."""
        for k in ("security_id", "balance_security_id"):
            v = t.get(k)
            if v and v.startswith("SEC-") and not GENERATED_SEC.fullmatch(v):
                self.taken.add(v)
        for v in t.get("resulting_security_ids", ()):
            if v.startswith("SEC-") and not GENERATED_SEC.fullmatch(v):
                self.taken.add(v)
        if "split_transaction_id" in t:
            self.split_refs.add(t["split_transaction_id"])
        if self.kept_keys and not kept and (t["object_type"], t["id"]) in self.kept_keys:
            self.clashes.add((t["object_type"], t["id"]))

    def add(self, t: dict) -> None:
        line = orjson.dumps(t) + b"\n"
        i = len(self.offsets)
        self.offsets.append(self._pos)
        self._f.write(line)
        self._pos += len(line)
        on = t["date"]
        code = self._dates.get(on)
        if code is None:
            code = self._dates[on] = len(self._dates)
        self._day.append(code)
        if on < self._last:
            self.in_order = False
        else:
            self._last = on
        self.note(t)
        if t["object_type"] in REOPENABLE:  # only its resulting securities may still change: keep just those
            rs = t["resulting_security_ids"]
            t.clear()
            t[_MARK], t["resulting_security_ids"] = i, rs

    def reopened(self, t: dict) -> None:
        """`t`, already written, was changed by a later event: its final form replaces its line."""
        i = t.get(_MARK)
        if i is not None:
            self.patches[i] = t

    def ordered(self) -> Iterator[tuple[str, dict]]:
        """(date, transaction) in date order, stable."""
        self._f.flush()
        self._f.seek(0)
        n = len(self.offsets)
        if self.in_order:
            f = self._f
            for i in range(n):
                line = f.readline()
                t = self.patches.get(i)
                yield self._final(line, t)
            return
        rank = {code: r for r, (_, code) in enumerate(sorted(self._dates.items()))}
        day = self._day
        order = sorted(range(n), key=lambda i: rank[day[i]])
        f, offsets = self._f, self.offsets
        for i in order:
            f.seek(offsets[i])
            yield self._final(f.readline(), self.patches.get(i))

    @staticmethod
    def _final(line: bytes, patched: dict | None) -> tuple[str, dict]:
        t = orjson.loads(line)
        if patched is not None:
            t["resulting_security_ids"] = list(patched["resulting_security_ids"])
        return t["date"], t

    def close(self) -> None:
        self._f.close()


def package_order(adjustments: list[dict], spill: Spill, kept: list[dict]) -> Iterator[dict]:
    """The transactions in the package's order: by date, a date's adjustments first, then the events' transactions,
    then the kept ones (each group already in its own stable order)."""
    a = ((t["date"], 0, t) for t in sorted(adjustments, key=lambda t: t["date"]))
    s = ((on, 1, t) for on, t in spill.ordered())
    k = ((t["date"], 2, t) for t in sorted(kept, key=lambda t: t["date"]))
    for _, _, t in merge(a, s, k, key=lambda x: (x[0], x[1])):
        yield t


class Renumber:
    """The renumbering, one transaction at a time in the package's order. `taken`: certificate numbers that
    read like `SEC-…`; `split_refs`: the transaction ids a reissuance names as its split; `known`: new ids of those,
    when a first run found a reissuance before its split (`forward` then says so)."""

    def __init__(self, taken: set[str], split_refs: set[str], known: dict[str, str] | None = None):
        self.taken, self.split_refs = taken, split_refs
        self.tx_ids: dict[str, str] = dict(known or {})
        self._known = known is not None
        self.sec_ids: dict[str, str] = {}
        self.n = 0
        self.k = 0
        self.forward = False

    def _sec(self, x: str) -> str:
        if not GENERATED_SEC.fullmatch(x):
            return x
        new = self.sec_ids.get(x)
        if new is None:
            while True:
                self.n += 1
                new = f"SEC-{self.n:06d}"
                if new not in self.taken:
                    break
            self.sec_ids[x] = new
        return new

    def __call__(self, t: dict) -> dict:
        self.k += 1
        old = t["id"]
        if GENERATED_TX.fullmatch(old):
            t["id"] = f"TX-{self.k:06d}"
            if old in self.split_refs and not self._known:
                self.tx_ids[old] = t["id"]
        for key in ("security_id", "balance_security_id", "custom_id"):
            if key in t:
                t[key] = self._sec(t[key])
        if "resulting_security_ids" in t:
            t["resulting_security_ids"] = [self._sec(x) for x in t["resulting_security_ids"]]
        ref = t.get("split_transaction_id")
        if ref is not None:
            if ref in self.tx_ids:
                t["split_transaction_id"] = self.tx_ids[ref]
            elif GENERATED_TX.fullmatch(ref):
                self.forward = True  # named before it comes: a second run knows its new id
        return t
