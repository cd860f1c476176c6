"""The forms that record acts: an issuance, a transfer, a board consent, a meeting and its vote, an amendment —
each through the book's one append path (`Book.issue`, `transfer`, `board_act`, `call_meeting` … `hold_meeting`,
`file_amendment`, as the command line calls them), with the signed-in user as the event's actor.

Bad input names the field and keeps every value typed, and nothing is written (422). An act the book refuses shows
its findings inline, with their citations, and nothing is written (422): several acts recorded together (a new
holder and the issuance; the meeting's call, notice, list and vote) are one `Book.atomic()` block.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from ..book import Refused
from ..book.served import server_failure
from ..core.errors import InputError, NotFoundError
from .access import check_csrf, need_role
from .pages import html
from .views import event_json, finding_json

router = APIRouter()
_log = logging.getLogger(__name__)

RESOLUTION_KINDS = (
    "general",
    "issue_shares",
    "amend_charter",
    "call_meeting",
    "elect_officers",
    "ratify",
    "adopt_plan",
)
MATTER_KINDS = ("amend_charter", "elect_directors", "ordinary", "asset_sale")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class Bad(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | id | ids | shares | money | date | select | textarea | map
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""


def _parse(f: Field, raw: str):
    raw = (raw or "").strip()
    if not raw:
        if f.required:
            raise Bad(f.name, f"{f.label}: required")
        return None
    if f.kind == "shares":
        t = raw.replace(",", "").replace("_", "")
        if not t.isdigit() or int(t) <= 0:
            raise Bad(f.name, f"{f.label}: a whole number of shares above 0, not {raw!r}")
        return int(t)
    if f.kind == "money":
        try:
            v = Decimal(raw.replace(",", "").lstrip("$"))
        except InvalidOperation:
            v = None
        if v is None or not v.is_finite() or v < 0:
            raise Bad(f.name, f"{f.label}: an amount in dollars such as 0.001, not {raw!r}")
        return v
    if f.kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Bad(f.name, f"{f.label}: a date YYYY-MM-DD, not {raw!r}") from None
    if f.kind == "id":
        if not _ID.fullmatch(raw):
            raise Bad(f.name, f"{f.label}: letters, digits, '-', '_' or '.', not {raw!r}")
        return raw
    if f.kind == "ids":
        ids = tuple(x.strip() for x in raw.split(",") if x.strip())
        bad = [x for x in ids if not _ID.fullmatch(x)]
        if bad:
            raise Bad(f.name, f"{f.label}: {bad[0]!r} is not an id")
        return ids
    if f.kind == "select":
        if raw not in f.choices:
            raise Bad(f.name, f"{f.label}: one of {', '.join(f.choices)}, not {raw!r}")
        return raw
    if f.kind == "map":  # class=shares, one a line or comma-separated
        out = {}
        for part in re.split(r"[\n;]+|,(?!\d{3})", raw):
            if not part.strip():
                continue
            k, eq, v = part.partition("=")
            t = v.strip().replace(",", "")
            if not eq or not _ID.fullmatch(k.strip()) or not t.isdigit():
                raise Bad(f.name, f"{f.label}: {part.strip()!r} is not CLASS=SHARES")
            out[k.strip()] = int(t)
        return out
    return raw


# --- the acts -------------------------------------------------------------------------------------------------


def _holder(book, v, actor, holder: str, name: str, label: str) -> None:
    """Add the form's holder (field `holder`) when the book does not know it yet, named by field `name`."""
    if v[holder] in book.holders:
        return
    if not v[name]:
        raise Bad(name, f"{label}: {v[holder]!r} is a new holder; give the name")
    r = book.add_holder(v[holder], v[name], on=v["on"], actor=actor)
    if r.refused:
        raise Refused(r)


def _issue(book, v, actor):
    with book.atomic():
        _holder(book, v, actor, "holder", "holder_name", "Holder's name")
        r = book.issue(
            v["holder"],
            v["class_key"],
            v["shares"],
            on=v["on"],
            price_per_share=v["price"],
            certificate=v["certificate"],
            approved_by=v["approved_by"],
            actor=actor,
        )
        if r.refused:
            raise Refused(r)
    return [r]


def _transfer(book, v, actor):
    with book.atomic():
        _holder(book, v, actor, "to_holder", "to_name", "New holder's name")
        r = book.transfer(
            v["from_holder"],
            v["to_holder"],
            v["class_key"],
            v["shares"],
            on=v["on"],
            price_per_share=v["price"],
            approved_by=v["approved_by"],
            actor=actor,
        )
        if r.refused:
            raise Refused(r)
    return [r]


