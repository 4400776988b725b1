"""Schema 1, the baseline: decks, cards, their schedule and the review log.

Collections written before Alembic are stamped at their schema version instead of
running this; it runs only when a database is built up revision by revision.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from flashcards.storage.tables import EpochMs

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _required(name: str, kind: Any, **options: Any) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=False, **options)


def _optional(name: str, kind: Any) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=True)


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(
        name, table, columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where)
    )


def upgrade() -> None:
    meta = op.create_table(
        "meta", sa.Column("key", sa.String, primary_key=True), _required("value", sa.String)
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])
    op.create_table(
        "decks",
        sa.Column("id", sa.Integer, primary_key=True),
        _required("external_id", sa.String, unique=True),
        _required("name", sa.String, unique=True),
        _required("description", sa.Text),
        _required("tags", sa.Text),
        _required("origin", sa.String),
        _required("content_hash", sa.String),
        _required("new_per_day", sa.Integer),
        _required("reviews_per_day", sa.Integer),
        _required("created_ms", EpochMs),
    )
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer, primary_key=True),
        _required("card_id", sa.Integer),
        _required("reviewed_ms", EpochMs),
        _required("day", sa.Integer),
        _required("quality", sa.Integer),
        _required("duration_ms", sa.Integer),
        _required("kind", sa.String),
        _required("repetitions_before", sa.Integer),
        _required("easiness_before", sa.Integer),
        _required("interval_before", sa.Integer),
        _optional("due_before", sa.Integer),
        _required("repetitions_after", sa.Integer),
        _required("easiness_after", sa.Integer),
        _required("interval_after", sa.Integer),
        _optional("due_after", sa.Integer),
        _required("before_state", sa.Text),
        _optional("seed", sa.Integer),
        _optional("answer", sa.Text),
    )
    op.create_table(
        "removed_cards",
        sa.Column("card_id", sa.Integer, primary_key=True),
        _required("deck_external_id", sa.String),
        _required("external_id", sa.String),
        _required("kind", sa.String),
        _required("content", sa.Text),
        _required("removed_ms", EpochMs),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "deck_id", sa.Integer, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False
        ),
        _required("external_id", sa.String),
        _required("kind", sa.String),
        _required("content", sa.Text),
        _required("tags", sa.Text),
        _optional("difficulty", sa.String),
        _required("position", sa.Integer),
        _required("missing", sa.Integer),
        _required("modified_ms", EpochMs),
        sa.UniqueConstraint("deck_id", "external_id", name="uq_cards_deck_external"),
    )
    op.create_table(
        "schedule",
        sa.Column(
            "card_id", sa.Integer, sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
        ),
        _required("deck_id", sa.Integer),
        _required("repetitions", sa.Integer),
        _required("easiness_centi", sa.Integer),
        _required("interval_days", sa.Integer),
        _optional("due_day", sa.Integer),
        _required("lapses", sa.Integer),
        _optional("last_review_day", sa.Integer),
        _optional("redrill_day", sa.Integer),
        _required("suspended", sa.Integer),
        _optional("buried_until", sa.Integer),
        _required("leech", sa.Integer),
        _required("new_position", sa.Integer),
    )
    op.create_index("ix_review_card", "review_log", ["card_id", "id"])
    op.create_index("ix_review_day", "review_log", ["day", "kind"])
    _partial("ix_schedule_redrill", "schedule", ["redrill_day"], "redrill_day IS NOT NULL")
    new = "due_day IS NULL AND suspended = 0"
    _partial("ix_schedule_new_all", "schedule", ["new_position", "deck_id"], new)
    _partial("ix_schedule_new", "schedule", ["deck_id", "new_position"], new)
    _partial("ix_schedule_suspended", "schedule", ["deck_id"], "suspended = 1")
    due = "due_day IS NOT NULL AND suspended = 0"
    _partial("ix_schedule_due_all", "schedule", ["due_day", "deck_id", "card_id"], due)
    _partial("ix_schedule_buried", "schedule", ["buried_until"], "buried_until IS NOT NULL")


def downgrade() -> None:
    raise NotImplementedError("flashcards does not downgrade; restore a backup instead")
