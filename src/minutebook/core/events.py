"""Events: every change to the corporation's record, as immutable values.

An `Event` is an envelope (sequence, effective date or bound, actor, source) around a body of one of
the types below. Bodies serialise to plain JSON (`to_payload`) — Decimals and dates as strings, share
counts as ints — and back (`body_from_payload`), so the log in the database is exactly the events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, get_type_hints

from .heap import day, fast_pickling
from .sources import SourceRef

BOUNDS = ("on", "on_or_before", "on_or_after")


@dataclass(frozen=True, slots=True)
class Body:
    TYPE: ClassVar[str] = ""

    def to_payload(self) -> dict[str, Any]:
        names = _NAMES.get(type(self))
        if names is None:
            names = _NAMES[type(self)] = tuple(f.name for f in dataclasses.fields(self))
        out = {}
        for n in names:
            v = getattr(self, n)
            out[n] = v if v is None or type(v) in _PLAIN else _encode(v)
        return out


_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = frozenset((str, int, bool, float))


def _encode(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, tuple):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {k: _encode(x) for k, x in v.items()}
    return v


# --- the charter ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incorporated(Body):
    """The corporation exists: its name, jurisdiction and first charter version (`core.codec` form)."""

    TYPE: ClassVar[str] = "Incorporated"
    name: str
    jurisdiction: str | None
    charter: dict = field(default_factory=dict)
    incorporators: tuple[str, ...] = ()  # who signed the certificate (§103, §107)


@dataclass(frozen=True, slots=True)
class CharterAmended(Body):
    """A new charter version in force from the event's date (amendment, restatement)."""

    TYPE: ClassVar[str] = "CharterAmended"
    charter: dict = field(default_factory=dict)
    document_kind: str | None = None
    statute: str | None = None
    approved_by: tuple[str, ...] = ()  # the resolution, meeting matter or consent ids that adopted it


@dataclass(frozen=True, slots=True)
class SeriesDesignated(Body):
    """A series of a class designated under §151(g) (its certificate of designations filed)."""

    TYPE: ClassVar[str] = "SeriesDesignated"
    class_key: str
    series_key: str
    name: str
    authorized: int
    designated_by: str = "board of directors"
    approved_by: str | None = None  # the board resolution fixing the series' terms (§151(a))
    terms: str | None = None


# --- people ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StakeholderAdded(Body):
    TYPE: ClassVar[str] = "StakeholderAdded"
    holder_id: str
    name: str
    kind: str = "individual"  # individual | institution
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class StakeholderChanged(Body):
    TYPE: ClassVar[str] = "StakeholderChanged"
    holder_id: str
    name: str | None = None
    email: str | None = None
    address: str | None = None


# --- the stock ledger ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SharesIssued(Body):
    """Shares issued to a holder, on a certificate or in book entry (`certificate` None)."""

    TYPE: ClassVar[str] = "SharesIssued"
    holder_id: str
    class_key: str
    shares: int
    price_per_share: Decimal
    consideration: Decimal
    consideration_kind: str = "cash"
    series_key: str | None = None
    certificate: str | None = None
    legends: tuple[str, ...] = ()
    from_treasury: bool = False
    approved_by: str | None = None  # the board resolution (or §152 delegation) authorising it
    award_id: str | None = (
        None  # the option, RSU, warrant or convertible whose exercise or conversion it settles
    )


@dataclass(frozen=True, slots=True)
class SharesTransferred(Body):
    TYPE: ClassVar[str] = "SharesTransferred"
    from_holder: str
    to_holder: str
    class_key: str
    shares: int
    series_key: str | None = None
    certificate: str | None = None  # surrendered
    new_certificate: str | None = None  # issued to the transferee
    balance_certificate: str | None = None  # issued to the transferor for what remains
    price_per_share: Decimal | None = None
    approved_by: str | None = None  # a waiver of a transfer restriction, where one applies (§202)


