"""`minutebook doc …` as a user runs it: a paper written and recorded, both formats at once, the cure package
into a folder, `doc drawn` and `doc match`; and the tired user's mistakes — one line, exit 2, nothing recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import ok, one_line_error

pytestmark = pytest.mark.slow  # a process per command, PDFs drawn


def mb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "minutebook", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture
def db(auxer_template, tmp_path) -> str:
    path = tmp_path / "auxer.db"
    shutil.copy(auxer_template, path)
    return str(path)


def _drawn(db: str) -> list[dict]:
    return json.loads(ok(mb("doc", "drawn", "--json", "--db", db)).stdout)


def test_render_writes_pdf_and_docx_records_them_and_match_finds_them(db, tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    p = ok(
        mb(
            "doc",
            "render",
            "meeting-minutes",
            "--for",
            "M-1999",
            "--format",
            "pdf,docx",
            "-o",
            str(out),
            "--db",
            db,
        )
    )
    pdf, docx = out / "meeting-minutes-M-1999.pdf", out / "meeting-minutes-M-1999.docx"
    assert pdf.read_bytes().startswith(b"%PDF-") and docx.read_bytes().startswith(b"PK")
    assert str(pdf) in p.stdout
    rows = _drawn(db)
    assert [(r["kind"], r["for"], r["format"]) for r in rows] == [
        ("meeting-minutes", "M-1999", "pdf"),
        ("meeting-minutes", "M-1999", "docx"),
    ]
    assert "meeting-minutes for M-1999" in ok(mb("doc", "match", str(pdf), "--db", db)).stdout
    (tmp_path / "other.pdf").write_bytes(pdf.read_bytes() + b"\n")
    p = mb("doc", "match", str(tmp_path / "other.pdf"), "--db", db)
    assert p.returncode == 1 and "not a paper drawn from this book" in p.stdout


def test_cure_writes_the_whole_package_into_a_folder(db, tmp_path):
    out = tmp_path / "cure-204"
    ok(mb("doc", "cure", "MB-APPROVAL-MISSING", "-o", str(out), "--db", db))
    names = sorted(x.name.split("-F-")[0] for x in out.iterdir())
    assert names[0] == "ratification-notice" and "ratification-resolution" in names
    assert all(x.suffix == ".pdf" for x in out.iterdir())
    assert len(_drawn(db)) == len(names)


def test_list_names_every_kind(db):
    data = json.loads(ok(mb("doc", "list", "--json")).stdout)
    assert {"board-minutes", "meeting-notice", "certificate-of-correction", "ratification-resolution"} <= {
        d["kind"] for d in data
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["render", "meeting-minutes", "--for", "M-2001"], "no stockholder meeting 'M-2001'"),
        (["render", "stockholder-consent", "--for", "B-1999-1"], "it is a board action"),
        (["render", "restated-certificate", "--as-of", "1990-01-01"], "no charter in force on 1990-01-01"),
        (["render", "restated-certificate", "--as-of", "1999-02-30"], "no such date"),
        (["render", "board-minutes", "--for", "B-1999-1", "--format", "odt"], "--format"),
        (["render", "invoice", "--for", "x"], "no document kind 'invoice'"),
        (["render", "meeting-notice"], "--for"),
        (["render", "meeting-notice", "--for", "M-1999", "-o", "/nonexistent-dir/x.pdf"], "does not exist"),
        (["cure", "F-00000000", "-o", "cure"], "F-00000000"),
        (["cure", "MB-TERM-MISSPELT", "-o", "cure"], "MB-TERM-MISSPELT"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_recorded(db, tmp_path, args, words):
    err = one_line_error(mb("doc", *args, "--db", db, cwd=tmp_path))
    assert words in err
    assert _drawn(db) == []
    assert not (tmp_path / "cure").exists() or not any((tmp_path / "cure").iterdir())
