"""Long texts read a piece at a time give what the plain whole-text forms give.

Past a megabyte or so, the reader splits a text into words, or gathers its words, a piece at a time, so that
a 32 MiB file does not become a list of millions of word objects. Each piecewise form is checked here against
the plain one, with pieces made a few characters long so that random texts cross many piece boundaries.
"""

from __future__ import annotations

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.ingest import textmap

defects = importlib.import_module("minutebook.ingest.defects")

_PIECES = (
    " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", ".", ",", "_", "-", "1", "a", "word", "Words",
    "preferrred", "incorporatin", "corporation", "stockholder", "\u00e9", "\u00c9t\u00e9", "\u0130", "x",
)  # fmt: skip
texts = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


class _Piece:
    """Sets a module's piece size for the length of a `with` block."""

    def __init__(self, module, name: str, size: int):
        self.module, self.name, self.size = module, name, size

    def __enter__(self):
        self.old = getattr(self.module, self.name)
        setattr(self.module, self.name, self.size)

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.old)


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(1, 9), st.integers(0, 90), st.integers(0, 90))
def test_joined_words_piecewise_is_the_plain_join(text, piece, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    with _Piece(textmap, "_JOIN_PIECE", piece):
        assert textmap.joined_words(text) == " ".join(text.split())
        assert textmap.joined_words(text, start, end) == " ".join(text[start:end].split())


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(1, 9))
def test_words_gathered_piecewise_are_the_plain_words(text, piece):
    low = text.lower()
    plain = (
        set(low.translate(defects._NON_WORD).split())
        if low.isascii()
        else set(defects._ASCII_RUN.findall(low))
    )
    with _Piece(defects, "_WORDS_PIECE", piece):
        assert defects._words(low) == plain


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(0, 30), st.integers(0, 90), st.integers(0, 90))
def test_squeeze_is_the_plain_join_cut(text, limit, a, b):
    """`squeeze` stands for the plain join in the provisions kept with each article (`build._ArticleFacts`)."""
    text = text * 3
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert textmap.squeeze(text, limit, start, end) == " ".join(text[start:end].split())[:limit]


designations = importlib.import_module("minutebook.ingest.extract.designations")
numbers = importlib.import_module("minutebook.ingest.extract.numbers")
_NUMBER_PIECES = (
    " ", "\n", "(", ")", ",", ".", "$", "-", "|", "1", "25", "1,000", "10,000,000", "150,000,00", "l0,OOO",
    "one", "One Hundred", " thousand", "million ", "and ", "Series ", "series A ", "Class B", "7.25% ",
    "Preferred", "shares", "x", "\u00e9",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_NUMBER_PIECES), max_size=60).map("".join), st.integers(1, 9), st.integers(0, 5)
)
def test_candidates_gathered_window_by_window_find_what_the_plain_scan_finds(text, window, cut):
    """`finditer_from` gathers where a match may begin a window at a time; with windows of a few characters
    it still finds each match `finditer` finds (figures and words, series names)."""
    start = min(cut, len(text))
    with _Piece(textmap, "_CAND_WINDOW", window):
        found = list(numbers._amount_matches(text, start, len(text)))
        series = list(
            textmap.finditer_from(
                designations._SERIES, text, ("series", "class"), start_re=designations._PCT_START
            )
        )
        extra = list(textmap.finditer_from(numbers._AMOUNT, text, (), start, extra=range(len(text) - start)))
    assert [m.span() for m in found] == [m.span() for m in numbers._AMOUNT.finditer(text, start)]
    assert [m.span() for m in series] == [m.span() for m in designations._SERIES.finditer(text)]
    assert [m.span() for m in extra] == [m.span() for m in numbers._AMOUNT.finditer(text, start)]
    assert list(numbers.iter_amounts(text, start)) == numbers.amounts(text, start)


clean = importlib.import_module("minutebook.ingest.clean")
_PAGE_PIECES = (" ", "\n", "\n\n", "\t", "12", "3", "- 4 -", "Page 2 of 5", "(7)", "page", "x", "word", "\f")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PAGE_PIECES), max_size=50).map("".join), st.integers(-60, 60))
def test_lines_and_page_numbers_are_the_plain_ones(text, i):
    """`clean` holds a text's lines as an array of starts and counts each page number's line on from the last
    one's; the plain forms: a list of (start, end) from `split`, and every line matched on its own."""
    plain, pos = [], 0
    for line in text.split("\n"):
        plain.append((pos, pos + len(line)))
        pos += len(line) + 1
    lines = clean._lines(text)
    assert len(lines) == len(plain) and list(lines) == plain
    if -len(plain) <= i < len(plain):
        assert lines[i] == plain[i]
    expected = [
        n for n, line in enumerate(text.split("\n")) if line.strip() and clean._PAGE_NUMBER.match(line)
    ]
    assert clean._page_number_lines(text) == expected


_SERIES_TEXT = (
    " ", ", ", "\n", ".", "1,000", " 2,500 ", "shares", " shares ", "of ", "Preferred Stock", "designated ",
    "as ", '"', "Series A", "Series A-1", "Series B", "Series b", "Class C", " Preferred", "up to ", "is ",
    "authorized to issue ", "$", "(", ")", "x", "consisting of ",
)  # fmt: skip


def _plain_parent_total(text, a, s, names) -> bool:
    after = text[a.end : a.end + 80]
    if any(ns <= a.start < ne for ns, ne, _ in names):
        return True
    if not designations._OF_PREFERRED.match(after):
        return False
    return bool(designations._ISSUE_CUE.search(text[max(s, a.start - 80) : a.start]))


