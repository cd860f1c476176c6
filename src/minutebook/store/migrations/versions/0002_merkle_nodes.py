"""The Merkle tree of each corporation's log (`merkle_nodes`), append-only like the events, backfilled from the
events already stored.

Level 0 index i is the leaf hash (RFC 9162) of event seq i + 1, whose data are the canonical bytes the hash chain
hashes (`store.log.row_bytes`); level k index i the hash of the complete subtree over leaves [i*2^k, (i+1)*2^k).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from minutebook.core import merkle
from minutebook.store.log import row_bytes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PAGE = 5_000  # events read, and nodes written, at a time


def upgrade() -> None:
    op.create_table(
        "merkle_nodes",
        sa.Column("corporation_id", sa.Integer, primary_key=True),
        sa.Column("level", sa.Integer, primary_key=True),
        sa.Column("idx", sa.BigInteger, primary_key=True),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.CheckConstraint("length(hash) = 32", name="ck_merkle_nodes_hash_size"),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    for corp_id, slug in conn.execute(sa.text("SELECT id, slug FROM corporations ORDER BY id")).all():
        _backfill(conn, corp_id, slug)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER merkle_nodes_no_{what.lower()} BEFORE {what} ON merkle_nodes "
                "BEGIN SELECT RAISE(ABORT, 'the Merkle tree of the event log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION minutebook_tree_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the Merkle tree of the event log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON merkle_nodes "
            "FOR EACH ROW EXECUTE FUNCTION minutebook_tree_append_only()"
        )
        op.execute(
            "CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON merkle_nodes "
            "FOR EACH STATEMENT EXECUTE FUNCTION minutebook_tree_append_only()"
        )


def downgrade() -> None:
    op.drop_table("merkle_nodes")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION minutebook_tree_append_only()")


def _backfill(conn: sa.Connection, corp_id: int, slug: str) -> None:
    """The tree over the corporation's stored events in order of sequence, as `store.log.append` would have
    written it: the i-th event (from 0) is leaf i. Only the right edge (the last complete node of each level) is
    kept in memory."""
    insert = sa.text("INSERT INTO merkle_nodes (corporation_id, level, idx, hash) VALUES (:c, :lv, :ix, :h)")
    page = sa.text(
        "SELECT seq, type, effective_on, bound, recorded_at, actor, payload, source, prev_hash FROM events "
        "WHERE corporation_id = :c AND seq > :after ORDER BY seq LIMIT :n"
    )
    edge: dict[int, bytes] = {}  # level -> the last complete node of that level
    size, after = 0, -1
    while True:
        rows = conn.execute(page, {"c": corp_id, "after": after, "n": PAGE}).all()
        if not rows:
            return
        nodes = []
        for r in rows:
            leaf = merkle.leaf_hash(row_bytes(slug, r._mapping))
            for level, index, h in merkle.levels_for_append(size, leaf, lambda lv, _ix: edge[lv]):
                edge[level] = h
                nodes.append({"c": corp_id, "lv": level, "ix": index, "h": h})
            size += 1
        conn.execute(insert, nodes)
        after = rows[-1].seq
