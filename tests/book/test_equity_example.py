"""The worked example of examples/seed-stage-company.yaml, checked against figures worked by hand.

The company before its Series A (2025-03-03):
  founders            maya 5,400,000 + omar 3,600,000        = 9,000,000 common outstanding
  plan P-2023         1,000,000 reserved; O-1 to lena 200,000 → 800,000 available, 200,000 options
  fully diluted  F  = 9,000,000 + 200,000 + 800,000           = 10,000,000   (the pool is 10 % of it)
  SAFE-1  $500,000   post-money cap  $5,000,000
  SAFE-2  $1,000,000 post-money cap $10,000,000, 20 % discount
Series A: $4,000,000 from lead at $16,000,000 pre-money, unissued pool 10 % post-money.

The SAFEs (YC post-money: cap price = cap / C, C = F + every converting security's shares, without the pool top-up):
  at the caps SAFE-1 buys 500,000/5,000,000 = 10 % of C and SAFE-2 1,000,000/10,000,000 = 10 % of C, so
  C = F / (1 − 0.10 − 0.10) = 10,000,000 / 0.8 = 12,500,000
  SAFE-1: price 5,000,000 / 12,500,000 = $0.4000, shares 500,000 / 0.4 = 1,250,000
  SAFE-2: price 10,000,000 / 12,500,000 = $0.8000, shares 1,000,000 / 0.8 = 1,250,000
          (its discount price, 0.8 × the round price $1.1965 = $0.9572, is higher: the cap applies)
  check: 10,000,000 + 1,250,000 + 1,250,000 = 12,500,000 = C.
The round (pool top-up P and the SAFEs in the pre-money; prices down to $0.0001, shares down, P up):
  pre-money shares  = F + P + 2,500,000 = 12,500,000 + P
  post-money shares T = pre-money shares + floor(4,000,000 / price)
  P = ceil(0.10 × T − 800,000)
  without rounding T = 1.25 × (12,500,000 + P) (post/pre = 20/16), so P = 0.125 × (12,500,000 + P) − 800,000,
  0.875 P = 762,500, P ≈ 871,428.6; with the rounding the fixed point is P = 871,454:
  pre-money shares  = 12,500,000 + 871,454 = 13,371,454
  price             = 16,000,000 / 13,371,454 = 1.19657… → $1.1965
  lead's shares     = floor(4,000,000 / 1.1965) = 3,343,083   (1.1965 × 3,343,083 = 3,999,998.81;
                                                                 one more share would cost 4,000,000.01)
  T                 = 13,371,454 + 3,343,083 = 16,714,537
  P                 = ceil(0.10 × 16,714,537 − 800,000) = ceil(871,453.7) = 871,454   ✓ (the fixed point)
  pool after        = 800,000 + 871,454 = 1,671,454 = 10.0000 % of T
  plan reserve      = 1,000,000 + 871,454 = 1,871,454
After the round, fully diluted: 9,000,000 common + 5,843,083 Series A (3,343,083 + 1,250,000 + 1,250,000) as
converted + 200,000 options + 1,671,454 pool = 16,714,537 = T.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from minutebook.book import stories
from minutebook.governance.story import load

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml"
BEFORE, CLOSING = date(2025, 3, 2), date(2025, 3, 3)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    story = load(EXAMPLE)
    b = stories.create_book(story, str(tmp_path_factory.mktemp("seed") / "seed.db"))
    outcomes = stories.run(b, story)
    assert all(o.ok for o in outcomes), [p for o in outcomes for p in o.problems]
    assert stories.check_end(b, story) == []
    yield b
    b.close()


def test_before_the_round(book):
    fd = book.fully_diluted(BEFORE)
    assert (fd.outstanding, fd.options, fd.pool_available, fd.total) == (
        9_000_000,
        200_000,
        800_000,
        10_000_000,
    )
    assert [(c.id, c.amount) for c in fd.convertibles] == [("SAFE-1", D("500000")), ("SAFE-2", D("1000000"))]
    # the option on its date: 200,000 × 24/48 vested on 2025-02-15 (two years from the grant), 100,000
    (o1,) = book.awards(BEFORE)
    assert (o1.vested, o1.exercisable, o1.outstanding) == (100_000, 100_000, 200_000)


def test_the_round_as_modelled(book):
    m = book.pro_forma(
        pre_money=D("16000000"), investors={"lead": D("4000000")}, pool_target=D("0.10"), on=BEFORE
    )
    assert m.price == D("1.1965")
    assert m.pool_top_up == 871_454 and m.pool_after == 1_671_454
    assert m.pre_money_shares == 13_371_454 and m.post_money_shares == 16_714_537
    assert m.new_shares == (("lead", 3_343_083),)
    assert [(c.id, c.price, c.shares, c.basis) for c in m.conversions] == [
        ("SAFE-1", D("0.4000"), 1_250_000, "cap"),
        ("SAFE-2", D("0.8000"), 1_250_000, "cap"),
    ]


def test_after_the_round(book):
    fd = book.fully_diluted(CLOSING)
    rows = {r.holder_id: r.total for r in fd.rows}
    assert rows == {
        "maya": 5_400_000,
        "omar": 3_600_000,
        "lead": 3_343_083,
        "north": 1_250_000,
        "priya": 1_250_000,
        "lena": 200_000,
    }
    assert (fd.outstanding, fd.options, fd.pool_available, fd.total) == (
        14_843_083,
        200_000,
        1_671_454,
        16_714_537,
    )
    assert fd.convertibles == ()  # both converted
    assert fd.pools == (("P-2023", 1_871_454, 200_000, 1_671_454),)
    # percentages of the fully diluted total: maya 5,400,000 / 16,714,537 = 32.30720…%
    assert next(r.percent for r in fd.rows if r.holder_id == "maya") == D("32.3072")
    pref = next(c for c in fd.by_class if c.class_key == "preferred")
    assert (pref.outstanding, pref.as_converted) == (5_843_083, 5_843_083)
    # the outstanding cap table agrees, and its fully diluted count is the same total
    ct = book.cap_table(CLOSING)
    assert ct.outstanding == 14_843_083 and ct.fully_diluted == 16_714_537


def test_fully_diluted_on_past_dates_needs_no_replay_and_agrees_with_one(book):
    """A past date's fully diluted table (the ledger projection and the dated equity fold) is the one a replay of
    the log to that date gives, on every date an event happened and the day before it."""
    from datetime import timedelta

    from minutebook.core.captable import fully_diluted
    from minutebook.core.replay import replay

    days = sorted({e.effective_on for e in book.events})
    for d in sorted({*days, *(x - timedelta(days=1) for x in days)}):
        assert book.fully_diluted(d) == fully_diluted(replay(book.events, d), d), d
