"""Position marks and fold snapshots (issue 18).

Position marks: each corporation's positions at dates through its history, so that a cap table on any date sums only
the ledger entries between that date and the nearest mark (`store.marks`). Derived data, like the other projections:
made as the log grows, checked by `verify`, made again by `rebuild`. Created empty: a book's marks are made by its
next append (or `minutebook rebuild`); until then a past date sums every entry before it.

Fold snapshots: the book's fold of its log up to an event, so that opening a large book reads the snapshot and the
events after it (`book.snapshot`); made when a book is opened by reading its whole log, trusted only under a MAC
keyed by the book's private key, checked by `verify`, dropped by `rebuild`.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "position_marks",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("mark_on", sa.String(10), primary_key=True),
        sa.Column("holder_id", sa.String(100), primary_key=True),
        sa.Column("class_key", sa.String(100), primary_key=True),
        sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
        sa.Column("shares", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "position_mark_dates",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("mark_on", sa.String(10), primary_key=True),
        sa.Column("checked_seq", sa.Integer, nullable=False),
    )

    op.create_table(
        "fold_snapshots",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_hash", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fold_snapshots")
    op.drop_table("position_mark_dates")
    op.drop_table("position_marks")
