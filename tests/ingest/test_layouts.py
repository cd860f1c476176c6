"""The reader on the shapes filings arrive in, one pattern per test, each on a small invented document.

Flattened text (a whole filing on one line), text broken after every word or two, Markdown and table pipes;
titles that are not at the start of a line or not there at all; amendments read without their base charter;
certificates of designations; documents of other jurisdictions; forms with blanks. Each asserts the facts and,
where the layout was rewritten, that the facts still point at the right line and column of the input.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from minutebook.core.errors import InputError
from minutebook.ingest import read, read_text


def _last(result):
    return result.charter.versions[-1]


def _classes(result) -> dict[str, tuple[int | None, Decimal | None, bool]]:
    cap = _last(result).capital
    return {c.name: (c.authorized, c.par_value, c.no_par) for c in cap.classes}


def _series(result) -> dict[str, int | None]:
    cap = _last(result).capital
    return {s.name: s.authorized for c in cap.classes for s in c.series}


def _codes(result) -> set[str]:
    return {f.code for f in result.findings}


def _line_col(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


FLAT = (
    "EX-3.1 2 d1234dex31.htm EXHIBIT 3.1 CERTIFICATE OF INCORPORATION OF WREN HOLLOW FOODS, INC. UNDER SECTION 102 "
    "OF THE GENERAL CORPORATION LAW OF THE STATE OF DELAWARE I, Pia Lund, for the purpose of forming a corporation, "
    "do hereby certify as follows: ARTICLE FIRST The name of the corporation is Wren Hollow Foods, Inc. "
    "ARTICLE SECOND The address of its registered office in the State of Delaware is 9 Loockerman Square, Dover, "
    "Delaware 19901. ARTICLE THIRD The purpose of the corporation is to engage in any lawful act or activity for "
    "which corporations may be organized under the General Corporation Law of the State of Delaware. "
    "ARTICLE FOURTH The total number of shares which the corporation shall have authority to issue is 3,000,000 "
    "shares, consisting of 2,500,000 shares of Common Stock, par value $0.0001 per share, and 500,000 shares of "
    "Preferred Stock, par value $0.0001 per share. ARTICLE FIFTH The name and mailing address of the incorporator "
    "is Pia Lund, 9 Loockerman Square, Dover, Delaware 19901. IN WITNESS WHEREOF, I have signed this certificate "
    "this 4th day of March, 2003. /s/ Pia Lund\n"
)


def test_a_flattened_filing_is_cut_again_at_its_title_and_headings():
    r = read_text(FLAT, "flat.txt")
    doc = r.documents[0]
    assert (doc.kind, doc.statute) == ("incorporation", "102")
    assert r.corporation == "Wren Hollow Foods, Inc."
    assert _last(r).capital.total_authorized == 3_000_000
    assert _classes(r) == {
        "Common Stock": (2_500_000, Decimal("0.0001"), False),
        "Preferred Stock": (500_000, Decimal("0.0001"), False),
    }
    # the document (its exhibit caption and title, found mid-line) and its facts still point at their places
    assert (doc.source.line, doc.source.column) == _line_col(FLAT, "EXHIBIT 3.1")
    common = _last(r).capital.classes[0].source
    assert (common.line, common.column) == _line_col(FLAT, "2,500,000 shares of Common Stock")


BROKEN = """Exhibit 3.1
LARCHMONT
DEVICES, INC.
SERIES
B CONVERTIBLE PREFERRED STOCK
CERTIFICATE
OF DESIGNATIONS
(Pursuant
to Section 151 of the Delaware General Corporation Law)
Larchmont
Devices, Inc. (the "Corporation"), a corporation organized
and existing under the Delaware General Corporation Law, hereby
certifies that the Board of Directors of
the
Corporation adopted the following resolution on May 2, 2012:
RESOLVED, that the Board of Directors hereby creates a series of
Preferred Stock, par value $0.01 per share, of
the
Corporation, as follows:
Section
1. Designation
and Amount. The shares of such series shall be designated as "Series B Convertible Preferred Stock" (the
"Series B Preferred"), and the number of shares constituting such series shall be 250,000.
"""


def test_a_text_broken_after_every_word_or_two_is_joined_back():
    r = read_text(BROKEN, "broken.txt")
    doc = r.documents[0]
    assert (doc.kind, doc.statute) == ("designations", "151(g)")
    assert r.corporation == "Larchmont Devices, Inc."  # from the recital, not from the series title
    assert _series(r) == {"Series B Convertible Preferred Stock": 250_000}
    assert _classes(r)["Preferred Stock"][1] == Decimal("0.01")
    assert _last(r).partial
    src = _last(r).capital.classes[0].series[0].source
    assert (src.line, src.column) == _line_col(BROKEN, "Series B Convertible Preferred Stock")


MARKDOWN = """# CERTIFICATE OF INCORPORATION
**OF**
**ORRIN LABS, INC.**

