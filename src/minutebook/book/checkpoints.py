"""A record a third party can verify (issue 17), from the book: its signing key, the checkpoints it signs, and the
proofs it hands out, which `minutebook.verifier` checks with nothing but the book's public key.

    book.public_key()                 # 'minutebook/acme+1a2b3c4d+AXk…', the verifier key to give auditors
    cp = book.checkpoint()            # signs (tree size, root, corporation, time) and stores it: cp.number, cp.note
    book.proof(42)                    # event 42 in the latest checkpoint: a minutebook-proof/1 document (a dict)
    book.document_proof(pdf_bytes)    # the same for the DocumentDrawn event that recorded a drawn paper's SHA-256
    book.consistency(1, "latest")     # checkpoint 1's log is a prefix of the latest's: minutebook-consistency/1

A checkpoint is signed only over a log that still extends the book's latest checkpoint, and every proof is checked
with the verifier before it is handed out. The formats are the verifier's (`verifier.py`); what the database keeps,
and what that protects against, is `store.checkpoints`'s; where the key lives, `book.keys`'.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from .. import verifier
from ..core import checkpoint as notes
from ..core.errors import InputError, MinutebookError, NotFoundError
from ..store import checkpoints as stored
from ..store import db, log, tree
from ..store.schema import corporations, events
from . import keys, timestamp


@dataclass(frozen=True, slots=True)
class Signed:
    """A checkpoint just signed and stored: its number, what it signs, its note, the time stamp it was given (the
    TimeStampResp's DER, or None) and the book's key (`key.made` says if it was created or adopted for it)."""

    number: int
    tree_size: int
    root: bytes
    time: str
    note: str
    key: keys.BookKey
    stamp: timestamp.Stamped | None = None
    stamp_verified: bool = False


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


class Checkpoints:
    """The book's key, checkpoints and proofs (`Book.public_key`, `checkpoint`, `proof`, ...)."""

    def __init__(
        self, engine: sa.Engine, url: str, corp_id: int, slug: str, reading=None, writing=None, block=None
    ):
        self.engine, self.url, self.corp_id, self.slug = engine, url, corp_id, slug
        # where rows are read and written: a book inside `atomic()` gives its block's connection
        self._reading = reading or (lambda: db.read(engine))
        self._writing = writing or (lambda: db.write(engine))
        self._block = block or (lambda: False)  # whether a book's `atomic()` block is under way

    # --- the key -------------------------------------------------------------------------------------------

    def public_key(self) -> str | None:
        """The book's public key, as the verifier key string auditors pass to `verify --key`; None before it has
        one (a book created before keys: `create_key`)."""
        with self._reading() as conn:
            return stored.key_of(conn, self.corp_id)

    def key_file(self, key_dir: str | Path | None = None) -> Path | None:
        """Where the book's private key file is looked for (`book.keys`)."""
        return keys.key_path(self.url, self.slug, key_dir)

    def create_key(self, key_dir: str | Path | None = None) -> keys.BookKey:
        """Give the book a key if it has none: the key file already in the key folder is adopted, else a new one is
        written there; `made` says which ("" when the book had one)."""
        with self._writing() as conn:
            return keys.ensure(conn, self.url, self.corp_id, self.slug, key_dir)

    # --- checkpoints ---------------------------------------------------------------------------------------

    def checkpoints(self) -> list[stored.Stored]:
        with self._reading() as conn:
            return stored.listed(conn, self.corp_id)

    def stamps(self, number: int | None = None) -> list[stored.Stamp]:
        with self._reading() as conn:
            return stored.stamps(conn, self.corp_id, number)

    def checkpoint(
        self,
        *,
        key_dir: str | Path | None = None,
        tsa: str | None = None,
        tsa_certificate: bytes | None = None,
        at: datetime | None = None,
    ) -> Signed:
        """Sign the log as it stands (its size and Merkle root, the corporation, the time `at`, default now) with the
        book's key and store it as the next checkpoint. A book without a key gets one first (`create_key`). With
        `tsa`, the note is stamped by that time-stamping authority first (and checked against `tsa_certificate`,
        PEM or DER, when given); nothing is stored when the stamp cannot be had. Refused, nothing signed, when the
        log no longer extends the latest checkpoint or its tree does not fit it (`verify` says why). Refused inside
        `Book.atomic()`: a signed note may be handed out at once, and must never vouch for acts the block may yet
        roll back."""
        if self._block():
            raise MinutebookError(
                "a checkpoint signs the log as committed: sign it after the `atomic()` block, not inside it; "
                "nothing signed"
            )
        with self._reading() as conn:
            size, root = self._head(conn)
        key = keys.BookKey(self.public_key() or "", self.key_file(key_dir))
        if not key.vkey:
            key = self.create_key(key_dir)
        private, _ = keys.signing_key(self.url, self.slug, key.vkey, key_dir)
        origin = stored.origin(self.slug)
        when = (at or datetime.now(UTC)).astimezone(UTC)
        note = notes.sign(origin, size, root, notes.minutebook_extensions(self.slug, when), private, origin)
        stamped, checked = None, False
        if tsa is not None:
            stamped = timestamp.stamp(tsa, note.encode())
            if tsa_certificate is not None:
                stamped = timestamp.verify(stamped.token, note.encode(), tsa_certificate)
                checked = True
        with self._writing() as conn:
            log.lock_head(conn, self.corp_id)
            last = stored.latest(conn, self.corp_id)
            if last is not None and last.tree_size > size:
                raise InputError(
                    f"checkpoint {last.number} over {last.tree_size} events was signed meanwhile; run again"
                )
            row = stored.add(conn, self.corp_id, note)
            if stamped is not None:
                stored.add_stamp(
                    conn, self.corp_id, row.number, tsa, stamped.token, datetime.now(UTC).isoformat()
                )
        return Signed(row.number, size, root, row.signed_at, note, key, stamped, checked)

    def _head(self, conn: sa.Connection) -> tuple[int, bytes]:
        """The log's size and Merkle root, once the tree fits the log and the log extends the latest checkpoint."""
        size = conn.execute(
            sa.select(corporations.c.head_seq).where(corporations.c.id == self.corp_id)
        ).scalar_one()
        n_tree = tree.size(conn, self.corp_id)
        if n_tree != size:
            raise MinutebookError(
                f"the Merkle tree has {n_tree} leaves but the log {size} events: run `minutebook verify`; "
                "nothing signed"
            )
        try:
            root = tree.root(conn, self.corp_id, size)
        except log.TreeError as e:
            raise MinutebookError(f"{e}; nothing signed") from None
        last = stored.latest(conn, self.corp_id)
        if last is not None:
            self._extends(conn, last.number, last.note, size)
        return size, root

    def _extends(self, conn: sa.Connection, number: int | None, note: str, size: int | None = None) -> None:
        """Refuse when the stored tree no longer has the root a checkpoint signed at its size."""
        what = f"checkpoint {number}" if number is not None else "the checkpoint given"
        cp = notes.parse(note)
        have = tree.size(conn, self.corp_id) if size is None else size
        if cp.size > have:
            raise MinutebookError(
                f"{what} covers {cp.size} events but the log has {have}: events were deleted; run "
                "`minutebook verify`"
            )
        try:
            ok = tree.root(conn, self.corp_id, cp.size) == cp.root
        except log.TreeError:
            ok = False
        if not ok:
            raise MinutebookError(
                f"the log no longer extends {what} ({cp.size} events, signed {cp.time}): it was rewritten since; "
                "run `minutebook verify`"
            )

    # --- proofs --------------------------------------------------------------------------------------------

    def _anchor(
        self, conn: sa.Connection, note: str | None, number: int | None = None
    ) -> tuple[notes.Checkpoint, str, str]:
        """The checkpoint a proof hangs on: `note` (checked to be signed by the book and to fit its log) or the
        latest stored one; with the book's public key."""
        vkey = stored.key_of(conn, self.corp_id)
        if vkey is None:
            raise NotFoundError("the book has no key yet, so no checkpoint: run `minutebook checkpoint`")
        if note is None:
            last = stored.latest(conn, self.corp_id)
            if last is None:
                raise NotFoundError("the book has no checkpoint yet: run `minutebook checkpoint`")
            note, number = last.note, last.number
        try:
            cp = notes.verify(note, vkey)
        except notes.CheckpointError as e:
            which = f"checkpoint {number}" if number is not None else "the checkpoint given"
            raise InputError(f"{which} is not signed by this book's key {vkey}: {e}") from None
        if cp.corporation != self.slug:
            raise InputError(f"the checkpoint given is of {cp.corporation!r}, not of {self.slug!r}")
        self._extends(conn, number, note)
        return cp, note, vkey

    def _event(self, conn: sa.Connection, seq: int) -> dict:
        """The event as a proof carries it: its stored fields, payload and source as JSON."""
        r = conn.execute(
            sa.select(events).where(events.c.corporation_id == self.corp_id, events.c.seq == seq)
        ).first()
        if r is None:
            head = conn.execute(
                sa.select(corporations.c.head_seq).where(corporations.c.id == self.corp_id)
            ).scalar_one()
            raise NotFoundError(f"no event {seq}: the log holds events 1-{head}")
        m = r._mapping
        return {
            "corporation": self.slug,
            **{
                k: m[k] for k in ("seq", "type", "effective_on", "bound", "recorded_at", "actor", "prev_hash")
            },
            "payload": json.loads(m["payload"]),
            "source": json.loads(m["source"]) if m["source"] else None,
            "hash": m["hash"],
        }

    def proof(self, seq: int, note: str | None = None) -> dict:
        """The inclusion proof of event `seq` in the latest checkpoint (or in the signed checkpoint `note`): a
        minutebook-proof/1 document, checked with the verifier before it is returned."""
        with self._reading() as conn:
            cp, note, vkey = self._anchor(conn, note)
            event = self._event(conn, seq)
            if seq > cp.size:
                raise InputError(
                    f"event {seq} is not in the checkpoint, which covers events 1-{cp.size} (signed {cp.time}): "
                    "sign a newer one with `minutebook checkpoint`"
                )
            path = tree.inclusion(conn, self.corp_id, seq, cp.size)
        doc = {
            "format": verifier.PROOF_FORMAT,
            "event": event,
            "leaf_index": seq - 1,
            "tree_size": cp.size,
            "inclusion": [_b64(h) for h in path],
            "checkpoint": note,
        }
        try:
            verifier.verify_proof_file(doc, vkey)
        except verifier.ProofError as e:
            raise MinutebookError(
                f"the proof of event {seq} does not verify ({e}): the stored event no longer matches its leaf; run "
                "`minutebook verify`"
            ) from None
        return doc

    def drawn_with(self, data: bytes) -> list[int]:
        """The events (seq) recording a drawn paper (`DocumentDrawn`) whose SHA-256 is that of `data`."""
        digest = hashlib.sha256(data).hexdigest()
        q = sa.select(events.c.seq, events.c.payload).where(
            events.c.corporation_id == self.corp_id, events.c.type == "DocumentDrawn"
        )
        with self._reading() as conn:
            rows = conn.execute(q.order_by(events.c.seq)).all()
        out = []
        for seq, payload in rows:
            try:
                if json.loads(payload).get("sha256") == digest:
                    out.append(seq)
            except (ValueError, AttributeError):
                continue  # an unreadable payload: verify names it
        return out

    def document_proof(self, data: bytes, note: str | None = None) -> dict:
        """The proof of the event that recorded drawing the paper whose bytes are `data` (the earliest one the
        checkpoint covers); `NotFoundError` when the book recorded no paper with that SHA-256."""
        seqs = self.drawn_with(data)
        if not seqs:
            raise NotFoundError(
                f"no paper drawn from this book has this file's SHA-256 ({hashlib.sha256(data).hexdigest()[:16]}…)"
            )
        with self._reading() as conn:
            cp, _, _ = self._anchor(conn, note)
        covered = [s for s in seqs if s <= cp.size]
        return self.proof(covered[0] if covered else seqs[0], note)

    def consistency(self, old: int | str, new: int | str = "latest") -> dict:
        """The proof that the log signed in checkpoint `old` is a prefix of the one in `new`: a
        minutebook-consistency/1 document, checked with the verifier. Each end is a stored checkpoint's number,
        "latest", "size:N" (the latest stored checkpoint over N events), or a signed checkpoint note (text)."""
        with self._reading() as conn:
            vkey = stored.key_of(conn, self.corp_id)
            if vkey is None:
                raise NotFoundError("the book has no key yet, so no checkpoint: run `minutebook checkpoint`")
            a, b = self._end(conn, old, "OLD"), self._end(conn, new, "NEW")
            ca, cb = notes.parse(a), notes.parse(b)
            if ca.size > cb.size:
                raise InputError(
                    f"OLD covers {ca.size} events, more than NEW ({cb.size}): give them the other way"
                )
            path = tree.consistency(conn, self.corp_id, ca.size, cb.size)
        doc = {
            "format": verifier.CONSISTENCY_FORMAT,
            "old": a,
            "new": b,
            "proof": [_b64(h) for h in path],
        }
        try:
            verifier.verify_consistency_file(doc, vkey)
        except verifier.ProofError as e:
            raise MinutebookError(
                f"the consistency proof does not verify ({e}): run `minutebook verify`"
            ) from None
        return doc

    def _end(self, conn: sa.Connection, spec: int | str, what: str) -> str:
        """The signed note one end of a consistency proof names, checked to fit the log."""
        if isinstance(spec, str) and "\n" in spec:
            self._anchor(conn, spec)
            return spec
        text = str(spec).strip().lower()
        rows = stored.listed(conn, self.corp_id)
        if not rows:
            raise NotFoundError("the book has no checkpoint yet: run `minutebook checkpoint`")
        if text == "latest":
            row = rows[-1]
        elif text.startswith("size:") and text[5:].isdigit():
            of = [r for r in rows if r.tree_size == int(text[5:])]
            if not of:
                sizes = ", ".join(str(r.tree_size) for r in rows[-8:])
                raise NotFoundError(
                    f"{what}: no checkpoint over {text[5:]} events (the latest cover: {sizes})"
                )
            row = of[-1]
        elif text.lstrip("#").isdigit():
            n = int(text.lstrip("#"))
            match = [r for r in rows if r.number == n]
            if not match:
                raise NotFoundError(f"{what}: no checkpoint {n} (the book has 1-{rows[-1].number})")
            row = match[0]
        else:
            raise InputError(
                f"{what}: {spec!r} is not a checkpoint number, 'latest', 'size:N' or a checkpoint file"
            )
        self._anchor(conn, row.note, row.number)
        return row.note


def problems(conn: sa.Connection, corp_id: int) -> list[str]:
    """What `verify` says of the log against its signed checkpoints (`store.checkpoints`), and of the recorded
    public key against the key file, where the default key folder holds one."""
    out = [
        f"event {p.seq}: {p.what}" if p.seq is not None else p.what
        for p in stored.verify_against_checkpoints(conn, corp_id)
    ]
    vkey = stored.key_of(conn, corp_id)
    if vkey is not None:
        slug = conn.execute(sa.select(corporations.c.slug).where(corporations.c.id == corp_id)).scalar_one()
        why = keys.file_mismatch(conn.engine.url.render_as_string(hide_password=False), slug, vkey)
        if why:
            out.append(why)
    return out
