"""Core types: dated versions, `Charter.at`, structured `Charter.diff`, findings' formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from minutebook.core import (
    Article,
    Capital,
    Charter,
    CharterVersion,
    Finding,
    NotFoundError,
    Series,
    Severity,
    SourceRef,
    StockClass,
)


def version(on, common, preferred, holder="board of directors", series=(), fourth="text"):
    classes = (
        StockClass("common", "Common Stock", "common", common, Decimal("0.001")),
        StockClass("preferred", "Preferred Stock", "preferred", preferred, Decimal("0.001"), series=series),
    )
    return CharterVersion(
        effective_on=on,
        name="Acme, Inc.",
        capital=Capital(common + preferred, classes, holder),
        articles=(Article(1, "FIRST", "The name is Acme, Inc."), Article(4, "FOURTH", fourth)),
    )


def test_at_picks_the_version_in_force():
    ch = Charter((version(date(2000, 1, 1), 10, 5), version(date(2001, 6, 30), 20, 5)))
    assert ch.at(date(1999, 12, 31)) is None
    assert ch.at(date(2000, 1, 1)).capital.total_authorized == 15
    assert ch.at(date(2001, 6, 29)).capital.total_authorized == 15
    assert ch.at(date(2001, 6, 30)).capital.total_authorized == 25
    assert ch.current.capital.total_authorized == 25


def test_versions_must_be_in_time_order():
    with pytest.raises(ValueError):
        Charter((version(date(2001, 1, 1), 1, 1), version(date(2000, 1, 1), 1, 1)))


def test_diff_is_structured():
    a = version(date(2000, 1, 1), 10, 5, fourth="old")
    b = version(
        date(2001, 1, 1),
        20,
        5,
        holder="the President",
        series=(Series("series_a_preferred", "preferred", "Series A Preferred Stock", 2),),
        fourth="new",
    )
    ch = Charter((a, b))
    got = {(c.field, c.class_key, c.series_key): (c.old, c.new) for c in ch.diff(a, b)}
    assert got == {
        ("total_authorized", None, None): (15, 25),
        ("preferred_terms_fixed_by", None, None): ("board of directors", "the President"),
        ("authorized", "common", None): (10, 20),
        ("series added", "preferred", "series_a_preferred"): (None, 2),
        ("text", None, None): ("old", "new"),
    }
    assert ch.diff(date(2000, 6, 1), date(2001, 6, 1)) == ch.diff(0, 1)
    with pytest.raises(NotFoundError):
        ch.diff(date(1990, 1, 1), 1)
    assert all(c.describe() for c in ch.diff(a, b))


def test_finding_formats_as_path_line_col():
    src = SourceRef("d1", "charter.txt", 10, 20, 3, 7, "150,000,00")
    f = Finding(Severity.WARNING, "MB-FIGURE-MALFORMED", "malformed", src, ("8 Del. C. § 102(a)(4)",))
    assert f.format() == "charter.txt:3:7: MB-FIGURE-MALFORMED malformed"
    assert f.to_json()["source"] == {"path": "charter.txt", "line": 3, "column": 7}
    assert Finding(Severity.INFO, "MB-X", "no place").format() == "MB-X no place"


def test_types_are_frozen():
    v = version(date(2000, 1, 1), 1, 1)
    with pytest.raises(AttributeError):
        v.name = "other"  # type: ignore[misc]
