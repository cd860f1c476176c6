"""Reading a story's YAML: line numbers on every mapping and key, no floats (money is Decimal), YAML 1.2
booleans (`on:` is a step's date, not True), dates as text checked field by field; and the converters
that turn a value into what a `Book` method takes, raising `InputError` with the file, line and field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InputError

ITEM_KEYS = {
    "resolutions": ("id", "kind", "text", "params", "against", "abstain"),
    "matters": ("id", "kind", "text", "params"),
    "votes": ("matter", "for", "against", "abstain", "ballot"),
    "signatures": ("signer", "signed_on"),
}


# --- reading YAML with line numbers and without floats --------------------------------------------------


class Map(dict):
    """A mapping read from YAML, with the line it starts on and the line of each key."""

    line: int = 0
    lines: dict


class Loader(yaml.SafeLoader):
    """Safe YAML with line numbers; "0.001" stays text (money is Decimal, never a float); only true and
    false are booleans."""


# floats (money is Decimal), YAML 1.1 booleans (`on:` is a date's key) and timestamps ("1999-02-30" is
# reported as no such date, not a YAML crash) are left as text and converted field by field
_DROP = ("tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in _DROP]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader: Loader, node: yaml.MappingNode) -> Map:
    loader.flatten_mapping(node)
    m = Map()
    m.line, m.lines = node.start_mark.line + 1, {}
    for k_node, v_node in node.value:
        k = loader.construct_object(k_node, deep=True)
        if not isinstance(k, (str, int, date)):
            raise InputError(f"{k_node.start_mark.line + 1}: a key must be text, not {k!r}")
        k = k.isoformat() if isinstance(k, date) else str(k)
        if k in m:
            hint = ' (inside {...} a comma separates entries: write 150000000 or quote "150,000,000")'
            raise InputError(
                f"{k_node.start_mark.line + 1}: {k!r} appears twice{hint if k.isdigit() else ''}"
            )
        m[k] = loader.construct_object(v_node, deep=True)
        m.lines[k] = k_node.start_mark.line + 1
    return m


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


# --- converting values ---------------------------------------------------------------------------------------------


class Where:
    """Names the place in the story a value came from, for one-line errors."""

    def __init__(self, path: Path, line: int, what: str):
        self.path, self.line, self.what = path, line, what

    def at(self, line: int | None, what: str) -> Where:
        return Where(self.path, line or self.line, f"{self.what}: {what}" if self.what else what)

    def error(self, message: str) -> InputError:
        return InputError(f"{self.path}:{self.line}: {self.what}: {message}" if self.what else message)


_WHOLE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)")
_DECIMAL = re.compile(r"[-+]?(?:\d[\d,]*)?(?:\.\d+)?")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+:-]{0,99}")


def line_of(m: Any, key: str, default: int) -> int:
    return getattr(m, "lines", {}).get(key, getattr(m, "line", default)) or default


def to_text(v: Any, w: Where) -> str:
    if isinstance(v, bool) or v is None or isinstance(v, (dict, list)):
        raise w.error(f"must be text, not {show(v)}")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def to_id(v: Any, w: Where) -> str:
    t = to_text(v, w)
    if not _ID.fullmatch(t):
        raise w.error(f"{t!r} is not an id (letters, digits and . _ @ + : -, up to 100)")
    return t


def to_int(v: Any, w: Where) -> int:
    if isinstance(v, bool):
        raise w.error(f"must be a whole number, not {v!r}")
    if isinstance(v, int):
        n = v
    elif isinstance(v, str) and _WHOLE.fullmatch(v.strip()):
        n = int(re.sub(r"[,_+]", "", v.strip()))
    else:
        raise w.error(f"must be a whole number, not {show(v)}")
    if n <= 0:
        raise w.error(f"must be positive, not {n:,}")
    return n


def to_money(v: Any, w: Where) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise w.error(f"must be an amount in dollars, not {show(v)}")
    t = str(v).strip().removeprefix("$").strip()
    try:
        if not _DECIMAL.fullmatch(t) or not t:
            raise InvalidOperation
        d = Decimal(t.replace(",", ""))
    except InvalidOperation:
        raise w.error(f"not an amount: {v!r}") from None
    if d < 0:
        raise w.error(f"must be zero or more, not {v!r}")
    return d


def to_date(v: Any, w: Where) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        try:
            return date.fromisoformat(v.strip())
        except ValueError as e:
            raise w.error(f"no such date: {v!r} ({e})") from None
    raise w.error(f"must be a date YYYY-MM-DD, not {show(v)}")


def to_bool(v: Any, w: Where) -> bool:
    if not isinstance(v, bool):
        raise w.error(f"must be true or false, not {show(v)}")
    return v


def to_list(v: Any, w: Where) -> list:
    if isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()]
    if not isinstance(v, list):
        raise w.error(f"must be a list, not {show(v)}")
    return v


def to_map(v: Any, w: Where) -> dict:
    if not isinstance(v, dict):
        raise w.error(f"must be a mapping (key: value), not {show(v)}")
    return v


def show(v: Any) -> str:
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "nothing"
    return repr(v)


def jsonish(v: Any, w: Where) -> Any:
    """A value for an event body: dates as ISO text, "150,000,000" as an int, decimals kept as text."""
    if isinstance(v, dict):
        return {str(k): jsonish(x, w.at(line_of(v, str(k), w.line), str(k))) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonish(x, w) for x in v]
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str) and re.fullmatch(r"\d{1,3}(?:,\d{3})+", v.strip()):
        return int(v.replace(",", ""))
    if v is None or isinstance(v, (str, int, bool)):
        return v
    raise w.error(f"cannot be stored: {v!r}")


def convert(kind: str, v: Any, w: Where) -> Any:
    if kind == "str":
        return to_text(v, w)
    if kind == "int":
        return to_int(v, w)
    if kind == "money":
        return to_money(v, w)
    if kind == "date":
        return to_date(v, w)
    if kind == "bool":
        return to_bool(v, w)
    if kind == "ids":
        return tuple(to_id(x, w) for x in to_list(v, w))
    if kind == "strs":
        return tuple(to_text(x, w) for x in to_list(v, w))
    if kind == "names":
        return {to_id(k, w): to_text(x, w.at(line_of(v, k, w.line), str(k))) for k, x in to_map(v, w).items()}
    if kind == "counts":
        return {str(k): to_int(x, w.at(line_of(v, k, w.line), str(k))) for k, x in to_map(v, w).items()}
    if kind == "decimals":
        return {
            str(k): str(to_money(x, w.at(line_of(v, k, w.line), str(k)))) for k, x in to_map(v, w).items()
        }
    if kind == "texts":
        return {str(k): to_text(x, w.at(line_of(v, k, w.line), str(k))) for k, x in to_map(v, w).items()}
    if kind in ITEM_KEYS:
        keys = ITEM_KEYS[kind]
        out = []
        for i, item in enumerate(to_list(v, w), 1):
            wi = w.at(getattr(item, "line", None), f"item {i}")
            m = to_map(item, wi)
            for k in m:
                if keys and k not in keys:
                    raise wi.at(line_of(m, k, wi.line), k).error(
                        f"unknown field (expected {', '.join(keys)})"
                    )
            out.append(jsonish(m, wi))
        return tuple(out)
    return jsonish(v, w)