@dataclass(frozen=True, slots=True)
class SharesCancelled(Body):
    TYPE: ClassVar[str] = "SharesCancelled"
    holder_id: str
    class_key: str
    shares: int
    series_key: str | None = None
    certificate: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SharesRepurchased(Body):
    """Shares bought back into treasury: still issued, no longer outstanding (§160)."""

    TYPE: ClassVar[str] = "SharesRepurchased"
    holder_id: str
    class_key: str
    shares: int
    price_per_share: Decimal
    series_key: str | None = None
    certificate: str | None = None
    approved_by: str | None = None  # the board resolution authorising the purchase (§160)


@dataclass(frozen=True, slots=True)
class SharesConverted(Body):
    TYPE: ClassVar[str] = "SharesConverted"
    holder_id: str
    from_class: str
    from_shares: int
    to_class: str
    to_shares: int
    from_series: str | None = None
    to_series: str | None = None


@dataclass(frozen=True, slots=True)
class StockSplit(Body):
    """Every share of a class becomes `to_shares / from_shares` shares (a reverse split when < 1);
    fractions are rounded down per holder and reported."""

    TYPE: ClassVar[str] = "StockSplit"
    class_key: str
    from_shares: int
    to_shares: int
    series_key: str | None = None
    approved_by: tuple[str, ...] = ()  # the §242 amendment's approvals: board resolution, stockholder vote


# --- people, bodies and their acts (`governance/`) -------------------------------------------------------
#
# An approval is referred to by id: a board resolution ("R-…", inside `BoardActed`), a stockholder meeting
# matter ("M-…", inside `MeetingCalled`, voted in `MeetingHeld`) or a written consent ("C-…"). Ids are
# unique in a book; `governance` resolves them and checks the act against what approved it.


@dataclass(frozen=True, slots=True)
class DirectorsElected(Body):
    """Directors take office: elected by the stockholders, named by the incorporator (§107), or
    chosen by the board to fill a vacancy (§223). `names` maps each id to a name."""

    TYPE: ClassVar[str] = "DirectorsElected"
    directors: tuple[str, ...]
    names: dict = field(default_factory=dict)
    by: str = "stockholders"  # stockholders | board | incorporator
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class DirectorsLeft(Body):
    TYPE: ClassVar[str] = "DirectorsLeft"
    directors: tuple[str, ...]
    how: str = "resigned"  # resigned | removed | died | term ended
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class BoardSizeFixed(Body):
    """The number of directors, fixed by or in the manner the bylaws provide (§141(b))."""

    TYPE: ClassVar[str] = "BoardSizeFixed"
    size: int
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class OfficersAppointed(Body):
    TYPE: ClassVar[str] = "OfficersAppointed"
    person_id: str
    name: str
    titles: tuple[str, ...]
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class OfficersLeft(Body):
    TYPE: ClassVar[str] = "OfficersLeft"
    person_id: str
    titles: tuple[str, ...] = ()  # () = every office the person holds
    how: str = "resigned"


