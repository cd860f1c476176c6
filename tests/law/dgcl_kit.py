"""Shared helpers for the DGCL rule tests (test_dgcl_*.py): small books on SQLite, the acts that set them
up, and assertions on findings by rule id and code (never on message text).

`acme(tmp_path)` is a Delaware corporation with Common and Preferred Stock, a blank-check grant to the
board and no §242(b)(2) carve-out; three directors (ada, ben, cy) and 8,000,000 common shares held by
ada (4,000,000), ben (2,500,000) and cy (1,500,000). `auxer(tmp_path)` is The Auxer Group, Inc. from
examples/auxer-group-charter.txt (by default as at the end of 1998: the board holds the blank-check
grant; Art. EIGHTH carries the carve-out, no written ballot, the board's bylaw power and the asset-sale
clause), with three directors and 45,000,000 common shares.

Every finding an assertion looks at is checked against the registry: the rule id it is tagged with is
registered, and its code is one that rule declares.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from minutebook import book as mb
from minutebook import ingest
from minutebook.core.findings import Finding
from minutebook.law import registry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
P = Decimal("0.001")

ACME = """CERTIFICATE OF INCORPORATION
OF
ACME WIDGETS, INC.

FIRST: The name of the corporation is Acme Widgets, Inc.

SECOND: The address of the registered office of the Corporation in the State of Delaware is 1209
Orange Street, Wilmington, New Castle County, Delaware 19801, and the name of its registered agent at
that address is The Corporation Trust Company.

THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
15,000,000, consisting of 10,000,000 shares of Common Stock, par value $0.001 per share, and 5,000,000
shares of Preferred Stock, par value $0.001 per share. The Board of Directors is hereby granted the
power to fix by resolution the powers, preferences and rights of the Preferred Stock and of any series
thereof.
{extra}
FIFTH: The name and mailing address of the incorporator are Ada Lane, 1 Main Street, Dover, Delaware.

Signed on January 4, 2010

/s/ Ada Lane
Ada Lane, Incorporator
"""

# §228(a): "unless otherwise provided in the certificate of incorporation"
NO_CONSENT = """
SIXTH: No action shall be taken by the stockholders of the Corporation except at an annual or special
meeting of stockholders, and no action shall be taken by the stockholders by written consent.
"""

# §212(a): one vote per share "unless otherwise provided in the certificate of incorporation"
DUAL_CLASS = """CERTIFICATE OF INCORPORATION
OF
BRISK DUAL, INC.

FIRST: The name of the corporation is Brisk Dual, Inc.

SECOND: The address of the registered office of the Corporation in the State of Delaware is 1209
Orange Street, Wilmington, New Castle County, Delaware 19801, and the name of its registered agent at
that address is The Corporation Trust Company.

THIRD: The purpose of the Corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
15,000,000, consisting of 10,000,000 shares of Class A Common Stock, par value $0.001 per share, and
5,000,000 shares of Class B Common Stock, par value $0.001 per share. Each holder of Class A Common
Stock shall be entitled to one (1) vote for each share of Class A Common Stock held of record. Each
holder of Class B Common Stock shall be entitled to ten (10) votes for each share of Class B Common
Stock held of record.

FIFTH: The name and mailing address of the incorporator are Ada Lane, 1 Main Street, Dover, Delaware.

Signed on January 4, 2010

/s/ Ada Lane
Ada Lane, Incorporator
"""

INCORPORATED = date(2010, 1, 4)
SEEDED = date(2010, 1, 6)
HOLDERS = (("ada", 4_000_000), ("ben", 2_500_000), ("cy", 1_500_000))
AUXER_HOLDERS = (("eugene", 20_000_000), ("alice", 15_000_000), ("bob", 10_000_000))


# --- books -------------------------------------------------------------------------------------------------


def new_book(tmp_path: Path, text: str = ACME.format(extra=""), name: str = "charter.txt", until=None):
    """A book made by reading `text` as a charter file (as `minutebook init --from FILE` does)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return mb.create(f"sqlite:///{tmp_path}/b.db", ingest.read([p]), [p], until=until)


