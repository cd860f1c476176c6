"""Transactions the board approves with a conflict or by contract, 8 Del. C. §§ 144, 122(18), 147.

- §144 (as rewritten by S.S. 1 for S.B. 21, in force 2025-03-25): a transaction with an interested director or
  officer is safe from equitable relief and damages if (a)(1) a majority of the disinterested directors (or,
  where a majority of the board is not disinterested, a committee of 2 or more disinterested directors)
  approves it with the material facts disclosed, or (a)(2) a majority of the votes cast by the disinterested
  stockholders approves or ratifies it, or (a)(3) it is fair. A controlling stockholder transaction: (b)(1) a
  committee of 2 or more disinterested directors, expressly empowered to negotiate and to reject it, approves
  it, or (b)(2) it is conditioned on and approved by the disinterested stockholders (majority of votes cast),
  or (b)(3) it is fair. A going-private transaction needs both (c)(1), or fairness (c)(2).
- §144 before 2025-03-25: a transaction with an interested director or officer is not void or voidable solely
  for the interest if (a)(1) disclosed and approved by a majority of the disinterested directors, (a)(2)
  disclosed and approved by the stockholders, or (a)(3) fair; controlling stockholders: the common law.
- §122(18) (84 Del. Laws c. 309, 2024-08-01): contracts with stockholders restricting or conditioning the
  corporation's acts, so far as not contrary to the charter.
- §147 (the same act): the board may approve an agreement in final or substantially final form.
"""

from __future__ import annotations

from ...core.events import AgreementApproved, InterestedTransaction, StockholderAgreement
from ...core.findings import info, warning
from ...core.record import build_until
from ..registry import get, rule
from .common import APPROVAL_CODES, approval, article, c, defect, provision

KINDS = ("interested", "controlling", "going_private")
MFW = "Kahn v. M & F Worldwide Corp., 88 A.3d 635 (Del. 2014)"
MOELIS = "West Palm Beach Firefighters' Pension Fund v. Moelis & Co. (Del. Ch. 2024)"
ACTIVISION = "Sjunde AP-Fonden v. Activision Blizzard, Inc. (Del. Ch. 2024)"


# --- § 144: who approved the transaction --------------------------------------------------------------------


def _since(rule_id: str) -> str:
    """The day a rule took effect, from the law data (`data/rules.yaml`)."""
    since = get(rule_id).since
    return since.isoformat() if since else "its enactment"


def _board(ctx, b: InterestedTransaction) -> tuple[bool, str]:
    """(a)(1) by the board: a majority of the disinterested directors then serving voted for it, and a majority of
    the directors are disinterested. Returns whether it qualifies and why (or why not)."""
    rid = b.board_approval
    if not rid:
        return False, "no board approval is recorded"
    found = ctx.gov.resolutions.get(rid)
    if found is None:
        return False, f"no board resolution {rid!r} in the book"
    e, res = found
    serving = set(build_until(ctx.gov, e).directors)
    interested = set(b.interested)
    free = serving - interested
    if 2 * len(free) <= len(serving):
        return False, (
            f"only {len(free)} of the {len(serving)} directors serving on {e.effective_on.isoformat()} are "
            "disinterested: a majority is not, so only a committee of 2 or more disinterested directors can approve"
        )
    voting = set(e.body.present) - set(res.get("against") or ()) - set(res.get("abstain") or ())
    yes = voting & free
    if 2 * len(yes) <= len(free):
        return (
            False,
            f"{rid}: {len(yes)} of the {len(free)} disinterested directors voted for it, not a majority",
        )
    return True, f"{len(yes)} of the {len(free)} disinterested directors approved it ({rid})"


