"""Stock and the board's authority over it, 8 Del. C. §§ 151, 152, 153, 157, 202.

§152: the board authorises the issue of stock and fixes the consideration; since 2022 it may delegate
to a person by a resolution fixing the maximum number of shares, a time limit and the minimum
consideration. §151(a): a series' terms are fixed in the charter or by a board resolution under an
express grant in the charter, and (§151(g)) its certificate of designations is filed before any share
of the series is issued. §202: a transfer restriction is waived only as its terms (or the board) allow.
"""

from __future__ import annotations

import re
from datetime import date

from ...core.events import SeriesDesignated, SharesIssued, SharesTransferred
from ...core.findings import Finding, warning
from ..registry import rule
from .amendments import BLANK_CHECK_CURES
from .common import approval, article, c, defect, provision

_RESTRICTIVE = re.compile(
    r"restrict|transfer|first refusal|lock-?up|not been registered|securities act", re.I
)

CURE_ISSUE = (
    "§204 ratification: a board resolution stating the issuance, its date, the number and class of the "
    "putative shares and the defect (no board approval); stockholder approval only if the issuance needed it"
)


@rule(
    "dgcl.152.board_authorizes_issue",
    cites=(c("152"), c("153"), c("157(c)")),
    summary="Every issuance of stock is authorised by the board (or a delegate within the limits the board "
    "fixed: number, time, minimum price).",
    codes=(
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-EXCEEDED",
        "MB-APPROVAL-EXPIRED",
        "MB-APPROVAL-BELOW-MINIMUM",
        "MB-APPROVAL-AFTER-ACT",
    ),
    events=("SharesIssued",),
)
def issue_rule(ctx):
    b: SharesIssued = ctx.event.body
    act = f"the issuance of {b.shares:,} {b.class_key} shares to {b.holder_id}"
    cites = (c("152"), c("161"))
    found, out = approval(
        ctx,
        b.approved_by,
        act,
        "a board resolution authorising it",
        board=True,
        kinds=("issue_shares",),
        cites=cites,
        cure=CURE_ISSUE,
    )
    if out is None or not out.by_board or out.kind == "recorded":
        return found
    p = out.params
    h = ctx.historical

    def bad(code: str, msg: str) -> Finding:
        return defect(code, f"{act}: {msg}", h, cites, CURE_ISSUE)

    if p.get("class_key") and p["class_key"] != b.class_key:
        found.append(
            bad("MB-APPROVAL-MISMATCH", f"{out.id} authorises {p['class_key']} shares, not {b.class_key}")
        )
    if p.get("holder_id") and p["holder_id"] != b.holder_id:
        found.append(bad("MB-APPROVAL-MISMATCH", f"{out.id} authorises shares for {p['holder_id']}"))
    if p.get("max_shares") is not None:
        used = ctx.gov.used.get(out.id, 0)
        if used + b.shares > int(p["max_shares"]):
            found.append(
                bad(
                    "MB-APPROVAL-EXCEEDED",
                    f"{out.id} authorises at most {int(p['max_shares']):,} shares and {used:,} are already issued "
                    "under it",
                )
            )
    if p.get("until"):
        until = date.fromisoformat(str(p["until"]))
        if ctx.event.effective_on > until:
            found.append(
                bad("MB-APPROVAL-EXPIRED", f"{out.id} authorised issuances until {until.isoformat()}")
            )
    if p.get("min_price") is not None:
        from decimal import Decimal

        if b.price_per_share < Decimal(str(p["min_price"])):
            found.append(
                bad(
                    "MB-APPROVAL-BELOW-MINIMUM",
                    f"price ${b.price_per_share} is below the minimum ${p['min_price']} {out.id} fixed (§152)",
                )
            )
    return found


@rule(
    "dgcl.151.a.designation_by_board",
    cites=(c("102(a)(4)"), c("151(a)"), c("151(g)")),
    summary="A series is designated only by a board resolution under an express grant in the charter, "
    "its certificate of designations filed.",
    codes=(
        "MB-BLANK-CHECK-DEFECTIVE",
        "MB-DESIGNATION-NOT-BY-BOARD",
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
    ),
    events=("SeriesDesignated",),
)
def designation_rule(ctx):
    b: SeriesDesignated = ctx.event.body
    v = ctx.state.version
    act = f"the designation of series {b.series_key} of {b.class_key}"
    cites = (c("151(a)"), c("151(g)"))
    out: list[Finding] = []
    holder = v.capital.blank_check_holder if v is not None and v.capital else None
    p = provision(v, "preferred_blank_check")
    if holder and not ("board" in holder.lower() or "director" in holder.lower()):
        out.append(
            defect(
                "MB-BLANK-CHECK-DEFECTIVE",
                f"{act}: the charter ({article(v, p)}) grants the power to fix preferred terms to {holder!r}, "
                "not the board; no one holds a valid grant",
                ctx.historical,
                (c("102(a)(4)"), *cites, article(v, p)),
                BLANK_CHECK_CURES,
            )
        )
    elif holder is None and v is not None and v.capital is not None:
        out.append(
            defect(
                "MB-BLANK-CHECK-DEFECTIVE",
                f"{act}: the charter ({article(v)}) grants no authority to fix the terms of a series",
                ctx.historical,
                (c("102(a)(4)"), *cites),
                "§242: amend the charter to state the terms or grant the board the power to fix them",
            )
        )
    who = (b.designated_by or "").lower()
    if who and "board" not in who and "director" not in who:
        out.append(
            defect(
                "MB-DESIGNATION-NOT-BY-BOARD",
                f"{act} was made by {b.designated_by!r}: only the board may designate (§151(a))",
                ctx.historical,
                cites,
                BLANK_CHECK_CURES,
            )
        )
    out += approval(
        ctx,
        b.approved_by,
        act,
        "a board resolution fixing the series' terms",
        board=True,
        kinds=("designate_series",),
        cites=cites,
        cure=BLANK_CHECK_CURES,
    )[0]
    return out


@rule(
    "dgcl.202.transfer_waiver",
    cites=(c("202"),),
    summary="A transfer of shares under a restriction noted on the certificate names the waiver that allowed "
    "it; a waiver points at the board action that granted it.",
    codes=("MB-TRANSFER-RESTRICTED", "MB-APPROVAL-UNKNOWN", "MB-APPROVAL-FAILED", "MB-APPROVAL-WRONG-BODY"),
    events=("SharesTransferred",),
)
def transfer_rule(ctx):
    b: SharesTransferred = ctx.event.body
    if not b.approved_by:
        legends = [x for x in ctx.gov.legends.get(b.certificate or "", ()) if _RESTRICTIVE.search(x)]
        if not legends:
            return []
        return [
            warning(
                "MB-TRANSFER-RESTRICTED",
                f"certificate {b.certificate} carries a transfer restriction ({legends[0][:80]!r}) and the transfer "
                "names no waiver or permitted-transfer approval: record the board's waiver with --approved-by, "
                "or confirm the restriction allows it",
                cites=(c("202(a)"),),
            )
        ]
    return approval(
        ctx,
        b.approved_by,
        f"the transfer of {b.shares:,} {b.class_key} shares",
        "a board waiver",
        board=True,
        cites=(c("202"),),
    )[0]
