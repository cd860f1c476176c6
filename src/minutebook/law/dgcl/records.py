"""Stockholders' inspection of books and records, 8 Del. C. § 220.

A stockholder may inspect the corporation's books and records on a demand under oath, made in good faith for a
proper purpose (§220(b)); if the corporation does not answer within 5 business days the stockholder may sue
(§220(c)). S.S. 1 for S.B. 21 (in force 2025-03-25) defines "books and records" (§220(a)(1)): the charter and
bylaws; stockholder minutes and consents, and communications to stockholders, for the past 3 years; board and
committee minutes, records of their actions and the materials given them; annual financial statements for the
past 3 years; § 122(18) agreements; director and officer independence questionnaires — and asks that the purpose
and the records be described with reasonable particularity and the records be specifically related to it. Other
records only on a showing of compelling need. Before then the statute did not define them: the Court ordered
what was necessary and essential to the purpose.

`production(...)` says what is due under a demand and by when, from what the book holds; the rules report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ...core.events import BooksDemanded, Event
from ...core.findings import info, warning
from ..params import param
from ..registry import get, rule
from .common import c

# (key, subparagraph of § 220(a)(1) — "" for the stock ledger and list, which § 220(b) reaches apart from the
# definition — what it is, words that name it in a demand)
CATEGORIES = (
    (
        "ledger",
        "",
        "the stock ledger and a list of the stockholders",
        r"ledger|list of (the )?stockholders|stockholder list",
    ),
    (
        "charter",
        "a",
        "the certificate of incorporation and its amendments",
        r"charter|certificate|incorporat",
    ),
    ("bylaws", "b", "the bylaws and their amendments in effect", r"by-?laws?"),
    (
        "stockholder_minutes",
        "c",
        "minutes of stockholder meetings and consents of stockholders (past 3 years)",
        r"stockholder.{0,20}(minutes|consents?|meetings?)|(minutes|consents?) of (the )?stockholders?",
    ),
    (
        "communications",
        "d",
        "communications to stockholders generally (past 3 years)",
        r"communicat|letters? to (the )?stockholders",
    ),
    (
        "board_minutes",
        "e",
        "minutes of board and committee meetings, and records of their actions",
        r"board|committee|director.{0,10}(minutes|consents?)|minutes",
    ),
    (
        "board_materials",
        "f",
        "materials given to the board or a committee for its actions",
        r"materials?|board (deck|book|package)",
    ),
    (
        "financials",
        "g",
        "annual financial statements (past 3 years)",
        r"financ|balance sheet|income statement|audited",
    ),
    (
        "agreements",
        "h",
        "agreements under § 122(18)",
        r"122\s*\(18\)|stockholders?'? agreement|voting agreement",
    ),
    (
        "questionnaires",
        "i",
        "director and officer independence questionnaires",
        r"questionnaire|independence",
    ),
)


def classify(item: str) -> str | None:
    """The category of § 220(a)(1) a demanded item falls in (None: outside the definition). Board materials
    and minutes are told apart by the more specific pattern first."""
    text = item.lower()
    order = (
        "ledger",
        "agreements",
        "questionnaires",
        "stockholder_minutes",
        "board_materials",
        "financials",
        "charter",
        "bylaws",
        "communications",
        "board_minutes",
    )
    pats = {k: p for k, _, _, p in CATEGORIES}
    return next((k for k in order if re.search(pats[k], text)), None)


def answer_by(received: date) -> date:
    """The last day to answer: the 5th business day after the demand (§220(c)); weekends are skipped,
    Delaware's legal holidays are not known here and must be checked."""
    n = param("dgcl.220.answer_business_days", received)
    d = received
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


@dataclass(frozen=True, slots=True)
class Due:
    key: str
    cite: str
    what: str
    held: str  # what the book holds of it, in words


@dataclass(frozen=True, slots=True)
class Production:
    """What a demand calls for: its answer date, the categories due (with what the book holds of each), the
    items that fall outside the definition, and whether the 2025 definition applies."""

    demand_id: str
    stockholder: str
    received: date
    answer_by: date
    defined: bool
    since: date | None  # the 3-year look-back, where it applies
    due: tuple[Due, ...]
    beyond: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "demand": self.demand_id,
            "stockholder": self.stockholder,
            "received": self.received.isoformat(),
            "answer_by": self.answer_by.isoformat(),
            "definition": "8 Del. C. § 220(a)(1) (2025)" if self.defined else None,
            "since": self.since.isoformat() if self.since else None,
            "due": [{"category": d.key, "cite": d.cite, "what": d.what, "held": d.held} for d in self.due],
            "beyond_definition": list(self.beyond),
        }


def _held(key: str, record, charter, on: date, since: date | None) -> str:
    def n(k: int, one: str, many: str | None = None) -> str:
        return f"{k} {one if k == 1 else (many or one + 's')}"

    def recent(evs) -> list:
        return [e for e in evs if e.effective_on <= on and (since is None or e.effective_on >= since)]

    if key == "ledger":
        return "the stock ledger (kept by minutebook)"
    if key == "charter":
        return n(
            len([v for v in charter.versions if v.effective_on and v.effective_on <= on]), "charter version"
        )
    if key == "bylaws":
        return n(len([e for e in record.bylaws if e.effective_on <= on]), "bylaw amendment")
    if key == "stockholder_minutes":
        held = recent([m.held for m in record.meetings.values() if m.held is not None])
        consents = recent([e for e in record.consents.values() if e.body.by == "stockholders"])
        return f"{n(len(held), 'meeting')} held, {n(len(consents), 'written consent')}"
    if key == "board_minutes":
        return n(len([e for e in record.board_actions.values() if e.effective_on <= on]), "board action")
    if key == "agreements":
        return n(
            len(
                [
                    e
                    for k, e in record.facts.items()
                    if k.startswith("StockholderAgreement:") and e.effective_on <= on
                ]
            ),
            "agreement",
        )
    return "not kept in the book"


