"""The stock papers: a stock certificate as issued (§158, its legends noted conspicuously, §202(a), and the
§151(f) statement where there is more than one class or series), the notice to the registered owner of
uncertificated shares (§151(f)), a holder's extract of the stock ledger (§224), and the secretary's certificate
of incumbency, charter and resolutions used at closings.

Drawn for a certificate number (``C-1``, or ``common:C-1`` where numbers repeat across classes), a holder id,
or board resolution ids; every name, share count, class, par value, legend and officer comes from the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.charter import CharterVersion, article_label
from ..core.errors import InputError
from ..core.events import (
    BoardActed,
    Correction,
    Event,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StockSplit,
)
from ..core.findings import Severity
from ..core.replay import HOLDER_TYPES, holder_at
from . import facts
from .board import _directors_then, resolutions
from .papers import Paper, kind, no_such, not_for

# --- numbers in words ------------------------------------------------------------------------------------------

_ONES = (
    *("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"),
    *("Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"),
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_SCALES = ("", "Thousand", "Million", "Billion", "Trillion", "Quadrillion", "Quintillion")


def _under_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_ONES[n // 100]} Hundred")
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n:
        words.append(_ONES[n])
    return " ".join(words)


def number_words(n: int) -> str:
    """A whole number in words, as a certificate writes it: 1,250,000 -> "One Million Two Hundred Fifty
    Thousand"; 0 -> "Zero"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise InputError(f"not a whole number: {n!r}")
    if n < 0:
        return "Minus " + number_words(-n)
    if n == 0:
        return _ONES[0]
    groups = []
    while n:
        n, rest = divmod(n, 1000)
        groups.append(rest)
    if len(groups) > len(_SCALES):
        raise InputError(f"{n:,} is too large to write in words")
    parts = [f"{_under_thousand(g)} {_SCALES[i]}".strip() for i, g in reversed(list(enumerate(groups))) if g]
    return " ".join(parts)


# --- the stock's description in the charter ------------------------------------------------------------------


def stock_terms(v: CharterVersion, class_key: str, series_key: str | None) -> dict:
    """The class (and series) as the charter version `v` names them: names, par value, and whether the
    corporation has more than one class or series (the §151(f) statement is then needed)."""
    cap = v.capital
    cls = cap.cls(class_key) if cap is not None else None
    series = None
    if cls is not None and series_key is not None:
        series = next((s for s in cls.series if s.key == series_key), None)
    classes = cap.classes if cap is not None else ()
    several = len(classes) > 1 or any(c.series for c in classes)
    par = facts.par(cls.par_value, cls.no_par) if cls is not None else "par value not stated in the charter"
    return {
        "class_key": class_key,
        "class_name": cls.name if cls is not None else class_key,
        "series_key": series_key,
        "series_name": (series.name if series is not None else series_key) if series_key else None,
        "par_value": cls.par_value if cls is not None else None,
        "no_par": bool(cls.no_par) if cls is not None else False,
        "par_text": par,
        "in_charter": cls is not None,
        "several": several,
        "classes": [c.name for c in classes],
    }


def cash(d: Decimal | None) -> str:
    """A sum of money as a paper prints it: "$4,000.00" for Decimal("4000.000"), a price's own places kept
    ("$0.001")."""
    if d is None:
        return facts.money(d)
    d = Decimal(d)
    cents = d.quantize(Decimal("0.01"))
    return facts.money(cents if cents == d else d)


_latest = facts.latest


def _holder_name(book, holder_id: str, on: date, people: list[Event] | None = None) -> tuple[str, str | None]:
    """The holder's name and address on `on`, from the holders' events (`people`: those read once, up to `on` or
    later, by a paper that names many; else read here)."""
    evs = people if people is not None else book.history().events(on, HOLDER_TYPES)
    h = holder_at(evs, holder_id, on) or book.holders.get(holder_id)
    return (h.name, h.address) if h is not None else (holder_id, None)


def _people(book, on: date) -> list[Event]:
    """The holders' events up to `on` (their names and addresses then), read once by a paper that names several."""
    return list(book.history().events(on, HOLDER_TYPES))


def _need_holder(book, act: str) -> str:
    hid = act.strip()
    if hid not in book.holders:
        raise no_such("holder", hid, list(book.holders))
    return hid


# --- stock-certificate ----------------------------------------------------------------------------------------


