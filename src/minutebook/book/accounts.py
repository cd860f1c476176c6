"""Who may open which book (issue 19): users with argon2id-hashed passwords, one role per user and corporation,
server-side sessions, and the login rate limit. The web app (and `minutebook user`) ask this; the rows are the
store's (`store.accounts`).

Roles, each allowing what the one before does and more: `viewer` reads the book; `counsel` also reads its findings
and draws its documents; `secretary` also records acts; `admin` also gives and takes roles in the corporation.

A session is a random token in the browser's cookie; the database keeps only its SHA-256, the user, a CSRF token
for the forms and when it ends. Signing in makes a new session every time (a token set before sign-in is never
promoted: no session fixation); signing out deletes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..core.errors import InputError, MinutebookError, NotFoundError
from ..store import accounts as rows
from ..store import db

ROLES = ("viewer", "counsel", "secretary", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
SESSION_HOURS = 12
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5  # then 15 minutes' wait for that user name
MAX_FAILURES_PER_CLIENT = 20  # and for one client trying many names

_hasher = PasswordHasher()  # argon2id, RFC 9106's second recommended parameters (argon2-cffi's defaults)


class RateLimited(MinutebookError):
    """Too many failed sign-ins: try again later."""


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # what the cookie holds (known only right after `start_session`)
    user_id: int
    username: str
    csrf: str


def allows(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may."""
    return role is not None and RANK[role] >= RANK[needed]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _username(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise InputError(f"user name {name!r}: 1 to 100 characters, no spaces")
    return name


class Accounts:
    """The accounts of the database behind `engine` (`Accounts.open(url)` opens it)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    @classmethod
    def open(cls, db_url: str | None = None) -> Accounts:
        engine, _ = db.open_engine(db_url)
        return cls(engine)

    # --- users and roles ---------------------------------------------------------------------------------

    def add_user(self, username: str, password: str) -> int:
        username = _username(username)
        if len(password or "") < 8:
            raise InputError("password: at least 8 characters")
        with db.write(self.engine) as conn:
            if rows.user_by_name(conn, username) is not None:
                raise InputError(f"user {username!r} already exists")
            return rows.add_user(conn, username, _hasher.hash(password), _stamp(_now()))

    def set_password(self, username: str, password: str) -> None:
        if len(password or "") < 8:
            raise InputError("password: at least 8 characters")
        with db.write(self.engine) as conn:
            u = self._user(conn, username)
            rows.set_password(conn, u.id, _hasher.hash(password))

    def users(self) -> list[str]:
        with db.read(self.engine) as conn:
            return [r.username for r in rows.all_users(conn)]

    def grant(self, username: str, corp: str, role: str | None) -> None:
        """Give `username` `role` in corporation `corp` (its slug); `None` takes the user's role away."""
        if role is not None and role not in RANK:
            raise InputError(f"role {role!r}: one of {', '.join(ROLES)}")
        with db.write(self.engine) as conn:
            u = self._user(conn, username)
            cid = rows.corporation_id(conn, corp)
            if cid is None:
                raise NotFoundError(f"no corporation {corp!r}")
            rows.set_role(conn, u.id, cid, role)

    def roles(self, user_id: int) -> dict[str, tuple[str, str]]:
        """slug -> (name, role) for each corporation the user has a role in."""
        with db.read(self.engine) as conn:
            return {r.slug: (r.name, r.role) for r in rows.roles_of(conn, user_id)}

    def role(self, user_id: int, corp: str) -> str | None:
        return self.roles(user_id).get(corp, (None, None))[1]

    def members(self, corp: str) -> list[tuple[str, str]]:
        with db.read(self.engine) as conn:
            cid = rows.corporation_id(conn, corp)
            return [] if cid is None else [(r.username, r.role) for r in rows.members(conn, cid)]

    @staticmethod
    def _user(conn, username: str):
        u = rows.user_by_name(conn, username)
        if u is None:
            raise NotFoundError(f"no user {username!r}")
        return u

    # --- signing in and out ------------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, client: str = "") -> Session | None:
        """A new session when the password is right; None when not. `RateLimited` after too many failures for
        the name or from the client in the last 15 minutes (checked before the password, so a right one then
        is refused too)."""
        now = _now()
        name = (username or "").strip()[:100]
        with db.write(self.engine) as conn:
            by_name, by_client = rows.failures_since(conn, name, client, _stamp(now - FAILURE_WINDOW))
            if by_name >= MAX_FAILURES_PER_USER or by_client >= MAX_FAILURES_PER_CLIENT:
                raise RateLimited("too many failed sign-ins: try again in 15 minutes")
            u = rows.user_by_name(conn, name)
            ok = False
            try:
                ok = u is not None and _hasher.verify(u.password_hash, password or "")
            except (VerificationError, InvalidHashError):
                ok = False
            if u is None:  # as slow as a wrong password: no telling which names exist
                with contextlib.suppress(VerificationError):
                    _hasher.verify(_DUMMY, password or "")
            if not ok:
                rows.add_failure(conn, name, client, _stamp(now))
                return None
            rows.clear_failures(conn, name)
            if _hasher.check_needs_rehash(u.password_hash):
                rows.set_password(conn, u.id, _hasher.hash(password))
            rows.end_sessions_before(conn, _stamp(now))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = now + timedelta(hours=SESSION_HOURS)
            rows.add_session(conn, _digest(token), u.id, csrf, _stamp(now), _stamp(expires))
            return Session(token, u.id, u.username, csrf)

    def session(self, token: str | None) -> Session | None:
        """The live session whose cookie holds `token`, or None."""
        found = self.visitor(token)
        return None if found is None else found[0]

    def visitor(self, token: str | None) -> tuple[Session, dict[str, tuple[str, str]], dict[str, int]] | None:
        """The live session whose cookie holds `token`, its user's roles (as `roles`) and the chain head of each
        corporation they have a role in (slug -> number of events, read in the same statement), or None."""
        if not token:
            return None
        with db.single(self.engine) as conn:  # asked on every request: one statement
            found = rows.session_and_roles(conn, _digest(token))
        if not found or found[0].expires_at < _stamp(_now()):
            return None
        s = found[0]
        roles = {r.slug: (r.name, r.role) for r in found if r.slug is not None}
        heads = {r.slug: int(r.head_seq or 0) for r in found if r.slug is not None}
        return Session(token, s.user_id, s.username, s.csrf), roles, heads

    def sign_out(self, token: str | None) -> None:
        if token:
            with db.write(self.engine) as conn:
                rows.end_session(conn, _digest(token))


_DUMMY = _hasher.hash("not a password anyone has")
