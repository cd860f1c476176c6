"""The reader on the other formats users hold: a PDF with a text layer, a scanned PDF, a scanned image,
a Word .docx; and the same formats damaged, encrypted or empty, refused in one line.

Every input is made here, at test time, from one invented certificate of incorporation (`CHARTER`):
the PDF rendered by WeasyPrint, the scans drawn by Pillow in DejaVu Serif, the .docx written by
python-docx. Nothing is mocked: pypdf, python-docx, pdftoppm and tesseract run for real. Each test checks
the facts read (capital, par values, kind, date) and where a fact points (`path:line:col` in the text
the reader extracted, as `load_text` returns it: for a PDF, page N begins after the (N-1)th form feed).
"""

from __future__ import annotations

import html
import io
import shutil
import textwrap
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_bad_input import assert_one_line_error
from test_bad_input import run_cli as run_read

from minutebook.core.errors import InputError
from minutebook.ingest import read
from minutebook.ingest.load import kind_of, load_text
from minutebook.ingest.ocr import available as ocr_available

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out

TITLE = "CERTIFICATE OF INCORPORATION\nOF\nQUILLMERE ORCHARD WORKS, INC."
ARTICLES = [
    "FIRST: The name of the corporation is Quillmere Orchard Works, Inc.",
    "SECOND: The address of the registered office of the corporation in the State of Delaware is "
    "4410 Marsh Lantern Road, in the City of Milford, County of Sussex, 19963. The name of its registered "
    "agent at that address is Tallow Registered Agents LLC.",
    "THIRD: The purpose of the corporation is to engage in any lawful act or activity for which "
    "corporations may be organized under the General Corporation Law of the State of Delaware.",
    "FOURTH: The total number of shares of stock which the corporation shall have authority to issue is "
    "7,350,000 shares, consisting of 6,120,000 shares of Common Stock, par value $0.0025 per share, and "
    "1,230,000 shares of Preferred Stock, par value $0.004 per share.",
    # page 2 of the rendered PDF begins here
    "FIFTH: The name and mailing address of the incorporator is Wren Halloway, 4410 Marsh Lantern Road, "
    "Milford, Delaware 19963.",
    "SIXTH: The board of directors is expressly authorized to make, alter or repeal the bylaws of the "
    "corporation.",
    "SEVENTH: A director of the corporation shall not be personally liable to the corporation or its "
    "stockholders for monetary damages for breach of fiduciary duty as a director, except to the extent "
    "such exemption from liability is not permitted under the General Corporation Law of the State of "
    "Delaware.",
]
WITNESS = (
    "IN WITNESS WHEREOF, the undersigned incorporator has executed this Certificate of Incorporation "
    "this 9th day of October, 2018."
)
SIGNATURE = "/s/ Wren Halloway\nWren Halloway, Incorporator"
PAGE_2 = 4  # index in ARTICLES of the first article on page 2
BLOCKS = [TITLE, *ARTICLES, WITNESS, SIGNATURE]
CHARTER = "\n\n".join(BLOCKS) + "\n"
SIGNED = date(2018, 10, 9)
DATE_TEXT = "9th day of October, 2018"

NO_OCR = "tesseract or pdftoppm not installed (`make system-deps` installs tesseract-ocr and poppler-utils)"
needs_ocr = pytest.mark.skipif(not ocr_available(), reason=NO_OCR)


# -- reading the result ----------------------------------------------------------------------------------


def assert_charter_read(result) -> None:
    """The facts of `CHARTER`, whatever the format it was read from."""
    assert not result.errors, result.errors
    assert [d.kind for d in result.charter.documents] == ["incorporation"]
    assert result.charter.documents[0].signed_on == SIGNED
    cap = result.charter.versions[-1].capital
    assert cap.total_authorized == 7_350_000
    assert {c.key: (c.authorized, c.par_value) for c in cap.classes} == {
        "common": (6_120_000, Decimal("0.0025")),
        "preferred": (1_230_000, Decimal("0.004")),
    }


