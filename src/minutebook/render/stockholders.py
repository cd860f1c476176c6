"""The stockholders' papers: the notice of a meeting (§222), the list of stockholders entitled to vote (§219),
the minutes of the meeting with the tally by class and the outcome against the threshold that applied, a
written consent (§228) with a signature line per holder needed, and the prompt notice of an action taken by
consent to those who did not sign (§228(e)). Drawn for a meeting's id (``M-1999``), one of its matters, a
consent's id (``C-…``), or ``event N``.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..core import record as gov_record
from ..core.events import Event, MeetingCalled, WrittenConsent
from ..core.votes import count, electorate
from ..law.dgcl.notices import record_date
from . import facts
from .papers import Paper, kind, no_such, not_for

LIST_NOT_AT_MEETING = date(
    2022, 8, 1
)  # 83 Del. Laws c. 377: the §219 list need no longer be open at the meeting


def meeting(book, act: str, kind_name: str) -> gov_record.Meeting:
    """The meeting named by its id, one of its matters' ids, or "event N" (its call)."""
    r = facts.governance(book)
    e = facts.find_event(book, act, (MeetingCalled,))
    if e is not None:
        return r.meetings[e.body.meeting_id]
    if act in r.meetings:
        return r.meetings[act]
    if act in r.matters:
        return r.meetings[r.matters[act][0]]
    if act in r.consents or act in r.consent_matters:
        raise not_for(
            kind_name, act, "a written consent of stockholders", ("stockholder-consent", "consent-notice")
        )
    if act in r.board_actions or act in r.resolutions:
        raise not_for(kind_name, act, "a board action", ("board-minutes", "board-consent"))
    if facts.find_event(book, act) is not None:
        raise not_for(kind_name, act, "not a stockholder meeting")
    raise no_such("stockholder meeting", act, list(r.meetings))


def _amendment_texts(book, matters) -> list[dict]:
    """For each matter amending the charter, the articles as the board's resolution would have them read."""
    r = facts.governance(book)
    out = []
    for m in matters:
        rid = (m.get("params") or {}).get("resolution")
        if rid and rid in r.resolutions:
            arts = dict((r.resolutions[rid][1].get("params") or {}).get("articles") or {})
            if arts:
                out.append({"matter": str(m.get("id")), "resolution": rid, "articles": arts})
    return out


def _matters(called: MeetingCalled) -> list[dict]:
    return [
        {
            "id": str(m.get("id")),
            "kind": str(m.get("kind") or "").replace("_", " "),
            "text": str(m.get("text") or ""),
        }
        for m in called.matters
    ]


def _meeting_common(book, m: gov_record.Meeting) -> dict:
    called: MeetingCalled = m.body
    rd = record_date(m)
    sent = min((n.effective_on for n in m.notices), default=None)
    return {
        "corp": facts.corporation(book, called.meeting_on),
        "meeting_id": called.meeting_id,
        "meeting_kind": called.kind,
        "meeting_on": called.meeting_on,
        "time": called.time,
        "place": called.place,
        "remote": called.remote,
        "record_date": rd,
        "record_date_fixed": called.record_date is not None,
        "called_on": m.called.effective_on,
        "called_by": called.called_by,
        "matters": _matters(called),
        "amendments": _amendment_texts(book, called.matters),
        "notice_sent": sent,
        "notice_days": (called.meeting_on - sent).days if sent else None,
        "window_from": called.meeting_on - timedelta(days=60),
        "window_to": called.meeting_on - timedelta(days=10),
        "list_at_meeting": called.meeting_on < LIST_NOT_AT_MEETING,
        "secretary": next(
            (o for o in facts.officers(book, m.called.effective_on) if o["title"].lower() == "secretary"),
            None,
        ),
    }


@kind(
    "meeting-notice",
    "Notice of Meeting of Stockholders",
    "stockholders",
    "a meeting's id (M-…), one of its matters or event N",
    cites=("8 Del. C. § 222",),
)
def notice(book, act, as_of) -> Paper:
    m = meeting(book, act, "meeting-notice")
    ctx = _meeting_common(book, m)
    return Paper(
        "meeting-notice",
        f"Notice of {m.body.kind.capitalize()} Meeting of Stockholders",
        "meeting-notice.html.j2",
        ctx,
        act=m.body.meeting_id,
        on=ctx["notice_sent"] or m.called.effective_on,
        cites=("8 Del. C. § 222", "8 Del. C. § 219", "8 Del. C. § 213"),
    )


