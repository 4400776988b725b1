"""Typed ORM classes mapped onto the Core tables of `flashcards.storage.tables`.

Code that builds or reads an object graph (an exam attempt and its items) is
clearer as mapped objects in a Session than as rows; the hot paths (queue,
answer, deck counts, imports) stay on Core and never import this module.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from flashcards.storage import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Meta(Base):
    __table__ = tables.meta_t

    key: Mapped[str]
    value: Mapped[str]


class DeckRow(Base):
    __table__ = tables.decks_t

    id: Mapped[int]
    external_id: Mapped[str]
    name: Mapped[str]
    description: Mapped[str]
    tags: Mapped[str]
    origin: Mapped[str]
    content_hash: Mapped[str]
    new_per_day: Mapped[int]
    reviews_per_day: Mapped[int]
    created_ms: Mapped[int]


class CardRow(Base):
    __table__ = tables.cards_t

    id: Mapped[int]
    deck_id: Mapped[int]
    external_id: Mapped[str]
    kind: Mapped[str]
    content: Mapped[str]
    tags: Mapped[str]
    difficulty: Mapped[str | None]
    position: Mapped[int]
    missing: Mapped[int]
    modified_ms: Mapped[int]


class ScheduleRow(Base):
    __table__ = tables.schedule_t

    card_id: Mapped[int]
    deck_id: Mapped[int]
    repetitions: Mapped[int]
    easiness_centi: Mapped[int]
    interval_days: Mapped[int]
    due_day: Mapped[int | None]
    lapses: Mapped[int]
    last_review_day: Mapped[int | None]
    redrill_day: Mapped[int | None]
    suspended: Mapped[int]
    buried_until: Mapped[int | None]
    leech: Mapped[int]
    new_position: Mapped[int]


class ReviewRow(Base):
    __table__ = tables.reviews_t

    id: Mapped[int]
    card_id: Mapped[int]
    reviewed_ms: Mapped[int]
    day: Mapped[int]
    quality: Mapped[int]
    duration_ms: Mapped[int]
    kind: Mapped[str]
    seed: Mapped[int | None]
    template_version: Mapped[int | None]
    answer: Mapped[str | None]


class RemovedCardRow(Base):
    __table__ = tables.removed_t

    card_id: Mapped[int]
    deck_external_id: Mapped[str]
    external_id: Mapped[str]
    kind: Mapped[str]
    content: Mapped[str]
    removed_ms: Mapped[int]


class ExamAttemptRow(Base):
    __table__ = tables.exam_attempts_t

    id: Mapped[int]
    spec_id: Mapped[str]
    title: Mapped[str]
    seed: Mapped[int]
    variant: Mapped[int]
    started_ms: Mapped[int]
    finished_ms: Mapped[int]
    earned: Mapped[float]
    possible: Mapped[float]
    sections: Mapped[str]
    topics: Mapped[str]
    items: Mapped[list[ExamItemRow]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="ExamItemRow.number"
    )


class ExamItemRow(Base):
    __table__ = tables.exam_items_t

    attempt_id: Mapped[int]
    number: Mapped[int]
    section: Mapped[int]
    kind: Mapped[str]
    topic: Mapped[str]
    deck_external_id: Mapped[str | None]
    card_external_id: Mapped[str | None]
    template: Mapped[str | None]
    seed: Mapped[int | None]
    answer: Mapped[str]
    correct: Mapped[int | None]
    points: Mapped[float]
    earned: Mapped[float]
    attempt: Mapped[ExamAttemptRow] = relationship(back_populates="items")
