"""`minutebook verify --proof FILE --key PUBKEY [--document FILE]`: a proof from `minutebook proof` checked offline
by the verifier (`minutebook.verifier`) with the book's public key alone, no database. Exit 0 when it holds, printing
what was verified; 1, one line naming what failed, when something was forged or does not match; 2 when the file is
not a proof at all (not JSON, a field missing). `book_views.verify_cmd` hands over to `verify_offline` when it is
given `--proof`, `--key` or `--document`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

from .. import verifier
from ..core import checkpoint as notes
from . import book_common as bc
from .common import fail


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _dump(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise fail(f"{what}: {path}: cannot read: {e.strerror or e}") from None


def _read_text(path: str, what: str) -> str:
    try:
        return _read(path, what).decode("utf-8")
    except UnicodeDecodeError:
        raise fail(f"{what}: {path}: not UTF-8 text") from None


# --- the check --------------------------------------------------------------------------------------------


def _vkey(key: str) -> str:
    text = key
    if Path(key).is_file():
        text = _read_text(key, "--key").strip()
    try:
        notes.parse_vkey(text)
    except notes.CheckpointError as e:
        raise fail(f"--key: {e}") from None
    return text


def verify_offline(proof: str | None, key: str | None, document: str | None, as_json: bool) -> None:
    """`minutebook verify --proof FILE --key PUBKEY [--document FILE]`: the proof checked by the verifier alone,
    no database; what was verified, or one line naming what failed (exit 1 forged or mismatched, 2 malformed)."""
    if proof is None or key is None:
        raise fail("verify: --proof FILE and --key PUBKEY go together (and --document FILE with them)")
    vkey = _vkey(key)
    raw = _read(proof, "--proof")
    data = _read(document, "--document") if document else None
    try:
        doc = verifier.read_document(raw)
        kind = doc.get("format")
        if kind == verifier.CONSISTENCY_FORMAT:
            if data is not None:
                raise fail("--document: goes with an inclusion proof, not a consistency proof")
            c = verifier.verify_consistency_file(doc, vkey)
        elif data is not None:
            v = verifier.verify_document(doc, data, vkey)
        else:
            v = verifier.verify_proof_file(doc, vkey)
    except verifier.ProofError as e:
        raise fail(f"{proof}: {e}", 2 if e.code == "document" else 1) from None
    name = notes.parse_vkey(vkey)
    signer = f"{name.name}+{name.key_id:08x}"
    if kind == verifier.CONSISTENCY_FORMAT:
        if as_json:
            _dump(
                {
                    "ok": True,
                    "kind": "consistency",
                    "corporation": c.new.corporation,
                    "key": signer,
                    "old": _cp_json(c.old),
                    "new": _cp_json(c.new),
                }
            )
            return
        bc.say(
            f"verified: the log of {c.new.corporation} signed with {c.new.size} events extends the one signed with "
            f"{c.old.size}: nothing recorded then was changed or removed",
            "green",
        )
        for label, cp in (("old", c.old), ("new", c.new)):
            bc.say(f"  {label}  {cp.size} events, root {_b64(cp.root)}, signed {cp.time}")
        bc.say(f"  key  {signer}")
        return
    e = doc["event"]
    paper = None
    if data is not None:
        paper = {
            "file": document,
            "sha256": hashlib.sha256(data).hexdigest(),
            "kind": e["payload"].get("kind"),
            "name": e["payload"].get("name"),
        }
    if as_json:
        _dump(
            {
                "ok": True,
                "kind": "inclusion",
                "corporation": v.corporation,
                "seq": v.seq,
                "type": v.type,
                "effective_on": v.effective_on,
                "recorded_at": e["recorded_at"],
                "event_hash": v.event_hash,
                "key": signer,
                "checkpoint": _cp_json(v.checkpoint),
                "document": paper,
            }
        )
        return
    bc.say(f"verified: event {v.seq} is in the log of {v.corporation} that its key signed", "green")
    bc.say(f"  event       {v.seq}: {v.type}, effective {v.effective_on}, recorded {e['recorded_at']}")
    bc.say(
        f"  checkpoint  {v.checkpoint.size} events, root {_b64(v.checkpoint.root)}, signed {v.checkpoint.time}"
    )
    bc.say(f"  key         {signer}")
    if paper:
        bc.say(
            f"  document    {document}: SHA-256 {paper['sha256'][:16]}… is the paper the event records "
            f"({paper['kind']}, drawn as {paper['name'] or 'a file without a name'})"
        )


def _cp_json(cp: notes.Checkpoint) -> dict:
    return {"origin": cp.origin, "tree_size": cp.size, "root": _b64(cp.root), "time": cp.time}
