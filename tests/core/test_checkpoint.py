"""Signed checkpoints (`core.checkpoint`): C2SP signed notes with Ed25519 — the Go note package's published
example signed and verified byte for byte, a real sum.golang.org checkpoint verified with Go's published key,
round trips, verifier keys, and the notes the spec says to reject."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.core import checkpoint as cp
from minutebook.core.errors import MinutebookError

# golang/mod, sumdb/note/note.go (the package documentation's example): a signer key, its verifier key and the
# note it signs. Ed25519 is deterministic, so signing the text again must give the same bytes.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

# A checkpoint of the Go checksum database, "retrieved from https://sum.golang.org/latest, 2024-09-23", as
# published in sigsum/sigsum-go, pkg/checkpoint/checkpoint_test.go; the log's key from golang/go,
# src/cmd/go/internal/modfetch/key.go.
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_CHECKPOINT = """go.sum database tree
30055305
mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=

— sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=
"""

SEED = bytes(range(32))
NAME = "minutebook.example/acme-corp"
ROOT = hashlib.sha256(b"root").digest()
AT = datetime(2026, 12, 5, 16, 20, 31, 994624, tzinfo=UTC)


def code_of(fn, *args) -> str:
    with pytest.raises(cp.CheckpointError) as e:
        fn(*args)
    assert "\n" not in str(e.value)
    return e.value.code


def signed(size: int = 3, ext=None, seed: bytes = SEED, name: str = NAME) -> str:
    ext = cp.minutebook_extensions("acme-corp", AT) if ext is None else ext
    return cp.sign(NAME, size, ROOT, ext, seed, name)


VKEY = cp.vkey_of(cp.public_key(SEED), NAME)


def test_go_note_example_signed_and_verified_byte_for_byte():
    seed = base64.b64decode(GO_SKEY.split("+", 4)[4])[1:]  # after the 0x01 type byte
    assert cp.sign_note(GO_TEXT, seed, "PeterNeumann") == GO_NOTE
    assert cp.vkey_of(cp.public_key(seed), "PeterNeumann") == GO_VKEY
    text, sigs = cp.open_note(GO_NOTE, GO_VKEY)
    assert text == GO_TEXT
    assert [(s.name, f"{s.key_id:08x}") for s in sigs] == [("PeterNeumann", "c74f20a3")]


def test_a_real_sum_golang_org_checkpoint_verifies():
    c = cp.verify(SUMDB_CHECKPOINT, SUMDB_VKEY)
    assert (c.origin, c.size, c.extensions) == ("go.sum database tree", 30055305, ())
    assert base64.b64encode(c.root).decode() == "mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM="
    assert c.body + "\n" == SUMDB_CHECKPOINT.split("— ")[0]
    tampered = SUMDB_CHECKPOINT.replace("30055305", "30055306")
    assert code_of(cp.verify, tampered, SUMDB_VKEY) == "bad-signature"


def test_round_trip():
    note = signed()
    assert note.startswith(f"{NAME}\n3\n{base64.b64encode(ROOT).decode()}\n")
    assert (
        "\nminutebook-corporation acme-corp\nminutebook-time 2026-12-05T16:20:31Z\n\n— " + NAME + " " in note
    )
    c = cp.verify(note, VKEY)
    assert (c.origin, c.size, c.root) == (NAME, 3, ROOT)
    assert (c.corporation, c.time) == ("acme-corp", "2026-12-05T16:20:31Z")
    assert c == cp.parse(note)
    assert cp.sign(c.origin, c.size, c.root, c.extensions, SEED, NAME) == note  # deterministic
    assert cp.verify(note.encode(), VKEY) == c  # bytes as read from a file


# one line of text with no control characters (ASCII ones are refused; others are text) and no surrounding spaces
LINE = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="".join(map(chr, range(32)))),
    min_size=1,
    max_size=30,
).filter(lambda s: s == s.strip())


@settings(max_examples=50, deadline=None)
@given(
    origin=LINE,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    ext=st.lists(LINE, max_size=3),
)
def test_round_trip_any_checkpoint(origin, size, root, ext):
    note = cp.sign(origin, size, root, ext, SEED, NAME)
    c = cp.verify(note, VKEY)
    assert (c.origin, c.size, c.root, c.extensions) == (origin, size, root, tuple(ext))


def test_time_extension_is_utc():
    east = timezone(timedelta(hours=2))
    assert (
        cp.minutebook_extensions("x", datetime(2026, 1, 1, 2, 0, tzinfo=east))[1]
        == "minutebook-time 2026-01-01T00:00:00Z"
    )
    with pytest.raises(ValueError):
        cp.minutebook_extensions("x", datetime(2026, 1, 1))


def test_verifier_key():
    v = cp.parse_vkey(VKEY)
    pub = cp.public_key(SEED)
    assert (v.name, v.public_key, str(v)) == (NAME, pub, VKEY)
    expected = hashlib.sha256(NAME.encode() + b"\n\x01" + pub).digest()[:4]  # signed-note: the Ed25519 key id
    assert v.key_id.to_bytes(4, "big") == expected
    assert VKEY.split("+")[1] == expected.hex()
    seed, pub2 = cp.new_key()
    assert len(seed) == 32 and cp.public_key(seed) == pub2 != pub


def test_verifier_key_whose_id_does_not_match_is_refused():
    name, kid, key = VKEY.split("+", 2)
    wrong = f"{name}+{(int(kid, 16) ^ 1):08x}+{key}"
    assert code_of(cp.parse_vkey, wrong) == "vkey"
    assert code_of(cp.verify, signed(), wrong) == "vkey"
    renamed = f"other.example/acme+{kid}+{key}"  # the id binds the name too
    assert code_of(cp.parse_vkey, renamed) == "vkey"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        NAME,
        f"{NAME}+abcd",
        f"{NAME}+zzzzzzzz+AAAA",
        f"{NAME}+1234567+" + VKEY.split("+", 2)[2],  # seven hex digits
        "bad name+" + VKEY.split("+", 1)[1],
        VKEY + "=",  # not base64
        VKEY.rsplit("+", 1)[0]
        + "+"
        + base64.b64encode(b"\x02" + cp.public_key(SEED)).decode(),  # not Ed25519
        VKEY.rsplit("+", 1)[0] + "+" + base64.b64encode(b"\x01" + cp.public_key(SEED)[:31]).decode(),
    ],
)
def test_malformed_verifier_keys(bad):
    assert code_of(cp.parse_vkey, bad) == "vkey"


def test_errors_are_minutebook_value_errors():
    with pytest.raises(MinutebookError):
        cp.parse_vkey("x")
    with pytest.raises(ValueError):
        cp.parse_vkey("x")


def test_key_id_mismatch_in_the_signature_line_is_no_signature_by_this_key():
    note = signed()
    body, sig = note[:-1].rsplit("\n\n", 1)
    raw = bytearray(base64.b64decode(sig.split(" ")[2]))
    raw[0] ^= 0x80
    forged = f"{body}\n\n— {NAME} {base64.b64encode(bytes(raw)).decode()}\n"
    assert code_of(cp.verify, forged, VKEY) == "no-signature"


def test_signatures_by_other_keys_are_ignored_but_one_is_needed():
    other_seed = bytes(32)
    mine, theirs = signed(), signed(seed=other_seed)  # same name, another key: another key id
    their_line = theirs.split("\n\n")[1]
    both = mine + their_line
    assert cp.verify(both, VKEY).size == 3
    assert len(cp.parse(both).signatures) == 2
    other_first = mine.split("\n\n")[0] + "\n\n" + their_line + mine.split("\n\n")[1]
    assert cp.verify(other_first, VKEY).size == 3
    assert code_of(cp.verify, theirs, VKEY) == "no-signature"
    witness = cp.sign_note(mine.split("\n\n")[0] + "\n", other_seed, "witness.example/w1").split("\n\n")[1]
    assert cp.verify(mine + witness, VKEY).size == 3
    sixteen = mine + "".join(
        cp.sign_note(mine.split("\n\n")[0] + "\n", bytes([i]) * 32, f"w{i}.example").split("\n\n")[1]
        for i in range(15)
    )
    assert cp.verify(sixteen, VKEY).size == 3  # the spec: accept at least 16 signatures


def test_a_bad_signature_by_the_key_rejects_the_note_even_beside_a_good_one():
    note = signed()
    body, sig = note[:-1].rsplit("\n\n", 1)
    raw = bytearray(base64.b64decode(sig.split(" ")[2]))
    raw[-1] ^= 1
    bad = f"— {NAME} {base64.b64encode(bytes(raw)).decode()}"
    assert code_of(cp.verify, f"{body}\n\n{bad}\n", VKEY) == "bad-signature"
    assert code_of(cp.verify, f"{body}\n\n{sig}\n{bad}\n", VKEY) == "bad-signature"


def test_layout_the_spec_rejects():
    note = signed()
    body, sig = note[:-1].rsplit("\n\n", 1)
    assert code_of(cp.verify, note.replace("\n", "\r\n"), VKEY) == "malformed"  # CR is a control character
    assert code_of(cp.verify, note[:-1], VKEY) == "malformed"  # no final newline
    assert code_of(cp.verify, note + " ", VKEY) == "malformed"  # nothing after it
    assert code_of(cp.verify, f"{body}\n\n{sig} \n", VKEY) == "malformed"  # a space after the signature
    assert code_of(cp.verify, f"{body}\n{sig}\n", VKEY) == "malformed"  # no blank line
    assert code_of(cp.verify, note.replace(NAME, NAME + "\t", 1), VKEY) == "malformed"  # a tab
    assert code_of(cp.verify, f"{body}\n\n{sig.replace('— ', '—', 1)}\n", VKEY) == "malformed"  # no space
    assert code_of(cp.verify, f"{body}\n\n- {sig[2:]}\n", VKEY) == "malformed"  # a hyphen, not an em dash
    assert code_of(cp.verify, b"\xff" + note.encode(), VKEY) == "malformed"  # not UTF-8
    assert code_of(cp.verify, note + "\n", VKEY) == "malformed"  # a blank line at the end
    # a trailing space inside the signed text changes the text: the signature no longer verifies
    assert code_of(cp.verify, f"{body} \n\n{sig}\n", VKEY) == "bad-signature"
    assert code_of(cp.verify, note.replace(f"{NAME}\n", f"{NAME} \n", 1), VKEY) == "bad-signature"


def test_non_canonical_base64_is_refused():
    note = signed()
    body, sig = note[:-1].rsplit("\n\n", 1)
    b64 = sig.split(" ")[2]  # 68 bytes: the last character before "=" carries 2 unused bits
    assert b64.endswith("=") and not b64.endswith("==")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = b64[:-2] + alphabet[alphabet.index(b64[-2]) ^ 1] + "="
    assert base64.b64decode(twin) == base64.b64decode(b64)
    assert code_of(cp.verify, f"{body}\n\n— {NAME} {twin}\n", VKEY) == "malformed"
    root64 = base64.b64encode(ROOT).decode()
    root_twin = root64[:-2] + alphabet[alphabet.index(root64[-2]) ^ 1] + "="
    assert code_of(cp.parse, note.replace(root64, root_twin)) == "malformed"


@pytest.mark.parametrize(
    "body",
    [
        "origin\n3\n",  # two lines
        "origin\n03\n{root}\n",  # a leading zero
        "origin\n+3\n{root}\n",
        "origin\n 3\n{root}\n",
        "origin\n3 \n{root}\n",
        "origin\n\u0663\n{root}\n",  # an Arabic-Indic three: a digit to Python's int(), not to the spec
        "origin\n1_000\n{root}\n",
        "origin\n-1\n{root}\n",
        "origin\n3\n{root} \n",
        "origin\n3\nAAAA\n",  # 3 bytes, not 32
        "\n3\n{root}\n",  # an empty origin
        "origin\n3\n{root}\n\next\n",  # an empty extension line: the last blank line separates the signatures
    ],
)
def test_malformed_checkpoint_text(body):
    text = body.format(root=base64.b64encode(ROOT).decode())
    note = cp.sign_note(text, SEED, NAME)
    assert code_of(cp.verify, note, VKEY) in {"malformed", "bad-signature"}
    assert code_of(cp.parse, note) == "malformed"


def test_size_zero_and_large_sizes():
    assert cp.verify(signed(size=0), VKEY).size == 0
    assert cp.verify(signed(size=2**63), VKEY).size == 2**63


def test_sign_refuses_what_it_could_not_verify():
    for bad in (
        lambda: cp.sign("two\nlines", 1, ROOT, (), SEED, NAME),
        lambda: cp.sign("", 1, ROOT, (), SEED, NAME),
        lambda: cp.sign(" padded", 1, ROOT, (), SEED, NAME),
        lambda: cp.sign(NAME, -1, ROOT, (), SEED, NAME),
        lambda: cp.sign(NAME, True, ROOT, (), SEED, NAME),
        lambda: cp.sign(NAME, 1, ROOT[:31], (), SEED, NAME),
        lambda: cp.sign(NAME, 1, ROOT, ("",), SEED, NAME),
        lambda: cp.sign(NAME, 1, ROOT, ("a\rb",), SEED, NAME),
        lambda: cp.sign(NAME, 1, ROOT, ("trailing ",), SEED, NAME),
        lambda: cp.sign(NAME, 1, ROOT, (), SEED, "has space"),
        lambda: cp.sign(NAME, 1, ROOT, (), SEED, "has+plus"),
        lambda: cp.sign(NAME, 1, ROOT, (), SEED, ""),
        lambda: cp.sign_note("no newline", SEED, NAME),
    ):
        with pytest.raises(ValueError):
            bad()


def test_too_many_signatures():
    note = signed()
    line = note.split("\n\n")[1]
    assert code_of(cp.parse, note + line * cp.MAX_SIGNATURES) == "malformed"
