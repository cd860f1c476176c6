"""The matters the 2022–2025 amendments made recordable: a transaction with an interested director, officer or
controlling stockholder and its approvals (§144), a stockholder's books-and-records demand (§220), a stockholder
agreement (§122(18)), the board's approval of an agreement in final or substantially final form (§147), and the
corporation's conversion to another entity or jurisdiction (§266), which closes the Delaware book. Each act
checks its arguments (bad input: `InputError` naming the field), makes its event body and records it through the
book's one append path (`Writer.record`), so the rules in `law.dgcl` judge it like every other act.

Two questions ride along: what a demand calls for and by when (`books_due`, from `law.dgcl.records`), and whether
the charter exculpates a director or officer from a claim on a date (`exculpation`, `law.dgcl.exculpation`).
"""

from __future__ import annotations

from datetime import date

from ..core.errors import InputError, NotFoundError
from ..core.events import (
    AgreementApproved,
    BooksDemanded,
    CorporationConverted,
    InterestedTransaction,
    StockholderAgreement,
)
from ..core.replay import freeze
from ..law.dgcl import exculpation, records
from ..law.dgcl.transactions import KINDS
from .append import Result, Writer
from .folded import Folded

FORMS = ("final", "substantially final")
COVENANTS = ("restrict_action", "approval", "board_composition", "act_by_consent", "stock_rights", "other")


