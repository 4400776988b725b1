"""FSRS behind the `Scheduler` seam, computed by the `fsrs` package (py-fsrs).

The app counts in study days, so py-fsrs runs without learning or relearning
steps (minutes-long steps mean nothing here) and without fuzz (an interval must
be the one the button showed, and tests pin them). That is FSRS's long-term
model as Anki's own optimizer fits it. The app's same-day rules stay: the first
answer of a study day is the FSRS review; a card rated Again comes back later
that day as a drill, and drills and cram answers never move the memory state.

Besides the memory state the outcome keeps SM-2's bookkeeping: the interval and
due day are FSRS's, repetitions count successes in a row, and the easiness
factor is left as it was, so switching the deck back to SM-2 continues from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import fsrs

from flashcards.model import Grade, ReviewKind, ScheduleState
from flashcards.scheduling.base import Outcome
from flashcards.scheduling.constants import LEECH_LAPSES
from flashcards.scheduling.ratings import Rating, rating_of_grade
from flashcards.scheduling.sm2 import check_quality

DEFAULT_RETENTION = 0.9
MAXIMUM_INTERVAL_DAYS = 36500
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def day_start(day: int) -> datetime:
    """A study day as the UTC instant py-fsrs reckons with; only differences matter."""
    return _EPOCH + timedelta(days=day)


class FsrsScheduler:
    """FSRS-6 with a deck's parameters and desired retention."""

    name = "fsrs"

    def __init__(
        self,
        parameters: Sequence[float] | None = None,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> None:
        self.parameters = tuple(parameters) if parameters else DEFAULT_PARAMETERS
        self.desired_retention = desired_retention
        self._fsrs = fsrs.Scheduler(
            parameters=self.parameters,
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=MAXIMUM_INTERVAL_DAYS,
            enable_fuzzing=False,
        )

    def answer(self, state: ScheduleState, grade: Grade, today: int, *, cram: bool) -> Outcome:
        quality = Grade(check_quality(grade))
        rating = rating_of_grade(quality)
        if cram:
            return Outcome(
                quality, state, state, ReviewKind.CRAM, scheduler=self.name, rating=rating
            )
        if state.last_review_day == today:
            again = state.redrill_day == today and rating is Rating.AGAIN
            after = replace(state, redrill_day=today if again else None)
            return Outcome(
                quality, state, after, ReviewKind.DRILL, scheduler=self.name, rating=rating
            )
        reviewed, _log = self._fsrs.review_card(
            self._card(state), fsrs.Rating(int(rating)), review_datetime=day_start(today)
        )
        interval = max(1, (reviewed.due - day_start(today)).days)
        lapsed = rating is Rating.AGAIN and not state.is_new
        lapses = state.lapses + int(lapsed)
        became_leech = lapsed and lapses % LEECH_LAPSES == 0
        after = replace(
            state,
            repetitions=0 if rating is Rating.AGAIN else state.repetitions + 1,
            interval_days=interval,
            due_day=today + interval,
            lapses=lapses,
            last_review_day=today,
            redrill_day=today if rating is Rating.AGAIN else None,
            buried_until=None,
            leech=state.leech or became_leech,
            suspended=state.suspended or became_leech,
            stability=reviewed.stability,
            fsrs_difficulty=reviewed.difficulty,
        )
        return Outcome(
            quality,
            state,
            after,
            ReviewKind.REVIEW,
            became_leech,
            scheduler=self.name,
            rating=rating,
        )

    def next_interval(self, stability: float) -> int:
        """Days until a card of this stability falls to the desired retention.

        FSRS-6's forgetting curve R(t) = (1 + F t / S)^-w20 solved for R = retention,
        rounded and bounded exactly as py-fsrs bounds a review's interval.
        """
        decay = -self.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        days = round(stability / factor * (self.desired_retention ** (1 / decay) - 1))
        return int(min(max(days, 1), MAXIMUM_INTERVAL_DAYS))

    def _card(self, state: ScheduleState) -> fsrs.Card:
        if state.is_new or state.last_review_day is None:
            return fsrs.Card(card_id=1)
        stability, difficulty = state.stability, state.fsrs_difficulty
        if stability is None or difficulty is None:
            stability, difficulty = seed_from_sm2(state, self.parameters, self.desired_retention)
        return fsrs.Card(
            card_id=1,
            state=fsrs.State.Review,
            step=None,
            stability=stability,
            difficulty=difficulty,
            due=day_start(state.due_day if state.due_day is not None else state.last_review_day),
            last_review=day_start(state.last_review_day),
        )


def seed_from_sm2(
    state: ScheduleState, parameters: Sequence[float], desired_retention: float
) -> tuple[float, float]:
    """A memory state for a card that only has SM-2's (ease, interval), as Anki derives it.

    Delegates to fsrs-rs's `memory_state_from_sm2`, the function Anki calls when a
    deck with SM-2 history first turns FSRS on; it assumes the SM-2 interval was set
    for the desired retention.
    """
    import fsrs_rs_python

    interval = max(1, state.interval_days)
    memory = fsrs_rs_python.FSRS(list(parameters)).memory_state_from_sm2(
        state.easiness_centi / 100, float(interval), desired_retention
    )
    return float(memory.stability), float(memory.difficulty)
