"""Schema migrations: Alembic revisions, run from code on the caller's connection.

Revision `NNNN` (in `versions/vNNNN_*.py`) brings a collection to schema version NNNN
and records that number in `meta.schema_version` too, so the check on every open
stays one read of `meta` and never imports Alembic. `0001` is the schema-1 baseline;
`0002` to `0005` are the steps that used to be the numbered list in `schema.py`.

There is no `alembic.ini`: the configuration is built here, and `env.py` runs the
revisions on the connection it is handed, inside the transaction the caller already
began (on SQLite a `BEGIN IMMEDIATE`), so one upgrade run is one transaction and an
interrupted one leaves the old schema intact. Alembic never commits on its own.

To change the schema: edit `flashcards.storage.tables`, add `vNNNN_<what>.py` with
`revision = "NNNN"` and `down_revision` the previous one, raise `SCHEMA_VERSION` in
`flashcards.storage.deck_list`, and let the revision set `meta.schema_version`
(`set_schema_version`). The tests compare an upgraded version-1 file with the tables.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from flashcards.storage.tables import meta_t

SCRIPTS = Path(__file__).parent


def _config(conn: Connection) -> Config:
    config = Config()
    # configparser interpolates "%": a path that holds one must double it.
    config.set_main_option("script_location", str(SCRIPTS).replace("%", "%%"))
    config.attributes["connection"] = conn
    return config


def stamp(conn: Connection, revision: str) -> None:
    """Record `revision` as the file's revision, replacing whatever was recorded."""
    command.stamp(_config(conn), revision, purge=True)


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Run every revision after the recorded one, up to `revision`."""
    command.upgrade(_config(conn), revision)


def known_revisions() -> set[str]:
    """The revisions this version of flashcards ships."""
    return {script.revision for script in ScriptDirectory(str(SCRIPTS)).walk_revisions()}


def recorded_revisions(conn: Connection) -> tuple[str, ...]:
    """The revisions in the file's `alembic_version` table (none if it has no table)."""
    return MigrationContext.configure(conn).get_current_heads()


def set_schema_version(version: int) -> None:
    """Inside a revision: record the schema version that the fast open check reads."""
    op.execute(meta_t.update().where(meta_t.c.key == "schema_version").values(value=str(version)))
