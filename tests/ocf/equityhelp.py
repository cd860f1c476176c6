"""The Auxer book (`ocfhelp.auxer_book`) with an equity history and more governance on top: a board consent
adopting a plan, a stockholder meeting approving it, a 409A valuation, vesting terms (4 years with a one-year
cliff; half at the start and half on a milestone), options (ISO and NSO), an RSU, a warrant, a pool increase, an
exercise, a forfeiture on leaving, an acceleration, a repricing, an RSU release on its milestone, the warrant's
exercise, two SAFEs and a note converting at Series A, and a change of control."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from minutebook.book import Book
from minutebook.core.events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    AwardRepriced,
    BoardActed,
    ChangeOfControl,
    ConvertibleConverted,
    ConvertibleIssued,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    PlanAdopted,
    PoolChanged,
    ServiceEnded,
    SharesIssued,
    ValuationRecorded,
    VestingAccelerated,
    VestingDefined,
    VestingEventOccurred,
)
from minutebook.core.vesting import monthly, parse


def add_equity(b: Book) -> Book:
    def rec(body, on):
        r = b.record(body, on, historical=True)
        assert r.event is not None, r.findings

    def board(action, on, *ids):
        rec(
            BoardActed(action, "consent", ("d1",), tuple({"id": i, "kind": "other", "text": i} for i in ids)),
            on,
        )

    board("B-3", date(2006, 1, 10), "R-PLAN", "R-GRANT", "R-VAL")
    rec(
        ValuationRecorded("val-1", "common", D("0.10"), "Acme Valuations", "409A", "R-VAL"), date(2006, 1, 10)
    )
    rec(ValuationRecorded("val-2", "common", D("0.40"), None, "board", "R-VAL"), date(2007, 12, 1))
    rec(
        PlanAdopted("plan-2006", "2006 Stock Plan", 1_000_000, "common", approved_by="R-PLAN"),
        date(2006, 1, 15),
    )
    rec(VestingDefined("4y1y", "Four years, one-year cliff", monthly(48, 12).to_dict()), date(2006, 1, 15))
    rec(
        VestingDefined("half-ipo", "Half now, half on IPO", parse("0:1/2,event IPO:1/2").to_dict()),
        date(2006, 1, 15),
    )
    on = date(2006, 2, 1)
    rec(AwardGranted("opt-1", "alice", "option", 100_000, "common", plan_id="plan-2006", exercise_price=D("0.10"),
                     option_type="ISO", expires_on=date(2016, 1, 31), exercise_windows={"default": 90, "cause": 0},
                     vesting="4y1y", vesting_start=date(2006, 1, 1), acceleration={"double": "1/1"},
                     approved_by="R-GRANT"), on)  # fmt: skip
    rec(AwardGranted("opt-2", "carol", "option", 48_000, "common", plan_id="plan-2006", exercise_price=D("0.10"),
                     option_type="NSO", expires_on=date(2016, 1, 31), vesting="4y1y", vesting_start=on,
                     approved_by="R-GRANT"), on)  # fmt: skip
    rec(AwardGranted("rsu-1", "bob", "rsu", 20_000, "common", plan_id="plan-2006", vesting="half-ipo",
                     vesting_start=on, approved_by="R-GRANT"), on)  # fmt: skip
    rec(AwardGranted("w-1", "bob", "warrant", 10_000, "common", exercise_price=D("0.50"), expires_on=date(2016, 3, 1),
                     consideration=D("100"), approved_by="R-GRANT"), date(2006, 3, 1))  # fmt: skip
    # the stockholders approve the plan at the annual meeting (ISOs: IRC § 422(b)(1))
    matter = {"id": "M-PLAN", "kind": "ordinary", "text": "Approve the 2006 Stock Plan"}
    rec(
        MeetingCalled("MTG-2006", "annual", date(2006, 6, 1), date(2006, 5, 1), "R-PLAN", (matter,)),
        date(2006, 5, 1),
    )
    rec(NoticeSent("MTG-2006"), date(2006, 5, 10))
    everyone = ["alice", "bob", "carol"]
    rec(
        MeetingHeld("MTG-2006", tuple(everyone), votes=({"matter": "M-PLAN", "for": everyone},)),
        date(2006, 6, 1),
    )
    board("B-4", date(2006, 7, 1), "R-POOL")
    rec(PoolChanged("plan-2006", 1_500_000, "R-POOL", "M-PLAN"), date(2006, 7, 1))
    on = date(2007, 3, 1)
    rec(AwardExercised("opt-1", 25_000, 25_000, "cash", D("2500")), on)
    rec(SharesIssued("alice", "common", 25_000, D("0.10"), D("2500"), award_id="opt-1"), on)
    on = date(2007, 6, 1)
    rec(ServiceEnded("carol", "voluntary"), on)
    rec(AwardEnded("opt-2", 32_000, "forfeited", "left the company"), on)
    rec(VestingEventOccurred("IPO", "rsu-1"), date(2007, 9, 1))
    on = date(2007, 9, 2)
    rec(AwardExercised("rsu-1", 20_000, 20_000, "release"), on)
    rec(SharesIssued("bob", "common", 20_000, D("0.001"), D("20"), award_id="rsu-1"), on)
    on = date(2008, 1, 2)
    rec(AwardExercised("w-1", 10_000, 10_000, "cash", D("5000")), on)
    rec(SharesIssued("bob", "common", 10_000, D("0.50"), D("5000"), award_id="w-1"), on)
    rec(AwardRepriced("opt-1", D("0.05"), "R-GRANT"), date(2008, 3, 1))
    board("B-5", date(2008, 6, 1), "R-ACC")
    rec(VestingAccelerated("opt-1", 10_000, "board", "R-ACC"), date(2008, 6, 1))
    on = date(2008, 2, 1)
    rec(ConvertibleIssued("safe-1", "bob", "safe", D("100000"), cap=D("5000000"), discount=D("0.20")), on)
    rec(
        ConvertibleIssued("safe-2", "carol", "safe", D("50000"), cap=D("4000000"), cap_basis="pre", mfn=True),
        on,
    )
    rec(ConvertibleIssued("note-1", "alice", "note", D("200000"), discount=D("0.15"), interest_rate=D("0.06"),
                          maturity_on=date(2010, 2, 1)), on)  # fmt: skip
    on = date(2009, 1, 5)
    for cid, holder, shares, price, amount in [
        ("safe-1", "bob", 125_000, D("0.80"), D("100000")),
        ("safe-2", "carol", 62_500, D("0.80"), D("50000")),
        ("note-1", "alice", 249_411, D("0.85"), D("212000")),
    ]:
        rec(ConvertibleConverted(cid, "preferred", shares, price, amount, "A", "discount", D("1.00")), on)
        rec(
            SharesIssued(holder, "preferred", shares, price, price * shares, series_key="A", award_id=cid), on
        )
    rec(ChangeOfControl("Sale to Bigco, Inc."), date(2010, 6, 1))
    return b
