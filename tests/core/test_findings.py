"""`findings.placed`: a finding with another source and data, made without `dataclasses.replace` (a large book's
check places hundreds of thousands): equal to what `replace` makes, every field included, the original unchanged."""

from __future__ import annotations

import dataclasses

import pytest

from minutebook.core.findings import Finding, Severity, error, placed, warning
from minutebook.core.sources import SourceRef

FINDINGS = [
    error("MB-X", "something is wrong", cites=("8 Del. C. § 152",)),
    warning("MB-Y", "look at this", SourceRef(None, "charter.txt", 10, 16, 3, 1, "FOURTH"), event=4),
    Finding(Severity.INFO, "MB-Z", "fyi"),
]


@pytest.mark.parametrize("f", FINDINGS, ids=lambda f: f.code)
def test_placed_is_replace(f):
    src = SourceRef("d-1", "other.txt", 40, 44, 9, 2, "text")
    data = (("event", 7), ("act", "SharesIssued"))
    got = placed(f, src, data)
    want = dataclasses.replace(f, source=src, data=data)
    assert type(got) is Finding
    assert [getattr(got, x.name) for x in dataclasses.fields(Finding)] == [
        getattr(want, x.name) for x in dataclasses.fields(Finding)
    ]
    assert got == want and got.data == data and got.id == want.id
    assert placed(f, f.source, f.data) == f and f.data != data  # the original unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.code = "MB-OTHER"  # type: ignore[misc]
