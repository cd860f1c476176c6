"""`export_package`: the book as an OCF v1.2.0 package — a folder or a `.ocf.zip` — validated before it is written.

Files: `Manifest.ocf.json` (the issuer, `as_of`, `generated_at`, each file with its md5), then one file per kind
(`Stakeholders`, `StockClasses`, `StockLegends`, `Transactions`, `Documents`, and `StockPlans`, `VestingTerms`,
`Valuations` — required by the manifest, empty when the book has none; `Financings` when there are any), the
charter documents under `documents/`, and `minutebook.extension.json` (`ocf.extension`: the governance record and
what else OCF has no place for; not in the manifest, not `*.ocf.json`). JSON is UTF-8, two-space indented, keys
in a fixed order; the zip has fixed timestamps: the same book as of the same date gives the same bytes
(`generated_at` is when its last event was recorded, not the clock).

Before anything is written every item is validated against its object schema and every file against its file
schema (jsonschema, `ocf.schemas`); a package that fails is refused (`MinutebookError`) and nothing is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..book.parallel import ChildFailed
from ..core.errors import InputError, MinutebookError
from .export_pass import MANIFEST_NAME, write_package
from .schemas import OCF_VERSION

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    counts: dict[str, int]  # manifest key -> items
    warnings: tuple[str, ...]

    @property
    def files(self) -> dict[str, bytes]:
        """The package's files (path in the package -> bytes), read back from what was written."""
        if self.path.is_dir():
            return {
                p.relative_to(self.path).as_posix(): p.read_bytes()
                for p in sorted(self.path.rglob("*"))
                if p.is_file()
            }
        with zipfile.ZipFile(self.path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}


def _zip(path: Path, folder: Path, names: list[str]) -> None:
    """The zip of the files written in `folder`, in name order, each streamed from disk (as `writestr` writes it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.file_size = (folder / name).stat().st_size
            with open(folder / name, "rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def _check_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise InputError(f"{path}: exists and is not a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / MANIFEST_NAME).is_file():
        raise InputError(f"{path}: not empty and not an OCF export (no {MANIFEST_NAME}); pick another folder")


def export_package(book, out: str | Path, *, as_zip: bool = False, as_of: date | None = None) -> Exported:
    """Write `book` (a `minutebook.book.Book`, or its history: `book.open_history`) as an OCF package at `out`: a
    folder (new, empty or an earlier export, replaced whole), or with `as_zip` a zip file (".ocf.zip" added to a
    name without ".zip"). The history is read as a stream and the files written as they are made (`export_pass`),
    in a scratch folder beside `out` that becomes the package only once every item has validated."""
    out = Path(out)
    if as_zip and not out.name.endswith(".zip"):
        out = out.with_name(out.name + ".ocf.zip")
    if as_zip and out.is_dir():
        raise InputError(f"{out}: is a folder; name the zip file to write")
    history = book.history()
    if not as_zip:
        _check_dir(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".ocf-", dir=out.parent))
    try:
        folder, work = tmp / "package", tmp / "work"
        folder.mkdir()
        work.mkdir()
        try:
            w = write_package(history, as_of, folder, work)
        except ValueError as e:
            raise InputError(f"{history.slug}: {e}") from None
        shutil.rmtree(work)
        target = tmp / "package.zip" if as_zip else folder
        if as_zip:  # compressed while the transactions' checks finish beside
            _zip(target, folder, w.files)
        try:
            problems = w.problems()
        except ChildFailed as e:
            raise MinutebookError(
                f"the package's items could not be checked ({e}); nothing written"
            ) from None
        if problems:
            raise MinutebookError(
                f"the package does not validate against OCF {OCF_VERSION} ({len(problems)} problem(s)); nothing "
                "written: " + problems[0].format()
            )
        if not as_zip and out.is_dir():
            shutil.rmtree(out)
        os.replace(target, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Exported(out, w.counts, tuple(w.warnings))
