"""Two corporations in one database for the web app: the Auxer demo book (the 1999 story, the 2000 acts, the 2025
gross assets) and the seed-stage company of examples/seed-stage-company.yaml; users with every role in one of them;
built once per worker, copied for each test that writes."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from minutebook.book import open_book, stories
from minutebook.book.accounts import Accounts
from minutebook.core.events import GrossAssetsReported
from minutebook.governance.story import load

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


@pytest.fixture(scope="session")
def web_template(tmp_path_factory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("web") / "web.db"
    auxer, seed = build(str(path))
    return path, auxer, seed


@pytest.fixture
def web_db(web_template, tmp_path) -> tuple[str, str, str]:
    """A fresh copy of the two-corporation database: (path, auxer slug, seed slug)."""
    src, auxer, seed = web_template
    path = tmp_path / "web.db"
    shutil.copy(src, path)
    keys = src.parent / f".{src.name}.keys"
    if keys.exists():
        shutil.copytree(keys, tmp_path / f".{path.name}.keys")
    return str(path), auxer, seed


def open_fresh(path: str, corp: str):
    return open_book(path, corp)
