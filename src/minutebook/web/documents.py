"""The papers the book draws, in the browser: the documents page (a small form for each kind of paper, and the papers
the book records as drawn) and drawing one.

Drawing is a POST (`/c/{corp}/documents/{kind}.pdf` or `.docx`, with the form's CSRF token, counsel or above): it
fills the paper from the book, renders it and records it — a `DocumentDrawn` event with the file's SHA-256, through
`render.note`, as `minutebook doc render` does, the signed-in user its actor — then answers the very bytes recorded,
as an attachment. There is no GET of a paper: every copy handed out is on record, so a signed copy can be matched
(`doc match`) and proved (`Book.document_proof`, `minutebook proof --document`).

An unknown kind or format answers 404. Bad input — a date that is not one, a field the kind needs left empty, an act
the book does not hold, a paper the book cannot fill — shows the page again with the field named and the values
kept, and writes nothing (422; JSON `{"detail", "field"}` to a client asking for JSON).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ..core.errors import InputError, NotFoundError
from ..core.events import BODY_TYPES
from ..core.replay import HOLDER_TYPES
from ..render import curable, drawn, kinds, note, paper, render
from .access import check_csrf, need_role
from .pages import Page, html, twin
from .views import event_json

router = APIRouter()

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LABELS = {"act": "For", "as_of": "As of"}
GROUPS = {
    "board": "The board",
    "stockholders": "The stockholders",
    "filings": "Filings with Delaware",
    "stock": "Stock",
    "cure": "Cures (§204, §242, §103(f)) — for a finding's id",
    "tax": "Franchise tax",
}
# the events' fields that name something a paper may be drawn for, and what each names
_NAMES = {
    "action_id": "board action",
    "meeting_id": "meeting",
    "consent_id": "written consent",
    "certificate": "certificate",
    "new_certificate": "certificate",
    "balance_certificate": "certificate",
    "holder_id": "holder",
}
SHOWN = 20  # the papers drawn the page lists, newest first (the JSON twin: all of them)
SUGGESTED = (
    1_000  # the ids the page's fields suggest (the JSON twin: all of them); any other may still be typed
)
_LAST = {
    "holder": 1,
    "certificate": 2,
}  # suggested after the acts of the board and the stockholders, and series


class Bad(Exception):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _acts(book) -> dict[str, str]:
    """id -> what it is, for the ids the book holds that a paper may be drawn for: board actions and their
    resolutions, meetings and consents and their matters, series, certificates, holders (those the book added: a
    paper is drawn for no other). Read from the store: the governance acts and the holders' events, and of the stock
    ledger's acts those naming a certificate (a large ledger's others are not read); an id named as two things is
    what the first recorded names."""
    first: dict[str, tuple[int, int, str]] = {}  # id -> (sequence, place in the event, what)
    acts = book.history().events(types=_NAMING, holding=_CERTIFYING, unnamed=_NAMING_ALL)
    for e in acts:
        b, seq = e.body, e.seq or 0
        named: list[tuple[str, str]] = []
        for attr, what in _NAMES.items():
            v = getattr(b, attr, None)
            if isinstance(v, str) and v:
                named.append((v, what))
        if e.type == "SeriesDesignated":
            named.append((b.series_key, "series"))
        for attr, what in (("resolutions", "resolution"), ("matters", "matter")):
            for r in getattr(b, attr, ()) or ():
                if isinstance(r, dict) and isinstance(r.get("id"), str):
                    named.append((r["id"], what))
        for place, (v, what) in enumerate(named):
            if v not in first or first[v][:2] > (seq, place):
                first[v] = (seq, place, what)
    return {v: what for v, (_, _, what) in sorted(first.items())}


_CERTIFYING = tuple(k for k, what in _NAMES.items() if what == "certificate")


def _names_of(cls) -> set[str]:
    return {f.name for f in fields(cls)} & {*_NAMES, "resolutions", "matters"}


# the event types whose bodies name an id `_acts` lists: those naming a holder only are read for the holders the book
# adds (their own events); those that can name a certificate, only when they do; the rest (the governance acts), all
_NAMING = sorted(
    name
    for name, cls in BODY_TYPES.items()
    if name in HOLDER_TYPES or name == "SeriesDesignated" or _names_of(cls) - {"holder_id"}
)
_NAMING_ALL = tuple(n for n in _NAMING if not _names_of(BODY_TYPES[n]) & set(_CERTIFYING))


def _drawn_json(e) -> dict:
    d = e.body
    return {
        **event_json(e),
        "kind": d.kind,
        "act": d.act,
        "as_of": d.as_of.isoformat() if d.as_of else None,
        "format": d.format,
        "name": d.name,
        "sha256": d.sha256,
    }


def _page(s, corp: str) -> Page:
    book = s.book
    ks = kinds()
    done = s.memo("drawn", lambda: [_drawn_json(e) for e in reversed(drawn(book))])
    acts = s.memo("acts", lambda: _acts(book))
    # of the findings the dashboard and the findings page show (one check of the book, kept until the log moves)
    cures = s.memo("curable", lambda: [(f.id, f.code) for f, _ in curable(book, s.memo("check", book.check))])
    data = {
        "corporation": corp,
        "kinds": [
            {
                "kind": k.name,
                "title": k.title,
                "group": k.group,
                "for": k.target,
                "needs": k.needs,
                "formats": list(MIME),
                "draw": f"/c/{corp}/documents/{k.name}.{{format}}",
            }
            for k in ks
        ],
        "drawn": done,
        "acts": [{"id": a, "what": w} for a, w in acts.items()],
        "findings": [{"id": i, "code": c} for i, c in cures],
    }
    groups = [(title, [k for k in data["kinds"] if k["group"] == g]) for g, title in GROUPS.items()]
    groups.append(("Other", [k for k in data["kinds"] if k["group"] not in GROUPS]))
    extra = {
        "groups": [(t, g) for t, g in groups if g],
        "hints": {k.name: _words(k.target) for k in ks},
        "shown": SHOWN,
        # a large book holds hundreds of thousands of certificates: the page suggests the acts first, then holders
        "suggested": [
            {"id": a, "what": w} for a, w in sorted(acts.items(), key=lambda x: (_LAST.get(x[1], 0), x[0]))
        ][:SUGGESTED],
        "suggested_findings": data["findings"][:SUGGESTED],
        "values": {},
        "failed": None,
    }
    return Page(data, extra, title="Documents")


@twin(
    router,
    "/c/{corp}/documents",
    "documents.html",
    need="counsel",
    summary="The papers the book can draw, and those it records as drawn (newest first)",
)
def documents(request: Request, corp: str) -> Page:
    return _page(request.state.served, corp)


# --- drawing a paper ------------------------------------------------------------------------------------------


def _words(message: str) -> str:
    """A message of `render` in the page's words: its command-line options are the form's fields."""
    return message.replace("--for", "“For”").replace("--as-of", "“As of”")


def _without(kind: str, message: str) -> str:
    """A message of `render` without the kind's name it may open with (the form is the kind's)."""
    return message[len(kind) + 2 :] if message.startswith(kind + ": ") else message


def _checked(k, act: str, as_of: str) -> date | None:
    """The as-of date, once the fields the kind needs are there (`Bad` naming the field, else)."""
    if len(act) > 200 or any(ord(ch) < 32 for ch in act):
        raise Bad("act", f"For: an id such as M-1999, R-1,R-2 or event 12, not {act[:40]!r}")
    day = None
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise Bad("as_of", f"As of: a date YYYY-MM-DD, not {as_of[:40]!r}") from None
    if k.needs == "act" and not act:
        raise Bad("act", f"For: required — {k.title} is drawn for {_words(k.target)}")
    if k.needs == "date" and day is None:
        raise Bad("as_of", f"As of: required — the date the {k.title.lower()} speaks as of")
    if k.needs == "either" and not act and day is None:
        raise Bad("act", f"For: give it, or a date under “As of” — {_words(k.target)}")
    return day


def _field_of(message: str, act: str, day: date | None) -> str | None:
    """Which field an error of `render` is about: the one whose value it quotes, else the one given."""
    if act and (repr(act) in message or "--for" in message):
        return "act"
    if day is not None and (day.isoformat() in message or "--as-of" in message):
        return "as_of"
    return "act" if act else ("as_of" if day else None)


async def _refused(request: Request, corp: str, kind: str, values: dict, field: str | None, message: str):
    """The documents page again, `message` at the kind's form, its values kept: nothing was written (422)."""
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"detail": message, "field": field}, status_code=422)

    def build() -> Page:
        with request.app.state.library.use(corp) as s:
            return _page(s, corp)

    page = await run_in_threadpool(build)
    context = {"title": page.title, **page.data, **page.extra, "data": page.data}
    context.update(failed=kind, values=values, field=field, error=message)
    return html(request, "documents.html", context, status=422)


