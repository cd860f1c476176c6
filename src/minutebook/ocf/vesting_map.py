"""Vesting schedules (`core.vesting.Schedule`) to and from OCF `VestingTerms` conditions.

Export: a `VESTING_START_DATE` condition "start" (the month-0 tranche's portion, else quantity 0), then the time
tranches in month order as a chain of `VESTING_SCHEDULE_RELATIVE` conditions (`c1`, `c2`, ...), each relative to
the one before: a run of tranches a fixed number of months apart with equal portions is one condition
(`period` {length, type MONTHS, occurrences, day_of_month VESTING_START_DAY_OR_LAST_DAY_OF_MONTH}, `portion` per
occurrence, as OCF's own 4-year/1-year-cliff sample has it: a 12-month cliff condition, then 36 monthly ones).
Each milestone tranche is a `VESTING_EVENT` condition (`e1`, ...) named by its description (the milestone, with
"(not before month N)" when it waits for a month), listed after "start". Portions are exact fractions.

Import: the same graph back into tranches; what our schedules cannot say (periods in days, absolute dates,
fixed quantities, remainder portions, a graph that is not such a chain) raises `ValueError` with the reason.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..core.vesting import Schedule, Tranche, checked

DAY = "VESTING_START_DAY_OR_LAST_DAY_OF_MONTH"
_NOT_BEFORE = re.compile(r"^(.*) \(not before month (\d+)\)$")


def _portion(f: Fraction) -> dict:
    return {"numerator": str(f.numerator), "denominator": str(f.denominator)}


def conditions(s: Schedule) -> list[dict]:
    timed = sorted((t for t in s.tranches if t.event is None), key=lambda t: t.months)
    events = [t for t in s.tranches if t.event is not None]
    start_portion = sum((t.portion for t in timed if t.months == 0), Fraction(0))
    timed = [t for t in timed if t.months > 0]
    runs: list[tuple[int, int, Fraction]] = []  # (length, occurrences, portion per occurrence)
    base, i = 0, 0
    while i < len(timed):
        t = timed[i]
        length, j = t.months - base, i
        while (
            j + 1 < len(timed)
            and timed[j + 1].months - timed[j].months == length
            and timed[j + 1].portion == t.portion
        ):
            j += 1
        runs.append((length, j - i + 1, t.portion))
        base, i = timed[j].months, j + 1
    ids = [f"c{k}" for k in range(1, len(runs) + 1)]
    eids = [f"e{k}" for k in range(1, len(events) + 1)]
    start: dict = {"id": "start"}
    start.update({"portion": _portion(start_portion)} if start_portion else {"quantity": "0"})
    start.update(trigger={"type": "VESTING_START_DATE"}, next_condition_ids=ids[:1] + eids)
    out = [start]
    for k, (length, n, portion) in enumerate(runs):
        out.append(
            {
                "id": ids[k],
                "portion": _portion(portion),
                "trigger": {
                    "type": "VESTING_SCHEDULE_RELATIVE",
                    "period": {"length": length, "type": "MONTHS", "occurrences": n, "day_of_month": DAY},
                    "relative_to_condition_id": "start" if k == 0 else ids[k - 1],
                },
                "next_condition_ids": ids[k + 1 : k + 2],
            }
        )
    for k, t in enumerate(events):
        text = t.event + (f" (not before month {t.months})" if t.months else "")
        out.append(
            {
                "id": eids[k],
                "description": text,
                "portion": _portion(t.portion),
                "trigger": {"type": "VESTING_EVENT"},
                "next_condition_ids": [],
            }
        )
    return out


def event_condition_ids(conds: list[dict]) -> dict[str, str]:
    """Milestone name -> the id of its VESTING_EVENT condition."""
    out = {}
    for c in conds:
        if c["trigger"]["type"] == "VESTING_EVENT":
            out[event_name(c)[0]] = c["id"]
    return out


def event_name(c: dict) -> tuple[str, int]:
    text = c.get("description") or c["id"]
    m = _NOT_BEFORE.match(text)
    return (m.group(1), int(m.group(2))) if m else (text, 0)


def _frac(c: dict) -> Fraction:
    if "portion" in c:
        p = c["portion"]
        if p.get("remainder"):
            raise ValueError(f"condition {c['id']}: a remainder portion")
        return Fraction(p["numerator"]) / Fraction(p["denominator"])
    if c.get("quantity") not in (None, "0", "0.0"):
        raise ValueError(f"condition {c['id']}: a fixed quantity, not a portion")
    return Fraction(0)


def schedule(conds: list[dict]) -> Schedule:
    """The schedule OCF's conditions describe (ValueError when they say what a schedule cannot)."""
    by_id = {c["id"]: c for c in conds}
    month: dict[str, int] = {}
    tranches: list[Tranche] = []
    pending = list(conds)
    for _ in range(len(conds) + 1):
        later = []
        for c in pending:
            trig = c["trigger"]
            kind = trig["type"]
            if kind == "VESTING_START_DATE":
                month[c["id"]] = 0
                if _frac(c):
                    tranches.append(Tranche(0, _frac(c)))
            elif kind == "VESTING_SCHEDULE_RELATIVE":
                period = trig["period"]
                if period.get("type") != "MONTHS":
                    raise ValueError(f"condition {c['id']}: a period in {period.get('type', '?').lower()}")
                rel = trig["relative_to_condition_id"]
                if rel not in by_id:
                    raise ValueError(f"condition {c['id']}: relative to {rel!r}, not a condition")
                if rel not in month:
                    later.append(c)
                    continue
                length, n = int(period["length"]), int(period.get("occurrences") or 1)
                p = _frac(c)
                for k in range(1, n + 1):
                    if p:
                        tranches.append(Tranche(month[rel] + k * length, p))
                month[c["id"]] = month[rel] + n * length
            elif kind == "VESTING_EVENT":
                name, at = event_name(c)
                if _frac(c):
                    tranches.append(Tranche(at, _frac(c), name))
            else:
                raise ValueError(f"condition {c['id']}: trigger {kind}")
        if not later:
            break
        pending = later
    else:
        raise ValueError("the conditions' relative periods form a cycle")
    if not tranches:
        raise ValueError("no condition vests anything")
    timed = sorted((t for t in tranches if t.event is None), key=lambda t: t.months)
    return checked(Schedule(tuple(timed + [t for t in tranches if t.event is not None])))
