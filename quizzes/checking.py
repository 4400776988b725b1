"""Checking a typed answer against a problem, and turning the outcome into an SM-2 grade.

Comparison is by the problem's own tolerances, so a template decides how exact an answer
must be (a short exact decimal, or four significant digits of a logarithm).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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


def check_answer(problem: Problem, text: str) -> CheckResult:
    """Judge `text`; a named mistake wins over the generic 'not right' message."""
    try:
        parsed = parse_answer(problem, text)
    except (AnswerError, ExpressionError) as exc:
        return CheckResult(False, None, None, str(exc), parse_error=True)
    if answers_match(problem, parsed, problem.expected):
        return CheckResult(True, parsed, None, "Correct.")
    for mistake in problem.mistakes:
        if answers_match(problem, parsed, mistake.value):
            return CheckResult(False, parsed, mistake, mistake.message)
    return CheckResult(False, parsed, None, WRONG_MESSAGE)


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

    The expected answer, typed out, must be accepted; each mistake, typed out, must be
    recognised by name; no mistake may coincide with the answer or another mistake.
    """
    failures: list[str] = []
    typed = format_value(problem.answer_kind, problem.expected)
    if not check_answer(problem, typed).correct:
        failures.append(f"the expected answer {typed} fails its own checker")
    for index, mistake in enumerate(problem.mistakes):
        if answers_match(problem, mistake.value, problem.expected):
            failures.append(f"mistake {mistake.name!r} equals the right answer")
        for other in problem.mistakes[:index]:
            if answers_match(problem, mistake.value, other.value):
                failures.append(f"mistakes {other.name!r} and {mistake.name!r} coincide")
        result = check_answer(problem, format_value(problem.answer_kind, mistake.value))
        if result.mistake != mistake and not result.correct:
            failures.append(f"mistake {mistake.name!r} is not recognised when typed")
    return tuple(failures)


def _parse_choice(problem: Problem, text: str) -> str:
    """Accept a label or, when the problem lists choices, its 1-based number."""
    stripped = text.strip()
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
