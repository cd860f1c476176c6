"""What every book command shares: the `--db`/`--corp` options, opening the book, checking that the
holders, classes, series and dates a user names exist (bad input: one line, exit 2, nothing written),
and printing an action's findings and outcome."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from ..core.errors import MinutebookError
from ..core.events import Event, SeriesDesignated, StakeholderAdded
from ..core.findings import Finding
from .common import fail, out, parse_date, plain
from .summary import summary

if TYPE_CHECKING:
    from ..book import Book, Result

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def db_option():
    return typer.Option(
        None,
        "--db",
        metavar="PATH|URL",
        help="The database: a SQLite file or a postgresql+psycopg:// URL "
        "(default: $MINUTEBOOK_DB, else minutebook.db in the working folder).",
    )


def corp_option():
    return typer.Option(
        None, "--corp", metavar="SLUG", help="Which corporation, when the database holds several."
    )


def on_option(help: str = "Effective date, YYYY-MM-DD (default: today)."):
    return typer.Option(None, "--on", metavar="DATE", help=help)


def act_on_option():
    return typer.Option(
        None,
        "--on",
        metavar="DATE",
        help="Effective date, YYYY-MM-DD or 'today'. Default: today, said on stderr — refused (give --on) when the "
        "book's last act is more than a year before today. After today only with --scheduled.",
    )


def scheduled_option():
    return typer.Option(
        False,
        "--scheduled",
        help="Record an act dated after today (--on) as scheduled: pending, out of today's cap table until its date.",
    )


def json_option():
    return typer.Option(False, "--json", help="Print the result as JSON.")


def historical_option():
    return typer.Option(
        False, "--historical", help="Record past history: keep the event even if defective, and report it."
    )


def must_exist(db: str | None) -> str:
    """The database URL; a SQLite file that does not exist is an error (only `init` creates one)."""
    from ..store import db as store_db

    url = store_db.resolve_url(db)
    path = store_db.sqlite_path(url)
    if path is not None and path != ":memory:" and not Path(path).exists():
        raise fail(f"{path}: no such database (create one with `minutebook init --from FILE`)")
    return url


OPENED: list[
    str
] = []  # the database this command opened, as messages name it (`app.main` names a damaged one)


def open_book(db: str | None, corp: str | None) -> Book:
    """The book, or one line naming the database: exit 3 when the file is not a minutebook database that can be
    read (not SQLite, empty, damaged, another program's), else exit 2."""
    from ..book import open_book as _open
    from ..store import db as store_db
    from .common import EXIT_DATABASE, actor, refuse

    url = must_exist(db)
    OPENED[:] = [store_db.display(url)]
    try:
        return _open(db, corp, actor=actor())
    except MinutebookError as e:
        raise refuse(e) from None
    except Exception as e:  # noqa: BLE001 - a damaged log: name it, never a traceback
        first = store_db.first_line(e)
        if store_db.damaged(e):
            raise fail(
                f"{store_db.display(url)}: the database file is damaged ({first})", EXIT_DATABASE
            ) from None
        raise fail(
            f"{store_db.display(url)}: the log cannot be read ({first}); run `minutebook verify`"
        ) from None


def when(value: str | None, option: str = "--on") -> date:
    """A date option, today when absent."""
    return parse_date(value, option) or date.today()


# --- what the book knows: the names a user may use --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Known:
    holders: dict[str, date]  # holder id -> date added
    classes: dict[str, tuple[str, ...]]  # class key -> names it goes by (lower case)
    series: dict[str, dict[str, tuple[str, ...]]]  # class key -> series key -> names
    incorporated_on: date | None
    last_on: date | None = None  # the latest act effective today or earlier (scheduled ones are pending)
    last_act_on: date | None = None  # the same, leaving out the charter documents the book was made from


def known(book: Book) -> Known:
    """The names and dates the book knows, from what the book keeps as it folds its log (`Book.names`: a large book
    opened from its snapshot reads no event), acts scheduled after today included: the latest dates are those on or
    before today (`Names.latest`). Equal to `known_from_events`, which reads every event."""
    today = date.today()
    n = book.names()
    series = {c: {k: (name,) for k, name in d.items()} for c, d in n.designated.items()}
    last, last_act = n.latest(today), n.latest(today, acts=True)
    return _with_classes(book, dict(n.added), series, n.incorporated_on, last, last_act)


def known_from_events(book: Book) -> Known:
    """`known` worked out from every event of the history (what `known` is held equal to, by test)."""
    holders: dict[str, date] = {}
    series: dict[str, dict[str, tuple[str, ...]]] = {}
    inc = None
    today = date.today()
    last = last_act = None
    for e in book.events:
        if e.effective_on <= today:
            last = max(last or e.effective_on, e.effective_on)
            if e.type not in ("Incorporated", "CharterAmended"):
                last_act = max(last_act or e.effective_on, e.effective_on)
        if e.type == "Incorporated" and inc is None:
            inc = e.effective_on
        elif isinstance(e.body, StakeholderAdded):
            holders.setdefault(e.body.holder_id, e.effective_on)
        elif isinstance(e.body, SeriesDesignated):
            series.setdefault(e.body.class_key, {})[e.body.series_key] = (e.body.name.lower(),)
    return _with_classes(book, holders, series, inc, last, last_act)


def _with_classes(book: Book, holders, series, inc, last, last_act) -> Known:
    classes: dict[str, tuple[str, ...]] = {}
    for v in book.charter.versions:
        for c in v.capital.classes if v.capital else ():
            names = {c.key.lower(), c.name.lower(), c.name.lower().removesuffix(" stock")}
            classes[c.key] = tuple(sorted(names | set(classes.get(c.key, ()))))
            for s in c.series:
                series.setdefault(c.key, {}).setdefault(s.key, (s.name.lower(),))
    return Known(holders, classes, series, inc, last, last_act)


def need_holder(k: Known, holder_id: str, what: str) -> str:
    if holder_id not in k.holders:
        have = ", ".join(sorted(k.holders)[:8]) or "none yet"
        raise fail(
            f"{what}: no holder {holder_id!r} on the books (holders: {have}; add one with `minutebook holder add`)"
        )
    return holder_id


def _norm(s: str) -> str:
    return " ".join(s.strip().lower().replace("_", " ").replace("-", " ").split())


def need_class(k: Known, text: str | None, option: str = "--class") -> str:
    if text is None or not text.strip():
        raise fail(f"{option}: missing (the class of stock, e.g. common)")
    if text in k.classes:
        return text
    want = _norm(text)
    for key, names in k.classes.items():
        if want == _norm(key) or want in {_norm(n) for n in names}:
            return key
    have = ", ".join(k.classes) or "none"
    raise fail(f"{option}: the charter has no class {text!r} (classes: {have})")


def need_series(k: Known, class_key: str, text: str | None, option: str = "--series") -> str | None:
    if text is None:
        return None
    have = k.series.get(class_key, {})
    if text in have:
        return text
    want = _norm(text)
    for key, names in have.items():
        if want == _norm(key) or want in {_norm(n) for n in names}:
            return key
    listed = ", ".join(have) or "none designated"
    raise fail(
        f"{option}: {class_key} has no series {text!r} ({listed}; designate one with `minutebook designate`)"
    )


def need_date(k: Known, on: date, option: str = "--on") -> date:
    if k.incorporated_on is not None and on < k.incorporated_on:
        raise fail(
            f"{option}: {on.isoformat()} is before the corporation was incorporated "
            f"({k.incorporated_on.isoformat()})"
        )
    return on


# --- the date of a writing act ----------------------------------------------------------------------------

STALE_DAYS = 366  # a book whose last act is older than this does not take today as an act's date unasked

DATE_RULE = (
    "Without --on the act is dated today, and stderr says so; that default is refused (exit 2, give --on) when "
    f"the book's last act is more than {STALE_DAYS} days before today, since the act most likely belongs to the "
    "history being recorded. A date after today is refused unless --scheduled."
)


def explicit_date(value: str | None, scheduled: bool, option: str = "--on") -> date | None:
    """The date given (None when absent); one after today needs `--scheduled` (one line, exit 2)."""
    d = date.today() if value is not None and value.strip().lower() == "today" else parse_date(value, option)
    if d is not None and d > date.today() and not scheduled:
        raise fail(
            f"{option}: {d.isoformat()} is after today ({date.today().isoformat()}): record an act once it has "
            "happened, or add --scheduled to record it as pending until then"
        )
    return d


def act_day(k: Known, value: str | None, scheduled: bool = False, option: str = "--on") -> date:
    """The effective date of a writing act: the date given (checked: after the incorporation; after today only
    with `--scheduled`), else today, said on stderr, unless the book's story ends more than `STALE_DAYS`
    before today (see `DATE_RULE`)."""
    d = explicit_date(value, scheduled, option)
    if d is not None:
        return need_date(k, d, option)
    today = date.today()
    if k.last_on is not None and (today - k.last_on).days > STALE_DAYS:
        raise fail(
            f"{option}: missing: the book's last act is dated {k.last_on.isoformat()}, "
            f"{(today - k.last_on).days // 365} year(s) before today; give --on DATE to say when this act happened "
            "(or --on today to date it today)"
        )
    print(f"minutebook: dated {today.isoformat()} (today; give --on to date it)", file=sys.stderr)
    return today


def ledger_target(
    db,
    corp,
    on: str | None,
    holders: dict[str, str],
    cls: str | None,
    series: str | None,
    scheduled: bool = False,
):
    """Open the book for a ledger command and check what it names: each holder (`{what: holder id}`), the
    class and series, and the date (`act_day`). Returns (book, class key, series key, date); a bad name is one
    line, exit 2."""
    explicit_date(on, scheduled)  # a bad date is named before the book is opened
    b = open_book(db, corp)
    k = known(b)
    for what, holder_id in holders.items():
        need_holder(k, holder_id, what)
    key = need_class(k, cls)
    ser = need_series(k, key, series)
    day = act_day(k, on, scheduled)
    return b, key, ser, day


# --- printing ------------------------------------------------------------------------------------------


def finding_text(f: Finding) -> Text:
    t = Text()
    if f.source:
        t.append(f"{f.source.location()}: ")
    t.append(f.code, style=STYLE[f.severity.value])
    t.append(f" {f.message}")
    if f.cites:
        t.append(f"  [{'; '.join(f.cites)}]", style="dim")
    return t


def print_findings(findings: tuple[Finding, ...] | list[Finding]) -> None:
    for f in findings:
        if plain():
            sys.stdout.write(finding_text(f).plain + "\n")
        else:
            out.print(finding_text(f))


def say(message: str, style: str | None = None) -> None:
    if plain():
        sys.stdout.write(message + "\n")
    else:
        out.print(Text(message, style=style or ""))


def report(result: Result) -> None:
    """An action's findings, then what was written; a refused action exits 1 with nothing written."""
    print_findings(result.findings)
    if result.refused:
        n = len(result.errors)
        print(
            f"minutebook: refused ({n} error{'s' if n != 1 else ''}): nothing written",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    e = result.event
    assert e is not None
    kept = " (kept with its defects)" if result.errors else ""
    say(f"recorded event {e.seq}: {summary(e)}, effective {effective(e)}{kept}", "green")


def effective(e: Event) -> str:
    d = e.effective_on.isoformat()
    return {"on": d, "on_or_before": f"on or before {d}", "on_or_after": f"on or after {d}"}.get(e.bound, d)
