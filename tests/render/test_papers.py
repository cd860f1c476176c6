"""The board's, the stockholders' and the filing papers drawn from the Auxer demo book: each matches its golden text
(the PDF's text through pypdf, the DOCX's paragraphs), every share count, sum and date in each comes from the book,
the law's words change with the date (§219), and bad input is refused with nothing recorded.

Golden texts live in tests/render/golden/; after a deliberate change to a template, regenerate them with
`MINUTEBOOK_REGOLD=1 pytest tests/render/test_papers.py` and read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from minutebook.core.errors import InputError, NotFoundError
from minutebook.core.events import DocumentDrawn
from minutebook.render import draw, drawn, kinds, match, paper, render
from minutebook.render.docx import text_of
from minutebook.render.output import html
from minutebook.render.papers import KINDS

GOLDEN = Path(__file__).parent / "golden"

# The Auxer demo's papers: (kind, --for, --as-of). Every kind the demo draws, the cure packages' papers included.
AUXER = [
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


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _visible(page: str) -> str:
    """The words of an HTML page a reader sees: tags, the head and the style sheet taken out."""
    body = page.split("<body>", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", body)
    return _words(
        text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"')
    )


def _golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MINUTEBOOK_REGOLD"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got + "\n", encoding="utf-8")
    assert path.exists(), f"no golden text {path.name}: run with MINUTEBOOK_REGOLD=1 and review it"
    assert got == path.read_text(encoding="utf-8").rstrip("\n"), f"{name} differs from its golden text"


def _stem(kind: str, act: str | None, as_of: date | None) -> str:
    tail = act or (as_of.isoformat() if as_of else "")
    return re.sub(r"[^A-Za-z0-9.-]+", "-", f"{kind}-{tail}").strip("-")


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "act", "as_of"), AUXER, ids=[_stem(*a) for a in AUXER])
def test_each_auxer_paper_matches_its_golden_text_in_pdf_and_docx(auxer_read_only, kind, act, as_of):
    p = paper(auxer_read_only, kind, act, as_of)
    pdf = render(p, "pdf").data
    assert pdf.startswith(b"%PDF-")
    _golden(f"{_stem(kind, act, as_of)}.pdf.txt", _words(_pdf_text(pdf)))
    docx = render(p, "docx").data
    _golden(f"{_stem(kind, act, as_of)}.docx.txt", "\n".join(_words(t) for t in text_of(docx)))


def test_every_demo_kind_is_a_registered_kind_and_has_a_template():
    templates = Path(__file__).resolve().parents[2] / "src" / "minutebook" / "render" / "templates"
    for k in KINDS.values():
        assert (templates / k.template).is_file(), k.name
        assert k.cites, f"{k.name} cites no section"
    assert {a[0] for a in AUXER} <= set(KINDS)
    assert len(AUXER) >= 15
    assert [k.name for k in kinds()][:2] == ["board-consent", "board-minutes"]  # grouped: the board first


# --- every number comes from the book ---------------------------------------------------------------------

_FIGURE = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")  # 175,000,000
_MONEY = re.compile(r"\$\s?(\d[\d,]*\.?\d*)")
_LONG_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})"
)
_MONTHS = _LONG_DATE.pattern.split("(", 2)[1].split(")")[0].split("|")  # the month names, in order


def _book_numbers(book) -> tuple[set[int], set[str], set[date]]:
    """Every share count, money amount and date the book holds: in its events (payloads and texts), its charter
    versions' articles, and the ledger's totals by class and holder on each date an event happened."""
    ints: set[int] = set()
    money: set[str] = set()
    dates: set[date] = set()
    texts: list[str] = []
    for e in book.log:
        dates.add(e.effective_on)
        payload = json.dumps(e.body.to_payload())
        texts.append(payload)
        for m in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", payload):
            dates.add(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        for m in re.finditer(r"\"(\d+(?:\.\d+)?)\"|\b(\d+)\b", payload):
            v = m.group(1) or m.group(2)
            if "." in v:
                money.add(str(float(v)))
            else:
                ints.add(int(v))
    for v in book.charter.versions:
        if v.effective_on:
            dates.add(v.effective_on)
        texts += [a.text for a in v.articles]
        if v.capital:
            ints |= {c.authorized for c in v.capital.classes if c.authorized}
            ints.add(v.capital.total_authorized or 0)
    for t in texts:
        ints |= {int(f.replace(",", "")) for f in _FIGURE.findall(t)}
        money |= {str(float(m.replace(",", ""))) for m in _MONEY.findall(t) if m.strip(".,")}
    approvals = (
        book.approvals()
    )  # the tallies the book's vote counts give each matter (shares for, outstanding)
    for e in book.log:
        for v in getattr(e.body, "votes", ()) or ():
            o = approvals.get(str(v.get("matter")))
            if o is not None:
                ints |= {n for pair in o.tally.values() for n in pair}
    for d in sorted(dates):
        st = book.state(d)
        per_class: dict[str, int] = {}
        per_holder: dict[str, int] = {}
        for (h, c, _s), n in st.balances.items():
            ints.add(n)
            per_class[c] = per_class.get(c, 0) + n
            per_holder[h] = per_holder.get(h, 0) + n
        ints |= set(per_class.values()) | set(per_holder.values())
        ints.add(sum(per_class.values()))
    return ints, money, dates


def test_every_share_count_and_date_in_the_board_stockholder_and_filing_papers_is_the_books(auxer_read_only):
    book = auxer_read_only
    ints, money, dates = _book_numbers(book)
    for kind, act, as_of in AUXER[:9]:
        p = paper(book, kind, act, as_of)
        text = _visible(html(p))
        for f in _FIGURE.findall(text):
            assert int(f.replace(",", "")) in ints, f"{kind}: {f} is not a number the book holds"
        for m in _MONEY.findall(text):
            assert str(float(m.replace(",", ""))) in money, f"{kind}: ${m} is not an amount the book holds"
        for month, day, year in _LONG_DATE.findall(text):
            d = date(int(year), _MONTHS.index(month) + 1, int(day))
            # the notice states the §222(b) window: 60 and 10 days before the meeting the book records
            window = (
                {x - timedelta(days=n) for x in dates for n in (10, 60)}
                if kind == "meeting-notice"
                else set()
            )
            asked = {as_of} if as_of else set()  # the date the paper was asked to speak as of
            assert d in dates | window | asked, f"{kind}: {d} is not a date the book holds"


def test_the_numbers_test_catches_a_number_the_book_does_not_hold(auxer_read_only):
    ints, _money, _dates = _book_numbers(auxer_read_only)
    assert 45_000_000 in ints and 175_000_000 in ints and 35_000_000 in ints
    assert 44_000_000 not in ints  # a figure retyped wrong would be caught


# --- what the papers say ----------------------------------------------------------------------------------


def test_meeting_minutes_tally_by_class_and_outcome_against_the_threshold(auxer_read_only):
    text = _visible(html(paper(auxer_read_only, "meeting-minutes", "M-1999")))
    assert "Common Stock 35,000,000 10,000,000 0 45,000,000" in text
    assert "a majority of the outstanding voting power (§242(b)(1))" in text
    assert "The matter was approved" in text
    assert "45,000,000 of the 45,000,000 votes entitled to be cast were present (100.00%)" in text


def test_notice_states_date_time_place_record_date_purpose_amendment_and_the_window(auxer_read_only):
    text = _visible(html(paper(auxer_read_only, "meeting-notice", "M-1999")))
    assert (
        "special meeting of the stockholders" in text and "March 19, 1999, at 10:00 a.m., local time" in text
    )
    assert "close of business on February 1, 1999" in text
    assert (
        "The amendment of Article FOURTH" in text and "175,000,000" in text
    )  # purpose, and the text proposed
    assert "given on February 16, 1999, 31 days before the meeting" in text
    assert "between January 18, 1999 and March 9, 1999" in text
    # §219 as it stood in 1999: the list was also open at the meeting (not so from 1 August 2022)
    assert "during its whole time" in text


def test_stockholder_list_is_alphabetical_by_surname_as_of_the_record_date(auxer_read_only):
    p = paper(auxer_read_only, "stockholder-list", "M-1999")
    assert [r["name"] for r in p.context["rows"]] == ["Eugene Chiaramonte", "Alice Ng", "Bob Ray"]
    assert p.context["record_date"] == date(1999, 2, 1)
    assert sum(r["total"] for r in p.context["rows"]) == 45_000_000
    assert "Dana Park" not in _visible(html(p))  # a holder from 2000 is not on a 1999 list


def test_board_consent_has_a_signature_block_for_every_director_in_office(auxer_read_only):
    text = _visible(html(paper(auxer_read_only, "board-consent", "B-2000-1")))
    for name in ("Eugene Chiaramonte", "Jane Roe", "John Doe"):
        assert f"{name} Director" in text
    assert "Jane Roe is elected Secretary" in text
    assert "141(f)" in text


def test_certificates_of_amendment_quote_the_article_as_amended_and_how_it_was_adopted(auxer_read_only):
    b = auxer_read_only
    t1999 = _visible(html(paper(b, "certificate-of-amendment", "R-1999-1")))
    assert "Section 242" in t1999 and "is 175,000,000" in t1999
    assert "resolution R-1999-1 adopted on January 15, 1999" in t1999
    assert "the stockholders approved it (M-1999-1, March 19, 1999)" in t1999
    t1997 = _visible(html(paper(b, "certificate-of-amendment", None, date(1997, 8, 28))))
    assert "Before Payment of Any Part of the Capital" in t1997 and "Section 241" in t1997
    assert "has not received any payment for any of its stock" in t1997 and "is 75,000,000" in t1997
    assert "Eugene Chiaramonte Incorporator" in t1997  # no director yet: the incorporator signs (§103(a)(1))


def test_restated_certificate_compiles_the_charter_in_force_on_the_date(auxer_read_only):
    b = auxer_read_only
    late = _visible(html(paper(b, "restated-certificate", None, date(2000, 12, 31))))
    early = _visible(html(paper(b, "restated-certificate", None, date(1998, 1, 1))))
    assert "is 175,000,000" in late and "is 175,000,000" not in early and "is 75,000,000" in early
    assert (
        "245(c)" in late
        and "amended on August 28, 1997 (Section 241), on March 19, 1999 (Section 242)" in late
    )


def test_219_wording_follows_the_law_of_the_meeting_date(auxer):
    # a meeting after 1 August 2022: the list is open for ten days ending the day before, not at the meeting
    r = auxer.call_meeting(
        "M-2026",
        on=date(2026, 3, 2),
        kind="annual",
        meeting_on=date(2026, 4, 15),
        record_date=date(2026, 3, 10),
        matters=[{"id": "M-2026-1", "kind": "elect_directors", "text": "Elect the directors"}],
        place="the offices of the Corporation",
        historical=True,
    )
    assert not r.refused
    text = _visible(html(paper(auxer, "meeting-notice", "M-2026")))
    assert "ten days ending on the day before the meeting date" in text
    assert "during its whole time" not in text
    assert "an annual meeting" in text and "April 15, 2026, at the offices of the Corporation" in text
    assert "The book records no mailing of this notice yet" in text


# --- recording what was drawn; bad input -------------------------------------------------------------------


def test_a_drawn_paper_is_recorded_with_its_sha256_and_can_be_matched(auxer, tmp_path):
    before = len(auxer.log)
    r = draw(auxer, "meeting-minutes", "M-1999", fmt="pdf", out=tmp_path / "m.pdf", on=date(2026, 1, 5))
    assert (tmp_path / "m.pdf").read_bytes() == r.data
    e = auxer.log[-1]
    assert len(auxer.log) == before + 1 and isinstance(e.body, DocumentDrawn)
    assert (e.body.kind, e.body.act, e.body.sha256, e.body.format) == (
        "meeting-minutes",
        "M-1999",
        r.sha256,
        "pdf",
    )
    assert [x.seq for x in match(auxer, r.data)] == [e.seq]
    assert match(auxer, r.data + b" ") == []
    assert drawn(auxer)[-1].seq == e.seq
    assert auxer.verify() == []


@pytest.mark.parametrize(
    ("kind", "act", "as_of", "error", "words"),
    [
        ("meeting-minutes", "M-2001", None, NotFoundError, "no stockholder meeting 'M-2001'"),
        ("stockholder-consent", "B-1999-1", None, InputError, "it is a board action"),
        ("stockholder-consent", "M-1999", None, InputError, "it is a stockholder meeting"),
        ("board-minutes", "B-1997-1", None, InputError, "unanimous written consent"),
        ("board-consent", "M-1999-1", None, NotFoundError, "no board action or resolution"),
        ("restated-certificate", None, date(1990, 1, 1), NotFoundError, "no charter in force on 1990-01-01"),
        ("restated-certificate", None, None, InputError, "--as-of"),
        ("meeting-notice", None, None, InputError, "--for"),
        ("certificate-of-amendment", "event 999", None, NotFoundError, "no event 999"),
        ("certificate-of-amendment", "event 3", None, InputError, "not a charter amendment"),
        ("no-such-kind", "x", None, InputError, "no document kind"),
    ],
)
def test_bad_input_is_one_clear_error_and_nothing_is_recorded(auxer, kind, act, as_of, error, words):
    before = len(auxer.log)
    with pytest.raises(error) as info:
        draw(auxer, kind, act, as_of)
    assert words in str(info.value) and "\n" not in str(info.value)
    assert len(auxer.log) == before


def test_stockholder_consent_and_its_228e_notice(auxer):
    signed = [{"signer": h, "signed_on": "2001-02-01"} for h in ("eugene", "alice")]
    matters = [
        {"id": "C-2001-1", "kind": "general", "text": "that the bylaws' quorum section be kept as it reads"}
    ]
    r = auxer.written_consent(
        "C-2001", on=date(2001, 2, 1), matters=matters, signatures=signed, historical=True
    )
    assert not r.refused
    consent = _visible(html(paper(auxer, "stockholder-consent", "C-2001")))
    assert "Eugene Chiaramonte Stockholder Date: February 1, 2001" in consent
    assert "Votes of the holders signing: 35,000,000 of 50,000,000 (70.00%)" in consent
    assert "Bob Ray" not in consent and "Section 228" in consent
    notice = _visible(html(paper(auxer, "consent-notice", "C-2001")))
    assert "Bob Ray" in notice and "Dana Park, 12 Orchard Lane" in notice and "Alice Ng" not in notice
    assert "35,000,000 of the 50,000,000 votes" in notice and "228(e)" in notice
    with pytest.raises(InputError, match="it is a written consent of stockholders"):
        paper(auxer, "meeting-notice", "C-2001")


def test_certificate_of_designations_names_the_series_its_size_and_who_fixed_it(auxer):
    r = auxer.board_act(
        "B-2001-2",
        on=date(2001, 3, 1),
        form="consent",
        present=["eugene", "jane", "john"],
        resolutions=[
            {"id": "R-2001-2", "kind": "designate_series", "text": "Create Series A Preferred Stock"}
        ],
    )
    assert not r.refused, r.findings
    r = auxer.designate_series(
        "preferred",
        "series-a",
        "Series A Preferred Stock",
        1_000_000,
        on=date(2001, 3, 1),
        approved_by="R-2001-2",
        historical=True,
    )
    text = _visible(html(paper(auxer, "certificate-of-designations", "series-a")))
    assert "Certificate of Designations of Series A Preferred Stock" in text
    assert (
        "series of 1,000,000 shares of the Corporation's Preferred Stock, par value $0.001 per share" in text
    )
    assert "resolution R-2001-2" in text and "151(g)" in text
    assert "Article FOURTH" in text
    # the charter in force gives the power to the President, not the board: the certificate says so
    assert "grants the power to fix the terms of preferred stock to the President" in text
    assert "putative stock, to be ratified under Section 204" in text
