"""The event log: append with a hash chain, read back, verify.

Each event's hash is SHA-256 over a canonical serialisation (sorted keys, no spaces, UTF-8) of the
corporation's slug, the sequence, type, effective date and bound, recorded-at, actor, payload, source
and the previous event's hash. `append` is the only writer of events, and the book's append path
(`book.append`) its only caller; there is no update or delete.

The same bytes are the leaves of the corporation's Merkle tree (`core.merkle`, RFC 9162): event seq s is leaf
s - 1, its data the canonical bytes the chain hashes (`row_bytes`; `encode` gives them at append time, encoded
once). `append` writes, with the events, the tree's nodes they complete (`merkle_nodes`, append-only like the
events); `store.tree` reads them for proofs and checks them against the events. An append of one event keeps the
leaves of the last events, until their count reaches a multiple of `TAIL`, in the head row (`corporations.tree_tail`)
rather than in `merkle_nodes`: written with the head, which every append writes anyway, they cost no write to the
tree's table; they go there, with the nodes they complete, by the append that reaches the multiple (or by any append
of several events).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ..core import merkle
from ..core.corrections import corrections_of, fixed
from ..core.errors import InputError, MinutebookError
from ..core.events import Correction, Event, body_from_payload, made_fast
from ..core.heap import day
from ..core.sources import SourceRef
from . import marks, projections
from .db import BEGIN_AHEAD, fetch, scan, stream_rows
from .schema import ACTS_ONLY, BULK_TYPES, corporations, documents, events, merkle_nodes

GENESIS = "0" * 64


# the stdlib's encoder, made once (`json.dumps` with options builds a new one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_STRING = json.encoder.encode_basestring  # what `json.dumps(s, ensure_ascii=False)` gives for a str
_SORTED = orjson.OPT_SORT_KEYS


def canonical(obj) -> bytes:
    """The canonical JSON of a row or a body: keys sorted, no spaces, UTF-8 — `json.dumps(obj, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False).encode()`, byte for byte, written by orjson (about ten times quicker
    on a body). For the values a row holds (str, int, bool, None, lists, dicts with str keys; never a float: money
    and prices are Decimal strings) the two agree: both escape only the quote, the backslash and control
    characters, in the same forms, and sort keys by code point (tests/store/test_canonical.py). What orjson refuses
    (an int beyond 64 bits, a key that is not a str) goes to the stdlib's encoder, which also raises what it raised."""
    try:
        return orjson.dumps(obj, option=_SORTED)
    except orjson.JSONEncodeError:
        return _CANONICAL(obj).encode()


def _scalar(v) -> str:
    """`json.dumps(v, ensure_ascii=False)` for the row's scalars: None, a str or an int."""
    if v is None:
        return "null"
    if type(v) is str:
        return _STRING(v)
    if type(v) is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False)


def _source_json(s: SourceRef | None) -> dict | None:
    if s is None:
        return None
    out = {
        "document_id": s.document_id,
        "path": s.path,
        "start": s.start,
        "end": s.end,
        "line": s.line,
        "column": s.column,
        "text": s.text,
    }
    if s.sha256 is not None:  # only when known: the events written before it hash as they always did
        out["sha256"] = s.sha256
    return out


def _source_from(d: dict | None) -> SourceRef | None:
    return (
        None
        if d is None
        else SourceRef(
            d.get("document_id"),
            d["path"],
            d["start"],
            d["end"],
            d["line"],
            d["column"],
            d.get("text", ""),
            d.get("sha256"),
        )
    )


def row_hash(slug: str, row: dict, payload=None, source=None) -> str:
    """The hash a row should carry. A payload or source that is no longer JSON is hashed as its text, so a
    tampered row still gets a (non-matching) hash instead of an error."""
    return hashlib.sha256(row_bytes(slug, row, payload, source)).hexdigest()


def row_bytes(slug: str, row: dict, payload=None, source=None) -> bytes:
    """The canonical bytes of a stored row: what its chain hash and its Merkle leaf are computed over."""
    return canonical(
        {
            "corporation": slug,
            "seq": row["seq"],
            "type": row["type"],
            "effective_on": row["effective_on"],
            "bound": row["bound"],
            "recorded_at": row["recorded_at"],
            "actor": row["actor"],
            "payload": payload if payload is not None else _json_or_text(row["payload"]),
            "source": source
            if source is not None
            else (_json_or_text(row["source"]) if row["source"] else None),
            "prev_hash": row["prev_hash"],
        }
    )


def _json_or_text(s: str):
    try:
        return json.loads(s)
    except (TypeError, ValueError):
        return {"unreadable": s}


def to_row(e: Event, seq: int, recorded_at: str, prev_hash: str, slug: str) -> dict:
    return encode(e, seq, recorded_at, prev_hash, slug)[0]


def encode(
    e: Event, seq: int, recorded_at: str, prev_hash: str, slug: str, payload: str | None = None
) -> tuple[dict, bytes]:
    """The row an event is stored as (with its hash) and its canonical bytes (= `row_bytes` of the row), the JSON
    encoded once: the chain hashes the bytes, the Merkle tree takes them as the event's leaf. `payload` is the body's
    canonical JSON when already worked out (`payload_texts`)."""
    values, data = encoded(e, seq, recorded_at, prev_hash, slug, payload)
    return dict(zip(EVENT_COLUMNS[1:], values, strict=True)), data


