"""The offline verifier: checks, with nothing but the corporation's public key, that an event is in the minute
book the corporation signed, and that one signed state of the book extends another.

Written to be read in one sitting by an auditor. It imports only the standard library and two small modules
of minutebook, each readable on its own: `core/merkle.py` (RFC 9162 Merkle trees over SHA-256) and
`core/checkpoint.py` (C2SP signed notes with Ed25519). It never opens the book's database.

The book. Each corporation's events form one log, seq 1, 2, 3, ...; event seq s is leaf s - 1 of a Merkle
tree, and the leaf data is the exact bytes the book's hash chain hashes for that event (below). Now and then
the book signs a checkpoint: the tree's size and root, with the corporation's slug and the time.

An inclusion proof (JSON, `read_document` loads it):

    {"format": "minutebook-proof/1",
     "event": {"corporation": slug, "seq": int, "type": str, "effective_on": "YYYY-MM-DD", "bound": str,
               "recorded_at": ISO 8601, "actor": str or null, "payload": {...}, "source": {...} or null,
               "prev_hash": 64 hex, "hash": 64 hex (optional: the event's chain hash, checked if present)},
     "leaf_index": seq - 1, "tree_size": int,
     "inclusion": [base64 of 32 bytes, ...],        (RFC 9162 inclusion path, the deepest sibling first)
     "checkpoint": "<the signed checkpoint note>"}

A consistency proof: {"format": "minutebook-consistency/1", "old": note, "new": note, "proof": [base64, ...]}.

A drawn paper (minutes, a consent, a certificate ...) is in the book as the SHA-256 of its bytes, in the payload of
the `DocumentDrawn` event that recorded drawing it: `verify_document` proves that event and checks the file's hash.

The public key is given as a verifier key, `<name>+<key id>+<base64 key>`, obtained from the corporation
through a channel other than the proof. Every failure raises `ProofError`, one line naming what failed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass

from minutebook.core import checkpoint, merkle

PROOF_FORMAT = "minutebook-proof/1"
CONSISTENCY_FORMAT = "minutebook-consistency/1"
EVENT_FIELDS = frozenset(
    {
        "corporation",
        "seq",
        "type",
        "effective_on",
        "bound",
        "recorded_at",
        "actor",
        "payload",
        "source",
        "prev_hash",
    }
)
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ProofError(ValueError):
    """What failed: `code` is `document` (not a proof of this format), `checkpoint` (its signature or text),
    `event` (the event's own fields), `inclusion` or `consistency` (the Merkle proof), `file` (a paper's bytes are
    not those the proven event records)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Verified:
    """An event proven to be in the log the checkpoint signs."""

    corporation: str
    seq: int
    type: str
    effective_on: str
    event_hash: str  # the event's hash in the book's hash chain (hex)
    checkpoint: checkpoint.Checkpoint  # size, root, origin, time: what the corporation signed


@dataclass(frozen=True, slots=True)
class Consistent:
    """Two signed states of one log, the older a prefix of the newer."""

    old: checkpoint.Checkpoint
    new: checkpoint.Checkpoint


def read_document(text: str | bytes) -> dict:
    """A proof document from its JSON text; duplicate keys (one value shown, another checked) are refused."""

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ProofError(
                "document", f"the proof repeats the key {sorted(k for k in keys if keys.count(k) > 1)[0]!r}"
            )
        return dict(pairs)

    def no_constant(name):
        raise ProofError("document", f"the proof holds {name}, which JSON does not allow")

    try:
        doc = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (ValueError, RecursionError) as e:
        raise (
            e if isinstance(e, ProofError) else ProofError("document", f"the proof is not JSON: {e}")
        ) from None
    if not isinstance(doc, dict):
        raise ProofError("document", "the proof is not a JSON object")
    return doc


def event_bytes(event: dict) -> bytes:
    """The bytes the book's hash chain hashes for an event, and the Merkle leaf's data: the ten fields as one
    JSON object, keys sorted, no spaces, UTF-8 with non-ASCII characters as themselves. The same encoding as
    `canonical` and `row_hash` in src/minutebook/store/log.py (kept apart so that this file needs no store)."""
    obj = {k: event[k] for k in EVENT_FIELDS}
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _expect(ok: bool, code: str, message: str) -> None:
    if not ok:
        raise ProofError(code, message)


def _keys(doc, required: set[str], optional: set[str], what: str) -> None:
    _expect(isinstance(doc, dict), "document", f"the {what} is not a JSON object")
    missing, extra = required - doc.keys(), doc.keys() - required - optional
    _expect(not missing, "document", f"the {what} lacks {', '.join(sorted(missing))}")
    _expect(
        not extra,
        "document",
        f"the {what} has fields a verifier does not check: {', '.join(sorted(map(repr, extra)))}",
    )


def _count(v) -> bool:
    return type(v) is int and v >= 0


def _hashes(items, what: str) -> list[bytes]:
    _expect(isinstance(items, list), "document", f"the {what} is not a list of base64 hashes")
    out = []
    for i, s in enumerate(items):
        try:
            raw = base64.b64decode(s, validate=True)
        except (TypeError, ValueError):
            raw = b""
        ok = len(raw) == merkle.HASH_SIZE and base64.b64encode(raw).decode() == s  # canonical base64 only
        _expect(ok, "document", f"{what} item {i} is not the base64 of a 32-byte hash")
        out.append(raw)
    return out


