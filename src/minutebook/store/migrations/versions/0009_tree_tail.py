"""The Merkle tree's tail in the head row (issue 18).

An append of one event wrote its leaf, and every node it completed, to `merkle_nodes`: a page of the write-ahead log
on every append beside the events', the head's and the ledger's. The leaves after the last multiple of `log.TAIL`
events are now kept in the head row (`corporations.tree_tail`), which each append writes anyway, and go to
`merkle_nodes` with the nodes they complete when the log reaches that multiple. A book from before holds every leaf in
`merkle_nodes` and no tail: it fits as it is.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("corporations", sa.Column("tree_tail", sa.LargeBinary))


def downgrade() -> None:
    """The tail's leaves and the nodes they complete go to `merkle_nodes` first, as the append would have written them
    (the downgraded code holds every leaf there)."""
    from minutebook.core import merkle  # RFC 9162's hashing: pure, and fixed by the RFC

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, tree_tail FROM corporations WHERE tree_tail IS NOT NULL")).all()
    for corp_id, tail in rows:
        stored = conn.execute(
            sa.text("SELECT seq FROM merkle_nodes WHERE corporation_id = :c ORDER BY seq DESC LIMIT 1"),
            {"c": corp_id},
        ).scalar()

        def node(level: int, index: int, corp_id=corp_id) -> bytes:
            return bytes(
                conn.execute(
                    sa.text(
                        "SELECT hash FROM merkle_nodes WHERE corporation_id = :c AND seq = :s AND level = :l"
                    ),
                    {"c": corp_id, "s": (index + 1) << level, "l": level},
                ).scalar_one()
            )

        tail = bytes(tail)
        leaves = [tail[i : i + merkle.HASH_SIZE] for i in range(0, len(tail), merkle.HASH_SIZE)]
        nodes = merkle.levels_for_batch(stored or 0, leaves, node)
        for lv, ix, h in nodes:
            conn.execute(
                sa.text(
                    "INSERT INTO merkle_nodes (corporation_id, seq, level, idx, hash) VALUES (:c, :s, :l, :i, :h)"
                ),
                {"c": corp_id, "s": (ix + 1) << lv, "l": lv, "i": ix, "h": h},
            )
    op.drop_column("corporations", "tree_tail")  # SQLite 3.35 and later drop a column in place
