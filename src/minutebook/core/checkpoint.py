"""Signed checkpoints: a tree head (origin, size, root) as a C2SP signed note, signed with Ed25519.

Owns: the text of a checkpoint (c2sp.org/tlog-checkpoint) and of the signed note around it
(c2sp.org/signed-note v1.0.0), Ed25519 keys and their verifier-key strings, signing and verifying.

    minutebook.example/the-auxer-group-inc           origin (the log's identity)
    3                                                tree size, decimal, no leading zeros
    0dNn...T8=                                       root hash, base64 of 32 bytes
    minutebook-corporation the-auxer-group-inc       extension lines (optional, opaque, non-empty)
    minutebook-time 2026-12-05T16:20:31Z
                                                     a blank line
    — minutebook.example/the-auxer-group-inc Ab3x...  base64(key id, 4 bytes big-endian || signature)

The signed text is everything up to and including the newline before the blank line. A key is named, and
identified by the key id SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]; a verifier key is written
`<name>+<key id, 8 hex>+<base64(0x01 || public key)>` (the form golang.org/x/mod/sumdb/note reads).

Strictness, beyond what the specs require: base64 must be canonical (padding bits zero), so a signature
line cannot be changed without changing the signature it decodes to.
Pure: no files, no clock; keys come from the `cryptography` package.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .errors import MinutebookError
from .heap import fast_pickling

ED25519 = 0x01  # the signed-note signature type byte for Ed25519
EM_DASH = "\u2014"
CORPORATION = "minutebook-corporation"
TIME = "minutebook-time"
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16
_SIZE = re.compile(r"0|[1-9][0-9]*")
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")


class CheckpointError(MinutebookError, ValueError):
    """A note or verifier key that does not verify; `code` says which check failed: `malformed`, `vkey`,
    `no-signature` (none by the key asked for) or `bad-signature`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NoteSignature:
    name: str
    key_id: int
    signature: bytes  # without the key id


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()
    signatures: tuple[NoteSignature, ...] = ()

    @property
    def body(self) -> str:
        return body(self.origin, self.size, self.root, self.extensions)

    def extension(self, keyword: str) -> str | None:
        """The value of the first extension line `<keyword> <value>`, if any."""
        for line in self.extensions:
            if line.startswith(keyword + " "):
                return line[len(keyword) + 1 :]
        return None

    @property
    def corporation(self) -> str | None:
        return self.extension(CORPORATION)

    @property
    def time(self) -> str | None:
        return self.extension(TIME)


@dataclass(frozen=True, slots=True)
class VerifierKey:
    name: str
    key_id: int
    public_key: bytes

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id:08x}+{_b64(bytes([ED25519]) + self.public_key)}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(s: str) -> bytes | None:
    """Standard base64 (RFC 4648 §4), canonical only: the one encoding of the bytes it decodes to."""
    try:
        raw = base64.b64decode(s, validate=True)
    except ValueError:
        return None
    return raw if _b64(raw) == s else None


def valid_name(name: str) -> bool:
    """Key names: non-empty, no Unicode spaces, no '+'."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name) and _text_ok(name)


def _text_ok(s: str) -> bool:
    """Valid UTF-8 with no ASCII control characters but newline."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(c < " " and c != "\n" for c in s)


def key_id(name: str, public_key: bytes) -> int:
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4])


def new_key() -> tuple[bytes, bytes]:
    """A fresh Ed25519 key: (32-byte private seed, 32-byte public key)."""
    k = Ed25519PrivateKey.generate()
    return k.private_bytes_raw(), public_key(k)


