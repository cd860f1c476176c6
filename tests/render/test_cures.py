"""Cure packages drawn from the book: §204 ratification of a defective act (an over-issuance, an issuance
without its board approval), the §242 amendment giving the blank-check power to the board, and the §103(f)
certificate of correction of a malformed figure — each paper's words checked against the book's facts."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import inproc
from minutebook import book as mb
from minutebook import ingest
from minutebook.core.errors import InputError, NotFoundError
from minutebook.core.findings import Finding
from minutebook.render import api, cures, render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
P = Decimal("0.001")

ACME = """CERTIFICATE OF INCORPORATION
OF
ACME WIDGETS, INC.

FIRST: The name of the corporation is Acme Widgets, Inc.

SECOND: The address of the registered office of the Corporation in the State of Delaware is 1209
Orange Street, Wilmington, New Castle County, Delaware 19801, and the name of its registered agent at
that address is The Corporation Trust Company.

THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
15,000,000, consisting of 10,000,000 shares of Common Stock, par value $0.001 per share, and 5,000,000
shares of Preferred Stock, par value $0.001 per share. The Board of Directors is hereby granted the
power to fix by resolution the powers, preferences and rights of the Preferred Stock and of any series
thereof.

FIFTH: The name and mailing address of the incorporator are Ada Lane, 1 Main Street, Dover, Delaware.

Signed on January 4, 2010

