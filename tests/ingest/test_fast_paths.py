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


numbers = importlib.import_module("minutebook.ingest.extract.numbers")
stock = importlib.import_module("minutebook.ingest.extract.stock")
_PAR_PIECES = (
    " ", "\n", ".", ",", "$", "0.01", "1", "Preferred Stock", "preferred shares", "Series A", "par value",
    "per value", "Par Value", "no par value", "no-par", "without par value", " of ", "apart", "x" * 50,
    "Preference Shares", "(", ")", "shares", "\u00e9",
)  # fmt: skip


def _preferred_par_plain(text, start, end):
    """`_preferred_par` as first written: each mention's windows cut out and searched."""
    for m in textmap.finditer_from(designations._PREFERRED, text, ("prefer",), start, end):
        window = text[m.end() : min(end, m.end() + 90)]
        pm = designations.PAR.search(window)
        if pm and not designations._PREFERRED.search(window[: pm.start()]):
            return designations.par_of(pm), False
        before = text[max(start, m.start() - 120) : m.start()]
        pb = designations.PAR.search(before)
        if pb and designations._PREFERRED_OR_SERIES.search(before[pb.end() :]):
            return designations.par_of(pb), False
        if designations._NO_PAR.search(window[:60]) or designations._NO_PAR.search(before[-60:]):
            return None, True
    return None, False


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PAR_PIECES), max_size=40).map("".join), st.integers(0, 40), st.integers(0, 400)
)
def test_preferred_par_passes_over_mentions_with_no_par_in_reach(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert designations._preferred_par(text, start, end) == _preferred_par_plain(text, start, end)


def _parse_figure_plain(raw):
    """`_parse_figure` without its quick readings of a plain or a well-grouped figure."""
    s = raw.strip()
    if not any(c.isdecimal() for c in s):
        return None
    fixed = s.translate(numbers._LOOK_ALIKES)
    ocr = fixed != s
    if " " in fixed:
        fixed = fixed.replace(" ", "")
        ocr = True
    fixed = fixed.replace(".", ",") if numbers._DOT_GROUPS.fullmatch(fixed) else fixed
    if "," not in fixed:
        return numbers.Figure(int(fixed), raw, ocr) if fixed.isdecimal() else None
    groups = fixed.split(",")
    if not all(g.isdecimal() for g in groups):
        return None
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return numbers.Figure(int("".join(groups)), raw, ocr)
    cands = {int("".join(groups))}
    bad = [g for g in groups[1:] if len(g) != 3]
    if bad and all(len(g) < 3 for g in bad):
        cands.add(int("".join(g.ljust(3, "0") if i else g for i, g in enumerate(groups))))
    return numbers.Figure(None, raw, ocr, tuple(sorted(cands)))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(("1", "23", "456", ",", ".", " ", "O", "l", "I", "\u0663", "\u00b2", "x")),
        max_size=12,
    )
)
def test_parse_figure_quick_readings(pieces):
    raw = "".join(pieces)
    assert numbers._parse_figure(raw) == _parse_figure_plain(raw)


_AMOUNT_PIECES = (
    " ", "\n", "1", "23", "1,000", "12 345,678", "1.000.000", "999,99", "(", ")", "(100)", " (two)", "one hundred",
    "Five", "seventy-five", " and ", "Thousand", "O", "l", "I", ".", ",", "-", "$", "\u0663", "x", "| ", " shares",
    " of such shares", " shall be Common Stock", " is ", "total number of shares ", "Dollars",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_AMOUNT_PIECES), max_size=40).map("".join))
def test_amounts_at_digits_and_kept_amounts(text):
    """`_AMOUNT_AT_DIGIT` matches as `_AMOUNT` where a digit is; `iter_amounts(keep=...)` gives the amounts kept."""

    def read(m):  # the span, the figure and the words, as `iter_amounts` reads them
        return (
            m.span(),
            m.group("f1") or m.group("f2") or m.group("f3"),
            m.group("w1") or m.group("w2") or m.group("w3"),
        )

    plain = textmap.finditer_from(
        numbers._AMOUNT, text, numbers._NUMBER_WORDS, 0, None, numbers._FIGURE_START, offset=1, at_start=True
    )
    found = numbers._amount_matches(text, 0, len(text))
    assert [read(m) for m in found] == [read(m) for m in plain]
    end = len(text)

    def share(a):  # `_is_share_amount` as first written, of an `Amount`
        after = text[a.end : min(end, a.end + 40)]
        if stock._DOLLARS_AFTER.match(after) or text[max(0, a.start - 2) : a.start].strip().endswith("$"):
            return False
        if stock._SHARES_AFTER.match(after) or stock._OF_SUCH_SHARES.match(after):
            return True
        if stock._SHALL_BE_CLASS.match(text, a.end, min(end, a.end + 80)):
            return True
        if stock._SHARES_WORD.match(text[a.end : a.end + 12]):
            return True
        before = text[max(0, a.start - 40) : a.start]
        if stock._IS_END.search(before) and stock._TOTAL_CUE.search(text[max(0, a.start - 200) : a.start]):
            return a.value is None or a.value >= 100 or a.words is not None
        return False

    kept = numbers.iter_amounts(
        text, 0, end, keep=lambda s, e, v, w: stock._is_share_amount(text, s, e, v, w, end)
    )
    assert list(kept) == [a for a in numbers.iter_amounts(text) if share(a)]


_PARAGRAPH_PIECES = (
    " ", "\n", "\n\n", "1. ", "2. ", "12. ", "1.", ". ", "The", "x", "(a) ", "A. ", "$0.001 | ",
)  # fmt: skip
_BLANK_CHECK_PIECES = (
    " ", ".", "fix ", "designate ", "the powers", "preferences", "designations", "Preferred", "preferred",
    "series", "Series", " by the Board", "resolution", "x",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PARAGRAPH_PIECES), max_size=30).map("".join))
def test_numbered_paragraph_marks_hold_a_stop_before_a_capital(text):
    articles = importlib.import_module("minutebook.ingest.extract.articles")
    assert articles._STOP_CAPITAL.search(text) or not articles._NUMBERED.search(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BLANK_CHECK_PIECES), max_size=30).map("".join))
def test_a_kind_is_found_only_where_each_group_of_its_needs_is(text):
    low = text.lower()
    for kind, pat, _sec, needs, _starts in provisions._KINDS_NEEDS:
        if pat.search(text):
            assert all(any(w in low for w in group) for group in needs), kind


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_AMOUNT_PIECES), max_size=20).map("".join), st.integers(0, 400))
def test_amount_at_a_digit_is_the_amount(text, cut):
    def read(m):
        if m is None:
            return None
        return (
            m.span(),
            m.group("f1") or m.group("f2") or m.group("f3"),
            m.group("w1") or m.group("w2") or m.group("w3"),
        )

    end = min(cut, len(text))
    for i in range(end):
        if text[i].isdecimal():
            assert read(numbers._AMOUNT_AT_DIGIT.match(text, i, end)) == read(
                numbers._AMOUNT.match(text, i, end)
            )
