"""`ComputeAttempt`: the rules of one try at a compute card, with no screen attached.

The session owns one for the compute card on screen and the TUI only renders
it. It decides the seed (from a random source the session injects, or a seed
given back by undo so the same problem returns), counts tries, knows when the
student was slow, and suggests the grade. Drawing and checking call into
`quizzes`, which imports sympy: the front end may run `draw` and `evaluate` in a
worker thread, then hand the result back with `record_check` on its own thread.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flashcards.model import AttemptRecord, Card, Grade

if TYPE_CHECKING:
    from quizzes.problem import CheckResult, Mistake, Problem

MAX_TRIES = 2
"""A wrong answer gets one more try before the solution is shown."""

SLOW_SECONDS = 180
"""A right answer that took longer than this is graded good (4), not easy (5)."""

SEED_LIMIT = 2**31


def draw_seed(rng: random.Random) -> int:
    """A fresh problem seed from the session's random source."""
    return rng.randrange(SEED_LIMIT)


@dataclass(frozen=True)
class Step:
    """What checking one typed answer did, for the front end to show.

    `parse_error`: the text was not understood; no try was spent. `retry`: wrong,
    and one more try is allowed. Otherwise the attempt is `finished`.
    """

    result: CheckResult
    parse_error: bool = False
    retry: bool = False


def suggested_grade(
    correct: bool, *, tries: int, mistake: Mistake | None, gave_up: bool, slow: bool
) -> Grade:
    """The grade an outcome suggests; the student may still choose another.

    Right at once and quickly: 5; right after a retry or slowly: 4; a named
    mistake (the method was nearly there): 2; any other wrong answer: 1; asking
    for the solution without an answer: 0.
    """
    if gave_up:
        return Grade.BLACKOUT
    if correct:
        return Grade.GOOD if tries > 1 or slow else Grade.EASY
    return Grade.WRONG_EASY if mistake is not None else Grade.WRONG_FAMILIAR


class ComputeAttempt:
    """One compute card's problem, the tries at it, and the grade it suggests."""

    def __init__(self, card: Card, seed: int) -> None:
        self.card = card
        self.seed = seed
        self.problem: Problem | None = None
        self.tries = 0
        self.answer_text: str | None = None
        self.suggested: Grade | None = None
        self.correct = False
        self.gave_up = False
        self.mistake: Mistake | None = None
        self.verdict = ""
        self._shown_at = 0.0

    @property
    def finished(self) -> bool:
        return self.suggested is not None

    def draw(self) -> Problem:
        """Generate the problem for this seed (pure and thread-safe; may import sympy)."""
        from quizzes.registry import get

        return get(self.card.generator).generate(self.seed, self.card.params)

    def shown(self, problem: Problem, now: float) -> None:
        """The problem is on screen at time `now` (seconds): answers can be checked."""
        self.problem = problem
        self._shown_at = now

    def evaluate(self, text: str) -> CheckResult:
        """Judge `text` against the problem without changing the attempt (thread-safe)."""
        from quizzes.checking import check_answer

        if self.problem is None:
            raise RuntimeError("the problem has not been drawn yet")
        return check_answer(self.problem, text)

    def record_check(self, text: str, result: CheckResult, now: float) -> Step:
        """Count a checked answer; finish the attempt when it is right or out of tries."""
        if self.finished:
            raise RuntimeError("the attempt is already finished")
        if result.parse_error:
            return Step(result, parse_error=True)
        self.tries += 1
        self.answer_text = text
        if result.correct or self.tries >= MAX_TRIES:
            self._finish(result.correct, result.mistake, result.message, now)
            return Step(result)
        return Step(result, retry=True)

    def give_up(self, now: float) -> None:
        """Show the worked solution now; the attempt ends without a right answer."""
        if not self.finished:
            self.gave_up = True
            self._finish(False, None, "Solution shown without an answer.", now)

    def record(self) -> AttemptRecord:
        """What the review log keeps so this exact problem can be shown again."""
        version = self.problem.version if self.problem is not None else None
        return AttemptRecord(
            template=self.card.generator,
            version=version,
            seed=self.seed,
            tries=self.tries,
        )

    def _finish(self, correct: bool, mistake: Mistake | None, verdict: str, now: float) -> None:
        self.correct, self.mistake, self.verdict = correct, mistake, verdict
        self.suggested = suggested_grade(
            correct,
            tries=self.tries,
            mistake=mistake,
            gave_up=self.gave_up,
            slow=now - self._shown_at > SLOW_SECONDS,
        )
