"""upload hold

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 13:10:00

A statement that a proxy or firewall keeps stopping used to be retried with the whole backoff
at every sync. Its next try and the number of runs it was stopped are now kept, one row per
such statement, so a later sync skips it until then; the row goes once it is uploaded.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_hold",
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_upload_hold")),
    )


def downgrade() -> None:
    op.drop_table("upload_hold")
