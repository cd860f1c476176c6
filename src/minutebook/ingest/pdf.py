"""PDF files into text: each page's text layer (pypdf), or, for a page that has only a scanned image, its OCR.

The text of a PDF is its pages' texts in page order with a line holding a form feed between pages, so
page N begins on the line after the (N-1)th form feed; the reader's `clean` stage takes form feeds as
page breaks (and drops the page numbers and running heads beside them). A page's text is pypdf's layout
extraction (lines as printed, a blank line where the page leaves a gap, so paragraphs stay apart), with
trailing blanks cut, runs of spaces (justified lines) closed up and runs of blank lines made one.

A page with fewer than `MIN_TEXT` letters or digits in its text layer and an image on it is a scan: it
is rasterised by Debian's `pdftoppm` and read by Tesseract (`ocr.ocr_pdf_pages`). A page with neither
is blank and gives no text. An encrypted PDF is read when it opens with the empty password (permissions only), refused
when it needs one. A damaged or truncated file is refused, not read in part: a charter read without its
last pages would give wrong facts. Every refusal is one `InputError` line naming the file; pypdf's own
log and warnings are kept off stderr.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from ..core.errors import InputError
from . import ocr

MIN_TEXT = 24  # letters and digits a page's text layer needs for it to count as text, not a scan
PAGE_BREAK = "\n\f\n"
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s.*?\sID\s", re.S)


def pdf_text(data: bytes, name: str) -> str:
    """The text of PDF `data` (read from the file `name`), pages joined by `PAGE_BREAK`."""
    with _quiet():
        pages = _open(data, name)
        texts: list[str | None] = []  # None: a scanned page, to OCR
        for n, page in enumerate(pages, 1):
            try:
                text = _page_text(page)
                scan = _alnum(text) < MIN_TEXT and _has_image(page)
            except Exception as e:  # pypdf on a damaged page: any exception, never a traceback
                raise InputError(f"{name}: damaged PDF: page {n} cannot be read ({_reason(e)})") from None
            texts.append(None if scan else text)
    scans = [n for n, t in enumerate(texts, 1) if t is None]
    if scans:
        read = ocr.ocr_pdf_pages(data, name, scans)
        texts = [read[n] if t is None else t for n, t in enumerate(texts, 1)]
    if not any(_alnum(t or "") for t in texts):
        raise InputError(
            f"{name}: no text in the PDF ({_pages(len(texts))}: no text layer and no scanned image)"
        )
    return PAGE_BREAK.join(t or "" for t in texts)


def tidy(text: str) -> str:
    """One page's text as the reader wants it: no trailing blanks, no justified gaps, no blank runs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [_SPACES.sub(" ", line.rstrip()) for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _open(data: bytes, name: str) -> list:
    from pypdf import PdfReader  # imported here: reading a text file need not load pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if b"%%EOF" not in data[-4096:]:
        raise InputError(f"{name}: damaged PDF: truncated (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise InputError(
                    f"{name}: encrypted PDF, with a cipher this installation cannot open"
                ) from None
            if not opened:
                raise InputError(
                    f"{name}: encrypted PDF: it needs a password; save an unprotected copy"
                ) from None
        pages = list(reader.pages)
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(f"{name}: encrypted PDF: it needs a password; save an unprotected copy") from None
    except Exception as e:  # pypdf raises many kinds on a damaged file, PdfReadError among them
        raise InputError(f"{name}: damaged PDF: {_reason(e)}") from None
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    return pages


def _page_text(page) -> str:
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # layout extraction fails on some fonts and matrices: the plain extraction instead
        text = page.extract_text()
    return tidy(text or "")


def _has_image(page) -> bool:
    """An image XObject on the page (or in a form it draws), or an inline image in its content."""
    if _xobject_image(page.get("/Resources"), 0):
        return True
    contents = page.get_contents()
    return contents is not None and _INLINE_IMAGE.search(contents.get_data()) is not None


def _xobject_image(resources, depth: int) -> bool:
    if resources is None or depth > 4:
        return False
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        x = ref.get_object()
        subtype = x.get("/Subtype")
        if subtype == "/Image" or (subtype == "/Form" and _xobject_image(x.get("/Resources"), depth + 1)):
            return True
    return False


def _alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


def _reason(e: Exception) -> str:
    """An exception as a short clause on one line."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:157] + "..."


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf logs and warns about what it repairs; the user gets our one line, or nothing."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(level)
