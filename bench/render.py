"""Benchmark: drawing the Auxer demo's papers from the book — documents per second as HTML, PDF and DOCX.

The book is the one `make demo` builds (the 1999 story, the 2000 acts, the 2025 gross assets), in a temporary
folder. Each figure is printed beside a baseline measured in the same run on the same papers:

- HTML: the whole draw (the paper's facts read from the book, then the template) against the template alone,
  rendered from facts already read (Jinja2 with nothing of minutebook's in the loop);
- PDF: the whole draw against WeasyPrint alone, laying out the same HTML pages already rendered;
- DOCX: the whole draw against python-docx writing the same paragraphs, with no HTML read.

    .venv/bin/python bench/render.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# the demo's papers: (kind, --for, --as-of)
PAPERS = [
    ("board-consent", "B-1997-1", None),
    ("board-minutes", "B-1999-1", None),
    ("meeting-notice", "M-1999", None),
    ("stockholder-list", "M-1999", None),
    ("meeting-minutes", "M-1999", None),
    ("certificate-of-amendment", None, date(1997, 8, 28)),
    ("certificate-of-amendment", "R-1999-1", None),
    ("restated-certificate", None, date(2000, 12, 31)),
    ("board-consent", "B-2000-1", None),
    ("stock-certificate", "CS-1", None),
    ("holder-ledger", "eugene", None),
    ("uncertificated-notice", "alice", None),
    ("secretary-certificate", "R-1999-1,R-1999-2", date(2000, 12, 31)),
    ("tax-worksheet", "2025", None),
    ("amendment-cure-resolution", "MB-BLANK-CHECK-DEFECTIVE", None),
    ("amendment-cure-consent", "MB-BLANK-CHECK-DEFECTIVE", None),
    ("amendment-cure-certificate", "MB-BLANK-CHECK-DEFECTIVE", None),
    ("ratification-resolution", "MB-APPROVAL-MISSING", None),
    ("ratification-notice", "MB-APPROVAL-MISSING", None),
]


def _book(folder: Path):
    from minutebook.book import open_book, stories
    from minutebook.core.events import GrossAssetsReported
    from minutebook.governance.story import load

    path = folder / "auxer.db"
    first = load(ROOT / "examples" / "auxer-1999-amendment.yaml")
    book = stories.create_book(first, str(path))
    stories.run(book, first)
    stories.run(book, load(ROOT / "examples" / "auxer-2000-secretary-and-unapproved-issue.yaml"))
    book.record(GrossAssetsReported(2025, Decimal("1000000")), date(2026, 2, 15))
    book.close()
    return open_book(str(path))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measure; the best counts (default 3)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    import docx as python_docx
    from weasyprint import HTML

    from minutebook.render import paper, render
    from minutebook.render.docx import text_of
    from minutebook.render.output import html

    with tempfile.TemporaryDirectory() as tmp:
        book = _book(Path(tmp))
        papers = [
            paper(book, k, a, d) for k, a, d in PAPERS
        ]  # once, to warm the caches and for the baselines
        pages = [html(p) for p in papers]
        paragraphs = [text_of(render(p, "docx").data) for p in papers]
        n = len(papers)

        def draw(fmt: str):
            return lambda: [render(paper(book, k, a, d), fmt) for k, a, d in PAPERS]

        def templates_only() -> None:
            for p in papers:
                html(p)

        def weasyprint_only() -> None:
            for page in pages:
                HTML(string=page).write_pdf()

        def docx_only() -> None:
            for ps in paragraphs:
                d = python_docx.Document()
                for t in ps:
                    d.add_paragraph(t)
                d.save(io.BytesIO())

        figures = {}
        for fmt, base in (("html", templates_only), ("pdf", weasyprint_only), ("docx", docx_only)):
            repeat = args.repeat if fmt != "pdf" else max(1, min(args.repeat, 2))
            ours = _best(draw(fmt), repeat)
            theirs = _best(base, repeat)
            figures[fmt] = (n / ours, n / theirs, ours / theirs)
        book.close()

    print(f"papers={n}")
    for fmt, (ours, theirs, ratio) in figures.items():
        print(f"{fmt}_docs_s={ours:.1f}")
        print(f"{fmt}_baseline_docs_s={theirs:.1f}")
        print(f"{fmt}_ratio={ratio:.2f}")
    print()
    names = {"html": "the template alone", "pdf": "WeasyPrint alone", "docx": "python-docx alone"}
    for fmt, (ours, theirs, ratio) in figures.items():
        print(
            f"{fmt.upper()}: {n} Auxer papers drawn from the book at {ours:.1f} documents/s; "
            f"{names[fmt]} on the same papers: {theirs:.1f}/s ({ratio:.2f}x the time)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
