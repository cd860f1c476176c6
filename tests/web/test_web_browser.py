"""The web app in a real browser: Playwright drives Debian's Chromium (installed by `make test`) against the app
served by uvicorn on 127.0.0.1, through the story of the issue — a secretary signs in, reads the Auxer charter's
timeline, a version with its fact highlighted, the diff; records an issuance (the board's consent first); sees an
over-issue refused with § 161 cited; draws a paper (an unknown act refused at its form, then the PDF saved and
listed as drawn, its SHA-256 the file's); signs out; a viewer of another corporation signs in and is refused the
Auxer book. Screenshots of each step go to $MINUTEBOOK_SCREENSHOTS (default: the test's folder)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from webhelp import PASSWORD, app_for

pytestmark = pytest.mark.slow


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("no Chromium on this machine: `make test` installs Debian's chromium package")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(web_db):
    path, auxer, seed = web_db
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app_for(path), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", auxer, seed
    server.should_exit = True
    t.join(10)


@pytest.fixture
def page(tmp_path):
    if os.environ.get("MINUTEBOOK_TEST_BROWSER", "").lower() == "skip":
        pytest.skip("MINUTEBOOK_TEST_BROWSER=skip")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        yield pg
        context.close()
        browser.close()


def test_the_whole_story_in_a_browser(served, page, tmp_path):
    from playwright.sync_api import expect

    base, auxer, seed = served
    shots = Path(os.environ.get("MINUTEBOOK_SCREENSHOTS") or tmp_path / "screens")
    shots.mkdir(parents=True, exist_ok=True)
    n = [0]

    def shot(name: str) -> None:
        n[0] += 1
        page.screenshot(path=str(shots / f"{n[0]:02d}-{name}.png"), full_page=True)

    def sign_in(user: str) -> None:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

    # a secretary signs in and opens the Auxer book
    page.goto(f"{base}/c/{auxer}")
    expect(page).to_have_url(f"{base}/login?next=/c/{auxer}")
    shot("sign-in")
    page.fill("input[name=username]", "aux-secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/c/{auxer}")
    expect(page.locator("h1")).to_contain_text("The Auxer Group")
    expect(page.locator("svg.chart")).to_be_visible()
    shot("dashboard")

    # the charter's timeline, a version with its fact highlighted in the filing, and the diff
    page.click("header nav >> text=Charter")
    expect(page.locator("ol.timeline li")).to_have_count(3)
    shot("charter-timeline")
    page.click("ol.timeline li:nth-child(1) >> text=version 1")
    page.click("ul.facts li:nth-child(2) a")
    expect(page.locator("mark#fact")).to_be_visible()
    expect(page.locator("mark#fact")).to_contain_text("25,000,000")
    shot("charter-version-fact")
    page.goto(f"{base}/c/{auxer}/charter-diff?a=2&b=3")
    expect(page.locator("table.diff tr.changed").first).to_be_visible()
    shot("charter-diff")

    # the board authorizes an issuance, then the issuance is recorded (HTMX swaps the answer in)
    page.goto(f"{base}/c/{auxer}/record/board-consent")
    page.fill("input[name=action_id]", "UC-2001-1")
    page.fill("input[name=on]", "2001-01-15")
    page.fill("input[name=signed_by]", "eugene, jane, john")
    page.fill("input[name=resolution]", "R-2001-1")
    page.select_option("select[name=kind]", "issue_shares")
    page.fill("textarea[name=text]", "Issue up to 2,000,000 shares of common stock at $0.01")
    page.fill("textarea[name=params]", "class_key=common\nmax_shares=2,000,000\nmin_price=0.01")
    page.click("button[type=submit]")
    expect(page.locator(".ok")).to_contain_text("Recorded.")
    page.goto(f"{base}/c/{auxer}/record/issue")
    page.fill("input[name=holder]", "erin")
    page.fill("input[name=holder_name]", "Erin Wu")
    page.fill("input[name=class_key]", "common")
    page.fill("input[name=shares]", "1,000,000")
    page.fill("input[name=price]", "0.01")
    page.fill("input[name=on]", "2001-02-01")
    page.fill("input[name=approved_by]", "R-2001-1")
    page.click("button[type=submit]")
    expect(page.locator(".ok")).to_contain_text("Recorded.")
    expect(page.locator(".ok")).to_contain_text("SharesIssued")
    shot("issuance-recorded")

    # an over-issue: refused, § 161 cited, the values kept, nothing written
    page.goto(f"{base}/c/{auxer}/record/issue")
    page.fill("input[name=holder]", "erin")
    page.fill("input[name=class_key]", "common")
    page.fill("input[name=shares]", "200,000,000")
    page.fill("input[name=price]", "0.01")
    page.fill("input[name=on]", "2001-02-02")
    page.fill("input[name=approved_by]", "R-2001-1")
    page.click("button[type=submit]")
    expect(page.locator(".refused")).to_contain_text("Refused: nothing was written.")
    expect(page.locator(".refused")).to_contain_text("MB-ISSUE-EXCEEDS-AUTHORIZED")
    expect(page.locator(".refused .cites").first).to_contain_text("161")
    expect(page.locator("input[name=shares]")).to_have_value("200,000,000")
    shot("over-issue-refused")

    # bad input: the field named, the value kept
    page.fill("input[name=shares]", "many")
    page.click("button[type=submit]")
    expect(page.locator(".field-error")).to_contain_text("Shares: a whole number")
    expect(page.locator("input[name=shares]")).to_have_value("many")
    shot("bad-input")

    # the cap table shows the new holder; a paper downloads
    page.goto(f"{base}/c/{auxer}/captable")
    expect(page.locator("main")).to_contain_text("Erin Wu")
    shot("captable")
    # a paper: an act the book does not hold is refused at its form, nothing drawn; then drawn, saved, and listed
    page.goto(f"{base}/c/{auxer}/documents")
    expect(page.locator("#drawn")).to_contain_text("None yet.")
    shot("documents")
    form = page.locator("#draw-meeting-minutes form")
    form.locator("input[name=act]").fill("M-2099")
    form.locator("button", has_text="Draw PDF").click()
    expect(page.locator(".refused")).to_contain_text("Not drawn: nothing was written.")
    expect(page.locator("#draw-meeting-minutes .field-error")).to_contain_text("For: no stockholder meeting")
    expect(page.locator("#draw-meeting-minutes input[name=act]")).to_have_value("M-2099")
    expect(page.locator("#drawn")).to_contain_text("None yet.")
    shot("document-refused")
    form = page.locator("#draw-meeting-minutes form")
    form.locator("input[name=act]").fill("M-1999")
    with page.expect_download() as d:
        form.locator("button", has_text="Draw PDF").click()
    assert d.value.suggested_filename == "meeting-minutes-M-1999.pdf"
    saved = tmp_path / d.value.suggested_filename
    d.value.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF")
    page.goto(f"{base}/c/{auxer}/documents")
    drawn = page.locator("#drawn tbody tr")
    expect(drawn).to_have_count(1)
    expect(drawn).to_contain_text("aux-secretary")
    expect(drawn).to_contain_text("meeting-minutes-M-1999.pdf")
    expect(drawn).to_contain_text(hashlib.sha256(pdf).hexdigest()[:16])
    shot("document-drawn")
    page.goto(f"{base}/c/{auxer}/findings")
    expect(page.locator("ul.findings")).to_contain_text("MB-APPROVAL-MISSING")
    shot("findings")

    # sign out; a viewer of another corporation signs in and is refused the Auxer book
    page.click("text=Sign out")
    expect(page).to_have_url(f"{base}/login")
    sign_in("seed-viewer")
    expect(page.locator("main table")).to_contain_text("Brightline")
    expect(page.locator("body")).not_to_contain_text("Auxer")
    shot("other-viewer-home")
    resp = page.goto(f"{base}/c/{auxer}/captable")
    assert resp.status == 404
    expect(page.locator("body")).not_to_contain_text("Auxer")
    expect(page.locator("body")).not_to_contain_text("Erin Wu")
    shot("other-viewer-refused")
    page.goto(f"{base}/c/{seed}/captable")
    expect(page.locator("h1")).to_contain_text("Cap table")
    expect(page.locator("header .who")).to_contain_text("viewer")
    shot("other-viewer-own-captable")
