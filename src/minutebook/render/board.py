"""The board's papers: minutes of a meeting (§141(b): who was present, the quorum, each resolution and its vote)
and the unanimous written consent (§141(f), a signature block for every director in office on its date).
Drawn for a board action's id (``B-1999-1``), one of its resolutions' ids, or ``event N``.
"""

from __future__ import annotations

from ..core import record as gov_record
from ..core.events import BoardActed, Event
from ..core.findings import Severity
from . import facts
from .papers import Paper, kind, no_such, not_for


def board_action(book, act: str) -> Event:
    """The `BoardActed` event named by its action id, a resolution's id, or "event N"."""
    e = facts.find_event(book, act, (BoardActed,))
    if e is not None:
        return e
    known: list[str] = []
    for x in facts.recorded(book, BoardActed):
        if isinstance(x.body, BoardActed):
            ids = [x.body.action_id, *(str(r.get("id")) for r in x.body.resolutions if r.get("id"))]
            if act in ids:
                return x
            known.append(x.body.action_id)
    if facts.find_event(book, act) is not None:
        raise not_for("board-minutes", act, "not a board action")
    raise no_such("board action or resolution", act, known)


def _directors_then(book, e: Event) -> tuple[list[dict], int]:
    """The directors in office just before the board acted (those elected earlier that day included)."""
    r = gov_record.build_until(facts.governance(book), e)
    return [{"id": d.id, "name": d.name} for d in r.directors_at()], r.whole_board()


def resolutions(book, e: Event, directors: list[dict]) -> list[dict]:
    """Each resolution of a board action with its vote and whether it was adopted (`book.approvals`)."""
    names = {d["id"]: d["name"] for d in directors}
    present = [str(p) for p in e.body.present]
    approvals = book.approvals()
    out = []
    for i, res in enumerate(e.body.resolutions, 1):
        rid = str(res.get("id") or f"{e.body.action_id}-{i}")
        against = [str(x) for x in res.get("against") or ()]
        abstain = [str(x) for x in res.get("abstain") or ()]
        voting_for = [p for p in present if p not in against and p not in abstain]
        outcome = approvals.get(rid) if res.get("id") else None
        params = dict(res.get("params") or {})
        out.append(
            {
                "id": rid,
                "kind": str(res.get("kind") or "general").replace("_", " "),
                "text": str(res.get("text") or ""),
                "articles": dict(params.get("articles") or {}),
                "for": [names.get(p, p) for p in voting_for],
                "against": [names.get(p, p) for p in against],
                "abstain": [names.get(p, p) for p in abstain],
                "adopted": outcome.passed if outcome is not None else True,
                "why": outcome.why if outcome is not None else "",
            }
        )
    return out


def _common(book, e: Event) -> dict:
    on = e.effective_on
    directors, whole = _directors_then(book, e)
    names = {d["id"]: d["name"] for d in directors}
    present = [{"id": p, "name": names.get(p, p)} for p in e.body.present]
    absent = [d for d in directors if d["id"] not in e.body.present]
    officers = facts.officers(book, on)
    secretary = next((o for o in officers if o["title"].lower() == "secretary"), None)
    chair = next((o for o in officers if o["title"].lower() in ("chair", "chairman", "president")), None)
    findings = [
        f for f in book.check(as_of=on) if dict(f.data).get("event") == e.seq and f.severity != Severity.INFO
    ]
    return {
        "corp": facts.corporation(book, on),
        "on": on,
        "action_id": e.body.action_id,
        "directors": directors,
        "whole_board": whole,
        "quorum_needed": whole // 2 + 1,
        "present": present,
        "absent": absent,
        "quorum": len(present) > whole / 2 if whole else False,
        "resolutions": resolutions(book, e, directors),
        "chair": chair,
        "secretary": secretary,
        "findings": [f.format() for f in findings],
        "event": e.seq,
    }


@kind(
    "board-minutes",
    "Minutes of a Meeting of the Board of Directors",
    "board",
    "a board meeting's id (B-…), one of its resolutions (R-…) or event N",
    cites=("8 Del. C. § 141(b)",),
)
def minutes(book, act, as_of) -> Paper:
    e = board_action(book, act)
    if e.body.form != "meeting":
        raise not_for("board-minutes", act, "an action by unanimous written consent", ("board-consent",))
    ctx = _common(book, e)
    return Paper(
        "board-minutes",
        "Minutes of a Meeting of the Board of Directors",
        "board-minutes.html.j2",
        ctx,
        act=e.body.action_id,
        on=e.effective_on,
        cites=("8 Del. C. § 141(b)",),
    )


@kind(
    "board-consent",
    "Unanimous Written Consent of the Board of Directors",
    "board",
    "a board consent's id (B-…), one of its resolutions (R-…) or event N",
    cites=("8 Del. C. § 141(f)",),
)
def consent(book, act, as_of) -> Paper:
    e = board_action(book, act)
    if e.body.form != "consent":
        raise not_for("board-consent", act, "a board meeting", ("board-minutes",))
    ctx = _common(book, e)
    signed = set(e.body.present)
    ctx["signers"] = [{**d, "signed": d["id"] in signed} for d in ctx["directors"]]
    ctx["unsigned"] = [d["name"] for d in ctx["directors"] if d["id"] not in signed]
    return Paper(
        "board-consent",
        "Unanimous Written Consent of the Board of Directors",
        "board-consent.html.j2",
        ctx,
        act=e.body.action_id,
        on=e.effective_on,
        cites=("8 Del. C. § 141(f)",),
    )
