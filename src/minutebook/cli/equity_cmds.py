"""Equity compensation and convertibles: `plan`, `vesting`, `valuation`, `grant`, `exercise`, `award`, `safe` and
`round`; the fully diluted cap table is `captable --fully-diluted` (`book_views`).

Each parses its own arguments (a bad value: one line naming the option, exit 2, nothing written), checks the holder,
class and date it names, then asks the book (`book.equity`), which checks the act against the plan, the vesting, the
charter and the law on its date; a refused act prints its findings and exits 1.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

import typer

from ..core.errors import MinutebookError
from . import book_common as bc
from .book_views import table
from .common import choice, fail, parse_date, parse_money, parse_shares

NUMERIC = {"ignore_unknown_options": True}  # so "-5" reaches the argument and is refused by name

plan_app = typer.Typer(help="Equity plans: adopt one, change its pool, list them.", no_args_is_help=True)
award_app = typer.Typer(
    help="Awards: the option ledger; end, reprice, accelerate an award; vesting milestones; service ended.",
    no_args_is_help=True,
)
safe_app = typer.Typer(
    help="SAFEs and convertible notes: issue, convert at a priced round, list.", no_args_is_help=True
)
vesting_app = typer.Typer(help="Vesting terms awards may name.", no_args_is_help=True)
valuation_app = typer.Typer(help="Valuations (§409A): the floor for exercise prices.", no_args_is_help=True)


def _fraction(value: str | None, option: str) -> Decimal | None:
    """ "20%", "20 %" or "0.20" as a Decimal fraction in [0, 1)."""
    if value is None:
        return None
    text = value.strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    try:
        d = Decimal(m.group(1)) / 100 if m else Decimal(text)
    except InvalidOperation:
        raise fail(f"{option}: not a fraction: {value!r} (e.g. 20% or 0.20)") from None
    if not d.is_finite() or not 0 <= d < 1:
        raise fail(f"{option}: a fraction from 0 up to (not including) 100%, not {value!r}")
    return d


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out = {}
    for v in values or ():
        k, sep, rest = v.partition("=")
        if not sep or not k.strip() or not rest.strip():
            raise fail(f"{option}: KEY=VALUE, not {v!r}")
        out[k.strip()] = rest.strip()
    return out


def _act(fn, **kwargs):
    try:
        return fn(**kwargs)
    except MinutebookError as e:
        raise fail(str(e)) from None


def _open(db, corp, on: str | None, holder: str | None = None, what: str = "HOLDER"):
    bc.explicit_date(on, False)
    b = bc.open_book(db, corp)
    k = bc.known(b)
    if holder is not None:
        bc.need_holder(k, holder, what)
    return b, k, bc.act_day(k, on)


# --- plan ------------------------------------------------------------------------------------------------


@plan_app.command("adopt", context_settings=NUMERIC)
def plan_adopt(
    plan_id: str = typer.Argument(..., metavar="PLAN", help="An id for the plan, e.g. P-2024."),
    reserved: str = typer.Argument(..., metavar="SHARES", help="Shares reserved (the pool), e.g. 1,000,000."),
    name: str = typer.Option(None, "--name", help="The plan's name (default: the id)."),
    cls: str = typer.Option("common", "--class", metavar="CLASS", help="The class it issues."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="The board resolution adopting it."
    ),
    stockholders: str = typer.Option(
        None,
        "--stockholder-approval",
        metavar="ID",
        help="The stockholders' approval (ISOs: within 12 months).",
    ),
    on_forfeit: str = typer.Option(
        "return", "--on-forfeit", help="return (to the pool), retire, or hold (as capital stock)."
    ),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Adopt an equity incentive plan reserving shares of a class (§157; the reserve counts against §161).

    Example: minutebook plan adopt P-2024 1,000,000 --name "2024 Stock Plan" --approved-by R-7 --on 2024-01-15
    """
    n = parse_shares(reserved, "SHARES")
    forfeit = choice(on_forfeit, "--on-forfeit", ("return", "retire", "hold"), "return")
    b, k, day = _open(db, corp, on)
    key = bc.need_class(k, cls)
    bc.report(
        _act(
            b.adopt_plan,
            plan_id=plan_id,
            name=name or plan_id,
            reserved=n,
            on=day,
            class_key=key,
            approved_by=approved_by,
            stockholder_approval=stockholders,
            on_forfeit=forfeit,
        )
    )


