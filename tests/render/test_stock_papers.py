"""The stock papers drawn from a real book (SQLite in a temporary folder): the stock certificate as issued (its
holder, shares in figures and words, class and par from the charter then in force, its legends boxed, the §151(f)
statement, two officers' lines, and SURRENDERED once the ledger ends it), the §151(f) notice of uncertificated
shares, a holder's extract of the ledger, and the secretary's certificate — in HTML, PDF and DOCX — and every
bad input's error.

The book: Acme Widgets, Inc. (Common and Preferred Stock, par $0.001), Ada Lane President and Ben Okafor
Secretary from 2010-01-05; certificates C-1 (Ada, 4,000,000, two legends) and C-2 (Ben, 2,500,000, one legend),
Cy Park's 1,500,000 in book entry; Ada transfers 1,250,000 to Cy in 2012 (C-3 to Cy, C-4 for her balance); in
2015 the Corporation buys 500,000 of Ben's shares back (C-2 surrendered) and issues Ada 100,000 Preferred in book
entry; in 2016 the board rescinds resolution R-3.
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
from minutebook.core.errors import InputError, NotFoundError
from minutebook.render import paper, render
from minutebook.render.docx import text_of
from minutebook.render.stock import number_words

CHARTER = """CERTIFICATE OF INCORPORATION
OF
ACME WIDGETS, INC.

FIRST: The name of the corporation is Acme Widgets, Inc.

SECOND: The address of the registered office of the Corporation in the State of Delaware is 1209
Orange Street, Wilmington, New Castle County, Delaware 19801, and the name of its registered agent at
that address is The Corporation Trust Company.

THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
{capital}

FIFTH: The name and mailing address of the incorporator are Ada Lane, 1 Main Street, Dover, Delaware.

Signed on January 4, 2010

