"""An index of the events that are not the ledger's bulk (issue 18).

A question about the charter, the board's and the stockholders' acts, the plans or the corrections (the calendar, the
franchise tax, `check`'s governance record, `verify`) read every event of the log to find a few: about a second on a
book of a million events, paid again by the web app's dashboard after each act. `ix_events_acts` holds the events of
every type but those a book records by the thousand (`schema.BULK_TYPES`: the ledger, the holders, equity awards and
their vesting), so such a question reads those events alone, and an append of a ledger event writes no index row. A
partial index: a query names its condition word for word to use it (`schema.ACTS_ONLY`).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BULK = (
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
WHERE = " AND ".join(f"type <> '{t}'" for t in BULK)  # comparisons: cheaper than NOT IN on every insert


def upgrade() -> None:
    op.create_index(
        "ix_events_acts",
        "events",
        ["corporation_id", "type", "seq"],
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_events_acts", table_name="events")
