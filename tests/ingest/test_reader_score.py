"""The charter reader scored against the development corpus's ground truth, as the issue measures it.

Runs `../shared/tools/score_reader.py --project <repo> --details` (it runs `.venv/bin/minutebook read
FILE --json` on every corpus file; about 15 s) and holds the reader to the issue's thresholds:

- at least 95 % of the scored fields overall;
- no crash and no timeout (no file whose row is anything but `ok`);
- every authorized-capital field read: none of them in any file's "missed" column. The capital fields
  counted are `total` (the aggregate authorized shares after the file's last document),
  `<class>.authorized` and `<class>.par` (each expected class's authorized shares and par value), and
  `authorized.nonstock` (a file stating the corporation has no capital stock).

Skipped, with the reason, when the scorer, the corpus (`$MINUTEBOOK_CORPUS`, else `../shared/corpus`,
with its `expected.yaml`) or the project's `.venv/bin/minutebook` is absent. Every failure message carries
the scorer's whole output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "tools" / "score_reader.py"
READER = ROOT / ".venv" / "bin" / "minutebook"
MIN_SHARE = 0.95
HANG_GUARD_S = 1800  # not a timing assertion: the scorer gives each file 30 s; this only stops a hang

SUMMARY = re.compile(r"^reader corpus: (\d+)/(\d+) fields \([\d.]+%\), (\d+) crashes, (\d+) timeouts$", re.M)
ROW = re.compile(r"^(?P<status>\S+)\s+(?P<hits>\d+)/(?P<total>\d+)\s*(?P<missed>.*)$")
EXIT_NOTE = re.compile(r"^\(exit -?\d+ with JSON\)\s*")  # the scorer's prefix on a row that exited != 0
REFUSED = "refused: "


def corpus_dir() -> Path:
    env = os.environ.get("MINUTEBOOK_CORPUS")
    return Path(env) if env else ROOT.parent / "shared" / "corpus"


def is_capital_field(label: str) -> bool:
    return label == "total" or label == "authorized.nonstock" or label.endswith((".authorized", ".par"))


@dataclass(frozen=True)
class Row:
    file: str
    status: str
    hits: int
    total: int
    missed: tuple[str, ...]  # field labels for an `ok` row; the scorer's message otherwise


@dataclass(frozen=True)
class Score:
    output: str = field(repr=False)
    rows: tuple[Row, ...] = field(repr=False)
    hits: int
    total: int
    crashes: int
    timeouts: int


def parse(output: str) -> Score:
    """The scorer's table: a header whose `status` column says where each row's file name ends."""
    lines = output.splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("file") and " status " in line), None)
    summary = SUMMARY.search(output)
    assert header is not None and summary, f"cannot read the scorer's output:\n{output}"
    col = lines[header].index("status")
    rows = []
    for line in lines[header + 1 :]:
        if SUMMARY.match(line):
            break
        m = ROW.match(line[col:])
        assert m, f"cannot read the scorer's row {line!r}:\n{output}"
        missed = m["missed"].strip()
        if m["status"] == "ok":
            missed = EXIT_NOTE.sub("", missed)
            # "refused: <the reader's error>": an out-of-scope file rightly refused, nothing missed
            refused = missed.startswith(REFUSED)
            labels = () if refused else tuple(x.strip() for x in missed.split(",") if x.strip())
        else:
            labels = (missed,)
        rows.append(Row(line[:col].rstrip(), m["status"], int(m["hits"]), int(m["total"]), labels))
    hits, total, crashes, timeouts = map(int, summary.groups())
    assert rows, f"the scorer listed no file:\n{output}"
    assert (sum(r.hits for r in rows), sum(r.total for r in rows)) == (hits, total), (
        f"the rows do not add up to the summary line:\n{output}"
    )
    return Score(output, tuple(rows), hits, total, crashes, timeouts)


@pytest.fixture(scope="module")
def score() -> Score:
    corpus = corpus_dir()
    for needed, what in (
        (SCORER, "the scorer"),
        (corpus / "expected.yaml", "the corpus's ground truth"),
        (READER, "the project's reader (run `make install`)"),
    ):
        if not needed.is_file():
            pytest.skip(f"{what} is not at {needed}")
    proc = subprocess.run(
        [
            sys.executable,  # the venv's: it has PyYAML, which the scorer needs
            str(SCORER),
            "--project",
            str(ROOT),
            "--corpus",
            str(corpus),
            "--expected",
            str(corpus / "expected.yaml"),
            "--details",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=HANG_GUARD_S,
        check=False,
    )
    output = proc.stdout + (f"\n[stderr]\n{proc.stderr}" if proc.stderr.strip() else "")
    assert proc.returncode in (0, 1), f"the scorer failed to run (exit {proc.returncode}):\n{output}"
    return parse(output)


def test_reader_scores_at_least_95_percent_of_fields(score):
    hits, total = score.hits, score.total
    assert total > 0, score.output
    assert hits >= MIN_SHARE * total, (
        f"{hits}/{total} fields ({hits / total:.1%}), below {MIN_SHARE:.0%}\n{score.output}"
    )


def test_reader_neither_crashes_nor_times_out(score):
    bad = [f"{r.file}: {r.status}: {'; '.join(r.missed)}" for r in score.rows if r.status != "ok"]
    assert score.crashes == 0 and score.timeouts == 0 and not bad, (
        f"{score.crashes} crash(es), {score.timeouts} timeout(s):\n  "
        + "\n  ".join(bad)
        + f"\n\n{score.output}"
    )


def test_reader_reads_every_authorized_capital_field(score):
    missed = [
        f"{r.file}: {', '.join(label for label in r.missed if is_capital_field(label))}"
        for r in score.rows
        if r.status == "ok" and any(is_capital_field(label) for label in r.missed)
    ]
    assert not missed, (
        f"capital fields missed in {len(missed)} file(s):\n  " + "\n  ".join(missed) + f"\n\n{score.output}"
    )


# -- the parser, on a table of invented files ----------------------------------------------------------------

SAMPLE = """\
file                   status    fields  missed
alpha_charter.txt      ok         8/8
beta amendment.txt     ok         4/7    total, doc1.statute, common_stock.par, series_a.authorized
gamma_llc.txt          ok         1/1    refused: minutebook: error: gamma_llc.txt: not a corporation, total
delta_split.txt        ok         3/4    (exit 1 with JSON) doc1.signed_on
epsilon_restated.txt   crash      0/6    traceback on stderr: ValueError: boom
reader corpus: 16/26 fields (61.5%), 1 crashes, 0 timeouts
"""


def test_parse_reads_the_scorers_table():
    score = parse(SAMPLE)
    assert (score.hits, score.total, score.crashes, score.timeouts) == (16, 26, 1, 0)
    rows = {r.file: r for r in score.rows}
    assert rows["beta amendment.txt"].missed == (
        "total",
        "doc1.statute",
        "common_stock.par",
        "series_a.authorized",
    )
    assert rows["gamma_llc.txt"].missed == ()
    assert rows["delta_split.txt"].missed == ("doc1.signed_on",)
    assert rows["epsilon_restated.txt"].status == "crash"
    capital = [label for r in score.rows if r.status == "ok" for label in r.missed if is_capital_field(label)]
    assert capital == ["total", "common_stock.par", "series_a.authorized"]
    assert is_capital_field("authorized.nonstock") and not is_capital_field("doc2.kind")
