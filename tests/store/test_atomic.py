"""`Book.atomic()` on SQLite and on PostgreSQL: every question asked inside the block reads the block's own
transaction (a cap table on a past date reads the dated ledger projection, `verify` the log, the tree and the
projections, `history()` the stored events), so its answers count the acts recorded and not yet committed; after a
rollback they are gone. A block inside a block is a savepoint. A YAML story is one such block: a step that does not
go as the story says leaves the log exactly as it was; a story that goes as written lands in one commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from storehelp import PAR, R_ISSUE, N, n_events, scalar

from minutebook.book import Refused, export_book, open_book, stories
from minutebook.core.errors import InputError, MinutebookError
from minutebook.governance.story import parse

D = date(1998, 6, 1)  # before the ledger book's last act (2000-01-03): a past date, read from the projection
ALICE_BEFORE = 1_000  # alice's common on D in `storehelp.ledger_book`


def alice(ct) -> int:
    return sum(r.shares for r in ct.rows if r.holder_id == "alice" and r.class_key == "common")


def head(raw) -> tuple[int, str]:
    with raw.connect() as c:
        return tuple(c.execute(sa.text("SELECT head_seq, head_hash FROM corporations")).one())


class Undo(Exception):
    pass


def test_inside_a_block_a_past_cap_table_counts_the_blocks_acts(ledger, raw):
    book = ledger
    assert alice(book.cap_table(D)) == ALICE_BEFORE
    with pytest.raises(Undo), book.atomic():
        r = book.issue("alice", "common", 5_000, on=D, price_per_share=PAR, approved_by=R_ISSUE)
        assert not r.refused, r.findings
        assert book.last_effective > D  # so the cap table on D is the dated ledger projection, not the fold
        assert alice(book.cap_table(D)) == ALICE_BEFORE + 5_000  # on the issuance's date
        assert alice(book.cap_table(date(1999, 1, 1))) == ALICE_BEFORE + 5_000  # a later past date
        assert alice(book.cap_table(date(1998, 5, 31))) == ALICE_BEFORE  # the day before
        fd = book.fully_diluted(D)
        assert sum(r.stock for r in fd.rows if r.holder_id == "alice") == ALICE_BEFORE + 5_000
        # the store's other views read the block too
        assert max(book.hashes()) == N + 1
        assert N + 1 in {e.seq for e in book.history().events()}
        v = book.verify()
        assert v == [] and v.events == N + 1
        assert n_events(raw) == N  # not committed: another connection does not see it
        raise Undo
    assert alice(book.cap_table(D)) == ALICE_BEFORE  # rolled back: gone
    assert len(book.log) == N and n_events(raw) == N
    assert book.verify() == [] and book.verify().events == N
    again = open_book(book.url)
    assert alice(again.cap_table(D)) == ALICE_BEFORE
    again.close()


def test_a_committed_block_keeps_what_its_reads_saw(ledger, raw):
    book = ledger
    with book.atomic():
        assert not book.issue(
            "alice", "common", 5_000, on=D, price_per_share=PAR, approved_by=R_ISSUE
        ).refused
        inside = book.cap_table(D).to_json()
    assert book.cap_table(D).to_json() == inside
    again = open_book(book.url)
    assert again.cap_table(D).to_json() == inside
    again.close()
    assert n_events(raw) == N + 1


def test_a_block_inside_a_block_is_a_savepoint(ledger, raw):
    book = ledger
    with book.atomic():
        assert not book.add_holder("dave", "Dave", on=date(2000, 2, 1)).refused
        with pytest.raises(Refused), book.atomic():
            r = book.issue("dave", "common", 7, on=date(2000, 2, 1), price_per_share=PAR, approved_by=R_ISSUE)
            assert not r.refused
            r = book.issue(
                "dave", "common", 10**12, on=date(2000, 2, 1), price_per_share=PAR, approved_by=R_ISSUE
            )
            assert r.refused  # beyond the authorized shares
            raise Refused(r)
        assert "dave" in book.holders  # the outer block's act stays ...
        assert book.state().balances.get(("dave", "common", None), 0) == 0  # ... the inner one's is undone
        assert len(book.log) == N + 1
    assert n_events(raw) == N + 1
    again = open_book(book.url)
    assert [e.type for e in again.log[N:]] == ["StakeholderAdded"]
    again.close()


def test_a_checkpoint_or_an_export_is_refused_inside_a_block(ledger, raw, tmp_path):
    book = ledger
    with book.atomic():
        with pytest.raises(MinutebookError, match="after the `atomic\\(\\)` block"):
            book.checkpoint()
        with pytest.raises(MinutebookError, match="after the `atomic\\(\\)` block"):
            export_book(book, tmp_path / "out")
    assert book.checkpoint().tree_size == N  # outside: signed


# --- a story is one transaction ---------------------------------------------------------------------------

FIVE = """\
name: five steps
steps:
  - {{on: 2000-02-01, holder: {{id: dave, name: Dave}}}}
  - {{on: 2000-02-01, issue: {{holder: dave, class: common, shares: 100, price: '0.001', approved_by: {r}}}}}
  - {{on: 2000-02-02, issue: {{holder: dave, class: common, shares: 10, price: '0.001'}}{expect}}}
  - {{on: 2000-02-03, transfer: {{from: dave, to: alice, class: common, shares: 40}}}}
  - {{on: 2000-02-04, holder: {{id: erin, name: Erin}}}}