@kind(
    "stockholder-list",
    "List of Stockholders Entitled to Vote",
    "stockholders",
    "a meeting's id (M-…), one of its matters or event N",
    cites=("8 Del. C. § 219",),
)
def stockholder_list(book, act, as_of) -> Paper:
    m = meeting(book, act, "stockholder-list")
    ctx = _meeting_common(book, m)
    rd = ctx["record_date"]
    rows = facts.holders_of_record(book, rd)
    v = facts.charter_on(book, rd)
    names = facts.class_names(v)
    classes = sorted(
        {c for r in rows for c in r["shares"]}, key=lambda c: list(names).index(c) if c in names else 99
    )
    ctx.update(
        {
            "rows": rows,
            "classes": [{"key": c, "name": names.get(c, c)} for c in classes],
            "totals": {c: sum(r["shares"].get(c, 0) for r in rows) for c in classes},
            "prepared_on": min((x.effective_on for x in m.lists), default=None),
        }
    )
    return Paper(
        "stockholder-list",
        "List of Stockholders Entitled to Vote",
        "stockholder-list.html.j2",
        ctx,
        act=m.body.meeting_id,
        on=ctx["prepared_on"] or rd,
        cites=("8 Del. C. § 219",),
    )


@kind(
    "meeting-minutes",
    "Minutes of a Meeting of Stockholders",
    "stockholders",
    "a meeting's id (M-…), one of its matters or event N",
    cites=("8 Del. C. § 216",),
)
def meeting_minutes(book, act, as_of) -> Paper:
    m = meeting(book, act, "meeting-minutes")
    if m.held is None:
        raise not_for("meeting-minutes", act, "a meeting the book does not record as held")
    ctx = _meeting_common(book, m)
    held = m.held.body
    rd = ctx["record_date"]
    st = book.state(rd)
    el = electorate(st, rd)
    names = facts.class_names(facts.charter_on(book, rd))
    approvals = book.approvals()
    present_ids = list(dict.fromkeys(held.present))
    for v in held.votes:
        for part in ("for", "against", "abstain"):
            spec = v.get(part)
            if isinstance(spec, (list, tuple)):
                present_ids += [h for h in spec if h not in present_ids]
    present = count(present_ids, el, "present") if present_ids else {}
    for c, n in dict(held.present_shares or {}).items():
        present[c] = max(present.get(c, 0), n)
    holder_names = {h: (st.holders[h].name if h in st.holders else h) for h in el.holders}
    votes = []
    for v in held.votes:
        mid = str(v.get("matter"))
        f, a, ab = (count(v.get(p), el, p) for p in ("for", "against", "abstain"))
        outcome = approvals.get(mid)
        classes = [c for c in el.shares if el.shares[c] > 0]
        votes.append(
            {
                "matter": mid,
                "text": next((x["text"] for x in ctx["matters"] if x["id"] == mid), ""),
                "rows": [
                    {
                        "cls": names.get(c, c),
                        "for": f.get(c, 0),
                        "against": a.get(c, 0),
                        "abstain": ab.get(c, 0),
                        "outstanding": el.shares[c],
                    }
                    for c in classes
                ],
                "for_names": [holder_names.get(h, h) for h in _ids(v.get("for"))],
                "against_names": [holder_names.get(h, h) for h in _ids(v.get("against"))],
                "passed": bool(outcome and outcome.passed),
                "standard": outcome.standard if outcome else "",
                "why": outcome.why if outcome else "no outcome recorded",
            }
        )
    ctx.update(
        {
            "held_on": m.held.effective_on,
            "present_rows": [
                {"cls": names.get(c, c), "present": present.get(c, 0), "outstanding": el.shares[c]}
                for c in el.shares
                if el.shares[c] > 0
            ],
            "present_total": el.votes(present),
            "entitled_total": el.total(),
            "present_names": [holder_names.get(h, h) for h in present_ids],
            "votes": votes,
        }
    )
    return Paper(
        "meeting-minutes",
        f"Minutes of the {m.body.kind.capitalize()} Meeting of Stockholders",
        "meeting-minutes.html.j2",
        ctx,
        act=m.body.meeting_id,
        on=m.held.effective_on,
        cites=("8 Del. C. § 216", "8 Del. C. § 242(b)"),
    )


def _ids(spec) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, (list, tuple)):
        return [str(x) for x in spec]
    return []


# --- written consents (§228) --------------------------------------------------------------------------------


