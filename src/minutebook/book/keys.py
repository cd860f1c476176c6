"""The book's signing key: one Ed25519 key per corporation, its private half in a file outside the database, its
public half recorded in the database (`store.checkpoints`) and shown to whoever will verify the book.

Where the private key lives: a key folder, and in it `<slug>.key`.
- `--key-dir DIR` on the commands that take it, else `$MINUTEBOOK_KEY_DIR`, else
- for a SQLite book `X.db`, the hidden folder `.X.db.keys` beside it (hidden, and not named `X.db…`, so that
  copying or sending `X.db*` — the database with its write-ahead log — never takes the private key along);
- for a PostgreSQL (or any other server) book, a folder per database under the user's configuration folder:
  `$XDG_CONFIG_HOME/minutebook/keys/<backend>-<host>-<port>-<database>` (`~/.config` without XDG_CONFIG_HOME);
- an in-memory SQLite book has none (give one).
The folder is made with mode 0700; the file is created with mode 0600 (never widened afterwards) and refused when
group or others may read it, as ssh refuses a private key.

The file: the private key in PKCS#8, PEM, unencrypted (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey -algorithm
ed25519` writes it and `openssl pkey -in FILE -pubout` reads it. Keep a copy somewhere safe: without it the book can
record events but sign no further checkpoint (`minutebook key --create` makes a new key only for a book with none).

The public key is a C2SP verifier key, `minutebook/<slug>+<key id>+<base64 key>`, named like the log's origin.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..core import checkpoint
from ..core.errors import InputError
from ..store import checkpoints as stored
from ..store import db

KEY_DIR_ENV = "MINUTEBOOK_KEY_DIR"


class KeyFileError(InputError):
    """The book's private key file is missing, unreadable, open to others, not a key, or not the book's key; the
    message names the file."""


@dataclass(frozen=True, slots=True)
class BookKey:
    """The book's public key and where its private key is kept. `made`: "created" (a new key, just written),
    "adopted" (a key file already there, now recorded as the book's) or "" (recorded before)."""

    vkey: str
    path: Path | None
    made: str = ""


def key_dir(url: str, override: str | Path | None = None) -> Path | None:
    """The key folder for the database at `url` (a SQLAlchemy URL): `override`, `$MINUTEBOOK_KEY_DIR`, or the
    default for the database (None for an in-memory one)."""
    if override:
        return Path(override)
    env = os.environ.get(KEY_DIR_ENV)
    if env:
        return Path(env)
    path = db.sqlite_path(url)
    if path is not None:
        if path in ("", ":memory:"):
            return None
        p = Path(path)
        return p.with_name(f".{p.name}.keys")
    u = sa.engine.make_url(url)
    host = u.host or str(u.query.get("host") or "local")
    label = f"{u.get_backend_name()}-{host}-{u.port or 'default'}-{u.database or ''}"
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "minutebook" / "keys" / re.sub(r"[^A-Za-z0-9._-]+", "_", label)


def key_path(url: str, slug: str, override: str | Path | None = None) -> Path | None:
    folder = key_dir(url, override)
    return None if folder is None else folder / f"{slug}.key"


def vkey_for(slug: str, public: bytes) -> str:
    return checkpoint.vkey_of(public, stored.origin(slug))


def _pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_new(path: Path) -> Ed25519PrivateKey:
    """A new key, written to `path` (which must not exist) with mode 0600 from its creation."""
    private = Ed25519PrivateKey.generate()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path}: a key file is already there; not replaced") from None
    except OSError as e:
        raise KeyFileError(f"{path}: cannot write the book's private key: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_pem(private))
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        path.unlink(missing_ok=True)
        raise KeyFileError(f"{path}: cannot write the book's private key: {e.strerror or e}") from None
    return private


def read_private(path: Path) -> Ed25519PrivateKey:
    """The private key in `path`; `KeyFileError` naming the file when it is missing, open to others, unreadable
    or not an Ed25519 key."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise KeyFileError(
            f"{path}: no such key file (the book's private key; give --key-dir or ${KEY_DIR_ENV} if it is "
            "elsewhere)"
        ) from None
    except OSError as e:
        raise KeyFileError(f"{path}: cannot read the key file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise KeyFileError(f"{path}: not a key file (not a regular file)")
    if st.st_mode & 0o077:
        raise KeyFileError(
            f"{path}: the private key may be read by others (mode {stat.S_IMODE(st.st_mode):04o}); "
            f"run `chmod 600 {path}`"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise KeyFileError(f"{path}: cannot read the key file: {e.strerror or e}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        first = str(e).splitlines()[0] if str(e) else "unreadable"
        raise KeyFileError(f"{path}: not an unencrypted PKCS#8 PEM private key ({first})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key")
    return key


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return checkpoint.public_key(private)


def ensure(
    conn: sa.Connection, url: str, corp_id: int, slug: str, override: str | Path | None = None
) -> BookKey:
    """The book's key, recorded in the database: the one recorded; else the key file already in the key folder
    (adopted); else a new one, written there. Call inside the write transaction that should record it: the
    transaction failing after a new file was written leaves the file, which the next call adopts."""
    have = stored.key_of(conn, corp_id)
    path = key_path(url, slug, override)
    if have is not None:
        return BookKey(have, path)
    if path is None:
        raise KeyFileError(
            f"{db.display(url)}: an in-memory book has no key folder; give --key-dir or ${KEY_DIR_ENV}"
        )
    if path.exists():
        private, made = read_private(path), "adopted"
    else:
        private, made = write_new(path), "created"
    vkey = vkey_for(slug, public_bytes(private))
    stored.record_key(conn, corp_id, vkey, datetime.now(UTC).isoformat(timespec="microseconds"))
    return BookKey(vkey, path, made)


def signing_key(
    url: str, slug: str, vkey: str, override: str | Path | None = None
) -> tuple[Ed25519PrivateKey, Path]:
    """The private key that signs for the book whose recorded public key is `vkey`: read from the key folder and
    checked to be that key's other half."""
    path = key_path(url, slug, override)
    if path is None:
        raise KeyFileError(
            f"{db.display(url)}: an in-memory book has no key folder; give --key-dir or ${KEY_DIR_ENV}"
        )
    private = read_private(path)
    if checkpoint.parse_vkey(vkey).public_key != public_bytes(private):
        raise KeyFileError(
            f"{path}: not this book's key (the book records {vkey}; the file holds "
            f"{vkey_for(slug, public_bytes(private))})"
        )
    return private, path


def file_mismatch(url: str, slug: str, vkey: str) -> str | None:
    """Why the recorded public key is not the key file's, when the key file can be read from the default key folder
    (else None: an auditor's copy of the database comes without it)."""
    path = key_path(url, slug)
    if path is None or not path.is_file():
        return None
    try:
        private = read_private(path)
        recorded = checkpoint.parse_vkey(vkey).public_key
    except (KeyFileError, checkpoint.CheckpointError):
        return None  # named when the key is used; the recorded key's own defects by store.checkpoints
    if recorded != public_bytes(private):
        return (
            f"the book's public key ({vkey}) is not the key in {path}: the recorded key was replaced in the "
            "database, or the file is another book's"
        )
    return None
