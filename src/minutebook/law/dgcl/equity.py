"""The board's authority over rights and options, 8 Del. C. §§ 157, 152, 161, and the plan's stockholder approval
for incentive stock options (26 U.S.C. § 422(b)(1)).

§157(a): the corporation creates and issues rights or options to acquire its stock as the board approves; (b) the
terms, including the consideration for the stock, are fixed in the charter or the board's resolution; (c) the
board may delegate to officers the designation of recipients and the number of rights, by a resolution fixing the
total number and the price terms — but an officer may not designate himself or herself. A grant to an officer is
therefore the board's own act. A plan reserving shares, and a SAFE or a note convertible into stock, are approved by
the board the same way.
"""

from __future__ import annotations

from ...core.events import AwardGranted, AwardRepriced, ConvertibleIssued, PlanAdopted, PoolChanged
from ...core.findings import Finding, warning
from ...core.vesting import add_months
from ..registry import rule
from .common import APPROVAL_CODES, approval, c, defect

CURE_GRANT = (
    "a board resolution approving the grant and its terms (§157), or its ratification under §204 if the grant was "
    "of putative stock"
)


def _officer(gov, holder_id: str) -> str | None:
    """The title `holder_id` holds as an officer, if any."""
    return next((t for (pid, t) in gov.officers if pid == holder_id), None)


@rule(
    "dgcl.157.grant_approved",
    cites=(c("157(a)"), c("157(b)"), c("157(c)")),
    summary="Rights and options (options, RSUs, restricted stock, warrants) are granted on terms the board approves; "
    "an officer may be delegated to name recipients, never himself or herself.",
    codes=(*APPROVAL_CODES, "MB-GRANT-BY-DELEGATE-TO-SELF", "MB-DELEGATION-EXCEEDED"),
    events=("AwardGranted", "AwardRepriced"),
)
def grant_rule(ctx) -> list[Finding]:
    b = ctx.event.body
    if isinstance(b, AwardRepriced):
        act = f"the repricing of {b.award_id} to ${b.exercise_price}"
    else:
        assert isinstance(b, AwardGranted)
        act = f"the grant of {b.quantity:,} {b.class_key} shares as {b.kind} {b.award_id} to {b.holder_id}"
    cites = (c("157"),)
    found, out = approval(
        ctx,
        b.approved_by,
        act,
        "a board resolution approving it and fixing its terms",
        board=True,
        kinds=("grant_awards", "delegate_awards", "adopt_plan"),
        cites=cites,
        cure=CURE_GRANT,
    )
    if out is None or not isinstance(b, AwardGranted) or getattr(out, "kind", None) != "delegate_awards":
        return found
    title = _officer(ctx.gov, b.holder_id)
    delegate = str(out.params.get("officer") or "the delegate")
    if title is not None:
        self_ = (
            " — the delegate designating himself or herself, which §157(c) forbids"
            if delegate == b.holder_id
            else ""
        )
        found.append(
            defect(
                "MB-GRANT-BY-DELEGATE-TO-SELF",
                f"{act}: {b.holder_id} is an officer ({title}) and {out.id} only delegates grants to {delegate}"
                f"{self_}; a grant to an officer is the board's own act",
                ctx.historical,
                (c("157(c)"),),
                CURE_GRANT,
            )
        )
    limit = out.params.get("max_shares")
    if limit is not None:
        used = sum(
            a.quantity
            for a in ctx.state.equity.awards.values()
            if a.approved_by == out.id and a.granted_on <= ctx.event.effective_on
        )
        if used + b.quantity > int(limit):
            found.append(
                defect(
                    "MB-DELEGATION-EXCEEDED",
                    f"{act}: {out.id} delegates grants of at most {int(limit):,} shares and {used:,} are granted "
                    "under it already",
                    ctx.historical,
                    (c("157(c)"),),
                    CURE_GRANT,
                )
            )
    return found


