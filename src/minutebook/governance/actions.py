"""The book's governance actions and registers: directors and officers, board and stockholder action,
bylaws, charter amendments filed, and the whole book's findings. Each action is an event recorded through
`Book.record`, so it is checked by the rules in `law/` like every other (a mixin of `book.Book`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import record as gov
from ..core.errors import InputError, NotFoundError
from ..core.events import (
    BoardActed,
    BoardSizeFixed,
    BylawsAmended,
    CharterAmended,
    ConsentNoticeSent,
    DirectorsElected,
    DirectorsLeft,
    Incorporated,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    OfficersAppointed,
    OfficersLeft,
    SeriesDesignated,
    StockholderListPrepared,
    WrittenConsent,
)
from ..core.findings import Finding
from ..core.replay import freeze
from ..store import db, log

if TYPE_CHECKING:
    from ..book import Result


class GovernanceActions:
    """Mixed into `Book`: uses its `record`, `_g` (the governance record), `_b`, `_events`, `engine`."""

    # --- people, bodies and their acts (`governance`, checked by `law`) -----------------------------------

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
        return self.record(body, on, historical=historical, actor=actor)

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
        return self.record(body, on, historical=historical, actor=actor)

    def fix_board_size(
        self, size: int, *, on: date, approved_by: str | None = None, historical: bool = False, actor=None
    ) -> Result:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InputError(f"size: the board has a whole number of directors, at least one, not {size!r}")
        return self.record(BoardSizeFixed(size, approved_by), on, historical=historical, actor=actor)

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
        return self.record(
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
        if not any(k[0] == person_id for k in self._g.officers):
            raise NotFoundError(f"person_id: {person_id!r} holds no office")
        return self.record(
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
        if action_id in self._g.board_actions:
            raise InputError(f"action_id: {action_id!r} is already in the book")
        res = tuple(_mapping(r, f"resolutions[{i}]") for i, r in enumerate(resolutions))
        self._new_ids([r.get("id") for r in res], "resolutions")
        body = BoardActed(action_id, form, _ids(present, "present", empty=True), res)
        return self.record(body, on, historical=historical, actor=actor)

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
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        if meeting_id in self._g.meetings:
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
        )
        return self.record(body, on, historical=historical, actor=actor)

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
        return self.record(
            NoticeSent(meeting_id, states_purpose, includes_text), on, historical=historical, actor=actor
        )

    def prepare_stockholder_list(
        self, meeting_id: str, *, on: date, historical: bool = False, actor=None
    ) -> Result:
        self._need_meeting(meeting_id)
        return self.record(StockholderListPrepared(meeting_id), on, historical=historical, actor=actor)

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
        from ..book import Refused, Result

        matters = (
            self._g.meetings[body.meeting_id].body.matters if isinstance(body, MeetingHeld) else body.matters
        )
        elections = [m for m in matters if m.get("kind") == "elect_directors"] if seat else []
        if not elections:
            return self.record(body, on, historical=historical, actor=actor)
        try:
            with self.atomic():
                res = self.record(body, on, historical=historical, actor=actor)
                if res.refused:
                    return res
                more = []
                for m in elections:
                    out = self.approvals().get(str(m.get("id")))
                    chosen = (out.params.get("elected") if out is not None and out.passed else None) or []
                    if not chosen and out is not None and out.passed:  # by consent: the nominees named
                        chosen = list((m.get("params") or {}).get("nominees") or [])
                    new = tuple(d for d in chosen if d not in self._g.directors)
                    if not new:
                        continue
                    names = dict((m.get("params") or {}).get("names") or {})
                    r = self.record(
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
        if consent_id in self._g.consents:
            raise InputError(f"consent_id: {consent_id!r} is already in the book")
        ms = tuple(_mapping(m, f"matters[{i}]") for i, m in enumerate(matters))
        self._new_ids([m.get("id") for m in ms], "matters")
        sigs = tuple(
            {
                **_mapping(x, f"signatures[{i}]"),
                "signed_on": _date(x.get("signed_on"), f"signatures[{i}].signed_on").isoformat(),
            }
            if isinstance(x, dict)
            else _mapping(x, f"signatures[{i}]")
            for i, x in enumerate(signatures)
        )
        body = WrittenConsent(
            consent_id, by, ms, sigs, None if record_date is None else _date(record_date, "record_date")
        )
        return self._with_elected(body, on, historical, actor, seat and by == "stockholders")

    def send_consent_notice(
        self, consent_id: str, *, on: date, historical: bool = False, actor=None
    ) -> Result:
        if consent_id not in self._g.consents:
            raise NotFoundError(f"consent_id: no written consent {consent_id!r}")
        return self.record(ConsentNoticeSent(consent_id), on, historical=historical, actor=actor)

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
        return self.record(
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
        from .amend import amended_charter

        ids = (
            tuple(approved_by)
            if not isinstance(approved_by, str)
            else tuple(a.strip() for a in approved_by.split(",") if a.strip())
        )
        current = freeze(self._b, _date(on, "on"), copy=False).version
        if current is None:
            raise InputError(f"on: no charter is in force on {on} to amend")
        if authorized is None and par is None and articles is None and name is None:
            for a in ids:
                if a in self._g.resolutions:
                    p = dict(self._g.resolutions[a][1].get("params") or {})
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
        return self.record(body, on, historical=historical, actor=actor, dry_run=dry_run)

    def _need_meeting(self, meeting_id: str) -> None:
        if meeting_id not in self._g.meetings:
            raise NotFoundError(f"meeting_id: no meeting {meeting_id!r} has been called")

    def _new_ids(self, ids, where: str) -> None:
        known = self._g.known_ids()
        seen: set = set()
        for i, x in enumerate(ids):
            if not x:
                raise InputError(f"{where}[{i}].id: every {where[:-1]} needs an id")
            if x in known or x in seen:
                raise InputError(f"{where}[{i}].id: {x!r} is already used in the book")
            seen.add(x)

    # --- registers and the whole book's findings -------------------------------------------------------

    def _record_at(self, as_of: date | None) -> gov.Record:
        self._ok()
        if as_of is None or as_of >= self._last:
            return self._g
        return gov.build(self._events, as_of)

    def directors(self, as_of: date | None = None):
        return self._record_at(as_of).directors_at()

    def officers(self, as_of: date | None = None):
        return self._record_at(as_of).officers_at()

    def board_size(self, as_of: date | None = None) -> int | None:
        return self._record_at(as_of).board_size

    def check(self, as_of: date | None = None) -> list[Finding]:
        """Every finding of the whole book up to `as_of`: each event checked, as history, against the
        state before it (ledger and governance rules), then the book-wide rules (§228(e) notices …)."""
        from ..ingest import read_texts
        from .audit import audit

        self._ok()
        charter_events = [
            e
            for e in self._events
            if e.source is not None and isinstance(e.body, (Incorporated, CharterAmended, SeriesDesignated))
        ]
        read_from = {Path(e.source.path).name for e in charter_events}  # the files the charter was read from
        with db.read(self.engine) as conn:
            docs = [(r.name, r.content) for r in log.documents_of(conn, self.corp_id) if r.name in read_from]
        charter: list[Finding] = []
        if docs:
            # the reader's findings on the documents the book's charter versions came from (and their other
            # copies), file:line; the book's own rule restates the blank-check defect with its cures
            read = read_texts(docs)
            used = {e.source.document_id for e in charter_events}
            keys = {(d.kind, d.statute, d.signed_on) for d in read.charter.documents if d.id in used}
            used |= {d.id for d in read.charter.documents if (d.kind, d.statute, d.signed_on) in keys}
            used |= {
                r.document_id
                for d in read.charter.documents
                if d.id in used
                for r in (*d.copies, *((d.source,) if d.source else ()))
            }
            charter = [
                f
                for f in read.findings
                if f.code != "MB-BLANK-CHECK-NOT-BOARD"
                and (f.source is None or f.source.document_id is None or f.source.document_id in used)
            ]
        return charter + audit(self._events, as_of or date.max, self._state_at)


def _ids(v, what: str, empty: bool = False) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [x.strip() for x in v.split(",") if x.strip()]
    out = tuple(str(x) for x in (v or ()))
    if not out and not empty:
        raise InputError(f"{what}: give at least one")
    return out


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
