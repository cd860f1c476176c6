"""The verifiable record from the command line (issue 17): `key`, `checkpoint` (--out, --git, --tsa, --list),
`proof` (an event, a drawn paper, a consistency proof) and `verify --proof --key [--document]` with no database —
what they print, the files they write, and each bad input or forged proof as one line with its exit (2 for a file
that is not a proof or an input that names nothing, 1 for a forgery or a mismatch). The book is the Auxer Group,
made once per module with `init` and copied (with its key folder) for each test; one run on PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clihelp import inproc, ok, one_line_error
from minutebook.core import checkpoint as notes
from tsahelp import TestTSA

AUXER = str(Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt")
SLUG = "the-auxer-group-inc"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("made")
    db = folder / "mb.db"
    p = ok(inproc(db, f"init --from {AUXER}"))
    assert f"public key: minutebook/{SLUG}+" in p.stdout
    assert f"private key in {db.parent}/.mb.db.keys/{SLUG}.key: keep it safe" in p.stdout
    for hid in ("alice", "bob"):
        ok(inproc(db, f"holder add {hid} '{hid.title()} Example' --on 2000-01-01"))
    return db


@pytest.fixture
def db(made: Path, tmp_path) -> Path:
    """A copy of the book, its key folder with it (mode kept)."""
    target = tmp_path / "book" / "mb.db"
    target.parent.mkdir()
    shutil.copy(made, target)
    shutil.copytree(made.parent / ".mb.db.keys", target.parent / ".mb.db.keys")
    return target


def run(db: Path, command: str, with_db: bool = True) -> subprocess.CompletedProcess:
    return inproc(db, command, with_db)


def vkey_of(db: Path) -> str:
    return ok(run(db, "key")).stdout.strip()


# --- key ------------------------------------------------------------------------------------------------------


def test_key_prints_exports_and_says_where_the_private_key_is(db: Path):
    vkey = vkey_of(db)
    v = notes.parse_vkey(vkey)
    assert v.name == f"minutebook/{SLUG}"
    ok(run(db, "key --export out.vkey"))
    assert (db.parent / "out.vkey").read_text() == vkey + "\n"
    j = json.loads(ok(run(db, "key --json")).stdout)
    assert j == {
        "corporation": SLUG,
        "public_key": vkey,
        "key_file": f"{db.parent}/.mb.db.keys/{SLUG}.key",
        "key_file_present": True,
        "made": None,
        "exported_to": None,
    }
    assert (
        ok(run(db, "key --create")).stderr.strip()
        == f"{SLUG}: the book already has a key ({db.parent}/.mb.db.keys/{SLUG}.key)"
    )
    err = one_line_error(run(db, "key --export nowhere/out.vkey"))
    assert err.startswith("minutebook: error: nowhere/out.vkey: cannot write")


def test_a_book_without_a_key_gets_one(db: Path):
    from minutebook.book import new_corporation

    new_corporation(str(db), "keyless", "Keyless Inc.", (), [], key=False)
    err = one_line_error(run(db, "key --corp keyless"), 1)
    assert (
        err
        == "minutebook: error: keyless has no key yet: run `minutebook key --create` (or `minutebook checkpoint`)"
    )
    p = ok(run(db, "checkpoint --corp keyless"))
    assert p.stderr.startswith(
        f"keyless had no key: created {db.parent}/.mb.db.keys/keyless.key; public key minutebook/keyless+"
    )
    assert p.stdout.startswith("minutebook/keyless\n0\n")  # an empty log's checkpoint


# --- checkpoint -----------------------------------------------------------------------------------------------


def test_checkpoint_prints_stores_and_writes_the_note(db: Path):
    p = ok(run(db, "checkpoint --out cp.txt"))
    note = p.stdout
    cp = notes.verify(note, vkey_of(db))
    assert (cp.origin, cp.size, cp.corporation) == (f"minutebook/{SLUG}", 5, SLUG)
    assert (db.parent / "cp.txt").read_text() == note
    assert p.stderr.splitlines()[0].startswith("checkpoint 1: 5 events, root ")
    assert p.stderr.splitlines()[1] == "wrote cp.txt"
    ok(run(db, "holder add carol 'Carol Example' --on 2000-01-01"))
    j = json.loads(ok(run(db, "checkpoint --json")).stdout)
    assert (j["number"], j["tree_size"], j["stamp"], j["git"]) == (2, 6, None, None)
    listed = json.loads(ok(run(db, "checkpoint --list --json")).stdout)
    assert [(c["number"], c["tree_size"], c["stamps"]) for c in listed] == [(1, 5, 0), (2, 6, 0)]
    assert listed[0]["note"] == note
    table = ok(run(db, "checkpoint --list")).stdout
    assert f"{SLUG}: 2 checkpoint(s)" in table and "time stamps" in table


def test_checkpoint_committed_to_a_git_repository(db: Path, tmp_path):
    repo = tmp_path / "record"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    p = ok(run(db, f"checkpoint --git {repo}"))
    folder = repo / "minutebook" / SLUG
    assert (folder / "checkpoint.txt").read_text() == p.stdout
    assert (folder / "key.vkey").read_text() == vkey_of(db) + "\n"
    ok(run(db, "holder add carol 'Carol Example' --on 2000-01-01"))
    ok(run(db, f"checkpoint --git {repo}"))
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert log == [
        f"minutebook: checkpoint 2 of {SLUG} (6 events)",
        f"minutebook: checkpoint 1 of {SLUG} (5 events)",
    ]
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""  # every file written is committed
    # not a repository: one line, nothing signed
    plain = tmp_path / "plain"
    plain.mkdir()
    err = one_line_error(run(db, f"checkpoint --git {plain}"))
    assert err == f"minutebook: error: --git: {plain}: not a git repository (run `git init {plain}` first)"
    err = one_line_error(run(db, f"checkpoint --git {tmp_path / 'missing'}"))
    assert err.endswith("missing: no such folder")
    assert len(json.loads(ok(run(db, "checkpoint --list --json")).stdout)) == 2


def test_checkpoint_time_stamped_by_a_tsa(db: Path):
    with TestTSA() as tsa:
        (db.parent / "tsa.pem").write_bytes(tsa.cert_pem)
        p = ok(run(db, f"checkpoint --tsa {tsa.url} --tsa-cert tsa.pem --out cp.txt"))
    assert f"time-stamped by {tsa.url} at " in p.stderr and "verified against tsa.pem" in p.stderr
    token = (db.parent / "cp.txt.tsr").read_bytes()
    from minutebook.book import timestamp

    timestamp.verify(token, (db.parent / "cp.txt").read_bytes(), tsa.cert_pem)
    if shutil.which("openssl"):  # what a third party runs, without minutebook
        v = subprocess.run(
            ["openssl", "ts", "-verify", "-data", "cp.txt", "-in", "cp.txt.tsr", "-CAfile", "tsa.pem"],
            cwd=db.parent,
            capture_output=True,
            text=True,
        )
        assert v.returncode == 0 and "Verification: OK" in v.stdout, v.stdout + v.stderr
    listed = json.loads(ok(run(db, "checkpoint --list --json")).stdout)
    assert listed[0]["stamps"] == 1
    with TestTSA("refuse") as tsa:
        err = one_line_error(run(db, f"checkpoint --tsa {tsa.url}"), 1)
    assert err.endswith("the time-stamping authority refused (status 2: policy not accepted)")
    err = one_line_error(run(db, "checkpoint --tsa-cert tsa.pem"))
    assert err == "minutebook: error: --tsa-cert: only with --tsa URL"
    assert len(json.loads(ok(run(db, "checkpoint --list --json")).stdout)) == 1


# --- proof and verify --proof ---------------------------------------------------------------------------------


def test_an_event_proved_and_verified_without_the_database(db: Path, tmp_path):
    ok(run(db, "checkpoint --out cp.txt"))
    vkey = vkey_of(db)
    (db.parent / "book.vkey").write_text(vkey + "\n")
    for spec in ("4", "'#4'", "'event 4'"):
        p = ok(run(db, f"proof {spec} -o proof.json"))
    assert p.stderr.startswith(
        "wrote proof.json: proof that event 4 (StakeholderAdded, effective 2000-01-01)"
    )
    # the auditor's folder: the proof and the key, no database
    audit = tmp_path / "audit"
    audit.mkdir()
    shutil.copy(db.parent / "proof.json", audit / "proof.json")
    shutil.copy(db.parent / "book.vkey", audit / "book.vkey")
    nowhere = audit / "none.db"
    p = ok(run(nowhere, "verify --proof proof.json --key book.vkey", with_db=False))
    assert not nowhere.exists() and not (audit / "minutebook.db").exists()
    lines = p.stdout.splitlines()
    assert lines[0] == f"verified: event 4 is in the log of {SLUG} that its key signed"
    assert lines[1].startswith("  event       4: StakeholderAdded, effective 2000-01-01, recorded ")
    assert lines[2].startswith("  checkpoint  5 events, root ") and lines[2].endswith("Z")
    assert lines[3] == f"  key         minutebook/{SLUG}+{vkey.split('+')[1]}"
    j = json.loads(ok(run(nowhere, f"verify --proof proof.json --key {vkey} --json", with_db=False)).stdout)
    assert (j["ok"], j["kind"], j["seq"], j["type"], j["checkpoint"]["tree_size"]) == (
        True,
        "inclusion",
        4,
        "StakeholderAdded",
        5,
    )
    # in a checkpoint given as a file
    ok(run(db, "holder add carol 'Carol Example' --on 2000-01-01"))
    err = one_line_error(run(db, "proof 6 --checkpoint cp.txt"))
    assert err.startswith("minutebook: error: event 6 is not in the checkpoint, which covers events 1-5")
    ok(run(db, "proof 5 --checkpoint cp.txt -o p5.json"))
    ok(run(db, "verify --proof p5.json --key book.vkey", with_db=False))


def test_forged_and_malformed_proofs(db: Path):
    ok(run(db, "checkpoint"))
    ok(run(db, "proof 4 -o proof.json"))
    vkey = vkey_of(db)
    good = json.loads((db.parent / "proof.json").read_text())

    def check(doc, code: int) -> str:
        (db.parent / "x.json").write_text(doc if isinstance(doc, str) else json.dumps(doc))
        return one_line_error(run(db, f"verify --proof x.json --key {vkey}", with_db=False), code)

    forged = json.loads(json.dumps(good))
    forged["event"]["payload"]["name"] = "Mallory"
    assert check(forged, 1) == "minutebook: error: x.json: event seq 4: its fields do not hash to its hash"
    del forged["event"]["hash"]
    assert check(forged, 1) == (
        "minutebook: error: x.json: event seq 4 is not proven in the signed log of 5 events (the event or the path "
        "was altered)"
    )
    moved = json.loads(json.dumps(good))
    moved["checkpoint"] = moved["checkpoint"].replace("\n5\n", "\n6\n", 1)
    assert check(moved, 1).startswith("minutebook: error: x.json: checkpoint: the signature by ")
    assert check("{not json", 2).startswith("minutebook: error: x.json: the proof is not JSON")
    lacking = {k: v for k, v in good.items() if k != "inclusion"}
    assert check(lacking, 2) == "minutebook: error: x.json: the proof lacks inclusion"
    # another book's key
    other = notes.vkey_of(notes.public_key(bytes(range(32))), f"minutebook/{SLUG}")
    err = one_line_error(run(db, f"verify --proof proof.json --key {other}", with_db=False), 1)
    assert "checkpoint: no signature by key" in err
    assert one_line_error(run(db, "verify --proof proof.json --key nonsense", with_db=False)).startswith(
        "minutebook: error: --key: 'nonsense' is not a verifier key"
    )
    assert one_line_error(run(db, "verify --proof proof.json", with_db=False)) == (
        "minutebook: error: verify: --proof FILE and --key PUBKEY go together (and --document FILE with them)"
    )
    assert one_line_error(run(db, f"verify --proof missing.json --key {vkey}", with_db=False)).startswith(
        "minutebook: error: --proof: missing.json: cannot read"
    )


def test_bad_proof_requests(db: Path):
    err = one_line_error(run(db, "proof 3"))
    assert err == "minutebook: error: the book has no checkpoint yet: run `minutebook checkpoint`"
    ok(run(db, "checkpoint"))
    assert one_line_error(run(db, "proof 99")) == "minutebook: error: no event 99: the log holds events 1-5"
    assert one_line_error(run(db, "proof x")).startswith(
        "minutebook: error: EVENT-ID: 'x' is not an event's number"
    )
    assert one_line_error(run(db, "proof 0")).startswith("minutebook: error: EVENT-ID: '0'")
    assert one_line_error(run(db, "proof")) == (
        "minutebook: error: proof: give one of EVENT-ID, --document FILE or --consistency OLD NEW"
    )
    assert one_line_error(run(db, "proof 3 --consistency 1 1")).startswith(
        "minutebook: error: proof: give one of"
    )
    assert one_line_error(run(db, "proof --consistency 1 7")) == (
        "minutebook: error: NEW: no checkpoint 7 (the book has 1-1)"
    )
    assert one_line_error(run(db, "proof --consistency one latest")).startswith(
        "minutebook: error: --consistency: 'one' is not a checkpoint number"
    )
    assert one_line_error(run(db, "proof 3 --checkpoint none.txt")).startswith(
        "minutebook: error: --checkpoint: none.txt: cannot read"
    )


def test_a_consistency_proof(db: Path):
    ok(run(db, "checkpoint --out old.txt"))
    ok(run(db, "holder add carol 'Carol Example' --on 2000-01-01"))
    ok(run(db, "checkpoint"))
    vkey = vkey_of(db)
    for old, new in (("1", "latest"), ("old.txt", "2"), ("size:5", "size:6"), ("'#1'", "'#2'")):
        p = ok(run(db, f"proof --consistency {old} {new} -o cons.json"))
        assert re.fullmatch(
            r"wrote cons\.json: proof that the log of 5 events \(signed \S+Z\) is a prefix of the log of 6 "
            r"\(signed \S+Z\)",
            p.stderr.strip(),
        ), p.stderr
        v = ok(run(db, f"verify --proof cons.json --key {vkey}", with_db=False))
        assert v.stdout.startswith(
            f"verified: the log of {SLUG} signed with 6 events extends the one signed with 5"
        )
    assert one_line_error(run(db, "proof --consistency 2 1")) == (
        "minutebook: error: OLD covers 6 events, more than NEW (5): give them the other way"
    )
    doc = json.loads((db.parent / "cons.json").read_text())
    doc["proof"] = []
    (db.parent / "bad.json").write_text(json.dumps(doc))
    err = one_line_error(run(db, f"verify --proof bad.json --key {vkey}", with_db=False), 1)
    assert err.endswith(
        "the log of 6 events does not extend the log of 5 signed before: the record was rewritten"
    )


def test_a_drawn_paper_proved_and_checked_against_its_file(db: Path):
    p = ok(run(db, "doc render certificate-of-amendment --as-of 1997-08-28 --format html -o paper.html"))
    assert "paper.html" in p.stdout
    ok(run(db, "checkpoint"))
    ok(run(db, "proof --document paper.html -o proof.json"))
    vkey = vkey_of(db)
    v = ok(run(db, f"verify --proof proof.json --key {vkey} --document paper.html", with_db=False))
    assert v.stdout.splitlines()[1].startswith("  event       6: DocumentDrawn, effective ")
    assert v.stdout.splitlines()[-1].startswith("  document    paper.html: SHA-256 ")
    assert "is the paper the event records (certificate-of-amendment, drawn as " in v.stdout
    paper = db.parent / "paper.html"
    paper.write_bytes(paper.read_bytes() + b"<!-- changed -->")
    err = one_line_error(
        run(db, f"verify --proof proof.json --key {vkey} --document paper.html", with_db=False), 1
    )
    assert err.startswith("minutebook: error: proof.json: the file's SHA-256 is ")
    assert err.endswith("not the paper drawn")
    err = one_line_error(run(db, "proof --document paper.html"))
    assert err.startswith("minutebook: error: no paper drawn from this book has this file's SHA-256 (")
    ok(run(db, "proof 4 -o p4.json"))
    err = one_line_error(
        run(db, f"verify --proof p4.json --key {vkey} --document paper.html", with_db=False), 1
    )
    assert err.endswith(
        "event seq 4 is a StakeholderAdded, not a drawn paper (DocumentDrawn): it records no file"
    )


def test_verify_names_what_the_checkpoints_catch(db: Path):
    ok(run(db, "checkpoint"))
    assert ok(run(db, "verify")).stdout.startswith("chain intact: 5 events")
    import sqlite3

    with sqlite3.connect(
        db
    ) as c:  # the attacker: the triggers dropped, the last two events and their leaves gone
        c.executescript(
            "DROP TRIGGER events_no_delete; DROP TRIGGER merkle_nodes_no_delete;"
            "DELETE FROM events WHERE seq > 3; DELETE FROM merkle_nodes WHERE (level = 0 AND idx > 2) OR level > 1;"
            "DELETE FROM merkle_nodes WHERE level = 1 AND idx = 1;"
        )
        h = c.execute("SELECT hash FROM events WHERE seq = 3").fetchone()[0]
        # (their leaves, which the head row may still hold, gone with the head set back)
        c.execute("UPDATE corporations SET head_seq = 3, head_hash = ?, tree_tail = NULL", (h,))
    p = run(db, "verify")
    assert p.returncode == 1
    assert any(
        line.startswith("checkpoint 1 (signed ")
        and "covers 5 events but the log has 3: events 4-5 were deleted" in line
        for line in p.stdout.splitlines()
    ), p.stdout
    assert one_line_error(run(db, "checkpoint"), 1) == (
        "minutebook: error: checkpoint 1 covers 5 events but the log has 3: events were deleted; "
        "run `minutebook verify`"
    )


def test_the_book_commands_on_postgresql(pg_database, tmp_path):
    url = pg_database()
    here = tmp_path / "here.db"  # inproc runs in this folder; the book is the PostgreSQL database
    p = ok(inproc(here, f"init --from {AUXER} --db {url}", with_db=False))
    assert f"public key: minutebook/{SLUG}+" in p.stdout
    vkey = ok(inproc(here, f"key --db {url}", with_db=False)).stdout.strip()
    ok(inproc(here, f"checkpoint --db {url} --out cp.txt", with_db=False))
    ok(inproc(here, f"proof 2 --db {url} -o proof.json", with_db=False))
    v = ok(inproc(here, f"verify --proof proof.json --key {vkey}", with_db=False))
    assert v.stdout.startswith(f"verified: event 2 is in the log of {SLUG}")
    assert ok(inproc(here, f"verify --db {url}", with_db=False)).stdout.startswith("chain intact")


def test_the_creation_commands_print_the_key(db: Path, tmp_path):
    ok(run(db, f"export {tmp_path / 'exported'}"))
    p = ok(inproc(tmp_path / "copy.db", f"import {tmp_path / 'exported'}"))
    assert f"public key: minutebook/{SLUG}+" in p.stdout
    assert (tmp_path / ".copy.db.keys" / f"{SLUG}.key").is_file()
    assert ok(run(tmp_path / "copy.db", "key")).stdout.strip() != vkey_of(db)  # a new book, a key of its own


def test_a_missing_or_open_key_file_is_one_line_naming_it(db: Path):
    key = db.parent / ".mb.db.keys" / f"{SLUG}.key"
    key.chmod(0o640)
    err = one_line_error(run(db, "checkpoint"))
    assert err == (
        f"minutebook: error: {key}: the private key may be read by others (mode 0640); run `chmod 600 {key}`"
    )
    key.rename(key.with_suffix(".moved"))
    err = one_line_error(run(db, "checkpoint"))
    assert err.startswith(f"minutebook: error: {key}: no such key file")
    moved = key.parent / "elsewhere"
    moved.mkdir()
    key.with_suffix(".moved").rename(moved / key.name)
    (moved / key.name).chmod(0o600)
    assert ok(run(db, f"checkpoint --key-dir {moved}")).stdout.startswith(f"minutebook/{SLUG}\n5\n")
    assert json.loads(ok(run(db, "checkpoint --list --json")).stdout)[0]["number"] == 1
