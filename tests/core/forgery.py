"""Forged proofs and checkpoints, for the suite (about 1,000 a run) and `bench/forgeries.py` (10,000 and more).

A `World` is one corporation's log of synthetic events with its level table, signed by a key of its own
(Ed25519, seeded), beside a second log of the same size with other events (for "a proof from another tree").
`attempts(world, rng)` yields forgeries without end, each a (kind, attempt) pair: `attempt()` returns True
when the forgery was ACCEPTED, False when it was refused (for the `merkle.verify_*` functions) or raises the
module's own error (`CheckpointError`, `ProofError`) when refused. `run(seed, n)` tallies n of them.

The forgeries: a single bit flipped in any proof hash, two hashes swapped, one dropped or added; a wrong index,
leaf, tree size, old size or root; a proof for another tree; a checkpoint signed by another key (under the
same name, with our key id copied, or another name); any line of a checkpoint edited (a character replaced,
inserted or deleted), its signature line altered (a bit of the signature or key id, the name, the base64
text), its layout broken (CRLF, trailing spaces, no final newline, no blank line); an event's fields, its
position or its chain link changed in a proof document; documents with extra, missing or repeated fields.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from minutebook import verifier
from minutebook.core import checkpoint, merkle

TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
TYPES = ("Incorporated", "SharesIssued", "SharesTransferred", "BoardActed")
TEXT = 'aZ é€𝄞"\\/\u2028'  # characters the canonical JSON carries as they are (or escapes: quote, backslash)
EDIT_CHARS = "aZ09+/= \t\r\n\u2014é\u00a0\ufeff"  # what an edit puts into a note


def synthetic_events(rng: random.Random, slug: str, n: int) -> list[dict]:
    """n events of one corporation, shaped like the book's rows (see verifier.py), hash-chained."""
    prev, out = "0" * 64, []
    for seq in range(1, n + 1):
        e = {
            "corporation": slug,
            "seq": seq,
            "type": rng.choice(TYPES),
            "effective_on": f"{rng.randint(1990, 2030)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "bound": rng.choice(("on", "on_or_after")),
            "recorded_at": f"2026-01-02T03:04:05.{seq:06d}+00:00",
            "actor": rng.choice((None, "minutebook read", "Dana Director")),
            "payload": {
                "holder": f"h{rng.randrange(1000)}",
                "shares": rng.randrange(10**12),
                "note": "".join(rng.choice(TEXT) for _ in range(rng.randrange(6))),
            },
            "source": rng.choice((None, {"path": "charter.txt", "line": seq, "text": "FOURTH"})),
            "prev_hash": prev,
        }
        prev = hashlib.sha256(verifier.event_bytes(e)).hexdigest()
        out.append(e)
    return out


@dataclass
class World:
    slug: str
    events: list[dict]
    leaves: list[bytes]
    table: dict[tuple[int, int], bytes]
    private: bytes
    name: str
    other_private: bytes  # another key
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.leaves)

    @functools.cached_property
    def vkey(self) -> str:
        return checkpoint.vkey_of(checkpoint.public_key(self.private), self.name)

    def node(self, level: int, index: int) -> bytes:
        return self.table[(level, index)]

    def root(self, n: int) -> bytes:
        return merkle.root_at(n, self.node)

    def inclusion(self, i: int, n: int) -> list[bytes]:
        return merkle.inclusion_proof(i, n, self.node)

    def consistency(self, m: int, n: int) -> list[bytes]:
        return merkle.consistency_proof(m, n, self.node)

    def note(self, n: int, private: bytes | None = None, name: str | None = None) -> str:
        if private is None and name is None and n in self.notes:
            return self.notes[n]
        ext = checkpoint.minutebook_extensions(self.slug, TIME)
        text = checkpoint.sign(self.name, n, self.root(n), ext, private or self.private, name or self.name)
        if private is None and name is None:
            self.notes[n] = text
        return text

    def proof_doc(self, i: int, n: int) -> dict:
        return {
            "format": verifier.PROOF_FORMAT,
            "event": copy.deepcopy(self.events[i]),
            "leaf_index": i,
            "tree_size": n,
            "inclusion": [_b64(h) for h in self.inclusion(i, n)],
            "checkpoint": self.note(n),
        }

    def consistency_doc(self, m: int, n: int) -> dict:
        return {
            "format": verifier.CONSISTENCY_FORMAT,
            "old": self.note(m),
            "new": self.note(n),
            "proof": [_b64(h) for h in self.consistency(m, n)],
        }


