"""Alembic's environment: runs the revisions on the connection the caller handed over.

Only `flashcards.storage.migrations` runs this (there is no offline `--sql` mode).
The connection is already inside the caller's transaction, which Alembic then joins
and leaves to the caller to commit or roll back.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from flashcards.storage.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through flashcards.storage.migrations, on a connection")
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
