"""The Auxer demo's book, built once per worker and copied for each test that writes to it: the 1999 story, the
2000 acts (a Secretary; an issuance the board never approved), and the 2025 gross assets — what `make demo`
draws its papers from. Also the book of the charter as filed (its "150,000,00" figure), for §103(f)."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from minutebook.book import open_book, stories
from minutebook.core.events import GrossAssetsReported
from minutebook.governance.story import load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def auxer_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("auxer") / "auxer.db"
    first = load(EXAMPLES / "auxer-1999-amendment.yaml")
    book = stories.create_book(first, str(path))
    assert all(o.ok for o in stories.run(book, first))
    second = load(EXAMPLES / "auxer-2000-secretary-and-unapproved-issue.yaml")
    assert all(o.ok for o in stories.run(book, second))
    r = book.record(GrossAssetsReported(2025, Decimal("1000000")), date(2026, 2, 15))
    assert not r.refused
    book.close()
    return path


@pytest.fixture
def auxer(auxer_template, tmp_path):
    """A fresh copy of the Auxer demo book (a test may record papers drawn in it)."""
    path = tmp_path / "auxer.db"
    shutil.copy(auxer_template, path)
    book = open_book(str(path))
    yield book
    book.close()


@pytest.fixture(scope="session")
def auxer_read_only(auxer_template):
    """The Auxer demo book for tests that only read it."""
    book = open_book(str(auxer_template))
    yield book
    book.close()
