"""The book's write transaction on SQLite, begun and ended on the driver (`db.immediate`): what it commits, what it
rolls back, and a statement run through SQLAlchemy inside it joining it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from storehelp import AUXER, ON, n_events, scalar

from minutebook.book import create
from minutebook.store import db


@pytest.fixture
def sqlite_book(tmp_path, auxer_read):
    return create(str(tmp_path / "mb.db"), auxer_read, [AUXER])


def _names(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT name FROM t ORDER BY name"))]


def test_the_driver_and_sqlalchemy_statements_commit_together(tmp_path):
    engine, _ = db.open_engine(str(tmp_path / "t.db"))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (name TEXT)")
        conn.commit()
        with db.immediate(conn):
            conn.connection.driver_connection.execute("INSERT INTO t VALUES ('driver')")
            conn.execute(sa.text("INSERT INTO t VALUES ('sqlalchemy')"))  # joins the driver's transaction
        assert not conn.in_transaction() and not conn.connection.driver_connection.in_transaction
        with db.immediate(conn):
            conn.connection.driver_connection.execute("INSERT INTO t VALUES ('driver only')")
    assert _names(engine) == ["driver", "driver only", "sqlalchemy"]


@pytest.mark.parametrize("through", ["driver", "sqlalchemy"])
def test_a_block_that_raises_writes_nothing(tmp_path, through):
    engine, _ = db.open_engine(str(tmp_path / "t.db"))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (name TEXT)")
        conn.commit()
        with pytest.raises(RuntimeError), db.immediate(conn):
            conn.connection.driver_connection.execute("INSERT INTO t VALUES ('a')")
            if through == "sqlalchemy":
                conn.execute(sa.text("INSERT INTO t VALUES ('b')"))
            raise RuntimeError("abandoned")
        assert not conn.in_transaction() and not conn.connection.driver_connection.in_transaction
        with db.immediate(conn):
            db.rollback(conn)  # ended early: nothing to commit at the end of the block
    assert _names(engine) == []


def test_a_refused_act_leaves_no_transaction_open(sqlite_book):
    book = sqlite_book
    assert not book.add_holder("alice", "Alice", on=ON).refused
    before = n_events(book.engine)
    r = book.issue("nobody", "common", 10, on=ON, price_per_share=1)
    assert r.refused
    assert not book._writer._conn.connection.driver_connection.in_transaction
    assert not book._writer._conn.in_transaction()
    assert n_events(book.engine) == before == scalar(book.engine, "SELECT head_seq FROM corporations")
    assert not book.add_holder("bob", "Bob", on=ON).refused  # the next act begins its own transaction
    assert n_events(book.engine) == before + 1
