"""Mutated real filings, and the property the charter reader must keep on them: shared by
`test_fuzz.py` (a modest, stable run in the suite) and `bench/fuzz_read.py` (long runs across processes).

Seeds are real documents: the Auxer filing in examples/, every document under tests/ingest/docs/, and
every file of the development corpus when it is present (`$MINUTEBOOK_CORPUS`, else `../shared/corpus`
beside the repo), listed when the seeds are first asked for. Hypothesis composes mutations of one seed's
bytes: byte flips; lines deleted, doubled or swapped; truncation at any byte; random Unicode and raw
bytes that are not UTF-8; huge and odd figures in capital and split clauses; impossible dates; title
lines repeated; HTML/SGML tags and character references; a 1 MB line; other line endings and encodings;
a span of another seed spliced in.

The property (`exercise`): `read([file])` and, when the bytes decode, `read_text(text)` return or raise
a `MinutebookError` whose message is one line naming the file; the result's `to_json(as_of=...)`
serialises with `json.dumps`; `charter.at(...)` and `charter.diff(...)` over consecutive versions work.
Any other exception escapes, noted with the stage it came from.
"""

from __future__ import annotations

import json
import os
import re
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from minutebook.core.errors import MinutebookError
from minutebook.ingest import read, read_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "auxer-group-charter.txt"
DOCS = Path(__file__).resolve().parent / "docs"
DOC_SUFFIXES = (".txt", ".htm", ".html")
MAX_MUTANT_BYTES = 2 * 1024 * 1024  # a mutant is cut back to this, so a run's time stays bounded
LONG_LINE_BYTES = (1024, 64 * 1024, 1024 * 1024)

# -- seeds -------------------------------------------------------------------------------------------------


def corpus_dir() -> Path | None:
    """The development corpus: `$MINUTEBOOK_CORPUS`, else `<repo>/../shared/corpus`; None when absent."""
    env = os.environ.get("MINUTEBOOK_CORPUS")
    d = Path(env) if env else ROOT.parent / "shared" / "corpus"
    return d if d.is_dir() else None


@cache
def seeds() -> tuple[tuple[str, bytes], ...]:
    """(label, bytes) of every seed document, in a stable order (corpus files as listed at run time)."""
    files = [EXAMPLE, *sorted(p for p in DOCS.iterdir() if p.is_file() and p.suffix in DOC_SUFFIXES)]
    corpus = corpus_dir()
    if corpus is not None:
        files += sorted(p for p in corpus.iterdir() if p.is_file())
    return tuple((_label(p), p.read_bytes()) for p in files)


def _label(p: Path) -> str:
    """The seed's path relative to the repo (`corpus/NAME` for a corpus file)."""
    corpus = corpus_dir()
    if corpus is not None and p.is_relative_to(corpus):
        return f"corpus/{p.relative_to(corpus)}"
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else p.name


# -- what a mutation inserts -------------------------------------------------------------------------------

