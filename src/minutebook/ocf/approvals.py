"""The dates of the approvals the book records, for OCF's `board_approval_date` and `stockholder_approval_date`.

An act names what approved it (`approved_by`): a board resolution (`BoardActed`, `resolutions[i]["id"]`), a
stockholder meeting matter (`MeetingCalled.matters[i]["id"]`, approved on the date of the `MeetingHeld` with that
meeting id), a written consent or one of its matters (`WrittenConsent`, on the consent's date; by the
stockholders, or by the incorporators, which OCF has no field for), or an approval known only from another
system's record (`ApprovalRecorded`, on its date, by its body).

OCF holds only those dates. So that a board which passed several resolutions on one day is not read back as
approving every act of that day by the first of them, the export also names each act's approvals in the comments of
its object (`note`: "minutebook: board approval R-5", "minutebook: stockholders approval C-1"), and the import takes
the one named where the package's governance record holds it, by that body on that date (`read_notes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..core.events import ApprovalRecorded, BoardActed, Event, MeetingCalled, MeetingHeld, WrittenConsent


class Approvals:
    def __init__(self, events: Iterable[Event]):
        self.by_id: dict[str, tuple[date, str]] = {}  # approval id -> (date, "board" | "stockholders" | ...)
        matters: dict[str, str] = {}  # meeting matter id -> meeting id
        held: dict[str, date] = {}
        for e in events:
            b = e.body
            if isinstance(b, BoardActed):
                for r in b.resolutions:
                    if isinstance(r, dict) and r.get("id"):
                        self.by_id[r["id"]] = (e.effective_on, "board")
                self.by_id.setdefault(b.action_id, (e.effective_on, "board"))
            elif isinstance(b, MeetingCalled):
                for m in b.matters:
                    if isinstance(m, dict) and m.get("id"):
                        matters[m["id"]] = b.meeting_id
            elif isinstance(b, MeetingHeld):
                held[b.meeting_id] = e.effective_on
            elif isinstance(b, WrittenConsent):
                body = "stockholders" if b.by == "stockholders" else b.by
                self.by_id[b.consent_id] = (e.effective_on, body)
                for m in b.matters:
                    if isinstance(m, dict) and m.get("id"):
                        self.by_id[m["id"]] = (e.effective_on, body)
            elif isinstance(b, ApprovalRecorded):
                self.by_id[b.approval_id] = (e.effective_on, b.body)
        for matter, meeting in matters.items():
            if meeting in held:
                self.by_id.setdefault(matter, (held[meeting], "stockholders"))
        self.unresolved: set[str] = set()

    def dates(self, ids: Iterable[str | None]) -> dict[str, str]:
        """{"board_approval_date": ..., "stockholder_approval_date": ...} for the ids that resolve (the latest
        date of each body); an id that does not resolve is remembered in `unresolved`."""
        return {_FIELDS[body]: on.isoformat() for body, (on, _) in sorted(self._chosen(ids).items())}

    def note(self, obj: dict, ids: Iterable[str | None]) -> dict:
        """`obj` with the approvals whose dates `dates` gives named in its comments ("minutebook: board approval
        R-5"): OCF has only their dates, and a board that passed several resolutions on one day would be read back
        as the first of them (`read_notes`)."""
        notes = [NOTE.format(body=body, id=aid) for body, (_, aid) in sorted(self._chosen(ids).items())]
        if notes:
            obj["comments"] = [*obj.get("comments", ()), *notes]
        return obj

    def _chosen(self, ids: Iterable[str | None]) -> dict[str, tuple[date, str]]:
        """body -> (date, id) of the latest approval of each body OCF has a field for (the first of a day)."""
        out: dict[str, tuple[date, str]] = {}
        for i in ids:
            if not i:
                continue
            hit = self.by_id.get(i)
            if hit is None:
                self.unresolved.add(i)
                continue
            on, body = hit
            if body in _FIELDS and (body not in out or on > out[body][0]):
                out[body] = (on, i)
        return out


_FIELDS = {"board": "board_approval_date", "stockholders": "stockholder_approval_date"}
NOTE = "minutebook: {body} approval {id}"
_NOTED = re.compile(r"minutebook: (board|stockholders) approval (\S.{0,199})")


def read_notes(obj: dict) -> dict[str, str]:
    """body -> approval id, from the comments `Approvals.note` wrote."""
    out: dict[str, str] = {}
    for c in obj.get("comments") or ():
        if type(c) is str and (m := _NOTED.fullmatch(c)):
            out.setdefault(m[1], m[2])
    return out