/s/ Ada Lane
Ada Lane, Incorporator
"""
TWO_CLASSES = (
    "15,000,000, consisting of 10,000,000 shares of Common Stock, par value $0.001 per share, and 5,000,000\n"
    "shares of Preferred Stock, par value $0.001 per share. The Board of Directors is hereby granted the\n"
    "power to fix by resolution the powers, preferences and rights of the Preferred Stock and of any series\n"
    "thereof."
)
ONE_CLASS = "10,000,000 shares of Common Stock, par value $0.0001 per share."

P = Decimal("0.001")
SECURITIES = (
    "THE SHARES REPRESENTED HEREBY HAVE NOT BEEN REGISTERED UNDER THE SECURITIES ACT OF 1933 AND MAY NOT BE SOLD "
    "OR TRANSFERRED WITHOUT REGISTRATION OR AN EXEMPTION THEREFROM."
)
ROFR = "THE SHARES ARE SUBJECT TO A RIGHT OF FIRST REFUSAL IN FAVOR OF THE CORPORATION SET OUT IN ITS BYLAWS."
STATEMENT = "will furnish without charge to each stockholder who so requests the powers, designations"
D0, D1, TRANSFER, BUYBACK, RESCIND = (
    date(2010, 1, 5),
    date(2010, 1, 6),
    date(2012, 3, 1),
    date(2015, 3, 2),
    date(2016, 1, 4),
)


def ok(r):
    assert r.event is not None, [f.format() for f in r.findings]
    return r


def new_book(folder: Path, capital: str = TWO_CLASSES):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "charter.txt"
    p.write_text(CHARTER.format(capital=capital), encoding="utf-8")
    return mb.create(f"sqlite:///{folder}/b.db", ingest.read([p]), [p])


def acme(folder: Path):
    b = new_book(folder)
    names = {"ada": "Ada Lane", "ben": "Ben Okafor", "cy": "Cy Park"}
    ok(b.elect_directors(list(names), on=D0, names=names, by="incorporator"))
    issue = {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common", "max_shares": 9_000_000}}
    issue["text"] = "that the officers may issue up to 9,000,000 shares of Common Stock for at least par"
    elect = {
        "id": "R-2",
        "kind": "elect_officers",
        "text": "that Ada Lane be President and Ben Okafor Secretary",
    }
    ok(b.board_act("B-1", on=D0, form="consent", present=list(names), resolutions=[issue, elect]))
    ok(b.appoint_officer("ada", "Ada Lane", ["President"], on=D0, approved_by="R-2"))
    ok(b.appoint_officer("ben", "Ben Okafor", ["Secretary"], on=D0, approved_by="R-2"))
    ok(b.add_holder("ada", "Ada Lane", on=D1, address="1 Main Street, Dover, Delaware 19901"))
    ok(b.add_holder("ben", "Ben Okafor", on=D1))
    ok(b.add_holder("cy", "Cy Park", on=D1, address="9 Elm Road, Newark, Delaware 19711"))
    ok(b.add_holder("dee", "Dee Ford", on=D1))  # holds nothing
    ok(
        b.issue(
            "ada",
            "common",
            4_000_000,
            on=D1,
            price_per_share=P,
            certificate="C-1",
            legends=(SECURITIES, ROFR),
            approved_by="R-1",
        )
    )
    ok(
        b.issue(
            "ben",
            "common",
            2_500_000,
            on=D1,
            price_per_share=P,
            certificate="C-2",
            legends=(SECURITIES,),
            approved_by="R-1",
        )
    )
    ok(b.issue("cy", "common", 1_500_000, on=D1, price_per_share=P, legends=(ROFR,), approved_by="R-1"))
    ok(
        b.transfer(
            "ada",
            "cy",
            "common",
            1_250_000,
            on=TRANSFER,
            certificate="C-1",
            new_certificate="C-3",
            balance_certificate="C-4",
        )
    )
    bank = {
        "id": "R-3",
        "kind": "general",
        "text": "that the Corporation open an account with First State Bank",
    }
    ok(b.board_act("B-2", on=date(2014, 6, 2), form="meeting", present=["ada", "ben"], resolutions=[bank]))
    buy = {
        "id": "R-BUY",
        "kind": "general",
        "text": "that the Corporation buy back 500,000 shares of Ben Okafor",
        "params": {"surplus": "50000"},
    }
    pref = {
        "id": "R-P",
        "kind": "issue_shares",
        "text": "that 100,000 shares of Preferred Stock be issued to Ada Lane",
        "params": {"class_key": "preferred"},
    }
    ok(b.board_act("B-3", on=BUYBACK, form="consent", present=list(names), resolutions=[buy, pref]))
    ok(
        b.repurchase(
            "ben",
            "common",
            500_000,
            on=BUYBACK,
            price_per_share=Decimal("0.01"),
            certificate="C-2",
            approved_by="R-BUY",
        )
    )
    ok(b.issue("ada", "preferred", 100_000, on=BUYBACK, price_per_share=Decimal("1.00"), approved_by="R-P"))
    undo = {
        "id": "R-4",
        "kind": "general",
        "text": "that resolution R-3 is rescinded",
        "params": {"rescinds": "R-3"},
    }
    ok(b.board_act("B-4", on=RESCIND, form="consent", present=list(names), resolutions=[undo]))
    return b


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    b = acme(tmp_path_factory.mktemp("acme"))
    yield b
    b.close()


def page(b, kind: str, act=None, as_of=None) -> str:
    """The HTML page, its white space collapsed."""
    return re.sub(r"\s+", " ", render(paper(b, kind, act, as_of), "html").data.decode())


def html(b, kind: str, act=None, as_of=None) -> str:
    """The words of the HTML page's body, without its tags."""
    body = page(b, kind, act, as_of).split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf_text(b, kind: str, act=None, as_of=None) -> str:
    data = render(paper(b, kind, act, as_of), "pdf").data
    assert data.startswith(b"%PDF")
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def docx_text(b, kind: str, act=None, as_of=None) -> str:
    return " ".join(" ".join(t.split()) for t in text_of(render(paper(b, kind, act, as_of), "docx").data))


def signs(text: str, name: str, title: str) -> bool:
    """A signature line's name then its title (in HTML, PDF or DOCX text, a line break or none between)."""
    return re.search(re.escape(name) + r"(?:\s|<br>)*" + re.escape(title), text) is not None


def numbers(text: str) -> set[str]:
    """Every share count written with thousands separators in a text ("4,000,000")."""
    return set(re.findall(r"(?<![\d$.,])\d{1,3}(?:,\d{3})+(?![\d,])", text))


