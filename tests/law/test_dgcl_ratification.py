"""§§ 204 and 205 (79 Del. Laws c. 72): the statutory cures of a defective act exist from 1 April 2014, and the
findings on defective acts name them as their cure."""

from __future__ import annotations

from datetime import date

from minutebook.law import registry


def test_204_and_205_are_in_force_from_april_2014():
    for rid in ("dgcl.204.ratification", "dgcl.205.court_validation"):
        r = registry.get(rid)
        assert r.since == date(2014, 4, 1) and r.until is None and "79 Del. Laws c. 72" in r.act
        assert not r.in_force(date(2014, 3, 31)) and r.in_force(date(2014, 4, 1))
    before = {r.id for r in registry.in_force_on(date(2014, 3, 31))}
    after = {r.id for r in registry.in_force_on(date(2014, 4, 1))}
    assert {"dgcl.204.ratification", "dgcl.205.court_validation"} <= after - before


def test_the_cures_that_name_204_are_the_ones_the_rule_lists():
    from minutebook.law.dgcl import amendments, stock

    r = registry.get("dgcl.204.ratification")
    for name, text in (
        ("amendments:CURE_VOTE", amendments.CURE_VOTE),
        ("stock:CURE_ISSUE", stock.CURE_ISSUE),
        ("amendments:BLANK_CHECK_CURES", amendments.BLANK_CHECK_CURES),
    ):
        assert "§204" in text and name in r.source, name
    # the grant itself, before any series is designated under it, is cured by amendment, not ratification
    assert amendments.GRANT_CURE.index("§242") < amendments.GRANT_CURE.index("§204")
