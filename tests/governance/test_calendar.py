"""The compliance calendar from events: the March 1 report and tax with both methods, estimated
installments, the annual meeting 13 months on (§ 211(c)), a § 228 consent's 60-day window, a called
meeting's record-date, notice and list windows (§§ 213, 222, 271, 219); and the iCalendar text (RFC 5545:
structure, CRLF, folding at 75 octets, escaping, determinism), also from the command line."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from minutebook.core.charter import Capital, CharterVersion, StockClass
from minutebook.core.codec import version_to_dict
from minutebook.core.events import (
    Event,
    GrossAssetsReported,
    Incorporated,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    SharesIssued,
    StockholderListPrepared,
    WrittenConsent,
)
from minutebook.governance.calendar import add_months, deadlines, fold, to_ics

STAMP = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def charter(on: date, authorized: int) -> dict:
    cls = StockClass("common", "Common Stock", "common", authorized, D("0.0001"))
    return version_to_dict(CharterVersion(on, "Acme, Inc.", capital=Capital(authorized, (cls,))))


def events(*bodies: tuple) -> list[Event]:
    """Acme, incorporated 2020-01-15 with 10,000,000 shares, 4,000,000 issued, then `bodies` ((body, date))."""
    base = [
        (Incorporated("Acme, Inc.", "Delaware", charter(date(2020, 1, 15), 10_000_000)), date(2020, 1, 15)),
        (SharesIssued("a", "common", 4_000_000, D("0.0001"), D("400")), date(2020, 2, 1)),
    ]
    return [Event(b, on, seq=i) for i, (b, on) in enumerate([*base, *bodies], 1)]


def by_kind(items, kind: str):
    return [d for d in items if d.kind == kind]


# --- franchise tax -------------------------------------------------------------------------------------------


def test_march_first_with_both_methods_when_assets_are_known():
    evs = events((GrossAssetsReported(2024, D("100000")), date(2025, 1, 20)))
    items = deadlines(evs, date(2025, 1, 1), date(2026, 12, 31))
    tax = by_kind(items, "franchise_tax")
    assert [d.due_on for d in tax] == [date(2025, 3, 1), date(2026, 3, 1)]
    y2024, y2025 = tax
    # 2024: ASM 10,000,000 -> $85,165; APVC 100,000 / 4,000,000 = 0.025 -> $250,000 -> $400
    assert (
        "Authorized shares method: $85,165.00" in y2024.detail
        and "Assumed par value capital method: $400.00" in y2024.detail
    )
    assert "$400.00 + $50.00 fee (ASM $85,165.00)" in y2024.title
    # 2025: no gross assets recorded, so only the ASM, and estimated installments on it during 2025
    assert "not computed" in y2025.detail and "$85,165.00" in y2025.title
    est = by_kind(items, "estimated_tax")
    assert [(d.due_on, d.title.split(": ")[-1]) for d in est] == [
        (date(2025, 6, 1), "$34,066.00"),
        (date(2025, 9, 1), "$17,033.00"),
        (date(2025, 12, 1), "$17,033.00"),
        (date(2026, 6, 1), "$34,066.00"),
        (date(2026, 9, 1), "$17,033.00"),
        (date(2026, 12, 1), "$17,033.00"),
    ]
    assert all("authorized shares method" in d.detail for d in est)


def test_no_installments_under_five_thousand():
    evs = events((GrossAssetsReported(2025, D("100000")), date(2025, 1, 20)))
    items = deadlines(evs, date(2025, 1, 1), date(2025, 12, 31))
    assert by_kind(items, "estimated_tax") == []  # the 2025 tax is the $400 APVC


# --- the annual meeting --------------------------------------------------------------------------------------


def test_annual_meeting_overdue_from_incorporation():
    items = deadlines(events(), date(2025, 1, 1), date(2025, 12, 31))
    (d,) = by_kind(items, "annual_meeting")
    assert d.due_on == date(2021, 2, 15) and d.status == "overdue" and "8 Del. C. § 211(c)" in d.cites[0]
    assert items[0] is d  # overdue first


def test_annual_meeting_13_months_after_the_last_one_or_an_election_by_consent():
    called = MeetingCalled(
        "M-1",
        "annual",
        date(2024, 6, 15),
        date(2024, 5, 10),
        matters=({"id": "1", "kind": "elect_directors"},),
    )
    special = MeetingCalled("M-2", "special", date(2024, 9, 1), date(2024, 8, 1))
    evs = events(
        (called, date(2024, 5, 1)),
        (MeetingHeld("M-1"), date(2024, 6, 15)),
        (special, date(2024, 7, 20)),
        (MeetingHeld("M-2"), date(2024, 9, 1)),  # a special meeting does not count
    )
    (d,) = by_kind(deadlines(evs, date(2025, 1, 1), date(2025, 12, 31)), "annual_meeting")
    assert d.due_on == date(2025, 7, 15) and d.status == "open" and "M-1" in d.detail
    consent = WrittenConsent(
        "C-9",
        "stockholders",
        ({"id": "m", "kind": "elect_directors"},),
        ({"signer": "a", "signed_on": "2025-02-20"},),
    )
    evs2 = [*evs, Event(consent, date(2025, 3, 1), seq=len(evs) + 1)]
    (d,) = by_kind(deadlines(evs2, date(2025, 1, 1), date(2026, 12, 31)), "annual_meeting")
    assert d.due_on == date(2026, 4, 1) and "C-9" in d.detail
    assert (
        by_kind(deadlines(evs2, date(2025, 1, 1), date(2026, 3, 31)), "annual_meeting") == []
    )  # not yet due


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2024, 1, 31), 13) == date(2025, 2, 28)
    assert add_months(date(2023, 1, 29), 13) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 13) == date(2026, 1, 15)


# --- consents and called meetings ----------------------------------------------------------------------------


def test_consent_window_done_or_missed():
    sigs = ({"signer": "a", "signed_on": "2025-02-20"}, {"signer": "b", "signed_on": "2025-02-01"})
    ok = WrittenConsent("C-1", "stockholders", ({"id": "x", "kind": "ordinary"},), sigs)
    late = WrittenConsent("C-2", "stockholders", ({"id": "y", "kind": "ordinary"},), sigs)
    board = WrittenConsent("C-3", "incorporators", (), sigs)
    evs = events((ok, date(2025, 3, 1)), (late, date(2025, 4, 10)), (board, date(2025, 3, 1)))
    items = by_kind(deadlines(evs, date(2025, 1, 1), date(2025, 12, 31)), "consent_window")
    # 60 days after the earliest signature, 2025-02-01: 2025-04-02
    assert [(d.key, d.due_on, d.status, d.opens_on) for d in items] == [
        ("consent-C-1-window", date(2025, 4, 2), "done", date(2025, 2, 1)),
        ("consent-C-2-window", date(2025, 4, 2), "missed", date(2025, 2, 1)),
    ]
    assert "8 Del. C. § 228(c)" in items[0].cites[0]


def test_called_meeting_windows():
    sale = MeetingCalled(
        "M-7", "special", date(2025, 10, 31), None, matters=({"id": "1", "kind": "asset_sale"},)
    )
    plain = MeetingCalled(
        "M-8", "special", date(2025, 12, 20), date(2025, 12, 1), matters=({"id": "1", "kind": "ordinary"},)
    )
    evs = events(
        (sale, date(2025, 9, 1)),
        (NoticeSent("M-7"), date(2025, 9, 15)),
        (plain, date(2025, 10, 1)),
        (StockholderListPrepared("M-8"), date(2025, 12, 15)),
    )
    items = [d for d in deadlines(evs, date(2025, 9, 1), date(2025, 12, 31)) if d.key.startswith("meeting-")]
    got = {d.key: (d.opens_on, d.due_on, d.status) for d in items}
    # M-7, an asset sale: notice 20-60 days before (§ 271), record date 10-60 days (not before the call)
    assert got["meeting-M-7-notice"] == (date(2025, 9, 1), date(2025, 10, 11), "done")
    assert got["meeting-M-7-record_date"] == (date(2025, 9, 1), date(2025, 10, 21), "open")
    assert got["meeting-M-7-stockholder_list"] == (None, date(2025, 10, 21), "open")
    assert got["meeting-M-7"] == (None, date(2025, 10, 31), "open")
    # M-8: notice 10-60 days; the record date fixed inside its window; the list prepared too late
    assert got["meeting-M-8-notice"] == (date(2025, 10, 21), date(2025, 12, 10), "open")
    assert got["meeting-M-8-record_date"][2] == "done"
    assert got["meeting-M-8-stockholder_list"] == (None, date(2025, 12, 10), "missed")
    cites = {d.kind: d.cites[0] for d in items if d.key.startswith("meeting-M-7-")}
    assert "271" in cites["notice"] and "213" in cites["record_date"] and "219" in cites["stockholder_list"]
    # once held, its windows are no longer listed; later, an open window already past is overdue
    held = [*evs, Event(MeetingHeld("M-7"), date(2025, 10, 31), seq=99)]
    assert not [
        d for d in deadlines(held, date(2025, 9, 1), date(2025, 12, 31)) if d.key.startswith("meeting-M-7")
    ]
    late = {d.key: d.status for d in deadlines(evs, date(2025, 12, 12), date(2025, 12, 31))}
    assert late["meeting-M-8-notice"] == "overdue"


def test_deterministic_and_sorted():
    evs = events((GrossAssetsReported(2024, D("100000")), date(2025, 1, 20)))
    a = deadlines(evs, date(2024, 1, 1), date(2026, 12, 31))
    assert a == deadlines(list(reversed(evs)), date(2024, 1, 1), date(2026, 12, 31))
    assert [d.due_on for d in a] == sorted(d.due_on for d in a)
    assert to_ics(a, stamp=STAMP) == to_ics(a, stamp=STAMP)


# --- iCalendar -----------------------------------------------------------------------------------------------


def check_ics(text: str) -> list[dict[str, str]]:
    """RFC 5545 structure: CRLF line ends only, physical lines <= 75 octets, continuation lines start with a
    space, BEGIN/END balanced, each VEVENT with UID (unique), DTSTAMP, DTSTART;VALUE=DATE, SUMMARY and
    DESCRIPTION. Returns the events' unfolded properties."""
    raw = text.encode("utf-8")
    assert (
        raw.endswith(b"\r\n")
        and b"\n" not in raw.replace(b"\r\n", b"")
        and b"\r" not in raw.replace(b"\r\n", b"")
    )
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    logical: list[str] = []
    for line in physical:
        s = line.decode("utf-8")
        if s.startswith(" "):
            logical[-1] += s[1:]
        else:
            logical.append(s)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical and any(x.startswith("PRODID:") for x in logical)
    stack, found, current = [], [], {}
    for x in logical:
        name, _, value = x.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[A-Z0-9-]+)*", name), x
        if name == "BEGIN":
            stack.append(value)
            current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                found.append(current)
        else:
            current[name] = value
    assert not stack
    for ev in found:
        for key in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY", "DESCRIPTION"):
            assert ev.get(key), (key, ev)
        assert re.fullmatch(r"\d{8}T\d{6}Z", ev["DTSTAMP"]) and re.fullmatch(
            r"\d{8}", ev["DTSTART;VALUE=DATE"]
        )
    assert len({ev["UID"] for ev in found}) == len(found)
    return found


