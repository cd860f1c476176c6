"""The calendar's ISO item (26 U.S.C. § 422(b)(1)): an equity plan that may grant incentive stock options must be
approved by the stockholders within 12 months before or after the board adopts it. The item is due 12 months after
the adoption (29 February → 28 February), leaves the calendar once an approval that counts is recorded, is overdue
after its day (the ISOs are then NSOs), and is not listed for a plan that has granted only NSOs.

The books are built through the public API: examples/seed-stage-company.yaml run up to its stockholders' consent of
2023-05-01 (the 2023 Stock Plan, P-2023, adopted 2023-01-10, has granted the ISO O-1), then more acts as `Book`
methods."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from minutebook.book import stories
from minutebook.governance.calendar import deadlines
from minutebook.governance.story import load

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed-stage-company.yaml"
APPROVED_ON = date(2023, 5, 1)  # the story's stockholders' consent C-1 and the pool change naming it
DUE = date(2024, 1, 10)  # P-2023 adopted 2023-01-10, plus 12 months


def seed(tmp_path: Path, *, until: date | None = APPROVED_ON):
    """The seed-stage book with the story's steps dated before `until` (all of them when None)."""
    story = load(EXAMPLE)
    if until is not None:
        story = replace(story, steps=tuple(s for s in story.steps if s.on < until), end=None)
    b = stories.create_book(story, str(tmp_path / "seed.db"))
    outcomes = stories.run(b, story)
    assert all(o.ok for o in outcomes), [p for o in outcomes for p in o.problems]
    return b


def items(book, start: date, end: date, plan: str | None = None):
    return [
        d
        for d in deadlines(book.events, start, end)
        if d.kind == "plan_approval" and (plan is None or d.key == f"plan-{plan}-iso-approval")
    ]


def approve(book, on: date, reserved: int = 1_000_000) -> None:
    """The founders approve the 2023 Stock Plan by written consent on `on`, and the plan names it."""
    r = book.written_consent(
        "C-ISO",
        on=on,
        matters=({"id": "C-ISO-1", "kind": "ordinary", "text": "The 2023 Stock Plan is approved"},),
        signatures=(
            {"signer": "maya", "signed_on": on.isoformat()},
            {"signer": "omar", "signed_on": on.isoformat()},
        ),
    )
    assert not r.refused, [f.format() for f in r.findings]
    r = book.change_pool("P-2023", reserved, on=on, approved_by="R-2", stockholder_approval="C-ISO-1")
    assert not r.refused, [f.format() for f in r.findings]


def test_due_twelve_months_after_adoption_until_the_stockholders_approve(tmp_path):
    b = seed(tmp_path)
    (d,) = items(b, date(2023, 3, 1), date(2024, 12, 31))
    assert (d.due_on, d.status, d.opens_on) == (DUE, "open", date(2022, 1, 10))
    assert d.key == "plan-P-2023-iso-approval" and d.cites[0] == "26 U.S.C. § 422(b)(1)"
    assert "2023 Stock Plan" in d.title and "ISOs" in d.title and "422(b)(1)" in d.title
    assert "O-1" in d.detail and d.source == "event 8"  # the PlanAdopted
    assert items(b, date(2023, 3, 1), date(2024, 1, 9)) == []  # not yet due within those dates
    approve(b, APPROVED_ON)
    assert items(b, date(2023, 3, 1), date(2024, 12, 31)) == []
    assert items(b, date(2025, 1, 1), date(2025, 12, 31)) == []  # nor overdue later


