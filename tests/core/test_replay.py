"""Replay is a pure fold: balances, issued and treasury shares, certificates and splits on any date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from minutebook.core.captable import cap_table
from minutebook.core.codec import version_from_dict, version_to_dict
from minutebook.core.events import (
    Correction,
    Event,
    Incorporated,
    SharesCancelled,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StakeholderAdded,
    StockSplit,
    body_from_payload,
)
from minutebook.core.replay import Replayer, replay

CHARTER = {
    "name": "Acme, Inc.",
    "capital": {
        "total_authorized": 1_500,
        "blank_check_holder": "board of directors",
        "classes": [
            {
                "key": "common",
                "name": "Common Stock",
                "kind": "common",
                "authorized": 1_000,
                "par_value": "0.01",
            },
            {
                "key": "preferred",
                "name": "Preferred Stock",
                "kind": "preferred",
                "authorized": 500,
                "par_value": "0.01",
            },
        ],
    },
}
D = date(2020, 1, 1)


def ev(seq, body, on):
    return Event(body, on, seq=seq)


def stream():
    p = Decimal("0.01")
    return [
        ev(1, Incorporated("Acme, Inc.", "Delaware", CHARTER), D),
        ev(2, StakeholderAdded("a", "Ann"), D),
        ev(3, StakeholderAdded("b", "Bo"), D),
        ev(4, SharesIssued("a", "common", 600, p, p * 600, certificate="C-1"), date(2020, 2, 1)),
        ev(5, SharesIssued("b", "common", 200, p, p * 200), date(2020, 3, 1)),
        ev(
            6,
            SharesTransferred(
                "a", "b", "common", 100, certificate="C-1", new_certificate="C-2", balance_certificate="C-3"
            ),
            date(2020, 4, 1),
        ),
        ev(7, SharesRepurchased("b", "common", 50, p), date(2020, 5, 1)),
        ev(8, SharesCancelled("a", "common", 100), date(2020, 6, 1)),
        ev(9, StockSplit("common", 1, 2), date(2020, 7, 1)),
    ]


def test_fold_on_dates():
    evs = stream()
    s = replay(evs, date(2020, 4, 30))
    assert s.held("a", "common") == 500 and s.held("b", "common") == 300
    assert s.issued_in_class("common") == 800
    assert s.certificates["C-1"].status == "surrendered" and s.certificates["C-3"].shares == 500
    s = replay(evs, date(2020, 5, 31))
    assert (
        s.issued_in_class("common") == 800 and s.treasury[("common", None)] == 50
    )  # treasury counts as issued
    assert s.outstanding("common") == 750
    s = replay(evs, date(2020, 6, 30))
    assert s.issued_in_class("common") == 700
    s = replay(evs, date(2020, 7, 1))
    assert (s.held("a", "common"), s.held("b", "common")) == (800, 500)
    assert s.issued_in_class("common") == 1_400 and s.treasury[("common", None)] == 100


def test_order_of_the_input_does_not_matter():
    evs = stream()
    assert replay(list(reversed(evs)), date(2021, 1, 1)).balances == replay(evs, date(2021, 1, 1)).balances


def test_cap_table():
    ct = cap_table(replay(stream(), date(2020, 5, 1)))
    common = next(c for c in ct.by_class if c.class_key == "common")
    assert (common.authorized, common.issued, common.treasury, common.outstanding, common.available) == (
        1_000,
        800,
        50,
        750,
        200,
    )
    assert ct.holder_totals() == {"a": 500, "b": 250}
    assert sum(r.percent_of_total for r in ct.rows) == Decimal("100.0000")


def test_payload_round_trip():
    for e in stream():
        assert body_from_payload(e.type, e.body.to_payload()) == e.body


def test_charter_codec_round_trip():
    v = version_from_dict({**CHARTER, "effective_on": "2020-01-01"})
    assert version_from_dict(version_to_dict(v)) == v
    assert v.capital.cls("common").par_value == Decimal("0.01")


def test_a_replayer_gives_the_replay_on_each_date_in_one_pass_and_again_for_an_earlier_one():
    """`Replayer.at(d)` is `replay(events, d)`: for dates asked in order (each folding on from the one before), for the
    same date twice, and for an earlier one (folded from the start again); the states it gave stay as they were."""
    evs = stream()
    evs.append(
        ev(
            10,
            Correction(4, "SharesIssued", "a typo", replacement={**evs[3].body.to_payload(), "shares": 650}),
            date(2020, 8, 1),
        )
    )
    days = [date(2019, 12, 31), D, date(2020, 3, 15), date(2020, 3, 15), date(2020, 6, 30), date(2021, 1, 1)]
    days += [date(2020, 4, 2), date(2020, 7, 1)]  # back, then on again
    r = Replayer(list(reversed(evs)))
    got = [r.at(d) for d in days]
    assert got == [replay(evs, d) for d in days]
    assert r.events == sorted(evs, key=Event.sort_key)
    assert got[3].held("a", "common") == 650 and got[-1].held("a", "common") == 900  # the correction read
