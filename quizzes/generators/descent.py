"""One or k steps of plain gradient descent, θ ← θ - η ∇f(θ)."""

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
    num,
    random_quadratic,
    rational,
    symbols,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake

RATES = ("0.05", "0.1", "0.2", "0.25", "0.5")

Point = list[sympy.Expr]


def descend(
    grads: Sequence[sympy.Expr],
    variables: Sequence[sympy.Symbol],
    start: Point,
    rate: sympy.Expr,
    steps: int,
) -> list[Point]:
    """The iterates θ0, θ1, ..., θk of θ ← θ - rate·∇f(θ); a negative rate climbs."""
    path = [start]
    for _ in range(steps):
        theta = path[-1]
        g = at(grads, variables, theta)
        path.append([t - rate * gi for t, gi in zip(theta, g, strict=True)])
    return path


def _stable_rates(f: sympy.Expr, variables: Sequence[sympy.Symbol]) -> tuple[str, ...]:
    """Rates below 1/λmax, so that several steps shrink instead of oscillating wildly.

    `f` is quadratic, so its Hessian is constant.
    """
    top = max(abs(e) for e in eigenvalues(hessian(f, variables)))
    return tuple(r for r in RATES if float(r) * top < 1) or RATES[:1]


def _mistakes(
    grads: Sequence[sympy.Expr],
    variables: Sequence[sympy.Symbol],
    path: list[Point],
    rate: sympy.Expr,
) -> tuple[Mistake, ...]:
    steps = len(path) - 1
    start = path[0]
    first_g = at(grads, variables, start)
    mistakes = [
        Mistake(
            "ascent",
            "You stepped along the gradient instead of against it: descent subtracts η∇f.",
            floats(descend(grads, variables, start, -rate, steps)[-1]),
        ),
        Mistake(
            "forgot-learning-rate",
            "You subtracted the whole gradient: each step moves by η·∇f, not ∇f.",
            floats(descend(grads, variables, start, sympy.Integer(1), steps)[-1]),
        ),
    ]
    if steps > 1:
        mistakes += [
            Mistake(
                "stale-gradient",
                "The gradient must be recomputed at each new point, not reused from the start.",
                floats([t - steps * rate * g for t, g in zip(start, first_g, strict=True)]),
            ),
            Mistake(
                "one-step-only",
                f"That is the point after one step; the question asks for {steps} steps.",
                floats(path[1]),
            ),
        ]
    return tuple(mistakes)


def _moving_start(
    draw: Draw, grads: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]
) -> Point:
    """A start point with a nonzero gradient; at a critical point descent would not move."""
    for _ in range(100):
        start: Point = [sympy.Integer(draw.integer(-3, 3)) for _ in variables]
        if any(at(grads, variables, start)):
            return start
    raise RuntimeError("no start point with a nonzero gradient found")


@make_template(
    "gd-step",
    "Gradient-descent steps",
    "gradient-descent",
    ("gradient-descent", "learning-rate"),
    "E",
    1,
)
def gd_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    steps = int(params.get("steps", 1))
    names = ("x", "y")
    variables = symbols(names)
    f = random_quadratic(draw, variables)
    if steps == 1:
        x, y = variables
        f += draw.nonzero(-1, 1) * draw.pick((x**3, x**2 * y, x * y**2, y**3))
        rate = rational(draw.pick(RATES))
    else:
        rate = rational(draw.pick(_stable_rates(f, variables)))
    grads = gradient(f, variables)
    start = _moving_start(draw, grads, variables)
    path = descend(grads, variables, start, rate, steps)
    solution = ["∇f = (" + ", ".join(inline(g) for g in grads) + ")"]
    for t in range(steps):
        g = at(grads, variables, path[t])
        solution.append(
            f"Step {t + 1}: ∇f{vec(path[t])} = {vec(g)}; "
            f"θ{t + 1} = {vec(path[t])} - {num(rate)}·{vec(g)} = {vec(path[t + 1])}"
        )
    plural = "one step" if steps == 1 else f"{steps} steps"
    return Draft(
        prompt=(
            f"Starting from θ0 = (x, y) = {vec(start)}, take {plural} of gradient descent "
            f"θ ← θ - η ∇f(θ) with learning rate η = {num(rate)}. Give the final point."
        ),
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.VECTOR,
        expected=floats(path[-1]),
        answer_hint=vector_hint(2, ROUNDED_NOTE),
        tolerance=ROUNDED,
        solution=tuple(solution),
        mistakes=_mistakes(grads, variables, path, rate),
        function=function_text(f),
        variables=names,
        point=floats(start),
        path=tuple(floats(p) for p in path),
        given={"learning_rate": float(rate), "steps": steps},
    )


TEMPLATES = (gd_step,)
