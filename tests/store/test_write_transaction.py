"""The book's write transaction, begun and ended on the driver: on SQLite (`db.immediate`) what it commits, what it
rolls back, and a statement run through SQLAlchemy inside it joining it; on PostgreSQL (`db.begun`) an act's
round trips to the server, counted in libpq's own trace of the messages, and the connection it leaves."""

from __future__ import annotations

import tempfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from storehelp import AUXER, ON, PAR, R_ISSUE, approve_issues, n_events, scalar

from minutebook.book import create, open_book
from minutebook.store import db, marks
from minutebook.store.projections import positions_at


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


def _idle(book) -> bool:
    """Whether the writer's connection holds no transaction (and, on PostgreSQL, is back out of autocommit)."""
    conn = book._writer._conn
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return not conn.in_transaction() and not raw.in_transaction
    return not conn.in_transaction() and raw.info.transaction_status == 0 and not raw.autocommit


def test_a_refused_act_leaves_no_transaction_open(book):
    assert not book.add_holder("alice", "Alice", on=ON).refused
    before = n_events(book.engine)
    r = book.issue("nobody", "common", 10, on=ON, price_per_share=1)
    assert r.refused
    assert _idle(book)
    assert n_events(book.engine) == before == scalar(book.engine, "SELECT head_seq FROM corporations")
    assert not book.add_holder("bob", "Bob", on=ON).refused  # the next act begins its own transaction
    assert n_events(book.engine) == before + 1
    assert _idle(book)


# --- PostgreSQL: an act in two round trips --------------------------------------------------------------------


@pytest.fixture
def pg_book(pg_database, auxer_read):
    book = create(pg_database(), auxer_read, [AUXER])
    approve_issues(book, ON)
    return book


def _round_trips(book, act) -> tuple[object, int, list[str]]:
    """`act()`'s answer, the round trips the book's connection made to the server meanwhile (each time the client sent
    messages and then read the server's), and the kinds of the messages it sent, in libpq's trace."""
    import psycopg

    pgconn = book._writer._conn.connection.driver_connection.pgconn
    with tempfile.TemporaryFile("w+") as f:
        pgconn.trace(f.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            answer = act()
        finally:
            pgconn.untrace()
        f.seek(0)
        lines = [ln.split("\t") for ln in f.read().splitlines()]
    sides = [ln[0] for ln in lines]
    trips = sum(1 for a, b in zip(sides, sides[1:], strict=False) if a == "F" and b == "B")
    return answer, trips, [ln[2] for ln in lines if ln[0] == "F"]


def _issue(book, holder: str, shares: int = 1, on=ON):
    return book.issue(holder, "common", shares, on=on, price_per_share=PAR, approved_by=R_ISSUE)


def test_an_act_on_postgresql_takes_two_round_trips(pg_book):
    """The BEGIN goes with the head lock's reads (the tree's last leaf, the latest position mark, the events since
    the book's last read), and the COMMIT with the writes."""
    book = pg_book
    for h in ("alice", "bob"):
        assert not book.add_holder(h, h.title(), on=ON).refused
    assert not _issue(book, "alice").refused  # the first entry: the marks' first row, written on its own
    r, trips, sent = _round_trips(book, lambda: _issue(book, "bob", 5))
    assert trips == 2, sent
    assert sent.count("Sync") == 2 and "Query" not in sent  # no simple query: the COMMIT went in the pipeline
    assert not r.refused and r.event.seq == n_events(book.engine)  # committed: another connection reads it
    assert _idle(book)
    r, trips, _ = _round_trips(book, lambda: book.add_holder("carol", "Carol", on=ON))
    assert not r.refused and trips == 2
    assert book.cap_table().rows and book.verify() == []


def test_another_writers_acts_come_with_the_head_lock(pg_book):
    """A writer whose book another writer has appended to since it read folds their events from the lock's round
    trip: still two round trips, and the act is checked against them."""
    book = pg_book
    other = open_book(book.url)
    assert not book.add_holder("alice", "Alice", on=ON).refused
    assert not _issue(book, "alice").refused
    assert not other.add_holder("bob", "Bob", on=ON).refused  # unknown to `book` until its next act
    assert not _issue(other, "bob", 7).refused
    r, trips, _ = _round_trips(book, lambda: book.transfer("bob", "alice", "common", 3, on=ON))
    assert not r.refused, r.findings  # bob's shares were known to the check
    assert trips == 2
    assert book.count == other.count + 1 == n_events(book.engine)
    r = book.transfer("bob", "alice", "common", 5, on=ON)  # bob holds 4: refused, rolled back
    assert r.refused and r.findings[0].code == "MB-INSUFFICIENT-SHARES"
    assert _idle(book) and book.count == n_events(book.engine)


def test_an_act_whose_position_marks_change_commits_after_them(pg_book, monkeypatch):
    """An act dated behind the latest position mark adds to it: the marks are written after the pipeline, and the
    commit goes on its own round trip, after them."""
    book = pg_book
    monkeypatch.setattr(marks, "EVERY", 2)
    assert not book.add_holder("alice", "Alice", on=ON).refused
    for i in range(6):
        assert not _issue(book, "alice", 10, on=ON + timedelta(days=i + 1)).refused
    with book.engine.connect() as conn:
        made = [m for m, _ in marks.listed(conn, book.corp_id) if m]
    assert made
    r, trips, _ = _round_trips(book, lambda: _issue(book, "alice", 1000, on=ON + timedelta(days=1)))
    assert not r.refused and trips > 2
    assert _idle(book)
    with book.engine.connect() as conn:
        for m in made:  # each mark holds the back-dated issuance
            held = marks.at_mark(conn, book.corp_id, m)
            assert held == positions_at(conn, book.corp_id, m) and held[("alice", "common", "")] >= 1010
    assert book.verify() == []


def test_an_act_begins_as_the_engine_does_whatever_the_databases_defaults(pg_database, auxer_read):
    """The transaction `db.begun` begins itself is READ COMMITTED and READ WRITE, as psycopg begins the engine's: on a
    database whose defaults are SERIALIZABLE and read-only an act is still written, as it was before."""
    url = pg_database()
    book = create(url, auxer_read, [AUXER])
    name = url.rsplit("/", 1)[1]
    with sa.create_engine(db.resolve_url(url), isolation_level="AUTOCOMMIT").connect() as admin:
        admin.exec_driver_sql(f'ALTER DATABASE "{name}" SET default_transaction_isolation = serializable')
        admin.exec_driver_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    book.close()
    book = open_book(url)  # new sessions, with the new defaults
    assert not book.add_holder("alice", "Alice", on=ON).refused  # the writer's connection made
    r, trips, _ = _round_trips(book, lambda: book.add_holder("bob", "Bob", on=ON))
    assert not r.refused and trips == 2
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"
    assert n_events(book.engine) == book.count and book.verify() == []


def test_a_postgresql_refusal_to_write_inside_the_acts_pipeline_is_one_error(pg_book):
    """A database that refuses the act's writes as read-only (here a trigger raising PostgreSQL's read-only error, as
    a standby does) answers inside the pipeline that also carries the COMMIT: the act raises `ReadOnlyError` naming
    the database, nothing is written, the connection is idle, and the next act, once the database takes writes,
    goes through."""
    book = pg_book
    assert not book.add_holder("alice", "Alice", on=ON).refused
    before = n_events(book.engine)
    with book.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'cannot execute INSERT in a read-only transaction' USING ERRCODE = '25006'; "
            "END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    with pytest.raises(
        db.ReadOnlyError, match=r"cannot write to postgresql\+psycopg://.*: the database is read-only"
    ):
        _issue(book, "alice")
    assert _idle(book) and n_events(book.engine) == before and book.count == before
    with book.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse ON events")
    assert not _issue(book, "alice").refused
    assert n_events(book.engine) == before + 1 == book.count and book.verify() == []


