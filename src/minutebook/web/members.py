"""Signing in and out, and who has which role in a corporation (its admins give and take roles).

Sign-in: the form carries a CSRF token bound to a short-lived cookie (there is no session yet); a right password
starts a new session (never the one the browser came with: no session fixation) in a cookie that is Secure,
HttpOnly and SameSite=Lax; too many failures answer 429 (`book.accounts.RateLimited`). Sign-out deletes the
session on the server, so the old cookie opens nothing.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ..book.accounts import ROLES, RateLimited
from ..core.errors import InputError, NotFoundError
from .access import COOKIE, LOGIN_CSRF_COOKIE, check_csrf, need_role, visitor
from .pages import Page, html, twin

router = APIRouter()


def _safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never //host or /\\host, which browsers read as
    another site)."""
    ok = value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\n" not in value
    return value if ok else "/"


def _login_page(request: Request, message: str = "", status: int = 200, username: str = ""):
    token = secrets.token_urlsafe(24)
    resp = html(
        request,
        "login.html",
        {
            "title": "Sign in",
            "login_csrf": token,
            "message": message,
            "next": _safe_next(request.query_params.get("next")),
            "username": username,
        },
        status=status,
    )
    resp.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, secure=request.app.state.secure, httponly=True, samesite="lax"
    )
    return resp


@router.get("/login", include_in_schema=False, name="login_form")
def login_form(request: Request):
    return _login_page(request)


@router.post("/login", include_in_schema=False, name="login")
async def login(request: Request):
    form = await request.form()
    sent, kept = str(form.get("csrf") or ""), request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    username = str(form.get("username") or "")
    if not sent or not kept or not secrets.compare_digest(sent, kept):
        return _login_page(
            request, "The form's security token is missing or wrong: try again.", 403, username
        )
    lib = request.app.state.library
    client = request.client.host if request.client else ""
    try:
        s = await run_in_threadpool(lib.accounts.sign_in, username, str(form.get("password") or ""), client)
    except RateLimited as e:
        return _login_page(request, str(e).capitalize() + ".", 429, username)
    if s is None:
        return _login_page(request, "Wrong user name or password.", 401, username)
    old = request.cookies.get(COOKIE)
    if old:
        await run_in_threadpool(lib.accounts.sign_out, old)  # whatever session the browser came with ends
    resp = RedirectResponse(_safe_next(str(form.get("next") or "/")), status_code=303)
    resp.set_cookie(COOKIE, s.token, secure=request.app.state.secure, httponly=True, samesite="lax", path="/")
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout", include_in_schema=False, name="logout")
async def logout(request: Request):
    await check_csrf(request)
    await run_in_threadpool(request.app.state.library.accounts.sign_out, request.cookies.get(COOKIE))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/", secure=request.app.state.secure, httponly=True, samesite="lax")
    return resp


@twin(
    router, "/c/{corp}/members", "members.html", need="admin", summary="Who has which role in the corporation"
)
def members(request: Request, corp: str) -> Page:
    lib = request.app.state.library
    rows = [{"user": u, "role": r} for u, r in lib.accounts.members(corp)]
    return Page({"corporation": corp, "members": rows}, {"roles": ROLES}, title="Members")


@router.post("/c/{corp}/members", include_in_schema=False, name="grant")
async def grant(request: Request, corp: str):
    need_role(request, corp, "admin")
    await check_csrf(request)
    form = await request.form()
    user, role = str(form.get("user") or "").strip(), str(form.get("role") or "")
    lib = request.app.state.library
    error = ""
    try:
        await run_in_threadpool(lib.accounts.grant, user, corp, None if role == "none" else role)
    except (InputError, NotFoundError) as e:
        error = str(e)
    if error:
        rows = [{"user": u, "role": r} for u, r in lib.accounts.members(corp)]
        return html(
            request,
            "members.html",
            {"title": "Members", "members": rows, "roles": ROLES, "error": error, "user": user},
            status=422,
        )
    return RedirectResponse(f"/c/{quote(corp)}/members", status_code=303)


def signed_in(request: Request) -> bool:
    return visitor(request) is not None