def encoded(
    e: Event, seq: int, recorded_at: str, prev_hash: str, slug: str, payload: str | None = None
) -> tuple[tuple, bytes]:
    """`encode` as the append writes it: the row's values in the order of `EVENT_COLUMNS` after the corporation (no
    dict made per event: a large import writes hundreds of thousands), and its canonical bytes."""
    on = e.effective_on.isoformat()
    if payload is None:
        payload = canonical(e.body.to_payload()).decode()
    source = canonical(_source_json(e.source)).decode() if e.source else None
    typ, bound, actor = e.type, e.bound, e.actor
    data = _joined(slug, seq, typ, on, bound, recorded_at, actor, payload, source, prev_hash)
    return (
        seq,
        typ,
        on,
        bound,
        recorded_at,
        actor,
        payload,
        source,
        prev_hash,
        hashlib.sha256(data).hexdigest(),
    ), data


def payload_texts(new: Sequence[Event]) -> list[str]:
    """The canonical JSON of each event's body, as `encode` writes it: worked out ahead (beside the caller, for a
    large batch) and handed to `append` as its `texts`."""
    return [canonical(e.body.to_payload()).decode() for e in new]


def _spliced_hash(slug: str, row: dict) -> str:
    """`row_hash` of a row whose payload and source are already canonical JSON."""
    return hashlib.sha256(_spliced_bytes(slug, row)).hexdigest()


def _spliced_bytes(slug: str, row: dict) -> bytes:
    """`row_bytes` of a row whose payload and source are already canonical JSON: the same bytes `canonical` gives
    for the whole object (keys in order, no spaces), with the encoded payload and source spliced in, not encoded
    again."""
    r = row
    return _joined(
        slug, r["seq"], r["type"], r["effective_on"], r["bound"], r["recorded_at"], r["actor"], r["payload"],
        r["source"], r["prev_hash"],
    )  # fmt: skip


def _joined(slug, seq, typ, on, bound, recorded_at, actor, payload, source, prev_hash) -> bytes:
    """`_spliced_bytes` of the row's values, given one by one (keys in code-point order, as `canonical` sorts)."""
    j = _scalar
    return "".join(
        (
            '{"actor":',
            j(actor),
            ',"bound":',
            j(bound),
            ',"corporation":',
            j(slug),
            ',"effective_on":',
            j(on),
            ',"payload":',
            payload,
            ',"prev_hash":',
            j(prev_hash),
            ',"recorded_at":',
            j(recorded_at),
            ',"seq":',
            j(seq),
            ',"source":',
            source if source is not None else "null",
            ',"type":',
            j(typ),
            "}",
        )
    ).encode()


def from_row(row) -> Event:
    m = row._mapping if hasattr(row, "_mapping") else row
    return from_values(*(m[k] for k in _LOADED))


def from_values(seq, typ, on, bound, actor, payload, source, recorded_at) -> Event:
    """`from_row` of a row's columns in the order of `_LOADED`, as the driver gives them."""
    return _event(
        body_from_payload(typ, _loads(payload)),
        day(on),
        bound,
        actor,
        _source_from(_loads(source)) if source else None,
        seq,
        datetime.fromisoformat(recorded_at),
    )


_event = made_fast(Event)


def _loads(text: str):
    """A stored JSON text read: by `orjson`, three times as fast as `json`, unless it reads differently. It reads a
    whole number beyond 64 bits as a float (a log of ours holds no float: such a text is read again by `json`), and
    it refuses what `json` reads (NaN, a lone surrogate), which `json` then reads or refuses in its own words."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return json.loads(text) if _floats(value) else value


def _floats(value) -> bool:
    """Whether a float is anywhere in a JSON value."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return kind is float
    items = value.values() if kind is dict else value
    kinds = set(map(type, items))
    if float in kinds:
        return True
    return (dict in kinds or list in kinds) and any(_floats(v) for v in items if type(v) in _NESTED)


_NESTED = (dict, list)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def kept_stamp(e: Event) -> str:
    """The recorded-at an event keeps when appended again (`append(..., keep_recorded_at=True)`)."""
    return e.recorded_at.isoformat(timespec="microseconds")


_SET_HEAD = (
    corporations.update()
    .where(corporations.c.id == sa.bindparam("cid"))
    .values(head_seq=sa.bindparam("hs"), head_hash=sa.bindparam("hh"), tree_tail=sa.bindparam("tt"))
)
_SQLITE_SET_HEAD = "UPDATE corporations SET head_seq = ?, head_hash = ?, tree_tail = ? WHERE id = ?"
_INSERT_EVENTS = events.insert()
EVENT_COLUMNS = (
    "corporation_id",
    "seq",
    "type",
    "effective_on",
    "bound",
    "recorded_at",
    "actor",
    "payload",
    "source",
    "prev_hash",
    "hash",
)
_SQLITE_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
_SQLITE_INSERT_NODE = (
    "INSERT INTO merkle_nodes (corporation_id, seq, level, idx, hash) VALUES (?, ?, ?, ?, ?)"
)
_INSERT_NODES = merkle_nodes.insert()
_READ_NODE = "SELECT hash FROM merkle_nodes WHERE corporation_id = ? AND seq = ? AND level = ?"


class TreeError(MinutebookError):
    """The corporation's Merkle tree does not fit its log: a node an append needs is missing, or the tree already
    holds the leaf an append would write (the log was cut short behind minutebook's back). Nothing is written."""


