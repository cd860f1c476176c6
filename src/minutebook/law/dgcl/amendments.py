"""Amending the charter, 8 Del. C. §§ 241, 242, and who may fix preferred terms, § 102(a)(4).

§241: before any payment for stock, the incorporators (if no directors were named or elected) or the
directors amend the charter; the certificate says no payment was received. §242(b)(1): after payment,
the board adopts a resolution declaring the amendment advisable; the stockholders approve it by a
majority of the outstanding stock entitled to vote; each class with a §242(b)(2) class vote approves it
separately; the certificate is filed and the amendment is effective on filing (§103). §242(d)(1) (from
1 August 2023): a forward split of the only outstanding class, not divided into series, with a
proportionate increase in its authorized shares, needs no stockholder vote.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ...core.charter import article_label
from ...core.codec import version_from_dict
from ...core.errors import NotFoundError
from ...core.events import CharterAmended, Incorporated
from ...core.findings import info, warning
from ...core.votes import electorate
from ..params import param
from ..registry import rule
from . import carve_out
from . import votes as std
from .common import approval, article, c, defect

CURE_VOTE = (
    "§204 ratification: a board resolution stating the amendment, its date and the missing approval, "
    "approved by the stockholders by the vote the amendment needed (§242(b)), and a certificate of "
    "validation filed with the Secretary of State (§204(e))"
)
CURE_241 = (
    "adopt the amendment again under §242 (board resolution, stockholder vote, certificate) or ratify it "
    "under §204 with a certificate of validation"
)


def _new_version(ctx):
    b = ctx.event.body
    return (
        version_from_dict({**b.charter, "effective_on": ctx.event.effective_on.isoformat()})
        if b.charter
        else None
    )


def changes(old, new) -> dict:
    """What an amendment changes in the stock: {authorized: {class: n}, par: {class: p}}."""
    out: dict = {"authorized": {}, "par": {}}
    if old is None or new is None or old.capital is None or new.capital is None:
        return out
    for cls in new.capital.classes:
        prev = old.capital.cls(cls.key)
        if prev is None or prev.authorized != cls.authorized:
            out["authorized"][cls.key] = cls.authorized
        if prev is not None and prev.par_value != cls.par_value:
            out["par"][cls.key] = str(cls.par_value)
    return out


def _split_242d(ctx, res_params: dict, old, new) -> str | None:
    """The class a §242(d)(1) forward split concerns, when the amendment is one; else None."""
    split = res_params.get("split")
    if not split or old is None or new is None or old.capital is None:
        return None
    try:
        a, b = (int(x) for x in str(split).replace("-for-", ":").split(":"))
        ratio = Fraction(a, b)
    except (ValueError, ZeroDivisionError):
        return None
    if ratio <= 1:
        return None  # a reverse split (or none): §242(d)(1) covers only a subdivision into more shares
    held = {k for (_, k, _), n in ctx.state.balances.items() if n > 0}
    if len(held) != 1:
        return None
    (cls_key,) = held
    cls = old.capital.cls(cls_key)
    after = new.capital.cls(cls_key)
    if cls is None or after is None or cls.series or cls.authorized is None:
        return None
    diff = changes(old, new)
    if set(diff["authorized"]) - {cls_key} or diff["par"]:
        return None
    # any other change (the name, an article other than the one stating the capital) needs a vote
    cap_art = next((p.article for p in old.provisions if p.kind == "authorized_capital" and p.article), None)
    before = {a.number: a.text for a in old.articles}
    edited = {a.number for a in new.articles if before.pop(a.number, None) != a.text} | set(before)
    if {article_label(n) for n in edited} - {cap_art or "FOURTH"} or new.name != old.name:
        return None
    return cls_key if after.authorized <= cls.authorized * ratio else None


@rule(
    "dgcl.242.b.procedure",
    cites=(c("242(b)(1)"), c("242(b)(2)"), c("241"), c("103")),
    summary="An amendment after payment for stock needs the board's resolution of advisability, the "
    "stockholders' approval (with any class vote) and a filed certificate; before payment, §241 adoption.",
    codes=(
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-CLASS-VOTE-MISSING",
        "MB-AMENDMENT-DIFFERS",
        "MB-241-AFTER-PAYMENT",
        "MB-242D-NO-VOTE",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
        "MB-APPROVAL-NOT-RECORDED",
    ),
    events=("CharterAmended",),
)
def amendment_rule(ctx):  # noqa: C901 - the procedure has several steps
    b: CharterAmended = ctx.event.body
    if b.document_kind in ("restated",) and b.statute == "245":
        return []  # a restatement only integrates: checked as text by the reader
    on = ctx.event.effective_on
    old, new = ctx.state.version, _new_version(ctx)
    g = ctx.gov
    out = []
    ids = list(b.approved_by)
    outs = [(a, ctx.approvals.get(a) if ctx.approvals else None) for a in ids]
    if b.statute == "241":
        if g.first_payment is not None and g.first_payment <= on:
            out.append(
                defect(
                    "MB-241-AFTER-PAYMENT",
                    f"a §241 amendment on {on.isoformat()} after payment was received for stock "
                    f"({g.first_payment.isoformat()}): after payment only §242 can amend the charter",
                    ctx.historical,
                    (c("241(a)"), c("242(b)")),
                    CURE_241,
                )
            )
        if not ids:
            if ctx.historical:
                out.append(
                    info(
                        "MB-APPROVAL-NOT-RECORDED",
                        f"the §241 amendment of {on.isoformat()} names no adoption by the incorporators or "
                        "directors in the book",
                        cites=(c("241(a)"),),
                    )
                )
            else:
                out += approval(
                    ctx,
                    None,
                    "the §241 amendment",
                    "adoption by the incorporators or directors",
                    board=True,
                    cites=(c("241(a)"),),
                )[0]
        for a, _ in outs:
            out += approval(
                ctx,
                a,
                "the §241 amendment",
                "adoption by the incorporators (no directors yet) or the board",
                board=bool(g.directors),
                kinds=("amend_charter",),
                cites=(c("241(a)"),),
                cure=CURE_241,
            )[0]
        return out
    act = "the charter amendment"
    boards = [(a, o) for a, o in outs if o is not None and o.by_board]
    holders = [(a, o) for a, o in outs if o is not None and (o.by_stockholders or o.body == "incorporators")]
    for a, o in outs:
        if o is None:
            out += approval(ctx, a, act, "an approval in the book", board=True, stockholders=True)[0]
    if not boards:
        out += approval(
            ctx,
            None,
            act,
            "a board resolution setting it out and declaring it advisable (§242(b)(1))",
            board=True,
            cites=(c("242(b)(1)"),),
            cure=CURE_VOTE,
        )[0]
    for a, _ in boards:
        out += approval(
            ctx,
            a,
            act,
            "a board resolution declaring it advisable",
            board=True,
            kinds=("amend_charter",),
            cites=(c("242(b)(1)"),),
            cure=CURE_VOTE,
        )[0]
    res_params = dict(boards[0][1].params) if boards else {}
    if res_params and new is not None and old is not None:
        filed = changes(old, new)
        for part in ("authorized", "par"):
            for k, v in (res_params.get(part) or {}).items():
                if str(
                    filed[part].get(
                        k,
                        getattr(
                            new.capital.cls(k), "authorized" if part == "authorized" else "par_value", None
                        ),
                    )
                ) != str(v):
                    out.append(
                        defect(
                            "MB-AMENDMENT-DIFFERS",
                            f"{act}: the certificate's {part} for {k} differs from what was approved ({v})",
                            ctx.historical,
                            (c("242(b)(1)"),),
                            CURE_VOTE,
                        )
                    )
    try:
        in_force = on >= date.fromisoformat(str(param("dgcl.242.d.since", on)))
    except NotFoundError:
        in_force = False  # before §242(d) was enacted
    split_cls = _split_242d(ctx, res_params, old, new) if in_force else None
    if split_cls and not holders:
        out.append(
            info(
                "MB-242D-NO-VOTE",
                f"{act} is a forward split of {split_cls} with a proportionate increase in its authorized "
                "shares: no stockholder vote is needed",
                cites=(c("242(d)(1)"),),
            )
        )
        return out
    if not holders:
        out += approval(
            ctx,
            None,
            act,
            "approval by a majority of the outstanding stock entitled to vote (§242(b)(1))",
            stockholders=True,
            cites=(c("242(b)(1)"),),
            cure=CURE_VOTE,
        )[0]
        return out
    for a, _ in holders:
        found, _ = approval(
            ctx,
            a,
            act,
            "the stockholders' approval",
            stockholders=True,
            kinds=("amend_charter",),
            cites=(c("242(b)(1)"),),
            cure=CURE_VOTE,
        )
        out += found
    el = electorate(ctx.state, on)
    unmet = carve_out.checker(g, ctx.state_at, on) if ctx.state_at is not None else None
    for cls, why, cites in std.class_votes_required(old, changes(old, new), el, unmet):
        if not any(o.class_carried(cls) for _, o in holders) and all(o.passed for _, o in holders):
            out.append(
                defect(
                    "MB-CLASS-VOTE-MISSING",
                    f"{act}: the {cls} class had to approve it voting separately because {why}",
                    ctx.historical,
                    cites,
                    CURE_VOTE,
                )
            )
    return out


BLANK_CHECK_CURES = (
    "(1) §204: the board ratifies each designation made under the grant (stockholder approval is likely "
    "needed, since without a valid grant only a §242 amendment could fix the terms) and files a certificate "
    "of validation; (2) §242: amend the charter so that the grant runs to the board of directors"
)


# The cure for the grant itself, before anyone has used it: no act is defective yet, so there is nothing for
# §204 to ratify; the charter is amended so that the power runs to the board.
GRANT_CURE = (
    "a §242 amendment vesting the power to fix the terms of preferred stock in the board of directors (board "
    "resolution declaring it advisable, stockholder approval by a majority of the outstanding stock, certificate "
    "of amendment filed); §204 ratification becomes the cure only for a series once one has been designated under "
    "the grant (a defective act)"
)


@rule(
    "dgcl.102.a.4.blank_check_to_board",
    cites=(c("102(a)(4)"), c("151(a)"), c("151(g)")),
    summary="Authority to fix the terms of preferred stock may be granted only to the board of directors.",
    codes=("MB-BLANK-CHECK-DEFECTIVE",),
    events=("Incorporated", "CharterAmended"),
)
def blank_check_rule(ctx):
    b = ctx.event.body
    if not isinstance(b, (Incorporated, CharterAmended)) or not b.charter:
        return []
    v = version_from_dict({**b.charter, "effective_on": ctx.event.effective_on.isoformat()})
    holder = v.capital.blank_check_holder if v.capital else None
    if not holder or "board" in holder.lower() or "director" in holder.lower():
        return []
    p = next((p for p in v.provisions if p.kind in ("preferred_blank_check", "authorized_capital")), None)
    return [
        warning(
            "MB-BLANK-CHECK-DEFECTIVE",
            f"the charter in force from {ctx.event.effective_on.isoformat()} grants {holder!r} the power to fix "
            "the terms of preferred stock; §102(a)(4) and §151(a) allow that grant only to the board, so a "
            "series designated under it would be putative stock; no series has been designated under it, so no "
            "act is defective yet; cure: " + GRANT_CURE,
            cites=(c("102(a)(4)"), c("151(a)"), c("151(g)"), c("242(b)"), article(v, p)),
            cure=GRANT_CURE,
        )
    ]
