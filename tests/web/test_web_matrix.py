"""The authorization matrix: every route of the app's router × anonymous, a user with no role, and each role in
its own corporation and in the other one — the status each must answer, and no other corporation's data in any
answer. Every cell is checked; a route the matrix does not know fails the test (a new route must say who may use
it). The count is printed."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from webhelp import ROLES, app_for, client, csrf_of, signed_in

# who may use each route: "public" (anyone), "user" (anyone signed in), or the least role in the corporation
NEED = {
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/api/docs"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "user",
    ("GET", "/"): "user",
    ("GET", "/index.json"): "user",
    ("GET", "/c/{corp}/members"): "admin",
    ("GET", "/c/{corp}/members.json"): "admin",
    ("POST", "/c/{corp}/members"): "admin",
    ("GET", "/c/{corp}/record"): "secretary",
    ("GET", "/c/{corp}/findings"): "counsel",
    ("GET", "/c/{corp}/findings.json"): "counsel",
    ("GET", "/c/{corp}/documents"): "counsel",
    ("GET", "/c/{corp}/documents.json"): "counsel",
    ("POST", "/c/{corp}/documents/{kind}.{fmt}"): "counsel",
}
for _form in ("issue", "transfer", "board-consent", "meeting", "amendment"):
    NEED[("GET", f"/c/{{corp}}/record/{_form}")] = "secretary"
    NEED[("POST", f"/c/{{corp}}/record/{_form}")] = "secretary"
for _view in (
    "",
    "/charter",
    "/charter/{number}",
    "/charter-diff",
    "/captable",
    "/holders/{holder}",
    "/ledger",
    "/tax",
):
    NEED[("GET", f"/c/{{corp}}{_view}")] = "viewer"
    NEED[("GET", f"/c/{{corp}}{_view}.json")] = "viewer"
NEED[("GET", "/c/{corp}/captable.csv")] = "viewer"
NEED[("GET", "/c/{corp}/captable.xlsx")] = "viewer"

RANK = {r: i for i, r in enumerate(ROLES)}


def routes(app) -> list[tuple[str, str]]:
    out = []
    for r in app.routes:
        if isinstance(r, APIRoute):
            out += [(m, r.path) for m in sorted(r.methods)]
        elif getattr(r, "path", None) in ("/api/openapi.json", "/api/docs"):
            out.append(("GET", r.path))
    return out


def fill(path: str, corp: str, samples: dict) -> str:
    """The route's path with its parameters filled for `corp` (a paper: a kind of the corporation's, as PDF)."""
    s = samples[corp]
    url = path.replace("{corp}", corp).replace("{number}", "2").replace("{holder}", s["holder"])
    return url.replace("{kind}.{fmt}", f"{s['paper']}.pdf")


def expected(method: str, path: str, need: str, who: str | None, role: str | None) -> set[int]:
    """The statuses a cell may answer: `who` None is anonymous; `role` the user's role in the corporation asked."""
    if need == "public":
        return {200} if method == "GET" else {303}
    if who is None:  # anonymous: sent to sign in (JSON: 401); logout with no session has no token to check
        if path == "/logout":
            return {403}
        return {401} if path.endswith(".json") else {303}
    if need == "user":
        return {303} if method == "POST" else {200}
    if role is None:
        return {404}
    if RANK[role] < RANK[need]:
        return {403}
    return {422} if method == "POST" else {200}  # an empty form: the fields named, nothing written


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from webhelp import build

    path = tmp_path_factory.mktemp("matrix") / "m.db"
    auxer, seed = build(str(path))
    app = app_for(str(path))
    return app, auxer, seed


def test_every_route_by_every_role_in_own_and_other_corporation(world, capsys):
    app, auxer, seed = world
    names = {auxer: "The Auxer Group", seed: "Brightline"}
    holders = {auxer: "Eugene Chiaramonte", seed: "Maya Chen"}
    samples = {
        auxer: {"holder": "alice", "paper": "stock-certificate"},
        seed: {"holder": "maya", "paper": "holder-ledger"},
    }
    before = {corp: _events(app, corp) for corp in (auxer, seed)}
    found = routes(app)
    unknown = [r for r in found if r not in NEED]
    assert not unknown, f"routes the matrix does not know: {unknown}"
    assert not [r for r in NEED if r not in found], "the matrix names routes the app does not have"
    # principals: anonymous, a user with no role, and each role of each corporation's users
    principals: list[tuple[str | None, str | None, str | None]] = [(None, None, None), ("nobody", None, None)]
    for corp, tag in ((auxer, "aux"), (seed, "seed")):
        for role in ROLES:
            principals.append((f"{tag}-{role}", corp, role))
    cells = 0
    for who, home, role in principals:
        if who == "nobody" or who is None:
            c = client(app) if who is None else signed_in(app, who)
        else:
            c = signed_in(app, who)
        token = csrf_of(c) if who else ""
        for method, path in found:
            targets = [auxer, seed] if "{corp}" in path else [None]
            for corp in targets:
                url = fill(path, corp, samples) if corp else path
                their = role if corp is not None and corp == home else None
                need = NEED[(method, path)]
                want = expected(method, path, need, who, their)
                if method == "GET":
                    r = c.get(url)
                elif path == "/logout":
                    continue  # signing out: test_sessions; here it would end the principal's session
                elif path == "/login":
                    r = c.post(url, data={"username": "x", "password": "y"})  # no token: refused
                    want = {403}
                else:
                    r = c.post(url, data={"csrf": token}, headers={"X-CSRF-Token": token} if token else {})
                answers = [r]
                if path.startswith("/c/{corp}/record/"):  # the HTMX fragment of the form, asked the same way
                    hx = {"HX-Request": "true", **({"X-CSRF-Token": token} if token else {})}
                    answers.append(
                        c.get(url, headers=hx) if method == "GET" else c.post(url, data={}, headers=hx)
                    )
                hidden = {auxer, seed} - {home}  # what this principal may not see: any corporation not theirs
                for r in answers:
                    cells += 1
                    assert r.status_code in want, f"{who} {method} {url}: {r.status_code}, expected {want}"
                    body = r.content.decode("utf-8", "replace")
                    for other in hidden:
                        for mark in (names[other], f"/c/{other}", holders[other]):
                            assert mark not in body, f"{who} {method} {url} shows {mark!r} of {other}"
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {cells} cells checked ({len(found)} routes × {len(principals)} principals, "
            "each corporation's routes on both corporations, the forms' HTMX fragments too)"
        )
    assert cells >= len(found) * len(principals) - len(principals)  # every cell but logout's
    assert {corp: _events(app, corp) for corp in (auxer, seed)} == before  # empty forms: nothing written


def _events(app, corp: str) -> int:
    with app.state.library.use(corp) as s:
        return len(s.book.log)
