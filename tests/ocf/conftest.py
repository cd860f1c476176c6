"""Shared by the OCF tests: the Auxer book of `ocfhelp.auxer_book`, built once per session (once per xdist
worker) into an SQLite file; `auxer_copy` gives a test (or a module) a copy of it, opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ocfhelp import auxer_book

from minutebook.book import Book, open_book


@pytest.fixture(scope="session")
def auxer_db(tmp_path_factory) -> Path:
    """`mb.db`, holding `auxer_book`, in a folder of its own, closed. Copy it (`auxer_copy`); never open it."""
    path = tmp_path_factory.mktemp("ocf-auxer") / "mb.db"
    b = auxer_book(str(path))
    b.close()
    b.engine.dispose()  # the last connection closed: the WAL is checkpointed into mb.db
    return path


@pytest.fixture(scope="session")
def auxer_copy(auxer_db):
    """`auxer_copy(folder)`: a copy of the Auxer book in `folder`, opened."""

    def copy(folder: Path) -> Book:
        folder.mkdir(parents=True, exist_ok=True)
        for f in auxer_db.parent.glob("mb.db*"):
            shutil.copy(f, folder / f.name)
        return open_book(str(folder / "mb.db"))

    return copy
