"""A paper to bytes: HTML from its Jinja2 template, PDF from that HTML (WeasyPrint), DOCX from the same HTML
(`docx.from_html`, python-docx) — one template per document, three formats that say the same words.

Templates live in `render/templates/`, extend `base.html.j2`, and use only the HTML that `docx.from_html`
knows (headings, paragraphs, tables, lists, signature blocks). Undefined names are errors (StrictUndefined):
a template cannot silently print nothing where a fact was meant to be.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from ..core.errors import InputError
from .facts import FILTERS
from .papers import Paper

FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True, slots=True)
class Rendered:
    paper: Paper
    format: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def name(self) -> str:
        return f"{self.paper.stem}.{self.format}"


@cache
def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("minutebook.render", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def html(paper: Paper) -> str:
    """The paper as an HTML page."""
    return _env().get_template(paper.template).render(paper=paper, **paper.context)


def pdf(page: str) -> bytes:
    """An HTML page as PDF (WeasyPrint)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # the Python package, or its Pango libraries
        raise InputError(
            f"PDF needs WeasyPrint and its Pango libraries ({e}); run `make install`, or draw --format docx|html"
        ) from None
    return HTML(string=page).write_pdf()


def render(paper: Paper, fmt: str = "pdf") -> Rendered:
    fmt = str(fmt or "pdf").lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    page = html(paper)
    if fmt == "html":
        return Rendered(paper, fmt, page.encode("utf-8"))
    if fmt == "pdf":
        return Rendered(paper, fmt, pdf(page))
    from .docx import from_html

    return Rendered(paper, fmt, from_html(page))