def _find_certificate(book, act: str):
    """The register entry named by its number, "class:number", or "event N" (the event that issued it). A
    certificate's number comes first: certificate "1" is not event 1."""
    register = book.certificates()
    cls, _, number = act.strip().rpartition(":")
    hits = [c for c in register if c.number == number.strip() and (not cls or c.class_key == cls.strip())]
    if not hits and facts.find_event(book, act) is not None:
        seq = int(act.strip().lower().removeprefix("event").strip().lstrip("#"))
        hits = [c for c in register if c.seq == seq]
        if not hits:
            raise not_for("stock-certificate", act, "an event that issued no stock certificate")
    if not hits:
        raise no_such("stock certificate", act, sorted({c.number for c in register}))
    if len(hits) > 1:
        which = "; ".join(
            f"{c.class_key}:{c.number} ({c.holder_id}, issued {c.issued_on.isoformat()})" for c in hits
        )
        raise InputError(
            f"stock-certificate: {act!r} names {len(hits)} certificates ({which}); name one as CLASS:NUMBER"
        )
    return hits[0]


def _defects(book, seq: int | None, on: date) -> list[str]:
    """What `check` finds wrong with the event `seq` (warnings and errors), as the board's papers show them."""
    return [
        f.format()
        for f in book.check(as_of=on)
        if dict(f.data).get("event") == seq and f.severity != Severity.INFO
    ]


_ENDING = (SharesTransferred.TYPE, SharesCancelled.TYPE, SharesRepurchased.TYPE)
_ENDED = {"surrendered": "surrendered", "cancelled": "cancelled", "repurchased": "surrendered on repurchase"}


def _end_event(book, c) -> Event | None:
    """The event that surrendered or cancelled certificate `c` (on its end date): of the acts naming its number up to
    that date, streamed from the store."""
    for e in book.history().events(c.ended_on, _ENDING, naming=c.number):
        b = e.body
        if e.effective_on != c.ended_on or not isinstance(
            b, SharesTransferred | SharesCancelled | SharesRepurchased
        ):
            continue
        if b.certificate == c.number and b.class_key == c.class_key:
            return e
    return None


@kind(
    "stock-certificate",
    "Stock Certificate",
    "stock",
    "a certificate number (C-1, or CLASS:C-1) or the event N that issued it",
    cites=("8 Del. C. § 158", "8 Del. C. § 202(a)", "8 Del. C. § 151(f)"),
)
def stock_certificate(book, act, as_of) -> Paper:
    c = _find_certificate(book, act)
    on = c.issued_on
    # as issued: the register on its issue date (a later split restates the shares of one outstanding)
    first = next(
        (x for x in book.certificates(on, c.class_key) if x.number == c.number and x.seq == c.seq), c
    )
    issued_by = book.event(c.seq) if c.seq is not None else None
    terms = stock_terms(facts.charter_on(book, on), c.class_key, c.series_key)
    name, address = _holder_name(book, c.holder_id, on)
    origin: dict = {"event": c.seq}
    fully_paid = True
    if issued_by is not None and isinstance(issued_by.body, SharesIssued):
        b = issued_by.body
        origin.update(
            how="issued",
            consideration=cash(b.consideration),
            kind=b.consideration_kind,
            approved_by=b.approved_by,
        )
        if terms["par_value"] is not None and not terms["no_par"]:
            fully_paid = b.consideration >= terms["par_value"] * b.shares
    elif issued_by is not None and isinstance(issued_by.body, SharesTransferred):
        b = issued_by.body
        fr, _ = _holder_name(book, b.from_holder, on)
        balance = b.balance_certificate == c.number and b.from_holder == c.holder_id
        origin.update(
            how="balance" if balance else "transfer",
            from_name=fr,
            surrendered=b.certificate,
        )
    ended = None
    if c.status != "outstanding":
        end = _end_event(book, c)
        ended = {
            "status": _ENDED.get(c.status, c.status),
            "on": c.ended_on,
            "event": end.seq if end else None,
        }
    ctx = {
        "corp": facts.corporation(book, on),
        "on": on,
        "number": c.number,
        "holder": {"id": c.holder_id, "name": name, "address": address},
        "shares": first.shares,
        "shares_words": number_words(first.shares),
        "restated": c.shares if c.shares != first.shares else None,
        "stock": terms,
        "legends": list(c.legends),
        "signers": facts.officer_signers(book, on),
        "fully_paid": fully_paid,
        "origin": origin,
        "ended": ended,
        "findings": _defects(book, c.seq, on),
    }
    return Paper(
        "stock-certificate",
        "Stock Certificate",
        "stock-certificate.html.j2",
        ctx,
        act=c.number
        if sum(x.number == c.number for x in book.certificates()) == 1
        else f"{c.class_key}:{c.number}",
        on=on,
        cites=("8 Del. C. § 158", "8 Del. C. § 202(a)", "8 Del. C. § 151(f)"),
    )