def test_acts_that_write_through_sqlalchemy_commit_with_the_rest(book):
    """A holder's change and a charter amendment write rows through SQLAlchemy inside the act's transaction (the
    holder's row, the charter's version): on PostgreSQL inside the pipeline that carries the COMMIT. Both are
    committed with their events: read from another connection, the connection idle after each, `verify` clean."""
    assert not book.add_holder("alice", "Alice", on=ON).refused
    r = book.change_holder("alice", on=ON, name="Alice Ode")
    assert not r.refused, r.findings
    assert _idle(book)
    assert scalar(book.engine, "SELECT name FROM holders WHERE holder_id = 'alice'") == "Alice Ode"
    versions = scalar(book.engine, "SELECT count(*) FROM charter_versions")
    r = book.file_amendment(on=ON, approved_by="none", authorized={"common": 200_000_000}, historical=True)
    assert r.event is not None, (
        r.findings
    )  # kept, with its findings: no board or stockholder approval recorded
    assert _idle(book)
    assert scalar(book.engine, "SELECT count(*) FROM charter_versions") == versions + 1
    assert n_events(book.engine) == book.count and book.verify() == []


def test_a_connection_lost_in_an_act_is_dropped_and_the_next_act_reconnects(pg_book):
    """The server ends the writer's session (as a restart or an administrator would): the act fails with the
    driver's error, nothing is written, the connection is dropped (`db.begun` cannot bring it back to idle), and the
    book's next act opens a new one and is written."""
    book = pg_book
    assert not book.add_holder("alice", "Alice", on=ON).refused
    before = n_events(book.engine)
    pid = book._writer._conn.connection.driver_connection.info.backend_pid
    with book.engine.connect() as admin:
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    with pytest.raises(Exception) as failed:
        _issue(book, "alice")
    assert type(failed.value).__module__.startswith(("psycopg", "sqlalchemy"))
    assert n_events(book.engine) == before == book.count
    assert not _issue(book, "alice").refused  # a new connection
    assert book._writer._conn.connection.driver_connection.info.backend_pid != pid
    assert n_events(book.engine) == before + 1 == book.count and _idle(book) and book.verify() == []
