"""Action without a meeting: stockholders' written consent, 8 Del. C. § 228, and the incorporators'
(§§ 107, 108, 241).

§228(a): unless the charter provides otherwise, stockholders may act by written consent signed by the
holders of at least the votes needed at a meeting at which all shares entitled to vote were present.
§228(c): a consent counts only if enough consents are delivered within 60 days of the first.
§228(e): prompt notice goes to those who did not consent. §213(b): with no record date fixed, the
record date is the first date a signed consent is delivered. §211(b): directors are elected by
consent in lieu of an annual meeting only unanimously (unless the charter permits otherwise).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...core.errors import InputError
from ...core.events import WrittenConsent
from ...core.findings import Finding, warning
from ...core.record import build_until
from ...core.votes import Outcome, electorate
from ..params import param
from ..registry import describe, rule
from . import votes as std
from .common import article, c, defect, provision


def _signatures(b: WrittenConsent, on: date) -> list[tuple[str, date]]:
    out = []
    for i, s in enumerate(b.signatures):
        if not isinstance(s, dict) or not s.get("signer"):
            raise InputError(f"signatures[{i}].signer: each signature names its signer")
        raw = s.get("signed_on")
        try:
            d = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            raise InputError(f"signatures[{i}].signed_on: not a date (YYYY-MM-DD): {raw!r}") from None
        if d > on:
            raise InputError(
                f"signatures[{i}].signed_on: {d.isoformat()} is after the consent took effect ({on.isoformat()})"
            )
        out.append((str(s["signer"]), d))
    if not out:
        raise InputError("signatures: a written consent needs at least one signature")
    return out


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def evaluate(record, e, state_at) -> tuple[list[Finding], dict[str, Outcome]]:  # noqa: C901
    """The findings of consent `e` and each matter's outcome, judged against `record` as it stood just
    before the consent took effect."""
    b: WrittenConsent = e.body
    on = e.effective_on
    sigs = _signatures(b, on)
    out: list[Finding] = []
    outcomes: dict[str, Outcome] = {}
    if b.by == "incorporators":
        # incorporators as named in the certificate: a signer matches by name, in any case and spacing,
        # or by the name's first word ("eugene" for "Eugene Chiaramonte")
        known = {_norm(n): n for n in record.incorporators}
        firsts = {_norm(n.split()[0]): _norm(n) for n in record.incorporators if n.split()}
        signers = {known.get(_norm(s)) and _norm(s) or firsts.get(_norm(s)) or _norm(s) for s, _ in sigs}
        if known and not signers <= set(known):
            strangers = sorted(s for s, _ in sigs if _norm(s) not in known and _norm(s) not in firsts)
            raise InputError(
                f"signatures: {', '.join(strangers)} not among the incorporators ({', '.join(sorted(known.values()))})"
            )
        ok = not known or 2 * len(signers & set(known)) > len(known)
        for x in b.matters:
            mid = str(x.get("id"))
            outcomes[mid] = Outcome(
                mid,
                "incorporators",
                on,
                x.get("kind", "ordinary"),
                ok,
                dict(x.get("params") or {}),
                str(x.get("text") or ""),
                "a majority of the incorporators (§§ 107, 108)",
                seq=e.seq,
                why="" if ok else "not signed by a majority of the incorporators",
            )
        return out, outcomes
    if b.by != "stockholders":
        raise InputError(f"by: a written consent is by the stockholders or the incorporators, not {b.by!r}")
    first = min(d for _, d in sigs)
    window = param("dgcl.228.delivery_window_days", first)
    rd = b.record_date or first
    st = state_at(rd)
    el = electorate(st, rd)
    version = st.version
    if version is not None and version.effective_on == rd:
        # the charter as it stood when they signed, not as amended later that day (perhaps on this consent)
        version = state_at(rd - timedelta(days=1)).version or version
    p = provision(version, "no_written_consent")
    forbidden = p is not None
    if forbidden:
        out.append(
            defect(
                "MB-CONSENT-FORBIDDEN",
                f"the charter ({article(version, p)}) does not permit stockholder action by written consent",
                False,
                (c("228(a)"), article(version, p)),
            )
        )
    counted: dict[str, int] = {}
    for s, d in sigs:
        if s not in el.holders:
            raise InputError(
                f"signatures: {s!r} held no outstanding shares on the record date {rd.isoformat()}"
            )
        if d > first + timedelta(days=window):
            out.append(
                warning(
                    "MB-CONSENT-STALE",
                    f"consent {b.consent_id}: {s} signed on {d.isoformat()}, more than {window} days after the "
                    f"first signature ({first.isoformat()}); it does not count",
                    cites=(c("228(c)"),),
                    rule="dgcl.228.c.sixty_days",
                )
            )
            continue
        for k, n in el.holders[s].items():
            counted[k] = counted.get(k, 0) + n
    for x in b.matters:
        mid, kind = str(x.get("id")), x.get("kind", "ordinary")
        verdicts = []
        class_votes = []
        if kind == "elect_directors":
            # §211(b): a consent electing directors in lieu of the annual meeting must be unanimous, unless
            # every directorship is vacant and filled by it; otherwise the votes a meeting would need
            all_votes, fv = el.total(), el.votes(counted)
            in_lieu = bool((x.get("params") or {}).get("in_lieu_of_annual", True))
            vacant = not record.directors
            if fv == all_votes:
                ok, std_text = True, "the unanimous consent of the stockholders (§211(b))"
            elif in_lieu and not vacant:
                ok, std_text = (
                    False,
                    "the unanimous consent of the stockholders, in lieu of the annual meeting (§211(b))",
                )
            else:
                ok = 2 * fv > all_votes
                std_text = "a majority of the votes of all shares entitled to vote (§§211(b), 228(a))"
            verdicts.append(
                std.Verdict(
                    ok,
                    std_text,
                    "dgcl.211.b.unanimous",
                    (c("211(b)"), c("228(a)")),
                    f"{fv:,} of {all_votes:,} votes signed",
                )
            )
        elif kind in std.OUTSTANDING:
            verdicts.append(std.outstanding_majority(kind, counted, el, version))
            if kind == "amend_charter":
                for cls, _why, _cites in std.class_votes_required(
                    version, std.amendment_changes(record, x), el
                ):
                    cv = std.class_majority(cls, counted, el)
                    verdicts.append(cv)
                    if cv.passed:
                        class_votes.append(cls)
        else:
            fv, total = el.votes(counted), el.total()
            verdicts.append(
                std.Verdict(
                    2 * fv > total,
                    "a majority of the votes of all shares entitled to vote (§228(a))",
                    "dgcl.228.a.consent_sufficient",
                    (c("228(a)"),),
                    f"{fv:,} of {total:,} votes signed",
                )
            )
        passed = not forbidden and all(v.passed for v in verdicts)
        failed = [v for v in verdicts if not v.passed]
        if failed and not forbidden:
            out.append(
                defect(
                    "MB-CONSENT-INSUFFICIENT",
                    f"consent {b.consent_id}, matter {mid}: it needs {failed[0].standard}; "
                    + "; ".join(v.detail for v in failed),
                    False,
                    (c("228(a)"), *failed[0].cites),
                    rule=failed[0].rule,
                )
            )
        outcomes[mid] = Outcome(
            mid,
            "stockholders",
            on,
            kind,
            passed,
            dict(x.get("params") or {}),
            str(x.get("text") or ""),
            "; ".join(v.standard for v in verdicts),
            tuple(class_votes),
            e.seq,
            "; ".join(v.detail for v in failed)
            or ("the charter forbids action by consent" if forbidden else ""),
            {k: (counted.get(k, 0), n) for k, n in el.shares.items()},
        )
    return out, outcomes


def outcomes(record, e, state_at) -> dict[str, Outcome]:
    return evaluate(build_until(record, e), e, state_at)[1]


@rule(
    "dgcl.228.a.consent_sufficient",
    cites=(c("228(a)"), c("211(b)")),
    summary="Stockholders act by written consent only if the charter allows it and the signers hold the votes "
    "a meeting with every share present would need.",
    codes=("MB-CONSENT-FORBIDDEN", "MB-CONSENT-INSUFFICIENT"),
    events=("WrittenConsent",),
    default="permitted unless the certificate of incorporation provides otherwise (§228(a)); the finding "
    "names the charter article where one forbids it",
)
def consent_rule(ctx):
    if ctx.event.body.consent_id in ctx.gov.consents:
        raise InputError(f"consent_id: {ctx.event.body.consent_id!r} is already in the book")
    findings = evaluate(ctx.gov, ctx.event, ctx.state_at)[0]
    out = []
    for f in findings:
        if f.code == "MB-CONSENT-STALE":
            continue
        if ctx.historical and f.severity.value == "error":
            f = warning(f.code, f.message, cites=f.cites)
        out.append(f)
    return out


describe(
    "dgcl.211.b.unanimous",
    cites=(c("211(b)"), c("228(a)")),
    summary="A written consent electing directors in lieu of the annual meeting is unanimous, unless every "
    "directorship is vacant and filled by it; otherwise it needs the votes a meeting would.",
    codes=("MB-CONSENT-INSUFFICIENT",),
    applied_by="minutebook.law.dgcl.consents:consent_rule",
)


@rule(
    "dgcl.228.c.sixty_days",
    cites=(c("228(c)"),),
    summary="A consent counts only if enough signed consents reach the corporation within 60 days of the first.",
    codes=("MB-CONSENT-STALE",),
    events=("WrittenConsent",),
)
def sixty_days_rule(ctx):
    return [f for f in evaluate(ctx.gov, ctx.event, ctx.state_at)[0] if f.code == "MB-CONSENT-STALE"]


@rule(
    "dgcl.228.e.prompt_notice",
    cites=(c("228(e)"),),
    summary="Prompt notice of action taken by less than unanimous consent goes to the stockholders who did not sign.",
    codes=("MB-CONSENT-NOTICE-MISSING",),
    events=("*",),
)
def prompt_notice_rule(ctx):
    out = []
    g = ctx.gov
    for cid, e in g.consents.items():
        if e.body.by != "stockholders" or cid in g.consent_notices:
            continue
        rd = e.body.record_date or min(
            (date.fromisoformat(str(s.get("signed_on"))) for s in e.body.signatures), default=e.effective_on
        )
        try:
            holders = set(electorate(ctx.state_at(rd), rd).holders)
        except Exception:  # noqa: BLE001 - a consent that cannot be read is reported by its own rule
            continue
        signers = {str(s.get("signer")) for s in e.body.signatures}
        if holders - signers:
            out.append(
                warning(
                    "MB-CONSENT-NOTICE-MISSING",
                    f"consent {cid} ({e.effective_on.isoformat()}) was not unanimous and no notice to the "
                    f"{len(holders - signers)} holder(s) who did not sign is recorded",
                    cites=(c("228(e)"),),
                    event=e.seq,
                )
            )
    return out
