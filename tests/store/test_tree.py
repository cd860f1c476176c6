"""The Merkle tree the store keeps beside the log (`merkle_nodes`, `store.tree`): its head equals the RFC 9162 root
over the events' canonical bytes computed here apart from the store, its proofs verify, it is append-only, the
migration that adds it backfills a book written before it, and `verify` names every way it and the log were
made to disagree behind minutebook's back (the log cut short, an event rewritten with its whole chain recomputed,
tree rows deleted or edited, the head row's tail of leaves edited or cleared). The tests that tamper with stored nodes
run with `log.TAIL` at 1 (`every_node_stored`: each append writes its nodes), so that the nodes they name are stored;
the others with the default, where the last leaves wait in the head row.)"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from storehelp import rows, scalar, sql

from minutebook import verifier
from minutebook.book import Book, open_book
from minutebook.core import merkle
from minutebook.core.events import Event, StakeholderAdded
from minutebook.store import db, log, tree

ON = date(2000, 1, 1)


def holders(first: int, n: int, tag: str = "h") -> list[Event]:
    return [Event(StakeholderAdded(f"{tag}{i}", f"Holder {i} — ü"), ON) for i in range(first, first + n)]


def leaves_apart(raw: sa.Engine, corp_id: int) -> list[bytes]:
    """The leaf hashes of the corporation's events, from its rows as stored, encoded by the offline verifier (not
    the store); each one's bytes are also the ones its chain hash was computed over."""
    out = []
    with raw.connect() as conn:
        slug = conn.execute(sa.text("SELECT slug FROM corporations WHERE id = :c"), {"c": corp_id}).scalar()
        q = sa.text("SELECT * FROM events WHERE corporation_id = :c ORDER BY seq")
        for r in conn.execute(q, {"c": corp_id}).mappings():
            data = verifier.event_bytes(
                {
                    "corporation": slug,
                    **{
                        k: r[k]
                        for k in ("seq", "type", "effective_on", "bound", "recorded_at", "actor", "prev_hash")
                    },
                    "payload": json.loads(r["payload"]),
                    "source": json.loads(r["source"]) if r["source"] else None,
                }
            )
            assert hashlib.sha256(data).hexdigest() == r["hash"]
            out.append(merkle.leaf_hash(data))
    return out


def tail_of(raw: sa.Engine, corp_id: int) -> list[bytes]:
    return log.tail_leaves(scalar(raw, "SELECT tree_tail FROM corporations WHERE id = :c", c=corp_id))


def complete_before(leaves: list[bytes], base: int) -> dict[tuple[int, int], bytes]:
    """The complete subtrees over `leaves` that lie wholly before leaf `base`: what `merkle_nodes` holds when the
    leaves from `base` on wait in the head row."""
    return {(lv, i): h for (lv, i), h in all_nodes(leaves).items() if (i + 1) << lv <= base}


def stored_nodes(raw: sa.Engine, corp_id: int) -> dict[tuple[int, int], bytes]:
    q = "SELECT level, idx, hash FROM merkle_nodes WHERE corporation_id = :c"
    return {(lv, i): bytes(h) for lv, i, h in rows(raw, q, c=corp_id)}


