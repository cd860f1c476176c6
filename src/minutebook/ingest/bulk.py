"""Reading a corpus file by file: each file its own charter history, one JSON-ready record per file.

    from minutebook.ingest.bulk import iter_files, read_many
    for record in read_many(iter_files(["filings/"]), jobs=4):
        print(record["path"], record["status"], record["cause"])

`iter_files` expands directories; `read_one` reads one file and never raises (a crash in the reader is a
`refused` record whose cause starts "internal error:"); `read_many` yields the records in input order,
reading in this process or in a pool of worker processes that is rebuilt when a worker dies; `status_of`
says whether a result was read, partly read or refused. No terminal output here: the CLI shows progress.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

from ..core.errors import InputError
from . import read
from .result import ReadResult, version_json

SUFFIXES = (".txt", ".htm", ".html", ".md", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")

# Findings that mean the history was only partly understood (the reader's engineer may refine this list).
PARTIAL_CODES = ("MB-NO-BASE-CHARTER", "MB-AMENDMENT-TARGET-UNKNOWN", "MB-AMENDMENT-TEXT-NOT-FOUND")
NO_CAPITAL = "no authorized capital"
WORKER_DIED = "BrokenProcessPool: the worker process died while reading this file"


# -- which files -------------------------------------------------------------------------------------------


def iter_files(args: Sequence[str | Path]) -> list[Path]:
    """The files to read: each path named as it is (whatever its suffix, even if missing), and under each
    directory named every file with one of `SUFFIXES`, recursively, sorted, hidden files and folders
    skipped. Raises `InputError` naming a directory that holds no such file."""
    out: list[Path] = []
    for arg in args:
        p = Path(arg)
        if not p.is_dir():
            out.append(p)
            continue
        found = []
        for folder, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(
                Path(folder, f) for f in files if not f.startswith(".") and f.lower().endswith(SUFFIXES)
            )
        if not found:
            raise InputError(f"{p}: no files to read in it (looked for {' '.join(SUFFIXES)})")
        out.extend(sorted(found))
    return list(dict.fromkeys(out))  # a file named twice is read once


# -- one file ----------------------------------------------------------------------------------------------


def read_one(path: str | Path, as_of: date | None = None) -> dict:
    """Read one file on its own; the record `to_record` describes. Never raises for any file."""
    t0 = time.perf_counter()
    name = str(path)
    try:
        odd = _not_regular(name)
        if odd:
            record = to_record(name, "refused", odd)
        else:
            result = read([name])
            status, cause = status_of(result)
            record = to_record(name, status, cause, result, as_of)
    except Exception as e:  # any crash in the reader becomes this file's refusal
        record = to_record(name, "refused", internal_error(e))
    record["seconds"] = round(time.perf_counter() - t0, 4)
    return record


def status_of(result: ReadResult) -> tuple[str, str | None]:
    """("read", None), ("partial", first PARTIAL_CODES finding or NO_CAPITAL) or ("refused", the error)."""
    if not result.documents:
        if not result.errors:
            return "refused", "no charter document found"
        return "refused", _without_path(result.errors[0], result.paths)
    code = next((f.code for f in result.findings if f.code in PARTIAL_CODES), None)
    if code:
        return "partial", code
    last = result.charter.versions[-1] if result.charter.versions else None
    if last is None or last.capital is None or not last.capital.total_authorized:
        return "partial", NO_CAPITAL
    return "read", None


def to_record(
    path: str, status: str, cause: str | None, result: ReadResult | None = None, as_of: date | None = None
) -> dict:
    """{path, status, cause, corporation, jurisdiction, documents, authorized, findings, codes, seconds,
    result}: a summary of the last version, then the whole `ReadResult.to_json()` (null when refused)."""
    keep = result is not None and status != "refused"
    last = result.charter.versions[-1] if keep and result.charter.versions else None
    authorized = None
    if last is not None:
        v = version_json(last)
        authorized = {
            "total": v["total_authorized"],
            "classes": [{k: c[k] for k in ("name", "kind", "authorized", "par_value")} for c in v["classes"]],
        }
    findings = result.findings if keep else ()
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    return {
        "path": path,
        "status": status,
        "cause": cause,
        "corporation": result.corporation if keep else None,
        "jurisdiction": result.jurisdiction if keep else None,
        "documents": [
            {
                "kind": d.kind,
                "statute": d.statute,
                "signed_on": d.signed_on.isoformat() if d.signed_on else None,
                "title": d.title,
            }
            for d in (result.documents if keep else ())
        ],
        "authorized": authorized,
        "findings": counts,
        "codes": sorted({f.code for f in findings}),
        "seconds": None,
        "result": result.to_json(as_of=as_of) if keep else None,
    }


def internal_error(e: BaseException) -> str:
    message = " ".join(str(e).split())
    return f"internal error: {type(e).__name__}" + (f": {message}" if message else "")


def cause_kind(cause: str) -> str:
    """A cause without its particulars, to count alike causes together: "file too large (51.2 MB; ...)"
    is "file too large", "internal error: ValueError: ..." is "internal error: ValueError"."""
    if cause.startswith("internal error: "):
        return ": ".join(cause.split(": ")[:2])
    return re.sub(r"\s*\(.*", "", cause).strip() or cause


def _without_path(message: str, paths: Sequence[str]) -> str:
    for p in (*paths, *(str(Path(p)) for p in paths)):
        if message.startswith(f"{p}: "):
            return message[len(p) + 2 :]
    return message


def _not_regular(name: str) -> str | None:
    """Why a path that exists is not a file the reader should open (a FIFO would block it), else None."""
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return None  # missing or unreadable: the reader says so in its own words
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({kind})"


# -- many files --------------------------------------------------------------------------------------------


def read_many(
    paths: Sequence[str | Path],
    jobs: int = 1,
    as_of: date | None = None,
    on_restart: Callable[[str], None] | None = None,
) -> Iterator[dict]:
    """`read_one` for each path, records yielded in input order. With `jobs` > 1, in that many worker
    processes; when a worker dies the pool is rebuilt, the files it was reading are read again one at a
    time, and a file that kills a worker again is refused with `WORKER_DIED` (`on_restart` is told)."""
    names = [str(p) for p in paths]
    jobs = max(1, min(jobs, len(names)))
    if jobs == 1:
        for name in names:
            yield read_one(name, as_of)
        return
    yield from _Pooled(names, jobs, as_of, on_restart or (lambda reason: None)).run()


class _Pooled:
    """A process pool fed a bounded window of files ahead of the one to yield next."""

    def __init__(self, names: list[str], jobs: int, as_of: date | None, on_restart: Callable[[str], None]):
        self.names, self.jobs, self.as_of, self.on_restart = names, jobs, as_of, on_restart
        self.window = jobs * 4  # files in flight or waiting to be yielded: bounds memory, not speed
        self.pool = self._new_pool()

    def run(self) -> Iterator[dict]:
        futures: dict[int, Future] = {}
        done: dict[int, dict] = {}
        submitted = 0
        try:
            for i, name in enumerate(self.names):
                while submitted < len(self.names) and submitted < i + self.window:
                    futures[submitted] = self._submit(self.names[submitted])
                    submitted += 1
                if i not in done:
                    try:
                        done[i] = futures.pop(i).result()
                    except BrokenProcessPool:
                        self._recover(i, futures, done)
                    except Exception as e:  # e.g. a record that could not be sent back
                        done[i] = to_record(name, "refused", internal_error(e))
                yield done.pop(i)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _recover(self, failed: int, futures: dict[int, Future], done: dict[int, dict]) -> None:
        """After a worker died: keep what finished, read the rest again one by one in a fresh pool."""
        suspects = [failed]
        for j, f in sorted(futures.items()):
            if f.done() and not f.cancelled() and f.exception() is None:
                done[j] = f.result()
            else:
                suspects.append(j)
        futures.clear()
        self._restart("a worker process died")
        for j in suspects:
            try:
                done[j] = self._submit(self.names[j]).result()
            except BrokenProcessPool:
                done[j] = to_record(self.names[j], "refused", f"internal error: {WORKER_DIED}")
                self._restart(f"{self.names[j]}: a worker died again reading it")
            except Exception as e:  # e.g. a record that could not be sent back
                done[j] = to_record(self.names[j], "refused", internal_error(e))

    def _restart(self, reason: str) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool()
        self.on_restart(reason)

    def _submit(self, name: str) -> Future:
        try:
            return self.pool.submit(read_one, name, self.as_of)
        except BrokenProcessPool as e:  # the pool broke since the last submit: fail this one like the rest
            f: Future = Future()
            f.set_exception(e)
            return f

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context())


def _context():
    """Fork where it is safe (Linux: the reader is already imported, and a caller's script is not run
    again in each worker), else spawn. A caller that forks must not be running other threads then: the
    CLI's progress bar refreshes from the main thread for this reason."""
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