def test_ics_is_valid_and_escaped():
    evs = events((GrossAssetsReported(2024, D("100000")), date(2025, 1, 20)))
    items = deadlines(evs, date(2025, 1, 1), date(2026, 12, 31))
    text = to_ics(items, stamp=STAMP, name="Acme, Inc.; deadlines", uid_scope="acme")
    found = check_ics(text)
    assert len(found) == len(items)
    assert all(ev["DTSTAMP"] == "20250102T030405Z" for ev in found)
    assert "X-WR-CALNAME:Acme\\, Inc.\\; deadlines" in text
    tax = next(ev for ev in found if ev["UID"] == "acme-franchise-tax-2024@minutebook")
    assert tax["DTSTART;VALUE=DATE"] == "20250301" and "\\," in tax["SUMMARY"]  # $85\,165.00


def test_fold_counts_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "§ 228 " * 40
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode()) <= 75 for p in parts)
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


# --- the command line ----------------------------------------------------------------------------------------


AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="session")
def auxer_template(tmp_path_factory) -> Path:
    """The Auxer book with alice's 50,000,000 common and gross assets for 2024: built once per session (per
    xdist worker), closed; the tests get copies (`auxer`)."""
    from minutebook.book import create
    from minutebook.ingest import read

    d = tmp_path_factory.mktemp("calendar-auxer")
    b = create(f"sqlite:///{d / 'mb.db'}", read([str(AUXER)]), [str(AUXER)])
    b.add_holder("alice", "Alice Ng")
    r = b.issue("alice", "common", 50_000_000, on=date(1998, 1, 5), price_per_share=D("0.001"))
    if r.refused:  # board approval of issuances is not this test's subject
        r = b.issue(
            "alice", "common", 50_000_000, on=date(1998, 1, 5), price_per_share=D("0.001"), historical=True
        )
    r = b.record(GrossAssetsReported(2024, D("500000")), date(2025, 1, 10))
    assert not r.refused
    b.close()
    b.engine.dispose()  # the last connection closed: the WAL is checkpointed into mb.db
    return d / "mb.db"


