"""The tables. `events` is the record (append-only, hash-chained) and `merkle_nodes` its Merkle tree (append-only);
`signing_keys`, `checkpoints` and `checkpoint_stamps` the book's signed statements about it (append-only); every
other table is a projection that `rebuild` can derive again from the events."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

BULK_TYPES = (
    "SharesIssued",
    "SharesTransferred",
    "SharesCancelled",
    "SharesRepurchased",
    "SharesConverted",
    "StakeholderAdded",
    "StakeholderChanged",
    "AwardGranted",
    "AwardExercised",
    "AwardEnded",
    "AwardRepriced",
    "VestingStarted",
    "VestingEventOccurred",
    "VestingAccelerated",
    "ServiceEnded",
    "ConvertibleIssued",
    "ConvertibleConverted",
)
"""The event types a book records by the thousand (the stock ledger, the holders, equity awards and their vesting).
The index `ix_events_acts` holds every other event (the charter, the board's and the stockholders' acts, the plans,
the papers, the corrections): a question about those reads them alone, and an append of these writes no index row.
Fixed as migration 0010 wrote it: a query uses the index only when its condition repeats `ACTS_ONLY` word for word."""
ACTS_ONLY = " AND ".join(f"type <> '{t}'" for t in BULK_TYPES)
"""The index's condition. Written as comparisons, not `type NOT IN (...)`: SQLite evaluates the condition on every
insert, and a list of constants cost each append ~3 us where the comparisons cost ~0.5 us."""

corporations = sa.Table(
    "corporations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(100), nullable=False, unique=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("head_seq", sa.Integer, nullable=False, server_default="0"),
    sa.Column("head_hash", sa.String(64), nullable=False, server_default=""),
    sa.Column("tree_tail", sa.LargeBinary),
)
"""A corporation and the head of its log: its last event's sequence and hash, and `tree_tail`, the Merkle leaves of
the events after the last one `merkle_nodes` holds (fewer than `log.TAIL`, 32 bytes each, in order; NULL for none),
written with the head by each append (migration 0009)."""

events = sa.Table(
    "events",
    metadata,
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
    sa.Index(
        "ix_events_acts",
        "corporation_id",
        "type",
        "seq",
        sqlite_where=sa.text(ACTS_ONLY),
        postgresql_where=sa.text(ACTS_ONLY),
    ),
)

merkle_nodes = sa.Table(
    "merkle_nodes",
    metadata,
    sa.Column("corporation_id", sa.Integer, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("level", sa.Integer, primary_key=True),
    sa.Column("idx", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
    sa.CheckConstraint("length(hash) = 32", name="ck_merkle_nodes_hash_size"),
    sa.CheckConstraint("seq = (idx + 1) << level", name="ck_merkle_nodes_seq"),
    sqlite_with_rowid=False,
)
"""The corporation's Merkle tree over its events (`core.merkle`), part of the record: append-only like the events.
Level 0 index i is the leaf hash of event seq i + 1; level k index i the hash of the complete subtree over leaves
[i*2^k, (i+1)*2^k). Only complete subtrees are stored; `store.log.append` writes those each event completes.
Keyed by (corporation, seq, level), `seq` the event that completes the node ((idx + 1) << level, a check), so that
the nodes one append writes lie together (migration 0006).
No foreign key: the one writer writes them with the events, which have one (the check costs an append ~5 %)."""


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.UniqueConstraint("corporation_id", "sha256", name="uq_documents_corp_sha"),
)

signing_keys = sa.Table(
    "signing_keys",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("vkey", sa.String(400), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
"""The book's Ed25519 public key as a C2SP verifier key, one per corporation, append-only (`store.checkpoints`)."""

checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("tree_size", sa.BigInteger, nullable=False),
    sa.Column("root", sa.LargeBinary(32), nullable=False),
    sa.Column("signed_at", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
"""The checkpoints the book signed (c2sp.org/tlog-checkpoint notes), numbered 1, 2, 3 ... per corporation,
append-only; `note` is the signed text, the other columns copies of what it says."""

checkpoint_stamps = sa.Table(
    "checkpoint_stamps",
    metadata,
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
"""RFC 3161 time-stamp tokens (the TimeStampResp's DER) over checkpoint notes, append-only."""

# --- projections -------------------------------------------------------------------------------------------

ledger_entries = sa.Table(
    "ledger_entries",
    metadata,
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
"""Each event's changes to the balances, dated; `part` is the entry's place among its event's entries (0, 1, ...).
Keyed, and on SQLite stored, in date order (migration 0006): an in-order act appends at the end."""

# `balances` is a view (migration 0008), not a table: each (holder, class, series)'s shares at the end of the log, the
# sum of its ledger entries (none listed at 0), for SQL readers of the database. minutebook itself reads positions on a
# date from the position marks and the entries after them (`projections.positions_on`), the latest from the book's
# fold; since the view, an append no longer moves a balance at a random key.

holders = sa.Table(
    "holders",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("holder_id", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("email", sa.String(300)),
)

charter_versions = sa.Table(
    "charter_versions",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("effective_on", sa.String(10), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)

position_marks = sa.Table(
    "position_marks",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("mark_on", sa.String(10), primary_key=True),
    sa.Column("holder_id", sa.String(100), primary_key=True),
    sa.Column("class_key", sa.String(100), primary_key=True),
    sa.Column("series_key", sa.String(100), primary_key=True, server_default=""),
    sa.Column("shares", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""Each (holder, class, series)'s shares at the end of a mark's day, from the dated ledger entries (`store.marks`)."""

position_mark_dates = sa.Table(
    "position_mark_dates",
    metadata,
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("mark_on", sa.String(10), primary_key=True),
    sa.Column("checked_seq", sa.Integer, nullable=False),
)
"""The marks of each corporation ("" is the mark before every date, holding nothing) and, on the latest, the log's
sequence when new marks were last looked for."""


def _snapshots(name: str) -> sa.Table:
    """A table of snapshots: one row per corporation, sealed bytes kept at an event of its log."""
    return sa.Table(
        name,
        metadata,
        sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_hash", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


fold_snapshots = _snapshots("fold_snapshots")
"""The book's fold of its log up to event `seq` (whose hash is `event_hash`), kept so that opening a large book reads
it and the events after it instead of every event (`book.snapshot`): derived data, trusted only under its `mac`."""

audit_snapshots = _snapshots("audit_snapshots")
"""The book's audit of its log up to event `seq` (`check`'s findings and where it stood), kept so that a later check
of a large book goes on from it instead of auditing every event (`book.audit_snapshot`): derived data, trusted only
under its `mac`."""

PROJECTIONS = (ledger_entries, holders, charter_versions)
MARKS = (position_marks, position_mark_dates)


# --- the web app's accounts (issue 19): not part of the record, not projections -----------------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
"""People who sign in to the web app; `password_hash` is an argon2id PHC string (`book.accounts`)."""

user_roles = sa.Table(
    "user_roles",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("corporation_id", sa.Integer, sa.ForeignKey("corporations.id"), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
)
"""One role per user and corporation: viewer, counsel, secretary or admin."""

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
)
"""Server-side sessions: the SHA-256 of the cookie's token (the token itself is never stored), its CSRF token."""

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("client", sa.String(100), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Index("ix_login_failures_username", "username"),
)
"""Failed sign-ins, counted by the login rate limit."""
