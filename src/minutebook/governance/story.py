"""Stories: a corporation's history as a YAML file of dated steps.

    name: The Auxer 1999 amendment
    start: {file: examples/auxer-group-charter.txt, until: 1998-12-31}
    steps:
      - on: 1997-09-02
        elect_directors: {directors: [eugene], names: {eugene: Eugene Chiaramonte}, by: incorporator}
      - on: 1999-01-25
        notice: {meeting: M-1999}
        expect: {refused: true, codes: [MB-NOTICE-TOO-LATE]}
    end: {charter_versions: 3, authorized: {common: 150000000}, check_codes: [MB-BLANK-CHECK-DEFECTIVE]}

`load(path)` parses a story into `Story` (its `Step`s, each one action with its fields converted: dates,
share counts as ints, money as Decimal — the YAML is read without floats); a malformed file, an unknown
action or field is an `InputError` naming the file, line, step and field. Each action maps 1:1 to a `Book`
method (`ACTIONS`). Reading the YAML and converting values is `story_yaml`; running a story through a book
is the book's (`book.stories`: `create_book`, `run`, `check_end`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InputError, MinutebookError, NotFoundError
from .story_yaml import (
    Loader,
    Where,
    convert,
    line_of,
    show,
    to_bool,
    to_date,
    to_id,
    to_int,
    to_list,
    to_map,
    to_text,
)

# --- the story -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expect:
    """What a step should do: be refused or not, with these finding codes and without those; or raise."""

    refused: bool = False
    codes: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    raises: str | None = None  # an exception class name: InputError, NotFoundError, MinutebookError


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # 1-based
    line: int
    on: date
    action: str
    args: Mapping[str, Any]  # field -> converted value, keyed by the story's field names
    historical: bool = False
    expect: Expect = Expect()
    note: str | None = None

    def where(self, path: Path | str) -> str:
        return f"{path}:{self.line}: step {self.number} ({self.action})"


@dataclass(frozen=True, slots=True)
class Start:
    file: Path | None = None
    charter: str | None = None
    until: date | None = None
    corp: str | None = None


@dataclass(frozen=True, slots=True)
class End:
    as_of: date | None = None
    charter_versions: int | None = None
    total_authorized: int | None = None
    authorized: Mapping[str, int] = field(default_factory=dict)
    directors: tuple[str, ...] | None = None
    officers: Mapping[str, tuple[str, ...]] | None = None
    holdings: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    check_codes: tuple[str, ...] = ()
    check_absent: tuple[str, ...] = ()
    line: int = 0  # where `end:` stands in the story file


@dataclass(frozen=True, slots=True)
class Story:
    path: Path
    name: str
    description: str
    start: Start | None
    steps: tuple[Step, ...]
    end: End | None


# --- the actions -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A field of an action: its kind (how the YAML value is converted), whether it is required, and the
    Book method's parameter it goes to. Kinds: str, int (a count), money (Decimal), date, bool, ids (a
    list of ids), strs (a list of text), names (id -> text), counts (key -> int), decimals (key -> decimal
    text), texts (key -> text), and lists of maps: resolutions, matters, votes, signatures."""

    kind: str
    required: bool = False
    to: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    method: str
    positional: tuple[str, ...]
    fields: Mapping[str, Field]
    summary: str


def _action(method: str, positional: str, fields: str, summary: str) -> Action:
    """`fields`: "name:kind" each, `!` when required, `>param` when the Book's parameter is named otherwise."""
    out: dict[str, Field] = {}
    for token in fields.split():
        name, _, rest = token.partition(":")
        kind, _, to = rest.partition(">")
        out[name] = Field(kind.rstrip("!"), kind.endswith("!"), to or None)
    return Action(method, tuple(positional.split()), out, summary)


