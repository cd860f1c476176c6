"""The governance record: who is in office, what the board resolved, which meetings were called,
noticed and held, which consents were signed — a fold over the events, like `core.replay`.

`Record` is built by `apply(record, event)` in (date, sequence) order and read by the rules in `law/`
and by the registers (`directors`, `officers` at a date). It holds the events themselves, not verdicts:
whether a vote passed is decided by `law` from the ledger on the record date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .corrections import corrected
from .events import (
    EQUITY_TYPES,
    LEDGER_TYPES,
    AgreementApproved,
    ApprovalRecorded,
    BoardActed,
    BoardSizeFixed,
    BooksDemanded,
    BylawsAmended,
    ClassListed,
    ConsentNoticeSent,
    CorporationConverted,
    DirectorsElected,
    DirectorsLeft,
    Event,
    Incorporated,
    InterestedTransaction,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    OfficersAppointed,
    OfficersLeft,
    SharesIssued,
    SharesTransferred,
    StockholderAgreement,
    StockholderListPrepared,
    WrittenConsent,
)
from .heap import fast_pickling
from .votes import quorum_share


@dataclass(frozen=True, slots=True)
class Director:
    id: str
    name: str
    since: date
    by: str = "stockholders"


@dataclass(frozen=True, slots=True)
class Officer:
    person_id: str
    name: str
    title: str
    since: date


@dataclass(slots=True)
class Meeting:
    called: Event  # MeetingCalled
    notices: list[Event] = field(default_factory=list)
    lists: list[Event] = field(default_factory=list)
    held: Event | None = None

    @property
    def body(self) -> MeetingCalled:
        return self.called.body  # type: ignore[return-value]


@dataclass(slots=True)
class Record:
    incorporated_on: date | None = None
    incorporators: tuple[str, ...] = ()
    directors: dict[str, Director] = field(default_factory=dict)
    ever_directors: dict[str, str] = field(default_factory=dict)  # id -> name
    board_size: int | None = None
    officers: dict[tuple[str, str], Officer] = field(default_factory=dict)
    board_actions: dict[str, Event] = field(default_factory=dict)
    resolutions: dict[str, tuple[Event, dict]] = field(default_factory=dict)  # id -> (BoardActed, resolution)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    matters: dict[str, tuple[str, dict]] = field(default_factory=dict)  # matter id -> (meeting id, matter)
    consents: dict[str, Event] = field(default_factory=dict)
    consent_matters: dict[str, tuple[str, dict]] = field(default_factory=dict)
    consent_notices: dict[str, Event] = field(default_factory=dict)
    recorded: dict[str, Event] = field(default_factory=dict)  # ApprovalRecorded
    bylaws: list[Event] = field(default_factory=list)
    first_payment: date | None = None  # first issuance for consideration (§241 ends)
    used: dict[str, int] = field(default_factory=dict)  # issue_shares resolution -> shares issued under it
    # every event but the ledger's and equity compensation's, in order (`build_until`): the record folds neither (a
    # book of options holds hundreds of thousands of equity events, which its fold snapshot would carry twice)
    log: list[Event] = field(default_factory=list)
    legends: dict[str, tuple[str, ...]] = field(default_factory=dict)  # certificate -> its legends (§202)
    quorum: tuple | None = None  # (share, strict, BylawsAmended event) set by a "quorum" bylaw (§216)
    board_quorum: tuple | None = None  # the same for the board (§141(b))
    # class -> (on, exchange, listed): a class listed on a national securities exchange (§242(d)(2))
    listings: dict[str, list[tuple[date, str, bool]]] = field(default_factory=dict)
    # the facts of §§144, 220, 122(18) and 147 (`book.matters`), "TYPE:id" -> event
    facts: dict[str, Event] = field(default_factory=dict)
    converted: Event | None = None  # the §266 conversion that ended the Delaware book

    def known_ids(self) -> set[str]:
        return {
            *self.resolutions,
            *self.board_actions,
            *self.meetings,
            *self.matters,
            *self.consents,
            *self.consent_matters,
            *self.recorded,
        }

    def directors_at(self) -> tuple[Director, ...]:
        return tuple(sorted(self.directors.values(), key=lambda d: (d.since, d.id)))

    def officers_at(self) -> tuple[Officer, ...]:
        return tuple(sorted(self.officers.values(), key=lambda o: (o.since, o.title, o.person_id)))

    def listed_on(self, class_key: str, on: date) -> str | None:
        """The national securities exchange a class is listed on at `on` (None: not listed), §242(d)(2)."""
        now = None
        for when, exchange, listed in self.listings.get(class_key, ()):
            if when <= on:
                now = exchange if listed else None
        return now

    def whole_board(self) -> int:
        """The total number of directors for quorum (§141(b)): the fixed size, else those in office."""
        return self.board_size if self.board_size else len(self.directors)


# The events the record does not keep in its log: the stock ledger's (it reads two of their types) and equity
# compensation's (the ledger build's, `core.equity`: no branch of `apply` reads one).
NOT_KEPT: tuple[type, ...] = (*LEDGER_TYPES, *EQUITY_TYPES)


def apply(r: Record, e: Event) -> None:  # noqa: C901 - one branch per event type
    b = e.body
    on = e.effective_on
    # most of a large history: the record reads two of the ledger's types, and keeps none of these
    if isinstance(b, NOT_KEPT):
        if isinstance(b, SharesTransferred):
            carried = r.legends.get(b.certificate or "", ())
            for cert in (b.new_certificate, b.balance_certificate):
                if cert and carried:  # a restriction noted on the certificate travels with the shares
                    r.legends[cert] = carried
        elif isinstance(b, SharesIssued):
            if b.certificate and b.legends:
                r.legends[b.certificate] = tuple(b.legends)
            if r.first_payment is None and b.consideration > 0 and not b.from_treasury:
                r.first_payment = on
            if b.approved_by:
                r.used[b.approved_by] = r.used.get(b.approved_by, 0) + b.shares
        return
    r.log.append(e)
    if isinstance(b, Incorporated):
        r.incorporated_on = on
        r.incorporators = tuple(b.incorporators)
    elif isinstance(b, DirectorsElected):
        for d in b.directors:
            name = (b.names or {}).get(d) or r.ever_directors.get(d) or d
            r.directors[d] = Director(d, name, on, b.by)
            r.ever_directors[d] = name
    elif isinstance(b, DirectorsLeft):
        for d in b.directors:
            r.directors.pop(d, None)
    elif isinstance(b, BoardSizeFixed):
        r.board_size = b.size
    elif isinstance(b, OfficersAppointed):
        for t in b.titles:
            r.officers[(b.person_id, t)] = Officer(b.person_id, b.name, t, on)
    elif isinstance(b, OfficersLeft):
        for key in [k for k in r.officers if k[0] == b.person_id and (not b.titles or k[1] in b.titles)]:
            del r.officers[key]
    elif isinstance(b, BoardActed):
        r.board_actions[b.action_id] = e
        for res in b.resolutions:
            if res.get("id"):
                r.resolutions[str(res["id"])] = (e, res)
    elif isinstance(b, MeetingCalled):
        r.meetings[b.meeting_id] = Meeting(e)
        for m in b.matters:
            if m.get("id"):
                r.matters[str(m["id"])] = (b.meeting_id, m)
    elif isinstance(b, NoticeSent):
        if b.meeting_id in r.meetings:
            r.meetings[b.meeting_id].notices.append(e)
    elif isinstance(b, StockholderListPrepared):
        if b.meeting_id in r.meetings:
            r.meetings[b.meeting_id].lists.append(e)
    elif isinstance(b, MeetingHeld):
        if b.meeting_id in r.meetings:
            r.meetings[b.meeting_id].held = e
    elif isinstance(b, WrittenConsent):
        r.consents[b.consent_id] = e
        for m in b.matters:
            if m.get("id"):
                r.consent_matters[str(m["id"])] = (b.consent_id, m)
    elif isinstance(b, ConsentNoticeSent):
        r.consent_notices[b.consent_id] = e
    elif isinstance(b, ApprovalRecorded):
        r.recorded[b.approval_id] = e
    elif isinstance(b, (InterestedTransaction, BooksDemanded, StockholderAgreement, AgreementApproved)):
        key = getattr(b, "transaction_id", None) or getattr(b, "demand_id", None) or b.agreement_id
        r.facts[f"{b.TYPE}:{key}"] = e
    elif isinstance(b, CorporationConverted):
        r.converted = e
    elif isinstance(b, ClassListed):
        r.listings.setdefault(b.class_key, []).append((on, b.exchange, b.listed))
    elif isinstance(b, BylawsAmended):
        r.bylaws.append(e)
        kind = quorum_bylaw(b.section)
        share = quorum_share(b.text) if kind else None
        if share is not None and share[0] >= Fraction(1, 3):  # below the floor it is void (§§141(b), 216)
            if kind == "board":
                r.board_quorum = (*share, e)
            else:
                r.quorum = (*share, e)


def quorum_bylaw(section: str) -> str | None:
    """'board' or 'stockholders' when a bylaw section sets a quorum ("quorum", "board quorum")."""
    s = str(section).lower()
    if "quorum" not in s:
        return None
    return "board" if ("board" in s or "director" in s) else "stockholders"


def build(events: Iterable[Event], as_of: date | None = None) -> Record:
    """The record on `as_of` of the history `events` stand for (their corrections read: `core.corrections`)."""
    r = Record()
    for e in sorted(corrected(events), key=Event.sort_key):
        if as_of is not None and e.effective_on > as_of:
            break
        apply(r, e)
    return r


def build_until(record: Record, e: Event) -> Record:
    """The record as it stood just before `e`, to judge an act by the board, the bylaws and the meetings
    of its day rather than of today. The record keeps the non-ledger events it folded, in order; replaying
    those before `e` gives that state (what it derives from the ledger — first payment, shares issued
    under a resolution, legends — is left empty: no judgment of an act's approval reads it)."""
    r = Record()
    for x in record.log:
        if x is e or Event.sort_key(x) >= Event.sort_key(e):
            break
        apply(r, x)
    return r


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