def _committee(ctx, b: InterestedTransaction, *, empowered: bool) -> tuple[bool, str]:
    """A committee of 2 or more directors, none of them interested, a majority of whom approved it (and, for a
    controlling stockholder, expressly empowered to negotiate and to reject it)."""
    members = set(b.committee)
    if not members:
        return False, "no committee approval is recorded"
    if len(members) < 2:
        return False, "the committee has fewer than 2 directors"
    tainted = sorted(members & set(b.interested))
    if tainted:
        return False, f"the committee includes {', '.join(tainted)}, interested in the transaction"
    strangers = sorted(members - set(ctx.gov.directors))
    if strangers:
        return (
            False,
            f"{', '.join(strangers)} on the committee {'is' if len(strangers) == 1 else 'are'} not a director",
        )
    if empowered and not b.committee_empowered:
        return False, "the committee was not expressly empowered to negotiate and to reject it"
    yes = set(b.committee_for) & members
    if 2 * len(yes) <= len(members):
        return (
            False,
            f"{len(yes)} of the committee's {len(members)} disinterested directors approved it, not a majority",
        )
    return True, f"a committee of {len(members)} disinterested directors approved it ({len(yes)} for)"


def _stockholders(ctx, b: InterestedTransaction, *, conditioned: bool) -> tuple[bool, str]:
    """Approved or ratified by a majority of the votes cast by the disinterested stockholders (and, for a
    controlling stockholder, conditioned on it by its terms)."""
    if not b.stockholder_approval:
        return False, "no stockholder approval is recorded"
    out = ctx.approvals.get(b.stockholder_approval) if ctx.approvals is not None else None
    if out is None or not out.by_stockholders:
        return False, f"{b.stockholder_approval!r} is not a stockholder approval in the book"
    if b.disinterested_for is None or b.disinterested_against is None:
        return False, "the disinterested stockholders' votes (for, against) are not recorded"
    if conditioned and not b.conditioned:
        return False, "it was not conditioned by its terms on the disinterested stockholders' approval"
    yes, no = b.disinterested_for, b.disinterested_against
    if yes <= no:
        return (
            False,
            f"the disinterested stockholders cast {yes:,} votes for and {no:,} against: not a majority",
        )
    return (
        True,
        f"a majority of the votes cast by the disinterested stockholders ({yes:,} for, {no:,} against)",
    )


def _harbor(ctx, b: InterestedTransaction) -> tuple[str | None, list[str], str, tuple[str, ...]]:
    """Which safe harbor applies (its subsection, or None), the reasons each failed, what it rested on, and the
    subsections the finding cites."""
    why: list[str] = []
    if not b.disclosed:
        why.append("the material facts were not disclosed to the board or committee")
    if b.kind == "interested":
        for sub, (ok, reason) in (
            ("144(a)(1)", _board(ctx, b) if b.disclosed else (False, "")),
            ("144(a)(1)", _committee(ctx, b, empowered=False) if b.disclosed else (False, "")),
            ("144(a)(2)", _stockholders(ctx, b, conditioned=False)),
        ):
            if ok:
                return sub, [], reason, (c(sub),)
            if reason:
                why.append(reason)
        return None, why, "", (c("144(a)(1)"), c("144(a)(2)"), c("144(a)(3)"))
    comm = _committee(ctx, b, empowered=True) if b.disclosed else (False, "")
    vote = _stockholders(ctx, b, conditioned=True)
    if b.kind == "controlling":
        for sub, (ok, reason) in (("144(b)(1)", comm), ("144(b)(2)", vote)):
            if ok:
                return sub, [], reason, (c(sub),)
            if reason:
                why.append(reason)
        return None, why, "", (c("144(b)(1)"), c("144(b)(2)"), c("144(b)(3)"))
    if comm[0] and vote[0]:
        return "144(c)(1)", [], f"{comm[1]}, and {vote[1]}", (c("144(c)(1)"), c("144(b)(1)"), c("144(b)(2)"))
    why += [r for ok, r in (comm, vote) if not ok and r]
    return None, why, "", (c("144(c)(1)"), c("144(c)(2)"))


