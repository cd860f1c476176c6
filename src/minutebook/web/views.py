"""The read pages, each with its JSON twin (`pages.twin`): the corporations, a corporation's dashboard, its charter
(timeline, a version with its source text, the diff of two), the cap table on a date, a holder, the ledger, the
findings, and the franchise tax with its trace (the documents the book draws: `documents`). Every answer comes from
the book's public API (`Book`), `tax` and the compliance calendar — the same calls the command line makes."""

from __future__ import annotations

import difflib
from dataclasses import asdict, is_dataclass
from datetime import date, timedelta

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from ..core.captable import percent_of
from ..core.findings import Finding
from ..governance.calendar import deadlines
from . import charts, tables
from .access import need_role, need_user
from .pages import Page, parse_day, twin

router = APIRouter()
PAGE_SIZE = 100
OPEN_SHOWN = 20  # the open findings the dashboard names (its page shows 8; the findings page has them all)


def _served(request: Request):
    return request.state.served


def _today(request: Request) -> date:
    return request.app.state.today()


def finding_json(f: Finding) -> dict:
    d = dict(f.data)
    return {
        "id": f.id,
        "severity": f.severity.value,
        "code": f.code,
        "message": f.message,
        "where": f.source.location() if f.source else (f"event {d['event']}" if "event" in d else None),
        "cites": list(f.cites),
        "cure": str(d["cure"]) if d.get("cure") else None,
    }


# --- the corporations ---------------------------------------------------------------------------------------


@twin(router, "/", "home.html", summary="The corporations you have a role in")
def home(request: Request) -> Page:
    v = need_user(request)
    corps = [{"slug": s, "name": name, "role": role} for s, (name, role) in v.roles.items()]
    return Page({"user": v.username, "corporations": corps}, title="Corporations")


# --- the dashboard ------------------------------------------------------------------------------------------


@twin(router, "/c/{corp}", "dashboard.html", summary="A corporation at a glance")
def dashboard(request: Request, corp: str, as_of: str | None = None) -> Page:
    s = _served(request)
    today = parse_day(as_of) or _today(request)
    role = need_user(request).role(corp)
    sees_findings = role in ("counsel", "secretary", "admin")
    # kept with its rendered part until the log moves on: one page for those who see the findings, one for the others
    return s.memo(("dashboard", today, sees_findings), lambda: _dashboard(s, corp, today, sees_findings))


def _dashboard(s, corp: str, today: date, sees_findings: bool) -> Page:
    book = s.book
    ct = s.memo(("captable", today), lambda: book.cap_table(today))
    series = s.memo(("history", today), lambda: s.issued_history(today))
    due = s.memo(("deadlines", today), lambda: deadlines(book.timeline(), today, today + timedelta(days=400)))
    data = {
        "corporation": corp,
        "name": book.name,
        "as_of": today.isoformat(),
        "classes": [
            {
                "class": c.class_key,
                "authorized": c.authorized,
                "issued": c.issued,
                "outstanding": c.outstanding,
            }
            for c in ct.by_class
        ],
        "history": {
            k: [{"on": d.isoformat(), "authorized": a, "issued": i} for d, a, i in v]
            for k, v in series.items()
        },
        "deadlines": [d.to_json() for d in due if d.status in ("open", "overdue")][:12],
    }
    if sees_findings:
        found = s.memo("check", book.check)
        open_ = [f for f in found if f.severity.value in ("error", "warning")]
        # the first of them (the findings page lists every one, a page at a time), and how many there are
        data["open_findings"] = [finding_json(f) for f in open_[:OPEN_SHOWN]]
        data["open_findings_count"] = len(open_)
    return Page(data, {"chart": charts.over_time(series)}, title=book.name or corp, shared=True)


# --- the charter ----------------------------------------------------------------------------------------------


def _version_json(i: int, v) -> dict:
    cap = v.capital
    return {
        "number": i + 1,
        "effective_on": v.effective_on.isoformat() if v.effective_on else None,
        "date_basis": v.date_basis,  # "executed": the date is the signing, the version in force on or after it
        "document_kind": v.document_kind,
        "statute": v.statute,
        "name": v.name,
        "total_authorized": cap.total_authorized if cap else None,
        "classes": [
            {
                "class": c.key,
                "name": c.name,
                "authorized": c.authorized,
                "par_value": c.par_text(),
                "series": [{"series": s.key, "name": s.name, "authorized": s.authorized} for s in c.series],
            }
            for c in (cap.classes if cap else ())
        ],
        "blank_check_holder": cap.blank_check_holder if cap else None,
    }


