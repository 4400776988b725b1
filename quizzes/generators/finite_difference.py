"""A central finite-difference gradient estimate, compared with the analytic gradient.

For a cubic the central difference is off by exactly (h²/6)·∂³f, so the worked answer can
show the error is second order in h, and why gradient checking uses small h.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
    EXACT,
    EXACT_NOTE,
    Draft,
    Draw,
    at,
    definition,
    floats,
    function_text,
    gradient,
    inline,
    make_template,
    num,
    rational,
    symbols,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake

STEPS = ("0.1", "0.2", "0.25", "0.5")


@dataclass(frozen=True)
class _Differences:
    """f at p ± h e_i (and at p) for each coordinate i, and the estimates built from them."""

    plus: list[sympy.Expr]
    minus: list[sympy.Expr]
    centre: sympy.Expr
    h: sympy.Expr

    @property
    def central(self) -> list[sympy.Expr]:
        return [(p - m) / (2 * self.h) for p, m in zip(self.plus, self.minus, strict=True)]

    @property
    def forward(self) -> list[sympy.Expr]:
        return [(p - self.centre) / self.h for p in self.plus]

    @property
    def over_h(self) -> list[sympy.Expr]:
        return [(p - m) / self.h for p, m in zip(self.plus, self.minus, strict=True)]


def _differences(
    f: sympy.Expr, variables: Sequence[sympy.Symbol], point: Sequence[sympy.Expr], h: sympy.Expr
) -> _Differences:
    base = dict(zip(variables, point, strict=True))
    plus = [f.xreplace({**base, v: base[v] + h}) for v in variables]
    minus = [f.xreplace({**base, v: base[v] - h}) for v in variables]
    return _Differences(plus, minus, f.xreplace(base), h)


def _solution(
    f: sympy.Expr, variables: Sequence[sympy.Symbol], d: _Differences, exact: list[sympy.Expr]
) -> tuple[str, ...]:
    steps = zip(variables, d.plus, d.minus, d.central, strict=True)
    errors = [c - e for c, e in zip(d.central, exact, strict=True)]
    return (
        f"Central difference: ∂f/∂v ≈ (f(p + h e_v) - f(p - h e_v)) / (2h) with h = {num(d.h)}.",
        *(f"∂f/∂{n}: ({num(p)} - ({num(m)})) / {num(2 * d.h)} = {num(c)}" for n, p, m, c in steps),
        "Analytic gradient: ("
        + ", ".join(inline(g) for g in gradient(f, variables))
        + f") = {vec(exact)} at the point.",
        f"Estimate - exact = {vec(errors)}: (h²/6)·∂³f/∂v³, second order in h, so halving h "
        "cuts the error by four.",
    )


def _mistakes(d: _Differences, exact: list[sympy.Expr]) -> tuple[Mistake, ...]:
    return (
        Mistake(
            "forward-difference",
            "That is the forward difference (f(p + h) - f(p)) / h; the central one uses "
            "f(p + h) - f(p - h) over 2h.",
            floats(d.forward),
        ),
        Mistake(
            "missing-factor-2",
            "The two points are 2h apart: divide f(p + h) - f(p - h) by 2h, not h.",
            floats(d.over_h),
        ),
        Mistake(
            "analytic-gradient",
            "That is the exact gradient; the central difference differs from it by "
            "(h²/6)·∂³f, which is the point of the exercise.",
            floats(exact),
        ),
    )


@make_template(
    "finite-difference",
    "Central finite-difference gradient",
    "gradient-descent",
    ("gradient-checking", "finite-differences"),
    "E",
    1,
)
def finite_difference(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    names = ("x", "y")
    variables = symbols(names)
    x, y = variables
    f = (
        draw.nonzero(-2, 2) * x**3
        + draw.integer(-3, 3) * x * y
        + draw.nonzero(-2, 2) * y**3
        + draw.integer(-3, 3) * x**2
        + draw.integer(-3, 3) * y
    )
    point = [sympy.Integer(draw.integer(-2, 2)) for _ in names]
    h = rational(draw.pick(STEPS))
    d = _differences(f, variables, point, h)
    exact = at(gradient(f, variables), variables, point)
    return Draft(
        prompt=(
            f"Estimate the gradient of f at (x, y) = {vec(point)} with central differences, "
            f"step h = {num(h)}: each partial is (f(p + h e_i) - f(p - h e_i)) / (2h). "
            "Give the estimate (not the analytic gradient)."
        ),
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.VECTOR,
        expected=floats(d.central),
        answer_hint=vector_hint(2, EXACT_NOTE),
        tolerance=EXACT,
        solution=_solution(f, variables, d, exact),
        mistakes=_mistakes(d, exact),
        function=function_text(f),
        variables=names,
        point=floats(point),
        given={"h": float(h)},
    )


TEMPLATES = (finite_difference,)
