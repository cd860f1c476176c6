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
    """The SQLAlchemy URL for a path or URL. A SQLite file opened read-only, `sqlite:///PATH?mode=ro`, becomes
    SQLite's own URI form (`sqlite:///file:PATH?mode=ro&uri=true`): nothing can be written through it."""
    db = db or os.environ.get("MINUTEBOOK_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgresql://"):
            db = "postgresql+psycopg://" + db[len("postgresql://") :]
        if db.startswith("sqlite:///") and not db.startswith("sqlite:///file:") and "?" in db:
            path, _, query = db.removeprefix("sqlite:///").partition("?")
            if "mode=ro" in query.split("&"):
                return f"sqlite:///file:{path}?mode=ro&uri=true"
        return db
    return f"sqlite:///{db}"


def sqlite_path(url: str) -> str | None:
    """The file a SQLite URL names (its `file:` URI form read too); None for another database."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    if path.startswith("file:"):
        path = path.removeprefix("file:").partition("?")[0]
    return path


def display(url: str) -> str:
    path = sqlite_path(url)
    return path if path is not None else sa.engine.make_url(url).render_as_string()


class ReadOnlyError(InputError):
    """A write to a database that can only be read (a read-only file, a `mode=ro` URL, a read-only server)."""


def _read_only(ex: BaseException) -> bool:
    """Whether `ex` (SQLAlchemy's, or the driver's own on the SQLite hot path) says the database is read-only."""
    orig = getattr(ex, "orig", None) or ex
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == 8:  # SQLITE_READONLY and its extended codes
        return True
    if getattr(orig, "sqlstate", None) == "25006":  # PostgreSQL: read_only_sql_transaction
        return True
    return "readonly database" in str(orig) or "read-only" in str(orig).lower()


@contextmanager
def writable(engine: sa.Engine):
    """Around a write: a refusal of the database to be written becomes one `ReadOnlyError` naming it."""
    import sqlite3

    try:
        yield
    except (sa.exc.DBAPIError, sqlite3.Error) as ex:
        if not _read_only(ex):
            raise
        if engine.url.get_backend_name() == "sqlite":
            name, what = (engine.url.database or "").removeprefix("file:"), "the file is read-only"
        else:
            name, what = engine.url.render_as_string(hide_password=True), "the database is read-only"
        raise ReadOnlyError(f"cannot write to {name}: {what}; nothing written") from None


def engine_for(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = sqlite_path(url) or ""
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
    with writable(engine), engine.connect() as conn:
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
