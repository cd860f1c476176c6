"""A database already at the latest migration opens without Alembic (`store.db.HEAD`); one behind it is migrated."""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.script import ScriptDirectory
from storehelp import AUXER

from minutebook.book import create
from minutebook.store import db


def test_head_is_the_last_migration():
    assert ScriptDirectory(str(db.MIGRATIONS)).get_heads() == [db.HEAD]


def test_a_book_at_head_opens_without_alembic(tmp_path, auxer_read):
    path = tmp_path / "mb.db"
    create(str(path), auxer_read, [AUXER]).close()
    code = (
        "import sys; from minutebook.book import open_book; "
        f"b = open_book({str(path)!r}); b.cap_table(); "
        "print('alembic' in sys.modules)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert p.stdout.strip() == "False", p.stderr


def test_a_database_behind_head_is_migrated(db_url):
    engine = db.engine_for(db.resolve_url(db_url))
    with db.write(engine) as conn:
        command.upgrade(db._config(conn), "0005")
    assert not db._at_head(engine)
    db.migrate(engine, db_url)
    assert db._at_head(engine)
    engine.dispose()


def test_making_a_new_database_keeps_no_caller_alive(tmp_path):
    """The check `_at_head` makes on a new database fails inside SQLAlchemy, whose error sits in a cycle with its
    traceback; through the frames' callers that cycle held the caller's locals (an import's whole package) until
    the cyclic collector ran. Nothing of the caller may outlive its return without that collector."""
    import gc
    import weakref

    class Big:
        pass

    def caller(path):
        big = Big()
        engine, _ = db.open_engine(str(path))
        engine.dispose()
        return weakref.ref(big)

    was = gc.isenabled()
    gc.disable()
    try:
        ref = caller(tmp_path / "new.db")
        assert ref() is None
    finally:
        if was:
            gc.enable()
