"""Balances as a view over the ledger entries (issue 18).

The `balances` table held each (holder, class, series)'s shares at the end of the log, moved by every append: an upsert
at a random key, ~1.5 pages of the write-ahead log per append, for a figure nothing needs at the end of the log (the
book's fold holds the latest positions) and that a past date reads from the position marks and the entries after them.
The table is dropped; `balances` is now a view summing the entries, for anyone reading the database with SQL, always in
step with them.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

VIEW = (
    "CREATE VIEW balances AS SELECT corporation_id, holder_id, class_key, series_key, sum(delta) AS shares "
    "FROM ledger_entries GROUP BY corporation_id, holder_id, class_key, series_key HAVING sum(delta) <> 0"
)


def upgrade() -> None:
    op.drop_table("balances")
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW balances")
    op.create_table(
        "balances",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("holder_id", sa.String(100), primary_key=True),
        sa.Column("class_key", sa.String(100), primary_key=True),
        sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
        sa.Column("shares", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO balances (corporation_id, holder_id, class_key, series_key, shares) "
        "SELECT corporation_id, holder_id, class_key, series_key, sum(delta) FROM ledger_entries "
        "GROUP BY corporation_id, holder_id, class_key, series_key"
    )
