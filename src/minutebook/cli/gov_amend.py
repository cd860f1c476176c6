"""Amending the charter on the command line: `amend propose` records the board's resolution declaring an
amendment advisable (§242(b)(1)) and, with `--call-meeting`, the resolution calling the special meeting and
the call itself; `amend file` files the certificate once the stockholders approved it (§242(b), or the
incorporators or initial directors before payment for stock, §241) and prints the new charter version and
what changed.

The amendment's text is checked before anything is written: an article given as @FILE that cannot be read
(missing, binary, empty, not UTF-8) or whose figures cannot be read ("150,000,00") is one line naming
`--article NAME`, exit 2.
"""

from __future__ import annotations

import re

import typer

from . import book_common as bc
from . import gov_common as gc
from .common import choice, fail, parse_date, parse_money, parse_shares

amend_app = typer.Typer(
    help="Amend the charter (§242, or §241 before payment for stock): propose, then file.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

_ORDINAL = re.compile(
    r"(FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|ELEVENTH|TWELFTH|THIRTEENTH|"
    r"FOURTEENTH|FIFTEENTH|SIXTEENTH|SEVENTEENTH|EIGHTEENTH|NINETEENTH|TWENTIETH|[IVXLC]+|\d{1,3})"
)


# --- amending the charter --------------------------------------------------------------------------------


def _changes(b, authorized, par, article, name) -> dict:
    """--authorized CLASS=N, --par CLASS=X, --article NAME=TEXT|@FILE and --name, checked and parsed."""
    k = bc.known(b)
    out: dict = {}
    for raw in authorized or ():
        c, eq, n = raw.partition("=")
        if not eq:
            raise fail(f"--authorized: {raw!r} is not CLASS=N")
        key = bc.need_class(k, c.strip(), "--authorized")
        out.setdefault("authorized", {})[key] = parse_shares(n, f"--authorized {key}")
    for raw in par or ():
        c, eq, x = raw.partition("=")
        if not eq:
            raise fail(f"--par: {raw!r} is not CLASS=AMOUNT")
        key = bc.need_class(k, c.strip(), "--par")
        out.setdefault("par", {})[key] = str(parse_money(x, f"--par {key}", required=True))
    for raw in article or ():
        a, eq, t = raw.partition("=")
        label = a.strip().upper()
        if not eq or not _ORDINAL.fullmatch(label):
            raise fail(f"--article: {raw[:40]!r} is not NAME=TEXT or NAME=@FILE (NAME: FOURTH, 4 or IV)")
        text = gc.text_arg(t, f"--article {label}")
        gc.check_figures(text, f"--article {label}")
        out.setdefault("articles", {})[label] = text
    if name is not None:
        if not name.strip() or len(name) > 300:
            raise fail(f"--name: 1 to 300 characters, not {name!r}")
        out["name"] = name.strip()
    return out


_OPTION = {"articles": "--article", "authorized": "--authorized", "par": "--par", "name": "--name"}


def readable(b, day, ch: dict) -> None:
    """Make the new charter version now, as the filing will: text that cannot be read (no share figures
    in the capital article, a total that is not the sum of the classes) is refused before anything is
    written, naming the option."""
    from ..core.errors import MinutebookError
    from ..governance.amend import amended_charter

    current = b.charter.at(day)
    if current is None:
        raise fail(f"--on: no charter is in force on {day.isoformat()}")
    try:
        amended_charter(current, day, **{k: ch.get(k) for k in ("authorized", "par", "articles", "name")})
    except MinutebookError as e:
        msg = str(e)
        field, dot, rest = msg.partition(".")
        if dot and field in _OPTION:
            msg = f"{_OPTION[field]} {rest}"
        raise fail(msg) from None


def _describe(ch: dict) -> str:
    bits = [f"{c} authorized {n:,}" for c, n in ch.get("authorized", {}).items()]
    bits += [f"{c} par ${x}" for c, x in ch.get("par", {}).items()]
    bits += [f"Article {a} restated" for a in ch.get("articles", {})]
    if "name" in ch:
        bits.append(f"name {ch['name']}")
    return "; ".join(bits)


@amend_app.command("propose")
def amend_propose(
    rid: str = typer.Option(None, "--id", metavar="RID", help="The resolution's id, e.g. R-1999-1."),
    on: str = bc.on_option("Date the board adopted it."),
    present: str = typer.Option(None, "--present", metavar="a,b", help="Directors present (or signing)."),
    form: str = typer.Option(None, "--form", metavar="meeting|consent", help="Default meeting."),
    board_id: str = typer.Option(
        None, "--board-id", metavar="ID", help="The board action's id (default B-RID)."
    ),
    authorized: list[str] = typer.Option(
        None, "--authorized", metavar="CLASS=N", help="New authorized shares."
    ),
    par: list[str] = typer.Option(None, "--par", metavar="CLASS=X", help="New par value."),
    article: list[str] = typer.Option(
        None, "--article", metavar="NAME=TEXT|@FILE", help="An article as amended, e.g. FOURTH=@fourth.txt."
    ),
    name: str = typer.Option(None, "--name", metavar="NAME", help="A new corporate name."),
    text: str = typer.Option(
        None, "--text", metavar="TEXT", help="The resolution's words (default: a summary)."
    ),
    call_meeting: str = typer.Option(
        None, "--call-meeting", metavar="MID", help="Also call a meeting to vote."
    ),
    meeting_on: str = typer.Option(
        None, "--meeting-on", metavar="DATE", help="With --call-meeting: its date."
    ),
    record_date: str = typer.Option(
        None, "--record-date", metavar="DATE", help="With --call-meeting (§213)."
    ),
    kind: str = typer.Option(
        None, "--kind", metavar="annual|special", help="With --call-meeting; default special."
    ),
    matter_id: str = typer.Option(
        None, "--matter-id", metavar="ID", help="The meeting's matter (default MID-1)."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The board declares a charter amendment advisable (§242(b)(1)), and may call the meeting.

    With --call-meeting the board also calls the special meeting to vote on it. Prints the ids to file the
    certificate with.

    Example: minutebook amend propose --id R-1 --on 1999-01-15 --present eugene --authorized common=150,000,000
    --article FOURTH=@examples/auxer-1999-article-fourth.txt --call-meeting M-1 --meeting-on 1999-03-19
    --record-date 1999-02-01
    """
    r = gc.ident(rid, "--id")
    f = choice(form, "--form", ("meeting", "consent"), "meeting")
    who = gc.id_list(present, "--present")
    if not who:
        raise fail("--present: name the directors present (or signing, with --form consent)")
    aid = gc.ident(board_id, "--board-id") if board_id else f"B-{r}"
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    ch = _changes(b, authorized, par, article, name)
    if not ch:
        raise fail("--authorized/--par/--article/--name: say what the amendment changes")
    readable(b, day, ch)
    resolutions = [
        {
            "id": r,
            "kind": "amend_charter",
            "text": text or f"Amend the charter: {_describe(ch)}",
            "params": ch,
        }
    ]
    call = None
    if call_meeting is not None:
        mid = gc.ident(call_meeting, "--call-meeting")
        held = parse_date(meeting_on, "--meeting-on")
        if held is None:
            raise fail("--meeting-on: the date of the meeting called (YYYY-MM-DD)")
        if held < day:
            raise fail(f"--meeting-on: {held.isoformat()} is before the board acted (--on {day.isoformat()})")
        rd = parse_date(record_date, "--record-date")
        mk = choice(kind, "--kind", ("annual", "special"), "special")
        mat = gc.ident(matter_id, "--matter-id") if matter_id else f"{mid}-1"
        params = {"meeting": mid, "meeting_on": held.isoformat(), "kind": mk}
        if rd is not None:
            params["record_date"] = rd.isoformat()
        resolutions.append(
            {
                "id": f"{r}-call",
                "kind": "call_meeting",
                "text": f"Call a {mk} meeting on {held.isoformat()}",
                "params": params,
            }
        )
        call = (mid, held, rd, mk, mat)
        gc.fresh(gc.gov(b), [mid, mat], "--call-meeting/--matter-id")
    elif any(x is not None for x in (meeting_on, record_date, kind, matter_id)):
        raise fail("--meeting-on/--record-date/--kind/--matter-id: only with --call-meeting MID")
    from ..book import Refused

    # the resolution and the call are one act: if the call is refused, the resolution is not written either
    done = []
    try:
        with b.atomic():
            done.append(
                gc.board_action(
                    b,
                    action_id=aid,
                    form=f,
                    day=day,
                    present=who,
                    resolutions=resolutions,
                    historical=historical,
                    present_option="--present",
                )
            )
            if done[-1].refused:
                raise Refused(done[-1])
            if call is not None:
                mid, held, rd, mk, mat = call
                matter = {
                    "id": mat,
                    "kind": "amend_charter",
                    "text": resolutions[0]["text"],
                    "params": {"resolution": r},
                }
                done.append(
                    b.call_meeting(
                        mid,
                        on=day,
                        kind=mk,
                        meeting_on=held,
                        record_date=rd,
                        called_by=f"{r}-call",
                        matters=[matter],
                        historical=historical,
                    )
                )
                if done[-1].refused:
                    raise Refused(done[-1])
    except Refused as x:
        for res in done[:-1]:
            bc.print_findings(res.findings)
        gc.report(x.result)  # prints its findings, says nothing was written, exits 1
    for res in done:
        gc.report(res)
    if call is None:
        bc.say(
            f"next: the stockholders approve {r} (a meeting or a written consent), then `minutebook amend file`"
        )
        return
    bc.say(
        f"next: `minutebook meeting notice {mid}` (10 to 60 days before {held.isoformat()}), "
        f"`meeting list {mid}`, `meeting hold {mid}`, then `amend file --approved-by {r},{mat}`"
    )


@amend_app.command("file")
def amend_file(
    on: str = bc.on_option("Date the certificate was filed (the new version is in force from it)."),
    approved_by: str = typer.Option(
        None,
        "--approved-by",
        metavar="RID,MID",
        help="The board resolution and the stockholder vote or consent.",
    ),
    authorized: list[str] = typer.Option(
        None, "--authorized", metavar="CLASS=N", help="Default: as resolved."
    ),
    par: list[str] = typer.Option(None, "--par", metavar="CLASS=X", help="Default: as resolved."),
    article: list[str] = typer.Option(
        None, "--article", metavar="NAME=TEXT|@FILE", help="Default: as resolved."
    ),
    name: str = typer.Option(None, "--name", metavar="NAME", help="Default: as resolved."),
    statute: str = typer.Option(None, "--statute", metavar="242|241", help="Default 242."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """File the certificate of amendment: a new charter version in force from its filing (§103, §242).

    Example: minutebook amend file --on 1999-03-19 --approved-by R-1999-1,M-1999-1
    """
    ids = gc.id_list(approved_by, "--approved-by")
    if not ids:
        raise fail("--approved-by: the board resolution and the stockholder approval, e.g. R-1999-1,M-1999-1")
    st = choice(statute, "--statute", ("242", "241"), "242")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    ch = _changes(b, authorized, par, article, name)
    before = len(b.charter.versions)
    gc.report(
        b.file_amendment(
            on=day,
            approved_by=ids,
            authorized=ch.get("authorized"),
            par=ch.get("par"),
            articles=ch.get("articles"),
            name=ch.get("name"),
            statute=st,
            historical=historical,
        )
    )
    versions = b.charter.versions
    if len(versions) <= before:
        return
    n = len(versions)
    v = versions[-1]
    cap = v.capital
    classes = (
        ", ".join(f"{c.key} {c.authorized:,}" for c in cap.classes if c.authorized is not None) if cap else ""
    )
    total = f"{cap.total_authorized:,}" if cap and cap.total_authorized is not None else "—"
    bc.say(
        f"charter version {n}, in force from {day.isoformat()}: {total} authorized ({classes or 'no classes'})"
    )
    for c in b.charter.diff(n - 2, n - 1):
        bc.say(f"  {c.describe()}")


def register(app: typer.Typer) -> None:
    app.add_typer(amend_app, name="amend")
