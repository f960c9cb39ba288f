"""download queue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 16:00:00

One row per asset a course asked to download, so the queue survives a restart. Rows in state
`done` stay as the record of which course asked for which file (storage keeps a shared file
while another course that asked for it still has its row). No foreign key to the catalog: a
course removed by the sync leaves the rows to `release()`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "download_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("bytes_done", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_download_job")),
        sa.UniqueConstraint("sha256", "course_id", name="uq_download_job_sha256_course"),
    )
    with op.batch_alter_table("download_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_download_job_course_id"), ["course_id"])
        batch_op.create_index(batch_op.f("ix_download_job_state"), ["state"])


def downgrade() -> None:
    with op.batch_alter_table("download_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_download_job_state"))
        batch_op.drop_index(batch_op.f("ix_download_job_course_id"))
    op.drop_table("download_job")
