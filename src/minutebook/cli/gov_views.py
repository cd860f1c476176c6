"""The governance reads and the whole-book commands: `rules`, `explain RULE_ID`, `directors`, `officers`,
`check` (every finding of the book, with its source and cure), and `act STORY.yaml` (a story's steps
recorded into the book).

Rich tables in a terminal, plain text when piped, `--json` on each read. `check` exits 0 when the book
has no error finding and 1 when it has one (warnings and notes alone exit 0).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

import typer
from rich.text import Text

from ..core.errors import MinutebookError
from ..core.findings import Finding
from . import book_common as bc
from .book_views import table
from .common import dump_with_list, fail, out, parse_date, plain, refuse


def _dump(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _in_force(r) -> str:
    """ "since 1967-07-03", "2014-04-01 to 2023-08-01" (the day it ceased), or "undated"."""
    if r.since and r.until:
        return f"{r.since.isoformat()} to {r.until.isoformat()}"
    if r.since:
        return f"since {r.since.isoformat()}"
    if r.until:
        return f"until {r.until.isoformat()}"
    return "undated"


def _law():
    """The rule registry: `minutebook.law` where it exports `rules`/`get`, else `law.registry`."""
    from .. import law

    if hasattr(law, "rules") and hasattr(law, "get"):
        return law
    from ..law import registry

    return registry


def _rule_json(r) -> dict:
    if hasattr(r, "to_json"):
        return r.to_json()
    return {
        "id": r.id,
        "cites": list(r.cites),
        "summary": r.summary,
        "codes": list(r.codes),
        "events": list(r.events),
        "since": r.since.isoformat() if r.since else None,
        "until": r.until.isoformat() if r.until else None,
        "act": getattr(r, "act", None),
        "family": getattr(r, "family", None),
        "default": r.default,
        "source": r.source,
    }


# --- rules -----------------------------------------------------------------------------------------------


def rules_cmd(
    section: str | None = typer.Option(
        None,
        "--section",
        "-s",
        metavar="N",
        help="Only the rules citing this DGCL section: 228, 141(b), 242(b)(2).",
    ),
    as_of: str = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="Only the rules in force on DATE (YYYY-MM-DD): the statute then.",
    ),
    as_json: bool = bc.json_option(),
) -> None:
    """Every rule minutebook enforces: its id, citation, dates in force, finding codes and summary; with
    --section, the rules citing one section and the code that applies each (law/dgcl/<group>.py); with
    --as-of, only the rules in force on that date.

    Examples: minutebook rules --section 228 ; minutebook rules --as-of 1999-03-19 --json
    """
    law = _law()
    on = _as_of(as_of)
    sect = None if section is None else section.strip().lstrip("§").strip()
    if section is None:
        rs = law.rules()
    else:
        from ..law.registry import citing

        try:
            rs = citing(section)
        except MinutebookError as e:
            raise fail(f"--section: {e}") from None
        if not rs:
            raise fail(f"no rule cites § {sect} (see `minutebook rules`)", code=1) from None
    if on is not None:
        rs = [r for r in rs if r.in_force(on)]
        if not rs:
            what = f"citing § {sect} " if sect else ""
            raise fail(f"no rule {what}was in force on {on.isoformat()} (see `minutebook rules`)", code=1)
    when = f" in force on {on.isoformat()}" if on is not None else ""
    if as_json:
        _dump({"as_of": on.isoformat() if on else None, "rules": [_rule_json(r) for r in rs]})
        return
    if section is not None:
        table(
            f"{len(rs)} rule{'s' if len(rs) != 1 else ''} citing § {sect}{when}",
            ["rule", "cites", "in force", "code", "summary"],
            [[r.id, "; ".join(r.cites), _in_force(r), r.source or "", r.summary] for r in rs],
        )
        return
    table(
        f"{len(rs)} rules{when} (explain one with `minutebook explain RULE_ID`)",
        ["rule", "cites", "in force", "codes", "summary"],
        [[r.id, "; ".join(r.cites), _in_force(r), ", ".join(r.codes), r.summary] for r in rs],
    )


def _as_of(value: str | None):
    """--as-of DATE, or None; a malformed or impossible date is a one-line error (exit 2)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")


