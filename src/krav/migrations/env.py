"""Alembic environment: runs on the connection that :func:`krav.adapters.db.migrate.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from krav.adapters.db.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through krav.adapters.db.migrate
    raise RuntimeError("run migrations through `krav init` (krav.adapters.db.migrate.upgrade)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
