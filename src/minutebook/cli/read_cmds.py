"""`minutebook read`: filed charter documents read together as one charter history, or with `--jsonl` a
corpus read file by file, one JSON line per file, with a progress bar and a summary of what was refused.

The per-file work is `ingest.bulk`; this module parses the options, writes the lines and shows progress.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.errors import MinutebookError
from .common import fail, out, parse_date, plain


def read_cmd(
    files: list[str] = typer.Argument(
        ..., metavar="FILE...", help="Charter documents: text, SGML, HTML, PDF, .docx, PNG/JPEG/TIFF scans."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="Show the charter in force on DATE (YYYY-MM-DD)."
    ),
    jsonl: str = typer.Option(
        None,
        "--jsonl",
        metavar="OUT",
        help="Read each file on its own (a directory: every charter file under it) and write one JSON "
        "line per file to OUT ('-' for stdout), then a summary.",
    ),
    jobs: str = typer.Option(
        None,
        "--jobs",
        "-j",
        metavar="N",
        help="With --jsonl: read in N worker processes (default 1, in this process; 0: one per CPU).",
    ),
) -> None:
    """Read filed charter documents into dated charter versions, with every defect found.

    The files are read together, as one corporation's charter history.

    With --jsonl, each file (and each file under a directory) is read on its own: one JSON line per file.

    Example: minutebook read examples/auxer-group-charter.txt --as-of 2000-01-01

    Example: minutebook read filings/ --jsonl filings.jsonl --jobs 0
    """
    when = parse_date(as_of, "--as-of")
    if jsonl is None:
        if jobs is not None:
            raise fail("--jobs needs --jsonl OUT (files read together are one history, read in one process)")
        for f in files:
            if Path(f).is_dir():
                raise fail(f"{f}: is a directory; to read each file under it on its own, use --jsonl OUT")
        _read_together(files, as_json, when)
        return
    if as_json:
        raise fail("--json and --jsonl cannot be used together (--jsonl writes JSON, one line per file)")
    _read_each(files, jsonl, _parse_jobs(jobs), when)


def _read_together(files: list[str], as_json: bool, when: date | None) -> None:
    from ..ingest import read
    from .views import render_read

    result = read(files)
    for e in result.errors:
        print(f"minutebook: error: {e}", file=sys.stderr)
    if not result.documents:
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(as_of=when), indent=2) + "\n")
    elif plain():
        sys.stdout.write(render_read(result, when, True) + "\n")
    else:
        out.print(render_read(result, when, False))
    if result.errors:
        raise typer.Exit(1)


# -- --jsonl: each file on its own -------------------------------------------------------------------------


def _parse_jobs(value: str | None) -> int:
    if value is None:
        return 1
    text = value.strip()
    if not text.isdigit():
        raise fail(f"--jobs: not a number of worker processes: {value!r} (1 or more; 0 for one per CPU)")
    n = int(text)
    if n > 1024:
        raise fail(f"--jobs: {n} worker processes is more than minutebook starts (1024)")
    return n or os.cpu_count() or 1


def _open_sink(target: str) -> IO[str]:
    if target == "-":
        return sys.stdout
    p = Path(target)
    if p.is_dir():
        raise fail(f"--jsonl: {target}: is a directory (name a file to write, or - for stdout)")
    if not p.parent.is_dir():
        raise fail(f"--jsonl: {target}: no such directory: {p.parent}")
    try:
        return p.open("w", encoding="utf-8")
    except OSError as e:
        raise fail(f"--jsonl: {target}: cannot write: {e.strerror}") from None


def _read_each(files: list[str], target: str, jobs: int, when: date | None) -> None:
    from ..ingest.bulk import cause_kind, iter_files, read_many

    try:
        paths = iter_files(files)
    except MinutebookError as e:
        raise fail(str(e)) from None
    jobs = min(jobs, len(paths))
    if target != "-" and Path(target).resolve() in {p.resolve() for p in paths}:
        raise fail(f"--jsonl: {target}: is one of the files to read (name another file to write)")
    sink = _open_sink(target)
    to_stdout = sink is sys.stdout
    # the summary goes where the lines do not: stdout when they go to a file, else stderr
    report = Console(stderr=to_stdout, soft_wrap=True, highlight=False)
    counts: Counter[str] = Counter()
    causes: dict[str, Counter[str]] = {"refused": Counter(), "partial": Counter()}
    restarts: list[str] = []
    t0 = time.perf_counter()
    try:
        with _Progress(len(paths), show=not (to_stdout and sys.stdout.isatty())) as progress:
            for record in read_many(paths, jobs=jobs, as_of=when, on_restart=restarts.append):
                sink.write(json.dumps(record) + "\n")
                if to_stdout:
                    sink.flush()
                counts[record["status"]] += 1
                if record["cause"] and record["status"] in causes:
                    causes[record["status"]][cause_kind(record["cause"])] += 1
                progress.advance(record["status"] == "refused")
    finally:
        if not to_stdout:
            sink.close()
    seconds = time.perf_counter() - t0
    _summary(report, len(paths), seconds, jobs, target, counts, causes, len(restarts))
    if counts["refused"]:
        raise typer.Exit(1)


class _Progress:
    """A Rich progress bar on stderr when stderr is a terminal, else nothing. It is redrawn from this
    thread as files are done (no refresh thread: worker processes are forked from this one)."""

    def __init__(self, total: int, show: bool = True):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.bar = None
        if show and console.is_terminal:
            self.bar = Progress(
                TextColumn("reading"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[refused]} refused"),
                TimeRemainingColumn(),
                console=console,
                auto_refresh=False,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.task = self.bar.add_task("read", total=total, refused=0)
        self.refused = 0
        self.drawn = 0.0

    def __enter__(self) -> _Progress:
        if self.bar:
            self.bar.start()
            self.bar.refresh()
        return self

    def advance(self, refused: bool) -> None:
        self.refused += refused
        if self.bar:
            due = time.monotonic() - self.drawn >= 0.1  # at most 10 redraws a second
            self.bar.update(self.task, advance=1, refused=self.refused, refresh=due)
            if due:
                self.drawn = time.monotonic()

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.refresh()
            self.bar.stop()


def _summary(
    console: Console,
    total: int,
    seconds: float,
    jobs: int,
    target: str,
    counts: Counter[str],
    causes: dict[str, Counter[str]],
    restarts: int,
) -> None:
    where = "stdout" if target == "-" else target
    rate = f"{total / seconds:,.1f} files/s" if seconds > 0 else "—"

    def n(k: int, word: str) -> str:
        return f"{k:,} {word}{'s' * (k != 1)}"

    head = f"{n(total, 'file')} in {seconds:.2f} s ({rate}, {n(jobs, 'job')}), one JSON line each to {where}"
    if restarts:
        head += f"; worker pool restarted {n(restarts, 'time')}"
    tables = [("status", [(s, counts[s]) for s in ("read", "partial", "refused")] + [("total", total)])]
    for status in ("refused", "partial"):
        if causes[status]:
            tables.append(
                (f"{status} by cause", sorted(causes[status].items(), key=lambda kv: (-kv[1], kv[0])))
            )
    if console.is_terminal:
        console.print(Text(head))
        for title, rows in tables:
            t = Table(show_header=True, title_justify="left")
            t.add_column(Text(title))
            t.add_column(Text("files"), justify="right")
            for name, k in rows:
                t.add_row(Text(name), Text(f"{k:,}"))
            console.print(t)
        return
    lines = [head]
    for title, rows in tables:
        width = max(len(title), *(len(name) for name, _ in rows))
        nums = max(len("files"), *(len(f"{k:,}") for _, k in rows))
        lines += [f"{title.ljust(width)}  {'files'.rjust(nums)}", f"{'-' * width}  {'-' * nums}"]
        lines += [f"{name.ljust(width)}  {f'{k:,}'.rjust(nums)}" for name, k in rows]
    console.file.write("\n".join(lines) + "\n")


def register(app: typer.Typer) -> None:
    app.command("read")(read_cmd)
