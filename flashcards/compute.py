"""`ComputeAttempt`: the rules of one try at a compute card, with no screen attached.

The session owns one for the compute card on screen and the TUI only renders
it. It decides the seed (from a random source the session injects, or a seed
given back by undo so the same problem returns), counts tries, knows when the
student was slow, and suggests the grade. Drawing and checking call into
`quizzes`, which imports sympy: the front end may run `draw` and `evaluate` in a
worker thread, then hand the result back with `record_check` on its own thread.
"""

from __future__ import annotations

import gc
import json
import random
import threading
import time
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


DRAWN_KEPT = 8
_WARMED: list[bool] = []
_DRAWN: dict[tuple[str, str, int], Problem] = {}
_DRAWN_LOCK = threading.Lock()
"""The draw-ahead worker and the panel's draw may store problems at the same time."""


def _cache_key(card: Card, seed: int) -> tuple[str, str, int]:
    return (card.generator, json.dumps(card.params, sort_keys=True, default=str), seed)


def warm_up() -> None:
    """Import the math stack and draw one problem of every template, so that the first
    compute card is instant.

    The app runs this in a worker once its first screen is up: sympy alone takes
    about a second to import, which used to land on the first compute card, and each
    template's first problem pays for its module and sympy's caches (up to 0.15 s).
    One heat map warms the numeric path too. The work is done once per process.
    """
    if _WARMED:
        return
    from quizzes.checking import check_answer
    from quizzes.numeric import optimizer_path, sample
    from quizzes.registry import all_templates
    from quizzes.render import format_value

    mapped = False
    for template in all_templates():
        try:
            problem = template.generate(0, {})
            check_answer(problem, format_value(problem.answer_kind, problem.expected))
            if not mapped and len(problem.variables) == 2 and problem.function and problem.point:
                optimizer_path(problem, 2)  # one heat map warms the numeric path for all
                names = (problem.variables[0], problem.variables[1])
                sample(problem.function, names, problem.point, path=problem.path)
                mapped = True
        except Exception:  # a broken template says so on its own card
            pass
        time.sleep(0)  # let the UI thread in between templates
    # sympy leaves hundreds of thousands of long-lived objects: moved out of the
    # collector's sight (once per process), they no longer slow later collections.
    if not _WARMED:
        _WARMED.append(True)
        gc.freeze()


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


def suggested_grade(correct: bool, *, tries: int, named_slip: bool, slow: bool) -> Grade:
    """The grade an attempt suggests; the student may still choose another.

    Right at the first try and within `SLOW_SECONDS`: 5 (easy); right at the second
    try, or slowly: 4 (good). Not right: 2 (near miss) if any try was a named slip,
    the method nearly there; else 1 (wrong), whether the tries ran out or the student
    asked for the solution. Asking is never graded below guessing, and 0 (blackout)
    is never suggested: that one is the student's own call.
    """
    if correct:
        return Grade.GOOD if tries > 1 or slow else Grade.EASY
    return Grade.WRONG_EASY if named_slip else Grade.WRONG_FAMILIAR


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
        self.named_slip = False
        self.mistake: Mistake | None = None
        self.verdict = ""
        self._shown_at = 0.0

    @property
    def finished(self) -> bool:
        return self.suggested is not None

    def draw(self) -> Problem:
        """Generate the problem for this seed (pure and thread-safe; may import sympy).

        A problem drawn ahead (`prefetch`, while the card before it was on screen)
        is taken from the cache: same template, params and seed, same problem.
        """
        cached = self.drawn_before()
        if cached is not None:
            return cached
        from quizzes.registry import get

        problem = get(self.card.generator).generate(self.seed, self.card.params)
        with _DRAWN_LOCK:
            _DRAWN[_cache_key(self.card, self.seed)] = problem
            while len(_DRAWN) > DRAWN_KEPT:
                _DRAWN.pop(next(iter(_DRAWN)))
        return problem

    def drawn_before(self) -> Problem | None:
        """The problem if it was drawn already (ahead, or for this attempt), else None."""
        with _DRAWN_LOCK:
            return _DRAWN.get(_cache_key(self.card, self.seed))

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
        self.named_slip = self.named_slip or result.mistake is not None
        if result.correct or self.tries >= MAX_TRIES:
            self._finish(result.correct, result.mistake, result.message, now)
            return Step(result)
        return Step(result, retry=True)

    def give_up(self, now: float) -> None:
        """Show the worked solution now; the attempt ends without a right answer."""
        if not self.finished:
            self.gave_up = True
            tried = f" after {self.tries} wrong {'try' if self.tries == 1 else 'tries'}"
            verdict = f"Solution shown{tried if self.tries else '; no answer was given'}."
            self._finish(False, self.mistake, verdict, now)

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
            named_slip=self.named_slip,
            slow=now - self._shown_at > SLOW_SECONDS,
        )
