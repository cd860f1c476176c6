"""What the book answers: the state and cap table on a date, the charter, the registers (directors, officers,
the board's size), every finding of the whole book (`check`), the stored documents and the chain's hashes,
and whether the book still proves itself (`verify`: in one snapshot, the schema's protections, its chain, its Merkle
tree, its documents, its projections; `rebuild` derives the projections again and writes the tree nodes it lacks).

Answers come from the log in memory (`Folded`) where it has them, else from the store: a cap table on a past
date reads the dated ledger projection (an index scan, not a replay). The store is read on the connection `reading`
gives: inside `Book.atomic()` the block's own, so that every answer sees the acts the block has recorded and not yet
committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import sqlalchemy as sa

from ..core import heap
from ..core.captable import CapTable, FullyDiluted, cap_table, fully_diluted
from ..core.charter import Charter
from ..core.events import CHARTER_TYPES, Event
from ..core.findings import Finding
from ..core.replay import State, freeze
from ..core.timeline import Timeline
from ..governance.audit import KEPT_TYPES, Audit, audit, known_ids
from ..store import db, integrity, log, projections, snapshots, tree
from ..store.schema import PROJECTIONS
from . import audit_snapshot, snapshot
from .checkpoints import problems as checkpoint_problems
from .folded import Folded
from .history import History
from .refused import from_documents as refused_items
from .timeline import StoredTimeline


class Verified(list):
    """What `verify` found: the problems, one line each ([] when all is well: it is a list of str), and `events`,
    how many events the log held in the snapshot verify read."""

    def __init__(self, problems: list[str], events: int):
        super().__init__(problems)
        self.events = events


Connect = Callable[[], AbstractContextManager[sa.Connection]]


class Queries:
    """The book's questions, answered from `book` (the log in memory) and the corporation's rows in the store, read on
    the connection `reading()` gives (default: a read snapshot of its own) and written, by `rebuild`, on `writing()`'s
    (default: a write transaction of its own)."""

    def __init__(
        self,
        engine: sa.Engine,
        corp_id: int,
        book: Folded,
        url: str = "",
        slug: str = "",
        reading: Connect | None = None,
        writing: Connect | None = None,
        kept: dict | None = None,
        in_block: Callable[[], bool] = lambda: False,
    ):
        self.engine, self.corp_id, self._book = engine, corp_id, book
        self._kept = kept  # the corrections the book's histories read (`History`)
        self.url, self.slug = url, slug  # where the book's key file is looked for (its snapshot's seal)
        self._reading: Connect = reading or (lambda: db.read(engine))
        self._writing: Connect = writing or (lambda: db.write(engine))
        # the last check's audit of the whole log, with the log's head (seq, hash) it read (`_audited`)
        self._audit: tuple[tuple[int, str | None], Audit] | None = None
        self._in_block = in_block  # whether an `atomic()` block is under way (its acts not committed)
        # the event the audit kept in the store ends at (`book.audit_snapshot`): None not yet looked for, -1 none or
        # not the kept one's
        self._stored_at: int | None = None

    # --- the ledger and the charter --------------------------------------------------------------------

    def state(self, as_of: date | None = None) -> State:
        """The ledger and charter on a date (all of the log when None): the fold's `state_at`. On or after the latest
        effective date it is the book's fold as it stands, copied (no event read: the fold is the replay of the whole
        log, which `verify` holds it to); before it, the log replayed up to the date. Kept until the log changes."""
        self._book.ok()
        return self._book.state_at(as_of or date.max)

    @property
    def charter(self) -> Charter:
        self._book.ok()
        return freeze(self._book.build, date.max).charter

    def cap_table(self, as_of: date | None = None) -> CapTable:
        """The cap table on a date: from the live state at the latest date, else from the dated ledger
        projection (an index scan, not a replay), with the charter in force then."""
        return cap_table(self.state_on(as_of))

    def fully_diluted(self, as_of: date | None = None) -> FullyDiluted:
        """The cap table on a date with every promise counted: outstanding stock (preferred as converted), options,
        RSUs and warrants outstanding, and the pools available (`core.captable.fully_diluted`). A past date reads
        the ledger projection and asks the folded equity about that date (its positions are dated): no replay."""
        on = as_of or max(self._book.last, date.min)
        return fully_diluted(self.state_on(as_of), on)

    def state_on(self, as_of: date | None = None) -> State:
        """The state the views need on a date: the live one at the latest date; before it, the holdings from the
        dated ledger projection, the charter in force then, and the whole fold's equity (whose answers are
        dated). Not a replay: the counters of the ledger fold (`applied`, certificates) are the latest. A view of the
        book's fold, to read before the book records more."""
        book = self._book
        book.ok()
        if as_of is None or not book.count or as_of >= book.last:
            return freeze(book.build, as_of or date.max, copy=False)
        with self._reading() as conn:
            pos = projections.positions_on(conn, self.corp_id, as_of.isoformat())
        live = freeze(book.build, as_of, copy=False)
        bal: dict = {}
        treasury: dict = {}
        issued: dict = {}  # treasury included
        holders: dict = {}
        known, in_treasury = live.holders, projections.TREASURY
        for (h, c, s), n in pos.items():  # one pass over the positions (10,000 on a large book)
            k = (c, s or None)
            issued[k] = issued.get(k, 0) + n
            if h == in_treasury:
                treasury[k] = n
                continue
            bal[(h, *k)] = n
            if h not in holders and h in known:
                holders[h] = known[h]
        for a in live.equity.awards.values():  # a holder of an award granted by then, holding no stock
            if a.granted_on <= as_of and a.holder_id not in holders and a.holder_id in known:
                holders[a.holder_id] = known[a.holder_id]
        return replace(
            live,
            balances=MappingProxyType(bal),
            issued=MappingProxyType(issued),
            treasury=MappingProxyType(treasury),
            holders=MappingProxyType(holders),
        )

    # --- the registers and the whole book's findings ---------------------------------------------------

    def directors(self, as_of: date | None = None):
        return self._book.record_at(as_of).directors_at()

    def officers(self, as_of: date | None = None):
        return self._book.record_at(as_of).officers_at()

    def board_size(self, as_of: date | None = None) -> int | None:
        return self._book.record_at(as_of).board_size

    def timeline(self) -> Timeline | StoredTimeline:
        """The history as the tax and the calendar read it (`core.timeline`): the held history, or for a book opened
        from its snapshot the store's answers (`book.timeline`), which never read the history into the book."""
        self._book.ok()
        stored = self._stored()
        if stored is None:
            return Timeline(self._book.history)
        return StoredTimeline(self._book, stored, self.state_on)

    def _stored(self) -> History | None:
        """The history to stream from the store for a book opened from its snapshot; None when the book holds it."""
        if self._book.in_memory:
            return None
        return History(self.engine, self.corp_id, self.slug, self._reading, self._kept)

    def check(self, as_of: date | None = None) -> list[Finding]:
        """Every finding of the whole book up to `as_of`: each event checked, as history, against the
        state before it (ledger and governance rules), then the book-wide rules (§228(e) notices …)."""
        self._book.ok()
        # a book opened from its snapshot: the history streamed from the store, never held; else the held history
        history = self._stored()
        some = (
            self._book.history if history is None else history.events(types=[t.TYPE for t in CHARTER_TYPES])
        )
        charter_events = [e for e in some if e.source is not None and isinstance(e.body, CHARTER_TYPES)]
        # the files the charter was read from: stored under their own names, or the names an import gave them
        read_from = {p for e in charter_events for p in (Path(e.source.path).name, e.source.path)}
        docs = [(r.name, r.content) for r in self.documents() if r.name in read_from]
        charter: list[Finding] = []
        if docs:
            # the reader's findings on the documents the book's charter versions came from (and their other
            # copies), file:line; the book's own rule restates the blank-check defect with its cures
            from ..ingest import read_texts  # the reader's patterns, compiled only when asked

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
        refused = refused_items(self.documents())  # what an import could not place (`book.refused`)
        if history is None:  # the history held (read whole since): an audit kept of it streamed is let go
            self._audit = None
            return refused + charter + audit(self._book.history, as_of or date.max, self._book.state_at)
        # a large book's findings pile up: the collector would walk them again and again
        with self._reading() as conn, heap.quiet():
            run = self._audited(conn, history, as_of)
            found = run.findings(as_of or date.max)
        self._keep(run)
        return refused + charter + found

    def _keep(self, run: Audit) -> None:
        """Store `run`, when it is the audit of the whole log this book keeps, for the next process's check
        (`book.audit_snapshot`): a new audit, or one that went on `EVERY` events past the one stored."""
        kept, at = self._audit, self._stored_at
        if kept is None or kept[1] is not run or at is None:
            return
        if (at < 0 or kept[0][0] - at >= audit_snapshot.EVERY) and audit_snapshot.keep(
            run, kept[0], self.engine, self.corp_id, self.url, self.slug
        ):
            self._stored_at = kept[0][0]

    def _audited(self, conn: sa.Connection, history: History, as_of: date | None) -> Audit:
        """The audit of the streamed history up to `as_of`, on `conn`'s snapshot of the log. The audit of the whole log
        is kept with the log's head (the book's first check takes the one kept in the store: `book.audit_snapshot`); a
        later check whose log has only grown since, by events it may simply go on with (`Audit.resumable`: dated after
        all it has read, none that the governance record keeps, no correction), feeds it those alone. Else the history
        is streamed twice: the acts the governance record keeps (few), then all. Inside `Book.atomic()` (the block's
        acts not committed) nothing is kept, and a kept audit is not fed."""
        head = log.head(conn, self.corp_id)
        kept, block = self._audit, self._in_block()
        if kept is None and not block and self._stored_at is None:
            # the book's first check: the audit kept in the store, if there is one it can trust
            kept = self._audit = audit_snapshot.restore(
                conn, self.corp_id, self.url, self.slug, self._book.state_at
            )
            self._stored_at = kept[0][0] if kept is not None else -1
        if kept is not None and kept[0] != head and not block:
            self._audit = None  # never left half fed
            kept = self._resumed(conn, kept, head)
            self._audit = kept
        if kept is not None and kept[0] == head:
            run = kept[1]
            if as_of is None or (run.last is not None and as_of >= run.last[0]):
                return run
        run = Audit(known_ids(history.events_in(conn, as_of, KEPT_TYPES)), self._book.state_at)
        run.feed(history.events_in(conn, as_of))
        if as_of is None and not block:
            self._audit = (head, run)
            self._stored_at = -1  # to be kept in the store
        return run

    def _resumed(self, conn: sa.Connection, kept: tuple, head: tuple[int, str | None]) -> tuple | None:
        """The kept audit fed the events appended since its head, if the log has only grown from there by events it
        may go on with; else None."""
        (at, at_hash), run = kept
        if at >= head[0] or snapshots.event_hash(conn, self.corp_id, at) != at_hash:
            return None
        new = list(log.stream(conn, self.corp_id, after_seq=at))
        if not run.resumable(new):
            return None
        run.feed(sorted(new, key=Event.sort_key))
        return head, run

    # --- the store: documents, the chain, the projections ----------------------------------------------

    def documents(self) -> list:
        """The corporation's stored documents in the order they were added: rows of (name, sha256, content)."""
        with self._reading() as conn:
            return log.documents_of(conn, self.corp_id)

    def hashes(self) -> dict[int, tuple[str, str]]:
        """Each event's hash and the hash before it, by sequence, as stored."""
        with self._reading() as conn:
            return log.hashes(conn, self.corp_id)

    def verify(self) -> Verified:
        """Everything the book vouches for, read in one snapshot (writers may go on appending meanwhile): the schema's
        protections, the hash chain and the corporation's row, the Merkle tree against the events, the log against its
        signed checkpoints (and the recorded key against the key file), the documents against their hashes and the
        hashes the log records, every projection row against the log, the fold kept for opening against a fold of
        the log, the audit kept for checking against an audit of the log. Each problem is a line naming what and
        where; [] when all is well. A damaged database file is a `DatabaseFileError`. Inside `Book.atomic()` it checks
        the block's transaction, the acts not yet committed included."""
        cid = self.corp_id
        with db.checking(self.engine, self.where, self._reading) as conn:
            if conn.info.get("write"):  # inside `Book.atomic()`: no other writer appends while we read
                log.lock_head(conn, cid)
            tables = set(sa.inspect(conn).get_table_names())
            found: list = integrity.verify_schema(conn)
            # the tree's leaves gathered by the chain's pass: the log read once for both
            leaves = tree.Leaves(conn, cid) if "merkle_nodes" in tables else None
            found += log.verify_chain(conn, cid, leaves.leaf if leaves else None)
            found += integrity.verify_corporation(conn, cid)
            if leaves is not None:
                found += [replace(p, place=p.place or "tree") for p in tree.verify_tree(conn, cid, leaves)]
            if "checkpoints" in tables:
                found += checkpoint_problems(conn, cid)  # the log held to its signed checkpoints
            if "documents" in tables:
                found += integrity.verify_documents(conn, cid)
            n = log.count(conn, cid)
            # the history streamed from the store, never held whole: a book of millions of events in bounded memory
            try:
                if {t.name for t in PROJECTIONS} <= tables:
                    found += [
                        f"projection: {p}" for p in projections.check(conn, cid, log.history(conn, cid))
                    ]

                def upto(seq: int, types: Sequence[str] | None = None) -> Iterator[Event]:
                    """The history of the log's first `seq` events (a snapshot's own), of `types` if given."""
                    return log.history(conn, cid, types=types, upto_seq=seq)

                if "fold_snapshots" in tables:
                    found += snapshot.check(conn, cid, upto, self.url, self.slug)
                if "audit_snapshots" in tables:
                    with heap.quiet():
                        found += audit_snapshot.check(
                            conn, cid, upto, self.url, self.slug, self._book.state_at
                        )
            except Exception as ex:  # noqa: BLE001 - a tampered payload may not load
                found.append(f"the log cannot be replayed: {ex}")
        return Verified([str(p) for p in found], n)

    @property
    def where(self) -> str:
        """The database, as messages name it: a SQLite file's path, else its URL without the password."""
        return db.display(self.engine.url.render_as_string(hide_password=True))

    def rebuild(self) -> None:
        """Derive the projections again from the log, and write the Merkle tree's nodes it lacks (a node that is
        stored is never replaced: one that disagrees with the events stays for `verify` to name)."""
        with self._writing() as conn:
            projections.rebuild(conn, self.corp_id, log.load(conn, self.corp_id))
            tree.fill(conn, self.corp_id)
            snapshots.clear(conn, self.corp_id)  # the next opening reads the log whole, and keeps a new one
            snapshots.clear(conn, self.corp_id, snapshots.AUDITS)  # the next check keeps its audit again
        self._stored_at = -1 if self._audit is not None else None
