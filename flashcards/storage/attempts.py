"""Practice-exam attempts in the collection, and wrong answers sent back to review.

An attempt is stored with its score by section and topic and one row per item
naming where the item came from (deck and card ids, or template and seed), so the
history survives edits to the decks and a compute item can be shown again exactly.
Sending a wrong item to review goes through `Collection.answer` like any answer, so
the lapse is logged (as an `exam` review) and can be undone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from flashcards.clock import from_epoch_ms, to_epoch_ms
from flashcards.exams.build import CardRef, Exam, ProblemRef
from flashcards.exams.scoring import ItemResult, Score, Subtotal
from flashcards.exams.serialize import number
from flashcards.model import Grade, ReviewKind
from flashcards.storage.collection import Collection
from flashcards.storage.orm import ExamAttemptRow, ExamItemRow
from flashcards.storage.tables import cards_t, decks_t

LAPSE_QUALITY = Grade.WRONG_FAMILIAR


@dataclass(frozen=True)
class Attempt:
    """One stored attempt, as the history lists it."""

    id: int
    spec_id: str
    title: str
    seed: int
    variant: int
    started: datetime
    finished: datetime
    earned: float
    possible: float
    sections: tuple[Subtotal, ...]
    topics: tuple[Subtotal, ...]

    @property
    def percent(self) -> float:
        return 100 * self.earned / self.possible if self.possible else 0.0

    @property
    def seconds(self) -> float:
        return (self.finished - self.started).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "spec": self.spec_id,
            "title": self.title,
            "seed": self.seed,
            "variant": self.variant,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "seconds": round(self.seconds),
            "earned": number(self.earned),
            "possible": number(self.possible),
            "percent": round(self.percent, 1),
            "sections": [_subtotal_dict(s) for s in self.sections],
            "topics": [_subtotal_dict(s) for s in self.topics],
        }


@dataclass(frozen=True)
class ReviewSent:
    """What sending wrong items to review did."""

    sent: int
    not_in_collection: tuple[str, ...]  # "deck/card" of cards the collection lacks
    compute: int  # compute items: drawn from templates, they have no card to lapse

    def summary(self) -> str:
        parts = [f"{self.sent} card(s) will come back in review as lapses."]
        if self.not_in_collection:
            parts.append(
                f"{len(self.not_in_collection)} card(s) are not in your collection; "
                "import their decks to study them."
            )
        if self.compute:
            parts.append(
                f"{self.compute} compute question(s) have no card; practise them with "
                "the compute cards of the same topic."
            )
        return " ".join(parts)


def record_attempt(
    collection: Collection, exam: Exam, score: Score, *, started: datetime, finished: datetime
) -> int:
    """Store a graded attempt with its items in one transaction; returns its id."""
    attempt = ExamAttemptRow(
        spec_id=exam.spec_id,
        title=exam.title,
        seed=exam.seed,
        variant=exam.variant,
        started_ms=to_epoch_ms(started),
        finished_ms=to_epoch_ms(finished),
        earned=score.earned,
        possible=score.possible,
        sections=json.dumps([_subtotal_dict(s) for s in score.sections], ensure_ascii=False),
        topics=json.dumps([_subtotal_dict(s) for s in score.topics], ensure_ascii=False),
        items=[_item_row(result) for result in score.results],
    )
    with collection.orm_session() as session:
        session.add(attempt)
        session.flush()
        return attempt.id


def _item_row(result: ItemResult) -> ExamItemRow:
    item = result.item
    card = item.source if isinstance(item.source, CardRef) else None
    problem = item.source if isinstance(item.source, ProblemRef) else None
    return ExamItemRow(
        number=item.number,
        section=item.section,
        kind=item.kind.value,
        topic=item.topic,
        deck_external_id=card.deck if card else None,
        card_external_id=card.card if card else None,
        template=problem.template if problem else None,
        seed=problem.seed if problem else None,
        answer=result.response,
        correct=None if result.correct is None else int(result.correct),
        points=item.points,
        earned=result.earned,
    )


def list_attempts(collection: Collection, *, limit: int | None = None) -> list[Attempt]:
    """Stored attempts, newest first."""
    query = (
        select(ExamAttemptRow)
        .order_by(ExamAttemptRow.finished_ms.desc(), ExamAttemptRow.id.desc())
        .limit(limit)
    )
    with collection.orm_session(write=False) as session:
        return [_attempt(row) for row in session.scalars(query)]


def _attempt(row: ExamAttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        spec_id=row.spec_id,
        title=row.title,
        seed=row.seed,
        variant=row.variant,
        started=from_epoch_ms(row.started_ms),
        finished=from_epoch_ms(row.finished_ms),
        earned=row.earned,
        possible=row.possible,
        sections=_subtotals(row.sections),
        topics=_subtotals(row.topics),
    )


def _subtotal_dict(subtotal: Subtotal) -> dict[str, Any]:
    return {
        "name": subtotal.name,
        "earned": number(subtotal.earned),
        "possible": number(subtotal.possible),
        "items": subtotal.items,
        "right": subtotal.right,
    }


def _subtotals(text: str) -> tuple[Subtotal, ...]:
    return tuple(
        Subtotal(d["name"], float(d["earned"]), float(d["possible"]), d["items"], d["right"])
        for d in json.loads(text)
    )


def send_to_review(
    collection: Collection, results: Sequence[ItemResult], now: datetime
) -> ReviewSent:
    """Record a lapse for each wrong (or blank) card item the collection holds.

    Right and ungraded items are left alone. Cards are found by (deck id, card id)
    as the deck files name them, since an exam is drawn from deck files rather than
    from the collection.
    """
    wrong = [r for r in results if r.correct is False]
    refs = [(r, r.item.source) for r in wrong if isinstance(r.item.source, CardRef)]
    ids = _card_ids(collection, [ref for _, ref in refs])
    sent = 0
    missing: list[str] = []
    for result, ref in refs:
        card_id = ids.get((ref.deck, ref.card))
        if card_id is None:
            missing.append(f"{ref.deck}/{ref.card}")
            continue
        collection.answer(
            card_id, LAPSE_QUALITY, now, kind=ReviewKind.EXAM, answer_text=result.response
        )
        sent += 1
    return ReviewSent(sent, tuple(missing), len(wrong) - len(refs))


def _card_ids(collection: Collection, refs: Sequence[CardRef]) -> dict[tuple[str, str], int]:
    if not refs:
        return {}
    query = (
        select(decks_t.c.external_id, cards_t.c.external_id, cards_t.c.id)
        .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
        .where(cards_t.c.external_id.in_({ref.card for ref in refs}))
    )
    return {(deck, card): int(card_id) for deck, card, card_id in collection.iter_rows(query)}
