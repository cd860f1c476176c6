"""A fast yes/no check of an instance against an OCF schema: the draft-07 keywords the OCF schemas use, compiled
once into Python closures.

`jsonschema` is the authority on what is valid and what an error says (`ocf.schemas`); it takes ~250 µs per
stock issuance, too slow for a package of 200,000 transactions. This module answers only "valid?" in a few
microseconds, with the same semantics: the same format checker (`Draft7Validator.FORMAT_CHECKER`), `pattern` as
`re.search`, `$ref` overriding its siblings (draft-07), booleans never equal to numbers in `const`/`enum`. An
instance it rejects is re-checked by jsonschema for the report, so a disagreement could only ever accept an
invalid item; the tests hold both to the same answer on every sample and on mutated items.

A keyword this module does not implement raises `NotImplementedError` when a schema is compiled, never a silent
pass: a newer schema set fails loudly in the tests.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft7Validator

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "definitions"}
)
_FORMATS = Draft7Validator.FORMAT_CHECKER


def _TRUE(x: Any) -> bool:
    return True


@functools.lru_cache(maxsize=65536)
def _conforms(fmt: str, value: str) -> bool:
    """jsonschema's own format check, remembered (a package repeats its dates many times)."""
    return _FORMATS.conforms(value, fmt)


def _is_type(x: Any, t: str) -> bool:
    if t == "string":
        return isinstance(x, str)
    if t == "object":
        return isinstance(x, dict)
    if t == "array":
        return isinstance(x, list)
    if t == "boolean":
        return isinstance(x, bool)
    if t == "null":
        return x is None
    if t == "integer":
        return (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())
    if t == "number":
        return isinstance(x, (int, float)) and not isinstance(x, bool)
    raise NotImplementedError(f"type {t!r}")


def _equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema has it: True is not 1, lists and objects compared item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return a == b


def _all(checks: tuple[Check, ...]) -> Check:
    if len(checks) == 2:
        a, b = checks
        return lambda x: a(x) and b(x)

    def every(x: Any) -> bool:
        for c in checks:  # noqa: SIM110 - a plain loop: faster than all() over a generator, and this is hot
            if not c(x):
                return False
        return True

    return every