# --- uncertificated-notice ------------------------------------------------------------------------------------


def _acquisitions(
    book, holder_id: str, as_of: date, class_key: str, series_key: str | None, people: list[Event]
) -> list[dict]:
    """How the holder came by uncertificated shares of a class: issuances and transfers in with no
    certificate, conversions into the class, in date order, with the legends each issuance records."""
    out = []
    want = (class_key, series_key)
    # the holder's acts, streamed from the store in effective order (those naming them: `_CAME_BY`)
    for e in book.history().events(as_of, _CAME_BY, naming=holder_id):
        b, entry = e.body, None
        if isinstance(b, SharesIssued) and b.holder_id == holder_id and not b.certificate:
            if (b.class_key, b.series_key) == want:
                entry = ("issued", b.shares, list(b.legends))
        elif isinstance(b, SharesTransferred) and b.to_holder == holder_id and not b.new_certificate:
            if (b.class_key, b.series_key) == want:
                fr, _ = _holder_name(book, b.from_holder, e.effective_on, people)
                entry = (f"transferred from {fr}", b.shares, [])
        elif (
            isinstance(b, SharesConverted) and b.holder_id == holder_id and (b.to_class, b.to_series) == want
        ):
            entry = (f"converted from {b.from_shares:,} shares of {b.from_class}", b.to_shares, [])
        if entry is not None:
            how, n, legends = entry
            out.append({"on": e.effective_on, "how": how, "shares": n, "event": e.seq, "legends": legends})
    return out


_CAME_BY = (SharesIssued.TYPE, SharesTransferred.TYPE, SharesConverted.TYPE)


def uncertificated_holdings(
    book, holder_id: str, as_of: date, people: list[Event] | None = None
) -> list[dict]:
    """The holder's uncertificated shares on `as_of`, by class and series: the shares the ledger gives them less
    those on certificates outstanding in their name. (`people`: the holders' events up to `as_of`, if read.)"""
    if people is None:
        people = _people(book, as_of)
    st = book.state(as_of)
    on_certs: dict[tuple[str, str | None], int] = {}
    for c in book.certificates(as_of):
        if c.holder_id == holder_id and c.status == "outstanding":
            k = (c.class_key, c.series_key)
            on_certs[k] = on_certs.get(k, 0) + c.shares
    v = facts.charter_on(book, as_of)
    out = []
    for (h, cls, series), n in sorted(st.balances.items(), key=lambda kv: (kv[0][1], kv[0][2] or "")):
        if h != holder_id:
            continue
        free = n - on_certs.get((cls, series), 0)
        if free <= 0:
            continue
        got = _acquisitions(book, holder_id, as_of, cls, series, people)
        legends = list(dict.fromkeys(x for a in got for x in a["legends"]))
        out.append(
            {
                "stock": stock_terms(v, cls, series),
                "shares": free,
                "shares_words": number_words(free),
                "held": n,
                "on_certificates": on_certs.get((cls, series), 0),
                "acquired": got,
                "legends": legends,
            }
        )
    return out


@kind(
    "uncertificated-notice",
    "Notice of Issuance of Uncertificated Shares",
    "stock",
    "a holder's id (with --as-of, the date the notice speaks as of; default the book's latest date)",
    cites=("8 Del. C. § 151(f)", "8 Del. C. § 202(a)"),
)
def uncertificated_notice(book, act, as_of) -> Paper:
    hid = _need_holder(book, act)
    on = as_of or _latest(book)
    people = _people(book, on)
    holdings = uncertificated_holdings(book, hid, on, people)
    if not holdings:
        certs = [c.number for c in book.certificates(on) if c.holder_id == hid and c.status == "outstanding"]
        what = (
            f"a holder whose shares on {on.isoformat()} are all on certificates ({', '.join(certs)})"
            if certs
            else f"a holder of no shares on {on.isoformat()}"
        )
        raise not_for("uncertificated-notice", hid, what, ("stock-certificate",) if certs else ())
    name, address = _holder_name(book, hid, on, people)
    officers = facts.officers(book, on)
    secretary = next((o for o in officers if o["title"].lower() == "secretary"), None)
    signer = secretary or facts.officer_signers(book, on, 1)[0]
    ctx = {
        "corp": facts.corporation(book, on),
        "on": on,
        "holder": {"id": hid, "name": name, "address": address},
        "holdings": holdings,
        "several": any(h["stock"]["several"] for h in holdings),
        "signer": signer,
    }
    return Paper(
        "uncertificated-notice",
        "Notice of Issuance of Uncertificated Shares",
        "uncertificated-notice.html.j2",
        ctx,
        act=hid,
        as_of=on,
        on=on,
        cites=("8 Del. C. § 151(f)", "8 Del. C. § 202(a)"),
    )


