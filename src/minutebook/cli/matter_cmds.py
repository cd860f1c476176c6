"""`minutebook matter …`: the facts the 2022–2025 amendments made recordable, and two questions about them.

- `matter transaction ID` — a transaction with an interested director or officer, or a controlling stockholder,
  and its approvals; the finding says which §144 safe harbor applies, or that none does and what would cure it;
- `matter demand STOCKHOLDER` — a §220 books-and-records demand; prints what is due and by when
  (`matter due ID` prints it again);
- `matter agreement ID` — a stockholder agreement (§122(18)) and its covenants;
- `matter approve-agreement ID` — the board's approval of an agreement in final or substantially final form (§147);
- `matter convert` — the corporation's conversion to another entity or jurisdiction (§266): the Delaware book
  closes, and every later act is refused;
- `matter exculpation` — whether the charter exculpates a director or officer from a direct or derivative claim
  on a date (§102(b)(7)).

Bad input is one line naming the option, exit 2, nothing written; an act the law refuses prints its findings and
exits 1 with nothing written (as every writing command does).
"""

from __future__ import annotations

import json
import sys

import typer

from . import book_common as bc
from . import gov_common as gc
from .book_views import table
from .common import choice, fail, parse_shares

matter_app = typer.Typer(
    help="Facts of §§144, 220, 122(18), 147 and 266: conflicted transactions, books-and-records demands, "
    "stockholder agreements, approvals of an agreement's form, conversion; and §102(b)(7) exculpation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

KINDS = ("interested", "controlling", "going-private")
COVENANTS = ("restrict_action", "approval", "board_composition", "act_by_consent", "stock_rights", "other")


def _approved(value: str | None, option: str) -> str | None:
    return None if value is None else gc.ident(value, option)


def _votes(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    if value.strip() in ("0", "0.0"):
        return 0
    return parse_shares(value, option)


@matter_app.command("transaction")
def transaction_cmd(
    tid: str = typer.Argument(..., metavar="ID", help="The transaction's id, e.g. T-1."),
    kind: str = typer.Option(
        None, "--kind", metavar="KIND", help="interested | controlling | going-private."
    ),
    description: str = typer.Option(None, "--description", metavar="TEXT", help="What the transaction is."),
    interested: list[str] = typer.Option(
        None,
        "--interested",
        metavar="ID[,ID]",
        help="The interested directors or officers, or the controller.",
    ),
    on: str = bc.on_option("Date of the transaction, YYYY-MM-DD (default: today)."),
    board: str = typer.Option(None, "--board", metavar="ID", help="The board resolution approving it."),
    committee: list[str] = typer.Option(
        None, "--committee", metavar="ID[,ID]", help="The committee's directors."
    ),
    committee_for: list[str] = typer.Option(
        None, "--committee-for", metavar="ID[,ID]", help="The committee members who voted for it."
    ),
    empowered: bool = typer.Option(
        False, "--empowered", help="The committee was expressly empowered to negotiate and to reject it."
    ),
    stockholders: str = typer.Option(
        None, "--stockholders", metavar="ID", help="The stockholder approval (meeting matter or consent)."
    ),
    disinterested_for: str = typer.Option(
        None, "--disinterested-for", metavar="N", help="Disinterested votes for."
    ),
    disinterested_against: str = typer.Option(
        None, "--disinterested-against", metavar="N", help="Disinterested votes against."
    ),
    conditioned: bool = typer.Option(
        False, "--conditioned", help="Conditioned by its terms on the disinterested stockholders' approval."
    ),
    undisclosed: bool = typer.Option(False, "--undisclosed", help="The material facts were not disclosed."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a transaction with an interested director, officer or controlling stockholder (§144).

    Example: minutebook matter transaction T-1 --kind interested --description "lease from ada" --interested ada
    --board R-7 --on 2025-06-02
    """
    t = gc.ident(tid, "ID")
    k = choice(kind, "--kind", KINDS, "")
    if not k:
        raise fail(f"--kind: missing (one of {', '.join(KINDS)})")
    if not description or not description.strip():
        raise fail("--description: missing (what the transaction is)")
    who = gc.id_list(interested, "--interested")
    if not who:
        raise fail("--interested: name the interested directors, officers or controlling stockholder")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.record_transaction(
            t,
            kind=k.replace("-", "_"),
            description=description.strip(),
            interested=who,
            on=day,
            disclosed=not undisclosed,
            board_approval=_approved(board, "--board"),
            committee=gc.id_list(committee, "--committee"),
            committee_for=gc.id_list(committee_for, "--committee-for"),
            committee_empowered=empowered,
            stockholder_approval=_approved(stockholders, "--stockholders"),
            disinterested_for=_votes(disinterested_for, "--disinterested-for"),
            disinterested_against=_votes(disinterested_against, "--disinterested-against"),
            conditioned=conditioned,
            historical=historical,
        )
    )


def _show_due(p, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(p.to_json(), indent=2) + "\n")
        return
    scope = (
        f"books and records as § 220(a)(1) defines them (3-year items from {p.since.isoformat()})"
        if p.defined
        else "what is necessary and essential to the stated purpose (books and records not then defined)"
    )
    bc.say(f"demand {p.demand_id} by {p.stockholder}, received {p.received.isoformat()}: {scope}")
    rows = [[d.what, d.cite.replace("8 Del. C. ", ""), d.held] for d in p.due]
    table(
        "due, if the purpose is proper and the records specifically related to it",
        ["records", "§", "in the book"],
        rows,
    )
    for item in p.beyond:
        bc.say(f"not due without a showing of compelling need (§ 220(g)): {item}")
    bc.say(
        f"answer by {p.answer_by.isoformat()} (5 business days, § 220(c); weekends skipped, check Delaware's "
        "legal holidays)",
        "bold",
    )


@matter_app.command("demand")
def demand_cmd(
    stockholder: str = typer.Argument(..., metavar="STOCKHOLDER", help="The demanding holder's id."),
    did: str = typer.Option(None, "--id", metavar="ID", help="The demand's id (default: D-<date>-<holder>)."),
    purpose: str = typer.Option(None, "--purpose", metavar="TEXT", help="The purpose the demand states."),
    items: list[str] = typer.Option(None, "--item", metavar="TEXT", help="A record demanded; repeat."),
    on: str = bc.on_option("Date the demand was received, YYYY-MM-DD (default: today)."),
    not_under_oath: bool = typer.Option(
        False, "--not-under-oath", help="The demand was not made under oath."
    ),
    historical: bool = bc.historical_option(),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a stockholder's books-and-records demand (§220) and show what is due and by when.

    Example: minutebook matter demand cy --purpose "to value her shares" --item "board minutes" --on 2025-06-06
    """
    holder = gc.ident(stockholder, "STOCKHOLDER")
    if purpose is None:
        raise fail("--purpose: missing (the purpose the demand states)")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    k = bc.known(b)
    bc.need_holder(k, holder, "STOCKHOLDER")
    demand_id = gc.ident(did, "--id") if did is not None else f"D-{day.isoformat()}-{holder}"
    r = b.demand_books(
        demand_id,
        holder,
        purpose=purpose,
        on=day,
        items=tuple(i for i in items or () if i.strip()),
        under_oath=not not_under_oath,
        historical=historical,
    )
    if as_json:
        if r.refused:
            bc.print_findings(r.findings)
            raise typer.Exit(1)
        data = b.books_due(demand_id).to_json()
        data["findings"] = [f.to_json() for f in r.findings]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    gc.report(r)
    _show_due(b.books_due(demand_id), False)


@matter_app.command("due")
def due_cmd(
    did: str = typer.Argument(..., metavar="ID", help="The demand's id."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """What a recorded §220 demand calls for, and by when.

    Example: minutebook matter due D-1
    """
    b = bc.open_book(db, corp)
    _show_due(b.books_due(gc.ident(did, "ID")), as_json)


def _covenant(text: str) -> dict:
    kind, sep, what = text.partition("=")
    kind = kind.strip().replace("-", "_")
    if not sep or kind not in COVENANTS or not what.strip():
        raise fail(f"--covenant: KIND=TEXT with KIND one of {', '.join(COVENANTS)}, not {text!r}")
    return {"kind": kind, "text": what.strip()}


@matter_app.command("agreement")
def agreement_cmd(
    aid: str = typer.Argument(..., metavar="ID", help="The agreement's id, e.g. SA-1."),
    parties: list[str] = typer.Option(
        None, "--party", metavar="ID[,ID]", help="The stockholders party to it."
    ),
    covenants: list[str] = typer.Option(
        None, "--covenant", metavar="KIND=TEXT", help=f"A covenant ({', '.join(COVENANTS)}); repeat."
    ),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution."),
    on: str = bc.on_option("Date of the agreement, YYYY-MM-DD (default: today)."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a stockholder agreement (§122(18)); a covenant contrary to the charter is refused.

    Example: minutebook matter agreement SA-1 --party ada,ben --covenant "approval=no new debt without ada"
    --on 2024-09-02
    """
    a = gc.ident(aid, "ID")
    who = gc.id_list(parties, "--party")
    if not who:
        raise fail("--party: name the stockholders party to it")
    covs = [_covenant(x) for x in covenants or ()]
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.stockholder_agreement(
            a,
            who,
            on=day,
            covenants=covs,
            approved_by=_approved(approved_by, "--approved-by"),
            historical=historical,
        )
    )


@matter_app.command("approve-agreement")
def approve_agreement_cmd(
    aid: str = typer.Argument(..., metavar="ID", help="The agreement's id."),
    title: str = typer.Option(None, "--title", metavar="TEXT", help="What the agreement is."),
    form: str = typer.Option(
        None, "--form", metavar="FORM", help="final | substantially-final (default: final)."
    ),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution."),
    on: str = bc.on_option("Date of the approval, YYYY-MM-DD (default: today)."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record the board's approval of an agreement in final or substantially final form (§147).

    Example: minutebook matter approve-agreement AG-1 --title "merger agreement" --form substantially-final
    --approved-by R-9 --on 2024-09-02
    """
    a = gc.ident(aid, "ID")
    if not title or not title.strip():
        raise fail("--title: missing (what the agreement is)")
    f = choice(form, "--form", ("final", "substantially-final"), "final").replace("-", " ")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.approve_agreement(
            a,
            title.strip(),
            on=day,
            form=f,
            approved_by=_approved(approved_by, "--approved-by"),
            historical=historical,
        )
    )


@matter_app.command("convert")
def convert_cmd(
    entity: str = typer.Option(
        None, "--entity", metavar="TYPE", help="What it becomes, e.g. 'limited liability company'."
    ),
    jurisdiction: str = typer.Option(None, "--jurisdiction", metavar="NAME", help="Where, e.g. Texas."),
    board: str = typer.Option(None, "--board", metavar="ID", help="The board resolution approving it."),
    stockholders: str = typer.Option(
        None, "--stockholders", metavar="ID", help="The stockholders' approval."
    ),
    on: str = bc.on_option("Effective date of the conversion, YYYY-MM-DD (default: today)."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record the corporation's conversion to another entity or jurisdiction (§266): the Delaware book closes.

    Example: minutebook matter convert --entity "limited liability company" --jurisdiction Texas --board R-9
    --stockholders C-9 --on 2025-01-02
    """
    if not entity or not entity.strip():
        raise fail("--entity: missing (the kind of entity it becomes)")
    if not jurisdiction or not jurisdiction.strip():
        raise fail("--jurisdiction: missing (where it goes)")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.convert_corporation(
            entity=entity.strip(),
            jurisdiction=jurisdiction.strip(),
            on=day,
            board_approval=_approved(board, "--board"),
            stockholder_approval=_approved(stockholders, "--stockholders"),
            historical=historical,
        )
    )


@matter_app.command("exculpation")
def exculpation_cmd(
    role: str = typer.Option(None, "--role", metavar="ROLE", help="director | officer."),
    claim: str = typer.Option(
        None, "--claim", metavar="CLAIM", help="direct | derivative (default: direct)."
    ),
    on: str = typer.Option(
        None, "--on", metavar="DATE", help="Date of the act or omission (default: today)."
    ),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Whether the charter exculpates a director or officer from monetary damages on a claim (§102(b)(7)).

    Example: minutebook matter exculpation --role officer --claim derivative --on 2024-05-01
    """
    r = choice(role, "--role", ("director", "officer"), "")
    if not r:
        raise fail("--role: missing (director or officer)")
    cl = choice(claim, "--claim", ("direct", "derivative"), "direct")
    day = bc.when(on)
    b = bc.open_book(db, corp)
    cov = b.exculpation(r, cl, day)
    if as_json:
        sys.stdout.write(
            json.dumps({"role": r, "claim": cl, "on": day.isoformat(), **cov.to_json()}, indent=2) + "\n"
        )
        return
    verdict = "covered" if cov.covered else "not covered"
    bc.say(
        f"{r}, {cl} claim, act of {day.isoformat()}: {verdict}: {cov.reason}",
        "green" if cov.covered else "yellow",
    )
    bc.say(f"  [{'; '.join(cov.cites)}]", "dim")


def register(app: typer.Typer) -> None:
    app.add_typer(matter_app, name="matter")
