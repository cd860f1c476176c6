"""Twin routes: each read page is one function answering data, registered twice — `/path` renders it with its
template (HTML, left out of the OpenAPI document) and `/path.json` returns the data (listed under "json").

    @twin(router, "/c/{corp}/captable", "captable.html", need="viewer")
    def captable(request: Request, corp: str, as_of: str | None = None) -> Page: ...

The function runs with the corporation's book caught up and held (`request.state.served`), after the visitor's
role in `corp` was checked (`access.need_role`).
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ..core.errors import InputError, NotFoundError
from .access import need_role, visitor

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def n(value) -> str:
    return "—" if value is None else f"{value:,}"


TEMPLATES.env.filters["n"] = n


@dataclass
class Page:
    """What a page answers: `data` (the JSON twin, whole) and `extra` (only the HTML page needs it)."""

    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    # the page's own part (the template's `main` block), rendered once and kept with the page, when the view keeps the
    # page in the book's memo and its `main` block names nothing of the visitor (role, session, CSRF token)
    shared: bool = False
    rendered: dict[str, Any] = field(default_factory=dict)  # template -> Markup


def jsonable(v):
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (date, Decimal)):
        return str(v)
    return v


def html(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    v = visitor(request)
    corp = request.path_params.get("corp")
    ctx = {
        "request": request,
        "visitor": v,
        "corp": corp,
        "corp_name": v.roles.get(corp, ("", ""))[0] if v and corp else "",
        "role": v.role(corp) if v and corp else None,
        "csrf": v.session.csrf if v else "",
        **context,
    }
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)


def html_unsigned(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    """`html` without the visitor, whose session it would read from the database: the answer to the database
    failing under a request, when that read fails too."""
    ctx = {
        "request": request,
        "visitor": None,
        "corp": None,
        "corp_name": "",
        "role": None,
        "csrf": "",
        **context,
    }
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)


SHELL = "shell.html"  # base.html around a `main` block rendered before


def _main_block(template: str, context: dict) -> Markup:
    """The `main` block of `template` rendered with `context` alone (no visitor)."""
    t = TEMPLATES.get_template(template)
    return Markup("".join(t.blocks["main"](t.new_context(context))))


def parse_day(value: str | None, name: str = "as_of") -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def twin(router: APIRouter, path: str, template: str, need: str = "viewer", summary: str = ""):
    def deco(fn):
        sig = inspect.signature(fn)

        def run(request: Request, kwargs) -> Page:
            corp = kwargs.get("corp")
            lib = request.app.state.library
            if corp is not None:
                v = need_role(request, corp, need)
                try:
                    with lib.use(corp, v.heads.get(corp)) as s:  # the head read with the session
                        request.state.served = s
                        return fn(**kwargs)
                except NotFoundError as e:
                    raise HTTPException(404, str(e)) from None
                except InputError as e:
                    raise HTTPException(422, str(e)) from None
            return fn(**kwargs)

        @functools.wraps(fn)
        def as_html(**kwargs):
            request = kwargs["request"]
            page = run(request, kwargs)
            context = {"title": page.title, **page.data, **page.extra, "data": page.data}
            if not page.shared:
                return html(request, template, context)
            main = page.rendered.get(template)
            if main is None:
                main = page.rendered[template] = _main_block(
                    template, {"corp": kwargs.get("corp"), **context}
                )
            return html(request, SHELL, {"title": page.title, "main": main})

        @functools.wraps(fn)
        def as_json(**kwargs):
            page = run(kwargs["request"], kwargs)
            return JSONResponse(jsonable(page.data))

        as_html.__signature__ = as_json.__signature__ = sig
        # the twin first: "/c/{corp}" would also match "/c/x.json"
        router.add_api_route(
            "/index.json" if path == "/" else path + ".json",
            as_json,
            methods=["GET"],
            tags=["json"],
            summary=summary or (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else summary,
            name=fn.__name__ + "_json",
        )
        router.add_api_route(
            path,
            as_html,
            methods=["GET"],
            include_in_schema=False,
            response_class=HTMLResponse,
            name=fn.__name__,
        )
        return fn

    return deco