@router.post(
    "/c/{corp}/documents/{kind}.{fmt}",
    tags=["downloads"],
    summary="Draw a paper: filled from the book, recorded as drawn (its SHA-256), answered as a file",
    response_class=Response,
    responses={
        200: {
            "content": {m: {} for m in MIME.values()},
            "description": "The paper, as an attachment: exactly the bytes whose SHA-256 the book recorded "
            "(headers X-Minutebook-Event: the event's seq, X-Minutebook-SHA256)",
        },
        422: {"description": "Bad input (the field named): nothing was written"},
    },
)
async def draw(
    request: Request,
    corp: str,
    kind: str,
    fmt: str,
    act: str | None = Form(None, description="What it is drawn for (see `for` of the kind)"),
    as_of: str | None = Form(None, description="The date it speaks as of, YYYY-MM-DD"),
    csrf: str | None = Form(None, description="The session's CSRF token (or the X-CSRF-Token header)"),
):
    v = need_role(request, corp, "counsel")
    await check_csrf(request)  # `csrf` above only documents the field: the token may come as a header instead
    k = next((x for x in kinds() if x.name == kind), None)
    if k is None or fmt not in MIME:
        raise HTTPException(404)
    values = {"act": (act or "").strip(), "as_of": (as_of or "").strip()}
    on = request.app.state.today()
    lib = request.app.state.library

    def run():
        day = _checked(k, values["act"], values["as_of"])
        with lib.use(corp) as s:
            try:
                p = paper(s.book, k.name, values["act"] or None, day)
            except (InputError, NotFoundError) as e:
                said = _words(_without(k.name, str(e)))
                field = _field_of(str(e), values["act"], day)
                raise Bad(field, f"{LABELS[field]}: {said}" if field else said) from None
            try:
                r = render(p, fmt)
            except InputError as e:  # PDF without WeasyPrint's libraries: no field of the form's
                raise Bad(None, str(e)) from None
            done = note(s.book, r, on=on, actor=v.username)
            if done.refused:
                why = "; ".join(f"{f.code}: {f.message}" for f in done.errors or done.findings)
                raise Bad(None, f"the book refused to record the paper ({why})")
            return r, done.event

    try:
        r, event = await run_in_threadpool(run)
    except Bad as b:
        return await _refused(request, corp, k.name, values, b.field, b.message)
    return Response(
        r.data,
        media_type=MIME[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{r.name}"',
            "Cache-Control": "no-store",
            "X-Minutebook-Event": str(event.seq),
            "X-Minutebook-SHA256": r.sha256,
        },
    )
