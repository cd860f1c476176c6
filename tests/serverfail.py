"""A PostgreSQL server that fails under an act, for the tests of what the CLI and the web app answer then: a trigger
that ends the session of every insert into the events (as a restart, a failover or an administrator would)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

_END_SESSION = """
CREATE FUNCTION mb_test_end_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_terminate_backend(pg_backend_pid());
    RETURN NEW;
END $$;
CREATE TRIGGER mb_test_end_session BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION mb_test_end_session();
"""


def admin_engine(url: str) -> sa.Engine:
    """An engine of the test's own on the database `url` (a `pg_database` URL)."""
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


@contextmanager
def sessions_ended_on_insert(engine: sa.Engine) -> Iterator[None]:
    """Inside the block, the server ends the session of any act's insert into the events; after it, no longer."""
    with engine.begin() as conn:
        conn.exec_driver_sql(_END_SESSION)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER mb_test_end_session ON events")
            conn.exec_driver_sql("DROP FUNCTION mb_test_end_session()")
