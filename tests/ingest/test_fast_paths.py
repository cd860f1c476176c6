"""The reader's quicker spellings of a scan find what the plain scan finds.

Several scans are written to be fast rather than plain: a pattern spelt so that a search can skip to where a
match can begin, several scans made one, a lowered text kept for the next stage. Each is checked here against
the plain form it stands for, on random texts made of the pieces the scans look for.
"""

from __future__ import annotations

import importlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.ingest import textmap

normalize = importlib.import_module("minutebook.ingest.normalize")
classify = importlib.import_module("minutebook.ingest.classify")
designations = importlib.import_module("minutebook.ingest.extract.designations")

_PIECES = (
    " ", "  ", "\t", "\n", "\n\n", "|", " | ", "||", "**", "__", "_", "`", ".", ":", ";", ", ", "1", "12", "a",
    "x", "A", "IN", "NINTH", "FIRST", "ARTICLE", "Section", "By:", "RESOLVED", "WHEREAS", "Exhibit", "word",
    "Word", "(", '"', "“", "state of ", "laws of ", "New York", "nevada", "Virginia", "West Virginia",
    " business ", "\u00e9", "\u2014",
)  # fmt: skip
texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_break_starts_is_the_words_and_numbered_stops(text):
    plain = {m.start() + 2 for m in normalize._NUMBERED_START.finditer(text)}
    plain |= set(textmap.match_starts(normalize._BREAK_WORDS, text))
    assert normalize._break_starts(text) == sorted(plain)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_trailing_pipes_and_emphasis(text):
    assert normalize._trailing_pipes(text) == [
        (m.start(), m.end()) for m in normalize._TRAILING_PIPES.finditer(text)
    ]
    plain = re.compile(r"\*\*|__(?=\S)|(?<=\S)__|`")
    assert [m.span() for m in normalize._EMPHASIS.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_sentence_stops(text):
    plain = re.compile(r"[.;:]\s+(?=[A-Z0-9(\"“])|\n\s*\n")
    assert [m.span() for m in designations._SENTENCE_STOP.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_other_state_pattern_grouped_by_letter(text):
    names = [s for s in classify._ALL_STATES if s not in ("NRS", "RCW")]
    plain = re.compile(classify._OTHER_TEMPLATE.replace("STATES", "|".join(names)), re.I)
    fast = classify._other_re(classify._ALL_STATES)
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == [
        (m.span(), m.groupdict()) for m in plain.finditer(text)
    ]


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 80), st.integers(0, 80))
def test_lowered_slices_of_kept_texts(text, a, b):
    text = text * 8  # long enough to be kept
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert textmap.lower_slice(text, start, end) == textmap.lower_same(text[start:end])
    low = textmap.lower_same(text)
    assert low is None or low == text.lower()


_SERIES_PIECES = (
    " ", "\n", "7", "25", ".", "%", "7.25% ", "1,000 ", "Series ", "series ", "Class ", "B ", "A-1 ", "of ",
    "Convertible ", "Junior ", "Preferred", "Preference ", "Stock", " Shares", "x", "\u00e9",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SERIES_PIECES), max_size=40).map("".join), st.integers(0, 3))
def test_series_names_tried_only_where_they_can_begin(text, repeat):
    text = text * (1 + 40 * repeat)  # short texts, and texts long enough to be kept lowered
    found = textmap.finditer_from(
        designations._SERIES, text, ("series", "class"), start_re=designations._PCT_START
    )
    assert [m.span() for m in found] == [m.span() for m in designations._SERIES.finditer(text)]


provisions = importlib.import_module("minutebook.ingest.extract.provisions")
_QUORUM_PLAIN = re.compile(r"[^.;]*\bquorum\b[^.;]*", re.I)
_QUORUM_PIECES = (" ", ".", ";", "quorum", "Quorum", "xquorum", "quorums", " of the stock", " shares ",
                  " directors ", "one-third", "a majority", "1/3", "\n", "word")  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_QUORUM_PIECES), max_size=40).map("".join))
def test_quorum_sentences_found_run_by_run_are_the_patterns(text):
    """`_stockholder_quorum` looks at each run between "." and ";" holding the word (linear), where it once
    matched a pattern reaching out from the word both ways (quadratic in a long text with neither mark)."""
    flat = " ".join(text.split())
    plain = None
    for m in _QUORUM_PLAIN.finditer(flat):
        sentence = m.group(0).strip()
        share = provisions.quorum_share(sentence) if provisions._OF_STOCK.search(sentence) else None
        if share is not None:
            plain = {"share": str(share[0]), "strict": share[1], "text": sentence}
            break
    assert provisions._stockholder_quorum(text) == plain
