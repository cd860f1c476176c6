"""Signed checkpoints in the store (issue 17), on SQLite and PostgreSQL: the book's key made with the book, the
checkpoint tables append-only, proofs that the offline verifier accepts, and `verify` naming each way the log was
made to disagree with what the book signed — by someone holding the database but not the key file, who drops the
triggers and rebuilds the hash chain and the Merkle tree to fit: the log truncated, an event rewritten, an event
back-dated (its date, or its recorded-at past a checkpoint), a fork (the log cut back and grown again; a checkpoint
of a copy of the book put in), checkpoints edited, deleted, or their key replaced."""

from __future__ import annotations

import base64
import json
import re
import stat
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from storehelp import AUXER, rows, scalar, sql

from minutebook import verifier
from minutebook.book import Book, create, new_corporation, open_book
from minutebook.book import keys as book_keys
from minutebook.core import checkpoint as notes
from minutebook.core.errors import MinutebookError
from minutebook.store import checkpoints as stored
from minutebook.store import db, log, tree

ON = date(2000, 1, 1)
TABLES = ("events", "merkle_nodes", "signing_keys", "checkpoints", "checkpoint_stamps")


def grow(book: Book, n: int, tag: str = "h") -> None:
    start = len(book.log)
    for i in range(n):
        assert not book.add_holder(f"{tag}{start + i}", f"Holder {tag}{start + i}", on=ON).refused


@pytest.fixture
def grown(book: Book) -> Book:
    """The Auxer Group (3 charter events) and 10 holders: 13 events."""
    grow(book, 10)
    assert len(book.log) == 13
    return book


def drop_append_only(raw: sa.Engine) -> None:
    """What an attacker holding the database does first."""
    if raw.dialect.name == "sqlite":
        sql(raw, *(f"DROP TRIGGER {t}_no_{w}" for t in TABLES for w in ("update", "delete")))
    else:
        sql(raw, *(f"DROP TRIGGER {t}_append_only ON {t}" for t in TABLES))


def chain(raw: sa.Engine, corp_id: int) -> tuple[str, list[dict]]:
    with raw.connect() as conn:
        slug = conn.execute(sa.text("SELECT slug FROM corporations WHERE id = :c"), {"c": corp_id}).scalar()
        q = sa.text("SELECT * FROM events WHERE corporation_id = :c ORDER BY seq")
        return slug, [dict(r) for r in conn.execute(q, {"c": corp_id}).mappings()]


def rebuild_tree(raw: sa.Engine, corp_id: int) -> None:
    """The attacker's Merkle tree, recomputed from the events as they now are (minutebook's own code)."""
    sql(raw, "DELETE FROM merkle_nodes WHERE corporation_id = :c", c=corp_id)
    with raw.begin() as conn:
        tree.fill(conn, corp_id)


def rewrite(raw: sa.Engine, corp_id: int, seq: int, **changes) -> None:
    """Event `seq` changed, every hash from it on recomputed, the head and the tree to fit: the chain verifies and
    the tree matches the events."""
    slug, evs = chain(raw, corp_id)
    prev = evs[seq - 1]["prev_hash"]
    for r in evs[seq - 1 :]:
        if r["seq"] == seq:
            for k, v in changes.items():
                r[k] = v(r) if callable(v) else v
        r["prev_hash"] = prev
        r["hash"] = prev = log.row_hash(slug, r)
        sql(
            raw,
            "UPDATE events SET payload = :p, effective_on = :e, recorded_at = :ra, prev_hash = :ph, hash = :h "
            "WHERE id = :id",
            p=r["payload"],
            e=r["effective_on"],
            ra=r["recorded_at"],
            ph=r["prev_hash"],
            h=r["hash"],
            id=r["id"],
        )
    sql(raw, "UPDATE corporations SET head_hash = :h WHERE id = :c", h=prev, c=corp_id)
    rebuild_tree(raw, corp_id)


