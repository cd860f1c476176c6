"""The governance writing commands: `director elect|leave|size` (and `board-size`), `officer appoint|leave`,
`board meeting|consent`, `consent ID` and `consent notice`, `bylaws amend`; `register(app)` also adds the
meeting commands (`gov_meetings`), the amendment commands (`gov_amend`) and the reads, `check` and `act`
(`gov_views`).

Each parses what the user typed (a bad value or an unknown director is one line naming the option, exit 2,
nothing written), then asks the book, which checks the act against the DGCL and the charter in force on
its date; a refused act prints its findings (`event N: CODE message [cites]`) and exits 1, as the ledger
commands do.
"""

from __future__ import annotations

from datetime import date

import typer
from typer.core import TyperGroup

from . import book_common as bc
from . import gov_common as gc
from .common import choice, fail, parse_date


class DefaultGroup(TyperGroup):
    """A group whose first argument, when it names no subcommand, goes to the hidden `record` command:
    `consent C-1 --on …` records a consent, `consent notice C-1` is the notice."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["record", *args]
        return super().parse_args(ctx, args)


def _app(help: str, cls=None) -> typer.Typer:
    kw = {"cls": cls} if cls else {}
    return typer.Typer(help=help, no_args_is_help=True, pretty_exceptions_enable=False, **kw)


director_app = _app("Directors: elect them, record their leaving, fix the board's size.")
officer_app = _app("Officers: appoint them, record their leaving.")
board_app = _app("The board acts: at a meeting (§141(b)) or by unanimous written consent (§141(f)).")
consent_app = _app(
    "Stockholders (or incorporators) act by written consent: `consent ID …` (see `consent ID --help`), "
    "then `consent notice ID`.",
    DefaultGroup,
)
bylaws_app = _app("The bylaws: amend a section (§109).")

HOW_LEFT = ("resigned", "removed", "died", "term ended")


def approved(value: str | None, option: str = "--approved-by") -> str | None:
    return None if value is None else gc.ident(value, option)


# --- directors -------------------------------------------------------------------------------------------


@director_app.command("elect")
def director_elect(
    ids: list[str] = typer.Argument(..., metavar="ID...", help="Each director's short id, e.g. eugene."),
    on: str = bc.on_option("Date they take office, YYYY-MM-DD (default: today)."),
    names: list[str] = typer.Option(
        None, "--name", metavar="ID=NAME", help="A director's full name; repeat."
    ),
    by: str = typer.Option(None, "--by", metavar="stockholders|board|incorporator", help="Who chose them."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The vote, consent or resolution."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Directors take office (elected, named by the incorporator, or chosen to fill a vacancy).

    --by stockholders (an election), incorporator (§107, before the first board) or board (a vacancy, §223).

    Example: minutebook director elect eugene --name eugene="Eugene Chiaramonte" --by incorporator --on 1997-09-02
    """
    who = gc.id_list(ids, "ID")
    if not who:
        raise fail("ID: name at least one director")
    full: dict[str, str] = {}
    for raw in names or ():
        if "=" not in raw:
            raise fail(f"--name: {raw!r} is not ID=NAME")
        k, v = (x.strip() for x in raw.split("=", 1))
        if k not in who:
            raise fail(f"--name: {k!r} is not among the directors elected ({', '.join(who)})")
        if not v or len(v) > 300:
            raise fail(f"--name {k}: a name of 1 to 300 characters, not {v!r}")
        full[k] = v
    body = choice(by, "--by", ("stockholders", "board", "incorporator"), "stockholders")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.elect_directors(
            who, on=day, names=full or None, by=body, approved_by=approved(approved_by), historical=historical
        )
    )