def _params(text: str | None, name: str) -> dict:
    out: dict = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        k, eq, val = line.partition("=")
        if not eq or not _ID.fullmatch(k.strip()):
            raise Bad(name, f"Parameters: {line.strip()!r} is not key=value")
        t = val.strip()
        if "=" in t:  # a map: authorized=common=200,000,000, preferred=25,000,000
            sub = {}
            for part in re.split(r",\s*(?=[A-Za-z_][\w.-]*\s*=)", t):
                sk, _, sv = part.partition("=")
                sub[sk.strip()] = _scalar(sv.strip())
            out[k.strip()] = sub
        else:
            out[k.strip()] = _scalar(t)
    return out


def _scalar(t: str):
    """A whole number (commas allowed) as an int; anything else (a price such as 0.001) as typed."""
    return int(t.replace(",", "")) if t.replace(",", "").isdigit() else t


def _consent(book, v, actor):
    res = [
        {
            "id": v["resolution"],
            "kind": v["kind"],
            "text": v["text"] or "",
            "params": _params(v["params"], "params"),
        }
    ]
    if v["resolution2"]:
        res.append(
            {
                "id": v["resolution2"],
                "kind": v["kind2"] or "general",
                "text": v["text2"] or "",
                "params": _params(v["params2"], "params2"),
            }
        )
    elif v["text2"] or v["params2"]:
        raise Bad(
            "resolution2", "Second resolution id: give it an id, or leave its text and parameters empty"
        )
    r = book.board_act(
        v["action_id"], on=v["on"], form="consent", present=v["signed_by"], resolutions=res, actor=actor
    )
    if r.refused:
        raise Refused(r)
    return [r]


def _meeting(book, v, actor):
    matter = {"id": v["matter"], "kind": v["matter_kind"], "text": v["matter_text"] or ""}
    if v["resolution"]:
        matter["params"] = {"resolution": v["resolution"]}
    done = []
    with book.atomic():
        for act in (
            lambda: book.call_meeting(
                v["meeting_id"],
                on=v["called_on"],
                kind=v["meeting_kind"],
                meeting_on=v["meeting_on"],
                record_date=v["record_date"],
                called_by=v["called_by"],
                matters=[matter],
                actor=actor,
            ),
            lambda: book.send_notice(v["meeting_id"], on=v["notice_on"], actor=actor),
            lambda: book.prepare_stockholder_list(v["meeting_id"], on=v["notice_on"], actor=actor),
            lambda: book.hold_meeting(
                v["meeting_id"],
                on=v["meeting_on"],
                present=v["present"],
                votes=[{"matter": v["matter"], "for": list(v["for"]), "against": list(v["against"] or ())}],
                actor=actor,
            ),
        ):
            r = act()
            if r.refused:
                raise Refused(r)
            done.append(r)
    return done


def _amend(book, v, actor):
    r = book.file_amendment(on=v["on"], approved_by=v["approved_by"], authorized=v["authorized"], actor=actor)
    if r.refused:
        raise Refused(r)
    return [r]


