"""What the governance commands share: parsing what a user types for board and stockholder action
(`ID:KIND[:TEXT]` resolutions and matters, `RID.key=value` parameters, `a,b,c` lists, votes), and the
names the book already knows (directors in office on a date, meetings, resolutions, consents), so that a
bad name is one line on stderr naming the option, exit 2, nothing written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.events import (
    ApprovalRecorded,
    BoardActed,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    WrittenConsent,
)
from . import book_common as bc
from .common import fail, parse_date

if TYPE_CHECKING:
    from ..book import Book

RESOLUTION_KINDS = (
    "general",
    "issue_shares",
    "designate_series",
    "amend_charter",
    "call_meeting",
    "amend_bylaws",
    "elect_officers",
    "fill_vacancy",
    "fix_record_date",
    "ratify",
    "asset_sale",
    "adopt_plan",
    "grant_awards",
    "delegate_awards",
    "issue_convertible",
)
MATTER_KINDS = (
    "amend_charter",
    "elect_directors",
    "ordinary",
    "asset_sale",
    "compromise",
    "amend_bylaws",
    "ratify",
)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}")
_WHOLE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)")
_DECIMAL = re.compile(r"[-+]?\d*\.\d+")
_KEY = re.compile(r"[A-Za-z0-9][\w .-]*")
_FIGURE = re.compile(r"\d[\d,]*\d")
MAX_TEXT = 1_000_000


def ident(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise fail(f"{what}: missing (an id, e.g. R-1)")
    v = value.strip()
    if not _ID.fullmatch(v):
        raise fail(f"{what}: {value!r} is not an id (letters, digits and . _ @ + -, up to 100)")
    return v


def id_list(values: str | list[str] | tuple[str, ...] | None, what: str) -> tuple[str, ...]:
    """ "a,b,c" (or the option repeated) → ("a", "b", "c"); each an id, none twice."""
    if values is None:
        return ()
    raw = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for chunk in raw:
        for x in chunk.split(","):
            if not x.strip():
                continue
            v = ident(x, what)
            if v in out:
                raise fail(f"{what}: {v!r} is named twice")
            out.append(v)
    return tuple(out)


def spec(value: str, what: str, kinds: tuple[str, ...]) -> dict[str, Any]:
    """`ID:KIND[:TEXT]` → {id, kind, text}."""
    parts = value.split(":", 2)
    if len(parts) < 2:
        raise fail(f"{what}: {value!r} is not ID:KIND[:TEXT] (kinds: {', '.join(kinds)})")
    rid = ident(parts[0], what)
    kind = parts[1].strip().lower().replace("-", "_")
    if kind not in kinds:
        raise fail(f"{what} {rid}: unknown kind {parts[1]!r} (kinds: {', '.join(kinds)})")
    return {"id": rid, "kind": kind, "text": parts[2].strip() if len(parts) > 2 else "", "params": {}}


def read_text_file(name: str, what: str) -> str:
    """The text of `@FILE` arguments: a missing, binary, empty or oversized file is one line naming it."""
    p = Path(name)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise fail(f"{what}: cannot read {name}: no such file") from None
    except IsADirectoryError:
        raise fail(f"{what}: cannot read {name}: a directory, not a file") from None
    except OSError as e:
        raise fail(f"{what}: cannot read {name}: {e.strerror or e}") from None
    if len(data) > MAX_TEXT:
        raise fail(f"{what}: {name} is larger than {MAX_TEXT:,} bytes")
    if b"\x00" in data:
        raise fail(f"{what}: {name} is binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise fail(f"{what}: {name} is not UTF-8 text (byte {e.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise fail(f"{what}: {name} is empty")
    return text


def text_arg(value: str, what: str) -> str:
    """Text typed inline, or `@FILE` for the contents of a file."""
    if value.startswith("@"):
        return read_text_file(value[1:], what)
    if not value.strip():
        raise fail(f"{what}: empty text")
    return value.strip()


def check_figures(text: str, what: str) -> None:
    """Refuse text whose figures cannot be read ("150,000,00"): the certificate would be ambiguous."""
    for m in _FIGURE.finditer(text):
        tok = m.group(0)
        if "," in tok and not re.fullmatch(r"\d{1,3}(,\d{3})+", tok):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            raise fail(
                f"{what}: line {line}, column {col}: the figure {tok!r} cannot be read "
                "(groups of three digits: 150,000,000)"
            )


def join_thousands(tokens: list[str]) -> list[str]:
    """Re-join "30,000,000" that a comma split cut into "30", "000", "000"."""
    out: list[str] = []
    for t in tokens:
        if (
            out
            and re.fullmatch(r"\d{3}", t.strip())
            and re.search(r"(^|=)\d{1,3}(,\d{3})*$", out[-1].strip())
        ):
            out[-1] += "," + t.strip()
        else:
            out.append(t)
    return out


def scalar(text: str, what: str) -> Any:
    t = text.strip()
    if t.startswith("@"):
        return read_text_file(t[1:], what)
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        return t[1:-1]
    if _WHOLE.fullmatch(t):
        return int(re.sub(r"[,_+]", "", t))
    if t.lower() in ("true", "yes"):
        return True
    if t.lower() in ("false", "no"):
        return False
    if _DECIMAL.fullmatch(t):
        return t  # decimals stay text: "0.001"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        parse_date(t, what)
    return t


def value(text: str, what: str) -> Any:
    """A parameter's value: 150,000,000 → int; 0.001 → "0.001"; common=150000000,preferred=25000000 →
    a map; a,b → a list; "…" → the text as typed; @FILE → the file's text."""
    t = text.strip()
    if t.startswith("@") or (len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'") or _WHOLE.fullmatch(t):
        return scalar(t, what)
    tokens = join_thousands(t.split(","))
    if "=" in tokens[0] and _KEY.fullmatch(tokens[0].split("=", 1)[0].strip()):
        out: dict[str, Any] = {}
        for tok in tokens:
            if "=" not in tok:
                raise fail(f"{what}: {tok.strip()!r} is not KEY=VALUE in {text!r}")
            k, v = tok.split("=", 1)
            out[k.strip()] = scalar(v, what)
        return out
    if len(tokens) > 1:
        return [scalar(x, what) for x in tokens if x.strip()]
    return scalar(t, what)


def _merge(into: dict, key_path: list[str], v: Any) -> None:
    for k in key_path[:-1]:
        into = into.setdefault(k, {})
        if not isinstance(into, dict):
            raise ValueError(k)
    last = key_path[-1]
    if isinstance(into.get(last), dict) and isinstance(v, dict):
        into[last].update(v)
    else:
        into[last] = v


def params(values: list[str] | None, owners: list[dict], what: str = "--param") -> None:
    """Apply `OWNER.key=value` (or `OWNER.key.sub=value`) to the resolution or matter named OWNER."""
    by_id = {o["id"]: o for o in owners}
    for raw in values or ():
        if "=" not in raw:
            raise fail(f"{what}: {raw!r} is not ID.key=value")
        lhs, rhs = raw.split("=", 1)
        owner = max((i for i in by_id if lhs.startswith(i + ".")), key=len, default=None)
        if owner is None:
            have = ", ".join(by_id) or "none"
            raise fail(f"{what}: {lhs!r} names no resolution or matter of this action (ids: {have})")
        path = [k for k in lhs[len(owner) + 1 :].split(".") if k]
        if not path or not all(_KEY.fullmatch(k) for k in path):
            raise fail(f"{what}: {raw!r}: the key after {owner}. is missing or not a name")
        try:
            _merge(by_id[owner].setdefault("params", {}), path, value(rhs, f"{what} {lhs}"))
        except ValueError:
            raise fail(f"{what}: {lhs!r} sets inside a value that is not a map") from None


def owner_lists(values: list[str] | None, owners: list[dict], key: str, what: str) -> None:
    """`RID=a,b` → owner[key] = ["a", "b"] (directors voting against or abstaining)."""
    by_id = {o["id"]: o for o in owners}
    for raw in values or ():
        if "=" not in raw:
            raise fail(f"{what}: {raw!r} is not RID=a,b")
        rid, names = raw.split("=", 1)
        rid = rid.strip()
        if rid not in by_id:
            raise fail(f"{what}: no resolution {rid!r} in this action (ids: {', '.join(by_id)})")
        by_id[rid][key] = list(id_list(names, f"{what} {rid}"))


# --- what the book already knows ------------------------------------------------------------------------


@dataclass
class Gov:
    """Ids in use and the meetings, from the book's events (the governance names a user may type)."""

    used: dict[str, int] = field(default_factory=dict)  # id -> event seq
    resolutions: dict[str, dict] = field(default_factory=dict)
    meetings: dict[str, MeetingCalled] = field(default_factory=dict)
    called_on: dict[str, date] = field(default_factory=dict)
    notices: dict[str, list[date]] = field(default_factory=dict)
    held: dict[str, date] = field(default_factory=dict)
    matters: dict[str, str] = field(default_factory=dict)  # matter id -> meeting id
    consents: dict[str, date] = field(default_factory=dict)


_GOV = (BoardActed, MeetingCalled, NoticeSent, MeetingHeld, WrittenConsent, ApprovalRecorded)


def gov(book: Book) -> Gov:
    """The ids, meetings, notices and consents the governance acts record: those acts read by type from the store,
    in the order recorded (a large book's ledger is not read)."""
    g = Gov()
    acts = book.history().events(types=[t.TYPE for t in _GOV])
    for e in sorted(acts, key=lambda x: x.seq or 0):
        b = e.body
        if isinstance(b, BoardActed):
            g.used[b.action_id] = e.seq
            for r in b.resolutions:
                if r.get("id"):
                    g.used[str(r["id"])] = e.seq
                    g.resolutions[str(r["id"])] = r
        elif isinstance(b, MeetingCalled):
            g.used[b.meeting_id] = e.seq
            g.meetings[b.meeting_id] = b
            g.called_on[b.meeting_id] = e.effective_on
            for m in b.matters:
                if m.get("id"):
                    g.used[str(m["id"])] = e.seq
                    g.matters[str(m["id"])] = b.meeting_id
        elif isinstance(b, NoticeSent):
            g.notices.setdefault(b.meeting_id, []).append(e.effective_on)
        elif isinstance(b, MeetingHeld):
            g.held[b.meeting_id] = e.effective_on
        elif isinstance(b, WrittenConsent):
            g.used[b.consent_id] = e.seq
            g.consents[b.consent_id] = e.effective_on
            for m in b.matters:
                if m.get("id"):
                    g.used[str(m["id"])] = e.seq
        elif isinstance(b, ApprovalRecorded):
            g.used[b.approval_id] = e.seq
    return g


def fresh(g: Gov, ids: list[str] | tuple[str, ...], what: str) -> None:
    """Ids are unique in a book: a new action may not reuse one."""
    seen: set[str] = set()
    for i in ids:
        if i in g.used:
            raise fail(f"{what}: the id {i!r} is already used (event {g.used[i]}); pick another")
        if i in seen:
            raise fail(f"{what}: the id {i!r} is given twice")
        seen.add(i)


def need_meeting(g: Gov, meeting_id: str, what: str = "ID") -> MeetingCalled:
    m = g.meetings.get(meeting_id)
    if m is None:
        have = ", ".join(g.meetings) or "none yet"
        raise fail(
            f"{what}: no meeting {meeting_id!r} has been called (meetings: {have}; "
            "call one with `minutebook meeting call`)"
        )
    return m


def directors_on(book: Book, on: date) -> dict[str, Any]:
    return {d.id: d for d in book.directors(as_of=on)}


def need_directors(book: Book, ids: tuple[str, ...], on: date, what: str) -> None:
    """Each id is a director in office on `on` (the unknown-director mistake: one line, exit 2)."""
    inoffice = directors_on(book, on)
    for d in ids:
        if d not in inoffice:
            have = ", ".join(sorted(inoffice)) or "none"
            raise fail(
                f"{what}: {d!r} is not a director in office on {on.isoformat()} (directors then: {have}; "
                "elect one with `minutebook director elect`)"
            )


def need_on(book: Book, on: str | None, option: str = "--on") -> date:
    day = bc.when(on, option)
    bc.need_date(bc.known(book), day, option)
    return day


def board_action(
    b,
    *,
    action_id: str,
    form: str,
    day,
    present: tuple[str, ...],
    resolutions: list[dict],
    historical: bool,
    present_option: str,
):
    """Check what a board action names (directors in office, fresh ids), then record it."""
    need_directors(b, present, day, present_option)
    for r in resolutions:
        for key in ("against", "abstain"):
            for d in r.get(key, ()):
                if d not in present:
                    raise fail(
                        f"--{key} {r['id']}: {d!r} is not among the directors "
                        f"{'present' if form == 'meeting' else 'signing'} ({', '.join(present)})"
                    )
    fresh(gov(b), [action_id, *(r["id"] for r in resolutions)], "--id/--resolve")
    return b.board_act(
        action_id, on=day, form=form, present=present, resolutions=resolutions, historical=historical
    )


# --- printing what was recorded ----------------------------------------------------------------------


def report(result) -> Any:
    """Print an action's findings and what was written; a refused action exits 1 with nothing written
    (as the ledger commands do)."""
    import sys

    import typer

    bc.print_findings(result.findings)
    if result.refused:
        n = len(result.errors)
        print(f"minutebook: refused ({n} error{'s' if n != 1 else ''}): nothing written", file=sys.stderr)
        raise typer.Exit(1)
    e = result.event
    kept = " (kept with its defects)" if result.errors else ""
    bc.say(f"recorded event {e.seq}: {bc.summary(e)}, effective {bc.effective(e)}{kept}", "green")
    for x in getattr(result, "more", ()):
        bc.say(f"recorded event {x.seq}: {bc.summary(x)}, effective {bc.effective(x)}", "green")
    return e