# --- holder-ledger --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    on: date
    event: int | None
    what: str
    class_key: str
    series_key: str | None
    change: int
    certificates: str = ""
    consideration: str = ""


_LEDGER_ROWS = (*_CAME_BY, SharesCancelled.TYPE, SharesRepurchased.TYPE, StockSplit.TYPE)  # and the splits


def _ledger_rows(
    book, hid: str, as_of: date, people: list[Event]
) -> tuple[list[dict], list[tuple[str, str | None]]]:
    """Every ledger event touching the holder up to `as_of`, with their shares by class and series after it."""
    bal: dict[tuple[str, str | None], int] = {}
    rows: list[tuple[_Row, dict]] = []
    keys: list[tuple[str, str | None]] = []

    def name(h: str, on: date) -> str:
        return _holder_name(book, h, on, people)[0]

    def add(r: _Row) -> None:
        k = (r.class_key, r.series_key)
        if k not in keys:
            keys.append(k)
        bal[k] = bal.get(k, 0) + r.change
        rows.append((r, dict(bal)))

    # the holder's acts and the splits, streamed from the store in effective order
    for e in book.history().events(as_of, _LEDGER_ROWS, naming=hid, unnamed=(StockSplit.TYPE,)):
        b, on = e.body, e.effective_on
        if isinstance(b, SharesIssued) and b.holder_id == hid:
            how = "issued from treasury" if b.from_treasury else "issued"
            paid = f"{cash(b.consideration)} ({b.consideration_kind})"
            add(
                _Row(on, e.seq, how, b.class_key, b.series_key, b.shares, b.certificate or "book entry", paid)
            )
        elif isinstance(b, SharesTransferred) and hid in (b.from_holder, b.to_holder):
            price = "" if b.price_per_share is None else f"{cash(b.price_per_share)} per share"
            if b.from_holder == hid:
                certs = ", ".join(
                    x
                    for x in (
                        f"{b.certificate} surrendered" if b.certificate else "",
                        f"{b.balance_certificate} issued for the balance" if b.balance_certificate else "",
                    )
                    if x
                )
                add(
                    _Row(
                        on,
                        e.seq,
                        f"transferred to {name(b.to_holder, on)}",
                        b.class_key,
                        b.series_key,
                        -b.shares,
                        certs or "book entry",
                        price,
                    )
                )
            if b.to_holder == hid:
                add(
                    _Row(
                        on,
                        e.seq,
                        f"transferred from {name(b.from_holder, on)}",
                        b.class_key,
                        b.series_key,
                        b.shares,
                        b.new_certificate or "book entry",
                        price,
                    )
                )
        elif isinstance(b, SharesCancelled) and b.holder_id == hid:
            why = f"cancelled ({b.reason})" if b.reason else "cancelled"
            add(_Row(on, e.seq, why, b.class_key, b.series_key, -b.shares, b.certificate or "book entry"))
        elif isinstance(b, SharesRepurchased) and b.holder_id == hid:
            paid = f"{cash(b.price_per_share * b.shares)} paid ({cash(b.price_per_share)} per share)"
            add(
                _Row(
                    on,
                    e.seq,
                    "repurchased by the Corporation",
                    b.class_key,
                    b.series_key,
                    -b.shares,
                    b.certificate or "book entry",
                    paid,
                )
            )
        elif isinstance(b, SharesConverted) and b.holder_id == hid:
            add(
                _Row(
                    on,
                    e.seq,
                    f"converted into {b.to_shares:,} shares of {b.to_class}",
                    b.from_class,
                    b.from_series,
                    -b.from_shares,
                )
            )
            add(
                _Row(
                    on,
                    e.seq,
                    f"received on conversion of {b.from_shares:,} shares of {b.from_class}",
                    b.to_class,
                    b.to_series,
                    b.to_shares,
                )
            )
        elif isinstance(b, StockSplit):
            for k in list(keys):
                if (
                    k[0] != b.class_key
                    or (b.series_key is not None and k[1] != b.series_key)
                    or not bal.get(k)
                ):
                    continue
                new = bal[k] * b.to_shares // b.from_shares
                what = "split" if b.to_shares > b.from_shares else "reverse split"
                add(
                    _Row(on, e.seq, f"{what} {b.to_shares:,} for {b.from_shares:,}", k[0], k[1], new - bal[k])
                )
    out = [
        {
            "on": r.on,
            "event": r.event,
            "what": r.what,
            "class_key": r.class_key,
            "series_key": r.series_key,
            "change": r.change,
            "certificates": r.certificates,
            "consideration": r.consideration,
            "after": [after.get(k, 0) for k in keys],
        }
        for r, after in rows
    ]
    return out, keys


