"""Schema 5 adds FSRS beside SM-2: a scheduler per deck, a memory state per card, and
review-log columns for FSRS and for history imported from Anki. Every existing deck
stays on SM-2 and every existing row keeps its meaning (NULL: none). It also stores
each deck's card count, which the deck list reads instead of counting. Columns and
the index already present are skipped, as before Alembic."""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from flashcards.storage.migrations import set_schema_version
from flashcards.storage.tables import reviews_t

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

FSRS_COLUMNS = {
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


def upgrade() -> None:
    conn = op.get_bind()
    inspector = inspect(conn)
    for table, columns in FSRS_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column}")
    indexes = {index["name"] for index in inspector.get_indexes("review_log")}
    for index in reviews_t.indexes:
        if index.name == "ux_review_origin" and index.name not in indexes:
            index.create(conn)
    conn.exec_driver_sql(CARD_COUNT_SQL)
    set_schema_version(5)


def downgrade() -> None:
    raise NotImplementedError("flashcards does not downgrade; restore a backup instead")
