"""The files of an OCF package — a folder or an `.ocf.zip` — and a reader of each by its path, within `Limits`: what
one package may make the reader hold. A file's size decompressed is checked before it is read (a zip entry by the
size its directory lists; zipfile never decompresses past it, and an entry that lies then fails its CRC), all files
read together are counted, and a package with too many files is refused before anything is read. Each refusal is
one line (`InputError`) naming the package and the file; so is an entry that cannot be read (damaged, encrypted,
compressed by a method zipfile lacks).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError


@dataclass(frozen=True, slots=True)
class Limits:
    """What one package may make the reader hold: a file's size decompressed, all files read together, how many
    files, how deeply its JSON nests. A package over one is refused with one line naming the file, before the file
    is read (a zip entry is checked against the size its directory lists, then read no further than the limit,
    whatever that listed size said)."""

    file: int = 512 * 2**20
    total: int = 2**30
    files: int = 100_000


LIMITS = Limits()


def _over(path: Path, rel: str, size: int, limit: int, what: str) -> InputError:
    return InputError(
        f"{path}: {rel}: {what} {size:,} bytes, over the limit of {limit:,} bytes for one file of a package; not read"
    )


def files(path: Path, limits: Limits = LIMITS) -> tuple[list[str], Callable[[str], bytes | None]]:
    """The files of a folder or zip (posix paths) and a reader by path, within `limits`."""
    total = [0]

    def count(rel: str, n: int) -> None:
        total[0] += n
        if total[0] > limits.total:
            raise InputError(
                f"{path}: {rel}: the files read reach {total[0]:,} bytes, over the limit of {limits.total:,} bytes "
                "for one package; not read"
            )

    if path.is_dir():
        names = []
        for p in path.rglob("*"):
            if p.is_file():
                names.append(p.relative_to(path).as_posix())
                if len(names) > limits.files:
                    raise InputError(
                        f"{path}: more than {limits.files:,} files: not an OCF package; not read"
                    )
        names.sort()

        def read_dir(rel: str) -> bytes | None:
            if rel not in set_names:
                return None
            p = path / rel
            size = p.stat().st_size
            if size > limits.file:
                raise _over(path, rel, size, limits.file, "holds")
            with open(p, "rb") as f:
                data = f.read(limits.file + 1)
            if len(data) > limits.file:  # grew while read
                raise _over(path, rel, len(data), limits.file, "holds more than")
            count(rel, len(data))
            return data

        set_names = set(names)
        return names, read_dir
    if path.is_file():
        try:
            zf = zipfile.ZipFile(path)
            infos = {i.filename: i for i in zf.infolist() if not i.filename.endswith("/")}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as e:
            raise InputError(f"{path}: not an OCF package (a folder or an .ocf.zip): {e}") from None
        if len(infos) > limits.files:
            raise InputError(
                f"{path}: {len(infos):,} entries: more than {limits.files:,}, not an OCF package; not read"
            )
        names = sorted(infos)

        def read_zip(rel: str) -> bytes | None:
            info = infos.get(rel)
            if info is None:
                return None
            if info.file_size > limits.file:
                raise _over(path, rel, info.file_size, limits.file, "decompresses to")
            try:
                with zf.open(info) as f:
                    data = f.read(limits.file + 1)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                RuntimeError,
                NotImplementedError,
            ) as e:
                raise InputError(f"{path}: {rel}: cannot be read from the zip: {e}") from None
            if len(data) > limits.file:  # the listed size was false
                raise _over(path, rel, len(data), limits.file, "decompresses to more than")
            count(rel, len(data))
            return data

        return names, read_zip
    raise InputError(f"{path}: no such file or folder")


def container(source: str, limits: Limits = LIMITS) -> tuple[list[str], Callable[[str], bytes | None]]:
    """The files of the package at `source` (a folder or zip) and a reader by path, within `limits`."""
    return files(Path(source), limits)
