"""Bylaws, 8 Del. C. § 109(a): before payment for stock the incorporators or the directors adopt and
amend them; after payment, the stockholders entitled to vote, and the directors too only where the
charter confers the power on them (which never takes it from the stockholders)."""

from __future__ import annotations

from ...core.events import BylawsAmended
from ..registry import rule
from .common import approval, article, c, defect, provision


@rule(
    "dgcl.109.a.who_amends_bylaws",
    cites=(c("109(a)"),),
    summary="After payment for stock, the stockholders amend the bylaws; the board only if the charter confers "
    "the power.",
    codes=(
        "MB-BYLAWS-BOARD-NOT-EMPOWERED",
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
    ),
    events=("BylawsAmended",),
    default="the stockholders hold the power; a charter clause conferring it on the board (Auxer Art. EIGHTH) "
    "adds the board",
)
def bylaws_rule(ctx):
    b: BylawsAmended = ctx.event.body
    act = f"the amendment of bylaw {b.section}"
    found, out = approval(
        ctx,
        b.approved_by,
        act,
        "adoption by the stockholders, or by the board where the charter confers the power",
        board=True,
        stockholders=True,
        kinds=("amend_bylaws",),
        cites=(c("109(a)"),),
    )
    if out is None or not out.by_board:
        return found
    g = ctx.gov
    before_payment = g.first_payment is None or g.first_payment > out.on
    v = ctx.state.version
    p = provision(v, "board_may_amend_bylaws")
    if not before_payment and p is None:
        found.append(
            defect(
                "MB-BYLAWS-BOARD-NOT-EMPOWERED",
                f"{act} by the board ({out.id}): after payment for stock the board may amend the bylaws only if "
                "the charter confers the power, and it does not",
                ctx.historical,
                (c("109(a)"), article(v)),
                "have the stockholders adopt the amendment, or amend the charter (§242) to confer the power",
            )
        )
    return found
