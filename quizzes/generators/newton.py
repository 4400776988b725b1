"""One Newton step θ ← θ - H⁻¹∇f(θ), noting when H is not positive definite.

The cubic terms make the Hessian depend on the point, so some draws land where H is
indefinite: there the step jumps toward the nearest critical point of the local quadratic
model, which may be a saddle, and the worked solution says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
    Draft,
    Draw,
    at,
    definition,
    eigenvalues,
    floats,
    function_text,
    gradient,
    hessian,
    inline,
    make_template,
    matrix_block,
    num,
    random_quadratic,
    symbols,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake
from quizzes.solver import classify_matrix

_MAX_TRIES = 200


def _draw_setup(
    draw: Draw, variables: Sequence[sympy.Symbol]
) -> tuple[sympy.Expr, list[sympy.Expr], sympy.Matrix, sympy.Matrix]:
    """f and a start point where ∇f ≠ 0 and H is invertible (else Newton is undefined)."""
    x, y = variables
    cubics = (x**3, y**3, x**2 * y, x * y**2)
    for _ in range(_MAX_TRIES):
        f = random_quadratic(draw, variables) + draw.nonzero(-1, 1) * draw.pick(cubics)
        start = [sympy.Integer(draw.integer(-2, 2)) for _ in variables]
        g = sympy.Matrix(at(gradient(f, variables), variables, start))
        h = sympy.Matrix([at(row, variables, start) for row in hessian(f, variables)])
        if h.det() != 0 and any(g):
            return f, start, g, h
    raise RuntimeError("no start point with an invertible Hessian found")


def _mistakes(theta: sympy.Matrix, g: sympy.Matrix, h: sympy.Matrix) -> tuple[Mistake, ...]:
    step = h.inv() * g
    unswapped = sympy.Matrix([[h[0, 0], -h[0, 1]], [-h[1, 0], h[1, 1]]]) / h.det()
    return (
        Mistake(
            "used-H-not-inverse",
            "You multiplied the gradient by H instead of by H⁻¹: solve H·d = ∇f for the step.",
            floats(theta - h * g),
        ),
        Mistake(
            "ascent",
            "You added the Newton step; the update subtracts it: θ - H⁻¹∇f.",
            floats(theta + step),
        ),
        Mistake(
            "gradient-step",
            "That is a plain gradient step with η = 1; Newton's step rescales ∇f by H⁻¹.",
            floats(theta - g),
        ),
        Mistake(
            "inverse-no-swap",
            "In the 2x2 inverse, swap the diagonal entries and negate the off-diagonal ones, "
            "then divide by det H.",
            floats(theta - unswapped * g),
        ),
    )


@make_template(
    "newton-step",
    "One Newton step",
    "second-order",
    ("newton", "hessian", "second-order"),
    "M",
    1,
)
def newton_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    names = ("x", "y")
    variables = symbols(names)
    f, start, g, h = _draw_setup(draw, variables)
    theta = sympy.Matrix(start)
    result = theta - h.inv() * g
    positive_definite = classify_matrix(h.tolist()) == "positive definite"
    return Draft(
        prompt=(
            f"Take one Newton step θ ← θ - H⁻¹∇f(θ) from θ = (x, y) = {vec(start)}, where "
            "H is the Hessian of f at θ. Give the new point."
        ),
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.VECTOR,
        expected=floats(result),
        answer_hint=vector_hint(2, ROUNDED_NOTE),
        tolerance=ROUNDED,
        solution=_solution(f, variables, theta, g, h, positive_definite),
        mistakes=_mistakes(theta, g, h),
        function=function_text(f),
        variables=names,
        point=floats(start),
        path=(floats(start), floats(result)),
        given={"positive_definite": positive_definite},
    )


def _solution(
    f: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    theta: sympy.Matrix,
    g: sympy.Matrix,
    h: sympy.Matrix,
    positive_definite: bool,
) -> tuple[str, ...]:
    step = h.inv() * g
    lines = [
        "∇f = (" + ", ".join(inline(d) for d in gradient(f, variables)) + ")",
        f"At θ = {vec(theta)}: ∇f = {vec(g)} and the Hessian is",
        matrix_block("H", h.tolist()),
        f"det H = {num(h.det())}; H⁻¹ = (1/det H)·[[{num(h[1, 1])}, {num(-h[0, 1])}], "
        f"[{num(-h[1, 0])}, {num(h[0, 0])}]]",
        f"Newton step d = H⁻¹∇f = {vec(step)}; θ_new = θ - d = {vec(theta - step)}",
    ]
    if not positive_definite:
        eigs = ", ".join(map(num, eigenvalues(h.tolist())))
        lines.append(
            f"Note: H is not positive definite here (eigenvalues {eigs}), so the step heads "
            "for a critical point of the local quadratic model that is not a minimum; "
            "Newton's method can be drawn to saddles and maxima."
        )
    return tuple(lines)


TEMPLATES = (newton_step,)
