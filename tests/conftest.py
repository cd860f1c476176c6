"""A real, throwaway PostgreSQL server for the suite (no mocks of the database).

The session starts one server from the Debian `postgresql` package's binaries (`make system-deps` installs
them): `initdb` into a temporary folder, listening on 127.0.0.1 on a free port with its Unix socket in that
folder, trust authentication for the local `postgres` role. PostgreSQL refuses to run as root, so as root
the binaries run as the `postgres` system user (`runuser`); otherwise they run directly. The server is
started only when a test asks for it, and stopped and removed at the end of the session.

`pg_database()` creates a fresh, empty database and returns its SQLAlchemy URL
(`postgresql+psycopg://postgres@127.0.0.1:PORT/NAME`); it is dropped when the test ends. Its name carries
the xdist worker's id (`mb_gw0_…`; `mb_main_…` without xdist), so no two workers ever pick the same one.

Under pytest-xdist (`make test` runs `pytest -n auto`) the run still has ONE server, shared by the workers,
each with databases of its own. They meet in `minutebook-pg.json` in the run's shared temporary folder
(`tmp_path_factory.getbasetemp().parent`, the parent of every worker's own), read and written under an
`fcntl.flock` on `minutebook-pg.lock` beside it: each worker counts itself in when its session starts; the
first that needs the server starts it and writes its folder and port there, the others use it; the last
worker to finish stops it. Should a worker die before counting itself out, the controller stops the server
at the end of the run.

Environment:
- `MINUTEBOOK_TEST_PG_URL`: use this existing server (a superuser URL) instead of starting one.
- `MINUTEBOOK_TEST_PG=skip`: skip the PostgreSQL tests (they fail, with the fix, when no server can run).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    """The PostgreSQL server binaries: `pg_config --bindir`, the Debian layout, or PATH."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass

    def version(p: str) -> tuple[int, ...]:
        m = re.search(r"/postgresql/([\d.]+)/bin", p)
        return tuple(int(x) for x in m.group(1).split(".")) if m else (0,)

    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, tag: str = "main") -> None:
        self.external = os.environ.get("MINUTEBOOK_TEST_PG_URL")
        self.tag = tag  # in every database name: the xdist worker's id, or "main"
        self.root: Path | None = None
        self.port: int | None = None
        self.bindir: Path | None = None
        self._as: list[str] = []
        self.started_in = 0.0

    def describe(self) -> dict:
        """What another process needs to use and to stop this server (see `attach`)."""
        return {"root": str(self.root), "port": self.port, "bindir": str(self.bindir), "as": self._as}

    @classmethod
    def attach(cls, described: dict, tag: str = "main") -> PgServer:
        """The server another process started and described."""
        server = cls(tag)
        server.root, server.port = Path(described["root"]), described["port"]
        server.bindir, server._as = Path(described["bindir"]), list(described["as"])
        return server

    # --- running the server binaries ----------------------------------------------------------------------

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [*self._as, *args]
        out = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=120)
        if check and out.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}\n{tail}".rstrip()
            )
        return out

    def start(self) -> None:
        if self.external:
            return
        self.bindir = _bindir()
        if self.bindir is None:
            raise RuntimeError(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: run `make system-deps` "
                "(apt-get install postgresql), or set MINUTEBOOK_TEST_PG=skip to skip these tests"
            )
        self.root = Path(tempfile.mkdtemp(prefix="minutebook-pg-"))
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root but there is no `postgres` system user to run the server as "
                    "(the Debian postgresql package creates it)"
                ) from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            runuser = shutil.which("runuser")
            self._as = [runuser, "-u", "postgres", "--"] if runuser else []
            if not runuser:  # pragma: no cover - util-linux always has runuser on Debian
                self._as = ["su", "postgres", "-s", "/bin/sh", "-c", '"$0" "$@"']
        data = self.root / "data"
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        last: Exception | None = None
        for _ in range(5):  # the free port may be taken between choosing it and the server binding it
            self.port = _free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(self.root / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                return
            except RuntimeError as e:
                last = e
        raise RuntimeError(f"could not start PostgreSQL: {last}")

    def stop(self) -> None:
        if self.external or self.root is None:
            return
        try:
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- databases ---------------------------------------------------------------------------------------

    @property
    def admin_url(self) -> str:
        """A psycopg (libpq) URL of the maintenance database."""
        if self.external:
            return self.external.replace("postgresql+psycopg://", "postgresql://", 1)
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL minutebook takes, for database `dbname` on this server."""
        base = self.admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = f"mb_{self.tag}_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- one server for all the xdist workers of a run --------------------------------------------------------

SHARED_STATE = "minutebook-pg.json"
_COUNTED = pytest.StashKey[bool]()
_CONFIG_HOME = pytest.StashKey[str]()


def _worker(config: pytest.Config) -> str | None:
    """The xdist worker's id (gw0, gw1, ...), or None when this process is no xdist worker."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else None


def _shared_state(config: pytest.Config) -> Path | None:
    """The run's server state file: in the folder that holds every worker's own temporary folder (the
    controller's base temporary folder), for an xdist worker or the controller; None otherwise (and for
    workers xdist gave no temporary folder under the controller's, as on remote hosts)."""
    factory = getattr(config, "_tmp_path_factory", None)  # what the tmp_path_factory fixture returns
    if factory is None:
        return None
    if _worker(config) is not None:
        if not config.option.basetemp:
            return None
        return factory.getbasetemp().parent / SHARED_STATE
    if config.pluginmanager.hasplugin("dsession"):  # the xdist controller
        return factory.getbasetemp() / SHARED_STATE
    return None


@contextlib.contextmanager
def _locked(path: Path):
    """The shared state (a dict) under an exclusive lock, written back if the block ends without error."""
    with open(path.with_name("minutebook-pg.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(path.read_text()) if path.exists() else {}
            yield state
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(json.dumps(state))
            os.replace(tmp, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _count_in(config: pytest.Config) -> None:
    if _worker(config) is None or config.stash.get(_COUNTED, False):
        return
    path = _shared_state(config)
    if path is None:
        return
    with _locked(path) as state:
        state["workers"] = state.get("workers", 0) + 1
    config.stash[_COUNTED] = True


def _stop(state: dict) -> None:
    described, state["server"] = state.get("server"), None
    if described:
        PgServer.attach(described).stop()


def pytest_configure(config: pytest.Config) -> None:
    """Every book the tests make gets a signing key (issue 17). A PostgreSQL book keeps it under
    $XDG_CONFIG_HOME/minutebook/keys: here a throwaway folder of the process, never the user's; and a
    $MINUTEBOOK_KEY_DIR of the user's is not used."""
    os.environ.pop("MINUTEBOOK_KEY_DIR", None)
    config.stash[_CONFIG_HOME] = tempfile.mkdtemp(prefix="minutebook-config-")
    os.environ["XDG_CONFIG_HOME"] = config.stash[_CONFIG_HOME]


def pytest_unconfigure(config: pytest.Config) -> None:
    home = config.stash.get(_CONFIG_HOME, None)
    if home:
        shutil.rmtree(home, ignore_errors=True)


def pytest_sessionstart(session: pytest.Session) -> None:
    # every worker counts itself in before it collects, so before any worker runs a test: the count stays
    # above 0 until the last worker has finished, however early another one finishes
    _count_in(session.config)


@pytest.hookimpl(trylast=True)  # after the session's fixtures are torn down (their databases dropped)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    path = _shared_state(config)
    if path is None:
        return
    if _worker(config) is not None:
        if not config.stash.get(_COUNTED, False):
            return
        with _locked(path) as state:
            state["workers"] -= 1
            if state["workers"] <= 0:
                _stop(state)
    elif path.exists():  # the controller, after every worker: one that died never counted itself out
        with _locked(path) as state:
            _stop(state)


@pytest.fixture(scope="session")
def postgres(request, tmp_path_factory):
    """The session's PostgreSQL server (started on first use); under xdist, the run's one server."""
    if os.environ.get("MINUTEBOOK_TEST_PG", "").lower() == "skip":
        pytest.skip("MINUTEBOOK_TEST_PG=skip")
    config = request.config
    tag = _worker(config) or "main"
    shared = None
    if _worker(config) is not None and _shared_state(config) is not None:
        shared = tmp_path_factory.getbasetemp().parent / SHARED_STATE  # the controller's base temp folder
    if shared is None or os.environ.get("MINUTEBOOK_TEST_PG_URL"):
        server = PgServer(tag)
        t0 = time.monotonic()
        server.start()
        server.started_in = time.monotonic() - t0
        try:
            yield server
        finally:
            server.stop()
        return
    _count_in(config)  # (already counted in at the session's start, unless this conftest came late)
    with _locked(shared) as state:
        if state.get("server"):
            server = PgServer.attach(state["server"], tag)
        else:
            server = PgServer(tag)
            t0 = time.monotonic()
            server.start()
            server.started_in = time.monotonic() - t0
            state["server"] = server.describe()
    yield server  # stopped by the last worker to finish (pytest_sessionfinish)


@pytest.fixture
def pg_database(postgres):
    """A factory of fresh PostgreSQL databases (SQLAlchemy URLs), dropped when the test ends."""
    made: list[str] = []

    def make() -> str:
        name = postgres.create_database()
        made.append(name)
        return postgres.url(name)

    yield make
    for name in made:
        postgres.drop_database(name)