def truncate(raw: sa.Engine, corp_id: int, keep: int) -> None:
    """The log cut back to its first `keep` events, with the tree nodes over the rest and the head: consistent."""
    _, evs = chain(raw, corp_id)
    sql(raw, "DELETE FROM events WHERE corporation_id = :c AND seq > :k", c=corp_id, k=keep)
    for lv, ix in rows(raw, "SELECT level, idx FROM merkle_nodes WHERE corporation_id = :c", c=corp_id):
        if (ix + 1) << lv > keep:
            sql(
                raw,
                "DELETE FROM merkle_nodes WHERE corporation_id = :c AND level = :l AND idx = :i",
                c=corp_id,
                l=lv,
                i=ix,
            )
    sql(
        raw,
        "UPDATE corporations SET head_seq = :s, head_hash = :h WHERE id = :c",
        s=keep,
        h=evs[keep - 1]["hash"],
        c=corp_id,
    )


def consistent(book: Book) -> None:
    """The chain and the tree agree with the events: only the checkpoints can tell."""
    with db.read(book.engine) as conn:
        assert log.verify_chain(conn, book.corp_id) == []
        assert tree.verify_tree(conn, book.corp_id) == []


def about_checkpoints(problems: list[str]) -> list[str]:
    return [p for p in problems if ("checkpoint" in p or "public key" in p) and not p.startswith("schema: ")]


def beyond_dropped(raw: sa.Engine, problems: list[str]) -> list[str]:
    """The problems `verify` names besides the triggers `drop_append_only` dropped (each of which it names)."""
    schema = [p for p in problems if p.startswith("schema: ")]
    if raw.dialect.name == "sqlite":
        dropped = [f"{t}_no_{w}" for t in TABLES for w in ("update", "delete")]
    else:
        dropped = [f"{t}_append_only" for t in TABLES]
    assert sorted(p.split()[2] for p in schema) == sorted(dropped), schema
    return [p for p in problems if not p.startswith("schema: ")]


# --- the key, made with the book --------------------------------------------------------------------------------


def test_the_book_gets_its_key_when_created(book: Book, db_url, backend):
    vkey = book.public_key()
    v = notes.parse_vkey(vkey)
    assert v.name == f"minutebook/{book.slug}"
    path = book.key_file()
    if backend == "sqlite":
        assert path == Path(db_url).parent / ".mb.db.keys" / f"{book.slug}.key"
    else:
        url = sa.engine.make_url(db_url)
        assert path.parent.name == f"postgresql-{url.host}-{url.port}-{url.database}"
        assert path.parent.parent == Path(book_keys.os.environ["XDG_CONFIG_HOME"]) / "minutebook" / "keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert book_keys.public_bytes(book_keys.read_private(path)) == v.public_key
    assert open_book(book.url).public_key() == vkey  # recorded in the database


def test_a_book_from_before_keys_gets_one(book: Book, raw, auxer_read, db_url):
    """Downgraded to 0002 (no key tables) and opened again: no key recorded; the file still there is adopted at
    the first checkpoint. A book with no key file gets a new one (`create_key`)."""
    before, path = book.public_key(), book.key_file()
    book.close()
    with db.write(book.engine) as conn:
        command.downgrade(db._config(conn), "0002")
    assert "checkpoints" not in sa.inspect(raw).get_table_names()
    again = open_book(book.url)
    assert again.public_key() is None
    assert again.verify() == []
    signed = again.checkpoint()
    assert (signed.key.made, signed.key.vkey, signed.key.path) == ("adopted", before, path)
    assert again.public_key() == before
    # a corporation made without a key (as before issue 17), no file for it: `create_key` writes one
    made = new_corporation(book.url, "keyless", "Keyless Inc.", (), [], key=False)
    keyless = made.book()
    assert made.key is None and keyless.public_key() is None
    k = keyless.create_key()
    assert k.made == "created" and k.path.name == "keyless.key" and keyless.public_key() == k.vkey
    assert keyless.create_key().made == ""  # once