/s/ Ada Lane
Ada Lane, Incorporator
"""


def ok(r):
    assert r.event is not None, [f.format() for f in r.findings]
    return r


def text(paper) -> str:
    """The paper's words: its HTML without tags, whitespace made one space."""
    page = render(paper, "html").data.decode()
    page = re.sub(r"(?s)<style>.*?</style>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def acme(tmp_path):
    """Acme Widgets: 10,000,000 common authorized; 8,000,000 issued under R-1; then (as history) 3,000,000
    issued to Dan Reyes on 2012-05-01 with no approval — 1,000,000 of them over the authorized number."""
    p = tmp_path / "charter.txt"
    p.write_text(ACME, encoding="utf-8")
    b = mb.create(f"sqlite:///{tmp_path}/b.db", ingest.read([p]), [p])
    ok(b.elect_directors(["ada", "ben", "cy"], on=date(2010, 1, 5), by="incorporator"))
    res = {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common", "max_shares": 9_000_000}}
    ok(
        b.board_act(
            "B-1", on=date(2010, 1, 5), form="consent", present=["ada", "ben", "cy"], resolutions=[res]
        )
    )
    for h, name, n in (
        ("ada", "Ada Lane", 4_000_000),
        ("ben", "Ben Ito", 2_500_000),
        ("cy", "Cy Park", 1_500_000),
    ):
        ok(b.add_holder(h, name, on=date(2010, 1, 6)))
        ok(b.issue(h, "common", n, on=date(2010, 1, 6), price_per_share=P, approved_by="R-1"))
    ok(b.add_holder("dan", "Dan Reyes", on=date(2012, 5, 1)))
    ok(
        b.issue(
            "dan", "common", 3_000_000, on=date(2012, 5, 1), price_per_share=Decimal("0.01"), historical=True
        )
    )
    return b


@pytest.fixture
def filed(tmp_path):
    """The Auxer Group from its charter documents as filed (the 1999 amendment included)."""
    p = tmp_path / "auxer-group-charter.txt"
    shutil.copy(EXAMPLES / "auxer-group-charter.txt", p)
    return mb.create(f"sqlite:///{tmp_path}/a.db", ingest.read([p]), [p])


def by_code(book, code):
    return [(f, p) for f, p in cures.curable(book) if f.code == code]


def test_curable_names_each_package(acme, filed):
    assert {(f.code, p) for f, p in cures.curable(acme)} == {
        ("MB-ISSUE-EXCEEDS-AUTHORIZED", "204"),
        ("MB-APPROVAL-MISSING", "204"),
    }
    got = {(f.code, p) for f, p in cures.curable(filed)}
    assert ("MB-FIGURE-MALFORMED", "103(f)") in got and ("MB-BLANK-CHECK-DEFECTIVE", "242") in got
    assert ("MB-APPROVAL-MISSING", "204") in got  # the 1999 amendment names no approval in the book
    assert not any(c == "MB-TERM-MISSPELT" for c, _ in got)


def test_204_over_issuance_resolution_states_every_element(acme):
    ((f, _),) = by_code(acme, "MB-ISSUE-EXCEEDS-AUTHORIZED")
    ps = cures.papers(acme, f.id)
    assert [p.kind for p in ps] == [
        "ratification-resolution",
        "ratification-stockholder-approval",
        "certificate-of-validation",
        "ratification-notice",
    ]
    res = ps[0]
    assert "8 Del. C. § 204(b)" in res.cites and "8 Del. C. § 242" in res.cites
    t = text(res)
    # (A) the act, (B) its date
    assert "the issuance on May 1, 2012 of 3,000,000 shares of Common Stock to Dan Reyes" in t
    assert "the date of the defective corporate act is May 1, 2012" in t
    # (C) the putative stock: number, type, date
    assert (
        "issuance of shares of putative stock: 3,000,000 shares of Common Stock, issued to Dan Reyes on May 1, 2012"
        in t
    )
    assert "1,000,000 shares exceeded the 10,000,000 shares of Common Stock" in t
    # (D) the nature of the failure, from the finding
    assert "above the 10,000,000 authorized" in t and "nature of the failure of authorization" in t
    # (E) the board approves the ratification
    assert "the Board of Directors hereby approves the ratification" in t
    # the §242 amendment supplying the shares, computed from Article FOURTH
    assert "from 10,000,000 to 11,000,000" in t
    assert "is 16,000,000, consisting of 11,000,000 shares of Common Stock" in t
    # the directors in office now sign
    names = [d["name"] for d in res.context["directors"]]
    assert len(names) == 3 and all(n in t for n in names)
    assert "Section 204(c)" in t or "§ 204(c)" in t


def test_204_stockholder_approval_validation_and_notice(acme):
    ((f, _),) = by_code(acme, "MB-ISSUE-EXCEEDS-AUTHORIZED")
    _, vote, cert, notice = cures.papers(acme, f.id)
    v = text(vote)
    assert "8 Del. C. § 204(c)" in vote.cites
    assert "majority of the outstanding stock entitled to vote" in v
    # the 1,000,000 putative shares do not vote: 11,000,000 held, 10,000,000 vote, 5,000,001 needed
    assert "5,000,001 of the 10,000,000 shares entitled to vote" in v
    for name in ("Ada Lane", "Ben Ito", "Cy Park", "Dan Reyes"):
        assert name in v
    c = text(cert)
    assert "8 Del. C. § 204(e)" in cert.cites
    assert "The name of the Corporation is Acme Widgets, Inc." in c and "May 1, 2012" in c
    assert "ratified in accordance with Section 204" in c and "11,000,000" in c
    n = text(notice)
    assert {"8 Del. C. § 204(g)", "8 Del. C. § 205(f)"} <= set(notice.cites)
    assert (
        "must be brought within 120 days from the later of the validation effective time or the time notice"
        in n
    )
    assert "Dan Reyes" in n and "3,000,000 shares of Common Stock" in n


def test_204_issue_without_approval_needs_no_vote_nor_filing(acme):
    ((f, _),) = by_code(acme, "MB-APPROVAL-MISSING")
    ps = cures.papers(acme, f.id)
    assert [p.kind for p in ps] == ["ratification-resolution", "ratification-notice"]
    t = text(ps[0])
    assert "names no approval: it needs a board resolution authorising it" in t
    assert "no approval of the stockholders is required" in t
    with pytest.raises(InputError, match="no stockholder approval"):
        api.paper(acme, "ratification-stockholder-approval", act=f.id)
    with pytest.raises(InputError, match="no filing"):
        api.paper(acme, "certificate-of-validation", act=f.id)


def test_204_filed_amendment_without_approval_needs_validation(filed):
    (f, _), *_ = by_code(filed, "MB-APPROVAL-MISSING")
    ps = cures.papers(filed, f.id)
    assert "certificate-of-validation" in [p.kind for p in ps]
    t = text(ps[0])
    assert "Certificate of Incorporation under Section 242, executed and effective March 19, 1999" in t
    assert "did not involve the issuance of shares of putative stock" in t


def test_242_package_moves_the_grant_to_the_board(filed):
    ((f, _),) = by_code(filed, "MB-BLANK-CHECK-DEFECTIVE")
    res, consent, cert = cures.papers(filed, f.id)
    assert "8 Del. C. § 242(b)(1)" in res.cites and "8 Del. C. § 228(e)" in consent.cites
    r = text(res)
    assert "The President of the Corporation is hereby granted the power" in r  # the sentence deleted
    amended = res.context["amended"]
    assert "The Board of Directors of the Corporation is hereby granted the power to determine" in amended
    assert "President" not in amended and "175,000,000" in amended
    assert "declares it advisable" in r
    assert "Section 228(e)" in text(consent)
    c = text(cert)
    assert "duly adopted in accordance with the provisions of Section 242" in c and "Section 228" in c
    assert amended in c


def test_103f_certificate_of_correction(filed, tmp_path):
    ((f, _),) = by_code(filed, "MB-FIGURE-MALFORMED")
    (p,) = cures.papers(filed, f.id)
    assert p.cites == ("8 Del. C. § 103(f)",)
    t = text(p)
    assert '"150,000,00"' in t
    assert (
        "Certificate of Amendment of Certificate of Incorporation (Section 242), executed on March 19, 1999"
        in t
    )
    assert p.context["filed"].count("150,000,00 of such shares") == 1
    assert "150,000,000 of such shares shall be common stock" in p.context["corrected"]
    assert p.context["corrected"] == p.context["filed"].replace("150,000,00 ", "150,000,000 ")
    assert "effective as of the date the original instrument was filed" in t
    assert "substantially and adversely affected" in t


def test_cure_writes_renders_and_records(filed, tmp_path):
    from pypdf import PdfReader

    ((f, _),) = by_code(filed, "MB-FIGURE-MALFORMED")
    before = len(api.drawn(filed))
    (r,) = cures.cure(filed, f.id, tmp_path / "out", fmt="pdf")
    assert (tmp_path / "out" / r.name).read_bytes() == r.data
    words = " ".join(" ".join(pg.extract_text() for pg in PdfReader(tmp_path / "out" / r.name).pages).split())
    assert "150,000,00" in words and "103(f)" in words
    assert len(api.drawn(filed)) == before + 1
    rs = cures.cure(filed, "MB-FIGURE-MALFORMED", tmp_path / "docx", fmt="docx", record=False)
    assert rs[0].name.endswith(".docx") and len(api.drawn(filed)) == before + 1


def test_204_pdf(acme, tmp_path):
    from pypdf import PdfReader

    ((f, _),) = by_code(acme, "MB-ISSUE-EXCEEDS-AUTHORIZED")
    rs = cures.cure(acme, f.id, tmp_path, record=False)
    assert len(rs) == 4
    words = " ".join(" ".join(pg.extract_text() for pg in PdfReader(tmp_path / rs[0].name).pages).split())
    assert "3,000,000 shares of Common Stock" in words and "May 1, 2012" in words


def test_kinds_registered_and_drawn_by_id(acme):
    kinds = {k.name: k for k in api.kinds() if k.group == "cure"}
    assert set(kinds) == {n for names in cures.PACKAGES.values() for n in names}
    ((f, _),) = by_code(acme, "MB-ISSUE-EXCEEDS-AUTHORIZED")
    assert api.paper(acme, "ratification-notice", act=f.id).act == f.id
    with pytest.raises(InputError, match="cured under § 204"):
        api.paper(acme, "certificate-of-correction", act=f.id)


def test_bad_inputs(acme, filed):
    with pytest.raises(NotFoundError, match="no finding 'F-00000000'.*with a cure are: F-"):
        cures.cure(acme, "F-00000000", "/nonexistent")
    spelt = next(f for f in filed.check() if f.code == "MB-TERM-MISSPELT")
    with pytest.raises(InputError, match=f"{spelt.id} \\(MB-TERM-MISSPELT.*has no cure package"):
        cures.papers(filed, spelt.id)
    with pytest.raises(InputError, match="findings have that code"):
        cures.papers(filed, "MB-TERM-MISSPELT")


def test_an_id_several_findings_share(filed, monkeypatch):
    """A finding's id is 8 hex digits of a hash, so a book of hundreds of thousands of findings has a few ids that two
    findings share (40 of the 563,406 of `bench/book.py`'s 1M-event book). `check` gives each finding its own cure,
    never that of another finding of its id (text and JSON); `doc cure ID` draws the one of them with a cure, and
    refuses, naming each, when more than one or none has one."""
    found = filed.check()
    spelt = next(f for f in found if f.code == "MB-TERM-MISSPELT")  # no cure
    malformed = next(f for f in found if f.code == "MB-FIGURE-MALFORMED")  # §103(f)
    blank = next(f for f in found if f.code == "MB-BLANK-CHECK-DEFECTIVE")  # §242
    want = [p.kind for p in cures.papers(filed, malformed.id)]
    real = Finding.id

    def sharing(*codes):
        monkeypatch.setattr(
            Finding, "id", property(lambda f: "F-feedface" if f.code in codes else real.fget(f))
        )

    sharing(spelt.code, malformed.code)
    assert [p.kind for p in cures.papers(filed, "F-feedface")] == want  # the one with a cure
    filed.close()
    db = Path(filed.engine.url.database)
    got = json.loads(inproc(db, "check --json").stdout)["findings"]
    shared = [(f["code"], f["cure_papers"]) for f in got if f["id"] == "F-feedface"]
    assert ("MB-FIGURE-MALFORMED", "103(f)") in shared and ("MB-TERM-MISSPELT", None) in shared
    text = inproc(db, "check").stdout
    assert text.count("minutebook doc cure F-feedface") == 1  # under the malformed figure only
    sharing(malformed.code, blank.code)
    with pytest.raises(
        InputError,
        match=r"'F-feedface': 2 findings share that id \(MB-FIGURE-MALFORMED at .*:\d+:1; "
        r"MB-BLANK-CHECK-DEFECTIVE at .*\), 2 of which have a cure package: name one by its code",
    ):
        cures.papers(filed, "F-feedface")
    sharing(spelt.code)  # the book's misspellings, none with a cure
    with pytest.raises(
        InputError, match=r"\d findings share that id .*\), none of which has a cure package$"
    ):
        cures.papers(filed, "F-feedface")