_CURE = {
    "interested": "have a majority of the disinterested directors (or, where most of the board is interested, a "
    "committee of 2 or more disinterested directors) approve it with the material facts disclosed, or put it to "
    "the disinterested stockholders (a majority of the votes cast)",
    "controlling": "have a committee of 2 or more disinterested directors, expressly empowered to negotiate and to "
    "reject it, approve it with the material facts disclosed, or condition it on and obtain a majority of the "
    "votes cast by the disinterested stockholders",
    "going_private": "obtain both: approval by a committee of 2 or more disinterested directors empowered to "
    "negotiate and to reject it, and a majority of the votes cast by the disinterested stockholders, on which "
    "it is conditioned by its terms",
}
_FAIR = {"interested": "144(a)(3)", "controlling": "144(b)(3)", "going_private": "144(c)(2)"}


@rule(
    "dgcl.144.safe_harbor",
    cites=(c("144(a)"), c("144(b)"), c("144(c)")),
    summary="A conflicted or controller transaction is safe from equitable relief and damages if approved by "
    "disinterested directors (a committee) or stockholders (both to go private), or fair.",
    codes=("MB-144-SAFE-HARBOR", "MB-144-NO-SAFE-HARBOR"),
    events=("InterestedTransaction",),
)
def safe_harbor_rule(ctx):
    b: InterestedTransaction = ctx.event.body
    what = (
        f"transaction {b.transaction_id} ({b.kind.replace('_', ' ')}; interested: {', '.join(b.interested)})"
    )
    sub, why, basis, cites = _harbor(ctx, b)
    if sub is not None:
        return [info("MB-144-SAFE-HARBOR", f"{what}: the § {sub} safe harbor applies: {basis}", cites=cites)]
    cure = _CURE[b.kind]
    return [
        warning(
            "MB-144-NO-SAFE-HARBOR",
            f"{what}: no § 144 safe harbor applies ({'; '.join(why)}); unless it is fair to the corporation and its "
            f"stockholders (§ {_FAIR[b.kind]}) it is open to equitable relief and damages; cure: {cure}",
            cites=tuple(dict.fromkeys((*cites, c(_FAIR[b.kind])))),
            cure=cure,
        )
    ]


@rule(
    "dgcl.144.a.not_void",
    cites=(c("144(a)"),),
    summary="An interested director's or officer's transaction is not voidable for the interest if disinterested "
    "directors or the stockholders approve it, informed, or it is fair.",
    codes=("MB-144-NOT-VOIDABLE", "MB-144-VOIDABLE", "MB-144-COMMON-LAW"),
    events=("InterestedTransaction",),
)
def not_void_rule(ctx):
    b: InterestedTransaction = ctx.event.body
    what = (
        f"transaction {b.transaction_id} ({b.kind.replace('_', ' ')}; interested: {', '.join(b.interested)})"
    )
    sb21 = _since("dgcl.144.safe_harbor")
    later = (
        f"S.B. 21 applies its § 144 (in force {sb21}) to earlier transactions too, save in suits pending on or "
        "before 2025-02-17"
    )
    if b.kind != "interested":
        comm = _committee(ctx, b, empowered=True)
        vote = _stockholders(ctx, b, conditioned=True)
        if comm[0] and vote[0]:
            return [
                info(
                    "MB-144-COMMON-LAW",
                    f"{what}: before {sb21} § 144 did not reach controlling stockholders; under the common law "
                    f"({MFW}) both a special committee and a majority-of-the-minority vote were obtained; {later}",
                    cites=(c("144(a)"), MFW),
                )
            ]
        cure = "ratify it with a special committee and a majority-of-the-minority vote, or be ready to show it fair"
        missing = "; ".join(r for ok, r in (comm, vote) if not ok)
        return [
            warning(
                "MB-144-COMMON-LAW",
                f"{what}: before {sb21} § 144 did not reach controlling stockholders and the common law ({MFW}) "
                f"gave business-judgment review only with both a special committee and a majority-of-the-minority "
                f"vote ({missing}); else entire fairness; {later}; cure: {cure}",
                cites=(c("144(a)"), MFW),
                cure=cure,
            )
        ]
    board = _board(ctx, b) if b.disclosed else (False, "the material facts were not disclosed to the board")
    comm = _committee(ctx, b, empowered=False) if b.disclosed else (False, "")
    out = ctx.approvals.get(b.stockholder_approval) if ctx.approvals and b.stockholder_approval else None
    holders = (
        (True, f"the stockholders approved it ({out.id})")
        if b.disclosed and out is not None and out.by_stockholders and out.passed
        else (False, "no passed stockholder approval with the material facts disclosed")
    )
    for sub, (ok, reason) in (("144(a)(1)", board), ("144(a)(1)", comm), ("144(a)(2)", holders)):
        if ok:
            return [
                info(
                    "MB-144-NOT-VOIDABLE",
                    f"{what}: not void or voidable solely for the interest (§ {sub}): {reason}; {later}",
                    cites=(c(sub),),
                )
            ]
    cure = "have the disinterested directors or the stockholders approve it with the material facts disclosed"
    reasons = "; ".join(r for ok, r in (board, comm, holders) if r)
    return [
        warning(
            "MB-144-VOIDABLE",
            f"{what}: none of § 144(a)(1)-(2) is met ({reasons}); it stands only if fair when authorized "
            f"(§ 144(a)(3)); {later}; cure: {cure}",
            cites=(c("144(a)(1)"), c("144(a)(2)"), c("144(a)(3)")),
            cure=cure,
        )
    ]


