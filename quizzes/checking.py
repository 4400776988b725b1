"""Checking a typed answer against a problem, and turning the outcome into an SM-2 grade.

Comparison is by the problem's own tolerances, so a template decides how exact an answer
must be (a short exact decimal, or four significant digits of a logarithm).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from quizzes.answers import (
    MAX_ANSWER_CHARS,
    AnswerError,
    expressions_equivalent,
    parse_label,
    parse_matrix,
    parse_number,
    parse_vector,
)
from quizzes.expressions import ExpressionError, parse_expression
from quizzes.problem import AnswerKind, CheckResult, Problem
from quizzes.render import format_value

WRONG_MESSAGE = "Not right. Check each step and try again, or reveal the worked solution."
SEPARATION = 5.0
"""A named mistake must miss the answer by more than this many times the tolerance, so
that neither a rounded right answer reads as the mistake nor the mistake as right."""


def check_answer(problem: Problem, text: str) -> CheckResult:
    """Judge `text`; named mistakes win over the generic 'not right' message.

    When two named slips give the same answer, both are named: naming only one would
    tell the student a story about their working that may be false.
    """
    try:
        parsed = parse_answer(problem, text)
    except (AnswerError, ExpressionError) as exc:
        return CheckResult(False, None, None, str(exc), parse_error=True)
    if answers_match(problem, parsed, problem.expected):
        return CheckResult(True, parsed, None, "Correct.")
    matched = tuple(m for m in problem.mistakes if answers_match(problem, parsed, m.value))
    if not matched:
        return CheckResult(False, parsed, None, WRONG_MESSAGE, hint=WRONG_MESSAGE)
    if len(matched) == 1:
        only = matched[0]
        return CheckResult(
            False, parsed, only, only.message, hint=only.first_hint, mistakes=matched
        )
    message = "Two slips give this answer. " + " Or: ".join(m.message for m in matched)
    hint = "Two slips give this answer. " + " Or: ".join(m.first_hint for m in matched)
    return CheckResult(False, parsed, matched[0], message, hint=hint, mistakes=matched)


def unseparated(problem: Problem, margin: float = SEPARATION) -> tuple[str, ...]:
    """Named mistakes too close to the answer to be told apart from it, as failure lines."""
    widened = replace(problem, rel_tol=problem.rel_tol * margin, abs_tol=problem.abs_tol * margin)
    return tuple(
        f"mistake {m.name!r} is within {margin:g}x the tolerance of the answer"
        for m in problem.mistakes
        if answers_match(widened, m.value, problem.expected)
    )


def parse_answer(problem: Problem, text: str) -> object:
    """Parse `text` into the shape of `problem.expected`.

    Raises AnswerError or ExpressionError whose message says what was expected.
    """
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    kind = problem.answer_kind
    expected = problem.expected
    if kind is AnswerKind.NUMBER:
        return parse_number(text)
    if kind in (AnswerKind.VECTOR, AnswerKind.DIRECTION) and isinstance(expected, tuple):
        vector = parse_vector(text, size=len(expected))
        if kind is AnswerKind.DIRECTION and not any(vector):
            raise AnswerError(
                "expected a nonzero vector: the zero vector has no direction, "
                f"like {format_value(kind, tuple(1.0 for _ in expected))}"
            )
        return vector
    if kind is AnswerKind.MATRIX and isinstance(expected, tuple):
        return parse_matrix(text, shape=(len(expected), len(expected[0])))
    if kind is AnswerKind.LABEL:
        return _parse_choice(problem, text)
    if kind is AnswerKind.EXPRESSION:
        return parse_expression(text, problem.variables or None)
    raise TypeError(f"{problem.template}: expected answer {expected!r} does not fit kind {kind}")


def answers_match(problem: Problem, given: object, target: object) -> bool:
    """Whether `given` (parsed) counts as `target` under the problem's tolerances.

    Directions compare by angle: 1 - |cos| must be at most `rel_tol`.
    """
    kind = problem.answer_kind
    rel, absolute = problem.rel_tol, problem.abs_tol
    if kind is AnswerKind.NUMBER:
        return _close(given, target, rel, absolute)
    if kind is AnswerKind.VECTOR:
        return _all_close(_floats(given), _floats(target), rel, absolute)
    if kind is AnswerKind.MATRIX:
        rows, target_rows = _matrix(given), _matrix(target)
        return len(rows) == len(target_rows) and all(
            _all_close(a, b, rel, absolute) for a, b in zip(rows, target_rows, strict=True)
        )
    if kind is AnswerKind.DIRECTION:
        return _parallel(_floats(given), _floats(target), rel)
    if kind is AnswerKind.LABEL:
        return given == target
    if kind is AnswerKind.EXPRESSION:
        left = parse_expression(given) if isinstance(given, str) else given
        right = parse_expression(target) if isinstance(target, str) else target
        return expressions_equivalent(left, right, seed=problem.seed)
    raise TypeError(f"unknown answer kind {kind!r}")


def audit_problem(problem: Problem) -> tuple[str, ...]:
    """Everything wrong with a generated problem's own answers, as readable failure lines.

    The expected answer, typed out, must be accepted; each mistake must miss it by more
    than `SEPARATION` times the tolerance and, typed out, be refused and named (with any
    slip that coincides with it).
    """
    failures = list(unseparated(problem))
    typed = format_value(problem.answer_kind, problem.expected)
    if not check_answer(problem, typed).correct:
        failures.append(f"the expected answer {typed} fails its own checker")
    for mistake in problem.mistakes:
        result = check_answer(problem, format_value(problem.answer_kind, mistake.value))
        if result.correct:
            failures.append(f"mistake {mistake.name!r} is accepted as right when typed")
        elif mistake not in result.mistakes:
            failures.append(f"mistake {mistake.name!r} is not recognised when typed")
        if problem.answer_kind is AnswerKind.LABEL and _names_label(mistake.first_hint, problem):
            failures.append(f"mistake {mistake.name!r} gives the answer away in its hint")
    return tuple(failures)


def _names_label(text: str, problem: Problem) -> bool:
    """Whether a hint names the expected label (or one of its synonyms) as a word."""
    expected = str(problem.expected)
    words = [expected, *problem.labels.get(expected, ())]
    lowered = f" {text.lower()} "
    return any(f" {word.lower()}" in lowered for word in words if len(word) > 3)


def _parse_choice(problem: Problem, text: str) -> str:
    """Accept a label or, when the problem lists choices, its 1-based number."""
    stripped = text.strip().removesuffix(".").strip()  # "3." at the end of a sentence
    if problem.choices and stripped.isdigit() and 1 <= int(stripped) <= len(problem.choices):
        return problem.choices[int(stripped) - 1]
    return parse_label(text, problem.labels)


def _close(a: object, b: object, rel: float, absolute: float) -> bool:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return False
    return math.isclose(a, b, rel_tol=rel, abs_tol=absolute)


def _all_close(a: Sequence[float], b: Sequence[float], rel: float, absolute: float) -> bool:
    return len(a) == len(b) and all(_close(x, y, rel, absolute) for x, y in zip(a, b, strict=True))


def _parallel(a: Sequence[float], b: Sequence[float], tol: float) -> bool:
    norm_a = math.sqrt(sum(x * x for x in a))
    norm_b = math.sqrt(sum(x * x for x in b))
    if len(a) != len(b) or norm_a == 0 or norm_b == 0:
        return False
    cosine = sum(x * y for x, y in zip(a, b, strict=True)) / (norm_a * norm_b)
    return 1 - abs(cosine) <= tol


def _floats(value: object) -> tuple[float, ...]:
    if not isinstance(value, tuple):
        return ()
    return tuple(float(x) for x in value if isinstance(x, int | float))


def _matrix(value: object) -> tuple[tuple[float, ...], ...]:
    if not isinstance(value, tuple):
        return ()
    return tuple(_floats(row) for row in value)
