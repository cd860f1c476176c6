"""The Auxer Group reads exactly as the reference table in DESIGN.md says: three versions, their
figures, who fixes preferred terms, and each listed defect found exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from minutebook.ingest import read

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="module")
def result():
    return read([AUXER])


def test_three_versions_in_time_order(result):
    rows = [
        (
            v.effective_on,
            v.document_kind,
            v.statute,
            v.capital.total_authorized,
            v.capital.cls("common").authorized,
            v.capital.cls("preferred").authorized,
            v.capital.cls("common").par_value,
            v.capital.blank_check_holder,
        )
        for v in result.charter.versions
    ]
    assert rows == [
        (
            date(1997, 7, 31),
            "incorporation",
            None,
            25_000_000,
            20_000_000,
            5_000_000,
            Decimal("0.001"),
            "board of directors",
        ),
        (
            date(1997, 8, 28),
            "amendment",
            "241",
            75_000_000,
            50_000_000,
            25_000_000,
            Decimal("0.001"),
            "board of directors",
        ),
        (
            date(1999, 3, 19),
            "amendment",
            "242",
            175_000_000,
            150_000_000,
            25_000_000,
            Decimal("0.001"),
            "the President",
        ),
    ]
    assert all(v.date_basis == "executed" for v in result.charter.versions)


def test_documents_in_file_order_with_the_duplicate_merged(result):
    docs = result.documents
    assert [(d.kind, d.statute, d.signed_on) for d in docs] == [
        ("amendment", "242", date(1999, 3, 19)),
        ("amendment", "241", date(1997, 8, 28)),
        ("incorporation", None, date(1997, 7, 31)),
    ]
    assert docs[0].source.line == 1 and [c.line for c in docs[0].copies] == [71]
    assert docs[2].signatories[0].name == "Eugene Chiaramonte"
    assert docs[2].signatories[0].capacity == "Incorporator"
    assert result.corporation == "The Auxer Group, Inc."
    assert result.jurisdiction == "Delaware"


def test_each_reference_defect_is_found_once(result):
    codes = Counter(f.code for f in result.findings)
    assert codes["MB-FIGURE-MALFORMED"] == 1
    assert codes["MB-DOC-DUPLICATE"] == 1
    assert codes["MB-BLANK-CHECK-NOT-BOARD"] == 1
    assert codes["MB-EDITOR-NOTE"] == 1
    assert codes["MB-DATE-EXECUTION-ONLY"] == 3
    misspelt = [dict(f.data)["found"].lower() for f in result.findings if f.code == "MB-TERM-MISSPELT"]
    assert misspelt.count("per value") == 1
    assert "incorporatin" in misspelt
    assert not [f for f in result.findings if f.severity == "error"]


def test_malformed_figure_is_reconciled_with_its_evidence(result):
    f = next(f for f in result.findings if f.code == "MB-FIGURE-MALFORMED")
    data = dict(f.data)
    assert data["read"] == "150,000,00" and data["reconciled"] == 150_000_000
    evidence = " ".join(data["evidence"])
    assert "other copy reads 150,000,000" in evidence and "is 150,000,000" in evidence
    assert (f.source.line, f.source.column) == (66, 1)
    assert AUXER.read_text().splitlines()[65].startswith("150,000,00 of such shares")


def test_blank_check_finding_cites_statute_and_article(result):
    f = next(f for f in result.findings if f.code == "MB-BLANK-CHECK-NOT-BOARD")
    assert "8 Del. C. § 102(a)(4)" in f.cites and "8 Del. C. § 151(a)" in f.cites
    assert "Art. FOURTH, as amended 1999-03-19" in f.cites
    assert "§204" in f.message and "§242" in f.message
    assert "President" in AUXER.read_text().splitlines()[f.source.line - 1]


def test_editor_note_is_not_operative_text(result):
    fourth = result.charter.versions[0].article(4)
    assert "Subsequently amended" not in fourth.text
    assert "20,000,000 of such shares" in fourth.text


def test_articles_become_provisions(result):
    v = result.charter.current
    kinds = {p.kind for p in v.provisions}
    assert {
        "perpetual_existence",
        "compromise_arrangement",
        "board_size_by_bylaws",
        "no_written_ballot",
        "board_may_amend_bylaws",
        "class_vote_carve_out",
        "asset_sale",
        "inspection_limited",
        "books_outside_delaware",
        "exculpation",
        "indemnification",
        "section_203_opt_out",
    } <= kinds
    carve = v.provisions_of("class_vote_carve_out")[0]
    assert carve.param("opts_out_of_authorized_share_class_vote") is True
    assert [a.number for a in v.articles] == list(range(1, 13))
    assert v.registered_agent == "Corporation Service Company"
    assert v.registered_office.startswith("1013 Centre Road")


def test_241_amendment_checked(result):
    assert any(f.code == "MB-241-CHECKED" for f in result.findings)
    assert not any(f.code.startswith("MB-241-") and f.code != "MB-241-CHECKED" for f in result.findings)


def test_charter_at_and_diff(result):
    ch = result.charter
    assert ch.at(date(1997, 7, 30)) is None
    assert ch.at(date(1997, 8, 27)).capital.total_authorized == 25_000_000
    assert ch.at(date(1998, 1, 1)).capital.total_authorized == 75_000_000
    assert ch.at(date(2025, 1, 1)).capital.total_authorized == 175_000_000
    changes = {(c.article, c.field, c.class_key): (c.old, c.new) for c in ch.diff(0, 2)}
    assert changes[("FOURTH", "total_authorized", None)] == (25_000_000, 175_000_000)
    assert changes[("FOURTH", "authorized", "common")] == (20_000_000, 150_000_000)
    assert changes[("FOURTH", "authorized", "preferred")] == (5_000_000, 25_000_000)
    assert changes[("FOURTH", "preferred_terms_fixed_by", None)] == ("board of directors", "the President")
    assert not any(c.article not in ("FOURTH", None) for c in ch.diff(0, 2))