|FIRST:
|The name of the corporation is Orrin Labs, Inc.
|SECOND:
|The registered office of the corporation in the State of Delaware is 8 The Green, Dover, Delaware 19901.
|THIRD:
|The purpose of the corporation is any lawful act or activity under the General Corporation Law of Delaware.
|FOURTH:
|The total number of shares of stock which the corporation shall have authority to issue is 1,500 shares of
Common Stock, par value $0.01 per share.
"""


def test_markdown_marks_and_table_pipes_are_set_aside():
    r = read_text(MARKDOWN, "form.md")
    assert r.documents[0].kind == "incorporation"
    assert r.corporation == "Orrin Labs, Inc."
    assert _classes(r) == {"Common Stock": (1_500, Decimal("0.01"), False)}
    common = _last(r).capital.classes[0].source
    assert (common.line, common.column) == _line_col(MARKDOWN, "1,500 shares")


AMENDMENT_OF_RESTATED = """CERTIFICATE OF AMENDMENT
OF THE SECOND AMENDED AND RESTATED CERTIFICATE OF INCORPORATION
OF
QUILLFEATHER THERAPEUTICS, INC.

Quillfeather Therapeutics, Inc., a corporation organized and existing under the General Corporation Law of the
State of Delaware (the "Corporation"), does hereby certify:

FIRST: The Second Amended and Restated Certificate of Incorporation of the Corporation is hereby amended by
deleting the first paragraph of Article FOURTH in its entirety and inserting the following in lieu thereof:

"The total number of shares of all classes of stock which the Corporation shall have authority to issue is
90,000,000 shares, consisting of 80,000,000 shares of Common Stock, par value $0.00001 per share, and
10,000,000 shares of Preferred Stock, par value $0.00001 per share."

SECOND: The foregoing amendment was duly adopted in accordance with the provisions of Section 242 of the
General Corporation Law of the State of Delaware.
"""


def test_an_amendment_of_a_restated_certificate_read_alone_is_a_partial_version():
    r = read_text(AMENDMENT_OF_RESTATED, "amend.txt")
    doc = r.documents[0]
    assert (doc.kind, doc.statute) == ("amendment", "242")
    v = _last(r)
    assert v.capital.total_authorized == 90_000_000
    assert _classes(r)["Common Stock"] == (80_000_000, Decimal("0.00001"), False)
    assert v.partial and "registered_office" in v.unknown and "total_authorized" not in v.unknown
    assert "MB-NO-BASE-CHARTER" in _codes(r)
    assert r.to_json()["versions"][-1]["partial"] is True


@pytest.mark.parametrize(
    "title",
    [
        "FIRST AMENDMENT TO THE THIRD AMENDED AND RESTATED CERTIFICATE OF INCORPORATION",
        "CERTIFICATE OF AMENDMENT TO THE RESTATED CERTIFICATE OF INCORPORATION",
        "Certificate of Amendment of Amended and Restated Certificate of Incorporation",
    ],
)
def test_the_head_of_a_title_decides_its_kind(title):
    text = AMENDMENT_OF_RESTATED.replace(
        "CERTIFICATE OF AMENDMENT\nOF THE SECOND AMENDED AND RESTATED CERTIFICATE OF INCORPORATION", title
    )
    assert read_text(text, "amend.txt").documents[0].kind == "amendment"


FRAGMENT = """"FOURTH: The total number of shares of all classes of stock that the corporation shall have authority to
issue is Twelve Million Five Hundred Thousand (12,500,000), of which Twelve Million (12,000,000) shall be common
stock, par value $.001 per share, and Five Hundred Thousand (500,000) shall be preferred stock, par value $.01 per
share.

Upon the filing of this Certificate of Amendment, each five (5) shares of the corporation's Common Stock issued
and outstanding shall be combined into one (1) share of Common Stock."
"""


def test_an_untitled_fragment_holding_the_new_article_is_an_amendment_that_applies_it():
    r = read_text(FRAGMENT, "fragment.txt")
    assert r.documents[0].kind == "amendment"
    assert _last(r).capital.total_authorized == 12_500_000
    assert _classes(r) == {
        "Common Stock": (12_000_000, Decimal("0.001"), False),
        "Preferred Stock": (500_000, Decimal("0.01"), False),
    }
    (split,) = [p for p in _last(r).provisions_of("stock_split") if p.param("from") is not None]
    assert (split.param("from"), split.param("to"), split.param("kind")) == (5, 1, "reverse")


DESIGNATION = """CERTIFICATE OF DESIGNATION OF PREFERENCES, RIGHTS AND LIMITATIONS
OF
SERIES C CONVERTIBLE PREFERRED STOCK
OF
MOSSGIEL ENERGY CORP.

