"""Notice of a stockholder meeting and its record date, 8 Del. C. §§ 213, 219, 222 (and § 271's notice).

§213(a): the board fixes a record date not before its resolution, 10–60 days before the meeting
(default: the close of business on the day before notice is given). §222(b): written notice 10–60 days
before the meeting (§271: at least 20 days), a special meeting's notice stating its purpose, and
(§242(b)(1)) an amendment's notice its text or a summary. §219(a): the stockholder list, prepared at
least 10 days before the meeting. The windows are dated parameters (`law/data/dgcl.yaml`).
"""

from __future__ import annotations

from datetime import date, timedelta

from ...core.errors import InputError
from ...core.events import MeetingCalled, NoticeSent
from ...core.findings import Finding, error, warning
from ..params import param
from ..registry import rule
from .common import c


def record_date(m) -> date:
    called: MeetingCalled = m.body
    if called.record_date is not None:
        return called.record_date
    if m.notices:
        return min(n.effective_on for n in m.notices) - timedelta(days=1)
    return called.meeting_on - timedelta(days=1)


def _notice_min(called: MeetingCalled, on: date) -> tuple[int, str]:
    if any(x.get("kind") == "asset_sale" for x in called.matters):
        return param("dgcl.271.notice_min_days", on), c("271(a)")
    return param("dgcl.222.notice_min_days", on), c("222(b)")


def notice_findings(called: MeetingCalled, n_on: date, n: NoticeSent) -> list[Finding]:
    if n_on > called.meeting_on:
        raise InputError(
            f"notice date {n_on.isoformat()} is after the meeting {called.meeting_id} "
            f"({called.meeting_on.isoformat()}): a meeting cannot be dated before its notice"
        )
    out = []
    days = (called.meeting_on - n_on).days
    low, cite = _notice_min(called, n_on)
    high = param("dgcl.222.notice_max_days", n_on)
    if days < low:
        out.append(
            error(
                "MB-NOTICE-TOO-LATE",
                f"notice of meeting {called.meeting_id} sent {days} days before it "
                f"({n_on.isoformat()} for {called.meeting_on.isoformat()}): at least {low} days are required",
                cites=(cite,),
                days=days,
            )
        )
    if days > high:
        out.append(
            error(
                "MB-NOTICE-TOO-EARLY",
                f"notice of meeting {called.meeting_id} sent {days} days before it: at most {high} days",
                cites=(c("222(b)"),),
                days=days,
            )
        )
    if called.kind == "special" and not n.states_purpose:
        out.append(
            error(
                "MB-NOTICE-NO-PURPOSE",
                f"the notice of special meeting {called.meeting_id} does not state its purpose",
                cites=(c("222(a)"),),
            )
        )
    if any(x.get("kind") == "amend_charter" for x in called.matters) and not n.includes_text:
        out.append(
            error(
                "MB-NOTICE-NO-AMENDMENT-TEXT",
                f"the notice of meeting {called.meeting_id} omits the amendment or a summary of it",
                cites=(c("242(b)(1)"),),
            )
        )
    return out


def record_date_findings(record, called: MeetingCalled, called_on: date) -> list[Finding]:
    out = []
    rd = called.record_date
    if rd is None:
        return out
    if rd < called_on:
        out.append(
            error(
                "MB-RECORD-DATE-BEFORE-RESOLUTION",
                f"record date {rd.isoformat()} precedes the board's action fixing it ({called_on.isoformat()})",
                cites=(c("213(a)"),),
            )
        )
    days = (called.meeting_on - rd).days
    low, high = param("dgcl.213.record_min_days", rd), param("dgcl.213.record_max_days", rd)
    if not low <= days <= high:
        out.append(
            error(
                "MB-RECORD-DATE-OUT-OF-WINDOW",
                f"record date {rd.isoformat()} is {days} days before the meeting "
                f"({called.meeting_on.isoformat()}): it must be {low} to {high} days before",
                cites=(c("213(a)"),),
                days=days,
            )
        )
    return out


