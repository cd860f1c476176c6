"""The vendored OCF v1.2.0 schemas and the compiled check: the schemas ship with the package, unmodified, resolve
without the network, and the compiled yes/no check answers as jsonschema does on every sample object and on
objects broken in each way a package can be broken."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest
from ocfhelp import OCF, SAMPLES_ROOT, need

from minutebook.ocf.schemas import SCHEMA_DIR, schemas


def test_the_schemas_ship_with_the_package_with_their_licence():
    root = resources.files("minutebook.ocf") / "schema"
    assert (root / "LICENSE.md").is_file() and (root / "README.md").is_file()
    assert (root / "files" / "OCFManifestFile.schema.json").is_file()
    assert len(schemas().by_id) == 168


def test_the_schemas_are_ocf_s_own_unmodified():
    upstream = need(OCF / "releases" / "v1.2.0" / "schema")
    ours = sorted(p.relative_to(SCHEMA_DIR) for p in SCHEMA_DIR.rglob("*.schema.json"))
    assert ours == sorted(p.relative_to(upstream) for p in upstream.rglob("*.schema.json"))
    for rel in ours:
        assert (SCHEMA_DIR / rel).read_bytes() == (upstream / rel).read_bytes(), rel


def test_an_unknown_ref_is_never_fetched():
    from referencing.exceptions import Unresolvable

    with pytest.raises(Unresolvable):
        schemas().registry.resolver().lookup("https://example.com/elsewhere.schema.json")


def _objects():
    for path in sorted(need(SAMPLES_ROOT).rglob("*.ocf.json")):
        doc = json.loads(path.read_text())
        yield from doc.get("items", [])


def _mutations(item: dict):
    yield item
    for key in list(item)[:6]:
        broken = copy.deepcopy(item)
        del broken[key]
        yield broken  # a field missing
        broken = copy.deepcopy(item)
        broken[key] = 7 if isinstance(item[key], str) else "7"
        yield broken  # a field of the wrong type
    yield {**item, "not_a_field": "x"}
    if "date" in item:
        yield {**item, "date": "2022-02-30"}
    if "quantity" in item:
        yield {**item, "quantity": "1,000"}
        yield {**item, "quantity": "1.12345678901"}
    if "share_price" in item:
        yield {**item, "share_price": {"amount": "1", "currency": "usd"}}
        yield {**item, "share_price": {"amount": "1", "currency": "USD", "x": 1}}


def test_the_compiled_check_answers_as_jsonschema_does():
    S = schemas()
    seen = 0
    for item in _objects():
        sid = S.object_schema(item.get("object_type"))
        if sid is None:
            continue
        for x in _mutations(item):
            assert S.fast(sid)(x) == S.validator(sid).is_valid(x), (item["id"], x)
            seen += 1
    assert seen > 1000
    for path in sorted(need(SAMPLES_ROOT).rglob("*.ocf.json")):
        doc = json.loads(path.read_text())
        sid = S.file_types.get(doc.get("file_type"))
        if sid:
            assert S.fast(sid)(doc) == S.validator(sid).is_valid(doc), path
