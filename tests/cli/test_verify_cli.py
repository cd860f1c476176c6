"""`minutebook verify` and the database file: a file that is not a minutebook database that can be read — not
SQLite, random bytes, an SQLite file cut short, an SQLite file whose pages are garbage, another program's SQLite
database, an empty file — is one line on stderr naming the file, exit 3 (1 is "problems found", 2 bad input),
for `verify` and for every command that opens a book; never a traceback, and the file is left as it was. And
`verify --json` keeps its shape: `ok`, `events`, `problems`, each problem naming what and where."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A book made from the Auxer filing (its WAL folded into the file: a copy of the file is the whole book)."""
    db = tmp_path_factory.mktemp("verify") / "book.db"
    ok(inproc(db, f"init --from {AUXER}"))
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


def _other_program(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    con.execute("INSERT INTO invoices VALUES (1, 100)")
    con.commit()
    con.close()


MALFORMED = {
    "text": lambda p, book: p.write_bytes(b"holder,shares\nalice,100\n" * 20),
    "random": lambda p, book: p.write_bytes(os.urandom(8192)),
    "empty": lambda p, book: p.write_bytes(b""),
    "header-only": lambda p, book: p.write_bytes(book.read_bytes()[:60]),
    "truncated": lambda p, book: p.write_bytes(book.read_bytes()[: len(book.read_bytes()) // 2]),
    "garbage-pages": lambda p, book: p.write_bytes(b"SQLite format 3\x00" + os.urandom(8176)),
    "another-program": lambda p, book: _other_program(p),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
@pytest.mark.parametrize("command", ["verify", "verify --json", "captable", "log", "holders"])
def test_a_malformed_database_file_is_exit_3(made, tmp_path, kind, command):
    path = tmp_path / f"{kind}.db"
    MALFORMED[kind](path, made)
    before = path.read_bytes()
    err = one_line_error(inproc(path, command), 3)
    assert str(path.name) in err, err
    assert path.read_bytes() == before  # nothing written, not even a schema into the empty file


def test_a_row_that_is_not_utf8_is_named_not_fatal(made, tmp_path):
    """A TEXT value that is not UTF-8 (written behind minutebook's back, or a damaged page): verify names the row;
    other commands say the log cannot be read, in one line."""
    db = tmp_path / "book.db"
    shutil.copy(made, db)
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER events_no_update")
    con.execute("UPDATE events SET actor = CAST(x'ff00fe' AS TEXT) WHERE seq = 2")
    con.commit()
    con.close()
    p = inproc(db, "verify")
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert any(line.startswith("event 2: ") for line in p.stdout.splitlines()), p.stdout
    assert "verify" in one_line_error(inproc(db, "captable"))


def test_verify_json_keeps_its_shape(made, tmp_path):
    db = tmp_path / "book.db"
    shutil.copy(made, db)
    data = json.loads(ok(inproc(db, "verify --json")).stdout)
    assert data == {"ok": True, "events": 3, "problems": []}
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER events_no_delete")
    con.execute("UPDATE holders SET name = 'x'")  # none yet: nothing changes
    con.execute("UPDATE corporations SET name = 'Evil Corp'")
    con.commit()
    con.close()
    p = inproc(db, "verify --json")
    assert p.returncode == 1
    data = json.loads(p.stdout)
    assert set(data) == {"ok", "events", "problems"} and data["ok"] is False and data["events"] == 3
    assert sorted(x.split(":")[0] for x in data["problems"]) == ["corporation", "schema"], data


def test_verify_help_names_its_exit_codes(made):
    text = ok(inproc(made, "verify --help", with_db=False)).stdout
    assert "3 the database file cannot be read" in " ".join(text.split())
