"""Fold snapshots (`book.snapshot`), on SQLite and PostgreSQL: a large book opened by reading its whole log keeps its
fold; the next opening takes it and the events after it, and answers as a book read whole does; a snapshot that is
not sealed by the book's key, made by other fold code, or behind a back-dated or corrected history is set aside;
`verify` names a sealed snapshot that is not the log's fold, and `rebuild` drops it."""

from __future__ import annotations

import gc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from storehelp import approve_issues, drop_append_only, scalar, sql

from minutebook.book import open_book, snapshot
from minutebook.book.folded import Folded, read
from minutebook.core.errors import MinutebookError
from minutebook.core.replay import replay
from minutebook.store import db

START = date(2000, 1, 3)


@pytest.fixture
def big(book, monkeypatch):
    """The Auxer book with a board approval, three holders and issuances on 12 days: 'large' for FROM = 10."""
    monkeypatch.setattr(snapshot, "FROM", 10)
    approve_issues(book, START)
    for h in ("h0", "h1", "h2"):
        book.add_holder(h, h.upper(), on=START)
    for i in range(12):
        r = book.issue(f"h{i % 3}", "common", 1_000 + i, on=START + timedelta(days=i),
                       price_per_share=Decimal("0.001"), approved_by="R-ISSUE")  # fmt: skip
        assert not r.refused, r.findings
    book.close()
    return book


def whole(b) -> Folded:
    f = Folded()
    with db.read(b.engine) as conn:
        read(f, conn, b.corp_id)
    return f


def stored(b) -> int:
    return scalar(b.engine, "SELECT COUNT(*) FROM fold_snapshots") or 0


def test_the_events_a_snapshot_stands_for_are_read_with_the_collector_paused(big):
    """Reading a large log at once (the first view that needs the events of a book opened from its snapshot) makes
    hundreds of thousands of objects: made with the cyclic collector paused (`core.heap.quiet`), which otherwise walks
    them at every pass, and whose later full pass would land in whatever the book is asked next."""
    open_book(big.url).close()  # read whole: keeps a snapshot
    again = open_book(big.url)
    fetch = again._log._fetch
    assert fetch is not None
    seen: list[bool] = []

    def spy(base: int):
        seen.append(gc.isenabled())
        return fetch(base)

    again._log._fetch = spy
    assert [e.seq for e in again.events] == [e.seq for e in whole(again).events]
    assert seen == [False] and gc.isenabled()


def test_a_large_book_keeps_its_fold_and_the_next_opening_takes_it(big):
    assert stored(big) == 0
    first = open_book(big.url)  # read whole: keeps a snapshot
    assert stored(big) == 1
    n = len(first.events)
    first.close()
    again = open_book(big.url)
    assert again._log._fetch is not None  # opened from the snapshot: no event read yet
    assert again._log.count == n and again.name == first.name
    table = again.cap_table(date(2030, 1, 1)).to_json()
    assert table == whole_table(big)
    # an act on the book opened from the snapshot, then its events asked for
    r = again.issue("h1", "common", 7, on=START + timedelta(days=20), price_per_share=Decimal("0.001"),
                    approved_by="R-ISSUE")  # fmt: skip
    assert not r.refused, r.findings
    assert [e.seq for e in again.events] == list(range(1, n + 2))
    again.close()
    third = open_book(big.url)  # the snapshot and one event after it
    assert third._log.count == n + 1
    assert [e.seq for e in third.events] == [e.seq for e in whole(third).events]
    w = whole(third)
    assert (third._log.build, third._log.record, third._log.last, third._log.names) == (
        w.build,
        w.record,
        w.last,
        w.names,
    )
    assert third.verify() == []


def whole_table(b) -> dict:
    from minutebook.core.captable import cap_table
    from minutebook.core.replay import freeze

    f = whole(b)
    return cap_table(freeze(f.build, date(2030, 1, 1))).to_json()


def reseal(b, raw, data: bytes) -> int:
    """Put `data` in place of the book's snapshot, sealed with the book's key (as only the book could); its sequence."""
    seq, h = (
        scalar(b.engine, "SELECT seq FROM fold_snapshots"),
        scalar(b.engine, "SELECT event_hash FROM fold_snapshots"),
    )
    mac = snapshot._seal(snapshot._key(b.url, b.slug), seq, h, snapshot.CODE, data)
    sql(raw, "UPDATE fold_snapshots SET data = :d, mac = :m", d=data, m=mac)
    return seq


