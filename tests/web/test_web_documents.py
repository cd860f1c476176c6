"""Drawing a paper in the browser records it: the POST answers the file whose SHA-256 the book records in one
`DocumentDrawn` event, the signed-in user its actor, so the copy can be matched and proved exactly as one drawn by
`minutebook doc render`; the documents page lists it. Refused (nothing written): no token or a wrong one, a viewer,
another corporation's user (404, as if it did not exist), an unknown kind or format (404), bad input (422, the field
named, the value kept). There is no GET of a paper."""

from __future__ import annotations

import hashlib
import re

import pytest
from webhelp import TODAY, app_for, client, csrf_of, signed_in

from minutebook import verifier
from minutebook.book import open_book
from minutebook.render import match


def _count(path: str, corp: str) -> int:
    return len(open_book(path, corp).log)


def _draw(c, corp: str, kind: str, fmt: str = "pdf", **data):
    token = csrf_of(c, f"/c/{corp}/documents")
    return c.post(f"/c/{corp}/documents/{kind}.{fmt}", data={"csrf": token, **data})


def _error(r) -> str:
    found = re.search(r'<p class="field-error small" id="error-[a-z-]+">(.*?)</p>', r.text, re.S)
    return found.group(1) if found else ""


@pytest.mark.slow
def test_a_paper_drawn_is_recorded_as_the_user_and_provable(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    c = signed_in(app, "aux-counsel")
    before = open_book(path, auxer).log
    r = _draw(c, auxer, "meeting-minutes", act="M-1999")
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="meeting-minutes-M-1999.pdf"'
    book = open_book(path, auxer)
    new = book.log[len(before) :]
    assert [e.type for e in new] == ["DocumentDrawn"]  # exactly one event, and it is the drawing
    (e,) = new
    digest = hashlib.sha256(r.content).hexdigest()
    assert e.body.sha256 == digest == r.headers["x-minutebook-sha256"]
    assert e.actor == "aux-counsel" and e.effective_on == TODAY
    assert (e.body.kind, e.body.act, e.body.format, e.body.name) == (
        "meeting-minutes",
        "M-1999",
        "pdf",
        "meeting-minutes-M-1999.pdf",
    )
    assert r.headers["x-minutebook-event"] == str(e.seq)
    assert [x.seq for x in match(book, r.content)] == [e.seq]

    # provable as any paper drawn from the book: the proof of its event, checked with the public key alone
    book.create_key()
    book.checkpoint()
    proof = book.document_proof(r.content)
    assert proof["event"]["seq"] == e.seq
    assert verifier.verify_document(proof, r.content, book.public_key()).seq == e.seq
    with pytest.raises(verifier.ProofError):
        verifier.verify_document(proof, r.content + b" ", book.public_key())

    # the documents page and its twin list it: who, when, the SHA-256's first characters
    page = c.get(f"/c/{auxer}/documents").text
    drawn = page[page.index('id="drawn"') : page.index('id="draw"')]
    assert "aux-counsel" in drawn and digest[:16] in drawn and "meeting-minutes-M-1999.pdf" in drawn
    first = c.get(f"/c/{auxer}/documents.json").json()["drawn"][0]
    assert (first["seq"], first["actor"], first["sha256"], first["effective_on"]) == (
        e.seq,
        "aux-counsel",
        digest,
        TODAY.isoformat(),
    )


@pytest.mark.slow
def test_docx_and_a_paper_for_a_date(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    c = signed_in(app, "aux-secretary")  # counsel or above
    n = _count(path, auxer)
    r = _draw(c, auxer, "board-consent", "docx", act="B-1997-1")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r2 = _draw(c, auxer, "restated-certificate", "docx", as_of="2000-12-31")
    assert r2.status_code == 200 and r2.content[:2] == b"PK"
    book = open_book(path, auxer)
    a, b = book.log[n:]
    assert (a.body.kind, a.body.format, a.actor) == ("board-consent", "docx", "aux-secretary")
    assert a.body.sha256 == hashlib.sha256(r.content).hexdigest()
    assert (b.body.kind, b.body.act, b.body.as_of.isoformat()) == ("restated-certificate", None, "2000-12-31")
    assert b.body.sha256 == hashlib.sha256(r2.content).hexdigest()


def test_no_token_or_a_wrong_one_is_refused_and_writes_nothing(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-admin")
    n = _count(path, auxer)
    url = f"/c/{auxer}/documents/meeting-minutes.pdf"
    assert c.post(url, data={"act": "M-1999"}).status_code == 403
    assert c.post(url, data={"act": "M-1999", "csrf": "forged"}).status_code == 403
    assert c.post(url, data={"act": "M-1999"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    other = signed_in(app_for(path), "aux-counsel")
    assert c.post(url, data={"act": "M-1999", "csrf": csrf_of(other)}).status_code == 403
    assert _count(path, auxer) == n


def test_who_may_draw(web_db):
    path, auxer, seed = web_db
    app = app_for(path)
    n = _count(path, auxer)
    viewer = signed_in(app, "aux-viewer")
    r = viewer.post(
        f"/c/{auxer}/documents/meeting-minutes.pdf", data={"act": "M-1999", "csrf": csrf_of(viewer)}
    )
    assert r.status_code == 403
    assert "Documents" not in viewer.get(f"/c/{auxer}").text  # nor is the page offered to a viewer
    stranger = signed_in(app, "seed-counsel")  # counsel, of the other corporation
    r = stranger.post(
        f"/c/{auxer}/documents/meeting-minutes.pdf", data={"act": "M-1999", "csrf": csrf_of(stranger)}
    )
    missing = stranger.post(
        "/c/no-such-corp/documents/meeting-minutes.pdf", data={"act": "M-1999", "csrf": csrf_of(stranger)}
    )
    assert r.status_code == missing.status_code == 404
    assert r.text.replace(auxer, "X") == missing.text.replace("no-such-corp", "X")
    anonymous = client(app)
    r = anonymous.post(f"/c/{auxer}/documents/meeting-minutes.pdf", data={"act": "M-1999"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert _count(path, auxer) == n


def test_bad_input_names_the_field_keeps_the_value_and_writes_nothing(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-counsel")
    n = _count(path, auxer)

    r = _draw(c, auxer, "meeting-minutes", act="M-NONE")
    assert r.status_code == 422
    assert _error(r).startswith("For: no stockholder meeting &#39;M-NONE&#39; in the book")
    assert "Not drawn: nothing was written." in r.text
    row = r.text[r.text.index('id="draw-meeting-minutes"') :]
    assert re.match(r'[^>]*class="failed"', row)
    assert 'value="M-NONE"' in row[: row.index("</tr>")]  # the value kept, in the kind's own form

    r = _draw(c, auxer, "board-minutes", act="M-1999")  # a meeting of stockholders is not the board's
    assert r.status_code == 422 and _error(r).startswith("For: no board action or resolution &#39;M-1999")

    r = _draw(c, auxer, "meeting-minutes", act="")
    assert r.status_code == 422 and _error(r).startswith("For: required")

    r = _draw(c, auxer, "restated-certificate", as_of="1900-01-01")  # a paper the book cannot fill
    assert r.status_code == 422 and _error(r).startswith("As of: no charter in force on 1900-01-01")
    assert 'value="1900-01-01"' in r.text

    r = _draw(c, auxer, "restated-certificate", as_of="2000-13-01")
    assert r.status_code == 422 and _error(r) == "As of: a date YYYY-MM-DD, not &#39;2000-13-01&#39;"

    r = _draw(c, auxer, "tax-worksheet", act="20x5")
    assert r.status_code == 422 and _error(r).startswith("For: “For” names a tax year")

    token = csrf_of(c, f"/c/{auxer}/documents")
    r = c.post(
        f"/c/{auxer}/documents/stock-certificate.pdf",
        data={"csrf": token, "act": "CS-404"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 422 and r.json()["field"] == "act" and "CS-404" in r.json()["detail"]
    assert "Traceback" not in r.text
    assert _count(path, auxer) == n


def test_unknown_kind_or_format_is_404_and_no_paper_is_got(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-counsel")
    n = _count(path, auxer)
    assert _draw(c, auxer, "no-such-kind", act="M-1999").status_code == 404
    for fmt in ("html", "txt", "PDF"):
        assert _draw(c, auxer, "meeting-minutes", fmt, act="M-1999").status_code == 404
    # a GET hands out no copy: every copy is drawn by the POST, which records it
    r = c.get(f"/c/{auxer}/documents/meeting-minutes.pdf", params={"act": "M-1999"})
    assert r.status_code == 405 and not r.content.startswith(b"%PDF")
    assert _count(path, auxer) == n


def test_the_documents_page_offers_a_form_per_kind(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-counsel")
    data = c.get(f"/c/{auxer}/documents.json").json()
    page = c.get(f"/c/{auxer}/documents").text
    token = csrf_of(c, f"/c/{auxer}/documents")
    for k in data["kinds"]:
        row = page[page.index(f'id="draw-{k["kind"]}"') :]
        row = row[: row.index("</tr>")]
        assert f'action="/c/{auxer}/documents/{k["kind"]}.pdf"' in row
        assert f'formaction="/c/{auxer}/documents/{k["kind"]}.docx"' in row
        assert f'name="csrf" value="{token}"' in row and 'method="post"' in row
        assert ('name="act"' in row) == (k["needs"] != "date")
    ids = {a["id"]: a["what"] for a in data["acts"]}
    assert ids["M-1999"] == "meeting" and ids["B-1999-1"] == "board action" and ids["alice"] == "holder"
    assert '<option value="M-1999" label="meeting">' in page
    assert {f["code"] for f in data["findings"]} >= {"MB-APPROVAL-MISSING"}  # the cures' datalist
    assert data["drawn"] == []


def test_the_page_suggests_the_acts_first_and_at_most_suggested(web_db, monkeypatch):
    """A large book's hundreds of thousands of certificates are not all put in the page: its fields suggest the
    acts of the board and the stockholders first, then holders and certificates, at most `SUGGESTED` ids (the JSON
    twin lists every one)."""
    from minutebook.web import documents

    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-counsel")
    every = c.get(f"/c/{auxer}/documents.json").json()["acts"]
    kinds = [a["what"] for a in every]
    assert "holder" in kinds and "certificate" in kinds and len(every) > 4
    monkeypatch.setattr(documents, "SUGGESTED", 4)
    c = signed_in(app_for(path), "aux-counsel")  # a new app: nothing remembered from the page before
    page = c.get(f"/c/{auxer}/documents").text
    listed = re.findall(r'<option value="([^"]+)" label="([^"]+)">', page[: page.index("</datalist>")])
    acts = sorted((a["id"], a["what"]) for a in every if a["what"] not in ("holder", "certificate"))
    assert listed == acts[:4] and len(listed) == 4
    assert len(c.get(f"/c/{auxer}/documents.json").json()["acts"]) == len(every)


def test_openapi_documents_the_draw(web_db):
    path, *_ = web_db
    doc = client(app_for(path)).get("/api/openapi.json").json()
    op = doc["paths"]["/c/{corp}/documents/{kind}.{fmt}"]
    assert set(op) == {"post"} and op["post"]["tags"] == ["downloads"]
    assert "application/pdf" in op["post"]["responses"]["200"]["content"]