def read_node(conn: sa.Connection, corp_id: int, cur=None) -> merkle.Node:
    """`node(level, index)`: the stored tree node, by a point read on its primary key straight from the driver (a
    round trip in a writer's lock on PostgreSQL); `TreeError` if absent. `cur`: on SQLite, the append's cursor."""

    def node(level: int, index: int) -> bytes:
        r = fetch(conn, _READ_NODE, (corp_id, (index + 1) << level, level), cur)
        if not r:
            raise TreeError(missing_node(level, index))
        return bytes(r[0][0])

    return node


def missing_node(level: int, index: int) -> str:
    first, last = index << level, ((index + 1) << level) - 1
    what = f"leaf {index} (event {index + 1})" if level == 0 else f"level {level} node {index}"
    return (
        f"the Merkle tree has no {what}, over events {first + 1}-{last + 1}: its nodes were deleted behind "
        "minutebook's back (verify names them)"
    )


def tree_rows(size: int, leaves: Sequence[bytes], node: merkle.Node) -> list[tuple[int, int, bytes]]:
    """The (level, index, hash) rows that `leaves` (leaf hashes) complete when appended in order to a tree of `size`
    leaves. A left sibling the batch itself completed is taken from the batch; older ones from `node`."""
    return merkle.levels_for_batch(size, leaves, node)


def new_corporation(conn: sa.Connection, slug: str, name: str, taken: str | None = None) -> int:
    """A new corporation with an empty chain; its id. `taken` is the error when the slug is in use."""
    if (
        taken is not None
        and conn.execute(sa.select(corporations.c.id).where(corporations.c.slug == slug)).first()
    ):
        raise InputError(taken)
    return conn.execute(
        corporations.insert().values(slug=slug, name=name, head_seq=0, head_hash=GENESIS)
    ).inserted_primary_key[0]


def add_documents(conn: sa.Connection, corp_id: int, docs: Iterable[tuple[str, str]]) -> None:
    """Store the corporation's source documents, (name, text), once each by their SHA-256."""
    rows: dict[str, dict] = {}
    for name, text in docs:
        sha = hashlib.sha256(text.encode()).hexdigest()
        rows.setdefault(sha, {"corporation_id": corp_id, "sha256": sha, "name": name, "content": text})
    if rows:
        conn.execute(documents.insert(), list(rows.values()))


def documents_of(conn: sa.Connection, corp_id: int) -> list:
    """The corporation's stored documents in the order they were added: rows of (name, sha256, content)."""
    return conn.execute(
        sa.select(documents.c.name, documents.c.sha256, documents.c.content)
        .where(documents.c.corporation_id == corp_id)
        .order_by(documents.c.id)
    ).all()


def document_names(conn: sa.Connection, corp_id: int) -> list[tuple[int, str]]:
    """(id, name) of the corporation's stored documents in the order they were added, without their text."""
    return [
        (r.id, r.name)
        for r in conn.execute(
            sa.select(documents.c.id, documents.c.name)
            .where(documents.c.corporation_id == corp_id)
            .order_by(documents.c.id)
        )
    ]


def document_text(conn: sa.Connection, corp_id: int, doc_id: int) -> str:
    """The text of the stored document `doc_id`."""
    return conn.execute(
        sa.select(documents.c.content).where(documents.c.corporation_id == corp_id, documents.c.id == doc_id)
    ).scalar_one()


def head(conn: sa.Connection, corp_id: int) -> tuple[int, str | None]:
    """The log's head as the corporation's row records it, without a lock: (its last event's sequence, that event's
    hash); (0, None) for an empty log."""
    rows = fetch(conn, _READ_HEAD, (corp_id,))
    return (int(rows[0][0] or 0), rows[0][1]) if rows else (0, None)


class Head(NamedTuple):
    """The chain head as `lock_head` reads it, locked."""

    seq: int
    hash: str
    slug: str
    # the tree's leaves kept in the head row (`TAIL`)
    tail: bytes | None
    # the last event whose leaf `merkle_nodes` holds (0 for none)
    stored: int
    # the latest position mark (day, checked_seq), None for none (`marks.wanted`)
    mark: tuple[str, int] | None
    # on PostgreSQL, when asked for: the rows of the events after a sequence, as `load` reads them
    later: list[tuple] | None = None


def lock_head(conn: sa.Connection, corp_id: int, after: int | None = None) -> Head:
    """The chain head, locked against other writers until the transaction ends (PostgreSQL: a row lock; SQLite: the
    write transaction already holds the database lock), with what an append reads beside it. `after`: a sequence the
    caller has read the log up to; on PostgreSQL the rows of the events since are read in the lock's round trip
    (`Head.later`, for `load`): a writer that finds other writers' acts there reads them without another round trip
    while it holds the lock."""
    # the hot path: straight to the driver, inside the same transaction
    if conn.dialect.name == "postgresql":  # one round trip: what follows is read once the lock is held
        pg = conn.connection.driver_connection
        with pg.cursor() as locked, pg.cursor() as beside, pg.cursor() as since:
            with pg.pipeline():  # its sync brings every answer back: read them after it
                begin = conn.info.pop(BEGIN_AHEAD, None)
                if begin:  # `db.begun`'s: the transaction begins here
                    beside.execute(begin)
                locked.execute(_PG_LOCK_HEAD, (corp_id,))
                # each statement below its own snapshot, taken once the lock is held (a subquery of the lock's own
                # statement would read the snapshot from before it waited for the lock)
                beside.execute(_PG_BESIDE_HEAD, {"c": corp_id})
                if after is not None:
                    since.execute(_PG_LOAD, (corp_id, after))
            ((seq, h, slug, tail),) = locked.fetchall()
            ((stored, day, checked),) = beside.fetchall()
            later = since.fetchall() if after is not None else None
    else:
        ((seq, h, slug, tail, stored, day, checked),) = fetch(conn, _LOCK_HEAD, (corp_id,))
        later = None
    return Head(
        seq, h or GENESIS, slug, tail, stored or 0, None if checked is None else (day, int(checked)), later
    )


