"""The two-corporation database the web tests use (`build`), and driving the web app in-process: a client per
user (its own cookie jar, over https so the Secure cookie comes back), signing in through the real form, the
CSRF token read from the page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from minutebook.book import stories
from minutebook.book.accounts import Accounts
from minutebook.core.events import GrossAssetsReported
from minutebook.governance.story import load
from minutebook.web import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PASSWORD = "correct horse battery"
ROLES = ("viewer", "counsel", "secretary", "admin")
TODAY = date(2026, 1, 15)


def build(url: str) -> tuple[str, str]:
    """Write both books and the users into the database `url`; (auxer slug, seed slug)."""
    first = load(EXAMPLES / "auxer-1999-amendment.yaml")
    book = stories.create_book(first, url)
    assert all(o.ok for o in stories.run(book, first))
    second = load(EXAMPLES / "auxer-2000-secretary-and-unapproved-issue.yaml")
    assert all(o.ok for o in stories.run(book, second))
    assert not book.record(GrossAssetsReported(2025, Decimal("1000000")), date(2026, 2, 15)).refused
    auxer = book.slug
    book.close()
    seed_story = load(EXAMPLES / "seed-stage-company.yaml")
    seed = stories.create_book(seed_story, url)
    assert all(o.ok for o in stories.run(seed, seed_story))
    seed_slug = seed.slug
    seed.close()
    acc = Accounts.open(url)
    for corp, tag in ((auxer, "aux"), (seed_slug, "seed")):
        for role in ROLES:
            acc.add_user(f"{tag}-{role}", PASSWORD)
            acc.grant(f"{tag}-{role}", corp, role)
    acc.add_user("nobody", PASSWORD)
    acc.engine.dispose()
    return auxer, seed_slug


def app_for(url: str):
    return create_app(url, today=lambda: TODAY)


def client(app, raise_server_exceptions: bool = True) -> TestClient:
    """`raise_server_exceptions=False`: the app's answer to an error it re-raises (for the server's log) is read."""
    return TestClient(
        app,
        base_url="https://testserver",
        follow_redirects=False,
        raise_server_exceptions=raise_server_exceptions,
    )


def login_token(c: TestClient) -> str:
    r = c.get("/login")
    return re.search(
        r'action="/login"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"', r.text
    ).group(1)


def sign_in(c: TestClient, username: str, password: str = PASSWORD):
    return c.post(
        "/login", data={"username": username, "password": password, "csrf": login_token(c), "next": "/"}
    )


def signed_in(app, username: str) -> TestClient:
    c = client(app)
    r = sign_in(c, username)
    assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient, page: str = "/") -> str:
    r = c.get(page)
    return re.search(r'"X-CSRF-Token": "([^"]+)"', r.text).group(1)
