"""Shaping the review history into the series the Statistics screen draws.

Pure functions over `flashcards.storage.history.History`: they fill the days
and weeks the database had nothing for with zeros, fold overdue cards into
today's forecast and bin the easiness factors, so a plot widget only has to
draw numbers, and these rules are testable without a database or a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flashcards.clock import day_to_date
from flashcards.scheduling.constants import MIN_EASINESS_CENTI
from flashcards.storage.history import FORECAST_DAYS, HISTORY_DAYS, History
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


@dataclass(frozen=True)
class Statistics:
    today: date
    reviews: tuple[DayCount, ...]  # oldest first, one per day, ending today
    forecast: tuple[DayCount, ...]  # today first (overdue cards included), one per day
    retention: tuple[WeekRetention, ...]  # oldest week first, ending this week
    states: tuple[Bucket, ...]
    easiness: tuple[Bucket, ...]
    summary: Summary

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
