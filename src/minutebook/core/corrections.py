"""Corrections: the history a log of events stands for once its `Correction` events are read.

The log is append-only: a mistaken event is never edited or deleted; a later `Correction` names it (by its
sequence) and either voids it or gives its replacement body. `corrected(events)` is that history: each voided
event left out, each corrected one replaced by its replacement — at the original's place (its date, bound,
sequence, actor and source), so the fold applies it where the original stood. When one event is corrected
several times, the latest correction (the highest sequence) decides. The `Correction` events themselves stay
in the history: they change nothing in the ledger or the governance record, and the rules check them as acts.

`replay` and `record.build` read every log through `corrected`, so every view (state, cap table, charter,
governance record, OCF export) shows the corrected history. Applying it twice gives the same history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from .events import Body, Correction, Event, body_from_payload


def corrections_of(events: Iterable[Event]) -> dict[int, Event]:
    """Each corrected or voided event's sequence -> the `Correction` event that decides it (the latest)."""
    out: dict[int, Event] = {}
    for e in events:
        if isinstance(e.body, Correction) and (
            e.body.corrects not in out or (out[e.body.corrects].seq or 0) < (e.seq or 1 << 62)
        ):
            out[e.body.corrects] = e
    return out


def replacement(original: Event, correction: Correction) -> Event | None:
    """The event `original` becomes under `correction`: None when voided, else its replacement body at the
    original's place."""
    if correction.replacement is None:
        return None
    body: Body = body_from_payload(original.type, correction.replacement)
    return replace(original, body=body)


def corrected(events: Iterable[Event]) -> list[Event]:
    """The history `events` stand for: voided events left out, corrected ones replaced (in the given order)."""
    evs = events if isinstance(events, list) else list(events)
    fixes = corrections_of(evs)
    return list(fixed(evs, fixes)) if fixes else evs


def fixed(events: Iterable[Event], fixes: dict[int, Event]) -> Iterator[Event]:
    """`events` under the corrections `fixes` (`corrections_of`, read beforehand), as they come: each voided one left
    out, each corrected one replaced (a stream from the store, or a single event)."""
    for e in events:
        fix = fixes.get(e.seq) if fixes and e.seq is not None and not isinstance(e.body, Correction) else None
        if fix is None:
            yield e
            continue
        x = replacement(e, fix.body)  # type: ignore[arg-type]
        if x is not None:
            yield x
