"""Stockholder meetings, 8 Del. C. §§ 211, 213, 216, 219, 222 (and § 271's notice).

§213(a): the board fixes a record date not before its resolution, 10–60 days before the meeting
(default: the day before notice is given). §222(b): written notice 10–60 days before the meeting
(§271: at least 20 days), a special meeting's notice stating its purpose, and (§242(b)(1)) an
amendment's notice its text or a summary. §219(a): the stockholder list, prepared at least 10 days
before. §216: a quorum of a majority of the shares entitled to vote (never below one third); the vote
each matter needs is in `votes`. §160(c): treasury shares do not vote. §211(e): directors are elected by
written ballot unless the charter provides otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction

from ...core.errors import InputError
from ...core.events import MeetingCalled, MeetingHeld, NoticeSent
from ...core.findings import Finding, error, info, warning
from ...governance.approvals import Outcome
from ...governance.votes import add, cap, count, electorate, meets
from ..params import param
from ..registry import rule
from . import votes as std
from .common import approval, article, c, provision

KINDS = ("amend_charter", "elect_directors", "ordinary", "asset_sale", "compromise", "amend_bylaws", "ratify")


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


_MEMO: dict = {}


def evaluate(record, m, held_e, state_at) -> tuple[list[Finding], dict[str, Outcome]]:
    """All findings of a meeting held, and each matter's outcome."""
    # the memo keeps the record and event it was keyed by alive, so their ids are not reused while it
    # holds them (a refused event's id would otherwise be reused by the next one, with stale findings)
    key = (id(record), m.body.meeting_id, held_e.seq, id(held_e))
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is record and hit[1] is held_e:
        return hit[2]
    res = _evaluate(record, m, held_e, state_at)
    if len(_MEMO) > 64:
        _MEMO.clear()
    _MEMO[key] = (record, held_e, res)
    return res


