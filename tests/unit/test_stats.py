"""Shaping review aggregates into plot series: gaps, overdue cards, weeks and bins."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from flashcards.clock import date_to_day
from flashcards.stats import (
    build_statistics,
    cards_by_state,
    daily_reviews,
    due_forecast,
    easiness_histogram,
    weekly_retention,
)
from flashcards.storage.history import History
from flashcards.storage.reports import Summary

TODAY = date_to_day(date(2026, 11, 25))  # a Wednesday


EMPTY = Summary(
    reviews_total=0,
    reviews_today=0,
    minutes_today=0.0,
    retention_30d=None,
    cards_total=0,
    cards_new=0,
    cards_young=0,
    cards_mature=0,
    cards_suspended=0,
    cards_buried=0,
    cards_leech=0,
    due_today=0,
)


def test_daily_reviews_fill_days_without_answers_with_zero() -> None:
    series = daily_reviews({TODAY: 4, TODAY - 2: 7, TODAY - 400: 99}, TODAY, days=5)
    assert [(day.day.isoformat(), day.count) for day in series] == [
        ("2026-11-21", 0),
        ("2026-11-22", 0),
        ("2026-11-23", 7),
        ("2026-11-24", 0),
        ("2026-11-25", 4),
    ]


def test_the_forecast_counts_overdue_cards_as_due_today() -> None:
    series = due_forecast({TODAY - 10: 3, TODAY - 1: 2, TODAY: 1, TODAY + 2: 5}, TODAY, days=4)
    assert [day.count for day in series] == [6, 0, 5, 0]
    assert series[0].day == date(2026, 11, 25)


def test_the_forecast_ignores_days_past_its_end() -> None:
    series = due_forecast({TODAY + 30: 8}, TODAY, days=30)
    assert len(series) == 30
    assert sum(day.count for day in series) == 0


def test_weeks_start_on_monday_and_end_with_the_current_week() -> None:
    monday = TODAY - 2  # 2026-11-23
    weeks = weekly_retention({monday: (10, 7), monday - 14: (4, 4)}, TODAY, weeks=3)
    assert [w.week_start.isoformat() for w in weeks] == ["2026-11-09", "2026-11-16", "2026-11-23"]
    assert [w.rate for w in weeks] == [1.0, None, 0.7]
    assert all(w.week_start.weekday() == 0 for w in weeks)


def test_easiness_bins_are_tenths_from_one_point_three_with_an_open_top() -> None:
    bins = easiness_histogram({130: 2, 139: 1, 141: 5, 250: 3, 260: 1, 310: 4})
    counts = {bucket.label: bucket.count for bucket in bins}
    assert counts["1.3"] == 3
    assert counts["1.4"] == 5
    assert counts["2.5"] == 3
    assert counts["2.6+"] == 5
    assert [bucket.label for bucket in bins][:3] == ["1.3", "1.4", "1.5"]
    assert bins[-1].label == "2.6+"


@given(st.dictionaries(st.integers(130, 400), st.integers(0, 1000)))
def test_easiness_binning_keeps_every_card(counts: dict[int, int]) -> None:
    assert sum(bucket.count for bucket in easiness_histogram(counts)) == sum(counts.values())


def test_cards_by_state_reads_the_summary() -> None:
    summary = replace(EMPTY, cards_new=5, cards_young=3, cards_mature=2, cards_suspended=1)
    states = {bucket.label: bucket.count for bucket in cards_by_state(summary)}
    assert states["new"] == 5
    assert states["young (< 21 d)"] == 3
    assert states["mature (≥ 21 d)"] == 2
    assert states["suspended"] == 1
    assert states["leech"] == 0


def history(by_day: dict[int, int], total: int) -> History:
    return History(
        today=TODAY,
        reviews_by_day=by_day,
        first_answers_by_week={},
        due_by_day={},
        easiness={},
        summary=replace(EMPTY, reviews_total=total),
    )


def test_the_streak_counts_back_from_today_or_from_yesterday() -> None:
    studied_today = build_statistics(history({TODAY: 1, TODAY - 1: 2, TODAY - 3: 1}, 4))
    assert studied_today.streak == 2
    not_yet_today = build_statistics(history({TODAY - 1: 2, TODAY - 2: 1, TODAY - 4: 1}, 4))
    assert not_yet_today.streak == 2
    lapsed = build_statistics(history({TODAY - 2: 2}, 2))
    assert lapsed.streak == 0
    assert lapsed.studied_days == 1


def test_statistics_without_reviews_say_so() -> None:
    statistics = build_statistics(history({}, 0))
    assert not statistics.has_reviews
    assert len(statistics.reviews) == 90
    assert len(statistics.forecast) == 30
    assert len(statistics.retention) == 13
    assert statistics.streak == 0
