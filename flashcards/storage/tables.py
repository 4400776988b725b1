"""The collection's schema, in SQLAlchemy 2.x typed declarative style.

The scheduling state lives in its own table with the deck id copied in, so the
hot queries (deck counts, the due queue) run on narrow partial indexes and
never touch card text. The review log has no foreign key to `cards`: pruning a
card moves it to `removed_cards` and its history stays, because a user's
reviews must never be lost.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 3
BUNDLED_MARK = "bundled_installed"
"""Meta key set once the bundled decks were loaded: only such collections get updates."""


class Base(DeclarativeBase):
    metadata = MetaData()


class Meta(Base):
    """Key/value facts about the file itself: schema version, creation time."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String)


class DeckRow(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String, unique=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String, default="user")  # "bundled" or "user"
    content_hash: Mapped[str] = mapped_column(String, default="")
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    created_ms: Mapped[int] = mapped_column(Integer)


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("deck_id", "external_id", name="uq_cards_deck_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    content: Mapped[str] = mapped_column(Text)  # JSON of Card.content()
    tags: Mapped[str] = mapped_column(Text, default="")  # space-separated
    difficulty: Mapped[str | None] = mapped_column(String, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the deck file
    missing: Mapped[int] = mapped_column(Integer, default=0)  # gone from the last import
    modified_ms: Mapped[int] = mapped_column(Integer)


class ScheduleRow(Base):
    """One row per card; `due_day` NULL means the card is new.

    The indexes are partial and ordered for the planner without statistics:
    due counts and the due queue range-scan `ix_schedule_due_all` (due day
    first), new cards walk `ix_schedule_new*` in deck-file order.
    """

    __tablename__ = "schedule"
    __table_args__ = (
        Index(
            "ix_schedule_new",
            "deck_id",
            "new_position",
            sqlite_where=text("due_day IS NULL AND suspended = 0"),
        ),
        Index("ix_schedule_redrill", "redrill_day", sqlite_where=text("redrill_day IS NOT NULL")),
        Index("ix_schedule_suspended", "deck_id", sqlite_where=text("suspended = 1")),
        Index(
            "ix_schedule_due_all",
            "due_day",
            "deck_id",
            "card_id",
            sqlite_where=text("due_day IS NOT NULL AND suspended = 0"),
        ),
        Index(
            "ix_schedule_new_all",
            "new_position",
            "deck_id",
            sqlite_where=text("due_day IS NULL AND suspended = 0"),
        ),
        Index("ix_schedule_buried", "buried_until", sqlite_where=text("buried_until IS NOT NULL")),
    )

    card_id: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    deck_id: Mapped[int] = mapped_column(Integer)
    repetitions: Mapped[int] = mapped_column(Integer, default=0)
    easiness_centi: Mapped[int] = mapped_column(Integer, default=250)
    interval_days: Mapped[int] = mapped_column(Integer, default=0)
    due_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    last_review_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    redrill_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    suspended: Mapped[int] = mapped_column(Integer, default=0)
    buried_until: Mapped[int | None] = mapped_column(Integer, nullable=True)
    leech: Mapped[int] = mapped_column(Integer, default=0)
    new_position: Mapped[int] = mapped_column(Integer, default=0)


class ReviewRow(Base):
    """One answer. `before_state` is the full schedule snapshot that undo restores."""

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_card", "card_id", "id"),
        Index("ix_review_day", "day", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(Integer)
    reviewed_ms: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    quality: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String)
    repetitions_before: Mapped[int] = mapped_column(Integer)
    easiness_before: Mapped[int] = mapped_column(Integer)
    interval_before: Mapped[int] = mapped_column(Integer)
    due_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    repetitions_after: Mapped[int] = mapped_column(Integer)
    easiness_after: Mapped[int] = mapped_column(Integer)
    interval_after: Mapped[int] = mapped_column(Integer)
    due_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before_state: Mapped[str] = mapped_column(Text)  # JSON of ScheduleState
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    template_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)


class RemovedCardRow(Base):
    """Cards pruned from a deck, kept so their review history still has a name."""

    __tablename__ = "removed_cards"

    card_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_external_id: Mapped[str] = mapped_column(String)
    external_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    content: Mapped[str] = mapped_column(Text)
    removed_ms: Mapped[int] = mapped_column(Integer)


class ExamAttemptRow(Base):
    """One finished practice exam; its per-item answers are in `exam_items`.

    Section and topic subtotals are kept as JSON so the history lists them
    without re-grading (and without the content the exam was drawn from).
    """

    __tablename__ = "exam_attempts"
    __table_args__ = (Index("ix_exam_attempts_finished", "finished_ms"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    seed: Mapped[int] = mapped_column(Integer)
    variant: Mapped[int] = mapped_column(Integer)
    started_ms: Mapped[int] = mapped_column(Integer)
    finished_ms: Mapped[int] = mapped_column(Integer)
    earned: Mapped[float] = mapped_column(Float)
    possible: Mapped[float] = mapped_column(Float)
    sections: Mapped[str] = mapped_column(Text)  # JSON list of subtotals
    topics: Mapped[str] = mapped_column(Text)  # JSON list of subtotals


class ExamItemRow(Base):
    """One item of an attempt: what was asked (by source), answered and scored."""

    __tablename__ = "exam_items"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("exam_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    section: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String)
    topic: Mapped[str] = mapped_column(String)
    deck_external_id: Mapped[str | None] = mapped_column(String, nullable=True)
    card_external_id: Mapped[str | None] = mapped_column(String, nullable=True)
    template: Mapped[str | None] = mapped_column(String, nullable=True)
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str] = mapped_column(Text)
    correct: Mapped[int | None] = mapped_column(Integer, nullable=True)  # NULL: never graded
    points: Mapped[float] = mapped_column(Float)
    earned: Mapped[float] = mapped_column(Float)


decks_t = cast(Table, DeckRow.__table__)
cards_t = cast(Table, CardRow.__table__)
schedule_t = cast(Table, ScheduleRow.__table__)
reviews_t = cast(Table, ReviewRow.__table__)
removed_t = cast(Table, RemovedCardRow.__table__)
meta_t = cast(Table, Meta.__table__)
exam_attempts_t = cast(Table, ExamAttemptRow.__table__)
exam_items_t = cast(Table, ExamItemRow.__table__)
