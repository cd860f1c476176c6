"""What the CLI tests assert of every run: success without a traceback, or one line of error and its exit."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shlex
import subprocess
import sys
from pathlib import Path


def ok(p: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert p.returncode == 0, f"exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    assert "Traceback" not in p.stderr
    return p


def one_line_error(p: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single stderr line of a refused run (bad input: exit 2), which must name the problem."""
    assert p.returncode == code, f"exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    err = p.stderr.strip()
    assert err.startswith("minutebook: error: ") and "\n" not in err, p.stderr
    assert "Traceback" not in p.stderr
    return err


def inproc(db: Path, command: str, with_db: bool = True) -> subprocess.CompletedProcess:
    """The CLI's entry point (`minutebook.cli.app.main`) run in this process on `db`: no interpreter start, for the
    long lists of commands (bad input, reads)."""
    from minutebook.cli.app import main

    args = [*shlex.split(command), *(["--db", str(db)] if with_db else [])]
    out, err = io.StringIO(), io.StringIO()
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = ["minutebook", *args]
    os.chdir(db.parent)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                rc = 0
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 0
    finally:
        sys.argv = argv
        os.chdir(cwd)
        gc.collect()  # the book's connection closes, and SQLite folds its write-ahead log into the file
    return subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())
