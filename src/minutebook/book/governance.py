"""The governance acts: directors elected and leaving, the board's size, officers appointed and leaving, board
action, meetings called, noticed and held, written consents, bylaws amended, and certificates of amendment
filed. Each act checks its arguments, makes its event body and records it through the book's append path
(`Writer.record`), so it is checked by the rules in `law` like every other; a meeting or consent that elects
directors seats them in the same transaction. The procedures themselves (approvals, the amended charter) are
`governance`'s.
"""

from __future__ import annotations

from datetime import date, datetime

from ..core.errors import InputError, NotFoundError
from ..core.events import (
    BoardActed,
    BoardSizeFixed,
    BylawsAmended,
    CharterAmended,
    ClassListed,
    ConsentNoticeSent,
    DirectorsElected,
    DirectorsLeft,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    OfficersAppointed,
    OfficersLeft,
    StockholderListPrepared,
    WrittenConsent,
)
from ..core.replay import freeze
from ..governance.amend import amended_charter
from .append import Refused, Result, Writer
from .folded import Folded


class GovernanceActs:
    """The governance acts, recorded through `writer`; `book` is the log in memory (the governance record:
    which meetings, consents and resolutions there are; the approvals)."""

    def __init__(self, writer: Writer, book: Folded):
        self._writer, self._book = writer, book

    def elect_directors(
        self,
        directors,
        *,
        on: date,
        names=None,
        by: str = "stockholders",
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        ids = _ids(directors, "directors")
        if by not in ("stockholders", "board", "incorporator"):
            raise InputError(
                f"by: directors are elected by the stockholders, the board or the incorporator, not {by!r}"
            )
        body = DirectorsElected(ids, dict(names or {}), by, approved_by)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def remove_directors(
        self,
        directors,
        *,
        on: date,
        how: str = "resigned",
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        body = DirectorsLeft(_ids(directors, "directors"), how, approved_by)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def fix_board_size(
        self, size: int, *, on: date, approved_by: str | None = None, historical: bool = False, actor=None
    ) -> Result:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InputError(f"size: the board has a whole number of directors, at least one, not {size!r}")
        return self._writer.record(BoardSizeFixed(size, approved_by), on, historical=historical, actor=actor)

    def appoint_officer(
        self,
        person_id: str,
        name: str,
        titles,
        *,
        on: date,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        titles = _ids(titles, "titles")
        return self._writer.record(
            OfficersAppointed(person_id, name, titles, approved_by), on, historical=historical, actor=actor
        )

    def officer_leaves(
        self,
        person_id: str,
        *,
        on: date,
        titles=(),
        how: str = "resigned",
        historical: bool = False,
        actor=None,
    ) -> Result:
        if not any(k[0] == person_id for k in self._book.record.officers):
            raise NotFoundError(f"person_id: {person_id!r} holds no office")
        return self._writer.record(
            OfficersLeft(person_id, tuple(titles), how), on, historical=historical, actor=actor
        )

    def board_act(
        self,
        action_id: str,
        *,
        on: date,
        form: str = "meeting",
        present=(),
        resolutions=(),
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        if action_id in self._book.record.board_actions:
            raise InputError(f"action_id: {action_id!r} is already in the book")
        res = tuple(_mapping(r, f"resolutions[{i}]") for i, r in enumerate(resolutions))
        self._new_ids([r.get("id") for r in res], "resolutions")
        body = BoardActed(action_id, form, _ids(present, "present", empty=True), res)
        return self._writer.record(body, on, historical=historical, actor=actor)

    def call_meeting(
        self,
        meeting_id: str,
        *,
        on: date,
        kind: str,
        meeting_on: date,
        record_date: date | None = None,
        called_by: str | None = None,
        matters=(),
        time: str | None = None,
        place: str | None = None,
        remote: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Call a stockholder meeting: its date (and hour, place and means of remote communication, which the
        notice states, §222(a)), record date and the matters to be voted."""
        if meeting_id in self._book.record.meetings:
            raise InputError(f"meeting_id: {meeting_id!r} is already in the book")
        ms = tuple(_mapping(m, f"matters[{i}]") for i, m in enumerate(matters))
        self._new_ids([m.get("id") for m in ms], "matters")
        body = MeetingCalled(
            meeting_id,
            kind,
            _date(meeting_on, "meeting_on"),
            None if record_date is None else _date(record_date, "record_date"),
            called_by,
            ms,
            _text_or_none(time),
            _text_or_none(place),
            _text_or_none(remote),
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def send_notice(
        self,
        meeting_id: str,
        *,
        on: date,
        states_purpose: bool = True,
        includes_text: bool = True,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        self._need_meeting(meeting_id)
        return self._writer.record(
            NoticeSent(meeting_id, states_purpose, includes_text), on, historical=historical, actor=actor
        )

    def prepare_stockholder_list(
        self, meeting_id: str, *, on: date, historical: bool = False, actor=None
    ) -> Result:
        self._need_meeting(meeting_id)
        return self._writer.record(
            StockholderListPrepared(meeting_id), on, historical=historical, actor=actor
        )

    def hold_meeting(
        self,
        meeting_id: str,
        *,
        on: date,
        present=(),
        present_shares=None,
        votes=(),
        seat: bool = True,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Record the meeting; with `seat`, the directors it elected take office with it (one act)."""
        self._need_meeting(meeting_id)
        vs = tuple(_mapping(v, f"votes[{i}]") for i, v in enumerate(votes))
        body = MeetingHeld(meeting_id, _ids(present, "present", empty=True), dict(present_shares or {}), vs)
        return self._with_elected(body, on, historical, actor, seat)

    def _with_elected(self, body, on: date, historical: bool, actor, seat: bool) -> Result:
        """Record a meeting or consent and, in the same transaction, seat the directors its elect_directors
        matters elected (§216(3) plurality at a meeting; §211(b) by consent)."""
        matters = (
            self._book.record.meetings[body.meeting_id].body.matters
            if isinstance(body, MeetingHeld)
            else body.matters
        )
        elections = [m for m in matters if m.get("kind") == "elect_directors"] if seat else []
        if not elections:
            return self._writer.record(body, on, historical=historical, actor=actor)
        try:
            with self._writer.atomic():
                res = self._writer.record(body, on, historical=historical, actor=actor)
                if res.refused:
                    return res
                more = []
                for m in elections:
                    out = self._book.approvals().get(str(m.get("id")))
                    chosen = (out.params.get("elected") if out is not None and out.passed else None) or []
                    if not chosen and out is not None and out.passed:  # by consent: the nominees named
                        chosen = list((m.get("params") or {}).get("nominees") or [])
                    new = tuple(d for d in chosen if d not in self._book.record.directors)
                    if not new:
                        continue
                    names = dict((m.get("params") or {}).get("names") or {})
                    r = self._writer.record(
                        DirectorsElected(new, names, "stockholders", str(m.get("id"))),
                        on,
                        historical=historical,
                        actor=actor,
                    )
                    if r.refused:
                        raise Refused(r)
                    more.append(r.event)
                return Result(res.findings, res.event, tuple(more))
        except Refused as x:
            return x.result

    def written_consent(
        self,
        consent_id: str,
        *,
        on: date,
        by: str = "stockholders",
        matters=(),
        signatures=(),
        record_date: date | None = None,
        seat: bool = True,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        if consent_id in self._book.record.consents:
            raise InputError(f"consent_id: {consent_id!r} is already in the book")
        ms = tuple(_mapping(m, f"matters[{i}]") for i, m in enumerate(matters))
        self._new_ids([m.get("id") for m in ms], "matters")
        sigs = tuple(_signature(x, i) for i, x in enumerate(signatures))
        body = WrittenConsent(
            consent_id, by, ms, sigs, None if record_date is None else _date(record_date, "record_date")
        )
        return self._with_elected(body, on, historical, actor, seat and by == "stockholders")

    def send_consent_notice(
        self, consent_id: str, *, on: date, historical: bool = False, actor=None
    ) -> Result:
        if consent_id not in self._book.record.consents:
            raise NotFoundError(f"consent_id: no written consent {consent_id!r}")
        return self._writer.record(ConsentNoticeSent(consent_id), on, historical=historical, actor=actor)

    def amend_bylaws(
        self,
        section: str,
        text: str,
        *,
        on: date,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        if not str(section).strip():
            raise InputError("section: name the bylaw amended")
        return self._writer.record(
            BylawsAmended(str(section), str(text), approved_by), on, historical=historical, actor=actor
        )

    def file_amendment(
        self,
        *,
        on: date,
        approved_by=(),
        authorized=None,
        par=None,
        articles=None,
        name: str | None = None,
        statute: str = "242",
        historical: bool = False,
        actor: str | None = None,
        dry_run: bool = False,
    ) -> Result:
        """File a certificate of amendment: a new charter version effective on filing (§103), made from the
        version in force with the changes given — or, when none are given, those of the board resolution
        among `approved_by` that declared it advisable."""
        ids = (
            tuple(approved_by)
            if not isinstance(approved_by, str)
            else tuple(a.strip() for a in approved_by.split(",") if a.strip())
        )
        current = freeze(self._book.build, _date(on, "on"), copy=False).version
        if current is None:
            raise InputError(f"on: no charter is in force on {on} to amend")
        if authorized is None and par is None and articles is None and name is None:
            for a in ids:
                if a in self._book.record.resolutions:
                    p = dict(self._book.record.resolutions[a][1].get("params") or {})
                    authorized, par, articles, name = (
                        p.get("authorized"),
                        p.get("par"),
                        p.get("articles"),
                        p.get("name"),
                    )
                    break
        if authorized is None and par is None and articles is None and name is None:
            raise InputError(
                "the amendment changes nothing: give authorized shares, par, article text or a name"
            )
        charter = amended_charter(
            current, on, authorized=authorized, par=par, articles=articles, name=name, statute=statute
        )
        body = CharterAmended(charter, "amendment", statute, ids)
        return self._writer.record(body, on, historical=historical, actor=actor, dry_run=dry_run)

    def list_class(
        self,
        class_key: str,
        *,
        on: date,
        exchange: str,
        listed: bool = True,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """Record that a class is listed on a national securities exchange from `on` (`listed=False`: delisted
        from it on `on`) — the fact §242(d)(2) turns on."""
        on = _date(on, "on")
        exchange = str(exchange or "").strip()
        if not exchange:
            raise InputError("exchange: name the national securities exchange (e.g. NYSE, Nasdaq)")
        v = freeze(self._book.build, on, copy=False).version
        classes = [c.key for c in v.capital.classes] if v is not None and v.capital is not None else []
        if class_key not in classes:
            raise NotFoundError(
                f"class_key: no class {class_key!r} in the charter in force on {on.isoformat()} "
                f"(classes: {', '.join(classes) or 'none'})"
            )
        now = self._book.record.listed_on(class_key, on)
        if not listed and now is None:
            raise InputError(f"{class_key} is not listed on {on.isoformat()}: nothing to delist")
        if not listed and now.lower() != exchange.lower():
            raise InputError(f"{class_key} is listed on {now}, not on {exchange}, on {on.isoformat()}")
        return self._writer.record(
            ClassListed(class_key, exchange, bool(listed)), on, historical=historical, actor=actor
        )

    def _need_meeting(self, meeting_id: str) -> None:
        if meeting_id not in self._book.record.meetings:
            raise NotFoundError(f"meeting_id: no meeting {meeting_id!r} has been called")

    def _new_ids(self, ids, where: str) -> None:
        known = self._book.record.known_ids()
        seen: set = set()
        for i, x in enumerate(ids):
            if not x:
                raise InputError(f"{where}[{i}].id: every {where[:-1]} needs an id")
            if x in known or x in seen:
                raise InputError(f"{where}[{i}].id: {x!r} is already used in the book")
            seen.add(x)


def _ids(v, what: str, empty: bool = False) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [x.strip() for x in v.split(",") if x.strip()]
    out = tuple(str(x) for x in (v or ()))
    if not out and not empty:
        raise InputError(f"{what}: give at least one")
    return out


def _signature(x, i: int) -> dict:
    """A consent signature {signer, signed_on, delivered_on}: dates as ISO text; the delivery date (§228(c),
    from 1 August 2023) may be absent, and the signing date too where the delivery date is given."""
    s = _mapping(x, f"signatures[{i}]")
    if not s.get("signed_on") and not s.get("delivered_on"):
        raise InputError(
            f"signatures[{i}].signed_on: give the date signed (and delivered_on, the date delivered)"
        )
    for k in ("signed_on", "delivered_on"):
        if s.get(k) not in (None, ""):
            s[k] = _date(s[k], f"signatures[{i}].{k}").isoformat()
        else:
            s.pop(k, None)
    return s


def _mapping(v, what: str) -> dict:
    if not isinstance(v, dict):
        raise InputError(f"{what}: must be a mapping, not {type(v).__name__}")
    return dict(v)


def _date(v, what: str) -> date:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise InputError(f"{what}: not a date (YYYY-MM-DD): {v!r}") from None


def _text_or_none(v) -> str | None:
    """A free-text field as one line, or None when empty."""
    text = " ".join(str(v).split()) if v is not None else ""
    return text or None