def at(text: str, ref) -> str:
    """The rest of the line of `text` that `ref` (line and column, 1-based) points to. Lines are split at
    "\\n" only: a form feed is a line of its own, not a line break inside one."""
    return text.split("\n")[ref.line - 1][ref.column - 1 :]


def date_finding(result):
    """The finding that points at the execution date (no filing date in the text)."""
    return next(f for f in result.findings if f.code == "MB-DATE-EXECUTION-ONLY")


def assert_sources(path: Path, result) -> str:
    """The title, the capital article and the date point at their own words in the extracted text."""
    text = load_text(path)
    doc = result.charter.documents[0]
    assert doc.source.path == str(path)
    assert at(text, doc.source).lstrip().startswith("CERTIFICATE OF INCORPORATION"), at(text, doc.source)
    cap = result.charter.versions[-1].capital
    assert "7,350,000" in " ".join(text.split("\n")[cap.source.line - 1 : cap.source.line + 2])
    assert at(text, date_finding(result).source).startswith(DATE_TEXT)
    return text


# -- making the inputs -------------------------------------------------------------------------------------

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
CSS = """
@page { size: letter; margin: 1in;
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 10pt serif } }
body { font: 12pt/1.4 "DejaVu Serif", serif; text-align: justify }
p { margin: 0 0 12pt } p.title { text-align: center; font-weight: bold } p.page { break-before: page }
"""


def render_pdf(path: Path) -> Path:
    """`CHARTER` as a letter-size PDF with a text layer, page 2 from FIFTH on, "Page N of 2" below."""
    import weasyprint

    paras = []
    for i, block in enumerate(BLOCKS):
        cls = "title" if i == 0 else "page" if i == 1 + PAGE_2 else ""
        paras.append(f'<p class="{cls}">' + html.escape(block).replace("\n", "<br>") + "</p>")
    page = f"<html><head><style>{CSS}</style></head><body>{''.join(paras)}</body></html>"
    weasyprint.HTML(string=page).write_pdf(path)
    return path


def scan_page(blocks: list[str]):
    """A letter page at 300 dpi with `blocks` typed on it in 10 pt DejaVu Serif (42 px), as a scanner
    sees a printed page: greyscale, the title centred, slightly skewed."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(SERIF, 42)
    width, height, margin = 2550, 3300, 240
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = margin
    for block in blocks:
        for line in block.split("\n"):
            for piece in textwrap.wrap(line, 76) or [""]:
                x = margin if block != TITLE else (width - draw.textlength(piece, font=font)) / 2
                draw.text((x, y), piece, font=font, fill=20)
                y += 60
        y += 42
    assert y < height - margin, "the page overflows"
    return img.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255)  # fed a little askew


def docx_file(path: Path, numbered: bool = False) -> Path:
    """`CHARTER` as a Word document. `numbered`: the article labels ("FIRST:") are Word's automatic
    numbering (ordinal text, all caps), not typed, and the title is typed in mixed case and set in
    capitals by formatting, as a lawyer's template does it."""
    import docx

    doc = docx.Document()
    title = doc.add_paragraph()
    for i, line in enumerate(TITLE.split("\n")):
        run = title.add_run(line.title() if numbered else line)
        run.font.all_caps = numbered
        if i < 2:
            run.add_break()
    doc.add_paragraph("")  # Word's spacing: an empty paragraph
    if numbered:
        _ordinal_numbering(doc)
    for a in ARTICLES:
        label, _, body = a.partition(": ")
        if label == "FIFTH":  # the incorporator as a table: name | address
            p = doc.add_paragraph("The name and mailing address of the incorporator is as follows:")
            _number(p, numbered, label)
            table = doc.add_table(rows=2, cols=2)
            for r, row in enumerate(
                [("Name", "Mailing Address"), ("Wren Halloway", "4410 Marsh Lantern Road")]
            ):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        _number(doc.add_paragraph(body if numbered else a), numbered, label)
    doc.add_paragraph(WITNESS)
    sig = doc.add_paragraph()
    first, second = SIGNATURE.split("\n")
    sig.add_run(first).add_break()
    sig.add_run(second)
    doc.save(path)
    return path