_SERIES = "series:str>series_key"
ACTIONS: dict[str, Action] = {
    "holder": _action(
        "add_holder", "id name", "id:str! name:str! kind:str email:str address:str", "add a stakeholder"
    ),
    "issue": _action(
        "issue",
        "holder class shares",
        "holder:str! class:str! shares:int! price:money!>price_per_share consideration:money "
        f"{_SERIES} certificate:str legends:strs from_treasury:bool approved_by:str",
        "issue shares",
    ),
    "transfer": _action(
        "transfer",
        "from to class shares",
        f"from:str! to:str! class:str! shares:int! {_SERIES} certificate:str new_certificate:str "
        "balance_certificate:str price:money>price_per_share approved_by:str",
        "transfer shares",
    ),
    "cancel": _action(
        "cancel",
        "holder class shares",
        f"holder:str! class:str! shares:int! {_SERIES} certificate:str reason:str",
        "cancel shares",
    ),
    "repurchase": _action(
        "repurchase",
        "holder class shares",
        f"holder:str! class:str! shares:int! price:money!>price_per_share {_SERIES} certificate:str",
        "buy shares back into treasury",
    ),
    "split": _action("split", "class from to", f"class:str! from:int! to:int! {_SERIES}", "split a class"),
    "designate_series": _action(
        "designate_series",
        "class series name authorized",
        "class:str! series:str! name:str! authorized:int! approved_by:str",
        "designate a series (certificate of designations, §151(g))",
    ),
    "elect_directors": _action(
        "elect_directors",
        "directors",
        "directors:ids! names:names by:str approved_by:str",
        "directors take office",
    ),
    "remove_directors": _action(
        "remove_directors", "directors", "directors:ids! how:str approved_by:str", "directors leave office"
    ),
    "board_size": _action("fix_board_size", "size", "size:int! approved_by:str", "fix the board's size"),
    "appoint_officer": _action(
        "appoint_officer",
        "person name titles",
        "person:str! name:str! titles:strs! approved_by:str",
        "appoint an officer",
    ),
    "officer_leaves": _action(
        "officer_leaves", "person", "person:str! titles:strs how:str", "an officer leaves office"
    ),
    "board": _action(
        "board_act",
        "id",
        "id:str! form:str present:ids! resolutions:resolutions!",
        "the board acts at a meeting or by unanimous written consent",
    ),
    "call_meeting": _action(
        "call_meeting",
        "id",
        "id:str! kind:str meeting_on:date! record_date:date called_by:str matters:matters! "
        "time:str place:str remote:str",
        "call a stockholder meeting",
    ),
    "notice": _action(
        "send_notice",
        "meeting",
        "meeting:str! states_purpose:bool includes_text:bool",
        "send notice of a meeting (§222)",
    ),
    "stockholder_list": _action(
        "prepare_stockholder_list", "meeting", "meeting:str!", "prepare the stockholder list (§219)"
    ),
    "hold_meeting": _action(
        "hold_meeting",
        "meeting",
        "meeting:str! present:ids present_shares:counts votes:votes",
        "hold a stockholder meeting and count its votes",
    ),
    "consent": _action(
        "written_consent",
        "id",
        "id:str! by:str matters:matters! signatures:signatures! record_date:date",
        "act by written consent (§228, §241)",
    ),
    "consent_notice": _action(
        "send_consent_notice", "consent", "consent:str!", "notice of a §228 action (§228(e))"
    ),
    "bylaws": _action(
        "amend_bylaws", "section text", "section:str! text:str! approved_by:str!", "amend the bylaws"
    ),
    "file_amendment": _action(
        "file_amendment",
        "",
        "approved_by:ids! authorized:counts par:decimals articles:texts name:str statute:str",
        "file a certificate of amendment: a new charter version",
    ),
    # --- equity compensation and convertibles (`book.equity`) ---
    "valuation": _action(
        "record_valuation",
        "id class price",
        "id:str! class:str! price:money! provider:str kind:str approved_by:str",
        "record a valuation (IRC §409A)",
    ),
    "plan": _action(
        "adopt_plan",
        "id name reserved",
        "id:str! name:str! reserved:int! class:str>class_key approved_by:str stockholder_approval:str "
        "on_forfeit:str",
        "adopt an equity plan reserving shares",
    ),
    "pool": _action(
        "change_pool",
        "plan reserved",
        "plan:str! reserved:int! approved_by:str stockholder_approval:str",
        "set a plan's reserve",
    ),
    "vesting": _action(
        "define_vesting", "id schedule", "id:str! schedule:str! name:str", "define vesting terms"
    ),
    "grant": _action(
        "grant",
        "id holder kind shares",
        "id:str! holder:str! kind:str! shares:int! plan:str>plan_id class:str>class_key series:str>series_key "
        "price:money>exercise_price type:str>option_type expires:date>expires_on windows:counts>exercise_windows "
        "vesting:str vesting_start:date early_exercise:bool acceleration:texts approved_by:str "
        "consideration:money certificate:str",
        "grant an option, RSU, restricted stock or warrant (§157)",
    ),
    "exercise": _action(
        "exercise",
        "award shares",
        "award:str! shares:int! method:str fair_value:money certificate:str",
        "exercise options or warrants, or release RSUs, and issue the stock",
    ),
    "end_award": _action(
        "end_award", "award", "award:str! how:str shares:int>quantity reason:str", "an award's rights end"
    ),
    "service_ended": _action("end_service", "holder", "holder:str! reason:str", "a holder's service ends"),
    "safe": _action(
        "issue_convertible",
        "id holder amount",
        "id:str! holder:str! amount:money! kind:str cap:money basis:str>cap_basis discount:money mfn:bool "
        "interest:money>interest_rate maturity:date>maturity_on approved_by:str",
        "issue a SAFE or a convertible note",
    ),
    "round": _action(
        "record_round",
        "",
        "class:str!>class_key series:str>series_key pre_money:money! investors:decimals! pool:money!>pool_target "
        "approved_by:str! plan:str>plan_id pool_approved_by:str",
        "close a priced round as modelled: pool top-up, investors' shares, SAFE and note conversions",
    ),
}

