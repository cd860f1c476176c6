"""Word documents (.docx) into text, as they read on the page (python-docx opens the package).

Named `word`, not `docx`, so it is never taken for python-docx's own `docx` package.

The body is read in order, paragraphs and tables alike (also inside content controls): each paragraph
is one line, followed by a blank line, so the reader splits articles and paragraphs as in a filing;
a line break inside a paragraph stays a line break; empty paragraphs (Word's spacing) give nothing.
Each table row is one line, its cells' text separated by " | ", a blank line before and after the
table. What Word shows but does not store as text is put back: automatic numbering ("ARTICLE I",
"FIRST:", "4.1") from the numbering definitions, and capitals set by formatting (All caps, Small caps)
on a run or through its styles. Text deleted in tracked changes is left out, inserted text kept;
headers, footers, footnotes, comments and text boxes are not read (page furniture, not charter text).

Line N of the result is what the reader's `path:line:col` refers to: the paragraph or table row on
that line. A file that is not a Word document or is damaged is one `InputError` line naming it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from ..core.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 256 * 1024 * 1024  # document.xml unpacked: more is a zip bomb, not a charter
_SKIP = {W + "del", W + "moveFrom", W + "txbxContent", W + "drawing", W + "pict", W + "object"}
_SKIP_TAGS = ("AlternateContent",)  # mc:AlternateContent: a drawing and its fallback


def docx_text(data: bytes, name: str) -> str:
    """The text of Word document `data` (read from the file `name`)."""
    import docx  # python-docx, imported here: reading a text file need not load it (nor lxml)

    _check_zip(data, name)
    try:
        doc = docx.Document(io.BytesIO(data))
        numbering = _Numbering(doc)
        blocks = list(_blocks(doc.element.body, numbering))
    except InputError:
        raise
    except ValueError as e:
        # a template (.dotx) or macro document (.docm), by its content type
        if "is not a Word file" in str(e):
            kind = str(e).rpartition("content type is ")[2].strip("'")
            raise InputError(f"{name}: not a Word .docx document (its content type is {kind})") from None
        raise InputError(f"{name}: damaged Word document: {_reason(e)}") from None
    except Exception as e:  # python-docx, lxml and zipfile raise many kinds on a damaged file
        raise InputError(f"{name}: damaged Word document: {_reason(e)}") from None
    text = "\n\n".join(b for b in blocks if b.strip())
    if not any(c.isalnum() for c in text):
        raise InputError(f"{name}: the Word document holds no text")
    return text


def is_docx(data: bytes) -> bool:
    """A zip holding a WordprocessingML main document (`word/document.xml`, or as its content types say)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return True
            if "[Content_Types].xml" in names:
                return b"wordprocessingml.document.main+xml" in z.read("[Content_Types].xml")[: 1 << 20]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        return False
    return False