@rule(
    "dgcl.157.plan_approved",
    cites=(c("157"), c("161")),
    summary="An equity plan, and each change of the shares it reserves, is approved by the board.",
    codes=APPROVAL_CODES,
    events=("PlanAdopted", "PoolChanged"),
)
def plan_rule(ctx) -> list[Finding]:
    b = ctx.event.body
    what = "the adoption of plan" if isinstance(b, PlanAdopted) else "the change of the pool of plan"
    found, _ = approval(
        ctx,
        b.approved_by,
        f"{what} {b.plan_id} ({b.reserved:,} shares reserved)",
        "a board resolution adopting the plan or changing its reserve",
        board=True,
        kinds=("adopt_plan", "grant_awards"),
        cites=(c("157"), c("161")),
        cure="a board resolution adopting (or ratifying) the plan and its reserve",
    )
    if isinstance(b, (PlanAdopted, PoolChanged)) and b.stockholder_approval:
        more, _ = approval(
            ctx,
            b.stockholder_approval,
            f"the stockholders' approval of plan {b.plan_id}",
            "the stockholders' approval of the plan (IRC § 422(b)(1))",
            stockholders=True,
            cites=("26 U.S.C. § 422(b)(1)",),
        )
        found += [f for f in more if f.code != "MB-APPROVAL-AFTER-ACT"]  # it may come up to 12 months later
    return found


@rule(
    "dgcl.157.convertible_approved",
    cites=(c("157"), c("152")),
    summary="A SAFE or a convertible note — a right to acquire stock — is issued as the board approves.",
    codes=APPROVAL_CODES,
    events=("ConvertibleIssued",),
)
def convertible_rule(ctx) -> list[Finding]:
    b: ConvertibleIssued = ctx.event.body
    found, _ = approval(
        ctx,
        b.approved_by,
        f"the {b.kind} {b.convertible_id} of ${b.amount:,} to {b.holder_id}",
        "a board resolution approving its issue and terms",
        board=True,
        kinds=("issue_convertible", "issue_shares", "grant_awards"),
        cites=(c("157"), c("152")),
        cure="a board resolution approving (or ratifying) the SAFE or note",
    )
    return found


@rule(
    "irc.422.plan_stockholder_approval",
    cites=("26 U.S.C. § 422(b)(1)",),
    summary="Options granted as ISOs need the plan approved by the stockholders within 12 months before or after "
    "its adoption; otherwise they are non-qualified options.",
    codes=("MB-ISO-PLAN-NOT-APPROVED",),
    events=("*",),
)
def iso_plan_rule(ctx) -> list[Finding]:
    q = ctx.state.equity
    on = ctx.event.effective_on
    out = []
    for p in q.plans.values():
        isos = [a.id for a in q.awards.values() if a.plan_id == p.id and a.option_type == "ISO"]
        if not isos:
            continue
        # "within 12 months before or after the date such plan is adopted": calendar months, by the stockholders
        due, opens = add_months(p.adopted_on, 12), add_months(p.adopted_on, -12)
        ok = ctx.approvals.get(p.stockholder_approval) if p.stockholder_approval and ctx.approvals else None
        if ok is not None and ok.passed and ok.by_stockholders and opens <= ok.on <= due:
            continue
        if on > due:
            out.append(
                warning(
                    "MB-ISO-PLAN-NOT-APPROVED",
                    f"plan {p.id} grants ISOs ({', '.join(isos[:5])}{' …' if len(isos) > 5 else ''}) but no "
                    f"stockholder approval within 12 months of its adoption ({p.adopted_on.isoformat()}, due by "
                    f"{due.isoformat()}) is recorded: those options are not ISOs",
                    cites=("26 U.S.C. § 422(b)(1)",),
                    cure="record the stockholders' approval if it was given in time; otherwise treat the options "
                    "as non-qualified",
                )
            )
    return out


@rule(
    "dgcl.157.stock_issued_on_exercise",
    cites=(c("152"), c("157")),
    summary="Every exercise, release and conversion recorded has its stock issued.",
    codes=("MB-EXERCISE-NOT-ISSUED",),
    events=("*",),
)
def settled_rule(ctx) -> list[Finding]:
    q = ctx.state.equity
    out = []
    owed = [(a.id, a.to_issue) for a in q.awards.values() if a.to_issue] + [
        (c_.id, c_.to_issue) for c_ in q.convertibles.values() if c_.to_issue
    ]
    for ident, n in owed:
        out.append(
            warning(
                "MB-EXERCISE-NOT-ISSUED",
                f"{ident}: {n:,} shares owed on its exercise or conversion have not been issued",
                cites=(c("152"), c("157")),
                cure=f"record the issuance of the {n:,} shares naming {ident}",
            )
        )
    return out
