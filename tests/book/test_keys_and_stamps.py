"""The book's signing key (`book.keys`) and RFC 3161 time stamps (`book.timestamp`), on SQLite books: where the key
folder is, the key file created 0600 whatever the umask, each bad key file refused in one line naming it, a key
file adopted, a scratch copy without a key; and time stamps from the tests' own time-stamping authority (tsahelp):
stored beside the checkpoint, verified against its certificate, a tampered token or another certificate refused,
and each misbehaving TSA refused with nothing stored. No network: the TSA listens on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from minutebook.book import Book, create, scratch_copy, timestamp
from minutebook.book import keys as book_keys
from minutebook.core import checkpoint as notes
from minutebook.core.errors import MinutebookError
from minutebook.ingest import read
from tsahelp import TestTSA, self_signed

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="module")
def auxer_read():
    return read([AUXER])


@pytest.fixture
def book(tmp_path, auxer_read) -> Book:
    b = create(str(tmp_path / "mb.db"), auxer_read, [AUXER])
    assert not b.add_holder("alice", "Alice Ng", on=date(2000, 1, 1)).refused
    return b


# --- where the key is ------------------------------------------------------------------------------------------


def test_the_key_folder_for_each_kind_of_database(tmp_path, monkeypatch):
    monkeypatch.delenv(book_keys.KEY_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert book_keys.key_dir("sqlite:///books/acme.db") == Path("books/.acme.db.keys")
    assert book_keys.key_dir("sqlite:///file:books/acme.db?mode=ro&uri=true") == Path("books/.acme.db.keys")
    assert book_keys.key_dir("sqlite:///:memory:") is None
    pg = book_keys.key_dir("postgresql+psycopg://u:secret@db.example:5433/minutes")
    assert pg == tmp_path / "cfg" / "minutebook" / "keys" / "postgresql-db.example-5433-minutes"
    assert "secret" not in str(pg)
    sock = book_keys.key_dir("postgresql+psycopg://u@/minutes?host=/var/run/postgresql")
    assert sock.name == "postgresql-_var_run_postgresql-default-minutes"
    monkeypatch.setenv(book_keys.KEY_DIR_ENV, str(tmp_path / "env"))
    assert book_keys.key_dir("sqlite:///books/acme.db") == tmp_path / "env"
    assert book_keys.key_dir("sqlite:///books/acme.db", tmp_path / "given") == tmp_path / "given"


def test_the_key_file_is_created_0600_whatever_the_umask(tmp_path, auxer_read):
    old = os.umask(0)
    try:
        b = create(str(tmp_path / "open.db"), auxer_read, [AUXER])
    finally:
        os.umask(old)
    assert stat.S_IMODE(b.key_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(b.key_file().parent.stat().st_mode) == 0o700


def test_a_key_folder_given_at_creation(tmp_path, auxer_read):
    b = create(str(tmp_path / "mb.db"), auxer_read, [AUXER], key_dir=tmp_path / "vault")
    assert (tmp_path / "vault" / f"{b.slug}.key").is_file()
    assert not (tmp_path / ".mb.db.keys").exists()
    with pytest.raises(
        book_keys.KeyFileError, match=r"/\.mb\.db\.keys/the-auxer-group-inc\.key: no such key file"
    ):
        b.checkpoint()  # looked for in the default folder
    assert b.checkpoint(key_dir=tmp_path / "vault").number == 1


def test_a_scratch_copy_has_no_key(book: Book, tmp_path):
    copy = scratch_copy(book, str(tmp_path / "dry.db"))
    assert copy.public_key() is None and not (tmp_path / ".dry.db.keys").exists()


# --- bad key files: one line naming the file, nothing signed -----------------------------------------------------


def test_bad_key_files_are_refused_naming_the_file(book: Book):
    path = book.key_file()
    good = path.read_bytes()
    path.chmod(0o644)
    with pytest.raises(
        book_keys.KeyFileError, match=rf"{path}: the private key may be read by others \(mode 0644\)"
    ):
        book.checkpoint()
    path.chmod(0o600)
    path.write_bytes(b"not a key")
    with pytest.raises(book_keys.KeyFileError, match=rf"{path}: not an unencrypted PKCS#8 PEM private key"):
        book.checkpoint()
    other, _ = self_signed()  # an ECDSA key: PEM, but not Ed25519
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(book_keys.KeyFileError, match=rf"{path}: not an Ed25519 private key"):
        book.checkpoint()
    path.unlink()
    book_keys.write_new(path)  # another Ed25519 key: not the one the book records
    with pytest.raises(book_keys.KeyFileError, match=rf"{path}: not this book's key \(the book records "):
        book.checkpoint()
    path.unlink()
    with pytest.raises(book_keys.KeyFileError, match=rf"{path}: no such key file"):
        book.checkpoint()
    path.write_bytes(good)
    path.chmod(0o600)
    assert book.checkpoint().number == 1
    assert len(book.checkpoints()) == 1  # nothing was stored by the refused attempts


def test_an_existing_key_file_is_adopted_never_replaced(tmp_path, auxer_read):
    folder = tmp_path / "keys"
    folder.mkdir()
    private = book_keys.write_new(folder / "the-auxer-group-inc.key")
    b = create(str(tmp_path / "mb.db"), auxer_read, [AUXER], key_dir=folder)
    assert notes.parse_vkey(b.public_key()).public_key == book_keys.public_bytes(private)
    with pytest.raises(book_keys.KeyFileError, match="a key file is already there; not replaced"):
        book_keys.write_new(folder / "the-auxer-group-inc.key")


# --- time stamps ------------------------------------------------------------------------------------------------


def test_a_checkpoint_time_stamped_by_a_tsa(book: Book):
    with TestTSA() as tsa:
        signed = book.checkpoint(tsa=tsa.url, tsa_certificate=tsa.cert_pem)
        assert tsa.requests == 1
    assert signed.stamp_verified and signed.stamp is not None
    [kept] = book.stamps(signed.number)
    assert (kept.number, kept.tsa, kept.token) == (1, tsa.url, signed.stamp.token)
    # verified again, later, from what the book keeps: against the TSA's certificate
    again = timestamp.verify(kept.token, signed.note.encode(), tsa.cert_pem)
    assert again.time == signed.stamp.time
    # not over another note
    with pytest.raises(timestamp.StampError, match="not over this checkpoint"):
        timestamp.verify(kept.token, (signed.note + " ").encode(), tsa.cert_pem)
    # a tampered token: each byte of its signature's last part flipped in turn is refused
    token = bytearray(kept.token)
    for i in range(len(token) - 8, len(token)):
        bad = bytearray(token)
        bad[i] ^= 0x01
        with pytest.raises(timestamp.StampError, match="time-stamp token"):
            timestamp.verify(bytes(bad), signed.note.encode(), tsa.cert_pem)
    # another TSA's certificate does not vouch for it
    _, stranger = self_signed("another TSA")
    with pytest.raises(timestamp.StampError, match="does not verify"):
        timestamp.verify(kept.token, signed.note.encode(), stranger)


def test_the_signed_time_stamp_data_cannot_be_changed(book: Book):
    """The imprint inside the token changed (the TSTInfo edited): the CMS signature no longer covers it."""
    with TestTSA() as tsa:
        signed = book.checkpoint(tsa=tsa.url)
    digest = hashlib.sha256(signed.note.encode()).digest()
    token = signed.stamp.token
    at = token.find(digest)
    assert at > 0
    forged = token[:at] + hashlib.sha256(b"another note").digest() + token[at + 32 :]
    with pytest.raises(timestamp.StampError, match="does not verify"):
        timestamp.verify(forged, b"another note", tsa.cert_pem)


@pytest.mark.parametrize(
    "mode, said",
    [
        ("refuse", r"the time-stamping authority refused \(status 2: policy not accepted\)"),
        ("garbage", "the answer is not an RFC 3161 time-stamp response"),
        ("nonce", r"does not answer this request \(its nonce differs\)"),
        ("imprint", r"is not over the checkpoint \(its message imprint differs\)"),
        ("http500", "answered HTTP 500"),
    ],
)
def test_a_misbehaving_tsa_is_refused_and_nothing_is_stored(book: Book, mode, said):
    with TestTSA(mode) as tsa, pytest.raises(timestamp.StampError, match=said):
        book.checkpoint(tsa=tsa.url)
    assert book.checkpoints() == [] and book.stamps() == []


def test_an_unreachable_tsa_and_a_wrong_certificate(book: Book):
    with pytest.raises(timestamp.StampError, match="cannot reach the time-stamping authority"):
        book.checkpoint(tsa="http://127.0.0.1:9/tsa")
    with pytest.raises(MinutebookError, match="not an http:// or https:// URL"):
        book.checkpoint(tsa="ftp://tsa.example")
    _, stranger = self_signed("another TSA")
    with TestTSA() as tsa, pytest.raises(timestamp.StampError, match="does not verify"):
        book.checkpoint(tsa=tsa.url, tsa_certificate=stranger.public_bytes(serialization.Encoding.PEM))
    assert book.checkpoints() == []