# --- numbers in words ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "Zero"),
        (7, "Seven"),
        (21, "Twenty-One"),
        (100, "One Hundred"),
        (1_250_000, "One Million Two Hundred Fifty Thousand"),
        (2_750_000, "Two Million Seven Hundred Fifty Thousand"),
        (150_000_000, "One Hundred Fifty Million"),
        (1_000_001, "One Million One"),
        (45_612_019, "Forty-Five Million Six Hundred Twelve Thousand Nineteen"),
        (3_000_000_000, "Three Billion"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_number_words_refuses_what_is_not_a_whole_number():
    with pytest.raises(InputError, match="not a whole number"):
        number_words(1.5)


# --- stock-certificate ----------------------------------------------------------------------------------------


def test_certificate_in_three_formats_states_the_facts_of_the_register(book):
    c = next(x for x in book.certificates() if x.number == "C-4")
    assert (c.holder_id, c.shares, c.status) == ("ada", 2_750_000, "outstanding")
    for text in (
        html(book, "stock-certificate", "C-4"),
        pdf_text(book, "stock-certificate", "C-4"),
        docx_text(book, "stock-certificate", "C-4"),
    ):
        assert "ACME WIDGETS, INC." in text.upper()
        assert "INCORPORATED UNDER THE LAWS OF THE STATE OF DELAWARE" in text
        assert "Certificate No. C-4" in text
        assert "Ada Lane" in text
        assert "Two Million Seven Hundred Fifty Thousand (2,750,000)" in text
        assert "Common Stock, par value $0.001 per share" in text
        assert (
            SECURITIES in text and ROFR in text
        )  # the legends travel with the shares to the new certificate
        assert STATEMENT in text and "Common Stock, Preferred Stock" in text  # §151(f): two classes
        assert signs(text, "Ada Lane", "President") and signs(text, "Ben Okafor", "Secretary")
        assert "balance of the shares represented by certificate No. C-1" in text
        assert "SURRENDERED" not in text
        assert numbers(text) <= {"2,750,000"}, numbers(text)


def test_each_legend_is_in_a_box_of_its_own(book):
    raw = page(book, "stock-certificate", "C-1")
    for legend in (SECURITIES, ROFR):
        assert f'<table class="legend"><tr><td>{legend}</td></tr></table>' in raw


def test_a_surrendered_certificate_renders_marked_with_its_end_date(book):
    c1 = next(x for x in book.certificates() if x.number == "C-1")
    assert (c1.status, c1.ended_on) == ("surrendered", TRANSFER)
    transfer = next(e.seq for e in book.events if e.type == "SharesTransferred")
    for text in (html(book, "stock-certificate", "C-1"), pdf_text(book, "stock-certificate", "C-1")):
        assert f"SURRENDERED on March 1, 2012 (event {transfer} of the stock ledger)" in text
        assert "Four Million (4,000,000)" in text and "January 6, 2010" in text
    assert "SURRENDERED ON REPURCHASE on March 2, 2015" in html(book, "stock-certificate", "C-2")


def test_a_certificate_issued_on_transfer_names_the_transferor(book):
    text = docx_text(book, "stock-certificate", "C-3")
    assert "Cy Park" in text and "One Million Two Hundred Fifty Thousand (1,250,000)" in text
    assert "shares from Ada Lane, represented by certificate No. C-1, surrendered" in text


def test_a_certificate_can_be_named_by_the_event_that_issued_it(book):
    seq = next(x.seq for x in book.certificates() if x.number == "C-2")
    p = paper(book, "stock-certificate", f"event {seq}")
    assert p.context["number"] == "C-2" and p.context["shares"] == 2_500_000


def test_one_class_no_151f_statement_and_blank_lines_for_officers_not_in_the_book(tmp_path):
    b = new_book(tmp_path, ONE_CLASS)
    ok(b.elect_directors(["ann"], on=D0, names={"ann": "Ann Bell"}, by="incorporator"))
    res = {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common"}}
    ok(b.board_act("B-1", on=D0, form="consent", present=["ann"], resolutions=[res]))
    ok(b.add_holder("ann", "Ann Bell", on=D1))
    ok(
        b.issue(
            "ann",
            "common",
            1_000,
            on=D1,
            price_per_share=Decimal("0.0001"),
            certificate="1",
            approved_by="R-1",
        )
    )
    text = html(b, "stock-certificate", "1")
    assert STATEMENT not in text and "LEGEND" not in text
    assert "One Thousand (1,000)" in text and "par value $0.0001 per share" in text
    assert text.count("Name: ____") == 2 and "President" in text and "Secretary" in text
    b.close()


def test_a_split_leaves_the_certificate_as_issued_and_shows_in_the_ledger(tmp_path):
    b = new_book(tmp_path, ONE_CLASS)
    ok(b.elect_directors(["ann"], on=D0, names={"ann": "Ann Bell"}, by="incorporator"))
    res = {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common"}}
    ok(b.board_act("B-1", on=D0, form="consent", present=["ann"], resolutions=[res]))
    ok(b.add_holder("ann", "Ann Bell", on=D1))
    ok(
        b.issue(
            "ann",
            "common",
            1_000,
            on=D1,
            price_per_share=Decimal("0.0001"),
            certificate="1",
            approved_by="R-1",
        )
    )
    ok(b.split("common", 1, 2, on=date(2011, 5, 2), historical=True))  # kept, its missing approvals reported
    assert b.state(date(2011, 5, 2)).held("ann", "common") == 2_000
    text = html(b, "stock-certificate", "1")
    assert (
        "One Thousand (1,000)" in text
        and "restated by a later split of the Common Stock as 2,000 shares" in text
    )
    rows = paper(b, "holder-ledger", "ann").context["rows"]
    assert [(r["what"], r["change"], r["after"]) for r in rows] == [
        ("issued", 1_000, [1_000]),
        ("split 2 for 1", 1_000, [2_000]),
    ]
    b.close()


def test_a_certificate_for_an_issuance_the_book_finds_defective_says_so(tmp_path):
    b = new_book(tmp_path, ONE_CLASS)
    ok(b.add_holder("ann", "Ann Bell", on=D1))
    ok(
        b.issue(
            "ann", "common", 500, on=D1, price_per_share=Decimal("0.0001"), certificate="7", historical=True
        )
    )
    text = html(b, "stock-certificate", "7")
    assert "Defects the book records for this act" in text and "MB-APPROVAL-MISSING" in text
    assert "Five Hundred (500)" in text
    b.close()


def test_an_unknown_certificate_is_not_found_and_the_known_ones_listed(book):
    with pytest.raises(
        NotFoundError, match=r"no stock certificate 'C-9' in the book \(known: C-1, C-2, C-3, C-4\)"
    ):
        paper(book, "stock-certificate", "C-9")
    with pytest.raises(InputError, match="name what it is drawn for"):
        paper(book, "stock-certificate")
    with pytest.raises(InputError, match="issued no stock certificate"):
        paper(book, "stock-certificate", "event 1")


# --- uncertificated-notice ------------------------------------------------------------------------------------


def test_notice_of_uncertificated_shares_nets_out_the_certificates(book):
    st = book.state(date(2014, 1, 1))
    on_c3 = next(c.shares for c in book.certificates() if c.number == "C-3")
    free = st.held("cy", "common") - on_c3
    assert free == 1_500_000
    for text in (
        html(book, "uncertificated-notice", "cy", date(2014, 1, 1)),
        pdf_text(book, "uncertificated-notice", "cy", date(2014, 1, 1)),
        docx_text(book, "uncertificated-notice", "cy", date(2014, 1, 1)),
    ):
        assert "Cy Park" in text and "9 Elm Road, Newark, Delaware 19711" in text
        assert "Common Stock" in text and "1,500,000" in text and "One Million Five Hundred Thousand" in text
        assert ROFR in text and SECURITIES not in text
        assert STATEMENT in text and "151(f)" in text
        assert "1,250,000 shares of Common Stock on certificates" in text and "2,750,000 in all" in text
        assert "Ben Okafor" in text and "Secretary" in text
        assert numbers(text) <= {"1,500,000", "1,250,000", "2,750,000"}, numbers(text)


def test_notice_before_the_transfer_and_for_the_latest_date(book):
    text = html(book, "uncertificated-notice", "cy", date(2011, 1, 1))
    assert "1,500,000" in text and "on certificates" not in text
    p = paper(book, "uncertificated-notice", "ada")  # latest date: Ada's 100,000 Preferred are in book entry
    assert p.as_of == RESCIND
    assert [(h["stock"]["class_name"], h["shares"]) for h in p.context["holdings"]] == [
        ("Preferred Stock", 100_000)
    ]
    ben = paper(
        book, "uncertificated-notice", "ben"
    )  # C-2 surrendered on the buyback: the rest is in book entry
    assert (
        [h["shares"] for h in ben.context["holdings"]]
        == [book.state(RESCIND).held("ben", "common")]
        == [2_000_000]
    )


def test_notice_bad_inputs(book):
    with pytest.raises(NotFoundError, match=r"no holder 'zed' in the book \(known: ada, ben, cy, dee\)"):
        paper(book, "uncertificated-notice", "zed")
    with pytest.raises(InputError, match=r"all on certificates \(C-4\).*stock-certificate"):
        paper(book, "uncertificated-notice", "ada", date(2014, 1, 1))
    with pytest.raises(InputError, match="a holder of no shares"):
        paper(book, "uncertificated-notice", "dee")
    with pytest.raises(NotFoundError, match="no charter in force on 2009-01-01"):
        paper(book, "uncertificated-notice", "cy", date(2009, 1, 1))


# --- holder-ledger --------------------------------------------------------------------------------------------


def test_holder_ledger_lists_every_entry_with_the_balance_after_it(book):
    p = paper(book, "holder-ledger", "ada")
    rows = p.context["rows"]
    assert [(r["what"], r["change"], r["certificates"]) for r in rows] == [
        ("issued", 4_000_000, "C-1"),
        ("transferred to Cy Park", -1_250_000, "C-1 surrendered, C-4 issued for the balance"),
        ("issued", 100_000, "book entry"),
    ]
    assert p.context["columns"] == ["Common Stock", "Preferred Stock"]
    assert [r["after"] for r in rows] == [[4_000_000, 0], [2_750_000, 0], [2_750_000, 100_000]]
    st = book.state(p.as_of)
    assert p.context["totals"] == [st.held("ada", "common"), st.held("ada", "preferred")]
    for text in (
        html(book, "holder-ledger", "ada"),
        pdf_text(book, "holder-ledger", "ada"),
        docx_text(book, "holder-ledger", "ada"),
    ):
        assert "Ada Lane" in text and "1 Main Street, Dover, Delaware 19901" in text
        assert "$4,000.00 (cash)" in text and "$100,000.00 (cash)" in text
        assert "transferred to Cy Park" in text and "No. C-4" in text
        assert numbers(text) <= {"4,000,000", "1,250,000", "2,750,000", "100,000"}, numbers(text)


def test_holder_ledger_of_a_repurchase_and_to_a_date(book):
    rows = paper(book, "holder-ledger", "ben").context["rows"]
    assert rows[-1]["what"] == "repurchased by the Corporation" and rows[-1]["change"] == -500_000
    assert rows[-1]["consideration"] == "$5,000.00 paid ($0.01 per share)" and rows[-1]["after"] == [
        2_000_000
    ]
    early = paper(book, "holder-ledger", "ada", date(2011, 1, 1))
    assert len(early.context["rows"]) == 1 and early.context["totals"] == [4_000_000]
    assert "No entry" not in html(book, "holder-ledger", "dee") and "records no entry" in html(
        book, "holder-ledger", "dee"
    )


def test_holder_ledger_unknown_holder(book):
    with pytest.raises(NotFoundError, match="no holder 'nobody'"):
        paper(book, "holder-ledger", "nobody")


# --- secretary-certificate ------------------------------------------------------------------------------------


def test_secretary_certificate_incumbency_charter_and_resolutions(book):
    p = paper(book, "secretary-certificate", "R-1,R-3")
    assert p.on == date(2014, 6, 2)  # the last resolution named
    for text in (
        html(book, "secretary-certificate", "R-1,R-3"),
        pdf_text(book, "secretary-certificate", "R-1,R-3"),
        docx_text(book, "secretary-certificate", "R-1,R-3"),
    ):
        assert "Ben Okafor" in text and "Ada Lane" in text and "President" in text and "Secretary" in text
        assert "Specimen signature" in text
        assert "Exhibit A" in text and "January 4, 2010" in text and "Article FOURTH" in text
        assert "Resolution R-1" in text and "up to 9,000,000 shares of Common Stock" in text
        assert "unanimous written consent" in text and "B-1" in text
        assert "Resolution R-3" in text and "First State Bank" in text and "meeting of the Board" in text
        assert "has not been amended, modified or rescinded" in text
        assert "Not certified as unchanged" not in text


def test_a_resolution_rescinded_later_is_not_certified_as_in_force(book):
    p = paper(book, "secretary-certificate", "R-3", date(2016, 6, 1))
    (r,) = p.context["resolutions"]
    assert r["changes"] and "R-4" in r["changes"][0]
    text = html(book, "secretary-certificate", "R-3", date(2016, 6, 1))
    assert "Not certified as unchanged" in text and "that resolution R-3 is rescinded" in text


def test_secretary_certificate_for_a_date_alone_and_a_whole_action(book):
    p = paper(book, "secretary-certificate", None, date(2011, 1, 1))
    assert p.context["resolutions"] == [] and [o["name"] for o in p.context["officers"]] == [
        "Ada Lane",
        "Ben Okafor",
    ]
    whole = paper(book, "secretary-certificate", "B-3")
    assert [r["id"] for r in whole.context["resolutions"]] == ["R-BUY", "R-P"]


def test_secretary_certificate_bad_inputs(book):
    with pytest.raises(NotFoundError, match=r"no board resolution 'R-9' in the book \(known: .*R-1, R-2"):
        paper(book, "secretary-certificate", "R-1,R-9")
    with pytest.raises(InputError, match="adopted on 2014-06-02, after the certificate's date 2012-01-01"):
        paper(book, "secretary-certificate", "R-3", date(2012, 1, 1))
    with pytest.raises(NotFoundError, match="no charter in force on 2009-12-31"):
        paper(book, "secretary-certificate", None, date(2009, 12, 31))
    with pytest.raises(InputError, match="give --for"):
        paper(book, "secretary-certificate")
