"""Where to find the rule for § N: `law.registry.citing` and `minutebook rules --section N`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests.clihelp import ok, one_line_error

from minutebook.core.errors import NotFoundError
from minutebook.law import registry

CLI = [sys.executable, "-m", "minutebook"]


def _sections(rule) -> set[str]:
    return {registry._section_of(c) for c in rule.cites}


def test_citing_a_section_finds_every_rule_citing_it_or_a_part_of_it():
    found = registry.citing("228")
    assert found and all(any(s and s.split("(")[0] == "228" for s in _sections(r)) for r in found)
    every = {r.id for r in registry.rules() if any(s and s.split("(")[0] == "228" for s in _sections(r))}
    assert {r.id for r in found} == every


def test_a_part_of_a_section_narrows_and_a_whole_section_citation_covers_its_parts():
    part = {r.id for r in registry.citing("§ 228(c)")}
    assert part and part < {r.id for r in registry.citing("228")}
    # a rule citing § 141(b) is found for § 141(b) and for § 141, not for § 141(f)
    b = {r.id for r in registry.citing("141(b)")}
    assert b and b <= {r.id for r in registry.citing("141")}


def test_no_section_number_is_refused_and_a_section_no_rule_cites_finds_none():
    with pytest.raises(NotFoundError, match="names no section"):
        registry.citing("banana")
    assert registry.citing("2280") == []  # not § 228


def test_cli_rules_section_lists_the_code_that_applies_each_rule():
    p = ok(subprocess.run([*CLI, "rules", "--section", "228", "--json"], capture_output=True, text=True))
    rules = json.loads(p.stdout)["rules"]
    assert {r["id"] for r in rules} == {r.id for r in registry.citing("228")}
    assert all(r["source"].startswith("minutebook.law.") for r in rules)
    text = ok(subprocess.run([*CLI, "rules", "-s", "228"], capture_output=True, text=True)).stdout
    assert "minutebook.law.dgcl.consents:" in text
    err = one_line_error(subprocess.run([*CLI, "rules", "-s", "999"], capture_output=True, text=True), code=1)
    assert "no rule cites § 999" in err
    err = one_line_error(subprocess.run([*CLI, "rules", "-s", "banana"], capture_output=True, text=True))
    assert "--section" in err and "banana" in err
