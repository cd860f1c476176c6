"""The map from a derived text back to its file, kept as runs (`textmap.Offsets`), reads as the plain array of
one offset a character that it replaces: every builder step, slice and lookup checked against the plain form."""

from __future__ import annotations

from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.ingest.textmap import Builder, MappedText, Offsets, SourceFile

FILE = SourceFile("f.txt", "".join(chr(97 + i % 26) for i in range(400)))

# A builder's steps: ("copy", start, end) from a mapped text, ("source", start, end) from the file,
# ("insert", length, at), ("add", start, length).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("copy"), st.integers(-3, 60), st.integers(-3, 60)),
        st.tuples(st.just("source"), st.integers(0, 400), st.integers(0, 400)),
        st.tuples(st.just("insert"), st.integers(0, 4), st.integers(0, 400)),
        st.tuples(st.just("add"), st.integers(0, 390), st.integers(0, 10)),
    ),
    max_size=30,
)


def _build(plan, inner: MappedText) -> tuple[MappedText, list[int]]:
    """The builder's text and map, and the plain map (a list of ints) the same steps give."""
    b = Builder(FILE)
    plain: list[int] = []
    inner_plain = list(inner.origin)
    for op, x, y in plan:
        if op == "copy":
            b.copy(inner, x, y)
            if y > x:
                plain.extend(inner_plain[x:y])
        elif op == "source":
            b.copy_source(x, y)
            plain.extend(range(x, y))
        elif op == "insert":
            b.insert("\n" * x, y)
            plain.extend([y] * x)
        else:
            b.add("z" * y, x)
            plain.extend(range(x, x + y))
    return b.build(), plain


@settings(max_examples=400, deadline=None)
@given(steps, steps, st.integers(-70, 70), st.integers(-70, 70), st.integers(-5, 80))
def test_runs_read_as_the_plain_offsets(inner_plan, plan, a, b, i):
    inner, inner_plain = _build(inner_plan, MappedText(FILE.text[:50], Offsets.run(0, 50), FILE))
    assert list(inner.origin) == inner_plain
    mt, plain = _build(plan, inner)
    origin = mt.origin
    assert len(origin) == len(plain) == len(mt.text)
    assert list(origin) == plain
    assert origin == array("q", plain)
    assert list(origin[a:b]) == plain[a:b]
    assert list(mt.slice(max(a, 0), max(b, 0)).origin) == plain[max(a, 0) : max(b, 0)]
    if -len(plain) <= i < len(plain):
        assert origin[i] == plain[i]
    plain_src = 0 if not plain else plain[-1] + 1 if i >= len(plain) else plain[max(i, 0)]
    assert mt.src(i) == plain_src


def test_a_long_copied_text_is_few_runs():
    text = "x" * 1_000_000
    file = SourceFile("big.txt", text)
    b = Builder(file)
    for at in range(0, len(text), 100_000):
        b.copy_source(at, at + 100_000)
        b.insert("\n\n", at + 100_000)
    mt = b.build()
    assert len(mt.origin) == len(mt.text) == 1_000_020
    assert mt.origin.runs <= 21  # a run a copy and one an insertion, not an offset a character
