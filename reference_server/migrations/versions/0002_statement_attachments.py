"""statement attachments: the raw content of xAPI statement attachments, once per SHA-2

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_attachments",
        sa.Column("sha2", sa.String(length=128), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha2"),
    )


def downgrade() -> None:
    op.drop_table("statement_attachments")