def consent_event(book, act: str, kind_name: str) -> Event:
    r = facts.governance(book)
    e = facts.find_event(book, act, (WrittenConsent,))
    if e is not None:
        return e
    cid = r.consent_matters[act][0] if act in r.consent_matters else act
    if cid in r.consents:
        return r.consents[cid]
    if act in r.meetings or act in r.matters:
        raise not_for(kind_name, act, "a stockholder meeting", ("meeting-notice", "meeting-minutes"))
    if act in r.board_actions or act in r.resolutions:
        raise not_for(kind_name, act, "a board action", ("board-consent", "board-minutes"))
    if facts.find_event(book, act) is not None:
        raise not_for(kind_name, act, "not a written consent")
    raise no_such("written consent", act, list(r.consents))


def _consent_common(book, e: Event) -> dict:
    b: WrittenConsent = e.body
    signed_on = [date.fromisoformat(str(s.get("signed_on"))) for s in b.signatures if s.get("signed_on")]
    rd = b.record_date or (min(signed_on) if signed_on else e.effective_on)
    st = book.state(rd)
    el = electorate(st, rd)
    names = facts.class_names(facts.charter_on(book, rd))
    rows = facts.holders_of_record(book, rd)
    signers = {str(s.get("signer")) for s in b.signatures}
    total = el.total()
    outcome = book.approvals().get(b.consent_id)
    return {
        "corp": facts.corporation(book, e.effective_on),
        "consent_id": b.consent_id,
        "by": b.by,
        "on": e.effective_on,
        "record_date": rd,
        "matters": [
            {
                "id": str(m.get("id")),
                "kind": str(m.get("kind") or "").replace("_", " "),
                "text": str(m.get("text") or ""),
            }
            for m in b.matters
        ],
        "amendments": _amendment_texts(book, b.matters),
        "rows": rows,
        "signers": signers,
        "classes": {c: names.get(c, c) for c in el.shares},
        "entitled_total": total,
        "signed_total": sum(r["total"] for r in rows if r["id"] in signers),
        "signatures": {
            str(s.get("signer")): date.fromisoformat(str(s.get("signed_on")))
            for s in b.signatures
            if s.get("signed_on")
        },
        "passed": bool(outcome and outcome.passed),
        "standard": outcome.standard if outcome else "",
    }


@kind(
    "stockholder-consent",
    "Written Consent of Stockholders",
    "stockholders",
    "a written consent's id (C-…), one of its matters or event N",
    cites=("8 Del. C. § 228",),
)
def stockholder_consent(book, act, as_of) -> Paper:
    e = consent_event(book, act, "stockholder-consent")
    ctx = _consent_common(book, e)
    rows = ctx["rows"]
    if ctx["signers"]:
        lines = [r for r in rows if r["id"] in ctx["signers"]]
    else:  # not yet signed: the fewest holders whose shares make a majority of the votes outstanding
        lines, got = [], 0
        for r in sorted(rows, key=lambda r: -r["total"]):
            if 2 * got > ctx["entitled_total"]:
                break
            lines.append(r)
            got += r["total"]
    ctx["lines"] = lines
    title = (
        "Written Consent of the Incorporators"
        if e.body.by == "incorporators"
        else "Written Consent of Stockholders"
    )
    return Paper(
        "stockholder-consent",
        title,
        "stockholder-consent.html.j2",
        ctx,
        act=e.body.consent_id,
        on=e.effective_on,
        cites=("8 Del. C. § 228",),
    )


@kind(
    "consent-notice",
    "Notice of Action Taken by Written Consent",
    "stockholders",
    "a written consent's id (C-…) or event N",
    cites=("8 Del. C. § 228(e)",),
)
def consent_notice(book, act, as_of) -> Paper:
    e = consent_event(book, act, "consent-notice")
    if e.body.by != "stockholders":
        raise not_for("consent-notice", act, f"a consent of the {e.body.by}, which needs no §228(e) notice")
    ctx = _consent_common(book, e)
    ctx["to"] = [r for r in ctx["rows"] if r["id"] not in ctx["signers"]]
    notice = facts.governance(book).consent_notices.get(e.body.consent_id)
    sent = notice.effective_on if notice is not None else None
    ctx["sent_on"] = sent
    return Paper(
        "consent-notice",
        "Notice of Action Taken by Written Consent of Stockholders",
        "consent-notice.html.j2",
        ctx,
        act=e.body.consent_id,
        on=sent or e.effective_on,
        cites=("8 Del. C. § 228(e)",),
    )
