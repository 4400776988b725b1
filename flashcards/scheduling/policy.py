"""What one answer does to a card's full schedule state, as a pure function.

SM-2 itself (`sm2.py`) only knows repetitions, easiness and interval. This
layer adds what a collection needs around it: the due day, SM-2's same-day
re-drill, lapse counting and leeches, and cram answers that leave the schedule
alone. Keeping it pure lets the collection, the tests and a log replay share it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flashcards.model import ReviewKind, ScheduleState
from flashcards.scheduling.sm2 import check_quality, needs_redrill, review_centi

LEECH_LAPSES = 8
PASSING_QUALITY = 3


@dataclass(frozen=True)
class Outcome:
    state: ScheduleState
    kind: ReviewKind
    became_leech: bool = False


def apply_answer(state: ScheduleState, quality: int, today: int, *, cram: bool = False) -> Outcome:
    """The state after answering `quality` on study day `today`.

    The first answer of a day is the SM-2 review. Later answers that day are
    re-drills: logged, clearing the re-drill once graded 4 or 5, never moving
    the SM-2 variables. Cram answers change nothing at all.
    """
    check_quality(quality)
    if cram:
        return Outcome(state, ReviewKind.CRAM)
    if state.last_review_day == today:
        redrill = today if state.redrill_day == today and quality < 4 else None
        return Outcome(replace(state, redrill_day=redrill), ReviewKind.DRILL)
    repetitions, easiness, interval = review_centi(
        state.repetitions, state.easiness_centi, state.interval_days, quality
    )
    lapsed = quality < PASSING_QUALITY and not state.is_new
    lapses = state.lapses + int(lapsed)
    became_leech = lapsed and lapses % LEECH_LAPSES == 0
    after = replace(
        state,
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
    return Outcome(after, ReviewKind.REVIEW, became_leech)


def reset_state(state: ScheduleState) -> ScheduleState:
    """Forget a card's schedule (it becomes new); lapses and history stay in the log."""
    return ScheduleState(suspended=state.suspended)