def production(e: Event, record, charter) -> Production:
    """What the demand `e` (a `BooksDemanded`) calls for, read against the governance record and the charter."""
    b: BooksDemanded = e.body
    on = e.effective_on
    defined = get("dgcl.220.demand").in_force(on)
    since = _years_before(on, param("dgcl.220.lookback_years", on)) if defined else None
    keys = [classify(i) for i in b.items]
    wanted = {k for k in keys if k} if b.items else {k for k, *_ in CATEGORIES}
    due = tuple(
        Due(
            k,
            c(f"220(a)(1)({letter})") if defined and letter else c("220(b)"),
            what,
            _held(k, record, charter, on, since),
        )
        for k, letter, what, _ in CATEGORIES
        if k in wanted
    )
    beyond = tuple(i for i, k in zip(b.items, keys, strict=True) if k is None) if defined else ()
    return Production(b.demand_id, b.stockholder, on, answer_by(on), defined, since, due, beyond)


def _defects(ctx, b: BooksDemanded, particular: bool) -> list:
    out = []
    held = sum(n for (h, _c, _s), n in ctx.state.balances.items() if h == b.stockholder and n > 0)
    if not held:
        out.append(
            warning(
                "MB-220-DEMAND-DEFECT",
                f"demand {b.demand_id}: {b.stockholder} holds no shares of record on "
                f"{ctx.event.effective_on.isoformat()}: only a stockholder may demand, and a beneficial owner "
                "must show its ownership with the demand; cure: ask for proof of ownership before producing anything",
                cites=(c("220(a)"), c("220(b)")),
                cure="ask for proof of ownership before producing anything",
            )
        )
    if not b.under_oath:
        out.append(
            warning(
                "MB-220-DEMAND-DEFECT",
                f"demand {b.demand_id} is not made under oath, as § 220(b) requires; cure: ask the stockholder for a "
                "demand under oath",
                cites=(c("220(b)"),),
                cure="ask the stockholder for a demand under oath",
            )
        )
    words = len(b.purpose.split())
    if words < (4 if particular else 1):
        need = "described with reasonable particularity" if particular else "stated"
        out.append(
            warning(
                "MB-220-DEMAND-DEFECT",
                f"demand {b.demand_id}: its purpose ({b.purpose!r}) must be a proper purpose, {need}; cure: answer "
                "that the demand states no proper purpose, and ask for one",
                cites=(c("220(b)"),),
                cure="answer that the demand states no proper purpose, and ask for one",
            )
        )
    return out


@rule(
    "dgcl.220.demand",
    cites=(c("220(a)(1)"), c("220(b)"), c("220(c)")),
    summary="A sworn demand in good faith for a proper purpose, described with particularity, reaches the books and "
    "records § 220(a)(1) defines; answer within 5 business days.",
    codes=("MB-220-DEMAND", "MB-220-DEMAND-DEFECT", "MB-220-BEYOND-DEFINITION"),
    events=("BooksDemanded",),
)
def demand_rule(ctx):
    b: BooksDemanded = ctx.event.body
    p = production(ctx.event, ctx.gov, ctx.state.charter)
    out = [
        info(
            "MB-220-DEMAND",
            f"demand {b.demand_id} by {b.stockholder} received {p.received.isoformat()}: answer by "
            f"{p.answer_by.isoformat()} (5 business days; check Delaware's legal holidays); due, if the purpose is "
            f"proper and the records specifically related to it: {'; '.join(d.what for d in p.due)}",
            cites=(c("220(a)(1)"), c("220(b)"), c("220(c)")),
            answer_by=p.answer_by.isoformat(),
        ),
        *_defects(ctx, b, particular=True),
    ]
    for item in p.beyond:
        out.append(
            info(
                "MB-220-BEYOND-DEFINITION",
                f"demand {b.demand_id}: {item!r} is not among the books and records § 220(a)(1) defines: due only "
                "if the stockholder shows a compelling need for it by clear and convincing evidence",
                cites=(c("220(a)(1)"), c("220(g)")),
            )
        )
    return out


@rule(
    "dgcl.220.demand_before_2025",
    cites=(c("220(b)"), c("220(c)")),
    summary="A sworn demand for a proper purpose reaches the books and records necessary and essential to it (not "
    "then defined); the corporation answers within 5 business days.",
    codes=("MB-220-DEMAND-UNDEFINED", "MB-220-DEMAND-DEFECT"),
    events=("BooksDemanded",),
)
def demand_before_rule(ctx):
    b: BooksDemanded = ctx.event.body
    p = production(ctx.event, ctx.gov, ctx.state.charter)
    return [
        info(
            "MB-220-DEMAND-UNDEFINED",
            f"demand {b.demand_id} by {b.stockholder} received {p.received.isoformat()}: answer by "
            f"{p.answer_by.isoformat()} (5 business days; check Delaware's legal holidays); the statute then did "
            "not define books and records: what is necessary and essential to a proper purpose is due",
            cites=(c("220(b)"), c("220(c)")),
            answer_by=p.answer_by.isoformat(),
        ),
        *_defects(ctx, b, particular=False),
    ]
