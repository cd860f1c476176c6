"""Text with a map back to the file it came from.

Every stage that rewrites text (HTML tag stripping, SGML unwrapping, page-furniture removal,
de-hyphenation) produces a `MappedText`: the new text plus, for every character, the offset of the
character in the decoded source file it stands for. A span of any derived text can therefore be
turned into a `SourceRef` with the file's own line and column.

The map is kept as runs (`Offsets`): a stage copies long stretches of its input and inserts a few
characters, so a map of a 32 MiB text is a few runs, not 32 million offsets (8 bytes each, a copy per stage).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..core.sources import SourceRef


class Offsets:
    """A sequence of source offsets, one a character, held as runs: run k begins at character `at[k]` with
    offset `src[k]` and goes on by `step[k]` (1: a copied stretch; 0: inserted characters that all stand for
    one place). Reads like the plain `array("q")` it stands for: `len`, an index (negative too), a slice
    (step 1), iteration, equality with any sequence of ints."""

    __slots__ = ("at", "src", "step", "n")

    def __init__(self) -> None:
        self.at = array("q")
        self.src = array("q")
        self.step = array("b")
        self.n = 0

    @classmethod
    def run(cls, start: int, length: int) -> Offsets:
        """`start, start + 1, ..., start + length - 1`."""
        out = cls()
        out.add(start, length, 1)
        return out

    def add(self, src: int, length: int, step: int = 1) -> None:
        """Append `length` offsets from `src` on by `step`; a run that goes on from the last joins it."""
        if length <= 0:
            return
        if self.at:
            k = len(self.at) - 1
            last_len = self.n - self.at[k]
            if self.step[k] == 1 and self.src[k] + last_len == src and (step == 1 or length == 1):
                self.n += length
                return
            if last_len == 1 and self.src[k] + 1 == src and (step == 1 or length == 1):
                self.step[k] = 1  # a lone offset followed by the next: one run going up
                self.n += length
                return
            if self.step[k] == 0 and self.src[k] == src and (step == 0 or length == 1):
                self.n += length
                return
        self.at.append(self.n)
        self.src.append(src)
        self.step.append(1 if length == 1 else step)
        self.n += length

    def extend_from(self, other: Offsets, start: int, end: int) -> None:
        """Append `other[start:end]` (a slice: a negative bound counts from the end)."""
        start, end, _ = slice(start, end).indices(other.n)
        if end <= start:
            return
        at, src, step = other.at, other.src, other.step
        k = bisect.bisect_right(at, start) - 1
        pos = start
        while pos < end:
            run_end = at[k + 1] if k + 1 < len(at) else other.n
            stop = min(run_end, end)
            self.add(src[k] + step[k] * (pos - at[k]), stop - pos, step[k])
            pos = stop
            k += 1

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, stride = i.indices(self.n)
            if stride != 1:
                raise ValueError("Offsets: a slice with a step")
            out = Offsets()
            out.extend_from(self, start, stop)
            return out
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError("Offsets index out of range")
        k = bisect.bisect_right(self.at, i) - 1
        return self.src[k] + self.step[k] * (i - self.at[k])

    def __iter__(self) -> Iterator[int]:
        at, src, step = self.at, self.src, self.step
        for k in range(len(at)):
            run_end = at[k + 1] if k + 1 < len(at) else self.n
            if step[k]:
                yield from range(src[k], src[k] + run_end - at[k])
            else:
                for _ in range(run_end - at[k]):
                    yield src[k]

    def __eq__(self, other) -> bool:
        if isinstance(other, Offsets | array | list | tuple | range):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Offsets({len(self.at)} runs, {self.n} offsets)"


def offsets(start: int, end: int) -> Offsets:
    """The offsets `start, ..., end - 1` (`array("q", range(start, end))`), as one run."""
    return Offsets.run(start, end - start)


# Characters that `str.lower()` does not turn into the ASCII letter `re.IGNORECASE` matches them to
# (İ, dotless ı, long ſ); İ also lowers to two characters.
_FOLD_UNSAFE = ("\u0130", "\u0131", "\u017f")


def lower_same(text: str) -> str | None:
    """`text.lower()` if it keeps every offset and every ASCII letter as `re.IGNORECASE` reads it, so that
    a substring test or `find` on it stands for a case-insensitive search of `text`; else None."""
    if len(text) >= _KEEP_MIN:
        return _lowered(text)[0]
    return _lower_same(text)


def lower_slice(text: str, start: int, end: int) -> str | None:
    """`lower_same(text[start:end])` (0 <= start <= end), cut from the whole text lowered where that is kept."""
    if len(text) >= _KEEP_MIN:
        low, cut = _lowered(text)
        if cut:
            return low[start:end]
    return lower_same(text[start:end])


def _lower_same(text: str) -> str | None:
    low = text.lower()
    if text.isascii():
        return low
    if len(low) != len(text) or any(c in text for c in _FOLD_UNSAFE):
        return None
    return low


# The texts of at least `_KEEP_MIN` characters last lowered (up to `_KEEP_COUNT`), most recent first, each with
# `lower_same` of it and whether a slice of that stands for `lower_same` of the text's slice: every stage lowers
# the document it reads, and it is lowered once. (It is, when the text lowers character by character: it has no
# capital sigma, the one letter `str.lower` lowers by what follows it.) Short documents and articles are kept
# too: each is lowered by a dozen stages, most of them sentence by sentence.
_KEEP_MIN = 256
_KEEP_COUNT = 8
_kept: tuple[tuple[str, str | None, bool], ...] = ()


def _lowered(text: str) -> tuple[str | None, bool]:
    global _kept
    kept = _kept
    for t, low, cut in kept:
        if t is text:
            return low, cut
    low = _lower_same(text)
    cut = low is not None and (text.isascii() or "\u03a3" not in text)
    _kept = ((text, low, cut), *kept[: _KEEP_COUNT - 1])
    return low, cut


def finditer_from(
    pattern: re.Pattern,
    text: str,
    starts: Iterable[str],
    start: int = 0,
    end: int | None = None,
    start_re: re.Pattern | None = None,
    offset: int = 0,
    at_start: bool = False,
    cased: bool = False,
    extra: Iterable[int] = (),
) -> Iterator[re.Match]:
    """`pattern.finditer(text, start, end)` for a pattern whose every match begins with one of `starts`
    (non-empty lower-case strings, looked for in the text lowered), where `start_re` matches in the
    lowered text (`offset` added to its match start), or at `start` itself if `at_start`. The pattern is
    tried only at those positions, not at every one: far quicker for a pattern that begins with an
    alternation, an optional group, a word boundary or a look-behind. With `cased`, `starts` and `start_re`
    are looked for in the text as it is (a case-sensitive pattern, whose matches begin with one of `starts`
    exactly as given). `extra`: further positions (offsets from `start`) where a match may begin."""
    end = len(text) if end is None else min(end, len(text))
    if cased:
        low = text[start:end] if 0 <= start <= end else None
    else:
        low = lower_slice(text, start, end) if 0 <= start <= end else None
    if low is None:
        yield from pattern.finditer(text, start, end)
        return
    find = low.find
    cands: set[int] = {0} if at_start else set()
    cands.update(extra)
    if start_re is not None:
        cands.update(m.start() + offset for m in start_re.finditer(low))
    for w in starts:
        i = find(w)
        while i != -1:
            cands.add(i)
            i = find(w, i + 1)
    pos = start
    match = pattern.match
    for i in sorted(cands):
        if start + i >= pos:
            m = match(text, start + i, end)
            if m:
                yield m
                pos = m.end()


def match_starts(pattern: re.Pattern, text: str) -> list[int]:
    """Every position where `pattern` matches in `text`, in order: each, even one inside the match before (a
    pattern of words with what must follow them, whose matches are where another pattern can begin)."""
    out = []
    search = pattern.search
    m = search(text)
    while m:
        out.append(m.start())
        m = search(text, m.start() + 1)
    return out


def squeeze(text: str, limit: int, start: int = 0, end: int | None = None) -> str:
    """`" ".join(text[start:end].split())[:limit]`, without splitting more of a long span than it needs."""
    end = len(text) if end is None else end
    if end - start > 2 * limit + 2 and start >= 0:
        # The words of a prefix, joined, are a prefix of the whole span's words, joined (a word cut at the
        # end of the prefix is a prefix of the whole word): enough of them gives the same first `limit`.
        head = " ".join(text[start : start + 2 * limit + 2].split())
        if len(head) >= limit:
            return head[:limit]
    return " ".join(text[start:end].split())[:limit]


@dataclass(slots=True)
class SourceFile:
    path: str
    text: str
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    @property
    def line_count(self) -> int:
        return len(self._line_starts)


class MappedText:
    """`text` plus `origin[i]`, the source offset of `text[i]`."""

    __slots__ = ("text", "origin", "file")

    def __init__(self, text: str, origin: Offsets, file: SourceFile):
        self.text = text
        self.origin = origin
        self.file = file

    @classmethod
    def identity(cls, file: SourceFile, start: int = 0, end: int | None = None) -> MappedText:
        end = len(file.text) if end is None else end
        return cls(file.text[start:end], offsets(start, end), file)

    def src(self, i: int) -> int:
        origin = self.origin
        if not origin.n:
            return 0
        if i >= origin.n:
            return origin[-1] + 1
        return origin[max(i, 0)]

    def ref(self, start: int, end: int, document_id: str | None = None, text: str | None = None) -> SourceRef:
        s = self.src(start)
        e = self.src(end - 1) + 1 if end > start else s
        line, col = self.file.line_col(s)
        text = squeeze(self.text, 200, start, end) if text is None else text[:200]
        return SourceRef(document_id, self.file.path, s, e, line, col, text)

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.origin[start:end], self.file)


class Builder:
    """Accumulates pieces of a new text, each mapped to the source."""

    __slots__ = ("parts", "origin", "file")

    def __init__(self, file: SourceFile):
        self.parts: list[str] = []
        self.origin = Offsets()
        self.file = file

    def copy(self, mt: MappedText, start: int, end: int) -> None:
        if end > start:
            self.parts.append(mt.text[start:end])
            self.origin.extend_from(mt.origin, start, end)

    def copy_source(self, start: int, end: int) -> None:
        if end > start:
            self.parts.append(self.file.text[start:end])
            self.origin.add(start, end - start)

    def add(self, s: str, start: int) -> None:
        """`s`, its characters standing for the source's from `start` on, one for one."""
        if s:
            self.parts.append(s)
            self.origin.add(start, len(s))

    def insert(self, s: str, at: int) -> None:
        if s:
            self.parts.append(s)
            self.origin.add(at, len(s), 0)

    def build(self) -> MappedText:
        return MappedText("".join(self.parts), self.origin, self.file)
