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
from itertools import accumulate, repeat

from ..core.sources import SourceRef


class Offsets:
    """A sequence of source offsets, one a character, held as runs: run k is `length[k]` characters whose
    offsets begin at `src[k]` and go on by `step[k]` (1: a copied stretch; 0: inserted characters that all
    stand for one place). Reads like the plain `array("q")` it stands for: `len`, an index (negative too), a
    slice (step 1), iteration, equality with any sequence of ints. A copy of many runs is a copy of array
    slices (an article amended a thousand times over is copied a thousand times)."""

    __slots__ = ("src", "step", "length", "n", "_ends")

    def __init__(self) -> None:
        self.src = array("q")
        self.step = array("b")
        self.length = array("q")
        self.n = 0
        # where each run ends: built when looked up, kept till the next append
        self._ends: array | None = array("q")

    @classmethod
    def run(cls, start: int, length: int) -> Offsets:
        """`start, start + 1, ..., start + length - 1`."""
        out = cls()
        out.add(start, length, 1)
        return out

    @property
    def runs(self) -> int:
        return len(self.src)

    def add(self, src: int, length: int, step: int = 1) -> None:
        """Append `length` offsets from `src` on by `step`; a run that goes on from the last joins it."""
        if length <= 0:
            return
        self._ends = None
        self.n += length
        if self.src:
            last_src, last_step, last_len = self.src[-1], self.step[-1], self.length[-1]
            rising = step == 1 or length == 1
            if last_step == 1 and last_src + last_len == src and rising:
                self.length[-1] = last_len + length
                return
            if last_len == 1 and last_src + 1 == src and rising:
                self.step[-1] = 1  # a lone offset followed by the next: one run going up
                self.length[-1] = 1 + length
                return
            if last_step == 0 and last_src == src and (step == 0 or length == 1):
                self.length[-1] = last_len + length
                return
        self.src.append(src)
        self.step.append(1 if length == 1 else step)
        self.length.append(length)

    def ends(self) -> array:
        """Where each run ends (the cumulative lengths)."""
        if self._ends is None:
            self._ends = array("q", accumulate(self.length))
        return self._ends

    def extend_from(self, other: Offsets, start: int, end: int) -> None:
        """Append `other[start:end]` (a slice: a negative bound counts from the end)."""
        if not 0 <= start <= end <= other.n:
            start, end, _ = slice(start, end).indices(other.n)
        if end <= start:
            return
        src, step, length = other.src, other.step, other.length
        if len(src) == 1:  # one run (a text as the file holds it): no run to look for
            self.add(src[0] + step[0] * start, end - start, step[0])
            return
        k0, first_begins = other._run_of(start)
        k1, last_begins = other._run_of(end - 1)
        if k0 == k1:
            self.add(src[k0] + step[k0] * (start - first_begins), end - start, step[k0])
            return
        self.add(src[k0] + step[k0] * (start - first_begins), first_begins + length[k0] - start, step[k0])
        if k1 > k0 + 1:
            self.add(src[k0 + 1], length[k0 + 1], step[k0 + 1])
            if k1 > k0 + 2:  # the runs between, whole: array slices
                self.src.extend(src[k0 + 2 : k1])
                self.step.extend(step[k0 + 2 : k1])
                middle = length[k0 + 2 : k1]
                self.length.extend(middle)
                self.n += sum(middle)
                self._ends = None
        self.add(src[k1], end - last_begins, step[k1])

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
        k, begins = self._run_of(i)
        return self.src[k] + self.step[k] * (i - begins)

    def _run_of(self, i: int) -> tuple[int, int]:
        """The run holding offset `i` (0 <= i < n) and where it begins. The first and the last run (a text's
        first and last offsets, a whole text copied) are found without the runs' ends."""
        if i < self.length[0]:
            return 0, 0
        if i >= self.n - self.length[-1]:
            return len(self.length) - 1, self.n - self.length[-1]
        ends = self.ends()
        k = bisect.bisect_right(ends, i)
        return k, ends[k] - self.length[k]

    def __iter__(self) -> Iterator[int]:
        for src, step, length in zip(self.src, self.step, self.length, strict=True):
            if step:
                yield from range(src, src + length)
            else:
                yield from repeat(src, length)

    def __eq__(self, other) -> bool:
        if isinstance(other, Offsets | array | list | tuple | range):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Offsets({self.runs} runs, {self.n} offsets)"


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
    # The candidates are gathered a window at a time, each source (the pattern `start_re`, each word, `extra`)
    # read on from where it stopped: a set of every candidate of a 32 MiB text would hold millions of ints.
    find = low.find
    fixed = sorted({0, *extra} if at_start else set(extra))
    nf = 0  # the next of `fixed`
    words = [w for w in starts]
    found = [find(w) for w in words]  # each word's next place, or -1
    regex = start_re.finditer(low) if start_re is not None else None
    rm = next(regex, None) if regex is not None else None
    window = _CAND_WINDOW
    w_end = 0
    pos = start
    match = pattern.match
    while True:
        pending = [i for i in found if i != -1]
        if rm is not None:
            pending.append(rm.start() + offset)
        if nf < len(fixed):
            pending.append(fixed[nf])
        if not pending:
            return
        w_end = max(w_end, min(pending)) + window
        # each source's places are in order: the window's are sorted (and made unique) only where two gave some
        cands: list[int] = []
        sources = 0
        if nf < len(fixed) and fixed[nf] < w_end:
            sources += 1
            while nf < len(fixed) and fixed[nf] < w_end:
                cands.append(fixed[nf])
                nf += 1
        if rm is not None and rm.start() + offset < w_end:
            sources += 1
            while rm is not None and rm.start() + offset < w_end:
                cands.append(rm.start() + offset)
                rm = next(regex, None)
        for k, w in enumerate(words):
            i = found[k]
            if i != -1 and i < w_end:
                sources += 1
                while i != -1 and i < w_end:
                    cands.append(i)
                    i = find(w, i + 1)
                found[k] = i
        for i in sorted(set(cands)) if sources > 1 else cands:
            if start + i >= pos:
                m = match(text, start + i, end)
                if m:
                    yield m
                    pos = m.end()


# Candidate places of `finditer_from` gathered at a time: a window of the text this long.
_CAND_WINDOW = 1 << 16


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


# Past this many characters, `joined_words` splits a text a piece at a time: `str.split` makes an object a word
# (some 60 bytes each, 300 MB for a 32 MiB text), where a piece's words are a few megabytes.
_JOIN_PIECE = 1 << 20
_SPACE = re.compile(r"\s")


def joined_words(text: str, start: int = 0, end: int | None = None) -> str:
    """`" ".join(text[start:end].split())`, splitting a long text a piece at a time (each piece cut at a
    blank, so that no word is cut)."""
    end = len(text) if end is None else end
    if end - start <= _JOIN_PIECE or start < 0 or end > len(text):
        return " ".join(text[start:end].split())
    pieces = []
    pos = start
    while pos < end:
        cut = pos + _JOIN_PIECE
        if cut < end:
            m = _SPACE.search(text, cut, end)
            cut = m.start() if m else end
        else:
            cut = end
        piece = " ".join(text[pos:cut].split())
        if piece:
            pieces.append(piece)
        pos = cut
    return " ".join(pieces)


@dataclass(slots=True)
class SourceFile:
    path: str
    text: str
    _line_starts: array = field(default_factory=lambda: array("q"), repr=False)

    def __post_init__(self) -> None:
        starts = array("q", [0])
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
