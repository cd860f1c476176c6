"""The streamed export (`ocf.export_pass`: the history read from the store in batches, files written item by item)
writes what the exporter wrote before it streamed (the whole package built, rendered and checked in memory), byte
for byte, on books of several shapes. `export_digests.json` holds the SHA-256 (first 16 hex digits) of each file the
old exporter wrote for each shape (the manifest's without `generated_at`, the time the book's last event was
recorded), taken while both exporters were in the tree and the streamed one was compared with it file by file; taken
again when the export began to name each act's approvals in its comments (`ocf.approvals.Approvals.note`), after
checking that with those notes left out every file was still the old exporter's, byte for byte; and the extension's
again when it began to carry the charter's events whole (`charter`), after checking the same with that left out. The
shapes: the Auxer book (series, legends, treasury shares, a split, charter documents) as of its last date and as of
1999; the same with equity compensation (plans, vesting, options exercised after their grant, RSUs, an RSA, a
warrant, SAFEs and a note); a book with corrections (a voided and a corrected issuance); generated packages imported
(authorized-share adjustments and a split with its reissuances; half equity compensation; the parity generator's);
OCF-Tools' ACME sample imported leniently (what the import kept goes back out). The zip is the same bytes as the one
the old writer made of the same files."""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from equityhelp import add_equity
from ocfhelp import REPO, TOOLS_SAMPLES, equity_package, need

from minutebook.book import open_book, open_history
from minutebook.ocf.importer import import_package
from minutebook.ocf.writer import export_package

sys.path.insert(0, str(REPO / "bench"))
from ocf import generate, generate_equity  # noqa: E402 - bench/ocf.py's generators

ACME = next((p for p in TOOLS_SAMPLES if p.name == "acme_holdings_limited"), None)
BEFORE = json.loads((Path(__file__).with_name("export_digests.json")).read_text())
ON = date(2005, 1, 1)  # the corrections' date (a correction dated today would move the package's as-of date)


def digests(files: dict[str, bytes]) -> dict[str, str]:
    out = {}
    for name, data in sorted(files.items()):
        if name == "Manifest.ocf.json":
            m = json.loads(data)
            m.pop("generated_at")
            data = json.dumps(m, sort_keys=True).encode()
        out[name] = hashlib.sha256(data).hexdigest()[:16]
    return out


def same_as_before(shape: str, book, tmp_path: Path, as_of: date | None = None) -> dict[str, bytes]:
    files = export_package(book, tmp_path / "new", as_of=as_of).files
    assert digests(files) == BEFORE[shape]
    return files


def test_auxer_as_of_its_last_date_and_1999(auxer_copy, tmp_path):
    book = auxer_copy(tmp_path / "book")
    files = same_as_before("auxer", book, tmp_path / "a")
    assert "documents/auxer-group-charter.txt" in files
    same_as_before("auxer-1999", book, tmp_path / "b", date(1999, 12, 31))
    # the zip: the same bytes the old writer made of the same files
    zipped = export_package(book, tmp_path / "new.ocf.zip", as_zip=True).path
    # as the old writer wrote it
    with zipfile.ZipFile(tmp_path / "old.ocf.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    assert zipped.read_bytes() == (tmp_path / "old.ocf.zip").read_bytes()


def test_equity_compensation(auxer_copy, tmp_path):
    book = add_equity(auxer_copy(tmp_path / "book"))
    files = same_as_before("equity", book, tmp_path / "a")
    assert "minutebook.extension.json" in files
    same_as_before("equity-2012", book, tmp_path / "b", date(2012, 1, 1))


def test_corrections(auxer_copy, tmp_path):
    book = auxer_copy(tmp_path / "book")
    issued = [e for e in book.events if e.type == "SharesIssued"]
    assert not book.void(issued[-1].seq, reason="entered twice", on=ON, historical=True).refused
    fix = book.correct(
        issued[0].seq, {"shares": 4_900_000}, reason="the certificate says so", on=ON, historical=True
    )
    assert not fix.refused
    files = same_as_before("corrections", book, tmp_path / "a")
    assert b"4900000" in files["Transactions.ocf.json"]


def test_generated_packages_imported(tmp_path):
    for name, make in (
        ("stock", lambda d: generate(d, 200, 3_000, 7, adjust_every=250)),
        ("equity-gen", lambda d: generate_equity(d, 150, 2_000, 7)),
        ("parity", lambda d: equity_package(d, seed=3, n_tx=400)),
    ):
        pkg = tmp_path / name
        pkg.mkdir()
        make(pkg)
        r = import_package(str(tmp_path / f"{name}.db"), pkg)
        same_as_before(name, r.book(), tmp_path / f"{name}-out")


def test_what_an_import_kept_goes_back_out(tmp_path):
    r = import_package(str(tmp_path / "acme.db"), need(ACME), lenient=True)
    files = same_as_before("acme", r.book(), tmp_path / "out")
    assert files["Manifest.ocf.json"]


def test_the_history_alone_exports_the_same(auxer_copy, tmp_path):
    """`open_history`: the export of a book not opened (no replay), as `minutebook ocf export` runs it."""
    book = add_equity(auxer_copy(tmp_path / "book"))
    one = export_package(book, tmp_path / "one.ocf.zip", as_zip=True).path.read_bytes()
    two = export_package(
        open_history(str(tmp_path / "book" / "mb.db")), tmp_path / "two.ocf.zip", as_zip=True
    )
    assert two.path.read_bytes() == one
    with zipfile.ZipFile(two.path) as zf:
        assert "Transactions.ocf.json" in zf.namelist()


def test_a_book_with_no_events_before_as_of(auxer_copy, tmp_path):
    book = auxer_copy(tmp_path / "book")
    with pytest.raises(Exception, match="the book has no events"):
        export_package(book, tmp_path / "x", as_of=date(1990, 1, 1))
    assert open_book(str(tmp_path / "book" / "mb.db")).events
