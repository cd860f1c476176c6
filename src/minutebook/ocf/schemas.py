"""The OCF v1.2.0 JSON Schemas, loaded from the copy shipped with minutebook (`ocf/schema/`, unmodified) and
checked with jsonschema (draft-07, formats on). Every `$ref` resolves in a local `referencing.Registry` keyed by
each schema's `$id`; an unknown URI raises instead of fetching anything, so validation never touches the network.

`Schemas.errors(schema_id, instance)` is the one entry point: a compiled yes/no check first (`ocf.fastcheck`,
microseconds), jsonschema's errors only for an instance that fails it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT7

from .fastcheck import Check, Compiler

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
OCF_VERSION = "1.2.0"
BASE = f"https://schema.opencaptablecoalition.com/v/{OCF_VERSION}/"
MANIFEST = "OCF_MANIFEST_FILE"
# the authorized-share adjustments: of a stock class, of the issuer
ADJUSTMENTS = ("TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT", "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT")
# the stored document of what an OCF import kept, not applied (minutebook has no model for it)
KEPT_DOC = "ocf/kept.json"

# manifest key -> the file type its files must have
FILE_KINDS = {
    "stock_plans_files": "OCF_STOCK_PLANS_FILE",
    "stock_legend_templates_files": "OCF_STOCK_LEGEND_TEMPLATES_FILE",
    "stock_classes_files": "OCF_STOCK_CLASSES_FILE",
    "vesting_terms_files": "OCF_VESTING_TERMS_FILE",
    "valuations_files": "OCF_VALUATIONS_FILE",
    "transactions_files": "OCF_TRANSACTIONS_FILE",
    "stakeholders_files": "OCF_STAKEHOLDERS_FILE",
    "financings_files": "OCF_FINANCINGS_FILE",
    "documents_files": "OCF_DOCUMENTS_FILE",
}


def json_path(parts) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


class Schemas:
    def __init__(self, folder: Path = SCHEMA_DIR):
        self.by_id: dict[str, dict] = {}
        for p in sorted(folder.rglob("*.schema.json")):
            s = json.loads(p.read_text(encoding="utf-8"))
            self.by_id[s["$id"]] = s

        def offline(uri: str):
            raise NoSuchResource(ref=uri)

        self.registry = Registry(retrieve=offline).with_resources(
            (sid, Resource.from_contents(s, default_specification=DRAFT7)) for sid, s in self.by_id.items()
        )
        self.file_types: dict[str, str] = {}  # file_type -> schema id
        self.object_types: dict[str, str] = {}  # object_type -> schema id (deprecated aliases included)
        enums: dict[str, str] = {}
        for sid, s in self.by_id.items():
            props = s.get("properties", {})
            rel = sid.removeprefix(BASE)
            if rel.startswith("files/") and "const" in props.get("file_type", {}):
                self.file_types[props["file_type"]["const"]] = sid
            if rel.startswith("objects/"):
                ot = props.get("object_type", {})
                if "const" in ot:
                    self.object_types[ot["const"]] = sid
                for v in ot.get("enum", ()):  # TX_EQUITY_COMPENSATION_* (the schema also names its alias)
                    enums.setdefault(v, sid)
        for ot, sid in enums.items():
            self.object_types.setdefault(ot, sid)
        self.deprecated = {
            ot: ot.replace("TX_PLAN_SECURITY_", "TX_EQUITY_COMPENSATION_")
            for ot in self.object_types
            if ot.startswith("TX_PLAN_SECURITY_")
        }
        self._validators: dict[str, Draft7Validator] = {}
        self._compiler = Compiler(self.by_id.__getitem__)

    def validator(self, sid: str) -> Draft7Validator:
        v = self._validators.get(sid)
        if v is None:
            v = self._validators[sid] = Draft7Validator(
                self.by_id[sid], registry=self.registry, format_checker=Draft7Validator.FORMAT_CHECKER
            )
        return v

    def fast(self, sid: str) -> Check:
        return self._compiler.by_id(sid)

    def errors(self, sid: str, instance: Any) -> list[ValidationError]:
        """jsonschema's errors for `instance` ([] when valid), most relevant first."""
        if self.fast(sid)(instance):
            return []
        errs = list(self.validator(sid).iter_errors(instance))
        if not errs:  # pragma: no cover - the compiled check is stricter than jsonschema: never expected
            return []
        first = best_match(errs)
        return [first, *(e for e in errs if e is not first)]

    def file_items(self, sid: str) -> tuple[Check, dict[str, str] | None]:
        """How the file schema `sid` checks one of its items: the compiled check of its `items` schema, and — when
        that schema only says "one of these object schemas" (a `$ref`, or a `oneOf` of `$ref`s) and each object type
        selects one of them alone — the object schema id each object type must pass, so an item is checked against
        its own schema, not tried against every one. None: use the compiled check."""
        prop = self.by_id[sid].get("properties", {}).get("items", {})
        sub = prop.get("items", {})
        check = self._compiler.compile(sub)
        if set(prop) - {"type", "description", "items"} or prop.get("type") != "array":
            return check, None
        refs = [sub] if "$ref" in sub else sub.get("oneOf")
        if not refs or set(sub) - {"oneOf", "$ref", "description"}:
            return check, None
        by_type: dict[str, list[str]] = {}
        for r in refs:
            if set(r) != {"$ref"} or r["$ref"] not in self.by_id:
                return check, None
            ot = self.by_id[r["$ref"]].get("properties", {}).get("object_type", {})
            types = [ot["const"]] if "const" in ot else list(ot.get("enum", ()))
            if not types:
                return check, None
            for t in types:
                by_type.setdefault(t, []).append(r["$ref"])
        return check, {t: ids[0] for t, ids in by_type.items() if len(ids) == 1}

    def object_schema(self, object_type: Any) -> str | None:
        return self.object_types.get(object_type) if isinstance(object_type, str) else None

    def schema_id(self, rel: str) -> str:
        return BASE + rel


@functools.cache
def schemas() -> Schemas:
    return Schemas()


def message(err: ValidationError) -> tuple[str, str]:
    """(JSON path, message) of an error, the message cut to one readable line."""
    text = " ".join(err.message.split())
    if len(text) > 240:
        text = text[:237] + "..."
    return json_path(err.absolute_path), text


def unknown_fields(err: ValidationError) -> Iterator[tuple[tuple, tuple[str, ...]]]:
    """(path of the object, the field names) for each `additionalProperties` failure in `err` and the errors
    under it (the branches of a oneOf/anyOf)."""
    stack = [err]
    while stack:
        e = stack.pop()
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            allowed = set(e.schema.get("properties", {}))
            extra = tuple(sorted(k for k in e.instance if k not in allowed))
            if extra:
                yield tuple(e.absolute_path), extra
        stack.extend(e.context or ())