@twin(router, "/c/{corp}/charter", "charter.html", summary="The charter's versions, oldest first")
def charter(request: Request, corp: str) -> Page:
    versions = _served(request).book.charter.versions
    return Page(
        {"corporation": corp, "versions": [_version_json(i, v) for i, v in enumerate(versions)]},
        title="Charter",
    )


def _facts(s, v) -> list[tuple[str, object]]:
    """(label, source) of each fact of a version placed in its filing: the document itself (the event's source),
    then the capital, classes and provisions as the reader reads the stored filing again."""
    out: list[tuple[str, object]] = []
    # the filings read by type: a large log stays in the store
    for e in s.book.history().events(types=("Incorporated", "CharterAmended")):
        if e.effective_on == v.effective_on and e.source:
            out.append((f"the filing: {e.source.text[:60]}", e.source))
    read = next((x for x in s.as_read().charter.versions if x.effective_on == v.effective_on), None)
    if read is None:
        return out
    cap = read.capital
    if cap and cap.source:
        out.append(
            (f"total authorized {cap.total_authorized:,}" if cap.total_authorized else "capital", cap.source)
        )
    for c in cap.classes if cap else ():
        if c.source:
            out.append((f"{c.name}: {c.authorized:,}" if c.authorized else c.name, c.source))
    for p in read.provisions:
        if p.source:
            out.append((f"Art. {p.article}: {p.kind.replace('_', ' ')}", p.source))
    return out


@twin(
    router, "/c/{corp}/charter/{number}", "charter_version.html", summary="One charter version and its source"
)
def charter_version(request: Request, corp: str, number: int, fact: int = 0) -> Page:
    s = _served(request)
    book = s.book
    versions = book.charter.versions
    if not 1 <= number <= len(versions):
        raise HTTPException(404)
    v = versions[number - 1]
    facts = s.memo(("facts", number), lambda: _facts(s, v))
    shown = None
    if facts:
        label, src = facts[min(max(fact, 0), len(facts) - 1)]
        texts = s.memo("texts", lambda: {d.name: d.content for d in book.documents()})
        text = texts.get(src.path)
        if text is not None and 0 <= src.start <= src.end <= len(text):
            lines = text[: src.start].count("\n")
            first = text.rfind("\n", 0, max(0, src.start - 1200)) + 1
            last = text.find("\n", min(len(text), src.end + 1200))
            last = len(text) if last < 0 else last
            shown = {
                "path": src.path,
                "line": src.line,
                "column": src.column,
                "before": text[first : src.start],
                "fact": text[src.start : src.end],
                "after": text[src.end : last],
                "first_line": lines + 1 - text[first : src.start].count("\n"),
            }
    data = {
        "corporation": corp,
        "version": _version_json(number - 1, v),
        "articles": [{"number": a.number, "heading": a.heading, "text": a.text} for a in v.articles],
        "facts": [{"label": lbl, "where": src.location()} for lbl, src in facts],
    }
    return Page(
        data, {"shown": shown, "fact": fact, "count": len(versions)}, title=f"Charter version {number}"
    )


@twin(
    router, "/c/{corp}/charter-diff", "charter_diff.html", summary="What changed between two charter versions"
)
def charter_diff(request: Request, corp: str, a: int = 1, b: int = 2) -> Page:
    versions = _served(request).book.charter.versions
    if not (1 <= a <= len(versions) and 1 <= b <= len(versions)):
        raise HTTPException(404)
    va, vb = versions[a - 1], versions[b - 1]
    changes = _served(request).book.charter.diff(a - 1, b - 1)
    arts_a = {x.number: x for x in va.articles}
    arts_b = {x.number: x for x in vb.articles}
    side = [
        {
            "marked": _marked(arts_a[k].text if k in arts_a else "", arts_b[k].text if k in arts_b else ""),
            "number": k,
            "heading": (arts_b.get(k) or arts_a.get(k)).heading,
            "a": arts_a[k].text if k in arts_a else None,
            "b": arts_b[k].text if k in arts_b else None,
            "changed": (arts_a[k].text if k in arts_a else None) != (arts_b[k].text if k in arts_b else None),
        }
        for k in sorted(set(arts_a) | set(arts_b))
    ]
    marked = {r["number"]: r.pop("marked") for r in side}
    data = {
        "corporation": corp,
        "a": _version_json(a - 1, va),
        "b": _version_json(b - 1, vb),
        "changes": [c.to_json() | {"describe": c.describe()} for c in changes],
        "articles": side,
    }
    return Page(data, {"count": len(versions), "marked": marked}, title=f"Charter: version {a} → {b}")


