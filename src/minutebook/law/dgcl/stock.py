"""Stock and the board's authority over it, 8 Del. C. §§ 151, 152, 153, 157, 202.

§152: the board authorises the issue of stock and fixes the consideration; since 2022 it may delegate
to a person by a resolution fixing the maximum number of shares, a time limit and the minimum
consideration. §151(a): a series' terms are fixed in the charter or by a board resolution under an
express grant in the charter, and (§151(g)) its certificate of designations is filed before any share
of the series is issued. §202: a transfer restriction is waived only as its terms (or the board) allow.
"""

from __future__ import annotations

import functools
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
    if b.award_id and not b.approved_by:
        return []  # stock owed on an exercise, a release or a conversion: the award's approval covers it (§157)
    act = f"the issuance of {b.shares:,} {b.class_key} shares to {b.holder_id}"
    cites = (c("152"), c("161"))
    found, out = approval(
        ctx,
        b.approved_by,
        act,
        "a board resolution authorising it",
        board=True,
        kinds=("issue_shares", "grant_awards", "adopt_plan") if b.award_id else ("issue_shares",),
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


# --- §152/§157(c): a board's delegation of the power to issue stock -----------------------------------------

_DELEGATE = re.compile(
    r"\b(officers?|president|chief\s+\w+\s+officer|ceo|cfo|treasurer|secretary|committee|any\s+officer|"
    r"(?:he|she|they)|management)\b[^.;]{0,80}?\b(may|shall\s+have\s+(?:the\s+)?(?:power|authority)\s+to|"
    r"(?:is|are)\s+(?:hereby\s+)?(?:authori[sz]ed|empowered)\s+(?:from\s+time\s+to\s+time\s+)?to)\s+"
    r"(?:\w+\s+){0,3}?issue\b",
    re.I,
)
DELEGATION_SINCE = date(2022, 8, 1)  # 83 Del. Laws c. 377, amending §§ 152 and 157(c)
_LIMITS = (
    ("max_shares", "the maximum number of shares"),
    ("until", "the time within which they may be issued"),
    ("min_price", "the minimum consideration"),
)
CURE_DELEGATION = (
    "a board resolution fixing the maximum number of shares, the time within which they may be issued and the "
    "minimum consideration (§152, §157(c)); for shares already issued under the delegation, §204 ratification "
    "by the board"
)


def delegate(res: dict | None) -> str | None:
    """Whom an `issue_shares` resolution (a dict, as in `BoardActed`) delegates the issuance to — its
    `params.delegate_to`, else the person or body its text says "may issue" — or None when the board itself
    authorises the issuance."""
    if not res:
        return None
    params = dict(res.get("params") or {})
    if params.get("delegate_to"):
        return str(params["delegate_to"])
    return _said_to_issue(str(res.get("text") or ""))


@functools.lru_cache(maxsize=256)
def _said_to_issue(text: str) -> str | None:
    """The person or body a resolution's text says "may issue", lower-cased (kept: every issuance under a blanket
    resolution reads its text again)."""
    m = _DELEGATE.search(text)
    return m.group(1).lower() if m else None


def missing_limits(params) -> list[str]:
    p = dict(params or {})
    return [what for key, what in _LIMITS if p.get(key) in (None, "")]


def _delegation_findings(ctx, after_2022: bool):
    e = ctx.event
    cites = (c("152"), c("157(c)"))
    out: list[Finding] = []
    if e.type == "BoardActed":
        for res in e.body.resolutions:
            if str(res.get("kind")) != "issue_shares" or (who := delegate(res)) is None:
                continue
            rid = res.get("id") or e.body.action_id
            if after_2022:
                missing = missing_limits(res.get("params"))
                if missing:
                    out.append(
                        warning(
                            "MB-DELEGATION-NO-LIMITS",
                            f"resolution {rid} delegates the issuance of stock to the {who} without fixing "
                            f"{', '.join(missing)}: it authorises no issuance until the board fixes them "
                            f"(--param {rid}.max_shares=N --param {rid}.until=DATE --param {rid}.min_price=P); "
                            f"cure: {CURE_DELEGATION}",
                            cites=cites,
                            cure=CURE_DELEGATION,
                        )
                    )
            else:
                out.append(
                    warning(
                        "MB-DELEGATION-NOT-PERMITTED",
                        f"resolution {rid} ({e.effective_on.isoformat()}) delegates the issuance of stock to "
                        f"the {who}; before {DELEGATION_SINCE.isoformat()} §152 let only the board authorise an "
                        "issuance and fix its consideration (§157 allowed delegating only rights and options): "
                        "each issuance under it needs the board's own approval; cure: §204 ratification by the "
                        "board of the shares issued under it",
                        cites=cites,
                        cure="§204 ratification",
                    )
                )
        return out
    b: SharesIssued = e.body
    if not b.approved_by or ctx.approvals is None:
        return out
    o = ctx.approvals.get(b.approved_by)
    if o is None or not o.by_board or o.kind != "issue_shares":
        return out
    who = delegate({"params": o.params, "text": o.text})
    if who is None:
        return out
    act = f"the issuance of {b.shares:,} {b.class_key} shares to {b.holder_id} under {o.id}"
    if after_2022:
        missing = missing_limits(o.params)
        if missing:
            out.append(
                defect(
                    "MB-DELEGATION-NO-LIMITS",
                    f"{act}: {o.id} delegates issuance to the {who} without fixing {', '.join(missing)} "
                    "(§152, §157(c)), so it authorises no issuance",
                    ctx.historical,
                    cites,
                    CURE_DELEGATION,
                )
            )
    else:
        out.append(
            warning(
                "MB-DELEGATION-NOT-PERMITTED",
                f"{act}: {o.id} delegates issuance to the {who}, which §152 did not permit before "
                f"{DELEGATION_SINCE.isoformat()}; unless the board approved this issuance itself, cure: §204 "
                "ratification by the board",
                cites=cites,
                cure="§204 ratification",
            )
        )
    return out


@rule(
    "dgcl.152.delegation_before_2022",
    cites=(c("152"), c("157(c)")),
    summary="Before 2022-08-01 the board could not delegate the issuance of stock (only of rights and options, "
    "§157): an issuance under an officer's delegated authority is a defect to ratify.",
    codes=("MB-DELEGATION-NOT-PERMITTED",),
    events=("BoardActed", "SharesIssued"),
    until=DELEGATION_SINCE,
)
def delegation_before_2022(ctx):
    return _delegation_findings(ctx, after_2022=False)


@rule(
    "dgcl.152.delegation_limits",
    cites=(c("152"), c("157(c)")),
    summary="From 2022-08-01 the board may delegate the issuance of stock to a person or body only by a "
    "resolution fixing the maximum number of shares, the time to issue them and the minimum consideration.",
    codes=("MB-DELEGATION-NO-LIMITS",),
    events=("BoardActed", "SharesIssued"),
    since=DELEGATION_SINCE,
)
def delegation_limits(ctx):
    return _delegation_findings(ctx, after_2022=True)


# --- §242 and §160: splits and repurchases ---------------------------------------------------------------------

SPLIT_D1_SINCE = date(2023, 8, 1)  # 84 Del. Laws c. 98: §242(d)(1)
CURE_SPLIT = (
    "a §242 amendment effecting the split: a board resolution declaring it advisable and the stockholders' "
    "approval (§242(b)), or for a forward split of the only class outstanding from 2023-08-01 the board alone "
    "(§242(d)(1)); for a split already made without it, §204 ratification"
)


def _split_findings(ctx, d1: bool) -> list[Finding]:
    from ...core.events import StockSplit

    b: StockSplit = ctx.event.body
    kind = "reverse split" if b.to_shares < b.from_shares else "split"
    act = f"the {kind} of {b.class_key} {b.from_shares}:{b.to_shares}"
    cites = (c("242(a)(3)"), c("242(b)"), *((c("242(d)(1)"),) if d1 else ()))
    state = ctx.state
    # §242(d)(1): a forward split (with the proportional increase in authorized shares) needs no stockholder
    # vote where the class is the only one outstanding and is not divided into series
    only_class = all(n == 0 for (cls, _), n in state.issued.items() if cls != b.class_key) and not any(
        n for (cls, s), n in state.issued.items() if cls == b.class_key and s is not None
    )
    board_alone = d1 and b.to_shares > b.from_shares and only_class and b.series_key is None
    needs = "a board resolution adopting the charter amendment" + (
        "" if board_alone else " and the stockholders' approval of it (§242(b))"
    )
    ids = tuple(b.approved_by)
    if not ids:
        return approval(ctx, None, act, needs, board=True, stockholders=True, cites=cites, cure=CURE_SPLIT)[0]
    found: list[Finding] = []
    outs = []
    for aid in ids:
        f, o = approval(
            ctx,
            aid,
            act,
            needs,
            board=True,
            stockholders=True,
            kinds=("amend_charter", "split"),
            cites=cites,
            cure=CURE_SPLIT,
        )
        found += f
        if o is not None and o.passed:
            outs.append(o)
    if found:
        return found
    if not any(o.by_board or o.kind == "recorded" for o in outs):
        found.append(
            defect(
                "MB-APPROVAL-MISSING",
                f"{act}: none of {', '.join(ids)} is the board's resolution adopting the amendment (§242(b)(1))",
                ctx.historical,
                cites,
                CURE_SPLIT,
            )
        )
    if not board_alone and not any(o.by_stockholders or o.kind == "recorded" for o in outs):
        why = (
            "a reverse split"
            if b.to_shares < b.from_shares
            else ("before 2023-08-01" if not d1 else "another class or a series is outstanding")
        )
        found.append(
            defect(
                "MB-APPROVAL-MISSING",
                f"{act}: none of {', '.join(ids)} is the stockholders' approval, which it needs ({why}; §242(b))",
                ctx.historical,
                cites,
                CURE_SPLIT,
            )
        )
    return found


_SPLIT_CODES = (
    "MB-APPROVAL-MISSING",
    "MB-APPROVAL-UNKNOWN",
    "MB-APPROVAL-FAILED",
    "MB-APPROVAL-WRONG-BODY",
    "MB-APPROVAL-MISMATCH",
    "MB-APPROVAL-AFTER-ACT",
)


@rule(
    "dgcl.242.split_approved",
    cites=(c("242(a)(3)"), c("242(b)")),
    summary="A split of issued stock amends the charter: a board resolution and the stockholders' approval "
    "(§242(b)).",
    codes=_SPLIT_CODES,
    events=("StockSplit",),
    until=SPLIT_D1_SINCE,
)
def split_before_2023(ctx):
    return _split_findings(ctx, d1=False)


@rule(
    "dgcl.242.split_approved_d1",
    cites=(c("242(a)(3)"), c("242(b)"), c("242(d)(1)")),
    summary="A split amends the charter (board and stockholders, §242(b)); from 2023-08-01 a forward split of "
    "the only class outstanding, not in series, needs the board alone (§242(d)(1)).",
    codes=_SPLIT_CODES,
    events=("StockSplit",),
    since=SPLIT_D1_SINCE,
)
def split_since_2023(ctx):
    return _split_findings(ctx, d1=True)


CURE_REPURCHASE = (
    "a board resolution authorising the purchase (§141, §160), with a determination that it does not impair "
    "capital; for a purchase already made, §204 ratification, or the holder's return of the excess"
)


@rule(
    "dgcl.160.repurchase_authorized",
    cites=(c("160(a)"), c("160(a)(1)")),
    summary="The corporation buys its own shares only by the board's act, and not when its capital is or "
    "would be impaired: the price paid may not exceed the surplus (§160(a)(1)).",
    codes=(
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
        "MB-REPURCHASE-IMPAIRS-CAPITAL",
        "MB-REPURCHASE-SURPLUS-UNKNOWN",
    ),
    events=("SharesRepurchased",),
)
def repurchase_rule(ctx):
    from decimal import Decimal

    from ...core.events import GrossAssetsReported, SharesRepurchased

    b: SharesRepurchased = ctx.event.body
    act = f"the repurchase of {b.shares:,} {b.class_key} shares from {b.holder_id}"
    cites = (c("160(a)"),)
    found, o = approval(
        ctx,
        b.approved_by,
        act,
        "a board resolution authorising it",
        board=True,
        kinds=("repurchase_shares", "repurchase"),
        cites=cites,
        cure=CURE_REPURCHASE,
    )
    paid = b.price_per_share * b.shares
    v = ctx.state.version
    capital = Decimal(0)
    for cl in v.capital.classes if v is not None and v.capital else ():
        if cl.par_value is not None:
            capital += cl.par_value * ctx.state.issued_in_class(cl.key)
    year = ctx.event.effective_on.year
    reported = [
        x.body
        for x in getattr(ctx.gov, "log", ())
        if isinstance(x.body, GrossAssetsReported) and x.body.tax_year <= year
    ]
    cites1 = (c("160(a)(1)"),)
    determined = (o.params or {}).get("surplus") if o is not None and o.by_board else None
    if determined not in (None, ""):
        # the board's good-faith determination of the surplus (from the balance sheet, or a revaluation)
        surplus = Decimal(str(determined))
        if paid > surplus:
            found.append(
                defect(
                    "MB-REPURCHASE-IMPAIRS-CAPITAL",
                    f"{act}: the price ${paid} exceeds the surplus ${surplus} the board determined in {o.id}",
                    ctx.historical,
                    cites1,
                    CURE_REPURCHASE,
                )
            )
        return found
    if reported:
        last = max(reported, key=lambda r: r.tax_year)
        ceiling = last.gross_assets - capital  # surplus = net assets - capital <= gross assets - capital
        if paid > ceiling:
            found.append(
                defect(
                    "MB-REPURCHASE-IMPAIRS-CAPITAL",
                    f"{act}: the price ${paid} exceeds the most the surplus can be (gross assets "
                    f"${last.gross_assets} reported for {last.tax_year} less capital ${capital}, par × issued)",
                    ctx.historical,
                    cites1,
                    CURE_REPURCHASE,
                )
            )
            return found
    found.append(
        warning(
            "MB-REPURCHASE-SURPLUS-UNKNOWN",
            f"{act} for ${paid}: the book records no net assets, so whether the price exceeds the surplus "
            f"(net assets less capital ${capital}, par × issued) cannot be checked; cure: record the board's "
            "determination of surplus in its resolution (--param ID.surplus=AMOUNT); gross assets recorded "
            "before the purchase (`minutebook tax assets AMOUNT --year YYYY --on DATE`) show a certain impairment",
            cites=cites1,
        )
    )
    return found
