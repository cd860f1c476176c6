"""Opening a database: SQLite by default (`minutebook.db`, WAL, foreign keys on), PostgreSQL by URL
(`postgresql+psycopg://…`) or `MINUTEBOOK_DB`; schema migrations with Alembic on open.

Writers take the write lock at the start of their transaction (`write()`): SQLite `BEGIN IMMEDIATE`,
PostgreSQL a row lock on the corporation's chain head (taken by `log.append`), so the chain never forks. Readers
(`read()`) see one snapshot for the whole transaction: PostgreSQL REPEATABLE READ, READ ONLY; SQLite one read
transaction, its snapshot taken by its first statement.

A file that is not a database minutebook can read (not SQLite, empty, damaged, another program's) is a
`DatabaseFileError`, apart from other bad input: the command line gives it an exit code of its own (3).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa

from ..core.errors import InputError, MinutebookError

DEFAULT_DB = "minutebook.db"
MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0010"
"""The latest migration's revision (`migrations/versions`; a test holds it to Alembic's head): a database already at
it opens without Alembic, whose import and reading of the migration scripts cost every command ~0.15 s."""


class SchemaError(MinutebookError):
    """The database's schema is not one this minutebook can use."""


class DatabaseFileError(InputError):
    """The file is not a minutebook database that can be read: not an SQLite file, empty, damaged (truncated, pages
    that no longer read), or another program's database. The message names the file."""


SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
BUSY_WAIT_S = 60
"""How long a connection to an SQLite book waits for another connection's write lock before it gives up."""


