"""Extractors one by one: figures and words, dates, citations, splits, blank-check holders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minutebook.ingest import read
from minutebook.ingest.extract.citations import find_citations
from minutebook.ingest.extract.dates import find_dates, signing_date
from minutebook.ingest.extract.numbers import amounts, parse_figure, words_to_int
from minutebook.ingest.extract.stock import read_capital, read_splits

DOCS = Path(__file__).parent / "docs"


@pytest.mark.parametrize(
    ("raw", "value", "ocr", "candidates"),
    [
        ("150,000,000", 150_000_000, False, ()),
        ("150,000,00", None, False, (15_000_000, 150_000_000)),
        ("1 50,000,000", 150_000_000, True, ()),
        ("2O,OOO,OOO", 20_000_000, True, ()),
        ("l0,000,000", 10_000_000, True, ()),
        ("1000", 1000, False, ()),
    ],
)
def test_figures(raw, value, ocr, candidates):
    f = parse_figure(raw)
    assert (f.value, f.ocr, f.candidates) == (value, ocr, candidates)


def test_words_and_figures():
    assert words_to_int("One Hundred Twenty-Five Million Five Hundred Thousand") == 125_500_000
    (a,) = amounts("is One Hundred Million (100,000,000) shares")
    assert (a.value, a.words_value, a.disagrees) == (100_000_000, 100_000_000, False)
    (b,) = amounts("Fifty Million (5,000,000) shares")
    assert b.disagrees and b.value == 5_000_000 and b.words_value == 50_000_000


def test_dates():
    text = "IN WITNESS WHEREOF ... this 19th, day of March, 1999. By: /s/ X"
    assert signing_date(text).value == date(1999, 3, 19)
    found = [
        d.value
        for d in find_dates(
            "Signed on August 28, 1997; FILED 09:00 AM 03/14/2005; the twenty-eighth day of August, 1997"
        )
    ]
    assert found == [date(1997, 8, 28), date(2005, 3, 14), date(1997, 8, 28)]


def test_citation_forms():
    text = (
        "Section 242 of the General Corporation Law, § 102(b)(7), 8 Del. C. § 141(d), Sections 228 and 242 "
        "of the DGCL, paragraph (7) of subsection (b) of Section 102 of the Delaware General Corporation Law, "
        "and Section 78.195 of NRS"
    )
    got = [(c.section, c.dgcl) for c in find_citations(text)]
    assert got == [
        ("242", True),
        ("102(b)(7)", True),
        ("141(d)", True),
        ("228", True),
        ("242", True),
        ("102(b)(7)", True),
        ("78.195", False),
    ]


def test_capital_one_sentence_form():
    t = (
        "The total number of shares of all classes of stock which the Corporation shall have authority to issue "
        "is One Hundred Ten Million (110,000,000) shares, consisting of (i) One Hundred Million (100,000,000) "
        "shares of Class A Common Stock, par value $0.0001 per share, (ii) 5,000,000 shares of Class B Common "
        "Stock, without par value, and (iii) Ten Million (10,000,000) shares of Preferred Stock, par value "
        "$0.001 per share. Each share of Class B Common Stock shall entitle the holder to ten (10) votes per "
        "share. The Board of Directors is hereby expressly authorized to provide for the issuance of shares "
        "of the Preferred Stock in one or more series and to fix the designations, powers, preferences and "
        "rights."
    )
    c = read_capital(t, 0, len(t))
    assert c.total.value == 110_000_000
    assert [(x.key, x.amount.value, str(x.par) if x.par else None, x.no_par, x.votes) for x in c.classes] == [
        ("class_a_common", 100_000_000, "0.0001", False, None),
        ("class_b_common", 5_000_000, None, True, 10),
        ("preferred", 10_000_000, "0.001", False, None),
    ]
    assert c.holder == "board of directors"


def test_blank_check_holder_other_than_board():
    t = (
        "25,000,000 of such shares shall be preferred stock. The President of the Corporation is hereby granted "
        "the power to determine by resolution from time to time the powers, preferences, rights of the "
        "preferred stock."
    )
    assert read_capital(t, 0, len(t)).holder == "the President"


def test_reverse_split():
    t = (
        "each ten (10) shares of Common Stock issued and outstanding shall automatically, and without any "
        "action on the part of the holder thereof, be combined into one (1) share of Common Stock"
    )
    (s,) = read_splits(t, 0, len(t))
    assert (s.old, s.new, s.class_key) == (10, 1, "common")
    harrow = read([DOCS / "harrowgate-reverse-split.txt"]).to_json()
    assert harrow["versions"][1]["splits"] == [
        {"class": "common", "from": 10, "to": 1, "kind": "reverse", "article": "FOURTH"}
    ]


def test_a_defined_term_for_a_series_names_that_series():
    """A series defined with a short name ("the Junior Preferred Stock") is the same series when a later sentence uses
    the short name: the reader makes no second series of it. (The definition follows the name's closing quote.)"""
    from minutebook.ingest.extract.designations import read_series

    text = (
        'Section 1. Designation and Amount. The shares of such series shall be designated as "Series A Junior '
        'Participating Preferred Stock" (the "Junior Preferred Stock") and the number of shares constituting such '
        "series shall be 2,000.\n\n"
        'Section 2. Designation and Amount. The shares of such series shall be designated as "Junior Preferred '
        'Stock" and the number of shares constituting such series shall be 3,000.\n'
    )
    got = [(s.name, s.authorized) for s in read_series(text, 0, len(text))]
    assert got == [("Series A Junior Participating Preferred Stock", 2000)]


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "Of the 3,000,000 shares of Preferred Stock, 1,000,000 shares are designated Series A-1 Preferred Stock "
            "and 2,000,000 shares are designated Series A-2 Preferred Stock. The Series A-2 Preferred Stock ranks "
            "junior to the Series A-1 Preferred Stock.",
            [("Series A-1 Preferred Stock", 1_000_000), ("Series A-2 Preferred Stock", 2_000_000)],
        ),
        (
            "1,000,000 shares of the Preferred Stock are hereby designated Series A Preferred Stock. Another "
            "2,000,000 shares are hereby designated Series A-1 Preferred Stock.",
            [("Series A Preferred Stock", 1_000_000), ("Series A-1 Preferred Stock", 2_000_000)],
        ),
        (  # the same letter alone, a longer name: the series already read
            "1,000,000 shares of the Preferred Stock are hereby designated Series C Preferred Stock. The Series C "
            "Convertible Preferred Stock shall be convertible into 2,000,000 shares of Common Stock.",
            [("Series C Preferred Stock", 1_000_000)],
        ),
    ],
)
def test_a_series_letter_is_its_whole_designator(text, want):
    """A later name with the same letter is the series already read ("Series C Convertible Preferred Stock" for
    "Series C Preferred Stock"), but "A-1" and "A-2" are letters of their own: two series, neither of them "A"."""
    from minutebook.ingest.extract.designations import read_series

    assert [(s.name, s.authorized) for s in read_series(text, 0, len(text))] == want


