"""Past exam attempts: storing a graded exam, listing the history, lapsing wrong cards.

Storage keeps attempts as plain rows (`flashcards.storage.attempts`); this module
owns what they mean. Sending a wrong item to review goes through `answer_card`
like any answer, so the lapse is logged (as an `exam` review) and can be undone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flashcards.answering import answer_card
from flashcards.clock import from_epoch_ms, to_epoch_ms
from flashcards.exams.build import CardRef, Exam, ItemKind, ProblemRef
from flashcards.exams.review import Review, ReviewItem, review_item, shown_json, with_shown
from flashcards.exams.scoring import ItemResult, Score, Subtotal
from flashcards.exams.serialize import number
from flashcards.model import Grade, ReviewKind
from flashcards.storage.attempts import (
    StoredAttempt,
    StoredItem,
    card_ids,
    load_attempt,
    load_attempts,
    save_attempt,
)
from flashcards.storage.collection import Collection

LAPSE_GRADE = Grade.WRONG_FAMILIAR
"""A wrong exam answer counts as a lapse: wrong, though the answer was familiar."""


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
    """What sending wrong items to review did; the front end says it in words."""

    sent: int
    not_in_collection: tuple[str, ...]  # "deck/card" of cards the collection lacks
    compute: int  # compute items: drawn from templates, they have no card to lapse


def record_attempt(
    collection: Collection, exam: Exam, score: Score, *, started: datetime, finished: datetime
) -> int:
    """Store a graded attempt with its items in one transaction; returns its id."""
    return save_attempt(
        collection,
        StoredAttempt(
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
            items=tuple(_stored_item(result) for result in score.results),
        ),
    )


def _stored_item(result: ItemResult) -> StoredItem:
    item = result.item
    card = item.source if isinstance(item.source, CardRef) else None
    problem = item.source if isinstance(item.source, ProblemRef) else None
    return StoredItem(
        number=item.number,
        section=item.section,
        kind=item.kind.value,
        topic=item.topic,
        deck_external_id=card.deck if card else None,
        card_external_id=card.card if card else None,
        template=problem.template if problem else None,
        seed=problem.seed if problem else None,
        answer=result.response,
        correct=result.correct,
        points=item.points,
        earned=result.earned,
        review=shown_json(review_item(result)),
    )


def list_attempts(collection: Collection, *, limit: int | None = None) -> list[Attempt]:
    """Stored attempts, newest first."""
    return [_attempt(row) for row in load_attempts(collection, limit=limit)]


def load_review(collection: Collection, attempt_id: int) -> Review | None:
    """A stored attempt to go back over, item by item; None when there is no such id."""
    row = load_attempt(collection, attempt_id)
    if row is None:
        return None
    return Review(row.title, tuple(_review_item(item) for item in row.items), row.id)


def _review_item(stored: StoredItem) -> ReviewItem:
    item = ReviewItem(
        number=stored.number,
        kind=ItemKind(stored.kind),
        topic=stored.topic,
        points=stored.points,
        earned=stored.earned,
        response=stored.answer,
        correct=stored.correct,
    )
    return with_shown(item, stored.review)


def _attempt(row: StoredAttempt) -> Attempt:
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
    ids = card_ids(collection, [(ref.deck, ref.card) for _, ref in refs])
    sent = 0
    missing: list[str] = []
    for result, ref in refs:
        card_id = ids.get((ref.deck, ref.card))
        if card_id is None:
            missing.append(f"{ref.deck}/{ref.card}")
            continue
        typed = result.response
        answer_card(collection, card_id, LAPSE_GRADE, now, kind=ReviewKind.EXAM, answer_text=typed)
        sent += 1
    return ReviewSent(sent, tuple(missing), len(wrong) - len(refs))