def acme(tmp_path: Path, extra: str = "", holders=HOLDERS):
    """Acme Widgets with its board (ada, ben, cy), its issuing resolution R-1 and its stockholders."""
    b = new_book(tmp_path, ACME.format(extra=extra))
    ok(b.elect_directors(["ada", "ben", "cy"], on=date(2010, 1, 5), by="incorporator"))
    board(
        b,
        "B-1",
        date(2010, 1, 5),
        {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common", "max_shares": 9_000_000}},
        form="consent",
    )
    for h, n in holders:
        ok(b.add_holder(h, h.title(), on=SEEDED))
        ok(b.issue(h, "common", n, on=SEEDED, price_per_share=P, approved_by="R-1"))
    return b


def auxer(tmp_path: Path, until: date | None = date(1998, 12, 31), seed: bool = True):
    """The Auxer Group from its filed charter documents; `until=None` reads the 1999 amendment too."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    p = tmp_path / "auxer-group-charter.txt"
    shutil.copy(EXAMPLES / "auxer-group-charter.txt", p)
    b = mb.create(f"sqlite:///{tmp_path}/b.db", ingest.read([p]), [p], until=until)
    if seed:
        ok(b.elect_directors(["eugene", "jane", "john"], on=date(1997, 9, 2), by="incorporator"))
        board(
            b,
            "B-1997-1",
            date(1997, 9, 2),
            {"id": "R-1997-3", "kind": "issue_shares", "params": {"class_key": "common"}},
            form="consent",
        )
        for h, n in AUXER_HOLDERS:
            ok(b.add_holder(h, h.title(), on=date(1997, 9, 15)))
            ok(b.issue(h, "common", n, on=date(1997, 9, 15), price_per_share=P, approved_by="R-1997-3"))
    return b


# --- acts --------------------------------------------------------------------------------------------------


def ok(r):
    """The act was recorded (not refused)."""
    assert r.event is not None, [f.format() for f in r.findings]
    return r


def board(b, action_id: str, on: date, *resolutions: dict, present=None, form: str = "meeting"):
    """A board action that must be recorded; by default every director in office attends."""
    who = [d.id for d in b.directors(on)] if present is None else list(present)
    return ok(b.board_act(action_id, on=on, form=form, present=who, resolutions=list(resolutions)))


def sig(signer: str, on: date | str) -> dict:
    return {"signer": signer, "signed_on": on if isinstance(on, str) else on.isoformat()}


def meeting(
    b,
    meeting_id: str,
    *matters: dict,
    meeting_on: date,
    called_on: date | None = None,
    record_date: date | None = None,
    kind: str = "special",
    notice_days: int | None = 20,
    list_days: int | None = 20,
    **notice,
):
    """A board resolution calling the meeting, the call, and (unless None) the notice and the list that
    many days before it; each must be recorded."""
    called_on = called_on or meeting_on - timedelta(days=45)
    board(b, f"B-{meeting_id}", called_on, {"id": f"R-{meeting_id}", "kind": "call_meeting"})
    ok(
        b.call_meeting(
            meeting_id,
            on=called_on,
            kind=kind,
            meeting_on=meeting_on,
            record_date=record_date or meeting_on - timedelta(days=30),
            called_by=f"R-{meeting_id}",
            matters=list(matters),
        )
    )
    if notice_days is not None:
        ok(b.send_notice(meeting_id, on=meeting_on - timedelta(days=notice_days), **notice))
    if list_days is not None:
        ok(b.prepare_stockholder_list(meeting_id, on=meeting_on - timedelta(days=list_days)))


# --- assertions on findings ------------------------------------------------------------------------------


def findings(r) -> tuple[Finding, ...]:
    """The findings of a Result (or a list of findings), each checked against the registry."""
    fs = tuple(getattr(r, "findings", r))
    for f in fs:
        rid = dict(f.data).get("rule")
        if rid is not None:
            declared = registry.get(rid).codes  # NotFoundError: a finding tagged with an unregistered rule
            assert f.code in declared, f"{f.code} is tagged {rid}, which declares only {declared}"
    return fs


def tagged(r) -> set[tuple[str | None, str]]:
    """(rule id, code) of each finding."""
    return {(dict(f.data).get("rule"), f.code) for f in findings(r)}


def passes(r, rule_id: str):
    """The act was recorded and none of the rule's codes was found."""
    declared = registry.get(rule_id).codes
    ok(r)
    hit = [f.code for f in findings(r) if f.code in declared]
    assert not hit, f"{rule_id}: {hit}"
    return r


def fails(r, rule_id: str, code: str, *, refused: bool = True, severity: str = "error") -> Finding:
    """The rule reported `code` (tagged with its id); a new act with an error is refused."""
    assert code in registry.get(rule_id).codes, f"{rule_id} does not declare {code}"
    hits = [f for f in findings(r) if f.code == code and dict(f.data).get("rule") == rule_id]
    assert hits, f"{rule_id}/{code} not in {sorted(tagged(r), key=str)}"
    assert r.refused == refused, [f.format() for f in findings(r)]
    assert hits[0].severity.value == severity
    return hits[0]


def kept(r, rule_id: str, code: str, severity: str = "warning") -> Finding:
    """A historical act with the defect: recorded, and the defect reported."""
    return fails(r, rule_id, code, refused=False, severity=severity)


def book_codes(b, as_of: date | None = None) -> set[tuple[str | None, str]]:
    """(rule id, code) of every finding `Book.check` lists."""
    return tagged(b.check(as_of))


def listed(b, rule_id: str, code: str, severity: str = "warning") -> Finding:
    """`Book.check` (the whole book, as history) lists `code` from the rule."""
    assert code in registry.get(rule_id).codes, f"{rule_id} does not declare {code}"
    hits = [f for f in findings(b.check()) if f.code == code and dict(f.data).get("rule") == rule_id]
    assert hits, f"{rule_id}/{code} not in {sorted(book_codes(b), key=str)}"
    assert hits[0].severity.value == severity
    return hits[0]


def unlisted(b, rule_id: str) -> None:
    """`Book.check` lists none of the rule's codes."""
    declared = registry.get(rule_id).codes
    hit = [f.code for f in findings(b.check()) if f.code in declared]
    assert not hit, f"{rule_id}: {hit}"
