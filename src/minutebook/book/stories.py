"""Running a story (`governance.story` reads it): the book it starts from (`create_book`), each step recorded
through the `Book` method its action names (`run`), each outcome compared with the step's `expect`, and the
book compared with the story's `end` (`check_end`).

A story is one transaction (`Book.atomic()`): either every step of it is written or none. A step that does not go
as its `expect` says (or, with `end`, a book that differs from the story's end) rolls back every step; a step the
story expects to be refused or to raise is part of the story, and the run goes on (neither writes anything).
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import InputError, MinutebookError
from ..governance.story import ACTIONS, RAISES, Step, Story
from ..store import db
from .create import create
from .facade import Book

# --- the book a story starts from ------------------------------------------------------------------------


def create_book(story: Story, db: str | None) -> Book:
    """A new book from the story's start (a charter file or inline charter text)."""
    from ..ingest import read, read_text  # the reader's patterns, compiled only when a story creates a book

    if story.start is None:
        raise InputError(f"{story.path}: the story has no start (file or charter) to create a book from")
    s = story.start
    if s.file is not None:
        result = read([s.file])
        if result.errors:
            raise InputError(result.errors[0])
        files: list[Path] = [s.file]
    else:
        result = read_text(s.charter or "", f"{story.path.name}#charter")
        files = []
    return create(db, result, files, s.corp, until=s.until)


# --- running ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one step did: the book's Result (or the exception it raised), and how that differs from the
    step's `expect` (`problems`, empty when it went as expected)."""

    step: Step
    result: Any = None
    error: Exception | None = None
    problems: tuple[str, ...] = ()
    trace: str | None = (
        None  # the traceback, when the book failed with something other than a MinutebookError
    )

    @property
    def ok(self) -> bool:
        return not self.problems


def call(book, step: Step):
    """Record one step through the Book method its action names."""
    spec = ACTIONS[step.action]
    pos, kw = [], {}
    for name in spec.positional:
        pos.append(step.args.get(name, () if spec.fields[name].kind in ("ids", "strs") else None))
    for name, v in step.args.items():
        if name in spec.positional:
            continue
        kw[spec.fields[name].to or name] = v
    kw["on"] = step.on
    if step.historical:
        kw["historical"] = True
    method = getattr(book, spec.method, None)
    if method is None:
        raise InputError(f"the book cannot {spec.summary} yet (no Book.{spec.method})")
    try:
        inspect.signature(method).bind(*pos, **kw)
    except TypeError as e:  # the Book method does not take a field the story gives
        raise InputError(f"Book.{spec.method}: {e}") from None
    return method(*pos, **kw)


def _compare(step: Step, result, err: Exception | None) -> tuple[str, ...]:
    x = step.expect
    if err is not None:
        if x.raises and isinstance(err, RAISES[x.raises]):
            return ()
        if not isinstance(err, MinutebookError):
            return (f"the book failed: {type(err).__name__}: {err}",)
        return (f"raised {type(err).__name__}: {err}",)
    if x.raises:
        return (f"expected {x.raises}, but the book answered (refused={result.refused})",)
    codes = [f.code for f in result.findings]
    problems = []
    if result.refused != x.refused:
        got = "refused" if result.refused else "recorded"
        shown = "; ".join(f.format() for f in result.findings) or "no findings"
        problems.append(f"{got}, expected {'refused' if x.refused else 'recorded'} ({shown})")
    problems += [f"expected finding {c}, got {', '.join(codes) or 'none'}" for c in x.codes if c not in codes]
    problems += [f"finding {c} should be absent" for c in x.absent if c in codes]
    return tuple(problems)


class Ran(list):
    """What `run` did: the steps' outcomes (it is a list of `Outcome`), how the book differed from the story's end
    (`end`: [] when it matched or was not compared), and whether the story was written (`written`: all its steps in
    one transaction, or none of them)."""

    def __init__(self, outcomes: list[Outcome], end: list[str], written: bool):
        super().__init__(outcomes)
        self.end, self.written = end, written

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self) and not self.end

    @property
    def failed(self) -> Outcome | None:
        """The first step that did not go as the story says (None when every step did)."""
        return next((o for o in self if not o.ok), None)


class _Abandon(Exception):
    """Raised inside the story's block to roll back every step of it."""


