"""Answering a card outside a study session: exam lapses, scripts and tests.

The session computes the outcome once for its grade buttons and stores that;
callers with no buttons to show use `answer_card`, which does the same two
steps (the scheduler decides, storage writes as given) on the card's stored
state, and recomputes once if another process changed the card in between.
"""

from __future__ import annotations

from datetime import datetime

from flashcards.clock import study_day
from flashcards.deck_config import scheduler_for
from flashcards.model import (
    AnswerResult,
    AttemptRecord,
    CardAnswer,
    Grade,
    ReviewKind,
    ScheduleState,
)
from flashcards.scheduling.base import Outcome, Scheduler
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import one_deck_settings


def answer_card(
    collection: Collection,
    card_id: int,
    grade: int | Grade,
    now: datetime,
    *,
    scheduler: Scheduler | None = None,
    cram: bool = False,
    kind: ReviewKind | None = None,
    duration_ms: int = 0,
    attempt: AttemptRecord | None = None,
    answer_text: str | None = None,
) -> AnswerResult:
    """Grade a card on its stored state; the answer is on disk when this returns.

    Without `scheduler`, the card's deck decides (SM-2, or FSRS with its settings).
    """
    answer = CardAnswer(card_id, Grade(grade), duration_ms, attempt, answer_text)
    today = study_day(now)
    cram = cram or kind is ReviewKind.CRAM
    card = collection.card(card_id)
    deciding = scheduler or scheduler_for(one_deck_settings(collection, card.deck_id))

    def outcome_on(state: ScheduleState) -> Outcome:
        return deciding.answer(state, answer.grade, today, cram=cram)

    return collection.record_answer(
        answer, outcome_on(card.state), now, kind=kind, recompute=outcome_on
    )