def _evaluate(record, m, held_e, state_at):  # noqa: C901 - one pass over the votes
    called: MeetingCalled = m.body
    held: MeetingHeld = held_e.body
    on = held_e.effective_on
    out = procedure(record, m, on)
    proc_ok = not any(f.severity.value == "error" for f in out)
    rd = record_date(m)
    st = state_at(rd)
    el = electorate(st, rd)
    version = state_at(on).version
    matters = {str(x.get("id")): x for x in called.matters}
    present_holders = list(dict.fromkeys([*held.present]))
    tallies = []
    for i, v in enumerate(held.votes):
        mid = str(v.get("matter"))
        if mid not in matters:
            raise InputError(
                f"votes[{i}].matter: no matter {mid!r} on the agenda of meeting {called.meeting_id} "
                f"(matters: {', '.join(matters) or 'none'})"
            )
        kind = matters[mid].get("kind", "ordinary")
        where = f"votes[{i}]"
        if (
            kind == "elect_directors"
            and isinstance(v.get("for"), Mapping)
            and not set(v["for"]) <= set(el.shares)
        ):
            f_by_nominee = {n: count(spec, el, f"{where}.for.{n}") for n, spec in v["for"].items()}
            f = add(*f_by_nominee.values())
        else:
            f_by_nominee = None
            f = count(v.get("for"), el, f"{where}.for")
        a = count(v.get("against"), el, f"{where}.against")
        ab = count(v.get("abstain"), el, f"{where}.abstain")
        for part in ("for", "against", "abstain"):
            spec = v.get(part)
            if isinstance(spec, (list, tuple)):
                present_holders += [h for h in spec if h not in present_holders]
        if f_by_nominee is None:
            cap(add(f, a, ab), el, where)
        tallies.append((mid, kind, v, f, a, ab, f_by_nominee))
    present = add(
        count(present_holders, el, "present"), count(dict(held.present_shares or {}), el, "present_shares")
    )
    for _, _, _, f, a, ab, nominees in tallies:
        cast = add(a, ab) if nominees else add(f, a, ab)
        for k, n in cast.items():
            present[k] = max(present.get(k, 0), n)
    cap(present, el, "present")
    total, pv = el.total(), el.votes(present)
    if record.quorum is not None:  # a bylaw sets it (never below one third, §216)
        share, strict, bylaw = record.quorum
        which = f"bylaw {bylaw.body.section} ({bylaw.effective_on.isoformat()}): {bylaw.body.text.strip()}"
        cites = (c("216"), f"Bylaws, {bylaw.body.section}")
    else:
        share, strict = Fraction(param("dgcl.216.quorum_default", on)), True
        which = "the statute's default, a majority (§216(1)); no charter or bylaw sets another"
        cites = (c("216(1)"),)
    quorum_ok = total > 0 and meets(pv, total, (share, strict))
    if not quorum_ok:
        out.append(
            error(
                "MB-MEETING-NO-QUORUM",
                f"meeting {called.meeting_id}: {pv:,} of {total:,} votes present; the quorum is {which}",
                cites=cites,
                present=pv,
                entitled=total,
            )
        )
    outcomes: dict[str, Outcome] = {}
    for mid, kind, v, f, _a, _ab, nominees in tallies:
        matter = matters[mid]
        extra: dict = {}
        class_votes: list[str] = []
        verdicts = []
        if kind in std.OUTSTANDING:
            verdicts.append(std.outstanding_majority(kind, f, el, version))
            if kind == "amend_charter":
                changes = std.amendment_changes(record, matter)
                for cls, why, cites in std.class_votes_required(st.version, changes, el):
                    cv = std.class_majority(cls, f, el)
                    verdicts.append(cv)
                    if cv.passed:
                        class_votes.append(cls)
                    else:
                        out.append(
                            warning(
                                "MB-CLASS-VOTE-FAILED",
                                f"matter {mid}: the {cls} class must approve separately because {why}; "
                                f"{cv.detail}",
                                cites=cites,
                                rule="dgcl.242.b.2.class_vote",
                            )
                        )
        elif kind == "elect_directors":
            seats = int((matter.get("params") or {}).get("seats") or len(nominees or {}) or 1)
            votes_by = {n: el.votes(x) for n, x in (nominees or {}).items()}
            elected, verdict = std.plurality(votes_by, seats)
            verdicts.append(verdict)
            extra["elected"] = elected
            p = provision(version, "no_written_ballot")
            if v.get("ballot", "written") != "written" and p is None:
                out.append(
                    warning(
                        "MB-ELECTION-NOT-BY-BALLOT",
                        f"matter {mid}: directors elected without a written ballot, which the charter "
                        "does not dispense with",
                        cites=(c("211(e)"),),
                        rule="dgcl.211.e.written_ballot",
                    )
                )
        elif kind == "compromise":
            fh = _by_holder(v.get("for"), el, f"votes.{mid}.for")
            ah = _by_holder(v.get("against"), el, f"votes.{mid}.against")
            verdicts.append(std.compromise(fh, ah))
        else:
            verdicts.append(std.present_majority(f, present, el))
        passed = proc_ok and quorum_ok and all(x.passed for x in verdicts)
        first = verdicts[0]
        if proc_ok and quorum_ok and not first.passed:
            out.append(
                warning(
                    "MB-VOTE-FAILED",
                    f"matter {mid} ({kind.replace('_', ' ')}) failed: it needs {first.standard}; {first.detail}",
                    cites=first.cites,
                    rule=first.rule,
                )
            )
        why = (
            ""
            if passed
            else (
                "the meeting was not validly noticed or held"
                if not (proc_ok and quorum_ok)
                else "; ".join(x.detail for x in verdicts if not x.passed)
            )
        )
        outcomes[mid] = Outcome(
            mid,
            "stockholders",
            on,
            kind,
            passed,
            {**dict(matter.get("params") or {}), **extra},
            str(matter.get("text") or ""),
            "; ".join(x.standard for x in verdicts),
            tuple(class_votes),
            held_e.seq,
            why,
            {k: (f.get(k, 0), n) for k, n in el.shares.items()},
        )
    for mid, matter in matters.items():
        if mid not in outcomes:
            outcomes[mid] = Outcome(
                mid,
                "stockholders",
                on,
                matter.get("kind", "ordinary"),
                False,
                dict(matter.get("params") or {}),
                str(matter.get("text") or ""),
                seq=held_e.seq,
                why="no vote was recorded on it",
            )
            out.append(info("MB-MATTER-NOT-VOTED", f"meeting {called.meeting_id}: no vote recorded on {mid}"))
    return out, outcomes