_READ_HEAD = "SELECT head_seq, head_hash, slug FROM corporations WHERE id = ?"
_LAST_LEAF = "SELECT seq FROM merkle_nodes WHERE corporation_id = ? AND level = 0 ORDER BY seq DESC LIMIT 1"


def _beside_head(corp: str) -> str:
    """The columns an append reads beside the head, for the corporation `corp` (a column or a placeholder): the last
    event whose leaf `merkle_nodes` holds, and the latest position mark's day and looked-at sequence."""
    last_leaf = _LAST_LEAF.replace("?", corp)
    latest = [marks.LATEST_OF.format(col=c, corp=corp) for c in ("mark_on", "checked_seq")]
    return ", ".join([f"({last_leaf})", *latest])


_LOCK_HEAD = (  # the head, the tree's tail, and what `_beside_head` reads, in one statement
    f"SELECT head_seq, head_hash, slug, tree_tail, {_beside_head('corporations.id')} FROM corporations WHERE id = ?"
)
_PG_LOCK_HEAD = "SELECT head_seq, head_hash, slug, tree_tail FROM corporations WHERE id = %s FOR UPDATE"
_PG_BESIDE_HEAD = f"SELECT {_beside_head('%(c)s')}"  # in a statement after the lock's (`lock_head`)


def stored_size(conn: sa.Connection, corp_id: int) -> int:
    """One more than the tree's last leaf in `merkle_nodes`, the event it is the leaf of (0 when it has none): walking
    the key (corporation, seq, level) back from its end."""
    rows = fetch(conn, _LAST_LEAF, (corp_id,))
    return int(rows[0][0]) if rows else 0


TAIL = 16
"""An append of one event writes the tree's nodes only when the log's size reaches a multiple of `TAIL`; until then the
leaves after the last one `merkle_nodes` holds are kept, `HASH_SIZE` bytes each, in the head row's `tree_tail`. Each
append writes the head row; most no longer write to the tree's table as well (issue 18: a page of the write-ahead log
fewer for 15 appends in 16)."""


def tail_leaves(tail: bytes | None) -> list[bytes]:
    """The leaf hashes a head row's `tree_tail` holds, in order."""
    if not tail:
        return []
    tail = bytes(tail)
    return [tail[i : i + merkle.HASH_SIZE] for i in range(0, len(tail), merkle.HASH_SIZE)]


def append(
    conn: sa.Connection,
    corp_id: int,
    new: Sequence[Event],
    recorded_at: str | None = None,
    keep_recorded_at: bool = False,
    ledger=None,
    head: Head | None = None,
    texts: Sequence[tuple[int, Callable[[], Sequence[str] | None]]] = (),
    commit: bool = False,
) -> list[Event]:
    """Append `new` at the head of the corporation's chain, in one transaction with the projections.
    `head` is what `lock_head` gave the caller, who locked it in this transaction. `texts`: the
    bodies' JSON worked out ahead, in pieces (k, answer) in order of k, the last one's end `len(new)`: `answer()`
    gives `payload_texts(new[k:k2])` (or None: encoded here after all), k2 the next piece's k, asked for when the
    k-th event is reached. `commit`: the transaction writes nothing after this; on PostgreSQL the commit may then go
    with the writes (`_append_pg`; the driver's later commit finds nothing left to commit)."""
    seq, prev, slug, tail, stored, mark, _ = head or lock_head(conn, corp_id)
    size = seq  # the tree's size before: one leaf per event
    leaves = tail_leaves(tail)  # those after the last one stored, then the new ones
    if stored + len(leaves) != size:
        raise TreeError(_misfit(size, stored, len(leaves)))
    rows, out = [], []
    stamp = recorded_at or now()
    stamped = datetime.fromisoformat(stamp)
    leaf_hash = merkle.leaf_hash
    pieces = iter(texts)
    ahead_from, ahead = next(pieces, (len(new), None))
    given: Sequence[str] | None = None
    base = 0
    for i, e in enumerate(new):
        seq += 1
        at = kept_stamp(e) if keep_recorded_at and e.recorded_at else stamp
        while i == ahead_from and ahead is not None:  # (a piece may be empty: the next starts here too)
            given, base = ahead(), i  # None: not worked out ahead after all
            ahead_from, ahead = next(pieces, (len(new), None))
        values, data = encoded(e, seq, at, prev, slug, given[i - base] if given else None)
        prev = values[-1]
        rows.append((corp_id, *values))  # in the order of EVENT_COLUMNS
        leaves.append(leaf_hash(data))
        out.append(
            Event(
                e.body,
                e.effective_on,
                e.bound,
                e.actor,
                e.source,
                seq,
                stamped if at is stamp else datetime.fromisoformat(at),
            )
        )
    if rows:
        # the leaves stay in the head row (`TAIL`) unless this append reaches a multiple of it or writes several
        kept = leaves if len(rows) == 1 and seq % TAIL else []
        tail = b"".join(kept) or None
        if (
            conn.dialect.name == "sqlite"
        ):  # the hot path: straight to the driver, one cursor for every statement
            cur = conn.connection.driver_connection.cursor()
            nodes = [] if kept else tree_rows(stored, leaves, read_node(conn, corp_id, cur))
            cur.executemany(_SQLITE_INSERT_EVENT, rows)
            if nodes:
                try:
                    cur.executemany(
                        _SQLITE_INSERT_NODE, [(corp_id, (ix + 1) << lv, lv, ix, h) for lv, ix, h in nodes]
                    )
                except sqlite3.IntegrityError as ex:
                    raise TreeError(_tree_ahead(stored)) from ex
            cur.execute(_SQLITE_SET_HEAD, (seq, prev, tail, corp_id))
            projections.apply(conn, corp_id, out, ledger=ledger, cur=cur, latest=mark)
            return out
        nodes = [] if kept else tree_rows(stored, leaves, read_node(conn, corp_id))
        if conn.dialect.name == "postgresql":
            _append_pg(conn, corp_id, rows, nodes, (seq, prev, stored, tail, mark), out, ledger, commit)
            return out
        conn.execute(_INSERT_EVENTS, [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows])
        try:
            if nodes:
                conn.execute(
                    _INSERT_NODES,
                    [
                        {"corporation_id": corp_id, "seq": (ix + 1) << lv, "level": lv, "idx": ix, "hash": h}
                        for lv, ix, h in nodes
                    ],
                )
        except sa.exc.IntegrityError as ex:
            raise TreeError(_tree_ahead(stored)) from ex
        conn.execute(_SET_HEAD, {"cid": corp_id, "hs": seq, "hh": prev, "tt": tail})
        projections.apply(conn, corp_id, out, ledger=ledger, latest=mark)
    return out