# --- § 122(18): stockholder agreements -------------------------------------------------------------------------


def _conflicts(version, covenant: dict) -> str | None:
    """Why a covenant is contrary to the charter in force (None when it is not)."""
    kind = str(covenant.get("kind") or "other")
    if kind == "act_by_consent":
        p = provision(version, "no_written_consent")
        if p is not None:
            return f"it has the stockholders act by written consent, which {article(version, p)} forbids (§ 228(a))"
    if kind == "stock_rights":
        return (
            "it fixes voting powers, preferences or rights of stock, which only the charter (or a board resolution "
            "under its express grant) may do (§§ 102(a)(4), 151(a), 212(a))"
        )
    return None


def _charter_findings(ctx, b: StockholderAgreement) -> list:
    v = ctx.state.version
    out = []
    for i, cov in enumerate(b.covenants):
        why = _conflicts(v, cov)
        if why:
            out.append(
                defect(
                    "MB-122-18-CHARTER-CONFLICT",
                    f"stockholder agreement {b.agreement_id}, covenant {i + 1} ({cov.get('kind')}): {why}; a "
                    "§ 122(18) contract may not be contrary to the certificate of incorporation",
                    ctx.historical,
                    (c("122(18)"), article(v)),
                    "drop the covenant, or amend the charter (§ 242) so that it permits it",
                )
            )
    return out


def _agreement_approval(ctx, b: StockholderAgreement) -> list:
    return approval(
        ctx,
        b.approved_by,
        f"stockholder agreement {b.agreement_id}",
        "a board resolution authorising it",
        board=True,
        cites=(c("122(18)"), c("141(a)")),
        required=False,
    )[0]


# an agreement's board approval is optional (`required=False`): never MB-APPROVAL-MISSING
_AGREEMENT_CODES = ("MB-122-18-CHARTER-CONFLICT", *(k for k in APPROVAL_CODES if k != "MB-APPROVAL-MISSING"))


@rule(
    "dgcl.122.18.stockholder_agreement",
    cites=(c("122(18)"),),
    summary="The corporation may contract with stockholders to restrict its acts, require approvals or fix "
    "covenants, so far as not contrary to its charter.",
    codes=("MB-122-18-AGREEMENT", *_AGREEMENT_CODES),
    events=("StockholderAgreement",),
)
def agreement_rule(ctx):
    b: StockholderAgreement = ctx.event.body
    kinds = sorted({str(x.get("kind") or "other") for x in b.covenants}) or ["none recorded"]
    return [
        info(
            "MB-122-18-AGREEMENT",
            f"stockholder agreement {b.agreement_id} with {', '.join(b.parties)} rests on § 122(18) "
            f"(covenants: {', '.join(kinds)})",
            cites=(c("122(18)"),),
        ),
        *_charter_findings(ctx, b),
        *_agreement_approval(ctx, b),
    ]


