"""Correcting the record, 8 Del. C. §§ 224, 142(a), 141(a), 152, 103(f), 204.

§224: the corporation's records — the stock ledger first — are kept by or for it and must be accurate;
§142(a): an officer records the proceedings of the stockholders and the directors. Setting right a clerical
slip in that record (a holder's name, e-mail or address, a certificate number, a notice or list entered
twice) is the keeper's ministerial act: no approval. Changing what an act did — the shares issued, their
class or price (§152: the board fixes the consideration), who received them, what the board or the
stockholders resolved — is not a clerical act: it needs the approval of the body whose act it is, named
in `approved_by` (a board resolution or consent, or, for a stockholders' act, their approval), and where the
original act was itself defective, the cure is ratification under §204. A filed instrument (the charter, an
amendment, a certificate of designations) is corrected only by a certificate of correction filed under
§103(f), which the board authorises. What the correction may not do — break a later act of the history —
is the append path's check (`book.checks`), not this rule's.
"""

from __future__ import annotations

from ...core.events import BODY_TYPES, Correction
from ..registry import rule
from .common import approval, c

# the record's own entries: correcting them (or voiding a duplicate) changes no act of the corporation
CLERICAL_TYPES = frozenset(
    {
        "StakeholderAdded",
        "StakeholderChanged",
        "NoticeSent",
        "StockholderListPrepared",
        "ConsentNoticeSent",
        "GrossAssetsReported",
    }
)
# the filed instruments: a certificate of correction (§103(f)) authorised by the board
FILED_TYPES = frozenset({"Incorporated", "CharterAmended", "SeriesDesignated"})
# the stockholders' own acts: their approval corrects their record as well as the board's
STOCKHOLDER_TYPES = frozenset({"MeetingHeld", "WrittenConsent", "DirectorsElected"})
# fields whose correction is clerical in any event: certificate numbers, and how a person is named or reached
CLERICAL_FIELDS = frozenset(
    {"certificate", "new_certificate", "balance_certificate", "name", "names", "email", "address", "reason"}
)


def changed_fields(original: dict, replacement: dict | None) -> tuple[str, ...]:
    """The fields of a body's payload that a correction changes (every field for a void)."""
    if replacement is None:
        return tuple(original)
    return tuple(k for k in sorted(set(original) | set(replacement)) if original.get(k) != replacement.get(k))


def needs_approval(corrected_type: str, fields: tuple[str, ...] | None) -> str | None:
    """What approval a correction of an event of `corrected_type` changing `fields` needs (None: none, a
    clerical correction). `fields` None: a void (it removes the whole act)."""
    if corrected_type in CLERICAL_TYPES:
        return None
    if corrected_type in FILED_TYPES:
        return "a board resolution authorising the certificate of correction (§103(f))"
    if fields is not None and fields and set(fields) <= CLERICAL_FIELDS:
        return None
    if corrected_type in STOCKHOLDER_TYPES:
        return "the approval of the board or the stockholders whose act it records"
    return "a board resolution approving the correction (or ratifying the act under §204)"


@rule(
    "dgcl.224.correction_approved",
    cites=(c("224"), c("142(a)"), c("152"), c("103(f)"), c("204")),
    summary="A correction changing what an act did (not a clerical slip) names the approval of the body whose "
    "act it was; a filed instrument needs a §103(f) certificate.",
    codes=(
        "MB-APPROVAL-MISSING",
        "MB-APPROVAL-UNKNOWN",
        "MB-APPROVAL-FAILED",
        "MB-APPROVAL-WRONG-BODY",
        "MB-APPROVAL-MISMATCH",
        "MB-APPROVAL-AFTER-ACT",
    ),
    events=(Correction.TYPE,),
)
def correction_rule(ctx):
    b: Correction = ctx.event.body
    if b.corrected_type not in BODY_TYPES:
        return []
    fields = None if b.voids else tuple(b.changed)
    needs = needs_approval(b.corrected_type, fields)
    if needs is None:
        return []
    what = "voiding" if b.voids else "correcting"
    act = f"{what} event {b.corrects} ({b.corrected_type})"
    stockholders = b.corrected_type in STOCKHOLDER_TYPES
    cites = (c("224"), c("103(f)")) if b.corrected_type in FILED_TYPES else (c("224"), c("142(a)"), c("204"))
    found, _ = approval(
        ctx,
        b.approved_by,
        act,
        needs,
        board=True,
        stockholders=stockholders,
        kinds=("correction",),
        cites=cites,
        cure="name the resolution approving the correction (--approved-by), or ratify the act under §204",
    )
    return found
