"""`minutebook read`: the JSON shape the issue fixes, the plain summary when piped, --as-of."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

AUXER = str(Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "minutebook", *args], capture_output=True, text=True, timeout=120
    )


def test_json_shape():
    p = run("read", AUXER, "--json", "--as-of", "1998-01-01")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["corporation"] == {"name": "The Auxer Group, Inc.", "jurisdiction": "Delaware"}
    for d in data["documents"]:
        assert d["kind"] in ("incorporation", "amendment", "restated", "designations", "articles", "other")
        assert set(d) >= {"kind", "statute", "signed_on", "title", "source"}
        assert set(d["source"]) >= {"path", "line"}
    assert [d["signed_on"] for d in data["documents"]] == ["1999-03-19", "1997-08-28", "1997-07-31"]
    versions = data["versions"]
    assert [v["effective_on"] for v in versions] == ["1997-07-31", "1997-08-28", "1999-03-19"]
    assert [v["total_authorized"] for v in versions] == [25_000_000, 75_000_000, 175_000_000]
    assert versions[2]["classes"][0] == {
        **versions[2]["classes"][0],
        "name": "Common Stock",
        "kind": "common",
        "authorized": 150_000_000,
        "par_value": "0.001",
    }
    assert [v["preferred_terms_fixed_by"] for v in versions] == ["board of directors"] * 2 + ["the President"]
    for f in data["findings"]:
        assert f["severity"] in ("error", "warning", "info")
        assert f["code"].startswith("MB-") and isinstance(f["cites"], list)
        assert f["source"] is None or set(f["source"]) == {"path", "line", "column"}
    assert data["in_force"]["total_authorized"] == 75_000_000


def test_plain_summary_when_piped():
    p = run("read", AUXER, "--as-of", "2000-01-01")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "\x1b[" not in out  # no terminal colours when piped
    assert "Documents (3, file order)" in out
    assert "1999-03-19 (execution date)  amendment §242  total 175,000,000" in out
    assert "Charter in force on 2000-01-01:" in out
    assert f"{AUXER}:66:1: MB-FIGURE-MALFORMED" in out


def test_bad_date_is_one_line():
    p = run("read", AUXER, "--as-of", "yesterday")
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "--as-of" in p.stderr and "Traceback" not in p.stderr


def test_help_lists_read():
    p = run("--help")
    assert p.returncode == 0 and "read" in p.stdout
