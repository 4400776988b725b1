"""SM-2 as the collection schedules with it, behind the `Scheduler` seam.

SM-2 itself (`sm2.py`) only knows repetitions, easiness and interval. This
layer adds what a collection needs around it: the due day, SM-2's same-day
re-drill, lapse counting and leeches, and cram answers that leave the schedule
alone. Keeping it pure lets the session, the tests and a log replay share it.
"""

from __future__ import annotations

from dataclasses import replace

from flashcards.model import Grade, ReviewKind, ScheduleState
from flashcards.scheduling.base import Outcome
from flashcards.scheduling.constants import LEECH_LAPSES, PASS_GRADE, RIGHT_GRADE
from flashcards.scheduling.sm2 import check_quality, needs_redrill, review_centi


class Sm2Scheduler:
    """The default scheduler: SM-2 exactly as published, with re-drills and leeches."""

    name = "sm2"

    def answer(self, state: ScheduleState, grade: Grade, today: int, *, cram: bool) -> Outcome:
        return apply_answer(state, grade, today, cram=cram)


SM2 = Sm2Scheduler()


def apply_answer(state: ScheduleState, grade: int, today: int, *, cram: bool = False) -> Outcome:
    """The outcome of answering `grade` on study day `today`.

    The first answer of a day is the SM-2 review. Later answers that day are
    re-drills: logged, clearing the re-drill once graded 4 or 5, never moving
    the SM-2 variables. Cram answers change nothing at all.
    """
    quality = Grade(check_quality(grade))
    if cram:
        return Outcome(quality, state, state, ReviewKind.CRAM)
    if state.last_review_day == today:
        redrill = today if state.redrill_day == today and quality < RIGHT_GRADE else None
        return Outcome(quality, state, replace(state, redrill_day=redrill), ReviewKind.DRILL)
    repetitions, easiness, interval = review_centi(
        state.repetitions, state.easiness_centi, state.interval_days, quality
    )
    lapsed = quality < PASS_GRADE and not state.is_new
    lapses = state.lapses + int(lapsed)
    became_leech = lapsed and lapses % LEECH_LAPSES == 0
    after = ScheduleState(  # every field is set: the constructor, not the slower replace()
        repetitions=repetitions,
        easiness_centi=easiness,
        interval_days=interval,
        due_day=today + interval,
        lapses=lapses,
        last_review_day=today,
        redrill_day=today if needs_redrill(quality) else None,
        buried_until=None,
        leech=state.leech or became_leech,
        suspended=state.suspended or became_leech,
    )
    return Outcome(quality, state, after, ReviewKind.REVIEW, became_leech)


def reset_state(state: ScheduleState) -> ScheduleState:
    """Forget a card's schedule (it becomes new); lapses and history stay in the log."""
    return ScheduleState(suspended=state.suspended)
