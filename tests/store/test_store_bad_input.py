"""Bad input to the book: a corrupt database file, a database from a newer schema, share counts that are not
positive whole numbers, dates before incorporation, unknown holders and classes. One-line errors naming the
file or field; nothing written."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest
from storehelp import AUXER, INCORPORATED, R_ISSUE, approve_issues, n_events, scalar, sql

from minutebook.book import create, open_book
from minutebook.core.errors import InputError, MinutebookError

PAR = Decimal("0.001")
D98 = date(1998, 1, 2)


def one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert msg and "\n" not in msg, msg
    return msg


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096),
        b"SQLite format 3\x00" + os.urandom(4080),  # the right magic, then garbage
        b"alice,bob\n1,2\n",
    ],
    ids=["random", "sqlite-header-garbage", "csv"],
)
def test_corrupt_database_file(tmp_path, auxer_read, content):
    path = tmp_path / "corrupt.db"
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        open_book(str(path))
    assert str(path) in one_line(e)
    with pytest.raises(InputError) as e:
        create(str(path), auxer_read, [AUXER])
    assert str(path) in one_line(e)
    assert path.read_bytes() == content  # nothing written


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(InputError) as e:
        open_book(str(tmp_path))
    assert str(tmp_path) in one_line(e)


def test_an_sqlite_database_that_is_not_minutebooks(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(MinutebookError) as e:
        open_book(str(path))
    assert "not a minutebook database" in one_line(e) and str(path) in one_line(e)


def test_newer_schema_is_refused(book, raw, db_url):
    sql(raw, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MinutebookError) as e:
        open_book(db_url)
    msg = one_line(e)
    assert "schema" in msg and "9999" in msg and "newer" in msg
    assert scalar(raw, "SELECT version_num FROM alembic_version") == "9999"  # left alone


BAD_COUNTS = [0, -5, 1.5, Decimal("2"), "10", True, None]


def test_share_counts_must_be_positive_whole_numbers(book, raw):
    book.add_holder("alice", "Alice")
    book.add_holder("bob", "Bob")
    approve_issues(book, INCORPORATED)
    assert not book.issue("alice", "common", 100, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    before = n_events(raw)
    calls = {
        "issue": lambda n: book.issue("alice", "common", n, on=D98, price_per_share=PAR, approved_by=R_ISSUE),
        "transfer": lambda n: book.transfer("alice", "bob", "common", n, on=D98),
        "cancel": lambda n: book.cancel("alice", "common", n, on=D98),
        "repurchase": lambda n: book.repurchase(
            "alice", "common", n, on=D98, price_per_share=PAR, approved_by="R-BUY"
        ),
        "convert-from": lambda n: book.convert("alice", "common", n, "preferred", 1, on=D98),
        "convert-to": lambda n: book.convert("alice", "common", 1, "preferred", n, on=D98),
        "split-from": lambda n: book.split("common", n, 2, on=D98),
        "split-to": lambda n: book.split("common", 1, n, on=D98),
    }
    for action, call in calls.items():
        for shares in BAD_COUNTS:
            with pytest.raises(InputError) as e:
                call(shares)
            assert "share count" in one_line(e), (action, shares)
    assert n_events(raw) == before


def test_prices_must_be_numbers_of_zero_or_more(book, raw):
    book.add_holder("alice", "Alice")
    before = n_events(raw)
    for price in (Decimal("-0.01"), "abc", Decimal("NaN"), float("inf"), None):
        with pytest.raises(InputError) as e:
            book.issue("alice", "common", 100, on=D98, price_per_share=price)
        assert "price per share" in one_line(e), price
        with pytest.raises(InputError) as e:
            book.repurchase("alice", "common", 100, on=D98, price_per_share=price, approved_by="R-BUY")
        assert "price per share" in one_line(e), price
    assert n_events(raw) == before


@pytest.mark.parametrize(
    "action",
    ["add_holder", "issue", "split"],
)
def test_a_date_before_incorporation_is_refused(book, raw, action):
    book.add_holder("alice", "Alice")
    approve_issues(book, INCORPORATED)  # the issuance is authorised: only its date is wrong
    before = n_events(raw)
    on = date(1997, 7, 30)  # incorporated 1997-07-31
    r = {
        "add_holder": lambda: book.add_holder("bob", "Bob", on=on),
        "issue": lambda: book.issue("alice", "common", 100, on=on, price_per_share=PAR, approved_by=R_ISSUE),
        "split": lambda: book.split("common", 1, 2, on=on),
    }[action]()
    assert r.refused
    assert [f.code for f in r.findings] == ["MB-BEFORE-INCORPORATION"]
    assert "1997-07-31" in r.findings[0].message
    assert n_events(raw) == before


def test_unknown_holder_or_class_is_refused(book, raw):
    book.add_holder("alice", "Alice")
    approve_issues(book, INCORPORATED)  # the issuances are authorised: refused for the holder or class
    before = n_events(raw)
    r = book.issue("nobody", "common", 100, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.refused and "MB-HOLDER-UNKNOWN" in {f.code for f in r.findings}
    r = book.issue("alice", "class-z", 100, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.refused and "MB-CLASS-UNKNOWN" in {f.code for f in r.findings}
    r = book.transfer("alice", "nobody", "common", 1, on=D98)
    assert r.refused and "MB-HOLDER-UNKNOWN" in {f.code for f in r.findings}
    assert n_events(raw) == before
    with pytest.raises(InputError, match="already exists"):
        book.add_holder("alice", "Alice again")


@pytest.mark.parametrize("on", ["2000-01-01", datetime(2000, 1, 3, 12, 0), None])
def test_an_effective_date_that_is_not_a_date(book, raw, on):
    """The API takes `datetime.date`; anything else is a one-line InputError, and nothing is written."""
    book.add_holder("alice", "Alice")
    before = n_events(raw)
    with pytest.raises(InputError) as e:
        book.issue("alice", "common", 100, on=on, price_per_share=PAR)
    assert "date" in one_line(e)
    assert n_events(raw) == before