def test_the_whole_story_has_no_item(tmp_path):
    b = seed(tmp_path, until=None)  # its consent C-1-1 of 2023-05-01, named by the pool change
    assert items(b, date(2023, 1, 1), date(2026, 12, 31)) == []
    assert items(b, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_overdue_after_the_deadline_the_isos_being_nsos(tmp_path):
    b = seed(tmp_path)
    (d,) = items(b, date(2024, 1, 11), date(2024, 12, 31))
    assert (d.due_on, d.status) == (DUE, "overdue")
    assert "NSO" in d.detail and "O-1" in d.detail
    # still listed a year on, first, as an overdue annual meeting is
    later = deadlines(b.events, date(2025, 6, 1), date(2025, 12, 31))
    assert [(x.kind, x.status) for x in later if x.kind == "plan_approval"] == [("plan_approval", "overdue")]
    assert later[0].due_on <= DUE
    # on the day itself it is still open
    assert [x.status for x in items(b, DUE, date(2024, 12, 31))] == ["open"]


def test_an_approval_after_the_twelve_months_is_missed_not_in_time(tmp_path):
    b = seed(tmp_path)
    approve(b, date(2024, 3, 1))
    (d,) = items(b, date(2024, 1, 1), date(2024, 12, 31))
    assert (d.due_on, d.status) == (DUE, "missed") and "C-ISO-1" in d.detail
    assert items(b, date(2025, 1, 1), date(2025, 12, 31)) == []  # missed, like a consent window: not carried
    assert "MB-ISO-PLAN-NOT-APPROVED" in {f.code for f in b.check()}  # the audit rule agrees


def test_an_approval_by_the_board_does_not_count(tmp_path):
    b = seed(tmp_path)
    r = b.change_pool(
        "P-2023", 1_000_000, on=APPROVED_ON, approved_by="R-2", stockholder_approval="R-2", historical=True
    )
    assert not r.refused
    (d,) = items(b, date(2023, 3, 1), date(2024, 12, 31))
    assert d.status == "open" and "R-2" in d.detail and "not of the stockholders" in d.detail
    # the audit rule agrees: a board resolution is no stockholder approval
    assert "MB-ISO-PLAN-NOT-APPROVED" in {f.code for f in b.check()}


def test_an_approval_given_before_the_adoption_counts_within_twelve_months(tmp_path):
    b = seed(tmp_path)
    approve(b, APPROVED_ON)  # C-ISO-1 of 2023-05-01
    for pid, on in (("P-SOON", date(2024, 5, 1)), ("P-LATER", date(2024, 5, 2))):
        r = b.adopt_plan(pid, pid, 10_000, on=on, approved_by="R-2", stockholder_approval="C-ISO-1")
        assert not r.refused, [f.format() for f in r.findings]
    # P-SOON: approved 12 months before to the day, in time; P-LATER: one day more, so it is still due
    (d,) = items(b, date(2024, 1, 1), date(2025, 12, 31))
    assert (d.key, d.due_on, d.status) == ("plan-P-LATER-iso-approval", date(2025, 5, 2), "open")
    assert "more than 12 months before" in d.detail and d.title.startswith(
        "Stockholder approval of P-LATER for"
    )


def test_which_plans_may_grant_isos_and_the_leap_day(tmp_path):
    b = seed(tmp_path)
    approve(b, APPROVED_ON)
    # a plan with nothing granted under it yet: listed (a new plan usually means ISOs); adopted on 29 February
    r = b.adopt_plan("P-LEAP", "2024 Plan", 100_000, on=date(2024, 2, 29), approved_by="R-2")
    assert not r.refused, [f.format() for f in r.findings]
    # 12 calendar months, not 365 days: adopted 2024-01-15, across 29 February, due 2025-01-15
    r = b.adopt_plan("P-JAN", "January Plan", 10_000, on=date(2024, 1, 15), approved_by="R-2")
    assert not r.refused, [f.format() for f in r.findings]
    # a plan that has granted only an NSO: not listed
    r = b.adopt_plan("P-NSO", "Advisor Plan", 50_000, on=date(2024, 2, 29), approved_by="R-2")
    assert not r.refused, [f.format() for f in r.findings]
    r = b.grant(
        "N-1",
        "lena",
        "option",
        10_000,
        on=date(2024, 3, 1),
        plan_id="P-NSO",
        exercise_price=D("0.10"),
        option_type="NSO",
        approved_by="R-3",
    )
    assert not r.refused, [f.format() for f in r.findings]
    got = items(b, date(2024, 1, 1), date(2025, 12, 31))
    assert [(d.key, d.due_on, d.status) for d in got] == [
        ("plan-P-JAN-iso-approval", date(2025, 1, 15), "open"),
        ("plan-P-LEAP-iso-approval", date(2025, 2, 28), "open"),
    ]
    assert all("Nothing is granted under it yet" in d.detail for d in got)
    # an ISO granted under it later keeps it listed; an NSO-only plan stays off
    r = b.grant(
        "I-2",
        "lena",
        "option",
        10_000,
        on=date(2024, 4, 1),
        plan_id="P-LEAP",
        exercise_price=D("0.10"),
        option_type="ISO",
        approved_by="R-3",
    )
    assert not r.refused, [f.format() for f in r.findings]
    assert [d.key for d in items(b, date(2024, 1, 1), date(2025, 12, 31))] == [
        "plan-P-JAN-iso-approval",
        "plan-P-LEAP-iso-approval",
    ]
    assert "I-2" in items(b, date(2024, 1, 1), date(2025, 12, 31), "P-LEAP")[0].detail
    assert items(b, date(2025, 3, 1), date(2025, 12, 31), "P-LEAP")[0].status == "overdue"


# --- the command line ----------------------------------------------------------------------------------------


def test_calendar_command_lists_the_plan(tmp_path, monkeypatch, capsys):
    b = seed(tmp_path)
    b.close()
    from minutebook.cli.app import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["minutebook", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main()
        out, err = capsys.readouterr()
        return done.value.code, out, err

    db = str(tmp_path / "seed.db")
    rc, out, err = run("calendar", "--from", "2023-06-01", "--to", "2024-05-31", "--json", "--db", db)
    assert rc == 0, err
    (d,) = [x for x in json.loads(out)["deadlines"] if x["kind"] == "plan_approval"]
    assert (d["due_on"], d["status"], d["key"]) == ("2024-01-10", "open", "plan-P-2023-iso-approval")
    rc, out, err = run("calendar", "--from", "2024-06-01", "--to", "2024-12-31", "--db", db)
    assert rc == 0, err
    line = next(x for x in out.splitlines() if "2023 Stock Plan" in x)
    assert "2024-01-10" in line and "OVERDUE" in line
