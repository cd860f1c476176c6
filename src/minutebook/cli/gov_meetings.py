"""Stockholder meetings on the command line: `meeting call|notice|list|hold`.

A meeting is called by the board with a record date (§213), noticed (§222), given its stockholder list
(§219) and held, its votes counted by the book from the ledger on the record date. `amend propose` records
the board's resolution declaring an amendment advisable (and, with `--call-meeting`, the resolution calling
the special meeting and the call); `amend file` files the certificate once the stockholders approved it,
and prints the new charter version and what changed.
"""

from __future__ import annotations

from datetime import date, timedelta

import typer

from . import book_common as bc
from . import gov_common as gc
from .common import choice, fail, parse_date, parse_shares

meeting_app = typer.Typer(
    help="Stockholder meetings: call, notice, stockholder list, hold.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


# --- meetings --------------------------------------------------------------------------------------------


@meeting_app.command("call")
def meeting_call(
    meeting_id: str = typer.Argument(..., metavar="ID", help="The meeting's id, e.g. M-1999."),
    on: str = bc.on_option("Date the board called it (default: today)."),
    meeting_on: str = typer.Option(None, "--meeting-on", metavar="DATE", help="Date of the meeting."),
    kind: str = typer.Option(None, "--kind", metavar="annual|special", help="Default special."),
    record_date: str = typer.Option(None, "--record-date", metavar="DATE", help="The record date (§213)."),
    called_by: str = typer.Option(
        None, "--called-by", metavar="RID", help="The board resolution calling it."
    ),
    matter: list[str] = typer.Option(
        None,
        "--matter",
        metavar="ID:KIND[:TEXT]",
        help=f"A matter to vote on; repeat. Kinds: {', '.join(gc.MATTER_KINDS)}.",
    ),
    param: list[str] = typer.Option(
        None, "--param", metavar="MID.key=value", help="A matter's parameter, e.g. M-1.resolution=R-1."
    ),
    time: str = typer.Option(
        None, "--time", metavar="TEXT", help='The hour, as the notice states it ("10:00 a.m.").'
    ),
    place: str = typer.Option(
        None, "--place", metavar="TEXT", help="Where it is held (§222(a)), if anywhere."
    ),
    remote: str = typer.Option(
        None, "--remote", metavar="TEXT", help="The means of remote communication, if any (§211(a)(2))."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Call a stockholder meeting: its date, record date and the matters to be voted.

    §213(a): the record date is 10 to 60 days before the meeting and not before the board's resolution.

    Example: minutebook meeting call M-1 --on 1999-01-15 --meeting-on 1999-03-19 --record-date 1999-02-01
    --called-by R-1-call --matter M-1-1:amend_charter --param M-1-1.resolution=R-1
    """
    mid = gc.ident(meeting_id, "ID")
    k = choice(kind, "--kind", ("annual", "special"), "special")
    when_held = parse_date(meeting_on, "--meeting-on")
    if when_held is None:
        raise fail("--meeting-on: the date of the meeting (YYYY-MM-DD)")
    rd = parse_date(record_date, "--record-date")
    ms = [gc.spec(m, "--matter", gc.MATTER_KINDS) for m in matter or ()]
    if not ms:
        raise fail("--matter: give at least one matter, ID:KIND[:TEXT]")
    gc.params(param, ms)
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    if when_held < day:
        raise fail(
            f"--meeting-on: {when_held.isoformat()} is before the meeting was called (--on {day.isoformat()})"
        )
    gc.fresh(gc.gov(b), [mid, *(m["id"] for m in ms)], "ID/--matter")
    gc.report(
        b.call_meeting(
            mid,
            on=day,
            kind=k,
            meeting_on=when_held,
            record_date=rd,
            called_by=None if called_by is None else gc.ident(called_by, "--called-by"),
            matters=ms,
            time=time,
            place=place,
            remote=remote,
            historical=historical,
        )
    )


@meeting_app.command("notice")
def meeting_notice(
    meeting_id: str = typer.Argument(..., metavar="ID", help="The meeting."),
    on: str = bc.on_option("Date the notice was sent (default: today)."),
    no_purpose: bool = typer.Option(False, "--no-purpose", help="The notice does not state the purpose."),
    no_text: bool = typer.Option(False, "--no-text", help="It omits the amendment's text or summary."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Send notice of a meeting to the holders of record (§222).

    Notice goes out 10 to 60 days before the meeting (20 for a §271 sale); a special meeting's notice states
    its purpose, and an amendment's notice its text or a summary (§242(b)(1)).

    Example: minutebook meeting notice M-1999 --on 1999-02-16
    """
    mid = gc.ident(meeting_id, "ID")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    g = gc.gov(b)
    m = gc.need_meeting(g, mid)
    if day < g.called_on[mid]:
        raise fail(
            f"--on: {day.isoformat()} is before the meeting was called ({g.called_on[mid].isoformat()})"
        )
    if day > m.meeting_on:
        raise fail(
            f"--on: notice sent {day.isoformat()}, after the meeting it announces ({m.meeting_on.isoformat()})"
        )
    gc.report(
        b.send_notice(
            mid, on=day, states_purpose=not no_purpose, includes_text=not no_text, historical=historical
        )
    )


@meeting_app.command("list")
def meeting_list(
    meeting_id: str = typer.Argument(..., metavar="ID", help="The meeting."),
    on: str = bc.on_option("Date the list was prepared."),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Prepare the list of stockholders entitled to vote at the meeting (§219).

    Example: minutebook meeting list M-1999 --on 1999-02-16
    """
    mid = gc.ident(meeting_id, "ID")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    g = gc.gov(b)
    gc.need_meeting(g, mid)
    if day < g.called_on[mid]:
        raise fail(
            f"--on: {day.isoformat()} is before the meeting was called ({g.called_on[mid].isoformat()})"
        )
    gc.report(b.prepare_stockholder_list(mid, on=day, historical=historical))


def record_date_of(g: gc.Gov, mid: str) -> date:
    """The record date (§213(a): by default the day before notice is given; else the meeting's date)."""
    m = g.meetings[mid]
    if m.record_date is not None:
        return m.record_date
    if g.notices.get(mid):
        return min(g.notices[mid]) - timedelta(days=1)
    return m.meeting_on


class Electorate:
    """Who may vote on the record date: outstanding shares by class and by holder (for bad-input checks;
    the book counts the votes)."""

    def __init__(self, b, rd: date, k):
        st = b.state(rd)
        self.rd, self.k = rd, k
        self.shares: dict[str, int] = {}
        self.holders: dict[str, dict[str, int]] = {}
        for (h, c, _s), n in st.balances.items():
            if n > 0:
                self.shares[c] = self.shares.get(c, 0) + n
                self.holders.setdefault(h, {})[c] = self.holders.get(h, {}).get(c, 0) + n

    def value(self, text: str, what: str):
        """Holder ids (a,b) or shares by class (common=1,000,000): checked against the record date."""
        tokens = [t.strip() for t in gc.join_thousands(text.split(",")) if t.strip()]
        if not tokens:
            return []
        maps = ["=" in t for t in tokens]
        if all(maps):
            out: dict[str, int] = {}
            for t in tokens:
                c, n = t.split("=", 1)
                key = bc.need_class(self.k, c.strip(), what)
                shares = parse_shares(n, f"{what} {key}")
                have = self.shares.get(key, 0)
                if shares > have:
                    raise fail(
                        f"{what}: {shares:,} {key} is more than the {have:,} {key} shares entitled to vote "
                        f"(outstanding on the record date, {self.rd.isoformat()})"
                    )
                out[key] = out.get(key, 0) + shares
            return out
        if any(maps):
            raise fail(f"{what}: give holder ids or CLASS=SHARES, not both: {text!r}")
        ids = gc.id_list(tokens, what)
        for h in ids:
            bc.need_holder(self.k, h, what)
            if h not in self.holders:
                raise fail(f"{what}: {h} held no shares on the record date ({self.rd.isoformat()})")
        return list(ids)

    def counted(self, v) -> dict[str, int]:
        if isinstance(v, dict):
            return v
        out: dict[str, int] = {}
        for h in v:
            for c, n in self.holders.get(h, {}).items():
                out[c] = out.get(c, 0) + n
        return out

    def total_ok(self, vote: dict, what: str) -> None:
        """For, against and abstain together never exceed the shares entitled; nobody votes twice."""
        seen: dict[str, str] = {}
        total: dict[str, int] = {}
        for side in ("for", "against", "abstain"):
            v = vote.get(side)
            if v is None or (side == "for" and isinstance(v, dict) and vote.get("_election")):
                continue
            if isinstance(v, list):
                for h in v:
                    if h in seen:
                        raise fail(f"{what}: {h} votes both {seen[h]} and {side}")
                    seen[h] = side
            for c, n in self.counted(v).items():
                total[c] = total.get(c, 0) + n
        for c, n in total.items():
            if n > self.shares.get(c, 0):
                raise fail(
                    f"{what}: {n:,} {c} shares voted in all, more than the {self.shares.get(c, 0):,} entitled "
                    f"to vote on the record date ({self.rd.isoformat()})"
                )


def parse_vote(raw: str, matters: dict[str, dict], el: Electorate, what: str = "--vote") -> dict:
    """`MATTER:for=a,b;against=c;abstain=common=100;ballot=yes`; for directors `MATTER:NOMINEE=a,b;…`."""
    mid, sep, rest = raw.partition(":")
    mid = mid.strip()
    if not sep:
        raise fail(f"{what}: {raw!r} is not MATTER:for=…;against=…")
    if mid not in matters:
        raise fail(f"{what}: the meeting has no matter {mid!r} (matters: {', '.join(matters)})")
    election = matters[mid].get("kind") == "elect_directors"
    vote: dict = {"matter": mid}
    w = f"{what} {mid}"
    for part in (p.strip() for p in rest.split(";")):
        if not part:
            continue
        key, eq, val = part.partition("=")
        key = key.strip().lower()
        if not eq:
            raise fail(f"{w}: {part!r} is not KEY=VALUE")
        if key == "ballot":
            vote["ballot"] = gc.scalar(val, w) is True
        elif key in ("for", "against", "abstain"):
            if key == "for" and election:
                raise fail(f"{w}: for an election give NOMINEE=holders (e.g. eugene=alice,bob)")
            vote[key] = el.value(val, f"{w} {key}")
        elif election:
            nominee = gc.ident(key, w)
            vote.setdefault("for", {})[nominee] = el.value(val, f"{w} {nominee}")
            vote["_election"] = True
        else:
            raise fail(f"{w}: unknown key {key!r} (for, against, abstain, ballot)")
    el.total_ok(vote, w)
    vote.pop("_election", None)
    for side in ("for", "against", "abstain"):
        vote.setdefault(side, [])
    return vote


@meeting_app.command("hold")
def meeting_hold(
    meeting_id: str = typer.Argument(..., metavar="ID", help="The meeting."),
    on: str = bc.on_option("Date the meeting was held."),
    present: str = typer.Option(
        None, "--present", metavar="a,b", help="Holders present in person or by proxy."
    ),
    present_shares: str = typer.Option(
        None, "--present-shares", metavar="CLASS=N,...", help="Shares present by class, instead of holders."
    ),
    vote: list[str] = typer.Option(
        None,
        "--vote",
        metavar="MATTER:for=a,b;against=c",
        help="A matter's vote; repeat. Sides: holder ids or CLASS=N.",
    ),
    for_: str = typer.Option(None, "--for", metavar="a,b|CLASS=N", help="With one matter: votes for."),
    against: str = typer.Option(None, "--against", metavar="a,b|CLASS=N", help="With one matter: against."),
    abstain: str = typer.Option(
        None, "--abstain", metavar="a,b|CLASS=N", help="With one matter: abstaining."
    ),
    historical: bool = bc.historical_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Hold the meeting: who was present and the votes on each matter.

    Votes are counted from the ledger on the record date: quorum (§216), a majority of the outstanding
    shares for §242 and §271, plurality for directors, class votes under §242(b)(2).

    Example: minutebook meeting hold M-1999 --on 1999-03-19 --present alice,bob --for alice,bob
    """
    mid = gc.ident(meeting_id, "ID")
    b = bc.open_book(db, corp)
    day = gc.need_on(b, on)
    g = gc.gov(b)
    m = gc.need_meeting(g, mid)
    if day < g.called_on[mid]:
        raise fail(
            f"--on: {day.isoformat()} is before the meeting was called ({g.called_on[mid].isoformat()})"
        )
    if g.notices.get(mid) and day < max(g.notices[mid]):
        raise fail(
            f"--on: the meeting is dated {day.isoformat()}, before its notice was sent "
            f"({max(g.notices[mid]).isoformat()})"
        )
    k = bc.known(b)
    el = Electorate(b, record_date_of(g, mid), k)
    who = el.value(present, "--present") if present else []
    if isinstance(who, dict):
        raise fail("--present: holder ids (use --present-shares for shares by class)")
    shares = el.value(present_shares, "--present-shares") if present_shares else None
    if isinstance(shares, list):
        raise fail("--present-shares: CLASS=N,... (use --present for holder ids)")
    matters = {str(x.get("id")): x for x in m.matters}
    votes = [parse_vote(v, matters, el) for v in vote or ()]
    if for_ is not None or against is not None or abstain is not None:
        if votes:
            raise fail("--for: use either --vote MATTER:… or --for/--against/--abstain, not both")
        if len(matters) != 1:
            raise fail(
                f"--for: the meeting has {len(matters)} matters ({', '.join(matters)}); "
                "give each its --vote MATTER:for=…;against=…"
            )
        (only,) = matters
        parts = [
            f"{side}={v}" for side, v in (("for", for_), ("against", against), ("abstain", abstain)) if v
        ]
        votes = [parse_vote(f"{only}:{';'.join(parts)}", matters, el, "--for/--against")]
    seen = [v["matter"] for v in votes]
    if len(set(seen)) != len(seen):
        raise fail("--vote: a matter is voted twice")
    gc.report(
        b.hold_meeting(
            mid, on=day, present=tuple(who), present_shares=shares, votes=votes, historical=historical
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(meeting_app, name="meeting")
