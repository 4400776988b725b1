"""Configuring a deck: its scheduler, desired retention and daily limits.

Switching a deck to FSRS gives every studied card a memory state: replayed
from its log where it has one (the first answer of each study day, as FSRS's
own optimizer reads a history), otherwise seeded from its SM-2 ease and
interval the way Anki does. Due dates stay as they are unless `reschedule` is
asked for, as Anki does when FSRS is first turned on: the student's plan for
the coming days does not jump, and cards move to FSRS intervals one review at
a time. SM-2's fields are never touched, so switching back resumes SM-2 from
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from flashcards.errors import UserError
from flashcards.model import DeckSettings, Grade, ScheduleState
from flashcards.scheduling.base import Scheduler
from flashcards.scheduling.policy import SM2
from flashcards.scheduling.ratings import rating_of_grade
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import (
    CardMemory,
    MemoryUpdate,
    apply_switch,
    deck_memories,
    deck_settings,
    one_deck_settings,
    review_days,
    update_limits_and_retention,
)

if TYPE_CHECKING:  # py-fsrs costs 30 ms to import: only FSRS decks pay for it
    from flashcards.scheduling.fsrs_policy import FsrsScheduler

SCHEDULERS = ("sm2", "fsrs")
MAX_DAILY_LIMIT = 100_000


@dataclass(frozen=True)
class ConfigChange:
    """What the user asked to change; None leaves a setting as it is."""

    scheduler: str | None = None
    desired_retention: float | None = None
    new_per_day: int | None = None
    reviews_per_day: int | None = None
    reschedule: bool = False


@dataclass(frozen=True)
class ConfigResult:
    """The settings after the change, and what a switch did."""

    settings: DeckSettings
    switched: bool = False
    replayed: int = 0  # cards whose memory state came from their log
    seeded: int = 0  # cards seeded from SM-2's ease and interval
    rescheduled: int = 0


def scheduler_for(settings: DeckSettings) -> Scheduler:
    """The scheduler a deck's settings name."""
    if settings.scheduler == "fsrs":
        from flashcards.scheduling.fsrs_policy import FsrsScheduler

        return FsrsScheduler(settings.fsrs_parameters, settings.desired_retention)
    return SM2


def deck_schedulers(collection: Collection) -> dict[int, Scheduler]:
    """Every deck's scheduler, for a session that may span decks."""
    return {deck.deck_id: scheduler_for(deck) for deck in deck_settings(collection)}


def validate(change: ConfigChange) -> None:
    """Refuse a setting no scheduler could use, naming the allowed range."""
    if change.scheduler is not None and change.scheduler not in SCHEDULERS:
        raise UserError(f"unknown scheduler {change.scheduler!r}; choose sm2 or fsrs")
    retention = change.desired_retention
    if retention is not None and not 0.7 <= retention <= 0.99:
        raise UserError(
            f"desired retention {retention:g} is out of range; give a value from 0.70 to 0.99 "
            "(0.9 is FSRS's default: 90% of reviews recalled)"
        )
    for name, value in (
        ("new-per-day", change.new_per_day),
        ("reviews-per-day", change.reviews_per_day),
    ):
        if value is not None and not 0 <= value <= MAX_DAILY_LIMIT:
            raise UserError(f"--{name} must be from 0 to {MAX_DAILY_LIMIT:,}, got {value}")


def configure(collection: Collection, deck_id: int, change: ConfigChange) -> ConfigResult:
    """Apply `change` to one deck: limits and retention at once, a switch with its replay."""
    validate(change)
    settings = update_limits_and_retention(
        collection,
        deck_id,
        desired_retention=change.desired_retention,
        new_per_day=change.new_per_day,
        reviews_per_day=change.reviews_per_day,
    )
    target = change.scheduler or settings.scheduler
    if target == settings.scheduler and not (change.reschedule and target == "fsrs"):
        return ConfigResult(settings)
    if target == "sm2":
        apply_switch(collection, deck_id, "sm2", ())
        return ConfigResult(one_deck_settings(collection, deck_id), switched=True)
    return _switch_to_fsrs(collection, settings, reschedule=change.reschedule)