def test_past_the_most_series_a_document_holds_the_rest_are_not_read_and_the_reader_says_where(
    tmp_path, monkeypatch
):
    """A document that designates more series than any charter holds (`MAX_SERIES`): the first ones are read, the
    reader stops at the next and says so with its place (file:line), and nothing else of the document is lost."""
    from minutebook.ingest.extract import designations

    monkeypatch.setattr(designations, "MAX_SERIES", 3)
    names = [f"Series {chr(65 + i)}-{i} Preferred Stock" for i in range(6)]
    listed = ", ".join(f'{(i + 1) * 1000:,} shares designated as "{n}"' for i, n in enumerate(names))
    path = tmp_path / "many.txt"
    path.write_text(
        "CERTIFICATE OF DESIGNATIONS\nOF\nMANY SERIES CORP.\n\n"
        "RESOLVED, that pursuant to the authority vested in the Board of Directors by the Certificate of "
        "Incorporation, the Board of Directors hereby designates the following series of Preferred Stock:\n"
        f"{listed}.\n"
    )
    r = read([path])
    (v,) = r.to_json()["versions"]
    (pref,) = [c for c in v["classes"] if c["kind"] == "preferred"]
    assert [(s["name"], s["authorized"]) for s in pref["series"]] == [
        (names[0], 1000),
        (names[1], 2000),
        (names[2], 3000),
    ]
    (too_many,) = [f for f in r.findings if f.code == "MB-TOO-MANY-SERIES"]
    assert "more than 3 series" in too_many.message
    assert too_many.format().startswith(f"{path}:6:")  # the line that names the fourth
