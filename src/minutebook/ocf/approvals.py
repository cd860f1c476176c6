"""The dates of the approvals the book records, for OCF's `board_approval_date` and `stockholder_approval_date`.

An act names what approved it (`approved_by`): a board resolution (`BoardActed`, `resolutions[i]["id"]`), a
stockholder meeting matter (`MeetingCalled.matters[i]["id"]`, approved on the date of the `MeetingHeld` with that
meeting id), a written consent or one of its matters (`WrittenConsent`, on the consent's date; by the
stockholders, or by the incorporators, which OCF has no field for), or an approval known only from another
system's record (`ApprovalRecorded`, on its date, by its body).
"""

from __future__ import annotations

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
        out: dict[str, date] = {}
        for i in ids:
            if not i:
                continue
            hit = self.by_id.get(i)
            if hit is None:
                self.unresolved.add(i)
                continue
            on, body = hit
            key = {"board": "board_approval_date", "stockholders": "stockholder_approval_date"}.get(body)
            if key and (key not in out or on > out[key]):
                out[key] = on
        return {k: v.isoformat() for k, v in sorted(out.items())}
