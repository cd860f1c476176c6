"""OCR of scans: image files (PNG, JPEG, TIFF) and the image-only pages of a PDF, by Tesseract.

Debian's `tesseract` binary (package `tesseract-ocr`, with `tesseract-ocr-eng`) is called through
`subprocess`, one page at a time, with a time limit; PDF pages are first rasterised at `DPI` by Debian's
`pdftoppm` (package `poppler-utils`), which renders the page as it is printed whatever its image
encoding (JPEG, CCITT fax, JBIG2, JPEG 2000, masks, several strips), where taking the image out of
the PDF would need a decoder for each and would miss rotation and cropping. Nothing is downloaded
and no model is loaded but Tesseract's own English data.

The text is Tesseract's: lines as it found them, a blank line between blocks; the pages of a
multi-page TIFF are joined with a form-feed line as a PDF's are. The reader's figure checks
(`MB-FIGURE-OCR`) take care of scanning noise in numbers. A tool that is missing, times out or cannot
read the image is one `InputError` line naming the file (and the page) and what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import InputError

DPI = 300  # what Tesseract reads best at
RENDER_TIMEOUT_S = 60  # pdftoppm, one page
OCR_TIMEOUT_S = 180  # tesseract, one page
PAGE_BREAK = "\n\f\n"
IMAGE_SUFFIX = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif"}
_INSTALL = {"tesseract": "tesseract-ocr", "pdftoppm": "poppler-utils"}


def ocr_image(data: bytes, name: str, kind: str) -> str:
    """The text of an image file (`kind`: "png", "jpeg" or "tiff"); a TIFF's pages split by form feeds."""
    tesseract = _tool("tesseract", f"{name}: is a {kind.upper()} image; reading it needs OCR by")
    with tempfile.TemporaryDirectory(prefix="minutebook-ocr-") as tmp:
        image = Path(tmp) / f"scan{IMAGE_SUFFIX[kind]}"
        image.write_bytes(data)
        text = _tesseract(tesseract, image, None, name, "", "the image")
    pages = [_tidy(p) for p in text.split("\f")]
    while pages and not pages[-1]:
        pages.pop()
    if not any(any(c.isalnum() for c in p) for p in pages):
        raise InputError(f"{name}: OCR found no text in the image")
    return PAGE_BREAK.join(pages)


def ocr_pdf_pages(data: bytes, name: str, pages: list[int]) -> dict[int, str]:
    """Page number → OCR text for the given (1-based) pages of PDF `data`."""
    first = f"{name}: page {pages[0]} has no text layer and OCR needs"
    tesseract = _tool("tesseract", first)
    pdftoppm = _tool("pdftoppm", first)
    out: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="minutebook-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        for n in pages:
            root = Path(tmp) / f"page-{n}"
            # greyscale PGM: what tesseract reads, and no time spent compressing a file read once
            argv = [pdftoppm, "-r", str(DPI), "-gray", "-f", str(n), "-l", str(n), "-singlefile"]
            _run([*argv, str(pdf), str(root)], name, f"page {n}: ", "the page to OCR it", RENDER_TIMEOUT_S)
            image = root.with_suffix(".pgm")
            if not image.exists():
                raise InputError(f"{name}: page {n}: pdftoppm rendered no image of it")
            out[n] = _tidy(_tesseract(tesseract, image, DPI, name, f"page {n}: ", "its image"))
            image.unlink()
    return out


def available() -> bool:
    """Whether OCR can run here: both tools on PATH."""
    return all(shutil.which(t) for t in _INSTALL)


def _tool(tool: str, head: str) -> str:
    """The path of `tool`; where it is missing, `head` ("x.pdf: page 1 has no text layer and OCR needs")
    is finished into the one-line refusal."""
    path = shutil.which(tool)
    if path is None:
        raise InputError(f"{head} {tool}, which is not installed (apt-get install {_INSTALL[tool]})")
    return path


def _tesseract(tesseract: str, image: Path, dpi: int | None, name: str, where: str, what: str) -> str:
    argv = [tesseract, str(image), "stdout", "-l", "eng", "--psm", "3"]
    if dpi:
        argv += ["--dpi", str(dpi)]
    return _run(argv, name, where, what, OCR_TIMEOUT_S)


def _run(argv: list[str], name: str, where: str, what: str, timeout: int) -> str:
    """Run a tool; its failure is "NAME: WHERE TOOL cannot read WHAT (its complaint)"."""
    tool = Path(argv[0]).name
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one page at a time: threads only contend on it
    try:
        proc = subprocess.run(
            argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(f"{name}: {where}{tool} took longer than {timeout} s on {what}; gave up") from None
    except OSError as e:
        raise InputError(f"{name}: {where}cannot run {tool}: {e.strerror}") from None
    if proc.returncode != 0:
        raise InputError(f"{name}: {where}{tool} cannot read {what} ({_complaint(proc.stderr, tool)})")
    return proc.stdout.decode("utf-8", errors="replace")


def _complaint(stderr: bytes, tool: str) -> str:
    """The line of a tool's stderr that says what went wrong, for a one-line message."""
    lines = [" ".join(line.split()) for line in stderr.decode("utf-8", errors="replace").splitlines()]
    lines = [line for line in lines if line]
    if any("Failed loading language" in line for line in lines):
        return "no English data: apt-get install tesseract-ocr-eng"
    said = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
    said = said or f"{tool} failed"
    return said if len(said) <= 160 else said[:157] + "..."


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\f", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")
