"""Container formats: SEC SGML wrappers and HTML exhibits, turned into mapped plain text.

`parts(file)` returns one `MappedText` per embedded document (`<DOCUMENT>…<TEXT>…</TEXT>`) or one
for the whole file. HTML is reduced to its text with block elements as line breaks; every
character of the result still maps to its offset in the file.
"""

from __future__ import annotations

import re
from array import array
from html.entities import name2codepoint
from html.parser import HTMLParser

from .textmap import Builder, MappedText, SourceFile

_DOCUMENT = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_TYPE = re.compile(r"<TYPE>[ \t]*([^\n<]*)", re.I)
_TEXT = re.compile(r"<TEXT>\n?(.*?)(?:</TEXT>|\Z)", re.S | re.I)
_HTML_HINT = re.compile(r"<(?:html|body|p|div|br|table|font|span|td|b|center)\b[^>]*>", re.I)
_SGML_TAG_LINE = re.compile(r"^[ \t]*</?(?:PAGE|S|C|FN|CAPTION|TABLE)>[ \t]*\d*[ \t]*$", re.M | re.I)

BINARY_TYPES = ("GRAPHIC", "ZIP", "EXCEL", "PDF", "XML", "JSON", "EX-101")


def parts(file: SourceFile) -> list[tuple[str | None, MappedText]]:
    """(SEC document type or None, text) for each document the file carries."""
    text = file.text
    out: list[tuple[str | None, MappedText]] = []
    if "<DOCUMENT>" in text[:200000].upper():
        for m in _DOCUMENT.finditer(text):
            body = m.group(1)
            tm = _TYPE.search(body)
            doc_type = tm.group(1).strip() if tm else None
            if doc_type and doc_type.upper().startswith(BINARY_TYPES):
                continue
            xm = _TEXT.search(body)
            if not xm:
                continue
            start = m.start(1) + xm.start(1)
            end = m.start(1) + xm.end(1)
            out.append((doc_type, _as_text(file, start, end)))
        if out:
            return out
    return [(None, _as_text(file, 0, len(text)))]


def _as_text(file: SourceFile, start: int, end: int) -> MappedText:
    chunk = file.text[start:end]
    if _HTML_HINT.search(chunk[:20000]):
        return strip_html(file, start, end)
    mt = MappedText.identity(file, start, end)
    if "<" in chunk and _SGML_TAG_LINE.search(chunk):
        b = Builder(file)
        pos = 0
        for m in _SGML_TAG_LINE.finditer(chunk):
            b.copy(mt, pos, m.start())
            pos = m.end()
        b.copy(mt, pos, len(chunk))
        mt = b.build()
    return mt


_BLOCK = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "center",
    "hr",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "title",
    "section",
    "article",
    "header",
    "footer",
}
_SKIP = {"script", "style", "head"}


class _Stripper(HTMLParser):
    def __init__(self, file: SourceFile, base: int, text: str):
        super().__init__(convert_charrefs=False)
        self.b = Builder(file)
        self.base = base
        self.skip = 0
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in re.finditer("\n", text))

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.base + self._line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.b.insert("\n", self._pos())
        elif tag in ("td", "th"):
            self.b.insert(" ", self._pos())

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.b.insert("\n", self._pos())

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.b.insert("\n", self._pos())

    def handle_data(self, data):
        if self.skip:
            return
        start = self._pos()
        # HTML whitespace: newlines inside an element are spaces; keep one char per char for mapping.
        self.b.add(data.replace("\n", " ").replace("\t", " ").replace("\xa0", " "), start)

    def handle_entityref(self, name):
        if not self.skip:
            cp = name2codepoint.get(name)
            self.b.insert(" " if name == "nbsp" else (chr(cp) if cp else f"&{name};"), self._pos())

    def handle_charref(self, name):
        if self.skip:
            return
        try:
            cp = int(name[1:], 16) if name[:1] in "xX" else int(name)
            # a surrogate or an unassigned control is not a character: the replacement character stands for it
            ch = " " if cp == 160 else "\ufffd" if 0xD800 <= cp <= 0xDFFF or cp == 0 else chr(cp)
        except (ValueError, OverflowError):
            ch = ""
        self.b.insert(ch, self._pos())


def strip_html(file: SourceFile, start: int, end: int) -> MappedText:
    text = file.text[start:end]
    p = _Stripper(file, start, text)
    try:
        p.feed(text)
        p.close()
    except (
        AssertionError
    ):  # html.parser gives up on some malformed declarations ("<![junk[", "<!1"): tags cut
        return _strip_tags(file, start, end)
    return p.b.build()


_TAG = re.compile(r"<[^<>]{0,2000}>")


def _strip_tags(file: SourceFile, start: int, end: int) -> MappedText:
    """HTML read the simple way: every tag cut, a block tag standing for a line break."""
    b = Builder(file)
    pos = start
    for m in _TAG.finditer(file.text, start, end):
        b.copy_source(pos, m.start())
        name = re.match(r"</?\s*([A-Za-z0-9]+)", m.group(0))
        if name and name.group(1).lower() in _BLOCK:
            b.insert("\n", m.start())
        pos = m.end()
    b.copy_source(pos, end)
    return b.build()
