"""`minutebook read` on files it cannot read: one line on stderr naming the file, no traceback, exit != 0.

Each case runs the real command (`python -m minutebook read ...`) in a subprocess, as a user would, and
the last ones check that a good file given beside a bad one is still read.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUXER = ROOT / "examples" / "auxer-group-charter.txt"
HANG_GUARD_S = 120  # not a timing assertion: only keeps a hung command from hanging the suite
BIG = 50 * 1024 * 1024  # over the default 32 MB limit
UNDECODABLE = b"\x81\x8d\x8f\x90\x9d"  # invalid UTF-8, and unassigned in Windows-1252


def _src_dir() -> Path:
    """The directory holding the `minutebook` this interpreter imports, so the subprocess runs the same."""
    spec = importlib.util.find_spec("minutebook")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve().parent
    return ROOT / "src"


def run_cli(*args: object, path_env: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m minutebook read ARGS`; `path_env` replaces PATH (a machine without tesseract, say)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_src_dir()), env.get("PYTHONPATH")) if p)
    env["COLUMNS"] = "80"  # as on a narrow terminal: an error line must not be wrapped into two
    if path_env is not None:
        env["PATH"] = path_env
    return subprocess.run(
        [sys.executable, "-m", "minutebook", "read", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=HANG_GUARD_S,
        check=False,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], path: Path) -> str:
    """The run failed with exactly one non-empty stderr line that names `path`; that line is returned."""
    assert proc.returncode != 0, f"exit 0 for {path}; stdout: {proc.stdout[:500]!r}"
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"stderr is not one line: {proc.stderr[:2000]!r}"
    assert str(path) in lines[0], f"the error does not name {path}: {lines[0]!r}"
    return lines[0]


# -- the bad files --------------------------------------------------------------------------------------


def empty_file(d: Path) -> Path:
    p = d / "empty.txt"
    p.write_bytes(b"")
    return p


def blank_file(d: Path) -> Path:
    p = d / "blank.txt"
    p.write_text(" \n\n\t  \n\n")
    return p


def binary_file(d: Path) -> Path:
    rng = random.Random(7)
    p = d / "scan.png"
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0\x00\x00\x06\x40\x08\x02\x00\x00\x00"
    p.write_bytes(header + bytes(rng.randrange(256) for _ in range(8192)) + b"\x00" * 256)
    return p


def recipe_file(d: Path) -> Path:
    p = d / "recipe.txt"
    p.write_text(
        "GRANDMA'S APPLE PIE\n\n"
        "Ingredients:\n"
        "  6 cups thinly sliced apples\n  3/4 cup sugar\n  2 tablespoons all-purpose flour\n"
        "  3/4 teaspoon ground cinnamon\n  1 tablespoon lemon juice\n  2 pie crusts, 9 inch\n\n"
        "FIRST, heat the oven to 425 degrees. SECOND, mix the sugar, flour and cinnamon in a large bowl,\n"
        "then stir in the apples. THIRD, spoon into the crust and cover with the second crust.\n"
        "Bake 40 to 45 minutes, until the crust is brown and juice begins to bubble through the slits.\n"
        "Serves 8. Total: 1,250 calories of happiness per 2,500,000 bites.\n"
    )
    return p


def undecodable_file(d: Path) -> Path:
    data = (
        b"Certificate of Incorporation\n"
        + (b"The name " + UNDECODABLE + b" of this corporation " + UNDECODABLE * 3 + b" is\n") * 200
    )
    for codec in ("utf-8", "cp1252"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)
    p = d / "garbled.txt"
    p.write_bytes(data)
    return p


def missing_path(d: Path) -> Path:
    return d / "no-such-charter.txt"


def directory_path(d: Path) -> Path:
    p = d / "filings"
    p.mkdir()
    return p


def big_text_file(d: Path) -> Path:
    """50 MB of real charter text: refused for its size, not for what it says."""
    p = d / "big-charter.txt"
    chunk = AUXER.read_bytes() * 64
    with p.open("wb") as f:
        while f.tell() < BIG:
            f.write(chunk)
    return p


def big_sparse_file(d: Path) -> Path:
    """50 MB of NULs, made sparse: the size check must come before anything looks at the content."""
    p = d / "big-sparse.txt"
    with p.open("wb") as f:
        f.truncate(BIG)
    return p


BAD_FILES = [empty_file, blank_file, binary_file, recipe_file, undecodable_file, missing_path, directory_path]


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
@pytest.mark.parametrize("make", BAD_FILES, ids=lambda f: f.__name__)
def test_bad_file_gives_one_line_error(tmp_path, make, json_flag):
    path = make(tmp_path)
    assert_one_line_error(run_cli(path, *json_flag), path)


@pytest.mark.parametrize("make", [big_text_file, big_sparse_file], ids=lambda f: f.__name__)
def test_too_large_file_is_refused_for_its_size(tmp_path, make):
    path = make(tmp_path)
    line = assert_one_line_error(run_cli(path), path)
    assert re.search(r"too large|too big|size|\d\s*(?:[KMG]i?B|bytes)\b", line, re.IGNORECASE), line


# -- a good file beside a bad one -------------------------------------------------------------------------


@pytest.mark.parametrize("bad_first", [False, True], ids=["good-first", "bad-first"])
@pytest.mark.parametrize("make", [empty_file, binary_file, missing_path], ids=lambda f: f.__name__)
def test_good_file_still_read_beside_bad_one_json(tmp_path, make, bad_first):
    bad = make(tmp_path)
    proc = run_cli(*([bad, AUXER] if bad_first else [AUXER, bad]), "--json")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    naming_bad = [line for line in proc.stderr.splitlines() if str(bad) in line]
    assert len(naming_bad) == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["versions"], "the good file gave no charter version"
    assert "auxer group" in proc.stdout.lower()


def test_good_file_still_read_beside_bad_one_text(tmp_path):
    bad = binary_file(tmp_path)
    proc = run_cli(AUXER, bad)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    assert [line for line in proc.stderr.splitlines() if str(bad) in line], proc.stderr
    assert "auxer" in proc.stdout.lower(), proc.stdout[:2000]
