"""Fixtures for the storage tests: every test taking `db_url` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from storehelp import AUXER, ledger_book

from minutebook.book import Book, create
from minutebook.ingest import read
from minutebook.store import db


@pytest.fixture(scope="session")
def auxer_read():
    """The Auxer Group's charter history, read once for the session."""
    r = read([AUXER])
    assert not r.errors
    return r


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, request) -> str:
    """An empty database: an SQLite file path, or a fresh database on the session's PostgreSQL server."""
    if backend == "sqlite":
        return str(tmp_path / "mb.db")
    return request.getfixturevalue("pg_database")()


@pytest.fixture
def book(db_url, auxer_read) -> Book:
    """The Auxer Group, created from its charter: incorporated 1997-07-31 (20,000,000 common), amended
    1997-08-28 (50,000,000 common) and 1999-03-19 (150,000,000 common); $0.001 par."""
    return create(db_url, auxer_read, [AUXER])


@pytest.fixture
def raw(db_url):
    """A plain SQLAlchemy engine on the same database, for editing it behind minutebook's back."""
    eng = sa.create_engine(db.resolve_url(db_url), poolclass=sa.pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def ledger(book: Book) -> Book:
    """The Auxer Group with a board approval, three holders and five ledger events (`storehelp.ledger_book`)."""
    return ledger_book(book)


@pytest.fixture
def every_node_stored(monkeypatch) -> None:
    """Each append writes its Merkle leaf and the nodes it completes to `merkle_nodes`, none waiting in the head row
    (`log.TAIL` at 1): for the tests that tamper with stored nodes, as an attacker who knows only that table would."""
    from minutebook.store import log

    monkeypatch.setattr(log, "TAIL", 1)
