"""Board action, 8 Del. C. § 141, and the directors and officers it concerns.

§141(b): a majority of the total number of directors is a quorum, and the vote of a majority of the
directors present at a meeting with a quorum is the act of the board (unless the charter or bylaws
require more). §141(f): the board may act without a meeting only if every director in office
consents in writing. §107: until directors are elected, the incorporators manage the corporation.
"""

from __future__ import annotations

from fractions import Fraction

from ...core.errors import InputError
from ...core.events import BoardActed, DirectorsElected, DirectorsLeft, OfficersAppointed
from ...core.findings import Finding, error, info
from ...core.record import build_until
from ...core.votes import Outcome, meets
from ..registry import rule
from .common import approval, c, defect

FORMS = ("meeting", "consent")


def evaluate(record, body: BoardActed) -> tuple[list[Finding], dict[str, bool]]:
    """The findings of a board action and, per resolution id, whether it passed."""
    if body.form not in FORMS:
        raise InputError(f"form: must be one of {', '.join(FORMS)}, not {body.form!r}")
    out: list[Finding] = []
    in_office = record.directors
    present = list(dict.fromkeys(body.present))
    unknown = [p for p in present if p not in in_office]
    valid = [p for p in present if p in in_office]
    ok = True
    if not in_office:
        out.append(
            error(
                "MB-BOARD-NO-DIRECTORS",
                "no director is in office: until directors are elected the incorporators act (§107)",
                cites=(c("107"), c("141(b)")),
            )
        )
        ok = False
    if unknown:
        out.append(
            error(
                "MB-DIRECTOR-UNKNOWN",
                f"present: {', '.join(repr(u) for u in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not a director in office "
                f"(directors: {', '.join(sorted(in_office)) or 'none'})",
                cites=(c("141(b)"),),
                field="present",
            )
        )
    whole = record.whole_board()
    if body.form == "meeting" and in_office:
        if record.board_quorum is not None:
            share, strict, bylaw = record.board_quorum
            which = f"bylaw {bylaw.body.section}: {bylaw.body.text.strip()}"
        else:
            share, strict, which = Fraction(1, 2), True, "a majority of the whole board (§141(b)'s default)"
        if not meets(len(valid), whole, (share, strict)):
            out.append(
                error(
                    "MB-BOARD-NO-QUORUM",
                    f"{len(valid)} of {whole} directors present: the quorum is {which}",
                    cites=(c("141(b)"),),
                    present=len(valid),
                    whole=whole,
                )
            )
            ok = False
    elif body.form == "consent" and in_office:
        missing = sorted(set(in_office) - set(valid))
        if missing:
            out.append(
                error(
                    "MB-BOARD-CONSENT-NOT-UNANIMOUS",
                    f"the written consent lacks {', '.join(missing)}: the board acts without a meeting only "
                    "by the consent of every director in office",
                    cites=(c("141(f)"),),
                )
            )
            ok = False
    passed: dict[str, bool] = {}
    for i, res in enumerate(body.resolutions):
        rid = str(res.get("id") or f"#{i + 1}")
        against = [a for a in (res.get("against") or ()) if a in valid]
        abstain = [a for a in (res.get("abstain") or ()) if a in valid]
        for who in [*(res.get("against") or ()), *(res.get("abstain") or ())]:
            if who not in valid:
                raise InputError(
                    f"resolutions[{i}].against/abstain: {who!r} is not among the directors present"
                )
        yes = len(valid) - len(against) - len(abstain)
        carried = ok and (yes == len(valid) if body.form == "consent" else 2 * yes > len(valid))
        if ok and not carried:
            out.append(
                info(
                    "MB-BOARD-RESOLUTION-FAILED",
                    f"resolution {rid}: {yes} of {len(valid)} directors present voted for it; it did not carry",
                    cites=(c("141(b)"),),
                )
            )
        passed[rid] = carried
    return out, passed


def resolution_outcome(record_now, e, res: dict) -> Outcome:
    """A resolution's outcome, judged against the directors in office when the board acted."""

    before = build_until(record_now, e)
    findings, passed = evaluate(before, e.body)
    rid = str(res.get("id"))
    ok = passed.get(rid, False)
    why = "; ".join(f.message for f in findings if f.severity.value == "error") if not ok else ""
    return Outcome(
        rid,
        "board",
        e.effective_on,
        str(res.get("kind") or "general"),
        ok,
        dict(res.get("params") or {}),
        str(res.get("text") or ""),
        "unanimous written consent" if e.body.form == "consent" else "majority of the directors present",
        seq=e.seq,
        why=why or ("" if ok else "the board did not adopt it"),
    )


