"""initial cache schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 14:34:49.942531
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asset",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_asset")),
    )
    op.create_table(
        "checkin",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("residency_id", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("device_time", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin")),
    )
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_residency_id"), ["residency_id"], unique=False)

    op.create_table(
        "course",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
    )
    op.create_table(
        "progress_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(length=100), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("verb", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("statement_json", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=True),
        sa.Column("quarantined_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_event")),
        sa.UniqueConstraint("seq", name=op.f("uq_progress_event_seq")),
    )
    with op.batch_alter_table("progress_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_progress_event_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            "ix_progress_event_lesson", ["lesson_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_progress_event_pending", ["uploaded_at", "quarantined_reason"], unique=False
        )

    op.create_table(
        "residency",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("venue_name", sa.String(length=300), nullable=False),
        sa.Column("venue_address", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("checkin_opens_at", sa.DateTime(), nullable=True),
        sa.Column("checkin_closes_at", sa.DateTime(), nullable=True),
        sa.Column("prerequisites_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residency")),
    )
    op.create_table(
        "sync_state",
        sa.Column("stream", sa.String(length=50), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "enrolment",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("residency_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("badge_token", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["residency_id"],
            ["residency.id"],
            name=op.f("fk_enrolment_residency_id_residency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("residency_id", name=op.f("uq_enrolment_residency_id")),
    )
    op.create_table(
        "module",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_module_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module")),
    )
    with op.batch_alter_table("module", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_module_course_id"), ["course_id"], unique=False)

    op.create_table(
        "residency_session",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("residency_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("room", sa.String(length=200), nullable=False),
        sa.Column("faculty_json", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["residency_id"],
            ["residency.id"],
            name=op.f("fk_residency_session_residency_id_residency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residency_session")),
    )
    with op.batch_alter_table("residency_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_residency_session_residency_id"), ["residency_id"], unique=False
        )

    op.create_table(
        "lesson",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("module_id", sa.String(length=100), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("quiz_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_lesson_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
            name=op.f("fk_lesson_module_id_module"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson")),
    )
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lesson_module_id"), ["module_id"], unique=False)

    op.create_table(
        "lesson_asset",
        sa.Column("lesson_id", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lesson.id"],
            name=op.f("fk_lesson_asset_lesson_id_lesson"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["asset.sha256"], name=op.f("fk_lesson_asset_sha256_asset")
        ),
        sa.PrimaryKeyConstraint("lesson_id", "sha256", "role", name=op.f("pk_lesson_asset")),
    )
    with op.batch_alter_table("lesson_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_asset_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lesson_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_asset_sha256"))

    op.drop_table("lesson_asset")
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_module_id"))
        batch_op.drop_index(batch_op.f("ix_lesson_course_id"))

    op.drop_table("lesson")
    with op.batch_alter_table("residency_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_residency_session_residency_id"))

    op.drop_table("residency_session")
    with op.batch_alter_table("module", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_module_course_id"))

    op.drop_table("module")
    op.drop_table("enrolment")
    op.drop_table("sync_state")
    op.drop_table("residency")
    with op.batch_alter_table("progress_event", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_event_pending")
        batch_op.drop_index("ix_progress_event_lesson")
        batch_op.drop_index(batch_op.f("ix_progress_event_course_id"))

    op.drop_table("progress_event")
    op.drop_table("course")
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_residency_id"))

    op.drop_table("checkin")
    op.drop_table("asset")