def explain_cmd(
    rule_id: str = typer.Argument(..., metavar="RULE_ID", help="A rule id from `minutebook rules`."),
    as_json: bool = bc.json_option(),
) -> None:
    """One rule: its citation, the statute in a line, when it is in force and the act that made it, what it
    reports, and its history: every version of the provision with its dates and act, this one marked.

    Also the statutory default the charter may change, and the events it checks.

    Example: minutebook explain dgcl.242.b.1.majority_outstanding
    """
    from ..law import registry

    try:
        r = _law().get(rule_id.strip())
        versions = registry.history(r.id)
    except MinutebookError as e:
        raise fail(f"RULE_ID: {e}") from None
    if as_json:
        _dump(
            {
                **_rule_json(r),
                "history": [
                    {
                        "id": v.id,
                        "since": v.since.isoformat() if v.since else None,
                        "until": v.until.isoformat() if v.until else None,
                        "act": v.act,
                        "this": v.id == r.id,
                    }
                    for v in versions
                ],
            }
        )
        return
    lines = [
        (r.id, "bold"),
        (f"  {'; '.join(r.cites)}", None),
        (f"  {r.summary}", None),
        (f"  in force: {_in_force(r)}" + (f" ({r.act})" if r.act else ""), None),
    ]
    if r.default:
        lines.append((f"  statutory default: {r.default}", None))
    lines.append((f"  finding codes: {', '.join(r.codes) or 'none'}", None))
    if r.events:
        lines.append((f"  checks: {', '.join(r.events)}", None))
    if r.source:
        lines.append((f"  code: {r.source}", "dim"))
    if len(versions) > 1:
        lines.append((f"  history of {r.lineage} ({len(versions)} versions):", None))
    else:
        lines.append(("  history: one version, unchanged since it took effect", None))
    for v in versions:
        mark = "*" if v.id == r.id else " "
        lines.append(
            (f"   {mark} {_in_force(v):<26} {v.id}  {v.act or ''}".rstrip(), "bold" if mark == "*" else None)
        )
    for text, style in lines:
        bc.say(text, style)


# --- registers -------------------------------------------------------------------------------------------


def directors_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The board on DATE (default: today)."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The directors in office on a date, and the size of the whole board.

    Example: minutebook directors --as-of 1999-03-19
    """
    day = parse_date(as_of, "--as-of") or date.today()
    b = bc.open_book(db, corp)
    ds = b.directors(as_of=day)
    size = b.board_size(as_of=day)
    if as_json:
        _dump(
            {
                "as_of": day.isoformat(),
                "board_size": size,
                "directors": [{"id": d.id, "name": d.name, "since": d.since.isoformat()} for d in ds],
            }
        )
        return
    sized = f"; whole board fixed at {size}" if size else ""
    if not ds:
        bc.say(
            f"No director in office on {day.isoformat()}{sized} (elect one with `minutebook director elect`)."
        )
        return
    table(
        f"Directors on {day.isoformat()} ({len(ds)} in office{sized})",
        ["id", "name", "since"],
        [[d.id, d.name, d.since.isoformat()] for d in ds],
    )


def officers_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The officers on DATE (default: today)."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The officers in office on a date, one row per office held.

    Example: minutebook officers --as-of 2000-01-01 --json
    """
    day = parse_date(as_of, "--as-of") or date.today()
    b = bc.open_book(db, corp)
    os_ = b.officers(as_of=day)
    if as_json:
        _dump(
            {
                "as_of": day.isoformat(),
                "officers": [
                    {"person": o.person_id, "name": o.name, "title": o.title, "since": o.since.isoformat()}
                    for o in os_
                ],
            }
        )
        return
    if not os_:
        bc.say(f"No officer in office on {day.isoformat()} (appoint one with `minutebook officer appoint`).")
        return
    table(
        f"Officers on {day.isoformat()}",
        ["title", "person", "name", "since"],
        [[o.title, o.person_id, o.name, o.since.isoformat()] for o in os_],
    )


# --- check -----------------------------------------------------------------------------------------------

_SECTIONS = (("error", "Errors"), ("warning", "Warnings"), ("info", "Notes"))


def where(f: Finding) -> str:
    """A finding's source: file:line:col where it came from a document, else the event it concerns."""
    if f.source:
        return f.source.location()
    data = dict(f.data)
    if data.get("event") is not None:
        return f"event {data['event']}"
    return "book"


