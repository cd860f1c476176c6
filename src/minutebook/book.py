"""The book: one corporation's record in a database, with every action checked before it is written.

    book = open_book("minutebook.db")
    book.add_holder("alice", "Alice Ng")
    result = book.issue("alice", "common", 1_000_000, price_per_share=Decimal("0.001"), on=date(2000, 1, 3))
    result.refused, result.findings
    book.cap_table(date(2001, 1, 1))

An action is an event: it is checked against the state on its effective date and the charter in force
then (`law.ledger`); a back-dated event is checked against every later event too. An action with an
error finding is refused and nothing is written. With `historical=True` (importing a past record) the
event is kept and its defects are reported.
"""

from __future__ import annotations

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import sqlalchemy as sa

from .core import record as gov
from .core.captable import CapTable, cap_table
from .core.charter import Charter
from .core.codec import version_to_dict
from .core.errors import InputError, MinutebookError, NotFoundError
from .core.events import (
    BOUNDS,
    LEDGER_TYPES,
    Body,
    CharterAmended,
    Event,
    Incorporated,
    SeriesDesignated,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StakeholderAdded,
    StakeholderChanged,
    StockSplit,
)
from .core.findings import Finding, Severity, error
from .core.replay import State, _Build, freeze, replay
from .core.replay import apply as fold
from .governance.actions import GovernanceActions
from .governance.approvals import Approvals
from .ingest.load import load_text
from .law import ledger, registry
from .store import db, log, projections
from .store.schema import corporations


@dataclass(frozen=True, slots=True)
class Result:
    """What an action did: the findings, whether it was refused, and the event written (if any)."""

    findings: tuple[Finding, ...]
    event: Event | None
    more: tuple[Event, ...] = ()  # events the act wrote with it (the directors a meeting elected)

    @property
    def refused(self) -> bool:
        return self.event is None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.ERROR)


class Refused(MinutebookError):
    """Raised inside `Book.atomic()` to abandon every act of the block because one was refused."""

    def __init__(self, result: Result):
        super().__init__("; ".join(f.format() for f in result.errors) or "refused")
        self.result = result


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "corporation"