def test_checkpoint_tables_are_append_only(grown: Book, raw):
    grown.checkpoint()
    with db.write(grown.engine) as conn:
        stored.add_stamp(conn, grown.corp_id, 1, "http://tsa.example", b"\x30\x03\x02\x01\x00", "now")
    statements = [
        "UPDATE signing_keys SET vkey = vkey",
        "DELETE FROM signing_keys",
        "UPDATE checkpoints SET tree_size = tree_size + 1",
        "DELETE FROM checkpoints",
        "UPDATE checkpoint_stamps SET tsa = 'x'",
        "DELETE FROM checkpoint_stamps",
    ]
    if raw.dialect.name == "postgresql":
        statements += [f"TRUNCATE {t} CASCADE" for t in ("signing_keys", "checkpoints", "checkpoint_stamps")]
    for s in statements:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            sql(raw, s)
    assert scalar(raw, "SELECT count(*) FROM checkpoints") == 1
    assert scalar(raw, "SELECT count(*) FROM checkpoint_stamps") == 1


# --- checkpoints and proofs --------------------------------------------------------------------------------------


def test_checkpoints_sign_the_log_and_proofs_verify(grown: Book):
    vkey = grown.public_key()
    first = grown.checkpoint()
    cp = notes.verify(first.note, vkey)
    with db.read(grown.engine) as conn:
        assert cp.size == 13 and cp.root == tree.root(conn, grown.corp_id, 13)
    assert (cp.origin, cp.corporation) == (f"minutebook/{grown.slug}", grown.slug)
    assert stored.signed_time(cp) is not None
    grow(grown, 4)
    second = grown.checkpoint()
    assert (first.number, second.number, second.tree_size) == (1, 2, 17)
    assert [c.number for c in grown.checkpoints()] == [1, 2]
    for seq in range(1, 18):
        proof = json.loads(json.dumps(grown.proof(seq)))  # as written to a file
        v = verifier.verify_proof_file(proof, vkey)
        assert (v.seq, v.checkpoint.size) == (seq, 17)
    old = grown.proof(5, first.note)  # in an older checkpoint given as its note
    assert verifier.verify_proof_file(old, vkey).checkpoint.size == 13
    for a, b in ((1, 2), ("1", "latest"), ("size:13", "size:17"), (first.note, "latest"), (2, 2)):
        c = verifier.verify_consistency_file(grown.consistency(a, b), vkey)
        assert c.new.size >= c.old.size
    assert grown.verify() == []


def test_proofs_refuse_what_they_cannot_prove(grown: Book):
    with pytest.raises(MinutebookError, match="no checkpoint yet"):
        grown.proof(3)
    first = grown.checkpoint()
    grow(grown, 1)
    with pytest.raises(MinutebookError, match=r"event 14 is not in the checkpoint, which covers events 1-13"):
        grown.proof(14)
    with pytest.raises(MinutebookError, match=r"no event 99: the log holds events 1-14"):
        grown.proof(99)
    grown.checkpoint()  # 14 events
    with pytest.raises(MinutebookError, match="OLD covers 14 events, more than NEW .13."):
        grown.consistency("latest", first.note)
    with pytest.raises(MinutebookError, match="no checkpoint 7"):
        grown.consistency(7, "latest")
    other = notes.sign(
        f"minutebook/{grown.slug}", 13, first.root, (), bytes(range(32)), f"minutebook/{grown.slug}"
    )
    with pytest.raises(MinutebookError, match="is not signed by this book's key"):
        grown.proof(3, other)


# --- verify names each tamper -----------------------------------------------------------------------------------


def test_truncation_after_a_checkpoint_is_named(every_node_stored, grown: Book, raw):
    grown.checkpoint()
    drop_append_only(raw)
    truncate(raw, grown.corp_id, 10)
    consistent(grown)  # the chain and the tree were cut back together: only the checkpoint remembers
    problems = about_checkpoints(open_book(grown.url).verify())
    assert len(problems) == 1, problems
    assert re.fullmatch(
        r"checkpoint 1 \(signed \S+Z\) covers 13 events but the log has 10: events 11-13 were deleted after it was "
        r"signed \(the log truncated\)",
        problems[0],
    ), problems
    with pytest.raises(MinutebookError, match="checkpoint 1 covers 13 events but the log has 10"):
        open_book(grown.url).checkpoint()
    assert scalar(raw, "SELECT count(*) FROM checkpoints") == 1


