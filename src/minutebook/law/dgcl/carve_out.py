"""Whether a charter's opt-out of the §242(b)(2) class vote on a change in authorized shares reaches a class.

8 Del. C. § 242(b)(2): the number of authorized shares of a class "may be increased or decreased (but not below
the number of shares thereof then outstanding) by the affirmative vote of the holders of a majority of the stock
of the corporation entitled to vote irrespective of this subsection, if so provided in the original certificate
of incorporation, in any amendment thereto which created such class or classes of stock or which was adopted
prior to the issuance of any shares of such class or classes of stock, or in any amendment thereto which was
authorized by a resolution or resolutions adopted by the affirmative vote of the holders of a majority of such
class or classes of stock". So the provision binds a class only if it came (1) in the original certificate,
(2) in the amendment creating the class, (3) in an amendment adopted before any share of the class was issued,
or (4) in an amendment the class approved by a majority of its shares. Otherwise the class still votes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ...core.events import CharterAmended
from ...core.findings import Finding, warning
from ..registry import describe
from .common import article, c, provision

RULE = "dgcl.242.b.2.carve_out_conditions"

# The functions that judge a meeting's and a consent's matters, `(record, item, state_at) -> {id: Outcome}`,
# registered by `meetings` and `consents` as they are imported (they import this module, so it cannot import
# them): the carve-out asks them whether a class approved the amendment that brought it in.
_JUDGES: dict[str, Callable] = {}


def judged_by(kind: str, outcomes: Callable) -> None:
    """Register `outcomes` as the judge of `kind` ("meeting" or "consent") matters."""
    _JUDGES[kind] = outcomes


def origin(charter, on: date):
    """(the version that brought in the carve-out in force on `on`, the version before it or None): the first
    of the unbroken run of versions up to `on` that carry it."""
    versions = [v for v in charter.versions if v.effective_on is not None and v.effective_on <= on]
    i = len(versions) - 1
    if i < 0 or provision(versions[i], "class_vote_carve_out") is None:
        return None, None
    while i > 0 and provision(versions[i - 1], "class_vote_carve_out") is not None:
        i -= 1
    return versions[i], (versions[i - 1] if i > 0 else None)


def checker(record, state_at, on: date) -> Callable[[str], str | None]:
    """`unmet(class_key)`: None when the carve-out in force on `on` binds the class, else why it does not."""
    charter = state_at(on).charter
    first, before = origin(charter, on)

    def unmet(cls: str) -> str | None:
        if first is None:
            return None  # no carve-out: the caller does not ask
        when = first.effective_on
        if before is None:
            return None  # (1) the original certificate of incorporation
        if before.capital is None or before.capital.cls(cls) is None:
            return None  # (2) the amendment that created the class
        issued = sum(n for (k, _s), n in state_at(when - timedelta(days=1)).issued.items() if k == cls)
        if issued == 0:
            return None  # (3) adopted before any share of the class was issued
        if _class_approved(record, state_at, when, cls):
            return None  # (4) approved by a majority of the class
        return (
            f"the provision came in by the amendment of {when.isoformat()}, after {issued:,} {cls} shares were "
            f"issued, and the book shows no approval of that amendment by a majority of the {cls} shares"
        )

    return unmet


def _class_approved(record, state_at, when: date, cls: str) -> bool:
    for e in record.log:
        if not isinstance(e.body, CharterAmended) or e.effective_on != when:
            continue
        for a in e.body.approved_by:
            out = None
            if a in record.consent_matters and "consent" in _JUDGES:
                cid = record.consent_matters[a][0]
                out = _JUDGES["consent"](record, record.consents[cid], state_at).get(a)
            elif a in record.matters and "meeting" in _JUDGES:
                mid = record.matters[a][0]
                out = _JUDGES["meeting"](record, record.meetings[mid], state_at).get(a)
            if out is not None and out.passed and out.class_carried(cls):
                return True
    return False


def recording(record, state_at, on: date) -> tuple[Callable[[str], str | None], dict[str, str]]:
    """`checker` and the gaps it finds, class -> why the carve-out does not bind it (for `findings`)."""
    check = checker(record, state_at, on)
    gaps: dict[str, str] = {}

    def unmet(cls: str) -> str | None:
        gap = check(cls)
        if gap is not None:
            gaps[cls] = gap
        return gap

    return unmet, gaps


def findings(gaps: dict[str, str], version, where: str) -> list[Finding]:
    p = provision(version, "class_vote_carve_out")
    return [
        warning(
            "MB-CARVE-OUT-INEFFECTIVE",
            f"{where}: the charter's opt-out of the class vote on authorized shares ({article(version, p)}) does not "
            f"bind the {cls} class, so it votes separately: {why}",
            cites=(c("242(b)(2)"), article(version, p)),
            rule=RULE,
            cure="have the class approve the change by a majority of its outstanding shares, or ratify under § 204",
        )
        for cls, why in sorted(gaps.items())
    ]


describe(
    RULE,
    cites=(c("242(b)(2)"),),
    summary="A charter's opt-out of the class vote on authorized shares binds a class only if it came with the "
    "original charter, the class's creation, before its first share, or by the class's own vote.",
    codes=("MB-CARVE-OUT-INEFFECTIVE",),
    applied_by="minutebook.law.dgcl.meetings:votes_rule and minutebook.law.dgcl.consents:consent_rule",
    default="the class votes separately (§242(b)(2)) where the provision came in otherwise",
)