FORMS = {
    "issue": (
        "Record an issuance",
        _issue,
        (
            Field("holder", "Holder id", "id", hint="an existing holder, or a new one (then give the name)"),
            Field("holder_name", "Holder's name (a new holder)", required=False),
            Field("class_key", "Class", "id", hint="common, preferred …"),
            Field("shares", "Shares", "shares"),
            Field("price", "Price per share ($)", "money"),
            Field("on", "Effective on", "date"),
            Field("certificate", "Certificate number", "id", required=False),
            Field("approved_by", "Approved by (board resolution id)", "id", required=False),
        ),
    ),
    "transfer": (
        "Record a transfer",
        _transfer,
        (
            Field("from_holder", "From holder", "id"),
            Field("to_holder", "To holder", "id"),
            Field("to_name", "New holder's name (a new holder)", required=False),
            Field("class_key", "Class", "id"),
            Field("shares", "Shares", "shares"),
            Field("on", "Effective on", "date"),
            Field("price", "Price per share ($)", "money", required=False),
            Field("approved_by", "Approved by", "id", required=False),
        ),
    ),
    "board-consent": (
        "Record a board consent (§141(f))",
        _consent,
        (
            Field("action_id", "Consent id", "id", hint="e.g. UC-2026-1"),
            Field("on", "Date of the last signature", "date"),
            Field("signed_by", "Signed by (every director in office)", "ids", hint="eugene, jane, john"),
            Field("resolution", "Resolution id", "id"),
            Field("kind", "Kind", "select", choices=RESOLUTION_KINDS),
            Field("text", "Text", "textarea", required=False),
            Field(
                "params",
                "Parameters (key=value, one a line)",
                "textarea",
                required=False,
                hint="class_key=common\nmax_shares=1,000,000",
            ),
            Field("resolution2", "Second resolution id", "id", required=False),
            Field("kind2", "Its kind", "select", required=False, choices=("", *RESOLUTION_KINDS)),
            Field("text2", "Its text", "textarea", required=False),
            Field("params2", "Its parameters (key=value, one a line)", "textarea", required=False),
        ),
    ),
    "meeting": (
        "Record a stockholders' meeting and its vote",
        _meeting,
        (
            Field("meeting_id", "Meeting id", "id"),
            Field("meeting_kind", "Kind", "select", choices=("special", "annual")),
            Field("called_on", "Called on", "date"),
            Field("called_by", "Called by (board resolution id)", "id", required=False),
            Field("record_date", "Record date", "date"),
            Field("notice_on", "Notice sent and list prepared on", "date"),
            Field("meeting_on", "Held on", "date"),
            Field("matter", "Matter id", "id"),
            Field("matter_kind", "Matter kind", "select", choices=MATTER_KINDS),
            Field("matter_text", "Matter", "textarea", required=False),
            Field("resolution", "Board resolution the matter approves", "id", required=False),
            Field("present", "Stockholders present", "ids"),
            Field("for", "Voting for", "ids"),
            Field("against", "Voting against", "ids", required=False),
        ),
    ),
    "amendment": (
        "File a certificate of amendment (§242)",
        _amend,
        (
            Field("on", "Filed on", "date"),
            Field("approved_by", "Approved by (resolution and matter ids)", "ids", hint="R-1, M-1"),
            Field(
                "authorized", "Authorized shares by class", "map", required=False, hint="common=200,000,000"
            ),
        ),
    ),
}


def _form_page(request, corp, name, values, errors, findings=(), done=(), status=200, general=""):
    title, _, fields = FORMS[name]
    template = "form_body.html" if request.headers.get("hx-request") else "form.html"
    return html(
        request,
        template,
        {
            "title": title,
            "form": name,
            "fields": fields,
            "values": values,
            "errors": errors,
            "findings": findings,
            "done": done,
            "general": general,
        },
        status=status,
    )


def _register(name: str) -> None:
    title, act, fields = FORMS[name]
    path = f"/c/{{corp}}/record/{name}"

    def show(request: Request, corp: str):
        need_role(request, corp, "secretary")
        return _form_page(request, corp, name, {}, {})

    async def submit(request: Request, corp: str):
        v = need_role(request, corp, "secretary")
        await check_csrf(request)
        form = await request.form()
        raw = {f.name: str(form.get(f.name) or "") for f in fields}
        values, errors = {}, {}
        for f in fields:
            try:
                values[f.name] = _parse(f, raw[f.name])
            except Bad as b:
                errors[b.field] = b.message
        if errors:
            return _form_page(request, corp, name, raw, errors, status=422)
        lib = request.app.state.library

        def run():
            with lib.use(corp) as s:
                return act(s.book, values, v.username)

        try:
            results = await run_in_threadpool(run)
        except Bad as b:
            return _form_page(request, corp, name, raw, {b.field: b.message}, status=422)
        except Refused as r:
            found = [finding_json(f) for f in r.result.findings]
            return _form_page(request, corp, name, raw, {}, findings=found, status=422)
        except (InputError, NotFoundError) as e:
            return _form_page(request, corp, name, raw, {}, general=str(e), status=422)
        except Exception as e:
            said = server_failure(e)
            if said is None:
                raise
            _log.warning("the database failed under %s: %s", request.url.path, said)
            general = f"the database failed ({said}); see the ledger before recording it again"
            return _form_page(request, corp, name, raw, {}, general=general, status=503)
        done = [event_json(x) for r in results for x in (r.event, *r.more)]
        warn = [finding_json(f) for r in results for f in r.findings]
        return _form_page(request, corp, name, {}, {}, findings=warn, done=done)

    show.__name__ = submit.__name__ = f"record_{name.replace('-', '_')}"
    router.add_api_route(path, show, methods=["GET"], include_in_schema=False, name=f"{show.__name__}_form")
    router.add_api_route(path, submit, methods=["POST"], include_in_schema=False, name=show.__name__)


for _name in FORMS:
    _register(_name)


@router.get("/c/{corp}/record", include_in_schema=False, name="record_index")
def record_index(request: Request, corp: str):
    need_role(request, corp, "secretary")
    return html(
        request, "record.html", {"title": "Record an act", "forms": [(k, v[0]) for k, v in FORMS.items()]}
    )
