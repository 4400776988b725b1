"""Plain-text forms of answers and problems, for the CLI, JSON dumps and worked solutions.

Numbers are written the way a student would type them (no trailing zeros, no "-0"), so
that a formatted expected answer can be fed straight back through the checker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from quizzes.problem import AnswerKind, Problem

SIGNIFICANT_DIGITS = 10
DISPLAY_DIGITS = 8


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWER = re.compile(r"\^(\(-?\d+\)|-?\d+)")
_PRODUCT = re.compile(r"(?<=[\w)\]⁰¹²³⁴⁵⁶⁷⁸⁹])\*(?=[\w(])")


def math_text(line: str) -> str:
    """A worked-solution line in the notation of the pretty-printed maths beside it.

    `3*x^2` becomes `3⋅x²`, as in sympy's 2-D layout of f above the solution. Only
    products and whole-number powers change; a starred name such as θ* is not a
    product, and a power like β^(t-1) stays as written.
    """
    powered = _POWER.sub(lambda m: m[1].strip("()").translate(_SUPERSCRIPT), line)
    return _PRODUCT.sub("⋅", powered)


def format_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """Shortest readable decimal with at most `digits` significant digits."""
    number = float(value)
    if not math.isfinite(number):
        return str(number)
    text = f"{number:.{digits}g}"
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", "0"} else text


def format_vector(values: Sequence[float], digits: int = SIGNIFICANT_DIGITS) -> str:
    return "(" + ", ".join(format_number(v, digits) for v in values) + ")"


def format_matrix(rows: Sequence[Sequence[float]], digits: int = SIGNIFICANT_DIGITS) -> str:
    inner = (", ".join(format_number(v, digits) for v in row) for row in rows)
    return "[" + ", ".join(f"[{row}]" for row in inner) + "]"


def format_value(kind: AnswerKind, value: object, digits: int = SIGNIFICANT_DIGITS) -> str:
    """An answer of `kind` as text the checker accepts."""
    if kind is AnswerKind.NUMBER and isinstance(value, int | float):
        return format_number(value, digits)
    if kind in (AnswerKind.VECTOR, AnswerKind.DIRECTION) and isinstance(value, tuple):
        return format_vector(value, digits)
    if kind is AnswerKind.MATRIX and isinstance(value, tuple):
        return format_matrix(value, digits)
    if kind in (AnswerKind.LABEL, AnswerKind.EXPRESSION) and isinstance(value, str):
        return value
    raise TypeError(f"cannot format {value!r} as a {kind} answer")


def describe(problem: Problem, *, solution: bool = True, mistakes: bool = True) -> str:
    """The whole problem as terminal text: what `flashcards quizzes sample` prints."""
    lines = [f"{problem.title}  [{problem.template} v{problem.version}, seed {problem.seed}]", ""]
    lines.append(problem.prompt)
    if problem.math:
        lines += ["", problem.math]
    if problem.choices:
        lines += ["", "Choices: " + ", ".join(problem.choices)]
    lines += ["", f"Answer format: {problem.answer_hint}"]
    if solution:
        expected = format_value(problem.answer_kind, problem.expected, DISPLAY_DIGITS)
        lines += ["", f"Answer: {expected}", "", "Worked solution:"]
        lines += [_indent(step) for step in problem.solution]
    if mistakes and problem.mistakes:
        lines += ["", "Known mistakes:"]
        for mistake in problem.mistakes:
            value = format_value(problem.answer_kind, mistake.value, DISPLAY_DIGITS)
            lines.append(f"  - {mistake.name}: {value}  ({mistake.message})")
    return "\n".join(lines)


def to_dict(problem: Problem) -> dict[str, Any]:
    """A JSON-ready view of the problem (tuples become lists)."""
    return {
        "template": problem.template,
        "version": problem.version,
        "seed": problem.seed,
        "title": problem.title,
        "prompt": problem.prompt,
        "math": problem.math,
        "answer_kind": str(problem.answer_kind),
        "expected": _jsonable(problem.expected),
        "expected_text": format_value(problem.answer_kind, problem.expected),
        "answer_hint": problem.answer_hint,
        "labels": {key: list(values) for key, values in problem.labels.items()},
        "choices": list(problem.choices),
        "rel_tol": problem.rel_tol,
        "abs_tol": problem.abs_tol,
        "solution": list(problem.solution),
        "mistakes": [
            {"name": m.name, "message": m.message, "value": _jsonable(m.value)}
            for m in problem.mistakes
        ],
        "function": problem.function,
        "variables": list(problem.variables),
        "point": _jsonable(problem.point),
        "path": _jsonable(problem.path),
        "given": {key: _jsonable(value) for key, value in problem.given.items()},
    }


def _jsonable(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def _indent(block: str) -> str:
    return "\n".join("  " + line for line in block.splitlines())
