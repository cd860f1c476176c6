"""Exculpation of directors and officers by the charter, 8 Del. C. § 102(b)(7).

The charter may eliminate or limit a director's personal liability to the corporation or its stockholders for
monetary damages for breach of fiduciary duty (65 Del. Laws c. 289, in force 1986-07-01), and an officer's from
2022-08-01 (83 Del. Laws c. 377) — never for a breach of the duty of loyalty, acts not in good faith or involving
intentional misconduct or a knowing violation of law, unlawful dividends or purchases (§174, directors), a
transaction from which the person derived an improper personal benefit, nor, for an officer, in any action by or
in the right of the corporation (§102(b)(7)(v)): derivative claims. No provision reaches an act or omission before
the date it became effective.

`covers(charter, role, claim, on)` answers whether the charter in force on the day of the act exculpates a
director or officer from a direct or derivative claim, with the reason and its citation; the rules report a
charter version that purports to exculpate officers before the statute allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...core.findings import info, warning
from ..registry import describe, get, rule
from .common import article, c, provision

ROLES = ("director", "officer")
CLAIMS = ("direct", "derivative")
NEVER = (
    "never for a breach of the duty of loyalty, acts not in good faith, intentional misconduct or a knowing "
    "violation of law, or a transaction giving an improper personal benefit"
)


def _day(rule_id: str) -> date | None:
    return get(rule_id).since


def names_officers(p) -> bool:
    """Whether the charter's exculpation provision names officers (as the reader tagged it)."""
    return p is not None and "officer" in str(p.param("scope") or "")


@dataclass(frozen=True, slots=True)
class Coverage:
    covered: bool
    reason: str
    cites: tuple[str, ...]

    def to_json(self) -> dict:
        return {"covered": self.covered, "reason": self.reason, "cites": list(self.cites)}


def covers(charter, role: str, claim: str, on: date) -> Coverage:
    """Whether the charter in force on `on` (the day of the act or omission) exculpates a `role` (director or
    officer) from monetary damages on a `claim` (direct, or derivative: by or in the right of the corporation)."""
    if role not in ROLES:
        raise ValueError(f"role: one of {', '.join(ROLES)}, not {role!r}")
    if claim not in CLAIMS:
        raise ValueError(f"claim: one of {', '.join(CLAIMS)}, not {claim!r}")
    directors_from = _day("dgcl.102.b.7.exculpation")
    officers_from = _day("dgcl.102.b.7.officers")
    v = charter.at(on)
    p = provision(v, "exculpation")
    where = article(v, p) if p is not None else article(v)
    if directors_from and on < directors_from:
        return Coverage(
            False, f"§ 102(b)(7) took effect only on {directors_from.isoformat()}", (c("102(b)(7)"),)
        )
    if p is None:
        return Coverage(
            False,
            f"the charter in force on {on.isoformat()} has no § 102(b)(7) provision",
            (c("102(b)(7)"), where),
        )
    if role == "director":
        return Coverage(
            True,
            f"{where} exculpates directors from monetary damages for breach of the duty of care, on direct and "
            f"derivative claims alike; {NEVER}, or unlawful dividends or purchases (§ 174)",
            (c("102(b)(7)"), where),
        )
    if officers_from and on < officers_from:
        return Coverage(
            False,
            f"officers may be exculpated only for acts on or after {officers_from.isoformat()}",
            (c("102(b)(7)"), where),
        )
    if not names_officers(p):
        return Coverage(False, f"{where} exculpates directors only, not officers", (c("102(b)(7)"), where))
    if officers_from and v.effective_on and v.effective_on < officers_from:
        return Coverage(
            False,
            f"{where} was adopted before officers could be exculpated ({officers_from.isoformat()}): it does not "
            "reach them; an amendment adopted since is needed",
            (c("102(b)(7)"), where),
        )
    if claim == "derivative":
        return Coverage(
            False,
            "an officer is never exculpated in an action by or in the right of the corporation (a derivative claim)",
            (c("102(b)(7)(v)"), where),
        )
    return Coverage(
        True,
        f"{where} exculpates officers from monetary damages for breach of the duty of care on direct claims; {NEVER}",
        (c("102(b)(7)"), where),
    )


def _new_officer_clause(ctx) -> tuple[object, object] | None:
    """The version the event makes and its exculpation provision, when it names officers and the version before
    did not (a charter that keeps the same clause is not reported again)."""
    from ...core.codec import version_from_dict

    body = ctx.event.body
    if not getattr(body, "charter", None):
        return None
    v = version_from_dict({**body.charter, "effective_on": ctx.event.effective_on.isoformat()})
    p = provision(v, "exculpation")
    if not names_officers(p):
        return None
    before = ctx.state.version if ctx.event.type == "CharterAmended" else None
    if before is not None and names_officers(provision(before, "exculpation")):
        old = ctx.state.version.effective_on
        officers_from = _day("dgcl.102.b.7.officers")
        if not (officers_from and old and old < officers_from <= ctx.event.effective_on):
            return None
    return v, p


@rule(
    "dgcl.102.b.7.officers_premature",
    cites=(c("102(b)(7)"),),
    summary="Before 2022-08-01 the charter could exculpate directors only: a clause that names officers does not "
    "reach them.",
    codes=("MB-102B7-OFFICERS-PREMATURE",),
    events=("Incorporated", "CharterAmended"),
)
def officers_premature_rule(ctx):
    found = _new_officer_clause(ctx)
    if found is None:
        return []
    v, p = found
    since = _day("dgcl.102.b.7.officers")
    cure = f"amend the charter (§ 242) on or after {since} to exculpate officers, save for derivative claims"
    return [
        warning(
            "MB-102B7-OFFICERS-PREMATURE",
            f"{article(v, p)} purports to exculpate officers, which § 102(b)(7) allowed only from {since}: it is "
            f"ineffective as to officers; cure: {cure}",
            cites=(c("102(b)(7)"), article(v, p)),
            cure=cure,
        )
    ]


@rule(
    "dgcl.102.b.7.officers",
    cites=(c("102(b)(7)"), c("102(b)(7)(v)")),
    summary="The charter may exculpate officers as well as directors, never for claims by or in the right of the "
    "corporation.",
    codes=("MB-102B7-OFFICERS",),
    events=("Incorporated", "CharterAmended"),
)
def officers_rule(ctx):
    found = _new_officer_clause(ctx)
    if found is None:
        return []
    v, p = found
    return [
        info(
            "MB-102B7-OFFICERS",
            f"{article(v, p)} exculpates officers from {ctx.event.effective_on.isoformat()}: for acts from then on, "
            "on direct claims only — never in an action by or in the right of the corporation",
            cites=(c("102(b)(7)"), c("102(b)(7)(v)"), article(v, p)),
        )
    ]


describe(
    "dgcl.102.b.7.exculpation",
    cites=(c("102(b)(7)"),),
    summary="The charter may eliminate or limit a director's personal liability for monetary damages for breach of "
    "fiduciary duty, save for loyalty, bad faith, § 174 and improper personal benefit.",
    codes=(),
    applied_by="minutebook.law.dgcl.exculpation:covers",
)
