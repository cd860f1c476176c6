"""Bylaws, 8 Del. C. § 109(a): before payment for stock the incorporators or the directors adopt and
amend them; after payment, the stockholders entitled to vote, and the directors too only where the
charter confers the power on them (which never takes it from the stockholders)."""

from __future__ import annotations

from fractions import Fraction

from ...core.codec import version_from_dict
from ...core.errors import InputError
from ...core.events import BylawsAmended, CharterAmended, Incorporated
from ...core.record import quorum_bylaw
from ...core.votes import quorum_share
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


@rule(
    "dgcl.216.quorum_floor",
    cites=(c("216"), c("141(b)")),
    summary="The charter or bylaws may set the stockholders' or the board's quorum, never below one third.",
    codes=("MB-QUORUM-BELOW-FLOOR",),
    events=("BylawsAmended", "Incorporated", "CharterAmended"),
    default="a quorum the charter sets for stockholder meetings governs, else a bylaw section named 'quorum' "
    "(stockholders) or 'board quorum', else the statute's majority, in the meeting and board rules; the finding "
    "of a failed quorum names which applied",
)
def quorum_floor_rule(ctx):
    b = ctx.event.body
    if isinstance(b, (Incorporated, CharterAmended)):
        return _charter_quorum_floor(ctx)
    kind = quorum_bylaw(b.section)
    floor: list = []
    if kind is not None:
        share = quorum_share(b.text)
        if share is None:
            raise InputError(
                f"text: bylaw {b.section!r} sets a quorum: name its share (e.g. 'one-third', '40%', 'a majority')"
            )
        if share[0] < Fraction(1, 3):
            floor.append(
                defect(
                    "MB-QUORUM-BELOW-FLOOR",
                    f"bylaw {b.section} sets a quorum of {share[0]} of the "
                    f"{'whole board' if kind == 'board' else 'shares entitled to vote'}: never less than one third",
                    ctx.historical,
                    (c("141(b)") if kind == "board" else c("216"),),
                    "amend the bylaw to one third or more",
                )
            )
    return floor


def _charter_quorum_floor(ctx):
    """A quorum for stockholder meetings set in the charter below one third of the shares entitled to vote."""
    b = ctx.event.body
    if not b.charter:
        return []
    v = version_from_dict({**b.charter, "effective_on": ctx.event.effective_on.isoformat()})
    p = provision(v, "stockholder_quorum")
    if p is None:
        return []
    params = dict(p.params)
    try:
        share = Fraction(str(params.get("share")))
    except (ValueError, ZeroDivisionError):
        return []
    if share >= Fraction(1, 3):
        return []
    return [
        defect(
            "MB-QUORUM-BELOW-FLOOR",
            f"the charter ({article(v, p)}) sets a quorum of {share} of the shares entitled to vote at stockholder "
            "meetings: never less than one third (§216), so the bylaws' or the statute's quorum applies instead",
            ctx.historical,
            (c("216"), article(v, p)),
            "amend the charter (§242) to a quorum of one third or more",
        )
    ]
