"""Fold snapshots: opening a large book without reading its whole log.

A book opened by reading and folding its whole log (`folded.read`) of at least `FROM` events keeps what the fold
gave — the ledger and charter build, the governance record, the latest effective date — in the store
(`store.snapshots`), at the log's last event. The next opening takes that fold, checks it, and folds only the
events appended after it; the events themselves are read from the store the first time a view asks for them. A
snapshot is made again once `EVERY` events have been folded after it. A large import (`book.append`'s `HISTORY`
batch) keeps one from the start: its history check folds the events in a child process anyway, and sends back that
fold's ledger build (`build_of`) while the import folds the governance record beside it (`fold_of`), so the first
opening after an import reads no event either.

Trust. The fold is Python's pickle, which must never be read from bytes an attacker wrote: a snapshot is sealed with
an HMAC-SHA256 whose key is derived from the book's private signing key (`book.keys`, a 0600 file outside the
database), and is read only when the seal verifies. A copy of the database without the key file (an auditor's)
never reads its snapshot: it folds the whole log. A snapshot is also set aside when it was made by other fold code
(a hash of the modules that fold events), when the log no longer holds the event it ends at with the same hash,
when the events after it are not in date order, or when one of them is a correction (it changes the history behind
the snapshot). The log's corrections up to the snapshot are kept in it (the history it folds stands under them, and
the book knows them without reading its log). `verify` folds the log again and compares it with the snapshot;
`rebuild` drops it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization

from ..core import heap
from ..core import record as gov
from ..core.corrections import corrections_of
from ..core.errors import MinutebookError
from ..core.events import Correction, Event
from ..core.replay import _Build
from ..store import db, log, snapshots
from . import keys
from .folded import Folded, Names, readable

FROM = 10_000  # events: a smaller book is read whole (a few hundred milliseconds at most)
EVERY = 50_000  # events folded after a snapshot before it is made again

_FOLD_CODE = ("core/replay.py", "core/record.py", "core/equity.py", "core/events.py", "core/charter.py",
              "core/codec.py", "core/corrections.py", "core/vesting.py", "core/sources.py",
              "core/heap.py", "book/folded.py")  # fmt: skip


FORMAT = b"minutebook fold snapshot 4: build, then (record, last, names, corrections): two pickles"


def encode(build: _Build, record: gov.Record, last: date, names: Names, fixes: Fixes) -> bytes:
    """A fold's snapshot bytes: the ledger build pickled, then (record, last, names, fixes) pickled after it. Two
    pickles, so that an import's child pickles the build it folded while the import pickles the rest (`fold_of`).
    `fixes`: the log's corrections up to the snapshot (`corrections_of`), which its history stands under."""
    return _pickled(build) + _pickled((record, last, names, fixes))


def decode(data: bytes) -> tuple[_Build, gov.Record, date, Names, Fixes]:
    """(build, record, last, names, fixes) from `encode`'s bytes; ValueError when they are not that."""
    f = io.BytesIO(data)
    build = pickle.load(f)  # noqa: S301 - sealed snapshots only (`_trusted`), or a caller's own bytes
    record, last, names, fixes = pickle.load(f)  # noqa: S301
    if f.read(1):
        raise ValueError("bytes after the snapshot's two pickles")
    return build, record, last, names, fixes


Fixes = dict[int, Event]


