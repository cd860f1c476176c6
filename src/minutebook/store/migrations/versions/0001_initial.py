"""The event log, documents and projections; triggers that make the event log append-only.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corporations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("head_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("head_hash", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("effective_on", sa.String(10), nullable=False),
        sa.Column("bound", sa.String(20), nullable=False, server_default="on"),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("corporation_id", "seq", name="uq_events_corp_seq"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.UniqueConstraint("corporation_id", "sha256", name="uq_documents_corp_sha"),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("effective_on", sa.String(10), nullable=False),
        sa.Column("holder_id", sa.String(100), nullable=False),
        sa.Column("class_key", sa.String(100), nullable=False),
        sa.Column("series_key", sa.String(100), nullable=False, server_default=""),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_ledger_corp_date", "ledger_entries", ["corporation_id", "effective_on"])
    op.create_table(
        "balances",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("holder_id", sa.String(100), primary_key=True),
        sa.Column("class_key", sa.String(100), primary_key=True),
        sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
        sa.Column("shares", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "holders",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("holder_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("email", sa.String(300)),
    )
    op.create_table(
        "charter_versions",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("effective_on", sa.String(10), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER events_no_{what.lower()} BEFORE {what} ON events "
                "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION minutebook_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the event log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION minutebook_append_only()"
        )
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION minutebook_append_only()"
        )