def all_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every complete subtree over `leaves`, straight from the definition: level k index i = MTH of leaves
    [i*2^k, (i+1)*2^k)."""
    out = {}
    k = 0
    while 1 << k <= len(leaves):
        w = 1 << k
        for i in range(len(leaves) // w):
            out[(k, i)] = merkle.root(leaves[i * w : (i + 1) * w])
        k += 1
    return out


DROPPED = {  # the triggers `drop_append_only` drops, as verify names them
    "sqlite": ("events_no_update", "events_no_delete", "merkle_nodes_no_update", "merkle_nodes_no_delete"),
    "postgresql": ("events_append_only", "merkle_nodes_append_only"),
}


def drop_append_only(raw: sa.Engine) -> None:
    """What an attacker holding the database does first."""
    if raw.dialect.name == "sqlite":
        sql(raw, *(f"DROP TRIGGER {t}" for t in DROPPED["sqlite"]))
    else:
        sql(
            raw,
            "DROP TRIGGER events_append_only ON events",
            "DROP TRIGGER merkle_nodes_append_only ON merkle_nodes",
        )


def beyond_dropped(raw: sa.Engine, problems: list[str]) -> list[str]:
    """The problems `verify` names besides the triggers `drop_append_only` dropped (each of which it names)."""
    schema = [p for p in problems if p.startswith("schema: ")]
    assert sorted(p.split()[2] for p in schema) == sorted(DROPPED[raw.dialect.name]), schema
    return [p for p in problems if not p.startswith("schema: ")]


@pytest.fixture
def store(db_url):
    engine, _ = db.open_engine(db_url)
    yield engine
    engine.dispose()


# --- the stored tree is the RFC's tree over the events ---------------------------------------------------------


@pytest.mark.parametrize("tail", [1, 4, log.TAIL])
def test_one_by_one_each_size_has_the_root_of_its_leaves(store, raw, monkeypatch, tail):
    """Appended one by one, the leaves since the last multiple of `TAIL` wait in the head row and the rest, with every
    node they complete, are stored; the tree's size, root and proofs at every size are the RFC's all the same."""
    monkeypatch.setattr(log, "TAIL", tail)
    with db.write(store) as conn:
        cid = log.new_corporation(conn, "acme", "Acme Inc.")
    for n in range(1, 41):
        with db.write(store) as conn:
            log.append(conn, cid, holders(n, 1))
        leaves = leaves_apart(raw, cid)
        base = n - n % tail
        assert stored_nodes(raw, cid) == complete_before(leaves, base)
        assert tail_of(raw, cid) == leaves[base:]
        with db.read(store) as conn:
            assert tree.size(conn, cid) == n
            assert tree.root(conn, cid, n) == merkle.root(leaves)
            root = merkle.root(leaves)
            for seq in {1, n // 2 + 1, n - 1, n} - {0}:
                proof = tree.inclusion(conn, cid, seq, n)
                assert merkle.verify_inclusion(leaves[seq - 1], seq - 1, n, proof, root)
            for old in {1, base, n - 1} - {0}:
                proof = tree.consistency(conn, cid, old, n)
                assert merkle.verify_consistency(old, n, merkle.root(leaves[:old]), root, proof)
    with db.read(store) as conn:
        for m in range(41):
            assert tree.root(conn, cid, m) == merkle.root(leaves[:m])
        assert tree.verify_tree(conn, cid) == []


@pytest.mark.parametrize("batches", [(40,), (1, 2, 3, 5, 7, 11, 11), (3, 1, 16, 4, 16)])
def test_batches_write_the_same_tree(store, raw, batches):
    with db.write(store) as conn:
        cid = log.new_corporation(conn, "acme", "Acme Inc.")
    n = 0
    for b in batches:
        with db.write(store) as conn:
            log.append(conn, cid, holders(n, b))
        n += b
        with db.read(store) as conn:
            assert tree.root(conn, cid, n) == merkle.root(leaves_apart(raw, cid))
    assert stored_nodes(raw, cid) == all_nodes(leaves_apart(raw, cid))


def test_two_corporations_keep_two_trees(store, raw):
    with db.write(store) as conn:
        a = log.new_corporation(conn, "a", "A Inc.")
        b = log.new_corporation(conn, "b", "B Inc.")
        log.append(conn, a, holders(0, 5))
        log.append(conn, b, holders(0, 9))
        log.append(conn, a, holders(5, 6))
    for cid in (a, b):
        assert stored_nodes(raw, cid) == all_nodes(leaves_apart(raw, cid))


def test_a_batch_reads_nothing_it_computed():
    """Appended to an empty tree, a batch reads no node back: each left sibling was completed by the batch."""
    reads = []

    def node(level, index):
        reads.append((level, index))
        raise AssertionError("read")

    leaves = [merkle.leaf_hash(bytes([i])) for i in range(100)]
    out = log.tree_rows(0, leaves, node)
    assert reads == []
    assert {(lv, i): h for lv, i, h in out} == all_nodes(leaves)
    # onto 5 stored leaves: only the stored tree's right edge is read, once each (leaf 4, then leaves 0-3)
    first = {(lv, i): h for lv, i, h in log.tree_rows(0, leaves[:5], node)}
    out = log.tree_rows(5, leaves[5:], lambda lv, i: reads.append((lv, i)) or first[(lv, i)])
    assert reads == [(0, 4), (2, 0)]
    assert {**first, **{(lv, i): h for lv, i, h in out}} == all_nodes(leaves)


def test_proofs_from_the_store_verify(store, raw):
    with db.write(store) as conn:
        cid = log.new_corporation(conn, "acme", "Acme Inc.")
        log.append(conn, cid, holders(0, 21))
        log.append(conn, cid, holders(21, 12))
    leaves = leaves_apart(raw, cid)
    with db.read(store) as conn:
        for size in (1, 2, 7, 8, 13, 32, 33):
            root = tree.root(conn, cid, size)
            for seq in range(1, size + 1):
                proof = tree.inclusion(conn, cid, seq, size)
                assert merkle.verify_inclusion(leaves[seq - 1], seq - 1, size, proof, root)
                assert (
                    not merkle.verify_inclusion(leaves[seq - 1], seq % size, size, proof, root) or size == 1
                )
            for old in range(size + 1):
                proof = tree.consistency(conn, cid, old, size)
                assert merkle.verify_consistency(old, size, tree.root(conn, cid, old), root, proof)
        with pytest.raises(ValueError, match="the tree has 33 leaves, not 34"):
            tree.root(conn, cid, 34)


# --- append-only ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE merkle_nodes SET hash = hash WHERE level = 0",
        "DELETE FROM merkle_nodes WHERE level = 1",
        "DELETE FROM merkle_nodes",
    ],
)
def test_the_tree_is_append_only(book: Book, raw, statement):
    before = stored_nodes(raw, book.corp_id)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        sql(raw, statement)
    assert stored_nodes(raw, book.corp_id) == before


# --- verify names what was done behind minutebook's back -------------------------------------------------------


@pytest.fixture
def grown(book: Book) -> Book:
    """The Auxer Group (3 charter events) and 10 holders: 13 events."""
    for i in range(10):
        assert not book.add_holder(f"h{i}", f"Holder {i}", on=ON).refused
    assert len(book.events) == 13
    assert book.verify() == []
    return book


def chain(raw: sa.Engine, corp_id: int) -> tuple[str, list[dict]]:
    with raw.connect() as conn:
        slug = conn.execute(sa.text("SELECT slug FROM corporations WHERE id = :c"), {"c": corp_id}).scalar()
        q = sa.text("SELECT * FROM events WHERE corporation_id = :c ORDER BY seq")
        return slug, [dict(r) for r in conn.execute(q, {"c": corp_id}).mappings()]


def chain_problems(engine: sa.Engine, corp_id: int) -> list:
    with db.read(engine) as conn:
        return log.verify_chain(conn, corp_id)


def test_truncation_is_named_against_the_tree(grown: Book, raw):
    drop_append_only(raw)
    _, evs = chain(raw, grown.corp_id)
    keep = evs[9]  # events 11-13 deleted, and the head set back to event 10: the chain alone still verifies
    sql(raw, "DELETE FROM events WHERE corporation_id = :c AND seq > 10", c=grown.corp_id)
    sql(
        raw,
        "UPDATE corporations SET head_seq = 10, head_hash = :h WHERE id = :c",
        h=keep["hash"],
        c=grown.corp_id,
    )
    assert chain_problems(grown.engine, grown.corp_id) == []
    problems = open_book(grown.url).verify()
    assert any(
        p.startswith("tree: the log has 10 events, the tree 13: events were deleted") for p in problems
    ), problems
    # and the log cannot be extended over the tree that remembers them: nothing is written
    again = open_book(grown.url)
    with pytest.raises(log.TreeError, match="already holds leaf 10 .event 11."):
        again.add_holder("late", "Late", on=ON)
    assert scalar(raw, "SELECT count(*) FROM events") == 10


def test_the_head_rows_leaves_edited_or_cleared_are_named_and_rebuilt(grown: Book, raw):
    """The leaves waiting in the head row are part of the tree: one edited there is named at its event; the tail
    cleared leaves the tree shorter than the log, refuses the next append, and `rebuild` writes the nodes it lacks."""
    leaves = leaves_apart(raw, grown.corp_id)
    tail = tail_of(raw, grown.corp_id)
    first = len(leaves) - len(tail)  # 3: the charter's events came in one batch; the 10 holders one by one
    assert first == 3 and tail == leaves[first:]
    edited = b"".join(tail[:4]) + b"\x00" * 32 + b"".join(tail[5:])  # event first + 5's leaf
    sql(raw, "UPDATE corporations SET tree_tail = :t WHERE id = :c", t=edited, c=grown.corp_id)
    problems = open_book(grown.url).verify()
    assert [p for p in problems if p.startswith("event 8: it no longer matches its leaf in the tree")], (
        problems
    )
    assert [p for p in problems if p.startswith("tree")] == [], problems

    sql(raw, "UPDATE corporations SET tree_tail = NULL WHERE id = :c", c=grown.corp_id)
    problems = open_book(grown.url).verify()
    assert problems == [
        "tree: the log has 13 events, the tree 3: nodes were deleted from the tree, or events added to the log "
        "behind minutebook's back"
    ], problems
    with pytest.raises(log.TreeError, match="holds leaves for events 1-3 but the log has 13"):
        open_book(grown.url).add_holder("late", "Late", on=ON)
    assert scalar(raw, "SELECT count(*) FROM events") == 13
    again = open_book(grown.url)
    again.rebuild()  # every node over the 13 events written, the tail cleared
    assert stored_nodes(raw, grown.corp_id) == all_nodes(leaves) and tail_of(raw, grown.corp_id) == []
    assert again.verify() == []
    assert not again.add_holder("late", "Late", on=ON).refused
    assert again.verify() == []


def test_a_rewritten_event_with_its_chain_recomputed_is_named_at_its_leaf(grown: Book, raw):
    drop_append_only(raw)
    slug, evs = chain(raw, grown.corp_id)
    prev = evs[6]["prev_hash"]
    for r in evs[6:]:  # event 7 renamed, and every hash from it on recomputed: the chain verifies
        if r["seq"] == 7:
            payload = json.loads(r["payload"])
            payload["name"] = "Mallory"
            r["payload"] = log.canonical(payload).decode()
        r["prev_hash"] = prev
        r["hash"] = prev = log.row_hash(slug, r)
        sql(
            raw,
            "UPDATE events SET payload = :p, prev_hash = :ph, hash = :h WHERE id = :id",
            p=r["payload"],
            ph=r["prev_hash"],
            h=r["hash"],
            id=r["id"],
        )
    sql(raw, "UPDATE corporations SET head_hash = :h WHERE id = :c", h=prev, c=grown.corp_id)
    assert chain_problems(grown.engine, grown.corp_id) == []
    with db.read(grown.engine) as conn:
        problems = tree.verify_tree(conn, grown.corp_id)
    assert len(problems) == 1, problems
    assert problems[0].seq == 7
    assert problems[0].what.startswith(
        "it no longer matches its leaf in the tree, nor do events 8-13 after it"
    )
    assert [
        p for p in open_book(grown.url).verify() if p.startswith("event 7: it no longer matches its leaf")
    ]


def test_deleted_tree_rows_are_named_and_rebuild_writes_them_again(every_node_stored, grown: Book, raw):
    drop_append_only(raw)
    sql(
        raw,
        "DELETE FROM merkle_nodes WHERE corporation_id = :c AND ((level = 0 AND idx = 2) OR (level = 2 AND idx = 1))",
        c=grown.corp_id,
    )
    problems = beyond_dropped(raw, grown.verify())
    assert problems == [
        "tree: the tree lacks 2 node(s): leaf 2 (event 3), level 2 node 1 (events 5-8): deleted"
    ], problems
    grown.rebuild()
    assert beyond_dropped(raw, grown.verify()) == []
    # the tree's last leaf deleted: the sizes differ
    sql(raw, "DELETE FROM merkle_nodes WHERE corporation_id = :c AND level = 0 AND idx = 12", c=grown.corp_id)
    problems = beyond_dropped(raw, grown.verify())
    assert problems == [
        "tree: the log has 13 events, the tree 12: nodes were deleted from the tree, or events added to the log "
        "behind minutebook's back"
    ], problems
    # the whole tree deleted: named; rebuild writes it again
    sql(raw, "DELETE FROM merkle_nodes WHERE corporation_id = :c", c=grown.corp_id)
    assert beyond_dropped(raw, grown.verify()) == [
        "tree: the log has 13 events, the tree 0: nodes were deleted from the tree, or events added to the log "
        "behind minutebook's back"
    ]
    grown.rebuild()
    assert beyond_dropped(raw, grown.verify()) == []


def test_an_append_needing_a_deleted_node_is_refused(every_node_stored, grown: Book, raw):
    drop_append_only(raw)
    sql(raw, "DELETE FROM merkle_nodes WHERE corporation_id = :c AND level = 2 AND idx = 2", c=grown.corp_id)
    grown.add_holder("x13", "X", on=ON)  # event 14: leaf 13 completes (0, 12-13) only
    grown.add_holder("x14", "X", on=ON)  # event 15: needs no level-2 node either
    with pytest.raises(log.TreeError, match="has no level 2 node 2, over events 9-12"):
        grown.add_holder("x15", "X", on=ON)  # event 16 completes leaves 8-15 from (2, 2) and (2, 3)
    assert scalar(raw, "SELECT max(seq) FROM events") == 15


def test_an_edited_node_is_named(every_node_stored, grown: Book, raw):
    drop_append_only(raw)
    sql(
        raw,
        "UPDATE merkle_nodes SET hash = :h WHERE corporation_id = :c AND level = 1 AND idx = 3",
        h=b"\x00" * 32,
        c=grown.corp_id,
    )
    problems = beyond_dropped(raw, grown.verify())
    assert problems == [
        "tree: tree node(s) that do not match their children: level 1 node 3 (events 7-8): edited"
    ]
    insert = "INSERT INTO merkle_nodes (corporation_id, seq, level, idx, hash) VALUES (:c, :s, 9, 0, :h)"
    with pytest.raises(sa.exc.IntegrityError):  # a hash is 32 bytes
        sql(raw, insert, c=grown.corp_id, s=512, h=b"\x01" * 31)
    with pytest.raises(sa.exc.IntegrityError):  # keyed by the event completing it: (idx + 1) << level
        sql(raw, insert, c=grown.corp_id, s=511, h=b"\x01" * 32)


def test_a_node_far_beyond_the_log_is_named(every_node_stored, grown: Book, raw):
    """A leaf written far beyond the log (the levels of `tree.Nodes` have no room for it: it is kept beside) makes
    the tree as long as it says, and is named as a leaf the log lacks."""
    drop_append_only(raw)
    far = 1_000_000
    insert = "INSERT INTO merkle_nodes (corporation_id, seq, level, idx, hash) VALUES (:c, :s, 0, :i, :h)"
    sql(raw, insert, c=grown.corp_id, s=far + 1, i=far, h=b"\x02" * 32)
    problems = beyond_dropped(raw, grown.verify())
    assert problems == [
        f"tree: the log has 13 events, the tree {far + 1}: events were deleted from the end of the log (truncated), "
        "or leaves added to the tree"
    ]


def test_nodes_are_a_mapping_of_what_was_put():
    """`tree.Nodes` answers as the dict of the nodes put would: those in its levels and those kept beside (an index
    beyond its room, a hash of another size), in order of level then index, the odd ones last."""
    nodes, want = tree.Nodes(4), {}
    for k, h in [
        ((0, 0), b"a" * 32),
        ((0, 3), b"b" * 32),
        ((2, 1), b"c" * 32),
        ((0, 99), b"d" * 32),
        ((1, 0), b"e"),
    ]:
        nodes.put(*k, h)
        want[k] = h
    assert dict(nodes.items()) == want and len(nodes) == len(want)
    assert list(nodes.keys()) == [(0, 0), (0, 3), (2, 1), (0, 99), (1, 0)]
    assert all(k in nodes and nodes[k] == h and nodes.get(k) == h for k, h in want.items())
    for absent in [(0, 1), (1, 1), (5, 0), (0, 100), (-1, 0), "x"]:
        assert absent not in nodes and nodes.get(absent) is None  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        nodes[(0, 2)]


# --- the migration ---------------------------------------------------------------------------------------------


def test_the_migration_backfills_a_book_written_before_it(db_url, raw):
    """A database at revision 0001 (no tree), events written into it, then opened: the tree is there, the RFC's."""
    url = db.resolve_url(db_url)
    engine = db.engine_for(url)
    with db.write(engine) as conn:
        command.upgrade(db._config(conn), "0001")
    assert "merkle_nodes" not in sa.inspect(raw).get_table_names()
    ids = []
    with db.write(engine) as conn:
        for slug, n in (("old", 37), ("empty", 0), ("one", 1)):
            cid = log.new_corporation(conn, slug, slug.title())
            prev = log.GENESIS
            for seq, e in enumerate(holders(0, n), 1):
                row, _ = log.encode(e, seq, log.now(), prev, slug)
                prev = row["hash"]
                conn.execute(
                    sa.text(
                        "INSERT INTO events (corporation_id, seq, type, effective_on, bound, recorded_at, "
                        "actor, payload, source, prev_hash, hash) VALUES (:corporation_id, :seq, :type, "
                        ":effective_on, :bound, :recorded_at, :actor, :payload, :source, :prev_hash, :hash)"
                    ),
                    {**row, "corporation_id": cid},
                )
            conn.execute(
                sa.text("UPDATE corporations SET head_seq = :s, head_hash = :h WHERE id = :c"),
                {"s": n, "h": prev, "c": cid},
            )
            ids.append(cid)
    engine.dispose()
    engine, _ = db.open_engine(db_url)
    for cid in ids:
        leaves = leaves_apart(raw, cid)
        assert stored_nodes(raw, cid) == all_nodes(leaves)
        with db.read(engine) as conn:
            assert tree.root(conn, cid, len(leaves)) == merkle.root(leaves)
            assert tree.verify_tree(conn, cid) == []
    with db.write(engine) as conn:  # and appends go on from it
        log.append(conn, ids[0], holders(37, 4))
    assert stored_nodes(raw, ids[0]) == all_nodes(leaves_apart(raw, ids[0]))
    engine.dispose()


