"""What the DGCL rule modules share: citations, the charter provision that overrides a default, and
the check that an act points at a valid approval of the right body."""

from __future__ import annotations

from collections.abc import Iterable

from ...core.findings import Finding, error, info, warning


def c(section: str) -> str:
    return f"8 Del. C. § {section}"


def provision(version, kind: str):
    if version is None:
        return None
    return next((p for p in version.provisions if p.kind == kind), None)


def article(version, p=None) -> str:
    """`Art. EIGHTH, as in force from 1997-07-31` for a provision of a version (or the version)."""
    if version is None:
        return "charter"
    when = version.effective_on.isoformat() if version.effective_on else "undated"
    if p is not None and p.article:
        return f"Art. {p.article}, as in force from {when}"
    return f"charter as in force from {when}"


def defect(code: str, message: str, historical: bool, cites: Iterable[str], cure: str | None = None, **data):
    """An error for a new act (refused); for history, a warning naming the cure (§204 where it can)."""
    cites = tuple(cites)
    if historical:
        if cure:
            return warning(code, f"{message}; cure: {cure}", cites=cites, cure=cure, **data)
        return warning(code, message, cites=cites, **data)
    return error(code, message, cites=cites, **data)


# The codes `approval` reports: a rule that checks an act's approval with it lists them among its own.
APPROVAL_CODES = (
    "MB-APPROVAL-MISSING",
    "MB-APPROVAL-UNKNOWN",
    "MB-APPROVAL-WRONG-BODY",
    "MB-APPROVAL-FAILED",
    "MB-APPROVAL-AFTER-ACT",
    "MB-APPROVAL-RECORDED-ONLY",
    "MB-APPROVAL-MISMATCH",
)


def approval(
    ctx,
    approval_id: str | None,
    act: str,
    needs: str,
    *,
    board: bool = False,
    stockholders: bool = False,
    kinds: Iterable[str] = (),
    cites: Iterable[str] = (),
    cure: str | None = None,
    required: bool = True,
) -> tuple[list[Finding], object | None]:
    """Check that `approval_id` names a passed approval by an accepted body, dated on or before the act.
    Returns the findings and the outcome (None when there is none)."""
    e = ctx.event
    cites = tuple(cites)
    when = e.effective_on.isoformat()
    if not approval_id:
        if not required:
            return [], None
        return [
            defect(
                "MB-APPROVAL-MISSING",
                f"{act} ({when}) names no approval: it needs {needs}",
                ctx.historical,
                cites,
                cure,
                needs=needs,
            )
        ], None
    out = ctx.approvals.get(approval_id) if ctx.approvals is not None else None
    if out is None and approval_id in ctx.known_later:
        return [
            defect(
                "MB-APPROVAL-AFTER-ACT",
                f"{act} ({when}) comes before {approval_id}, recorded only later",
                ctx.historical,
                cites,
                cure or "ratify the act under § 204",
            )
        ], None
    if out is None:
        return [
            error(
                "MB-APPROVAL-UNKNOWN",
                f"{act}: no resolution, meeting matter, consent or recorded approval {approval_id!r} "
                f"in the book on {when}",
                cites=cites,
            )
        ], None
    found: list[Finding] = []
    bodies = (["board"] if board else []) + (["stockholders"] if stockholders else [])
    # the incorporators act for the corporation only until directors are elected (§107)
    by_incorporators = out.body == "incorporators" and not ctx.gov.directors
    ok_body = (board and out.by_board) or (stockholders and out.by_stockholders) or by_incorporators
    if not ok_body:
        found.append(
            defect(
                "MB-APPROVAL-WRONG-BODY",
                f"{act}: {approval_id} is an act of the {out.body}, but it needs {needs} "
                f"(by the {' or '.join(bodies)})",
                ctx.historical,
                cites,
                cure,
            )
        )
    elif kinds and out.kind not in (*kinds, "recorded", "general", "ratify"):
        found.append(
            defect(
                "MB-APPROVAL-MISMATCH",
                f"{act}: {approval_id} approved {out.kind.replace('_', ' ')}, not this act ({needs})",
                ctx.historical,
                cites,
                cure,
            )
        )
    if out.on > e.effective_on:
        found.append(
            defect(
                "MB-APPROVAL-AFTER-ACT",
                f"{act} on {when} comes before its approval {approval_id} ({out.on.isoformat()})",
                ctx.historical,
                cites,
                cure or "ratify the act under § 204",
            )
        )
    if not out.passed:
        found.append(
            defect(
                "MB-APPROVAL-FAILED",
                f"{act}: {approval_id} did not pass" + (f" ({out.why})" if out.why else ""),
                ctx.historical,
                cites,
                cure,
            )
        )
    elif out.body.startswith("recorded"):
        found.append(
            info(
                "MB-APPROVAL-RECORDED-ONLY",
                f"{act}: approval {approval_id} is known only from an imported record ({out.on.isoformat()})",
            )
        )
    return found, out