@dataclass(frozen=True, slots=True)
class BoardActed(Body):
    """The board acts at a meeting (quorum, majority of those present, §141(b)) or by unanimous written
    consent (§141(f)). Each resolution is a dict: {id, kind, text, params, against, abstain}."""

    TYPE: ClassVar[str] = "BoardActed"
    action_id: str
    form: str  # meeting | consent
    present: tuple[str, ...]  # directors present (meeting) or signing (consent)
    resolutions: tuple[dict, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingCalled(Body):
    """A stockholder meeting called (event date: when the board called it), with its record date and the
    matters to be voted: each a dict {id, kind, text, params}."""

    TYPE: ClassVar[str] = "MeetingCalled"
    meeting_id: str
    kind: str  # annual | special
    meeting_on: date
    record_date: date | None = None
    called_by: str | None = None  # the board resolution calling it
    matters: tuple[dict, ...] = ()
    time: str | None = None  # the hour, as the notice states it ("10:00 a.m. Eastern Time")
    place: str | None = None  # where it is held, if anywhere (§222(a))
    remote: str | None = None  # the means of remote communication, if any (§211(a)(2), §222(a))


@dataclass(frozen=True, slots=True)
class NoticeSent(Body):
    """Notice of a meeting sent to the holders of record (§222); event date: when it was sent."""

    TYPE: ClassVar[str] = "NoticeSent"
    meeting_id: str
    states_purpose: bool = True
    includes_text: bool = True  # the amendment's text or a summary (§242(b)(1))


@dataclass(frozen=True, slots=True)
class StockholderListPrepared(Body):
    TYPE: ClassVar[str] = "StockholderListPrepared"
    meeting_id: str


@dataclass(frozen=True, slots=True)
class MeetingHeld(Body):
    """The meeting took place. Presence and votes are holder ids (counted from the ledger as it stood on
    the record date) or shares by class; each vote is {matter, for, against, abstain}."""

    TYPE: ClassVar[str] = "MeetingHeld"
    meeting_id: str
    present: tuple[str, ...] = ()
    present_shares: dict = field(default_factory=dict)
    votes: tuple[dict, ...] = ()


@dataclass(frozen=True, slots=True)
class WrittenConsent(Body):
    """Action without a meeting: stockholders (§228), the incorporators (§107, §241) or, by unanimous
    consent, the board (recorded as `BoardActed` with form "consent"). Each signature is
    {signer, signed_on}; the event's date is when the action took effect."""

    TYPE: ClassVar[str] = "WrittenConsent"
    consent_id: str
    by: str  # stockholders | incorporators
    matters: tuple[dict, ...] = ()
    signatures: tuple[dict, ...] = ()
    record_date: date | None = None


@dataclass(frozen=True, slots=True)
class ConsentNoticeSent(Body):
    """Prompt notice of a §228 action to the stockholders who did not consent (§228(e))."""

    TYPE: ClassVar[str] = "ConsentNoticeSent"
    consent_id: str


@dataclass(frozen=True, slots=True)
class BylawsAmended(Body):
    TYPE: ClassVar[str] = "BylawsAmended"
    section: str
    text: str
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class ApprovalRecorded(Body):
    """An approval known only from another system's record (an OCF package's board or stockholder
    approval date): accepted as evidence of approval, reported as such, never as the act itself."""

    TYPE: ClassVar[str] = "ApprovalRecorded"
    approval_id: str
    body: str  # board | stockholders
    text: str = ""


# --- facts reported for tax --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GrossAssetsReported(Body):
    """Total gross assets for a franchise-tax year (Form 1120 Schedule L, §503(i)), in dollars."""

    TYPE: ClassVar[str] = "GrossAssetsReported"
    tax_year: int
    gross_assets: Decimal


@dataclass(frozen=True, slots=True)
class ClassListed(Body):
    """A class of stock listed on a national securities exchange from the event's date (`listed` False: delisted
    from it) — the fact §242(d)(2) turns on."""

    TYPE: ClassVar[str] = "ClassListed"
    class_key: str
    exchange: str
    listed: bool = True


@dataclass(frozen=True, slots=True)
class Correction(Body):
    """A mistaken event set right (the event's own date: when the correction was made). The event `corrects`
    (its sequence; `corrected_type` its type) is read as `replacement` (a body of that type, as a payload), or,
    when `replacement` is None, voided: skipped as if never recorded. The original stays in the log (append-only,
    its hash unchanged); `core.corrections.corrected` gives the history every view reads. `approved_by`: the
    approval the law needs for it (`law.dgcl.corrections`)."""

    TYPE: ClassVar[str] = "Correction"
    corrects: int
    corrected_type: str
    reason: str
    replacement: dict | None = None  # None: the event is voided
    approved_by: str | None = None
    changed: tuple[str, ...] = ()  # the fields the replacement changes (for the reader and the rule)

    @property
    def voids(self) -> bool:
        return self.replacement is None


# --- matters: conflicted transactions, books-and-records demands, stockholder agreements, approvals of an
# agreement's form, conversion (§§ 144, 220, 122(18), 147, 266; `law.dgcl.transactions`, `records`, `conversion`)


@dataclass(frozen=True, slots=True)
class InterestedTransaction(Body):
    """A transaction in which a director or officer is interested (`kind` "interested", §144(a)), or with a
    controlling stockholder ("controlling", §144(b); "going_private", §144(c)), with its approvals: a board
    resolution, a committee of directors (its members and those voting for it: a committee's act is not
    otherwise in the book), and the disinterested stockholders' votes (for and against, cast) on the
    stockholder approval named."""

    TYPE: ClassVar[str] = "InterestedTransaction"
    transaction_id: str
    kind: str  # interested | controlling | going_private
    description: str
    interested: tuple[str, ...]  # the interested directors or officers, or the controlling stockholder
    disclosed: bool = True  # the material facts disclosed to (or known by) the board or committee
    board_approval: str | None = None
    committee: tuple[str, ...] = ()
    committee_for: tuple[str, ...] = ()
    committee_empowered: bool = False  # expressly empowered to negotiate and to reject it (§144(b)(1))
    stockholder_approval: str | None = None
    disinterested_for: int | None = None  # votes cast for by the disinterested stockholders
    disinterested_against: int | None = None
    conditioned: bool = False  # conditioned by its terms on disinterested stockholder approval (§144(b)(2))


@dataclass(frozen=True, slots=True)
class BooksDemanded(Body):
    """A stockholder's demand to inspect books and records (§220(b)); the event's date: when it was received."""

    TYPE: ClassVar[str] = "BooksDemanded"
    demand_id: str
    stockholder: str
    purpose: str
    items: tuple[str, ...] = ()
    under_oath: bool = True


@dataclass(frozen=True, slots=True)
class StockholderAgreement(Body):
    """The corporation's contract with stockholders on its governance (§122(18)); each covenant is a dict
    {kind: restrict_action | approval | board_composition | act_by_consent | stock_rights | other, text, params}."""

    TYPE: ClassVar[str] = "StockholderAgreement"
    agreement_id: str
    parties: tuple[str, ...]
    covenants: tuple[dict, ...] = ()
    approved_by: str | None = None  # the board resolution authorising it


@dataclass(frozen=True, slots=True)
class AgreementApproved(Body):
    """The board's approval of an agreement, in the form it had then: "final" or "substantially final" (§147)."""

    TYPE: ClassVar[str] = "AgreementApproved"
    agreement_id: str
    title: str
    form: str = "final"  # final | substantially final
    approved_by: str | None = None  # the board resolution


@dataclass(frozen=True, slots=True)
class CorporationConverted(Body):
    """The corporation converted to another entity or jurisdiction (§266), effective on the event's date: the
    Delaware book ends there."""

    TYPE: ClassVar[str] = "CorporationConverted"
    entity: str  # e.g. "limited liability company", "corporation"
    jurisdiction: str
    board_approval: str | None = None
    stockholder_approval: str | None = None


# --- papers drawn from the book (`render`) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentDrawn(Body):
    """A paper drawn from the book (minutes, a consent, a certificate …; `render`): its kind, the act or date it
    was drawn for, its format and file name, and the SHA-256 of the bytes written, so that a signed copy can
    later be matched to what was drawn. The event's date: when it was drawn."""

    TYPE: ClassVar[str] = "DocumentDrawn"
    kind: str
    sha256: str
    format: str  # html | pdf | docx
    name: str = ""
    act: str | None = None  # the act's id (or "event N") it was drawn for
    as_of: date | None = None  # the date it speaks as of, when drawn for a date


# --- equity compensation and convertibles (`core.equity`) ------------------------------------------------------
#
# A plan reserves shares of a class (its pool); awards — options, RSUs, restricted stock awards — are granted from
# it, warrants outside it, each a right to shares of a class (§157). Stock reaches the ledger only as `SharesIssued`
# naming the award (`award_id`): an exercise is `AwardExercised` followed by that issuance, a conversion
# `ConvertibleConverted` followed by it. Ids are unique in a book.


@dataclass(frozen=True, slots=True)
class ValuationRecorded(Body):
    """The fair market value of a share of a class (a §409A appraisal, a board determination), from the event's
    date: the floor for an option's exercise price."""

    TYPE: ClassVar[str] = "ValuationRecorded"
    valuation_id: str
    class_key: str
    price_per_share: Decimal
    provider: str | None = None
    kind: str = "409A"  # 409A | board | other
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class PlanAdopted(Body):
    """An equity incentive plan adopted by the board, reserving `reserved` shares of a class (its pool). ISOs need
    the stockholders' approval within 12 months (IRC §422(b)(1)): `stockholder_approval` names it."""

    TYPE: ClassVar[str] = "PlanAdopted"
    plan_id: str
    name: str
    reserved: int
    class_key: str
    on_forfeit: str = (
        "return"  # what a forfeited, expired or cancelled award's shares do: return (to the pool) | retire | hold
        # (held as capital stock: neither back in the pool nor retired)
    )
    approved_by: str | None = None
    stockholder_approval: str | None = None


@dataclass(frozen=True, slots=True)
class PoolChanged(Body):
    """The plan's reserve set to a new number of shares (an increase or decrease of the pool)."""

    TYPE: ClassVar[str] = "PoolChanged"
    plan_id: str
    reserved: int  # the new total reserved under the plan
    approved_by: str | None = None
    stockholder_approval: str | None = None


@dataclass(frozen=True, slots=True)
class VestingDefined(Body):
    """A vesting schedule the awards may name (`core.vesting.Schedule.to_dict`)."""

    TYPE: ClassVar[str] = "VestingDefined"
    terms_id: str
    name: str
    schedule: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AwardGranted(Body):
    """An option (ISO or NSO), an RSU, a restricted stock award or a warrant: a right to `quantity` shares of a class,
    on the terms the board fixed (§157). `exercise_windows`: termination reason -> days left to exercise after
    service ends (`default` for any reason not named). `acceleration`: trigger (single | double) -> the portion of
    the unvested shares that vests on it ("1/1", "1/2")."""

    TYPE: ClassVar[str] = "AwardGranted"
    award_id: str
    holder_id: str
    kind: str  # option | rsu | rsa | warrant
    quantity: int
    class_key: str
    series_key: str | None = None
    plan_id: str | None = None
    exercise_price: Decimal | None = None  # options and warrants; an RSA's purchase price
    option_type: str | None = None  # ISO | NSO
    expires_on: date | None = None
    exercise_windows: dict = field(default_factory=dict)
    vesting: str | None = None  # a VestingDefined terms id
    vesting_start: date | None = None
    early_exercise: bool = False
    acceleration: dict = field(default_factory=dict)
    approved_by: str | None = None
    consideration: Decimal | None = None  # what was paid for the right itself (a warrant's purchase price)


@dataclass(frozen=True, slots=True)
class AwardExercised(Body):
    """Options or warrants exercised, or RSUs settled (`method` "release"): `quantity` rights used, `shares` to be
    issued for them (fewer than `quantity` in a net exercise: the rest withheld to pay the price)."""

    TYPE: ClassVar[str] = "AwardExercised"
    award_id: str
    quantity: int
    shares: int
    method: str = "cash"  # cash | net | cashless | release
    consideration: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class AwardEnded(Body):
    """Rights that end unexercised: forfeited (unvested, on leaving), expired, cancelled or retracted; an RSA's
    forfeited shares are bought back by a `SharesRepurchased` beside it."""

    TYPE: ClassVar[str] = "AwardEnded"
    award_id: str
    quantity: int
    how: str = "cancelled"  # forfeited | expired | cancelled | retracted
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class AwardRepriced(Body):
    TYPE: ClassVar[str] = "AwardRepriced"
    award_id: str
    exercise_price: Decimal
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class VestingStarted(Body):
    """An award's vesting starts on the event's date (when the grant did not fix it)."""

    TYPE: ClassVar[str] = "VestingStarted"
    award_id: str


@dataclass(frozen=True, slots=True)
class VestingEventOccurred(Body):
    """A milestone an award's event tranche waits for took place (`award_id` None: for every award naming it)."""

    TYPE: ClassVar[str] = "VestingEventOccurred"
    event: str
    award_id: str | None = None


@dataclass(frozen=True, slots=True)
class VestingAccelerated(Body):
    """Unvested shares of an award vest early: by its single or double trigger, or by the board's act."""

    TYPE: ClassVar[str] = "VestingAccelerated"
    award_id: str
    quantity: int
    trigger: str = "board"  # single | double | board
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceEnded(Body):
    """A holder's service to the corporation ended: vesting stops; vested options may be exercised within the
    award's window for the reason."""

    TYPE: ClassVar[str] = "ServiceEnded"
    holder_id: str
    reason: str = "voluntary"  # voluntary | involuntary | cause | death | disability | retirement


@dataclass(frozen=True, slots=True)
class ChangeOfControl(Body):
    """A change of control (merger, sale): the single trigger of acceleration, the first of a double trigger."""

    TYPE: ClassVar[str] = "ChangeOfControl"
    description: str
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class ConvertibleIssued(Body):
    """A SAFE or a convertible note: `amount` paid (the purchase amount or the principal), converting at a priced
    round at the lower of its cap price and its discount price (`core.rounds`)."""

    TYPE: ClassVar[str] = "ConvertibleIssued"
    convertible_id: str
    holder_id: str
    kind: str  # safe | note
    amount: Decimal
    cap: Decimal | None = None
    cap_basis: str = "post"  # post | pre
    discount: Decimal | None = None  # 0.20 = 20 % off the round price
    mfn: bool = False
    interest_rate: Decimal | None = None  # notes: simple annual
    maturity_on: date | None = None
    approved_by: str | None = None


@dataclass(frozen=True, slots=True)
class ConvertibleConverted(Body):
    """A SAFE or note converted at a priced round into `shares` of a class or series at `price_per_share`; the
    `SharesIssued` naming it follows."""

    TYPE: ClassVar[str] = "ConvertibleConverted"
    convertible_id: str
    class_key: str
    shares: int
    price_per_share: Decimal
    amount: Decimal  # what converted: the purchase amount, or principal and interest
    series_key: str | None = None
    basis: str = "cap"  # cap | discount | round
    round_price: Decimal | None = None  # the priced round's price per share


EQUITY_TYPES: tuple[type[Body], ...] = (
    ValuationRecorded,
    PlanAdopted,
    PoolChanged,
    VestingDefined,
    AwardGranted,
    AwardExercised,
    AwardEnded,
    AwardRepriced,
    VestingStarted,
    VestingEventOccurred,
    VestingAccelerated,
    ServiceEnded,
    ChangeOfControl,
    ConvertibleIssued,
    ConvertibleConverted,
)


BODY_TYPES: dict[str, type[Body]] = {
    c.TYPE: c
    for c in (
        Correction,
        Incorporated,
        CharterAmended,
        SeriesDesignated,
        StakeholderAdded,
        StakeholderChanged,
        SharesIssued,
        SharesTransferred,
        SharesCancelled,
        SharesRepurchased,
        SharesConverted,
        StockSplit,
        DirectorsElected,
        DirectorsLeft,
        BoardSizeFixed,
        OfficersAppointed,
        OfficersLeft,
        BoardActed,
        MeetingCalled,
        NoticeSent,
        StockholderListPrepared,
        MeetingHeld,
        WrittenConsent,
        ConsentNoticeSent,
        BylawsAmended,
        ApprovalRecorded,
        GrossAssetsReported,
        ClassListed,
        InterestedTransaction,
        BooksDemanded,
        StockholderAgreement,
        AgreementApproved,
        CorporationConverted,
        DocumentDrawn,
        *EQUITY_TYPES,
    )
}


# The events that make the charter's versions: the certificate of incorporation, its amendments, and the
# designations of series (each a version of its own: 8 Del. C. § 151(g)).
CHARTER_TYPES: tuple[type[Body], ...] = (Incorporated, CharterAmended, SeriesDesignated)


# The stock ledger's events: they move shares and name holders; every other event is an act of the
# corporation's bodies or its charter, which the governance record keeps (`core.record`).
LEDGER_TYPES: tuple[type[Body], ...] = (
    SharesIssued,
    SharesTransferred,
    SharesCancelled,
    SharesRepurchased,
    SharesConverted,
    StakeholderAdded,
    StakeholderChanged,
)

_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def body_from_payload(type_name: str, payload: dict[str, Any]) -> Body:
    """The body of type `type_name` from its payload (`Body.to_payload`): each field's value decoded (dates, amounts,
    tuples), a field the payload lacks given its default (none: TypeError, as the class's `__init__` raises), a key
    that is no field left out. Made without `__init__`, through the slots, a third of its cost: the bodies are frozen
    dataclasses whose `__init__` only sets the fields (a body class with a `__post_init__` goes through it)."""
    cls = BODY_TYPES.get(type_name)
    if cls is None:
        raise ValueError(f"unknown event type {type_name!r}")
    fields = _DECODERS.get(cls)
    if fields is None:
        fields = _DECODERS[cls] = _fields_of(cls)
    if not fields or fields[0] is None:  # made by its `__init__`
        kwargs = {}
        for name, decode, *_ in fields[1:]:
            if name in payload:
                v = payload[name]
                kwargs[name] = v if v is None or decode is None else decode(v)
        return cls(**kwargs)
    body = _new(cls)
    for name, decode, put, default, factory in fields:
        if name in payload:
            v = payload[name]
            put(body, v if v is None or decode is None else decode(v))
        elif factory is not None:
            put(body, factory())
        elif default is _MISSING:
            raise TypeError(f"{cls.__name__}.__init__() missing 1 required positional argument: '{name}'")
        else:
            put(body, default)
    return body


_DECODERS: dict[type, tuple] = {}
"""body class -> (field, its decoder or None, its slot's setter, its default, its default factory) in field order,
worked out once; (None, (field, decoder), ...) for a class made by its `__init__`."""
_MISSING = dataclasses.MISSING
_new = object.__new__


def _fields_of(cls: type) -> tuple:
    hints = _hints(cls)
    fields = dataclasses.fields(cls)
    decoders = [(f.name, _decoder(hints[f.name])) for f in fields]
    if hasattr(cls, "__post_init__") or "__slots__" not in cls.__dict__ or not all(f.init for f in fields):
        return (None, *decoders)
    return tuple(
        (
            name,
            decode,
            getattr(cls, name).__set__,
            f.default,
            None if f.default_factory is _MISSING else f.default_factory,
        )
        for (name, decode), f in zip(decoders, fields, strict=True)
    )


def made_fast(cls: type) -> Callable[..., Any]:
    """A maker of the frozen slotted dataclass `cls` from all its fields' values, in order, without its `__init__`
    (which has nothing to check: `Event` as each of a large log's rows is read)."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__: make it with its __init__")
    puts = tuple(getattr(cls, f.name).__set__ for f in dataclasses.fields(cls))

    def make(*values: Any) -> Any:
        obj = _new(cls)
        for put, v in zip(puts, values, strict=True):
            put(obj, v)
        return obj

    return make


def _decoder(hint: Any):
    """How a payload value of a field of type `hint` becomes the field's value (None: as it is)."""
    text = str(hint)
    if "Decimal" in text:
        return Decimal
    if "datetime.date" in text:
        return day
    if "tuple" in text:
        return tuple
    if text.startswith("<class 'int'>") or hint is int:
        return int
    return None


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log. `seq` and `recorded_at` are set by the log when it is appended."""

    body: Body
    effective_on: date
    bound: str = "on"  # "on" | "on_or_before" | "on_or_after": how `effective_on` is known
    actor: str | None = None
    source: SourceRef | None = None
    seq: int | None = None
    recorded_at: datetime | None = None

    @property
    def type(self) -> str:
        return self.body.TYPE

    def sort_key(self) -> tuple:
        return (self.effective_on, self.seq if self.seq is not None else 1 << 62)


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
