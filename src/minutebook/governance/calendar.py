"""The compliance calendar: what falls due, computed from a corporation's events, and its iCalendar form.

`deadlines(events, start, end)` lists, in date order, each `Deadline` due from `start` to `end`:

* **Annual report and franchise tax**, each March 1 for the year before (8 Del. C. §§ 502, 503), with the
  tax by the authorized shares method always and by the assumed par value capital method when gross assets
  are recorded for the year (`minutebook.tax`); **estimated installments** (June 1, September 1, December 1
  of the tax year) when the tax is $5,000 or more.
* **The annual meeting** (§ 211(c)): 13 months after the last annual meeting held (a `MeetingHeld` of a
  meeting called as "annual") or the last stockholder written consent electing directors, else after the
  incorporation; a stockholder or director may then ask the Court of Chancery to order one. Overdue, it is
  listed even before `start`.
* **A § 228 consent's 60-day window** (§ 228(c)): 60 days after the earliest signature. A `WrittenConsent`
  is recorded when it took effect, so its window is done (or was missed, when it took effect later).
* **A called meeting not yet held** (`MeetingCalled` without `MeetingHeld`): the record date 10-60 days
  before (§ 213(a)), the notice 10-60 days before (§ 222(b); at least 20 for an asset sale, § 271(a)), the
  stockholder list by the 10th day before (§ 219(a)), and the meeting itself. The windows are the DGCL's
  dated numbers (`law.params`).
* **The stockholders' approval of an equity plan that may grant ISOs** (26 U.S.C. § 422(b)(1)): 12 months
  after the board adopted it, for as long as no approval that counts is recorded; overdue, it is listed even
  before `start` (the options granted under it as ISOs are then non-qualified). See `_plan_approvals`.

The core reads no clock: `to_ics` takes the time stamp (DTSTAMP) from its caller, so the same events give
the same calendar. The iCalendar text (RFC 5545) is written here, by hand: VCALENDAR with one VEVENT per
deadline (UID, DTSTAMP, all-day DTSTART/DTEND, SUMMARY, DESCRIPTION), text escaped, CRLF line ends, lines
folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..core.errors import InputError, NotFoundError
from ..core.events import (
    Event,
    Incorporated,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    PlanAdopted,
    StockholderListPrepared,
    WrittenConsent,
)
from ..core.timeline import Timeline, timeline
from ..core.vesting import add_months  # the same day months later (the month's last day if none)
from ..law.params import entry

_READ = (
    Incorporated,
    MeetingCalled,
    MeetingHeld,
    NoticeSent,
    PlanAdopted,
    StockholderListPrepared,
    WrittenConsent,
)  # the events the calendar reads whole (and the tax's); the ledger only through the timeline's states

KIND_ORDER = (
    "annual_meeting",
    "consent_window",
    "record_date",
    "notice",
    "stockholder_list",
    "meeting",
    "plan_approval",
    "estimated_tax",
    "franchise_tax",
)


@dataclass(frozen=True, slots=True)
class Deadline:
    due_on: date
    kind: str  # one of KIND_ORDER
    title: str
    detail: str
    cites: tuple[str, ...] = ()
    status: str = "open"  # open | done | missed | overdue | held
    source: str = ""  # the events it comes from
    key: str = ""  # stable identity (the iCalendar UID)
    opens_on: date | None = None  # the first day of a window

    def to_json(self) -> dict:
        return {
            "due_on": self.due_on.isoformat(),
            "kind": self.kind,
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "opens_on": self.opens_on.isoformat() if self.opens_on else None,
            "cites": list(self.cites),
            "source": self.source,
            "key": self.key,
        }


def _day(v) -> date | None:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        return None


def _ev(e: Event) -> str:
    return f"event {e.seq}" if e.seq is not None else f"{e.type} of {e.effective_on}"


def _law(name: str, on: date) -> tuple[int, str]:
    """A DGCL window (days or months) in force on `on`, and its source; before the data begins, the earliest
    value the data has (today's, for a rule unchanged since)."""
    try:
        row = entry(name, on)
    except NotFoundError:
        row = entry(name, date.max)
    return int(row["value"]), str(row["source"])


# --- franchise tax ------------------------------------------------------------------------------------------


def _tax(history: Timeline, inc: date, start: date, end: date) -> list[Deadline]:
    from ..tax import compute, from_events
    from ..tax.amounts import pct, usd
    from ..tax.rates import rate_table

    out: list[Deadline] = []
    for y in range(
        max(inc.year, start.year - 1), end.year + 1
    ):  # the year ends in turn: the history folded once
        due = date(y + 1, 3, 1)
        try:
            r = compute(from_events(history, y))
        except InputError as e:
            if start <= due <= end:
                out.append(
                    Deadline(
                        due,
                        "franchise_tax",
                        f"Delaware annual report and franchise tax for {y}",
                        f"The tax cannot be computed: {e}.",
                        ("8 Del. C. § 502", "8 Del. C. § 503"),
                        key=f"franchise-tax-{y}",
                    )
                )
            continue
        due = r.due_on
        apvc = "not computed (no gross assets recorded for the year)" if r.apvc is None else usd(r.apvc)
        lines = [
            f"Authorized shares method: {usd(r.asm)}.",
            f"Assumed par value capital method: {apvc}.",
            f"Tax: {usd(r.tax)} by the {'lesser, the ' if r.apvc is not None else ''}"
            f"{'assumed par value capital' if r.method == 'apvc' else 'authorized shares'} method; "
            f"annual report fee {usd(r.annual_report_fee)}; total {usd(r.total_due)}.",
        ]
        if r.apvc is None:
            lines.append(
                f"Record the gross assets for {y} (minutebook tax assets --year {y} AMOUNT) to compute both."
            )
        if r.installments:
            lines.append(
                "Estimated installments: "
                + "; ".join(f"{i.due_on} {usd(i.amount)}" for i in r.installments)
                + " (the last with the report)."
            )
        lines.append(
            f"Late: a {usd(r.rates.value('late_penalty'))} penalty and interest at "
            f"{pct(r.rates.value('interest_per_month'))} a month on the tax and the penalty."
        )
        if start <= due <= end:
            out.append(
                Deadline(
                    due,
                    "franchise_tax",
                    f"Delaware annual report and franchise tax for {y}: {usd(r.tax)} + {usd(r.annual_report_fee)} fee"
                    + (f" (ASM {usd(r.asm)})" if r.method == "apvc" else ""),
                    " ".join(lines),
                    ("8 Del. C. § 502", "8 Del. C. § 503"),
                    source=f"tax year {y} from the record ({rate_table().origin})",
                    key=f"franchise-tax-{y}",
                )
            )
        for n, i in enumerate(r.installments[:-1], 1):
            if start <= i.due_on <= end:
                out.append(
                    Deadline(
                        i.due_on,
                        "estimated_tax",
                        f"Delaware franchise tax estimate {n} for {y}: {usd(i.amount)}",
                        f"{pct(i.share)} of the {y} tax of {usd(r.tax)} as the record stands (estimated payments "
                        f"are due when the tax is {usd(r.rates.value('estimate_threshold'))} or more; the rest is "
                        f"due {due})."
                        + (
                            f" This is the authorized shares method: with no gross assets recorded for {y}, the "
                            "assumed par value capital method, which may be far lower, cannot be computed."
                            if r.apvc is None
                            else ""
                        ),
                        ("8 Del. C. § 503", "S3c", "S24"),
                        key=f"franchise-tax-{y}-estimate-{n}",
                    )
                )
    return out


# --- meetings and consents -----------------------------------------------------------------------------------


def _unanimous(history: Timeline, b: WrittenConsent) -> bool:
    """Whether every holder of record signed: only such a consent stands in lieu of the annual meeting
    (§211(b); the exception for a board left wholly vacant is not modelled here)."""
    dates = [date.fromisoformat(str(s.get("signed_on"))) for s in b.signatures if s.get("signed_on")]
    rd = b.record_date or (min(dates) if dates else None)
    if rd is None:
        return False
    holders = {h for (h, _c, _s), n in history.shares_at(rd).balances.items() if n > 0}
    return bool(holders) and holders <= {str(s.get("signer")) for s in b.signatures}


def _annual_meeting(
    events: list[Event], history: Timeline, inc: Event, start: date, end: date
) -> list[Deadline]:
    kinds = {e.body.meeting_id: e.body.kind for e in events if isinstance(e.body, MeetingCalled)}
    last: Event | None = None
    for e in events:
        b = e.body
        annual = isinstance(b, MeetingHeld) and kinds.get(b.meeting_id) == "annual"
        elected = (
            isinstance(b, WrittenConsent)
            and b.by == "stockholders"
            and any(m.get("kind") == "elect_directors" for m in b.matters)
            and _unanimous(history, b)
        )
        if (annual or elected) and (last is None or e.effective_on >= last.effective_on):
            last = e
    base = last or inc
    months, src = _law("dgcl.211.annual_meeting_months", base.effective_on)
    due = add_months(base.effective_on, months)
    if due > end:
        return []
    if last is None:
        since = f"the incorporation on {inc.effective_on}, with no annual meeting or consent electing directors since"
    elif isinstance(last.body, MeetingHeld):
        since = f"the last annual meeting, {last.body.meeting_id}, held on {last.effective_on} ({_ev(last)})"
    else:
        since = (
            f"the last written consent electing directors, {last.body.consent_id}, of {last.effective_on} "
            f"({_ev(last)})"
        )
    return [
        Deadline(
            due,
            "annual_meeting",
            f"Annual meeting of stockholders: {months} months after {base.effective_on}",
            f"{months} months after {since}. From {due} a stockholder or director may ask the Court of Chancery "
            "to order a meeting to elect directors.",
            (src,),
            "overdue" if due < start else "open",
            _ev(base),
            key=f"annual-meeting-{due.isoformat()}",
        )
    ]


def _consents(events: list[Event], start: date, end: date) -> list[Deadline]:
    out = []
    for e in events:
        b = e.body
        if not isinstance(b, WrittenConsent) or b.by != "stockholders":
            continue
        # §228(c): from the earliest dated signature; from 1 August 2017, from the first delivery (a signature
        # recorded without its delivery date is taken as delivered the day it was signed)
        key = (
            "delivered_on"
            if entry("dgcl.228.c.window_from", e.effective_on)["value"] == "delivery"
            else "signed_on"
        )
        signed = [
            d
            for d in (
                _day(s.get(key) or (s.get("signed_on") if key == "delivered_on" else None))
                for s in b.signatures
            )
            if d is not None
        ]
        first = min(signed) if signed else e.effective_on
        days, src = _law("dgcl.228.delivery_window_days", first)
        closes = first + timedelta(days=days)
        if not start <= closes <= end:
            continue
        ok = e.effective_on <= closes
        out.append(
            Deadline(
                closes,
                "consent_window",
                f"Consent {b.consent_id}: {days}-day window for stockholder consents closes",
                f"Enough consents must be delivered within {days} days of the first ({first}). "
                + (
                    f"The consent took effect on {e.effective_on}, within the window."
                    if ok
                    else f"The consent is recorded as taking effect on {e.effective_on}, after the window closed: "
                    "the consents delivered first had expired."
                ),
                (src,),
                "done" if ok else "missed",
                _ev(e),
                key=f"consent-{b.consent_id}-window",
                opens_on=first,
            )
        )
    return out


def _windows(
    called: Event, notices: list[Event], lists: list[Event], start: date, end: date
) -> list[Deadline]:
    b: MeetingCalled = called.body
    m, mid = b.meeting_on, b.meeting_id
    what = f"{b.kind} meeting {mid} on {m}"
    # each window runs from `most` days before the meeting to `least` days before it
    rec_most, rec_src = _law("dgcl.213.record_max_days", called.effective_on)
    rec_least, _ = _law("dgcl.213.record_min_days", called.effective_on)
    not_most, not_src = _law("dgcl.222.notice_max_days", called.effective_on)
    if any(x.get("kind") == "asset_sale" for x in b.matters):
        not_least, not_src = _law("dgcl.271.notice_min_days", called.effective_on)
    else:
        not_least, _ = _law("dgcl.222.notice_min_days", called.effective_on)
    list_days, list_src = _law("dgcl.219.list_days_before", called.effective_on)
    items = []

    rec_open, rec_due = max(m - timedelta(days=rec_most), called.effective_on), m - timedelta(days=rec_least)
    if b.record_date is not None:
        fine = rec_open <= b.record_date <= rec_due
        status = "done" if fine else "missed"
        said = f"The record date fixed is {b.record_date}" + ("." if fine else ", outside the window.")
    else:
        status, said = (
            "open",
            "None is fixed: by default it is the close of business on the day before notice is given.",
        )
    items.append(
        (rec_due, "record_date", f"Record date for the {what}", rec_open, said, rec_src, status, _ev(called))
    )

    not_open, not_due = m - timedelta(days=not_most), m - timedelta(days=not_least)
    sent = min((n.effective_on for n in notices), default=None)
    if sent is None:
        status, said, src = "open", "No notice is recorded yet.", _ev(called)
    else:
        status = "done" if not_open <= sent <= not_due else "missed"
        said = f"Notice sent on {sent}" + (
            ", within the window." if status == "done" else ", outside the window."
        )
        src = _ev(min(notices, key=lambda n: n.effective_on))
    items.append((not_due, "notice", f"Notice of the {what}", not_open, said, not_src, status, src))

    list_due = m - timedelta(days=list_days)
    prepared = min(lists, key=lambda n: n.effective_on) if lists else None
    if prepared is None:
        status, said, src = "open", "No stockholder list is recorded yet.", _ev(called)
    else:
        status = "done" if prepared.effective_on <= list_due else "missed"
        said, src = f"List prepared on {prepared.effective_on}.", _ev(prepared)
    items.append(
        (list_due, "stockholder_list", f"Stockholder list for the {what}", None, said, list_src, status, src)
    )

    out = []
    for due, kind, title, opens, said, src, status, source in items:
        if status == "open" and due < start:
            status = "overdue"
        if not (start <= due <= end or (status == "overdue" and m >= start)):
            continue
        window = f"From {opens} to {due}. " if opens else f"By {due}. "
        out.append(
            Deadline(due, kind, title, window + said, (src,), status, source, f"meeting-{mid}-{kind}", opens)
        )
    if start <= m <= end or m < start <= end:
        late = m < start
        out.append(
            Deadline(
                m,
                "meeting",
                f"{b.kind.capitalize()} meeting of stockholders {mid}",
                ("The meeting date has passed and no meeting is recorded as held. " if late else "")
                + f"Called on {called.effective_on} ({len(b.matters)} matter{'s' if len(b.matters) != 1 else ''}).",
                ("8 Del. C. § 222",),
                "overdue" if late else "open",
                _ev(called),
                f"meeting-{mid}",
            )
        )
    return out


# --- equity plans: the stockholders' approval for ISOs ---------------------------------------------------------

ISO_CITES = ("26 U.S.C. § 422(b)(1)", "26 C.F.R. § 1.422-3")
ISO_MONTHS = 12  # § 422(b)(1): "within 12 months before or after the date such plan is adopted"


def _plan_approvals(events: list[Event], history: Timeline, start: date, end: date) -> list[Deadline]:
    """For each equity plan that may grant ISOs and has no stockholder approval that counts, the last day the
    stockholders may approve it: 12 calendar months after the board adopted it (`add_months`: a plan adopted on
    29 February is due on 28 February). Options granted as ISOs under a plan the stockholders did not approve in
    time are not ISOs (§ 422(b)(1)): they are treated as non-qualified stock options (NSOs).

    Which plans may grant ISOs. `PlanAdopted` says nothing about the kinds of award a plan allows (its fields
    are the plan's id, name, class, reserve, what forfeited shares do and its two approvals), so it is read
    from the awards: a plan is listed when an award under it is an option granted as an ISO
    (`option_type == "ISO"`), or when nothing is granted under it yet — a new plan usually means to grant ISOs,
    and its 12 months run from its adoption whatever is granted first. A plan under which only NSOs, RSUs or
    restricted stock have been granted is not listed: the book has nothing saying it will grant ISOs.

    Which approval counts, as the audit rule `irc.422.plan_stockholder_approval` (`law.dgcl.equity`) detects it: the
    approval the plan names (`stockholder_approval`, on its `PlanAdopted` or on a later `PoolChanged`), resolved by
    `governance.approvals`, passed, given by the stockholders, and dated from 12 months before the adoption to 12
    months after it (calendar months, as the rule counts them). Such a plan is not listed. A plan with none is
    `open`, or `overdue` once its day is before `start` (listed then whatever the dates asked, like the annual
    meeting). A plan whose approval passed after its day is `missed`, listed only when its day falls from `start` to
    `end`, like a consent's window. A named approval that does not count otherwise (unknown, failed, the board's) is
    said so, and the plan is treated as unapproved.

    Every event is read, as for the meetings and consents: an approval dated after `end` still takes the plan
    off the calendar. An increase of the pool is not treated as a new plan needing its own approval."""
    adopted = {e.body.plan_id: e for e in events if isinstance(e.body, PlanAdopted)}
    if not adopted:
        return []
    from .approvals import Approvals

    last = history.last or max(e.effective_on for e in events)
    equity = history.at(last).equity
    approvals: Approvals | None = None
    out: list[Deadline] = []
    for pid, plan in sorted(equity.plans.items()):
        under = sorted(
            (a for a in equity.awards.values() if a.plan_id == pid), key=lambda a: (a.granted_on, a.id)
        )
        isos = [a.id for a in under if a.option_type == "ISO"]
        if under and not isos:
            continue
        opens, due = add_months(plan.adopted_on, -ISO_MONTHS), add_months(plan.adopted_on, ISO_MONTHS)
        said, late = "No stockholder approval of it is recorded.", False
        aid = plan.stockholder_approval
        if aid:
            if approvals is None:
                approvals = Approvals(history.record(), history.at)
            ok = approvals.get(aid)
            if ok is None:
                said = f"{aid}, named as its approval, is not an approval in the book."
            elif not ok.by_stockholders:
                said = f"{aid}, named as its approval, is an act of the {ok.body}, not of the stockholders."
            elif not ok.passed:
                said = f"{aid}, named as its approval, did not pass ({ok.on})" + (
                    f": {ok.why}." if ok.why else "."
                )
            elif ok.on < opens:
                said = f"{aid}, named as its approval, was given on {ok.on}, more than 12 months before it."
            elif ok.on <= due:
                continue  # approved in time: nothing falls due
            else:
                said, late = f"The stockholders approved it by {aid} on {ok.on}, after the 12 months.", True
        status = "missed" if late else "overdue" if due < start else "open"
        if not (start <= due <= end or status == "overdue"):
            continue
        shown = ", ".join(isos[:5]) + (" …" if len(isos) > 5 else "")
        granted = f"It has granted ISOs ({shown})." if isos else "Nothing is granted under it yet."
        if status == "open":
            then = (
                f"Unless the stockholders approve it by {due}, options granted under it as ISOs are treated as "
                "non-qualified stock options (NSOs)."
            )
        else:
            then = (
                f"Its 12 months ended on {due}: options granted under it as ISOs"
                + (f" ({shown})" if isos else "")
                + " are treated as non-qualified stock options (NSOs)."
            )
        record = (
            f"`minutebook plan pool {pid} {equity.reserved_under(pid, last):,} --stockholder-approval ID` (its "
            "reserve unchanged) names the stockholders' meeting matter or consent"
        )
        how = {
            "open": f" To record the approval: {record}.",
            "overdue": f" If the stockholders did approve it in time, record it: {record}.",
        }.get(status, "")
        event = adopted.get(pid)
        out.append(
            Deadline(
                due,
                "plan_approval",
                f"Stockholder approval of {plan.name if plan.name == pid else f'{plan.name} ({pid})'} for its "
                "ISOs (IRC § 422(b)(1))",
                "A plan granting incentive stock options must be approved by the stockholders within 12 months "
                f"before or after the board adopts it; {pid} was adopted on {plan.adopted_on}. {granted} {said} "
                f"{then}{how}",
                ISO_CITES,
                status,
                _ev(event) if event is not None else f"plan {pid}",
                key=f"plan-{pid}-iso-approval",
                opens_on=opens,
            )
        )
    return out


def deadlines(events: Iterable[Event] | Timeline, start: date, end: date) -> tuple[Deadline, ...]:
    """Every deadline from `start` to `end` (both included), and open ones overdue before `start`. `events`: the
    history, or a `core.timeline` of it (a book's `timeline()`: a large book's store is read, not its events)."""
    if start > end:
        raise InputError(f"the calendar starts ({start}) after it ends ({end})")
    from ..tax.book_inputs import READ as TAX_READ

    history = timeline(events)
    evs = history.of(*_READ, *TAX_READ)  # the tax's too: a timeline reading its store reads them in one pass
    inc = next((e for e in evs if isinstance(e.body, Incorporated)), None)
    if inc is None:
        return ()
    out = _tax(history, inc.effective_on, start, end)
    out += _annual_meeting(evs, history, inc, start, end)
    out += _consents(evs, start, end)
    called = {e.body.meeting_id: e for e in evs if isinstance(e.body, MeetingCalled)}  # the latest call
    held = {e.body.meeting_id for e in evs if isinstance(e.body, MeetingHeld)}
    for mid, e in called.items():
        if mid in held:
            continue
        notices = [n for n in evs if isinstance(n.body, NoticeSent) and n.body.meeting_id == mid]
        lists = [n for n in evs if isinstance(n.body, StockholderListPrepared) and n.body.meeting_id == mid]
        out += _windows(e, notices, lists, start, end)
    out += _plan_approvals(evs, history, start, end)
    return tuple(sorted(out, key=lambda d: (d.due_on, KIND_ORDER.index(d.kind), d.key)))


# --- iCalendar (RFC 5545) -------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 § 3.1): CRLF then a space before each continuation."""
    data = line.encode("utf-8")
    parts, limit = [], 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never inside a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # the leading space takes one octet
    parts.append(data)
    return "\r\n ".join(p.decode("utf-8") for p in parts)


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "x"


def to_ics(
    items: Iterable[Deadline], *, stamp: datetime, name: str = "minutebook", uid_scope: str = "book"
) -> str:
    """The deadlines as an iCalendar document; `stamp` (the caller's clock) is every event's DTSTAMP."""
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC)
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//minutebook//compliance calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for d in items:
        status = {"done": "done", "missed": "MISSED", "overdue": "OVERDUE", "held": "held"}.get(d.status, "")
        summary = (f"[{status}] " if status else "") + d.title
        desc = (
            d.detail
            + (f" Cites: {'; '.join(d.cites)}." if d.cites else "")
            + (f" From: {d.source}." if d.source else "")
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid_part(uid_scope)}-{_uid_part(d.key or d.kind)}@minutebook",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{d.due_on.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(d.due_on + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(desc)}",
            f"CATEGORIES:{_escape(d.kind)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(x) + "\r\n" for x in lines)
