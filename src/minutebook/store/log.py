"""The event log: append with a hash chain, read back, verify.

Each event's hash is SHA-256 over a canonical serialisation (sorted keys, no spaces, UTF-8) of the
corporation's slug, the sequence, type, effective date and bound, recorded-at, actor, payload, source
and the previous event's hash. `append` is the only writer of events, and the book's append path
(`book.append`) its only caller; there is no update or delete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from ..core.errors import InputError
from ..core.events import Event, body_from_payload
from ..core.sources import SourceRef
from . import projections
from .schema import corporations, documents, events

GENESIS = "0" * 64


# one encoder for every row (`json.dumps` with options builds a new one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_STRING = json.encoder.encode_basestring  # what `json.dumps(s, ensure_ascii=False)` gives for a str


def canonical(obj) -> bytes:
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
    return {
        "document_id": s.document_id,
        "path": s.path,
        "start": s.start,
        "end": s.end,
        "line": s.line,
        "column": s.column,
        "text": s.text,
    }


def _source_from(d: dict | None) -> SourceRef | None:
    return (
        None
        if d is None
        else SourceRef(
            d.get("document_id"), d["path"], d["start"], d["end"], d["line"], d["column"], d.get("text", "")
        )
    )


def row_hash(slug: str, row: dict, payload=None, source=None) -> str:
    """The hash a row should carry. A payload or source that is no longer JSON is hashed as its text, so a
    tampered row still gets a (non-matching) hash instead of an error."""
    return hashlib.sha256(
        canonical(
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
    ).hexdigest()


def _json_or_text(s: str):
    try:
        return json.loads(s)
    except (TypeError, ValueError):
        return {"unreadable": s}


def to_row(e: Event, seq: int, recorded_at: str, prev_hash: str, slug: str) -> dict:
    row = {
        "seq": seq,
        "type": e.type,
        "effective_on": e.effective_on.isoformat(),
        "bound": e.bound,
        "recorded_at": recorded_at,
        "actor": e.actor,
        "payload": canonical(e.body.to_payload()).decode(),
        "source": canonical(_source_json(e.source)).decode() if e.source else None,
        "prev_hash": prev_hash,
    }
    row["hash"] = _spliced_hash(slug, row)  # = row_hash(slug, row, payload, source), the JSON encoded once
    return row


def _spliced_hash(slug: str, row: dict) -> str:
    """`row_hash` of a row whose payload and source are already canonical JSON: the same bytes `canonical` gives for
    the whole object (keys in order, no spaces), with the encoded payload and source spliced in, not encoded again."""
    j = _scalar
    text = "".join(
        (
            '{"actor":',
            j(row["actor"]),
            ',"bound":',
            j(row["bound"]),
            ',"corporation":',
            j(slug),
            ',"effective_on":',
            j(row["effective_on"]),
            ',"payload":',
            row["payload"],
            ',"prev_hash":',
            j(row["prev_hash"]),
            ',"recorded_at":',
            j(row["recorded_at"]),
            ',"seq":',
            j(row["seq"]),
            ',"source":',
            row["source"] if row["source"] is not None else "null",
            ',"type":',
            j(row["type"]),
            "}",
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def from_row(row) -> Event:
    m = row._mapping if hasattr(row, "_mapping") else row
    return Event(
        body=body_from_payload(m["type"], json.loads(m["payload"])),
        effective_on=date.fromisoformat(m["effective_on"]),
        bound=m["bound"],
        actor=m["actor"],
        source=_source_from(json.loads(m["source"])) if m["source"] else None,
        seq=m["seq"],
        recorded_at=datetime.fromisoformat(m["recorded_at"]),
    )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def kept_stamp(e: Event) -> str:
    """The recorded-at an event keeps when appended again (`append(..., keep_recorded_at=True)`)."""
    return e.recorded_at.isoformat(timespec="microseconds")


_HEAD = sa.select(corporations.c.head_seq, corporations.c.head_hash, corporations.c.slug).where(
    corporations.c.id == sa.bindparam("cid")
)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_SET_HEAD = (
    corporations.update()
    .where(corporations.c.id == sa.bindparam("cid"))
    .values(head_seq=sa.bindparam("hs"), head_hash=sa.bindparam("hh"))
)
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


def lock_head(conn: sa.Connection, corp_id: int) -> tuple[int, str, str]:
    """The chain head (seq, hash) and slug, locked against other writers until the transaction ends
    (PostgreSQL: a row lock; SQLite: the write transaction already holds the database lock)."""
    if conn.dialect.name == "sqlite":  # the hot path: straight to the driver, inside the same transaction
        cur = conn.connection.driver_connection.cursor()
        seq, h, slug = cur.execute(
            "SELECT head_seq, head_hash, slug FROM corporations WHERE id = ?", (corp_id,)
        ).fetchone()
        return seq, h or GENESIS, slug
    q = _HEAD_FOR_UPDATE if conn.dialect.name == "postgresql" else _HEAD
    head = conn.execute(q, {"cid": corp_id}).one()
    return head.head_seq, head.head_hash or GENESIS, head.slug


def append(
    conn: sa.Connection,
    corp_id: int,
    new: Sequence[Event],
    recorded_at: str | None = None,
    keep_recorded_at: bool = False,
    ledger=None,
    head: tuple[int, str, str] | None = None,
) -> list[Event]:
    """Append `new` at the head of the corporation's chain, in one transaction with the projections.
    `head` is the (seq, hash, slug) the caller already locked with `lock_head` in this transaction."""
    seq, prev, slug = head or lock_head(conn, corp_id)
    rows, out = [], []
    stamp = recorded_at or now()
    for e in new:
        seq += 1
        at = kept_stamp(e) if keep_recorded_at and e.recorded_at else stamp
        row = to_row(e, seq, at, prev, slug)
        prev = row["hash"]
        rows.append({**row, "corporation_id": corp_id})
        out.append(Event(e.body, e.effective_on, e.bound, e.actor, e.source, seq, datetime.fromisoformat(at)))
    if rows:
        if conn.dialect.name == "sqlite":
            cur = conn.connection.driver_connection.cursor()
            cur.executemany(_SQLITE_INSERT_EVENT, [tuple(r[k] for k in EVENT_COLUMNS) for r in rows])
            cur.execute(
                "UPDATE corporations SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, prev, corp_id)
            )
        else:
            conn.execute(_INSERT_EVENTS, rows)
            conn.execute(_SET_HEAD, {"cid": corp_id, "hs": seq, "hh": prev})
        projections.apply(conn, corp_id, out, ledger=ledger)
    return out


def load(conn: sa.Connection, corp_id: int, after_seq: int = 0) -> list[Event]:
    """The corporation's events in order of sequence (those after `after_seq`)."""
    q = (
        sa.select(events)
        .where(events.c.corporation_id == corp_id, events.c.seq > after_seq)
        .order_by(events.c.seq)
    )
    return [from_row(r) for r in conn.execute(q)]


