"""The scheduler seam: a pure function from (state, grade, day) to an outcome.

An `Outcome` is both the card's next state and the content of its log entry
(kind, state before and after), the way py-fsrs's `review_card` returns a card
and its review log together. The session asks for the outcome of every grade
once, shows those intervals on the grade buttons, and hands the chosen one to
storage, which writes it as given: one computation per answer, never two that
could disagree. SM-2 is the default; a second scheduler (FSRS) only has to
implement `Scheduler.answer` (see `fsrs_policy.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flashcards.model import Grade, ReviewKind, ScheduleState


@dataclass(frozen=True)
class Outcome:
    """What grading a card does: its next state and everything its log row records."""

    grade: Grade
    before: ScheduleState
    state: ScheduleState
    kind: ReviewKind
    became_leech: bool = False
    scheduler: str = "sm2"
    rating: int | None = None  # the 1-4 rating an FSRS deck was graded with

    def interval_days(self, today: int) -> int:
        """Days until the card is next due (0: due again today)."""
        due = self.state.due_day
        return 0 if due is None else due - today


class Scheduler(Protocol):
    """A scheduling algorithm; time comes in as the study day, never from a clock."""

    name: str

    def answer(self, state: ScheduleState, grade: Grade, today: int, *, cram: bool) -> Outcome:
        """The outcome of grading a card in `state` with `grade` on study day `today`."""
        ...
