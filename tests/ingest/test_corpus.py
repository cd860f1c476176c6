"""The charter-reader corpus: each `docs/NAME.expect.json` says what `read` must make of `docs/NAME.*`.

An expectation is a subset of `ReadResult.to_json()`: every key it names must match (objects
recursively, lists element-wise with the same length, scalars exactly); keys it leaves out are not
checked. `finding_codes` must each occur at least once and `no_finding_codes` must not occur at all.
`files` (optional) lists several documents read together as one charter history; `description` and
`notes` are for people.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DOCS = Path(__file__).parent / "docs"
EXPECT_SUFFIX = ".expect.json"
DOC_SUFFIXES = (".txt", ".htm", ".html")
EXPECTATIONS = sorted(DOCS.glob(f"*{EXPECT_SUFFIX}"))
MATCHED_KEYS = ("corporation", "documents", "versions")
KNOWN_KEYS = {"description", "notes", "files", "finding_codes", "no_finding_codes", *MATCHED_KEYS}
FINDING_CODE_PREFIX = "MB-"


def _stem(expect_path: Path) -> str:
    return expect_path.name[: -len(EXPECT_SUFFIX)]


def _load(expect_path: Path) -> dict:
    return json.loads(expect_path.read_text(encoding="utf-8"))


def _document_files() -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.is_file() and p.suffix in DOC_SUFFIXES)


def _files_for(expect_path: Path, expect: dict) -> list[Path]:
    if "files" in expect:
        return [DOCS / name for name in expect["files"]]
    stem = _stem(expect_path)
    found = [DOCS / f"{stem}{suffix}" for suffix in DOC_SUFFIXES if (DOCS / f"{stem}{suffix}").exists()]
    return found or [DOCS / f"{stem}.txt"]


def _brief(value: object, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(item: object) -> str:
    """A short name for a list element, to say which one differs."""
    if isinstance(item, dict):
        for key in ("name", "kind", "code", "effective_on"):
            if isinstance(item.get(key), str):
                return f" ({item[key]})"
    return ""


def mismatches(expected: object, actual: object, path: str = "$") -> list[str]:
    """Every place where `actual` fails to contain `expected`, as `json.path: what differs`."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {_brief(actual)}"]
        out: list[str] = []
        for key, want in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing (expected {_brief(want)})")
            else:
                out.extend(mismatches(want, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {_brief(actual)}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} item(s), got {len(actual)}: {_brief(actual)}"]
        out = []
        for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
            out.extend(mismatches(want, got, f"{path}[{i}]{_label(want)}"))
        return out
    # bool is an int in Python; 1 must not pass for true, nor 1.0 for 1.
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: expected {_brief(expected)}, got {_brief(actual)}"]
    return []


# --- the corpus itself (these pass without the reader) -------------------------------------------


def test_corpus_has_enough_documents():
    assert len(_document_files()) >= 12, "the corpus needs at least 12 documents"
    assert len(EXPECTATIONS) >= 12, "the corpus needs at least 12 expectation files"


@pytest.mark.parametrize("expect_path", EXPECTATIONS, ids=_stem)
def test_expectation_is_well_formed(expect_path: Path):
    expect = _load(expect_path)
    assert set(expect) <= KNOWN_KEYS, f"unknown keys: {sorted(set(expect) - KNOWN_KEYS)}"
    assert expect.get("description"), "every expectation says what it tests"
    for path in _files_for(expect_path, expect):
        assert path.is_file(), f"{path.name} does not exist"
    required = expect.get("finding_codes", [])
    forbidden = expect.get("no_finding_codes", [])
    for code in [*required, *forbidden]:
        assert code.startswith(FINDING_CODE_PREFIX), f"not a finding code: {code!r}"
    assert not set(required) & set(forbidden), "a code cannot be both required and forbidden"
    for version in expect.get("versions", []):
        assert isinstance(version.get("classes"), list), "every expected version lists its classes"


def test_every_document_is_expected():
    covered: set[str] = set()
    for expect_path in EXPECTATIONS:
        covered.update(p.name for p in _files_for(expect_path, _load(expect_path)))
    orphans = [p.name for p in _document_files() if p.name not in covered]
    assert not orphans, f"documents no expectation reads: {orphans}"


# --- the reader against the corpus ----------------------------------------------------------------


@pytest.mark.parametrize("expect_path", EXPECTATIONS, ids=_stem)
def test_reader_matches_expectation(expect_path: Path):
    from minutebook.ingest import read

    expect = _load(expect_path)
    data = read(_files_for(expect_path, expect)).to_json()
    json.dumps(data)  # to_json() must give plain JSON

    problems: list[str] = []
    for key in MATCHED_KEYS:
        if key in expect:
            problems.extend(mismatches(expect[key], data.get(key), f"$.{key}"))

    findings = data.get("findings") or []
    codes = {f.get("code") for f in findings}
    for code in expect.get("finding_codes", []):
        if code not in codes:
            problems.append(f"$.findings: expected a {code} finding; got {sorted(c for c in codes if c)}")
    for code in expect.get("no_finding_codes", []):
        for f in findings:
            if f.get("code") == code:
                where = f.get("source") or {}
                problems.append(
                    f"$.findings: unexpected {code} at line {where.get('line')}: {f.get('message')}"
                )

    assert not problems, f"{expect_path.name}: {expect['description']}\n  " + "\n  ".join(problems)
