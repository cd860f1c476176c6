"""Helpers for the storage tests: SQL behind minutebook's back, and the writer processes the concurrency
and crash tests start (importable in a `spawn`ed child, and runnable as a script)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from minutebook.book import Book, open_book

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"
ON = date(2000, 1, 1)  # after the last charter event: appends in date order
INCORPORATED = date(1997, 7, 31)  # the Auxer Group's incorporation: before any issuance the tests make
PAR = Decimal("0.001")
R_ISSUE = "R-ISSUE"  # the board resolution `approve_issues` records
APPROVAL_EVENTS = 2  # what `approve_issues` appends: the directors' election, the board's consent


def sql(engine: sa.Engine, *statements: str, **params) -> None:
    """Run statements in one committed transaction."""
    with engine.begin() as conn:
        for s in statements:
            conn.execute(sa.text(s), params)


def scalar(engine: sa.Engine, statement: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(statement), params).scalar()


def rows(engine: sa.Engine, statement: str, **params) -> list:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(statement), params)]


def n_events(engine: sa.Engine) -> int:
    return scalar(engine, "SELECT count(*) FROM events")


def approve_issues(book: Book, on: date) -> str:
    """Give the book a board that authorises issuances (§152): a director named by the incorporator and a
    unanimous written consent with one blanket `issue_shares` resolution, both effective `on` (no later than
    the first issuance it covers). Appends `APPROVAL_EVENTS` events; returns the resolution's id, for
    `Book.issue(..., approved_by=...)`."""
    before = len(book.events)
    r = book.elect_directors(["d1"], on=on, names={"d1": "Dana Director"}, by="incorporator")
    assert not r.refused, r.findings
    r = book.board_act(
        "B-ISSUE",
        on=on,
        form="consent",
        present=["d1"],
        resolutions=[
            {
                "id": R_ISSUE,
                "kind": "issue_shares",
                "text": "The board authorises issuing stock of any class for at least par (treasury: any price).",
            },
            # §160: the board authorises buying shares back, from a surplus it determined
            {
                "id": "R-BUY",
                "kind": "general",
                "text": "Repurchases approved.",
                "params": {"surplus": "1000000000"},
            },
        ],
    )
    assert not r.refused, r.findings
    assert len(book.events) == before + APPROVAL_EVENTS
    return R_ISSUE


def drop_append_only(raw: sa.Engine) -> None:
    """What anyone holding the database can do first: drop the triggers that keep the events append-only."""
    if raw.dialect.name == "sqlite":
        sql(raw, "DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete")
    else:
        sql(raw, "DROP TRIGGER events_append_only ON events")


# The `ledger` fixture's sequences (`ledger_book`): the charter (3 events), the board's approval of issuances
# (`APPROVAL_EVENTS`), the holders alice, bob and carol, then the ledger events.
CHARTER = 3
HOLDER_BOB = CHARTER + APPROVAL_EVENTS + 2
ISSUE_ALICE = CHARTER + APPROVAL_EVENTS + 3 + 1  # the first ledger event: 1,000 common to alice
ISSUE_BOB = ISSUE_ALICE + 1  # 2,000 common to bob
TRANSFER = ISSUE_ALICE + 2  # bob to carol
N = ISSUE_ALICE + 4  # after carol's issuance, alice's repurchase


def ledger_book(book: Book) -> Book:
    """Seq 1-3 the charter; the approval (`APPROVAL_EVENTS`); 3 holders; from `ISSUE_ALICE` to `N`
    issuances, a transfer, a repurchase."""
    approve_issues(book, INCORPORATED)
    for hid in ("alice", "bob", "carol"):
        book.add_holder(hid, hid.title())
    steps = [
        book.issue("alice", "common", 1_000, on=date(1998, 1, 2), price_per_share=PAR, approved_by=R_ISSUE),
        book.issue("bob", "common", 2_000, on=date(1998, 2, 2), price_per_share=PAR, approved_by=R_ISSUE),
        book.transfer("bob", "carol", "common", 500, on=date(1998, 3, 2)),
        book.issue("carol", "common", 3_000, on=date(1999, 6, 1), price_per_share=PAR, approved_by=R_ISSUE),
        book.repurchase(
            "alice", "common", 100, on=date(2000, 1, 3), price_per_share=PAR, approved_by="R-BUY"
        ),
    ]
    for r in steps:
        assert not r.refused, r.findings
    assert [r.event.seq for r in steps] == list(range(ISSUE_ALICE, N + 1))
    assert [e.seq for e in book.events] == list(range(1, N + 1))
    assert [book.events[s - 1].type for s in (HOLDER_BOB, ISSUE_ALICE, ISSUE_BOB, TRANSFER)] == [
        "StakeholderAdded",
        "SharesIssued",
        "SharesIssued",
        "SharesTransferred",
    ]
    return book


def append_one(book: Book, tag: str, i: int):
    """The i-th append of writer `tag`: even i adds holder `tag-k`, odd i issues that holder one share (under
    the resolution `approve_issues` recorded first)."""
    k = i // 2
    if i % 2 == 0:
        return book.add_holder(f"{tag}-{k}", f"Holder {tag} {k}", on=ON)
    return book.issue(f"{tag}-{k}", "common", 1, on=ON, price_per_share=PAR, approved_by=R_ISSUE)


def writer(url: str, tag: str, n: int, barrier, results) -> None:
    """A concurrent writer: open the book, wait for the others, append `n` events, report their sequences."""
    try:
        book = open_book(url)
        barrier.wait(timeout=120)
        seqs = []
        for i in range(n):
            r = append_one(book, tag, i)
            if r.refused:
                raise AssertionError(f"{tag} append {i} refused: {r.findings}")
            seqs.append(r.event.seq)
        results.put((tag, seqs, None))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        results.put((tag, [], f"{type(e).__name__}: {e}"))


def opener(url: str, barrier, results) -> None:
    """Open (and so migrate) a database at the same moment as other processes."""
    from minutebook.store import db

    try:
        barrier.wait(timeout=120)
        db.open_engine(url)
        results.put(None)
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        results.put(f"{type(e).__name__}: {e}")


def appender(url: str, tag: str) -> None:
    """Append forever, printing each committed event's sequence (flushed) once `record` has returned."""
    book = open_book(url)
    print("ready", flush=True)
    i = 0
    while True:
        r = append_one(book, tag, i)
        if r.refused:
            print(f"refused {r.findings}", flush=True)
            sys.exit(3)
        print(r.event.seq, flush=True)
        i += 1


if __name__ == "__main__":
    appender(sys.argv[1], sys.argv[2])