def test_the_backfill_writes_what_the_appends_wrote(grown: Book, raw):
    """Downgraded to before the tree and upgraded again: the backfill writes the nodes the appends wrote, and those over
    the leaves that were waiting in the head row (migration 0009's downgrade writes them first: the code before it
    holds every leaf in `merkle_nodes`)."""
    before, tail = stored_nodes(raw, grown.corp_id), tail_of(raw, grown.corp_id)
    leaves = leaves_apart(raw, grown.corp_id)
    assert tail and before == complete_before(leaves, len(leaves) - len(tail))
    grown.close()
    with db.write(grown.engine) as conn:
        command.downgrade(db._config(conn), "0008")
    assert stored_nodes(raw, grown.corp_id) == all_nodes(leaves)
    assert "tree_tail" not in [c["name"] for c in sa.inspect(raw).get_columns("corporations")]
    with db.write(grown.engine) as conn:
        command.downgrade(db._config(conn), "0001")
    assert "merkle_nodes" not in sa.inspect(raw).get_table_names()
    again = open_book(grown.url)
    assert stored_nodes(raw, again.corp_id) == all_nodes(leaves)
    assert again.verify() == []
    assert not again.add_holder("late", "Late", on=ON).refused  # and appends go on from it
    assert again.verify() == []
