"""Fuzzing the charter reader with mutated real filings (strategies and property in `readfuzz.py`).

Whatever the bytes, `read([file])` and `read_text(text)` either return a result that serialises
(`to_json(as_of=...)`, `json.dumps`) and answers `charter.at` and `charter.diff`, or raise a
`MinutebookError` whose message is one line naming the file. Nothing else may come out.

Here the run is modest and derandomized, so the suite is stable (about 20 s); `bench/fuzz_read.py
--examples 100000 --jobs 2` runs the same property at length. On a failure Hypothesis shrinks the
mutation, prints the steps that made it, and the minimal failing bytes are written to
`<tmp>/minutebook-fuzz-failure.bin` (replay them with `bench/fuzz_read.py --replay FILE`). An example
that runs past EXAMPLE_LIMIT_S is stopped, and the test fails once the run is over, listing the slow
inputs unshrunk (no input here is over 2 MB and the reader's target is 2 MB/s): a pathological input
cannot hang the suite.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
import readfuzz
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from readfuzz import (
    MAX_MUTANT_BYTES,
    BadErrorMessage,
    Mutant,
    ReaderTimeout,
    exercise,
    mutants,
    seeds,
    stage_of,
    time_limit,
)

from minutebook.core.errors import InputError

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out

FAILURE_FILE = Path(tempfile.gettempdir()) / "minutebook-fuzz-failure.bin"
EXAMPLE_LIMIT_S = 20
MAX_SLOW = 3

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays stable, a failure stays reproducible
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_reader_raises_only_its_own_errors_on_mutated_filings(workdir):
    too_slow: list[Mutant] = []
    ran = 0

    @FUZZ
    @given(m=mutants(), as_of=st.dates())
    def holds(m: Mutant, as_of: date) -> None:
        nonlocal ran
        if len(too_slow) >= MAX_SLOW:
            return  # the test fails anyway: spend no more time
        ran += 1
        try:
            with time_limit(EXAMPLE_LIMIT_S):
                exercise(m.data, workdir / f"mutant{m.suffix}", as_of)
        except ReaderTimeout:
            too_slow.append(m)  # reported below, unshrunk: shrinking would rerun it for minutes
        except Exception as exc:
            FAILURE_FILE.write_bytes(m.data)  # the last failure Hypothesis replays is the minimal one
            note(f"{type(exc).__name__} in {stage_of(exc)}; failing bytes written to {FAILURE_FILE}")
            raise

    holds()
    if too_slow:
        FAILURE_FILE.write_bytes(too_slow[0].data)
        shown = "\n  ".join(repr(m)[:600] for m in too_slow)
        pytest.fail(
            f"the reader took over {EXAMPLE_LIMIT_S} s on {len(too_slow)} of {ran} input(s) of at most "
            f"{MAX_MUTANT_BYTES} bytes (the first written to {FAILURE_FILE}):\n  {shown}"
        )


# -- the harness itself ------------------------------------------------------------------------------------


def test_seeds_are_the_real_filings():
    labels = [label for label, _ in seeds()]
    assert labels[0] == "examples/auxer-group-charter.txt"
    docs = [p for p in readfuzz.DOCS.iterdir() if p.suffix in readfuzz.DOC_SUFFIXES]
    assert sum(label.startswith("tests/ingest/docs/") for label in labels) == len(docs)
    corpus = readfuzz.corpus_dir()
    if corpus is not None:
        files = [p for p in corpus.iterdir() if p.is_file()]
        assert sum(label.startswith("corpus/") for label in labels) == len(files)


def test_property_fails_on_a_crash(monkeypatch, tmp_path):
    """A reader that raises anything but a MinutebookError fails the property, naming the stage."""

    def crash(text, path="<text>"):
        return {}[path]

    monkeypatch.setattr(readfuzz, "read_text", crash)
    with pytest.raises(KeyError) as info:
        exercise(readfuzz.EXAMPLE.read_bytes(), tmp_path / "x.txt", date(2000, 1, 1))
    assert stage_of(info.value) == "read_text(text)"


@pytest.mark.parametrize("message", ["x.txt: bad\nsecond line", "bad, but which file?", ""])
def test_property_fails_on_a_badly_worded_error(monkeypatch, tmp_path, message):
    def refuse(text, path="<text>"):
        raise InputError(message.replace("x.txt", path))

    monkeypatch.setattr(readfuzz, "read_text", refuse)
    with pytest.raises(BadErrorMessage):
        exercise(readfuzz.EXAMPLE.read_bytes(), tmp_path / "x.txt", date(2000, 1, 1))


# -- what the fuzzer found, kept ------------------------------------------------------------------------------

_TITLE = b"CERTIFICATE OF AMENDMENT\nOF CERTIFICATE OF INCORPORATION\nOF ANVERS HOLDINGS, INC.\n\n"
FOUND = {
    # an HTML character reference to a lone surrogate (it made a string that cannot be encoded)
    "surrogate reference": b"<body>CERTCATE OF AMENDMENT&#xD800; &#0; &#x110000;",
    # long runs of blanks: patterns that could start anywhere in a run and scan it to its end were quadratic
    "blanks after a newline": _TITLE + b"FIRST:" + b"\n" + b" " * 80_000 + b"x\n",
    "blanks with a table pipe": _TITLE + b"| a | b |\n" + (b" " * 60_000 + b"z\n") * 4,
    "blanks before a note": _TITLE
    + b"FOURTH: The total number of shares is 100."
    + b"\t" * 60_000
    + b" Since amended.",
    # thousands of titles on one line, and thousands of page numbers in a row
    "titles on one line": _TITLE + b"CERTIFICATE OF INCORPORATION " * 5_000 + b"\n",
    "page numbers in a row": _TITLE
    + b"FIRST: The name\n"
    + b"\n-2-\n" * 30_000
    + b"of the corporation is X.\n",
    # a declaration html.parser gives up on (it raised AssertionError)
    "malformed HTML declaration": b"<html><body><p>CERTIFICATE OF INCORPORATION</p><![junk[ x ]]><!1 x></body>",
    # a figure of more digits than Python turns into an int (ValueError in parse_figure)
    "a figure past int's digit limit": _TITLE
    + b"FOURTH: The total number of shares is 1"
    + b",0000" * 1_200
    + b" shares.\n",
    # Unicode line separators for line ends (the text was one line), and one article appended to thousands of
    # times (each append's text ran to the end of the document)
    "line separators": _TITLE.replace(b"\n", "\u2028".encode()) * 400,
    "appends to one article": _TITLE
    + b"FIRST: That Article FOURTH is amended by adding the following paragraph: More text here. " * 3_000,
    # copies of one long filing (comparing copies word by word was quadratic)
    "copies of a long filing": (
        _TITLE
        + b"FIRST: That Article FOURTH is amended. "
        + b"the board of the corporation and " * 5_000
        + b"\n"
    )
    * 5,
    # two runs of blanks side by side in a pattern (after an article reference, after an agent's name): quadratic
    "blanks after an article reference": _TITLE + b"RESOLVED, that Article IV" + b" " * 60_000 + b"x\n",
    "blanks after an agent's name": _TITLE
    + b"SECOND: The registered agent is Tallow Agents."
    + b" " * 60_000
    + b"x\n",
    # a long run of one-digit comma groups ("9,9,9,..."): a figure gave its groups back one by one, each time
    # scanning the rest of the run for a digit
    "a run of comma groups": _TITLE
    + b"FOURTH: The total number of shares is 1"
    + b"9," * 300_000
    + b" shares.\n",
    # titles with their names in capitals, thousands on one line with no lower-case word after them
    "capital runs on one line": b"CERTIFICATE OF INCORPORATION OF ANVERS HOLDINGS, INC. " * 20_000 + b"\n",
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_inputs_the_fuzzer_found_are_read_or_refused(name, tmp_path):
    """Each once crashed the reader or kept it busy for minutes; the hang guard only keeps a regression from
    hanging the suite (speed is measured by bench/read.py)."""
    with time_limit(EXAMPLE_LIMIT_S):
        exercise(FOUND[name], tmp_path / "found.txt", date(2000, 1, 1))
