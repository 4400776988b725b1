"""Reading whole decks and the review log back out of the collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from sqlalchemy import select

from flashcards.clock import day_to_date, from_epoch_ms
from flashcards.model import Card, Deck, ReviewKind, ScheduleState
from flashcards.scheduling.ratings import rating_of_grade
from flashcards.storage.collection import Collection
from flashcards.storage.convert import STATE_COLUMNS, card_from_row, state_from_tuple
from flashcards.storage.tables import cards_t, decks_t, removed_t, reviews_t, schedule_t


def deck_model(collection: Collection, deck_id: int) -> Deck:
    """The deck as a deck file would define it (cards in file order, live cards only)."""
    with collection.read() as conn:
        deck = conn.execute(select(decks_t).where(decks_t.c.id == deck_id)).one()
        rows = conn.execute(
            select(
                cards_t.c.external_id,
                cards_t.c.kind,
                cards_t.c.content,
                cards_t.c.tags,
                cards_t.c.difficulty,
            )
            .where(cards_t.c.deck_id == deck_id, cards_t.c.missing == 0)
            .order_by(cards_t.c.position, cards_t.c.id)
        ).all()
    deck_tags = tuple(deck.tags.split()) if deck.tags else ()
    cards = tuple(_without_deck_tags(card_from_row(*row), deck_tags) for row in rows)
    return Deck(deck.external_id, deck.name, deck.description, deck_tags, cards)


def deck_schedules(collection: Collection, deck_id: int) -> dict[str, ScheduleState]:
    """Each live card's schedule, by card id: what `export --with-schedule` carries."""
    columns = [schedule_t.c[name] for name in STATE_COLUMNS]
    query = (
        select(cards_t.c.external_id, *columns)
        .join(schedule_t, schedule_t.c.card_id == cards_t.c.id)
        .where(cards_t.c.deck_id == deck_id, cards_t.c.missing == 0)
    )
    with collection.read() as conn:
        return {row[0]: state_from_tuple(row[1:]) for row in conn.execute(query)}


def _without_deck_tags(card: Card, deck_tags: tuple[str, ...]) -> Card:
    """Deck-level tags were copied onto each card on import; do not write them twice."""
    return replace(card, tags=tuple(tag for tag in card.tags if tag not in deck_tags))


@dataclass(frozen=True)
class ReviewRecord:
    deck: str
    card: str
    reviewed_at: str
    grade: int
    duration_ms: int
    kind: str
    repetitions_before: int
    easiness_before: float
    interval_before: int
    due_before: str
    repetitions_after: int
    easiness_after: float
    interval_after: int
    due_after: str
    seed: int | None
    template_version: int | None


REVIEW_FIELDS = tuple(ReviewRecord.__dataclass_fields__)


def review_records(collection: Collection) -> Iterator[ReviewRecord]:
    """Every review in log order, named by deck and card id (pruned cards included)."""
    r = reviews_t.c
    names = _card_names(collection)
    query = select(reviews_t).order_by(r.id)
    with collection.read() as conn:
        rows = conn.execute(query).all()
    for row in rows:
        deck, card = names.get(row.card_id, ("", f"#{row.card_id}"))
        yield ReviewRecord(
            deck=deck,
            card=card,
            reviewed_at=from_epoch_ms(row.reviewed_ms).isoformat(timespec="seconds"),
            grade=row.quality,
            duration_ms=row.duration_ms,
            kind=row.kind,
            repetitions_before=row.repetitions_before,
            easiness_before=row.easiness_before / 100,
            interval_before=row.interval_before,
            due_before=_date(row.due_before),
            repetitions_after=row.repetitions_after,
            easiness_after=row.easiness_after / 100,
            interval_after=row.interval_after,
            due_after=_date(row.due_after),
            seed=row.seed,
            template_version=row.template_version,
        )