STEP_KEYS = ("on", "expect", "historical", "note")
EXPECT_KEYS = ("refused", "codes", "absent", "raises")
END_KEYS = (
    "as_of",
    "charter_versions",
    "total_authorized",
    "authorized",
    "directors",
    "officers",
    "holdings",
    "check_codes",
    "check_absent",
)
TOP_KEYS = ("name", "description", "start", "steps", "end")
RAISES = {"InputError": InputError, "NotFoundError": NotFoundError, "MinutebookError": MinutebookError}


def _expect(v: Any, w: Where) -> Expect:
    m = to_map(v, w)
    for k in m:
        if k not in EXPECT_KEYS:
            raise w.at(line_of(m, k, w.line), k).error(f"unknown field (expected {', '.join(EXPECT_KEYS)})")
    raises = m.get("raises")
    if raises is not None and raises not in RAISES:
        raise w.at(line_of(m, "raises", w.line), "raises").error(f"must be one of {', '.join(RAISES)}")
    return Expect(
        to_bool(m["refused"], w.at(line_of(m, "refused", w.line), "refused")) if "refused" in m else False,
        tuple(to_text(c, w) for c in to_list(m.get("codes", []), w.at(line_of(m, "codes", w.line), "codes"))),
        tuple(
            to_text(c, w) for c in to_list(m.get("absent", []), w.at(line_of(m, "absent", w.line), "absent"))
        ),
        raises,
    )


def _step(n: int, m: Any, path: Path, line: int) -> Step:
    w = Where(path, getattr(m, "line", line), f"step {n}")
    m = to_map(m, w)
    actions = [k for k in m if k not in STEP_KEYS]
    if not actions:
        raise w.error(f"no action (one of: {', '.join(ACTIONS)})")
    if len(actions) > 1:
        raise w.error(f"more than one action ({', '.join(actions)}): one step is one action")
    name = actions[0]
    if name not in ACTIONS:
        raise w.at(line_of(m, name, w.line), name).error(
            f"unknown action (expected one of: {', '.join(ACTIONS)})"
        )
    spec = ACTIONS[name]
    wa = Where(path, line_of(m, name, w.line), f"step {n} ({name})")
    if "on" not in m:
        raise wa.error("on: missing (the step's date, YYYY-MM-DD)")
    on = to_date(m["on"], wa.at(line_of(m, "on", wa.line), "on"))
    body = m[name] if m[name] is not None else {}
    if not isinstance(body, dict) and len(spec.positional) == 1:
        body = {spec.positional[0]: body}  # `notice: M-1` for `notice: {meeting: M-1}`
    body = to_map(body, wa)
    args: dict[str, Any] = {}
    for k, v in body.items():
        f = spec.fields.get(k)
        wk = wa.at(line_of(body, k, wa.line), k)
        if f is None:
            raise wk.error(f"unknown field (expected {', '.join(spec.fields)})")
        args[k] = convert(f.kind, v, wk)
    for k, f in spec.fields.items():
        if f.required and k not in args:
            raise wa.at(None, k).error("missing")
    hist = (
        to_bool(m["historical"], wa.at(line_of(m, "historical", wa.line), "historical"))
        if "historical" in m
        else False
    )
    expect = (
        _expect(m["expect"], wa.at(line_of(m, "expect", wa.line), "expect")) if "expect" in m else Expect()
    )
    note = to_text(m["note"], wa) if m.get("note") is not None else None
    return Step(n, wa.line, on, name, args, hist, expect, note)