TRICKY_TEXT = (
    "\x00",
    "\x07",
    "\x0b",
    "\x0c",  # form feed: a page break in filed text
    "\r",
    "\r\n",
    "\x1a",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\xa0",
    "\xad",
    "\u0301",  # combining acute
    "e\u0301\u0327\u0308\u20dd",  # a stack of combining marks
    "\u0338",
    "\u200b",  # zero-width space
    "\u200c\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202e",  # right-to-left override
    "\u2066\u2069",
    "\u0627\u0644\u0634\u0631\u0643\u0629",  # Arabic
    "\u05d7\u05d1\u05e8\u05d4",  # Hebrew
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\u00bd",
    "\u2153",
    "\u0661\u0662\u0663",
    "\uff11\uff12\uff13",
    "\U0001d7cf\U0001d7ce",
    "\u2160\u2163",
    "\ufb01",
    "\u2014",
    "\u201c",
    "\u201d",
    "\u2019",
    "$",
    "\u20ac",
    "(",
    ")",
    ",",
    ".",
    ":",
    "\t",
    "\n",
    "\n\n\n",
    "-\n",
    "\U0001f4c4",
    "\U000e0001",
    "\U0010ffff",
)
# Bytes a decoder trips on: lone continuation bytes, overlong forms, encoded surrogates (what
# surrogateescape/surrogatepass leave), code points past U+10FFFF, BOMs mid-file, cut sequences.
RAW_BYTES = (
    b"\x80",
    b"\xff",
    b"\xc0\x80",
    b"\xc1\xbf",
    b"\xe0\x80\x80",
    b"\xed\xa0\x80",
    b"\xed\xb2\x80",
    b"\xed\xa0\xbd\xed\xb2\xa9",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xe2\x80",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x81\x8d\x8f\x90\x9d",
    b"\x00\x00\x00\x00",
    b"\x1a",
    "\udc80\udcff".encode("utf-8", "surrogatepass"),
)
HUGE = (
    "9" * 400,
    "1,000,000,000,000,000,000,000",
    "$0.0000000000000000001",
    "0.0000000000000000001",
    "0",
    "00",
    "-1",
    "-1,000,000",
    "(1,000)",
    "1e309",
    "1E+400",
    "NaN",
    "Infinity",
    "0.00",
    "$.",
    ".",
    ",",
    "1,0,0",
    "1..5",
    "1.000.000,00",
    "00000000000000000001",
    "\uff11\uff10\uff10\uff10",
    "\u0661\u0662\u0663\u0664",
    "\U0001d7cf\U0001d7ce\U0001d7ce",
    "1\u00a0000\u00a0000",
    "10,000,000,000,000,000,000,000,000,000,000,000,000",
    "$999,999,999,999,999,999.999999999999",
    "one hundred quintillion",
    "nine hundred ninety-nine trillion nine hundred ninety-nine billion (9)",
    "zero (0)",
    "two hundred (200,000,000,000,000,000,000,000,000,000)",
    "1/0",
    "0/0",
)
PARS = (
    "$0.0000000000000000001",
    "$0",
    "$.",
    "$-1.00",
    "no par",
    "$1,000,000,000,000,000,000,000",
    "$" + "9" * 400,
    "$1e-400",
    "NaN",
    "one-tenth of one cent ($0.0000000000000000001)",
)
CLAUSES = (
    "The total number of shares of all classes of stock which the Corporation shall have authority to "
    "issue is {n} shares, consisting of {n} shares of Common Stock, par value {p} per share, and {n} "
    "shares of Preferred Stock, par value {p} per share.",
    "FOURTH: The Corporation is authorized to issue {n} shares of capital stock, par value {p} per share.",
    "The number of authorized shares of Common Stock is hereby increased from {n} to {n}.",
    "Each {n} shares of Common Stock issued and outstanding shall be combined into {n} share of "
    "Common Stock (a {n}-for-{n} reverse stock split).",
    "Each share of Common Stock shall be split into {n} shares of Common Stock.",
    "{n} shares of the Preferred Stock are designated Series A Preferred Stock, stated value {p}.",
    "Each share of Class B Common Stock shall entitle the holder to {n} votes.",
)
ODD_DATES = (
    "February 30, 1999",
    "February 29, 2001",
    "April 31, 2003",
    "January 1, 0",
    "January 1, 0000",
    "December 31, 9999",
    "January 1, 10000",
    "the 0th day of March, 2000",
    "this 32nd day of May, 1998",
    "13/45/2001",
    "00/00/0000",
    "2001-02-29",
    "12/31/99999",
    "September 31, 1",
)
TITLES = (
    "CERTIFICATE OF INCORPORATION",
    "CERTIFICATE OF AMENDMENT",
    "RESTATED CERTIFICATE OF INCORPORATION",
    "CERTIFICATE OF DESIGNATIONS",
    "ARTICLES OF INCORPORATION",
)
MARKUP = (
    "<DOCUMENT>",
    "</DOCUMENT>",
    "<DOCUMENT>\n<TYPE>EX-3.1\n<TEXT>\n",
    "<TYPE>GRAPHIC",
    "<TYPE>",
    "<TEXT>",
    "</TEXT>",
    "<PAGE>",
    "<PAGE> 7",
    "<S>",
    "<C>",
    "<SEC-DOCUMENT>",
    "<p>",
    "</p>",
    "<p",
    "<p style='",
    "<br/>",
    "<BR>",
    "<html><body>",
    "</body></html>",
    "<table><tr><td>",
    "</td><td>",
    "<td colspan=99999999>",
    '<div style="display:none">',
    "<font size=2>",
    "<b>",
    "<center>",
    "<script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?xml version='1.0'?>",
    "<!DOCTYPE html>",
    "</",
    "<",
    ">",
    "&#99999999;",
    "&#x110000;",
    "&#xD800;",
    "&#0;",
    "&#;",
    "&#x;",
    "&nbsp;",
    "&amp",
    "&unknownentity;",
    "&#8212;",
)
LONG_FILL = ("x", "9", " ", "\t", "-", "=", ".", "9,", "a ", "<p>", "\u200b", "\u00e9")
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252", "latin-1", "utf-32")