PURSUANT TO SECTION 151 OF THE DELAWARE GENERAL CORPORATION LAW

Mossgiel Energy Corp., a Delaware corporation (the "Corporation"), hereby certifies that the Certificate of
Incorporation authorizes 5,000,000 shares of Preferred Stock, par value $0.001 per share, and that the Board of
Directors adopted the following resolution on June 1, 2020:

RESOLVED, that the Board of Directors hereby designates a series of Preferred Stock as follows:

Section 1. Designation. The series shall be designated as the Corporation's Series C Convertible Preferred Stock
(the "Series C Preferred Stock"). The number of authorized shares of Series C Preferred Stock shall be 7,500
shares. Each share of Series C Preferred Stock ranks senior to the Series A Preferred Stock.

IN WITNESS WHEREOF, the Corporation has caused this certificate to be signed on June 3, 2020.
"""


def test_a_designation_read_alone_states_its_series_and_what_it_says_of_the_class():
    r = read_text(DESIGNATION, "designation.txt")
    assert r.corporation == "Mossgiel Energy Corp."
    assert _series(r) == {"Series C Convertible Preferred Stock": 7_500}  # the Series A reference is not one
    assert _classes(r)["Preferred Stock"] == (5_000_000, Decimal("0.001"), False)
    rows = [c for c in r.to_json()["versions"][-1]["classes"] if c["kind"] == "series"]
    assert rows == [
        {
            "key": "series_c_convertible_preferred",
            "name": "Series C Convertible Preferred Stock",
            "kind": "series",
            "of": "preferred",
            "authorized": 7_500,
            "par_value": "0.001",
            "votes_per_share": None,
            "series": [],
        }
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "RESOLVED, that 40,000 shares of the authorized but unissued Preferred Stock be designated Series D "
        "Preferred Stock.",
        "RESOLVED, that there is hereby established a new series of 40,000 shares of Series D Preferred Stock.",
        "RESOLVED, that the Board creates a series of preferred stock designated as Series D Preferred Stock "
        "consisting of 40,000 shares.",
        "RESOLVED, that the Board creates a series of preferred stock, which shall consist of up to 40,000 shares. The "
        "shares of such series shall be designated as Series D Preferred Stock.",
    ],
)
def test_a_series_is_sized_whichever_order_name_and_number_come_in(sentence):
    text = (
        "CERTIFICATE OF DESIGNATIONS\nOF\nSERIES D PREFERRED STOCK\nOF\nBRACKLEY FOODS, INC.\n\n"
        'Brackley Foods, Inc., a Delaware corporation (the "Corporation"), hereby certifies that the Board of '
        "Directors adopted the following resolution:\n\n" + sentence + "\n"
    )
    assert _series(read_text(text, "d.txt")) == {"Series D Preferred Stock": 40_000}


def test_a_series_created_inside_an_amendment_is_read():
    text = AMENDMENT_OF_RESTATED.replace(
        'par value $0.00001 per share."',
        "par value $0.00001 per share. 2,000,000 shares of the Preferred Stock are hereby designated Series A "
        'Preferred Stock."',
    )
    assert _series(read_text(text, "a.txt")) == {"Series A Preferred Stock": 2_000_000}


SPLIT_ARTICLES = """Substantive Text of Articles of Amendment

The Articles of Incorporation are amended to replace Article V in its entirety, as follows:

"Article V

Amount of Capital Stock

Effective on the close of business on June 1, 2015, each share of Common Stock is split into three shares; as a
result, the total number of authorized shares of the capital stock of the Corporation shall be one billion, two
hundred million (1,200,000,000) shares without par value."

The Articles of Incorporation are further amended to replace Article VI in its entirety, as follows:

"Article VI

1. Immediately following the split, one billion one hundred million (1,100,000,000) shares of the authorized
capital stock without par value shall be known as Common Stock."
"""


def test_capital_stated_across_two_articles_is_merged():
    r = read_text(SPLIT_ARTICLES, "articles.txt")
    assert r.documents[0].kind == "amendment"
    assert _last(r).capital.total_authorized == 1_200_000_000
    assert _classes(r) == {"Common Stock": (1_100_000_000, None, True)}


def _jurisdiction(text: str):
    r = read_text(text, "doc.txt")
    dgcl = [f for f in r.findings if any("Del. C." in c for c in f.cites)]
    return r, dgcl


CALIFORNIA = """ARTICLES OF INCORPORATION
OF
PELLWORTH ROBOTICS, INC.

ONE: The name of this corporation is Pellworth Robotics, Inc.