@rule(
    "dgcl.141.b.quorum_and_majority",
    cites=(c("141(b)"),),
    summary="A majority of the whole board is a quorum; a majority of the directors present acts for the board.",
    codes=(
        "MB-BOARD-NO-QUORUM",
        "MB-BOARD-RESOLUTION-FAILED",
        "MB-DIRECTOR-UNKNOWN",
        "MB-BOARD-NO-DIRECTORS",
    ),
    events=("BoardActed",),
    default="quorum and vote may be raised by the charter or bylaws (not modelled: the statute's default applies)",
)
def board_meeting(ctx):
    if ctx.event.body.form != "meeting":
        return []
    return evaluate(ctx.gov, ctx.event.body)[0]


@rule(
    "dgcl.141.f.unanimous_consent",
    cites=(c("141(f)"),),
    summary="The board may act without a meeting only by written consent of every director in office.",
    codes=("MB-BOARD-CONSENT-NOT-UNANIMOUS", "MB-DIRECTOR-UNKNOWN", "MB-BOARD-NO-DIRECTORS"),
    events=("BoardActed",),
)
def board_consent(ctx):
    if ctx.event.body.form != "consent":
        return []
    return evaluate(ctx.gov, ctx.event.body)[0]


@rule(
    "dgcl.141.b.directors_in_office",
    cites=(c("141(b)"), c("141(k)")),
    summary="Only a director in office can resign or be removed; a director takes office by a valid election.",
    codes=(
        "MB-DIRECTOR-UNKNOWN",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
        "MB-BOARD-SIZE",
    ),
    events=("DirectorsLeft", "DirectorsElected", "BoardSizeFixed"),
)
def directors(ctx):
    b = ctx.event.body
    out: list[Finding] = []
    if isinstance(b, DirectorsLeft):
        gone = [d for d in b.directors if d not in ctx.gov.directors]
        if gone:
            out.append(
                error(
                    "MB-DIRECTOR-UNKNOWN",
                    f"directors: {', '.join(repr(d) for d in gone)} not in office on "
                    f"{ctx.event.effective_on.isoformat()}",
                    cites=(c("141(b)"),),
                    field="directors",
                )
            )
    elif isinstance(b, DirectorsElected):
        body = {"stockholders": dict(stockholders=True), "board": dict(board=True)}.get(b.by, {})
        if b.by == "incorporator":
            if ctx.gov.directors:
                out.append(
                    error(
                        "MB-APPROVAL-WRONG-BODY",
                        "the incorporators name directors only until directors are elected (§107)",
                        cites=(c("107"),),
                    )
                )
        elif b.approved_by:
            found, out_ = approval(
                ctx,
                b.approved_by,
                "the election of directors",
                "a vote to elect them",
                kinds=("elect_directors", "fill_vacancy"),
                cites=(c("211(b)"), c("216(3)"), c("223")),
                **body,
            )
            out += found
            elected = out_.params.get("elected") if out_ is not None and out_.passed else None
            lost = [d for d in b.directors if elected is not None and d not in elected]
            if lost:  # a nominee the plurality did not elect (§216(3))
                out.append(
                    defect(
                        "MB-APPROVAL-MISMATCH",
                        f"directors: {', '.join(repr(d) for d in lost)} not elected by {b.approved_by} "
                        f"(elected: {', '.join(elected) or 'none'})",
                        ctx.historical,
                        (c("216(3)"),),
                        field="directors",
                    )
                )
    elif getattr(b, "size", 1) < 1:
        out.append(error("MB-BOARD-SIZE", "the board has at least one director", cites=(c("141(b)"),)))
    return out


@rule(
    "dgcl.142.officers_chosen_by_board",
    cites=(c("142(a)"), c("142(b)")),
    summary="Officers are chosen as the bylaws or the board provide; an appointment names the board's act.",
    codes=(
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
        "MB-APPROVAL-NOT-NAMED",
    ),
    events=("OfficersAppointed",),
)
def officers(ctx):
    b: OfficersAppointed = ctx.event.body
    if not b.approved_by:
        return [
            info(
                "MB-APPROVAL-NOT-NAMED",
                f"the appointment of {b.name} as {', '.join(b.titles)} names no board action",
                cites=(c("142(b)"),),
            )
        ]
    return approval(
        ctx,
        b.approved_by,
        f"the appointment of {b.name}",
        "a board resolution",
        board=True,
        kinds=("elect_officers",),
        cites=(c("142(b)"),),
    )[0]