def _by_holder(spec, el, where) -> dict[str, int]:
    if not isinstance(spec, (list, tuple)):
        raise InputError(f"{where}: the compromise test counts holders: give holder ids, not shares")
    out = {}
    for h in spec:
        if h not in el.holders:
            raise InputError(f"{where}: {h!r} held no outstanding shares on the record date")
        out[h] = sum(el.holders[h].values())
    return out


def outcomes(record, m, state_at) -> dict[str, Outcome]:
    if m.held is None:
        return {
            str(x.get("id")): Outcome(
                str(x.get("id")),
                "stockholders",
                m.body.meeting_on,
                x.get("kind", "ordinary"),
                False,
                dict(x.get("params") or {}),
                seq=m.called.seq,
                why="the meeting has not been held",
            )
            for x in m.body.matters
        }
    return evaluate(record, m, m.held, state_at)[1]


# --- the rules -----------------------------------------------------------------------------------------


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
    "dgcl.211.meeting_called",
    cites=(c("211(a)"), c("211(d)")),
    summary="A meeting is called by the board (or a person the charter or bylaws authorise); matters are known kinds.",
    codes=("MB-APPROVAL-MISSING", "MB-APPROVAL-UNKNOWN", "MB-APPROVAL-WRONG-BODY", "MB-APPROVAL-FAILED"),
    events=("MeetingCalled",),
)
def called_rule(ctx):
    b: MeetingCalled = ctx.event.body
    if b.kind not in ("annual", "special"):
        raise InputError(f"kind: a meeting is annual or special, not {b.kind!r}")
    if b.meeting_on < ctx.event.effective_on:
        raise InputError(
            f"meeting_on: {b.meeting_on.isoformat()} is before the meeting was called "
            f"({ctx.event.effective_on.isoformat()})"
        )
    for i, x in enumerate(b.matters):
        if x.get("kind", "ordinary") not in KINDS:
            raise InputError(f"matters[{i}].kind: {x.get('kind')!r} is not one of {', '.join(KINDS)}")
        if not x.get("id"):
            raise InputError(f"matters[{i}].id: every matter needs an id")
    return approval(
        ctx,
        b.called_by,
        f"the call of meeting {b.meeting_id}",
        "a board resolution calling it",
        board=True,
        kinds=("call_meeting", "amend_charter", "asset_sale"),
        cites=(c("211(d)"),),
    )[0]


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


@rule(
    "dgcl.216.quorum_and_votes",
    cites=(c("216"), c("242(b)"), c("271(a)"), c("160(c)"), c("212(a)")),
    summary="A majority of the voting power is a quorum; each matter carries by the vote the statute sets for it.",
    codes=(
        "MB-MEETING-NO-QUORUM",
        "MB-VOTE-FAILED",
        "MB-CLASS-VOTE-FAILED",
        "MB-ELECTION-NOT-BY-BALLOT",
        "MB-MATTER-NOT-VOTED",
    ),
    events=("MeetingHeld",),
    default="quorum: a majority of the shares entitled to vote unless the charter or bylaws set another, never "
    "below one third (§216); one vote per share unless the charter provides otherwise (§212(a))",
)
def votes_rule(ctx):
    b: MeetingHeld = ctx.event.body
    m = ctx.gov.meetings.get(b.meeting_id)
    if m is None:
        raise InputError(f"meeting_id: no meeting {b.meeting_id!r} has been called")
    if m.held is not None:
        raise InputError(f"meeting_id: meeting {b.meeting_id!r} was already held on {m.held.effective_on}")
    mm = type(m)(m.called, list(m.notices), list(m.lists), ctx.event)
    findings, _ = evaluate(ctx.gov, mm, ctx.event, ctx.state_at)
    skip = {
        "MB-NOTICE-MISSING",
        "MB-NOTICE-TOO-LATE",
        "MB-NOTICE-TOO-EARLY",
        "MB-NOTICE-NO-PURPOSE",
        "MB-NOTICE-NO-AMENDMENT-TEXT",
        "MB-RECORD-DATE-OUT-OF-WINDOW",
        "MB-RECORD-DATE-BEFORE-RESOLUTION",
    }
    return [f for f in findings if f.code not in skip]


__all__ = ["evaluate", "outcomes", "record_date", "article"]