@rule(
    "dgcl.122.18.before_statute",
    cites=(c("141(a)"), c("122(18)")),
    summary="A stockholder agreement made before § 122(18) rested on the common law: covenants that limit the "
    "board's power to manage were open to challenge under § 141(a).",
    codes=("MB-122-18-BEFORE-STATUTE", *_AGREEMENT_CODES),
    events=("StockholderAgreement",),
)
def agreement_before_rule(ctx):
    b: StockholderAgreement = ctx.event.body
    sb313 = _since("dgcl.122.18.stockholder_agreement")
    return [
        warning(
            "MB-122-18-BEFORE-STATUTE",
            f"stockholder agreement {b.agreement_id} ({ctx.event.effective_on.isoformat()}) predates § 122(18) "
            f"(in force {sb313}): when made it rested on the common law, and covenants limiting the board's "
            f"management were open to challenge under § 141(a) ({MOELIS}); the 2024 act reaches earlier contracts "
            "too, save in suits completed or pending on 2024-08-01; cure: have the board approve the agreement "
            "again under § 122(18)",
            cites=(c("141(a)"), c("122(18)"), MOELIS),
            cure="have the board approve the agreement again under § 122(18)",
        ),
        *_charter_findings(ctx, b),
        *_agreement_approval(ctx, b),
    ]


# --- § 147: the form of an agreement the board approves -------------------------------------------------------


def _form_approval(ctx, b: AgreementApproved) -> list:
    return approval(
        ctx,
        b.approved_by,
        f"the approval of agreement {b.agreement_id}",
        "a board resolution",
        board=True,
        cites=(c("147"), c("141(a)")),
    )[0]


@rule(
    "dgcl.147.substantially_final_form",
    cites=(c("147"),),
    summary="Where the DGCL requires the board to approve an agreement, it may approve it in final or "
    "substantially final form.",
    codes=("MB-147-SUBSTANTIALLY-FINAL", *APPROVAL_CODES),
    events=("AgreementApproved",),
)
def form_rule(ctx):
    b: AgreementApproved = ctx.event.body
    found = _form_approval(ctx, b)
    if b.form == "substantially final":
        found.append(
            info(
                "MB-147-SUBSTANTIALLY-FINAL",
                f"agreement {b.agreement_id} ({b.title}) approved in substantially final form: sufficient (§ 147)",
                cites=(c("147"),),
            )
        )
    return found


@rule(
    "dgcl.147.final_form_before_2024",
    cites=(c("251(b)"), c("147")),
    summary="Before § 147's 2024 amendment, an agreement the statute had the board approve was approved in its "
    "final form.",
    codes=("MB-147-NOT-FINAL-FORM", *APPROVAL_CODES),
    events=("AgreementApproved",),
)
def form_before_rule(ctx):
    b: AgreementApproved = ctx.event.body
    found = _form_approval(ctx, b)
    sb313 = _since("dgcl.147.substantially_final_form")
    if b.form != "final":
        cure = "have the board approve (or ratify) the agreement in its final form"
        found.append(
            warning(
                "MB-147-NOT-FINAL-FORM",
                f"agreement {b.agreement_id} ({b.title}) approved in {b.form} form on "
                f"{ctx.event.effective_on.isoformat()}: before {sb313} the board approved an agreement in its "
                f"final form ({ACTIVISION}); the 2024 act reaches earlier approvals too, save in suits completed "
                f"or pending on 2024-08-01; cure: {cure}",
                cites=(c("251(b)"), c("147"), ACTIVISION),
                cure=cure,
            )
        )
    return found