def _marked(a: str, b: str) -> tuple[Markup, Markup]:
    """The two texts word by word, the words taken out of `a` in <del> and those put into `b` in <ins>."""
    wa, wb = a.split(), b.split()
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        x, y = escape(" ".join(wa[i1:i2])), escape(" ".join(wb[j1:j2]))
        if op == "equal":
            left.append(x)
            right.append(y)
        else:
            if x:
                left.append(Markup("<del>") + x + Markup("</del>"))
            if y:
                right.append(Markup("<ins>") + y + Markup("</ins>"))
    return Markup(" ").join(left), Markup(" ").join(right)


# --- the cap table --------------------------------------------------------------------------------------------


def _table(s, day: date):
    def make():
        ct = s.book.cap_table(day)
        totals = ct.holder_totals()
        per: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for r in ct.rows:
            per.setdefault(r.holder_id, {})[r.class_key] = (
                per.get(r.holder_id, {}).get(r.class_key, 0) + r.shares
            )
            names[r.holder_id] = r.holder_name
        order = sorted(totals, key=lambda h: (-totals[h], h))
        return ct, per, names, totals, order

    return s.memo(("table", day), make)


def _diluted(s, day: date):
    return s.memo(("fd", day), lambda: s.book.fully_diluted(day))


@twin(
    router,
    "/c/{corp}/captable",
    "captable.html",
    summary="The cap table on a date, outstanding and fully diluted",
)
def captable(request: Request, corp: str, as_of: str | None = None, page: int = 1) -> Page:
    s = _served(request)
    day = parse_day(as_of) or _today(request)
    return s.memo(("captable_page", corp, day, page), lambda: _captable(s, corp, day, page))


