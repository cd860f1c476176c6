"""The forms record acts through the book's append path, as the signed-in user: an issuance (a new holder with
it), a transfer, a board consent, a §242 amendment from the board's resolution through the stockholders' meeting
and its vote to the filing. A refusal shows its findings with citations and writes nothing; bad input names the
field, keeps the value and writes nothing. On SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from webhelp import app_for, build, csrf_of, signed_in

from minutebook.book import open_book


def _log(path: str, corp: str) -> int:
    b = open_book(path, corp)
    try:
        return len(b.log)
    finally:
        b.close()


def _authorize(c, corp, consent="UC-2001-0", on="2001-01-15"):
    """The board authorizes issuing up to 2,000,000 common at $0.001 or more (what an issuance names)."""
    r = _post(
        c,
        corp,
        "board-consent",
        {
            "action_id": consent,
            "on": on,
            "signed_by": "eugene, jane, john",
            "resolution": f"R-{consent}",
            "kind": "issue_shares",
            "text": "Issue up to 2,000,000 common",
            "params": "class_key=common\nmax_shares=2,000,000\nmin_price=0.001",
        },
    )
    assert r.status_code == 200, r.text
    return f"R-{consent}"


def _post(c, corp, form, data):
    token = csrf_of(c, f"/c/{corp}/record/{form}")
    return c.post(f"/c/{corp}/record/{form}", data={"csrf": token, **data})


def test_issuance_recorded_as_the_user_with_a_new_holder(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    rid = _authorize(c, auxer)
    n = _log(path, auxer)
    r = _post(
        c,
        auxer,
        "issue",
        {
            "holder": "erin",
            "holder_name": "Erin Wu",
            "class_key": "common",
            "shares": "1,000,000",
            "price": "0.01",
            "on": "2001-02-01",
            "approved_by": rid,
        },
    )
    assert r.status_code == 200, r.text
    assert "Recorded." in r.text
    b = open_book(path, auxer)
    new = b.log[n:]
    assert [e.type for e in new] == ["StakeholderAdded", "SharesIssued"]
    assert {e.actor for e in new} == {"aux-secretary"}
    assert b.cap_table().holder_totals()["erin"] == 1_000_000
    b.close()
    page = c.get(f"/c/{auxer}/captable").text
    assert "Erin Wu" in page


def test_over_issue_refused_citing_161_and_nothing_written(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    rid = _authorize(c, auxer)
    n = _log(path, auxer)
    r = _post(
        c,
        auxer,
        "issue",
        {
            "holder": "alice",
            "class_key": "common",
            "shares": "200,000,000",
            "price": "0.001",
            "on": "2001-02-01",
            "approved_by": rid,
        },
    )
    assert r.status_code == 422
    assert "MB-ISSUE-EXCEEDS-AUTHORIZED" in r.text and "§ 161" in r.text.replace("§161", "§ 161")
    assert "Refused: nothing was written." in r.text
    assert 'value="200,000,000"' in r.text  # the form keeps what was typed
    assert _log(path, auxer) == n


def test_bad_input_names_the_field_keeps_the_value_writes_nothing(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    n = _log(path, auxer)
    r = _post(
        c,
        auxer,
        "issue",
        {"holder": "alice", "class_key": "common", "shares": "lots", "price": "-1", "on": "2001-13-01"},
    )
    assert r.status_code == 422
    assert "Shares: a whole number of shares above 0, not &#39;lots&#39;" in r.text
    assert "Price per share ($): an amount in dollars" in r.text
    assert "Effective on: a date YYYY-MM-DD" in r.text
    assert 'value="lots"' in r.text and 'value="2001-13-01"' in r.text
    assert _log(path, auxer) == n
    # a new holder without a name: the field named, the issuance's holder row not written either
    r = _post(
        c,
        auxer,
        "issue",
        {"holder": "zed", "class_key": "common", "shares": "10", "price": "1", "on": "2001-02-01"},
    )
    assert r.status_code == 422 and "give the name" in r.text
    assert _log(path, auxer) == n


def test_htmx_posts_answer_the_form_fragment(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    token = csrf_of(c, f"/c/{auxer}/record/issue")
    r = c.post(
        f"/c/{auxer}/record/issue",
        data={"shares": "x"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert r.status_code == 422
    assert r.text.lstrip().startswith('<section id="act"') and "<html" not in r.text


def test_transfer_and_board_consent(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-admin")
    r = _post(
        c,
        auxer,
        "transfer",
        {
            "from_holder": "alice",
            "to_holder": "fay",
            "to_name": "Fay Lim",
            "class_key": "common",
            "shares": "1000",
            "on": "2001-03-01",
            "price": "0.05",
        },
    )
    assert r.status_code == 200, r.text
    r = _post(
        c,
        auxer,
        "board-consent",
        {
            "action_id": "UC-2001-1",
            "on": "2001-03-02",
            "signed_by": "eugene, jane, john",
            "resolution": "R-2001-1",
            "kind": "general",
            "text": "Adopt a seal",
        },
    )
    assert r.status_code == 200, r.text
    b = open_book(path, auxer)
    assert b.cap_table().holder_totals()["fay"] == 1000
    assert b.log[-1].type == "BoardActed" and b.log[-1].actor == "aux-admin"
    b.close()
    # a consent not signed by every director in office is refused (§141(f)), nothing written
    n = _log(path, auxer)
    r = _post(
        c,
        auxer,
        "board-consent",
        {
            "action_id": "UC-2001-2",
            "on": "2001-03-03",
            "signed_by": "eugene",
            "resolution": "R-2001-2",
            "kind": "general",
        },
    )
    assert r.status_code == 422 and "141" in r.text
    assert _log(path, auxer) == n


def _amendment_story(c, path, corp):
    """The board declares an amendment advisable and calls a meeting; the stockholders vote; it is filed."""
    r = _post(
        c,
        corp,
        "board-consent",
        {
            "action_id": "UC-2002-1",
            "on": "2002-01-10",
            "signed_by": "eugene, jane, john",
            "resolution": "R-2002-1",
            "kind": "amend_charter",
            "text": "Raise the common to 200,000,000",
            "params": "authorized=common=200,000,000, preferred=25,000,000",
            "resolution2": "R-2002-2",
            "kind2": "call_meeting",
            "text2": "Call a special meeting on 2002-02-20",
            "params2": "meeting=M-2002\nmeeting_on=2002-02-20\nrecord_date=2002-01-20",
        },
    )
    assert r.status_code == 200, r.text
    r = _post(
        c,
        corp,
        "meeting",
        {
            "meeting_id": "M-2002",
            "meeting_kind": "special",
            "called_on": "2002-01-10",
            "called_by": "R-2002-2",
            "record_date": "2002-01-20",
            "notice_on": "2002-01-25",
            "meeting_on": "2002-02-20",
            "matter": "M-2002-1",
            "matter_kind": "amend_charter",
            "matter_text": "Raise the common",
            "resolution": "R-2002-1",
            "present": "eugene, alice, bob, dana",
            "for": "eugene, alice, dana",
            "against": "bob",
        },
    )
    assert r.status_code == 200, r.text
    assert r.text.count("event ") >= 4  # called, notice, list, held
    r = _post(c, corp, "amendment", {"on": "2002-02-21", "approved_by": "R-2002-1, M-2002-1"})
    assert r.status_code == 200, r.text


def test_an_amendment_from_resolution_to_vote_to_filing(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    _amendment_story(c, path, auxer)
    b = open_book(path, auxer)
    assert b.charter.current.capital.cls("common").authorized == 200_000_000
    assert len(b.charter.versions) == 4
    b.close()
    vs = c.get(f"/c/{auxer}/charter.json").json()["versions"]
    assert vs[-1]["effective_on"] == "2002-02-21"


def test_an_amendment_without_approval_is_refused(web_db):
    path, auxer, _ = web_db
    c = signed_in(app_for(path), "aux-secretary")
    n = _log(path, auxer)
    r = _post(
        c,
        auxer,
        "amendment",
        {"on": "2002-02-21", "approved_by": "R-1997-1", "authorized": "common=900000000"},
    )
    assert r.status_code == 422
    assert _log(path, auxer) == n


@pytest.fixture
def pg_site(pg_database):
    url = pg_database()
    auxer, seed = build(url)
    return url, auxer, seed


def test_forms_and_pages_on_postgresql(pg_site):
    url, auxer, seed = pg_site
    app = app_for(url)
    c = signed_in(app, "aux-secretary")
    assert c.get(f"/c/{auxer}/captable.json").json()["outstanding"] == 50_000_000
    assert c.get(f"/c/{seed}/captable.json").status_code == 404
    rid = _authorize(c, auxer)
    r = _post(
        c,
        auxer,
        "issue",
        {
            "holder": "alice",
            "class_key": "common",
            "shares": "200,000,000",
            "price": "0.001",
            "on": "2001-02-01",
            "approved_by": rid,
        },
    )
    assert r.status_code == 422 and "MB-ISSUE-EXCEEDS-AUTHORIZED" in r.text
    r = _post(
        c,
        auxer,
        "issue",
        {
            "holder": "alice",
            "class_key": "common",
            "shares": "1,000",
            "price": "0.001",
            "on": "2001-02-01",
            "approved_by": rid,
        },
    )
    assert r.status_code == 200, r.text
    assert c.get(f"/c/{auxer}/captable.json").json()["outstanding"] == 50_001_000
    _amendment_story(c, url, auxer)
    assert c.get(f"/c/{auxer}/charter.json").json()["versions"][-1]["total_authorized"] == 225_000_000
    _server_fails_under_an_act(app, url, auxer, rid)
    app.state.library.close()


def _server_fails_under_an_act(app, url: str, corp: str, rid: str) -> None:
    """The server ends the session of an act's insert (a restart, a failover, an administrator): the form comes back,
    503, saying the database failed, what was typed kept, nothing written; once the server lets it, the same form
    records the act. A page's read that the server fails (a lock not granted in time) is a 503 too."""
    from webhelp import client, sign_in

    from serverfail import admin_engine, sessions_ended_on_insert

    c = client(app, raise_server_exceptions=False)  # the app answers, then re-raises for the server's log
    assert sign_in(c, "aux-secretary").status_code == 303
    issue = {"holder": "alice", "class_key": "common", "shares": "7", "price": "0.001", "on": "2001-02-02"}
    issue["approved_by"] = rid
    before = c.get(f"/c/{corp}/captable.json").json()["outstanding"]
    engine = admin_engine(url)
    name = url.rsplit("/", 1)[-1]
    try:
        with sessions_ended_on_insert(engine):
            r = _post(c, corp, "issue", issue)
        assert r.status_code == 503 and "Not recorded:</strong> the database failed (" in r.text, r.text
        assert 'name="shares" value="7"' in r.text  # what was typed, kept
        assert c.get(f"/c/{corp}/captable.json").json()["outstanding"] == before
        assert _post(c, corp, "issue", issue).status_code == 200
        assert c.get(f"/c/{corp}/captable.json").json()["outstanding"] == before + 7
        with (
            engine.connect() as admin
        ):  # a read: the server gives up waiting for a lock another session holds
            admin.exec_driver_sql(f"ALTER DATABASE \"{name}\" SET lock_timeout = '100ms'")
            admin.exec_driver_sql(  # the app's sessions end: the new ones it opens take the setting
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            admin.commit()
            admin.exec_driver_sql("LOCK TABLE web_sessions IN ACCESS EXCLUSIVE MODE")
            r = c.get(f"/c/{corp}/captable.json")
            page = c.get(f"/c/{corp}/captable")  # the page for people: the error page, without the visitor
            admin.rollback()
            admin.exec_driver_sql(f'ALTER DATABASE "{name}" RESET lock_timeout')
            admin.commit()
    finally:
        engine.dispose()
    assert r.status_code == 503, r.text
    assert "The database failed before this request was done (" in r.json()["detail"]
    assert page.status_code == 503 and "The database failed before this request was done (" in page.text
    assert c.get(f"/c/{corp}/captable.json").json()["outstanding"] == before + 7  # the lock released
