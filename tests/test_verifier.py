"""The offline verifier (`minutebook.verifier`) on a real book: the Auxer Group created from its charter with
two holders added through the public API, its event rows read back from SQLite, a Merkle tree over them and
a signed checkpoint built here by hand. The verifier's own encoding of an event must give the very bytes the
store's hash chain hashes (`store.log.canonical` / `row_hash`), and every failure is one line with a code."""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook import verifier
from minutebook.book import create
from minutebook.core import checkpoint, merkle
from minutebook.ingest import read
from minutebook.store import log

ROOT = Path(__file__).resolve().parents[1]
AUXER = ROOT / "examples" / "auxer-group-charter.txt"
SEED = bytes(range(1, 33))
AT = datetime(2026, 12, 5, 16, 20, 31, tzinfo=UTC)


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> list[dict]:
    """The book's event rows as stored, each with the corporation's slug."""
    url = str(tmp_path_factory.mktemp("book") / "mb.db")
    book = create(url, read([AUXER]), [AUXER])
    for hid, name in (("zoe", "Zoë Ångström"), ("li", 'Li "Lee" 李\\')):
        assert not book.add_holder(hid, name, on=date(2000, 1, 1)).refused
    with sqlite3.connect(url) as c:
        c.row_factory = sqlite3.Row
        q = "SELECT e.*, c.slug FROM events e JOIN corporations c ON c.id = e.corporation_id ORDER BY e.seq"
        out = [dict(r) for r in c.execute(q)]
    assert len(out) == 5 and any(r["source"] is None for r in out) and any(r["source"] for r in out)
    return out


def event_of(row: dict) -> dict:
    """A proof document's event: the row's fields, its payload and source as JSON objects."""
    return {
        "corporation": row["slug"],
        **{
            k: row[k]
            for k in ("seq", "type", "effective_on", "bound", "recorded_at", "actor", "prev_hash", "hash")
        },
        "payload": json.loads(row["payload"]),
        "source": json.loads(row["source"]) if row["source"] else None,
    }


class Log:
    """The book's rows as a Merkle tree (leaf data: the store's canonical bytes) with signed checkpoints."""

    def __init__(self, rows: list[dict], seed: bytes = SEED):
        self.rows, self.seed = rows, seed
        self.slug = rows[0]["slug"]
        self.name = f"minutebook.example/{self.slug}"
        self.vkey = checkpoint.vkey_of(checkpoint.public_key(seed), self.name)
        self.table: dict = {}
        for i, r in enumerate(rows):
            data = store_bytes(r)
            for level, index, h in merkle.levels_for_append(i, merkle.leaf_hash(data), self.node):
                self.table[(level, index)] = h

    def node(self, level: int, index: int) -> bytes:
        return self.table[(level, index)]

    def note(self, n: int, ext=None) -> str:
        ext = checkpoint.minutebook_extensions(self.slug, AT) if ext is None else ext
        return checkpoint.sign(self.name, n, merkle.root_at(n, self.node), ext, self.seed, self.name)

    def proof(self, seq: int, n: int | None = None) -> dict:
        n = len(self.rows) if n is None else n
        return {
            "format": "minutebook-proof/1",
            "event": event_of(self.rows[seq - 1]),
            "leaf_index": seq - 1,
            "tree_size": n,
            "inclusion": [
                base64.b64encode(h).decode() for h in merkle.inclusion_proof(seq - 1, n, self.node)
            ],
            "checkpoint": self.note(n),
        }

    def consistency(self, m: int, n: int) -> dict:
        return {
            "format": "minutebook-consistency/1",
            "old": self.note(m),
            "new": self.note(n),
            "proof": [base64.b64encode(h).decode() for h in merkle.consistency_proof(m, n, self.node)],
        }


def store_bytes(row: dict) -> bytes:
    """What `store.log.row_hash` hashes for a stored row: built here with the store's own `canonical`."""
    return log.canonical(
        {
            "corporation": row["slug"],
            "seq": row["seq"],
            "type": row["type"],
            "effective_on": row["effective_on"],
            "bound": row["bound"],
            "recorded_at": row["recorded_at"],
            "actor": row["actor"],
            "payload": json.loads(row["payload"]),
            "source": json.loads(row["source"]) if row["source"] else None,
            "prev_hash": row["prev_hash"],
        }
    )


def fails(code: str, fn, *args) -> str:
    with pytest.raises(verifier.ProofError) as e:
        fn(*args)
    assert e.value.code == code, str(e.value)
    assert "\n" not in str(e.value)
    return str(e.value)


