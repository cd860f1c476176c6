"""The book-wide check (`governance.audit.audit_in_order`) shows each event's rules a view of the fold made once and
seen again on each event's date (`State.restamped`), made again only after an event of the charter's: every rule sees
the state a fresh `freeze` of the fold would give (date, name, charter in force, holdings, events applied), and the
findings are the same, on every example story and scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutebook.book import stories
from minutebook.core import replay
from minutebook.governance import audit
from minutebook.governance.story import load
from minutebook.law import ledger

ROOT = Path(__file__).resolve().parents[2]
# (a story that goes on from another's book has no start of its own)
STORIES = [
    p for p in sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/scenarios/*.yaml")]) if load(p).start
]


def seen(book, monkeypatch) -> tuple[list, list]:
    """The states the ledger rules were shown, in order, as plain values; and the findings."""
    shown = []
    check = ledger.check

    def spy(state, e, historical=False):
        shown.append(
            (
                e.seq,
                state.as_of,
                state.name,
                state.incorporated_on,
                state.version,
                len(state.charter.versions),
                dict(state.balances),
                dict(state.issued),
                dict(state.treasury),
                state.events_applied,
            )
        )
        return check(state, e, historical)

    monkeypatch.setattr(ledger, "check", spy)
    found = book.check()
    monkeypatch.setattr(ledger, "check", check)
    return shown, found


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_every_rule_sees_the_state_a_fresh_freeze_gives(path, tmp_path, monkeypatch):
    story = load(path)
    b = stories.create_book(story, str(tmp_path / "b.db"))
    stories.run(b, story)
    shown, found = seen(b, monkeypatch)
    assert shown  # the spy saw the rules run
    # again with every event's view a fresh `freeze` of the fold the audit builds (as before the views were kept)
    builds = []

    class Tracked(replay._Build):
        def __init__(self):
            super().__init__()
            builds.append(self)

    monkeypatch.setattr(audit, "_Build", Tracked)
    monkeypatch.setattr(replay.State, "restamped", lambda s, on, n: replay.freeze(builds[-1], on, copy=False))
    again, found_again = seen(b, monkeypatch)
    assert builds
    assert shown == again
    assert [f.format() for f in found] == [f.format() for f in found_again]
