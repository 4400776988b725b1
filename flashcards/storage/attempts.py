"""Practice-exam attempts as stored rows: one attempt, its items, read back newest first.

Storage knows rows, not exams: `flashcards.exams.history` turns a graded exam
into these records and back. An attempt is stored with one row per item naming
where the item came from (deck and card ids, or template and seed), so the
history survives edits to the decks and a compute item can be shown again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from flashcards.storage.collection import Collection
from flashcards.storage.orm import ExamAttemptRow, ExamItemRow
from flashcards.storage.tables import cards_t, decks_t


@dataclass(frozen=True)
class StoredItem:
    """One exam item as stored: its place, its source and the student's answer."""

    number: int
    section: int
    kind: str
    topic: str
    deck_external_id: str | None
    card_external_id: str | None
    template: str | None
    seed: int | None
    answer: str
    correct: bool | None
    points: float
    earned: float
    review: str | None = None  # JSON the exam layer owns; None before schema 4


@dataclass(frozen=True)
class StoredAttempt:
    """One attempt as stored; `sections` and `topics` are JSON text the exam layer owns."""

    spec_id: str
    title: str
    seed: int
    variant: int
    started_ms: int
    finished_ms: int
    earned: float
    possible: float
    sections: str
    topics: str
    items: tuple[StoredItem, ...] = ()
    id: int = 0


def save_attempt(collection: Collection, attempt: StoredAttempt) -> int:
    """Store an attempt and its items in one transaction; returns its id."""
    row = ExamAttemptRow(
        spec_id=attempt.spec_id,
        title=attempt.title,
        seed=attempt.seed,
        variant=attempt.variant,
        started_ms=attempt.started_ms,
        finished_ms=attempt.finished_ms,
        earned=attempt.earned,
        possible=attempt.possible,
        sections=attempt.sections,
        topics=attempt.topics,
        items=[_item_row(item) for item in attempt.items],
    )
    with collection.orm_session() as session:
        session.add(row)
        session.flush()
        return row.id


def _item_row(item: StoredItem) -> ExamItemRow:
    return ExamItemRow(
        number=item.number,
        section=item.section,
        kind=item.kind,
        topic=item.topic,
        deck_external_id=item.deck_external_id,
        card_external_id=item.card_external_id,
        template=item.template,
        seed=item.seed,
        answer=item.answer,
        correct=None if item.correct is None else int(item.correct),
        points=item.points,
        earned=item.earned,
        review=item.review,
    )


def load_attempts(collection: Collection, *, limit: int | None = None) -> list[StoredAttempt]:
    """Stored attempts, newest first (their items are not loaded)."""
    query = (
        select(ExamAttemptRow)
        .order_by(ExamAttemptRow.finished_ms.desc(), ExamAttemptRow.id.desc())
        .limit(limit)
    )
    with collection.orm_session(write=False) as session:
        return [_stored(row) for row in session.scalars(query)]


def load_attempt(collection: Collection, attempt_id: int) -> StoredAttempt | None:
    """One stored attempt with its items in order; None when there is no such id."""
    with collection.orm_session(write=False) as session:
        row = session.get(ExamAttemptRow, attempt_id)
        if row is None:
            return None
        return _stored(row, tuple(_stored_item(item) for item in row.items))


def _stored(row: ExamAttemptRow, items: tuple[StoredItem, ...] = ()) -> StoredAttempt:
    return StoredAttempt(
        id=row.id,
        spec_id=row.spec_id,
        title=row.title,
        seed=row.seed,
        variant=row.variant,
        started_ms=row.started_ms,
        finished_ms=row.finished_ms,
        earned=row.earned,
        possible=row.possible,
        sections=row.sections,
        topics=row.topics,
        items=items,
    )


def _stored_item(row: ExamItemRow) -> StoredItem:
    return StoredItem(
        number=row.number,
        section=row.section,
        kind=row.kind,
        topic=row.topic,
        deck_external_id=row.deck_external_id,
        card_external_id=row.card_external_id,
        template=row.template,
        seed=row.seed,
        answer=row.answer,
        correct=None if row.correct is None else bool(row.correct),
        points=row.points,
        earned=row.earned,
        review=row.review,
    )


def card_ids(collection: Collection, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Collection ids of cards named as (deck id, card id) the way deck files name them."""
    wanted: Sequence[tuple[str, str]] = list(refs)
    if not wanted:
        return {}
    query = (
        select(decks_t.c.external_id, cards_t.c.external_id, cards_t.c.id)
        .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
        .where(cards_t.c.external_id.in_({card for _, card in wanted}))
    )
    with collection.read() as conn:
        found = {(deck, card): int(card_id) for deck, card, card_id in conn.execute(query)}
    return {ref: found[ref] for ref in wanted if ref in found}
