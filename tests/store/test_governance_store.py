"""Board and stockholder action on both back ends: the Auxer 1999 story recorded on SQLite and on
PostgreSQL gives the same book, reopened from the database, with an intact chain."""

from __future__ import annotations

from pathlib import Path

from minutebook.book import open_book, stories
from minutebook.governance.story import load

STORY = Path(__file__).resolve().parents[2] / "examples" / "auxer-1999-amendment.yaml"


def test_the_auxer_1999_story_on_each_back_end(db_url):
    story = load(STORY)
    book = stories.create_book(story, db_url)
    try:
        outcomes = stories.run(book, story)
        assert [o.problems for o in outcomes if not o.ok] == []
        assert stories.check_end(book, story) == []
        assert book.verify() == []
        again = open_book(db_url)  # everything read back from the database, governance included
        try:
            assert [d.id for d in again.directors()] == ["eugene", "jane", "john"]
            assert [o.title for o in again.officers()] == ["President"]
            assert [v.capital.total_authorized for v in again.charter.versions] == [
                25_000_000,
                75_000_000,
                175_000_000,
            ]
            assert sorted(f.code for f in again.check()) == sorted(f.code for f in book.check())
            assert again.approvals().get("M-1999-1").passed
        finally:
            again.close()
    finally:
        book.close()
