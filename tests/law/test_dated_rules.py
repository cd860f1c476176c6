"""Dated rules: every rule's dates in force and the act that made it come from law/data/rules.yaml; the
engine applies a rule only on and after its first day; `minutebook rules --as-of` lists the statute of a
date and `minutebook explain` shows a provision's history."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from dgcl_kit import ACME, P, board, findings, new_book, ok, sig, tagged
from tests.clihelp import ok as cli_ok
from tests.clihelp import one_line_error

from minutebook.core.errors import NotFoundError
from minutebook.law import params, registry

REVISION_1967 = date(1967, 7, 3)


# --- the data ------------------------------------------------------------------------------------------------


def test_every_registered_rule_has_an_entry_and_every_entry_names_a_rule():
    assert registry.problems() == []


def test_every_rule_states_its_first_day_and_its_act():
    rs = registry.rules()
    assert len(rs) >= 36
    for r in rs:
        assert r.since is not None and r.since >= REVISION_1967, r.id
        assert r.act, r.id
        assert r.until is None or r.until > r.since, r.id
    assert all(r.to_json()["since"] and r.to_json()["act"] for r in rs)


def test_dates_of_later_provisions_are_their_own_not_the_revisions():
    r = registry.get("dgcl.203.interested_stockholder")
    assert r.since == date(1988, 2, 2) and "66 Del. Laws c. 204" in r.act
    assert registry.get("dgcl.161.within_authorized").since == REVISION_1967
    assert "56 Del. Laws c. 50" in registry.get("dgcl.161.within_authorized").act


def _parse(text: str):
    return params.parse_rule_dates(text, "rules.yaml")


def test_an_entry_needs_since_and_act_and_its_until_after_its_since():
    d = _parse("a.rule:\n  since: 2014-04-01\n  until: 2023-08-01\n  act: 79 Del. Laws c. 72\n  family: a\n")
    assert d["a.rule"] == params.RuleDates(date(2014, 4, 1), date(2023, 8, 1), "79 Del. Laws c. 72", "a")
    for bad, what in (
        ("a.rule:\n  until: null\n  act: x\n", "a.rule.since: missing"),
        ("a.rule:\n  since: 2014-04-01\n", "a.rule.act: missing"),
        ("a.rule:\n  since: 2014-04-01\n  until: 2014-04-01\n  act: x\n", "is not after since"),
        ("a.rule:\n  since: 2014-13-01\n  act: x\n", "not a date"),
        ("a.rule:\n  since: 2014-04-01\n  act: x\n  sinse: 2014-04-01\n", "unknown field(s) sinse"),
        ("a.rule:\n  since: 2014-04-01\n  act: x\na.rule:\n  since: 2015-04-01\n  act: y\n", "given twice"),
    ):
        with pytest.raises(ValueError, match=what.replace("(", r"\(").replace(")", r"\)")):
            _parse(bad)


def test_a_rule_with_no_entry_and_an_entry_with_no_rule_are_reported(monkeypatch):
    stray = registry.Rule("dgcl.999.stray", ("8 Del. C. § 999",), "stray", ("MB-X",))
    monkeypatch.setitem(registry.RULES, stray.id, stray)
    dates = {**params.rule_dates(), "dgcl.998.gone": params.RuleDates(REVISION_1967, None, "x")}
    monkeypatch.setattr(registry, "rule_dates", lambda: dates)
    found = registry.problems()
    assert "rule dgcl.999.stray has no entry in law/data/rules.yaml" in found
    assert "law/data/rules.yaml: dgcl.998.gone names no registered rule" in found


def _versions(monkeypatch, change: date, *, overlap: bool = False):
    """Two versions of one provision, registered for the test: the old until `change`, the new from it."""
    old = registry.Rule(
        "dgcl.999.a.old", ("8 Del. C. § 999(a)",), "old text", ("MB-X",), (), REVISION_1967,
        None if overlap else change, act="56 Del. Laws c. 50 (1967 revision)", family="dgcl.999.a",
    )  # fmt: skip
    new = replace(
        old, id="dgcl.999.a.new", summary="new text", since=change, until=None, act="2023, S.B. 114"
    )
    for r in (new, old):
        monkeypatch.setitem(registry.RULES, r.id, r)
    return old, new


def test_history_lists_every_version_of_a_provision_oldest_first(monkeypatch):
    old, new = _versions(monkeypatch, date(2023, 8, 1))
    assert [r.id for r in registry.history(new.id)] == [old.id, new.id]
    assert registry.history(old.id) == registry.history(new.id)
    assert [r.id for r in registry.history("dgcl.161.within_authorized")] == ["dgcl.161.within_authorized"]
    with pytest.raises(NotFoundError):
        registry.history("dgcl.999.nothing")


def test_in_force_on_a_date_gives_the_version_then(monkeypatch):
    old, new = _versions(monkeypatch, date(2023, 8, 1))
    before = {r.id for r in registry.in_force_on(date(2023, 7, 31))}
    after = {r.id for r in registry.in_force_on(date(2023, 8, 1))}
    assert old.id in before and new.id not in before
    assert new.id in after and old.id not in after
    assert "dgcl.203.interested_stockholder" not in {r.id for r in registry.in_force_on(date(1988, 2, 1))}
    assert "dgcl.203.interested_stockholder" in {r.id for r in registry.in_force_on(date(1988, 2, 2))}


def test_two_versions_in_force_at_once_are_reported(monkeypatch):
    _versions(monkeypatch, date(2023, 8, 1), overlap=True)
    assert any(p.startswith("family dgcl.999.a:") for p in registry.problems())


# --- the engine applies a rule only from its first day ------------------------------------------------------


def _book_of(tmp_path: Path, year: int):
    """Acme Widgets incorporated in `year`, its board elected and 8,000,000 common shares issued
    (ada 4,000,000, ben 2,500,000, cy 1,500,000)."""
    b = new_book(tmp_path, ACME.format(extra="").replace("2010", str(year)))
    start = b.charter.versions[0].effective_on
    ok(b.elect_directors(["ada", "ben", "cy"], on=start + timedelta(days=1), by="incorporator"))
    board(
        b,
        "B-1",
        start + timedelta(days=1),
        {"id": "R-1", "kind": "issue_shares", "params": {"class_key": "common"}},
        form="consent",
    )
    for h, n in (("ada", 4_000_000), ("ben", 2_500_000), ("cy", 1_500_000)):
        ok(b.add_holder(h, h.title(), on=start + timedelta(days=2)))
        ok(b.issue(h, "common", n, on=start + timedelta(days=2), price_per_share=P, approved_by="R-1"))
    return b


RULE = "dgcl.228.c.sixty_days"  # the 60-day limit on gathering consents: not in the 1967 revision


def _late_signature_consent(b, on: date):
    """ada and ben (6,500,000 of 8,000,000) sign 90 days before `on`; cy signs 75 days after them."""
    first = on - timedelta(days=90)
    return b.written_consent(
        "C-1",
        on=on,
        matters=[{"id": "C-1-1", "kind": "ordinary"}],
        signatures=[sig("ada", first), sig("ben", first), sig("cy", first + timedelta(days=75))],
    )


def test_a_rule_is_not_applied_to_an_event_the_day_before_its_first_day(tmp_path):
    s = registry.get(RULE).since
    assert s > REVISION_1967
    b = _book_of(tmp_path, s.year - 2)
    r = ok(_late_signature_consent(b, s - timedelta(days=1)))
    assert (RULE, "MB-CONSENT-STALE") not in tagged(r)
    assert RULE not in {r.id for r in registry.in_force_on(s - timedelta(days=1))}


def test_a_rule_is_applied_to_an_event_on_its_first_day(tmp_path):
    s = registry.get(RULE).since
    b = _book_of(tmp_path, s.year - 2)
    r = ok(_late_signature_consent(b, s))  # recorded: ada and ben suffice without cy
    stale = [f for f in findings(r) if f.code == "MB-CONSENT-STALE"]
    assert stale and dict(stale[0].data)["rule"] == RULE
    assert RULE in {r.id for r in registry.in_force_on(s)}


# --- the CLI -------------------------------------------------------------------------------------------------


def _cli(tmp_path: Path, command: str):
    """`minutebook COMMAND` run in this process (so a rule registered by the test is seen)."""
    import shlex
    import subprocess

    from minutebook.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = ["minutebook", *shlex.split(command)]
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                rc = 0
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = argv
        os.chdir(cwd)
    return subprocess.CompletedProcess(command, rc, out.getvalue(), err.getvalue())


def test_rules_json_shows_the_dates_act_and_family_of_every_rule(tmp_path):
    listed = json.loads(cli_ok(_cli(tmp_path, "rules --json")).stdout)["rules"]
    assert {r["id"] for r in listed} == {r.id for r in registry.rules()}
    for r in listed:
        assert {"since", "until", "act", "family"} <= set(r) and r["since"] and r["act"], r["id"]


def test_rules_as_of_lists_only_the_rules_in_force_on_the_date(tmp_path):
    before = json.loads(cli_ok(_cli(tmp_path, "rules --as-of 1988-02-01 --json")).stdout)
    after = json.loads(cli_ok(_cli(tmp_path, "rules --as-of 1988-02-02 --json")).stdout)
    assert before["as_of"] == "1988-02-01"
    ids_before, ids_after = {r["id"] for r in before["rules"]}, {r["id"] for r in after["rules"]}
    assert "dgcl.203.interested_stockholder" in ids_after - ids_before
    assert ids_before == {r.id for r in registry.in_force_on(date(1988, 2, 1))}
    text = cli_ok(_cli(tmp_path, "rules --as-of 1988-02-01")).stdout
    assert "in force on 1988-02-01" in text and "dgcl.203.interested_stockholder" not in text


def test_rules_as_of_works_with_section(tmp_path):
    p = json.loads(cli_ok(_cli(tmp_path, "rules --section 203 --as-of 1988-02-02 --json")).stdout)
    assert [r["id"] for r in p["rules"]] == ["dgcl.203.interested_stockholder"]
    err = one_line_error(_cli(tmp_path, "rules --section 203 --as-of 1988-02-01"), code=1)
    assert "§ 203" in err and "1988-02-01" in err


@pytest.mark.parametrize("bad", ["2023-13-01", "2023-02-30", "yesterday", "1999/03/19"])
def test_rules_as_of_a_bad_date_is_one_line_exit_2(tmp_path, bad):
    err = one_line_error(_cli(tmp_path, f"rules --as-of {bad}"))
    assert err == f"minutebook: error: --as-of: {bad!r} is not a date (YYYY-MM-DD)"


def test_explain_shows_the_history_with_the_version_asked_marked(tmp_path, monkeypatch):
    old, new = _versions(monkeypatch, date(2023, 8, 1))
    p = json.loads(cli_ok(_cli(tmp_path, f"explain {old.id} --json")).stdout)
    assert p["family"] == "dgcl.999.a" and p["act"] == old.act
    assert [(v["id"], v["since"], v["until"], v["this"]) for v in p["history"]] == [
        (old.id, "1967-07-03", "2023-08-01", True),
        (new.id, "2023-08-01", None, False),
    ]
    text = cli_ok(_cli(tmp_path, f"explain {new.id}")).stdout
    assert "history of dgcl.999.a (2 versions)" in text
    marked = [line for line in text.splitlines() if line.strip().startswith("*")]
    assert len(marked) == 1 and new.id in marked[0] and "2023, S.B. 114" in marked[0]
    assert any(old.id in line and "1967-07-03 to 2023-08-01" in line for line in text.splitlines())


def test_explain_a_rule_with_one_version(tmp_path):
    p = json.loads(cli_ok(_cli(tmp_path, "explain dgcl.203.interested_stockholder --json")).stdout)
    assert p["since"] == "1988-02-02" and "66 Del. Laws c. 204" in p["act"]
    assert p["history"] == [
        {"id": p["id"], "since": "1988-02-02", "until": None, "act": p["act"], "this": True}
    ]
    text = cli_ok(_cli(tmp_path, "explain dgcl.203.interested_stockholder")).stdout
    assert "in force: since 1988-02-02 (66 Del. Laws c. 204 (1988))" in text