_PG_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(EVENT_COLUMNS))})"
)
_PG_INSERT_NODE = (
    "INSERT INTO merkle_nodes (corporation_id, seq, level, idx, hash) VALUES (%s, %s, %s, %s, %s)"
)
_PG_SET_HEAD = "UPDATE corporations SET head_seq = %s, head_hash = %s, tree_tail = %s WHERE id = %s"


def _append_pg(
    conn: sa.Connection, corp_id: int, rows: list, nodes: list, head: tuple, out: list, ledger, commit: bool
) -> None:
    """The writes of an append on PostgreSQL in one round trip: the events, the tree's nodes, the new head and the
    projections, sent through psycopg's pipeline on the transaction's own connection (the first read a projection
    makes flushes them; a failed one fails the transaction, as it would statement by statement). `commit`: the
    transaction (`db.begun`'s) ends with them, in the same round trip, unless the position marks have more to write."""
    import psycopg

    seq, prev, size, tail, mark = head
    pg = conn.connection.driver_connection
    later: list = []  # the position marks' update: it reads what the pipeline wrote
    try:
        with pg.pipeline(), pg.cursor() as cur:
            cur.executemany(_PG_INSERT_EVENT, rows)
            if nodes:
                cur.executemany(
                    _PG_INSERT_NODE, [(corp_id, (ix + 1) << lv, lv, ix, h) for lv, ix, h in nodes]
                )
            cur.execute(_PG_SET_HEAD, (seq, prev, tail, corp_id))
            projections.apply(conn, corp_id, out, ledger=ledger, marks_later=later)
            # read with the head, unless an entry is back-dated behind it (that fetch flushes the pipeline)
            have = marks.wanted(conn, corp_id, later[0][1], latest=mark) if later else None
            done = commit and all(marks.still(have, mark_rows, last) for _, mark_rows, last in later)
            if done:  # skipped if a write above failed: the sync then raises its error
                cur.execute("COMMIT")
    except psycopg.errors.IntegrityError as ex:
        if getattr(ex.diag, "table_name", None) == "merkle_nodes":
            raise TreeError(_tree_ahead(size)) from ex
        raise sa.exc.IntegrityError(_PG_INSERT_EVENT, None, ex) from ex
    if not done:
        for cid, mark_rows, last in later:
            marks.update(conn, cid, mark_rows, last, have=have)


def _misfit(size: int, stored: int, kept: int) -> str:
    """The error of an append onto a tree that does not fit the log's `size`: it holds leaves through event `stored`
    and `kept` more in the head row."""
    if stored + kept > size:
        return _tree_ahead(size)
    return (
        f"the Merkle tree holds leaves for events 1-{stored + kept} but the log has {size}: its last nodes were "
        "deleted behind minutebook's back (verify names them); nothing written"
    )


def _tree_ahead(size: int) -> str:
    return (
        f"the Merkle tree already holds leaf {size} (event {size + 1}) but the log ends at event {size}: events were "
        "deleted from the end of the log behind minutebook's back (verify names it); nothing written"
    )


def load(
    conn: sa.Connection, corp_id: int, after_seq: int = 0, rows: list[tuple] | None = None
) -> list[Event]:
    """The corporation's events in order of sequence (those after `after_seq`), straight from the driver, as the cursor
    gives them (a book's first opening reads its whole log so; a writer that finds the log moved, inside its lock,
    the events since: `book.folded.catch_up`), or from their `rows` when `lock_head` has read them (`Head.later`). A
    TEXT value that is not UTF-8 fails as SQLite's driver fails."""
    return [from_values(*r) for r in (scan(conn, _LOAD, (corp_id, after_seq)) if rows is None else rows)]


