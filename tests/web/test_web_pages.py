"""Every page and its JSON twin, in-process, on the Auxer book beside the seed-stage company: what each shows is
the book's answer (cap table, charter versions and diff, the fact highlighted at its place in the filing, the tax,
the findings with their citations), the downloads open (CSV, XLSX; the papers: test_web_documents), and the OpenAPI
document lists the JSON API and nothing else."""

from __future__ import annotations

import csv
import io

import pytest
from webhelp import app_for, client, signed_in

from minutebook.book import open_book


@pytest.fixture(scope="module")
def site(web_template):
    path, auxer, seed = web_template
    app = app_for(str(path))
    return app, auxer, seed, str(path)


@pytest.fixture(scope="module")
def counsel(site):
    app, auxer, *_ = site
    return signed_in(app, "aux-counsel")


def test_the_corporations_list_shows_only_the_users_own(site):
    app, auxer, seed, _ = site
    c = signed_in(app, "aux-viewer")
    r = c.get("/index.json")
    assert r.json()["corporations"] == [{"slug": auxer, "name": "The Auxer Group, Inc.", "role": "viewer"}]
    assert "Brightline" not in c.get("/").text


def test_the_cap_table_and_its_twin_are_the_books(site, counsel):
    app, auxer, _, path = site
    book = open_book(path, auxer)
    ct = book.cap_table(__import__("datetime").date(2026, 1, 15))
    j = counsel.get(f"/c/{auxer}/captable.json").json()
    assert j["outstanding"] == ct.outstanding == 50_000_000
    assert {h["holder"]: h["total"] for h in j["holders"]} == ct.holder_totals()
    assert [c["authorized"] for c in j["classes"]] == [150_000_000, 25_000_000]
    page = counsel.get(f"/c/{auxer}/captable").text
    assert "Eugene Chiaramonte" in page and "20,000,000" in page and "<svg" in page
    before = counsel.get(f"/c/{auxer}/captable.json", params={"as_of": "1998-01-01"}).json()
    assert before["outstanding"] == 45_000_000 and before["classes"][0]["authorized"] == 50_000_000
    book.close()