"""
REFUSED = (
    ", expect: {refused: true, codes: [MB-APPROVAL-MISSING]}"  # no approval named: refused, as the story says
)


def test_a_story_whose_third_step_goes_otherwise_leaves_the_log_as_it_was(ledger, raw):
    book = ledger
    before, hashes = head(raw), book.hashes()
    story = parse(FIVE.format(r=R_ISSUE, expect=""), "five.yaml")  # step 3 expects to be recorded
    ran = stories.run(book, story)
    assert [o.ok for o in ran] == [True, True, False] and not ran.written
    assert ran.failed is not None and ran.failed.step.number == 3
    assert head(raw) == before and n_events(raw) == N  # the same count and head hash in the database
    assert (
        len(book.log) == N and book.hashes() == hashes
    )  # and in the book, which forgot the rolled-back steps
    assert "dave" not in book.holders
    again = open_book(book.url)
    assert len(again.log) == N and again.hashes() == hashes
    again.close()


def test_a_story_that_goes_as_written_lands_in_one_commit(ledger, raw):
    book = ledger
    story = parse(FIVE.format(r=R_ISSUE, expect=REFUSED), "five.yaml")
    commits: list[int] = []
    seen: list[int] = []

    def committed(conn) -> None:
        commits.append(1)

    def traced(dbapi_conn, _) -> None:  # SQLite: the appends commit on the driver (`store.db.immediate`)
        dbapi_conn.set_trace_callback(
            lambda sql: commits.append(1) if sql.strip().upper() == "COMMIT" else None
        )

    sqlite = book.engine.dialect.name == "sqlite"
    book.close()  # (the book reconnects: each new connection is traced)
    listened = (book.engine, "connect", traced) if sqlite else (book.engine, "commit", committed)
    sa.event.listen(*listened)
    try:
        ran = stories.run(book, story, each=lambda o: seen.append(n_events(raw)), end=True)
    finally:
        sa.event.remove(*listened)
    assert ran.ok and ran.written, [o.problems for o in ran]
    assert [o.result.refused for o in ran] == [False, False, True, False, False]
    assert seen == [N] * 5  # while it ran, another connection saw none of it
    assert len(commits) == 1  # then every step in one commit
    assert n_events(raw) == N + 4 and head(raw)[0] == N + 4
    assert book.verify() == []


def test_a_story_whose_end_differs_is_rolled_back(ledger, raw):
    book = ledger
    text = FIVE.format(r=R_ISSUE, expect=REFUSED) + "end: {holdings: {dave: {common: 61}}}\n"
    ran = stories.run(book, parse(text, "five.yaml"), end=True)
    assert all(o.ok for o in ran) and ran.end and not ran.written
    assert "holdings dave common: 60" in ran.end[0]  # read inside the block: 100 issued, 40 transferred
    assert n_events(raw) == N and len(book.log) == N


def test_a_step_expected_to_raise_goes_on_but_one_that_wrote_first_rolls_the_story_back(
    ledger, raw, monkeypatch
):
    """A step the story expects to raise has written nothing, and the run goes on; one that raises after writing
    part of itself (a defect: the book's acts write whole or not at all) cannot be undone alone, so the story is not
    as written and is rolled back, the book's fold with it."""
    book = ledger
    real = book.add_holder

    def add_then_raise(holder_id, name, **kw):  # writes its event, then fails
        r = real(holder_id, name, **kw)
        if holder_id == "ghost":
            assert not r.refused
            raise InputError("ghost: failed after writing")
        return r

    text = (
        "steps:\n"
        "  - {on: 2000-02-01, holder: {id: dave, name: Dave}}\n"
        "  - {on: 2000-02-01, holder: {id: dave, name: Dave again}, expect: {raises: InputError}}\n"
        "  - {on: 2000-02-02, holder: {id: erin, name: Erin}}\n"
    )
    ran = stories.run(book, parse(text, "s.yaml"))
    assert ran.ok and ran.written, [o.problems for o in ran]
    assert n_events(raw) == N + 2 and len(book.log) == N + 2

    monkeypatch.setattr(book, "add_holder", add_then_raise)
    ghost = (
        text.replace("dave, name: Dave again", "ghost, name: Ghost")
        .replace("dave", "fay")
        .replace("erin", "gil")
    )
    ran = stories.run(book, parse(ghost, "s.yaml"))
    assert not ran.written and ran.failed.step.number == 2
    assert "after writing part of itself" in ran.failed.problems[-1]
    assert n_events(raw) == N + 2 and len(book.log) == N + 2
    assert not {"fay", "ghost"} & set(book.holders)
    assert book.verify() == []


def test_history_inside_a_block_streams_its_acts_exactly(ledger):
    """Money read back inside a block is the Decimal written (no float on the way through the block's connection)."""
    book = ledger
    with pytest.raises(Undo), book.atomic():
        r = book.issue("bob", "common", 3, on=D, price_per_share=Decimal("0.0125"), approved_by=R_ISSUE)
        assert not r.refused
        (e,) = [x for x in book.history().events() if x.seq == r.event.seq]
        assert e.body.price_per_share == Decimal("0.0125")
        raise Undo
    assert scalar(book.engine, "SELECT count(*) FROM events") == N
