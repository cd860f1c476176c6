"""Reading a stored event fast: `body_from_payload` makes a body through its slots, not its `__init__`, and
`store.log._loads` reads a JSON text with orjson; both give exactly what the slow way gives, for every body type,
and fail where it fails."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minutebook.core.events import BODY_TYPES, Event, Incorporated, SharesIssued, body_from_payload, made_fast
from minutebook.store.log import _loads


def _sample(hint: str, i: int):
    """A value of a field's declared type (as text), different for each `i`."""
    if "Decimal" in hint:
        return Decimal(f"{i}.25")
    if "datetime.date" in hint or hint.startswith("date"):
        return date(2020, 1, 1 + i % 28)
    if "tuple" in hint:
        return (f"t{i}",)
    if "dict" in hint:
        return {"k": i}
    if "bool" in hint:
        return bool(i % 2)
    if "int" in hint:
        return 1_000 + i
    return f"v{i}"


def test_every_body_type_reads_back_as_its_init_makes_it():
    for name, cls in BODY_TYPES.items():
        fields = dataclasses.fields(cls)
        hints = {f.name: str(f.type) for f in fields}
        full = cls(**{f.name: _sample(hints[f.name], i) for i, f in enumerate(fields)})
        read = body_from_payload(name, full.to_payload())
        assert read == full and type(read) is cls, name
        assert repr(read) == repr(full), name
        required = {
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        least = {k: v for k, v in full.to_payload().items() if k in required}
        assert body_from_payload(name, least) == cls(**{f: getattr(full, f) for f in required}), name


def test_a_missing_field_raises_as_init_does_and_defaults_are_fresh():
    with pytest.raises(TypeError, match="holder_id"):
        body_from_payload("SharesIssued", {"class_key": "common", "shares": 1, "price_per_share": "1"})
    a = body_from_payload("Incorporated", {"name": "A", "jurisdiction": None, "ignored": 1})
    b = body_from_payload("Incorporated", {"name": "B", "jurisdiction": None})
    assert a == Incorporated("A", None) and a.charter == {} and a.charter is not b.charter


def test_an_event_made_fast_is_the_event():
    body = SharesIssued("h", "common", 5, Decimal("0.01"), Decimal("0.05"))
    at = datetime(2026, 1, 2, tzinfo=UTC)
    args = (body, date(2020, 1, 2), "on", "me", None, 7, at)
    fast = made_fast(Event)(*args)
    assert fast == Event(*args) and hash(fast) == hash(Event(*args)) and repr(fast) == repr(Event(*args))
    with pytest.raises(ValueError):
        made_fast(Event)(*args[:-1])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_loads_reads_as_json_reads(value):
    text = json.dumps(value, ensure_ascii=False)
    assert _loads(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"shares": 123456789012345678901234567890}',  # orjson would read a float
        '{"a": [{"b": -98765432109876543210}]}',
        '{"a": NaN}',
        '{"a": "\\ud800"}',
        "[1e400]",
    ],
)
def test_loads_reads_what_orjson_does_not_as_json_does(text):
    got, want = _loads(text), json.loads(text)
    assert json.dumps(got) == json.dumps(want) and repr(got) == repr(want)


def test_loads_fails_as_json_fails():
    for bad in ("{bad", "", "[1,"):
        with pytest.raises(ValueError) as ours:
            _loads(bad)
        with pytest.raises(ValueError) as theirs:
            json.loads(bad)
        assert str(ours.value) == str(theirs.value)
