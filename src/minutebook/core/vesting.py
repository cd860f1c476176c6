"""Vesting schedules as data, and what has vested on a date.

A `Schedule` is a tuple of tranches. A time tranche vests a portion of the award a whole number of months
after the vesting start (month 0: at the start); an event tranche vests a portion when a named milestone is
recorded (`VestingEventOccurred`), no earlier than its months. The portions are exact fractions and sum to 1.

    monthly(48, cliff=12)        # 12/48 at month 12, then 1/48 each month to month 48
    parse("48/12")               # the same, as a user types it
    parse("12:1/4,24:1/4,36:1/4,48:1/4")   # custom tranches
    parse("0:1/2,event IPO:1/2")           # half at the start, half on a milestone

Vested shares are the award's quantity times the fraction vested, rounded down (cumulative: the rounding never
loses a share, the last tranche brings the total to the whole award). Vesting stops when service ends; an
acceleration adds shares on top, never beyond the award.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from .errors import InputError
from .heap import fast_pickling


@dataclass(frozen=True, slots=True)
class Tranche:
    months: int  # after the vesting start
    portion: Fraction
    event: str | None = None  # a milestone the tranche waits for, if any


@dataclass(frozen=True, slots=True)
class Schedule:
    tranches: tuple[Tranche, ...]

    def fraction(self, start: date, on: date, events: dict[str, date] | None = None) -> Fraction:
        """The fraction of the award vested on `on` for a vesting start `start` (`events`: milestone -> date)."""
        events = events or {}
        out = Fraction(0)
        for t in self.tranches:
            when = add_months(start, t.months)
            if t.event is not None:
                hit = events.get(t.event)
                if hit is None:
                    continue
                when = max(when, hit)
            if when <= on:
                out += t.portion
        return min(out, Fraction(1))

    def vests_on(self, start: date) -> tuple[tuple[date, Fraction], ...]:
        """The dates of the time tranches and the cumulative fraction vested on each."""
        acc, out = Fraction(0), []
        for t in sorted((t for t in self.tranches if t.event is None), key=lambda t: t.months):
            acc += t.portion
            out.append((add_months(start, t.months), acc))
        return tuple(out)

    @property
    def total(self) -> Fraction:
        return sum((t.portion for t in self.tranches), Fraction(0))

    def to_dict(self) -> dict:
        return {
            "tranches": [
                {"months": t.months, "portion": f"{t.portion.numerator}/{t.portion.denominator}"}
                | ({"event": t.event} if t.event else {})
                for t in self.tranches
            ]
        }

    def describe(self) -> str:
        m = _as_monthly(self)
        if m is not None:
            total, cliff, every = m
            step = "monthly" if every == 1 else f"every {every} months"
            return f"{total} months, {step}" + (f", {cliff}-month cliff" if cliff else "")
        return ", ".join(
            (f"{t.portion} on {t.event}" + (f" (not before month {t.months})" if t.months else ""))
            if t.event
            else f"{t.portion} at month {t.months}"
            for t in self.tranches
        )


def schedule_from_dict(d: dict) -> Schedule:
    try:
        tranches = tuple(
            Tranche(int(t["months"]), Fraction(str(t["portion"])), t.get("event")) for t in d["tranches"]
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as ex:
        raise InputError(f"vesting schedule not readable: {ex}") from None
    return checked(Schedule(tranches))


def checked(s: Schedule) -> Schedule:
    """`s` if its tranches make sense: at least one, no negative months or portions, summing to exactly 1."""
    if not s.tranches:
        raise InputError("a vesting schedule needs at least one tranche")
    for t in s.tranches:
        if t.months < 0:
            raise InputError(
                f"vesting tranche at month {t.months}: months count from the vesting start, >= 0"
            )
        if t.portion <= 0:
            raise InputError(f"vesting tranche at month {t.months}: its portion {t.portion} is not positive")
    if s.total != 1:
        raise InputError(f"vesting tranches sum to {s.total}, not 1: every share of the award must vest once")
    return s


def monthly(total_months: int, cliff: int = 0, every: int = 1) -> Schedule:
    """`total_months` of vesting in equal steps of `every` months, nothing before the `cliff` (which vests
    everything accrued to it)."""
    if total_months <= 0 or every <= 0 or cliff < 0:
        raise InputError("vesting: months and steps are positive, the cliff not negative")
    if cliff > total_months:
        raise InputError(
            f"vesting: a {cliff}-month cliff is longer than the {total_months} months of vesting"
        )
    if total_months % every or cliff % every:
        raise InputError(
            f"vesting: {total_months} months and a {cliff}-month cliff do not divide into steps of {every}"
        )
    tranches = [Tranche(cliff, Fraction(cliff, total_months))] if cliff else []
    m = cliff + every
    while m <= total_months:
        tranches.append(Tranche(m, Fraction(every, total_months)))
        m += every
    return checked(Schedule(tuple(tranches)))


def _as_monthly(s: Schedule) -> tuple[int, int, int] | None:
    ts = s.tranches
    if not ts or any(t.event for t in ts):
        return None
    last = ts[-1].months
    for every in (1, 3, 12):
        for cliff in (0, ts[0].months):
            try:
                if monthly(last, cliff, every) == s:
                    return last, cliff, every
            except InputError:
                continue
    return None


_MONTHLY = re.compile(r"\s*(\d+)\s*(?:/\s*(\d+)\s*)?(?:/\s*(\d+)\s*)?")
_TRANCHE = re.compile(
    r"\s*(?:event\s+([^:]+?)\s*(?:@\s*(\d+))?|(\d+))\s*:\s*(\d+)\s*(?:/\s*(\d+))?\s*(%?)\s*"
)


def parse(spec: str) -> Schedule:
    """A schedule from what a user types: `48/12` (months/cliff, monthly), `48/12/3` (every 3 months),
    `immediate`, or tranches `MONTHS:PORTION,...` where a portion is `1/4` or `25%` and an event tranche is
    `event NAME:PORTION` (or `event NAME@MONTHS:PORTION`, not before that month)."""
    text = (spec or "").strip()
    if text.lower() in ("immediate", "none", "0"):
        return Schedule((Tranche(0, Fraction(1)),))
    m = _MONTHLY.fullmatch(text)
    if m:
        return monthly(int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 1))
    tranches = []
    for part in text.split(","):
        t = _TRANCHE.fullmatch(part)
        if t is None:
            raise InputError(
                f"vesting {spec!r}: not MONTHS/CLIFF (48/12) nor tranches MONTHS:PORTION,… (12:1/4,24:3/4); "
                f"cannot read {part.strip()!r}"
            )
        event, at, months, num, den, pct = t.groups()
        if pct:
            portion = Fraction(int(num), 100)
        else:
            portion = Fraction(int(num), int(den or 1)) if int(den or 1) else Fraction(0)
        tranches.append(Tranche(int(months if months is not None else at or 0), portion, event))
    return checked(Schedule(tuple(tranches)))


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, the day kept where the month has it, else the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def vested(quantity: int, s: Schedule | None, start: date | None, on: date, events=None) -> int:
    """Shares of an award of `quantity` vested on `on` (no schedule: all of it; no vesting start yet: none)."""
    if s is None:
        return quantity
    if start is None:
        return 0
    return int(quantity * s.fraction(start, on, events))


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
