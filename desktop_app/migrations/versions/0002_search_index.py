"""full-text search index over course and lesson titles and summaries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 15:10:00

An FTS5 table kept up to date by the sync appliers. `kind`, `ref_id` and `course_id` say what
a hit is and are not searchable; accents are folded so "pediatrie" finds "Pédiatrie".
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, ref_id UNINDEXED, course_id UNINDEXED, title, summary, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO search_index (kind, ref_id, course_id, title, summary) "
        "SELECT 'course', id, id, title, summary FROM course"
    )
    op.execute(
        "INSERT INTO search_index (kind, ref_id, course_id, title, summary) "
        "SELECT 'lesson', id, course_id, title, summary FROM lesson"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
