"""The Statistics queries: grouped in SQL by study day, over real answers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Select

from flashcards.answering import answer_card
from flashcards.clock import study_day
from flashcards.model import ReviewKind
from flashcards.storage.collection import Collection
from flashcards.storage.history import first_answers_query, load_history, reviews_by_day_query
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck, stored_rows


@pytest.fixture
def ids(collection: Collection, clock: FakeClock) -> list[int]:
    import_decks(collection, [make_deck(n=6)], clock())
    return [card.id for card in collection.queue(clock(), limit=10)]


def test_answers_are_counted_per_study_day_whatever_their_kind(
    collection: Collection, clock: FakeClock, ids: list[int]
) -> None:
    today = study_day(clock())
    answer_card(collection, ids[0], 5, clock())
    answer_card(collection, ids[1], 2, clock())
    answer_card(collection, ids[1], 4, clock())  # a same-day re-drill
    answer_card(collection, ids[2], 5, clock(), cram=True)
    clock.advance(days=2)
    answer_card(collection, ids[3], 4, clock())
    history = load_history(collection, clock())
    assert history.reviews_by_day == {today: 4, today + 2: 1}


def test_answers_older_than_the_window_are_left_out(
    collection: Collection, clock: FakeClock, ids: list[int]
) -> None:
    answer_card(collection, ids[0], 5, clock())
    clock.advance(days=90)
    answer_card(collection, ids[1], 5, clock())
    history = load_history(collection, clock(), days=90)
    assert history.reviews_by_day == {study_day(clock()): 1}


def test_weekly_retention_counts_only_first_answers_of_the_day(
    collection: Collection, clock: FakeClock, ids: list[int]
) -> None:
    # The clock starts on Monday 2026-11-23; its week is keyed by that Monday.
    monday = study_day(clock())
    answer_card(collection, ids[0], 5, clock())  # right
    answer_card(collection, ids[1], 3, clock())  # passed but not "right first time"
    answer_card(collection, ids[1], 5, clock())  # re-drill: not a first answer
    answer_card(collection, ids[2], 5, clock(), kind=ReviewKind.EXAM)  # exams do not count
    clock.advance(days=6)  # Sunday: same week
    answer_card(collection, ids[3], 4, clock())
    clock.advance(days=1)  # the next Monday
    answer_card(collection, ids[4], 1, clock())
    history = load_history(collection, clock())
    assert history.first_answers_by_week == {monday: (3, 2), monday + 7: (1, 0)}


def test_the_forecast_groups_unsuspended_review_cards_by_due_day(
    collection: Collection, clock: FakeClock, ids: list[int]
) -> None:
    today = study_day(clock())
    answer_card(collection, ids[0], 5, clock())  # due tomorrow
    answer_card(collection, ids[1], 4, clock())  # due tomorrow
    answer_card(collection, ids[2], 5, clock())
    collection.set_suspended([ids[2]], True)
    clock.advance(days=3)  # both are now two days overdue
    answer_card(collection, ids[3], 5, clock())  # due the day after
    history = load_history(collection, clock(), forecast_days=30)
    assert history.due_by_day == {today + 1: 2, today + 4: 1}


def test_easiness_counts_only_cards_already_studied(
    collection: Collection, clock: FakeClock, ids: list[int]
) -> None:
    answer_card(collection, ids[0], 5, clock())  # 2.5 -> 2.6
    answer_card(collection, ids[1], 4, clock())  # stays 2.5
    answer_card(collection, ids[2], 3, clock())  # 2.5 -> 2.36
    history = load_history(collection, clock())
    assert history.easiness == {260: 1, 250: 1, 236: 1}


def test_an_empty_collection_has_empty_aggregates(collection: Collection, clock: FakeClock) -> None:
    history = load_history(collection, clock())
    assert history.reviews_by_day == {}
    assert history.first_answers_by_week == {}
    assert history.due_by_day == {}
    assert history.easiness == {}
    assert history.summary.reviews_total == 0


def query_plan(collection: Collection, query: Select[Any]) -> str:
    sql = str(query.compile(compile_kwargs={"literal_binds": True}))
    rows = stored_rows(collection, "EXPLAIN QUERY PLAN " + sql)
    return " | ".join(str(row[-1]) for row in rows)


def test_log_queries_search_the_day_index_instead_of_reading_every_row(
    collection: Collection,
) -> None:
    """With a million log rows, only an index range scan keeps the screen quick."""
    daily = query_plan(collection, reviews_by_day_query(1, 90))
    weekly = query_plan(collection, first_answers_query(1, 90))
    assert "SEARCH review_log USING COVERING INDEX ix_review_day" in daily
    assert "SEARCH review_log USING INDEX ix_review_day" in weekly
