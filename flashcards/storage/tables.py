"""The collection's schema: SQLAlchemy Core tables, the single source of truth.

The scheduling state lives in its own table with the deck id copied in, so the
hot queries (deck counts, the due queue) run on narrow partial indexes and
never touch card text. The review log has no foreign key to `cards`: pruning a
card moves it to `removed_cards` and its history stays, because a user's
reviews must never be lost.

The tables are Core rather than declarative classes so that the hot paths
(`flashcards decks` starts a new process every time) never import
`sqlalchemy.orm`, which costs about 40 ms; the typed ORM classes in
`flashcards.storage.orm` are mapped onto these same tables for the code that
works with object graphs (exam attempts and their items).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI
from flashcards.storage.deck_list import BUNDLED_MARK as BUNDLED_MARK
from flashcards.storage.deck_list import SCHEMA_VERSION as SCHEMA_VERSION

metadata = MetaData()

EpochMs = BigInteger().with_variant(Integer(), "sqlite")
"""Epoch milliseconds (and Anki's ids, which are epoch ms): past 2**31, so BIGINT on
PostgreSQL; SQLite's INTEGER already holds 64 bits and its DDL stays as it was."""


def _required(name: str, kind: Any, **options: Any) -> Column[Any]:
    return Column(name, kind, nullable=False, **options)


def _optional(name: str, kind: Any) -> Column[Any]:
    return Column(name, kind, nullable=True)


def _partial(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over the rows that match `where` only, on SQLite and PostgreSQL alike."""
    return Index(
        name, *columns, unique=unique, sqlite_where=text(where), postgresql_where=text(where)
    )


meta_t = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    _required("value", String),
)

decks_t = Table(
    "decks",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("external_id", String, unique=True),
    _required("name", String, unique=True),
    _required("description", Text, default=""),
    _required("tags", Text, default=""),
    _required("origin", String, default="user"),  # "bundled" or "user"
    _required("content_hash", String, default=""),
    _required("new_per_day", Integer, default=20),
    _required("reviews_per_day", Integer, default=200),
    _required("created_ms", EpochMs),
    # Schema 5: the deck's scheduler. FSRS parameters are NULL until fitted (FSRS-6's
    # defaults apply), and record how many reviews and when they were fitted on.
    _required("scheduler", String, default="sm2", server_default="sm2"),
    _required("desired_retention", Float, default=0.9, server_default="0.9"),
    _optional("fsrs_params", Text),
    _optional("fsrs_fitted_reviews", Integer),
    _optional("fsrs_fitted_ms", EpochMs),
    # Schema 5: the deck's number of cards, kept by the import that adds or prunes
    # them (the only writer of `cards`), so the deck list never counts 100,000 rows.
    _required("card_count", Integer, default=0, server_default="0"),
)

cards_t = Table(
    "cards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deck_id", Integer, ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
    _required("external_id", String),
    _required("kind", String),
    _required("content", Text),  # JSON of Card.content()
    _required("tags", Text, default=""),  # space-separated
    _optional("difficulty", String),
    _required("position", Integer, default=0),  # order in the deck file
    _required("missing", Integer, default=0),  # gone from the last import
    _required("modified_ms", EpochMs),
    UniqueConstraint("deck_id", "external_id", name="uq_cards_deck_external"),
)

# One row per card; `due_day` NULL means the card is new. The indexes are partial
# and ordered for the planner without statistics: due counts and the due queue
# range-scan `ix_schedule_due_all` (due day first), new cards walk `ix_schedule_new*`
# in deck-file order.
schedule_t = Table(
    "schedule",
    metadata,
    Column("card_id", Integer, ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
    _required("deck_id", Integer),
    _required("repetitions", Integer, default=0),
    _required("easiness_centi", Integer, default=INITIAL_EASINESS_CENTI),
    _required("interval_days", Integer, default=0),
    _optional("due_day", Integer),
    _required("lapses", Integer, default=0),
    _optional("last_review_day", Integer),
    _optional("redrill_day", Integer),
    _required("suspended", Integer, default=0),
    _optional("buried_until", Integer),
    _required("leech", Integer, default=0),
    _required("new_position", Integer, default=0),
    _optional("stability", Float),  # FSRS memory state (schema 5)
    _optional("fsrs_difficulty", Float),
    _partial(
        "ix_schedule_new", "deck_id", "new_position", where="due_day IS NULL AND suspended = 0"
    ),
    _partial("ix_schedule_redrill", "redrill_day", where="redrill_day IS NOT NULL"),
    _partial("ix_schedule_suspended", "deck_id", where="suspended = 1"),
    _partial(
        "ix_schedule_due_all",
        "due_day",
        "deck_id",
        "card_id",
        where="due_day IS NOT NULL AND suspended = 0",
    ),
    _partial(
        "ix_schedule_new_all", "new_position", "deck_id", where="due_day IS NULL AND suspended = 0"
    ),
    _partial("ix_schedule_buried", "buried_until", where="buried_until IS NOT NULL"),
)

# One answer. `before_state` is the full schedule snapshot that undo restores.
reviews_t = Table(
    "review_log",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("card_id", Integer),
    _required("reviewed_ms", EpochMs),
    _required("day", Integer),
    _required("quality", Integer),
    _required("duration_ms", Integer, default=0),
    _required("kind", String),
    _required("repetitions_before", Integer),
    _required("easiness_before", Integer),
    _required("interval_before", Integer),
    _optional("due_before", Integer),
    _required("repetitions_after", Integer),
    _required("easiness_after", Integer),
    _required("interval_after", Integer),
    _optional("due_after", Integer),
    _required("before_state", Text),  # JSON of ScheduleState
    _optional("seed", Integer),
    _optional("template_version", Integer),
    _optional("answer", Text),
    # Schema 5: which scheduler decided the row (NULL on older rows: SM-2), FSRS's
    # memory state after it, the 1-4 rating as given (FSRS button or Anki), and for
    # history imported from Anki its revlog id and type, so a re-import adds nothing.
    _optional("scheduler", String),
    _optional("stability_after", Float),
    _optional("difficulty_after", Float),
    _optional("rating", Integer),
    _optional("origin", String),
    _optional("origin_id", EpochMs),
    _optional("origin_type", Integer),
    Index("ix_review_card", "card_id", "id"),
    Index("ix_review_day", "day", "kind"),
    _partial(
        "ux_review_origin", "card_id", "origin_id", unique=True, where="origin_id IS NOT NULL"
    ),
)

# Cards pruned from a deck, kept so their review history still has a name.
removed_t = Table(
    "removed_cards",
    metadata,
    Column("card_id", Integer, primary_key=True),
    _required("deck_external_id", String),
    _required("external_id", String),
    _required("kind", String),
    _required("content", Text),
    _required("removed_ms", EpochMs),
)

# One finished practice exam; its per-item answers are in `exam_items`. Section and
# topic subtotals are kept as JSON so the history lists them without re-grading.
exam_attempts_t = Table(
    "exam_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("spec_id", String),
    _required("title", String),
    _required("seed", Integer),
    _required("variant", Integer),
    _required("started_ms", EpochMs),
    _required("finished_ms", EpochMs),
    _required("earned", Float),
    _required("possible", Float),
    _required("sections", Text),  # JSON list of subtotals
    _required("topics", Text),  # JSON list of subtotals
    Index("ix_exam_attempts_finished", "finished_ms"),
)

# One item of an attempt: what was asked (by source), answered and scored.
exam_items_t = Table(
    "exam_items",
    metadata,
    Column(
        "attempt_id",
        Integer,
        ForeignKey("exam_attempts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("number", Integer, primary_key=True),
    _required("section", Integer),
    _required("kind", String),
    _required("topic", String),
    _optional("deck_external_id", String),
    _optional("card_external_id", String),
    _optional("template", String),
    _optional("seed", Integer),
    _required("answer", Text),
    _optional("correct", Integer),  # NULL: never graded
    _required("points", Float),
    _required("earned", Float),
    # JSON the exam layer owns: the question, key and solution as the student saw them,
    # for the review. NULL for attempts stored before schema 4.
    _optional("review", Text),
)


# What every review-log row records, whoever writes it (an answer here, or history
# imported from Anki): the positional INSERTs of both start with these columns.
LOGGED_ANSWER_COLUMNS = (
    "card_id",
    "reviewed_ms",
    "day",
    "quality",
    "duration_ms",
    "kind",
    "repetitions_before",
    "easiness_before",
    "interval_before",
    "due_before",
    "repetitions_after",
    "easiness_after",
    "interval_after",
    "due_after",
    "before_state",
)
assert set(LOGGED_ANSWER_COLUMNS) <= set(reviews_t.c.keys())