def damaged(ex: BaseException) -> bool:
    """Whether `ex` (SQLAlchemy's or the sqlite3 driver's) says the SQLite file is damaged or not a database."""
    import sqlite3

    orig = getattr(ex, "orig", None) or ex
    if not isinstance(orig, sqlite3.DatabaseError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(orig).lower()
    return "malformed" in text or "not a database" in text


def failed(ex: BaseException) -> bool:
    """Whether `ex` is the database's failure, not the statement's: on PostgreSQL psycopg's operational errors
    (SQLAlchemy's wrapping them, or raised by the driver itself on the appends' hot paths), such as the session ended
    by the server (a restart, a failover, an administrator), the connection lost, a deadlock, a lock not granted in
    time, the server out of disk; on SQLite, the file's lock held by another connection for all of `BUSY_WAIT_S`."""
    if locked(ex):
        return True
    orig = getattr(ex, "orig", None) or ex
    if not _psycopg(orig):
        return False
    import psycopg  # loaded already: the error is its own

    return isinstance(orig, psycopg.OperationalError)


def _psycopg(ex: BaseException) -> bool:
    """Whether `ex` is psycopg's own (tested by its module: SQLite books never load psycopg)."""
    return type(ex).__module__.startswith("psycopg")


def locked(ex: BaseException) -> bool:
    """Whether `ex` (SQLAlchemy's or the sqlite3 driver's) is an SQLite file's lock that another connection held for
    all of `BUSY_WAIT_S`."""
    import sqlite3

    orig = getattr(ex, "orig", None) or ex
    code = getattr(orig, "sqlite_errorcode", None) if isinstance(orig, sqlite3.OperationalError) else None
    return code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def first_line(ex: BaseException) -> str:
    orig = getattr(ex, "orig", None) or ex
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__


@contextmanager
def readable(name: str):
    """Around reads of a database: a damaged SQLite file becomes one `DatabaseFileError` naming it."""
    import sqlite3

    try:
        yield
    except (sa.exc.DBAPIError, sqlite3.DatabaseError) as ex:
        if not damaged(ex):
            raise
        raise DatabaseFileError(f"{name}: the database file is damaged ({first_line(ex)})") from None


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
    except Exception as ex:
        # SQLAlchemy's error, or the driver's own from the appends' hot paths (sqlite3; psycopg's pipelines)
        ours = _psycopg(ex) or isinstance(ex, (sa.exc.DBAPIError, sqlite3.Error))
        if not ours or not _read_only(ex):
            raise
        if engine.url.get_backend_name() == "sqlite":
            name, what = (engine.url.database or "").removeprefix("file:"), "the file is read-only"
        else:
            name, what = engine.url.render_as_string(hide_password=True), "the database is read-only"
        raise ReadOnlyError(f"cannot write to {name}: {what}; nothing written") from None


def _ours(path: str) -> None:
    """Refuse an SQLite file that is damaged or another program's before the engine touches it (opening one
    switches it to WAL): its tables read through a read-only connection."""
    import sqlite3
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # cannot be opened read-only here (a locked directory ...): the engine says what is wrong
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as ex:
        if damaged(ex):
            raise DatabaseFileError(f"{path}: the database file is damaged ({first_line(ex)})") from None
        return
    finally:
        con.close()
    if tables - {"sqlite_sequence", "alembic_version"} and "alembic_version" not in tables:
        raise DatabaseFileError(
            f"{path}: not a minutebook database (it has tables {', '.join(sorted(tables))})"
        )


def engine_for(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = sqlite_path(url) or ""
        if path and path != ":memory:":
            p = Path(path)
            if p.exists() and p.is_dir():
                raise InputError(f"{path}: is a directory, not a database file")
            if p.exists() and p.stat().st_size:
                with open(p, "rb") as f:
                    head = f.read(100)
                if head[:16] != b"SQLite format 3\x00":
                    raise DatabaseFileError(f"{path}: not a minutebook database (not an SQLite file)")
                if len(head) < 100:
                    raise DatabaseFileError(
                        f"{path}: the database file is damaged (truncated: {len(head)} bytes, less than its header)"
                    )
                _ours(path)
        eng = sa.create_engine(url, connect_args={"timeout": BUSY_WAIT_S})

        @sa.event.listens_for(eng, "connect")
        def _connect(dbapi_conn, _rec):  # pragma: no cover - exercised through every SQLite test
            configure(dbapi_conn)

        @sa.event.listens_for(eng, "begin")
        def _begin(conn):
            raw = conn.connection.driver_connection
            # inside `immediate` the driver's transaction is open: SQLAlchemy's (auto)begin joins it
            if not raw.in_transaction:
                raw.execute("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

        return eng
    return sa.create_engine(url, pool_pre_ping=True)


def configure(dbapi_conn) -> None:
    """Set up a new sqlite3 connection to a book as every one of the engine's is: BEGIN issued by us, the wait for
    another writer's lock (`BUSY_WAIT_S`), WAL, foreign keys, synchronous=NORMAL."""
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_WAIT_S * 1000)}")
    _journal_wal(cur)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@contextmanager
def write(engine: sa.Engine):
    """A write transaction: on SQLite it holds the database's write lock from its first statement."""
    with writable(engine), engine.connect() as conn, _transaction(conn):
        yield conn


@contextmanager
def _transaction(conn: sa.Connection) -> Iterator[None]:
    """A write transaction on `conn` (on SQLite its `begin` listener makes it `BEGIN IMMEDIATE`)."""
    conn.info["write"] = True
    try:
        with conn.begin():
            yield
    finally:
        conn.info["write"] = False


@contextmanager
def filling(engine: sa.Engine):
    """A write transaction that fills a database holding no corporation yet (a large import into a new file).
    On such an SQLite file it runs under SQLite's rollback journal instead of the write-ahead log, and the file
    goes back to WAL once the transaction ends: each page is written once, into the database file, where through
    the WAL it is written twice (the log, then the checkpoint that copies it into the file). A rollback journal is
    as safe against a crash: the journal holds the pages as they were (a new file's few) until the commit is
    done. It keeps readers out while it writes, which is why it is for a database no one has a book in yet; if
    another connection has the file open, the switch is refused and the transaction runs under WAL as any other.
    Elsewhere (PostgreSQL, memory, a database with a corporation) it is `write`."""
    import sqlite3

    path = sqlite_path(engine.url.render_as_string()) if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        with write(engine) as conn:
            yield conn
        return
    engine.dispose()  # none of our own pooled connections holds the WAL open
    with writable(engine), engine.connect() as conn:
        raw = conn.connection.driver_connection
        mode = "wal"
        if raw.execute("SELECT count(*) FROM corporations").fetchone()[0] == 0:
            try:
                mode = raw.execute("PRAGMA journal_mode=TRUNCATE").fetchone()[0].lower()
            except sqlite3.OperationalError:  # another connection has it open: WAL it stays
                mode = "wal"
        try:
            with _transaction(conn):
                yield conn
        finally:
            if mode != "wal":
                _journal_wal(raw)


@contextmanager
def immediate(conn: sa.Connection):
    """A write transaction on an SQLite connection begun and ended on its driver (`BEGIN IMMEDIATE` ... `COMMIT`, or
    `ROLLBACK` when the block raises; `rollback` ends it early) without SQLAlchemy's transaction bookkeeping: the
    book's appends (issue 18), where that bookkeeping cost ~5 % of an append. A statement run through SQLAlchemy
    inside the block joins the transaction (its autobegin: the `begin` listener sees the driver's transaction open),
    and SQLAlchemy then ends it."""
    raw = conn.connection.driver_connection
    raw.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        rollback(conn)
        raise
    if conn.in_transaction():
        conn.commit()
    elif raw.in_transaction:
        raw.execute("COMMIT")


BEGIN_AHEAD = "minutebook.begin_ahead"
"""The key under which `begun` leaves, in a connection's `info`, the BEGIN `log.lock_head` is to send."""
_PG_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"
"""`begun`'s BEGIN: as psycopg begins the engine's transactions (`open_engine`), whatever the database's defaults.
The head's lock relies on READ COMMITTED: each statement after it reads a snapshot taken once it is held."""


@contextmanager
def begun(conn: sa.Connection):
    """A write transaction on a PostgreSQL connection whose BEGIN goes out with the head lock's reads, in their round
    trip (`log.lock_head`, which must be the block's first statement: every act's is). psycopg begins a transaction
    itself with the first statement, and in a pipeline waits for that BEGIN alone: a round trip of its own, ~0.1 ms
    on this machine's loopback (issue 18). So the driver is in autocommit mode for the block, and the transaction is
    ours. The act's writes may end it themselves, the COMMIT in their round trip (`log.append`'s `commit`); else it is
    committed when the block ends. It is rolled back when the block raises (`rollback` also ends it early). A
    statement run through SQLAlchemy inside the block joins it (SQLAlchemy begins nothing on the wire), and SQLAlchemy
    then ends it."""
    pg, info = conn.connection.driver_connection, conn.info
    pg.autocommit = True
    info[BEGIN_AHEAD] = _PG_BEGIN
    try:
        yield
    except BaseException:
        # a broken connection: invalidated below; the block's error is the one to see
        with suppress(Exception):
            rollback(conn)
        raise
    else:
        if conn.in_transaction():
            conn.commit()
        elif pg.info.transaction_status != _PG_IDLE:
            pg.commit()
    finally:
        info.pop(BEGIN_AHEAD, None)
        if pg.info.transaction_status == _PG_IDLE:
            pg.autocommit = False
        elif not conn.invalidated:  # broken, or a rollback that failed: never used again as it is
            conn.invalidate()


_PG_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE (not imported: SQLite books never load psycopg)


def rollback(conn: sa.Connection) -> None:
    """End the connection's transaction writing nothing: SQLAlchemy's, or the driver's that `immediate` or `begun`
    began."""
    if conn.in_transaction():
        conn.rollback()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        if raw.in_transaction:
            raw.execute("ROLLBACK")
    elif conn.dialect.name == "postgresql" and raw.info.transaction_status != _PG_IDLE:
        raw.rollback()


def fetch(conn: sa.Connection, sql: str, params: tuple, cur=None) -> list[tuple]:
    """The rows of a read as plain tuples, straight from the driver in the connection's transaction (`sql` written with
    `?` placeholders): for reads of thousands of rows (the positions on a date), where building SQLAlchemy's result
    rows costs more than the query, and for the reads of an append (`cur`: on SQLite, the append's driver cursor; on
    PostgreSQL, inside an append's pipeline, the read flushes it)."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return (cur or raw).execute(sql, params).fetchall()
    with raw.cursor() as cur:
        return cur.execute(sql.replace("?", "%s"), params).fetchall()


def scan(conn: sa.Connection, sql: str, params: tuple) -> Iterator[tuple]:
    """The rows of a read as `fetch` gives them, one at a time as the driver gives them (a pass over every ledger
    entry of a book)."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        yield from raw.execute(sql, params)
        return
    with raw.cursor() as cur:
        yield from cur.execute(sql.replace("?", "%s"), params)


def stream_rows(conn: sa.Connection, sql: str, params: tuple, batch: int = 4096) -> Iterator[tuple]:
    """The rows of a read as `scan` gives them, never all held at once on either back end: on PostgreSQL through a
    server-side cursor, `batch` rows a round trip (a pass over a whole log of millions of rows; `scan`'s cursor there
    takes every row first, which suits the short reads of an append)."""
    if conn.dialect.name == "sqlite":
        yield from scan(conn, sql, params)
        return
    yield from conn.exec_driver_sql(sql.replace("?", "%s"), params, execution_options={"yield_per": batch})


def write_many(conn: sa.Connection, sql: str, rows: Sequence[tuple], cur=None) -> None:
    """`executemany` straight on the driver in the connection's transaction (`sql` with `?` placeholders; `cur` as
    `fetch` takes it): for writes of thousands of rows, where SQLAlchemy's per-row parameter handling costs more
    than the insert."""
    if not rows:
        return
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        (cur or raw).executemany(sql, rows)
        return
    with raw.cursor() as pg:
        pg.executemany(sql.replace("?", "%s"), rows)


@contextmanager
def read(engine: sa.Engine):
    """A read transaction that sees one snapshot of the database from its start to its end, however many statements
    it runs while writers commit: on PostgreSQL REPEATABLE READ, READ ONLY (the default, READ COMMITTED, gives each
    statement a snapshot of its own); on SQLite one transaction (`BEGIN` is deferred: the snapshot is taken by the
    first statement, run here at once, and held to the end; in WAL mode writers do not wait for it)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # set on the connection; reset when it goes back to the pool
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            yield conn


@contextmanager
def single(engine: sa.Engine):
    """A connection for reads of one statement each, each statement seeing one snapshot by itself: on PostgreSQL in
    autocommit (no BEGIN and COMMIT round trips: what a web server asks on every request, its session and a book's
    chain head); on SQLite a read transaction (`read`)."""
    if engine.dialect.name != "postgresql":
        with read(engine) as conn:
            yield conn
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")  # reset when it goes back to the pool
        yield conn


def _lenient(data: bytes) -> str:
    return data.decode("utf-8", "replace")


@contextmanager
def checking(engine: sa.Engine, name: str, reading=None):
    """A `read` snapshot for checking the database (`verify`), named `name` in errors. On SQLite the file must first
    pass `PRAGMA integrity_check` (its b-trees, and every index against its table: a historical cap table reads an
    index), else `DatabaseFileError`; text that is not UTF-8 is read with replacement characters, so that a row
    holding such bytes is named by the checks (its hash no longer matches) instead of stopping them. Any damage the
    reads run into is a `DatabaseFileError` too. `reading()`, when given, gives the connection to check on instead
    (a book's transaction under way, whose own writes the checks then see)."""
    snapshot = reading() if reading is not None else read(engine)  # entered below, inside `readable`
    with readable(name), snapshot as conn:
        if conn.dialect.name != "sqlite":
            yield conn
            return
        found = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
        if found != ["ok"]:
            more = f"; {len(found) - 1} more" if len(found) > 1 else ""
            raise DatabaseFileError(
                f"{name}: the database file is damaged (integrity check: {found[0]}{more})"
            )
        raw = conn.connection.driver_connection
        before = raw.text_factory
        raw.text_factory = _lenient
        try:
            yield conn
        finally:
            raw.text_factory = before


def undecodable(ex: BaseException) -> bool:
    """Whether `ex` is SQLite's driver refusing a TEXT value that is not UTF-8 (written so behind minutebook's back,
    or a damaged page)."""
    return "could not decode to utf-8" in first_line(ex).lower()


def _config(conn):
    from alembic.config import Config

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


def _at_head(engine: sa.Engine) -> bool:
    """Whether the database's schema is already `HEAD` (one read; False on any error, which `_migrate` then meets)."""
    try:
        with read(engine) as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
    except sa.exc.DBAPIError as e:
        _forget(e)
        return False


def _forget(e: BaseException) -> None:
    """Clear the frames of a caught exception's tracebacks (its causes' too). SQLAlchemy's wrapped error sits in a
    cycle with its own traceback, and through each frame's caller that cycle held every caller's locals until a
    cyclic collection: opening a new database inside an import kept the whole package's objects (2.3M of them)
    for the collector, a 1.6 s walk once collection came back on."""
    import traceback

    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        traceback.clear_frames(e.__traceback__)
        e.__traceback__ = None
        e = e.__cause__ or e.__context__


def _migrate(engine: sa.Engine, name: str) -> None:
    if _at_head(engine):
        return
    from alembic import command
    from alembic.script import ScriptDirectory

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
                raise DatabaseFileError(
                    f"{name}: not a minutebook database (it has tables {', '.join(sorted(tables))})"
                )
            command.upgrade(_config(conn), "head")
    except sa.exc.DatabaseError as e:
        msg = first_line(e)
        if damaged(e):
            raise DatabaseFileError(f"{name}: the database file is damaged ({msg})") from None
        raise InputError(f"{name}: cannot open database: {msg}") from None


def open_engine(db: str | None = None, existing: bool = False) -> tuple[sa.Engine, str]:
    """The engine for a database (a path or URL), its schema brought up to date. With `existing`, a SQLite file
    that is empty is refused (`DatabaseFileError`) before anything is written to it: a book is opened, not made."""
    url = resolve_url(db)
    path = sqlite_path(url)
    if existing and path and path != ":memory:" and Path(path).is_file() and Path(path).stat().st_size == 0:
        raise DatabaseFileError(f"{path}: not a minutebook database (an empty file)")
    engine = engine_for(url)
    migrate(engine, display(url))
    return engine, url
