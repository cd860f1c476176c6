"""Shared by the franchise tax tests (test_tax_book.py, test_tax_cli.py): the Auxer book they both start from,
built once per session (once per xdist worker) into an SQLite file that each test copies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from minutebook.book import Book, create
from minutebook.ingest import read

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


def _issue(b: Book, holder: str, n: int, on: date, price: str) -> None:
    """An issuance; board approval of issuances is another module's rule, not these tests' subject, so a
    refusal for want of it is recorded as history."""
    r = b.issue(holder, "common", n, on=on, price_per_share=D(price))
    if r.refused:
        r = b.issue(holder, "common", n, on=on, price_per_share=D(price), historical=True)
    assert not r.refused, r.findings


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The Auxer book with 150,000,000 common issued (alice 30M and bob 20M in 1998, bob 100M in 1999), as in
    the README walkthrough: `mb.db` in a folder of its own, closed. Tests copy `mb.db*` and never write here."""
    d = tmp_path_factory.mktemp("auxer-tax")
    b = create(f"sqlite:///{d / 'mb.db'}", read([str(AUXER)]), [str(AUXER)])
    b.add_holder("alice", "Alice Ng")
    b.add_holder("bob", "Bob Ray")
    _issue(b, "alice", 30_000_000, date(1998, 1, 5), "0.001")
    _issue(b, "bob", 20_000_000, date(1998, 2, 1), "0.001")
    _issue(b, "bob", 100_000_000, date(1999, 4, 1), "0.01")
    b.close()
    b.engine.dispose()  # the last connection closed: the WAL is checkpointed into mb.db
    return d / "mb.db"
