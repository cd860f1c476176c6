"""Property tests of `read_text` on damaged charters: the Auxer filing and synthetic ones, mutated the
ways scanned and retyped filings are damaged (lines lost, doubled or swapped; stray unicode and control
characters; OCR swaps of 0/O and 1/l; hyphenated line breaks; commas dropped from figures; truncation).

Whatever the text, `read_text` either raises `InputError` or returns a result whose JSON serialises, whose
findings point inside the text, and whose versions' authorized totals are None or non-negative ints.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from minutebook.core.errors import InputError
from minutebook.ingest import read_text

ROOT = Path(__file__).resolve().parents[2]
AUXER = (ROOT / "examples" / "auxer-group-charter.txt").read_text(encoding="utf-8")
PATH = "x.txt"


def _load_synth():
    """bench/synth.py, the generator the benchmark uses, loaded by file so bench/ need not be a package."""
    spec = importlib.util.spec_from_file_location("minutebook_bench_synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


synth = _load_synth()

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Line breaks as any reader might count them: str.splitlines()'s set, plus "\r\n" as one break.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
TRICKY = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\t",
    "\n",
    "\x0b",
    "\x0c",
    "\r",
    "\r\n",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\xa0",
    "\xad",
    "\u200b",
    "\u200e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\u00bd",
    "\u2153",
    "\u0661\u0662\u0663",
    "\uff11\uff12",
    "\U0001d7cf",
    "\u2014",
    "\u2013",
    "\u201c",
    "\u201d",
    "\u2019",
    "ﬁ",
    "Ⅳ",
    "$",
    "(",
    ")",
    ",",
    ".",
    ":",
    '"',
    "-\n",
    "  ",
    "\U0001f4c4",
)
ANY_CHAR = st.characters(codec="utf-8")  # any character a decoded file can hold: no lone surrogates
OCR_SWAPS = {"0": "O", "O": "0", "1": "l", "l": "1"}

charter_seeds = st.integers(min_value=0, max_value=2**32 - 1)


def line_count(text: str) -> int:
    """Lines in `text` counted as generously as any reader could: a final break opens one more line."""
    return len(LINE_BREAK.split(text))


# -- mutations ---------------------------------------------------------------------------------------------
# Each takes the text and Hypothesis's `draw`, and returns the mutated text. Positions are drawn, so a
# failing example shrinks to the smallest damage that breaks the reader.


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def delete_line(text: str, draw) -> str:
    lines = _lines(text)
    if not lines:
        return text
    del lines[draw(st.integers(0, len(lines) - 1))]
    return "".join(lines)


def duplicate_line(text: str, draw) -> str:
    lines = _lines(text)
    if not lines:
        return text
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i] if lines[i].endswith("\n") else lines[i] + "\n")
    return "".join(lines)


def swap_lines(text: str, draw) -> str:
    lines = _lines(text)
    if len(lines) < 2:
        return text
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def insert_junk(text: str, draw) -> str:
    junk = draw(st.lists(st.one_of(st.sampled_from(TRICKY), ANY_CHAR), min_size=1, max_size=8))
    i = draw(st.integers(0, len(text)))
    return text[:i] + "".join(junk) + text[i:]


def _replace_matching(text: str, draw, pattern: str, alphabet: str) -> str:
    spots = [m.start() for m in re.finditer(pattern, text)]
    if not spots:
        return text
    chars = list(text)
    for i in draw(st.lists(st.sampled_from(spots), min_size=1, max_size=10, unique=True)):
        chars[i] = draw(st.sampled_from(alphabet))
    return "".join(chars)


def replace_digits(text: str, draw) -> str:
    return _replace_matching(text, draw, r"\d", "0123456789")


def replace_letters(text: str, draw) -> str:
    return _replace_matching(text, draw, r"[A-Za-z]", "abcdefghijklmnopqrstuvwxyzAEIOUSTRN")


def truncate(text: str, draw) -> str:
    return text[: draw(st.integers(0, len(text)))]


def ocr_swaps(text: str, draw) -> str:
    if draw(st.booleans()):  # every 0/O and 1/l swapped
        return text.translate(str.maketrans(OCR_SWAPS))
    spots = [m.start() for m in re.finditer(r"[0O1l]", text)]
    if not spots:
        return text
    chars = list(text)
    for i in draw(st.lists(st.sampled_from(spots), min_size=1, max_size=20, unique=True)):
        chars[i] = OCR_SWAPS[chars[i]]
    return "".join(chars)


def hyphenate(text: str, draw) -> str:
    """A word broken across lines with a hyphen, as typesetting and OCR leave it ("corpo-\\nration")."""
    spots = [m.start() for m in re.finditer(r"(?<=[A-Za-z0-9,])[A-Za-z0-9]", text)]
    if not spots:
        return text
    breaks = draw(st.lists(st.sampled_from(spots), min_size=1, max_size=10, unique=True))
    for i in sorted(breaks, reverse=True):
        text = text[:i] + draw(st.sampled_from(("-\n", "- \n", "-\r\n", "\u00ad\n"))) + text[i:]
    return text


def drop_commas(text: str, draw) -> str:
    if draw(st.booleans()):
        return re.sub(r"(?<=\d),(?=\d)", "", text)  # 175,000,000 -> 175000000
    spots = [m.start() for m in re.finditer(",", text)]
    if not spots:
        return text
    drop = set(draw(st.lists(st.sampled_from(spots), min_size=1, max_size=10, unique=True)))
    return "".join(c for i, c in enumerate(text) if i not in drop)


def line_endings(text: str, draw) -> str:
    return text.replace("\n", draw(st.sampled_from(("\r\n", "\r", "\n\n"))))


MUTATIONS = (
    delete_line,
    duplicate_line,
    swap_lines,
    insert_junk,
    replace_digits,
    replace_letters,
    truncate,
    ocr_swaps,
    hyphenate,
    drop_commas,
    line_endings,
)


@st.composite
def mutated(draw, base: st.SearchStrategy[str]) -> str:
    text = draw(base)
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=6)):
        text = mutation(text, draw)
        note(f"after {mutation.__name__}: {len(text)} chars")
    return text


synthetic = charter_seeds.map(lambda seed: synth.synthetic_charter(random.Random(seed)))


# -- the invariants ----------------------------------------------------------------------------------------


def check_invariants(text: str) -> None:
    try:
        res = read_text(text, path=PATH)
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip(), f"InputError message is not one line: {message!r}"
        return
    data = res.to_json()
    json.dumps(data, allow_nan=False)
    lines = line_count(text)
    sources = [f.get("source") for f in data["findings"]]
    sources += [f.source.to_json() if f.source else None for f in res.findings]
    for src in sources:
        if src is None:
            continue
        assert src["path"] == PATH, src
        assert isinstance(src["line"], int) and 1 <= src["line"] <= lines, (src, lines)
        assert isinstance(src["column"], int) and src["column"] >= 1, src
    for v in res.charter.versions:
        total = v.capital.total_authorized if v.capital is not None else None
        assert total is None or (type(total) is int and total >= 0), (v.effective_on, total)
    for total in _values_of(data["versions"], "total_authorized"):
        assert total is None or (type(total) is int and total >= 0), total


def _values_of(node: object, key: str):
    """Every value stored under `key` anywhere in a JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _values_of(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _values_of(v, key)


@PROPERTY
@given(mutated(st.just(AUXER)))
def test_mutated_auxer_filing(text):
    check_invariants(text)


@PROPERTY
@given(mutated(synthetic))
def test_mutated_synthetic_charter(text):
    check_invariants(text)


@st.composite
def two_corporations(draw) -> str:
    other = draw(synthetic)
    return AUXER + "\n\n" + other if draw(st.booleans()) else other + "\n\n" + AUXER


@PROPERTY
@given(mutated(two_corporations()))
def test_mutated_filings_read_together(text):
    """Two corporations' filings in one text: whatever the reader makes of it, the invariants hold."""
    check_invariants(text)


@settings(max_examples=50, deadline=None)
@given(charter_seeds)
def test_synthetic_charter_reads_as_written(seed):
    """Undamaged, a synthetic charter reads without error into one version per filed document, the last
    with the total authorized shares it states."""
    case = synth.synthetic_case(random.Random(seed))
    check_invariants(case.text)
    res = read_text(case.text, path=PATH)
    versions = res.charter.versions
    assert len(versions) == len(case.versions)
    current = versions[-1]
    assert current.capital is not None
    assert current.capital.total_authorized == case.versions[-1].total_authorized
