"""A large import keeps the book's fold snapshot (`book.snapshot.fold_of`; its ledger build is the fold its history
check makes): the first opening reads it, not the log, and it is the fold an opening of the whole log makes, so
`verify` stays clean; a snapshot that is not the log's fold is named by `verify`. An equity import's check settles
its pools' expiries as it checks the grants: the snapshot is its fold with them put back (`Equity.unsettled`), the
fold an opening makes. The sizes are made small (`PARALLEL_FROM`, `FROM`) so that a small package takes the large
import's path."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from ocfhelp import REPO

from minutebook.book import append, checks, open_book, snapshot
from minutebook.book.folded import Folded, read
from minutebook.ocf.importer import import_package
from minutebook.store import db
from minutebook.store.snapshots import latest

sys.path.insert(0, str(REPO / "bench"))
from ocf import generate, generate_equity  # noqa: E402 - bench/ocf.py's generators


@pytest.fixture
def small_is_large(monkeypatch):
    monkeypatch.setattr(checks, "PARALLEL_FROM", 200)
    monkeypatch.setattr(snapshot, "FROM", 100)


def whole(book) -> Folded:
    f = Folded()
    with db.read(book.engine) as conn:
        read(f, conn, book.corp_id)
    return f


def fold(f) -> tuple:
    """What a book's fold is (`book.snapshot`'s parts): of a `Folded`, or of a book's."""
    f = getattr(f, "_log", f)
    return f.build, f.record, f.last, f.names


def stored(r):
    """The snapshot stored for an import's or a book's corporation (read without opening the book)."""
    with db.read(r.engine) as conn:
        return latest(conn, r.corp_id)


def test_an_import_keeps_the_fold_an_opening_would_keep(small_is_large, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    expected = generate(pkg, 60, 3_000, 3, adjust_every=400)
    r = import_package(str(tmp_path / "mb.db"), pkg)
    s = stored(r)
    assert s is not None and s.seq == r.events  # kept by the import, at its last event
    book = open_book(str(tmp_path / "mb.db"))
    assert book._log._fetch is not None  # opened from the snapshot: no event read
    last = book.last_effective
    assert book.cap_table(last).holder_totals() == expected
    assert fold(book) == fold(whole(book))
    assert book.verify() == []
    assert [e.seq for e in book.events] == list(range(1, r.events + 1))


def test_verify_names_an_import_snapshot_that_is_not_the_logs_fold(small_is_large, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    generate(pkg, 60, 3_000, 4, adjust_every=400)
    r = import_package(str(tmp_path / "mb.db"), pkg)
    s = stored(r)
    assert s is not None
    build, record, last, names, fixes = snapshot.decode(s.data)
    holder = next(iter(build.balances))
    build.balances[holder] += 1  # a fold the log does not give, sealed with the book's key
    forged = snapshot.encode(build, record, last, names, fixes)
    assert snapshot.keep_data(forged, s.seq, r.engine, r.corp_id, r.url, r.slug)
    problems = open_book(str(tmp_path / "mb.db")).verify()
    assert any(p.startswith(f"snapshot: the fold kept at event {s.seq}") for p in problems), problems


def test_an_equity_import_keeps_the_fold_an_opening_would_keep(small_is_large, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    options = generate_equity(pkg, 60, 3_000, 5)
    r = import_package(str(tmp_path / "mb.db"), pkg)
    s = stored(r)
    assert s is not None and s.seq == r.events  # kept by the import (its check settled the pools as it went)
    build = snapshot.decode(s.data)[0]
    assert build.equity.plans and build.equity.settled_to == date.min
    awards = build.equity.awards.values()
    days = [d for a in awards for d in (a.granted_on, *(d for d, _ in a.exercises + a.ends))]
    days += [d for _, d in build.cert_first_use.values()]
    # one date per day (`core.heap.day`): the snapshot pickled each day once, and reads them back shared
    assert len({id(d) for d in days}) == len(set(days)) < len(days)
    book = open_book(str(tmp_path / "mb.db"))
    assert book._log._fetch is not None  # the first opening read the snapshot, not the log
    assert sum(book.state().equity.rights(date.max).values()) == options
    assert fold(book) == fold(whole(book))
    assert book.verify() == []


@pytest.mark.parametrize("share", [0.0, 0.3, 0.7, 1.0])
def test_a_large_import_writes_every_event_whatever_share_it_encodes_itself(
    small_is_large, tmp_path, monkeypatch, share
):
    """The pieces the child encodes end at the batch's last event exactly, whatever share the writer encodes itself
    (`append.writer_encodes`): with a share such as 0.3 (0.3 + 0.7 is not 1.0 in floating point) the last piece ended
    one event short and the write failed on it; with the whole batch (an import of options) the child encodes none."""
    monkeypatch.setattr(append, "writer_encodes", lambda events: int(len(events) * share))
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    expected = generate(pkg, 60, 3_000, 6, adjust_every=400)
    r = import_package(str(tmp_path / "mb.db"), pkg)
    book = open_book(str(tmp_path / "mb.db"))
    assert [e.seq for e in book.events] == list(range(1, r.events + 1))
    assert book.cap_table(book.last_effective).holder_totals() == expected
    assert book.verify() == []
