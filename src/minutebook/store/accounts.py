"""The web app's accounts in SQL (issue 19): users, their role in each corporation, server-side sessions and failed
sign-ins (`schema.users`, `user_roles`, `web_sessions`, `login_failures`). Plain rows in and out: hashing passwords,
making tokens and deciding who may do what are the book's (`book.accounts`)."""

from __future__ import annotations

import sqlalchemy as sa

from .schema import corporations, login_failures, user_roles, users, web_sessions


def add_user(conn: sa.Connection, username: str, password_hash: str, at: str) -> int:
    return conn.execute(
        users.insert().values(username=username, password_hash=password_hash, created_at=at)
    ).inserted_primary_key[0]


def set_password(conn: sa.Connection, user_id: int, password_hash: str) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))


def user_by_name(conn: sa.Connection, username: str):
    return conn.execute(sa.select(users).where(users.c.username == username)).first()


def user_by_id(conn: sa.Connection, user_id: int):
    return conn.execute(sa.select(users).where(users.c.id == user_id)).first()


def all_users(conn: sa.Connection) -> list:
    return list(conn.execute(sa.select(users.c.id, users.c.username).order_by(users.c.username)))


def corporation_id(conn: sa.Connection, slug: str) -> int | None:
    return conn.execute(sa.select(corporations.c.id).where(corporations.c.slug == slug)).scalar()


def set_role(conn: sa.Connection, user_id: int, corp_id: int, role: str | None) -> None:
    """Give `user_id` `role` in `corp_id` (replacing any other); `role=None` takes it away."""
    conn.execute(
        user_roles.delete().where(user_roles.c.user_id == user_id, user_roles.c.corporation_id == corp_id)
    )
    if role is not None:
        conn.execute(user_roles.insert().values(user_id=user_id, corporation_id=corp_id, role=role))


def roles_of(conn: sa.Connection, user_id: int) -> list:
    """(slug, name, role) of each corporation `user_id` has a role in, by name."""
    q = (
        sa.select(corporations.c.slug, corporations.c.name, user_roles.c.role)
        .join(user_roles, user_roles.c.corporation_id == corporations.c.id)
        .where(user_roles.c.user_id == user_id)
        .order_by(corporations.c.name)
    )
    return list(conn.execute(q))


def members(conn: sa.Connection, corp_id: int) -> list:
    """(username, role) of everyone with a role in `corp_id`."""
    q = (
        sa.select(users.c.username, user_roles.c.role)
        .join(user_roles, user_roles.c.user_id == users.c.id)
        .where(user_roles.c.corporation_id == corp_id)
        .order_by(users.c.username)
    )
    return list(conn.execute(q))


def add_session(conn: sa.Connection, token_hash: str, user_id: int, csrf: str, at: str, expires: str) -> None:
    conn.execute(
        web_sessions.insert().values(
            token_hash=token_hash, user_id=user_id, csrf=csrf, created_at=at, expires_at=expires
        )
    )


def session_and_roles(conn: sa.Connection, token_hash: str) -> list:
    """The session whose token hashes to `token_hash` with each of its user's roles, in one statement (one snapshot,
    one round trip): rows of (user_id, username, csrf, expires_at, slug, name, role, head_seq) by corporation name, the
    last four None for a user with no role ("head_seq": the corporation's chain head); [] when there is no such
    session."""
    ws = web_sessions
    q = (
        sa.select(
            ws.c.user_id,
            users.c.username,
            ws.c.csrf,
            ws.c.expires_at,
            corporations.c.slug,
            corporations.c.name,
            user_roles.c.role,
            corporations.c.head_seq,
        )
        .select_from(
            ws.join(users, users.c.id == ws.c.user_id)
            .outerjoin(user_roles, user_roles.c.user_id == ws.c.user_id)
            .outerjoin(corporations, corporations.c.id == user_roles.c.corporation_id)
        )
        .where(ws.c.token_hash == token_hash)
        .order_by(corporations.c.name)
    )
    return list(conn.execute(q))


def end_session(conn: sa.Connection, token_hash: str) -> None:
    conn.execute(web_sessions.delete().where(web_sessions.c.token_hash == token_hash))


def end_sessions_before(conn: sa.Connection, at: str) -> None:
    conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < at))


def add_failure(conn: sa.Connection, username: str, client: str, at: str) -> None:
    conn.execute(login_failures.insert().values(username=username, client=client, at=at))


def failures_since(conn: sa.Connection, username: str, client: str, since: str) -> tuple[int, int]:
    """Failed sign-ins since `since`: for `username` (from anywhere), and from `client` (any name)."""
    by_name = conn.execute(
        sa.select(sa.func.count())
        .select_from(login_failures)
        .where(login_failures.c.username == username, login_failures.c.at >= since)
    ).scalar()
    by_client = conn.execute(
        sa.select(sa.func.count())
        .select_from(login_failures)
        .where(login_failures.c.client == client, login_failures.c.at >= since)
    ).scalar()
    return int(by_name or 0), int(by_client or 0)


def clear_failures(conn: sa.Connection, username: str) -> None:
    conn.execute(login_failures.delete().where(login_failures.c.username == username))


def head(conn: sa.Connection, corp_id: int) -> int:
    """The corporation's chain head (the number of events in its log)."""
    return int(
        conn.execute(sa.select(corporations.c.head_seq).where(corporations.c.id == corp_id)).scalar() or 0
    )
