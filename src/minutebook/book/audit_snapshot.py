"""Audit snapshots: a large book's check, in a new process, without auditing its whole log again.

A book opened from its fold snapshot (`book.snapshot`) checks its history as it streams from the store
(`governance.audit.Audit`), and keeps that audit while it is open (`Queries.check`). The audit of the whole log is also
kept in the store (`store.snapshots`, table `audit_snapshots`), at the log's last event, so that the next process's
check takes it and audits only the events appended after it — when the audit may go on with them
(`Audit.resumable`: dated after all it read and every date it asked the book's state about, none that the governance
record keeps, no correction); else it audits the whole log, and keeps that. A check that went on keeps a new snapshot
once `EVERY` events have been audited after the stored one.

What is kept is the audit's findings and where it stood (its ledger build and governance record, the ids the record
knew, the dates it asked about, the last event), pickled and compressed (a million events' check holds half a million
findings: ~270 MB pickled, ~13 MB compressed).

Trust, as for the fold: the bytes are pickle, read only under an HMAC-SHA256 seal keyed from the book's private key
(a 0600 file outside the database, `book.keys`); a copy of the database without the key never reads them. A snapshot
is also set aside when it was made by other code (a hash of the modules that check and fold events: every module of
`core`, `law` and `governance`), or when the log no longer holds the event it ends at with the same hash. `verify`
audits the log's first events again and compares, when the snapshot is one a check would go on from (the findings
counted, not held: `Tally`); `rebuild` drops it.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ..core import heap
from ..core.events import Event
from ..governance.audit import KEPT_TYPES, Audit, Tally, in_order, known_ids
from ..store import log, snapshots
from . import snapshot

EVERY = 50_000  # events audited after the stored snapshot before a check that went on keeps a new one

FORMAT = (
    b"minutebook audit snapshot 1: zlib of pickles: (build, record, later, horizon, last, n), then n findings"
)

# every module an audit's findings may come from: the rules, what they read (the core), how a check runs them, and
# the fold whose states they ask about; any change to them sets the stored audits aside
_CODE_DIRS = ("core", "law", "governance")
_CODE = snapshot._FOLD_CODE


def _modules() -> list[str]:
    root = Path(__file__).resolve().parents[1]
    found = (str(p.relative_to(root)) for d in _CODE_DIRS for p in (root / d).rglob("*.py"))
    return sorted({*_CODE, *found})


CODE = snapshot.code_of(FORMAT, _modules())


def _key(url: str, slug: str) -> bytes | None:
    """The seal's key, from the book's private key (its own, not the fold's); None when the key file is not here."""
    fold = snapshot._key(url, slug)
    return None if fold is None else hashlib.sha256(b"minutebook audit snapshot\0" + fold).digest()


class _Deflating(io.RawIOBase):
    """A file that compresses what is written to it: the pickles streamed into zlib, never held whole."""

    def __init__(self) -> None:
        self._z = zlib.compressobj(1)
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.parts.append(self._z.compress(b))
        return len(b)

    def data(self) -> bytes:
        self.parts.append(self._z.flush())
        return b"".join(self.parts)


class _Inflating(io.RawIOBase):
    """A file that reads `data` decompressed, a piece at a time."""

    def __init__(self, data: bytes) -> None:
        self._z = zlib.decompressobj()
        self._data, self._at, self._out = data, 0, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._out and (self._at < len(self._data) or self._z.unconsumed_tail):
            piece = self._z.unconsumed_tail or self._data[self._at : self._at + _PIECE]
            if not self._z.unconsumed_tail:
                self._at += len(piece)
            self._out = self._z.decompress(piece, _PIECE)
        n = min(len(b), len(self._out))
        b[:n] = self._out[:n]
        self._out = self._out[n:]
        return n


_PIECE = 1 << 20
_CHUNK = 20_000  # findings per pickle: each pickler's memo of what it wrote stays small


def encode(run: Audit) -> bytes:
    """The audit's saved state (`Audit.saved`): its state pickled, then its findings, `_CHUNK` to a pickle (one pickle
    of half a million findings would remember each of them while it writes), all through zlib."""
    *state, found = run.saved()
    out = _Deflating()
    with heap.quiet():
        pickle.dump((*state, len(found)), out, protocol=pickle.HIGHEST_PROTOCOL)
        for i in range(0, len(found), _CHUNK):
            pickle.dump(found[i : i + _CHUNK], out, protocol=pickle.HIGHEST_PROTOCOL)
    return out.data()


def _read(data: bytes) -> Iterator:
    """`encode`'s pickles read back one at a time: (build, record, later, horizon, last, n), then the findings, a list
    of at most `_CHUNK` at a time, `n` in all; ValueError (or another error) where the bytes are not that."""
    f = io.BufferedReader(_Inflating(data), _PIECE)
    *state, n = pickle.load(f)  # noqa: S301 - sealed snapshots only (`_trusted`)
    yield state
    got = 0
    while got < n:
        chunk = pickle.load(f)  # noqa: S301
        got += len(chunk)
        yield chunk
    if got != n or f.read(1):
        raise ValueError("not an audit snapshot")


def decode(data: bytes, state_at: Callable[[date], object]) -> Audit:
    """The audit `encode` kept, asking `state_at` from here on; ValueError (or another error) when the bytes are not
    that."""
    with heap.quiet():
        parts = _read(data)
        state = next(parts)
        found: list = []
        for chunk in parts:
            found += chunk
    return Audit.restored((*state, found), state_at)


def _trusted(conn: sa.Connection, corp_id: int, url: str, slug: str) -> snapshots.Stored | None:
    return snapshot.sealed(conn, corp_id, snapshots.AUDITS, CODE, lambda: _key(url, slug))


def restore(
    conn: sa.Connection, corp_id: int, url: str, slug: str, state_at: Callable[[date], object]
) -> tuple[tuple[int, str], Audit] | None:
    """The audit kept in the store, with the log's head it ends at (seq, hash), when it can be trusted; else None."""
    s = _trusted(conn, corp_id, url, slug)
    if s is None:
        return None
    try:
        return (s.seq, s.event_hash), decode(s.data, state_at)
    except Exception:  # noqa: BLE001 - a snapshot that does not read is not used
        return None


def keep(
    run: Audit, head: tuple[int, str | None], engine: sa.Engine, corp_id: int, url: str, slug: str
) -> bool:
    """Store `run`, the audit of the log up to `head`, as the book's audit snapshot (its own short transaction);
    False when it was not kept: no key file here, a log that moved on, a database that cannot be written now."""
    seq, event_hash = head
    key = _key(url, slug)
    if key is None or not seq or event_hash is None:
        return False
    data = encode(run)
    return snapshot.store_sealed(engine, corp_id, snapshots.AUDITS, CODE, key, seq, data, at=event_hash)


def check(
    conn: sa.Connection,
    corp_id: int,
    history: Callable[[int, Sequence[str] | None], Iterable[Event]],
    url: str,
    slug: str,
    state_at: Callable[[date], object],
) -> list[str]:
    """The stored audit against an audit of the log's events up to it, when a check would go on from it (trusted and
    readable, and the events after it ones it may go on with); [] otherwise. `history(seq, types)`: the history of the
    log's first `seq` events (of `types`, all when None), streamed in effective order. Neither audit's findings are
    held: the new audit counts its own (`Tally`), the stored ones are read a chunk at a time, counted the same way and
    held to their order."""
    s = _trusted(conn, corp_id, url, slug)
    if s is None:
        return []
    try:
        parts = _read(s.data)
        state = tuple(next(parts))
        stored = Audit.restored((*state, []), state_at)
    except Exception:  # noqa: BLE001 - a snapshot that does not read is not used
        return []
    if not stored.resumable(list(log.stream(conn, corp_id, after_seq=s.seq))):
        return []
    fresh = Audit(known_ids(history(s.seq, KEPT_TYPES)), state_at, Tally())
    fresh.feed(history(s.seq, None))
    kept = Tally()
    try:
        for chunk in parts:
            kept.add(in_order(chunk))
    except Exception:  # noqa: BLE001 - findings out of order, or bytes that stop reading: not the log's audit
        kept = None
    if kept is None or state != fresh.saved()[:5] or kept != fresh.tally:
        seq = s.seq
        return [
            f"audit snapshot: the audit kept at event {seq} is not the audit of the log's first {seq} events"
        ]
    return []
