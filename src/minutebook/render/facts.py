"""What every paper reads from the book the same way: the corporation's name and charter on a date, the directors
and officers in office, who held what on a record date, an act found by its id or sequence, and the filters that
print dates, share counts and money as a law firm's papers do ("March 19, 1999", "150,000,000", "$0.001").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..core.charter import CharterVersion, article_label
from ..core.errors import NotFoundError
from ..core.events import Event
from ..core.votes import electorate

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(d: date | None) -> str:
    """ "March 19, 1999" (an empty string for no date)."""
    if d is None:
        return ""
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def shares(n: int | None) -> str:
    """ "150,000,000" (an em dash for an unknown count)."""
    return "—" if n is None else f"{int(n):,}"


def money(d: Decimal | int | None) -> str:
    """ "$0.001", "$45,000.00": a Decimal shown to its own places (at least cents for whole sums)."""
    if d is None:
        return "—"
    d = Decimal(d)
    if d == d.to_integral_value() and d.as_tuple().exponent >= 0:
        return f"${d:,.2f}"
    places = max(2, -d.as_tuple().exponent)  # type: ignore[operator]
    return f"${d:,.{places}f}"


def par(v: Decimal | None, no_par: bool = False) -> str:
    if no_par:
        return "without par value"
    return "—" if v is None else f"par value {money(v)} per share"


def percent(part: int, whole: int) -> str:
    """ "77.78%" from two share counts, exactly rounded (no floats)."""
    if not whole:
        return "—"
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
    return f"{q}%"


def period(text: str) -> str:
    """`text` ending a sentence: a full stop added unless it already ends with one."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


FILTERS = {
    "long_date": long_date,
    "shares": shares,
    "money": money,
    "par": par,
    "percent": percent,
    "period": period,
}


# --- the corporation --------------------------------------------------------------------------------------


def charter_on(book, on: date) -> CharterVersion:
    """The charter version in force on `on`, or a `NotFoundError` naming the date."""
    v = book.charter.at(on)
    if v is None:
        first = book.charter.versions[0].effective_on if book.charter.versions else None
        since = f" (the first is in force from {first.isoformat()})" if first else " (the book holds none)"
        raise NotFoundError(f"no charter in force on {on.isoformat()}{since}")
    return v


def corporation(book, on: date) -> dict:
    """The corporation's name, jurisdiction and charter facts on `on`, for every paper's heading."""
    v = charter_on(book, on)
    return {
        "name": v.name or book.name or book.slug,
        "jurisdiction": v.jurisdiction or "Delaware",
        "registered_office": v.registered_office,
        "registered_agent": v.registered_agent,
        "incorporated_on": book.charter.versions[0].effective_on if book.charter.versions else None,
    }


def capital_article(v: CharterVersion):
    """The article that states the capital (its number and label) in a version, and its text."""
    src = v.capital.source if v.capital is not None else None
    for a in v.articles:
        if src is not None and a.source is not None and a.source.start <= src.start < (a.source.end or 0):
            return a
    for a in v.articles:
        if "authority to issue" in a.text.lower() or "authorized to issue" in a.text.lower():
            return a
    return None


def article_name(a) -> str:
    return f"Article {a.heading or article_label(a.number)}" if a is not None else "the charter"


def directors(book, on: date) -> list[dict]:
    return [{"id": d.id, "name": d.name, "since": d.since} for d in book.directors(as_of=on)]


def officers(book, on: date) -> list[dict]:
    return [
        {"id": o.person_id, "name": o.name, "title": o.title, "since": o.since}
        for o in book.officers(as_of=on)
    ]


def officer_signers(book, on: date, n: int = 2) -> list[dict]:
    """Up to `n` officers to sign for the corporation on `on` (the president first, then the secretary), each
    {name, title}; a blank line where the book names no officer."""
    order = ("president", "chief executive officer", "secretary", "assistant secretary", "treasurer")
    held = sorted(
        officers(book, on),
        key=lambda o: (
            order.index(o["title"].lower()) if o["title"].lower() in order else len(order),
            o["name"],
        ),
    )
    out, seen = [], set()
    for o in held:
        if o["id"] in seen:
            continue
        seen.add(o["id"])
        out.append({"name": o["name"], "title": o["title"]})
        if len(out) == n:
            break
    titles = ["President", "Secretary"]
    while len(out) < n:
        out.append({"name": "", "title": titles[len(out)] if len(out) < 2 else "Officer"})
    return out


def holders_of_record(book, on: date) -> list[dict]:
    """The stockholders of record on `on`, alphabetically by name: id, name, address and shares by class
    (outstanding shares only: treasury shares neither vote nor are listed, §160(c))."""
    st = book.state(on)
    el = electorate(st, on)
    rows = []
    for h, per in el.holders.items():
        holder = st.holders.get(h)
        rows.append(
            {
                "id": h,
                "name": holder.name if holder else h,
                "address": getattr(holder, "address", None) if holder else None,
                "shares": dict(sorted(per.items())),
                "total": sum(per.values()),
            }
        )
    rows.sort(key=lambda r: (_sort_name(r["name"]), r["id"]))
    return rows


def _sort_name(name: str) -> str:
    """Alphabetical as a list of holders is kept: by surname for a person's name, else the whole name."""
    parts = name.split()
    if len(parts) >= 2 and not any(w.rstrip(".,").lower() in _ENTITY for w in parts):
        return f"{parts[-1]} {' '.join(parts[:-1])}".lower()
    return name.lower()


_ENTITY = {
    "inc",
    "llc",
    "lp",
    "llp",
    "ltd",
    "corp",
    "corporation",
    "company",
    "co",
    "fund",
    "trust",
    "partners",
}


def class_names(v: CharterVersion) -> dict[str, str]:
    """class key -> its name in the charter ("Common Stock")."""
    if v.capital is None:
        return {}
    return {c.key: c.name for c in v.capital.classes}


def governance(book):
    """The book's governance record (directors, officers, resolutions, meetings, consents) as the book keeps it
    folded: read, not rebuilt from the log."""
    return book.approvals().record


def find_event(book, act: str, types: tuple[type, ...] = ()) -> Event | None:
    """The event named "event N", "#N" or "N" (its sequence), if it is one of `types` (any when empty)."""
    ref = act.strip().lower().removeprefix("event").strip().lstrip("#")
    if not ref.isdigit():
        return None
    seq = int(ref)
    e = book.event(seq)
    if e is None:
        raise NotFoundError(f"no event {seq} in the book (it holds events 1 to {book.count})")
    if types and not isinstance(e.body, types):
        return None
    return e


def recorded(book, *types: type) -> list[Event]:
    """The history's events of `types`, in the order recorded (sequence): read by type from the store, so a large
    book's other events are not (the board's acts, the charter's, the series: a few among a ledger's thousands)."""
    return sorted(book.history().events(types=[t.TYPE for t in types]), key=_seq)


def _seq(e: Event) -> int:
    return e.seq or 0


def latest(book) -> date:
    """The latest date the book speaks of (its history's last effective date; today for an empty one): the log's,
    which the book knows, unless an event was voided (then read from the store's end)."""
    history = book.history()
    if book.last_effective > date.min and not any(f.body.voids for f in history.corrected_by().values()):
        return book.last_effective
    return history.last_date() or date.today()


def event_ref(e: Event) -> str:
    return f"event {e.seq}"