def _switch_to_fsrs(
    collection: Collection, settings: DeckSettings, *, reschedule: bool
) -> ConfigResult:
    from flashcards.scheduling.fsrs_policy import FsrsScheduler

    scheduler = FsrsScheduler(settings.fsrs_parameters, settings.desired_retention)
    memories = {card.card_id: card for card in deck_memories(collection, settings.deck_id)}
    histories = review_histories(review_days(collection, settings.deck_id))
    replayed = replay_memory(scheduler.parameters, histories)
    updates: list[MemoryUpdate] = []
    seeded = 0
    for card in memories.values():
        if card.last_review_day is None and card.due_day is None:
            continue  # new: FSRS starts it on its first review
        memory = replayed.get(card.card_id)
        if memory is None:
            memory = _seed(scheduler, card)
            seeded += 1
        updates.append(_update(scheduler, card, memory, reschedule=reschedule))
    apply_switch(collection, settings.deck_id, "fsrs", updates)
    return ConfigResult(
        one_deck_settings(collection, settings.deck_id),
        switched=settings.scheduler != "fsrs",
        replayed=len(updates) - seeded,
        seeded=seeded,
        rescheduled=sum(1 for update in updates if update.due_day is not None),
    )


def _seed(scheduler: FsrsScheduler, card: CardMemory) -> tuple[float, float]:
    from flashcards.scheduling.fsrs_policy import seed_from_sm2

    state = ScheduleState(easiness_centi=card.easiness_centi, interval_days=card.interval_days)
    return seed_from_sm2(state, scheduler.parameters, scheduler.desired_retention)


def _update(
    scheduler: FsrsScheduler,
    card: CardMemory,
    memory: tuple[float, float],
    *,
    reschedule: bool,
) -> MemoryUpdate:
    stability, difficulty = memory
    if not reschedule or card.last_review_day is None:
        return MemoryUpdate(card.card_id, card.last_review_day, stability, difficulty)
    interval = scheduler.next_interval(stability)
    return MemoryUpdate(
        card.card_id,
        card.last_review_day,
        stability,
        difficulty,
        due_day=card.last_review_day + interval,
        interval_days=interval,
    )


def review_histories(reviews: Iterable[tuple[int, int, int]]) -> dict[int, list[tuple[int, int]]]:
    """Per card, the (study day, FSRS rating) of each day's first scheduling review.

    `reviews` are (card, day, grade) rows of kind `review` in time order: drills,
    cram and exam answers, and Anki's filtered, manual and rescheduling entries
    never moved the schedule, so FSRS does not see them either.
    """
    rating_of = [int(rating_of_grade(grade)) for grade in Grade]
    histories: dict[int, list[tuple[int, int]]] = {}
    for card_id, rows in groupby(reviews, key=itemgetter(0)):
        days: list[tuple[int, int]] = []
        last = None
        for _, day, grade in rows:
            if day != last:
                days.append((day, rating_of[grade]))
                last = day
        histories[card_id] = days
    return histories


def replay_memory(
    parameters: Sequence[float], histories: dict[int, list[tuple[int, int]]]
) -> dict[int, tuple[float, float]]:
    """FSRS memory states (stability, difficulty) after each card's history, in one batch.

    fsrs-rs computes them (Rust, about 20 ms for 100,000 cards); a test holds its
    results equal to py-fsrs's, which schedules the live answers, to 1e-5.
    """
    import fsrs_rs_python

    if not histories:
        return {}
    items = []
    for days in histories.values():
        reviews = []
        previous: int | None = None
        for day, rating in days:
            reviews.append(
                fsrs_rs_python.FSRSReview(rating, 0 if previous is None else day - previous)
            )
            previous = day
        items.append(fsrs_rs_python.FSRSItem(reviews))
    states = fsrs_rs_python.FSRS(list(parameters)).memory_state_batch(items)
    return {
        card_id: (float(state.stability), float(state.difficulty))
        for card_id, state in zip(histories, states, strict=True)
    }
