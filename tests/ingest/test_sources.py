"""Every fact maps back to its place in the file: plain text, SGML wrappers and HTML exhibits."""

from __future__ import annotations

from minutebook.ingest import read_text

HTML = """<html><body>
<p align="center"><b>CERTIFICATE OF INCORPORATION</b></p>
<p align="center">OF</p>
<p align="center">TESTCO, INC.</p>
<p>FIRST: The name of the corporation is TestCo, Inc.</p>
<p>SECOND: The registered office of the Corporation in the State of Delaware is 1 Main
Street, Dover, Delaware 19901; and the name of its registered agent is Agents&nbsp;Inc.</p>
<p>FOURTH: The total number of shares which the Corporation shall have authority to issue
is 1,000&nbsp;shares of Common Stock, par value $0.01 per share.</p>
<p>IN WITNESS WHEREOF, signed this 2nd day of May, 2011.</p>
</body></html>
"""


def test_html_facts_point_at_their_line_and_column():
    res = read_text(HTML, path="ex3.htm")
    v = res.charter.current
    assert v.capital.total_authorized == 1000
    common = v.capital.cls("common")
    lines = HTML.splitlines()
    src = common.source
    assert src.path == "ex3.htm"
    assert lines[src.line - 1][src.column - 1 :].startswith("1,000")
    assert res.documents[0].title == "CERTIFICATE OF INCORPORATION OF TESTCO, INC."
    assert res.documents[0].source.line == 2


def test_sgml_wrapper_maps_into_the_file():
    body = HTML.replace("<html><body>", "").replace("</body></html>", "")
    sgml = (
        "<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-3.1\n<SEQUENCE>2\n<FILENAME>ex3.htm\n<TEXT>\n"
        + body
        + "</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>GRAPHIC\n<TEXT>\nbegin 644 x.jpg\nM_9C_X\n</TEXT>\n</DOCUMENT>\n"
    )
    res = read_text(sgml, path="full.txt")
    src = res.charter.current.capital.cls("common").source
    assert sgml.splitlines()[src.line - 1][src.column - 1 :].startswith("1,000")
    assert len(res.documents) == 1


def test_page_furniture_and_hyphenation_do_not_break_facts():
    text = """CERTIFICATE OF INCORPORATION
OF
PAGECO, INC.

FIRST: The name of the corporation is PageCo, Inc.

FOURTH: The total number of shares which the Corporation shall have author-
ity to issue is 5,000,000 shares of Common Stock, par value $0.001 per share.

                              - 1 -
\f
FIFTH: The Corporation is to have perpetual existence.

IN WITNESS WHEREOF, signed this 3rd day of March, 2012.
"""
    res = read_text(text, path="p.txt")
    v = res.charter.current
    assert v.capital.total_authorized == 5_000_000
    assert [a.number for a in v.articles] == [1, 4, 5]
    assert "- 1 -" not in v.article(4).text