def _id(value, what: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > 100 or any(ch.isspace() for ch in text):
        raise InputError(f"{what}: an id of 1 to 100 characters without spaces, not {value!r}")
    return text


def _ids(values, what: str, *, required: bool = True) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    out = tuple(_id(v, what) for v in values or ())
    if required and not out:
        raise InputError(f"{what}: name at least one")
    if len(set(out)) != len(out):
        raise InputError(f"{what}: {', '.join(sorted({x for x in out if out.count(x) > 1}))} listed twice")
    return out


def _text(value, what: str, limit: int = 2000) -> str:
    text = " ".join(str(value or "").split())
    if not text or len(text) > limit:
        raise InputError(f"{what}: 1 to {limit} characters, not {value!r}")
    return text


def _votes(value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{what}: a whole number of votes, zero or more, not {value!r}")
    return value


class MatterActs:
    """The §§144, 220, 122(18), 147 and 266 acts, recorded through `writer`; `book` is the log in memory."""

    def __init__(self, writer: Writer, book: Folded):
        self._writer, self._book = writer, book

    def _fresh(self, type_name: str, key: str, what: str) -> None:
        if f"{type_name}:{key}" in self._book.record.facts:
            raise InputError(f"{what}: {key!r} is already in the book")

    def record_transaction(
        self,
        transaction_id: str,
        *,
        kind: str,
        description: str,
        interested,
        on: date,
        disclosed: bool = True,
        board_approval: str | None = None,
        committee=(),
        committee_for=(),
        committee_empowered: bool = False,
        stockholder_approval: str | None = None,
        disinterested_for: int | None = None,
        disinterested_against: int | None = None,
        conditioned: bool = False,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """A transaction with an interested director or officer ("interested"), or with a controlling stockholder
        ("controlling", or "going_private"), and its approvals; the finding says which § 144 safe harbor applies."""
        tid = _id(transaction_id, "transaction_id")
        if kind not in KINDS:
            raise InputError(f"kind: one of {', '.join(KINDS)}, not {kind!r}")
        self._fresh(InterestedTransaction.TYPE, tid, "transaction_id")
        who = _ids(interested, "interested")
        rec = self._book.record
        known = {*rec.ever_directors, *self._book.build.holders}
        known |= {e.body.person_id for e in rec.log if e.type == "OfficersAppointed"}
        strangers = [x for x in who if x not in known]
        if strangers:
            raise InputError(
                f"interested: {', '.join(strangers)} is no director, officer or holder in the book (name them by "
                "their ids)"
            )
        members = _ids(committee, "committee", required=False)
        voted = _ids(committee_for, "committee_for", required=False)
        if set(voted) - set(members):
            raise InputError(
                f"committee_for: {', '.join(sorted(set(voted) - set(members)))} not on the committee"
            )
        body = InterestedTransaction(
            tid,
            kind,
            _text(description, "description"),
            who,
            bool(disclosed),
            board_approval and _id(board_approval, "board_approval"),
            members,
            voted,
            bool(committee_empowered),
            stockholder_approval and _id(stockholder_approval, "stockholder_approval"),
            _votes(disinterested_for, "disinterested_for"),
            _votes(disinterested_against, "disinterested_against"),
            bool(conditioned),
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def demand_books(
        self,
        demand_id: str,
        stockholder: str,
        *,
        purpose: str,
        on: date,
        items=(),
        under_oath: bool = True,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """A stockholder's § 220 demand, received `on`; its finding says what is due and by when."""
        did = _id(demand_id, "demand_id")
        self._fresh(BooksDemanded.TYPE, did, "demand_id")
        holder = _id(stockholder, "stockholder")
        if holder not in self._book.build.holders:
            raise NotFoundError(
                f"stockholder: no holder {holder!r} in the book (add one with `minutebook holder add`)"
            )
        things = tuple(_text(i, "items", 300) for i in (items or ()))
        body = BooksDemanded(did, holder, str(purpose or "").strip(), things, bool(under_oath))
        return self._writer.record(body, on, historical=historical, actor=actor)

    def books_due(self, demand_id: str) -> records.Production:
        """What demand `demand_id` calls for: the answer date and each category due, with what the book holds."""
        e = self._book.record.facts.get(f"{BooksDemanded.TYPE}:{demand_id}")
        if e is None:
            raise NotFoundError(f"demand_id: no demand {demand_id!r} in the book")
        record = self._book.record_at(e.effective_on)
        return records.production(e, record, freeze(self._book.build, e.effective_on).charter)

    def stockholder_agreement(
        self,
        agreement_id: str,
        parties,
        *,
        on: date,
        covenants=(),
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """A contract of the corporation with stockholders on its governance (§ 122(18)); each covenant is a dict
        {kind, text, params}, `kind` one of COVENANTS."""
        aid = _id(agreement_id, "agreement_id")
        self._fresh(StockholderAgreement.TYPE, aid, "agreement_id")
        covs = []
        for i, cov in enumerate(covenants or ()):
            if not isinstance(cov, dict):
                raise InputError(f"covenants[{i}]: a mapping {{kind, text, params}}, not {cov!r}")
            kind = str(cov.get("kind") or "other")
            if kind not in COVENANTS:
                raise InputError(f"covenants[{i}].kind: one of {', '.join(COVENANTS)}, not {kind!r}")
            covs.append(
                {"kind": kind, "text": str(cov.get("text") or ""), "params": dict(cov.get("params") or {})}
            )
        body = StockholderAgreement(
            aid, _ids(parties, "parties"), tuple(covs), approved_by and _id(approved_by, "approved_by")
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def approve_agreement(
        self,
        agreement_id: str,
        title: str,
        *,
        on: date,
        form: str = "final",
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """The board's approval of an agreement in final or substantially final form (§ 147)."""
        aid = _id(agreement_id, "agreement_id")
        if form not in FORMS:
            raise InputError(f"form: one of {', '.join(FORMS)}, not {form!r}")
        self._fresh(AgreementApproved.TYPE, aid, "agreement_id")
        body = AgreementApproved(
            aid, _text(title, "title", 300), form, approved_by and _id(approved_by, "approved_by")
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def convert_corporation(
        self,
        *,
        entity: str,
        jurisdiction: str,
        on: date,
        board_approval: str | None = None,
        stockholder_approval: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        """The corporation's conversion to another entity or jurisdiction, effective `on` (§ 266): its Delaware
        book closes, and every later act is refused."""
        if self._book.record.converted is not None:
            done = self._book.record.converted
            raise InputError(
                f"the corporation already converted to a {done.body.entity} of {done.body.jurisdiction} on "
                f"{done.effective_on.isoformat()}"
            )
        body = CorporationConverted(
            _text(entity, "entity", 200),
            _text(jurisdiction, "jurisdiction", 200),
            board_approval and _id(board_approval, "board_approval"),
            stockholder_approval and _id(stockholder_approval, "stockholder_approval"),
        )
        return self._writer.record(body, on, historical=historical, actor=actor)

    def converted(self):
        """The conversion that closed the Delaware book (its event), or None."""
        self._book.ok()
        return self._book.record.converted

    def exculpation(self, role: str, claim: str, on: date) -> exculpation.Coverage:
        """Whether the charter in force on `on` exculpates a director or officer from a direct or derivative claim."""
        self._book.ok()
        try:
            return exculpation.covers(freeze(self._book.build, on).charter, role, claim, on)
        except ValueError as ex:
            raise InputError(str(ex)) from None
