"""The book's reading commands: `captable`, `charter`, `log`, `verify`, `rebuild`.

Rich tables in a terminal, aligned plain text when piped, `--json` on each read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from datetime import date

import typer
from rich.table import Table
from rich.text import Text

from ..core.events import CHARTER_TYPES
from . import book_common as bc
from .common import EXIT_DATABASE, EXIT_PROBLEMS, choice, dump_each, fail, out, parse_date, plain

_NUMERIC = re.compile(r"[-+]?[\d,]+(\.\d+)?%?")


def table(
    title: str | None,
    headers: list[str],
    rows: list[list[str]],
    footer: list[str] | None = None,
    show_header: bool = True,
    at_least: list[int] | None = None,
    fixed: bool = False,
) -> list[int]:
    """A table: Rich in a terminal, aligned columns when piped (numbers right-aligned); no title line when `title` is
    None. Each column is at least as wide as `at_least` says (a table continuing another); `fixed`: in a terminal the
    widths are set, the widest columns narrowed to fit it, so that the tables of one stream line up. Answers the
    widths."""
    body = rows + ([footer] if footer else [])
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)]
    if at_least:
        widths = [max(w, x) for w, x in zip(widths, at_least, strict=True)]
    right = [
        any(_NUMERIC.fullmatch(r[i]) for r in body)
        and all(_NUMERIC.fullmatch(r[i]) or r[i] in ("", "—") for r in body)
        for i in range(len(headers))
    ]
    if not plain():
        # the widths a stream's tables share: the widest columns narrowed until the table fits the terminal
        while fixed and sum(widths) + 3 * len(widths) + 1 > out.width:
            wide = [k for k, w in enumerate(widths) if w > max(len(headers[k]), 3)]
            if not wide:  # a terminal too narrow for the headers: Rich squeezes every table alike
                break
            widths[max(wide, key=widths.__getitem__)] -= 1
        # cells are Text, never markup: a holder named "[bold]" or a summary with "[/x]" prints as typed
        t = Table(
            title=Text(title) if title is not None else None,
            title_justify="left",
            show_footer=bool(footer),
            show_header=show_header,
        )
        for i, h in enumerate(headers):
            t.add_column(
                Text(h),
                justify="right" if right[i] else "left",
                footer=Text(footer[i]) if footer else "",
                width=widths[i] if fixed else None,
            )
        for r in rows:
            t.add_row(*(Text(c) for c in r))
        out.print(t)
        return widths

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if right[i] else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    head = [line(headers), line(["-" * w for w in widths])] if show_header else []
    lines = [*([title] if title is not None else []), *head, *(line(r) for r in rows)]
    if footer:
        lines += [line(["-" * w for w in widths]), line(footer)]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return widths


def _n(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def _dump(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _dump_each(items: Iterable) -> None:
    """`_dump` of a list given item by item, each written as it comes (the same text, never the whole list held)."""
    dump_each(items)
    sys.stdout.write("\n")


# --- captable --------------------------------------------------------------------------------------------


def captable_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The date (default: today)."),
    by: str = typer.Option(None, "--by", metavar="holder|class", help="Group by holder (default) or class."),
    diluted: bool = typer.Option(
        False, "--fully-diluted", help="Count every promise: options, RSUs, warrants and the pools available."
    ),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The cap table on a date: holders' shares and percentages, and each class's totals.

    Per class: authorized, issued (treasury included), treasury, outstanding and available shares. Acts
    scheduled after today (recorded with --scheduled) are listed as pending, and count only from their date.
    With --fully-diluted: per holder and per class, outstanding stock (preferred as converted), options, RSUs
    and warrants outstanding, the pools available, and each one's share of the fully diluted total.

    Example: minutebook captable --as-of 1999-12-31 --by class
    Example: minutebook captable --fully-diluted --as-of 2025-06-30
    """
    day = parse_date(as_of, "--as-of") or date.today()
    grouping = choice(by, "--by", ("holder", "class"), "holder")
    b = bc.open_book(db, corp)
    if diluted:
        _fully_diluted(b, day, as_json)
        return
    ct = b.cap_table(day)
    pending = _pending(b, day)
    if as_json:
        extra = {"pending": [_pending_json(e) for e in pending]} if pending else {}
        _dump({"corporation": b.slug, **ct.to_json(), **extra})
        return
    _say_pending(pending, day)
    head = f"{b.name} — cap table on {day.isoformat()}"
    if not ct.by_class:
        bc.say(f"{head}: no charter in force on {day.isoformat()} (before incorporation).")
        return
    if grouping == "holder":
        classes = [c for c in ct.by_class if c.outstanding]
        per: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for r in ct.rows:
            per.setdefault(r.holder_id, {})[r.class_key] = (
                per.get(r.holder_id, {}).get(r.class_key, 0) + r.shares
            )
            names[r.holder_id] = r.holder_name
        totals = ct.holder_totals()
        order = sorted(totals, key=lambda h: (-totals[h], h))
        pct = {h: f"{(totals[h] * 100 / ct.outstanding):.4f}%" if ct.outstanding else "—" for h in totals}
        table(
            head,
            ["holder", "name", *(c.class_key for c in classes), "total", "% outstanding"],
            [
                [h, names[h], *(_n(per[h].get(c.class_key, 0)) for c in classes), _n(totals[h]), pct[h]]
                for h in order
            ],
            footer=["outstanding", "", *(_n(c.outstanding) for c in classes), _n(ct.outstanding), ""]
            if order
            else None,
        )
    else:
        for c in ct.by_class:
            rows = [r for r in ct.rows if r.class_key == c.class_key]
            title = (
                f"{c.name} ({c.class_key}): {_n(c.outstanding)} outstanding of {_n(c.authorized)} authorized"
            )
            if not rows:
                bc.say(f"{title}; none held")
                continue
            table(
                title,
                ["holder", "name", "series", "shares", "% of class"],
                [
                    [r.holder_id, r.holder_name, r.series_key or "", _n(r.shares), f"{r.percent_of_class}%"]
                    for r in rows
                ],
            )
    table(
        "Classes",
        ["class", "authorized", "issued", "treasury", "outstanding", "available"],
        [
            [c.class_key, _n(c.authorized), _n(c.issued), _n(c.treasury), _n(c.outstanding), _n(c.available)]
            for c in ct.by_class
        ],
        footer=[
            "total",
            _n(ct.authorized),
            _n(sum(c.issued for c in ct.by_class)),
            "",
            _n(ct.outstanding),
            _n(ct.available),
        ],
    )


