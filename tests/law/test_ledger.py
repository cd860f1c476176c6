"""Ledger rules: each with a passing and a failing case, asserting on finding codes and citations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from minutebook.core.events import (
    Event,
    Incorporated,
    SeriesDesignated,
    SharesIssued,
    SharesTransferred,
    StakeholderAdded,
    StockSplit,
)
from minutebook.core.replay import replay
from minutebook.law.ledger import check

CHARTER = {
    "capital": {
        "total_authorized": 1_500,
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
    "provisions": [{"article": "FOURTH", "kind": "authorized_capital", "params": {}}],
}
D = date(2020, 1, 1)
P = Decimal("0.01")
BASE = [
    Event(Incorporated("Acme, Inc.", "Delaware", CHARTER), D, seq=1),
    Event(StakeholderAdded("a", "Ann"), D, seq=2),
    Event(SharesIssued("a", "common", 900, P, P * 900), D, seq=3),
]


def codes(body, historical=False, events=BASE):
    e = Event(body, date(2020, 2, 1))
    return [(f.code, f.severity.value, f.cites) for f in check(replay(events, e.effective_on), e, historical)]


def test_within_authorized():
    assert codes(SharesIssued("a", "common", 100, P, P * 100)) == []
    ((code, sev, cites),) = codes(SharesIssued("a", "common", 101, P, P * 101))
    assert (code, sev) == ("MB-ISSUE-EXCEEDS-AUTHORIZED", "error")
    assert "8 Del. C. § 161" in cites and "Art. FOURTH, as in force from 2020-01-01" in cites


def test_historical_over_issue_is_putative_stock():
    ((code, sev, cites),) = codes(SharesIssued("a", "common", 101, P, P * 101), historical=True)
    assert (code, sev) == ("MB-ISSUE-EXCEEDS-AUTHORIZED", "warning") and "8 Del. C. § 204" in cites


def test_par():
    assert codes(SharesIssued("a", "common", 1, P, P)) == []
    assert [c for c, _, _ in codes(SharesIssued("a", "common", 10, Decimal("0.001"), Decimal("0.01")))] == [
        "MB-ISSUE-BELOW-PAR"
    ]


def test_holds_shares():
    assert codes(SharesTransferred("a", "a", "common", 900)) == []
    assert [c for c, _, _ in codes(SharesTransferred("a", "a", "common", 901))] == ["MB-INSUFFICIENT-SHARES"]


def test_known_parties_and_series():
    assert [c for c, _, _ in codes(SharesIssued("zed", "common", 1, P, P))] == ["MB-HOLDER-UNKNOWN"]
    assert [c for c, _, _ in codes(SharesIssued("a", "class_b", 1, P, P))] == ["MB-CLASS-UNKNOWN"]
    assert [c for c, _, _ in codes(SharesIssued("a", "preferred", 1, P, P, series_key="series_a"))] == [
        "MB-SERIES-NOT-DESIGNATED"
    ]
    designated = [
        *BASE,
        Event(SeriesDesignated("preferred", "series_a", "Series A Preferred Stock", 100), D, seq=4),
    ]
    assert (
        codes(SharesIssued("a", "preferred", 100, P, P * 100, series_key="series_a"), events=designated) == []
    )
    assert [
        c
        for c, _, _ in codes(
            SharesIssued("a", "preferred", 101, P, P * 101, series_key="series_a"), events=designated
        )
    ] == ["MB-ISSUE-EXCEEDS-AUTHORIZED"]


def test_split_needs_authorized_shares():
    assert codes(StockSplit("common", 9, 10)) == []
    assert [c for c, _, _ in codes(StockSplit("common", 1, 2))] == ["MB-ISSUE-EXCEEDS-AUTHORIZED"]
