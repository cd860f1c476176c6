"""Stockholder meetings called and held, 8 Del. C. §§ 211, 216 (notice and record dates: `notices`).

§211: a meeting is called by the board (or whom the charter or bylaws authorise). §216: a quorum of a
majority of the shares entitled to vote (the charter, else a bylaw, may set another, never below one
third); the vote each matter needs is in `votes`. §160(c): treasury shares do not vote. §211(e): directors
are elected by written ballot unless the charter provides otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ...core.errors import InputError
from ...core.events import MeetingCalled, MeetingHeld
from ...core.findings import Finding, error, info, warning
from ...core.record import build_until
from ...core.votes import Outcome, add, cap, count, electorate, meets
from ..params import param
from ..registry import rule
from . import carve_out
from . import votes as std
from .common import approval, article, c, provision
from .notices import list_findings, notice_findings, procedure, record_date, record_date_findings  # noqa: F401

KINDS = ("amend_charter", "elect_directors", "ordinary", "asset_sale", "compromise", "amend_bylaws", "ratify")


def evaluate(record, m, held_e, state_at) -> tuple[list[Finding], dict[str, Outcome]]:  # noqa: C901
    """All findings of meeting `m` held by `held_e`, and each matter's outcome, judged against `record`
    as it stood just before the meeting."""
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
    share, strict, which, cites = quorum(record, version, on)
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
    for mid, kind, v, f, a, _ab, nominees in tallies:
        matter = matters[mid]
        extra: dict = {}
        class_votes: list[str] = []
        verdicts = []
        if kind in std.OUTSTANDING:
            changes = std.amendment_changes(record, matter) if kind == "amend_charter" else {}
            listed = std.listed_242d2(record, changes, st.version, on) if kind == "amend_charter" else None
            if listed:  # §242(d)(2): votes cast, from 1 August 2023
                verdicts.append(std.votes_cast(f, a, el, listed))
                out.append(
                    info(
                        "MB-242D2-VOTES-CAST",
                        f"matter {mid}: judged by {verdicts[-1].standard}, not by a majority of the outstanding "
                        "(§242(b)(1))",
                        cites=(c("242(d)(2)"),),
                        rule="dgcl.216.quorum_and_votes",
                    )
                )
            else:
                verdicts.append(std.outstanding_majority(kind, f, el, version))
            if kind == "amend_charter":
                unmet, gaps = carve_out.recording(record, state_at, on)
                for cls, why, cites in std.class_votes_required(st.version, changes, el, unmet):
                    cv = std.class_votes_cast(cls, f, a) if listed else std.class_majority(cls, f, el)
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
                                rule=cv.rule,
                            )
                        )
                out += carve_out.findings(gaps, st.version, f"matter {mid}")
        elif kind == "elect_directors":
            seats = int((matter.get("params") or {}).get("seats") or len(nominees or {}) or 1)
            votes_by = {n: el.votes(x) for n, x in (nominees or {}).items()}
            elected, verdict = std.plurality(votes_by, seats)
            verdicts.append(verdict)
            extra["elected"] = elected
            if len(elected) < seats and sum(1 for n in votes_by.values() if n > 0) > len(elected):
                out.append(
                    warning(
                        "MB-ELECTION-TIE",
                        f"matter {mid}: a tie for the last of {seats} seat(s) ({verdict.detail}); no one is elected "
                        "to it and the incumbent holds over (§141(b))",
                        cites=(c("216(3)"), c("141(b)")),
                        rule="dgcl.216.3.plurality",
                    )
                )
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


def charter_quorum(version) -> tuple[object, Fraction, bool] | None:
    """(provision, share, strict) of a quorum the charter sets for stockholder meetings (§216), or None."""
    p = provision(version, "stockholder_quorum")
    if p is None:
        return None
    params = dict(p.params)
    try:
        return p, Fraction(str(params.get("share"))), bool(params.get("strict"))
    except (ValueError, ZeroDivisionError):
        return None


def quorum(record, version, on) -> tuple[Fraction, bool, str, tuple[str, ...]]:
    """The quorum of a stockholder meeting (§216) — the charter's, else a bylaw's, else the statute's majority —
    as (share, strict, which applied in words, cites). A charter or bylaw quorum below one third is void."""
    floor = Fraction(param("dgcl.216.quorum_floor", on))
    cq = charter_quorum(version)
    void = ""
    if cq is not None:
        p, share, strict = cq
        text = str(dict(p.params).get("text") or "").strip()
        if share >= floor:
            return (
                share,
                strict,
                f"the charter's, {article(version, p)}: {text}",
                (c("216"), article(version, p)),
            )
        void = f" (the charter's quorum of {share}, {article(version, p)}, is below one third and void)"
    if record.quorum is not None:  # a bylaw sets it (never below one third, §216)
        share, strict, bylaw = record.quorum
        which = (
            f"bylaw {bylaw.body.section} ({bylaw.effective_on.isoformat()}): {bylaw.body.text.strip()}{void}"
        )
        return share, strict, which, (c("216"), f"Bylaws, {bylaw.body.section}")
    share = Fraction(param("dgcl.216.quorum_default", on))
    which = f"the statute's default, a majority (§216(1)); no charter or bylaw sets another{void}"
    return share, True, which, (c("216(1)"),)


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
    before = build_until(record, m.held)  # the bylaws, notices and resolutions of the meeting's day
    return evaluate(before, before.meetings[m.body.meeting_id], m.held, state_at)[1]


carve_out.judged_by("meeting", outcomes)


# --- the rules -----------------------------------------------------------------------------------------


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
    "dgcl.216.quorum_and_votes",
    cites=(c("216"), c("242(b)"), c("271(a)"), c("160(c)"), c("212(a)")),
    summary="A majority of the voting power is a quorum; each matter carries by the vote the statute sets for it.",
    codes=(
        "MB-MEETING-NO-QUORUM",
        "MB-VOTE-FAILED",
        "MB-CLASS-VOTE-FAILED",
        "MB-ELECTION-NOT-BY-BALLOT",
        "MB-MATTER-NOT-VOTED",
        "MB-242D2-VOTES-CAST",
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
