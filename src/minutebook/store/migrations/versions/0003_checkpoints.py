"""Signed checkpoints of each corporation's log (issue 17): the book's public key, the checkpoints it signed, and
the RFC 3161 time-stamp tokens a time-stamping authority gave them. All three tables are append-only, by triggers
on SQLite and PostgreSQL (UPDATE, DELETE and TRUNCATE refused), like the events and the Merkle tree.

- `signing_keys`: one row per corporation, its Ed25519 public key as a C2SP verifier key
  (`<name>+<key id>+<base64 key>`); the private key is a file outside the database (`book.keys`).
- `checkpoints`: number 1, 2, 3, ... per corporation; the tree size and root hash it signs, the time it states, and
  the signed note itself (c2sp.org/tlog-checkpoint), which is what a verifier trusts: the other columns are copies
  for querying, checked against it by `verify`.
- `checkpoint_stamps`: a time-stamp token (the TimeStampResp's DER) over a checkpoint's note, from the TSA at `tsa`.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("signing_keys", "checkpoints", "checkpoint_stamps")


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("vkey", sa.String(400), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "checkpoints",
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("tree_size", sa.BigInteger, nullable=False),
        sa.Column("root", sa.LargeBinary(32), nullable=False),
        sa.Column("signed_at", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "checkpoint_stamps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("corporation_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("tsa", sa.String(500), nullable=False),
        sa.Column("token", sa.LargeBinary, nullable=False),
        sa.Column("stamped_at", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["corporation_id", "number"], ["checkpoints.corporation_id", "checkpoints.number"]
        ),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in TABLES:
            for what in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION minutebook_signed_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION minutebook_signed_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION minutebook_signed_append_only()"
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION minutebook_signed_append_only()")