def test_a_consistent_rewrite_after_a_checkpoint_is_named(book: Book, raw):
    grow(book, 2)
    book.checkpoint()  # 5 events
    grow(book, 8)
    book.checkpoint()  # 13 events
    drop_append_only(raw)

    def mallory(r):
        p = json.loads(r["payload"])
        p["name"] = "Mallory"
        return log.canonical(p).decode()

    rewrite(raw, book.corp_id, 7, payload=mallory)
    consistent(book)
    problems = beyond_dropped(raw, open_book(book.url).verify())
    assert len(problems) == 2, problems
    # the holders projection still holds the name the event gave when it was appended
    assert (
        problems[1] == "projection: holders: h6: its name reads 'Holder h6', the log gives 'Mallory': edited"
    )
    assert re.fullmatch(
        r"checkpoint 2 \(signed \S+\) no longer matches the log: its first 13 events now have another Merkle root "
        r"than the one signed \(\S+…\): event\(s\) 6-13 were rewritten, back-dated or replaced after it was signed; "
        r"checkpoint 1 before it still matches",
        problems[0],
    ), problems
    again = open_book(book.url)
    with pytest.raises(MinutebookError, match=r"the log no longer extends checkpoint 2 \(13 events"):
        again.proof(7)
    with pytest.raises(MinutebookError, match="no longer extends checkpoint 2"):
        again.checkpoint()
    assert verifier.verify_proof_file(again.proof(4, again.checkpoints()[0].note), again.public_key())


def test_back_dating_a_checkpointed_event_is_named(book: Book, raw):
    grow(book, 2)
    book.checkpoint()  # 5 events
    grow(book, 3)
    book.checkpoint()  # 8 events
    drop_append_only(raw)
    rewrite(raw, book.corp_id, 4, effective_on="1997-08-01")  # holder 4 added back in 1997
    consistent(book)
    problems = beyond_dropped(raw, open_book(book.url).verify())
    assert [p.split(" (signed")[0] for p in problems] == ["checkpoint 1", "checkpoint 2"], problems
    assert "event(s) 1-5 were rewritten, back-dated or replaced" in problems[0]
    assert "event(s) 1-8 were rewritten, back-dated or replaced" in problems[1]


def test_an_event_back_dated_before_a_checkpoint_it_follows_is_named(grown: Book, raw):
    grown.checkpoint()  # 13 events, signed now
    grow(grown, 2)  # events 14, 15: recorded after it
    drop_append_only(raw)
    rewrite(raw, grown.corp_id, 14, recorded_at="2001-01-01T00:00:00.000000+00:00")
    consistent(grown)
    problems = beyond_dropped(raw, open_book(grown.url).verify())
    assert len(problems) == 1, problems
    assert re.fullmatch(
        r"event 14: it says it was recorded at 2001-01-01T00:00:00.000000\+00:00, before checkpoint 1 was signed "
        r"\(\S+Z\), which covers only events 1-13: its recorded-at was back-dated",
        problems[0],
    ), problems


def test_forks_are_named(book: Book, raw, auxer_read, backend, tmp_path, request):
    """A copy of the book, made with the same key, grows another way and signs; its checkpoint replaces one of
    the book's. And the book itself cut back to its first checkpoint and grown again."""
    grow(book, 2)
    book.checkpoint()  # 1: 5 events
    grow(book, 3)
    book.checkpoint()  # 2: 8 events
    other_url = str(tmp_path / "copy.db") if backend == "sqlite" else request.getfixturevalue("pg_database")()
    copy = create(other_url, auxer_read, [AUXER], key_dir=book.key_file().parent)  # adopts the same key file
    assert copy.public_key() == book.public_key()
    grow(copy, 5, tag="other")
    theirs = copy.checkpoint(key_dir=book.key_file().parent)  # 8 events too, another log
    grow(book, 2)
    book.checkpoint()  # 3: 10 events
    assert book.verify() == []
    drop_append_only(raw)
    sql(raw, "DELETE FROM checkpoints WHERE corporation_id = :c AND number = 2", c=book.corp_id)
    sql(
        raw,
        "INSERT INTO checkpoints (corporation_id, number, tree_size, root, signed_at, note) "
        "VALUES (:c, 2, :s, :r, :t, :n)",
        c=book.corp_id,
        s=theirs.tree_size,
        r=theirs.root,
        t=theirs.time,
        n=theirs.note,
    )
    problems = beyond_dropped(raw, open_book(book.url).verify())
    assert len(problems) == 2, problems
    assert problems[0].startswith("checkpoint 2 (signed ") and "event(s) 6-8 were rewritten" in problems[0]
    assert problems[0].endswith("checkpoint 1 before it still matches")
    assert re.fullmatch(
        r"checkpoint 3 \(signed \S+\) was signed over a log that does not extend checkpoint 2: the record was "
        r"rewritten between them \(a fork\)",
        problems[1],
    ), problems


