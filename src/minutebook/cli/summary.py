"""Every event in one line, as the commands print what they recorded and the ledger lists it."""

from __future__ import annotations

from ..core.events import Event


def _n(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def summary(e: Event) -> str:  # noqa: C901 - one line per event type
    """One line for an event: what it did, in the ledger's words."""
    b = e.body
    t = e.type
    if t == "Incorporated":
        cap = (b.charter or {}).get("capital") or {}
        return f"{b.name} ({b.jurisdiction or 'jurisdiction unknown'}), {_n(cap.get('total_authorized'))} authorized"
    if t == "CharterAmended":
        cap = (b.charter or {}).get("capital") or {}
        kind = (b.document_kind or "amendment") + (f" §{b.statute}" if b.statute else "")
        return f"{kind}, {_n(cap.get('total_authorized'))} authorized"
    if t == "SeriesDesignated":
        return f"series {b.series_key} ({b.name}) of {b.class_key}, {_n(b.authorized)} designated"
    if t == "StakeholderAdded":
        return f"holder {b.holder_id}: {b.name} ({b.kind})"
    if t == "StakeholderChanged":
        changed = ", ".join(f"{k} {v!r}" for k, v in (("name", b.name), ("email", b.email)) if v)
        return f"holder {b.holder_id} changed: {changed or 'address'}"
    cls = getattr(b, "class_key", "")
    ser = f" series {b.series_key}" if getattr(b, "series_key", None) else ""
    if t == "SharesIssued":
        cert = f", certificate {b.certificate}" if b.certificate else ""
        src = " from treasury" if b.from_treasury else ""
        return f"{_n(b.shares)} {cls}{ser} issued{src} to {b.holder_id} at ${b.price_per_share}{cert}"
    if t == "SharesTransferred":
        return f"{_n(b.shares)} {cls}{ser} transferred {b.from_holder} → {b.to_holder}"
    if t == "SharesCancelled":
        return f"{_n(b.shares)} {cls}{ser} of {b.holder_id} cancelled"
    if t == "SharesRepurchased":
        return (
            f"{_n(b.shares)} {cls}{ser} repurchased from {b.holder_id} at ${b.price_per_share} into treasury"
        )
    if t == "SharesConverted":
        return (
            f"{b.holder_id}: {_n(b.from_shares)} {b.from_class} converted into {_n(b.to_shares)} {b.to_class}"
        )
    if t == "StockSplit":
        kind = "split" if b.to_shares > b.from_shares else "reverse split"
        return f"{cls}{ser} {kind} {b.from_shares}:{b.to_shares}"
    return _governance(e)  # directors, meetings, consents, approvals


def _ids(xs) -> str:
    return ", ".join(str(x) for x in xs) or "none"


def _governance(e: Event) -> str:  # noqa: C901 - one line per event type
    """One line for a governance event."""
    b = e.body
    t = e.type
    if t == "DirectorsElected":
        names = b.names or {}
        who = ", ".join(f"{d} ({names[d]})" if names.get(d) else d for d in b.directors)
        return f"director{'s' if len(b.directors) != 1 else ''} elected by the {b.by}: {who}"
    if t == "DirectorsLeft":
        return f"director{'s' if len(b.directors) != 1 else ''} {b.how}: {_ids(b.directors)}"
    if t == "BoardSizeFixed":
        return f"board size fixed at {b.size}"
    if t == "OfficersAppointed":
        return f"{b.person_id} ({b.name}) appointed {', '.join(b.titles)}"
    if t == "OfficersLeft":
        return f"{b.person_id} {b.how}: {', '.join(b.titles) or 'every office'}"
    if t == "BoardActed":
        form = "at a meeting" if b.form == "meeting" else "by unanimous written consent"
        res = ", ".join(f"{r.get('id')} ({r.get('kind')})" for r in b.resolutions)
        return f"board action {b.action_id} {form} ({_ids(b.present)}): {res or 'no resolutions'}"
    if t == "MeetingCalled":
        rd = f", record date {b.record_date.isoformat()}" if b.record_date else ""
        ms = ", ".join(f"{m.get('id')} ({m.get('kind')})" for m in b.matters)
        return f"{b.kind} meeting {b.meeting_id} called for {b.meeting_on.isoformat()}{rd}: {ms}"
    if t == "NoticeSent":
        what = [
            x
            for x, ok in (("states its purpose", b.states_purpose), ("includes the text", b.includes_text))
            if ok
        ]
        return f"notice of meeting {b.meeting_id} sent ({'; '.join(what) or 'no purpose, no text'})"
    if t == "StockholderListPrepared":
        return f"stockholder list for meeting {b.meeting_id} prepared"
    if t == "MeetingHeld":
        return f"meeting {b.meeting_id} held: {len(b.votes)} vote{'s' if len(b.votes) != 1 else ''} taken"
    if t == "WrittenConsent":
        ms = ", ".join(f"{m.get('id')} ({m.get('kind')})" for m in b.matters)
        n = len(b.signatures)
        return f"written consent {b.consent_id} of the {b.by}, {n} signature{'s' if n != 1 else ''}: {ms}"
    if t == "ConsentNoticeSent":
        return f"notice of consent {b.consent_id} sent to the stockholders who did not sign (§228(e))"
    if t == "BylawsAmended":
        return f"bylaws {b.section} amended"
    if t == "ApprovalRecorded":
        return f"approval {b.approval_id} of the {b.body} recorded (from an imported record)"
    if t == "Correction":
        if b.voids:
            return f"voids event {b.corrects} ({b.corrected_type}): {b.reason}"
        return f"corrects event {b.corrects} ({b.corrected_type}: {', '.join(b.changed)}): {b.reason}"
    if t == "GrossAssetsReported":
        return f"gross assets for tax year {b.tax_year}: ${b.gross_assets:,}"
    if t == "DocumentDrawn":
        what = f" for {b.act}" if b.act else (f" as of {b.as_of.isoformat()}" if b.as_of else "")
        return f"{b.kind}{what} drawn ({b.format}, sha256 {b.sha256[:12]}…)"
    return _matter(e) or _equity(e) or t


def _matter(e: Event) -> str | None:
    """One line for a fact of §§144, 220, 122(18), 147 or 266 (`book.matters`)."""
    b, t = e.body, e.type
    if t == "InterestedTransaction":
        kind = b.kind.replace("_", " ")
        return f"transaction {b.transaction_id} ({kind}; interested: {_ids(b.interested)})"
    if t == "BooksDemanded":
        return f"books-and-records demand {b.demand_id} by {b.stockholder} (§220)"
    if t == "StockholderAgreement":
        return f"stockholder agreement {b.agreement_id} with {_ids(b.parties)} (§122(18))"
    if t == "AgreementApproved":
        return f"agreement {b.agreement_id} ({b.title}) approved in {b.form} form"
    if t == "CorporationConverted":
        return f"converted to a {b.entity} of {b.jurisdiction} (§266): the Delaware book ends"
    return None


def _equity(e: Event) -> str | None:  # noqa: C901 - one line per event type
    """One line for an equity-compensation or convertible event (`book.equity`)."""
    b, t = e.body, e.type
    if t == "ValuationRecorded":
        return f"valuation {b.valuation_id}: {b.class_key} at ${b.price_per_share} ({b.kind})"
    if t == "PlanAdopted":
        return f"plan {b.plan_id} ({b.name}) adopted, {_n(b.reserved)} {b.class_key} reserved"
    if t == "PoolChanged":
        return f"plan {b.plan_id}: reserve set to {_n(b.reserved)}"
    if t == "VestingDefined":
        return f"vesting terms {b.terms_id}: {b.name}"
    if t == "AwardGranted":
        price = f" at ${b.exercise_price}" if b.exercise_price is not None else ""
        kind = f"{b.option_type} option" if b.option_type else b.kind
        plan = f" under {b.plan_id}" if b.plan_id else ""
        return f"{kind} {b.award_id}: {_n(b.quantity)} {b.class_key}{price} to {b.holder_id}{plan}"
    if t == "AwardExercised":
        what = "released" if b.method == "release" else f"exercised ({b.method})"
        return f"{b.award_id}: {_n(b.quantity)} {what}, {_n(b.shares)} shares to issue"
    if t == "AwardEnded":
        return f"{b.award_id}: {_n(b.quantity)} {b.how}"
    if t == "AwardRepriced":
        return f"{b.award_id} repriced to ${b.exercise_price}"
    if t == "VestingStarted":
        return f"{b.award_id}: vesting starts"
    if t == "VestingEventOccurred":
        return f"vesting milestone {b.event!r}" + (f" for {b.award_id}" if b.award_id else "")
    if t == "VestingAccelerated":
        return f"{b.award_id}: {_n(b.quantity)} accelerated ({b.trigger} trigger)"
    if t == "ServiceEnded":
        return f"{b.holder_id}: service ended ({b.reason})"
    if t == "ChangeOfControl":
        return f"change of control: {b.description}"
    if t == "ConvertibleIssued":
        cap = f", ${b.cap:,} {b.cap_basis}-money cap" if b.cap is not None else ""
        disc = f", {b.discount * 100:.0f}% discount" if b.discount is not None else ""
        return f"{b.kind.upper()} {b.convertible_id}: ${b.amount:,} from {b.holder_id}{cap}{disc}"
    if t == "ConvertibleConverted":
        return (
            f"{b.convertible_id} converted: {_n(b.shares)} {b.class_key} at ${b.price_per_share} ({b.basis})"
        )
    return None
