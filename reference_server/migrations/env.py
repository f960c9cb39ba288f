"""Alembic environment of the reference server's database: runs on the connection
`reference_server.schema` hands over (the client's cache has a set of its own)."""

from __future__ import annotations

from alembic import context

from reference_server import models, sso_models  # noqa: F401  (registers the tables)
from reference_server.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The server's migrations run through reference_server.schema.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
