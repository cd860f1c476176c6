"""The book's writing commands: `init`, `holder add|change|list`, `issue`, `transfer`, `cancel`, `repurchase`,
`convert`, `split`, `designate`.

Dates: an act's `--on` date after today needs `--scheduled` (it is then pending); without `--on` an act is
dated today and stderr says so, unless the book's story ends long before today (`book_common.DATE_RULE`).

Each parses its own arguments (a bad value is one line naming it, exit 2, nothing written), checks that
the holders, class and series it names exist, then asks the book; the book checks the action against the
state and the charter on its date, and a refused action prints its findings and exits 1.
"""

from __future__ import annotations

import json
import re
import sys

import typer

from ..core.errors import MinutebookError
from ..core.findings import Severity
from . import book_common as bc
from .common import choice, fail, parse_money, parse_ratio, parse_shares, refuse

NUMERIC_ARGS = {"ignore_unknown_options": True}  # so "-3" reaches SHARES and is refused by name

holder_app = typer.Typer(
    help="Stakeholders: add them, change their name, e-mail or address, list them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def init_cmd(
    files: list[str] = typer.Option(
        ..., "--from", metavar="FILE", help="Charter documents (text, SEC SGML or HTML); repeat for each."
    ),
    db: str = bc.db_option(),
    corp: str = typer.Option(
        None, "--corp", metavar="SLUG", help="Short name for the corporation (default: from its name)."
    ),
    accept: bool = typer.Option(
        False, "--accept-findings", help="Create the book even when the reader reports errors."
    ),
    until: str = typer.Option(
        None, "--until", metavar="DATE", help="Take only the charter versions in force from DATE or earlier."
    ),
) -> None:
    """Create a corporation's book from its charter documents, read by `minutebook read`.

    Example: minutebook init --from examples/auxer-group-charter.txt
    Example: minutebook init --from examples/auxer-group-charter.txt --until 1998-12-31
    """
    from .. import book
    from ..ingest import read

    if corp is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", corp):
        raise fail(f"--corp: {corp!r} is not a slug (lower-case letters, digits and '-', up to 80)")
    until_d = bc.parse_date(until, "--until")
    result = read(files)
    if result.errors:
        more = f" (and {len(result.errors) - 1} more)" if len(result.errors) > 1 else ""
        raise fail(result.errors[0] + more)
    bc.print_findings(result.findings)
    errors = [f for f in result.findings if f.severity == Severity.ERROR]
    if errors and not accept:
        print(
            f"minutebook: refused: the reader reported {len(errors)} error(s); nothing written "
            "(check them, then use --accept-findings to create the book anyway)",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    try:
        b = book.create(db, result, files, corp, until=until_d)
    except MinutebookError as e:
        raise refuse(e) from None
    from ..store.db import display

    versions = b.charter.versions
    bc.say(
        f"created {b.slug}: {b.name} ({result.jurisdiction or 'jurisdiction unknown'}) in {display(b.url)}, "
        f"{len(versions)} charter version{'s' if len(versions) != 1 else ''}",
        "green",
    )
    for i, (v, e) in enumerate(zip(versions, b.events, strict=False), 1):
        classes = ", ".join(
            f"{c.key} {c.authorized:,}" if c.authorized is not None else c.key
            for c in (v.capital.classes if v.capital else ())
        )
        total = v.capital.total_authorized if v.capital else None
        kind = (v.document_kind or "?") + (f" §{v.statute}" if v.statute else "")
        bc.say(
            f"  {i}. {bc.effective(e)}  {kind}  "
            f"{'—' if total is None else f'{total:,}'} authorized ({classes or 'no classes read'})"
        )
    from .proof_cmds import announce_key

    announce_key(b)  # the book's signing key (issue 17)


# --- holders -------------------------------------------------------------------------------------------


@holder_app.command("add")
def holder_add(
    holder_id: str = typer.Argument(..., metavar="ID", help="A short identifier, e.g. alice or fund-1."),
    name: str = typer.Argument(..., metavar="NAME", help="The holder's full name."),
    email: str = typer.Option(None, "--email", help="Email address."),
    kind: str = typer.Option(None, "--kind", metavar="individual|institution", help="Default individual."),
    address: str = typer.Option(None, "--address", help="Postal address."),
    on: str = bc.on_option(
        "Date added, YYYY-MM-DD (default: the date of incorporation, while the book records no act after it)."
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Add a stakeholder who may hold shares.

    Without --on the holder is dated from the incorporation (stderr says so), but only while the book records
    nothing but its charter and holders: once acts are recorded that default would back-date the holder
    before them, and --on is required.

    Example: minutebook holder add alice "Alice Ng" --email alice@example.com --address "1 Main St, Dover DE"
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}", holder_id):
        raise fail(f"ID: {holder_id!r} is not an identifier (letters, digits and . _ @ + -, up to 100)")
    if not name.strip() or len(name) > 300:
        raise fail(f"NAME: must be 1 to 300 characters, not {name!r}")
    _email(email)
    k_ = choice(kind, "--kind", ("individual", "institution"), "individual")
    _address(address)
    when = bc.explicit_date(on, False)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    if holder_id in k.holders:
        raise fail(f"ID: holder {holder_id!r} already exists (added {k.holders[holder_id].isoformat()})")
    if when is not None:
        bc.need_date(k, when)
    elif k.incorporated_on is not None:
        if k.last_act_on is not None and k.last_act_on > k.incorporated_on:
            raise fail(
                f"--on: missing: the book records acts up to {k.last_act_on.isoformat()}, so the default date "
                f"(the incorporation, {k.incorporated_on.isoformat()}) would back-date {holder_id} before them; "
                "give --on DATE (when the holder came onto the books)"
            )
        print(
            f"minutebook: dated {k.incorporated_on.isoformat()} (the incorporation; give --on to date it)",
            file=sys.stderr,
        )
        when = k.incorporated_on
    bc.report(b.add_holder(holder_id, name.strip(), on=when, kind=k_, email=email, address=address))


def _address(address: str | None) -> None:
    if address is not None and (not address.strip() or len(address) > 500 or "\x00" in address):
        raise fail(f"--address: must be 1 to 500 characters, not {address!r}")


def _email(email: str | None) -> None:
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise fail(f"--email: not an email address: {email!r}")


@holder_app.command("change")
def holder_change(
    holder_id: str = typer.Argument(..., metavar="HOLDER", help="Holder ID."),
    name: str = typer.Option(None, "--name", help="The new name (e.g. after marriage)."),
    email: str = typer.Option(None, "--email", help="The new e-mail address."),
    address: str = typer.Option(None, "--address", help="The new postal address."),
    on: str = bc.on_option("Date the change takes effect, YYYY-MM-DD (required)."),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Change a holder's name, e-mail or address from a date; the earlier ones stay in the history.

    `holder list --as-of DATE` shows the details in force on DATE (a §219 list as of its record date).

    Example: minutebook holder change alice --address "9 Elm St, Wilmington DE" --on 2001-05-01
    """
    if name is None and email is None and address is None:
        raise fail("holder change: give at least one of --name, --email, --address")
    if name is not None and (not name.strip() or len(name) > 300):
        raise fail(f"--name: must be 1 to 300 characters, not {name!r}")
    _email(email)
    _address(address)
    if on is None:
        raise fail("--on: missing (the date the change takes effect, YYYY-MM-DD)")
    when = bc.explicit_date(on, False)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    bc.need_holder(k, holder_id, "HOLDER")
    assert when is not None
    if when < k.holders[holder_id]:
        raise fail(
            f"--on: {when.isoformat()} is before {holder_id} was added ({k.holders[holder_id].isoformat()})"
        )
    bc.report(
        b.change_holder(holder_id, on=when, name=name.strip() if name else None, email=email, address=address)
    )


@holder_app.command("list")
def holder_list(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Holdings on DATE (default: today)."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """List the stakeholders, with the shares each holds.

    Example: minutebook holder list --json
    """
    from ..core.replay import HOLDER_TYPES, holders_at

    day = bc.when(as_of, "--as-of")
    b = bc.open_book(db, corp)
    k = bc.known(b)
    held: dict[str, dict[str, int]] = {}
    for (h, c, s), n in b.state_on(day).balances.items():  # the holdings on the day: no replay
        if n:
            key = c + (f"/{s}" if s else "")
            held.setdefault(h, {})[key] = held.get(h, {}).get(key, 0) + n
    # each holder's details as they stood on the day (a later change of address is not yet in force), from the
    # holders' own events; one added later is listed as it is now
    then = holders_at(b.history().events(day, HOLDER_TYPES), day)
    shown = {h.id: then.get(h.id) or h for h in b.state_on().holders.values()}
    rows = [
        {
            "id": h.id,
            "name": h.name,
            "kind": h.kind,
            "email": h.email,
            "address": h.address,
            "added_on": k.holders[h.id].isoformat() if h.id in k.holders else None,
            "holdings": held.get(h.id, {}),
        }
        for h in sorted(shown.values(), key=lambda h: (k.holders.get(h.id), h.id))
    ]
    if as_json:
        sys.stdout.write(json.dumps({"as_of": day.isoformat(), "holders": rows}, indent=2) + "\n")
        return
    if not rows:
        bc.say("No holders yet (add one with `minutebook holder add ID NAME`).")
        return
    from .book_views import table

    table(
        f"Holders ({len(rows)}), holdings on {day.isoformat()}",
        ["id", "name", "kind", "email", "address", "added", "holdings"],
        [
            [
                r["id"],
                r["name"],
                r["kind"],
                r["email"] or "—",
                r["address"] or "—",
                r["added_on"] or "—",
                ", ".join(f"{n:,} {c}" for c, n in r["holdings"].items()) or "—",
            ]
            for r in rows
        ],
    )


# --- the stock ledger ------------------------------------------------------------------------------------


def issue_cmd(
    holder: str = typer.Argument(..., metavar="HOLDER", help="Holder ID."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Number of shares, e.g. 1,000,000."),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="Class of stock, e.g. common."),
    price: str = typer.Option(None, "--price", metavar="P", help="Price per share in dollars."),
    on: str = bc.act_on_option(),
    series: str = typer.Option(None, "--series", metavar="S", help="Series of the class."),
    certificate: str = typer.Option(None, "--certificate", metavar="NO", help="Certificate number."),
    consideration: str = typer.Option(
        None, "--consideration", metavar="AMOUNT", help="Total consideration (default: price × shares)."
    ),
    legends: list[str] = typer.Option(None, "--legend", metavar="TEXT", help="A legend; repeatable."),
    from_treasury: bool = typer.Option(False, "--from-treasury", help="Reissue shares held in treasury."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The board resolution (or other approval) authorising it."
    ),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Issue shares to a holder, checked against the authorized shares (§161) and par (§153).

    Every issuance names the board resolution that authorised it (§152): --approved-by R-1. The certificate
    number is unused in the class (§158). Dates: without --on, today (said on stderr), refused when the book's
    last act is more than a year old; a date after today only with --scheduled (pending until then).

    Example: minutebook issue alice 1,000,000 --class common --price 0.001 --on 1998-01-05 --approved-by R-1
    """
    n = parse_shares(shares, "SHARES")
    p = parse_money(price, "--price", required=True)
    total = parse_money(consideration, "--consideration")
    b, key, ser, day = bc.ledger_target(db, corp, on, {"HOLDER": holder}, cls, series, scheduled)
    bc.report(
        b.issue(
            holder,
            key,
            n,
            on=day,
            price_per_share=p,
            consideration=total,
            series_key=ser,
            certificate=certificate,
            legends=tuple(legends or ()),
            from_treasury=from_treasury,
            approved_by=approved_by,
            historical=historical,
            scheduled=scheduled,
        )
    )


def transfer_cmd(
    from_holder: str = typer.Argument(..., metavar="FROM", help="Holder ID of the transferor."),
    to_holder: str = typer.Argument(..., metavar="TO", help="Holder ID of the transferee."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Number of shares."),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="Class of stock."),
    on: str = bc.act_on_option(),
    series: str = typer.Option(None, "--series", metavar="S", help="Series of the class."),
    certificate: str = typer.Option(None, "--certificate", metavar="NO", help="Certificate surrendered."),
    new_certificate: str = typer.Option(
        None, "--new-certificate", metavar="NO", help="Certificate issued to the transferee."
    ),
    balance_certificate: str = typer.Option(
        None, "--balance-certificate", metavar="NO", help="Certificate for what the transferor keeps."
    ),
    price: str = typer.Option(None, "--price", metavar="P", help="Price per share paid, if any."),
    approved_by: str = typer.Option(
        None,
        "--approved-by",
        metavar="ID",
        help="The board's waiver of a transfer restriction, if one applies.",
    ),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Transfer shares from one holder to another.

    Example: minutebook transfer alice bob 250,000 --class common --on 2000-06-01
    """
    n = parse_shares(shares, "SHARES")
    p = parse_money(price, "--price")
    if from_holder == to_holder:
        raise fail(f"TO: {to_holder!r} is also the transferor")
    b, key, ser, day = bc.ledger_target(
        db, corp, on, {"FROM": from_holder, "TO": to_holder}, cls, series, scheduled
    )
    bc.report(
        b.transfer(
            from_holder,
            to_holder,
            key,
            n,
            on=day,
            series_key=ser,
            certificate=certificate,
            new_certificate=new_certificate,
            balance_certificate=balance_certificate,
            price_per_share=p,
            approved_by=approved_by,
            historical=historical,
            scheduled=scheduled,
        )
    )


def cancel_cmd(
    holder: str = typer.Argument(..., metavar="HOLDER", help="Holder ID."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Number of shares."),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="Class of stock."),
    on: str = bc.act_on_option(),
    series: str = typer.Option(None, "--series", metavar="S", help="Series of the class."),
    certificate: str = typer.Option(None, "--certificate", metavar="NO", help="Certificate cancelled."),
    reason: str = typer.Option(None, "--reason", metavar="TEXT", help="Why (e.g. forfeited)."),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Cancel a holder's shares (no longer issued).

    Example: minutebook cancel bob 10,000 --class common --reason forfeited
    """
    n = parse_shares(shares, "SHARES")
    b, key, ser, day = bc.ledger_target(db, corp, on, {"HOLDER": holder}, cls, series, scheduled)
    bc.report(
        b.cancel(
            holder,
            key,
            n,
            on=day,
            series_key=ser,
            certificate=certificate,
            reason=reason,
            historical=historical,
            scheduled=scheduled,
        )
    )


def repurchase_cmd(
    holder: str = typer.Argument(..., metavar="HOLDER", help="Holder ID."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Number of shares."),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="Class of stock."),
    price: str = typer.Option(None, "--price", metavar="P", help="Price per share paid, in dollars."),
    on: str = bc.act_on_option(),
    series: str = typer.Option(None, "--series", metavar="S", help="Series of the class."),
    certificate: str = typer.Option(None, "--certificate", metavar="NO", help="Certificate surrendered."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The board resolution authorising the purchase (§160)."
    ),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Buy shares back into treasury (still issued, no longer outstanding; §160).

    The board authorises the purchase (--approved-by R-3), and it may not impair capital (§160(a)(1)): the
    price may not exceed the surplus. The book knows the capital (par × issued); without recorded assets it
    warns that the surplus cannot be checked.

    Example: minutebook repurchase bob 5,000 --class common --price 0.50 --on 2000-07-01 --approved-by R-3
    """
    n = parse_shares(shares, "SHARES")
    p = parse_money(price, "--price", required=True)
    b, key, ser, day = bc.ledger_target(db, corp, on, {"HOLDER": holder}, cls, series, scheduled)
    bc.report(
        b.repurchase(
            holder,
            key,
            n,
            on=day,
            price_per_share=p,
            series_key=ser,
            certificate=certificate,
            approved_by=approved_by,
            historical=historical,
            scheduled=scheduled,
        )
    )


def convert_cmd(
    holder: str = typer.Argument(..., metavar="HOLDER", help="Holder ID."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Number of shares converted."),
    from_class: str = typer.Option(None, "--class", metavar="CLASS", help="Class converted from."),
    to_class: str = typer.Option(None, "--into", metavar="CLASS", help="Class converted into."),
    to_shares: str = typer.Option(
        None, "--into-shares", metavar="N", help="Shares received (default: the same number)."
    ),
    series: str = typer.Option(None, "--series", metavar="S", help="Series converted from."),
    to_series: str = typer.Option(None, "--into-series", metavar="S", help="Series converted into."),
    on: str = bc.act_on_option(),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Convert a holder's shares of one class (or series) into another.

    Example: minutebook convert fund-1 1,000,000 --class preferred --series series-a --into common
    """
    from ..core.events import SharesConverted

    n = parse_shares(shares, "SHARES")
    m = n if to_shares is None else parse_shares(to_shares, "--into-shares")
    bc.explicit_date(on, scheduled)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    bc.need_holder(k, holder, "HOLDER")
    src = bc.need_class(k, from_class)
    dst = bc.need_class(k, to_class, "--into")
    s1 = bc.need_series(k, src, series)
    s2 = bc.need_series(k, dst, to_series, "--into-series")
    day = bc.act_day(k, on, scheduled)
    if (src, s1) == (dst, s2):
        raise fail(f"--into: converting {src} into itself")
    # Book.convert takes no series; the event itself does
    body = SharesConverted(holder, src, n, dst, m, s1, s2)
    bc.report(b.record(body, day, historical=historical))  # a date after today: refused above


def split_cmd(
    cls: str = typer.Argument(..., metavar="CLASS", help="Class of stock split."),
    ratio: str = typer.Argument(..., metavar="FROM:TO", help="1:2 doubles every holding; 10:1 is reverse."),
    on: str = bc.act_on_option(),
    approved_by: list[str] = typer.Option(
        None,
        "--approved-by",
        metavar="ID",
        help="The charter amendment's approvals: the board resolution and the stockholders' vote or consent "
        "(repeat, or ID,ID).",
    ),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Split (or reverse-split) every share of a class; fractions are rounded down per holder.

    A split changes the charter (§242(a)(3)): name the amendment's approvals, the board's resolution and the
    stockholders' vote (§242(b)); from 2023-08-01 a forward split of the only class outstanding needs the
    board's alone (§242(d)(1)). Without them the split is refused (with --historical, kept and reported).

    Example: minutebook split common 1:2 --on 2001-01-02 --approved-by R-SPLIT --approved-by M-SPLIT
    """
    ids = tuple(x.strip() for v in approved_by or () for x in v.split(",") if x.strip())
    a, z = parse_ratio(ratio, "FROM:TO")
    bc.explicit_date(on, scheduled)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    key = bc.need_class(k, cls, "CLASS")
    day = bc.act_day(k, on, scheduled)
    bc.report(b.split(key, a, z, on=day, approved_by=ids, historical=historical, scheduled=scheduled))


def designate_cmd(
    cls: str = typer.Argument(..., metavar="CLASS", help="Class the series belongs to, e.g. preferred."),
    series: str = typer.Argument(..., metavar="SERIES", help="Series key, e.g. series-a."),
    shares: str = typer.Argument(..., metavar="SHARES", help="Shares designated."),
    name: str = typer.Option(None, "--name", help="Series name (default: from the key)."),
    on: str = bc.act_on_option(),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The board resolution fixing the series' terms (§151(a))."
    ),
    historical: bool = bc.historical_option(),
    scheduled: bool = bc.scheduled_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Designate a series of a class (its certificate of designations filed, §151(g)).

    Only the board designates, by resolution under the charter's grant (§151(a)): --approved-by R-2.

    Example: minutebook designate preferred series-a 5,000,000 --name "Series A Preferred" --approved-by R-2
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", series):
        raise fail(f"SERIES: {series!r} is not a key (letters, digits and . _ -, up to 100)")
    n = parse_shares(shares, "SHARES")
    bc.explicit_date(on, scheduled)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    key = bc.need_class(k, cls, "CLASS")
    day = bc.act_day(k, on, scheduled)
    label = name or series.replace("-", " ").replace("_", " ").title()
    bc.report(
        b.designate_series(
            key, series, label, n, on=day, approved_by=approved_by, historical=historical, scheduled=scheduled
        )
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init_cmd)
    app.add_typer(holder_app, name="holder")
    app.command("holders", help="List the stakeholders (same as `holder list`).")(holder_list)
    for name, fn in (
        ("issue", issue_cmd),
        ("transfer", transfer_cmd),
        ("cancel", cancel_cmd),
        ("repurchase", repurchase_cmd),
        ("convert", convert_cmd),
        ("split", split_cmd),
        ("designate", designate_cmd),
    ):
        app.command(name, context_settings=NUMERIC_ARGS)(fn)