def test_a_snapshot_is_used_only_under_the_books_seal(big, raw, monkeypatch):
    open_book(big.url).close()
    # a fold with another name, sealed with the book's key: used (this is how we know the snapshot is read) ...
    build, record, last, names, fixes = snapshot.decode(
        bytes(scalar(big.engine, "SELECT data FROM fold_snapshots"))
    )
    forged = snapshot.encode(replace_name(build, "Forged Name, Inc."), record, last, names, fixes)
    s = reseal(big, raw, forged)
    b = open_book(big.url)
    assert b.name == "Forged Name, Inc."
    assert any(p.startswith(f"snapshot: the fold kept at event {s}") for p in b.verify())
    b.rebuild()
    assert stored(big) == 0
    b.close()
    assert open_book(big.url).name != "Forged Name, Inc."  # read whole again (and a new snapshot kept)
    # ... edited bytes without the seal: set aside, the log read whole
    sql(raw, "UPDATE fold_snapshots SET data = :d", d=forged)
    assert open_book(big.url).name != "Forged Name, Inc."
    assert open_book(big.url).verify() == []  # a snapshot whose seal fails is never used: nothing to name
    # other fold code: set aside
    sql(raw, "DELETE FROM fold_snapshots")
    open_book(big.url).close()
    monkeypatch.setattr(snapshot, "CODE", "0" * 64)
    assert open_book(big.url)._log._fetch is None


def replace_name(build, name):
    build.name = name
    return build


def test_without_the_key_file_the_snapshot_is_never_read(big, monkeypatch, tmp_path):
    open_book(big.url).close()
    monkeypatch.setenv("MINUTEBOOK_KEY_DIR", str(tmp_path / "elsewhere"))
    b = open_book(big.url)
    assert b._log._fetch is None and len(b.events) > 10


def test_a_back_dated_act_after_the_snapshot_makes_the_book_read_whole(big):
    open_book(big.url).close()
    b = open_book(big.url)
    assert b._log._fetch is not None
    r = b.issue("h2", "common", 3, on=START, price_per_share=Decimal("0.001"), approved_by="R-ISSUE")
    assert not r.refused, r.findings
    b.close()
    again = open_book(big.url)
    assert again._log._fetch is None  # the event after the snapshot is earlier than its last date
    assert [e.seq for e in again.events] == [e.seq for e in whole(again).events]


def test_the_names_a_command_checks_read_no_event_when_an_act_is_scheduled(big, monkeypatch):
    """`cli.book_common.known` (what a writing command checks the names and dates a user gives against) on a book
    holding an act scheduled after today: from the fold (`Book.names`), on a book opened from its snapshot, without
    reading an event; the latest dates are those on or before today, as `known_from_events` finds them."""
    from minutebook.cli.book_common import known, known_from_events
    from minutebook.store import log

    later = date.today() + timedelta(days=30)
    b = open_book(big.url)
    r = b.issue("h0", "common", 5, on=later, price_per_share=Decimal("0.001"), approved_by="R-ISSUE",
                scheduled=True)  # fmt: skip
    assert not r.refused, r.findings
    b.close()
    open_book(big.url).close()
    again = open_book(big.url)
    assert again._log._fetch is not None and again.last_effective == later  # from the snapshot
    loads: list = []
    real = log.load
    monkeypatch.setattr(log, "load", lambda *a, **k: loads.append(a) or real(*a, **k))
    got = known(again)
    assert loads == [] and again._log._fetch is not None  # no event read
    assert got.last_on == got.last_act_on == START + timedelta(days=11)  # the scheduled act is not yet
    assert got == known_from_events(again)
    assert loads  # ... which reads them (so the count above would have seen a read)


@pytest.mark.parametrize("damage", ["payload = '{'", "type = 'NoSuchEvent'"])
def test_a_damaged_event_after_the_snapshot_is_named_not_fatal(big, raw, damage):
    """An event after the snapshot that no longer reads (its payload edited behind minutebook's back): the book opens
    as a book read whole does on such a row — empty, with the load error — rather than failing with the driver's or
    the decoder's error; `verify` names the row."""
    open_book(big.url).close()  # keeps the snapshot
    b = open_book(big.url)
    r = b.issue("h1", "common", 9, on=START + timedelta(days=30), price_per_share=Decimal("0.001"),
                approved_by="R-ISSUE")  # fmt: skip
    assert not r.refused, r.findings
    seq = r.event.seq
    b.close()
    drop_append_only(raw)
    sql(raw, f"UPDATE events SET {damage} WHERE seq = {seq}")
    again = open_book(big.url)
    assert again.load_error and "cannot be read" in again.load_error and "verify" in again.load_error
    assert any(f"event {seq}" in p for p in again.verify())


