"""Shaping the review history into the series the Statistics screen draws.

Pure functions over `flashcards.storage.history.History`: they fill the days
and weeks the database had nothing for with zeros, fold overdue cards into
today's forecast and bin the easiness factors, so a plot widget only has to
draw numbers, and these rules are testable without a database or a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flashcards.clock import day_to_date, from_epoch_ms
from flashcards.scheduling.constants import MIN_EASINESS_CENTI
from flashcards.storage.history import (
    FORECAST_DAYS,
    HISTORY_DAYS,
    FsrsDeckHistory,
    History,
    SchedulerHistory,
)
from flashcards.storage.reports import Summary

RETENTION_WEEKS = 13
EASE_MIN_CENTI = MIN_EASINESS_CENTI  # SM-2 never lets the easiness factor drop below 1.3
EASE_TOP_CENTI = 260  # one bin collects every factor from 2.6 up
EASE_BIN_CENTI = 10


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class WeekRetention:
    """First answers of one week (Monday to Sunday) and how many were right."""

    week_start: date
    answered: int
    right: int

    @property
    def rate(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int


SCHEDULER_LABELS = {
    "sm2": "SM-2",
    "fsrs_default": "FSRS, default parameters",
    "fsrs_optimized": "FSRS, fitted to you",
}


@dataclass(frozen=True)
class DeckMemory:
    """An FSRS deck today: predicted recall, recall actually achieved, and the target."""

    deck: str
    desired_retention: float
    cards: int  # cards with a memory state
    retrievability: float | None  # mean predicted recall today; None without such cards
    judged: int  # `review` answers on cards already in review, last 30 days
    passed: int

    @property
    def true_retention(self) -> float | None:
        return self.passed / self.judged if self.judged else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "desired_retention": self.desired_retention,
            "cards_with_memory": self.cards,
            "retrievability": _rounded(self.retrievability),
            "true_retention_30d": _rounded(self.true_retention),
            "reviews_30d": self.judged,
        }


@dataclass(frozen=True)
class SchedulerScore:
    """One scheduler's figures from `scheduler evaluate` (lower is better in both)."""

    scheduler: str  # "sm2", "fsrs_default" or "fsrs_optimized"
    log_loss: float
    rmse_bins: float

    @property
    def label(self) -> str:
        return SCHEDULER_LABELS.get(self.scheduler, self.scheduler)


@dataclass(frozen=True)
class Evaluation:
    """The latest stored `scheduler evaluate` result."""

    reviews: int
    cards: int
    scores: tuple[SchedulerScore, ...]
    evaluated: date | None
    deck: str | None  # None: every deck

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "cards": self.cards,
            "deck": self.deck,
            "evaluated": None if self.evaluated is None else self.evaluated.isoformat(),
            "schedulers": {
                score.scheduler: {"log_loss": score.log_loss, "rmse_bins": score.rmse_bins}
                for score in self.scores
            },
        }


@dataclass(frozen=True)
class SchedulerReport:
    """FSRS decks' memory and the stored evaluation; empty when there is neither."""

    decks: tuple[DeckMemory, ...] = ()
    evaluation: Evaluation | None = None

    @property
    def is_empty(self) -> bool:
        return not self.decks and self.evaluation is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fsrs_decks": [deck.to_dict() for deck in self.decks],
            "evaluation": None if self.evaluation is None else self.evaluation.to_dict(),
        }


@dataclass(frozen=True)
class Statistics:
    today: date
    reviews: tuple[DayCount, ...]  # oldest first, one per day, ending today
    forecast: tuple[DayCount, ...]  # today first (overdue cards included), one per day
    retention: tuple[WeekRetention, ...]  # oldest week first, ending this week
    states: tuple[Bucket, ...]
    easiness: tuple[Bucket, ...]
    summary: Summary
    schedulers: SchedulerReport = field(default_factory=SchedulerReport)

    @property
    def has_reviews(self) -> bool:
        return self.summary.reviews_total > 0

    @property
    def studied_days(self) -> int:
        return sum(1 for day in self.reviews if day.count)

    @property
    def streak(self) -> int:
        """Days in a row with at least one answer, up to today (or yesterday)."""
        counts = [day.count for day in reversed(self.reviews)]
        if counts and counts[0] == 0:
            counts = counts[1:]
        run = 0
        for count in counts:
            if not count:
                break
            run += 1
        return run


def build_statistics(history: History) -> Statistics:
    today = history.today
    return Statistics(
        today=day_to_date(today),
        reviews=daily_reviews(history.reviews_by_day, today),
        forecast=due_forecast(history.due_by_day, today),
        retention=weekly_retention(history.first_answers_by_week, today),
        states=cards_by_state(history.summary),
        easiness=easiness_histogram(history.easiness),
        summary=history.summary,
        schedulers=(
            SchedulerReport()
            if history.schedulers is None
            else scheduler_report(history.schedulers)
        ),
    )