def zip_kind(data: bytes, named_docx: bool = False) -> str:
    """What a zip that is not a Word document is, for the refusal: "an Excel workbook", "a zip archive"."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mime = z.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as e:
        what = "damaged Word document: not a readable zip" if named_docx else "a damaged zip archive"
        return f"{what} ({_reason(e)}; truncated?)"
    if b"opendocument.text" in mime:
        return "an OpenDocument text (.odt), not a Word .docx (save it as .docx or PDF)"
    if "xl/workbook.xml" in names:
        return "an Excel workbook, not a Word document"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation, not a Word document"
    return "a zip archive, not a Word document (.docx)"


def _check_zip(data: bytes, name: str) -> None:
    """The zip whole (every member's checksum) and not a zip bomb, before python-docx unpacks it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            size = sum(i.file_size for i in z.infolist() if i.filename.startswith("word/"))
            if size > MAX_XML_BYTES:
                raise InputError(f"{name}: Word document too large unpacked ({size / 1e6:.0f} MB)")
            bad = z.testzip()
    except InputError:
        raise
    except Exception as e:  # BadZipFile, zlib.error, EOFError ... from a damaged archive
        raise InputError(f"{name}: damaged Word document: {_reason(e)}") from None
    if bad is not None:
        raise InputError(f"{name}: damaged Word document: {bad} is corrupt")


# ------------------------------------------------------------------------------------------------- body


def _blocks(container, numbering: _Numbering) -> Iterator[str]:
    """Paragraphs and tables of a body (or content control) in order, each block's text."""
    for el in container:
        tag = el.tag
        if tag == W + "p":
            yield _paragraph(el, numbering)
        elif tag == W + "tbl":
            yield "\n".join(row for row in _rows(el, numbering) if row)
        elif tag in (W + "sdt", W + "customXml"):
            content = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if content is not None:
                yield from _blocks(content, numbering)


def _rows(tbl, numbering: _Numbering) -> Iterator[str]:
    for tr in _children(tbl, W + "tr"):
        cells = []
        for tc in _children(tr, W + "tc"):
            parts = [_one_line(b) for b in _blocks(tc, numbering)]
            text = " ".join(p for p in parts if p)
            if text:
                cells.append(text)
        yield " | ".join(cells)


def _children(el, tag: str) -> Iterator:
    """`el`'s children with `tag`, also those wrapped in content controls."""
    for c in el:
        if c.tag == tag:
            yield c
        elif c.tag == W + "sdt":
            content = c.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag)


def _paragraph(p, numbering: _Numbering) -> str:
    text = "".join(_runs(p, numbering.caps_of_paragraph(p), numbering))
    label = numbering.label(p)
    if label and text.strip():
        return f"{label} {text.lstrip()}"
    return text if text.strip() else ""


def _runs(el, para_caps: bool, numbering: _Numbering) -> Iterator[str]:
    for c in el:
        tag = c.tag
        if not isinstance(tag, str) or tag in _SKIP or tag.endswith(_SKIP_TAGS):
            continue
        if tag == W + "r":
            text = "".join(_run_text(c))
            yield text.upper() if numbering.caps_of_run(c, para_caps) else text
        elif tag != W + "pPr":
            yield from _runs(c, para_caps, numbering)  # hyperlinks, insertions, fields, smart tags


def _run_text(r) -> Iterator[str]:
    for c in r:
        tag = c.tag
        if tag == W + "t":
            yield c.text or ""
        elif tag == W + "tab":
            yield "\t"
        elif tag in (W + "br", W + "cr"):
            yield "\n"
        elif tag == W + "noBreakHyphen":
            yield "-"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reason(e: Exception) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --------------------------------------------------------------------------------- numbering and capitals


