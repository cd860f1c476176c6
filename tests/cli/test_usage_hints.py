"""Usage errors that point to what was meant: a command's date goes by two names — an act's effective date is
`--on` (`issue`, `transfer`, ...), a view's day is `--as-of` (`captable`, `charter`, ...) — and a date given under
the other name is one line, exit 2, that names the option this command takes (Click's own suggestion goes by
spelling, and the two names share none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hints") / "book.db"
    ok(inproc(db, f"init --from {AUXER}"))
    return db


@pytest.mark.parametrize(
    ("command", "hint"),
    [
        ("captable --on 2024-01-01", "this command takes its date as --as-of"),  # "No such option: --on"
        (
            "issue alice 10 --as-of 2024-01-01",
            "this command takes its date as --on",
        ),  # "unexpected extra argument(s)"
    ],
)
def test_a_date_under_the_other_commands_name_is_told_the_right_one(made, command, hint):
    line = one_line_error(inproc(made, command))
    assert hint in line and "see `minutebook" in line, line


def test_an_unknown_option_that_is_no_date_gets_no_date_hint(made):
    line = one_line_error(inproc(made, "captable --bogus 2024-01-01"))
    assert "No such option: --bogus" in line and "takes its date" not in line, line
