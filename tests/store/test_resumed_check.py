"""A large book's `check` keeps its audit of the whole log (`governance.audit.Audit`), in the book and in the store
(`book.audit_snapshot`), and, when the log has only grown since by acts it may go on with, audits those alone: on
SQLite and PostgreSQL, after each kind of act (later, on the same day, back-dated, of the governance record, a
voiding, a block rolled back, another writer's), its findings are those of a new audit of the whole log, every field
of them. The stored audit is read only under the book's seal and by the code that made it; `verify` names one that is
not the log's audit; `rebuild` drops it."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from storehelp import R_ISSUE, approve_issues, scalar, sql

from minutebook.book import audit_snapshot, open_book, snapshot
from minutebook.core.events import Event, SharesIssued, SharesTransferred
from minutebook.governance.audit import Audit, known_ids

START = date(2000, 1, 3)
PRICE = Decimal("0.001")


@pytest.fixture
def large(book, monkeypatch):
    """The Auxer book with a board approval, three holders and issuances on 12 days, one without its approval (a
    finding on every audit); 'large' for FROM = 10, opened once whole to keep its snapshot."""
    monkeypatch.setattr(snapshot, "FROM", 10)
    approve_issues(book, START)
    for h in ("h0", "h1", "h2"):
        book.add_holder(h, h.upper(), on=START)
    for i in range(12):
        r = book.issue(f"h{i % 3}", "common", 1_000 + i, on=START + timedelta(days=i), price_per_share=PRICE,
                       approved_by=R_ISSUE if i != 4 else None, historical=i == 4)  # fmt: skip
        assert not r.refused, r.findings
    book.close()
    open_book(book.url).close()  # read whole: keeps a snapshot
    return book.url


def streamed(url: str):
    """The book opened from its snapshot (after a back-dated act or a correction, the first opening reads the log
    whole and keeps a new one)."""
    b = open_book(url)
    if b._log.in_memory:
        b.close()
        b = open_book(url)
    assert not b._log.in_memory
    return b


def anew(url: str, as_of: date | None = None) -> list[dict]:
    """The findings of a new audit of the whole log: the book opened again, with no audit kept (none read from the
    store, none kept there)."""
    b = streamed(url)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(audit_snapshot, "restore", lambda *a: None)
            mp.setattr(audit_snapshot, "keep", lambda *a: False)
            return [f.to_json() for f in b.check(as_of=as_of)]
    finally:
        b.close()


def kept(b) -> Audit | None:
    return b._queries._audit[1] if b._queries._audit else None


def test_a_check_after_acts_it_may_go_on_with_audits_them_alone_and_finds_what_a_new_audit_finds(large):
    b = streamed(large)
    first = [f.to_json() for f in b.check()]
    assert first == anew(large) and any(f["code"] == "MB-APPROVAL-MISSING" for f in first)
    run = kept(b)
    last = b.last_effective

    def same(resumed: bool, as_of: date | None = None) -> None:
        got = [f.to_json() for f in b.check(as_of=as_of)]
        assert got == anew(large, as_of)
        assert (kept(b) is run) == resumed

    # a later act, then one on the same day and one unapproved (a finding of its own), each audited alone
    assert not b.transfer("h0", "h1", "common", 5, on=last + timedelta(days=1)).refused
    same(True)
    assert not b.transfer("h1", "h2", "common", 3, on=last + timedelta(days=1)).refused
    same(True)
    r = b.issue("h2", "common", 9, on=last + timedelta(days=2), price_per_share=PRICE, historical=True)
    assert r.event is not None and any(f.code == "MB-APPROVAL-MISSING" for f in r.findings)
    same(True)
    assert any(f["data"]["event"] == r.event.seq for f in anew(large) if f["code"] == "MB-APPROVAL-MISSING")
    # another writer's act: caught up from the store
    other = open_book(large)
    assert not other.transfer("h2", "h0", "common", 1, on=last + timedelta(days=3)).refused
    other.close()
    same(True)
    # on or after the last date the kept audit answers; before it, a new audit that leaves the kept one be
    same(True, last + timedelta(days=30))
    same(True, START + timedelta(days=5))
    assert [f.to_json() for f in b.check()] == anew(large) and kept(b) is run

    # a back-dated act (another writer's: this book's own would read its log whole): audited anew
    other = open_book(large)
    r = other.issue(
        "h0", "common", 11, on=START + timedelta(days=2), price_per_share=PRICE, approved_by=R_ISSUE
    )
    assert not r.refused
    other.close()
    same(False)
    b.close()  # its next act would catch up, reading its log whole: the book opened from its new snapshot instead
    b = streamed(large)
    b.check()
    run = kept(b)
    # an act the governance record keeps (the ids an earlier act may name): audited anew
    resolution = {"id": "R-MORE", "kind": "general", "text": "The officers may open a bank account."}
    r = b.board_act("B-MORE", on=b.last_effective + timedelta(days=1), form="consent", present=["d1"],
                    resolutions=[resolution])  # fmt: skip
    assert not r.refused, r.findings
    same(False)
    run = kept(b)
    # a voiding: audited anew, the voided act's finding gone
    unapproved = next(f["data"]["event"] for f in anew(large) if f["code"] == "MB-APPROVAL-MISSING")
    other = open_book(large)
    r = other.void(
        unapproved, reason="entered in error", on=b.last_effective + timedelta(days=1), historical=True
    )
    assert r.event is not None, r.findings
    other.close()
    same(False)
    assert all(f.get("data", {}).get("event") != unapproved for f in anew(large))
    run = kept(b)


def test_a_check_inside_a_block_sees_its_acts_and_keeps_nothing_of_them(large):
    b = streamed(large)
    b.check()
    run = kept(b)
    with pytest.raises(RuntimeError), b.atomic():
        assert not b.transfer("h0", "h1", "common", 5, on=b.last_effective + timedelta(days=1)).refused
        inside = [
            f.to_json() for f in b.check()
        ]  # the block's act seen, the kept audit neither fed nor replaced
        assert kept(b) is run and len(inside) > len(anew(large)) - 1
        raise RuntimeError("abandon")
    assert [f.to_json() for f in b.check()] == anew(large)
    assert not b.transfer("h1", "h2", "common", 2, on=b.last_effective + timedelta(days=1)).refused
    assert [f.to_json() for f in b.check()] == anew(large)


def test_an_audit_may_go_on_only_with_acts_after_all_it_read_and_every_date_it_asked_about(
    tmp_path, monkeypatch
):
    """`Audit.resumable`, on the seed-stage example's book (its stockholders' written consent asks the book's state on
    its record date): the acts must come after the last one fed, after every date an act's check asked the state
    about (`horizon`), and add nothing to the governance record. A check after an act on a day asked about audits
    anew."""
    from minutebook.book import stories
    from minutebook.governance.story import load

    monkeypatch.setattr(snapshot, "FROM", 10)
    story = load(Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml")
    url = str(tmp_path / "seed.db")
    seed = stories.create_book(story, url)
    assert all(o.ok for o in stories.run(seed, story))
    seed.close()
    open_book(url).close()  # read whole: keeps a snapshot
    b = streamed(url)
    history = list(b.history().events())
    asked: list[date] = []

    def state_at(on: date):
        asked.append(on)
        return b.state(on)

    run = Audit(known_ids(history), state_at)
    run.feed(history)
    assert asked and run.horizon == max(asked)
    assert [f.to_json() for f in run.findings(date.max)] == anew(url)
    last = history[-1]
    assert run.horizon < last.effective_on  # the consent's record date, before the round
    n = b.count
    transfer = SharesTransferred("maya", "omar", "common", 1)
    after = last.effective_on + timedelta(days=1)
    assert run.resumable([Event(transfer, after, seq=n + 1)])
    assert not run.resumable(
        [Event(transfer, last.effective_on - timedelta(days=1), seq=n + 1)]
    )  # before the last
    issue = SharesIssued("maya", "common", 1, PRICE, PRICE, "cash", None, None, (), False, "R-1")
    assert run.resumable([Event(issue, after, seq=n + 1), Event(transfer, after, seq=n + 2)])
    elect = next(e for e in history if e.type == "DirectorsElected")
    assert not run.resumable([Event(elect.body, after, seq=n + 1)])  # the governance record keeps it
    # an act on or before a day a check asked about, though after the last act fed, cannot be gone on with
    run.horizon = after
    assert not run.resumable([Event(transfer, after, seq=n + 1)])
    run.horizon = date.min
    assert run.resumable([Event(transfer, last.effective_on, seq=n + 1)])  # the last day, after its acts

    # the book's own check: a transfer after the round is audited alone, and finds what a new audit finds
    b.check()
    kept_run = kept(b)
    assert kept_run.horizon == max(asked)
    assert not b.transfer("maya", "omar", "common", 1, on=after).refused
    assert [f.to_json() for f in b.check()] == anew(url) and kept(b) is kept_run


class Fed:
    """How many events the audits fed (`Audit.feed`), counted."""

    def __init__(self, monkeypatch):
        self.n = 0
        feed = Audit.feed

        def counting(run, ordered):
            events = list(ordered)
            self.n += len(events)
            return feed(run, events)

        monkeypatch.setattr(Audit, "feed", counting)


def test_a_new_process_goes_on_from_the_audit_kept_in_the_store(large, monkeypatch):
    first = streamed(large)
    want = [f.to_json() for f in first.check()]  # a new audit, kept in the store at the log's head
    assert scalar(first.engine, "SELECT seq FROM audit_snapshots") == first.count
    first.close()
    fed = Fed(monkeypatch)
    b = streamed(large)
    assert [f.to_json() for f in b.check()] == want and fed.n == 0  # no event audited
    b.close()
    other = open_book(large)
    assert not other.transfer("h0", "h1", "common", 5, on=other.last_effective + timedelta(days=1)).refused
    other.close()
    b = streamed(large)
    got = [f.to_json() for f in b.check()]
    assert fed.n == 1 and got == anew(large)  # the new act alone audited
    b.close()
    assert b.verify() == []


def test_a_check_that_goes_on_far_keeps_a_new_audit(large, monkeypatch):
    monkeypatch.setattr(audit_snapshot, "EVERY", 2)
    b = streamed(large)
    b.check()
    at = scalar(b.engine, "SELECT seq FROM audit_snapshots")
    assert not b.transfer("h0", "h1", "common", 5, on=b.last_effective + timedelta(days=1)).refused
    b.check()
    assert scalar(b.engine, "SELECT seq FROM audit_snapshots") == at  # one event on: the stored one stays
    assert not b.transfer("h1", "h2", "common", 5, on=b.last_effective + timedelta(days=1)).refused
    b.check()
    assert scalar(b.engine, "SELECT seq FROM audit_snapshots") == b.count == at + 2


def forged(b, raw, change) -> None:
    """The stored audit's findings changed by `change`, sealed with the book's key (as only the book could)."""
    seq, h, data = (
        scalar(b.engine, f"SELECT {c} FROM audit_snapshots") for c in ("seq", "event_hash", "data")
    )
    run = audit_snapshot.decode(bytes(data), b.state)
    change(run._found)
    data = audit_snapshot.encode(run)
    mac = snapshot._seal(audit_snapshot._key(b.url, b.slug), seq, h, audit_snapshot.CODE, data)
    sql(raw, "UPDATE audit_snapshots SET data = :d, mac = :m", d=data, m=mac)


def test_a_stored_audit_is_read_only_under_the_books_seal_and_by_the_code_that_made_it(
    large, raw, monkeypatch
):
    first = streamed(large)
    want = [f.to_json() for f in first.check()]
    first.close()
    fed = Fed(monkeypatch)
    # an audit with a finding dropped put in its place behind the book's back (not under its seal): audited anew
    run = audit_snapshot.decode(bytes(scalar(raw, "SELECT data FROM audit_snapshots")), first.state)
    run._found.pop()
    sql(raw, "UPDATE audit_snapshots SET data = :d", d=audit_snapshot.encode(run))
    b = streamed(large)
    assert [f.to_json() for f in b.check()] == want and fed.n > 10
    b.close()
    # kept again by that check; made by other code: audited anew
    fed.n = 0
    monkeypatch.setattr(audit_snapshot, "CODE", "0" * 64)
    b = streamed(large)
    assert [f.to_json() for f in b.check()] == want and fed.n > 10
    b.close()


def test_verify_names_a_stored_audit_that_is_not_the_logs_and_rebuild_drops_it(large, raw):
    b = streamed(large)
    b.check()
    assert b.verify() == []
    seq = scalar(b.engine, "SELECT seq FROM audit_snapshots")
    named = [
        f"audit snapshot: the audit kept at event {seq} is not the audit of the log's first {seq} events"
    ]
    # under the book's own seal: a finding dropped; one's message changed; two swapped (out of order)
    changes = (
        lambda found: found.pop(),
        lambda found: found.__setitem__(0, dataclasses.replace(found[0], message="all is well")),
        lambda found: found.reverse(),
    )
    for change in changes:
        forged(b, raw, change)
        assert b.verify() == named
        assert audit_snapshot.keep(
            kept(b), b._queries._audit[0], b.engine, b.corp_id, b.url, b.slug
        )  # the true one
        assert b.verify() == []
    b.close()
    b = streamed(large)
    b.check()
    b.rebuild()
    assert scalar(b.engine, "SELECT COUNT(*) FROM audit_snapshots") == 0 and b.verify() == []
    b.check()  # the audit it holds, kept in the store again
    assert scalar(b.engine, "SELECT seq FROM audit_snapshots") == b.count
    b.close()
