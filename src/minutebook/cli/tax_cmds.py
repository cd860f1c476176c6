"""`minutebook tax` (the Delaware franchise tax from the book, or standalone with `tax calc`), `tax assets`
(record a year's gross assets in the book) and `minutebook calendar` (what falls due, as text, JSON or
iCalendar).

Every value typed is parsed here: a bad one (a negative or non-numeric amount, a year before the
corporation existed or outside the rate data) is one line on stderr, exit 2, and nothing written.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime, timedelta

import typer

from ..core.errors import InputError, MinutebookError
from ..core.events import GrossAssetsReported
from . import book_common as bc
from .common import fail, parse_date, parse_shares

NUMERIC_ARGS = {"ignore_unknown_options": True}  # so "-5" reaches AMOUNT and is refused by name

tax_app = typer.Typer(
    invoke_without_command=True,
    pretty_exceptions_enable=False,
)


# --- parsing ------------------------------------------------------------------------------------------------


def parse_year(value: str | None, option: str = "--year") -> int:
    """A tax year, YYYY; by default the year of the next report due (the year before, until March 1)."""
    if value is None:
        today = date.today()
        return today.year - 1 if (today.month, today.day) <= (3, 1) else today.year
    text = value.strip()
    if not re.fullmatch(r"\d{4}", text) or not 1000 <= int(text) <= 9998:
        raise fail(f"{option}: not a tax year: {value!r} (expected YYYY, e.g. 2025)")
    return int(text)


def parse_assets(value: str | None, option: str = "--gross-assets"):
    """Gross assets in dollars: "1000000", "1,000,000", "$2,500,000.50"; never negative."""
    from ..tax import amount

    if value is None:
        return None
    text = value.strip().replace("\u2212", "-")
    if text.startswith(("-", "$-")):
        raise fail(f"{option}: must be zero or more, not {value!r}")
    if not re.fullmatch(r"\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?", text):
        raise fail(f"{option}: not an amount in dollars: {value!r} (e.g. 1,000,000 or 2500000.50)")
    try:
        return amount(text, option)
    except InputError as e:
        raise fail(str(e)) from None


def parse_count(value: str | None, option: str) -> int | None:
    """A whole number of shares, zero allowed (a corporation may have issued none)."""
    if value is None:
        return None
    if re.fullmatch(r"0[0,_]*", value.strip()):
        return 0
    return parse_shares(value, option)


def parse_par(value: str | None, option: str = "--par"):
    """A par value in dollars, or "none" for stock without par: (par, no_par)."""
    from decimal import Decimal

    if value is None:
        return None, False
    text = value.strip().lower()
    if text in ("none", "no-par", "nopar", "no par"):
        return None, True
    if text.startswith("-"):
        raise fail(f"{option}: must be zero or more, not {value!r}")
    if not re.fullmatch(r"\$?(\d+(\.\d*)?|\.\d+)", text):
        raise fail(f"{option}: not a par value: {value!r} (e.g. 0.0001, or none for stock without par)")
    return Decimal(text.lstrip("$")), False


def parse_class(value: str):
    """--class NAME:AUTHORIZED:PAR (PAR "none" for stock without par)."""
    from ..tax import ShareClass

    parts = value.split(":")
    if len(parts) != 3 or not parts[0].strip():
        raise fail(f"--class: expected NAME:AUTHORIZED:PAR (e.g. common:10,000,000:0.0001), not {value!r}")
    name = parts[0].strip()
    n = parse_count(parts[1], f"--class {name}: authorized shares")
    par, no_par = parse_par(parts[2], f"--class {name}: par")
    if par is None and not no_par:
        raise fail(f"--class {name}: par missing")
    return ShareClass(name, n or 0, par, no_par, name)


# --- output -------------------------------------------------------------------------------------------------


def _dump(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _short(r) -> str:
    """The answer without the full trace: summary, why, installments, notes."""
    from ..tax.amounts import usd
    from ..tax.model import summary, why

    name = r.corporation or "Standalone calculation"
    lines = [
        f"{name}: Delaware franchise tax for tax year {r.year} (due on or before {r.due_on})",
        *summary(r),
    ]
    lines += ["", "Why: " + why(r)]
    if r.installments:
        lines += [
            "Estimated installments: " + "; ".join(f"{i.due_on} {usd(i.amount)}" for i in r.installments)
        ]
    for f in r.findings:
        lines.append(f"{f.severity.value}: {f.code} {f.message}")
    lines += ["", "Run with --explain for every input, rate and step, with its source."]
    return "\n".join(lines)


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")


def _show(r, explain: bool, as_json: bool, extra: dict | None = None) -> None:
    if as_json:
        _dump({**(extra or {}), **r.to_json()})
    else:
        _print(r.explain() if explain else _short(r))


def _what_if_table(now, then, n: int) -> str:
    from ..tax.amounts import usd

    def diff(a, b) -> str:
        if a is None or b is None:
            return "—"
        d = b - a
        return "same" if not d else ("-" if d < 0 else "+") + usd(abs(d))

    rows = [
        ("Authorized shares method", now.asm, then.asm),
        ("Assumed par value capital method", now.apvc, then.apvc),
        ("Tax", now.tax, then.tax),
    ]
    cells = [
        (a, "not computed" if b is None else usd(b), "not computed" if c is None else usd(c), diff(b, c))
        for a, b, c in rows
    ]
    head = ("", "as recorded", f"{n:,} authorized", "change")
    widths = [max(len(r[i]) for r in [head, *cells]) for i in range(4)]
    out = [f"What if the charter authorized {n:,} shares for all of {now.year}?"]
    for r in [head, *cells]:
        out.append(
            "  "
            + r[0].ljust(widths[0])
            + "".join("  " + c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))
        )
    return "\n".join(out)


# --- tax (from the book) --------------------------------------------------------------------------------------


@tax_app.callback(invoke_without_command=True)
def tax_cmd(
    ctx: typer.Context,
    year: str = typer.Option(None, "--year", metavar="YYYY", help="Tax year (default: the next report due)."),
    gross_assets: str = typer.Option(
        None,
        "--gross-assets",
        metavar="DOLLARS",
        help="Total gross assets (default: as recorded for the year).",
    ),
    what_if: str = typer.Option(
        None,
        "--what-if-authorized",
        metavar="SHARES",
        help="Compare with this authorized capital for the year.",
    ),
    lcf: bool = typer.Option(
        False, "--large-corporate-filer", help="The corporation is a Large Corporate Filer."
    ),
    paid_on: str = typer.Option(
        None, "--paid-on", metavar="DATE", help="Filed and paid on DATE: late charges."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Show every input, rate and step, with its source."
    ),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The Delaware franchise tax for a tax year from the book: both methods, the lesser, and why.

    Examples:
      minutebook tax --year 2025 --gross-assets 1000000 --explain
      minutebook tax --year 2025 --what-if-authorized 20,000,000
      minutebook tax calc --authorized 10000 --par 0.001 --issued 5000 --gross-assets 100000
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..tax import franchise_tax

    y = parse_year(year)
    assets = parse_assets(gross_assets)
    n = parse_shares(what_if, "--what-if-authorized") if what_if is not None else None
    paid = parse_date(paid_on, "--paid-on")
    b = bc.open_book(db, corp)
    try:
        history = b.timeline()  # read once for both answers
        r = franchise_tax(history, y, gross_assets=assets, large_corporate_filer=lcf, paid_on=paid)
        alt = (
            None
            if n is None
            else franchise_tax(
                history, y, gross_assets=assets, large_corporate_filer=lcf, paid_on=paid, what_if_authorized=n
            )
        )
    except InputError as e:
        raise fail(str(e)) from None
    if alt is None:
        _show(r, explain, as_json, {"book": b.slug})
        return
    if as_json:
        _dump({"book": b.slug, "as_recorded": r.to_json(), "what_if": {"authorized": n, **alt.to_json()}})
        return
    _print(_what_if_table(r, alt, n))
    _print("")
    _print(alt.explain() if explain else _short(alt))


@tax_app.command("calc")
def calc_cmd(
    authorized: str = typer.Option(
        None, "--authorized", metavar="SHARES", help="Authorized shares (one class)."
    ),
    par: str = typer.Option(None, "--par", metavar="DOLLARS|none", help="Par value of that class, or none."),
    classes: list[str] = typer.Option(
        None,
        "--class",
        metavar="NAME:AUTHORIZED:PAR",
        help="A class of stock; repeat for each (PAR may be none).",
    ),
    issued: str = typer.Option(None, "--issued", metavar="SHARES", help="Issued shares, treasury included."),
    gross_assets: str = typer.Option(None, "--gross-assets", metavar="DOLLARS", help="Total gross assets."),
    year: str = typer.Option(None, "--year", metavar="YYYY", help="Tax year (default: the next report due)."),
    what_if: str = typer.Option(
        None, "--what-if-authorized", metavar="SHARES", help="Compare with this authorized capital."
    ),
    lcf: bool = typer.Option(False, "--large-corporate-filer", help="A Large Corporate Filer."),
    paid_on: str = typer.Option(
        None, "--paid-on", metavar="DATE", help="Filed and paid on DATE: late charges."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Show every input, rate and step, with its source."
    ),
    as_json: bool = bc.json_option(),
) -> None:
    """The franchise tax without a book, from the figures given.

    Examples:
      minutebook tax calc --authorized 10000 --par 0.001 --issued 5000 --gross-assets 100000
      minutebook tax calc --class common:10,000,000:0.0001 --class preferred:2,000,000:0.001 \
          --issued 6,000,000 --gross-assets 2500000
    """
    from ..tax import ShareClass, franchise_tax

    y = parse_year(year)
    if classes and (authorized is not None or par is not None):
        raise fail("--class: give either --class (repeatable) or --authorized with --par, not both")
    if classes:
        cls = [parse_class(v) for v in classes]
    else:
        if authorized is None:
            raise fail(
                "--authorized: missing (the number of authorized shares, or --class NAME:AUTHORIZED:PAR)"
            )
        n_auth = parse_count(authorized, "--authorized")
        p, no_par = parse_par(par)
        cls = [ShareClass("stock", n_auth or 0, p, no_par, "stock")]
    n_issued = parse_count(issued, "--issued")
    assets = parse_assets(gross_assets)
    if n_issued and assets is not None and any(c.par_value is None and not c.no_par for c in cls):
        raise fail("--par: missing (the par value, e.g. 0.0001, or none for stock without par)")
    n = parse_shares(what_if, "--what-if-authorized") if what_if is not None else None
    paid = parse_date(paid_on, "--paid-on")
    try:
        r = franchise_tax(
            None,
            y,
            classes=cls,
            issued=n_issued,
            gross_assets=assets,
            large_corporate_filer=lcf,
            paid_on=paid,
        )
        alt = (
            None
            if n is None
            else franchise_tax(
                None,
                y,
                classes=cls,
                issued=n_issued,
                gross_assets=assets,
                large_corporate_filer=lcf,
                paid_on=paid,
                what_if_authorized=n,
            )
        )
    except InputError as e:
        raise fail(str(e)) from None
    if alt is None:
        _show(r, explain, as_json)
        return
    if as_json:
        _dump({"as_given": r.to_json(), "what_if": {"authorized": n, **alt.to_json()}})
        return
    _print(_what_if_table(r, alt, n))
    _print("")
    _print(alt.explain() if explain else _short(alt))


@tax_app.command("assets", context_settings=NUMERIC_ARGS)
def assets_cmd(
    value: str = typer.Argument(
        ..., metavar="AMOUNT", help="Total gross assets in dollars (Form 1120 Schedule L)."
    ),
    year: str = typer.Option(None, "--year", metavar="YYYY", help="The tax year they are for (required)."),
    on: str = bc.on_option("Date recorded, YYYY-MM-DD (default: today)."),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a tax year's total gross assets in the book; `minutebook tax` then uses them.

    Example: minutebook tax assets --year 2025 1,000,000
    """
    from ..tax.amounts import usd
    from ..tax.rates import rate_table

    if year is None:
        raise fail("--year: missing (the tax year the gross assets are for, e.g. 2025)")
    y = parse_year(year)
    assets = parse_assets(value, "AMOUNT")
    day = bc.when(on)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    if k.incorporated_on is not None and y < k.incorporated_on.year:
        raise fail(f"--year: tax year {y} is before {b.name} was incorporated ({k.incorporated_on})")
    try:
        rate_table().for_year(y)
    except InputError as e:
        raise fail(f"--year: {e}") from None
    bc.need_date(k, day)
    try:
        result = b.record(GrossAssetsReported(y, assets), day, actor="minutebook tax assets")
    except MinutebookError as e:
        raise fail(str(e)) from None
    bc.print_findings(result.findings)
    if result.refused:
        print("minutebook: refused: nothing written", file=sys.stderr)
        raise typer.Exit(1)
    bc.say(
        f"recorded event {result.event.seq}: gross assets for tax year {y}: {usd(assets)}, effective {day}",
        "green",
    )


