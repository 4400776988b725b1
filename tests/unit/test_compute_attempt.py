"""The compute-card rules, headless: tries, the slow threshold, the suggested grade, the seed."""

from __future__ import annotations

import random

import pytest

from flashcards.compute import MAX_TRIES, SLOW_SECONDS, ComputeAttempt, draw_seed, suggested_grade
from flashcards.model import Card, CardKind, Grade
from quizzes.render import format_value

CARD = Card("step", CardKind.COMPUTE, "One gradient step", generator="gd-step")


def started(seed: int = 7) -> ComputeAttempt:
    attempt = ComputeAttempt(CARD, seed)
    attempt.shown(attempt.draw(), now=0.0)
    return attempt


def right_text(attempt: ComputeAttempt) -> str:
    assert attempt.problem is not None
    return format_value(attempt.problem.answer_kind, attempt.problem.expected)


def answer(attempt: ComputeAttempt, text: str, now: float = 10.0) -> None:
    attempt.record_check(text, attempt.evaluate(text), now)


@pytest.mark.parametrize(
    ("outcome", "grade"),
    [
        ({"correct": True, "tries": 1}, Grade.EASY),
        ({"correct": True, "tries": 2}, Grade.GOOD),
        ({"correct": True, "tries": 1, "slow": True}, Grade.GOOD),
        ({"correct": False, "tries": 1, "named_slip": True}, Grade.WRONG_EASY),
        ({"correct": False, "tries": 2}, Grade.WRONG_FAMILIAR),
        ({"correct": False, "tries": 0}, Grade.WRONG_FAMILIAR),  # asked for the solution
    ],
)
def test_suggested_grade_follows_the_rules(outcome: dict[str, object], grade: Grade) -> None:
    args = {"named_slip": False, "slow": False, **outcome}
    correct = bool(args.pop("correct"))
    assert suggested_grade(correct, **args) == grade  # type: ignore[arg-type]


def test_right_at_once_and_quickly_suggests_easy() -> None:
    attempt = started()
    answer(attempt, right_text(attempt))
    assert attempt.finished and attempt.correct and attempt.suggested is Grade.EASY


def test_right_but_slow_suggests_good() -> None:
    attempt = started()
    answer(attempt, right_text(attempt), now=SLOW_SECONDS + 1)
    assert attempt.suggested is Grade.GOOD


def test_a_wrong_answer_gets_one_more_try_then_the_attempt_ends() -> None:
    attempt = started()
    step = attempt.evaluate("9, 9")
    assert attempt.record_check("9, 9", step, 1.0).retry and not attempt.finished
    for _ in range(MAX_TRIES - 1):
        answer(attempt, "9, 9")
    assert attempt.finished and not attempt.correct
    assert attempt.suggested is Grade.WRONG_FAMILIAR
    assert attempt.record().tries == MAX_TRIES


def test_unparsable_text_spends_no_try() -> None:
    attempt = started()
    answer(attempt, "((")
    assert attempt.tries == 0 and not attempt.finished


def test_asking_for_the_solution_is_never_graded_below_a_wrong_guess() -> None:
    asked = started()
    asked.give_up(now=5.0)
    guessed = started()
    for _ in range(MAX_TRIES):
        answer(guessed, "9, 9")
    assert asked.suggested is Grade.WRONG_FAMILIAR and asked.answer_text is None
    assert asked.suggested is not None and guessed.suggested is not None
    assert asked.suggested >= guessed.suggested
    assert asked.verdict == "Solution shown; no answer was given."


def test_asking_after_a_wrong_try_says_so_beside_the_answer_given() -> None:
    attempt = started()
    answer(attempt, "9, 9")
    attempt.give_up(now=20.0)
    assert attempt.verdict == "Solution shown after 1 wrong try."
    assert attempt.answer_text == "9, 9" and attempt.suggested is Grade.WRONG_FAMILIAR


def test_the_same_seed_draws_the_same_problem_and_is_recorded() -> None:
    first, again = started(seed=1234), started(seed=1234)
    assert first.problem == again.problem
    record = first.record()
    assert (record.template, record.seed) == ("gd-step", 1234)
    assert first.problem is not None and record.version == first.problem.version


def test_seeds_come_from_the_injected_random_source() -> None:
    assert draw_seed(random.Random(5)) == draw_seed(random.Random(5))