TWO: The purpose of the corporation is to engage in any lawful act or activity for which a corporation may be
organized under the General Corporation Law of California other than the banking business.

THREE: The name and address in the State of California of this corporation's initial agent for service of
process is Mara Quist, 100 Alder Street, Fresno, California 93701.

FOUR: This corporation is authorized to issue only one class of shares of stock, designated Common Stock. The
total number of shares which this corporation is authorized to issue is 10,000,000 shares, without par value.
"""
CAYMAN = """THE COMPANIES ACT (AS REVISED)
OF THE CAYMAN ISLANDS

AMENDED AND RESTATED
MEMORANDUM OF ASSOCIATION
OF
HALCYON TIDE HOLDINGS LIMITED

1. The name of the Company is Halcyon Tide Holdings Limited.

2. The registered office of the Company shall be at the offices of Harbour Corporate Services Ltd., George Town,
Grand Cayman, Cayman Islands.

3. The liability of each Shareholder is limited to the amount unpaid on such Shareholder's shares.

4. The share capital of the Company is US$50,000 divided into 500,000,000 ordinary shares of a nominal or par
value of US$0.0001 each.
"""
NEVADA = """ARTICLES OF INCORPORATION
(PURSUANT TO NRS 78)

1. Name of Corporation: Quarrel Mesa Mining Corp.

2. Registered Agent: Sage Desert Agents, 50 West Liberty Street, Reno, Nevada 89501.

3. Authorized Stock: The total number of shares which the corporation is authorized to issue is 75,000,000
shares of common stock, par value $0.001 per share.
"""
NEW_YORK = """CERTIFICATE OF INCORPORATION
OF
BRINDLEWOOD PRESS CORP.

Under Section 402 of the Business Corporation Law

FIRST: The name of the corporation is Brindlewood Press Corp.

SECOND: The purpose of the corporation is any lawful act or activity under the Business Corporation Law of the
State of New York.

THIRD: The aggregate number of shares which the corporation shall have authority to issue is 200 shares of
Common Stock, par value $0.01 per share.
"""


@pytest.mark.parametrize(
    ("text", "jurisdiction", "classes"),
    [
        (CALIFORNIA, "California", {"Common Stock": (10_000_000, None, True)}),
        (CAYMAN, "Cayman Islands", {"Ordinary Shares": (500_000_000, Decimal("0.0001"), False)}),
        (NEVADA, "Nevada", {"Common Stock": (75_000_000, Decimal("0.001"), False)}),
        (NEW_YORK, "New York", {"Common Stock": (200, Decimal("0.01"), False)}),
    ],
)
def test_other_jurisdictions_are_read_named_and_spared_the_dgcl(text, jurisdiction, classes):
    r, dgcl = _jurisdiction(text)
    assert r.jurisdiction == jurisdiction
    assert _classes(r) == classes
    assert [f.code for f in r.findings].count("MB-NOT-DELAWARE") == 1
    assert dgcl == []
    assert r.documents[0].statute is None


def test_a_limited_liability_company_is_refused_with_one_line():
    text = (
        "CERTIFICATE OF FORMATION\nOF\nHARROW BEND, LLC\n\n1. The name of the limited liability company is Harrow "
        "Bend, LLC.\n\n2. The registered office required by Section 18-104 of the Delaware Limited Liability "
        "Company Act is 9 Loockerman Square, Dover, Delaware.\n"
    )
    with pytest.raises(InputError, match="limited liability company") as e:
        read_text(text, "llc.txt")
    assert "\n" not in str(e.value) and "llc.txt" in str(e.value)


def test_a_forms_blank_is_a_number_not_stated():
    text = MARKDOWN.replace("1,500 shares", "[Shares-amount] shares")
    r = read_text(text, "form.md")
    assert _classes(r) == {"Common Stock": (None, Decimal("0.01"), False)}
    assert "MB-CAPITAL-BLANK" in _codes(r)


@pytest.mark.parametrize(
    ("par", "value"), [("a par value of 0.10 per share", "0.1"), ("a par value of 10 cents", "0.1")]
)
def test_a_par_value_without_a_dollar_sign(par, value):
    text = MARKDOWN.replace("par value $0.01 per share", par)
    assert _classes(read_text(text, "form.md"))["Common Stock"][1] == Decimal(value)


def test_a_term_in_quotes_is_not_a_new_document(tmp_path):
    text = FLAT.replace(
        "IN WITNESS WHEREOF",
        'The board may amend the bylaws as provided in the certificate of incorporation (the "CERTIFICATE OF '
        'INCORPORATION") of the corporation. IN WITNESS WHEREOF',
    )
    path = tmp_path / "flat.txt"
    path.write_text(text, encoding="utf-8")
    assert len(read([path]).documents) == 1
