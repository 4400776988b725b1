"""Creating, checking and migrating the collection schema.

Migrations are Alembic revisions (`flashcards.storage.migrations`): revision NNNN
brings a file to schema version NNNN and records that in `meta.schema_version`, in
the transaction that runs it. One upgrade is one write transaction, so an
interrupted upgrade leaves the old schema intact. `meta.schema_version` is the
authority, read on every open without importing Alembic: a file written before
Alembic (no `alembic_version` table), or one whose recorded revision disagrees with
it, is stamped at that version first and then upgraded. A file from a newer version,
or one that records a revision this version does not ship, is refused rather than
guessed at.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import DatabaseError

from flashcards.errors import CollectionError
from flashcards.storage.tables import SCHEMA_VERSION, meta_t, metadata

_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'alembic_version')"
)
_VERSION = "SELECT value FROM meta WHERE key = 'schema_version'"
_REVISION = "SELECT version_num FROM alembic_version"


def revision_for(version: int) -> str:
    """The Alembic revision that brings a file to schema `version`."""
    return f"{version:04d}"


def _up_to_date(conn: Connection) -> bool:
    """Whether the file is at this version's schema and revision: reads only, no Alembic."""
    tables = set(conn.exec_driver_sql(_TABLES).scalars())
    if tables != {"meta", "alembic_version"}:
        return False
    version = conn.exec_driver_sql(_VERSION).scalar_one_or_none()
    revisions = conn.exec_driver_sql(_REVISION).scalars().all()
    return version == str(SCHEMA_VERSION) and revisions == [revision_for(SCHEMA_VERSION)]


def ensure_schema(engine: Engine) -> int:
    """Create a new file's tables, or check and upgrade an existing one.

    An up-to-date file is only read (no write lock), so opening the collection
    for a deck list never waits for, or blocks, a process that is writing.
    """
    try:
        with engine.connect() as conn, conn.begin():
            if _up_to_date(conn):
                return SCHEMA_VERSION
        with engine.connect().execution_options(flashcards_write=True) as conn, conn.begin():
            if not inspect(conn).has_table("meta"):
                _create(conn)
            else:
                _upgrade(conn)
            return SCHEMA_VERSION
    except DatabaseError as exc:
        raise CollectionError(
            f"the collection file is damaged or not a database ({exc.orig}); run "
            "`flashcards doctor`, or `flashcards backup restore` to go back to a backup"
        ) from exc


def _create(conn: Connection) -> None:
    """A new file: today's tables, stamped with the newest revision."""
    if inspect(conn).get_table_names():
        raise CollectionError(
            "this file is an SQLite database but not a flashcards collection; "
            "point --db at another path"
        )
    metadata.create_all(conn)
    conn.execute(
        meta_t.insert(),
        [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "created_ms", "value": str(int(time.time() * 1000))},
        ],
    )
    from flashcards.storage import migrations  # Alembic only when the schema changes

    migrations.stamp(conn, revision_for(SCHEMA_VERSION))


def _upgrade(conn: Connection) -> None:
    """An existing file: stamp it at its schema version and run the newer revisions."""
    version = stored_version(conn)
    if version > SCHEMA_VERSION:
        raise CollectionError(
            f"the collection was written by a newer flashcards (schema {version}; this "
            f"version reads up to {SCHEMA_VERSION}); upgrade flashcards, or restore an "
            "older copy with `flashcards backup restore`"
        )
    from flashcards.storage import migrations  # Alembic only when the schema changes

    recorded = migrations.recorded_revisions(conn)
    unknown = sorted(set(recorded) - migrations.known_revisions())
    if unknown:
        raise CollectionError(
            f"the collection records schema revision {', '.join(unknown)}, which this "
            "version of flashcards does not know; upgrade flashcards, or restore an older "
            "copy with `flashcards backup restore`"
        )
    if recorded != (revision_for(version),):
        migrations.stamp(conn, revision_for(version))  # written before Alembic
    migrations.upgrade(conn)


def stored_version(conn: Connection) -> int:
    value = conn.execute(
        select(meta_t.c.value).where(meta_t.c.key == "schema_version")
    ).scalar_one_or_none()
    if value is None or not value.isdigit():
        raise CollectionError("the collection has no valid schema version; restore a backup")
    return int(value)


def schema_problems(conn: Connection) -> list[str]:
    """Differences between the file and the schema this version expects."""
    problems: list[str] = []
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in present:
            problems.append(f"table {table.name} is missing")
            continue
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        problems.extend(
            f"column {table.name}.{column.name} is missing"
            for column in table.columns
            if column.name not in columns
        )
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        problems.extend(
            f"index {index.name} is missing" for index in table.indexes if index.name not in indexes
        )
    return problems + _revision_problems(conn, present)


def _revision_problems(conn: Connection, tables: set[str]) -> list[str]:
    """The Alembic revision the file records must be the one for its schema version."""
    from flashcards.storage import migrations  # doctor only: Alembic is not on the hot path

    if "alembic_version" not in tables:
        return ["table alembic_version is missing (no schema revision recorded)"]
    recorded = migrations.recorded_revisions(conn)
    expected = revision_for(SCHEMA_VERSION)
    if recorded == (expected,):
        return []
    unknown = sorted(set(recorded) - migrations.known_revisions())
    if unknown:
        return [f"schema revision {', '.join(unknown)} is unknown to this version"]
    found = ", ".join(recorded) or "none"
    return [f"schema revision is {found}, expected {expected}"]


def integrity_problems(conn: Connection) -> list[str]:
    rows = conn.execute(text("PRAGMA integrity_check")).scalars().all()
    problems = [str(row) for row in rows if row != "ok"]
    problems.extend(
        f"foreign key broken in {row[0]} (row {row[1]})"
        for row in conn.execute(text("PRAGMA foreign_key_check"))
    )
    problems.extend(
        f"deck {name!r} records {stored} cards but holds {actual}"
        for name, stored, actual in conn.execute(text(_COUNT_MISMATCH_SQL))
    )
    return problems


_COUNT_MISMATCH_SQL = (
    "SELECT name, card_count, actual FROM (SELECT d.name, d.card_count, "
    "(SELECT count(*) FROM cards c WHERE c.deck_id = d.id) AS actual FROM decks d) "
    "WHERE card_count != actual"
)