def _pickled(obj) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def code_of(form: bytes, files: Iterable[str]) -> str:
    """A hash of a snapshot's format and of the package's modules (`files`, paths under it) whose code makes it: a
    snapshot made by other code is set aside."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(form)
    for rel in files:
        p = root / rel
        h.update(rel.encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") + b"\0")
    return h.hexdigest()


CODE = code_of(FORMAT, _FOLD_CODE)


def _key(url: str, slug: str) -> bytes | None:
    """The seal's key, from the book's private key; None when the key file is not here (or not readable)."""
    try:
        path = keys.key_path(url, slug)
        if path is None or not path.is_file():
            return None
        private = keys.read_private(path)
    except (keys.KeyFileError, OSError):
        return None
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return hashlib.sha256(b"minutebook fold snapshot\0" + raw).digest()


def _seal(key: bytes, seq: int, event_hash: str, code: str, data: bytes) -> str:
    return hmac.new(key, f"{seq}\n{event_hash}\n{code}\n".encode() + data, hashlib.sha256).hexdigest()


def sealed(
    conn: sa.Connection, corp_id: int, table: sa.Table, code: str, key: Callable[[], bytes | None]
) -> snapshots.Stored | None:
    """The corporation's row of the snapshots `table` (`store.snapshots`: the fold's, the audit's), when it was made by
    `code`, is sealed by `key()` (asked only then: the key file is read only for a snapshot there is), and ends at an
    event the log still holds with the same hash; else None."""
    s = snapshots.latest(conn, corp_id, table)
    if s is None or s.code != code:
        return None
    k = key()
    if k is None or not hmac.compare_digest(s.mac, _seal(k, s.seq, s.event_hash, s.code, s.data)):
        return None
    if snapshots.event_hash(conn, corp_id, s.seq) != s.event_hash:
        return None
    return s


def store_sealed(
    engine: sa.Engine,
    corp_id: int,
    table: sa.Table,
    code: str,
    key: bytes,
    seq: int,
    data: bytes,
    at: str | None = None,
) -> bool:
    """Keep `data`, made by `code` from the log's first `seq` events, as the corporation's row of `table`, sealed with
    `key`, in a short transaction of its own (`at`: the hash event `seq` must have); False when it was not kept: no
    such event, or a database that cannot be written now (read-only, locked, gone: the log stays the record)."""
    try:
        with db.write(engine) as conn:
            h = snapshots.event_hash(conn, corp_id, seq)
            if h is None or (at is not None and h != at):
                return False
            snapshots.save(
                conn, corp_id, snapshots.Stored(seq, h, code, _seal(key, seq, h, code, data), data), table
            )
    except (sa.exc.DBAPIError, MinutebookError, OSError):
        return False
    return True


def _trusted(conn: sa.Connection, corp_id: int, url: str, slug: str) -> tuple[snapshots.Stored, tuple] | None:
    """The stored snapshot and its fold (build, record, last), when it can be trusted (see the module)."""
    s = sealed(conn, corp_id, snapshots.FOLDS, CODE, lambda: _key(url, slug))
    if s is None:
        return None
    try:
        # hundreds of thousands of objects at once: the collector would walk them again and again
        with heap.quiet():
            fold_ = decode(s.data)  # sealed by the book's own key, checked above
    except Exception:  # noqa: BLE001 - a snapshot that does not read is not used
        return None
    return s, fold_


def restore(folded: Folded, reading, conn: sa.Connection, corp_id: int, url: str, slug: str) -> int | None:
    """Open `folded` from the book's snapshot and the events after it; how many events were folded after it, or
    None when there is no snapshot to trust (the caller reads the whole log). The events the snapshot stands for are
    read, when first asked for, on the connection `reading()` gives (a book's `atomic()` block, if one is under
    way)."""
    got = _trusted(conn, corp_id, url, slug)
    if got is None:
        return None
    s, (build, record, last, names, fixes) = got
    tail = readable(conn, corp_id, s.seq)
    if tail is None:
        return None  # a row after it no longer reads: read whole, which names it as any book read whole does
    on = last
    for e in tail:
        if isinstance(e.body, Correction) or e.effective_on < on:
            return None  # the history changes behind the snapshot: fold it all again
        on = e.effective_on

    def fetch(base: int) -> list[Event]:
        with reading() as c:
            return [e for e in log.load(c, corp_id) if e.seq <= base]

    def stream(on: date) -> Iterator[Event]:
        with reading() as c:
            yield from log.history(c, corp_id, on.isoformat())

    folded.restore(build, record, last, names, s.seq, fetch, stream, fixes)
    for e in tail:
        folded.add(e)
    return len(tail)


def keep(folded: Folded, engine: sa.Engine, corp_id: int, url: str, slug: str) -> bool:
    """Store `folded`'s fold as the book's snapshot (a book of `FROM` events or more whose key file is here), with the
    log's corrections; False when it was not kept. Its own short transaction; a database that cannot be written
    now (read-only, locked) keeps none: the next opening reads the log whole again."""
    if folded.count < FROM or folded.load_error:
        return False
    if _key(url, slug) is None:
        return False
    data = encode(folded.build, folded.record, folded.last, folded.names, folded.corrections())
    return keep_data(data, folded.count, engine, corp_id, url, slug)


def keep_data(data: bytes, seq: int, engine: sa.Engine, corp_id: int, url: str, slug: str) -> bool:
    """Store `data`, a fold of the log's first `seq` events as `keep` encodes it, as the book's snapshot (sealed with
    the book's key, which must be here); False when it was not kept."""
    key = _key(url, slug)
    return key is not None and store_sealed(engine, corp_id, snapshots.FOLDS, CODE, key, seq, data)


def build_of(build: _Build, n: int, seq: int) -> bytes | None:
    """The first part of the snapshot (`encode`) of a new book whose whole log is `n` events written after event `seq`
    (0), given `build`, the ledger build a fold of those events in their order ended with (the import's history check
    made it, in its child: `book.append`); None where the book's first opening would keep none or fold otherwise:
    fewer than `FROM` events, or a split's fractions (the build records them by the sequence, which the events do not
    carry yet). An equity pool's expiries that the check settled as it asked `Equity.available_at_least` are put back
    as a plain fold leaves them (`Equity.unsettled`): the opening's fold has none settled."""
    if not _new_and_large(n, seq) or build.fractions:
        return None
    equity = build.equity.unsettled()
    if equity is None:
        return None
    build.equity = equity
    build.last_seq = n
    return _pickled(build)


def fold_of(events: Sequence[Event], seq: int, stamp: str, build: Callable[[], bytes | None]) -> bytes | None:
    """The snapshot `keep` would store for a new book whose whole log is `events`, written after event `seq` (0) at
    `stamp`: the governance record, the latest date and the names folded here, while `build()` answers the ledger
    build's part (`build_of`, in the history check's child), asked for once they are; None where `build_of` gave none,
    or the log holds a correction or an event effective before the one ahead of it. The opening then finds the
    import's fold without reading the log (`verify` compares the two)."""
    rest = _rest(events, seq, stamp) if _new_and_large(len(events), seq) else None
    first = build()  # asked for in any case: the check's child waits to send it
    if rest is None or first is None:
        return None
    return first + rest


def _new_and_large(n: int, seq: int) -> bool:
    """Whether `n` events written after event `seq` are a new book's whole log, large enough to keep a snapshot of."""
    return n >= FROM and not seq


def _rest(events: Sequence[Event], seq: int, stamp: str) -> bytes | None:
    at = datetime.fromisoformat(stamp)
    record, names, last = gov.Record(), Names(), date.min
    for i, e in enumerate(events, seq + 1):
        if isinstance(e.body, Correction) or e.effective_on < last:
            return None
        last = e.effective_on
        if not isinstance(e.body, gov.NOT_KEPT):  # as `store.log.append` writes it: the record keeps these
            e = Event(e.body, e.effective_on, e.bound, e.actor, e.source, i, at)
        gov.apply(record, e)
        names.see(e)
    return _pickled((record, last, names, {}))


def check(
    conn: sa.Connection, corp_id: int, history: Callable[[int], Iterable[Event]], url: str, slug: str
) -> list[str]:
    """The snapshot against a fold of the log's events up to it ([] when there is none this machine can read: one
    whose seal it cannot check is never used). `history(seq)`: the history of the log's first `seq` events, streamed
    in effective order (`store.log.history`)."""
    got = _trusted(conn, corp_id, url, slug)
    if got is None:
        return []
    s, stored = got
    on = log.latest_on(conn, corp_id, s.seq)
    fresh = Folded.fold_of(history(s.seq), date.fromisoformat(on) if on else date.min)
    fixes = corrections_of(log.stream(conn, corp_id, types=(Correction.TYPE,), upto_seq=s.seq))
    if (*fresh, fixes) != tuple(stored):  # dataclasses, field by field
        return [f"snapshot: the fold kept at event {s.seq} is not the fold of the log's first {s.seq} events"]
    return []
