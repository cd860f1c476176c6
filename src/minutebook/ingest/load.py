"""Reading a file from disk into text: size limit, binary detection, encoding.

Each refusal is an `InputError` whose message is one line naming the file and the problem.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import InputError, NotFoundError

MAX_BYTES = 32 * 1024 * 1024


def load_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise NotFoundError(f"{p}: no such file") from None
    except OSError as e:
        raise InputError(f"{p}: cannot open: {e.strerror}") from None
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a file")
    if st.st_size > max_bytes:
        raise InputError(
            f"{p}: file too large ({st.st_size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)"
        )
    try:
        return p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror}") from None


def decode(data: bytes, name: str) -> str:
    """Decode filed text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _newlines(data.decode("utf-16"))
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: undecodable UTF-16 at byte {e.start}") from None
    head = data[:65536]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        raise InputError(f"{name}: binary file, not text")
    try:
        return _newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return _newlines(data.decode("cp1252"))
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: undecodable text (not UTF-8 at byte {utf8_error.start}, nor Windows-1252)"
        ) from None


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    return (len(head) - len(head.translate(None, _CONTROL))) / len(head)


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
