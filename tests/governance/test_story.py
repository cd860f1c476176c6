"""The story format: what parses into which step, and every mistake named by file, line, step and field
(no book needed; the stories themselves run in tests/scenarios)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from minutebook.core.errors import InputError
from minutebook.governance import story

GOOD = """
name: t
start: {file: examples/auxer-group-charter.txt, until: 1998-12-31}
steps:
  - on: 1997-09-15
    issue: {holder: alice, class: common, shares: "1,000,000", price: 0.001, approved_by: R-1}
  - on: 1999-01-20
    notice: M-1
    expect: {refused: true, codes: [MB-NOTICE-TOO-LATE]}
  - on: 1999-03-19
    consent:
      id: C-1
      matters: [{id: C-1-1, kind: amend_charter, params: {authorized: {common: "150,000,000"}, par: 0.001}}]
      signatures: [{signer: alice, signed_on: 1999-03-18}]
  - on: 1999-03-20
    file_amendment: {approved_by: [R-1, C-1-1], par: {common: 0.001}}
end: {charter_versions: 3, authorized: {common: 150000000}, directors: [eugene], check_codes: [MB-X]}
"""


def test_a_story_parses_into_typed_steps():
    s = story.parse(GOOD, "t.yaml")
    issue, notice, consent, filing = s.steps
    assert issue.on == date(1997, 9, 15) and issue.action == "issue" and issue.line == 6
    assert issue.args["shares"] == 1_000_000 and issue.args["price"] == Decimal("0.001")  # never a float
    assert (
        notice.args == {"meeting": "M-1"}
        and notice.expect.refused
        and notice.expect.codes == ("MB-NOTICE-TOO-LATE",)
    )
    (matter,) = consent.args["matters"]
    assert matter["params"] == {"authorized": {"common": 150_000_000}, "par": "0.001"}
    assert consent.args["signatures"] == ({"signer": "alice", "signed_on": "1999-03-18"},)
    assert filing.args["approved_by"] == ("R-1", "C-1-1") and filing.args["par"] == {"common": "0.001"}
    assert s.start.until == date(1998, 12, 31) and s.start.file.name == "auxer-group-charter.txt"
    assert s.end.charter_versions == 3 and s.end.directors == ("eugene",) and s.end.check_codes == ("MB-X",)


BAD = [
    ("steps: []\n", "b.yaml:1: steps: missing or empty"),
    ("steps: [a: b: c]\n", "b.yaml:1:13: not valid YAML"),
    ("- 1\n", "b.yaml:1: a story is a mapping"),
    ("name: x\nwhen: 1\nsteps: [{on: 1999-01-01, notice: M}]\n", "b.yaml:2: when: unknown field"),
    ("steps:\n  - on: 1999-01-01\n    fly: {}\n", "b.yaml:3: step 1: fly: unknown action"),
    ("steps:\n  - notice: M\n", "b.yaml:2: step 1 (notice): on: missing"),
    ("steps:\n  - on: 1999-02-30\n    notice: M\n", "step 1 (notice): on: no such date: '1999-02-30'"),
    ("steps:\n  - {on: 1999-01-01, notice: M, stockholder_list: M}\n", "more than one action"),
    (
        "steps:\n  - on: 1999-01-01\n    issue: {holder: a, clas: common}\n",
        "b.yaml:3: step 1 (issue): clas: unknown field",
    ),
    (
        "steps:\n  - on: 1999-01-01\n    issue: {holder: a, class: c, shares: 1.5, price: 1}\n",
        "step 1 (issue): shares: must be a whole number, not '1.5'",
    ),
    (
        "steps:\n  - on: 1999-01-01\n    issue: {holder: a, class: c, price: 1}\n",
        "step 1 (issue): shares: missing",
    ),
    (
        "steps:\n  - on: 1999-01-01\n    board: {id: B, present: [a], resolutions: [{id: R, kind: general, txt: x}]}\n",
        "step 1 (board): resolutions: item 1: txt: unknown field",
    ),
    (
        "steps:\n  - on: 1999-01-01\n    notice: {meeting: M, states_purpose: no}\n",
        "step 1 (notice): states_purpose: must be true or false",
    ),
    (
        "steps:\n  - on: 1999-01-01\n    notice: M\n    expect: {refused: true, code: [X]}\n",
        "step 1 (notice): expect: code: unknown field",
    ),
    (
        "steps:\n - {on: 1999-01-01, file_amendment: {approved_by: [R], authorized: {common: 150,000,000}}}\n",
        "inside {...} a comma separates entries",
    ),
    (
        "start: {file: nope.txt}\nsteps: [{on: 1999-01-01, notice: M}]\n",
        "b.yaml:1: start: file: no such file",
    ),
    ("steps: [{on: 1999-01-01, notice: M}]\nend: {versions: 3}\n", "b.yaml:2: end: versions: unknown field"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m[:40] for _, m in BAD])
def test_mistakes_name_the_file_line_step_and_field(text, message):
    with pytest.raises(InputError) as e:
        story.parse(text, "b.yaml")
    assert message in str(e.value)
    assert "\n" not in str(e.value).strip()


def test_load_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such story file"):
        story.load(tmp_path / "none.yaml")


def test_every_action_names_a_book_method():
    from minutebook.book import Book

    for name, action in story.ACTIONS.items():
        assert callable(getattr(Book, action.method, None)), (name, action.method)
