"""Approvals: what a board resolution, a meeting's vote on a matter, a written consent or a recorded
approval decided, looked up by id. Every act names its approval (`approved_by`); the rules in
`law/dgcl` ask here whether that approval exists, passed, was made by the right body, and covers the
act. Outcomes of stockholder votes are worked out from the ledger on the record date, once, on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..core.errors import MinutebookError
from ..core.record import Record
from ..core.votes import Outcome
from ..law.dgcl import board, consents, meetings


class Approvals:
    """Resolve approval ids against a governance record; `state_at(date)` gives the ledger on a date."""

    def __init__(self, record: Record, state_at: Callable[[date], object]):
        self.record, self.state_at = record, state_at
        self._memo: dict[str, Outcome | None] = {}

    def get(self, approval_id: str | None) -> Outcome | None:
        if not approval_id:
            return None
        if approval_id not in self._memo:
            self._memo[approval_id] = self._resolve(str(approval_id))
        return self._memo[approval_id]

    def _resolve(self, aid: str) -> Outcome | None:
        r = self.record
        if aid in r.resolutions:
            e, res = r.resolutions[aid]
            return board.resolution_outcome(r, e, res)
        if aid in r.recorded:
            e = r.recorded[aid]
            return Outcome(
                aid,
                f"recorded-{e.body.body}",
                e.effective_on,
                "recorded",
                True,
                {},
                e.body.text,
                "known only from an imported record",
                seq=e.seq,
            )
        if aid in r.matters:
            mid, _ = r.matters[aid]
            try:
                return meetings.outcomes(r, r.meetings[mid], self.state_at).get(aid)
            except MinutebookError as ex:
                return _failed(aid, r.meetings[mid].called, str(ex))
        if aid in r.consent_matters or aid in r.consents:
            cid = r.consent_matters[aid][0] if aid in r.consent_matters else aid
            e = r.consents[cid]
            try:
                out = consents.outcomes(r, e, self.state_at)
            except MinutebookError as ex:
                return _failed(aid, e, str(ex))
            if aid == cid:  # the consent as a whole: passed if every matter did
                ms = list(out.values())
                first = ms[0] if ms else None
                return Outcome(
                    cid,
                    first.body if first else "stockholders",
                    e.effective_on,
                    first.kind if first and len(ms) == 1 else "consent",
                    bool(ms) and all(m.passed for m in ms),
                    first.params if first and len(ms) == 1 else {},
                    "",
                    first.standard if first else "",
                    first.class_votes if first else (),
                    e.seq,
                    "; ".join(m.why for m in ms if m.why),
                )
            return out.get(aid)
        return None


def _failed(aid: str, e, why: str) -> Outcome:
    return Outcome(aid, "stockholders", e.effective_on, "unknown", False, seq=e.seq, why=why)
