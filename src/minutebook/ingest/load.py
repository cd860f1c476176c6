"""Reading a file from disk into text: size limit, what the file is, binary detection, encoding.

`load_text` is the reader's way in: it tells a file's format by its content (magic bytes), not its
name, and returns its text — filed text, HTML and SGML decoded here (`decode`); a PDF's text layer or
OCR (`pdf`), a Word .docx (`word`), a scanned image by OCR (`ocr`). For those three the text is the
one the reader reads, so a finding's `path:line:col` counts lines of that text (see the README).
Each refusal is an `InputError` whose message is one line naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..core.errors import InputError, NotFoundError
from . import ocr, pdf, word

MAX_BYTES = 32 * 1024 * 1024

# What a file is, by its first bytes.
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc (and .xls, .msg)
# What a file's name promises; a file named so that is something else is refused, not read as text.
_SUFFIX_KIND = {".pdf": "pdf", ".docx": "docx", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
_SUFFIX_KIND |= {".tif": "tiff", ".tiff": "tiff"}
_KIND_NAME = {"pdf": "a PDF", "docx": "a Word document", "png": "a PNG image", "jpeg": "a JPEG image"}
_KIND_NAME |= {"tiff": "a TIFF image", "ole2": "a legacy Word .doc or other OLE2 file"}


def load_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of any file the reader reads: text, HTML or SGML decoded; a PDF, a Word .docx or an image
    extracted (OCR where a page is a scan). Raises a one-line `InputError` (or `NotFoundError`)."""
    p = Path(path)
    name = str(p)
    data = load_bytes(p, max_bytes)
    kind = kind_of(data)
    expected = _SUFFIX_KIND.get(p.suffix.lower())
    if expected and data.strip() and kind != expected and not {kind, expected} <= set(ocr.IMAGE_SUFFIX):
        if kind == "zip":
            raise InputError(f"{name}: {word.zip_kind(data, expected == 'docx')}")
        it_is = f" (it is {_KIND_NAME[kind]})" if kind in _KIND_NAME else ""
        raise InputError(f"{name}: named {p.suffix} but it is not {_KIND_NAME[expected]}{it_is}")
    if kind == "text":
        return decode(data, name)
    if kind == "zip":
        raise InputError(f"{name}: {word.zip_kind(data)}")
    if kind == "ole2":
        raise InputError(f"{name}: a legacy Word .doc (or other OLE2) file: save it as .docx or PDF")
    key = (kind, hashlib.sha256(data).digest())
    text = _EXTRACTED.pop(key, None)
    if text is None:
        if kind == "pdf":
            text = pdf.pdf_text(data, name)
        elif kind == "docx":
            text = word.docx_text(data, name)
        else:
            text = ocr.ocr_image(data, name, kind)
    _EXTRACTED[key] = text
    while len(_EXTRACTED) > 8:
        del _EXTRACTED[next(iter(_EXTRACTED))]
    return text


# The last texts extracted, by content: `minutebook init` reads a file, then stores its text, and OCR
# (seconds a page) is not to run twice.
_EXTRACTED: dict[tuple[str, bytes], str] = {}


def kind_of(data: bytes) -> str:
    """The format `data` is in, by its first bytes: "pdf", "docx", "zip", "ole2", "png", "jpeg", "tiff", or
    "text" (anything else: `decode` decides)."""
    if data.find(b"%PDF-", 0, 1024) != -1:
        return "pdf"
    if data.startswith(_ZIP):
        return "docx" if word.is_docx(data) else "zip"
    if data.startswith(_OLE2):
        return "ole2"
    return next((kind for magic, kind in _IMAGES if data.startswith(magic)), "text")


def load_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise NotFoundError(f"{p}: no such file") from None
    except OSError as e:
        raise InputError(f"{p}: cannot open: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
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
            return newlines(data.decode("utf-16"))
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: undecodable UTF-16 at byte {e.start}") from None
    head = data[:65536]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        raise InputError(f"{name}: binary file, not text")
    try:
        return newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return newlines(data.decode("cp1252"))
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: undecodable text (not UTF-8 at byte {utf8_error.start}, nor Windows-1252)"
        ) from None


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    return (len(head) - len(head.translate(None, _CONTROL))) / len(head)


# Unicode's other line ends (line and paragraph separators, NEL): each a line break, one character for one
_OTHER_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})


def newlines(text: str) -> str:
    """Every line end as one \\n (CR LF, CR, and Unicode's line and paragraph separators and NEL)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = text.translate(_OTHER_BREAKS)
    return text