def _ordinal_numbering(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    root = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="ordinalText"/><w:lvlText w:val="%1:"/><w:rPr><w:caps/></w:rPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = root.find(f"{{{abstract.nsmap['w']}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))


def _number(paragraph, numbered: bool, label: str) -> None:
    if not numbered:
        if label == "FIFTH":
            paragraph.runs[0].text = "FIFTH: " + paragraph.runs[0].text
        return
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 77


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("formats")


@pytest.fixture(scope="module")
def text_pdf(made) -> Path:
    return render_pdf(made / "quillmere-certificate.pdf")


@pytest.fixture(scope="module")
def scanned_pdf(made) -> Path:
    path = made / "quillmere-scan.pdf"
    scan_page(BLOCKS).save(path, resolution=300)
    return path


# -- the plain text the others are made from -------------------------------------------------------------


def test_the_charter_reads_as_plain_text(made):
    path = made / "quillmere.txt"
    path.write_text(CHARTER)
    result = read([path])
    assert_charter_read(result)
    assert_sources(path, result)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n\x00junk before the header%PDF-1.4\n", "pdf"),  # up to 1 KB of junk before it is allowed
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
        (b"CERTIFICATE OF INCORPORATION\n", "text"),
        (b"<html><body>", "text"),
    ],
)
def test_format_told_by_magic_bytes(head, kind):
    assert kind_of(head + b"\n" * 64) == kind


def test_zip_is_docx_only_with_a_word_document(made):
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("word/notes.txt", "word/ but no document.xml")
    assert kind_of(plain.getvalue()) == "zip"
    assert kind_of(docx_file(made / "magic.docx").read_bytes()) == "docx"


# -- PDF with a text layer ----------------------------------------------------------------------------


def test_pdf_text_layer_two_pages(text_pdf):
    result = read([text_pdf])
    assert_charter_read(result)
    text = assert_sources(text_pdf, result)
    lines = text.split("\n")
    breaks = [i for i, line in enumerate(lines) if line == "\f"]
    assert len(breaks) == 1, "two pages: one form-feed line between them"
    # page 2 begins on the line after the first form feed; the capital is on page 1, the date on page 2
    assert lines[breaks[0] + 1].startswith("FIFTH:")
    assert result.charter.versions[-1].capital.source.line - 1 < breaks[0]
    assert date_finding(result).source.line - 1 > breaks[0]
    # the footer is page furniture: in the extracted text, not in the articles read
    assert "Page 1 of 2" in text
    assert all("Page 1 of 2" not in p.text for v in result.charter.versions for p in v.articles)


def test_pdf_is_told_by_content_not_name(text_pdf, made):
    renamed = made / "certificate.dat"
    shutil.copy(text_pdf, renamed)
    result = read([renamed])
    assert_charter_read(result)
    assert result.charter.documents[0].source.path == str(renamed)


def test_pdf_encrypted_without_a_password_is_read(text_pdf, made):
    import pypdf

    path = made / "permissions-only.pdf"
    writer = pypdf.PdfWriter(clone_from=text_pdf)
    writer.encrypt("", owner_password="owner-only", algorithm="AES-128")
    writer.write(path)
    assert pypdf.PdfReader(path).is_encrypted
    assert_charter_read(read([path]))


# -- scans: OCR --------------------------------------------------------------------------------------------


@needs_ocr
def test_scanned_pdf_read_by_ocr(scanned_pdf):
    import pypdf

    assert not pypdf.PdfReader(scanned_pdf).pages[0].extract_text().strip(), "no text layer: a scan"
    result = read([scanned_pdf])
    assert_charter_read(result)
    assert_sources(scanned_pdf, result)