def _fully_diluted(b, day: date, as_json: bool) -> None:
    fd = b.fully_diluted(day)
    if as_json:
        _dump({"corporation": b.slug, **fd.to_json()})
        return
    head = f"{b.name} — fully diluted on {day.isoformat()}"
    if not fd.by_class and not fd.rows:
        bc.say(f"{head}: no charter in force on {day.isoformat()} (before incorporation).")
        return
    table(
        head,
        ["holder", "name", "stock", "options", "RSUs", "warrants", "fully diluted", "%"],
        [
            [
                r.holder_id,
                r.name,
                _n(r.stock),
                _n(r.options),
                _n(r.rsus),
                _n(r.warrants),
                _n(r.total),
                f"{r.percent}%",
            ]
            for r in fd.rows
        ]
        + (
            [["pool", "available in the plans", "", "", "", "", _n(fd.pool_available), ""]]
            if fd.pool_available
            else []
        ),
        footer=[
            "total",
            "",
            _n(fd.outstanding),
            _n(fd.options),
            _n(fd.rsus),
            _n(fd.warrants),
            _n(fd.total),
            "100%",
        ],
    )
    table(
        "Classes",
        [
            "class",
            "authorized",
            "outstanding",
            "as converted",
            "options",
            "RSUs",
            "warrants",
            "pool",
            "total",
            "%",
        ],
        [
            [
                c.class_key,
                _n(c.authorized),
                _n(c.outstanding),
                _n(c.as_converted),
                _n(c.options),
                _n(c.rsus),
                _n(c.warrants),
                _n(c.pool_available),
                _n(c.total),
                f"{c.percent}%",
            ]
            for c in fd.by_class
        ],
    )
    if fd.convertibles:
        bc.say(
            "SAFEs and notes outstanding (not counted until converted): "
            + "; ".join(f"{c.id} {c.holder_id} ${c.amount:,}" for c in fd.convertibles)
        )
    bc.say(fd.method)


def _pending(b, day: date) -> list:
    """The acts scheduled after today that are not yet in force on `day`."""
    today = date.today()
    if b.last_effective <= max(today, day):
        return []  # nothing is dated later: the events need not be read (a large book opened from its snapshot)
    return [e for e in b.events if e.effective_on > today and e.effective_on > day]


def _pending_json(e) -> dict:
    from .summary import summary

    return {"event": e.seq, "type": e.type, "effective_on": e.effective_on.isoformat(), "summary": summary(e)}


def _say_pending(pending: list, day: date) -> None:
    from .summary import summary

    for e in pending:
        bc.say(
            f"pending: event {e.seq} scheduled for {e.effective_on.isoformat()} (not in the table on "
            f"{day.isoformat()}): {summary(e)}",
            "yellow",
        )


# --- charter ---------------------------------------------------------------------------------------------


