"""The application: `create_app(db_url)` — the books of one database (`book.served.Library`), the routes of
`views`, `documents`, `forms` and `members`, the vendored static files, and the answers to errors (a page for
people, JSON for the `.json` routes; 404 for anything unknown or not theirs, without telling which; 503 when the
database server fails under a request)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..book.served import Library, server_failure
from . import documents, forms, members, views
from .access import SignInNeeded
from .pages import html, html_unsigned

STATIC = Path(__file__).parent / "static"
HTMX = "htmx-2.0.8.min.js"  # htmx.org 2.0.8 from the npm registry, as published (dist/htmx.min.js)


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def create_app(
    db_url: str | None = None, *, secure_cookies: bool = True, today: Callable[[], date] = date.today
) -> FastAPI:
    """The web app over the database `db_url`; `today` gives the date pages open on (tests fix it)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.library.close()  # the books' connections, when the server stops

    app = FastAPI(
        lifespan=lifespan,
        title="minutebook",
        summary="A corporation's minute book: the JSON API of the web app",
        description="Every page of the web app has a JSON twin at the same path ending in `.json`; "
        "sign in at /login first (the session cookie carries your roles).",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.library = Library(db_url)
    app.state.secure = secure_cookies
    app.state.today = today
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for r in (members.router, forms.router, views.router, documents.router):
        app.router.routes.extend(r.routes)  # flat: the authorization matrix test enumerates `app.routes`

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, _exc):
        if _wants_json(request):
            return JSONResponse({"detail": "sign in first"}, status_code=401)
        return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = "Not found" if exc.status_code == 404 else str(exc.detail)
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        return html(
            request,
            "error.html",
            {"title": f"{exc.status_code}", "status": exc.status_code, "detail": detail},
            status=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        where = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if _wants_json(request):
            return JSONResponse({"detail": where}, status_code=422)
        return html(request, "error.html", {"title": "422", "status": 422, "detail": where}, status=422)

    @app.exception_handler(Exception)
    async def _failed(request: Request, exc: Exception):
        said = server_failure(exc)
        if said is None:  # a bug: the default answer (the server logs the traceback in either case)
            return PlainTextResponse("Internal Server Error", status_code=500)
        detail = (
            f"The database failed before this request was done ({said}). Try again in a moment; an act it was "
            "recording is in the book only if the book's log lists it."
        )
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=503)
        page = {"title": "503", "status": 503, "detail": detail}
        try:
            return html(request, "error.html", page, status=503)
        except Exception:  # noqa: BLE001 - the page's own read of the visitor failed too: the page without it
            return html_unsigned(request, "error.html", page, status=503)

    app.state.htmx = HTMX
    return app


def from_environment() -> FastAPI:
    """The app `minutebook serve` runs: the database of $MINUTEBOOK_DB (else minutebook.db), Secure cookies unless
    $MINUTEBOOK_INSECURE_COOKIES is set."""
    import os

    return create_app(None, secure_cookies=not os.environ.get("MINUTEBOOK_INSECURE_COOKIES"))