@needs_ocr
def test_pdf_with_text_page_and_scanned_page(text_pdf, made):
    """Page 1 from its text layer, page 2 by OCR; the form feed between them as for any PDF."""
    import pypdf

    scan = made / "page-2-scan.pdf"
    scan_page(BLOCKS[1 + PAGE_2 :]).save(scan, resolution=300)
    path = made / "mixed.pdf"
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(text_pdf).pages[0])
    writer.add_page(pypdf.PdfReader(scan).pages[0])
    writer.write(path)
    result = read([path])
    assert_charter_read(result)
    text = assert_sources(path, result)
    lines = text.split("\n")
    assert lines[lines.index("\f") + 1].startswith("FIFTH:")


@needs_ocr
def test_png_image_read_by_ocr(made):
    path = made / "quillmere-scan.png"
    scan_page(BLOCKS).save(path, dpi=(300, 300))
    result = read([path])
    assert_charter_read(result)
    assert_sources(path, result)


@needs_ocr
def test_two_page_tiff_pages_split_by_form_feed(made):
    path = made / "quillmere-scan.tif"
    first, second = scan_page(BLOCKS[: 1 + PAGE_2]), scan_page(BLOCKS[1 + PAGE_2 :])
    first.save(path, dpi=(300, 300), save_all=True, append_images=[second], compression="tiff_lzw")
    result = read([path])
    assert_charter_read(result)
    lines = assert_sources(path, result).split("\n")
    assert lines.count("\f") == 1 and lines[lines.index("\f") + 1].startswith("FIFTH:")


# -- Word ---------------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table(made):
    path = docx_file(made / "quillmere.docx")
    result = read([path])
    assert_charter_read(result)
    text = assert_sources(path, result)
    lines = text.split("\n")
    # one line a paragraph, a blank line between: the title's three lines, then FIRST on line 5
    assert lines[:5] == [*TITLE.split("\n"), "", ARTICLES[0]]
    assert "Wren Halloway | 4410 Marsh Lantern Road" in lines
    cap = result.charter.versions[-1].capital
    assert lines[cap.source.line - 1].startswith("FOURTH:") or "7,350,000" in at(text, cap.source)


def test_docx_automatic_numbering_and_caps(made):
    """Labels Word prints but does not store ("FIRST:" from the numbering) and capitals set by formatting."""
    path = docx_file(made / "quillmere-numbered.docx", numbered=True)
    text = load_text(path)
    assert text.startswith(TITLE + "\n\n" + ARTICLES[0] + "\n\n" + ARTICLES[1])
    result = read([path])
    assert_charter_read(result)
    assert_sources(path, result)