class Book(GovernanceActions):
    def __init__(self, engine: sa.Engine, url: str, corp_id: int, slug: str):
        self.engine, self.url, self.corp_id, self.slug = engine, url, corp_id, slug
        self._events: list[Event] = []
        self._b = _Build()
        self._g = gov.Record()  # directors, officers, board and stockholder action
        self._last = date.min  # the latest effective date in the log
        self._states: dict[date, State] = {}
        self._approvals: Approvals | None = None
        self._reload()

    # --- reading ---------------------------------------------------------------------------------------

    def _reload(self, conn: sa.Connection | None = None) -> None:
        try:
            if conn is None:
                with db.read(self.engine) as c:
                    self._events = log.load(c, self.corp_id)
            else:
                self._events = log.load(conn, self.corp_id)
            self.load_error: str | None = None
        except (ValueError, KeyError, TypeError) as ex:  # a tampered row: `verify` names it
            self._events, self.load_error = (
                [],
                f"the event log cannot be read ({ex}); run `minutebook verify`",
            )
        self._b = _Build()
        self._g = gov.Record()
        for e in sorted(self._events, key=Event.sort_key):
            fold(self._b, e)
            gov.apply(self._g, e)
        self._last = max((e.effective_on for e in self._events), default=date.min)
        self._changed(None)

    @contextmanager
    def _write(self):
        """A write transaction on the book's own connection, kept open between appends (no pool checkout
        per append); on SQLite it holds the database's write lock from its first statement."""
        conn = getattr(self, "_conn", None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self._conn = self.engine.connect()
        conn.info["write"] = True
        try:
            with conn.begin():
                yield conn
        except BaseException:
            if conn.invalidated:
                self._conn = None
            raise
        finally:
            conn.info["write"] = False

    @contextmanager
    def atomic(self):
        """Record several acts as one: every `record` inside shares one transaction, and if the block
        raises (raise `Refused(result)` when an act is refused) none of them is written.

            with book.atomic():
                r = book.board_act(...)
                if r.refused:
                    raise Refused(r)
                ...
        """
        if getattr(self, "_batch", None) is not None:
            yield self  # already inside one: part of it
            return
        try:
            with self._write() as conn:
                self._batch = conn
                yield self
        except BaseException:
            self._batch = None
            self._reload()  # forget what the rolled-back acts folded in
            raise
        finally:
            self._batch = None

    def close(self) -> None:
        """Close the book's connections. On SQLite this also folds the write-ahead log into the database
        file, so the file alone holds everything written (the engine stays usable: it reconnects)."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None
        self.engine.dispose()

    def _catch_up(self, conn: sa.Connection) -> None:
        """Read only the events other writers appended since we last read; fold them if they follow in time."""
        try:
            missed = log.load(conn, self.corp_id, after_seq=len(self._events))
        except (ValueError, KeyError, TypeError):
            self._reload(conn)
            return
        if missed and min(e.effective_on for e in missed) >= self._last and not self.load_error:
            for e in missed:
                self._events.append(e)
                fold(self._b, e)
                gov.apply(self._g, e)
                self._last = max(self._last, e.effective_on)
                self._changed(e)
        else:
            self._reload(conn)

    def _ok(self) -> None:
        if self.load_error:
            raise MinutebookError(self.load_error)

    @property
    def events(self) -> tuple[Event, ...]:
        self._ok()
        return tuple(self._events)

    @property
    def name(self) -> str | None:
        return self._b.name

    @property
    def holders(self):
        """Every stakeholder ever added: id -> `core.replay.Holder`."""
        return MappingProxyType(dict(self._b.holders))

    def state(self, as_of: date | None = None) -> State:
        self._ok()
        return replay(self._events, as_of or date.max)

    @property
    def charter(self) -> Charter:
        self._ok()
        return freeze(self._b, date.max).charter

    def cap_table(self, as_of: date | None = None) -> CapTable:
        """The cap table on a date: from the live state at the latest date, else from the dated ledger
        projection (an index scan, not a replay), with the charter in force then."""
        self._ok()
        if as_of is None or not self._events or as_of >= self._last:
            return cap_table(freeze(self._b, as_of or date.max))
        first = self._b.incorporated_on or as_of
        later_half = (as_of - first) > (self._last - as_of)
        with db.read(self.engine) as conn:
            positions = projections.positions_after if later_half else projections.positions_at
            pos = positions(conn, self.corp_id, as_of.isoformat())
        live = freeze(self._b, as_of)
        bal = {(h, c, s or None): n for (h, c, s), n in pos.items() if h != projections.TREASURY}
        treasury = {(c, s or None): n for (h, c, s), n in pos.items() if h == projections.TREASURY}
        issued: dict = {}
        for (_, c, s), n in bal.items():
            issued[(c, s)] = issued.get((c, s), 0) + n
        for k, n in treasury.items():
            issued[k] = issued.get(k, 0) + n
        holders = {h: live.holders[h] for h in {k[0] for k in bal} if h in live.holders}
        return cap_table(
            replace(
                live,
                balances=MappingProxyType(bal),
                issued=MappingProxyType(issued),
                treasury=MappingProxyType(treasury),
                holders=MappingProxyType(holders),
            )
        )

    # --- writing ---------------------------------------------------------------------------------------

    def record(
        self,
        body: Body,
        on: date,
        *,
        bound: str = "on",
        actor: str | None = None,
        source=None,
        historical: bool = False,
        dry_run: bool = False,
    ) -> Result:
        """Check `body` as an event effective `on`, and append it unless refused."""
        self._ok()
        if not isinstance(on, date) or isinstance(on, datetime):
            raise InputError(f"effective date must be a date, not {on!r}")
        if bound not in BOUNDS:
            raise InputError(f"bound must be one of {', '.join(BOUNDS)}, not {bound!r}")
        e = Event(body, on, bound, actor, source)
        batch = getattr(self, "_batch", None)
        with nullcontext(batch) if batch is not None else self._write() as conn:
            head = log.lock_head(conn, self.corp_id)
            head_seq = head[0]
            if head_seq != len(self._events):
                self._catch_up(conn)  # another writer appended since we read
            findings, ledger_entries, in_order = self._check(e, historical)
            if dry_run or (not historical and any(f.severity == Severity.ERROR for f in findings)):
                if batch is None:
                    conn.rollback()
                return Result(tuple(findings), None)
            (written,) = log.append(conn, self.corp_id, [e], ledger=[ledger_entries], head=head)
            if not in_order and any(isinstance(x.body, StockSplit) for x in self._events):
                projections.rebuild(conn, self.corp_id, [*self._events, written])
        self._events.append(written)
        if in_order:
            fold(self._b, written)
            gov.apply(self._g, written)
            self._last = max(self._last, written.effective_on)
            self._changed(written)
        else:
            self._reload(batch)  # inside `atomic()`, read back on its connection (the block is not committed)
        return Result(tuple(findings), written)

    def _changed(self, e: Event | None) -> None:
        """Forget what depends on the log: ledger states on past dates and, unless `e` only moved shares
        forward in time, the approvals worked out from them."""
        self._states.clear()
        if e is None or not isinstance(e.body, LEDGER_TYPES):
            self._approvals = None

    def _state_at(self, on: date) -> State:
        st = self._states.get(on)
        if st is None:
            if len(self._states) > 32:
                self._states.clear()
            st = self._states[on] = replay(self._events, on)
        return st

    def approvals(self) -> Approvals:
        if self._approvals is None:
            self._approvals = Approvals(self._g, self._state_at)
        return self._approvals

    def _rules(self, e: Event, before: State, historical: bool, record: gov.Record | None = None) -> list:
        if record is None:
            record, approvals = self._g, self.approvals()
        else:
            approvals = Approvals(record, self._state_at)
        later = frozenset(self._g.known_ids()) if record is not self._g else frozenset()
        ctx = registry.Context(e, before, record, historical, self._state_at, approvals, later)
        return registry.run(ctx)

    def _check(self, e: Event, historical: bool) -> tuple[list[Finding], list, bool]:
        first = self._b.incorporated_on
        if not isinstance(e.body, Incorporated) and first is not None and e.effective_on < first:
            return (
                [
                    error(
                        "MB-BEFORE-INCORPORATION",
                        f"{e.effective_on.isoformat()} is before the corporation "
                        f"was incorporated ({first.isoformat()})",
                        cites=("8 Del. C. § 106",),
                    )
                ],
                [],
                True,
            )
        if e.effective_on >= self._last:
            before = freeze(self._b, e.effective_on, copy=False)
            findings = ledger.check(before, e, historical)
            findings += self._rules(e, before, historical)
            ents = projections.entries(e, self._b)
            if isinstance(e.body, CharterAmended):
                b2 = _Build()
                for x in sorted([*self._events, e], key=Event.sort_key):
                    fold(b2, x)
                findings += ledger.check_after(freeze(b2, e.effective_on), e, historical)
            return findings, ents, True
        # back-dated: check it, and every later event against the state it now leaves; a later event's
        # defect that the log already had (without the new event) is not the new event's conflict
        existing = sorted(self._events, key=Event.sort_key)
        already: set[tuple[int | None, str]] = set()
        b, g = _Build(), gov.Record()
        appr = Approvals(g, self._state_at)  # kept while only shares move, as in `check`
        for x in existing:
            if x.effective_on >= e.effective_on:
                st = freeze(b, x.effective_on, copy=False)
                already |= {(x.seq, f.code) for f in ledger.check(st, x, historical)}
                already |= {(x.seq, f.code) for f in self._later_rules(x, st, g, historical, appr)}
            fold(b, x)
            gov.apply(g, x)
            if not isinstance(x.body, LEDGER_TYPES):
                appr = Approvals(g, self._state_at)
        new_log = [*self._events, e]
        states: dict[date, State] = {}

        def state_at(on: date) -> State:  # the ledger on a date as the log would be with `e`
            if on not in states:
                states[on] = replay(new_log, on)
            return states[on]

        b, g = _Build(), gov.Record()
        appr = Approvals(g, state_at)
        findings: list[Finding] = []
        ents: list = []
        for x in sorted(new_log, key=Event.sort_key):
            if x is e:
                before = freeze(b, e.effective_on, copy=False)
                findings += ledger.check(before, e, historical)
                findings += self._rules(e, before, historical, g)
                ents = projections.entries(e, b)
            elif x.effective_on >= e.effective_on:
                st = freeze(b, x.effective_on, copy=False)
                later = [*ledger.check(st, x, historical), *self._later_rules(x, st, g, historical, appr)]
                for f in later:
                    if (x.seq, f.code) in already or not (f.severity == Severity.ERROR or historical):
                        continue
                    message = (
                        f"with this back-dated event, event {x.seq} ({x.type} on "
                        f"{x.effective_on.isoformat()}) would be invalid: {f.message}"
                    )
                    findings.append(Finding(f.severity, "MB-BACKDATED-CONFLICT", message, f.source, f.cites))
            fold(b, x)
            gov.apply(g, x)
            if not isinstance(x.body, LEDGER_TYPES):
                appr = Approvals(g, state_at)
        return findings, ents, False

    def _later_rules(
        self, x: Event, st: State, g: gov.Record, historical: bool, appr: Approvals
    ) -> list[Finding]:
        """The DGCL rules' findings on a later event `x` (for the back-dating check); a later act that no
        longer reads (a meeting the back-dated event changes) is itself a conflict."""
        try:
            return registry.run(registry.Context(x, st, g, historical, appr.state_at, appr))
        except MinutebookError as ex:
            return [error("MB-LATER-ACT-UNREADABLE", str(ex))]

    # --- actions ---------------------------------------------------------------------------------------

    def add_holder(
        self,
        holder_id: str,
        name: str,
        *,
        on: date | None = None,
        kind: str = "individual",
        email: str | None = None,
        address: str | None = None,
        actor: str | None = None,
    ) -> Result:
        if holder_id in self._b.holders:
            raise InputError(f"holder {holder_id!r} already exists")
        body = StakeholderAdded(holder_id, name, kind, email, address)
        return self.record(body, on or self._b.incorporated_on, actor=actor)

    def change_holder(
        self, holder_id: str, *, on: date, name=None, email=None, address=None, actor: str | None = None
    ) -> Result:
        self._need_holder(holder_id)
        return self.record(StakeholderChanged(holder_id, name, email, address), on, actor=actor)

    def issue(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        price_per_share: Decimal,
        consideration: Decimal | None = None,
        series_key: str | None = None,
        certificate: str | None = None,
        legends: tuple[str, ...] = (),
        consideration_kind: str = "cash",
        from_treasury: bool = False,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        price = _money(price_per_share, "price per share")
        total = price * shares if consideration is None else _money(consideration, "consideration")
        body = SharesIssued(
            holder_id,
            class_key,
            shares,
            price,
            total,
            consideration_kind,
            series_key,
            certificate,
            tuple(legends),
            from_treasury,
            approved_by,
        )
        return self.record(body, on, historical=historical, actor=actor)

    def transfer(
        self,
        from_holder: str,
        to_holder: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        series_key: str | None = None,
        certificate: str | None = None,
        new_certificate: str | None = None,
        balance_certificate: str | None = None,
        price_per_share: Decimal | None = None,
        approved_by: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        price = None if price_per_share is None else _money(price_per_share, "price per share")
        body = SharesTransferred(
            from_holder,
            to_holder,
            class_key,
            shares,
            series_key,
            certificate,
            new_certificate,
            balance_certificate,
            price,
            approved_by,
        )
        return self.record(body, on, historical=historical, actor=actor)

    def cancel(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        series_key: str | None = None,
        certificate: str | None = None,
        reason: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        body = SharesCancelled(holder_id, class_key, shares, series_key, certificate, reason)
        return self.record(body, on, historical=historical, actor=actor)

    def repurchase(
        self,
        holder_id: str,
        class_key: str,
        shares: int,
        *,
        on: date,
        price_per_share: Decimal,
        series_key: str | None = None,
        certificate: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(shares)
        body = SharesRepurchased(
            holder_id, class_key, shares, _money(price_per_share, "price per share"), series_key, certificate
        )
        return self.record(body, on, historical=historical, actor=actor)

    def convert(
        self,
        holder_id: str,
        from_class: str,
        from_shares: int,
        to_class: str,
        to_shares: int,
        *,
        on: date,
        from_series: str | None = None,
        to_series: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(from_shares)
        _shares(to_shares)
        body = SharesConverted(
            holder_id, from_class, from_shares, to_class, to_shares, from_series, to_series
        )
        return self.record(body, on, historical=historical, actor=actor)

    def split(
        self,
        class_key: str,
        from_shares: int,
        to_shares: int,
        *,
        on: date,
        series_key: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(from_shares)
        _shares(to_shares)
        return self.record(
            StockSplit(class_key, from_shares, to_shares, series_key), on, historical=historical, actor=actor
        )

    def designate_series(
        self,
        class_key: str,
        series_key: str,
        name: str,
        authorized: int,
        *,
        on: date,
        approved_by: str | None = None,
        designated_by: str = "board of directors",
        terms: str | None = None,
        historical: bool = False,
        actor: str | None = None,
    ) -> Result:
        _shares(authorized)
        body = SeriesDesignated(class_key, series_key, name, authorized, designated_by, approved_by, terms)
        return self.record(body, on, historical=historical, actor=actor)

    def _need_holder(self, holder_id: str) -> None:
        if holder_id not in self._b.holders:
            raise NotFoundError(f"no holder {holder_id!r}")

    # --- integrity -------------------------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Re-hash the chain and check the projections against a replay; [] when all is well."""
        with db.read(self.engine) as conn:
            problems = [
                f"event {p.seq}: {p.what}" if p.seq is not None else p.what
                for p in log.verify_chain(conn, self.corp_id)
            ]
            try:
                evs = log.load(conn, self.corp_id)
            except Exception as ex:  # noqa: BLE001 - a tampered payload may not load
                return [*problems, f"the log cannot be replayed: {ex}"]
            problems += [f"projection: {p}" for p in projections.check(conn, self.corp_id, evs)]
        return problems

    def rebuild(self) -> None:
        with db.write(self.engine) as conn:
            projections.rebuild(conn, self.corp_id, log.load(conn, self.corp_id))


def _shares(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InputError(f"share count must be a whole number, not {n!r}")
    if n <= 0:
        raise InputError(f"share count must be positive, not {n:,}")


def _money(v, what: str) -> Decimal:
    try:
        d = Decimal(str(v))
    except Exception:  # noqa: BLE001
        raise InputError(f"{what}: not a number: {v!r}") from None
    if not d.is_finite() or d < 0:
        raise InputError(f"{what}: must be zero or more, not {v}")
    return d


# --- opening and creating ------------------------------------------------------------------------------


def corporations_in(engine: sa.Engine) -> list[tuple[int, str, str]]:
    with db.read(engine) as conn:
        return [
            (r.id, r.slug, r.name) for r in conn.execute(sa.select(corporations).order_by(corporations.c.id))
        ]


def open_book(db_url: str | None = None, corp: str | None = None) -> Book:
    engine, url = db.open_engine(db_url)
    corps = corporations_in(engine)
    if not corps:
        raise NotFoundError(
            f"{db.display(url)}: no corporation yet (create one with `minutebook init --from FILE`)"
        )
    if corp is None:
        if len(corps) > 1:
            raise InputError(
                f"{db.display(url)} holds {len(corps)} corporations ({', '.join(c[1] for c in corps)}): "
                "pick one with --corp"
            )
        cid, slug, _ = corps[0]
    else:
        match = [c for c in corps if c[1] == corp or c[2].lower() == corp.lower()]
        if not match:
            raise NotFoundError(
                f"{db.display(url)}: no corporation {corp!r} (there are: {', '.join(c[1] for c in corps)})"
            )
        cid, slug, _ = match[0]
    return Book(engine, url, cid, slug)


def charter_events(read_result, until: date | None = None) -> list[Event]:
    """The events a charter history becomes: incorporation, then one amendment per later version (those
    in force from `until` or earlier, when given)."""
    out: list[Event] = []
    versions = read_result.charter.versions
    if until is not None:
        versions = tuple(v for v in versions if v.effective_on is None or v.effective_on <= until)
    for i, v in enumerate(versions):
        if v.effective_on is None:
            raise InputError(
                f"charter version {i + 1} ({v.document_kind}) has no date: cannot place it in the book"
            )
        bound = "on_or_after" if v.date_basis == "executed" else "on"
        data = version_to_dict(v)
        src = v.sources[0] if v.sources else None
        if src is not None:  # named as the book stores the file (`create`), wherever it was read from
            src = replace(src, path=Path(src.path).name)
        if i == 0:
            shown = read_result.corporation
            if shown and v.name and shown.lower() != v.name.lower():
                shown = v.name
            signers = tuple(
                s.name
                for d in read_result.charter.documents
                if d.kind == "incorporation"
                for s in d.signatories
                if "incorporator" in (s.capacity or "").lower()
            )
            body: Body = Incorporated(
                shown or v.name or "",
                v.jurisdiction or read_result.jurisdiction,
                data,
                tuple(dict.fromkeys(signers)),
            )
        else:
            body = CharterAmended(data, v.document_kind, v.statute)
        out.append(Event(body, v.effective_on, bound, "minutebook read", src))
    return out


def create(
    db_url: str | None,
    read_result,
    files: list[str | Path],
    slug: str | None = None,
    until: date | None = None,
) -> Book:
    """A new corporation from its charter documents (already read); refuses a slug already in use."""
    engine, url = db.open_engine(db_url)
    evs = charter_events(read_result, until)
    if not evs:
        raise InputError("no charter version to create the corporation from")
    name = evs[0].body.name or "corporation"
    slug = slug or slugify(name)
    with db.write(engine) as conn:
        taken = f"{db.display(url)} already holds {slug!r}; use --corp to name the new one differently"
        cid = log.new_corporation(conn, slug, name, taken)
        # the text the reader read (a PDF's, a .docx's, a scan's OCR), so `check` reads it again line for line
        log.add_documents(conn, cid, [(Path(f).name, load_text(f)) for f in files])
        log.append(conn, cid, evs)
    return Book(engine, url, cid, slug)


__all__ = ["Book", "Result", "Refused", "open_book", "create", "MinutebookError"]
