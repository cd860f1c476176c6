"""A large import keeps the book's fold snapshot (`book.snapshot.fold_of`, made from the fold its history check
builds): the first opening reads it, not the log, and it is the fold an opening of the whole log makes, so `verify`
stays clean; a snapshot that is not the log's fold is named by `verify`. An import whose check changed the fold
beyond the events (an equity pool's expiries settled) keeps none: the first opening folds the log and keeps its own.
The sizes are made small (`PARALLEL_FROM`, `FROM`) so that a small package takes the large import's path."""

from __future__ import annotations

import pickle
import sys
from datetime import date

import pytest
from ocfhelp import REPO

from minutebook.book import checks, open_book, snapshot
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
    w = whole(book)
    assert (book._log.build, book._log.record, book._log.last, book._log.names) == (
        w.build,
        w.record,
        w.last,
        w.names,
    )
    assert book.verify() == []
    assert [e.seq for e in book.events] == list(range(1, r.events + 1))


def test_verify_names_an_import_snapshot_that_is_not_the_logs_fold(small_is_large, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    generate(pkg, 60, 3_000, 4, adjust_every=400)
    r = import_package(str(tmp_path / "mb.db"), pkg)
    s = stored(r)
    assert s is not None
    build, record, last, names = pickle.loads(s.data)  # noqa: S301 - the test's own book
    holder = next(iter(build.balances))
    build.balances[holder] += 1  # a fold the log does not give, sealed with the book's key
    forged = pickle.dumps((build, record, last, names), protocol=pickle.HIGHEST_PROTOCOL)
    assert snapshot.keep_data(forged, s.seq, r.engine, r.corp_id, r.url, r.slug)
    problems = open_book(str(tmp_path / "mb.db")).verify()
    assert any(p.startswith(f"snapshot: the fold kept at event {s.seq}") for p in problems), problems


def test_an_equity_import_verifies_with_or_without_a_snapshot(small_is_large, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    options = generate_equity(pkg, 60, 3_000, 5)
    import_package(str(tmp_path / "mb.db"), pkg)
    book = open_book(str(tmp_path / "mb.db"))
    assert sum(book.state().equity.rights(date.max).values()) == options
    assert book.verify() == []
    assert stored(book) is not None  # the import's, or the first opening's
