"""Slips found when a Delaware lawyer reviewed what the reader says of the Auxer charter: the section a
finding cites and the cure it names must be the ones the statute gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutebook.ingest import read, read_text

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="module")
def result():
    return read([AUXER])


def _one(result, code):
    (f,) = [f for f in result.findings if f.code == code]
    return f


def test_241_amendment_relates_back_under_241_b(result):
    # "deemed to be amended accordingly as of the date on which the original certificate ... became
    # effective, except as to those persons ... substantially and adversely affected" is in § 241(b)
    f = _one(result, "MB-241-CHECKED")
    assert "§241(b)" in f.message and "§241(c)" not in f.message


def test_a_filed_malformed_figure_is_cured_by_a_certificate_of_correction(result):
    f = _one(result, "MB-FIGURE-MALFORMED")
    data = dict(f.data)
    cure = data["cure"]
    assert "certificate of correction" in cure and "§103(f)" in cure
    assert f'"{data["read"]}"' in cure  # names the inaccuracy as filed
    assert f"{data['reconciled']:,}" in cure  # and sets out the figure in corrected form
    assert "8 Del. C. § 103(f)" in f.cites
    assert "cure:" in f.message


def test_the_grant_to_an_officer_is_cured_by_amendment_until_a_series_is_designated(result):
    f = _one(result, "MB-BLANK-CHECK-NOT-BOARD")
    i242, i204 = f.message.index("§242"), f.message.index("§204")
    assert i242 < i204  # the amendment first: no act under the grant is defective yet
    assert "no series has been designated" in f.message


NOT_DELAWARE = """ARTICLES OF INCORPORATION
OF
WESTERLY WIDGETS, INC.

The undersigned, for the purpose of forming a corporation under the Nevada Revised Statutes, certifies:

FIRST: The name of the corporation is Westerly Widgets, Inc.

FOURTH: The total number of shares which the corporation shall have authority to issue is 1,000,00 shares of
Common Stock, par value $0.001 per share.
"""


def test_no_delaware_cure_for_a_document_under_another_law():
    r = read_text(NOT_DELAWARE, "westerly.txt")
    malformed = [f for f in r.findings if f.code == "MB-FIGURE-MALFORMED"]
    assert malformed, [f.code for f in r.findings]
    assert all("103(f)" not in f.message and "cure" not in dict(f.data) for f in malformed)
