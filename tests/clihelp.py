"""What the CLI tests assert of every run: success without a traceback, or one line of error and its exit."""

from __future__ import annotations

import subprocess


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