@kind(
    "holder-ledger",
    "Extract of the Stock Ledger",
    "stock",
    "a holder's id (with --as-of, the date the extract runs to; default the book's latest date)",
    cites=("8 Del. C. § 219(c)", "8 Del. C. § 224"),
)
def holder_ledger(book, act, as_of) -> Paper:
    hid = _need_holder(book, act)
    on = as_of or _latest(book)
    v = facts.charter_on(book, on)
    people = _people(book, on)
    rows, keys = _ledger_rows(book, hid, on, people)
    columns = []
    for cls, series in keys:
        t = stock_terms(v, cls, series)
        columns.append(t["class_name"] + (f", {t['series_name']}" if t["series_name"] else ""))
    labels = dict(zip(keys, columns, strict=True))
    for r in rows:
        r["class_name"] = labels[(r["class_key"], r["series_key"])]
    name, address = _holder_name(book, hid, on, people)
    h = book.holders[hid]
    certs = [c for c in book.certificates(on) if c.holder_id == hid and c.status == "outstanding"]
    ctx = {
        "corp": facts.corporation(book, on),
        "on": on,
        "holder": {"id": hid, "name": name, "address": address, "kind": h.kind, "email": h.email},
        "rows": rows,
        "columns": columns,
        "totals": rows[-1]["after"] if rows else [0 for _ in columns],
        "certificates": [
            {
                "number": c.number,
                "class_name": labels.get((c.class_key, c.series_key), c.class_key),
                "shares": c.shares,
                "issued_on": c.issued_on,
            }
            for c in certs
        ],
        "secretary": next((o for o in facts.officers(book, on) if o["title"].lower() == "secretary"), None),
    }
    return Paper(
        "holder-ledger",
        "Extract of the Stock Ledger",
        "holder-ledger.html.j2",
        ctx,
        act=hid,
        as_of=on,
        on=on,
        cites=("8 Del. C. § 219(c)", "8 Del. C. § 224"),
    )


# --- secretary-certificate ------------------------------------------------------------------------------------


def _board_resolutions(book) -> dict[str, tuple[Event, dict]]:
    out: dict[str, tuple[Event, dict]] = {}
    for e in facts.recorded(book, BoardActed):
        if isinstance(e.body, BoardActed):
            for i, r in enumerate(e.body.resolutions, 1):
                out[str(r.get("id") or f"{e.body.action_id}-{i}")] = (e, r)
    return out


def _voided(book, rid: str) -> Event | None:
    """The `Correction` that voided the board action holding resolution `rid` (it is then out of the history): of the
    corrections (few), those voiding an event, each voided event read from the store as recorded."""
    history = book.history()
    for seq, fix in sorted(history.corrected_by().items()):
        if fix.body.voids:
            e = history.one(seq)
            acted = e.body.resolutions if e is not None and isinstance(e.body, BoardActed) else ()
            if any(str(r.get("id")) == rid for r in acted):
                return fix
    return None


def _mentions(value, rid: str) -> bool:
    if isinstance(value, str):
        return value == rid or re.search(rf"(?<![\w-]){re.escape(rid)}(?![\w-])", value) is not None
    if isinstance(value, dict):
        return any(_mentions(v, rid) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions(v, rid) for v in value)
    return False