def _card_names(collection: Collection) -> dict[int, tuple[str, str]]:
    live = select(cards_t.c.id, decks_t.c.external_id, cards_t.c.external_id).join(
        decks_t, decks_t.c.id == cards_t.c.deck_id
    )
    gone = select(removed_t.c.card_id, removed_t.c.deck_external_id, removed_t.c.external_id)
    with collection.read() as conn:
        names = {row[0]: (row[1], row[2]) for row in conn.execute(gone)}
        names.update({row[0]: (row[1], row[2]) for row in conn.execute(live)})
    return names


def _date(day: int | None) -> str:
    return "" if day is None else day_to_date(day).isoformat()


class FsrsState(IntEnum):
    """`review_state` as the FSRS optimizer reads it: the card's state when answered."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


_ANKI_STATE = {0: FsrsState.LEARNING, 1: FsrsState.REVIEW, 2: FsrsState.RELEARNING}
"""Anki revlog types 0-2 are the optimizer's states 1-3 (its own Anki reader adds 1)."""

FSRS_KINDS = (ReviewKind.REVIEW.value, ReviewKind.DRILL.value)
"""Answers the FSRS export carries: cram and exam answers never moved a schedule."""


@dataclass(frozen=True)
class FsrsReviewRecord:
    """One row of the FSRS optimizer's `revlog.csv` (open-spaced-repetition/fsrs-optimizer)."""

    card_id: int
    review_time: int  # epoch milliseconds, UTC
    review_rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    review_state: int  # FsrsState
    review_duration: int  # milliseconds


FSRS_REVIEW_FIELDS = tuple(FsrsReviewRecord.__dataclass_fields__)


def fsrs_review_records(collection: Collection) -> Iterator[FsrsReviewRecord]:
    """Every `review` and `drill` answer, card by card in time order, in the optimizer's terms.

    The rating is the one given (an FSRS button, or Anki's) where the log kept it,
    else the stored grade's (`rating_of_grade`). The state is the card's state
    when answered: a `review` row on a card that was new (no due day before) is
    New (0), any other `review` row is Review (2); a `drill` (a later answer the
    same study day) is Learning (1) when that day's review was the card's first
    answer and Relearning (3) otherwise. History imported from Anki keeps the
    state its revlog type says (learning 1, review 2, relearning 3), except that
    a card's first answer is New, as the optimizer's own Anki reader marks it.
    """
    r = reviews_t.c
    query = (
        select(
            r.card_id,
            r.reviewed_ms,
            r.day,
            r.kind,
            r.quality,
            r.rating,
            r.duration_ms,
            r.due_before,
            r.origin_type,
        )
        .where(r.kind.in_(FSRS_KINDS))
        .order_by(r.card_id, r.reviewed_ms, r.id)
    )
    with collection.read() as conn:
        rows = conn.execute(query).all()
    first_of_day: dict[int, tuple[int, FsrsState]] = {}  # card -> (day, its review's state)
    for row in rows:
        state = _fsrs_state(row, first_of_day.get(row.card_id))
        if row.kind == ReviewKind.REVIEW.value:
            first_of_day[row.card_id] = (row.day, state)
        rating = row.rating if row.rating is not None else rating_of_grade(row.quality)
        yield FsrsReviewRecord(
            card_id=row.card_id,
            review_time=row.reviewed_ms,
            review_rating=int(rating),
            review_state=int(state),
            review_duration=max(0, row.duration_ms),
        )


def _fsrs_state(row: Any, day_review: tuple[int, FsrsState] | None) -> FsrsState:
    if row.kind == ReviewKind.REVIEW.value and row.due_before is None:
        return FsrsState.NEW
    if row.origin_type in _ANKI_STATE:
        return _ANKI_STATE[row.origin_type]
    if row.kind == ReviewKind.REVIEW.value:
        return FsrsState.REVIEW
    learning = day_review is None or (day_review == (row.day, FsrsState.NEW))
    return FsrsState.LEARNING if learning else FsrsState.RELEARNING