def procedure(record, m, held_on: date) -> list[Finding]:
    """Notice, record date and list of a meeting being held (the call's and notices' own defects)."""
    called: MeetingCalled = m.body
    out = record_date_findings(record, called, m.called.effective_on)
    if held_on < called.meeting_on:
        raise InputError(
            f"meeting {called.meeting_id} is held on {held_on.isoformat()}, before the date it was "
            f"called for ({called.meeting_on.isoformat()})"
        )
    if not m.notices:
        out.append(
            error(
                "MB-NOTICE-MISSING",
                f"no notice of meeting {called.meeting_id} was sent to the stockholders of record",
                cites=(c("222(a)"),),
            )
        )
    else:
        out += notice_findings(called, min(n.effective_on for n in m.notices), m.notices[0].body)
    return out


def list_findings(m, held_on: date) -> list[Finding]:
    called: MeetingCalled = m.body
    need = param("dgcl.219.list_days_before", held_on)
    if not m.lists:
        return [
            warning(
                "MB-LIST-MISSING",
                f"no stockholder list was prepared for meeting {called.meeting_id}",
                cites=(c("219(a)"),),
            )
        ]
    first = min(x.effective_on for x in m.lists)
    if (called.meeting_on - first).days < need:
        return [
            warning(
                "MB-LIST-LATE",
                f"the stockholder list for meeting {called.meeting_id} was prepared on {first.isoformat()}, "
                f"less than {need} days before the meeting",
                cites=(c("219(a)"),),
            )
        ]
    return []


# --- the rules ----------------------------------------------------------------------------------------


@rule(
    "dgcl.213.a.record_date_window",
    cites=(c("213(a)"),),
    summary="The record date is fixed by the board, not before its resolution, 10 to 60 days before the meeting.",
    codes=("MB-RECORD-DATE-OUT-OF-WINDOW", "MB-RECORD-DATE-BEFORE-RESOLUTION"),
    events=("MeetingCalled",),
    default="no record date fixed: the close of business on the day before notice is given (§213(a))",
)
def record_date_rule(ctx):
    return record_date_findings(ctx.gov, ctx.event.body, ctx.event.effective_on)


@rule(
    "dgcl.222.b.notice_window",
    cites=(c("222(b)"), c("271(a)")),
    summary="Written notice goes out 10 to 60 days before the meeting (at least 20 for a §271 asset sale).",
    codes=("MB-NOTICE-TOO-LATE", "MB-NOTICE-TOO-EARLY", "MB-NOTICE-MISSING"),
    events=("NoticeSent", "MeetingHeld"),
)
def notice_rule(ctx):
    b = ctx.event.body
    m = ctx.gov.meetings.get(b.meeting_id)
    if m is None:
        raise InputError(f"meeting_id: no meeting {b.meeting_id!r} has been called")
    if isinstance(b, NoticeSent):
        return [
            f
            for f in notice_findings(m.body, ctx.event.effective_on, b)
            if f.code.startswith("MB-NOTICE-TOO")
        ]
    if not m.notices:
        return [
            error(
                "MB-NOTICE-MISSING",
                f"no notice of meeting {b.meeting_id} was sent to the stockholders of record",
                cites=(c("222(a)"),),
            )
        ]
    return []


@rule(
    "dgcl.222.a.notice_contents",
    cites=(c("222(a)"), c("242(b)(1)")),
    summary="A special meeting's notice states its purpose; an amendment's notice carries its text or a summary.",
    codes=("MB-NOTICE-NO-PURPOSE", "MB-NOTICE-NO-AMENDMENT-TEXT"),
    events=("NoticeSent",),
)
def notice_contents_rule(ctx):
    b = ctx.event.body
    m = ctx.gov.meetings.get(b.meeting_id)
    if m is None:
        raise InputError(f"meeting_id: no meeting {b.meeting_id!r} has been called")
    return [
        f
        for f in notice_findings(m.body, ctx.event.effective_on, b)
        if not f.code.startswith("MB-NOTICE-TOO")
    ]


@rule(
    "dgcl.219.a.stockholder_list",
    cites=(c("219(a)"),),
    summary="A complete list of the stockholders entitled to vote is prepared at least 10 days before the meeting.",
    codes=("MB-LIST-MISSING", "MB-LIST-LATE"),
    events=("MeetingHeld",),
)
def list_rule(ctx):
    m = ctx.gov.meetings.get(ctx.event.body.meeting_id)
    return list_findings(m, ctx.event.effective_on) if m else []
