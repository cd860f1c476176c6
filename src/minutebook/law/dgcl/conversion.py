"""Conversion of a Delaware corporation to another entity or jurisdiction, 8 Del. C. § 266.

§266 (79 Del. Laws c. 72, in force 2013-08-01) lets a corporation convert to another entity of Delaware or to an
entity of another jurisdiction: the board adopts a resolution approving the conversion and recommending it, and
the stockholders approve it (§266(b)) — until 2022-08-01 by all the outstanding shares, voting or not; from then
(83 Del. Laws c. 377) by a majority of the outstanding stock entitled to vote. Before 2013-08-01 a corporation
could leave Delaware only by merger or by a transfer under another law. Once converted, the corporation's Delaware
book is closed: no later act is the Delaware corporation's (`dgcl.266.book_closed`), and the franchise tax
(§503) runs only to the conversion.
"""

from __future__ import annotations

from ...core.events import BODY_TYPES, CorporationConverted
from ...core.findings import info
from ..registry import get, rule
from .common import APPROVAL_CODES, approval, c, defect


def _day(rule_id: str, end: bool = False) -> str:
    """The day a rule took effect (or ceased to), from the law data (`data/rules.yaml`)."""
    r = get(rule_id)
    d = r.until if end else r.since
    return d.isoformat() if d else "—"


def _what(ctx, dated: bool = True) -> str:
    b: CorporationConverted = ctx.event.body
    what = f"the conversion to a {b.entity} of {b.jurisdiction}"
    return f"{what} ({ctx.event.effective_on.isoformat()})" if dated else what


def _approvals(ctx) -> tuple[list, object | None]:
    b: CorporationConverted = ctx.event.body
    cure = "have the board adopt a resolution approving the conversion and the stockholders approve it (§ 266(b))"
    found, _ = approval(
        ctx,
        b.board_approval,
        _what(ctx, dated=False),
        "a board resolution approving the conversion and recommending it to the stockholders",
        board=True,
        cites=(c("266(b)"),),
        cure=cure,
    )
    more, out = approval(
        ctx,
        b.stockholder_approval,
        _what(ctx, dated=False),
        "the stockholders' approval",
        stockholders=True,
        cites=(c("266(b)"),),
        cure=cure,
    )
    return found + more, out


def _votes(ctx, out) -> tuple[int, int, dict]:
    """(shares for, shares outstanding) over the voting classes, and the tally by class, from an outcome."""
    v = ctx.state.version
    vps = {}
    if v is not None and v.capital is not None:
        vps = {k.key: (1 if k.votes_per_share is None else k.votes_per_share) for k in v.capital.classes}
    tally = dict(getattr(out, "tally", {}) or {})
    yes = sum(f * vps.get(k, 1) for k, (f, _n) in tally.items())
    of = sum(n * vps.get(k, 1) for k, (_f, n) in tally.items())
    return yes, of, tally


@rule(
    "dgcl.266.unavailable",
    cites=(c("266"),),
    summary="Before § 266 took effect a Delaware corporation could not convert to another entity or jurisdiction.",
    codes=("MB-266-NOT-AVAILABLE",),
    events=("CorporationConverted",),
)
def unavailable_rule(ctx):
    return [
        defect(
            "MB-266-NOT-AVAILABLE",
            f"{_what(ctx)}: § 266 took effect only on {_day('dgcl.266.b.all_outstanding')}; before then a "
            "corporation left Delaware by merger "
            "(§ 252) or not at all",
            ctx.historical,
            (c("266"),),
            "record the merger that carried the corporation out of Delaware instead",
        )
    ]


@rule(
    "dgcl.266.b.all_outstanding",
    cites=(c("266(b)"),),
    summary="A conversion is approved by a board resolution and by the holders of all the outstanding shares, "
    "voting or not.",
    codes=("MB-266-NOT-UNANIMOUS", *APPROVAL_CODES),
    events=("CorporationConverted",),
)
def all_outstanding_rule(ctx):
    found, out = _approvals(ctx)
    if out is not None and getattr(out, "tally", None):
        short = {k: (f, n) for k, (f, n) in out.tally.items() if n and f < n}
        if short:
            cls, (f, n) = sorted(short.items())[0]
            found.append(
                defect(
                    "MB-266-NOT-UNANIMOUS",
                    f"{_what(ctx)}: {out.id} had {f:,} of the {n:,} outstanding {cls} shares; until "
                    f"{_day('dgcl.266.b.all_outstanding', end=True)} every outstanding share, voting or not, had to "
                    "approve a conversion",
                    ctx.historical,
                    (c("266(b)"),),
                    "obtain the approval of every outstanding share, or ratify it under § 204",
                )
            )
    return found


@rule(
    "dgcl.266.b.majority_outstanding",
    cites=(c("266(b)"),),
    summary="A conversion is approved by a board resolution and by a majority of the outstanding stock entitled "
    "to vote.",
    codes=("MB-266-VOTE-SHORT", *APPROVAL_CODES),
    events=("CorporationConverted",),
)
def majority_outstanding_rule(ctx):
    found, out = _approvals(ctx)
    if out is not None and getattr(out, "tally", None):
        yes, of, _ = _votes(ctx, out)
        if of and 2 * yes <= of:
            found.append(
                defect(
                    "MB-266-VOTE-SHORT",
                    f"{_what(ctx)}: {out.id} had {yes:,} votes of the {of:,} outstanding and entitled to vote: a "
                    "conversion needs a majority of the outstanding stock entitled to vote",
                    ctx.historical,
                    (c("266(b)"),),
                    "obtain a majority of the outstanding voting stock, or ratify it under § 204",
                )
            )
    return found


@rule(
    "dgcl.266.book_closed",
    cites=(c("266"),),
    summary="After a conversion the corporation is no longer a Delaware corporation: its Delaware book records no "
    "later act.",
    codes=("MB-266-CONVERTED", "MB-266-BOOK-CLOSED"),
    events=tuple(t for t in BODY_TYPES if t != "Correction"),  # a mistaken record may still be corrected
)
def book_closed_rule(ctx):
    done = getattr(ctx.gov, "converted", None)
    if done is None or done is ctx.event:
        if not isinstance(ctx.event.body, CorporationConverted):
            return []
        b = ctx.event.body
        return [
            info(
                "MB-266-CONVERTED",
                f"conversion to a {b.entity} of {b.jurisdiction} effective {ctx.event.effective_on.isoformat()}: "
                "the Delaware book ends with it, and the franchise tax runs only to that day",
                cites=(c("266"), c("503")),
            )
        ]
    b: CorporationConverted = done.body
    return [
        defect(
            "MB-266-BOOK-CLOSED",
            f"{ctx.event.type} on {ctx.event.effective_on.isoformat()}: the corporation converted to a {b.entity} of "
            f"{b.jurisdiction} on {done.effective_on.isoformat()} (event {done.seq}); its Delaware book is closed",
            ctx.historical,
            (c("266"),),
            "record the act in the converted entity's own records",
        )
    ]