@plan_app.command("pool", context_settings=NUMERIC)
def plan_pool(
    plan_id: str = typer.Argument(..., metavar="PLAN"),
    reserved: str = typer.Argument(..., metavar="SHARES", help="The new total reserved under the plan."),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution."),
    stockholders: str = typer.Option(None, "--stockholder-approval", metavar="ID"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Set a plan's reserve to a new total (increase or decrease the pool).

    Example: minutebook plan pool P-2024 1,500,000 --approved-by R-9 --on 2025-03-01
    """
    n = parse_shares(reserved, "SHARES")
    b, _, day = _open(db, corp, on)
    bc.report(
        _act(
            b.change_pool,
            plan_id=plan_id,
            reserved=n,
            on=day,
            approved_by=approved_by,
            stockholder_approval=stockholders,
        )
    )


@plan_app.command("list")
def plan_list(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The date (default: today)."),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The plans and their pools on a date: reserved, granted (less returned), available."""
    day = parse_date(as_of, "--as-of") or date.today()
    b = bc.open_book(db, corp)
    fd = b.fully_diluted(day)
    if as_json:
        sys.stdout.write(
            json.dumps({"as_of": day.isoformat(), "pools": fd.to_json()["pools"]}, indent=2) + "\n"
        )
        return
    if not fd.pools:
        bc.say(f"no equity plan on {day.isoformat()}")
        return
    table(
        f"{b.name} — plans on {day.isoformat()}",
        ["plan", "reserved", "granted", "available"],
        [[p, f"{r:,}", f"{g:,}", f"{a:,}"] for p, r, g, a in fd.pools],
    )


# --- vesting, valuation ------------------------------------------------------------------------------------


@vesting_app.command("define")
def vesting_define(
    terms_id: str = typer.Argument(..., metavar="ID"),
    spec: str = typer.Argument(
        ...,
        metavar="SCHEDULE",
        help="48/12 (months/cliff, monthly), 48/12/3, or tranches 12:1/4,24:3/4 or event NAME:1/2.",
    ),
    name: str = typer.Option(None, "--name"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Define vesting terms awards may name; the tranches must sum to the whole award.

    Example: minutebook vesting define standard 48/12 --on 2024-01-15
    """
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.define_vesting, terms_id=terms_id, schedule=spec, on=day, name=name))


@valuation_app.command("add", context_settings=NUMERIC)
def valuation_add(
    valuation_id: str = typer.Argument(..., metavar="ID"),
    price: str = typer.Argument(..., metavar="PRICE", help="Fair market value per share, in dollars."),
    cls: str = typer.Option("common", "--class", metavar="CLASS"),
    provider: str = typer.Option(None, "--provider"),
    kind: str = typer.Option("409A", "--kind", help="409A, board or other."),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a valuation effective on its date: options granted below it are reported (IRC §409A).

    Example: minutebook valuation add V-2024 0.12 --provider "Appraisal Co." --on 2024-01-10
    """
    p = parse_money(price, "PRICE", required=True)
    kind_ = choice(kind, "--kind", ("409a", "board", "other"), "409a")
    b, k, day = _open(db, corp, on)
    key = bc.need_class(k, cls)
    bc.report(
        _act(
            b.record_valuation,
            valuation_id=valuation_id,
            class_key=key,
            price_per_share=p,
            on=day,
            provider=provider,
            kind="409A" if kind_ == "409a" else kind_,
        )
    )


# --- grant, exercise ---------------------------------------------------------------------------------------


def grant_cmd(
    award_id: str = typer.Argument(..., metavar="AWARD", help="An id for the award, e.g. O-1."),
    holder: str = typer.Argument(..., metavar="HOLDER"),
    quantity: str = typer.Argument(..., metavar="SHARES", help="Shares the award covers."),
    kind: str = typer.Option("option", "--kind", help="option, rsu, rsa (restricted stock) or warrant."),
    plan: str = typer.Option(None, "--plan", metavar="PLAN", help="The plan it is granted under."),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="The class (default: the plan's)."),
    series: str = typer.Option(None, "--series", metavar="S"),
    price: str = typer.Option(None, "--price", metavar="P", help="Exercise price (an RSA: purchase price)."),
    option_type: str = typer.Option(None, "--type", metavar="ISO|NSO"),
    expires: str = typer.Option(None, "--expires", metavar="DATE", help="Expiration date."),
    windows: list[str] = typer.Option(
        None,
        "--window",
        metavar="REASON=DAYS",
        help="Post-termination exercise window, e.g. default=90, death=365.",
    ),
    vesting: str = typer.Option(
        None, "--vesting", metavar="TERMS|SCHEDULE", help="Vesting terms id, or 48/12 …"
    ),
    vesting_start: str = typer.Option(
        None, "--vesting-start", metavar="DATE", help="Default: the grant date."
    ),
    early: bool = typer.Option(False, "--early-exercise", help="May be exercised before it vests."),
    accelerate: list[str] = typer.Option(
        None,
        "--accelerate",
        metavar="TRIGGER=PORTION",
        help="single=1 or double=1/2 (of the unvested shares).",
    ),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution (§157)."),
    certificate: str = typer.Option(None, "--certificate", metavar="NO", help="An RSA's stock certificate."),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Grant an option, RSU, restricted stock award or warrant, approved by the board (§157).

    A grant under a plan must fit its pool; any promise of shares must fit the authorized shares not issued or
    promised already (§161); an option below the latest valuation is reported (IRC §409A).

    Example: minutebook grant O-1 dee 48,000 --plan P-2024 --price 0.12 --type ISO --vesting 48/12 --approved-by R-8
    """
    n = parse_shares(quantity, "SHARES")
    kind_ = choice(kind, "--kind", ("option", "rsu", "rsa", "warrant"), "option")
    p = parse_money(price, "--price")
    exp = parse_date(expires, "--expires")
    start = parse_date(vesting_start, "--vesting-start")
    wins = _pairs(windows, "--window")
    acc = _pairs(accelerate, "--accelerate")
    b, k, day = _open(db, corp, on, holder)
    key = bc.need_class(k, cls) if cls else None
    ser = bc.need_series(k, key, series) if key and series else None
    bc.report(
        _act(
            b.grant,
            award_id=award_id,
            holder_id=holder,
            kind=kind_,
            quantity=n,
            on=day,
            plan_id=plan,
            class_key=key,
            series_key=ser,
            exercise_price=p,
            option_type=option_type,
            expires_on=exp,
            exercise_windows=wins,
            vesting=vesting,
            vesting_start=start,
            early_exercise=early,
            acceleration=acc,
            approved_by=approved_by,
            certificate=certificate,
        )
    )


def exercise_cmd(
    award_id: str = typer.Argument(..., metavar="AWARD"),
    quantity: str = typer.Argument(..., metavar="SHARES", help="Rights exercised (RSUs: units released)."),
    method: str = typer.Option("cash", "--method", help="cash or net (shares withheld to pay the price)."),
    fair_value: str = typer.Option(
        None, "--fair-value", metavar="P", help="Net exercise: the value per share."
    ),
    certificate: str = typer.Option(None, "--certificate", metavar="NO"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Exercise options or warrants, or release vested RSUs: the rights used and the stock issued, as one act.

    Only vested (or early-exercisable), unexpired rights; the stock must fit the authorized shares (§161) and be paid
    for at least its par value (§153).

    Example: minutebook exercise O-1 12,000 --on 2025-03-01
    """
    n = parse_shares(quantity, "SHARES")
    m = choice(method, "--method", ("cash", "net", "cashless"), "cash")
    fv = parse_money(fair_value, "--fair-value")
    b, _, day = _open(db, corp, on)
    bc.report(
        _act(
            b.exercise,
            award_id=award_id,
            quantity=n,
            on=day,
            method=m,
            fair_value=fv,
            certificate=certificate,
        )
    )


# --- award -------------------------------------------------------------------------------------------------


@award_app.command("list")
def award_list(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The date (default: today)."),
    holder: str = typer.Option(None, "--holder", metavar="HOLDER"),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The option ledger on a date: each award, its vesting, exercises and what is left."""
    day = parse_date(as_of, "--as-of") or date.today()
    b = bc.open_book(db, corp)
    rows = [p for p in b.awards(day) if holder in (None, p.award.holder_id)]
    if as_json:
        data = [
            {
                "award": p.award.id,
                "holder": p.award.holder_id,
                "kind": p.award.kind,
                "type": p.award.option_type,
                "plan": p.award.plan_id,
                "class": p.award.class_key,
                "granted_on": p.award.granted_on.isoformat(),
                "granted": p.award.quantity,
                "exercise_price": None if p.award.exercise_price is None else str(p.award.exercise_price),
                "vested": p.vested,
                "unvested": p.unvested,
                "exercised": p.exercised,
                "ended": p.ended,
                "lapsed": p.lapsed,
                "outstanding": p.outstanding,
                "exercisable": p.exercisable,
                "restricted": p.restricted,
                "expires": p.expires.isoformat() if p.expires else None,
            }
            for p in rows
        ]
        sys.stdout.write(json.dumps({"as_of": day.isoformat(), "awards": data}, indent=2) + "\n")
        return
    if not rows:
        bc.say(f"no awards on {day.isoformat()}")
        return
    table(
        f"{b.name} — awards on {day.isoformat()}",
        [
            "award",
            "holder",
            "kind",
            "price",
            "granted",
            "vested",
            "exercised",
            "ended",
            "outstanding",
            "exercisable",
            "expires",
        ],
        [
            [
                p.award.id,
                p.award.holder_id,
                p.award.option_type or p.award.kind,
                "" if p.award.exercise_price is None else f"${p.award.exercise_price}",
                f"{p.award.quantity:,}",
                f"{p.vested:,}",
                f"{p.exercised:,}",
                f"{p.ended + p.lapsed:,}",
                f"{p.outstanding:,}",
                f"{p.exercisable:,}",
                p.expires.isoformat() if p.expires else "",
            ]
            for p in rows
        ],
    )


@award_app.command("end", context_settings=NUMERIC)
def award_end(
    award_id: str = typer.Argument(..., metavar="AWARD"),
    how: str = typer.Option("cancelled", "--how", help="forfeited, expired, cancelled or retracted."),
    quantity: str = typer.Option(None, "--shares", metavar="N", help="Default: every right left."),
    reason: str = typer.Option(None, "--reason"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record an award's rights ending (an RSA's unvested shares are cancelled with it).

    Example: minutebook award end O-1 --how forfeited --on 2025-06-30
    """
    h = choice(how, "--how", ("forfeited", "expired", "cancelled", "retracted"), "cancelled")
    n = parse_shares(quantity, "--shares") if quantity is not None else None
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.end_award, award_id=award_id, on=day, how=h, quantity=n, reason=reason))


@award_app.command("reprice", context_settings=NUMERIC)
def award_reprice(
    award_id: str = typer.Argument(..., metavar="AWARD"),
    price: str = typer.Argument(..., metavar="PRICE"),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Reprice an option or warrant, approved by the board (§157)."""
    p = parse_money(price, "PRICE", required=True)
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.reprice, award_id=award_id, exercise_price=p, on=day, approved_by=approved_by))


@award_app.command("accelerate", context_settings=NUMERIC)
def award_accelerate(
    award_id: str = typer.Argument(..., metavar="AWARD"),
    quantity: str = typer.Argument(..., metavar="SHARES"),
    trigger: str = typer.Option("board", "--trigger", help="single, double or board."),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Vest unvested shares of an award early."""
    n = parse_shares(quantity, "SHARES")
    t = choice(trigger, "--trigger", ("single", "double", "board"), "board")
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.accelerate, award_id=award_id, quantity=n, on=day, trigger=t, approved_by=approved_by))


@award_app.command("milestone")
def award_milestone(
    event: str = typer.Argument(..., metavar="NAME", help="The milestone an event tranche names."),
    award_id: str = typer.Option(
        None, "--award", metavar="AWARD", help="Only this award (default: every one)."
    ),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Record a vesting milestone (`event NAME:PORTION` tranches vest on it)."""
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.vesting_event, event=event, on=day, award_id=award_id))


@award_app.command("service-ended")
def award_service_ended(
    holder: str = typer.Argument(..., metavar="HOLDER"),
    reason: str = typer.Option(
        "voluntary", "--reason", help="voluntary, involuntary, cause, death, disability, retirement."
    ),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """A holder's service ended: vesting stops, unvested rights lapse, the exercise window opens."""
    r = choice(
        reason,
        "--reason",
        ("voluntary", "involuntary", "cause", "death", "disability", "retirement"),
        "voluntary",
    )
    b, _, day = _open(db, corp, on, holder)
    bc.report(_act(b.end_service, holder_id=holder, on=day, reason=r))


@award_app.command("change-of-control")
def award_change_of_control(
    description: str = typer.Argument(..., metavar="TEXT"),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID"),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """A change of control: single-trigger acceleration applies, double-trigger waits for a termination."""
    b, _, day = _open(db, corp, on)
    bc.report(_act(b.change_of_control, description=description, on=day, approved_by=approved_by))


# --- safe ----------------------------------------------------------------------------------------------------


@safe_app.command("issue", context_settings=NUMERIC)
def safe_issue(
    convertible_id: str = typer.Argument(..., metavar="ID"),
    holder: str = typer.Argument(..., metavar="HOLDER"),
    amount: str = typer.Argument(
        ..., metavar="AMOUNT", help="Purchase amount (a note: principal), in dollars."
    ),
    kind: str = typer.Option("safe", "--kind", help="safe or note."),
    cap: str = typer.Option(None, "--cap", metavar="DOLLARS", help="Valuation cap."),
    basis: str = typer.Option(None, "--basis", help="post (default for a SAFE) or pre (default for a note)."),
    discount: str = typer.Option(None, "--discount", metavar="PCT", help="e.g. 20%."),
    mfn: bool = typer.Option(False, "--mfn", help="Most favoured nation."),
    interest: str = typer.Option(None, "--interest", metavar="PCT", help="A note's simple annual rate."),
    maturity: str = typer.Option(None, "--maturity", metavar="DATE"),
    approved_by: str = typer.Option(None, "--approved-by", metavar="ID", help="The board resolution."),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Issue a SAFE (the YC post-money SAFE by default) or a convertible note.

    Example: minutebook safe issue S-1 angel 500,000 --cap 5,000,000 --approved-by R-3 --on 2023-05-01
    """
    k_ = choice(kind, "--kind", ("safe", "note"), "safe")
    amt = parse_money(amount, "AMOUNT", required=True)
    cap_ = parse_money(cap, "--cap")
    basis_ = choice(basis, "--basis", ("post", "pre"), "post" if k_ == "safe" else "pre")
    disc = _fraction(discount, "--discount")
    rate = _fraction(interest, "--interest")
    mat = parse_date(maturity, "--maturity")
    b, _, day = _open(db, corp, on, holder)
    bc.report(
        _act(
            b.issue_convertible,
            convertible_id=convertible_id,
            holder_id=holder,
            amount=amt,
            on=day,
            kind=k_,
            cap=cap_,
            cap_basis=basis_,
            discount=disc,
            mfn=mfn,
            interest_rate=rate,
            maturity_on=mat,
            approved_by=approved_by,
        )
    )


@safe_app.command("convert", context_settings=NUMERIC)
def safe_convert(
    convertible_id: str = typer.Argument(..., metavar="ID"),
    shares: str = typer.Option(..., "--shares", metavar="N"),
    price: str = typer.Option(..., "--price", metavar="P", help="The conversion price per share."),
    round_price: str = typer.Option(
        ..., "--round-price", metavar="P", help="The priced round's price per share."
    ),
    cls: str = typer.Option(..., "--class", metavar="CLASS"),
    series: str = typer.Option(None, "--series", metavar="S"),
    basis: str = typer.Option("cap", "--basis", help="cap, discount or round."),
    on: str = bc.act_on_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Convert a SAFE or note at a priced round already recorded (`round --record` does it for every one).

    Example: minutebook safe convert S-1 --shares 1,125,112 --price 0.4444 --round-price 1.3658 --class preferred
    """
    n = parse_shares(shares, "--shares")
    p = parse_money(price, "--price", required=True)
    rp = parse_money(round_price, "--round-price", required=True)
    bs = choice(basis, "--basis", ("cap", "discount", "round"), "cap")
    b, k, day = _open(db, corp, on)
    key = bc.need_class(k, cls)
    ser = bc.need_series(k, key, series)
    bc.report(
        _act(
            b.convert_convertible,
            convertible_id=convertible_id,
            on=day,
            class_key=key,
            shares=n,
            price_per_share=p,
            round_price=rp,
            series_key=ser,
            basis=bs,
        )
    )


@safe_app.command("list")
def safe_list(
    as_of: str = typer.Option(None, "--as-of", metavar="DATE"),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The SAFEs and notes outstanding on a date."""
    day = parse_date(as_of, "--as-of") or date.today()
    b = bc.open_book(db, corp)
    fd = b.fully_diluted(day)
    if as_json:
        sys.stdout.write(
            json.dumps({"as_of": day.isoformat(), "convertibles": fd.to_json()["convertibles"]}, indent=2)
            + "\n"
        )
        return
    if not fd.convertibles:
        bc.say(f"no SAFE or note outstanding on {day.isoformat()}")
        return
    table(
        f"{b.name} — SAFEs and notes outstanding on {day.isoformat()}",
        ["id", "holder", "kind", "amount", "cap", "discount"],
        [
            [
                c.id,
                c.holder_id,
                c.kind,
                f"${c.amount:,}",
                "" if c.cap is None else f"${c.cap:,} {c.cap_basis}",
                "" if c.discount is None else f"{c.discount * 100:.0f}%",
            ]
            for c in fd.convertibles
        ],
    )


# --- round ---------------------------------------------------------------------------------------------------


def round_cmd(
    pre_money: str = typer.Option(..., "--pre-money", metavar="DOLLARS", help="Pre-money valuation."),
    new_money: list[str] = typer.Option(
        ..., "--new-money", metavar="[HOLDER=]DOLLARS", help="New money, per investor (repeatable)."
    ),
    pool: str = typer.Option("0%", "--pool", metavar="PCT", help="Unissued pool after the round, e.g. 10%."),
    plan: str = typer.Option(None, "--plan", metavar="PLAN", help="The plan whose pool is topped up."),
    on: str = typer.Option(None, "--on", metavar="DATE", help="Closing date (default: today)."),
    record: bool = typer.Option(
        False, "--record", help="Record the round as modelled (the investors must be holders)."
    ),
    cls: str = typer.Option(None, "--class", metavar="CLASS", help="With --record: the class issued."),
    series: str = typer.Option(None, "--series", metavar="S", help="With --record: the series."),
    approved_by: str = typer.Option(
        None, "--approved-by", metavar="ID", help="With --record: the board resolution."
    ),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Model a priced round on the book: price per share, shares per investor, pool top-up, SAFE and note conversions.

    The method: the pool top-up is in the pre-money (the new money is not diluted by it); SAFEs and notes convert in
    the pre-money; a post-money SAFE converts at its cap over the company capitalization without the pool top-up (the
    YC post-money SAFE), a pre-money cap over the capitalization before the round; each at the lower of its cap
    price and its discount price, never above the round price. Prices are rounded down to $0.0001, shares down.

    Example: minutebook round --pre-money 16,000,000 --new-money lead=4,000,000 --pool 10% --on 2025-01-10
    """
    pm = parse_money(pre_money, "--pre-money", required=True)
    target = _fraction(pool, "--pool") or Decimal(0)
    investors: dict[str, Decimal] = {}
    for item in new_money:
        who, sep, amount = item.rpartition("=")
        key = who.strip() if sep else "new-investors"
        investors[key] = investors.get(key, Decimal(0)) + parse_money(amount, "--new-money", required=True)
    day = parse_date(on, "--on") or date.today()
    b = bc.open_book(db, corp)
    if record:
        if not cls or not approved_by:
            raise fail(
                "--record: give --class (and --series) and --approved-by (the board resolution issuing the shares)"
            )
        k = bc.known(b)
        for h in investors:
            bc.need_holder(k, h, "--new-money")
        key = bc.need_class(k, cls)
        ser = bc.need_series(k, key, series)
        model, result = _act(
            b.close_round,
            on=bc.need_date(k, day),
            class_key=key,
            series_key=ser,
            pre_money=pm,
            investors=investors,
            pool_target=target,
            approved_by=approved_by,
            plan_id=plan,
        )
    else:
        model = _act(b.pro_forma, pre_money=pm, investors=investors, pool_target=target, on=day, plan_id=plan)
        result = None
    if as_json:
        sys.stdout.write(json.dumps({"on": day.isoformat(), **model.to_json()}, indent=2) + "\n")
    else:
        bc.say(
            f"price per share ${model.price} on {model.pre_money_shares:,} pre-money fully diluted shares; "
            f"pool top-up {model.pool_top_up:,} (pool after {model.pool_after:,}); post-money "
            f"{model.post_money_shares:,} shares, ${model.post_money:,.2f}"
        )
        rows = [[h, "new money", f"{n:,}", f"${model.price}"] for h, n in model.new_shares]
        rows += [
            [c.holder_id, f"{c.id} ({c.basis})", f"{c.shares:,}", f"${c.price}"] for c in model.conversions
        ]
        table("Shares issued in the round", ["holder", "for", "shares", "price"], rows)
    if result is not None:
        bc.report(result)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(vesting_app, name="vesting")
    app.add_typer(valuation_app, name="valuation")
    app.add_typer(award_app, name="award")
    app.add_typer(safe_app, name="safe")
    app.command("grant", context_settings=NUMERIC)(grant_cmd)
    app.command("exercise", context_settings=NUMERIC)(exercise_cmd)
    app.command("round")(round_cmd)