@director_app.command("leave")
def director_leave(
    ids: list[str] = typer.Argument(..., metavar="ID...", help="The directors leaving."),
    on: str = bc.on_option("Date they leave office (default: today)."),
    how: str = typer.Option(None, "--how", metavar="|".join(HOW_LEFT), help="Default resigned."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The vote removing them, if any."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Directors leave office: resigned, removed (§141(k)), died, or their term ended.

    Example: minutebook director leave jane --how resigned --on 2001-06-30
    """
    who = gc.id_list(ids, "ID")
    h = choice(how, "--how", HOW_LEFT, "resigned")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.need_directors(b, who, day, "ID")
    gc.report(
        b.remove_directors(who, on=day, how=h, approved_by=approved(approved_by), historical=historical)
    )


def board_size_cmd(
    size: str = typer.Argument(..., metavar="N", help="The number of directors of the whole board."),
    on: str = bc.on_option(),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The resolution fixing it."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Fix the number of directors, as the bylaws provide (§141(b)); quorum counts from it.

    Example: minutebook board-size 3 --on 1997-09-02 --approved-by R-1997-1
    """
    from .common import parse_shares

    n = parse_shares(size, "N")
    if n > 1000:
        raise fail(f"N: {n:,} directors is more than minutebook accepts (1,000)")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(b.fix_board_size(n, on=day, approved_by=approved(approved_by), historical=historical))


director_app.command("size")(board_size_cmd)


# --- officers --------------------------------------------------------------------------------------------


@officer_app.command("appoint")
def officer_appoint(
    person: str = typer.Argument(..., metavar="PERSON", help="The officer's short id, e.g. eugene."),
    name: str = typer.Option(None, "--name", metavar="NAME", help="Full name."),
    titles: list[str] = typer.Option(
        None, "--title", metavar="TITLE", help="An office, e.g. President; repeat."
    ),
    on: str = bc.on_option(),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Appoint an officer to one or more offices (§142: chosen as the bylaws or the board provide).

    Example: minutebook officer appoint eugene --name "Eugene Chiaramonte" --title President --on 1997-09-02
    """
    pid = gc.ident(person, "PERSON")
    if not name or not name.strip() or len(name) > 300:
        raise fail(
            f"--name: the officer's name, 1 to 300 characters{'' if name is None else f', not {name!r}'}"
        )
    ts = tuple(t.strip() for t in titles or () if t.strip())
    if not ts:
        raise fail("--title: name at least one office (e.g. --title President)")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.appoint_officer(
            pid, name.strip(), ts, on=day, approved_by=approved(approved_by), historical=historical
        )
    )


@officer_app.command("leave")
def officer_leave(
    person: str = typer.Argument(..., metavar="PERSON", help="The officer's id."),
    titles: list[str] = typer.Option(None, "--title", metavar="TITLE", help="An office left (default: all)."),
    on: str = bc.on_option(),
    how: str = typer.Option(None, "--how", metavar="|".join(HOW_LEFT), help="Default resigned."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """An officer leaves one office, or every office held.

    Example: minutebook officer leave eugene --title Secretary --on 2002-01-31
    """
    pid = gc.ident(person, "PERSON")
    h = choice(how, "--how", HOW_LEFT, "resigned")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    held = {o.title.lower(): o.title for o in b.officers(as_of=day) if o.person_id == pid}
    if not held:
        raise fail(f"PERSON: {pid!r} holds no office on {day.isoformat()}")
    ts = []
    for t in titles or ():
        if t.strip().lower() not in held:
            raise fail(
                f"--title: {pid} is not {t!r} on {day.isoformat()} (offices: {', '.join(held.values())})"
            )
        ts.append(held[t.strip().lower()])
    gc.report(b.officer_leaves(pid, on=day, titles=tuple(ts), how=h, historical=historical))


# --- the board -------------------------------------------------------------------------------------------


def _board(form: str):
    present_opt = "--present" if form == "meeting" else "--signed-by"

    def cmd(
        action_id: str = typer.Option(None, "--id", metavar="ID", help="The meeting's or consent's id."),
        on: str = bc.on_option("Date of the meeting, or of the last signature (default: today)."),
        present: str = typer.Option(
            None,
            present_opt,
            metavar="a,b,c",
            help="Directors present (meeting)"
            if form == "meeting"
            else "Directors signing (every one in office)",
        ),
        resolve: list[str] = typer.Option(
            None,
            "--resolve",
            metavar="ID:KIND[:TEXT]",
            help=f"A resolution; repeat. Kinds: {', '.join(gc.RESOLUTION_KINDS)}.",
        ),
        against: list[str] = typer.Option(
            None, "--against", metavar="RID=a,b", help="Directors voting against."
        ),
        abstain: list[str] = typer.Option(None, "--abstain", metavar="RID=a,b", help="Directors abstaining."),
        param: list[str] = typer.Option(
            None,
            "--param",
            metavar="RID.key=value",
            help="A resolution's parameter, e.g. R-1.max_shares=1,000,000.",
        ),
        historical: bool = bc.historical_option(),
        db: str = bc.db_option(),
        corp: str = bc.corp_option(),
    ) -> None:
        aid = gc.ident(action_id, "--id")
        who = gc.id_list(present, present_opt)
        if not who:
            raise fail(f"{present_opt}: name the directors {'present' if form == 'meeting' else 'signing'}")
        res = [gc.spec(r, "--resolve", gc.RESOLUTION_KINDS) for r in resolve or ()]
        if not res:
            raise fail("--resolve: give at least one resolution, ID:KIND[:TEXT]")
        gc.owner_lists(against, res, "against", "--against")
        gc.owner_lists(abstain, res, "abstain", "--abstain")
        gc.params(param, res)
        b = bc.open_book(db, corp)
        day = gc.need_on(b, on)
        gc.report(
            gc.board_action(
                b,
                action_id=aid,
                form=form,
                day=day,
                present=who,
                resolutions=res,
                historical=historical,
                present_option=present_opt,
            )
        )

    if form == "meeting":
        cmd.__doc__ = """The board acts at a meeting (§141(b)).

        A majority of the whole board is a quorum; each resolution carries by a majority of those present.

        Example: minutebook board meeting --id B-1 --on 1998-01-05 --present eugene,jane --resolve R-1:issue_shares
        --param R-1.class_key=common --param R-1.max_shares=30,000,000
        """
    else:
        cmd.__doc__ = """The board acts by unanimous written consent: every director in office signs (§141(f)).

        Example: minutebook board consent --id UC-1 --on 1998-01-05 --signed-by eugene,jane
        --resolve R-2:general:Adopt the bylaws
        """
    return cmd


board_app.command("meeting")(_board("meeting"))
board_app.command("consent")(_board("consent"))


# --- stockholder (or incorporator) written consent ---------------------------------------------------------


def _deliveries(values: list[str] | None, sigs: list[dict], day) -> None:
    """--delivered SIGNER@DATE,...: when each signed consent reached the corporation (§228(c), §213(b))."""
    by = {x["signer"]: x for x in sigs}
    for chunk in values or ():
        for raw in chunk.split(","):
            raw = raw.strip()
            if not raw:
                continue
            signer, _, when = raw.rpartition("@")
            if not signer or not when:
                raise fail(f"--delivered: {raw!r} is not SIGNER@YYYY-MM-DD")
            s = gc.ident(signer, "--delivered")
            if s not in by:
                raise fail(f"--delivered: {s} did not sign (--signed: {', '.join(by)})")
            d = parse_date(when, f"--delivered {s}")
            if d > day:
                raise fail(
                    f"--delivered: {s} delivered on {d.isoformat()}, after the consent's date (--on {day.isoformat()})"
                )
            if d < date.fromisoformat(by[s]["signed_on"]):
                raise fail(
                    f"--delivered: {s} delivered on {d.isoformat()}, before signing ({by[s]['signed_on']})"
                )
            by[s]["delivered_on"] = d.isoformat()


def _signatures(values: list[str] | None, day, by: str, k) -> list[dict]:
    sigs: list[dict] = []
    seen: set[str] = set()
    for chunk in values or ():
        for raw in chunk.split(","):
            raw = raw.strip()
            if not raw:
                continue
            signer, _, when = raw.rpartition("@") if "@" in raw else (raw, "", "")
            if not signer:
                signer, when = raw, ""
            s = gc.ident(signer, "--signed")
            d = parse_date(when, f"--signed {s}") if when else day
            if d > day:
                raise fail(
                    f"--signed: {s} signed on {d.isoformat()}, after the consent's date (--on {day.isoformat()})"
                )
            if s in seen:
                raise fail(f"--signed: {s} signs twice")
            if by == "stockholders":
                bc.need_holder(k, s, "--signed")
            seen.add(s)
            sigs.append({"signer": s, "signed_on": d.isoformat()})
    if not sigs:
        raise fail("--signed: give the signatures, SIGNER@YYYY-MM-DD,...")
    return sigs


@consent_app.command("record", hidden=True)
def consent_record(
    consent_id: str = typer.Argument(..., metavar="ID", help="The consent's id, e.g. C-1999-1."),
    on: str = bc.on_option("Date the action takes effect (enough signatures delivered)."),
    by: str = typer.Option(None, "--by", metavar="stockholders|incorporators", help="Default stockholders."),
    matter: list[str] = typer.Option(
        None,
        "--matter",
        metavar="ID:KIND[:TEXT]",
        help=f"A matter acted on; repeat. Kinds: {', '.join(gc.MATTER_KINDS)}.",
    ),
    param: list[str] = typer.Option(None, "--param", metavar="MID.key=value", help="A matter's parameter."),
    signed: list[str] = typer.Option(
        None, "--signed", metavar="SIGNER@DATE,...", help="Who signed and when (default date: --on)."
    ),
    delivered: list[str] = typer.Option(
        None,
        "--delivered",
        metavar="SIGNER@DATE,...",
        help="When each signed consent was delivered to the corporation (§228(c); default: the day signed).",
    ),
    record_date: str = typer.Option(
        None, "--record-date", metavar="DATE", help="Record date, if the board set one."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Act by written consent instead of a meeting: the stockholders (§228) or the incorporators.

    The incorporators act under §107 and §241 (before directors are named and stock is paid for).

    Example: minutebook consent C-1 --on 1999-02-10 --matter C-1-1:amend_charter --param C-1-1.resolution=R-1
    --signed alice@1999-02-08,bob@1999-02-10 --delivered alice@1999-02-09,bob@1999-02-10
    """
    cid = gc.ident(consent_id, "ID")
    who = choice(by, "--by", ("stockholders", "incorporators"), "stockholders")
    ms = [gc.spec(m, "--matter", gc.MATTER_KINDS) for m in matter or ()]
    if not ms:
        raise fail("--matter: give at least one matter, ID:KIND[:TEXT]")
    gc.params(param, ms)
    rd = parse_date(record_date, "--record-date")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    sigs = _signatures(signed, day, who, bc.known(b))
    _deliveries(delivered, sigs, day)
    gc.fresh(gc.gov(b), [cid, *(m["id"] for m in ms)], "ID/--matter")
    gc.report(
        b.written_consent(
            cid, on=day, by=who, matters=ms, signatures=sigs, record_date=rd, historical=historical
        )
    )


@consent_app.command("notice")
def consent_notice(
    consent_id: str = typer.Argument(..., metavar="ID", help="The consent."),
    on: str = bc.on_option("Date the notice was sent."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Prompt notice of a §228 action to the stockholders who did not consent (§228(e)).

    Example: minutebook consent notice C-1999-1 --on 1999-02-12
    """
    cid = gc.ident(consent_id, "ID")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    g = gc.gov(b)
    if cid not in g.consents:
        raise fail(f"ID: no written consent {cid!r} (consents: {', '.join(g.consents) or 'none yet'})")
    if day < g.consents[cid]:
        raise fail(
            f"--on: {day.isoformat()} is before the consent took effect ({g.consents[cid].isoformat()})"
        )
    gc.report(b.send_consent_notice(cid, on=day, historical=historical))


# --- bylaws ----------------------------------------------------------------------------------------------


@bylaws_app.command("amend")
def bylaws_amend(
    section: str = typer.Argument(..., metavar="SECTION", help="The section amended, e.g. 3.2."),
    text: str = typer.Option(None, "--text", metavar="TEXT|@FILE", help="The section as amended."),
    on: str = bc.on_option(),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The resolution, vote or consent."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Amend a section of the bylaws, by the stockholders or (where the charter allows) the board.

    §109: the board amends the bylaws only where the charter confers the power (Auxer's Article EIGHTH
    does, after payment for stock).

    Example: minutebook bylaws amend 3.2 --text "The board has three directors." --on 2000-05-01 --approved-by R-9
    """
    if not section.strip() or len(section) > 100:
        raise fail(f"SECTION: 1 to 100 characters, not {section!r}")
    if text is None:
        raise fail("--text: the section's new text (or @FILE)")
    body = gc.text_arg(text, "--text")
    if approved_by is None:
        raise fail("--approved-by: the resolution, meeting matter or consent adopting it")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(
        b.amend_bylaws(
            section.strip(), body, on=day, approved_by=approved(approved_by), historical=historical
        )
    )


# --- a class listed on a national securities exchange (§242(d)(2)) ---------------------------------------------

class_app = _app(
    "Facts about a class of stock that the law turns on: its listing on an exchange (§242(d)(2))."
)


@class_app.command("list-on-exchange")
def class_list_cmd(
    class_key: str = typer.Argument(..., metavar="CLASS", help="The class, e.g. common."),
    exchange: str = typer.Option(..., "--exchange", metavar="NAME", help="The national securities exchange."),
    on: str = bc.on_option("Date listed (or, with --delisted, delisted)."),
    delisted: bool = typer.Option(False, "--delisted", help="The class stops being listed on the exchange."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record that a class is listed on a national securities exchange from a date (or delisted on it).

    From 1 August 2023 an increase or decrease of a listed class's authorized shares, or its reverse split,
    carries at a meeting by more votes cast for than against (8 Del. C. § 242(d)(2)).

    Example: minutebook class list-on-exchange common --exchange NYSE --on 2015-06-01
    """
    cls = gc.ident(class_key, "CLASS")
    name = exchange.strip()
    if not name:
        raise fail("--exchange: name the exchange, e.g. NYSE or Nasdaq")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    gc.report(b.list_class(cls, on=day, exchange=name, listed=not delisted, historical=historical))


def register(app: typer.Typer) -> None:
    from . import gov_amend, gov_meetings, gov_views

    app.add_typer(director_app, name="director")
    app.command("board-size")(board_size_cmd)
    app.add_typer(officer_app, name="officer")
    app.add_typer(board_app, name="board")
    app.add_typer(consent_app, name="consent")
    app.add_typer(bylaws_app, name="bylaws")
    app.add_typer(class_app, name="class")
    gov_meetings.register(app)
    gov_amend.register(app)
    gov_views.register(app)
