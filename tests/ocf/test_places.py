"""Where an imported object came from: `_Places` answers from one index of the file once it has been asked more
than a few times; its answers are the same as a plain search's, for ids as written or \\u-escaped, with quotes,
backslashes and line breaks in them, compact or indented, and an id found as an object's `"id"` member before any
other place the text holds it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.ocf.importer import _Places

ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(ids, min_size=1, max_size=25, unique=True), st.sampled_from([None, 1]), st.booleans())
def test_the_index_answers_as_the_search_does(names, indent, ascii_):
    items = [{"object_type": "X", "note": f"see {n}", "id": n, "nested": {"id": f"{n}/n"}} for n in names]
    text = json.dumps({"items": items}, indent=indent, ensure_ascii=ascii_)
    searched = _Places(text)
    indexed = _Places(text)
    indexed.asked = _Places.SEARCHES  # the next question builds the index
    for n in [*names, "not-there"]:
        got = searched.of(n)
        searched.asked = 0  # keep this one searching
        assert indexed.of(n) == got
        at, line, col = got
        if n != "not-there":
            assert text[at:].startswith('"id"'), (n, got)
            value = text.index(
                '"', text.index(":", at)
            )  # the member's value: the object's own id, not a nested one
            assert json.JSONDecoder().raw_decode(text, value)[0] == n
        assert line == text.count("\n", 0, at) + 1
        assert col == at - (text.rfind("\n", 0, at) + 1) + 1
