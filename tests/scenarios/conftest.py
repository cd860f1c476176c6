"""Each YAML story in this folder is one test: a fresh SQLite book made from the story's start, every
step recorded through the Book and compared with its `expect`, then the book compared with the story's
`end`, all in the story's one transaction (see `minutebook.governance.story` for the format)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.resolve().parent == HERE:
        return StoryFile.from_parent(parent, path=file_path)
    return None


class StoryFile(pytest.File):
    def collect(self):
        yield StoryItem.from_parent(self, name=self.path.stem)


class StoryFailed(AssertionError):
    pass


class StoryItem(pytest.Item):
    def runtest(self) -> None:
        from minutebook.book import stories
        from minutebook.governance.story import load

        story = load(self.path)
        with tempfile.TemporaryDirectory(prefix="minutebook-story-") as d:
            book = stories.create_book(story, str(Path(d) / "mb.db"))
            try:
                # the end is compared inside the story's one transaction
                outcomes = stories.run(book, story, end=True)
                lines = []
                for o in outcomes:
                    if o.ok:
                        continue
                    s = o.step
                    lines += [f"{s.where(self.path.name)} on {s.on.isoformat()}: {p}" for p in o.problems]
                    if o.trace:
                        lines.append(o.trace)
                if not lines:
                    lines = list(outcomes.end)
            finally:
                book.close()
        if lines:
            raise StoryFailed("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StoryFailed):
            return f"story {self.path.name} did not go as written:\n{excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"story: {self.name}"