def daily_reviews(
    by_day: Mapping[int, int], today: int, days: int = HISTORY_DAYS
) -> tuple[DayCount, ...]:
    first = today - days + 1
    return tuple(DayCount(day_to_date(day), by_day.get(day, 0)) for day in range(first, today + 1))


def due_forecast(
    by_day: Mapping[int, int], today: int, days: int = FORECAST_DAYS
) -> tuple[DayCount, ...]:
    """Cards due each day from today; whatever is overdue is due today."""
    overdue = sum(count for day, count in by_day.items() if day < today)
    return tuple(
        DayCount(day_to_date(day), by_day.get(day, 0) + (overdue if day == today else 0))
        for day in range(today, today + days)
    )


def weekly_retention(
    by_week: Mapping[int, tuple[int, int]], today: int, weeks: int = RETENTION_WEEKS
) -> tuple[WeekRetention, ...]:
    this_monday = today - (today + 3) % 7
    mondays = range(this_monday - 7 * (weeks - 1), this_monday + 1, 7)
    return tuple(
        WeekRetention(day_to_date(monday), *by_week.get(monday, (0, 0))) for monday in mondays
    )


def cards_by_state(summary: Summary) -> tuple[Bucket, ...]:
    """New, young and mature exclude suspended cards; buried and leech overlap them."""
    return (
        Bucket("new", summary.cards_new),
        Bucket("young (< 21 d)", summary.cards_young),
        Bucket("mature (≥ 21 d)", summary.cards_mature),
        Bucket("suspended", summary.cards_suspended),
        Bucket("buried", summary.cards_buried),
        Bucket("leech", summary.cards_leech),
    )


def easiness_histogram(by_centi: Mapping[int, int]) -> tuple[Bucket, ...]:
    """Studied cards per 0.1 of easiness, from 1.3 to a last `2.6+` bin."""
    bins = list(range(EASE_MIN_CENTI, EASE_TOP_CENTI + 1, EASE_BIN_CENTI))
    counts = dict.fromkeys(bins, 0)
    for centi, count in by_centi.items():
        low = max(
            EASE_MIN_CENTI, min(EASE_TOP_CENTI, centi - (centi - EASE_MIN_CENTI) % EASE_BIN_CENTI)
        )
        counts[low] += count
    return tuple(
        Bucket(f"{low / 100:.1f}" + ("+" if low == EASE_TOP_CENTI else ""), counts[low])
        for low in bins
    )


def scheduler_report(history: SchedulerHistory) -> SchedulerReport:
    """Each FSRS deck's memory today, and the stored evaluation if it reads."""
    return SchedulerReport(
        tuple(deck_memory(deck, history.today) for deck in history.fsrs_decks),
        parse_evaluation(history.evaluation),
    )


def deck_memory(deck: FsrsDeckHistory, today: int) -> DeckMemory:
    """Mean retrievability today over the deck's cards with a memory state."""
    recall = [
        retrievability(deck.parameters, stability, today - last_day)
        for stability, last_day in deck.memories
        if stability > 0
    ]
    return DeckMemory(
        deck=deck.name,
        desired_retention=deck.desired_retention,
        cards=len(recall),
        retrievability=sum(recall) / len(recall) if recall else None,
        judged=deck.judged,
        passed=deck.passed,
    )


def retrievability(parameters: Sequence[float] | None, stability: float, elapsed: int) -> float:
    """FSRS-6's forgetting curve R(t) = (1 + F t / S)^-w20, F = 0.9^(-1/w20) - 1.

    The formula `FsrsScheduler.retrievability` gets from py-fsrs, on whole elapsed
    days (never negative), without building a py-fsrs card per studied card.
    """
    if parameters is None:
        from flashcards.scheduling.fsrs_policy import DEFAULT_PARAMETERS

        parameters = DEFAULT_PARAMETERS
    decay = -parameters[20]
    factor: float = 0.9 ** (1 / decay) - 1
    return float((1 + factor * max(0, elapsed) / stability) ** decay)


def parse_evaluation(stored: str | None) -> Evaluation | None:
    """The stored `scheduler evaluate` JSON, or None when absent or unreadable.

    The statistics only show it: a value this version cannot read is skipped,
    never an error (`scheduler evaluate` writes a fresh one).
    """
    if not stored:
        return None
    try:
        data = json.loads(stored)
        schedulers = data["schedulers"]
        scores = tuple(
            SchedulerScore(
                name,
                float(schedulers[name]["log_loss"]),
                float(schedulers[name]["rmse_bins"]),
            )
            for name in SCHEDULER_LABELS
            if isinstance(schedulers.get(name), dict)
        )
        evaluated_ms = data.get("evaluated_ms")
        deck = data.get("deck")
        return Evaluation(
            reviews=int(data["reviews"]),
            cards=int(data["cards"]),
            scores=scores,
            evaluated=None if evaluated_ms is None else from_epoch_ms(int(evaluated_ms)).date(),
            deck=None if deck is None else str(deck),
        )
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