def test_a_damaged_event_the_snapshot_stands_for_is_named_when_the_events_are_read(big, raw):
    """An event before the snapshot edited behind minutebook's back: the book opens from the snapshot (its events are
    read only when asked for); asking for them says, in one line, that the log cannot be read — and the book answers
    nothing more from then on — rather than failing with the decoder's error. `verify` names the row."""
    open_book(big.url).close()  # keeps the snapshot
    drop_append_only(raw)
    sql(raw, "UPDATE events SET payload = '{' WHERE seq = 5")
    b = open_book(big.url)
    assert b._log._fetch is not None  # from the snapshot: no event read yet
    with pytest.raises(
        MinutebookError, match=r"^the event log cannot be read \(.*\); run `minutebook verify`$"
    ):
        _ = b.events
    with pytest.raises(MinutebookError, match="cannot be read"):
        b.cap_table()
    assert any(p.startswith("event 5") for p in b.verify())


def test_the_events_read_from_the_log_share_their_days(big):
    """One `date` per day across the events read (`core.heap.day`): the fold and its snapshot keep them shared."""
    b = open_book(big.url)
    events = whole(b).events
    days = {}
    for e in events:
        assert days.setdefault(e.effective_on, e.effective_on) is e.effective_on
    assert len(days) < len(events)


def test_the_state_on_or_after_the_last_date_is_the_fold_and_reads_no_event(big):
    """`Book.state` at the latest date or later (or with none) is the book's fold, copied: the replay of the whole log,
    without reading it (a large book's `holders` replayed its million events twice, and each holder's once more)."""
    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    last = b.last_effective
    days = (None, last, last + timedelta(days=30))
    got = [b.state(d) for d in days]
    assert b._log._fetch is not None  # opened from the snapshot, and still no event read
    assert got == [replay(b.events, d or date.max) for d in days]
    assert b.state(last - timedelta(days=1)) == replay(
        b.events, last - timedelta(days=1)
    )  # before it: replayed
    b.issue("h0", "common", 5, on=last, price_per_share=Decimal("0.001"), approved_by="R-ISSUE")
    assert (
        got[0] != b.state() == replay(b.events, date.max)
    )  # a copy: the book moved on, the state taken did not


def test_a_book_opened_from_its_snapshot_checks_the_history_streamed_as_a_book_read_whole(big):
    """`check` of a book opened from its snapshot reads the history from the store as it goes (twice: the acts the
    governance record keeps, then all of it), never holding it; its findings, on any date, are those of the same book
    with its history held."""
    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    r = b.issue(
        "h1", "common", 7, on=START + timedelta(days=20), price_per_share=Decimal("0.001"), historical=True
    )
    assert not r.refused and any(f.code == "MB-APPROVAL-MISSING" for f in r.findings)
    streamed = open_book(big.url)
    held = open_book(big.url)
    assert len(held.events) > 10 and held._log.in_memory
    for day in (None, START + timedelta(days=5), START + timedelta(days=30)):
        got = streamed.check(as_of=day)
        assert not streamed._log.in_memory  # nothing read into the book
        assert got == held.check(as_of=day) and got, day
    assert any(f.code == "MB-APPROVAL-MISSING" for f in streamed.check())


