"""The cap table's lines: percentages in integer arithmetic equal to the Decimal reference, and the order of the
rows (classes in the charter's order, most shares first, then the holder)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from minutebook.core.captable import _pct, _Percents, cap_table, percent_of
from minutebook.core.replay import replay


@given(st.integers(-(10**15), 10**15), st.integers(-(10**15), 10**15))
def test_percents_equal_the_decimal_reference(n: int, d: int) -> None:
    got = _Percents(d)(n)
    want = _pct(n, d)
    assert got == want and str(got) == str(want)  # the same value, the same 4 places, the same sign


@given(st.integers(-(10**15), 10**15), st.lists(st.integers(-(10**9), 10**9), max_size=40))
def test_one_table_s_percents_equal_the_reference_each_time(d: int, ns: list[int]) -> None:
    """One `_Percents` over a table's holdings, as `cap_table` uses it: a result kept for one holding and given again
    to another of the same rounded percentage is still each one's own exact figure."""
    of = _Percents(d)
    for n in [*ns, *ns, *(n + 1 for n in ns)]:
        got, want = of(n), _pct(n, d)
        assert got == want and str(got) == str(want)


@given(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12), st.integers(0, 6))
def test_percent_of_any_places_equals_the_decimal_reference(n: int, d: int, places: int) -> None:
    want = (
        (Decimal(n) * 100 / Decimal(d)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if d
        else Decimal(0).scaleb(-places)
    )
    got = percent_of(n, d, places)
    assert got == want and str(got) == str(want)


def test_percents_round_half_up_at_the_fifth_place() -> None:
    # 1/32 = 3.125 %: exact at 4 places; 1/160000 = 0.000625 % rounds up to 0.0006; 1/3 = 33.3333…
    assert [str(_Percents(d)(1)) for d in (32, 160_000, 3, 1)] == ["3.1250", "0.0006", "33.3333", "100.0000"]
    assert str(_Percents(0)(5)) == "0.0000"


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["ann", "bob", "cy", "dee"]), st.sampled_from(["common", "pref", "x"])),
        st.integers(0, 1000),
        min_size=1,
    )
)
def test_rows_in_class_then_size_then_holder_order(held: dict) -> None:
    balances = {(h, c, None): n for (h, c), n in held.items()}
    issued: dict = {}
    for (_, c, _), n in balances.items():
        issued[(c, None)] = issued.get((c, None), 0) + n
    state = replace(
        replay([], date(2020, 1, 1)), balances=MappingProxyType(balances), issued=MappingProxyType(issued)
    )
    table = cap_table(state)
    keys = sorted({c for _, c in held})  # no charter: the classes sorted by key
    want = sorted(
        ((h, c, n) for (h, c), n in held.items() if n),
        key=lambda r: (keys.index(r[1]), -r[2], r[0]),
    )
    assert [(r.holder_id, r.class_key, r.shares) for r in table.rows] == want
    per_class = {c: sum(n for (_, k), n in held.items() if k == c) for c in keys}
    total = sum(per_class.values())
    for r in table.rows:
        assert r.percent_of_class == _pct(r.shares, per_class[r.class_key])
        assert r.percent_of_total == _pct(r.shares, total)
    assert table.outstanding == total