# -- mutations ---------------------------------------------------------------------------------------------
# Each takes the bytes and Hypothesis's `draw`, and returns (new bytes, what it did). Positions are drawn,
# so a failing example shrinks toward the least damage near the start of the file.

Mutation = Callable[[bytes, Callable], tuple[bytes, str]]


def _position(data: bytes, draw) -> int:
    """A byte offset: anywhere, or the start of a line."""
    if draw(st.booleans()):
        return draw(st.integers(0, len(data)))
    starts = [0, *(m.end() for m in re.finditer(rb"\r\n|\n|\r", data))]
    return starts[draw(st.integers(0, len(starts) - 1))]


def _insert(data: bytes, draw, piece: bytes) -> tuple[bytes, int]:
    i = _position(data, draw)
    return data[:i] + piece + data[i:], i


def flip_bytes(data: bytes, draw) -> tuple[bytes, str]:
    if not data:
        return data, "flip: empty"
    b = bytearray(data)
    spots = draw(st.lists(st.integers(0, len(b) - 1), min_size=1, max_size=16))
    for i in spots:
        b[i] ^= draw(st.integers(1, 255))
    return bytes(b), f"flip bytes at {spots}"


def delete_lines(data: bytes, draw) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data, "delete: no lines"
    i = draw(st.integers(0, len(lines) - 1))
    n = draw(st.sampled_from((1, 1, 1, 2, 5, 20)))
    del lines[i : i + n]
    return b"".join(lines), f"delete {n} line(s) from line {i + 1}"


def duplicate_line(data: bytes, draw) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data, "duplicate: no lines"
    i = draw(st.integers(0, len(lines) - 1))
    times = draw(st.sampled_from((1, 2, 50)))
    line = lines[i] if lines[i].endswith((b"\n", b"\r")) else lines[i] + b"\n"
    lines[i:i] = [line] * times
    return b"".join(lines), f"duplicate line {i + 1} x{times}"


def swap_lines(data: bytes, draw) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data, "swap: too few lines"
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    ended = [x if x.endswith((b"\n", b"\r")) else x + b"\n" for x in lines]
    return b"".join(ended), f"swap lines {i + 1}, {j + 1}"


def truncate(data: bytes, draw) -> tuple[bytes, str]:
    i = draw(st.integers(0, len(data)))
    return data[:i], f"truncate at byte {i}"


def insert_unicode(data: bytes, draw) -> tuple[bytes, str]:
    chars = st.one_of(st.sampled_from(TRICKY_TEXT), st.characters(codec="utf-8"))
    junk = "".join(draw(st.lists(chars, min_size=1, max_size=12)))
    out, i = _insert(data, draw, junk.encode("utf-8"))
    return out, f"insert {junk!r} at byte {i}"


