"""Who is asking and what they may see: the session from its cookie, the CSRF token every form and HTMX request
carries, and the role a user has in the corporation named in the path.

A corporation the user has no role in answers 404, exactly as one that does not exist (no telling which exist);
a role too low for the page answers 403; nobody signed in is sent to the sign-in page (a JSON route: 401).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request

from ..book.accounts import Session, allows

COOKIE = "mb_session"
LOGIN_CSRF_COOKIE = "mb_login_csrf"


class SignInNeeded(Exception):
    """Nobody is signed in (answered by a redirect to /login, or 401 on a JSON route)."""


@dataclass(frozen=True, slots=True)
class Visitor:
    session: Session
    roles: dict[str, tuple[str, str]]  # slug -> (name, role)
    heads: dict[str, int]  # slug -> its chain head when the session was read (this request's start)

    @property
    def username(self) -> str:
        return self.session.username

    def role(self, corp: str) -> str | None:
        return self.roles.get(corp, (None, None))[1]


def visitor(request: Request) -> Visitor | None:
    """The signed-in user of this request (looked up once per request), or None."""
    if hasattr(request.state, "visitor"):
        return request.state.visitor
    lib = request.app.state.library
    found = lib.accounts.visitor(request.cookies.get(COOKIE))
    v = None if found is None else Visitor(*found)
    request.state.visitor = v
    return v


def need_user(request: Request) -> Visitor:
    v = visitor(request)
    if v is None:
        raise SignInNeeded()
    return v


def need_role(request: Request, corp: str, needed: str) -> Visitor:
    """The visitor, when their role in `corp` allows `needed`: else sign-in, 404 (no role) or 403 (too low)."""
    v = need_user(request)
    role = v.role(corp)
    if role is None:
        raise HTTPException(404)
    if not allows(role, needed):
        raise HTTPException(403, f"your role in this corporation ({role}) does not allow this")
    return v


async def check_csrf(request: Request) -> None:
    """A state-changing request must carry the session's CSRF token (form field `csrf` or header X-CSRF-Token)."""
    v = visitor(request)
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        sent = form.get("csrf")
    if v is None or not isinstance(sent, str) or not secrets.compare_digest(sent, v.session.csrf):
        raise HTTPException(
            403, "the form's security token is missing or wrong: reload the page and try again"
        )
