"""pending statements index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 12:20:00

The outbox asks for the oldest pending statements in sequence order. The index on
(uploaded_at, quarantined_reason) found them, but SQLite then sorted every pending row for
each batch. A partial index holding only the pending rows, in sequence order (with the lesson,
for the pending count), gives each batch straight from its front; rows leave it as they are
acknowledged, so it stays as small as the queue.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PENDING = "uploaded_at IS NULL AND quarantined_reason IS NULL"


def upgrade() -> None:
    op.drop_index("ix_progress_event_pending", table_name="progress_event")
    op.execute(
        "CREATE INDEX ix_progress_event_pending_seq "
        f"ON progress_event (seq, lesson_id) WHERE {PENDING}"
    )


def downgrade() -> None:
    op.drop_index("ix_progress_event_pending_seq", table_name="progress_event")
    op.create_index(
        "ix_progress_event_pending", "progress_event", ["uploaded_at", "quarantined_reason"]
    )