def insert_raw_bytes(data: bytes, draw) -> tuple[bytes, str]:
    junk = b"".join(draw(st.lists(st.sampled_from(RAW_BYTES), min_size=1, max_size=4)))
    out, i = _insert(data, draw, junk)
    return out, f"insert {junk!r} at byte {i}"


_FIGURE = re.compile(rb"\$?\d[\d,.]*\d|\d")


def huge_numbers(data: bytes, draw) -> tuple[bytes, str]:
    """A figure of the text replaced by a huge or odd one, or a capital/split clause full of them added."""
    figures = list(_FIGURE.finditer(data))
    if figures and draw(st.booleans()):
        m = figures[draw(st.integers(0, len(figures) - 1))]
        new = draw(st.sampled_from(HUGE + PARS))
        return data[: m.start()] + new.encode() + data[m.end() :], f"figure {m.group()!r} -> {new!r}"
    template = draw(st.sampled_from(CLAUSES))
    clause = re.sub(r"\{n\}", lambda _: draw(st.sampled_from(HUGE)), template)
    clause = re.sub(r"\{p\}", lambda _: draw(st.sampled_from(PARS)), clause)
    out, i = _insert(data, draw, ("\n" + clause + "\n").encode())
    return out, f"insert clause {clause!r} at byte {i}"


_DATE = re.compile(
    rb"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    rb"\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}",
    re.I,
)


def odd_dates(data: bytes, draw) -> tuple[bytes, str]:
    new = draw(st.sampled_from(ODD_DATES))
    dates = list(_DATE.finditer(data))
    if dates and draw(st.booleans()):
        m = dates[draw(st.integers(0, len(dates) - 1))]
        return data[: m.start()] + new.encode() + data[m.end() :], f"date {m.group()!r} -> {new!r}"
    out, i = _insert(data, draw, f"\nFiled {new}. IN WITNESS WHEREOF, signed this {new}.\n".encode())
    return out, f"insert date {new!r} at byte {i}"


_TITLE_LINE = re.compile(
    rb"^[^\n]{0,80}(?:CERTIFICATE|ARTICLES|RESTATED|AMENDMENT|DESIGNATION)[^\n]{0,80}$", re.M | re.I
)


def repeat_title(data: bytes, draw) -> tuple[bytes, str]:
    titles = [m.group() for m in _TITLE_LINE.finditer(data)]
    title = draw(st.sampled_from(titles)) if titles and draw(st.booleans()) else draw(st.sampled_from(TITLES))
    title = title.encode() if isinstance(title, str) else title
    times = draw(st.sampled_from((2, 3, 10, 200)))
    sep = draw(st.sampled_from((b"\n", b"\n\n", b" ", b"\x0c")))
    out, i = _insert(data, draw, (title.rstrip(b"\r") + sep) * times)
    return out, f"repeat title {title[:60]!r} x{times} at byte {i}"


def insert_markup(data: bytes, draw) -> tuple[bytes, str]:
    tags = draw(st.lists(st.sampled_from(MARKUP), min_size=1, max_size=5))
    out, where = data, []
    for tag in tags:
        out, i = _insert(out, draw, tag.encode())
        where.append(i)
    return out, f"insert {tags} at bytes {where}"


