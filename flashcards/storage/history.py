"""The SQL behind the Statistics screen: aggregates, never individual review rows.

A heavy user's log reaches a million rows, so every query groups inside SQLite
over a bounded range of study days (the `ix_review_day` index on `day, kind`
serves the review counts) or over the narrow schedule table, and returns a few
hundred numbers. Shaping them into plots is `flashcards.stats`' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, case, func, select

from flashcards.clock import study_day
from flashcards.model import ReviewKind
from flashcards.scheduling.constants import PASS_GRADE
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import deck_settings
from flashcards.storage.reports import RETENTION_WINDOW_DAYS, Summary, summary
from flashcards.storage.tables import reviews_t, schedule_t

HISTORY_DAYS = 90
EVALUATION_KEY = "scheduler_evaluation"  # meta key: the latest `scheduler evaluate` figures
FORECAST_DAYS = 30
RIGHT_QUALITY = 4  # "right first time" means graded 4 or 5, as the session summary counts it

r = reviews_t.c
s = schedule_t.c


@dataclass(frozen=True)
class FsrsDeckHistory:
    """One FSRS deck's memory states and its recent reviews of cards already in review."""

    name: str
    desired_retention: float
    parameters: tuple[float, ...] | None  # None: FSRS-6's defaults
    memories: tuple[tuple[float, int], ...]  # (stability, last_review_day) per card
    judged: int  # `review` answers on cards not new before, last 30 days
    passed: int  # ... of which graded PASS_GRADE or more


@dataclass(frozen=True)
class SchedulerHistory:
    """What the statistics show about the schedulers: FSRS decks and the stored evaluation."""

    today: int
    fsrs_decks: tuple[FsrsDeckHistory, ...] = ()
    evaluation: str | None = None  # the JSON `scheduler evaluate` stored, as stored


@dataclass(frozen=True)
class History:
    """Raw aggregates keyed by study day; missing keys mean zero."""

    today: int
    reviews_by_day: dict[int, int]  # every answer logged, of any kind
    first_answers_by_week: dict[int, tuple[int, int]]  # Monday's day -> (answered, right)
    due_by_day: dict[int, int]  # unsuspended review cards; overdue ones keep their past day
    easiness: dict[int, int]  # easiness in hundredths -> cards already studied
    summary: Summary
    schedulers: SchedulerHistory | None = None


def load_history(
    collection: Collection,
    now: datetime,
    *,
    days: int = HISTORY_DAYS,
    forecast_days: int = FORECAST_DAYS,
) -> History:
    """Everything the Statistics screen plots, as a handful of grouped queries."""
    today = study_day(now)
    first = today - days + 1
    overview = summary(collection, now)
    schedulers = load_scheduler_history(collection, now)
    with collection.read() as conn:
        return History(
            today=today,
            reviews_by_day=reviews_by_day(conn, first, today),
            first_answers_by_week=first_answers_by_week(conn, first, today),
            due_by_day=due_by_day(conn, today + forecast_days - 1),
            easiness=easiness_counts(conn),
            summary=overview,
            schedulers=schedulers,
        )


def load_scheduler_history(collection: Collection, now: datetime) -> SchedulerHistory:
    """Each FSRS deck's memory states and true-retention counts, and the stored evaluation.

    The memory states are the narrow (stability, last review day) pairs of the
    deck's cards that have one; the forgetting curve is the core's business.
    """
    today = study_day(now)
    decks = [deck for deck in deck_settings(collection) if deck.scheduler == "fsrs"]
    found = []
    with collection.read() as conn:
        for deck in decks:
            judged, passed = conn.execute(true_retention_query(deck.deck_id, today)).one()
            found.append(
                FsrsDeckHistory(
                    name=deck.name,
                    desired_retention=deck.desired_retention,
                    parameters=deck.fsrs_parameters,
                    memories=memory_states(conn, deck.deck_id),
                    judged=int(judged),
                    passed=int(passed or 0),
                )
            )
    return SchedulerHistory(today, tuple(found), collection.meta(EVALUATION_KEY))


def memory_states(conn: Connection, deck_id: int) -> tuple[tuple[float, int], ...]:
    query = select(s.stability, s.last_review_day).where(
        s.deck_id == deck_id, s.stability.is_not(None), s.last_review_day.is_not(None)
    )
    return tuple((float(stability), int(day)) for stability, day in conn.execute(query))


def true_retention_query(deck_id: int, today: int) -> Select[int, Any]:
    """The deck's `review` answers on cards already in review (not new before), last 30 days.

    Drills, cram and exam answers are left out, as in the summary's 30-day retention;
    a pass is a grade of 3 or more (FSRS's Hard, Good and Easy).
    """
    passed = func.sum(case((r.quality >= PASS_GRADE, 1), else_=0))
    deck_cards = select(s.card_id).where(s.deck_id == deck_id)
    return select(func.count(), passed).where(
        r.kind == ReviewKind.REVIEW.value,
        r.due_before.is_not(None),
        r.day > today - RETENTION_WINDOW_DAYS,
        r.card_id.in_(deck_cards),
    )


def reviews_by_day(conn: Connection, first: int, last: int) -> dict[int, int]:
    return {int(day): int(count) for day, count in conn.execute(reviews_by_day_query(first, last))}


def reviews_by_day_query(first: int, last: int) -> Select[Any]:
    """Answers per day: a range scan of the covering `ix_review_day` index."""
    return select(r.day, func.count()).where(r.day.between(first, last)).group_by(r.day)


def first_answers_by_week(conn: Connection, first: int, last: int) -> dict[int, tuple[int, int]]:
    """Per week (keyed by its Monday), SM-2 reviews and how many were graded right.

    Only `review` rows count: each is a card's first answer of its day, so
    same-day re-drills, cram and exam answers do not inflate the rate.
    """
    rows = conn.execute(first_answers_query(first, last))
    return {int(week): (int(count), int(right or 0)) for week, count, right in rows}


def first_answers_query(first: int, last: int) -> Select[Any]:
    """Day 0 (1970-01-01) was a Thursday, hence the `+ 3` that lands weeks on Mondays."""
    monday = r.day - (r.day + 3) % 7
    right = func.sum(case((r.quality >= RIGHT_QUALITY, 1), else_=0))
    return (
        select(monday, func.count(), right)
        .where(r.day.between(first, last), r.kind == ReviewKind.REVIEW.value)
        .group_by(monday)
    )


def due_by_day(conn: Connection, last: int) -> dict[int, int]:
    query = (
        select(s.due_day, func.count())
        .where(s.due_day.is_not(None), s.due_day <= last, s.suspended == 0)
        .group_by(s.due_day)
    )
    return {int(day): int(count) for day, count in conn.execute(query)}


def easiness_counts(conn: Connection) -> dict[int, int]:
    query = (
        select(s.easiness_centi, func.count())
        .where(s.due_day.is_not(None))
        .group_by(s.easiness_centi)
    )
    return {int(centi): int(count) for centi, count in conn.execute(query)}
