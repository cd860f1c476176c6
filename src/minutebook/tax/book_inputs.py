"""A tax year's inputs gathered from a corporation's events, each tied to the event it came from.

* **Authorized shares and par, for each day of the year**, from the charter versions in force (the
  incorporation, each amendment, each certificate of designations). Consecutive versions with the same
  stock structure (the classes' authorized shares and par) are one period; a change of structure starts a
  new one, which prorates the tax (§ A1 of the law notes).
* **Issued shares, treasury included** (§ 503(a)(2); S4, S17, S29), from the stock ledger replayed to the
  last day of each period: the year end for the last (or only) period; for an earlier period, the day
  before the next structure took effect, as the Division asks for each portion of the year (S4).
* **Gross assets**: the caller's figure, else the latest recorded `GrossAssetsReported` for the year (the
  highest sequence number wins). The one figure serves every period; a caller with a figure for each
  period builds `TaxInputs` directly.

A year before the incorporation is an `InputError`, as is a charter that does not state its authorized
shares. `what_if` replaces the year's charter with a smaller (or larger) authorized capital for the whole
year, to show what the change does to both methods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ..core.charter import CharterVersion
from ..core.errors import InputError
from ..core.events import (
    CHARTER_TYPES,
    CorporationConverted,
    Event,
    GrossAssetsReported,
    Incorporated,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    StockSplit,
)
from ..core.findings import Finding, info, warning
from ..core.timeline import Timeline, timeline
from .model import Period, ShareClass, TaxInputs

_LEDGER = (SharesIssued, SharesCancelled, SharesConverted, SharesRepurchased, StockSplit)
READ = (Incorporated, CorporationConverted, GrossAssetsReported, *CHARTER_TYPES)  # the events read whole
_BOUND = {"on": "on", "on_or_before": "on or before", "on_or_after": "on or after"}


def describe(e: Event) -> str:
    """'event 3 (CharterAmended, effective on or after 1999-03-19; auxer-group-charter.txt:71)'."""
    where = f"; {Path(e.source.path).name}:{e.source.line}" if e.source else ""
    seq = f"event {e.seq}" if e.seq is not None else "an event"
    return f"{seq} ({e.type}, effective {_BOUND.get(e.bound, 'on')} {e.effective_on}{where})"


def _version_origin(v: CharterVersion, e: Event | None) -> str:
    kind = v.document_kind or "charter"
    if v.statute:
        kind += f" § {v.statute}"
    return f"charter version in force from {v.effective_on} ({kind}); {describe(e) if e else 'no event'}"


def _classes(v: CharterVersion) -> tuple[tuple[ShareClass, ...], int | None, list[Finding]]:
    cap = v.capital
    if cap is None or (not cap.classes and cap.total_authorized is None):
        raise InputError(
            f"the charter in force from {v.effective_on} states no authorized shares: cannot tax it"
        )
    out = []
    for c in cap.classes:
        if c.authorized is None:
            raise InputError(
                f"the charter in force from {v.effective_on} does not state how many {c.name or c.key} "
                "shares it authorizes: cannot tax it"
            )
        out.append(ShareClass(c.key, c.authorized, None if c.no_par else c.par_value, c.no_par, c.name))
    total = cap.total_authorized
    notes: list[Finding] = []
    if out and total is not None and total != sum(c.authorized for c in out):
        notes.append(
            warning(
                "MB-TAX-AUTHORIZED-MISMATCH",
                f"the charter in force from {v.effective_on} states {total:,} authorized shares but its classes "
                f"add up to {sum(c.authorized for c in out):,}: the stated total is taxed by the authorized "
                "shares method",
                cites=("8 Del. C. § 102(a)(4)", "8 Del. C. § 503(a)(1)"),
            )
        )
    if not out or total == sum(c.authorized for c in out):
        total = None if out else total
    return tuple(out), total, notes


def _issued(states: Timeline, on: date) -> tuple[int, str]:
    n = sum(states.shares_at(on).issued.values())
    seqs = states.seqs(_LEDGER, on)
    if not seqs:
        return n, f"stock ledger on {on}: no shares issued"
    shown = ", ".join(str(s) if s is not None else "?" for s in seqs[:8])
    more = f" and {len(seqs) - 8} more" if len(seqs) > 8 else ""
    return (
        n,
        f"stock ledger replayed to {on} (treasury included): event{'s' if len(seqs) > 1 else ''} {shown}{more}",
    )


def gross_assets_reported(events: Iterable[Event], year: int) -> tuple[Decimal, Event] | None:
    """The latest `GrossAssetsReported` for `year` (highest sequence; in log order when unsequenced)."""
    best = None
    for i, e in enumerate(events):
        if isinstance(e.body, GrossAssetsReported) and e.body.tax_year == year:
            key = (e.seq if e.seq is not None else -1, i)
            if best is None or key >= best[0]:
                best = (key, e)
    return None if best is None else (best[1].body.gross_assets, best[1])


def from_events(
    events,
    year: int,
    *,
    gross_assets: Decimal | None = None,
    large_corporate_filer: bool = False,
    paid_on: date | None = None,
    what_if_authorized: int | None = None,
) -> TaxInputs:
    """The tax inputs for `year` from the history `events`: events, or a `core.timeline` of them (a caller asking
    year after year, the calendar, gives one: the history is then folded once, not twice a year; a book opened from
    its snapshot gives one that reads its store)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"tax year must be a whole number, not {year!r}")
    states = timeline(events)
    evs = states.of(*READ)
    inc = next((e for e in evs if isinstance(e.body, Incorporated)), None)
    if inc is None:
        raise InputError("the record has no incorporation: there is no corporation to tax")
    if year < inc.effective_on.year:
        raise InputError(f"tax year {year} is before {inc.body.name} was incorporated ({inc.effective_on})")
    start, end = max(date(year, 1, 1), inc.effective_on), date(year, 12, 31)
    notes: list[Finding] = []
    conv = next((e for e in evs if isinstance(e.body, CorporationConverted)), None)
    if conv is not None:  # § 266: a Delaware corporation no longer from the day the conversion is effective
        if year > conv.effective_on.year or conv.effective_on <= start:
            raise InputError(
                f"tax year {year}: the corporation converted to a {conv.body.entity} of {conv.body.jurisdiction} on "
                f"{conv.effective_on}: it owes no Delaware franchise tax after that"
            )
        if conv.effective_on <= end:
            end = conv.effective_on - timedelta(days=1)
            notes.append(
                info(
                    "MB-TAX-CONVERTED",
                    f"converted on {conv.effective_on} (§ 266): tax year {year} runs to {end} and is weighted by "
                    "its days as a Delaware corporation (confirm the amount with the Division of Corporations)",
                    cites=("8 Del. C. § 266", "8 Del. C. § 503"),
                )
            )
    state = states.shares_at(end)
    by_date = {e.effective_on: e for e in evs if isinstance(e.body, CHARTER_TYPES) and e.effective_on <= end}
    # (a version taking effect after the year has no day in it, nor does it end the one before it earlier)
    versions = [v for v in state.charter.versions if v.effective_on is not None and v.effective_on <= end]
    periods: list[Period] = []
    for i, v in enumerate(versions):
        until = versions[i + 1].effective_on - timedelta(days=1) if i + 1 < len(versions) else end
        lo, hi = max(v.effective_on, start), min(until, end)
        if lo > hi:
            continue
        classes, total, found = _classes(v)
        notes += found
        p = Period(lo, hi, classes, total, origin=_version_origin(v, by_date.get(v.effective_on)))
        if periods and periods[-1].structure() == p.structure() and periods[-1].end + timedelta(days=1) == lo:
            periods[-1] = replace(periods[-1], end=hi)  # the same stock structure: one period
        else:
            periods.append(p)
    if not periods:
        raise InputError(f"tax year {year}: no charter was in force during the year")

    if gross_assets is not None:
        assets_origin = "given by the user"
    else:
        found_assets = gross_assets_reported(evs, year)
        if found_assets is None:
            assets_origin = f"none given, none recorded for {year}"
        else:
            gross_assets, e = found_assets
            assets_origin = f"recorded: {describe(e)}, GrossAssetsReported for tax year {year}"
    periods = [
        replace(p, issued=n, issued_origin=how, gross_assets=gross_assets, assets_origin=assets_origin)
        for p in periods
        for n, how in [_issued(states, p.end)]
    ]
    if len(periods) > 1 and gross_assets is not None:
        notes.append(
            info(
                "MB-TAX-ASSETS-EACH-PERIOD",
                f"the one gross assets figure for {year} is used for each of its {len(periods)} periods; the "
                "Division asks for the figure within 30 days of each amendment",
                cites=("S4",),
            )
        )
    if what_if_authorized is not None:
        periods, note = _what_if(periods[-1], what_if_authorized, state, start, end)
        notes.append(note)
    return TaxInputs(
        year,
        tuple(periods),
        large_corporate_filer,
        paid_on,
        state.name,
        inc.effective_on,
        tuple(notes),
    )