def long_line(data: bytes, draw) -> tuple[bytes, str]:
    """A line of up to 1 MB without a newline: filler, or a real line of the text repeated."""
    size = draw(st.sampled_from(LONG_LINE_BYTES))
    lines = [x for x in data.splitlines() if x.strip()]
    if lines and draw(st.booleans()):
        unit = lines[draw(st.integers(0, len(lines) - 1))] + b" "
        what = f"line {unit[:40]!r}..."
    else:
        fill = draw(st.sampled_from(LONG_FILL))
        unit, what = fill.encode(), repr(fill)
    piece = (unit * (size // len(unit) + 1))[:size]
    out, i = _insert(data, draw, piece)
    return out, f"insert {size} bytes of {what} at byte {i}"


def flatten(data: bytes, draw) -> tuple[bytes, str]:
    """Line breaks lost over a stretch of the text (as in a badly converted filing)."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return data, "flatten: no lines"
    i = draw(st.integers(0, len(lines) - 1))
    n = draw(st.sampled_from((2, 10, 100, len(lines))))
    joined = b" ".join(x.rstrip(b"\r\n") for x in lines[i : i + n])
    return b"".join([*lines[:i], joined, b"\n", *lines[i + n :]]), f"flatten {n} lines from line {i + 1}"


def line_endings(data: bytes, draw) -> tuple[bytes, str]:
    new = draw(st.sampled_from((b"\r\n", b"\r", b"\n\n", b"\x0c", "\u2028".encode(), b"\x85", b"\r\r\n")))
    return data.replace(b"\n", new), f"line endings -> {new!r}"


def reencode(data: bytes, draw) -> tuple[bytes, str]:
    codec = draw(st.sampled_from(ENCODINGS))
    text = data.decode("utf-8", "replace")
    return text.encode(codec, "replace"), f"re-encode as {codec}"


def splice_seed(data: bytes, draw) -> tuple[bytes, str]:
    """A span of another seed inserted (several filings pasted into one file)."""
    label, other = draw(st.sampled_from(seeds()))
    a = draw(st.integers(0, len(other)))
    b = draw(st.integers(a, len(other)))
    out, i = _insert(data, draw, other[a:b])
    return out, f"splice bytes {a}:{b} of {label} at byte {i}"


MUTATIONS: tuple[Mutation, ...] = (
    flip_bytes,
    delete_lines,
    duplicate_line,
    swap_lines,
    truncate,
    insert_unicode,
    insert_raw_bytes,
    huge_numbers,
    odd_dates,
    repeat_title,
    insert_markup,
    long_line,
    flatten,
    line_endings,
    reencode,
    splice_seed,
)


class Mutant:
    """Mutated bytes of one seed, with the steps that made them; shown by its steps, not its bytes."""

    __slots__ = ("seed", "suffix", "steps", "data")

    def __init__(self, seed: str, suffix: str, steps: tuple[str, ...], data: bytes) -> None:
        self.seed, self.suffix, self.steps, self.data = seed, suffix, steps, data

    def __repr__(self) -> str:
        shown = self.data if len(self.data) <= 300 else self.data[:300] + b"..."
        steps = "; ".join(s[:300] for s in self.steps)
        return f"Mutant(seed={self.seed!r}, steps=[{steps}], {len(self.data)} bytes: {shown!r})"

    def _repr_pretty_(self, p, cycle) -> None:  # Hypothesis prints falsifying examples with this
        p.text(repr(self))


@st.composite
def mutants(draw, max_steps: int = 5) -> Mutant:
    label, data = draw(st.sampled_from(seeds()))
    steps = []
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=max_steps)):
        data, step = mutation(data, draw)
        if len(data) > MAX_MUTANT_BYTES:
            data = data[:MAX_MUTANT_BYTES]
            step += f", cut to {MAX_MUTANT_BYTES} bytes"
        steps.append(step)
    return Mutant(label, Path(label).suffix or ".txt", tuple(steps), data)


# -- the property ------------------------------------------------------------------------------------------


class BadErrorMessage(AssertionError):
    """A MinutebookError whose message is not one line naming the file."""


class ReaderTimeout(Exception):
    """An example ran past its time limit (the reader is far slower than its 2 MB/s target, or hangs)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `ReaderTimeout` in the main thread once `seconds` have passed; 0 means no limit."""
    if seconds <= 0:
        yield
        return

    def alarm(signum, frame):
        raise ReaderTimeout(f"no answer within {seconds:g} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def decode(data: bytes) -> str | None:
    """The text a caller of `read_text` would hold: UTF-8, else Windows-1252; None when neither decodes."""
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def exercise(data: bytes, path: Path, as_of: date) -> None:
    """Run the reader over `data` both ways and use what it returns; raise if anything but a well-formed
    MinutebookError comes out (the exception carries a note naming the stage)."""
    path.write_bytes(data)
    name = str(path)
    res = _stage("read([file])", name, lambda: read([path]))
    if res is not None:
        for line in res.errors:
            _check_message(line, name, "read([file]) result.errors")
        _use(res, as_of, "read([file])")
    text = decode(data)
    if text is not None:
        res = _stage("read_text(text)", name, lambda: read_text(text, name))
        if res is not None:
            _use(res, as_of, "read_text(text)")


def _use(res, as_of: date, via: str) -> None:
    _stage(
        f"{via} -> to_json(as_of={as_of})",
        None,
        lambda: json.dumps(res.to_json(as_of=as_of), allow_nan=False),
    )
    charter = res.charter
    versions = charter.versions
    days = {date.min, date.max, as_of}
    for v in versions:
        if v.effective_on is not None:
            days.update(_near(v.effective_on))
    for d in sorted(days):
        _stage(f"{via} -> charter.at({d})", None, lambda d=d: charter.at(d))
    for i in range(1, len(versions)):
        a, b = versions[i - 1], versions[i]
        changes = _stage(f"{via} -> charter.diff({i - 1}, {i})", None, lambda a=a, b=b: charter.diff(a, b))
        for c in changes or ():
            _stage(
                f"{via} -> change.to_json/describe", None, lambda c=c: (json.dumps(c.to_json()), c.describe())
            )
        if a.effective_on and b.effective_on:
            _stage(
                f"{via} -> charter.diff({a.effective_on}, {b.effective_on})",
                None,
                lambda a=a, b=b: charter.diff(a.effective_on, b.effective_on),
            )


def _near(d: date) -> list[date]:
    """The day, and the days either side where the calendar has them."""
    lo, hi = date.min.toordinal(), date.max.toordinal()
    return [date.fromordinal(d.toordinal() + k) for k in (-1, 0, 1) if lo <= d.toordinal() + k <= hi]


def _stage(stage: str, name: str | None, fn):
    try:
        return fn()
    except MinutebookError as e:
        _check_message(str(e), name, stage, e)
        return None
    except Exception as e:
        e.add_note(f"fuzz stage: {stage}")
        raise


def _check_message(message: str, name: str | None, stage: str, exc: BaseException | None = None) -> None:
    problem = None
    if not message.strip() or len(message.strip().splitlines()) != 1:
        problem = "is not one line"
    elif name is not None and name not in message:
        problem = f"does not name {name}"
    if problem:
        err = BadErrorMessage(f"{stage}: error message {problem}: {message[:500]!r}")
        err.add_note(f"fuzz stage: {stage}")
        raise err from exc


# -- describing a failure ----------------------------------------------------------------------------------


def signature(exc: BaseException) -> tuple[str, str]:
    """(exception type, innermost minutebook frame as file:line in function): one key per distinct bug."""
    origin = exc.__cause__ if isinstance(exc, BadErrorMessage) and exc.__cause__ else exc
    frames = traceback.extract_tb(origin.__traceback__)
    ours = [f for f in frames if f"{os.sep}minutebook{os.sep}" in f.filename and "tests" not in f.filename]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(exc).__name__, "?"
    if isinstance(exc, ReaderTimeout):  # where the alarm struck varies: the function, not the line
        return type(exc).__name__, f"{_short(frame.filename)} in {frame.name}"
    return type(exc).__name__, f"{_short(frame.filename)}:{frame.lineno} in {frame.name}"


def _short(filename: str) -> str:
    i = filename.rfind(f"{os.sep}minutebook{os.sep}")
    return filename[i + 1 :] if i >= 0 else filename


def stage_of(exc: BaseException) -> str:
    notes = [n for n in getattr(exc, "__notes__", ()) if n.startswith("fuzz stage: ")]
    return notes[-1].removeprefix("fuzz stage: ") if notes else "?"


def last_frames(exc: BaseException, n: int = 4) -> str:
    """The innermost `n` frames of the reader (the time limit's own frame left out)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    return "".join(traceback.format_list(frames[-n:])).rstrip()