def table_of(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """The level table a store fills append by append."""
    table: dict[tuple[int, int], bytes] = {}
    for i, leaf in enumerate(leaves):
        for level, index, h in merkle.levels_for_append(i, leaf, lambda lv, ix: table[(lv, ix)]):
            table[(level, index)] = h
    return table


def world(rng: random.Random, size: int, slug: str = "acme-corp") -> World:
    events = synthetic_events(rng, slug, size)
    leaves = [merkle.leaf_hash(verifier.event_bytes(e)) for e in events]
    return World(
        slug,
        events,
        leaves,
        table_of(leaves),
        rng.randbytes(32),
        f"minutebook.test/{slug}",
        rng.randbytes(32),
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def flip_bit(raw: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(raw) * 8)
    b = bytearray(raw)
    b[i // 8] ^= 1 << (i % 8)
    return bytes(b)


def mutate_path(path: list[bytes], rng: random.Random, extra: list[bytes]) -> tuple[str, list[bytes]]:
    """One change to a proof's list of hashes: a bit flipped, two swapped, one dropped or one added."""
    kinds = ["add"] + (["flip", "drop"] if path else []) + (["swap"] if len(set(path)) > 1 else [])
    kind = rng.choice(kinds)
    p = list(path)
    if kind == "flip":
        i = rng.randrange(len(p))
        p[i] = flip_bit(p[i], rng)
    elif kind == "drop":
        del p[rng.randrange(len(p))]
    elif kind == "swap":
        i, j = rng.sample(range(len(p)), 2)
        while p[i] == p[j]:
            i, j = rng.sample(range(len(p)), 2)
        p[i], p[j] = p[j], p[i]
    else:
        p.insert(rng.randint(0, len(p)), rng.choice([*extra, *p, rng.randbytes(32)]))
    return f"path-{kind}", p


def _other(rng: random.Random, n: int, *besides: int, lo: int = 0) -> int:
    """A number in [lo, n) other than `besides`."""
    while True:
        k = rng.randrange(lo, n)
        if k not in besides:
            return k


def inclusion_attempt(w: World, other: World, rng: random.Random) -> tuple[str, Callable[[], object]]:
    kind = rng.choice(("path", "path", "path", "index", "size", "leaf", "root", "other-tree"))
    n = rng.randint(1 if kind in ("path", "index") else 2, w.size)
    i = rng.randrange(n - 1 if kind == "size" else n)  # "size" needs another size above i
    leaf, path, root = w.leaves[i], w.inclusion(i, n), w.root(n)
    v = merkle.verify_inclusion
    if kind == "path":
        kind, p = mutate_path(path, rng, [root, leaf])
        return f"inclusion-{kind}", lambda: v(leaf, i, n, p, root)
    if kind == "index":
        j = _other(rng, n + 2, i)  # in the tree or past its end
        return "inclusion-index", lambda: v(leaf, j, n, path, root)
    if kind == "size":  # the proof checked as a tree of another size, against that tree's root
        m = _other(rng, w.size + 1, n, lo=i + 1)
        return "inclusion-size", lambda: v(leaf, i, m, path, w.root(m))
    if kind == "leaf":
        j = _other(rng, n, i)
        return "inclusion-leaf", lambda: v(w.leaves[j], i, n, path, root)
    if kind == "root":
        m = _other(rng, w.size + 1, n, lo=1)
        return "inclusion-root", lambda: v(leaf, i, n, path, w.root(m))
    return "inclusion-other-tree", lambda: v(leaf, i, n, other.inclusion(i, n), root)


def consistency_attempt(w: World, other: World, rng: random.Random) -> tuple[str, Callable[[], object]]:
    n = rng.randint(2, w.size)
    m = rng.randint(1, n - 1)
    proof, old, new = w.consistency(m, n), w.root(m), w.root(n)
    v = merkle.verify_consistency
    kind = rng.choice(
        ("path", "path", "path", "old-size", "new-size", "swapped", "other-tree", "old-root", "empty")
    )
    if kind == "path":
        kind, p = mutate_path(proof, rng, [old, new])
        return f"consistency-{kind}", lambda: v(m, n, old, new, p)
    if kind == "old-size":
        k = _other(rng, w.size + 1, m)
        return "consistency-old-size", lambda: v(k, n, w.root(k), new, proof)
    if kind == "new-size":
        k = _other(rng, w.size + 1, n, lo=1)
        return "consistency-new-size", lambda: v(m, k, old, w.root(k), proof)
    if kind == "swapped":
        return "consistency-swapped", lambda: v(m, n, new, old, proof)
    if kind == "other-tree":
        return "consistency-other-tree", lambda: v(m, n, old, new, other.consistency(m, n))
    if kind == "old-root":
        return "consistency-old-root", lambda: v(m, n, other.root(m), new, proof)
    return "consistency-empty", lambda: v(m, n, old, new, [])


def edit_note(note: str, rng: random.Random) -> tuple[str, str]:
    """One change to a note signed once: a line of its text edited, its signature line altered, or its layout
    broken. Never a no-op."""
    text, sig = note[:-1].rsplit("\n\n", 1)
    lines = text.split("\n")
    name, b64 = sig.removeprefix("\u2014 ").split(" ")
    raw = base64.b64decode(b64)
    kind = rng.choice(("text", "text", "text", "signature", "key-id", "name", "sig-char", "layout"))
    if kind == "text":
        i = rng.randrange(len(lines))
        lines[i] = _edit_chars(lines[i], rng)
        return f"note-line-{min(i, 3)}", "\n".join(lines) + "\n\n" + sig + "\n"
    if kind == "signature":
        return "note-signature-bit", f"{text}\n\n\u2014 {name} {_b64(raw[:4] + flip_bit(raw[4:], rng))}\n"
    if kind == "key-id":
        return "note-key-id-bit", f"{text}\n\n\u2014 {name} {_b64(flip_bit(raw[:4], rng) + raw[4:])}\n"
    if kind == "name":
        return "note-key-name", f"{text}\n\n\u2014 {_edit_chars(name, rng)} {b64}\n"
    if kind == "sig-char":
        return "note-signature-text", f"{text}\n\n\u2014 {name} {_edit_chars(b64, rng)}\n"
    broken = {
        "crlf": note.replace("\n", "\r\n"),
        "trailing-space": "\n".join(
            line + (" " if k == len(lines) - 1 else "") for k, line in enumerate(lines)
        )
        + "\n\n"
        + sig
        + "\n",
        "sig-trailing-space": f"{text}\n\n{sig} \n",
        "no-final-newline": note[:-1],
        "no-blank-line": f"{text}\n{sig}\n",
        "blank-at-end": note + "\n",
        "bom": "\ufeff" + note,
        "line-dropped": "\n".join(lines[:-1]) + "\n\n" + sig + "\n",
        "lines-swapped": "\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n\n" + sig + "\n",
    }
    k = rng.choice(sorted(broken))
    return f"note-layout-{k}", broken[k]


def _edit_chars(s: str, rng: random.Random) -> str:
    while True:
        i = rng.randrange(len(s) + 1)
        op = rng.choice(("replace", "insert", "delete") if i < len(s) else ("insert",))
        c = rng.choice(EDIT_CHARS)
        t = (
            s[:i] + c + s[i + 1 :]
            if op == "replace"
            else s[:i] + c + s[i:]
            if op == "insert"
            else s[:i] + s[i + 1 :]
        )
        if t != s:
            return t


def checkpoint_attempt(w: World, rng: random.Random) -> tuple[str, Callable[[], object]]:
    n = rng.randint(1, w.size)
    kind = rng.choice(("edit", "edit", "edit", "other-key", "other-key-our-id", "other-name"))
    if kind == "edit":
        kind, note = edit_note(w.note(n), rng)
    elif kind == "other-key":  # same name, another key: another key id
        note = w.note(n, private=w.other_private)
    elif kind == "other-key-our-id":  # another key's signature under our name and key id
        forged = w.note(n, private=w.other_private)
        body, sig = forged[:-1].rsplit("\n\n", 1)
        ours = base64.b64decode(w.note(n)[:-1].rsplit(" ", 1)[1])[:4]
        raw = base64.b64decode(sig.rsplit(" ", 1)[1])
        note = f"{body}\n\n\u2014 {w.name} {_b64(ours + raw[4:])}\n"
    else:
        note = w.note(n, private=w.other_private, name="minutebook.test/someone-else")
    return f"checkpoint-{kind}", lambda: checkpoint.verify(note, w.vkey) and True


def proof_doc_attempt(w: World, other: World, rng: random.Random) -> tuple[str, Callable[[], object]]:
    n = rng.randint(1, w.size)
    i = rng.randrange(n)
    doc = w.proof_doc(i, n)
    e = doc["event"]
    kinds = ["field", "field", "field", "path", "note", "moved", "size", "checkpoint-size", "hash", "shape"]
    kind = rng.choice(kinds + (["other-corporation"] if n <= other.size else []))
    if kind == "field":
        f = rng.choice(sorted(verifier.EVENT_FIELDS))
        old = e[f]
        e[f] = {
            "corporation": "another-corp",
            "seq": e["seq"] + rng.choice((-1, 1, n)),
            "type": rng.choice([t for t in TYPES if t != e["type"]]),
            "effective_on": "2031-12-31",
            "bound": "before" if e["bound"] != "before" else "on",
            "recorded_at": e["recorded_at"].replace("+00:00", "Z"),
            "actor": "Mallory" if e["actor"] != "Mallory" else None,
            "payload": {**e["payload"], "shares": e["payload"]["shares"] + 1},
            "source": None if e["source"] else {"path": "x", "line": 1, "text": ""},
            "prev_hash": ("1" if e["prev_hash"][0] != "1" else "2") + e["prev_hash"][1:],
        }[f]
        if f == "seq":  # keep the position consistent with the claimed seq: the proof must still fail
            doc["leaf_index"] = e["seq"] - 1
        assert e[f] != old
        kind = f"field-{f}"
    elif kind == "path":
        kind, p = mutate_path([base64.b64decode(h) for h in doc["inclusion"]], rng, [])
        doc["inclusion"] = [_b64(h) for h in p]
    elif kind == "note":
        kind, doc["checkpoint"] = edit_note(doc["checkpoint"], rng)
    elif kind == "moved":  # another event, claimed at this one's place
        j = _other(rng, w.size, i) if w.size > 1 else i
        doc["event"] = {**copy.deepcopy(w.events[j]), "seq": i + 1}
        kind = "moved" if j != i else "moved-self-seq"
        if j == i:
            doc["event"]["actor"] = "Mallory"
    elif kind == "checkpoint-size" and i < w.size - 1:  # a genuine checkpoint of another size, this proof
        m = _other(rng, w.size + 1, n, lo=i + 1)
        doc["tree_size"], doc["checkpoint"] = m, w.note(m)
    elif kind in ("size", "checkpoint-size"):  # the tree size changed, the checkpoint kept
        kind, doc["tree_size"] = "size", _other(rng, w.size + 2, n, lo=i + 1)
    elif kind == "hash":
        h = e.get("hash") or hashlib.sha256(verifier.event_bytes(e)).hexdigest()
        e["hash"] = ("0" if h[0] != "0" else "1") + h[1:]
    elif kind == "shape":
        missing = rng.choice(sorted(doc))
        kind, doc = rng.choice(
            [
                ("shape-extra-field", {**doc, "note": "verified by the auditor"}),
                ("shape-event-extra", {**doc, "event": {**e, "approved": True}}),
                ("shape-missing", {k: v for k, v in doc.items() if k != missing}),
                ("shape-format", {**doc, "format": "minutebook-proof/2"}),
                ("shape-index-text", {**doc, "leaf_index": str(i)}),
                (
                    "shape-seq-bool",
                    {**doc, "event": {**e, "seq": True}} if i == 0 else {**doc, "leaf_index": -1},
                ),
            ]
        )
    else:  # the other corporation's checkpoint (signed by the same key) over this proof
        doc["checkpoint"] = other.note(n, private=w.private, name=w.name)
    return f"document-{kind}", lambda: verifier.verify_proof_file(doc, w.vkey) and True


def consistency_doc_attempt(w: World, rng: random.Random) -> tuple[str, Callable[[], object]]:
    n = rng.randint(2, w.size)
    m = rng.randint(1, n - 1)
    doc = w.consistency_doc(m, n)
    kind = rng.choice(
        ("path", "swapped", "old-note", "new-note", "other-key") + (("other-old",) if n > 2 else ())
    )
    if kind == "path":
        kind, p = mutate_path([base64.b64decode(h) for h in doc["proof"]], rng, [])
        doc["proof"] = [_b64(h) for h in p]
    elif kind == "swapped":
        doc["old"], doc["new"] = doc["new"], doc["old"]
    elif kind in ("old-note", "new-note"):
        which = kind.removesuffix("-note")
        kind, doc[which] = edit_note(doc[which], rng)
    elif kind == "other-old":  # a genuine old checkpoint of another size, with the proof for this one
        doc["old"] = w.note(_other(rng, n, m, lo=1))
    else:
        doc["new"] = w.note(n, private=w.other_private)
    return f"consistency-doc-{kind}", lambda: verifier.verify_consistency_file(doc, w.vkey) and True


EXPECTED = (checkpoint.CheckpointError, verifier.ProofError)


def attempts(w: World, other: World, rng: random.Random) -> Iterator[tuple[str, Callable[[], object]]]:
    makers = (
        lambda: inclusion_attempt(w, other, rng),
        lambda: consistency_attempt(w, other, rng),
        lambda: checkpoint_attempt(w, rng),
        lambda: proof_doc_attempt(w, other, rng),
        lambda: consistency_doc_attempt(w, rng),
    )
    while True:
        yield rng.choice(makers)()


def genuine(w: World, rng: random.Random) -> list[str]:
    """The control: the same checks on genuine proofs, which must all pass (else a refusal proves nothing)."""
    n = rng.randint(2, w.size)
    i, m = rng.randrange(n), rng.randint(1, n - 1)
    checks = {
        "inclusion": lambda: merkle.verify_inclusion(w.leaves[i], i, n, w.inclusion(i, n), w.root(n)),
        "consistency": lambda: merkle.verify_consistency(m, n, w.root(m), w.root(n), w.consistency(m, n)),
        "checkpoint": lambda: checkpoint.verify(w.note(n), w.vkey).size == n,
        "document": lambda: verifier.verify_proof_file(w.proof_doc(i, n), w.vkey).seq == i + 1,
        "consistency-doc": lambda: (
            verifier.verify_consistency_file(w.consistency_doc(m, n), w.vkey).new.size == n
        ),
    }
    return [f"genuine {k} refused ({i}, {m}, {n})" for k, check in checks.items() if not check()]


@dataclass
class Tally:
    tried: Counter = field(default_factory=Counter)
    refused_by: Counter = field(default_factory=Counter)  # (kind, the error's code or "false")
    accepted: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)
    genuine_refused: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.tried.values())


def run(seed: int, n: int, per_world: int = 250, max_size: int = 300) -> Tally:
    """n forgeries from the seed, a new pair of logs (2 to max_size events) every `per_world`; each world's
    genuine proofs are checked first."""
    rng = random.Random(seed)
    tally = Tally()
    while tally.total < n:
        size = rng.randint(2, max_size)
        w, other = world(rng, size), world(rng, size, slug="other-corp")
        tally.genuine_refused += genuine(w, rng)
        stream = attempts(w, other, rng)
        for _ in range(min(per_world, n - tally.total)):
            kind, attempt = next(stream)
            tally.tried[kind] += 1
            try:
                ok = attempt()
            except EXPECTED as ex:
                tally.refused_by[(kind, ex.code)] += 1
                continue
            except Exception as ex:  # noqa: BLE001 - a crash is a finding, not a refusal
                tally.crashed.append(f"{kind}: {type(ex).__name__}: {ex}")
                continue
            if ok:
                tally.accepted.append(kind)
            else:
                tally.refused_by[(kind, "false")] += 1
    return tally
