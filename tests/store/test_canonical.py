"""The chain's canonical JSON is written by orjson (`store.log.canonical`):
the bytes must be the stdlib's, byte for byte, or every stored hash would stop matching. Checked on generated
values of every kind a row holds (control characters, quotes, non-ASCII and astral text, keys to sort, ints past
64 bits), and on every event the suite's scenario books write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.book import stories
from minutebook.governance.story import load
from minutebook.store import log


def stdlib(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # no lone surrogates: not UTF-8
scalars = st.none() | st.booleans() | st.integers() | st.integers(-(2**70), 2**70) | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_canonical_is_the_stdlibs_bytes(v):
    assert log.canonical(v) == stdlib(v)


def test_control_characters_and_sorting_by_code_point():
    v = {"é": 1, "z": 2, "Z": 3, "😀": 4, "\u00ff": 5, "b": '\x00\x1f\x7f\t\n\r\b\f"\\/\u2028 中😀'}
    assert log.canonical(v) == stdlib(v)
    assert list(json.loads(log.canonical(v))) == sorted(v)


def test_what_orjson_refuses_goes_to_the_stdlib():
    assert (
        log.canonical({"n": 2**64, "m": -(2**80)})
        == b'{"m":-1208925819614629174706176,"n":18446744073709551616}'
    )
    assert log.canonical({1: "a"}) == stdlib({1: "a"})  # a key that is not a str: the stdlib's str(1)
    with pytest.raises(UnicodeEncodeError):  # as before: a lone surrogate is not UTF-8
        log.canonical({"s": "\ud800"})


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("story", ["seed-stage-company.yaml", "auxer-1999-amendment.yaml"])
def test_every_event_of_the_example_books(tmp_path, story):
    s = load(EXAMPLES / story)
    b = stories.create_book(s, str(tmp_path / "book.db"))
    stories.run(b, s)
    assert b.verify() == []
    rows = b.events
    assert len(rows) > 10
    for e in rows:
        payload = e.body.to_payload()
        assert log.canonical(payload) == stdlib(payload)
        src = log._source_json(e.source)
        assert log.canonical(src) == stdlib(src)
    b.close()
