"""Bounded reading of OCF packages (issue 18, item 6): a zip entry is checked against the size limit its directory
lists before it is read, and read no further than the limit whatever that listed size said; a folder's file is
checked by its size; the files read together, the number of files and the nesting of the JSON are bounded too. Each
refusal is one line naming the package and the file, exit 2 from `ocf import` (1 from `ocf validate`), no
traceback, and nothing written."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ocfhelp import issuance, stakeholder, stock_class, write_package

from minutebook.core.errors import InputError
from minutebook.ocf.container import Limits
from minutebook.ocf.importer import import_package, validate_package
from minutebook.ocf.package import read_package

GIB = 2**30


def package(tmp_path: Path, n: int = 30) -> Path:
    return write_package(
        tmp_path / "pkg",
        {
            "stock_classes_files": [stock_class()],
            "stakeholders_files": [stakeholder("ann", "Ann")],
            "transactions_files": [issuance(f"t{i}", "2021-01-04", f"S{i}", "ann", 100) for i in range(n)],
        },
    )


def zipped(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
    return out


def claim_size(path: Path, name: str, size: int) -> None:
    """Make the zip's local header and central directory list `name` as `size` bytes uncompressed (its data as is)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info, start = zf.getinfo(name), zf.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local header: uncompressed size
    at = start
    while data[at : at + 4] == b"PK\x01\x02":  # central directory records
        n, m, k = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + n].decode() == name:
            struct.pack_into("<I", data, at + 24, size)
        at += 46 + n + m + k
    path.write_bytes(bytes(data))


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MINUTEBOOK_DB"}
    return subprocess.run(
        [sys.executable, "-m", "minutebook", "ocf", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def one_line(p: subprocess.CompletedProcess, code: int, *expected: str) -> None:
    out = (p.stderr + p.stdout).strip()
    assert p.returncode == code, out
    assert "Traceback" not in out, out
    for x in expected:
        assert x in out, out


def test_an_entry_listed_at_1_gib_is_refused_before_it_is_read(tmp_path):
    z = zipped(package(tmp_path), tmp_path / "big.ocf.zip")
    claim_size(z, "Transactions.ocf.json", GIB)
    with pytest.raises(
        InputError, match=r"Transactions.ocf.json: decompresses to 1,073,741,824 bytes, over the limit"
    ):
        import_package(str(tmp_path / "mb.db"), z)
    assert not (tmp_path / "mb.db").exists()
    p = cli("import", str(z), "--db", str(tmp_path / "cli.db"))
    one_line(
        p, 2, "minutebook: error: ", "big.ocf.zip: Transactions.ocf.json: decompresses to 1,073,741,824 bytes"
    )
    assert "\n" not in p.stderr.strip() and not (tmp_path / "cli.db").exists()
    one_line(cli("validate", str(z)), 1, "Transactions.ocf.json: decompresses to 1,073,741,824 bytes")
    (problem,) = [x for x in validate_package(z) if x.severity == "error"]
    assert "over the limit" in problem.message


def test_an_entry_that_decompresses_past_its_listed_size_is_refused_at_that_size(tmp_path):
    z = zipped(package(tmp_path, 200), tmp_path / "lies.ocf.zip")
    claim_size(z, "Transactions.ocf.json", 100)  # it says 100 bytes; it holds tens of kilobytes
    with pytest.raises(
        InputError, match=r"lies.ocf.zip: Transactions.ocf.json: cannot be read from the zip: Bad CRC"
    ):
        read_package(z)  # the zip stops at the size it listed, which then fails its CRC: one line
    one_line(cli("validate", str(z)), 1, "Transactions.ocf.json: cannot be read from the zip")


def test_a_damaged_entry_is_one_line(tmp_path):
    z = zipped(package(tmp_path), tmp_path / "bad.ocf.zip")
    data = bytearray(z.read_bytes())
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("Transactions.ocf.json")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[body + 10 : body + 40] = bytes(30)  # the compressed data garbled
    z.write_bytes(bytes(data))
    one_line(
        cli("import", str(z), "--db", str(tmp_path / "mb.db")),
        2,
        "bad.ocf.zip: Transactions.ocf.json: cannot be read",
    )


def test_a_folder_file_over_the_limit_and_the_total(tmp_path):
    folder = package(tmp_path, 200)
    size = (folder / "Transactions.ocf.json").stat().st_size
    with pytest.raises(
        InputError, match=rf"Transactions.ocf.json: holds {size:,} bytes, over the limit of 10,000"
    ):
        read_package(folder, limits=Limits(file=10_000))
    with pytest.raises(
        InputError, match=r"the files read reach [\d,]+ bytes, over the limit of 20,000 bytes for one"
    ):
        read_package(folder, limits=Limits(total=20_000))
    assert read_package(folder).of("transactions_files")  # within the defaults


def test_too_many_files(tmp_path):
    folder = package(tmp_path)
    for i in range(5):
        (folder / f"extra-{i}.txt").write_text("x")
    with pytest.raises(InputError, match="more than 10 files: not an OCF package"):
        read_package(folder, limits=Limits(files=10))
    with pytest.raises(InputError, match="13 entries: more than 10"):
        read_package(zipped(folder, tmp_path / "many.ocf.zip"), limits=Limits(files=10))


def test_json_nested_too_deeply_is_a_finding_not_a_crash(tmp_path):
    folder = package(tmp_path)
    deep = b'{"file_type": "OCF_TRANSACTIONS_FILE", "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (folder / "Transactions.ocf.json").write_bytes(deep)
    problems = [x for x in validate_package(folder, lenient=True) if x.severity == "error"]
    assert [x.code for x in problems] == ["MB-OCF-JSON"] and "nested too deeply" in problems[0].message
    one_line(cli("import", str(folder), "--db", str(tmp_path / "mb.db"), "--lenient"), 2, "nested too deeply")
