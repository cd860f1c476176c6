"""Fewer pages written per append (issue 18): the rows one append writes lie together.

- `merkle_nodes` is keyed by (corporation_id, seq, level): `seq` is the event that completes the node, the last of
  the leaves it covers, so every node an append writes lies beside the others (before, each level was a run of its
  own, so a page per level). A check constraint ties `seq` to the node's level and index, so (level, idx) still
  names one node: seq = (idx + 1) << level.
- `ledger_entries` is keyed by (corporation_id, effective_on, seq, part), `part` the entry's place among its
  event's entries, and on SQLite stored in that order (WITHOUT ROWID): an in-order act appends at the table's end,
  and the index by date (`ix_ledger_corp_date`), a prefix of the key, goes. Its row id goes with it.
- On SQLite, `balances` is stored in the order of its primary key (WITHOUT ROWID): one B-tree, not a table and its
  key's index.

Each table is made again under its new shape and its rows copied (the tree's append-only triggers made again as
0002 made them).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TREE_MESSAGE = "the Merkle tree of the event log is append-only"


def _tree_triggers(dialect: str) -> None:
    """The append-only triggers on `merkle_nodes`, as 0002 wrote them (PostgreSQL: its function is still there)."""
    if dialect == "sqlite":
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER merkle_nodes_no_{what.lower()} BEFORE {what} ON merkle_nodes "
                f"BEGIN SELECT RAISE(ABORT, '{TREE_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON merkle_nodes "
            "FOR EACH ROW EXECUTE FUNCTION minutebook_tree_append_only()"
        )
        op.execute(
            "CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON merkle_nodes "
            "FOR EACH STATEMENT EXECUTE FUNCTION minutebook_tree_append_only()"
        )


def _swap(dialect: str, table: str) -> None:
    """`<table>_new` takes the place of `table` (PostgreSQL: its primary key's name too)."""
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)
    if dialect == "postgresql":
        op.execute(f"ALTER INDEX {table}_new_pkey RENAME TO {table}_pkey")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "merkle_nodes_new",
        sa.Column("corporation_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("level", sa.Integer, primary_key=True),
        sa.Column("idx", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.CheckConstraint("length(hash) = 32", name="ck_merkle_nodes_hash_size"),
        sa.CheckConstraint("seq = (idx + 1) << level", name="ck_merkle_nodes_seq"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO merkle_nodes_new (corporation_id, seq, level, idx, hash) "
        "SELECT corporation_id, (idx + 1) << level, level, idx, hash FROM merkle_nodes "
        "ORDER BY corporation_id, (idx + 1) << level, level"
    )
    _swap(dialect, "merkle_nodes")
    _tree_triggers(dialect)

    op.create_table(
        "ledger_entries_new",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("effective_on", sa.String(10), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("part", sa.SmallInteger, primary_key=True),
        sa.Column("holder_id", sa.String(100), nullable=False),
        sa.Column("class_key", sa.String(100), nullable=False),
        sa.Column("series_key", sa.String(100), nullable=False, server_default=""),
        sa.Column("delta", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO ledger_entries_new (corporation_id, effective_on, seq, part, holder_id, class_key, series_key, "
        "delta) SELECT corporation_id, effective_on, seq, "
        "row_number() OVER (PARTITION BY corporation_id, seq ORDER BY id) - 1, holder_id, class_key, series_key, "
        "delta FROM ledger_entries ORDER BY corporation_id, effective_on, seq, id"
    )
    op.drop_index("ix_ledger_corp_date", "ledger_entries")
    _swap(dialect, "ledger_entries")

    if dialect == "sqlite":
        op.create_table(
            "balances_new",
            sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
            sa.Column("holder_id", sa.String(100), primary_key=True),
            sa.Column("class_key", sa.String(100), primary_key=True),
            sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
            sa.Column("shares", sa.BigInteger, nullable=False),
            sqlite_with_rowid=False,
        )
        op.execute(
            "INSERT INTO balances_new (corporation_id, holder_id, class_key, series_key, shares) "
            "SELECT corporation_id, holder_id, class_key, series_key, shares FROM balances "
            "ORDER BY corporation_id, holder_id, class_key, series_key"
        )
        _swap(dialect, "balances")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.create_table(
            "balances_new",
            sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
            sa.Column("holder_id", sa.String(100), primary_key=True),
            sa.Column("class_key", sa.String(100), primary_key=True),
            sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
            sa.Column("shares", sa.BigInteger, nullable=False),
        )
        op.execute(
            "INSERT INTO balances_new SELECT corporation_id, holder_id, class_key, series_key, shares FROM balances"
        )
        _swap(dialect, "balances")

    op.create_table(
        "ledger_entries_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("effective_on", sa.String(10), nullable=False),
        sa.Column("holder_id", sa.String(100), nullable=False),
        sa.Column("class_key", sa.String(100), nullable=False),
        sa.Column("series_key", sa.String(100), nullable=False, server_default=""),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.execute(
        "INSERT INTO ledger_entries_new (corporation_id, seq, effective_on, holder_id, class_key, series_key, delta) "
        "SELECT corporation_id, seq, effective_on, holder_id, class_key, series_key, delta FROM ledger_entries "
        "ORDER BY corporation_id, seq, part"
    )
    _swap(dialect, "ledger_entries")
    if dialect == "postgresql":
        op.execute("ALTER SEQUENCE ledger_entries_new_id_seq RENAME TO ledger_entries_id_seq")
    op.create_index("ix_ledger_corp_date", "ledger_entries", ["corporation_id", "effective_on"])

    op.create_table(
        "merkle_nodes_new",
        sa.Column("corporation_id", sa.Integer, primary_key=True),
        sa.Column("level", sa.Integer, primary_key=True),
        sa.Column("idx", sa.BigInteger, primary_key=True),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.CheckConstraint("length(hash) = 32", name="ck_merkle_nodes_hash_size"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO merkle_nodes_new (corporation_id, level, idx, hash) "
        "SELECT corporation_id, level, idx, hash FROM merkle_nodes ORDER BY corporation_id, level, idx"
    )
    _swap(dialect, "merkle_nodes")
    _tree_triggers(dialect)