def test_csv_and_xlsx_downloads(site, counsel):
    from openpyxl import load_workbook

    _, auxer, *_ = site
    r = counsel.get(f"/c/{auxer}/captable.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["holder", "name", "common", "total"]
    assert ["eugene", "Eugene Chiaramonte", "20000000", "20000000"] in rows
    x = counsel.get(f"/c/{auxer}/captable.xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["holder", "name", "common", "total"]
    assert ["eugene", "Eugene Chiaramonte", 20_000_000, 20_000_000] in values


def test_charter_timeline_version_source_and_diff(site, counsel):
    _, auxer, *_ = site
    vs = counsel.get(f"/c/{auxer}/charter.json").json()["versions"]
    assert [(v["effective_on"], v["total_authorized"]) for v in vs] == [
        ("1997-07-31", 25_000_000),
        ("1997-08-28", 75_000_000),
        ("1999-03-19", 175_000_000),
    ]
    v = counsel.get(f"/c/{auxer}/charter/1.json").json()
    assert v["facts"] and all(":" in f["where"] for f in v["facts"])
    page = counsel.get(f"/c/{auxer}/charter/1", params={"fact": 0}).text
    assert '<mark id="fact">' in page
    marked = page.split('<mark id="fact">', 1)[1].split("</mark>", 1)[0]
    assert marked.strip(), "the fact's own text is highlighted"
    d = counsel.get(f"/c/{auxer}/charter-diff.json", params={"a": 2, "b": 3}).json()
    changed = {(c["field"], c["class"]) for c in d["changes"]}
    assert ("authorized", "common") in changed
    html = counsel.get(f"/c/{auxer}/charter-diff", params={"a": 2, "b": 3}).text
    assert 'class="changed"' in html and "Version 2" in html and "Version 3" in html
    assert counsel.get(f"/c/{auxer}/charter/9").status_code == 404


def test_findings_with_citations_and_cures(site, counsel):
    _, auxer, *_ = site
    f = counsel.get(f"/c/{auxer}/findings.json").json()["findings"]
    codes = {x["code"] for x in f}
    assert {"MB-BLANK-CHECK-DEFECTIVE", "MB-APPROVAL-MISSING"} <= codes
    assert all(x["cites"] for x in f if x["severity"] == "error")
    page = counsel.get(f"/c/{auxer}/findings").text
    assert "Cites:" in page and "§" in page


def test_the_findings_come_a_page_at_a_time(site, monkeypatch):
    """However many findings a book has, a page lists `PAGE_SIZE` of them, errors first; the pages together are
    every finding of `check`, once each, and the counts are the whole book's."""
    from minutebook.web import views

    app, auxer, _, path = site
    book = open_book(path, auxer)
    every = book.check()
    book.close()
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    c = signed_in(app, "aux-counsel")
    first = c.get(f"/c/{auxer}/findings.json").json()
    assert first["count"] == len(every) > 3 and first["pages"] == -(-len(every) // 3)
    assert first["counts"] == {
        k: sum(1 for f in every if f.severity.value == k) for k in ("error", "warning", "info")
    }
    seen = []
    for n in range(1, first["pages"] + 1):
        j = c.get(f"/c/{auxer}/findings.json", params={"page": n}).json()
        assert len(j["findings"]) <= 3 and j["page"] == n
        seen += [(x["code"], x["message"]) for x in j["findings"]]
    assert sorted(seen) == sorted((f.code, f.message) for f in every)
    rank = {"error": 0, "warning": 1, "info": 2}
    severities = [rank[x["severity"]] for n in range(1, first["pages"] + 1)
                  for x in c.get(f"/c/{auxer}/findings.json", params={"page": n}).json()["findings"]]  # fmt: skip
    assert severities == sorted(severities)
    html = c.get(f"/c/{auxer}/findings", params={"page": 2}).text
    assert f"Page 2 of {first['pages']}" in html and '<a href="?page=3">next</a>' in html


def test_dashboard_chart_deadlines_and_findings(site, counsel):
    from minutebook.web import views

    app, auxer, *_ = site
    j = counsel.get(f"/c/{auxer}.json").json()
    assert j["history"]["common"][-1] == {"on": "2026-01-15", "authorized": 150_000_000, "issued": 50_000_000}
    assert any(d["kind"] == "franchise_tax" for d in j["deadlines"])
    book = open_book(site[3], auxer)
    open_ = [f for f in book.check() if f.severity.value in ("error", "warning")]
    book.close()
    assert j["open_findings_count"] == len(open_) and j["open_findings"]
    assert [x["code"] for x in j["open_findings"]] == [f.code for f in open_[: views.OPEN_SHOWN]]
    viewer = signed_in(app, "aux-viewer").get(f"/c/{auxer}.json").json()
    assert "open_findings" not in viewer  # findings are counsel's
    assert "<svg" in counsel.get(f"/c/{auxer}").text


def test_tax_with_its_trace(site, counsel):
    _, auxer, *_ = site
    j = counsel.get(f"/c/{auxer}/tax.json", params={"year": 2025}).json()
    assert j["year"] == 2025
    page = counsel.get(f"/c/{auxer}/tax", params={"year": 2025}).text
    assert "authorized shares method" in page.lower()


def test_holder_and_ledger(site, counsel):
    _, auxer, *_ = site
    h = counsel.get(f"/c/{auxer}/holders/dana.json").json()
    assert h["holdings"] == [
        {"class": "common", "series": None, "shares": 5_000_000, "percent_of_class": "10.0000"}
    ]
    assert h["certificates"][0]["number"] == "CS-1"
    assert counsel.get(f"/c/{auxer}/holders/nobody-here").status_code == 404
    led = counsel.get(f"/c/{auxer}/ledger.json").json()
    assert led["events"][0]["seq"] > led["events"][-1]["seq"]
    assert any(e["type"] == "SharesIssued" for e in led["events"])


def test_the_ledgers_pages_are_the_log_newest_first(site, monkeypatch):
    """Page after page (read from the store, a page at a time), the ledger is the whole log as stored, newest
    first; a page past the last shows the last."""
    from minutebook.web import views

    app, auxer, _, path = site
    book = open_book(path, auxer)
    log = [(e.seq, e.type, e.effective_on.isoformat()) for e in book.log]
    book.close()
    monkeypatch.setattr(views, "PAGE_SIZE", 7)
    c = signed_in(app, "aux-viewer")
    pages = -(-len(log) // 7)
    seen = []
    for n in range(1, pages + 1):
        j = c.get(f"/c/{auxer}/ledger.json", params={"page": n}).json()
        assert (j["page"], j["pages"]) == (n, pages)
        seen += [(e["seq"], e["type"], e["effective_on"]) for e in j["events"]]
    assert seen == log[::-1]
    assert c.get(f"/c/{auxer}/ledger.json", params={"page": pages + 5}).json()["events"][-1]["seq"] == 1


def test_openapi_lists_the_json_api(site):
    app, *_ = site
    doc = client(app).get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert "/c/{corp}/captable.json" in paths and "/c/{corp}.json" in paths and "/index.json" in paths
    assert "/c/{corp}/captable" not in paths  # the HTML pages are not the API
    assert all(p.endswith((".json", ".csv", ".xlsx", "{kind}.{fmt}")) for p in paths)


def test_unknown_routes_and_corporations_are_404_alike(site):
    app, auxer, seed, _ = site
    c = signed_in(app, "aux-viewer")
    other, missing = c.get(f"/c/{seed}/captable"), c.get("/c/no-such-corp/captable")
    assert other.status_code == missing.status_code == 404
    assert other.text.replace(seed, "X") == missing.text.replace("no-such-corp", "X")
    assert c.get("/no/such/page").status_code == 404
    j1, j2 = c.get(f"/c/{seed}.json"), c.get("/c/no-such-corp.json")
    assert j1.status_code == j2.status_code == 404 and j1.json() == j2.json()


def test_fully_diluted_of_the_seed_company(site):
    from datetime import date

    app, _, seed, path = site
    c = signed_in(app, "seed-viewer")
    book = open_book(path, seed)
    fd = book.fully_diluted(date(2026, 1, 15))
    book.close()
    j = c.get(f"/c/{seed}/captable.json").json()["fully_diluted"]
    assert j["total"] == fd.total and j["options"] == fd.options and j["pool_available"] == fd.pool_available
    assert fd.options > 0
    assert {r["holder"]: r["total"] for r in j["rows"]} == {r.holder_id: r.total for r in fd.rows}
    page = c.get(f"/c/{seed}/captable").text
    assert "Fully diluted" in page and "available in the plans" in page


def test_the_charter_timeline_names_a_designated_series(site):
    """The seed company's board designated 7,000,000 of its preferred shares Series A Preferred: the timeline's
    second version lists the series under its class (before, the page showed the class alone)."""
    app, _, seed, _ = site
    c = signed_in(app, "seed-viewer")
    vs = c.get(f"/c/{seed}/charter.json").json()["versions"]
    assert [[(k["class"], k["series"]) for k in v["classes"]] for v in vs] == [
        [("common", []), ("preferred", [])],
        [
            ("common", []),
            ("preferred", [{"series": "A", "name": "Series A Preferred Stock", "authorized": 7_000_000}]),
        ],
    ]
    page = c.get(f"/c/{seed}/charter").text
    assert "of which Series A Preferred Stock 7,000,000" in page
    # the certificate gives only the day it was signed: in force on or after it, as the book dates the event; the
    # designation is dated by its own event (before, its version took the signing basis of the one before it)
    assert [v["date_basis"] for v in vs] == ["executed", "effective"]
    assert "<strong>on or after 2023-01-09</strong>" in page and "<strong>2025-03-03</strong>" in page


def test_the_dashboards_history_is_the_cap_table_on_each_date(site):
    from datetime import date

    app, auxer, seed, path = site
    for corp, user in ((auxer, "aux-viewer"), (seed, "seed-viewer")):
        j = signed_in(app, user).get(f"/c/{corp}.json").json()["history"]
        book = open_book(path, corp)
        days = {p["on"] for points in j.values() for p in points}
        changed = {e.effective_on.isoformat() for e in book.events if e.type == "SharesIssued"}
        changed |= {v.effective_on.isoformat() for v in book.charter.versions if v.effective_on}
        assert changed <= days  # every date the shares issued or the charter changed (the books are small)
        for cls, points in j.items():
            for p in points:
                ct = book.cap_table(date.fromisoformat(p["on"]))
                c = next(x for x in ct.by_class if x.class_key == cls)
                assert (p["authorized"], p["issued"]) == (c.authorized or 0, c.issued), (corp, cls, p)
        book.close()
