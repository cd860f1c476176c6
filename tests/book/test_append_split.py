"""How a large batch's bodies are shared between the writer and the child that checks it (`append.writer_encodes`):
the writer encodes the first ones itself, the child the rest before it checks, so that both end together. The
write is the same whatever the split (tests/ocf/test_ocf_import_snapshot.py writes packages with each)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from minutebook.book import append
from minutebook.core.events import AwardGranted, Event, SharesIssued

ON = date(2020, 1, 2)


def issued(i: int) -> Event:
    return Event(SharesIssued(f"h{i}", "common", 100, Decimal("0.01"), Decimal("1.00")), ON)


def granted(i: int) -> Event:
    return Event(AwardGranted(f"O-{i}", f"h{i}", "option", 100, "common"), ON)


def test_a_stock_ledger_leaves_the_child_most_bodies_to_encode():
    events = [issued(i) for i in range(50_000)]
    assert append.writer_encodes(events) == int(50_000 * append.AHEAD)


def test_an_import_mostly_of_options_leaves_the_writer_more_than_half_and_the_child_some():
    events = [issued(i) if i % 4 == 0 else granted(i) for i in range(50_000)]  # three in four of them grants
    assert 25_000 < append.writer_encodes(events) < 50_000


def test_the_writer_never_encodes_more_than_the_batch():
    assert append.writer_encodes([granted(i) for i in range(1_000)]) <= 1_000


def test_the_writer_takes_more_as_the_batch_holds_more_equity_compensation():
    shares = []
    for every in (20, 10, 6, 4):
        events = [granted(i) if i % every == 0 else issued(i) for i in range(60_000)]
        shares.append(append.writer_encodes(events))
    assert shares == sorted(shares) and shares[0] < shares[-1] <= 60_000
    assert all(int(60_000 * append.AHEAD) <= s for s in shares)