def _plain_sizes(text, s, e, names):
    shares = designations._share_amounts(text, s, e)
    cands = [a for a in shares if not _plain_parent_total(text, a, s, names)]
    out = []
    for idx, (ns, ne, _name) in enumerate(names):
        lo = names[idx - 1][1] if idx else s
        hi = names[idx + 1][0] if idx + 1 < len(names) else e
        before = [a for a in cands if lo <= a.start < ns]
        after = [a for a in cands if ne <= a.start < hi]
        out.append(before[-1].value if before else after[0].value if after else None)
    if names and out[0] is None:
        out[0] = designations._size(text, s, e, [], shares)
    return out


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_SERIES_TEXT), max_size=60).map("".join),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 30)), max_size=8),
    st.integers(0, 130),
)
def test_series_sizes_by_bisection_are_the_plain_scan(text, spans, x):
    """A sentence naming many series: each name's size, and whether a figure lies inside a name, found by
    bisection (`_Spans`, `_sizes`), as the plain scans over every figure and every name find them."""
    names = [(ns, ns + n, "x") for ns, n in spans]
    assert designations._Spans(names).holds(x) == any(ns <= x < ne for ns, ne, _ in names)
    found = sorted(
        (m.start(), m.end(), designations._title_case(m.group(0)))
        for m in designations._SERIES.finditer(text)
    )
    assert designations._sizes(text, 0, len(text), found) == _plain_sizes(text, 0, len(text), found)
    assert designations._sizes(text, 0, len(text), sorted(names)) == _plain_sizes(
        text, 0, len(text), sorted(names)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(("Series A", "Series a", "Series B", "Class A", "Series A-1", "Series AB", "x")),
        max_size=12,
    ),
    st.sampled_from(("Series A Junior", "series a", "Class B", "Series Q", "none")),
)
def test_series_known_by_letter_index_is_the_plain_scan(names, name):
    found, letters = {}, {}
    for n in names:
        key = designations._key(n)
        if key not in found:
            found[key] = designations.SeriesRead(n, None, 0, 0, False, None, False)
            designations._add_letter(letters, key, n)
    key = designations._key(name)
    plain = key
    if key not in found and (m := designations._LETTER.search(name)):
        same = [
            k
            for k, sr in found.items()
            if (lm := designations._LETTER.search(sr.name)) and lm.group(1) == m.group(1)
        ]
        plain = same[0] if len(same) == 1 else key
    assert designations._known(found, {}, name, letters) == plain


stock = importlib.import_module("minutebook.ingest.extract.stock")
_PURPOSE_PIECES = (
    " ", ".", ",", "\n", "fix", "FIX", "Determine", "designate", "establish", "provide", "ISSUE", "issued",
    "the ", "rights", "Preference", "series", "powers", "x", "1,000", "|", "\u00e9",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PURPOSE_PIECES), max_size=60).map("".join))
def test_blank_purpose_tried_where_its_words_are_is_the_search(text):
    plain = stock._BLANK_PURPOSE.search(text) is not None
    low = text.lower() if text.isascii() else None
    assert stock._blank_purpose(text, low) == plain


def _long_designation(size: int) -> str:
    """One certificate of designations, `size` characters or so: series after series, then a table of them."""
    head = (
        "CERTIFICATE OF DESIGNATIONS\nOF\nPREFERRED STOCK\nOF\nHOLLOWAY QUILL WORKS, INC.\n\n"
        "Pursuant to Section 151(g) of the General Corporation Law of the State of Delaware\n\n"
        "RESOLVED, that the Board of Directors hereby designates the following series of Preferred Stock:\n\n"
    )
    parts, n, i = [head], len(head), 0
    while n < size // 2:
        block = (
            f'{i % 9 + 1}. The shares of such series shall be designated as "Series {chr(65 + i % 26)}-{i} '
            f'Preferred Stock", and the number of shares constituting such series shall be {(i % 900 + 1) * 1000:,}. '
            f"The holders shall be entitled to receive dividends at the rate of {i % 12 + 1}% per annum.\n\n"
        )
        parts.append(block)
        n += len(block)
        i += 1
    while n < size:
        row = f"| Preferred | Series {chr(65 + i % 26)}-{i} | {(i % 900 + 1) * 1000:,} | $0.001 |\n"
        parts.append(row)
        n += len(row)
        i += 1
    return "".join(parts)


def test_reading_a_long_document_holds_a_few_bytes_a_character():
    """Memory in the input's size: the reader's peak allocations while reading one long document stay a few
    bytes a character (a map of one 8-byte offset a character, a list of its words or of every figure, each
    costs more than the whole bound). Its pieces and windows made small, so that a quarter-megabyte text is
    read as a 32 MiB one is."""
    import tracemalloc

    from minutebook.ingest import read_text

    text = _long_designation(256 * 1024)
    read_text(text[:20_000], "warm.txt")  # patterns compiled and modules loaded before counting
    with (
        _Piece(textmap, "_JOIN_PIECE", 4096),
        _Piece(defects, "_WORDS_PIECE", 4096),
        _Piece(textmap, "_CAND_WINDOW", 4096),
    ):
        tracemalloc.start()
        try:
            result = read_text(text, "long.txt")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.documents
    assert peak / len(text) < 20, f"{peak / len(text):.1f} bytes a character"