class Compiler:
    """Compiles schemas by `$id`; `resolve(uri)` returns the raw schema. `$ref`s are compiled lazily, so
    recursive schemas are fine."""

    def __init__(self, resolve: Callable[[str], dict]):
        self._resolve = resolve
        self._done: dict[str, Check] = {}

    def by_id(self, uri: str) -> Check:
        if uri not in self._done:
            self._done[uri] = lambda x: self._done[uri](x)  # placeholder while compiling (recursion)
            self._done[uri] = self.compile(self._resolve(uri))
        return self._done[uri]

    def _ref(self, uri: str) -> Check:
        return self.by_id(uri)  # a schema being compiled answers with its placeholder (recursion)

    def _merge_all_of(self, s: dict) -> dict:
        """`s` with the `allOf` members that only constrain an object's properties (`type` object,
        `properties`, `required`) folded into it, so an item is walked once, not once per member. Equivalent:
        allOf is a conjunction, and such a member says nothing about properties it does not name."""
        if "allOf" not in s:
            return s
        rest, merged, required, need_object = [], {}, list(s.get("required", ())), False
        for sub in s["allOf"]:
            raw = (
                self._resolve(sub["$ref"])
                if isinstance(sub, dict) and set(sub) - _ANNOTATIONS == {"$ref"}
                else sub
            )
            simple = (
                isinstance(raw, dict)
                and set(raw) - _ANNOTATIONS <= {"type", "properties", "required"}
                and raw.get("type", "object") == "object"
            )
            if not simple:
                rest.append(sub)
                continue
            for k, v in raw.get("properties", {}).items():
                merged.setdefault(k, []).append(v)
            required += [r for r in raw.get("required", ()) if r not in required]
            need_object |= "type" in raw
        out = {k: v for k, v in s.items() if k != "allOf"}
        if rest:
            out["allOf"] = rest
        if required:
            out["required"] = required
        if merged:
            out["_merged"] = merged
            out.setdefault("properties", {})
        if need_object and "type" not in out:
            out["type"] = "object"
        elif need_object and out["type"] != "object":
            out["allOf"] = [*out.get("allOf", ()), {"type": "object"}]
        return out

    def compile(self, s: dict | bool) -> Check:  # noqa: C901 - one branch per keyword
        if s is True or s == {}:
            return _TRUE
        if s is False:
            return lambda x: False
        if "$ref" in s:  # draft-07: a $ref's siblings are ignored
            return self._ref(s["$ref"])
        checks: list[Check] = []
        for key in s:
            if key not in _ANNOTATIONS and key not in _KEYWORDS:
                raise NotImplementedError(f"schema keyword {key!r}")
        s = self._merge_all_of(s)
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            simple = {"string": str, "object": dict, "array": list}
            if len(types) == 1 and types[0] in simple:
                checks.append(lambda x, t=simple[types[0]]: isinstance(x, t))
            else:
                checks.append(lambda x, ts=tuple(types): any(_is_type(x, t) for t in ts))
        if "const" in s:
            checks.append(lambda x, c=s["const"]: _equal(x, c))
        if "enum" in s:
            strings = frozenset(v for v in s["enum"] if isinstance(v, str))
            values = tuple(s["enum"])
            checks.append(
                lambda x, strings=strings, values=values: (
                    x in strings if isinstance(x, str) else any(_equal(x, v) for v in values)
                )
            )
        if "pattern" in s:
            rx = re.compile(s["pattern"])
            checks.append(lambda x, rx=rx: not isinstance(x, str) or rx.search(x) is not None)
        if "format" in s:
            fmt = s["format"]
            checks.append(
                lambda x, fmt=fmt: _conforms(fmt, x) if isinstance(x, str) else _FORMATS.conforms(x, fmt)
            )
        if "minLength" in s:
            checks.append(lambda x, n=s["minLength"]: not isinstance(x, str) or len(x) >= n)
        if "maxLength" in s:
            checks.append(lambda x, n=s["maxLength"]: not isinstance(x, str) or len(x) <= n)
        if "minimum" in s:
            checks.append(
                lambda x, n=s["minimum"]: not _is_type(x, "number") or x >= n  # type: ignore[operator]
            )
        if "required" in s:
            req = tuple(s["required"])
            checks.append(lambda x, req=req: not isinstance(x, dict) or all(k in x for k in req))
        if "properties" in s or "additionalProperties" in s:
            props = {k: self.compile(v) for k, v in s.get("properties", {}).items()}
            for k, subs in s.get("_merged", {}).items():  # from allOf: every schema given for the key applies
                both = tuple(c for c in (props.get(k, _TRUE), *map(self.compile, subs)) if c is not _TRUE)
                merged = _TRUE if not both else both[0] if len(both) == 1 else _all(both)
                props.setdefault(k, _TRUE)
                props[k] = merged
            checked = tuple((k, c) for k, c in props.items() if c is not _TRUE)  # `{}` checks nothing
            extra = s.get("additionalProperties", True)
            if extra is False:
                allowed = frozenset(s.get("properties", {}))  # the schema's own properties only (draft-07)

                def _closed(x: Any, checked=checked, allowed=allowed) -> bool:
                    if not isinstance(x, dict):
                        return True
                    if not x.keys() <= allowed:
                        return False
                    for k, c in checked:  # noqa: SIM110 - hot: a plain loop is faster than all()
                        if k in x and not c(x[k]):
                            return False
                    return True

                checks.append(_closed)
            else:
                extra_check = None if extra is True else self.compile(extra)

                def _open(x: Any, checked=checked, props=props, extra_check=extra_check) -> bool:
                    if not isinstance(x, dict):
                        return True
                    for k, c in checked:
                        if k in x and not c(x[k]):
                            return False
                    if extra_check is not None:
                        return all(extra_check(v) for k, v in x.items() if k not in props)
                    return True

                checks.append(_open)
        if "items" in s:
            if not isinstance(s["items"], dict):
                raise NotImplementedError("items as a list")
            item = self.compile(s["items"])
            checks.append(lambda x, item=item: not isinstance(x, list) or all(item(v) for v in x))
        if "minItems" in s:
            checks.append(lambda x, n=s["minItems"]: not isinstance(x, list) or len(x) >= n)
        if "uniqueItems" in s and s["uniqueItems"]:
            checks.append(
                lambda x: (
                    not isinstance(x, list)
                    or all(not _equal(x[i], x[j]) for i in range(len(x)) for j in range(i + 1, len(x)))
                )
            )
        if "allOf" in s:
            subs = tuple(self.compile(x) for x in s["allOf"])
            checks.append(_all(subs))
        if "anyOf" in s:
            subs = tuple(self.compile(x) for x in s["anyOf"])
            checks.append(lambda x, subs=subs: any(c(x) for c in subs))
        if "oneOf" in s:
            subs = tuple(self.compile(x) for x in s["oneOf"])
            checks.append(lambda x, subs=subs: sum(1 for c in subs if c(x)) == 1)
        if "not" in s:
            neg = self.compile(s["not"])
            checks.append(lambda x, neg=neg: not neg(x))
        if not checks:
            return _TRUE
        if len(checks) == 1:
            return checks[0]
        return _all(tuple(checks))


_KEYWORDS = frozenset(
    {
        "type",
        "const",
        "enum",
        "pattern",
        "format",
        "minLength",
        "maxLength",
        "minimum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minItems",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "_merged",
    }
)
