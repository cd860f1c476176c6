"""Sessions and CSRF: every state-changing route refuses a missing or wrong token and writes nothing; signing in
makes a new session (a token planted before sign-in opens nothing: no fixation) in a Secure, HttpOnly,
SameSite=Lax cookie; signing out ends it on the server; too many failed sign-ins are refused for a while;
passwords are stored as argon2id hashes."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from webhelp import PASSWORD, app_for, client, csrf_of, login_token, sign_in, signed_in

from minutebook.book import open_book
from minutebook.book.accounts import Accounts


def _token(r) -> str:
    return re.search(r"mb_session=([^;]+)", r.headers["set-cookie"]).group(1)


def _post_routes(app) -> list[str]:
    return [r.path for r in app.routes if isinstance(r, APIRoute) and "POST" in r.methods]


def test_every_state_changing_route_refuses_a_missing_or_wrong_token(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    c = signed_in(app, "aux-admin")
    before = len(open_book(path, auxer).log)
    members = Accounts.open(path).members(auxer)
    routes = _post_routes(app)
    assert len(routes) >= 9
    assert "/c/{corp}/documents/{kind}.{fmt}" in routes  # drawing a paper records it
    checked = 0
    for route in routes:
        url = route.replace("{corp}", auxer).replace("{kind}.{fmt}", "meeting-minutes.pdf")
        form = {
            "holder": "alice",
            "class_key": "common",
            "shares": "10",
            "price": "1",
            "on": "2001-01-01",
            "user": "nobody",
            "role": "admin",
            "username": "aux-admin",
            "password": PASSWORD,
            "act": "M-1999",
        }
        for token in (None, "wrong-token"):
            data = dict(form) if token is None else {**form, "csrf": token}
            r = c.post(url, data=data)
            assert r.status_code == 403, (url, token, r.status_code)
            checked += 1
        r = c.post(url, data=form, headers={"X-CSRF-Token": "wrong"})
        assert r.status_code == 403, url
        checked += 1
    assert len(open_book(path, auxer).log) == before
    assert Accounts.open(path).members(auxer) == members
    assert c.get("/index.json").status_code == 200  # the session survived the logout without a token
    print(f"CSRF: {checked} refusals over {len(routes)} state-changing routes")


def test_a_token_of_another_session_is_wrong_too(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    a, b = signed_in(app, "aux-secretary"), signed_in(app, "aux-admin")
    r = b.post(f"/c/{auxer}/record/issue", data={"csrf": csrf_of(a)})
    assert r.status_code == 403


def test_cookie_flags_and_no_session_fixation(web_db):
    path, _, _ = web_db
    app = app_for(path)
    c = client(app)
    c.cookies.set("mb_session", "planted-by-an-attacker", domain="testserver.local")
    r = sign_in(c, "aux-viewer")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert (
        "mb_session=" in cookie
        and "Secure" in cookie
        and "HttpOnly" in cookie
        and "samesite=lax" in cookie.lower()
    )
    token = _token(r)
    assert token != "planted-by-an-attacker"
    # the planted token opens nothing
    other = client(app)
    other.cookies.set("mb_session", "planted-by-an-attacker")
    assert other.get("/index.json").status_code == 401
    # signing in again replaces the session: the old token is dead
    c2 = client(app)
    c2.cookies.set("mb_session", token)
    assert c2.get("/index.json").status_code == 200
    r = sign_in(c2, "aux-viewer")
    new = _token(r)
    assert new != token
    c3 = client(app)
    c3.cookies.set("mb_session", token)
    assert c3.get("/index.json").status_code == 401


def test_logout_ends_the_session_on_the_server(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    c = signed_in(app, "aux-viewer")
    token = c.cookies["mb_session"]
    r = c.post("/logout", data={"csrf": csrf_of(c)})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    replay = client(app)
    replay.cookies.set("mb_session", token)
    assert replay.get(f"/c/{auxer}.json").status_code == 401
    assert replay.get(f"/c/{auxer}").status_code == 303


def test_login_rate_limit(web_db):
    path, auxer, _ = web_db
    app = app_for(path)
    c = client(app)
    for _ in range(5):
        assert sign_in(c, "aux-viewer", "wrong password").status_code == 401
    r = sign_in(c, "aux-viewer")  # the right password, but too many failures just now
    assert r.status_code == 429 and "too many failed sign-ins" in r.text.lower()
    assert signed_in(app, "aux-counsel")  # another name from elsewhere is not held back by it


def test_login_form_needs_its_token_and_names_no_user(web_db):
    path, _, _ = web_db
    app = app_for(path)
    c = client(app)
    login_token(c)
    r = c.post("/login", data={"username": "aux-viewer", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and "mb_session" not in r.headers.get("set-cookie", "")
    wrong_user = sign_in(client(app), "no-such-user", "whatever1")
    wrong_pw = sign_in(client(app), "aux-viewer", "whatever1")
    assert wrong_user.status_code == wrong_pw.status_code == 401
    assert (
        "Wrong user name or password." in wrong_user.text and "Wrong user name or password." in wrong_pw.text
    )


def test_passwords_are_argon2id_hashes(web_db):
    import sqlalchemy as sa

    path, _, _ = web_db
    eng = sa.create_engine(f"sqlite:///{path}")
    with eng.connect() as conn:
        hashes = [r[0] for r in conn.execute(sa.text("SELECT password_hash FROM users"))]
        tokens = [r[0] for r in conn.execute(sa.text("SELECT token_hash FROM web_sessions"))]
    eng.dispose()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)
    assert all(len(t) == 64 for t in tokens)  # SHA-256 of the cookie's token, never the token


def test_admin_gives_and_takes_roles(web_db):
    path, auxer, seed = web_db
    app = app_for(path)
    admin = signed_in(app, "aux-admin")
    token = csrf_of(admin)
    assert (
        admin.post(
            f"/c/{auxer}/members", data={"csrf": token, "user": "nobody", "role": "viewer"}
        ).status_code
        == 303
    )
    assert {"user": "nobody", "role": "viewer"} in admin.get(f"/c/{auxer}/members.json").json()["members"]
    nobody = signed_in(app, "nobody")
    assert nobody.get(f"/c/{auxer}/captable.json").status_code == 200
    assert (
        admin.post(f"/c/{auxer}/members", data={"csrf": token, "user": "nobody", "role": "none"}).status_code
        == 303
    )
    assert nobody.get(f"/c/{auxer}/captable.json").status_code == 404
    # an admin of one corporation gives nothing in another
    assert (
        admin.post(f"/c/{seed}/members", data={"csrf": token, "user": "nobody", "role": "admin"}).status_code
        == 404
    )
    r = admin.post(f"/c/{auxer}/members", data={"csrf": token, "user": "ghost", "role": "viewer"})
    assert r.status_code == 422 and "no user" in r.text


def test_sign_in_goes_only_to_a_page_of_this_site(web_db):
    path, _, _ = web_db
    app = app_for(path)
    for target, where in (
        ("/c/x", "/c/x"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://e.x", "/"),
    ):
        c = client(app)
        r = c.post(
            "/login",
            data={"username": "aux-viewer", "password": PASSWORD, "csrf": login_token(c), "next": target},
        )
        assert r.status_code == 303 and r.headers["location"] == where, target