_LOADED = ("seq", "type", "effective_on", "bound", "actor", "payload", "source", "recorded_at")
_LOAD = f"SELECT {', '.join(_LOADED)} FROM events WHERE corporation_id = ? AND seq > ? ORDER BY seq"
_PG_LOAD = _LOAD.replace("?", "%s")


def history(
    conn: sa.Connection,
    corp_id: int,
    until: str | None = None,
    types: Sequence[str] | None = None,
    upto_seq: int | None = None,
    only: Prefilter | None = None,
    fixes: dict[int, Event] | None = None,
) -> Iterator[Event]:
    """The history the log stands for, streamed in effective order (`core.corrections.corrected`, sorted as the fold
    reads it): each voided event left out, each corrected one replaced at its place (a replacement keeps the
    original's date); the corrections are read first (they are few). `until`, `types` and `only` as `stream` takes
    them (a corrected event is read whatever `only` says: its replacement may pass it); `upto_seq`: the history of
    the log's first events only, as it stood when event `upto_seq` was written. `fixes`: the corrections
    (`corrections_of`) when the caller has them for this snapshot of the log (not with `upto_seq`)."""
    if fixes is None or upto_seq is not None:
        fixes = corrections_of(stream(conn, corp_id, types=(Correction.TYPE,), upto_seq=upto_seq))
    if only is not None:  # too many corrected events to list in the query: no prefilter (the caller narrows)
        only = None if len(fixes) > NAMED_KEPT else replace(only, kept=tuple(fixes))
    yield from fixed(stream(conn, corp_id, until, types, upto_seq, only), fixes)


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What a stream of the log reads, beyond its dates and types, decided by the database on the stored text, so
    that a question about a few events of a large log does not decode the rest. It keeps a superset of what is
    asked: the caller still tells the events it wants apart.

    - `naming` (an id: a holder's): only the events whose body holds that string as a JSON string value, in any
      field (so those naming it, and perhaps a few holding the same string in another field);
    - `holding` (field names of the bodies): only the events whose body has a value, not null nor empty, in one of
      these top-level fields (a certificate number);
    - `unnamed` (types): events of these types pass whatever the two say (a split names no holder);
    - `kept` (sequences): so do these (`history`: the corrected events, whose replacements may pass)."""

    naming: str | None = None
    holding: tuple[str, ...] = ()
    unnamed: tuple[str, ...] = ()
    kept: tuple[int, ...] = ()

    def sqlite(self) -> tuple[str, list]:
        """The condition in SQLite's SQL (`?` placeholders), and its parameters."""
        tests, params = [], []
        if self.naming is not None:
            tests.append("instr(payload, ?) > 0")
            params.append(_named(self.naming))
        if self.holding:
            held = (f"coalesce(json_extract(payload, '$.{_field(f)}'), '') <> ''" for f in self.holding)
            tests.append(f"({' OR '.join(held)})")
        if not tests:
            return "1", []
        test = " AND ".join(tests)
        cond = f"({test} OR type IN ({_marks(self.unnamed)}) OR seq IN ({_marks(self.kept)}))"
        return cond, [*params, *self.unnamed, *self.kept]

    def clause(self):
        """The condition as SQLAlchemy's, on PostgreSQL (the text read as JSON)."""
        tests = []
        if self.naming is not None:
            tests.append(sa.func.strpos(events.c.payload, _named(self.naming)) > 0)
        if self.holding:
            doc = sa.cast(events.c.payload, JSONB)
            tests.append(sa.or_(*(sa.func.coalesce(doc[_field(f)].astext, "") != "" for f in self.holding)))
        if not tests:
            return sa.true()
        return sa.or_(
            sa.and_(*tests), events.c.type.in_(list(self.unnamed)), events.c.seq.in_(list(self.kept))
        )


def _field(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"not a field name: {name!r}")
    return name


NAMED_KEPT = (
    500  # corrected events a prefilter by name lists in its query; beyond, the history is read unfiltered
)


def dated(conn: sa.Connection, corp_id: int, types: Sequence[str]) -> list[tuple[str, int]]:
    """(effective date ISO, how many) of the log's events of `types` as stored, one row per date, in date order: how
    many events of a kind were effective by a date, counted by the database (no payload read, no row per event)."""
    return fetch(
        conn,
        f"SELECT effective_on, count(*) FROM events WHERE corporation_id = ? AND {_of_types(types)} "
        "GROUP BY effective_on ORDER BY effective_on",
        (corp_id, *types),
    )


def first_seqs(conn: sa.Connection, corp_id: int, types: Sequence[str], n: int) -> list[int]:
    """The sequences of the first `n` of the log's events of `types` as stored, in effective order."""
    rows = fetch(
        conn,
        f"SELECT seq FROM events WHERE corporation_id = ? AND {_of_types(types)} ORDER BY effective_on, seq LIMIT ?",
        (corp_id, *types, n),
    )
    return [int(r[0]) for r in rows]


def _of_types(types: Sequence[str]) -> str:
    """The condition that keeps the events of `types` (`?` placeholders, one per type). When none of them is a type
    recorded in bulk, it also repeats the condition of the index `ix_events_acts` (`schema.ACTS_ONLY`), word for word,
    so that the database reads those events through it rather than the whole log."""
    cond = f"type IN ({_marks(types)})"
    return f"{cond} AND {ACTS_ONLY}" if acts_only(types) else cond


def acts_only(types: Sequence[str]) -> bool:
    """Whether none of `types` is recorded in bulk (`schema.BULK_TYPES`): the index `ix_events_acts` holds them all."""
    return bool(types) and not _BULK.intersection(types)


_BULK = frozenset(BULK_TYPES)


def _marks(values: Sequence) -> str:
    return ", ".join("?" * len(values))


def _named(name: str) -> str:
    """`name` as a body's stored text holds it: a JSON string (`canonical`)."""
    return canonical(name).decode()


def latest_on(conn: sa.Connection, corp_id: int, upto_seq: int) -> str | None:
    """The latest effective date (ISO) of the log's first `upto_seq` events as stored, voided ones included."""
    rows = fetch(
        conn,
        "SELECT max(effective_on) FROM events WHERE corporation_id = ? AND seq <= ?",
        (corp_id, upto_seq),
    )
    return rows[0][0] if rows else None


def stream(
    conn: sa.Connection,
    corp_id: int,
    until: str | None = None,
    types: Sequence[str] | None = None,
    upto_seq: int | None = None,
    only: Prefilter | None = None,
    after_seq: int = 0,
) -> Iterator[Event]:
    """The corporation's events in effective order (effective date, then sequence), read in batches from the
    cursor, never the whole log at once: those effective on or before `until` (ISO date), of `types` if given, of
    sequence `upto_seq` or before if given, after `after_seq` (read on the log's own index), and those `only` keeps
    if given (`Prefilter`).

    On SQLite, straight from the driver and without sorting the rows: the sequences are sorted first (a few bytes
    each), then each stretch of consecutive sequences is read in sequence order through the log's own index. A log
    recorded mostly in date order, as most are, is read in a few such stretches; where there would be many (a
    history entered far out of date order), SQLite sorts the rows instead."""
    if conn.dialect.name != "sqlite":
        q = sa.select(events).where(events.c.corporation_id == corp_id, events.c.seq > after_seq)
        if until is not None:
            q = q.where(events.c.effective_on <= until)
        if types is not None:
            q = q.where(events.c.type.in_(list(types)))
            if acts_only(types):  # the partial index's own condition, for the planner to prove it
                q = q.where(sa.text(ACTS_ONLY))
        if upto_seq is not None:
            q = q.where(events.c.seq <= upto_seq)
        if only is not None:
            q = q.where(only.clause())
        q = q.order_by(events.c.effective_on, events.c.seq)
        for r in conn.execute(q, execution_options={"yield_per": _BATCH}):
            yield from_row(r)
        return
    where, params = "corporation_id = ? AND seq > ?", [corp_id, after_seq]
    if until is not None:
        where, params = where + " AND effective_on <= ?", [*params, until]
    if types is not None:
        where, params = f"{where} AND {_of_types(types)}", [*params, *types]
    if upto_seq is not None:
        where, params = where + " AND seq <= ?", [*params, upto_seq]
    if only is not None:
        cond, more = only.sqlite()
        where, params = f"{where} AND {cond}", [*params, *more]
    raw = conn.connection.driver_connection
    ordered = f"FROM events WHERE {where} ORDER BY effective_on, seq"
    order = array("q", (r[0] for r in raw.execute(f"SELECT seq {ordered}", params)))
    cols = ", ".join(_LOADED)
    runs = _runs(order)
    if not _in_stretches(len(order), len(runs)):
        yield from _decoded(raw.execute(f"SELECT {cols} {ordered}", params))
        return
    sql = f"SELECT {cols} FROM events WHERE corporation_id = ? AND seq >= ? AND seq <= ? ORDER BY seq"
    for lo, hi in runs:
        yield from _decoded(raw.execute(sql, (corp_id, lo, hi)))


def _decoded(cursor) -> Iterator[Event]:
    """The cursor's rows as events, decoded `_BATCH` at a time: a consumer that does much with each event (the
    whole book's check of a million events: 38 s, not 48) goes faster than with each row decoded as it asks, the
    decoding's work and its own each staying in the processor's caches for a batch."""
    while rows := cursor.fetchmany(_BATCH):
        yield from [from_values(*r) for r in rows]


def _runs(seqs: Iterable[int]) -> list[tuple[int, int]]:
    """The stretches of consecutive numbers in `seqs`, in its order, as (first, last)."""
    it = iter(seqs)
    lo = prev = next(it, None)
    if lo is None:
        return []
    runs: list[tuple[int, int]] = []
    for s in it:
        if s != prev + 1:
            runs.append((lo, prev))
            lo = s
        prev = s
    runs.append((lo, prev))
    return runs


def _in_stretches(n: int, runs: int) -> bool:
    """Whether `n` events in `runs` stretches are read stretch by stretch: unless the stretches are many and short
    (64 events on average), where one query that SQLite sorts costs less than a query per stretch."""
    return runs <= 16 + n // 64


_BATCH = 4096


def latest_first(conn: sa.Connection, corp_id: int) -> Iterator[tuple[int, str, str]]:
    """(seq, type, effective date) of the corporation's events, the latest effective first."""
    q = (
        sa.select(events.c.seq, events.c.type, events.c.effective_on)
        .where(events.c.corporation_id == corp_id)
        .order_by(events.c.effective_on.desc(), events.c.seq.desc())
    )
    yield from conn.execute(q, execution_options={"yield_per": _BATCH})


def count(conn: sa.Connection, corp_id: int) -> int:
    """How many events the corporation's log holds."""
    q = sa.select(sa.func.count()).select_from(events).where(events.c.corporation_id == corp_id)
    return conn.execute(q).scalar_one()


def recorded(
    conn: sa.Connection, corp_id: int, first: int = 1, last: int | None = None
) -> Iterator[tuple[Event, str, str]]:
    """(event, hash, previous hash) of the corporation's stored events numbered `first` to `last` (to the end when
    None), in order of sequence, read in batches from the cursor: the log as stored, a page of it or all of it, without
    holding it in memory (`minutebook log` on a book of a million events)."""
    sql = f"SELECT {', '.join(_LOADED)}, hash, prev_hash FROM events WHERE corporation_id = ? AND seq >= ?"
    params: tuple = (corp_id, first)
    if last is not None:
        sql, params = sql + " AND seq <= ?", (*params, last)
    for r in stream_rows(conn, sql + " ORDER BY seq", params):
        yield from_values(*r[:-2]), r[-2], r[-1]


def hashes(conn: sa.Connection, corp_id: int) -> dict[int, tuple[str, str]]:
    """Each stored event's (hash, previous hash), by sequence."""
    q = sa.select(events.c.seq, events.c.hash, events.c.prev_hash).where(events.c.corporation_id == corp_id)
    return {r.seq: (r.hash, r.prev_hash) for r in conn.execute(q)}


@dataclass(frozen=True, slots=True)
class Problem:
    """Something `verify` found: what, and where — an event (`seq`), or else a place (a table and row, a schema
    object, "tree", "document 'x'"); `str()` is the line the book reports."""

    seq: int | None
    what: str
    place: str | None = None

    def __str__(self) -> str:
        if self.seq is not None:
            return f"event {self.seq}: {self.what}"
        return f"{self.place}: {self.what}" if self.place else self.what


def verify_chain(
    conn: sa.Connection, corp_id: int, leaf: Callable[[int, bytes], None] | None = None
) -> list[Problem]:
    """Re-hash the chain: every edited, deleted, inserted or reordered event is named. `leaf(seq, data)` is given each
    row's canonical bytes as the pass reads it (the Merkle tree's leaves: `tree.Leaves`, so that `verify` reads the
    log once for both)."""
    corp = conn.execute(sa.select(corporations).where(corporations.c.id == corp_id)).one()
    q = sa.select(events).where(events.c.corporation_id == corp_id).order_by(events.c.seq, events.c.id)
    problems: list[Problem] = []
    prev = GENESIS
    expected = 1
    last_id, reordered, last, count = None, False, None, 0
    beyond: list[int] = []
    for row in conn.execute(
        q, execution_options={"yield_per": _BATCH}
    ):  # streamed: a log of millions of events
        r = row._mapping
        count += 1
        reordered = reordered or (last_id is not None and r["id"] < last_id)
        last_id = r["id"]
        if r["seq"] != expected:
            if r["seq"] > expected:
                missing = ", ".join(str(s) for s in range(expected, r["seq"]))
                problems.append(Problem(expected, f"event(s) {missing} missing: deleted from the log"))
            else:
                problems.append(
                    Problem(
                        r["seq"],
                        f"sequence {r['seq']} appears again after {expected - 1}: inserted or reordered",
                    )
                )
        if r["prev_hash"] != prev:
            problems.append(
                Problem(
                    r["seq"],
                    "its previous-hash does not match the event before it: an event "
                    "before it was changed, deleted or inserted",
                )
            )
        data = row_bytes(corp.slug, r)
        if leaf is not None:
            leaf(r["seq"], data)
        h = hashlib.sha256(data).hexdigest()
        if h != r["hash"]:
            diff = _what_changed(r)
            problems.append(Problem(r["seq"], f"its content no longer matches its hash: edited{diff}"))
        prev = r["hash"]
        expected = max(expected, r["seq"]) + 1
        if r["seq"] > corp.head_seq:
            beyond.append(r["seq"])
        last = (r["seq"], r["hash"])
    if reordered:
        problems.insert(
            0, Problem(None, "events are stored out of their order of appending (rows reordered)")
        )
    for s in beyond:
        problems.append(
            Problem(
                s, f"it lies beyond the chain head (event {corp.head_seq}): inserted behind minutebook's back"
            )
        )
    if beyond:
        problems.append(
            Problem(
                corp.head_seq,
                f"the chain head records event {corp.head_seq} but the log goes on to {beyond[-1]}: the head was "
                "edited, or events were inserted after it",
            )
        )
    if last is not None and not beyond and (corp.head_seq != last[0] or corp.head_hash != last[1]):
        problems.append(
            Problem(
                corp.head_seq,
                f"the chain head records event {corp.head_seq} but the log ends "
                f"at {last[0]}: events after it were deleted, or the head was edited",
            )
        )
    if not count and corp.head_seq:
        problems.append(Problem(corp.head_seq, "the log is empty but the chain head records events"))
    return problems


def _what_changed(r) -> str:
    try:
        e = from_row(r)
        body_from_payload(e.type, e.body.to_payload())
    except Exception as ex:  # noqa: BLE001 - a tampered row may be anything
        return f" (the payload no longer reads as a {r['type']}: {ex})"
    return f" ({r['type']} effective {r['effective_on']})"
