"""The web app's accounts (issue 19): users (argon2id password hashes), their role in each corporation, server-side
sessions (the SHA-256 of the cookie's token and its CSRF token) and failed sign-ins for the login rate limit. None of
them is part of the record: rows are updated and deleted as people sign in and out.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("client", sa.String(100), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_login_failures_username", "login_failures", ["username"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_username", "login_failures")
    for table in ("login_failures", "web_sessions", "user_roles", "users"):
        op.drop_table(table)
