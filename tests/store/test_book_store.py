"""The book on SQLite and on PostgreSQL: created from the Auxer Group's charter, holders, issuances, the cap
table on dates, and every ledger rule enforced on append (a refused action writes nothing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from storehelp import (
    APPROVAL_EVENTS,
    AUXER,
    INCORPORATED,
    R_ISSUE,
    approve_issues,
    n_events,
    rows,
    scalar,
)

from minutebook.book import create, open_book
from minutebook.core.captable import cap_table
from minutebook.core.errors import InputError
from minutebook.core.replay import replay
from minutebook.store.projections import TREASURY

PAR = Decimal("0.001")
D98 = date(1998, 1, 2)  # 50,000,000 common authorized (the 1997-08-28 amendment)
D00 = date(2000, 1, 3)  # 150,000,000 common authorized (the 1999-03-19 amendment)


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


def cites(result) -> set[str]:
    return {c for f in result.findings for c in f.cites}


def common(ct):
    return next(c for c in ct.by_class if c.class_key == "common")


def balances(raw) -> dict:
    """The `balances` projection (treasury shares under `projections.TREASURY`)."""
    return {
        (h, c, s): n
        for h, c, s, n in rows(raw, "SELECT holder_id, class_key, series_key, shares FROM balances")
        if n
    }


@pytest.fixture
def holders(book):
    """The Auxer book with a board resolution authorising issuances (`R_ISSUE`) and three holders,
    all from incorporation."""
    approve_issues(book, INCORPORATED)
    for hid, name in (("alice", "Alice Ng"), ("bob", "Bob Ortiz"), ("carol", "Carol Park")):
        assert not book.add_holder(hid, name).refused
    return book


def test_created_from_the_charter(book, raw):
    assert [(e.seq, e.type, e.effective_on) for e in book.events] == [
        (1, "Incorporated", date(1997, 7, 31)),
        (2, "CharterAmended", date(1997, 8, 28)),
        (3, "CharterAmended", date(1999, 3, 19)),
    ]
    assert book.name.upper() == "THE AUXER GROUP, INC."
    assert [v.capital.cls("common").authorized for v in book.charter.versions] == [
        20_000_000,
        50_000_000,
        150_000_000,
    ]
    assert scalar(raw, "SELECT count(*) FROM charter_versions") == 3
    assert scalar(raw, "SELECT count(*) FROM documents") == 1
    assert book.verify() == []


def test_issue_and_cap_table_on_two_dates(holders, raw):
    book = holders
    r = book.issue("alice", "common", 1_000_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    # nothing wrong with it, and nothing to say: alice holds all the voting stock of a corporation §203 does
    # not reach (not listed, one holder of record)
    assert not r.refused
    assert not r.findings
    assert not book.issue("bob", "common", 500_000, on=D00, price_per_share=PAR, approved_by=R_ISSUE).refused

    ct = book.cap_table(date(1998, 12, 31))
    assert (common(ct).authorized, common(ct).issued, common(ct).outstanding) == (
        50_000_000,
        1_000_000,
        1_000_000,
    )
    assert ct.holder_totals() == {"alice": 1_000_000}

    ct = book.cap_table(date(2000, 6, 1))
    c = common(ct)
    assert (c.authorized, c.issued, c.treasury, c.outstanding, c.available) == (
        150_000_000,
        1_500_000,
        0,
        1_500_000,
        148_500_000,
    )
    assert ct.authorized == 175_000_000
    assert {r.holder_id: (r.shares, str(r.percent_of_class)) for r in ct.rows} == {
        "alice": (1_000_000, "66.6667"),
        "bob": (500_000, "33.3333"),
    }
    assert book.cap_table(date(1997, 12, 31)).holder_totals() == {}
    assert balances(raw) == {("alice", "common", ""): 1_000_000, ("bob", "common", ""): 500_000}
    assert book.verify() == []


def test_over_issue_refused_and_nothing_written(holders, raw):
    book = holders
    assert not book.issue(
        "alice", "common", 49_999_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE
    ).refused
    before, entries = n_events(raw), scalar(raw, "SELECT count(*) FROM ledger_entries")
    r = book.issue("bob", "common", 1_001, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.refused and r.event is None
    assert "MB-ISSUE-EXCEEDS-AUTHORIZED" in codes(r)
    assert {"8 Del. C. § 161", "8 Del. C. § 151"} <= cites(r)
    assert n_events(raw) == before and scalar(raw, "SELECT count(*) FROM ledger_entries") == entries
    assert len(book.events) == before
    # exactly up to the authorized shares is fine
    assert not book.issue("bob", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    assert common(book.cap_table(D98)).available == 0
    assert book.verify() == []


def test_backdated_issuance_that_over_issues_a_later_one_is_refused(holders, raw):
    book = holders
    assert not book.issue(
        "alice", "common", 40_000_000, on=date(1998, 6, 1), price_per_share=PAR, approved_by=R_ISSUE
    ).refused
    before = n_events(raw)
    # on its own date only 20,000,000 would be issued; but the later 40,000,000 would then exceed 50,000,000
    r = book.issue("bob", "common", 20_000_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.refused
    assert "MB-BACKDATED-CONFLICT" in codes(r)
    conflict = next(f for f in r.findings if f.code == "MB-BACKDATED-CONFLICT")
    assert "8 Del. C. § 161" in conflict.cites
    assert n_events(raw) == before
    # a back-dated issuance that still fits is kept, and the projections follow it
    assert not book.issue(
        "bob", "common", 10_000_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE
    ).refused
    assert book.cap_table(date(1998, 3, 1)).holder_totals() == {"bob": 10_000_000}
    assert book.verify() == []


def test_backdated_cancel_that_breaks_a_later_transfer_is_refused(holders, raw):
    book = holders
    assert not book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    assert not book.transfer("alice", "bob", "common", 800, on=date(1999, 1, 4)).refused
    before = n_events(raw)
    r = book.cancel("alice", "common", 500, on=date(1998, 6, 1))
    assert r.refused and "MB-BACKDATED-CONFLICT" in codes(r)
    assert n_events(raw) == before


def test_historical_over_issue_is_kept_and_cites_204(holders, raw):
    book = holders
    before = n_events(raw)
    r = book.issue(
        "alice", "common", 60_000_000, on=D98, price_per_share=PAR, historical=True, approved_by=R_ISSUE
    )
    assert not r.refused
    over = [f for f in r.findings if f.code == "MB-ISSUE-EXCEEDS-AUTHORIZED"]
    assert over and all(f.severity == "warning" for f in over)
    assert "8 Del. C. § 204" in over[0].cites
    assert r.errors == ()
    assert n_events(raw) == before + 1
    assert common(book.cap_table(D98)).issued == 60_000_000
    assert common(book.cap_table(D98)).available == -10_000_000
    assert book.verify() == []


def test_issuance_below_par_refused(holders, raw):
    book = holders
    before = n_events(raw)
    r = book.issue("alice", "common", 1_000, on=D98, price_per_share=Decimal("0.0005"), approved_by=R_ISSUE)
    assert r.refused and "MB-ISSUE-BELOW-PAR" in codes(r)
    assert "8 Del. C. § 153(a)" in cites(r)
    r = book.issue(
        "alice",
        "common",
        1_000,
        on=D98,
        price_per_share=PAR,
        consideration=Decimal("0.50"),
        approved_by=R_ISSUE,
    )
    assert r.refused and "MB-ISSUE-BELOW-PAR" in codes(r)
    assert n_events(raw) == before
    assert not book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused


@pytest.mark.parametrize("action", ["transfer", "cancel", "repurchase"])
def test_moving_shares_not_held_is_refused(holders, raw, action):
    book = holders
    assert not book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    before = n_events(raw)

    def do(holder, shares):
        if action == "transfer":
            return book.transfer(holder, "carol", "common", shares, on=D00)
        if action == "cancel":
            return book.cancel(holder, "common", shares, on=D00)
        return book.repurchase(holder, "common", shares, on=D00, price_per_share=PAR, approved_by="R-BUY")

    for holder, shares in (("alice", 1_001), ("bob", 1)):
        r = do(holder, shares)
        assert r.refused and "MB-INSUFFICIENT-SHARES" in codes(r), (holder, r.findings)
    assert n_events(raw) == before
    assert not do("alice", 1_000).refused
    assert book.verify() == []


def test_treasury_shares_count_as_issued(holders, raw):
    book = holders
    assert not book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    assert not book.repurchase(
        "alice", "common", 300, on=date(1998, 2, 2), price_per_share=PAR, approved_by="R-BUY"
    ).refused
    c = common(book.cap_table(date(1998, 3, 1)))
    assert (c.issued, c.treasury, c.outstanding, c.available) == (1_000, 300, 700, 50_000_000 - 1_000)
    assert balances(raw) == {("alice", "common", ""): 700, (TREASURY, "common", ""): 300}
    # the 300 treasury shares still use up authorized shares
    on = date(1998, 3, 1)
    r = book.issue("bob", "common", 50_000_000 - 1_000 + 1, on=on, price_per_share=PAR, approved_by=R_ISSUE)
    assert r.refused and "MB-ISSUE-EXCEEDS-AUTHORIZED" in codes(r)
    # treasury shares are resold (for less than par, §153(c)), but not more than are held
    r = book.issue(
        "bob", "common", 301, on=on, price_per_share=Decimal(0), from_treasury=True, approved_by=R_ISSUE
    )
    assert r.refused and "MB-TREASURY-SHORT" in codes(r)
    assert not book.issue(
        "bob", "common", 300, on=on, price_per_share=Decimal(0), from_treasury=True, approved_by=R_ISSUE
    ).refused
    c = common(book.cap_table(on))
    assert (c.issued, c.treasury, c.outstanding) == (1_000, 0, 1_000)
    assert book.verify() == []


def test_two_for_one_split(holders, raw):
    book = holders
    assert not book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    assert not book.issue("bob", "common", 501, on=D98, price_per_share=PAR, approved_by=R_ISSUE).refused
    assert not book.repurchase(
        "bob", "common", 1, on=date(1998, 2, 2), price_per_share=PAR, approved_by="R-BUY"
    ).refused
    assert not book.split("common", 1, 2, on=D00, historical=True).refused  # no §242 approvals: kept
    before, after = book.cap_table(date(1999, 12, 31)), book.cap_table(D00)
    assert before.holder_totals() == {"alice": 1_000, "bob": 500}
    assert after.holder_totals() == {"alice": 2_000, "bob": 1_000}
    assert (common(after).issued, common(after).treasury, common(after).outstanding) == (3_002, 2, 3_000)
    assert balances(raw) == {
        ("alice", "common", ""): 2_000,
        ("bob", "common", ""): 1_000,
        (TREASURY, "common", ""): 2,
    }
    assert book.verify() == []
    # a split beyond the authorized shares needs a charter amendment first
    assert not book.issue(
        "carol", "common", 80_000_000, on=D00, price_per_share=PAR, approved_by=R_ISSUE
    ).refused
    r = book.split("common", 1, 2, on=date(2000, 2, 1))
    assert r.refused and "MB-ISSUE-EXCEEDS-AUTHORIZED" in codes(r)


def test_reopening_gives_the_same_state(holders, db_url):
    book = holders
    book.issue("alice", "common", 1_000, on=D98, price_per_share=PAR, certificate="C-1", approved_by=R_ISSUE)
    book.transfer(
        "alice", "bob", "common", 400, on=date(1998, 5, 1), certificate="C-1", new_certificate="C-2"
    )
    book.repurchase("bob", "common", 100, on=date(1999, 1, 4), price_per_share=PAR, approved_by="R-BUY")
    book.split("common", 1, 2, on=D00, historical=True)
    book.issue(
        "carol", "common", 77, on=date(1998, 3, 3), price_per_share=PAR, approved_by=R_ISSUE
    )  # back-dated
    again = open_book(db_url)
    assert again.slug == book.slug and again.name == book.name
    assert [(e.seq, e.type, e.effective_on, e.body, e.recorded_at) for e in again.events] == [
        (e.seq, e.type, e.effective_on, e.body, e.recorded_at) for e in book.events
    ]
    for d in (date(1997, 8, 1), D98, date(1998, 6, 1), date(1999, 6, 1), D00, None):
        assert again.cap_table(d).to_json() == book.cap_table(d).to_json(), d
        assert again.state(d).certificates == book.state(d).certificates
    assert again.charter == book.charter
    assert again.verify() == []


def test_many_corporations_in_one_database(book, db_url, auxer_read):
    with pytest.raises(InputError, match="already holds"):
        create(db_url, auxer_read, [AUXER])
    other = create(db_url, auxer_read, [AUXER], slug="auxer-two")
    approve_issues(other, INCORPORATED)
    other.add_holder("zed", "Zed")
    other.issue("zed", "common", 5, on=D98, price_per_share=PAR, approved_by=R_ISSUE)
    book.add_holder("alice", "Alice")
    with pytest.raises(InputError, match="pick one"):
        open_book(db_url)
    first, second = open_book(db_url, corp=book.slug), open_book(db_url, corp="auxer-two")
    assert [e.seq for e in first.events] == [1, 2, 3, 4]
    # the charter, the approval, zed and the issuance: none of `first`'s events
    assert [e.seq for e in second.events] == list(range(1, 3 + APPROVAL_EVENTS + 2 + 1))
    assert first.cap_table(D00).holder_totals() == {}
    assert second.cap_table(D00).holder_totals() == {"zed": 5}
    assert first.verify() == [] and second.verify() == []


def test_backdated_event_is_not_refused_for_an_older_defect(holders, raw):
    """A history kept with `historical=True` may hold an invalid event (here a transfer of shares the holder
    did not have). A later, valid, back-dated action that does not touch it should not be refused for it."""
    book = holders
    r = book.transfer("alice", "bob", "common", 10, on=date(1999, 6, 1), historical=True)
    assert not r.refused and "MB-INSUFFICIENT-SHARES" in codes(r)
    before = n_events(raw)
    r = book.issue(
        "carol", "common", 5, on=D98, price_per_share=PAR, approved_by=R_ISSUE
    )  # back-dated, unrelated, valid
    assert not r.refused, r.findings
    assert n_events(raw) == before + 1


def test_cap_table_of_a_kept_defective_history(holders):
    """The same log gives one cap table on a date whichever way it is computed (the live fold at the
    latest date, the dated ledger projection before it, a pure replay). Historical mode keeps a repurchase
    of preferred shares alice never had (her balance goes to -1), then a 1-for-2 reverse split."""
    book = holders
    on = date(1998, 1, 2)
    assert not book.repurchase(
        "alice", "preferred", 1, on=on, price_per_share=PAR, historical=True, approved_by="R-BUY"
    ).refused
    assert not book.split("preferred", 2, 1, on=on, historical=True).refused
    book.add_holder("dave", "Dave", on=D00)  # so that `on` is before the latest date
    d = date(1998, 6, 1)
    assert book.cap_table(d).to_json() == cap_table(book.state(d)).to_json()
    assert book.cap_table(d).to_json() == cap_table(replay(book.events, d)).to_json()


def test_atomic_acts_are_written_together_or_not_at_all(holders, raw):
    from minutebook.book import Refused

    d_act = date(2000, 1, 3)  # after the charter's last version: appends in date order
    book = holders
    n = len(book.events)
    with pytest.raises(Refused), book.atomic():
        r = book.board_act("B-X", on=d_act, form="consent", present=["d1"], resolutions=[{"id": "R-X"}])
        assert not r.refused
        r = book.issue("alice", "common", 10**12, on=d_act, price_per_share=PAR, approved_by="R-X")
        assert r.refused  # above the authorized shares
        raise Refused(r)
    assert len(book.events) == n and n_events(raw) == n  # the board action went too
    assert book.approvals().get("R-X") is None
    with book.atomic():
        assert not book.board_act(
            "B-X", on=d_act, form="consent", present=["d1"], resolutions=[{"id": "R-X"}]
        ).refused
        assert not book.issue("alice", "common", 10, on=d_act, price_per_share=PAR, approved_by="R-X").refused
    assert len(book.events) == n + 2
    assert len(open_book(book.url).events) == n + 2  # committed, seen by another reader


def test_closing_the_book_leaves_everything_in_the_database_file(tmp_path, auxer_read):
    import shutil

    path = tmp_path / "mb.db"
    book = create(f"sqlite:///{path}", auxer_read, [AUXER])
    approve_issues(book, INCORPORATED)
    n = len(book.events)
    book.close()
    shutil.copy(path, tmp_path / "copy.db")  # the file alone, without its -wal
    assert len(open_book(f"sqlite:///{tmp_path / 'copy.db'}").events) == n


def test_a_book_let_go_is_freed_at_once_its_connection_closed_with_it(book):
    """A book holds no reference cycle: dropped without `close` (a command that ends), it goes with its last reference,
    not at the collector's next pass, so its connection closes and SQLite folds its write-ahead log into the file
    then. (A book that named itself in what it gave its corrections outlived every in-process command.)"""
    import gc
    import weakref

    b = open_book(book.url)
    assert not b.add_holder("h9", "H9", on=date(2000, 1, 3)).refused
    b.void(b.count, reason="entered in error", on=date(2000, 1, 4))  # a correction: the book keeps its fold
    gone = weakref.ref(b)
    gc.disable()
    try:
        del b
        assert gone() is None
    finally:
        gc.enable()