class _Numbering:
    """Word's automatic numbering and style-set capitals, resolved as Word shows them."""

    def __init__(self, doc) -> None:
        self.styles = {s.get(W + "styleId"): s for s in doc.styles.element.iter(W + "style")}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.levels: dict[str, dict[int, object]] = {}  # abstractNumId → ilvl → w:lvl
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[str] = set()
        root = doc.part.numbering_part.element  # an empty one when the document has none
        for a in root.iter(W + "abstractNum"):
            self.levels[a.get(W + "abstractNumId")] = {
                int(lv.get(W + "ilvl", "0")): lv for lv in a.iter(W + "lvl")
            }
        for n in root.iter(W + "num"):
            aid = n.find(W + "abstractNumId")
            starts = {
                int(o.get(W + "ilvl", "0")): int(s.get(W + "val", "1"))
                for o in n.iter(W + "lvlOverride")
                for s in o.iter(W + "startOverride")
            }
            if aid is not None:
                self.nums[n.get(W + "numId")] = (aid.get(W + "val"), starts)

    def label(self, p) -> str:
        num_id, ilvl = self._num_pr(p)
        if num_id is None or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid, {})
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        counters = self.counters.setdefault(aid, {})
        if overrides and num_id not in self.restarted:  # "restart numbering": a new num, its own start
            self.restarted.add(num_id)
            counters.clear()
            counters.update({k: v - 1 for k, v in overrides.items()})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else _start(lvl)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt_el = lvl.find(W + "numFmt")
        if fmt_el is not None and fmt_el.get(W + "val") == "bullet":
            return ""
        pattern = _val(lvl, "lvlText") or ""
        legal = lvl.find(W + "isLgl") is not None
        out = pattern
        for k in range(9):
            if f"%{k + 1}" in out:
                klvl = levels.get(k)
                n = counters.get(k, _start(klvl) if klvl is not None else 1)
                kfmt = "decimal" if legal or klvl is None else (_val(klvl, "numFmt") or "decimal")
                out = out.replace(f"%{k + 1}", _format(n, kfmt))
        rpr = lvl.find(W + "rPr")
        return out.upper() if rpr is not None and _caps(rpr) else out

    def _num_pr(self, p) -> tuple[str | None, int]:
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle") if ppr is not None else None
        if num_pr is None:
            for s in self._chain(style):
                sppr = s.find(W + "pPr")
                num_pr = sppr.find(W + "numPr") if sppr is not None else None
                if num_pr is not None:
                    break
        if num_pr is None:
            return None, 0
        num_id = _val(num_pr, "numId")
        ilvl = _val(num_pr, "ilvl")
        if ilvl is None and num_id in self.nums:  # a style's level: the one naming that style
            levels = self.levels.get(self.nums[num_id][0], {})
            ilvl = next((str(k) for k, lv in levels.items() if _val(lv, "pStyle") == style), "0")
        return (None if num_id in (None, "0") else num_id), int(ilvl or 0)

    def _chain(self, style_id: str | None) -> Iterator:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            s = self.styles[style_id]
            yield s
            style_id = _val(s, "basedOn")

    def caps_of_paragraph(self, p) -> bool:
        ppr = p.find(W + "pPr")
        return self._style_caps(_val(ppr, "pStyle") if ppr is not None else None) or False

    def caps_of_run(self, r, para_caps: bool) -> bool:
        rpr = r.find(W + "rPr")
        if rpr is not None:
            direct = _caps(rpr)
            if direct is not None:
                return direct
            char_style = self._style_caps(_val(rpr, "rStyle"))
            if char_style is not None:
                return char_style
        return para_caps

    def _style_caps(self, style_id: str | None) -> bool | None:
        for s in self._chain(style_id):
            rpr = s.find(W + "rPr")
            caps = _caps(rpr) if rpr is not None else None
            if caps is not None:
                return caps
        return None


def _caps(rpr) -> bool | None:
    """All caps or small caps set on (True) or off (False) in run properties; None when not said."""
    for tag in ("caps", "smallCaps"):
        el = rpr.find(W + tag)
        if el is not None:
            return el.get(W + "val", "true").lower() not in ("0", "false", "off")
    return None


def _val(el, tag: str) -> str | None:
    c = el.find(W + tag) if el is not None else None
    return c.get(W + "val") if c is not None else None


def _start(lvl) -> int:
    return int(_val(lvl, "start") or "1")


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
)
_ONES += "seventeen eighteen nineteen"
_UNITS = _ONES.split()
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
}
_ORD.update({"twelve": "twelfth"})
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
_ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _format(n: int, fmt: str) -> str:
    """A list number in Word's format `fmt` (decimal, upperRoman, ordinalText ...)."""
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        out = ""
        for value, letters in _ROMAN:
            while n >= value:
                out, n = out + letters, n - value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("cardinalText", "ordinalText") and 0 < n < 100:
        words = _UNITS[n] if n < 20 else _TENS[n // 10] + (f"-{_UNITS[n % 10]}" if n % 10 else "")
        if fmt == "ordinalText":
            head, _, last = words.rpartition("-")
            last = _ORD.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
            words = f"{head}-{last}" if head else last
        return words[0].upper() + words[1:]
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)