def _start(v: Any, path: Path) -> Start:
    w = Where(path, getattr(v, "line", 1), "start")
    m = to_map(v, w)
    for k in m:
        if k not in ("file", "charter", "until", "corp"):
            raise w.at(line_of(m, k, w.line), k).error("unknown field (expected file, charter, until, corp)")
    if ("file" in m) == ("charter" in m):
        raise w.error("give either file (a charter document) or charter (its text inline)")
    file = None
    if "file" in m:
        file = resolve_file(to_text(m["file"], w.at(line_of(m, "file", w.line), "file")), path)
        if file is None:
            raise w.at(line_of(m, "file", w.line), "file").error(
                f"no such file: {m['file']!r} (looked beside the story and in the folders above it)"
            )
    until = to_date(m["until"], w.at(line_of(m, "until", w.line), "until")) if "until" in m else None
    charter = (
        to_text(m["charter"], w.at(line_of(m, "charter", w.line), "charter")) if "charter" in m else None
    )
    corp = to_text(m["corp"], w.at(line_of(m, "corp", w.line), "corp")) if "corp" in m else None
    return Start(file, charter, until, corp)


def resolve_file(name: str, story: Path) -> Path | None:
    """A path as written in a story: absolute, or relative to the story's folder or any folder above it
    (so `examples/auxer-group-charter.txt` works from the repository's tests and examples), or the
    working folder."""
    p = Path(name)
    if p.is_absolute():
        return p if p.is_file() else None
    for d in (story.resolve().parent, *story.resolve().parent.parents, Path.cwd()):
        if (d / p).is_file():
            return d / p
    return None


def _end(v: Any, path: Path, line: int) -> End:
    w = Where(path, getattr(v, "line", 1), "end")
    m = to_map(v, w)
    for k in m:
        if k not in END_KEYS:
            raise w.at(line_of(m, k, w.line), k).error(f"unknown field (expected {', '.join(END_KEYS)})")

    def at(k: str) -> Where:
        return w.at(line_of(m, k, w.line), k)

    officers = None
    if "officers" in m:
        officers = {
            to_id(p, at("officers")): tuple(to_text(t, at("officers")) for t in to_list(ts, at("officers")))
            for p, ts in to_map(m["officers"], at("officers")).items()
        }
    holdings = {
        to_id(h, at("holdings")): convert("counts", c, at("holdings"))
        for h, c in to_map(m.get("holdings", {}), at("holdings")).items()
    }
    return End(
        to_date(m["as_of"], at("as_of")) if "as_of" in m else None,
        to_int(m["charter_versions"], at("charter_versions")) if "charter_versions" in m else None,
        to_int(m["total_authorized"], at("total_authorized")) if "total_authorized" in m else None,
        convert("counts", m.get("authorized", {}), at("authorized")),
        convert("ids", m["directors"], at("directors")) if "directors" in m else None,
        officers,
        holdings,
        tuple(to_text(c, w) for c in to_list(m.get("check_codes", []), at("check_codes"))),
        tuple(to_text(c, w) for c in to_list(m.get("check_absent", []), at("check_absent"))),
        line,
    )


def parse(text: str, path: Path | str = "<story>") -> Story:
    """A story from its YAML text; `InputError` names the file, line, step and field of any mistake."""
    path = Path(path)
    try:
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InputError(f"{where}: not valid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise InputError(f"{path}: not valid YAML: {e}") from None
    except InputError as e:
        raise InputError(f"{path}:{e}") from None
    w = Where(path, 1, "")
    if not isinstance(data, dict):
        raise InputError(f"{path}:1: a story is a mapping with name, start, steps and end, not {show(data)}")
    for k in data:
        if k not in TOP_KEYS:
            raise InputError(
                f"{path}:{line_of(data, k, 1)}: {k}: unknown field (expected {', '.join(TOP_KEYS)})"
            )
    steps_v = data.get("steps")
    if not isinstance(steps_v, list) or not steps_v:
        raise InputError(
            f"{path}:{line_of(data, 'steps', 1)}: steps: missing or empty (a list of dated actions)"
        )
    steps = tuple(_step(i, s, path, line_of(data, "steps", 1)) for i, s in enumerate(steps_v, 1))
    return Story(
        path,
        to_text(data.get("name") or path.stem, w.at(line_of(data, "name", 1), "name")),
        to_text(data.get("description") or "", w.at(line_of(data, "description", 1), "description")),
        _start(data["start"], path) if data.get("start") is not None else None,
        steps,
        _end(data["end"], path, line_of(data, "end", 1)) if data.get("end") is not None else None,
    )


def load(path: Path | str) -> Story:
    """Read and parse a story file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such story file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{p}: cannot be read ({e})") from None
    return parse(text, p)


__all__ = [
    "Story",
    "Step",
    "Expect",
    "Start",
    "End",
    "ACTIONS",
    "load",
    "parse",
]