def test_a_log_cut_back_and_grown_again_is_named(every_node_stored, book: Book, raw):
    grow(book, 2)
    book.checkpoint()  # 5 events
    grow(book, 3)
    book.checkpoint()  # 8 events
    drop_append_only(raw)
    truncate(raw, book.corp_id, 5)
    forked = open_book(book.url)
    grow(forked, 4, tag="fork")  # 9 events through minutebook's own append path
    consistent(forked)
    problems = about_checkpoints(forked.verify())
    assert len(problems) == 1 and "checkpoint 2" in problems[0] and "event(s) 6-8" in problems[0], problems
    with pytest.raises(MinutebookError, match="no longer extends checkpoint 2"):
        forked.checkpoint()


def test_edited_deleted_and_forged_checkpoints_are_named(grown: Book, raw):
    for _ in range(3):
        grown.checkpoint()
    drop_append_only(raw)
    note = rows(raw, "SELECT note FROM checkpoints WHERE number = 3")[0][0]
    sql(raw, "UPDATE checkpoints SET note = :n WHERE number = 3", n=note.replace("\n13\n", "\n12\n", 1))
    sql(raw, "UPDATE checkpoints SET tree_size = 12 WHERE number = 1")
    sql(raw, "DELETE FROM checkpoints WHERE number = 2")
    problems = about_checkpoints(open_book(grown.url).verify())
    assert problems == [
        "checkpoint(s) 2 missing: deleted",
        problems[1],
        problems[2],
    ], problems
    assert problems[1].startswith("checkpoint 1: its row says 12 events") and problems[1].endswith(
        "the row was edited (the note is what counts)"
    )
    assert re.fullmatch(
        r"checkpoint 3: the signature by minutebook/\S+ does not verify: the note was altered", problems[2]
    ), problems


def test_a_replaced_public_key_is_named(grown: Book, raw):
    grown.checkpoint()
    drop_append_only(raw)
    theirs = book_keys.vkey_for(grown.slug, notes.public_key(bytes(range(32))))
    sql(raw, "UPDATE signing_keys SET vkey = :v", v=theirs)
    problems = beyond_dropped(raw, open_book(grown.url).verify())
    assert len(problems) == 2, problems
    assert problems[0].startswith("checkpoint 1: no signature by key") and problems[0].endswith(
        "the book's key did not sign it (its public key was replaced, or the checkpoint was copied in)"
    )
    assert problems[1] == (
        f"the book's public key ({theirs}) is not the key in {grown.key_file()}: the recorded key was replaced in "
        "the database, or the file is another book's"
    )
    sql(raw, "DELETE FROM signing_keys")
    assert beyond_dropped(raw, open_book(grown.url).verify()) == [
        "the book stores 1 checkpoint(s) but no public key: its row was deleted; the checkpoints are read unverified"
    ]


def test_the_checkpoint_time_and_stamps_are_kept(grown: Book, raw):
    s = grown.checkpoint()
    assert s.time == rows(raw, "SELECT signed_at FROM checkpoints")[0][0]
    assert base64.b64encode(bytes(rows(raw, "SELECT root FROM checkpoints")[0][0])) == base64.b64encode(
        s.root
    )
    assert grown.stamps() == []
