"""Alembic environment: runs on the connection `desktop_app.db` hands over."""

from __future__ import annotations

from alembic import context

from desktop_app.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Rounds migrations run through desktop_app.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
