"""The order a check gives its findings in, kept as an audit goes on (`governance.audit._merged`): the findings an
audit already holds in order, merged with those it adds, are in the order a sort of them all gives, equal keys in
the order they came (stable), whatever the events, places, severities and codes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.core.findings import Finding, Severity
from minutebook.core.sources import SourceRef
from minutebook.governance.audit import _merged, _order

SOURCES = st.one_of(
    st.none(),
    st.builds(
        SourceRef,
        st.none(),
        st.sampled_from(["a.txt", "b.txt"]),
        st.integers(0, 3),
        st.just(9),
        st.just(1),
        st.just(1),
    ),  # fmt: skip
)
FINDINGS = st.builds(
    Finding,
    st.sampled_from(list(Severity)),
    st.sampled_from(["MB-A", "MB-B", "MB-C"]),
    st.text(max_size=3),
    SOURCES,
    st.just(()),
    st.one_of(st.just(()), st.tuples(st.tuples(st.just("event"), st.one_of(st.none(), st.integers(0, 6))))),
)


@given(st.lists(FINDINGS, max_size=30), st.lists(FINDINGS, max_size=10))
@settings(max_examples=300, deadline=None)
def test_merging_into_findings_in_order_is_sorting_them_all(held, more):
    ordered = sorted(held, key=_order)
    got = _merged(ordered, more)
    want = sorted(held, key=_order)
    want = sorted(want + more, key=_order)
    assert [id(f) for f in got] == [id(f) for f in want]
    assert [id(f) for f in ordered] == [
        id(f) for f in sorted(held, key=_order)
    ]  # the held list is left as it was