def run(
    book,
    story: Story,
    *,
    stop: bool = True,
    each: Callable[[Outcome], None] | None = None,
    end: bool = False,
) -> Ran:
    """Record the story's steps in order, in one transaction; each outcome is compared with its `expect`. With
    `stop`, the run ends at the first step that did not go as expected (the steps after it depend on it). With
    `end`, the book is then compared with the story's end (`check_end`), inside the same transaction. Written only
    when everything went as the story says; else every step is rolled back (`Ran.written` says which)."""
    outcomes: list[Outcome] = []
    differs: list[str] = []
    try:
        with book.atomic():
            for step in story.steps:
                o = _step(book, step)
                outcomes.append(o)
                if each is not None:
                    each(o)
                if stop and not o.ok:
                    break
            if end and all(o.ok for o in outcomes):
                differs = check_end(book, story)  # reads the block's acts, not yet committed
            if differs or not all(o.ok for o in outcomes):
                raise _Abandon
    except _Abandon:
        return Ran(outcomes, differs, written=False)
    return Ran(outcomes, differs, written=True)


def _step(book, step: Step) -> Outcome:
    """One step. A step that raises has written nothing: an act that writes several events writes them in a
    savepoint of its own (`Book.atomic()` inside the story's block), and a single event is written whole or not at
    all. Should a step raise after writing part of itself all the same, it did not go as the story says (the run
    ends, and rolls back)."""
    written = book._log.count
    result, err, trace = None, None, None
    try:
        with db.writable(book.engine):  # a database that cannot be written: `ReadOnlyError`, naming it
            result = call(book, step)
    except MinutebookError as e:
        err = e
    except Exception as e:  # noqa: BLE001 - a defect in the book is this step's outcome, with its trace
        err, trace = e, "".join(traceback.format_exception(e))
    problems = _compare(step, result, err)
    if err is not None and book._log.count != written:
        problems += (f"raised {type(err).__name__} after writing part of itself: {err}",)
    return Outcome(step, result, err, problems, trace)


def check_end(book, story: Story) -> list[str]:
    """How the book differs from the story's `end` ([] when it matches)."""
    e = story.end
    if e is None:
        return []
    problems: list[str] = []
    versions = book.charter.versions
    if e.charter_versions is not None and len(versions) != e.charter_versions:
        problems.append(f"end: charter_versions: {len(versions)}, expected {e.charter_versions}")
    v = book.charter.at(e.as_of) if e.as_of else (versions[-1] if versions else None)
    cap = v.capital if v else None
    if e.total_authorized is not None:
        got = cap.total_authorized if cap else None
        if got != e.total_authorized:
            problems.append(f"end: total_authorized: {_n(got)}, expected {e.total_authorized:,}")
    for k, n in e.authorized.items():
        c = cap.cls(k) if cap else None
        got = c.authorized if c else None
        if got != n:
            problems.append(f"end: authorized {k}: {_n(got)}, expected {n:,}")
    if e.directors is not None:
        got = sorted(d.id for d in book.directors(as_of=e.as_of))
        if got != sorted(e.directors):
            problems.append(f"end: directors: {got}, expected {sorted(e.directors)}")
    if e.officers is not None:
        held: dict[str, set[str]] = {}
        for o in book.officers(as_of=e.as_of):
            held.setdefault(o.person_id, set()).add(o.title.lower())
        want = {p: {t.lower() for t in ts} for p, ts in e.officers.items()}
        if held != want:
            problems.append(f"end: officers: {_sorted(held)}, expected {_sorted(want)}")
    if e.holdings:
        st = book.state(e.as_of)
        for h, per in e.holdings.items():
            for c, n in per.items():
                got = sum(x for (hh, cc, _), x in st.balances.items() if hh == h and cc == c)
                if got != n:
                    problems.append(f"end: holdings {h} {c}: {got:,}, expected {n:,}")
    if e.check_codes or e.check_absent:
        codes = {f.code for f in book.check(as_of=e.as_of)}
        problems += [
            f"end: check: expected {c}, got {', '.join(sorted(codes)) or 'none'}"
            for c in e.check_codes
            if c not in codes
        ]
        problems += [f"end: check: {c} should be absent" for c in e.check_absent if c in codes]
    return problems


def _n(n: int | None) -> str:
    return "none" if n is None else f"{n:,}"


def _sorted(d: dict[str, set[str]]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in sorted(d.items())}
