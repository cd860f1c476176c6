"""`db.filling`: a large import into a database with no corporation yet is written under SQLite's rollback journal
(each page written once, into the file), and the file is back in WAL when it ends; a database someone has a book in,
or one another connection holds open, is written under WAL as any other."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import pytest

from minutebook.book import open_book
from minutebook.ocf.importer import import_package
from minutebook.store import db

SAMPLES = Path(__file__).resolve().parents[2] / "../shared/ocf/samples"


def _mode(conn) -> str:
    return conn.connection.driver_connection.execute("PRAGMA journal_mode").fetchone()[0]


def _one(path: Path, sql: str):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _file_mode(path: Path) -> str:
    return _one(path, "PRAGMA journal_mode")


def _corporations(path: Path) -> int:
    return _one(path, "SELECT count(*) FROM corporations")


def _add(conn, slug: str) -> None:
    conn.connection.driver_connection.execute(
        "INSERT INTO corporations (slug, name, head_seq, head_hash) VALUES (?, ?, 0, '')", (slug, slug)
    )


def test_a_new_file_is_filled_under_the_rollback_journal_and_left_in_wal(tmp_path):
    path = tmp_path / "new.db"
    engine, _ = db.open_engine(str(path))
    with db.filling(engine) as conn:
        assert _mode(conn) == "truncate"
        _add(conn, "acme")
    engine.dispose()
    assert _file_mode(path) == "wal"
    assert _corporations(path) == 1
    assert not (tmp_path / "new.db-journal").exists()


def test_a_database_with_a_corporation_stays_in_wal(tmp_path):
    path = tmp_path / "used.db"
    engine, _ = db.open_engine(str(path))
    with db.write(engine) as conn:
        _add(conn, "first")
    with db.filling(engine) as conn:
        assert _mode(conn) == "wal"
        _add(conn, "second")
    engine.dispose()
    assert _corporations(path) == 2


def test_another_connection_open_keeps_it_in_wal(tmp_path):
    path = tmp_path / "shared.db"
    engine, _ = db.open_engine(str(path))
    other = sqlite3.connect(path)  # someone else has the (WAL) file open and has read it
    other.execute("SELECT count(*) FROM corporations").fetchone()
    try:
        with db.filling(engine) as conn:
            assert _mode(conn) == "wal"
            _add(conn, "acme")
        assert other.execute("SELECT count(*) FROM corporations").fetchone()[0] == 1
    finally:
        other.close()
        engine.dispose()


def test_a_failed_fill_writes_nothing_and_leaves_wal(tmp_path):
    path = tmp_path / "failed.db"
    engine, _ = db.open_engine(str(path))
    with pytest.raises(RuntimeError), db.filling(engine) as conn:
        _add(conn, "acme")
        raise RuntimeError("the import failed half-way")
    engine.dispose()
    assert _corporations(path) == 0
    assert _file_mode(path) == "wal"


def test_an_import_filled_this_way_opens_and_verifies(tmp_path, monkeypatch):
    # every new corporation through `filling`, however small
    monkeypatch.setattr(importlib.import_module("minutebook.book.create"), "FILL", 1)
    path = tmp_path / "imported.db"
    made = import_package(str(path), SAMPLES, lenient=True)
    made.engine.dispose()
    assert _file_mode(path) == "wal"
    book = open_book(str(path))
    try:
        assert book.verify() == []
        assert len(book.events) == made.events
    finally:
        book.close()