def test_a_book_opened_from_its_snapshot_finds_an_event_by_sequence_without_reading_its_history(big):
    """`Book.event(seq)` of a book opened from its snapshot reads that one row (and the corrections) from the store:
    the same event as the book with its history held finds, and the history stays in the store. Once a correction is
    appended the book folds its history again (held), and finds each event as corrected."""
    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    n = b.count
    for seq in (0, 1, n // 2, n, n + 1):
        assert b.event(seq) == open_book(big.url).events[seq - 1] if 1 <= seq <= n else b.event(seq) is None
    assert not b._log.in_memory
    issued = next(e.seq for e in open_book(big.url).events if e.type == "SharesIssued")
    holder = next(e.seq for e in open_book(big.url).events if e.type == "StakeholderAdded")
    assert not b.correct(
        holder, {"name": "Renamed"}, reason="misspelt", on=START + timedelta(days=40)
    ).refused
    r = b.void(
        issued, reason="never made", on=START + timedelta(days=40), approved_by="R-ISSUE", historical=True
    )
    assert not r.refused, r.findings
    held = open_book(big.url)
    assert b._log.in_memory
    for seq in range(0, b.count + 2):
        assert b.event(seq) == next((e for e in held.events if e.seq == seq), None), seq
    assert b.event(holder).body.name == "Renamed" and b.event(issued) is None
    assert b.event(str(holder)) is None and b.event(None) is None


def test_many_events_asked_one_by_one_read_the_history_once(big, monkeypatch):
    """Past `POINT_READS` events read one by one (every finding's event, for a large book's cures), `Book.event`
    reads the history into the book once and finds the rest there: the same events either way."""
    from minutebook.book import facade

    monkeypatch.setattr(facade, "POINT_READS", 3)
    open_book(big.url).close()  # read whole: keeps a snapshot
    b, held = open_book(big.url), open_book(big.url)
    got = []
    for seq in range(1, 6):
        got.append(b.event(seq))
        assert b._log.in_memory == (seq > 3), seq
    assert got == list(held.events[:5])


def test_a_book_opened_from_its_snapshot_draws_its_certificate_register_from_the_store(big):
    """The certificate register of a book opened from its snapshot folds the ledger's acts as they stream from the
    store, never holding the history: the register of the book with its history held, on any date and class (the
    certificates issued before the snapshot and after it, one transferred with a balance certificate, one
    cancelled)."""
    b = open_book(big.url)
    on = START + timedelta(days=12)
    for n, h in (("C-1", "h0"), ("C-2", "h1")):
        r = b.issue(
            h, "common", 500, on=on, price_per_share=Decimal("0.001"), approved_by="R-ISSUE", certificate=n
        )
        assert not r.refused, r.findings
    b.close()
    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    later = START + timedelta(days=20)
    acts = [
        b.transfer("h0", "h2", "common", 200, on=later, certificate="C-1", new_certificate="C-3",
                   balance_certificate="C-4"),
        b.cancel("h1", "common", 500, on=later, certificate="C-2"),
        b.issue("h2", "common", 50, on=later, price_per_share=Decimal("0.001"), approved_by="R-ISSUE",
                certificate="C-5"),
    ]  # fmt: skip
    assert not any(r.refused for r in acts), [r.findings for r in acts]
    b.close()
    streamed, held = open_book(big.url), open_book(big.url)
    assert len(held.events) > 10
    for day in (None, START, START + timedelta(days=5), START + timedelta(days=30)):
        for cls in (None, "common", "preferred"):
            got = streamed.certificates(day, cls)
            assert got == held.certificates(day, cls), (day, cls)
    assert {(c.number, c.status) for c in streamed.certificates()} == {
        ("C-1", "surrendered"), ("C-2", "cancelled"), ("C-3", "outstanding"), ("C-4", "outstanding"),
        ("C-5", "outstanding"),
    }  # fmt: skip
    assert not streamed._log.in_memory


def test_a_book_opened_from_its_snapshot_answers_the_tax_and_the_calendar_from_its_store(
    tmp_path, monkeypatch
):
    """The franchise tax and the compliance calendar of a book opened from its snapshot read the store (the charter's
    events and the meetings by type, the shares from the ledger projection, the ledger's sequences without their
    bodies), never its history: the same answers as the book with its history held, for every tax year of the seed
    story (a change of name and of authorized shares part way through one, gross assets recorded, the plan's
    stockholder approval), and a past date's state replayed from the store as it streams."""
    from minutebook.core.events import GrossAssetsReported
    from minutebook.core.timeline import Timeline
    from minutebook.governance.calendar import deadlines
    from minutebook.tax import franchise_tax

    b = seed_book(tmp_path, monkeypatch)
    for year, assets in ((2023, "2500000"), (2024, "2100000")):
        assert not b.record(GrossAssetsReported(year, Decimal(assets)), date(year + 1, 2, 1)).refused
    r = b.file_amendment(on=date(2025, 8, 1), authorized={"common": 40_000_000}, name="Seed Renamed, Inc.",
                         historical=True)  # fmt: skip
    assert r.event is not None, r.findings
    url = b.url
    b.close()
    open_book(url).close()  # read whole: keeps a snapshot
    streamed, held = open_book(url), open_book(url)
    assert len(held.events) > 10 and held._log.in_memory and isinstance(held.timeline(), Timeline)
    for year in (2023, 2024, 2025, 2026):
        for what_if in (None, 90_000_000):
            got = franchise_tax(streamed, year, what_if_authorized=what_if)
            want = franchise_tax(held, year, what_if_authorized=what_if)
            assert got.to_json() == want.to_json() and got.explain() == want.explain(), (year, what_if)
    split = franchise_tax(
        streamed, 2025
    )  # the amendment starts a second period; each names the ledger's events
    assert len(split.periods) == 2 and split.explain().count("stock ledger replayed to") == 2
    for start, end in ((date(2023, 1, 1), date(2027, 12, 31)), (date(2024, 6, 1), date(2024, 12, 31))):
        got = deadlines(streamed.timeline(), start, end)
        assert got == deadlines(held.events, start, end) and got
    day = date(2024, 3, 1)
    assert streamed.state(day) == replay(held.events, day)
    assert not streamed._log.in_memory  # nothing read into the book


def test_the_sequences_a_stored_timeline_gives_are_the_held_ones(big, monkeypatch):
    """`seqs(types, on)` of a book opened from its snapshot (counted by date in the store, the first ones read as far
    as they are looked at, `FIRST` at first and twice as many each time) is the held history's list on every date:
    its length, every item, slices and negative indexes, and an index beyond it raises as a list's does."""
    from minutebook.book import timeline
    from minutebook.core.events import SharesIssued, StakeholderAdded
    from minutebook.core.timeline import Timeline

    monkeypatch.setattr(timeline, "FIRST", 2)
    open_book(big.url).close()  # read whole: keeps a snapshot
    stored = open_book(big.url).timeline()
    held = Timeline(open_book(big.url).events)
    assert isinstance(stored, timeline.StoredTimeline)
    for types in ((SharesIssued,), (SharesIssued, StakeholderAdded)):
        for day in (START - timedelta(days=1), START, START + timedelta(days=5), START + timedelta(days=40)):
            got, want = stored.seqs(types, day), list(held.seqs(types, day))
            assert len(got) == len(want) and list(got) == want, (types, day)
            assert got[:3] == want[:3] and got[1::2] == want[1::2] and got[-2:] == want[-2:]
            if want:
                assert got[-1] == want[-1] and got[0] == want[0]
            with pytest.raises(IndexError):
                got[len(want)]


def seed_book(tmp_path, monkeypatch):
    """The seed-stage example's book ('large' for FROM = 10): directors, officers, consents, a plan, a round."""
    from minutebook.book import stories
    from minutebook.governance.story import load

    monkeypatch.setattr(snapshot, "FROM", 10)
    story = load(Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml")
    b = stories.create_book(story, str(tmp_path / "seed.db"))
    assert all(o.ok for o in stories.run(b, story))
    return b


def test_a_book_opened_from_its_snapshot_answers_who_was_in_office_on_a_past_date_from_the_store(
    tmp_path, monkeypatch
):
    """The directors, officers and board size on a past date of a book opened from its snapshot are folded from the
    history as it streams from the store: those of the book with its history held, on every day an event is
    effective (and the day before), and the history is never read into the book."""
    b = seed_book(tmp_path, monkeypatch)
    for person, title, on in (
        ("maya", "President", date(2023, 1, 10)),
        ("omar", "Secretary", date(2024, 2, 1)),
    ):
        r = b.appoint_officer(person, person.title(), [title], on=on, historical=True)
        assert r.event is not None, r.findings
    url = b.url
    b.close()
    open_book(url).close()  # read whole: keeps a snapshot
    streamed, held = open_book(url), open_book(url)
    days = sorted({e.effective_on for e in held.events})
    assert held._log.in_memory and len(days) > 5
    for day in [d for x in days for d in (x - timedelta(days=1), x)]:
        assert streamed.directors(day) == held.directors(day), day
        assert streamed.officers(day) == held.officers(day), day
        assert streamed.board_size(day) == held.board_size(day), day
    assert any(streamed.directors(d) for d in days) and any(streamed.officers(d) for d in days)
    assert not streamed._log.in_memory  # nothing read into the book


def test_a_book_opened_from_its_snapshot_tells_whether_it_has_an_event_without_reading_it(big, monkeypatch):
    """`Book.has_event(seq)` is `event(seq) is not None` on every sequence (0, beyond the end, not an int), and a book
    opened from its snapshot answers it without reading an event (the cures of a large book's findings ask it of each):
    no event read one by one, the history never held. Once an event is voided (the book then holds its history) the
    voided one is not there."""
    from minutebook.book import facade

    open_book(big.url).close()  # read whole: keeps a snapshot
    b, held = open_book(big.url), open_book(big.url)
    assert held.events and held._log.in_memory and not b._log.in_memory
    n = b.count
    read: list[int] = []
    one = facade.History.one
    monkeypatch.setattr(facade.History, "one", lambda self, seq: read.append(seq) or one(self, seq))
    for seq in (-1, 0, 1, 2, n // 2, n, n + 1, "3", True, None):
        assert b.has_event(seq) == (held.event(seq) is not None), seq
    assert (
        read == [n + 1] and not b._log.in_memory
    )  # only beyond the end (another writer's?) is the store asked
    issued = next(e.seq for e in held.events if e.type == "SharesIssued")
    r = b.void(
        issued, reason="never made", on=START + timedelta(days=40), approved_by="R-ISSUE", historical=True
    )
    assert not r.refused, r.findings
    assert not b.has_event(issued) and b.has_event(issued + 1) and b.has_event(b.count)


def test_a_book_opened_from_its_snapshot_reads_none_of_its_logs_corrections_until_one_is_appended(
    big, monkeypatch
):
    """A book opened from its snapshot knows its log holds no correction up to where it read: its history streams
    read none (no scan of the log for them); once another writer appends one, the next stream reads the corrections
    appended since, on the log's index, and applies them."""
    from minutebook.store import log

    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    assert not b._log.in_memory
    asked = []
    real = log.stream
    monkeypatch.setattr(
        log, "stream", lambda *a, **k: asked.append((k.get("types"), k.get("after_seq"))) or real(*a, **k)
    )
    n = b.count
    first = [e.seq for e in b.history().events(types=("SharesIssued",))]
    assert len(first) == 12 and b.history().last_date() == START + timedelta(days=11)
    assert not [t for t, _ in asked if t == ("Correction",)]  # none read
    assert b.corrected_by() == {} and not b._log.in_memory
    other = open_book(big.url)
    later = START + timedelta(days=12)
    r = other.void(first[-1], reason="never made", on=later, approved_by="R-ISSUE", historical=True)
    assert not r.refused, r.findings
    got = [e.seq for e in b.history().events(types=("SharesIssued",))]
    assert got == first[:-1] and (("Correction",), n) in asked
    assert b.history().last_date() == later  # the voiding's own date
    assert list(b.corrected_by()) == [first[-1]] and not b._log.in_memory
    asked.clear()
    assert [e.seq for e in b.history().events(types=("SharesIssued",))] == first[:-1]
    assert not [t for t, _ in asked if t == ("Correction",)]  # kept since


def test_a_book_whose_log_holds_corrections_opens_from_its_snapshot_and_answers_as_held(
    big, raw, monkeypatch
):
    """A large book with a voided issuance and a corrected one keeps a snapshot on its first opening, its corrections
    in it, and opens from it after: each event, the corrections, the cap table and the state on every day an event is
    effective (and the day before), the check, the certificates, the tax and the calendar are those of the same book
    with its history held, without reading that history into the book; verify finds nothing. A snapshot sealed with
    the book's key but without its corrections is named by verify."""
    from minutebook.book import timeline
    from minutebook.core.events import SharesIssued, StakeholderAdded
    from minutebook.core.replay import replay
    from minutebook.core.timeline import Timeline
    from minutebook.governance.calendar import deadlines
    from minutebook.tax import franchise_tax

    b = open_book(big.url)
    issued = [e.seq for e in b.events if e.type == "SharesIssued"]
    on = START + timedelta(days=20)
    assert not b.void(issued[0], reason="never made", on=on, approved_by="R-ISSUE", historical=True).refused
    assert not b.correct(issued[1], {"shares": 999}, reason="a typo", on=on, historical=True).refused
    b.close()
    open_book(big.url).close()  # read whole: keeps a snapshot, corrections and all
    assert stored(big) == 1
    s, held = open_book(big.url), open_book(big.url)
    assert s._log._fetch is not None and len(held.events) > 10 and held._log.in_memory
    assert s.corrected_by() == held.corrected_by() and set(s.corrected_by()) == set(issued[:2])
    for seq in range(0, s.count + 2):
        assert s.event(seq) == held.event(seq) and s.has_event(seq) == (held.event(seq) is not None), seq
    days = sorted({e.effective_on for e in held.events})
    for day in [*days, *(d - timedelta(days=1) for d in days)]:
        assert s.cap_table(day).to_json() == held.cap_table(day).to_json(), day
        assert s.state(day) == held.state(day) == replay(held.events, day), day
    assert s.check() == held.check() and s.certificates() == held.certificates()
    year = 2020  # the rate data's years: the book as it stood after its last event
    assert franchise_tax(s, year).to_json() == franchise_tax(held, year).to_json()
    monkeypatch.setattr(timeline, "FIRST", 1)  # the voided events skipped however far the sequences are read
    kept, whole = s.timeline(), Timeline(held.events)
    assert isinstance(kept, timeline.StoredTimeline)
    for day in [*days, START - timedelta(days=1)]:
        for types in ((SharesIssued,), (SharesIssued, StakeholderAdded)):
            got, want = kept.seqs(types, day), list(whole.seqs(types, day))
            assert len(got) == len(want) and list(got) == want and got[-1:] == want[-1:], (types, day)
    assert deadlines(s.timeline(), START, START + timedelta(days=800)) == deadlines(
        held.events, START, START + timedelta(days=800)
    )
    assert not s._log.in_memory  # all of it streamed from the store
    assert s.verify() == []
    assert s.events == held.events and s.log == held.log  # the history read into the book, now: as corrected
    assert s.cap_table(date(2030, 1, 1)).to_json() == whole_table(s) and s.event(issued[1]).body.shares == 999
    # the same fold sealed with the book's key, its corrections left out: verify names it
    data = bytes(scalar(big.engine, "SELECT data FROM fold_snapshots"))
    build, record, last, names, fixes = snapshot.decode(data)
    assert set(fixes) == set(issued[:2])
    seq = reseal(big, raw, snapshot.encode(build, record, last, names, {}))
    assert any(p.startswith(f"snapshot: the fold kept at event {seq}") for p in open_book(big.url).verify())


def test_a_correction_written_keeps_the_fold_it_made_so_the_next_opening_reads_no_event(big):
    """A correction folds a large book's whole history again where it is written: the book keeps that fold as its
    snapshot there and then (a correction after the snapshot would otherwise make the next opening read the log
    whole), so the next opening reads it and no event; inside an `atomic()` block it keeps none (not yet committed)."""
    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    issued = [e.seq for e in b.history().events(types=("SharesIssued",))]
    assert not b.void(issued[0], reason="never made", approved_by="R-ISSUE", historical=True).refused
    assert scalar(big.engine, "SELECT seq FROM fold_snapshots") == b.count
    again = open_book(big.url)
    assert again._log._fetch is not None and again.count == b.count  # from the snapshot, nothing after it
    assert issued[0] not in [e.seq for e in again.history().events(types=("SharesIssued",))]
    assert again.cap_table().to_json() == open_book(big.url).cap_table().to_json()
    with again.atomic():
        assert not again.correct(issued[1], {"shares": 7}, reason="a typo", historical=True).refused
    assert scalar(big.engine, "SELECT seq FROM fold_snapshots") == b.count  # the block's: none kept
    assert open_book(big.url).event(issued[1]).body.shares == 7


def test_the_certificate_register_of_a_book_that_never_issued_one_reads_no_event(big, monkeypatch):
    """A book opened from its snapshot whose fold holds no certificate answers an empty register without reading the
    log, as long as the log is as it read it; once another writer issues a certificate, it reads the store."""
    from minutebook.book import history

    open_book(big.url).close()  # read whole: keeps a snapshot
    b = open_book(big.url)
    streamed = []
    real = history.History.events
    monkeypatch.setattr(
        history.History, "events", lambda self, *a, **k: streamed.append(a) or real(self, *a, **k)
    )
    assert b.certificates() == () and not streamed
    other = open_book(big.url)
    r = other.issue("h1", "common", 10, on=START + timedelta(days=30), price_per_share=Decimal("0.001"),
                    approved_by="R-ISSUE", certificate="CS-77")  # fmt: skip
    assert not r.refused, r.findings
    assert [c.number for c in b.certificates()] == ["CS-77"] and streamed
    assert [c.number for c in open_book(big.url).certificates()] == ["CS-77"]