def hashes(conn: sa.Connection, corp_id: int) -> dict[int, tuple[str, str]]:
    """Each stored event's (hash, previous hash), by sequence."""
    q = sa.select(events.c.seq, events.c.hash, events.c.prev_hash).where(events.c.corporation_id == corp_id)
    return {r.seq: (r.hash, r.prev_hash) for r in conn.execute(q)}


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int | None
    what: str


def verify_chain(conn: sa.Connection, corp_id: int) -> list[Problem]:
    """Re-hash the chain: every edited, deleted, inserted or reordered event is named."""
    corp = conn.execute(sa.select(corporations).where(corporations.c.id == corp_id)).one()
    rows = [
        r._mapping
        for r in conn.execute(
            sa.select(events).where(events.c.corporation_id == corp_id).order_by(events.c.seq, events.c.id)
        )
    ]
    problems: list[Problem] = []
    prev = GENESIS
    expected = 1
    ids = [r["id"] for r in rows]
    if ids != sorted(ids):
        problems.append(Problem(None, "events are stored out of their order of appending (rows reordered)"))
    for r in rows:
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
        h = row_hash(corp.slug, dict(r))
        if h != r["hash"]:
            diff = _what_changed(r)
            problems.append(Problem(r["seq"], f"its content no longer matches its hash: edited{diff}"))
        prev = r["hash"]
        expected = max(expected, r["seq"]) + 1
    beyond = [r["seq"] for r in rows if r["seq"] > corp.head_seq]
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
    if rows and not beyond and (corp.head_seq != rows[-1]["seq"] or corp.head_hash != rows[-1]["hash"]):
        problems.append(
            Problem(
                corp.head_seq,
                f"the chain head records event {corp.head_seq} but the log ends "
                f"at {rows[-1]['seq']}: events after it were deleted, or the head was edited",
            )
        )
    if not rows and corp.head_seq:
        problems.append(Problem(corp.head_seq, "the log is empty but the chain head records events"))
    return problems


def _what_changed(r) -> str:
    try:
        e = from_row(r)
        body_from_payload(e.type, e.body.to_payload())
    except Exception as ex:  # noqa: BLE001 - a tampered row may be anything
        return f" (the payload no longer reads as a {r['type']}: {ex})"
    return f" ({r['type']} effective {r['effective_on']})"
