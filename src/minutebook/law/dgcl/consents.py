"""Action without a meeting: stockholders' written consent, 8 Del. C. § 228, and the incorporators'
(§§ 107, 108, 241).

§228(a): unless the charter provides otherwise, stockholders may act by written consent signed by the
holders of at least the votes needed at a meeting at which all shares entitled to vote were present.
§228(c): a consent counts only if enough consents are delivered within 60 days of the first.
§228(c) before 1 August 2017: within 60 days of the earliest dated consent, each signature bearing its date;
from then (81 Del. Laws c. 86): within 60 days of the first date a consent is delivered. §228(e): prompt
notice goes to those who did not consent. §213(b): a record date the board fixes may not precede its
resolution nor be more than 10 days after it; with none fixed, it is the first date a signed consent is
delivered, or, where the board must act first, the close of business on the day it adopts its resolution.
§211(b): directors are elected by
consent in lieu of an annual meeting only unanimously (unless the charter permits otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ...core.errors import InputError
from ...core.events import WrittenConsent
from ...core.findings import Finding, info, warning
from ...core.record import build_until
from ...core.votes import Outcome, electorate
from ..params import param
from ..registry import describe, rule
from . import carve_out
from . import votes as std
from .common import article, c, defect, provision


@dataclass(frozen=True, slots=True)
class Signature:
    """One stockholder's signature on a consent: when signed (the date it bears, §228(c) before 1 August
    2017) and when delivered to the corporation (from then on the 60 days run from the first delivery)."""

    signer: str
    signed_on: date | None
    delivered_on: date
    delivery_assumed: bool  # no delivery date recorded: taken to be the day of signing


def _day(raw, where: str) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"{where}: not a date (YYYY-MM-DD): {raw!r}") from None


def _signatures(b: WrittenConsent, on: date) -> list[Signature]:
    """Each signature {signer, signed_on, delivered_on}: a consent recorded before delivery dates were kept
    (no `delivered_on`) is read as delivered on the day it was signed, and the rules say so."""
    out = []
    for i, s in enumerate(b.signatures):
        if not isinstance(s, dict) or not s.get("signer"):
            raise InputError(f"signatures[{i}].signer: each signature names its signer")
        signed = _day(s.get("signed_on"), f"signatures[{i}].signed_on")
        delivered = _day(s.get("delivered_on"), f"signatures[{i}].delivered_on")
        if signed is None and delivered is None:
            raise InputError(
                f"signatures[{i}]: give the date it was signed (signed_on) or delivered (delivered_on)"
            )
        for what, d in (("signed_on", signed), ("delivered_on", delivered)):
            if d is not None and d > on:
                raise InputError(
                    f"signatures[{i}].{what}: {d.isoformat()} is after the consent took effect ({on.isoformat()})"
                )
        if signed is not None and delivered is not None and delivered < signed:
            raise InputError(
                f"signatures[{i}].delivered_on: {delivered.isoformat()} is before it was signed ({signed.isoformat()})"
            )
        out.append(Signature(str(s["signer"]), signed, delivered or signed, delivered is None))  # type: ignore[arg-type]
    if not out:
        raise InputError("signatures: a written consent needs at least one signature")
    return out


SIXTY_DAYS = {"signature": "dgcl.228.c.sixty_days", "delivery": "dgcl.228.c.sixty_days_from_delivery"}
RECORD_DATE = "dgcl.213.b.consent_record_date"
_ELSEWHERE = {*SIXTY_DAYS.values(), RECORD_DATE}  # findings of evaluate() reported by their own rules
_PRIOR_BOARD_ACTION = (
    "amend_charter",
    "asset_sale",
)  # §§242(b)(1), 271(a): the board's resolution comes first


def timely(sigs: list[Signature], on: date) -> tuple[list[Finding], list[Signature]]:
    """§228(c) as in force on `on`: the signatures that count, and a finding for each that does not. Before
    1 August 2017 the 60 days run from the earliest dated signature, and every signature must bear its date;
    from then, from the first date a consent is delivered to the corporation."""
    regime = param("dgcl.228.c.window_from", on)
    rid = SIXTY_DAYS[regime]
    out: list[Finding] = []
    dated = [x for x in sigs if x.signed_on is not None] if regime == "signature" else sigs
    for x in sigs:
        if regime == "signature" and x.signed_on is None:
            out.append(
                warning(
                    "MB-CONSENT-UNDATED",
                    f"{x.signer}'s signature bears no date of signature, which §228(c) required of every consent "
                    f"before 1 August 2017; it does not count",
                    cites=(c("228(c)"),),
                    rule=rid,
                )
            )
    if not dated:
        return out, []
    if regime == "signature":
        first = min(x.signed_on for x in dated)  # type: ignore[type-var]
        what = "the earliest dated signature"
    else:
        first = min(x.delivered_on for x in dated)
        what = "the first delivery of a signed consent"
        assumed = [x.signer for x in dated if x.delivery_assumed]
        if assumed:
            out.append(
                info(
                    "MB-CONSENT-DELIVERY-ASSUMED",
                    f"no delivery date is recorded for {', '.join(assumed)}: each is taken as delivered on the day "
                    "signed; from 1 August 2017 the 60 days run from the first delivery (record `delivered_on`)",
                    cites=(c("228(c)"),),
                    rule=rid,
                )
            )
    window = param("dgcl.228.delivery_window_days", first)
    counted = []
    for x in dated:
        if x.delivered_on > first + timedelta(days=window):
            out.append(
                warning(
                    "MB-CONSENT-STALE",
                    f"{x.signer}'s consent was delivered on {x.delivered_on.isoformat()}, more than {window} days "
                    f"after {what} ({first.isoformat()}); it does not count",
                    cites=(c("228(c)"),),
                    rule=rid,
                )
            )
        else:
            counted.append(x)
    return out, counted


def record_date(record, b: WrittenConsent, sigs: list[Signature], historical: bool = False):
    """§213(b): the record date of a stockholders' consent, how it was set, and findings. Fixed by the board:
    not before the resolution fixing it, nor more than 10 days after it. Not fixed, and no prior board action
    required: the first date a signed consent is delivered. Not fixed, and the act needs the board's
    resolution first (a §242 amendment, a §271 sale): the close of business on the day the board adopts it."""
    out: list[Finding] = []
    prior = None
    for x in b.matters:
        rid = (x.get("params") or {}).get("resolution")
        if x.get("kind") in _PRIOR_BOARD_ACTION and rid in record.resolutions:
            prior = (rid, record.resolutions[rid][0])
            break
    first = min(x.delivered_on for x in sigs)
    if b.record_date is not None:
        rd = b.record_date
        fixing = next(
            (
                (rid, ev)
                for rid, (ev, res) in record.resolutions.items()
                if str((res.get("params") or {}).get("record_date") or "") == rd.isoformat()
            ),
            prior,
        )
        if fixing is None:
            out.append(
                warning(
                    "MB-CONSENT-RECORD-DATE-UNFIXED",
                    f"consent {b.consent_id}: record date {rd.isoformat()} is given, but no board resolution in the "
                    "book fixes it (a resolution with params.record_date, or the resolution the consent acts on); "
                    "only the board fixes a record date (§213(b))",
                    cites=(c("213(b)"),),
                    rule=RECORD_DATE,
                )
            )
            return rd, "fixed (no resolution found)", out
        rid, ev = fixing
        adopted = ev.effective_on
        cap = param("dgcl.213.consent_record_max_days", adopted)
        if rd < adopted:
            out.append(
                defect(
                    "MB-CONSENT-RECORD-DATE-BEFORE-RESOLUTION",
                    f"consent {b.consent_id}: record date {rd.isoformat()} precedes the board's resolution {rid} "
                    f"fixing it ({adopted.isoformat()})",
                    historical,
                    (c("213(b)"),),
                    rule=RECORD_DATE,
                )
            )
        elif rd > adopted + timedelta(days=cap):
            out.append(
                defect(
                    "MB-CONSENT-RECORD-DATE-TOO-LATE",
                    f"consent {b.consent_id}: record date {rd.isoformat()} is more than {cap} days after the "
                    f"board's resolution {rid} fixing it ({adopted.isoformat()})",
                    historical,
                    (c("213(b)"),),
                    rule=RECORD_DATE,
                )
            )
        return rd, f"fixed by the board ({rid}, {adopted.isoformat()})", out
    if prior is not None:
        rid, ev = prior
        return ev.effective_on, f"the close of business on the day the board adopted {rid} (§213(b))", out
    return first, "the first date a signed consent was delivered (§213(b))", out


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
        names = [x.signer for x in sigs]
        signers = {known.get(_norm(s)) and _norm(s) or firsts.get(_norm(s)) or _norm(s) for s in names}
        if known and not signers <= set(known):
            strangers = sorted(s for s in names if _norm(s) not in known and _norm(s) not in firsts)
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
    rd, how, found = record_date(record, b, sigs)
    out += found
    stale, timely_sigs = timely(sigs, on)
    out += stale
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
    later = None
    for x in sigs:
        s = x.signer
        if s not in el.holders:
            later = later or electorate(state_at(on), on)
            if s not in later.holders:
                raise InputError(
                    f"signatures: {s!r} held no outstanding shares on the record date {rd.isoformat()} ({how})"
                )
            out.append(
                warning(
                    "MB-CONSENT-SIGNER-NOT-OF-RECORD",
                    f"consent {b.consent_id}: {s} was not a holder of record on the record date {rd.isoformat()}, "
                    f"{how}; the signature does not count",
                    cites=(c("213(b)"), c("228(a)")),
                    rule=RECORD_DATE,
                )
            )
            continue
        if x not in timely_sigs:
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
                unmet, gaps = carve_out.recording(record, state_at, on)
                for cls, _why, _cites in std.class_votes_required(
                    version, std.amendment_changes(record, x), el, unmet
                ):
                    cv = std.class_majority(cls, counted, el)
                    verdicts.append(cv)
                    if cv.passed:
                        class_votes.append(cls)
                out += carve_out.findings(gaps, version, f"consent {b.consent_id}, matter {mid}")
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


carve_out.judged_by("consent", outcomes)


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
        if dict(f.data).get("rule") in _ELSEWHERE:
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


def _own(ctx, rule_id: str) -> list[Finding]:
    out = []
    for f in evaluate(ctx.gov, ctx.event, ctx.state_at)[0]:
        if dict(f.data).get("rule") != rule_id:
            continue
        if ctx.historical and f.severity.value == "error":
            f = warning(f.code, f.message, cites=f.cites, rule=rule_id)
        out.append(f)
    return out


@rule(
    "dgcl.228.c.sixty_days",
    cites=(c("228(c)"),),
    summary="Before 1 Aug 2017: a consent counts only if enough consents, each bearing its date of signature, "
    "reach the corporation within 60 days of the earliest dated one.",
    codes=("MB-CONSENT-STALE", "MB-CONSENT-UNDATED"),
    events=("WrittenConsent",),
)
def sixty_days_rule(ctx):
    if param("dgcl.228.c.window_from", ctx.event.effective_on) != "signature":
        return []
    return _own(ctx, "dgcl.228.c.sixty_days")


@rule(
    "dgcl.228.c.sixty_days_from_delivery",
    cites=(c("228(c)"),),
    summary="From 1 Aug 2017: a consent counts only if enough consents reach the corporation within 60 days of "
    "the first date one is delivered.",
    codes=("MB-CONSENT-STALE", "MB-CONSENT-DELIVERY-ASSUMED"),
    events=("WrittenConsent",),
    default="a signature recorded without its delivery date is taken as delivered on the day signed (noted)",
)
def sixty_days_from_delivery_rule(ctx):
    if param("dgcl.228.c.window_from", ctx.event.effective_on) != "delivery":
        return []
    return _own(ctx, "dgcl.228.c.sixty_days_from_delivery")


@rule(
    RECORD_DATE,
    cites=(c("213(b)"),),
    summary="A consent's record date: as the board fixes it (within 10 days after its resolution), else the "
    "first signed consent delivered, or the day the board acts where it must act first.",
    codes=(
        "MB-CONSENT-RECORD-DATE-BEFORE-RESOLUTION",
        "MB-CONSENT-RECORD-DATE-TOO-LATE",
        "MB-CONSENT-RECORD-DATE-UNFIXED",
        "MB-CONSENT-SIGNER-NOT-OF-RECORD",
    ),
    events=("WrittenConsent",),
    default="the board may fix the record date (by a resolution whose params carry record_date); the holders of "
    "record on it are the electorate counted",
)
def consent_record_date_rule(ctx):
    return _own(ctx, RECORD_DATE)


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
        try:
            rd = record_date(g, e.body, _signatures(e.body, e.effective_on))[0]
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
