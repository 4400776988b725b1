"""Creating, checking and migrating the collection schema.

Migrations are an explicit numbered list: `MIGRATIONS[n]` upgrades a file at
schema version n to n + 1, inside the same transaction that records the new
version, so an interrupted upgrade leaves the old schema intact. A file from
a newer version is refused rather than guessed at.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import DatabaseError

from flashcards.errors import CollectionError
from flashcards.storage.tables import (
    SCHEMA_VERSION,
    exam_attempts_t,
    exam_items_t,
    meta_t,
    metadata,
    reviews_t,
)

Migration = Callable[[Connection], None]

_HAS_META = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
_VERSION = "SELECT value FROM meta WHERE key = 'schema_version'"


def _add_exam_tables(conn: Connection) -> None:
    """Version 2 adds practice-exam attempts; nothing existing changes."""
    metadata.create_all(conn, tables=[exam_attempts_t, exam_items_t])


def _add_template_version(conn: Connection) -> None:
    """Version 3 logs which version of a compute template drew each problem, so that
    (template, version, seed) replays exactly what the student saw."""
    conn.exec_driver_sql("ALTER TABLE review_log ADD COLUMN template_version INTEGER")


def _add_exam_item_review(conn: Connection) -> None:
    """Version 4 keeps each exam item as the student saw it (question, key, solution),
    so a past attempt can be reviewed; older attempts keep NULL there. A file upgraded
    from version 1 got the column when version 2 created the table from today's schema."""
    if "review" not in {column["name"] for column in inspect(conn).get_columns("exam_items")}:
        conn.exec_driver_sql("ALTER TABLE exam_items ADD COLUMN review TEXT")


_FSRS_COLUMNS = {
    "decks": (
        "scheduler VARCHAR NOT NULL DEFAULT 'sm2'",
        "desired_retention FLOAT NOT NULL DEFAULT 0.9",
        "fsrs_params TEXT",
        "fsrs_fitted_reviews INTEGER",
        "fsrs_fitted_ms INTEGER",
        "card_count INTEGER NOT NULL DEFAULT 0",
    ),
    "schedule": ("stability FLOAT", "fsrs_difficulty FLOAT"),
    "review_log": (
        "scheduler VARCHAR",
        "stability_after FLOAT",
        "difficulty_after FLOAT",
        "rating INTEGER",
        "origin VARCHAR",
        "origin_id INTEGER",
        "origin_type INTEGER",
    ),
}


CARD_COUNT_SQL = (
    "UPDATE decks SET card_count = (SELECT count(*) FROM cards WHERE cards.deck_id = decks.id)"
)


def _add_fsrs(conn: Connection) -> None:
    """Version 5 adds FSRS beside SM-2: a scheduler per deck, a memory state per card,
    and review-log columns for FSRS and for history imported from Anki. Every existing
    deck stays on SM-2 and every existing row keeps its meaning (NULL: none). It also
    stores each deck's card count, which the deck list reads instead of counting."""
    inspector = inspect(conn)
    for table, columns in _FSRS_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column}")
    indexes = {index["name"] for index in inspector.get_indexes("review_log")}
    for index in reviews_t.indexes:
        if index.name == "ux_review_origin" and index.name not in indexes:
            index.create(conn)
    conn.exec_driver_sql(CARD_COUNT_SQL)


MIGRATIONS: dict[int, Migration] = {
    1: _add_exam_tables,
    2: _add_template_version,
    3: _add_exam_item_review,
    4: _add_fsrs,
}


def ensure_schema(engine: Engine) -> int:
    """Create a new file's tables, or check and upgrade an existing one.

    An up-to-date file is only read (no write lock), so opening the collection
    for a deck list never waits for, or blocks, a process that is writing.
    """
    try:
        with engine.connect() as conn, conn.begin():
            has_meta = conn.exec_driver_sql(_HAS_META).scalar_one_or_none()
            current = conn.exec_driver_sql(_VERSION).scalar_one_or_none() if has_meta else None
        if current == str(SCHEMA_VERSION):
            return SCHEMA_VERSION
        with engine.connect().execution_options(flashcards_write=True) as conn, conn.begin():
            if not inspect(conn).has_table("meta"):
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
                return SCHEMA_VERSION
            version = stored_version(conn)
            if version > SCHEMA_VERSION:
                raise CollectionError(
                    f"the collection was written by a newer flashcards (schema {version}; this "
                    f"version reads up to {SCHEMA_VERSION}); upgrade flashcards, or restore an "
                    "older copy with `flashcards backup restore`"
                )
            for from_version in range(version, SCHEMA_VERSION):
                MIGRATIONS[from_version](conn)
                conn.execute(
                    meta_t.update()
                    .where(meta_t.c.key == "schema_version")
                    .values(value=str(from_version + 1))
                )
            return SCHEMA_VERSION
    except DatabaseError as exc:
        raise CollectionError(
            f"the collection file is damaged or not a database ({exc.orig}); run "
            "`flashcards doctor`, or `flashcards backup restore` to go back to a backup"
        ) from exc


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
    return problems


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
