"""The book: one corporation's record in a database, with every action checked before it is written.

    book = open_book("minutebook.db")
    book.add_holder("alice", "Alice Ng")
    result = book.issue("alice", "common", 1_000_000, price_per_share=Decimal("0.001"), on=date(2000, 1, 3))
    result.refused, result.findings
    book.cap_table(date(2001, 1, 1))

An action is an event: it is checked against the state on its effective date and the charter in force
then (`law.ledger`, `law.registry`); a back-dated event is checked against every later event too. An action
with an error finding is refused and nothing is written. With `historical=True` (importing a past record) the
event is kept and its defects are reported.

`Book` is a facade. It holds the corporation's place in the database and its log in memory (`Folded`), and
hands each call to the service that owns it, under the same name and signature: the ledger's acts to
`LedgerActs`, the governance acts to `GovernanceActs` (both record through the `Writer`, the book's use of the
one append path), and every question to `Queries`.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from types import MappingProxyType

import sqlalchemy as sa

from ..core.charter import Charter
from ..core.corrections import fixed
from ..core.events import Event
from ..governance.approvals import Approvals
from ..store import db, snapshots
from . import snapshot
from .append import Writer
from .checkpoints import Checkpoints
from .corrections import Corrections
from .equity import EquityActs
from .folded import Folded, Names, read
from .governance import GovernanceActs
from .history import History
from .ledger import LedgerActs
from .matters import MatterActs
from .queries import Queries

POINT_READS = 1_000
"""The events `Book.event` reads one by one from the store (a book opened from its snapshot) before it reads the
history into the book and finds them there: a page's few findings' events, one by one; every finding's (the cures
of a book with half a million findings), from the history once (~7 s for a million events) rather than half a
million reads."""


def _via(service: str, method: Callable) -> Callable:
    """A Book method that hands its call to the service in attribute `service`: the service's method, under
    the same name, signature and docstring (so `inspect.signature(book.issue)` is `LedgerActs.issue`'s)."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return method(getattr(self, service), *args, **kwargs)

    return call


class Book:
    """One corporation's book: `open_book(...)` or `create(...)` makes one."""

    def __init__(self, engine: sa.Engine, url: str, corp_id: int, slug: str, actor: str | None = None):
        self.engine, self.url, self.corp_id, self.slug = engine, url, corp_id, slug
        self._log = Folded()
        self._writer = Writer(engine, corp_id, self._log, actor)
        # what `event` and `has_event` read: the corrections, at the log's length
        self._fixes: tuple[int, dict[int, Event]] | None = None
        self._reads = 0  # the events `event` has read one by one
        # keeps the book's fold as its snapshot (a large book's, under its key): naming what it needs, not the book,
        # which would then be in a reference cycle and outlive its last use (its connection open, its WAL not folded)
        self._keep_snapshot = functools.partial(snapshot.keep, self._log, engine, corp_id, url, slug)
        self._corrections = Corrections(self._writer, self._log, self._keep_snapshot)
        self._ledger = LedgerActs(self._writer, self._log)
        self._governance = GovernanceActs(self._writer, self._log)
        # every read of the store goes through the writer's `reading`: inside `atomic()` the block's connection, so
        # that answers see the acts the block has recorded and not yet committed
        w = self._writer
        self._queries = Queries(
            engine, corp_id, self._log, url, slug, w.reading, w.writing, w.kept, lambda: w.in_block
        )
        self._matters = MatterActs(self._writer, self._log)
        self._equity = EquityActs(self._writer, self._log, self._queries.fully_diluted)
        self._signed = Checkpoints(engine, url, corp_id, slug, w.reading, w.writing, lambda: w.in_block)
        self._open()

    def _open(self) -> None:
        """Read the log: from the book's snapshot and the events after it where one can be trusted, else whole (and
        then keep a snapshot of a large book's fold for the next opening: `book.snapshot`)."""
        with db.read(self.engine) as conn:
            folded_after = snapshot.restore(
                self._log, self._writer.reading, conn, self.corp_id, self.url, self.slug
            )
            if folded_after is None:
                read(self._log, conn, self.corp_id)
            else:  # opened from its snapshot: its corrections are the snapshot's (one after it: read whole)
                n = self._log.count
                at = snapshots.event_hash(conn, self.corp_id, n)
                self._writer.kept["at"] = (n, at, self._log.corrections())
        if folded_after is None or folded_after >= snapshot.EVERY:
            self._keep_snapshot()

    # --- what the book holds -----------------------------------------------------------------------------

    @property
    def last_effective(self) -> date:
        """The latest effective date among the log's events (`date.min` for an empty log): known without reading
        the events themselves (a book opened from its snapshot)."""
        return self._log.last

    def names(self) -> Names:
        """What commands check the names and dates a user gives against: each holder's date added, the designated
        series, the incorporation date, the days its events are effective on (`Names.latest`: the latest on or before
        a date), kept as the log is folded: no event is read."""
        self._log.ok()
        return copy.deepcopy(self._log.names)

    @property
    def load_error(self) -> str | None:
        """Why the event log could not be read (the book then answers nothing), or None."""
        return self._log.load_error

    @property
    def events(self) -> tuple[Event, ...]:
        """The history: the log's events as corrected (a voided event left out, a corrected one replaced in
        its place; the corrections themselves kept). Every view reads this; `log` is the log as stored."""
        self._log.ok()
        return tuple(self._log.history)

    def event(self, seq: int) -> Event | None:
        """The history's event of sequence `seq` (as `events` gives it; None when there is none, or it was voided),
        without copying the history: a finding's event, for each of a large book's thousands of findings."""
        self._log.ok()
        if (
            self._log.in_memory
            or isinstance(seq, bool)
            or not isinstance(seq, int)
            or self._reads >= POINT_READS
        ):
            return self._log.event(seq)
        # a book opened from its snapshot: the one row read from the store, not the whole history into the book
        self._reads += 1
        e = self.history().one(seq)
        return None if e is None else next(fixed([e], self._voids_and_fixes()), None)

    def has_event(self, seq: int) -> bool:
        """Whether the history has an event of sequence `seq` (`event(seq)` is not None), without reading it where the
        book can tell: a book opened from its snapshot knows how many events it read, and which were voided."""
        self._log.ok()
        if self._log.in_memory or isinstance(seq, bool) or not isinstance(seq, int) or seq > self._log.count:
            return self.event(seq) is not None  # (beyond what it read: another writer's, read from the store)
        if seq < 1:
            return False
        fix = self._voids_and_fixes().get(seq)
        return fix is None or fix.body.replacement is not None  # type: ignore[attr-defined]

    def _voids_and_fixes(self) -> dict[int, Event]:
        """Each corrected or voided event's sequence -> its correction, read from the store once until the log moves."""
        if self._fixes is None or self._fixes[0] != self._log.count:
            self._fixes = (self._log.count, self.history().corrected_by())
        return self._fixes[1]

    def history(self) -> History:
        """The history read from the store as a stream (`book.history`): for work over the whole log that should
        not hold it (the OCF export)."""
        self._log.ok()
        return self._writer.history(self.slug)

    @property
    def log(self) -> tuple[Event, ...]:
        """The log as stored, in order of sequence: every event ever appended, corrected or not."""
        self._log.ok()
        return tuple(self._log.events)

    @property
    def count(self) -> int:
        """How many events the log holds as stored (the sequence of the last), as this book has read it."""
        self._log.ok()
        return self._log.count

    @property
    def actor(self) -> str | None:
        """Who the book's acts are recorded as done by, when an act names no actor of its own."""
        return self._writer.actor

    @property
    def name(self) -> str | None:
        return self._log.build.name

    @property
    def holders(self):
        """Every stakeholder ever added: id -> `core.replay.Holder`."""
        return MappingProxyType(dict(self._log.build.holders))

    @property
    def charter(self) -> Charter:
        return self._queries.charter

    def approvals(self) -> Approvals:
        """Every approval in the book (board and stockholder action, consents) resolved to its outcome."""
        return self._log.approvals()

    # --- writing -----------------------------------------------------------------------------------------

    record = _via("_writer", Writer.record)
    close = _via("_writer", Writer.close)

    @contextmanager
    def atomic(self) -> Iterator[Book]:
        """Record several acts as one: every `record` inside shares one transaction, and if the block
        raises (raise `Refused(result)` when an act is refused) none of them is written. A refused act writes
        nothing and leaves the block going; a block inside a block is a savepoint (if it raises, only its acts are
        undone). Every question asked inside (a cap table on a past date, `check`, `verify`, the documents) reads
        the block's own transaction, so its answers count the acts recorded so far; `checkpoint` is refused there.

            with book.atomic():
                r = book.board_act(...)
                if r.refused:
                    raise Refused(r)
                ...
        """
        with self._writer.atomic():
            yield self

    # --- the ledger's acts (`LedgerActs`) ----------------------------------------------------------------

    add_holder = _via("_ledger", LedgerActs.add_holder)
    change_holder = _via("_ledger", LedgerActs.change_holder)
    issue = _via("_ledger", LedgerActs.issue)
    transfer = _via("_ledger", LedgerActs.transfer)
    cancel = _via("_ledger", LedgerActs.cancel)
    repurchase = _via("_ledger", LedgerActs.repurchase)
    convert = _via("_ledger", LedgerActs.convert)
    split = _via("_ledger", LedgerActs.split)
    designate_series = _via("_ledger", LedgerActs.designate_series)
    certificates = _via("_ledger", LedgerActs.certificates)

    # --- the governance acts (`GovernanceActs`) ----------------------------------------------------------

    elect_directors = _via("_governance", GovernanceActs.elect_directors)
    remove_directors = _via("_governance", GovernanceActs.remove_directors)
    fix_board_size = _via("_governance", GovernanceActs.fix_board_size)
    appoint_officer = _via("_governance", GovernanceActs.appoint_officer)
    officer_leaves = _via("_governance", GovernanceActs.officer_leaves)
    board_act = _via("_governance", GovernanceActs.board_act)
    call_meeting = _via("_governance", GovernanceActs.call_meeting)
    send_notice = _via("_governance", GovernanceActs.send_notice)
    prepare_stockholder_list = _via("_governance", GovernanceActs.prepare_stockholder_list)
    hold_meeting = _via("_governance", GovernanceActs.hold_meeting)
    written_consent = _via("_governance", GovernanceActs.written_consent)
    send_consent_notice = _via("_governance", GovernanceActs.send_consent_notice)
    amend_bylaws = _via("_governance", GovernanceActs.amend_bylaws)
    file_amendment = _via("_governance", GovernanceActs.file_amendment)
    list_class = _via("_governance", GovernanceActs.list_class)

    # --- corrections (`Corrections`) ---------------------------------------------------------------------

    void = _via("_corrections", Corrections.void)
    correct = _via("_corrections", Corrections.correct)
    corrected_by = _via("_corrections", Corrections.corrected_by)

    # --- the matters of §§ 144, 220, 122(18), 147 and 266 (`MatterActs`) ------------------------------------

    record_transaction = _via("_matters", MatterActs.record_transaction)
    demand_books = _via("_matters", MatterActs.demand_books)
    books_due = _via("_matters", MatterActs.books_due)
    stockholder_agreement = _via("_matters", MatterActs.stockholder_agreement)
    approve_agreement = _via("_matters", MatterActs.approve_agreement)
    convert_corporation = _via("_matters", MatterActs.convert_corporation)
    converted = _via("_matters", MatterActs.converted)
    exculpation = _via("_matters", MatterActs.exculpation)

    # --- equity compensation and convertibles (`EquityActs`) ----------------------------------------------

    record_valuation = _via("_equity", EquityActs.record_valuation)
    adopt_plan = _via("_equity", EquityActs.adopt_plan)
    change_pool = _via("_equity", EquityActs.change_pool)
    define_vesting = _via("_equity", EquityActs.define_vesting)
    grant = _via("_equity", EquityActs.grant)
    exercise = _via("_equity", EquityActs.exercise)
    end_award = _via("_equity", EquityActs.end_award)
    reprice = _via("_equity", EquityActs.reprice)
    start_vesting = _via("_equity", EquityActs.start_vesting)
    vesting_event = _via("_equity", EquityActs.vesting_event)
    accelerate = _via("_equity", EquityActs.accelerate)
    end_service = _via("_equity", EquityActs.end_service)
    change_of_control = _via("_equity", EquityActs.change_of_control)
    issue_convertible = _via("_equity", EquityActs.issue_convertible)
    convert_convertible = _via("_equity", EquityActs.convert)
    close_round = _via("_equity", EquityActs.close_round)
    record_round = _via("_equity", EquityActs.record_round)
    awards = _via("_equity", EquityActs.awards)
    pro_forma = _via("_equity", EquityActs.pro_forma)

    # --- questions (`Queries`) ---------------------------------------------------------------------------

    state = _via("_queries", Queries.state)
    state_on = _via("_queries", Queries.state_on)
    cap_table = _via("_queries", Queries.cap_table)
    fully_diluted = _via("_queries", Queries.fully_diluted)
    directors = _via("_queries", Queries.directors)
    officers = _via("_queries", Queries.officers)
    board_size = _via("_queries", Queries.board_size)
    check = _via("_queries", Queries.check)
    timeline = _via("_queries", Queries.timeline)
    documents = _via("_queries", Queries.documents)
    hashes = _via("_queries", Queries.hashes)
    verify = _via("_queries", Queries.verify)
    rebuild = _via("_queries", Queries.rebuild)

    # --- a record a third party can verify (`Checkpoints`): the key, checkpoints, proofs --------------------

    public_key = _via("_signed", Checkpoints.public_key)
    key_file = _via("_signed", Checkpoints.key_file)
    create_key = _via("_signed", Checkpoints.create_key)
    checkpoint = _via("_signed", Checkpoints.checkpoint)
    checkpoints = _via("_signed", Checkpoints.checkpoints)
    stamps = _via("_signed", Checkpoints.stamps)
    proof = _via("_signed", Checkpoints.proof)
    document_proof = _via("_signed", Checkpoints.document_proof)
    consistency = _via("_signed", Checkpoints.consistency)