def _extra(f: Finding) -> list[str]:
    """The cure and its steps, where the finding carries them."""
    data = dict(f.data)
    out = []
    for key in ("cure", "cures"):
        v = data.get(key)
        for x in v if isinstance(v, (list, tuple)) else [v] if v else []:
            if str(x) not in f.message:  # most rules already end their message with "; cure: …"
                out.append(f"cure: {x}")
    steps = data.get("steps")
    if isinstance(steps, (list, tuple)):
        out += [f"  {i}. {s}" for i, s in enumerate(steps, 1)]
    return out


def _cure_packages(b, found) -> list[str | None]:
    """The cure package `minutebook doc cure` draws for each finding ("204", "242", "103(f)"; None: none), in order:
    each finding's own (two findings may share an id: it is 8 hex digits of a hash)."""
    from ..render.cures import package_of

    return [package_of(b, f) or None for f in found]


SHOWN_PER_CODE = 20


def _first_of_each_code(group: list[Finding]) -> tuple[list[Finding], dict[str, tuple[int, list[int]]]]:
    """The findings listed (the first `SHOWN_PER_CODE` of each code, in order) and, for each code with more, how
    many more and the events they are at."""
    shown: list[Finding] = []
    seen: dict[str, int] = {}
    more: dict[str, tuple[int, list[int]]] = {}
    for f in group:
        n = seen[f.code] = seen.get(f.code, 0) + 1
        if n <= SHOWN_PER_CODE:
            shown.append(f)
            continue
        count, events = more.get(f.code, (0, []))
        seq = dict(f.data).get("event")
        if isinstance(seq, int) and not isinstance(seq, bool):
            events = [min(events[0], seq), max(events[-1], seq)] if events else [seq, seq]
        more[f.code] = (count + 1, events)
    return shown, more