def _what_if(last: Period, n: int, state, start: date, end: date) -> tuple[list[Period], Finding]:
    """The year-end structure with `n` authorized shares in all, for the whole year. Each class keeps its
    issued shares, and the rest of `n` is shared among the classes in proportion to their unissued shares
    (largest remainder; ties to the class named first)."""
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise InputError(f"what-if authorized shares must be a positive whole number, not {n!r}")
    issued = last.issued or 0
    if n < issued:
        raise InputError(
            f"what-if: {n:,} authorized shares is fewer than the {issued:,} shares issued at {end}; a charter "
            "cannot authorize fewer shares than are issued"
        )
    classes = last.classes
    if not classes:
        new: tuple[ShareClass, ...] = ()
    else:
        held = [sum(k for (c, _), k in state.issued.items() if c == cls.key) for cls in classes]
        room = [max(cls.authorized - h, 0) for cls, h in zip(classes, held, strict=True)]
        weights = room if sum(room) else [cls.authorized or 1 for cls in classes]
        spare = n - sum(held)
        if spare < 0:
            raise InputError(f"what-if: {n:,} authorized shares is fewer than the shares issued")
        share = [spare * w // sum(weights) for w in weights]
        left = spare - sum(share)
        order = sorted(range(len(classes)), key=lambda i: (-(spare * weights[i] % sum(weights)), i))
        for i in order[:left]:
            share[i] += 1
        new = tuple(replace(c, authorized=h + s) for c, h, s in zip(classes, held, share, strict=True))
    detail = ", ".join(f"{c.label()} {c.authorized:,}" for c in new) or f"{n:,}"
    p = replace(
        last,
        start=start,
        end=end,
        classes=new,
        total_authorized=None if new else n,
        origin=f"what-if: {n:,} authorized shares ({detail}) in place of {last.authorized:,}, par unchanged",
    )
    note = info(
        "MB-TAX-WHAT-IF",
        f"what-if: the charter authorizes {n:,} shares ({detail}) for the whole year instead of "
        f"{last.authorized:,}; issued shares and gross assets as recorded",
        cites=("8 Del. C. § 503(a)",),
    )
    return [p], note
