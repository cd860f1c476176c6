"""The franchise-tax worksheet drawn from a real book (SQLite in a temporary folder): both methods, their inputs
from the book (classes, authorized shares, par, issued shares, the gross assets reported), every trace line of
`tax.franchise_tax` under its section, the lesser chosen, the fee, installments and due date — and, for a year
with no gross assets recorded, the authorized shares method alone with the reason, never an invented amount.

The book: Brisk Tools, Inc. (10,000,000 Common, par $0.0001), incorporated 2010-01-06, 8,000,000 shares issued;
gross assets of $250,000 reported for 2024 and none for 2025.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from minutebook import book as mb
from minutebook import ingest
from minutebook.core.errors import InputError
from minutebook.core.events import GrossAssetsReported
from minutebook.render import paper, render
from minutebook.render.docx import text_of
from minutebook.render.facts import money
from minutebook.tax import franchise_tax

CHARTER = """CERTIFICATE OF INCORPORATION
OF
BRISK TOOLS, INC.

FIRST: The name of the corporation is Brisk Tools, Inc.

SECOND: The address of the registered office of the Corporation in the State of Delaware is 1209
Orange Street, Wilmington, New Castle County, Delaware 19801, and the name of its registered agent at
that address is The Corporation Trust Company.

THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
10,000,000 shares of Common Stock, par value $0.0001 per share.

FIFTH: The name and mailing address of the incorporator are Ann Bell, 1 Main Street, Dover, Delaware.

Signed on January 6, 2010

/s/ Ann Bell
Ann Bell, Incorporator
"""
ON = date(2010, 1, 6)


def ok(r):
    assert r.event is not None, [f.format() for f in r.findings]
    return r


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("brisk")
    p = folder / "charter.txt"
    p.write_text(CHARTER, encoding="utf-8")
    b = mb.create(f"sqlite:///{folder}/b.db", ingest.read([p]), [p])
    ok(b.elect_directors(["ann"], on=ON, names={"ann": "Ann Bell"}, by="incorporator"))
    res = {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common"}}
    ok(b.board_act("B-1", on=ON, form="consent", present=["ann"], resolutions=[res]))
    ok(b.add_holder("ann", "Ann Bell", on=ON))
    ok(b.issue("ann", "common", 8_000_000, on=ON, price_per_share=Decimal("0.0001"), approved_by="R-1"))
    ok(b.record(GrossAssetsReported(2024, Decimal("250000")), date(2025, 2, 1)))
    yield b
    b.close()


def texts(b, act=None, as_of=None) -> dict[str, str]:
    """The worksheet's words in each format: HTML (tags removed), PDF, DOCX."""
    p = paper(b, "tax-worksheet", act, as_of)
    page = render(p, "html").data.decode().split("<body>", 1)[1]
    pdf = render(p, "pdf").data
    return {
        "html": " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split()),
        "pdf": " ".join(" ".join((x.extract_text() or "").split()) for x in PdfReader(io.BytesIO(pdf)).pages),
        "docx": " ".join(" ".join(t.split()) for t in text_of(render(p, "docx").data)),
    }


def test_both_methods_their_inputs_and_the_lesser(book):
    r = franchise_tax(book, 2024)
    assert r.apvc is not None and r.method == "apvc" and r.tax == r.apvc < r.asm
    for fmt, text in texts(book, "2024").items():
        assert "Brisk Tools, Inc." in text or "BRISK TOOLS, INC." in text, fmt
        assert "tax year 2024" in text and "March 1, 2025" in text, fmt
        assert money(r.asm) in text and money(r.apvc) in text, fmt
        assert "the lesser: assumed par value capital method" in text, fmt
        assert money(r.annual_report_fee) in text and money(r.total_due) in text, fmt
        assert "Common Stock" in text and "10,000,000" in text and "par value $0.0001 per share" in text, fmt
        assert "8,000,000" in text and "$250,000.00" in text, fmt  # issued shares; gross assets reported
        assert "Gross assets not recorded" not in text, fmt
        assert "None: the tax is paid in full with the annual report" in text, fmt  # under $5,000


def test_every_trace_line_is_printed_under_its_section(book):
    r = franchise_tax(book, 2024)
    text = texts(book, "2024")["html"]
    for title in (
        "Authorized shares method (8 Del. C. § 503(a)(1))",
        "Assumed par value capital method",
        "Rates for tax year 2024",
        "The tax",
    ):
        assert title in text
    at = -1
    for line in r.trace:
        assert line.text in text
        assert line.source in text
    # grouped: the ASM steps come before the APVC steps, which come before the result
    for section in ("asm", "apvc", "result"):
        first = next(x.text for x in r.trace if x.section == section)
        assert text.index(first) > at
        at = text.index(first)


def test_no_gross_assets_recorded_shows_the_asm_alone_and_says_why(book):
    r = franchise_tax(book, 2025)
    assert r.apvc is None and r.method == "asm"
    p = paper(book, "tax-worksheet", "2025")
    assert p.context["apvc"] is None and p.context["no_gross_assets"]
    assert all(x["gross_assets"] is None and x["apvc"] is None for x in p.context["periods"])
    for fmt, text in texts(book, "2025").items():
        assert "Gross assets not recorded" in text and "not computed" in text, fmt
        assert "Not computed: the book records no gross assets for 2025" in text, fmt
        assert money(r.asm) in text and "authorized shares method, the only one computed" in text, fmt
        assert "assumed par =" not in text, fmt  # no APVC arithmetic on an invented amount
        for i in r.installments:  # the ASM is $5,000 or more: estimated installments
            assert money(i.amount) in text, fmt
    assert sum(i["amount"] for i in p.context["installments"]) == r.tax


def test_the_year_of_a_date(book):
    p = paper(book, "tax-worksheet", None, date(2024, 6, 30))
    assert p.context["year"] == 2024 and p.act == "2024" and p.stem == "tax-worksheet-2024"


def test_bad_years(book):
    with pytest.raises(InputError, match=r"tax year as four digits \(e.g. 2025\), not '20x5'"):
        paper(book, "tax-worksheet", "20x5")
    with pytest.raises(InputError, match="no Delaware franchise-tax rates for tax year 2013"):
        paper(book, "tax-worksheet", "2013")
    with pytest.raises(
        InputError, match=r"tax year 2009 is before Brisk Tools, Inc. was incorporated \(2010-01-06\)"
    ):
        paper(book, "tax-worksheet", "2009")
    with pytest.raises(InputError, match="give --for"):
        paper(book, "tax-worksheet")
