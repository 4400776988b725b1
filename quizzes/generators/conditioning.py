"""Condition number of a quadratic's Hessian and the largest stable learning rate 2/λmax.

Gradient descent on a quadratic multiplies the error along each eigenvector by
(1 - η λ), so it converges only for η < 2/λmax, and κ = λmax/λmin measures how slowly the
flattest direction then moves.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
    Draft,
    Draw,
    definition,
    function_text,
    hessian,
    make_template,
    matrix_block,
    num,
    number_hint,
    symbols,
    vec,
)
from quizzes.generators.saddle import EIGENVECTORS, eigen_quadratic
from quizzes.problem import AnswerKind, Mistake


@make_template(
    "condition-number",
    "Condition number and stable learning rate",
    "challenges",
    ("ill-conditioning", "eigenvalues", "learning-rate"),
    "M",
    1,
)
def condition_number(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    ask = str(params.get("ask") or draw.pick(("kappa", "max-lr")))
    variables = symbols(("x", "y"))
    v = draw.pick(EIGENVECTORS)
    k_small = draw.integer(1, 3)
    k_large = k_small + draw.integer(1, 4)
    k_v, k_w = (k_small, k_large) if draw.integer(0, 1) else (k_large, k_small)
    linear = draw.integer(-4, 4) * variables[0] + draw.integer(-4, 4) * variables[1]
    f = sympy.expand(eigen_quadratic(variables, v, k_v, k_w) + linear)
    rows = [[int(entry) for entry in row] for row in hessian(f, variables)]
    norm2 = v[0] ** 2 + v[1] ** 2
    lam_min, lam_max = sympy.Integer(2 * k_small * norm2), sympy.Integer(2 * k_large * norm2)
    if ask == "kappa":
        expected, mistakes = lam_max / lam_min, _kappa_mistakes(lam_min, lam_max, rows)
        question = "What is the condition number κ = λmax / λmin of its Hessian?"
    else:
        expected, mistakes = 2 / lam_max, _rate_mistakes(lam_min, lam_max)
        question = (
            "What is the largest learning rate η for which gradient descent on f does not "
            "diverge (the bound 2 / λmax)?"
        )
    return Draft(
        prompt=f"Consider the quadratic f below. {question}",
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=number_hint(ROUNDED_NOTE + ", or a fraction such as 1/30"),
        tolerance=ROUNDED,
        solution=_solution(rows, v, lam_min, lam_max),
        mistakes=mistakes,
        function=function_text(f),
        variables=("x", "y"),
        given={"ask": ask, "hessian": tuple(tuple(row) for row in rows)},
    )


def _solution(
    rows: list[list[int]], v: tuple[int, int], lam_min: sympy.Expr, lam_max: sympy.Expr
) -> tuple[str, ...]:
    low, high = num(lam_min), num(lam_max)
    return (
        "f is quadratic, so its Hessian is the same everywhere:",
        matrix_block("H", rows),
        f"Eigenvalues: λ = {low} and {high} (eigenvectors {vec(v)} and {vec((-v[1], v[0]))}; "
        "from det(H - λI) = 0).",
        f"κ = λmax / λmin = {high} / {low} = {num(lam_max / lam_min)}.",
        f"Gradient descent is stable for η < 2 / λmax = 2 / {high} = {num(2 / lam_max)}.",
    )


def _kappa_mistakes(
    lam_min: sympy.Expr, lam_max: sympy.Expr, rows: list[list[int]]
) -> tuple[Mistake, ...]:
    mistakes = [
        Mistake(
            "inverted",
            "κ puts the largest eigenvalue on top: λmax / λmin ≥ 1.",
            float(lam_min / lam_max),
        )
    ]
    diagonal = sorted((rows[0][0], rows[1][1]))
    if diagonal[0] > 0:
        mistakes.append(
            Mistake(
                "diagonal-ratio",
                "The diagonal entries of H are not its eigenvalues unless H is diagonal; "
                "solve det(H - λI) = 0 first.",
                diagonal[1] / diagonal[0],
            )
        )
    return tuple(mistakes)


def _rate_mistakes(lam_min: sympy.Expr, lam_max: sympy.Expr) -> tuple[Mistake, ...]:
    return (
        Mistake(
            "forgot-factor-2",
            "The bound is 2 / λmax: the error factor |1 - ηλ| stays below 1 up to η = 2/λ.",
            float(1 / lam_max),
        ),
        Mistake(
            "used-lambda-min",
            "The steepest direction limits the rate: use the largest eigenvalue, not the smallest.",
            float(2 / lam_min),
        ),
        Mistake(
            "coefficients-not-hessian",
            "The Hessian of xᵀAx is 2A: take eigenvalues of the matrix of second partials, "
            "not of the coefficient matrix.",
            float(4 / lam_max),
        ),
    )


TEMPLATES = (condition_number,)
