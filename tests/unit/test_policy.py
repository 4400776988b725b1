"""The collection-level answer rules: due days, re-drill, lapses, leeches, cram."""

from __future__ import annotations

from flashcards.model import ReviewKind, ScheduleState
from flashcards.scheduling.constants import LEECH_LAPSES
from flashcards.scheduling.policy import apply_answer

TODAY = 20_000


def test_first_answer_of_the_day_is_a_review_that_sets_the_due_day() -> None:
    outcome = apply_answer(ScheduleState(), 4, TODAY)
    assert outcome.kind is ReviewKind.REVIEW
    assert outcome.state.due_day == TODAY + 1
    assert outcome.state.last_review_day == TODAY
    assert outcome.state.redrill_day is None


def test_grade_three_passes_but_comes_back_for_redrill_today() -> None:
    outcome = apply_answer(ScheduleState(), 3, TODAY)
    assert outcome.state.repetitions == 1
    assert outcome.state.redrill_day == TODAY


def test_redrill_answers_do_not_touch_the_sm2_state() -> None:
    first = apply_answer(ScheduleState(), 1, TODAY).state
    again = apply_answer(first, 2, TODAY)
    assert again.kind is ReviewKind.DRILL
    assert again.state == first  # still waiting for a 4 or 5
    cleared = apply_answer(again.state, 4, TODAY)
    assert cleared.kind is ReviewKind.DRILL
    assert cleared.state.redrill_day is None
    same_sm2 = (first.repetitions, first.easiness_centi, first.interval_days, first.due_day)
    after = cleared.state
    assert (after.repetitions, after.easiness_centi, after.interval_days, after.due_day) == same_sm2


def test_next_day_is_a_review_again() -> None:
    first = apply_answer(ScheduleState(), 5, TODAY).state
    assert apply_answer(first, 5, TODAY + 1).kind is ReviewKind.REVIEW


def test_lapses_count_only_for_cards_already_learned() -> None:
    new_fail = apply_answer(ScheduleState(), 1, TODAY).state
    assert new_fail.lapses == 0
    learned = ScheduleState(repetitions=3, interval_days=20, due_day=TODAY)
    assert apply_answer(learned, 2, TODAY).state.lapses == 1


def test_eighth_lapse_makes_a_suspended_leech() -> None:
    state = ScheduleState(repetitions=2, interval_days=6, due_day=TODAY, lapses=LEECH_LAPSES - 1)
    outcome = apply_answer(state, 0, TODAY)
    assert outcome.became_leech
    assert outcome.state.leech and outcome.state.suspended
    assert outcome.state.lapses == LEECH_LAPSES


def test_cram_changes_nothing() -> None:
    state = ScheduleState(repetitions=2, interval_days=6, due_day=TODAY + 3)
    outcome = apply_answer(state, 1, TODAY, cram=True)
    assert outcome.kind is ReviewKind.CRAM
    assert outcome.state == state
