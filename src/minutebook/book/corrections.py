"""Correcting the record: `void` and `correct` a mistaken event by appending a `Correction` that names it.

The log stays append-only and its hash chain unchanged: the original is never edited. The correction says
which event it sets right (its sequence), why, the approval the law needs for it (`law.dgcl.corrections`:
none for a clerical slip, the board's or the acting body's for a change to what an act did), and, for a
correction, the replacement body (the original's fields with those changed). From then on every view reads
the corrected history (`core.corrections`). The correction goes through the one append path like any act:
the corrected history is checked again from the corrected event's place on, and a correction that breaks
it (voiding an issuance whose shares were later transferred) is refused with nothing written.

What a user names wrongly — an event that is not in the log, a field the event does not have, a value of the
wrong type, the incorporation voided, a correction corrected — is an `InputError` (the command line: one
line, exit 2); a correction the law refuses is a refused `Result` (exit 1).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from ..core.corrections import corrections_of, replacement
from ..core.errors import InputError, NotFoundError
from ..core.events import BODY_TYPES, Correction, Event, Incorporated, _hints, body_from_payload
from ..law.dgcl.corrections import changed_fields
from .append import Result, Writer
from .folded import Folded


class Corrections:
    """The record's corrections, recorded through `writer`; `book` is the log in memory. `folded_again()`, when given,
    is called once a correction is written outside an `atomic()` block: the book has just folded its whole history
    again (`Folded.add`), and keeps that fold as its snapshot, so that its next opening need not."""

    def __init__(self, writer: Writer, book: Folded, folded_again: Callable[[], object] | None = None):
        self._writer, self._book, self._folded_again = writer, book, folded_again

    def _record(self, body: Correction, on: date, historical: bool, actor: str | None) -> Result:
        r = self._writer.record(body, on, historical=historical, actor=actor)
        if r.event is not None and not self._writer.in_block and self._folded_again is not None:
            self._folded_again()
        return r

    def void(
        self,
        seq: int,
        *,
        reason: str,
        on: date | None = None,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Void event `seq`: every view reads the history as if it had never been recorded."""
        original = self._target(seq)
        if isinstance(original.body, Incorporated):
            raise InputError(f"event {seq} is the incorporation: it cannot be voided (correct it instead)")
        body = Correction(seq, original.type, _reason(reason), None, approved_by)
        return self._record(body, on or date.today(), historical, actor)

    def correct(
        self,
        seq: int,
        changes: dict[str, Any],
        *,
        reason: str,
        on: date | None = None,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Correct event `seq`: its body with `changes` (field -> value of the field's type) applied, read in
        its place (its date) by every view."""
        original = self._target(seq)
        current = self.current(seq)
        if current is None:
            raise InputError(f"event {seq} was voided: there is nothing left to correct")
        if not changes:
            raise InputError("a correction changes at least one field (FIELD=VALUE)")
        names = {f.name for f in dataclasses.fields(current)}
        for k in changes:
            if k not in names:
                raise InputError(
                    f"{original.type} has no field {k!r} (its fields: {', '.join(sorted(names))})"
                )
        changes = _with_total(current, changes)
        try:
            fixed = dataclasses.replace(current, **changes)
            payload = fixed.to_payload()
            body_from_payload(original.type, payload)  # reads back: the values fit the fields
        except (TypeError, ValueError, ArithmeticError) as e:
            raise InputError(f"correcting event {seq}: {e}") from None
        before = current.to_payload()
        changed = changed_fields(before, payload)
        if not changed:
            raise InputError(f"event {seq} already reads so: the correction changes nothing")
        body = Correction(seq, original.type, _reason(reason), payload, approved_by, changed)
        return self._record(body, on or date.today(), historical, actor)

    # --- what a correction names ----------------------------------------------------------------------

    def current(self, seq: int):
        """Event `seq`'s body as the history now reads it (after any earlier correction), or None if voided."""
        original = self._target(seq)
        fix = corrections_of(self._book.events).get(seq)
        if fix is None:
            return original.body
        x = replacement(original, fix.body)  # type: ignore[arg-type]
        return None if x is None else x.body

    def corrected_by(self) -> dict[int, Event]:
        """Each corrected or voided event's sequence -> the correction that decides it: the corrections alone, read
        from the store as the book's histories read them (a large book's log is not read into it)."""
        self._book.ok()
        return self._writer.history().corrected_by()

    def _target(self, seq: int) -> Event:
        self._book.ok()
        evs = self._book.events
        if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= len(evs):
            have = f"1–{len(evs)}" if evs else "none"
            raise NotFoundError(f"no event {seq} in the log (its events: {have}; see `minutebook log`)")
        e = evs[seq - 1]
        if e.seq != seq:
            e = next((x for x in evs if x.seq == seq), e)
        if isinstance(e.body, Correction):
            raise InputError(
                f"event {seq} is itself a correction (of event {e.body.corrects}): correct or void event "
                f"{e.body.corrects} again instead"
            )
        return e


def field_types(event_type: str) -> dict[str, Any]:
    """The fields of an event type's body and their type hints (for parsing FIELD=VALUE)."""
    cls = BODY_TYPES.get(event_type)
    if cls is None:
        raise InputError(f"unknown event type {event_type!r}")
    return {f.name: _hints(cls)[f.name] for f in dataclasses.fields(cls)}


def _with_total(body, changes: dict[str, Any]) -> dict[str, Any]:
    """For an issuance whose consideration was the price times the shares, a correction of either carries
    the total along (unless it sets the consideration itself)."""
    fields = {f.name for f in dataclasses.fields(body)}
    if not {"shares", "price_per_share", "consideration"} <= fields or "consideration" in changes:
        return changes
    if (
        not ({"shares", "price_per_share"} & set(changes))
        or body.consideration != body.price_per_share * body.shares
    ):
        return changes
    try:
        total = changes.get("price_per_share", body.price_per_share) * changes.get("shares", body.shares)
    except TypeError:
        return changes
    return {**changes, "consideration": total}


def _reason(reason: str | None) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise InputError("a correction states its reason (--reason)")
    return text
