"""The Jensen gap E f(X) - f(E X) of a convex f over a small discrete distribution.

Jensen's inequality says the gap is never negative for convex f; computing it for a
few points makes the inequality concrete (and shows the gap grows with the spread of X).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
    Draft,
    Draw,
    definition,
    function_text,
    make_template,
    num,
    number_hint,
    rational,
)
from quizzes.problem import AnswerKind, Mistake

X = sympy.Symbol("x")
DISTRIBUTIONS: tuple[tuple[str, ...], ...] = (
    ("1/2", "1/2"),
    ("1/4", "3/4"),
    ("0.2", "0.8"),
    ("1/3", "1/3", "1/3"),
    ("0.25", "0.25", "0.5"),
    ("0.2", "0.3", "0.5"),
    ("0.1", "0.6", "0.3"),
)
# Convex functions with the values X may take so that f stays convex and defined there.
FUNCTIONS: tuple[tuple[sympy.Expr, int, int], ...] = (
    (X**2, -3, 3),
    (X**4, -2, 2),
    (sympy.exp(X), -1, 2),
    (sympy.Abs(X), -3, 3),
    (1 / X, 1, 4),
    (-sympy.log(X), 1, 4),
)


def _support(draw: Draw, size: int, low: int, high: int, f: sympy.Expr) -> list[int]:
    """Distinct values; for |x| they straddle 0, else the gap would be zero."""
    for _ in range(100):
        values = sorted(draw.shuffled(range(low, high + 1))[:size])
        if f != sympy.Abs(X) or values[0] < 0 < values[-1]:
            return values
    raise RuntimeError("no support straddling zero found")


def _gap(
    f: sympy.Expr, values: Sequence[int], probs: Sequence[sympy.Expr]
) -> dict[str, sympy.Expr]:
    """E[X], E[f(X)], f(E[X]) and their difference, exactly."""
    mean = sum((p * v for v, p in zip(values, probs, strict=True)), sympy.Integer(0))
    mean_f = sum((p * f.subs(X, v) for v, p in zip(values, probs, strict=True)), sympy.Integer(0))
    f_mean = f.subs(X, mean)
    return {"mean": mean, "mean_f": mean_f, "f_mean": f_mean, "gap": mean_f - f_mean}


def _mistakes(parts: Mapping[str, sympy.Expr], unweighted: sympy.Expr) -> tuple[Mistake, ...]:
    return (
        Mistake(
            "reversed",
            "The gap is E[f(X)] - f(E[X]); for convex f it is never negative.",
            float(-parts["gap"]),
        ),
        Mistake(
            "forgot-subtraction",
            "That is E[f(X)] alone; subtract f(E[X]).",
            float(parts["mean_f"]),
        ),
        Mistake(
            "ignored-probabilities",
            "Weight each value by its probability; a plain average treats them as equally likely.",
            float(unweighted),
        ),
    )


@make_template(
    "jensen-gap",
    "Jensen gap of a convex function",
    "jensen",
    ("jensen", "convexity", "expectation"),
    "E",
    2,
)
def jensen_gap(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    probs = [rational(p) for p in draw.pick(DISTRIBUTIONS)]
    f, low, high = draw.pick(FUNCTIONS)
    values = _support(draw, len(probs), low, high, f)
    parts = _gap(f, values, probs)
    unweighted = _gap(f, values, [sympy.Rational(1, len(values))] * len(values))["gap"]
    weighted = [(v, num(p)) for v, p in zip(values, probs, strict=True)]
    table = ", ".join(f"P(X = {v}) = {p}" for v, p in weighted)
    mean, mean_f, f_mean = num(parts["mean"]), num(parts["mean_f"]), num(parts["f_mean"])
    return Draft(
        prompt=(
            f"X takes the values {', '.join(map(str, values))} with {table}. For the convex "
            "function f below, compute the Jensen gap E[f(X)] - f(E[X])."
        ),
        math=definition("f(x)", f),
        answer_kind=AnswerKind.NUMBER,
        expected=float(parts["gap"]),
        answer_hint=number_hint(ROUNDED_NOTE),
        tolerance=ROUNDED,
        solution=(
            f"E[X] = {' + '.join(f'{p}·{v}' for v, p in weighted)} = {mean}",
            f"E[f(X)] = {' + '.join(f'{p}·f({v})' for v, p in weighted)} = {mean_f}",
            f"f(E[X]) = f({mean}) = {f_mean}",
            f"Gap = {mean_f} - {f_mean} = {num(parts['gap'])} ≥ 0, as Jensen's inequality "
            "promises for convex f.",
        ),
        mistakes=_mistakes(parts, unweighted),
        function=function_text(f),
        variables=("x",),
        given={"values": tuple(values), "probabilities": tuple(float(p) for p in probs)},
    )


TEMPLATES = (jensen_gap,)
