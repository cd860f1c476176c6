"""Audit snapshots (issue 18).

The book's audit of its log up to an event (`check`'s findings and the state it reached), so that a later check of a
large book goes on from it and audits only the events appended since (`book.audit_snapshot`); made by a check, trusted
only under a MAC keyed by the book's private key, checked by `verify`, dropped by `rebuild`. Created empty.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_snapshots",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_hash", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_snapshots")