# --- calendar -------------------------------------------------------------------------------------------------


def calendar_cmd(
    start: str = typer.Option(None, "--from", metavar="DATE", help="First day (default: today)."),
    end: str = typer.Option(None, "--to", metavar="DATE", help="Last day (default: a year after --from)."),
    as_json: bool = bc.json_option(),
    ics: bool = typer.Option(
        False, "--ics", help="Print an iCalendar (.ics) file for any calendar application."
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """What falls due, from the book: franchise tax, estimates, annual meeting, consent and meeting windows.

    The annual report and franchise tax each March 1 (both methods when gross assets are recorded),
    estimated installments, the annual meeting 13 months on (§211(c)), a §228 consent's 60-day window, and
    the record-date, notice and stockholder-list windows of a called meeting, each with its statute.

    Examples:
      minutebook calendar
      minutebook calendar --from 2025-01-01 --to 2026-12-31 --ics > deadlines.ics
    """
    from ..governance.calendar import deadlines, to_ics

    if as_json and ics:
        raise fail("--json and --ics: choose one")
    first = parse_date(start, "--from") or date.today()
    last = parse_date(end, "--to") or first + timedelta(days=365)
    if last < first:
        raise fail(f"--to: {last} is before --from {first}")
    b = bc.open_book(db, corp)
    try:
        items = deadlines(b.timeline(), first, last)
    except InputError as e:
        raise fail(str(e)) from None
    if ics:
        now = datetime.now(UTC).replace(microsecond=0)
        sys.stdout.write(to_ics(items, stamp=now, name=f"{b.name}: compliance calendar", uid_scope=b.slug))
        return
    if as_json:
        _dump(
            {
                "book": b.slug,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "deadlines": [d.to_json() for d in items],
            }
        )
        return
    bc.say(f"{b.name}: compliance calendar {first} to {last}")
    if not items:
        bc.say("  nothing falls due")
    for d in items:
        mark = {"open": "", "done": "done", "missed": "MISSED", "overdue": "OVERDUE"}.get(d.status, d.status)
        bc.say(f"  {d.due_on}  {mark:<8} {d.title}", "bold" if d.status in ("overdue", "missed") else None)
        bc.say(f"              {d.detail}  [{'; '.join(d.cites)}]")


def register(app: typer.Typer) -> None:
    app.add_typer(tax_app, name="tax")
    app.command("calendar")(calendar_cmd)