# --- the encoding -----------------------------------------------------------------------------------------------
def test_the_verifier_encodes_each_stored_event_as_the_hash_chain_does(rows):
    for r in rows:
        e = event_of(r)
        assert verifier.event_bytes(e) == store_bytes(r)
        assert hashlib.sha256(verifier.event_bytes(e)).hexdigest() == r["hash"] == log.row_hash(r["slug"], r)
        # and as an append writes it: the row `to_row` builds from the event read back
        again = log.to_row(log.from_row(r), r["seq"], r["recorded_at"], r["prev_hash"], r["slug"])
        assert again["hash"] == r["hash"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(
    slug=st.text(min_size=1, max_size=10),
    seq=st.integers(1, 10**9),
    text=st.lists(st.text(max_size=12), min_size=5, max_size=5),
    actor=st.none() | st.text(max_size=10),
    payload=st.dictionaries(st.text(max_size=6), JSON, max_size=4),
    source=st.none() | st.dictionaries(st.text(max_size=6), JSON, min_size=1, max_size=3),
)
def test_encoding_equals_the_stores_for_any_row(slug, seq, text, actor, payload, source):
    kind, on, bound, at, prev = text
    row = {
        "seq": seq,
        "type": kind,
        "effective_on": on,
        "bound": bound,
        "recorded_at": at,
        "actor": actor,
        "payload": log.canonical(payload).decode(),
        "source": log.canonical(source).decode() if source else None,
        "prev_hash": prev,
    }
    event = {"corporation": slug, **row, "payload": payload, "source": source}
    assert hashlib.sha256(verifier.event_bytes(event)).hexdigest() == log.row_hash(slug, row)
    assert log._spliced_hash(slug, row) == log.row_hash(slug, row)


def test_the_verifier_imports_only_the_stdlib_merkle_and_checkpoint():
    tree = ast.parse((ROOT / "src" / "minutebook" / "verifier.py").read_text())
    imported = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            imported |= {a.name for a in n.names}
        elif isinstance(n, ast.ImportFrom):
            imported |= {
                f"{n.module}.{a.name}" if n.module == "minutebook.core" else n.module for a in n.names
            }
    outside = {m for m in imported if m.split(".")[0] not in sys.stdlib_module_names}
    assert outside == {"minutebook.core.merkle", "minutebook.core.checkpoint"}


# --- proofs of inclusion ----------------------------------------------------------------------------------------
def test_every_event_of_the_book_verifies(rows):
    lg = Log(rows)
    for n in range(1, len(rows) + 1):
        for seq in range(1, n + 1):
            v = verifier.verify_proof_file(lg.proof(seq, n), lg.vkey)
            r = rows[seq - 1]
            assert (v.corporation, v.seq, v.type, v.effective_on) == (
                r["slug"],
                seq,
                r["type"],
                r["effective_on"],
            )
            assert v.event_hash == r["hash"]
            assert (v.checkpoint.size, v.checkpoint.time) == (n, "2026-12-05T16:20:31Z")


def test_a_proof_read_from_its_json_text(rows):
    lg = Log(rows)
    text = json.dumps(lg.proof(4), ensure_ascii=True, indent=2)  # any JSON spelling of the same values
    assert verifier.verify_proof_file(verifier.read_document(text), lg.vkey).seq == 4
    assert verifier.verify_proof_file(verifier.read_document(text.encode()), lg.vkey).seq == 4


def test_documents_that_are_not_proofs(rows):
    fails("document", verifier.read_document, '{"format": "minutebook-proof/1", "format": "x"}')
    fails("document", verifier.read_document, '{"a": NaN}')
    fails("document", verifier.read_document, "[1]")
    fails("document", verifier.read_document, "{")
    lg = Log(rows)
    doc = lg.proof(2)
    fails("document", verifier.verify_proof_file, {**doc, "format": "minutebook-proof/2"}, lg.vkey)
    fails("document", verifier.verify_proof_file, {**doc, "verified": True}, lg.vkey)
    fails("document", verifier.verify_proof_file, {k: v for k, v in doc.items() if k != "inclusion"}, lg.vkey)
    fails("document", verifier.verify_proof_file, {**doc, "inclusion": ["AAAA"]}, lg.vkey)
    fails("document", verifier.verify_proof_file, {**doc, "inclusion": "AAAA"}, lg.vkey)
    fails("document", verifier.verify_proof_file, {**doc, "event": {**doc["event"], "extra": 1}}, lg.vkey)
    fails("document", verifier.verify_proof_file, {**doc, "checkpoint": 7}, lg.vkey)
    fails("document", verifier.verify_proof_file, [doc], lg.vkey)


def test_what_fails_is_named(rows):
    lg = Log(rows)
    doc = lg.proof(3)
    e = {k: v for k, v in doc["event"].items() if k != "hash"}  # the chain hash is optional; see the end
    other = Log(rows, seed=bytes(32))
    fails("checkpoint", verifier.verify_proof_file, doc, other.vkey)  # another key (same name)
    fails(
        "checkpoint",
        verifier.verify_proof_file,
        {**doc, "checkpoint": doc["checkpoint"].replace("\n5\n", "\n6\n")},
        lg.vkey,
    )
    msg = fails("inclusion", verifier.verify_proof_file, {**doc, "tree_size": 4}, lg.vkey)
    assert "4" in msg and "5" in msg
    fails("inclusion", verifier.verify_proof_file, {**doc, "event": {**e, "actor": "Mallory"}}, lg.vkey)
    payload = {**e["payload"], "approved_by": ["someone"]}
    fails("inclusion", verifier.verify_proof_file, {**doc, "event": {**e, "payload": payload}}, lg.vkey)
    fails("event", verifier.verify_proof_file, {**doc, "leaf_index": 1}, lg.vkey)
    fails("event", verifier.verify_proof_file, {**doc, "event": {**e, "hash": "0" * 64}}, lg.vkey)
    fails("event", verifier.verify_proof_file, {**doc, "event": {**e, "prev_hash": "xyz"}}, lg.vkey)
    fails("event", verifier.verify_proof_file, {**doc, "event": {**e, "seq": 0}, "leaf_index": 0}, lg.vkey)
    no_corp = {**doc, "checkpoint": lg.note(5, ext=())}
    fails("event", verifier.verify_proof_file, no_corp, lg.vkey)  # a checkpoint naming no corporation
    fourth = event_of(rows[3])
    moved = {**doc, "event": fourth, "leaf_index": 3}  # event 4, genuine, with event 3's path
    fails("inclusion", verifier.verify_proof_file, moved, lg.vkey)
    del fourth["hash"]
    moved = {**doc, "event": {**fourth, "seq": 3}}  # event 4's content, claimed as event 3
    fails("inclusion", verifier.verify_proof_file, moved, lg.vkey)
    assert verifier.verify_proof_file({**doc, "event": e}, lg.vkey).event_hash == rows[2]["hash"]
    altered = {
        **doc,
        "event": {**doc["event"], "actor": "Mallory"},
    }  # with its hash: caught by the hash first
    fails("event", verifier.verify_proof_file, altered, lg.vkey)


# --- proofs of consistency --------------------------------------------------------------------------------------
def test_every_signed_state_extends_every_earlier_one(rows):
    lg = Log(rows)
    n = len(rows)
    for m in range(1, n + 1):
        for k in range(m, n + 1):
            c = verifier.verify_consistency_file(lg.consistency(m, k), lg.vkey)
            assert (c.old.size, c.new.size) == (m, k)


def test_a_rewritten_history_is_caught(rows):
    lg = Log(rows)
    rewritten = Log([*rows[:2], {**rows[2], "actor": "Mallory"}, *rows[3:]])
    doc = {**lg.consistency(2, 5), "new": rewritten.note(5)}
    fails("consistency", verifier.verify_consistency_file, doc, lg.vkey)
    doc = {
        **rewritten.consistency(3, 5),
        "old": lg.note(3),
    }  # the rewritten log's own proof, from the true old
    fails("consistency", verifier.verify_consistency_file, doc, lg.vkey)
    doc = lg.consistency(2, 5)
    fails(
        "consistency",
        verifier.verify_consistency_file,
        {**doc, "old": doc["new"], "new": doc["old"]},
        lg.vkey,
    )
    fails(
        "checkpoint", verifier.verify_consistency_file, {**doc, "new": Log(rows, bytes(32)).note(5)}, lg.vkey
    )
    fails("document", verifier.verify_consistency_file, {**doc, "format": "minutebook-proof/1"}, lg.vkey)
    fails("document", verifier.verify_consistency_file, {**doc, "proof": [1]}, lg.vkey)
    other_origin = checkpoint.sign("elsewhere", 5, merkle.root_at(5, lg.node), (), SEED, lg.name)
    fails("consistency", verifier.verify_consistency_file, {**doc, "new": other_origin}, lg.vkey)