def _captable(s, corp: str, day: date, page: int) -> Page:
    ct, per, names, totals, order = _table(s, day)
    fd = _diluted(s, day)
    classes = [c.class_key for c in ct.by_class if c.outstanding]
    pages = max(1, -(-len(order) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = order[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    out = ct.outstanding
    data = {
        "corporation": corp,
        "as_of": day.isoformat(),
        "outstanding": out,
        "authorized": ct.authorized,
        "classes": ct.classes_json(),
        "holders": [
            {
                "holder": h,
                "name": names[h],
                "shares": {k: per[h].get(k, 0) for k in classes},
                "total": totals[h],
                "percent": str(percent_of(totals[h], out)) if out else None,
            }
            for h in shown
        ],
        "page": page,
        "pages": pages,
        "holder_count": len(order),
        "fully_diluted": {
            "total": fd.total,
            "options": fd.options,
            "rsus": fd.rsus,
            "warrants": fd.warrants,
            "pool_available": fd.pool_available,
            "rows": [
                {
                    "holder": r.holder_id,
                    "name": r.name,
                    "stock": r.stock,
                    "total": r.total,
                    "percent": str(r.percent),
                }
                for r in fd.rows[:PAGE_SIZE]
            ],
        },
    }
    chart = s.memo(("own", day), lambda: charts.ownership([(names[h], totals[h]) for h in order], out))
    return Page(data, {"class_keys": classes, "chart": chart}, title="Cap table", shared=True)


def _download(request: Request, corp: str, as_of: str | None, fmt: str) -> Response:
    need_role(request, corp, "viewer")
    day = parse_day(as_of) or _today(request)
    with request.app.state.library.use(corp) as s:
        ct, per, names, totals, order = _table(s, day)
        classes = [c.class_key for c in ct.by_class if c.outstanding]
        rows = [[h, names[h], *(per[h].get(k, 0) for k in classes), totals[h]] for h in order]
    head = ["holder", "name", *classes, "total"]
    name = f"{corp}-captable-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mime = tables.csv_bytes(head, rows), "text/csv; charset=utf-8"
    else:
        body = tables.xlsx_bytes(f"Cap table {day.isoformat()}", head, rows)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/c/{corp}/captable.csv", tags=["downloads"], summary="The cap table as CSV")
def captable_csv(request: Request, corp: str, as_of: str | None = None) -> Response:
    return _download(request, corp, as_of, "csv")


@router.get("/c/{corp}/captable.xlsx", tags=["downloads"], summary="The cap table as an Excel workbook")
def captable_xlsx(request: Request, corp: str, as_of: str | None = None) -> Response:
    return _download(request, corp, as_of, "xlsx")


# --- a holder, the ledger -------------------------------------------------------------------------------------


def _payload(e) -> dict:
    body = e.body
    d = asdict(body) if is_dataclass(body) else {}
    return {k: v for k, v in d.items() if v not in (None, (), [], {}, "")}


def _summary(e) -> str:
    d = _payload(e)
    keep = [
        f"{k}={v:,}" if isinstance(v, int) and not isinstance(v, bool) else f"{k}={v}" for k, v in d.items()
    ]
    text = ", ".join(x for x in keep if len(x) < 80)
    return text[:240]


def event_json(e) -> dict:
    return {
        "seq": e.seq,
        "type": e.type,
        "effective_on": e.effective_on.isoformat(),
        "bound": e.bound,
        "actor": e.actor,
        "recorded_at": e.recorded_at.isoformat() if e.recorded_at else None,
        "summary": _summary(e),
    }


def _last_recorded(book, holder: str, n: int) -> list:
    mine = [e for e in book.history().events(naming=holder) if _involves(e, holder)]
    return sorted(mine, key=lambda e: e.seq)[-n:]


def _involves(e, holder: str) -> bool:
    b = e.body
    return holder in {getattr(b, k, None) for k in ("holder_id", "from_holder", "to_holder")}


@twin(router, "/c/{corp}/holders/{holder}", "holder.html", summary="A holder: shares, certificates, grants")
def holder(request: Request, corp: str, holder: str, as_of: str | None = None) -> Page:
    s = _served(request)
    book = s.book
    h = book.holders.get(holder)
    if h is None:
        raise HTTPException(404)
    day = parse_day(as_of) or _today(request)
    ct = _table(s, day)[0]
    data = {
        "corporation": corp,
        "holder": holder,
        "name": h.name,
        "kind": h.kind,
        "as_of": day.isoformat(),
        "holdings": [
            {
                "class": r.class_key,
                "series": r.series_key,
                "shares": r.shares,
                "percent_of_class": str(r.percent_of_class),
            }
            for r in ct.rows
            if r.holder_id == holder
        ],
        "certificates": [
            {
                "number": c.number,
                "class": c.class_key,
                "shares": c.shares,
                "issued_on": c.issued_on.isoformat(),
                "status": c.status,
            }
            for c in s.memo(
                "certificates", book.certificates
            )  # the register, read once for every holder's page
            if c.holder_id == holder
        ],
        "grants": [
            {
                "award": p.award.id,
                "kind": p.award.kind,
                "quantity": p.award.quantity,
                "vested": p.vested,
                "outstanding": p.outstanding,
                "granted_on": p.award.granted_on.isoformat(),
            }
            for p in book.awards(day)
            if p.award.holder_id == holder
        ],
        # the holder's events (the last 200 recorded), of those the store finds naming them (`History.events`)
        "events": s.memo(
            ("holder-events", holder), lambda: [event_json(e) for e in _last_recorded(book, holder, 200)]
        ),
    }
    return Page(data, title=h.name)


@twin(router, "/c/{corp}/ledger", "ledger.html", summary="The log: every event recorded, newest first")
def ledger(request: Request, corp: str, page: int = 1) -> Page:
    book = _served(request).book
    n = book.count
    pages = max(1, -(-n // PAGE_SIZE))
    page = min(max(page, 1), pages)
    newest = n - (page - 1) * PAGE_SIZE  # the page's events read from the store, not the whole log
    shown = (
        [e for e, _, _ in book.history().recorded(max(1, newest - PAGE_SIZE + 1), newest)][::-1] if n else []
    )
    data = {"corporation": corp, "events": [event_json(e) for e in shown], "page": page, "pages": pages}
    return Page(data, title="Ledger")


# --- findings, tax --------------------------------------------------------------------------------------------


@twin(
    router,
    "/c/{corp}/findings",
    "findings.html",
    need="counsel",
    summary="Every finding, with citations and cures",
)
def findings(request: Request, corp: str, page: int = 1) -> Page:
    s = _served(request)
    found = s.memo("check", s.book.check)
    order = {"error": 0, "warning": 1, "info": 2}
    ranked = s.memo("findings_ranked", lambda: sorted(found, key=lambda f: order[f.severity.value]))
    pages = max(1, -(-len(ranked) // PAGE_SIZE))  # a book of a million events may have as many findings
    page = min(max(page, 1), pages)
    rows = [finding_json(f) for f in ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    counts = {k: sum(1 for f in found if f.severity.value == k) for k in order}
    data = {
        "corporation": corp,
        "count": len(found),
        "counts": counts,
        "findings": rows,
        "page": page,
        "pages": pages,
    }
    return Page(data, title="Findings")


@twin(router, "/c/{corp}/tax", "tax.html", summary="The Delaware franchise tax for a year, with its trace")
def tax(request: Request, corp: str, year: int | None = None) -> Page:
    from ..tax import franchise_tax

    s = _served(request)
    y = year or _today(request).year - 1
    r = s.memo(("tax", y), lambda: franchise_tax(s.book, y))
    return Page(
        {"corporation": corp, "year": y, **r.to_json()}, {"trace": r.explain()}, title=f"Franchise tax {y}"
    )
