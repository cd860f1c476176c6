"""JSON written item by item (`cli.common.dump_each`, `dump_with_list`: `log --json`, `check --json`) is the text
`json.dumps(..., indent=2)` writes for the whole, byte for byte, whatever the items (empty lists and objects, nesting,
text needing escapes), and never holds the list."""

from __future__ import annotations

import io
import json
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.cli.common import dump_each, dump_with_list

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)
heads = st.dictionaries(st.text(max_size=6).filter(lambda k: k != "items"), values, max_size=4)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(values, max_size=5))
def test_a_list_item_by_item_is_the_whole_list(items):
    buf, old = io.StringIO(), sys.stdout
    sys.stdout = buf
    try:
        dump_each(iter(items))
    finally:
        sys.stdout = old
    assert buf.getvalue() == json.dumps(items, indent=2)


@settings(max_examples=200, deadline=None)
@given(head=heads, items=st.lists(values, max_size=5))
def test_an_object_ending_in_a_list_written_item_by_item_is_the_whole_object(head, items):
    buf, old = io.StringIO(), sys.stdout
    sys.stdout = buf
    try:
        dump_with_list(head, "items", (x for x in items))
    finally:
        sys.stdout = old
    assert buf.getvalue() == json.dumps({**head, "items": items}, indent=2) + "\n"
