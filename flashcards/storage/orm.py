"""Typed ORM classes mapped onto the Core tables of `flashcards.storage.tables`.

Code that builds or reads an object graph (an exam attempt and its items) is
clearer as mapped objects in a Session than as rows; the hot paths (queue,
answer, deck counts, imports) stay on Core and never import this module. Only
the exam tables are mapped: the rest have no object-graph user.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from flashcards.storage import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


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
    review: Mapped[str | None]
    attempt: Mapped[ExamAttemptRow] = relationship(back_populates="items")
