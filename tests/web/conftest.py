"""Two corporations in one database for the web app: the Auxer demo book (the 1999 story, the 2000 acts, the 2025
gross assets) and the seed-stage company of examples/seed-stage-company.yaml; users with every role in one of them;
built once per worker, copied for each test that writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from webhelp import build


@pytest.fixture(scope="session")
def web_template(tmp_path_factory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("web") / "web.db"
    auxer, seed = build(str(path))
    return path, auxer, seed


@pytest.fixture
def web_db(web_template, tmp_path) -> tuple[str, str, str]:
    """A fresh copy of the two-corporation database: (path, auxer slug, seed slug)."""
    src, auxer, seed = web_template
    path = tmp_path / "web.db"
    shutil.copy(src, path)
    keys = src.parent / f".{src.name}.keys"
    if keys.exists():
        shutil.copytree(keys, tmp_path / f".{path.name}.keys")
    return str(path), auxer, seed