def test_docx_tracked_deletion_left_out(made):
    """A tracked change as Word shows the final text: the deletion not read, the insertion read."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = docx_file(made / "tracked.docx")
    doc = docx.Document(path)
    fourth = next(p for p in doc.paragraphs if p.text.startswith("FOURTH:"))
    w = nsdecls("w")
    fourth._p.append(
        parse_xml(
            f'<w:del {w} w:id="1" w:author="A"><w:r><w:delText> Deleted words.</w:delText></w:r></w:del>'
        )
    )
    fourth._p.append(
        parse_xml(f'<w:ins {w} w:id="2" w:author="A"><w:r><w:t> Inserted words.</w:t></w:r></w:ins>')
    )
    doc.save(path)
    text = load_text(path)
    assert "Inserted words." in text and "Deleted words." not in text


# -- a book made from a PDF ------------------------------------------------------------------------------------


def test_book_from_pdf_keeps_the_text_read(text_pdf, tmp_path):
    """`init --from certificate.pdf` stores the text the reader read, so `check` reads it again and its
    findings point at the same lines."""
    from minutebook.book import create, open_book
    from minutebook.store import db, log

    url = f"sqlite:///{tmp_path / 'mb.db'}"
    result = read([text_pdf])
    b = create(url, result, [text_pdf])
    with db.read(b.engine) as conn:
        [stored] = log.documents_of(conn, b.corp_id)
    assert stored.name == text_pdf.name and stored.content == load_text(text_pdf)
    found = [f for f in open_book(url).check() if f.code == "MB-DATE-EXECUTION-ONLY"]
    assert [(f.source.line, f.source.column) for f in found] == [
        (date_finding(result).source.line, date_finding(result).source.column)
    ]


# -- bad input: one line on stderr naming the file, no traceback ---------------------------------------------


def truncated_pdf(d: Path, pdf: Path) -> Path:
    p = d / "truncated.pdf"
    data = pdf.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def damaged_pdf(d: Path, pdf: Path) -> Path:
    p = d / "damaged.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n999999\n%%EOF\n")
    return p


def encrypted_pdf(d: Path, pdf: Path) -> Path:
    import pypdf

    p = d / "locked.pdf"
    writer = pypdf.PdfWriter(clone_from=pdf)
    writer.encrypt("open-sesame", algorithm="AES-256")
    writer.write(p)
    return p


def pdf_without_pages(d: Path, pdf: Path) -> Path:
    import pypdf

    p = d / "no-pages.pdf"
    pypdf.PdfWriter().write(p)
    return p


def blank_page_pdf(d: Path, pdf: Path) -> Path:
    import pypdf

    p = d / "blank-page.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.write(p)
    return p


def zip_not_docx(d: Path, pdf: Path) -> Path:
    p = d / "minutes.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("minutes.txt", "not a Word document")
    return p


def corrupt_docx(d: Path, pdf: Path) -> Path:
    """A real .docx whose document.xml is cut in half."""
    good = io.BytesIO()
    docx_file(d / "whole.docx")
    src = zipfile.ZipFile(d / "whole.docx")
    with zipfile.ZipFile(good, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    p = d / "corrupt.docx"
    p.write_bytes(good.getvalue())
    return p


def truncated_docx(d: Path, pdf: Path) -> Path:
    data = docx_file(d / "whole2.docx").read_bytes()
    p = d / "truncated.docx"
    p.write_bytes(data[: len(data) // 2])
    return p


def unreadable_image(d: Path, pdf: Path) -> Path:
    """A PNG signature and header, then the file stops: tesseract cannot read it."""
    p = d / "cut-off-scan.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0")
    return p


def text_named_pdf(d: Path, pdf: Path) -> Path:
    p = d / "certificate-copy.pdf"
    p.write_text("<html><body>Session expired. Please sign in again.</body></html>\n")
    return p


# each bad file, and words its one line must hold (besides the file's name)
BAD = [
    (truncated_pdf, ("damaged PDF", "truncated")),
    (damaged_pdf, ("damaged PDF",)),
    (encrypted_pdf, ("encrypted", "password")),
    (pdf_without_pages, ("no pages",)),
    (blank_page_pdf, ("no text",)),
    (zip_not_docx, ("not a Word document",)),
    (corrupt_docx, ("damaged Word document",)),
    (truncated_docx, ("damaged Word document",)),
    (unreadable_image, ("tesseract",)),
    (text_named_pdf, ("not a PDF",)),
]


@pytest.mark.parametrize(("make", "words"), BAD, ids=[m.__name__ for m, _ in BAD])
def test_bad_file_is_one_line(tmp_path, text_pdf, make, words):
    path = make(tmp_path, text_pdf)
    line = assert_one_line_error(run_read(path), path)
    assert line.startswith("minutebook: error: ")
    assert all(w in line for w in words), line
    with pytest.raises(InputError):  # and the same refusal from the API, as an InputError
        load_text(path)


def test_scan_without_tesseract_names_what_to_install(tmp_path, scanned_pdf):
    """On a machine without tesseract (no PATH here), a scan is refused with what to install."""
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    for path in (scanned_pdf, png):
        line = assert_one_line_error(run_read(path, path_env=str(tmp_path / "no-bin")), path)
        assert "OCR needs tesseract" in line or "needs OCR by tesseract" in line
        assert "apt-get install tesseract-ocr" in line
        assert ("page 1 has no text layer" in line) == (path == scanned_pdf)
