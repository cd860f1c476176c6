"""HTML to Word: the small subset of HTML the templates use, written as a .docx with python-docx, so counsel
gets the same words in a file they can edit.

Known: h1–h3; p (classes "center", "right", "indent", "small", "sig"); strong/b, em/i, u; br; blockquote;
ul/ol/li; table/tr/th/td (a "plain" table has no borders); hr and div.pagebreak (a page break); the head, style
and script are skipped. Anything else is read for its text. Blank runs of white space are collapsed as a
browser does.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


class _Writer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.doc = docx.Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(11.5)
        self._align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        self.skip = 0  # inside head/style/script
        self.para = None  # the paragraph being filled
        self.fmt: list[str] = []  # open inline tags
        self.lists: list[str] = []
        self.table: list[list[tuple[str, bool]]] | None = None  # rows of (cell text, header)
        self.table_plain = False
        self.cell: list[str] | None = None
        self.cell_head = False
        self.quote = 0

    # --- blocks --------------------------------------------------------------------------------------

    def _start_para(self, style: str | None = None, classes: str = "") -> None:
        from docx.shared import Inches

        self.para = self.doc.add_paragraph(style=style)
        for c in classes.split():
            if c in self._align:
                self.para.alignment = self._align[c]
            if c == "indent" or self.quote:
                self.para.paragraph_format.left_indent = Inches(0.5)
            if c == "sig":
                self.para.paragraph_format.space_before = Inches(0.35)
        if self.quote and "indent" not in classes:
            self.para.paragraph_format.left_indent = Inches(0.5)
        self._lead = True

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = a.get("class") or ""
        if tag in ("head", "style", "script", "title"):
            self.skip += 1
            return
        if self.skip:
            return
        if self.cell is not None:
            if tag == "br":
                self.cell.append("\n")
            return
        if tag in ("h1", "h2", "h3"):
            self.para = self.doc.add_heading(level={"h1": 1, "h2": 2, "h3": 3}[tag])
            if "center" in classes or tag == "h1":
                self.para.alignment = self._align["center"]
            self._lead = True
        elif tag == "p":
            self._start_para(None, classes)
        elif tag == "li":
            self._start_para(
                "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet", classes
            )
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "br" and self.para is not None:
            self.para.add_run().add_break()
            self._lead = True
        elif tag in ("strong", "b", "em", "i", "u"):
            self.fmt.append(tag)
        elif tag == "table":
            self.table, self.table_plain, self.para = [], "plain" in classes, None
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell, self.cell_head = [], tag == "th"
        elif tag == "hr" or (tag == "div" and "pagebreak" in classes):
            from docx.enum.text import WD_BREAK

            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            self.para = None

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script", "title"):
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("td", "th") and self.cell is not None and self.table is not None:
            text = _SPACE.sub(" ", "".join(self.cell).replace("\n", "\x00")).replace("\x00", "\n")
            self.table[-1].append((text.strip(), self.cell_head))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._flush_table()
        elif tag in ("p", "li", "h1", "h2", "h3"):
            self.para = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in ("strong", "b", "em", "i", "u") and tag in self.fmt:
            del self.fmt[len(self.fmt) - 1 - self.fmt[::-1].index(tag)]

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        text = _SPACE.sub(" ", data)
        if self.para is None:
            if not text.strip():
                return
            self._start_para()
        if self._lead:
            text = text.lstrip()
            if not text:
                return
            self._lead = False
        run = self.para.add_run(text)
        run.bold = any(t in ("strong", "b") for t in self.fmt) or None
        run.italic = any(t in ("em", "i") for t in self.fmt) or None
        run.underline = "u" in self.fmt or None

    def _flush_table(self) -> None:
        rows = [r for r in self.table or [] if r]
        self.table = None
        if not rows:
            return
        width = max(len(r) for r in rows)
        t = self.doc.add_table(rows=len(rows), cols=width)
        if not self.table_plain:
            t.style = "Table Grid"
        for i, r in enumerate(rows):
            for j, (text, head) in enumerate(r):
                cell = t.cell(i, j)
                lines = text.split("\n")
                p = cell.paragraphs[0]
                for k, line in enumerate(lines):
                    run = p.add_run(line.strip())
                    run.bold = head or None
                    if k < len(lines) - 1:
                        run.add_break()
        self.para = None


def from_html(page: str) -> bytes:
    """The .docx bytes of an HTML page written with the templates' subset of HTML."""
    w = _Writer()
    w.feed(page)
    w.close()
    buf = io.BytesIO()
    w.doc.save(buf)
    return buf.getvalue()


def text_of(data: bytes) -> list[str]:
    """The paragraphs of a .docx (tables' cells row by row), as text: what a test compares."""
    import docx

    d = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(
                "\n" if t.tag.endswith("}br") else (t.text or "")
                for t in child.iter()
                if t.tag[-2:] in ("}t", "br")
            )
            if text.strip():
                out.append(text)
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        " ".join("".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t")).split())
                        for tc in row.iter()
                        if tc.tag.endswith("}tc")
                    ]
                    out.append(" | ".join(cells))
    return out