def _version_ref(b, value: str, n: int) -> int:
    """A version number (1..n) or a date (the version in force then), as a 0-based index."""
    if re.fullmatch(r"\d+", value.strip()):
        i = int(value)
        if not 1 <= i <= n:
            raise fail(f"--diff: no version {value} (the book has versions 1 to {n})")
        return i - 1
    d = parse_date(value, "--diff")
    v = b.charter.at(d)
    if v is None:
        raise fail(f"--diff: no charter in force on {d.isoformat()}")
    return b.charter.versions.index(v)


def charter_cmd(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Show the charter in force on DATE."),
    diff: tuple[str, str] | None = typer.Option(
        None, "--diff", metavar="V1 V2", help="What changed between two versions (numbers or dates)."
    ),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The charter versions in the book, the one in force on a date, or what changed between two.

    Example: minutebook charter --diff 1 3
    """
    from ..ingest.result import version_json
    from .views import _in_force_rows

    day = parse_date(as_of, "--as-of")
    b = bc.open_book(db, corp)
    versions = b.charter.versions
    # how each version's date is known: from the last charter event of its date (a designation of a series makes a
    # version too; two charter events of one date make one)
    made = {
        e.effective_on: bc.effective(e) for e in b.history().events(types=[t.TYPE for t in CHARTER_TYPES])
    }
    bounds = [made.get(v.effective_on) or str(v.effective_on or "?") for v in versions]
    if diff:
        i, j = (_version_ref(b, x, len(versions)) for x in diff)
        changes = b.charter.diff(i, j)
        if as_json:
            _dump({"from": i + 1, "to": j + 1, "changes": [c.to_json() for c in changes]})
            return
        bc.say(f"Version {i + 1} ({bounds[i]}) → version {j + 1} ({bounds[j]}): {len(changes)} change(s)")
        for c in changes:
            bc.say(f"  {c.describe()}")
        return
    if day is not None:
        v = b.charter.at(day)
        if as_json:
            _dump(
                {
                    "as_of": day.isoformat(),
                    "version": versions.index(v) + 1 if v else None,
                    "in_force": version_json(v, full=True) if v else None,
                }
            )
            return
        if v is None:
            bc.say(f"No charter in force on {day.isoformat()} (before incorporation).")
            return
        k = versions.index(v)
        table(
            f"Charter in force on {day.isoformat()}: version {k + 1}, effective {bounds[k]}",
            ["", ""],
            [[a, val] for a, val in _in_force_rows(v)],
            show_header=False,
        )
        return
    today = b.charter.at(date.today())
    if as_json:
        _dump(
            {
                "corporation": {"slug": b.slug, "name": b.name},
                "versions": [
                    {"number": i + 1, "effective": bounds[i], **version_json(v)}
                    for i, v in enumerate(versions)
                ],
                "in_force_today": versions.index(today) + 1 if today else None,
            }
        )
        return
    from .views import _classes

    table(
        f"{b.name}: charter versions",
        ["#", "effective", "document", "total authorized", "classes", "preferred terms fixed by"],
        [
            [
                str(i + 1) + (" *" if v is today else ""),
                bounds[i],
                (v.document_kind or "?") + (f" §{v.statute}" if v.statute else ""),
                _n(v.capital.total_authorized if v.capital else None),
                _classes(v),
                (v.capital.blank_check_holder if v.capital else None) or "—",
            ]
            for i, v in enumerate(versions)
        ],
    )
    if today is not None:
        bc.say("* in force today")


# --- log, verify, rebuild --------------------------------------------------------------------------------


LOG_PAGE = 1_000
"""Rows of the log printed as one table: a large log streams, a table at a time, and never sits whole in memory."""


def log_cmd(
    from_seq: int = typer.Option(
        None, "--from", min=1, metavar="SEQ", help="Start at this event (its sequence number)."
    ),
    last: int = typer.Option(None, "--last", min=1, metavar="N", help="Only the N latest events recorded."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The event log in the order it was recorded: every change to the book, hash-chained. A large log streams as it
    is read; --from and --last show a stretch of it.

    Example: minutebook log --json
    Example: minutebook log --last 20
    """
    b = bc.open_book(db, corp)
    h = b.history()
    total = h.count()
    first = from_seq or 1
    if total and first > total:
        raise fail(f"--from {first}: the log has {total:,} events (1–{total})")
    if last is not None:
        first = max(first, total - last + 1)
    fixes = h.corrected_by()  # the corrections alone: "corrected by #N" / "voided by #N"
    rows = h.recorded(first)
    if as_json:
        _dump_each(_log_json(e, hashes, fixes) for e, *hashes in rows)
        return
    shown = f"{total} events" if first == 1 else f"events {first}–{total} of {total}"
    headers = ["seq", "type", "effective", "recorded at", "actor", "summary", "hash"]
    title: str | None = f"{b.name}: {shown}"
    widths: list[int] | None = None
    page: list[list[str]] = []
    for e, digest, _ in rows:
        fix = fixes.get(e.seq)
        mark = f" [{'voided' if fix.body.voids else 'corrected'} by #{fix.seq}]" if fix else ""
        recorded = e.recorded_at.strftime("%Y-%m-%d %H:%M:%SZ") if e.recorded_at else "—"
        page.append(
            [str(e.seq), e.type, bc.effective(e), recorded, e.actor or "—", bc.summary(e) + mark, digest[:12]]
        )
        if len(page) == LOG_PAGE:  # a table printed, the next one aligned on it (no header again)
            widths = table(title, headers, page, show_header=title is not None, at_least=widths, fixed=True)
            title, page = None, []
    if page or title is not None:
        table(title, headers, page, show_header=title is not None, at_least=widths, fixed=widths is not None)


def _log_json(e, hashes: list[str], fixes: dict) -> dict:
    fix = fixes.get(e.seq)
    return {
        "seq": e.seq,
        "type": e.type,
        "effective_on": e.effective_on.isoformat(),
        "bound": e.bound,
        "recorded_at": e.recorded_at.isoformat() if e.recorded_at else None,
        "actor": e.actor,
        "summary": bc.summary(e),
        "payload": e.body.to_payload() if e.type not in ("Incorporated", "CharterAmended") else None,
        "hash": hashes[0],
        "prev_hash": hashes[1],
        "corrected_by": fix.seq if fix else None,
        "voided": bool(fix and fix.body.voids),
    }


def verify_cmd(
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
    proof: str = typer.Option(
        None,
        "--proof",
        metavar="FILE",
        help="Check this proof file offline instead (no database; with --key).",
    ),
    key: str = typer.Option(
        None,
        "--key",
        metavar="PUBKEY",
        help="The book's public key for --proof: a verifier key, or a file holding one.",
    ),
    document: str = typer.Option(
        None,
        "--document",
        metavar="FILE",
        help="With --proof: check this file is the paper the proven event records.",
    ),
) -> None:
    """Check everything the book vouches for, in one snapshot (writers may go on appending); name every problem.

    What it checks: the hash chain and the chain head; the Merkle tree against the events; the log against its
    signed checkpoints; each stored document against its SHA-256 and against the hash the log records for it; the
    corporation's name; every projection row (dated ledger entries, position marks, holders, charter versions)
    against the log; and the schema's protections (the append-only triggers, the unique sequence and
    other keys), each one missing or altered named.

    Exit codes: 0 the book proves itself; 1 problems found (each named: event seq, table and row, or schema
    object); 2 bad input or usage; 3 the database file cannot be read as a minutebook database (not SQLite,
    empty, damaged or truncated, another program's).

    With --proof FILE --key PUBKEY: check a proof from `minutebook proof` with the public key alone, no database
    (exit 1 when forged or mismatched, 2 when not a proof).

    Example: minutebook verify
    Example: minutebook verify --proof proof.json --key acme.vkey
    """
    if proof is not None or key is not None or document is not None:  # offline (issue 17): cli/offline.py
        from .offline import verify_offline

        return verify_offline(proof, key, document, as_json)
    from ..store.db import DatabaseFileError

    b = bc.open_book(db, corp)  # opens even when a tampered row keeps the log from loading
    try:
        problems = b.verify()
    except DatabaseFileError as e:  # pages that no longer read, found while checking
        raise fail(str(e), EXIT_DATABASE) from None
    n = problems.events  # counted in the same snapshot the checks read
    if as_json:
        _dump({"ok": not problems, "events": n, "problems": problems})
    elif problems:
        for p in problems:
            bc.say(p, "bold red")
        print(f"minutebook: the book does not verify: {len(problems)} problem(s)", file=sys.stderr)
    else:
        bc.say(f"chain intact: {n} events; projections agree with a replay", "green")
    if problems:
        raise typer.Exit(EXIT_PROBLEMS)


def rebuild_cmd(db: str = bc.db_option(), corp: str = bc.corp_option()) -> None:
    """Rebuild the projections (dated ledger entries, position marks, holders, charter versions) from the event log.

    Example: minutebook rebuild
    """
    b = bc.open_book(db, corp)
    b.rebuild()
    bc.say(f"rebuilt the projections from {len(b.events)} events", "green")


def register(app: typer.Typer) -> None:
    app.command("captable")(captable_cmd)
    app.command("charter")(charter_cmd)
    app.command("log")(log_cmd)
    app.command("verify")(verify_cmd)
    app.command("rebuild")(rebuild_cmd)