def later_changes(book, e: Event, rid: str, on: date) -> list[str]:
    """What the book records, after resolution `rid` (of board action `e`) and on or before `on`, that may have
    amended or rescinded it: a correction of the action, or a later board resolution naming it."""
    out = []
    for x in book.history().events(on, (Correction.TYPE, BoardActed.TYPE)):  # in effective order
        b = x.body
        if isinstance(b, Correction) and b.corrects == e.seq:
            out.append(
                f"the board action {e.body.action_id} was corrected on {facts.long_date(x.effective_on)} "
                f"(event {x.seq}): {b.reason}"
            )
        elif isinstance(b, BoardActed) and x.sort_key() > e.sort_key():
            for r in b.resolutions:
                if _mentions(r.get("text"), rid) or _mentions(r.get("params"), rid):
                    kind_ = str(r.get("kind") or "general").replace("_", " ")
                    out.append(
                        f"resolution {r.get('id')} ({kind_}) of {b.action_id}, adopted on "
                        f"{facts.long_date(x.effective_on)} (event {x.seq}), refers to it: “{r.get('text') or ''}”"
                    )
    return out


@kind(
    "secretary-certificate",
    "Secretary’s Certificate",
    "stock",
    "the board resolutions to certify, comma-separated (R-1,R-2; a board action's id names all of its "
    "resolutions), and/or --as-of, the certificate's date",
    needs="either",
    cites=("8 Del. C. § 142(a)", "8 Del. C. § 141(b)", "8 Del. C. § 141(f)"),
)
def secretary_certificate(book, act, as_of) -> Paper:
    known = _board_resolutions(book)
    named: list[str] = []
    for part in (p.strip() for p in (act or "").split(",")):
        if not part:
            continue
        whole = [rid for rid, (e, _) in known.items() if e.body.action_id == part]
        if whole:
            named += [r for r in whole if r not in named]
        elif part in known:
            if part not in named:
                named.append(part)
        else:
            fix = _voided(book, part)
            if fix is not None:
                raise not_for(
                    "secretary-certificate",
                    part,
                    f"a resolution whose board action was voided by correction on {fix.effective_on.isoformat()} "
                    f"(event {fix.seq}: {fix.body.reason}); a voided resolution cannot be certified",
                )
            raise no_such("board resolution", part, list(known))
    last = max((known[r][0].effective_on for r in named), default=None)
    on = as_of or last
    if on is None:
        raise InputError("secretary-certificate: give --for (resolution ids) or --as-of DATE")
    rows = []
    for rid in named:
        e, _ = known[rid]
        if e.effective_on > on:
            raise InputError(
                f"secretary-certificate: resolution {rid} was adopted on {e.effective_on.isoformat()}, after the "
                f"certificate's date {on.isoformat()}; date the certificate on or after it"
            )
        directors, _ = _directors_then(book, e)
        res = next(r for r in resolutions(book, e, directors) if r["id"] == rid)
        if not res["adopted"]:
            why = f": {res['why']}" if res["why"] else ""
            raise not_for("secretary-certificate", rid, f"a resolution the book records as not adopted{why}")
        rows.append(
            {
                **res,
                "action_id": e.body.action_id,
                "form": e.body.form,
                "on": e.effective_on,
                "event": e.seq,
                "present": len(e.body.present),
                "changes": later_changes(book, e, rid, on),
            }
        )
    v = facts.charter_on(book, on)
    officers = facts.officers(book, on)
    secretary = next((o for o in officers if o["title"].lower() == "secretary"), None)
    attesting = next(
        (
            o
            for o in facts.officer_signers(book, on, 3)
            if o["name"] and (not secretary or o["name"] != secretary["name"])
        ),
        None,
    )
    ctx = {
        "corp": facts.corporation(book, on),
        "on": on,
        "officers": officers,
        "charter": {
            "effective_on": v.effective_on,
            "document_kind": v.document_kind or "incorporation",
            "statute": v.statute,
            "articles": [{"label": _article_label(a), "text": a.text} for a in v.articles],
            "amended": len([x for x in book.charter.versions if x.effective_on and x.effective_on <= on]) > 1,
        },
        "resolutions": rows,
        "secretary": secretary,
        "attesting": attesting,
    }
    return Paper(
        "secretary-certificate",
        "Secretary’s Certificate",
        "secretary-certificate.html.j2",
        ctx,
        act=",".join(named) or None,
        as_of=on,
        on=on,
        cites=("8 Del. C. § 142(a)", "8 Del. C. § 141(b)", "8 Del. C. § 141(f)"),
    )


def _article_label(a) -> str:
    """ "Article FIRST" from the heading the charter gives it ("FIRST:"), else from its number."""
    head = (a.heading or "").strip().rstrip(":.").strip()
    if head.lower().startswith("article"):
        return head
    return f"Article {head or article_label(a.number)}"