def check_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The book as it stood on DATE."),
    as_json: bool = bc.json_option(),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings (defects in history) too."),
    every: bool = typer.Option(
        False,
        "--all",
        help=f"List every finding (else at most {SHOWN_PER_CODE} of one code, the rest counted).",
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Every finding for the whole book (charter, ledger, governance), grouped by severity.

    Each with its source (file:line or event N), its citations and, for a defect §204 can cure, the cure.
    Where one code has more than 20 findings (a register imported without its approvals), the first 20 are
    listed and the rest counted, with the events they are at: --all lists each, --json gives them all.
    Exit 0 when there is no error finding, 1 when there is; with --strict, 1 on a warning too (history's
    defects are warnings: the record is kept and reported).

    Example: minutebook check --as-of 2000-01-01
    """
    day = parse_date(as_of, "--as-of")
    b = bc.open_book(db, corp)
    found = list(b.check(as_of=day))
    counts = {s: sum(1 for f in found if f.severity.value == s) for s, _ in _SECTIONS}
    if as_json:  # written finding by finding: a large book has hundreds of thousands
        cures = _cure_packages(b, found)
        dump_with_list(
            {"corporation": b.slug, "as_of": day.isoformat() if day else None, "counts": counts},
            "findings",
            (
                {**f.to_json(), "id": f.id, "where": where(f), "cure_papers": cure}
                for f, cure in zip(found, cures, strict=True)
            ),
        )
    elif not found:
        bc.say(f"{b.name}: no findings{' as of ' + day.isoformat() if day else ''}", "green")
    else:
        noun = {"error": "error", "warning": "warning", "info": "note"}
        head = ", ".join(f"{n} {noun[s]}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        bc.say(f"{b.name}: {head}{' as of ' + day.isoformat() if day else ''}", "bold")
        for sev, title in _SECTIONS:
            group = [f for f in found if f.severity.value == sev]
            if not group:
                continue
            bc.say(f"{title} ({len(group)})", bc.STYLE[sev])
            group, more = (group, {}) if every else _first_of_each_code(group)
            for f, cure in zip(group, _cure_packages(b, group), strict=True):
                t = bc.finding_text(f)
                if not f.source:
                    t = Text.assemble(f"{where(f)}: ", t)
                if plain():
                    sys.stdout.write("  " + t.plain + "\n")
                else:
                    out.print(Text.assemble("  ", t))
                for line in _extra(f):
                    bc.say(f"      {line}", "dim")
                if cure:
                    bc.say(
                        f"      papers that cure it (§{cure}): minutebook doc cure {f.id} -o DIR",
                        "dim",
                    )
            for code, (n, events) in more.items():
                at = f" at events {min(events):,}–{max(events):,}" if events else ""
                bc.say(f"  … and {n:,} more {code}{at} (--all lists each one, --json gives them all)", "dim")
    if counts["error"] or (strict and counts["warning"]):
        raise typer.Exit(1)


# --- act: a story's steps into the book ------------------------------------------------------------------


def _outcome_line(o) -> None:
    s = o.step
    head = f"step {s.number} ({s.action}) {s.on.isoformat()}"
    if o.error is not None and o.ok:
        bc.say(f"{head}: raised {type(o.error).__name__} as expected: {o.error}", "dim")
        return
    if o.result is not None:
        bc.print_findings(o.result.findings)
        if o.result.refused:
            codes = ", ".join(f.code for f in o.result.errors)
            bc.say(f"{head}: refused{' as expected' if o.ok else ''} ({codes}): nothing written", "yellow")
        else:
            bc.say(f"{head}: recorded event {o.result.event.seq}: {bc.summary(o.result.event)}", "green")
    for p in o.problems:
        bc.say(f"{head}: NOT AS EXPECTED: {p}", "bold red")


def act_cmd(
    story_file: str = typer.Argument(..., metavar="STORY.yaml", help="A story: dated steps (see README)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the story against a copy; write nothing."),
    init: bool = typer.Option(False, "--init", help="Create the book from the story's start first."),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a YAML story's steps into the book, checking each against what the story expects.

    Each step is checked as if typed as a command; its outcome (and the book at the end) is compared with
    the story. The story is one transaction: everything is written only when it all went as the story says.
    Exit 0 then; 1 when a step or the end did not (the run stops at the first such step, and nothing of the
    story is written). --init creates the book from the story's start first (that stays).

    Example: minutebook act examples/auxer-1999-amendment.yaml --init --db auxer.db
    """
    from ..book import scratch_copy, stories
    from ..governance import story

    try:
        s = story.load(story_file)
    except MinutebookError as e:
        raise fail(str(e)) from None
    with tempfile.TemporaryDirectory(prefix="minutebook-act-") as tmp:
        if init:
            target = str(Path(tmp) / "dry-run.db") if dry_run else db
            try:
                b = stories.create_book(s, target)
            except MinutebookError as e:
                raise refuse(e) from None
            bc.say(f"created {b.slug}: {b.name}, {len(b.charter.versions)} charter versions", "green")
            if not dry_run:
                from .proof_cmds import announce_key

                announce_key(b)  # the book's signing key (issue 17)
        else:
            b = bc.open_book(db, corp)
            if s.start is not None:
                bc.say(f"recording into {b.slug} (the story's start is used only with --init)", "dim")
            if dry_run:
                b = scratch_copy(b, str(Path(tmp) / "dry-run.db"))
        bc.say(
            f"{s.name}: {len(s.steps)} steps" + (" (dry run: nothing is written)" if dry_run else ""), "bold"
        )
        ran = stories.run(b, s, each=_outcome_line, end=True)
        for p in ran.end:
            bc.say(p, "bold red")
        b.close()
    if not ran.ok:
        first = ran.failed
        if first is not None:
            where, what = first.step.where(story_file), "did not go as the story says"
        else:
            line = s.end.line if s.end else 1
            where, what = f"{story_file}:{line}: end", "the book differs from the story's end"
        kept = "; the book created from its start stays" if init and not dry_run else ""
        print(
            f"minutebook: {where}: {what}: the story was rolled back, nothing of it written{kept}",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    done = len(ran)
    bc.say(
        f"all {done} steps went as the story says"
        + ("; the end matches" if s.end else "")
        + ("" if dry_run else "; written in one transaction"),
        "green",
    )


def register(app: typer.Typer) -> None:
    app.command("rules")(rules_cmd)
    app.command("explain")(explain_cmd)
    app.command("directors")(directors_cmd)
    app.command("officers")(officers_cmd)
    app.command("check")(check_cmd)
    app.command("act")(act_cmd)