@pytest.fixture
def auxer(auxer_template, tmp_path) -> Path:
    """A copy of `auxer_template` for the test."""
    for f in auxer_template.parent.glob("mb.db*"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "mb.db"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from minutebook.cli.app import main

    monkeypatch.setattr(sys, "argv", ["minutebook", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main()
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_calendar_command(auxer, monkeypatch, capsys):
    db = str(auxer)
    rc, out, err = run(
        monkeypatch, capsys, "calendar", "--from", "2025-01-01", "--to", "2025-12-31", "--json", "--db", db
    )
    assert rc == 0, err
    data = json.loads(out)
    kinds = [(d["due_on"], d["kind"], d["status"]) for d in data["deadlines"]]
    assert kinds[0] == ("1998-08-31", "annual_meeting", "overdue")
    tax = next(d for d in data["deadlines"] if d["kind"] == "franchise_tax")
    # TY2024: ASM $200,000 (175,000,000 authorized); APVC 500,000 / 50,000,000 = 0.01 -> $1,750,000 -> $800
    assert tax["due_on"] == "2025-03-01" and "$800.00" in tax["title"] and "$200,000.00" in tax["detail"]
    rc, out, err = run(
        monkeypatch, capsys, "calendar", "--from", "2025-01-01", "--to", "2025-12-31", "--ics", "--db", db
    )
    assert rc == 0, err
    check_ics(out)
    rc, out, err = run(
        monkeypatch, capsys, "calendar", "--from", "2025-01-01", "--to", "2025-12-31", "--db", db
    )
    assert rc == 0 and "OVERDUE" in out and "2025-03-01" in out
    rc, out, err = run(
        monkeypatch, capsys, "calendar", "--from", "2025-12-31", "--to", "2025-01-01", "--db", db
    )
    assert rc == 2 and err.startswith("minutebook: error: --to:") and err.count("\n") == 1
    rc, out, err = run(monkeypatch, capsys, "calendar", "--from", "2025-02-30", "--db", db)
    assert rc == 2 and "--from" in err


def test_ics_bytes_from_a_real_process(auxer):
    import subprocess

    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "minutebook",
            "calendar",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--ics",
            "--db",
            str(auxer),
        ],
        capture_output=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    found = check_ics(p.stdout.decode("utf-8"))
    assert {ev["CATEGORIES"] for ev in found} >= {"franchise_tax", "annual_meeting"}


def test_a_consent_short_of_unanimity_does_not_stand_in_lieu_of_the_annual_meeting():
    evs = events((SharesIssued("b", "common", 1_000_000, D("0.0001"), D("100")), date(2020, 3, 1)))
    consent = WrittenConsent(
        "C-9",
        "stockholders",
        ({"id": "m", "kind": "elect_directors"},),
        ({"signer": "a", "signed_on": "2025-02-20"},),  # "a" holds 4,000,000 of 5,000,000: not everyone
    )
    evs2 = [*evs, Event(consent, date(2025, 3, 1), seq=len(evs) + 1)]
    (d,) = by_kind(deadlines(evs2, date(2025, 1, 1), date(2026, 12, 31)), "annual_meeting")
    assert "C-9" not in d.detail and d.status == "overdue"  # still counted from the incorporation
