"""Who acted, and a database that can only be read.

- Every event a command writes records who acted: `--actor NAME` on the root command, else
  $MINUTEBOOK_ACTOR, else the operating-system user; `log` shows it. The Python API takes `actor=` on the
  book (`open_book(..., actor=)`) or on one act; an export keeps the actors through the import.
- A write to a database that can only be read is one line naming the file, exit 2, nothing written; reads
  (`captable`, `check`, `log`) still work. As root, chmod does not stop a write, so the failure is reproduced
  with SQLite's read-only mode (`--db sqlite:///PATH?mode=ro`), and with a chmod'ed copy when not root.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from clihelp import ok, one_line_error
from minutebook.book import export_book, import_book, open_book

AUXER = str(Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt")
ENV = {k: v for k, v in os.environ.items() if k not in ("MINUTEBOOK_DB", "MINUTEBOOK_ACTOR")}


def mb(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=env or ENV)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("auxer")
    ok(mb(d, "init", "--from", AUXER, "--db", str(d / "mb.db")))
    return d / "mb.db"


@pytest.fixture
def db(made, tmp_path) -> Path:
    shutil.copy(made, tmp_path / "mb.db")
    return tmp_path / "mb.db"


def actors(db: Path) -> list[str | None]:
    return [r["actor"] for r in json.loads(ok(mb(db.parent, "log", "--json", "--db", str(db))).stdout)]


def count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return c.execute("SELECT count(*) FROM events").fetchone()[0]


# --- the actor -----------------------------------------------------------------------------------------


def test_the_actor_defaults_to_the_os_user_and_log_shows_it(db):
    ok(mb(db.parent, "holder", "add", "ann", "Ann Lee", "--on", "1997-08-01", "--db", str(db)))
    assert actors(db)[-1] == getpass.getuser()
    assert getpass.getuser() in ok(mb(db.parent, "log", "--db", str(db))).stdout


def test_actor_option_and_environment(db):
    ok(
        mb(
            db.parent,
            "--actor",
            "Jane Roe",
            "holder",
            "add",
            "ann",
            "Ann Lee",
            "--on",
            "1997-08-01",
            "--db",
            str(db),
        )
    )
    env = {**ENV, "MINUTEBOOK_ACTOR": "corporate secretary"}
    ok(mb(db.parent, "holder", "add", "bob", "Bob Ode", "--on", "1997-08-01", "--db", str(db), env=env))
    ok(
        mb(
            db.parent,
            "--actor",
            "counsel",
            "holder",
            "add",
            "cy",
            "Cy Poe",
            "--on",
            "1997-08-01",
            "--db",
            str(db),
            env=env,
        )
    )
    assert actors(db)[-3:] == ["Jane Roe", "corporate secretary", "counsel"]
    assert "Jane Roe" in ok(mb(db.parent, "log", "--db", str(db))).stdout


def test_the_python_api_carries_the_actor_and_an_import_keeps_it(db, tmp_path):
    b = open_book(str(db), actor="the secretary")
    try:
        b.add_holder("ann", "Ann Lee", on=date(1997, 8, 1))
        b.add_holder("bob", "Bob Ode", on=date(1997, 8, 1), actor="counsel")
        assert [e.actor for e in b.log[-2:]] == ["the secretary", "counsel"]
        export_book(b, tmp_path / "export")
    finally:
        b.close()
    copy = import_book(f"sqlite:///{tmp_path}/copy.db", tmp_path / "export")
    try:
        assert [e.actor for e in copy.log[-2:]] == ["the secretary", "counsel"]
    finally:
        copy.close()


# --- a read-only database -----------------------------------------------------------------------------


def test_a_write_to_a_read_only_database_is_one_line_exit_2(db):
    n = count(db)
    ro = f"sqlite:///{db}?mode=ro"
    err = one_line_error(mb(db.parent, "holder", "add", "ann", "Ann Lee", "--on", "1997-08-01", "--db", ro))
    assert f"cannot write to {db}: the file is read-only" in err
    assert count(db) == n
    # reads still work on it
    assert "common" in ok(mb(db.parent, "captable", "--db", ro)).stdout
    ok(mb(db.parent, "check", "--db", ro))
    assert json.loads(ok(mb(db.parent, "log", "--json", "--db", ro)).stdout)[0]["type"] == "Incorporated"
    # and the same file is writable through a normal path
    ok(mb(db.parent, "holder", "add", "ann", "Ann Lee", "--on", "1997-08-01", "--db", str(db)))
    assert count(db) == n + 1


def test_a_read_only_correction_is_refused_the_same_way(db):
    ok(mb(db.parent, "holder", "add", "ann", "Ann Le", "--on", "1997-08-01", "--db", str(db)))
    n = count(db)
    ro = f"sqlite:///{db}?mode=ro"
    err = one_line_error(
        mb(db.parent, "correct", str(n), "--set", "name=Ann Lee", "--reason", "x", "--db", ro)
    )
    assert "read-only" in err and count(db) == n


@pytest.mark.skipif(
    os.geteuid() == 0, reason="as root chmod does not stop a write (the mode=ro test covers it)"
)
def test_a_chmod_read_only_file_is_one_line_exit_2(db):
    n = count(db)
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    db.chmod(0o444)
    try:
        err = one_line_error(
            mb(db.parent, "holder", "add", "ann", "Ann Lee", "--on", "1997-08-01", "--db", str(db))
        )
        assert "read-only" in err and str(db) in err
        ok(mb(db.parent, "captable", "--db", str(db)))
    finally:
        db.chmod(0o644)
    assert count(db) == n