def _signed(note, vkey: str, what: str) -> checkpoint.Checkpoint:
    _expect(isinstance(note, str), "document", f"the {what} is not a signed note (text)")
    try:
        return checkpoint.verify(note, vkey)
    except checkpoint.CheckpointError as e:
        raise ProofError("checkpoint", f"{what}: {e}") from None


def _check_event(e: dict) -> None:
    _keys(e, set(EVENT_FIELDS), {"hash"}, "event")
    strings = ("corporation", "type", "effective_on", "bound", "recorded_at")
    _expect(
        all(isinstance(e[k], str) for k in strings), "event", f"the event's {', '.join(strings)} are not text"
    )
    _expect(
        type(e["seq"]) is int and e["seq"] >= 1, "event", f"the event's seq {e['seq']!r} is not 1, 2, 3, ..."
    )
    _expect(
        e["actor"] is None or isinstance(e["actor"], str), "event", "the event's actor is not text or null"
    )
    _expect(isinstance(e["payload"], dict), "event", "the event's payload is not a JSON object")
    _expect(
        e["source"] is None or isinstance(e["source"], dict), "event", "the event's source is not an object"
    )
    _expect(
        isinstance(e["prev_hash"], str) and bool(_HEX64.fullmatch(e["prev_hash"])),
        "event",
        "the event's prev_hash is not 64 hex digits",
    )


def verify_proof_file(proof: dict, vkey: str) -> Verified:
    """That `proof` (a parsed minutebook-proof/1 document) shows its event in the log signed by `vkey`."""
    _keys(proof, {"format", "event", "leaf_index", "tree_size", "inclusion", "checkpoint"}, set(), "proof")
    _expect(
        proof["format"] == PROOF_FORMAT,
        "document",
        f"the proof's format is {proof['format']!r}, not {PROOF_FORMAT}",
    )
    cp = _signed(proof["checkpoint"], vkey, "checkpoint")  # first the trust anchor, then what hangs on it
    e = proof["event"]
    _check_event(e)
    index, size = proof["leaf_index"], proof["tree_size"]
    _expect(_count(index) and _count(size), "document", "leaf_index and tree_size are not whole numbers")
    _expect(index == e["seq"] - 1, "event", f"leaf {index} holds event seq {index + 1}, not seq {e['seq']}")
    _expect(
        size == cp.size,
        "inclusion",
        f"the proof is for a log of {size} events; the checkpoint signs {cp.size}",
    )
    _expect(
        cp.corporation == e["corporation"],
        "event",
        f"the event is of {e['corporation']!r}; the checkpoint signs the log of {cp.corporation!r}",
    )
    path = _hashes(proof["inclusion"], "inclusion path")
    try:
        data = event_bytes(e)
    except (TypeError, ValueError, RecursionError):
        raise ProofError("event", f"event seq {e['seq']}: its fields are not JSON values") from None
    chain_hash = hashlib.sha256(data).hexdigest()
    if "hash" in e:
        _expect(e["hash"] == chain_hash, "event", f"event seq {e['seq']}: its fields do not hash to its hash")
    _expect(
        merkle.verify_inclusion(merkle.leaf_hash(data), index, size, path, cp.root),
        "inclusion",
        f"event seq {e['seq']} is not proven in the signed log of {size} events (the event or the path was altered)",
    )
    return Verified(e["corporation"], e["seq"], e["type"], e["effective_on"], chain_hash, cp)


def verify_consistency_file(doc: dict, vkey: str) -> Consistent:
    """That the log signed in `doc["old"]` is a prefix of the log signed in `doc["new"]`: nothing recorded then
    was changed or removed since."""
    _keys(doc, {"format", "old", "new", "proof"}, set(), "proof")
    _expect(
        doc["format"] == CONSISTENCY_FORMAT,
        "document",
        f"the proof's format is {doc['format']!r}, not {CONSISTENCY_FORMAT}",
    )
    old, new = _signed(doc["old"], vkey, "old checkpoint"), _signed(doc["new"], vkey, "new checkpoint")
    _expect(
        old.origin == new.origin,
        "consistency",
        f"the checkpoints are of two logs: {old.origin!r}, {new.origin!r}",
    )
    _expect(old.corporation == new.corporation, "consistency", "the checkpoints are of two corporations")
    _expect(
        old.size <= new.size, "consistency", f"the old checkpoint ({old.size} events) is larger than the new"
    )
    _expect(
        merkle.verify_consistency(
            old.size, new.size, old.root, new.root, _hashes(doc["proof"], "consistency proof")
        ),
        "consistency",
        f"the log of {new.size} events does not extend the log of {old.size} signed before: the record was rewritten",
    )
    return Consistent(old, new)


def verify_document(proof: dict, data: bytes, vkey: str) -> Verified:
    """That `proof` shows a `DocumentDrawn` event in the log signed by `vkey`, and that `data` (a file's bytes) is
    the paper it records: the SHA-256 in its payload is the file's."""
    v = verify_proof_file(proof, vkey)
    e = proof["event"]
    recorded = e["payload"].get("sha256")
    _expect(
        e["type"] == "DocumentDrawn" and isinstance(recorded, str),
        "file",
        f"event seq {e['seq']} is a {e['type']}, not a drawn paper (DocumentDrawn): it records no file",
    )
    digest = hashlib.sha256(data).hexdigest()
    _expect(
        digest == recorded,
        "file",
        f"the file's SHA-256 is {digest[:16]}..., the paper event seq {e['seq']} records {recorded[:16]}...: "
        "not the paper drawn",
    )
    return v
