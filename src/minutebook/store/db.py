"""Opening a database: SQLite by default (`minutebook.db`, WAL, foreign keys on), PostgreSQL by URL
(`postgresql+psycopg://…`) or `MINUTEBOOK_DB`; schema migrations with Alembic on open.

Writers take the write lock at the start of their transaction (`write()`): SQLite `BEGIN IMMEDIATE`,
PostgreSQL a row lock on the corporation's chain head (taken by `log.append`), so the chain never forks.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from ..core.errors import InputError, MinutebookError

DEFAULT_DB = "minutebook.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaError(MinutebookError):
    """The database's schema is not one this minutebook can use."""


def _journal_wal(cur) -> None:
    """Switch to WAL. The switch takes an exclusive lock and does not wait on the busy handler, so several
    processes opening a new database at once retry it for a while."""
    import sqlite3
    import time

    for attempt in range(200):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == 199:
                raise
            time.sleep(0.05)


def resolve_url(db: str | None = None) -> str:
    db = db or os.environ.get("MINUTEBOOK_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgresql://"):
            db = "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    return f"sqlite:///{db}"


def display(url: str) -> str:
    return (
        url.removeprefix("sqlite:///")
        if url.startswith("sqlite:///")
        else sa.engine.make_url(url).render_as_string()
    )


def engine_for(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            p = Path(path)
            if p.exists() and p.is_dir():
                raise InputError(f"{path}: is a directory, not a database file")
            if p.exists() and p.stat().st_size:
                with open(p, "rb") as f:
                    if f.read(16) != b"SQLite format 3\x00":
                        raise InputError(f"{path}: not a minutebook database (not an SQLite file)")
        eng = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(eng, "connect")
        def _connect(dbapi_conn, _rec):  # pragma: no cover - exercised through every SQLite test
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=60000")
            _journal_wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @sa.event.listens_for(eng, "begin")
        def _begin(conn):
            # straight to the driver: this runs once per transaction, on the append hot path
            conn.connection.driver_connection.execute(
                "BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN"
            )

        return eng
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def write(engine: sa.Engine):
    """A write transaction: on SQLite it holds the database's write lock from its first statement."""
    with engine.connect() as conn:
        conn.info["write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info["write"] = False


@contextmanager
def read(engine: sa.Engine):
    with engine.connect() as conn, conn.begin():
        yield conn


def _config(conn) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def migrate(engine: sa.Engine, name: str) -> None:
    """Bring the schema up to date; refuse a database from a newer minutebook or not ours at all.
    First opens racing on a new SQLite file are retried while the file is locked."""
    import time

    for attempt in range(100):
        try:
            return _migrate(engine, name)
        except InputError as e:
            if "locked" not in str(e) or attempt == 99:
                raise
            time.sleep(0.1)


def _migrate(engine: sa.Engine, name: str) -> None:
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    known = {r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    try:
        with write(engine) as conn:
            if conn.dialect.name == "postgresql":  # first opens from several processes: one migrates
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7231)")
            insp = sa.inspect(conn)
            tables = set(insp.get_table_names())
            if "alembic_version" in tables:
                rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if rev not in known:
                    raise SchemaError(
                        f"{name}: database schema {rev} is newer than this minutebook "
                        f"(it knows up to {', '.join(sorted(heads))}); upgrade minutebook"
                    )
                if rev in heads:
                    return
            elif tables - {"sqlite_sequence"}:
                raise SchemaError(
                    f"{name}: not a minutebook database (it has tables {', '.join(sorted(tables))})"
                )
            command.upgrade(_config(conn), "head")
    except sa.exc.DatabaseError as e:
        msg = str(e.orig).splitlines()[0] if getattr(e, "orig", None) else str(e).splitlines()[0]
        raise InputError(f"{name}: cannot open database: {msg}") from None


def open_engine(db: str | None = None) -> tuple[sa.Engine, str]:
    url = resolve_url(db)
    engine = engine_for(url)
    migrate(engine, display(url))
    return engine, url
