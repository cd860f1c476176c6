"""The append path hashes a row with its payload and source spliced in as already encoded (`store.log.to_row`): the
hash must be byte for byte the one `row_hash` gives from the objects, which `verify` recomputes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.core.events import Event, SharesIssued, StakeholderAdded
from minutebook.core.sources import SourceRef
from minutebook.store.log import row_hash, to_row

text = st.text(min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(text, text, st.one_of(st.none(), text), st.integers(1, 10**12), st.booleans(), st.integers(1, 10**9))
def test_spliced_hash_is_row_hash(name, slug, actor, shares, sourced, seq):
    src = SourceRef("d1", f"{name}.txt", 0, 5, 3, 7, name) if sourced else None
    for body in (
        StakeholderAdded(name or "x", name),
        SharesIssued("h", "common", shares, Decimal("0.001"), Decimal(1)),
    ):
        e = Event(body, date(2020, 1, 2), "on_or_before", actor, src)
        row = to_row(e, seq, "2026-01-01T00:00:00.000000+00:00", "0" * 64, slug)
        assert row["hash"] == row_hash(slug, row)