def public_key(private_key: bytes | Ed25519PrivateKey) -> bytes:
    return _private(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _private(k: bytes | Ed25519PrivateKey) -> Ed25519PrivateKey:
    return k if isinstance(k, Ed25519PrivateKey) else Ed25519PrivateKey.from_private_bytes(k)


def vkey_of(public_key: bytes, name: str) -> str:
    if not valid_name(name):
        raise ValueError(f"{name!r} is not a key name (non-empty, no spaces, no '+')")
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return str(VerifierKey(name, key_id(name, public_key), public_key))


def parse_vkey(vkey: str) -> VerifierKey:
    parts = vkey.split("+", 2) if isinstance(vkey, str) else []
    raw = _unb64(parts[2]) if len(parts) == 3 else None
    if raw is None or not valid_name(parts[0]) or not _HEX8.fullmatch(parts[1]):
        raise CheckpointError("vkey", f"{vkey!r} is not a verifier key <name>+<8 hex key id>+<base64 key>")
    name, kid = parts[0], int(parts[1], 16)
    if len(raw) != 33 or raw[0] != ED25519:
        raise CheckpointError(
            "vkey", f"verifier key {name}: not an Ed25519 key (type byte 0x01 and 32 bytes)"
        )
    if key_id(name, raw[1:]) != kid:
        raise CheckpointError(
            "vkey", f"verifier key {name}: key id {kid:08x} does not match its name and key"
        )
    return VerifierKey(name, kid, raw[1:])


def sign_note(text: str, private_key: bytes | Ed25519PrivateKey, key_name: str) -> str:
    """The signed note: `text` (ending in a newline), a blank line, one signature line."""
    if not text.endswith("\n") or not _text_ok(text):
        raise ValueError("a note's text ends in a newline and holds no control characters but newlines")
    k = _private(private_key)
    pub = public_key(k)
    vkey_of(pub, key_name)  # checks the name
    sig = key_id(key_name, pub).to_bytes(4) + k.sign(text.encode())
    return f"{text}\n{EM_DASH} {key_name} {_b64(sig)}\n"


def split_note(note: str | bytes) -> tuple[str, tuple[NoteSignature, ...]]:
    """The signed text and the signatures of a note, unverified: the text must be ignored until `open_note`."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise CheckpointError("malformed", "note is not UTF-8") from None
    if not isinstance(note, str) or not _text_ok(note):
        raise CheckpointError(
            "malformed", "note holds a control character (a carriage return?) or is not UTF-8"
        )
    cut = note.rfind("\n\n")
    if cut < 0:
        raise CheckpointError("malformed", "note has no blank line before its signatures")
    text, block = note[: cut + 1], note[cut + 2 :]
    if not block.endswith("\n"):
        raise CheckpointError("malformed", "note does not end with a newline after its signatures")
    sigs = []
    for line in block[:-1].split("\n"):
        name, _, b64 = line.removeprefix(EM_DASH + " ").partition(" ")
        raw = _unb64(b64)
        if not line.startswith(EM_DASH + " ") or not valid_name(name) or raw is None or len(raw) < 5:
            raise CheckpointError("malformed", f"not a signature line '— <key name> <base64>': {line[:80]!r}")
        sigs.append(NoteSignature(name, int.from_bytes(raw[:4]), raw[4:]))
    if len(sigs) > MAX_SIGNATURES:
        raise CheckpointError("malformed", f"note has {len(sigs)} signatures, more than {MAX_SIGNATURES}")
    return text, tuple(sigs)


def open_note(note: str | bytes, vkey: str | VerifierKey) -> tuple[str, tuple[NoteSignature, ...]]:
    """The note's text, once a signature by `vkey` verifies. Signatures by other keys (another name or key id)
    are ignored, as the spec requires; a failing signature by this key rejects the note."""
    v = vkey if isinstance(vkey, VerifierKey) else parse_vkey(vkey)
    text, sigs = split_note(note)
    mine = [s for s in sigs if s.name == v.name and s.key_id == v.key_id]
    if not mine:
        others = ", ".join(f"{s.name}+{s.key_id:08x}" for s in sigs[:4]) + (", ..." if len(sigs) > 4 else "")
        raise CheckpointError(
            "no-signature", f"no signature by key {v.name}+{v.key_id:08x} (signed by {others})"
        )
    pub = Ed25519PublicKey.from_public_bytes(v.public_key)
    for s in mine:
        try:
            pub.verify(s.signature, text.encode())
        except InvalidSignature:
            raise CheckpointError(
                "bad-signature",
                f"the signature by {v.name}+{v.key_id:08x} does not verify: the note was altered",
            ) from None
    return text, sigs


def body(origin: str, size: int, root: bytes, extensions: Sequence[str] = ()) -> str:
    if not origin or "\n" in origin or not _text_ok(origin):
        raise ValueError(f"origin {origin!r}: one non-empty line without control characters")
    if type(size) is not int or size < 0:
        raise ValueError(f"tree size {size!r}: a whole number")
    if not isinstance(root, bytes) or len(root) != 32:
        raise ValueError("the root hash is 32 bytes")
    for e in extensions:
        if not e or "\n" in e or not _text_ok(e):
            raise ValueError(f"extension line {e!r}: non-empty, one line, no control characters")
    return "".join(f"{line}\n" for line in (origin, str(size), _b64(root), *extensions))


def minutebook_extensions(corporation: str, at: datetime) -> tuple[str, str]:
    """The extension lines minutebook signs: the corporation's slug and the time of signing (UTC)."""
    if at.tzinfo is None:
        raise ValueError("the checkpoint time must be timezone-aware")
    return f"{CORPORATION} {corporation}", f"{TIME} {at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"


def sign(
    origin: str,
    size: int,
    root: bytes,
    extensions: Sequence[str],
    private_key: bytes | Ed25519PrivateKey,
    key_name: str,
) -> str:
    """A signed checkpoint. The spec advises the key name match the origin. minutebook writes no line with
    surrounding spaces (an editor's trimming would then break the signature, not change the meaning)."""
    if any(line != line.strip() for line in (origin, *extensions)):
        raise ValueError("checkpoint lines have no leading or trailing spaces")
    return sign_note(body(origin, size, root, extensions), private_key, key_name)


def _checkpoint(text: str, sigs: tuple[NoteSignature, ...]) -> Checkpoint:
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise CheckpointError("malformed", "checkpoint text is not three or more non-empty lines")
    origin, size, root, *ext = lines
    if not _SIZE.fullmatch(size):
        raise CheckpointError("malformed", f"checkpoint tree size {size[:40]!r} is not a decimal number")
    raw = _unb64(root)
    if raw is None or len(raw) != 32:
        raise CheckpointError("malformed", f"checkpoint root {root[:60]!r} is not the base64 of 32 bytes")
    return Checkpoint(origin, int(size), raw, tuple(ext), sigs)


def parse(note_text: str | bytes) -> Checkpoint:
    """The checkpoint in a note, its signatures unverified: for inspection only, never for trust."""
    return _checkpoint(*split_note(note_text))


def verify(note_text: str | bytes, vkey: str | VerifierKey) -> Checkpoint:
    """The checkpoint in a note signed by `vkey`; `CheckpointError` naming what is wrong otherwise."""
    return _checkpoint(*open_note(note_text, vkey))


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
