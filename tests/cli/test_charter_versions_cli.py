"""`minutebook charter` on a book whose board designated a series: the designation is a charter version of its own
(§151(g): the certificate of designations becomes part of the charter), dated as its event is. The command listed
the versions beside the dates of the incorporation and amendments only, and failed with a traceback on such a book
(the seed-stage example)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml"
ENV = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}


def mb(db: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "minutebook", *args, "--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ENV, cwd=db.parent)


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    r = mb(db, "act", str(SEED), "--init")
    assert r.returncode == 0, r.stderr
    return db


def test_the_versions_are_listed_with_the_designation_dated(seed):
    r = mb(seed, "charter", "--json")
    assert r.returncode == 0, r.stderr
    versions = json.loads(r.stdout)["versions"]
    assert [v["effective"] for v in versions] == ["on or after 2023-01-09", "2025-03-03"]
    r = mb(seed, "charter")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rows = [line for line in r.stdout.splitlines() if line[:1].isdigit()]
    assert len(rows) == 2 and "2025-03-03" in rows[1] and "designations §151(g)" in rows[1]


def test_the_version_in_force_and_the_diff_name_the_designation(seed):
    r = mb(seed, "charter", "--as-of", "2025-06-01")
    assert r.returncode == 0, r.stderr
    assert "version 2, effective 2025-03-03" in r.stdout
    r = mb(seed, "charter", "--diff", "1", "2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Version 1 (on or after 2023-01-09) → version 2 (2025-03-03)")
    assert "preferred/A: series added" in r.stdout
