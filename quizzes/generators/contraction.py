"""How fast gradient descent contracts the error on a quadratic.

On f(θ) = ½ (θ - θ*)ᵀ H (θ - θ*) a step gives θ - θ* ← (I - ηH)(θ - θ*), so the error
along each eigenvector of H is multiplied by (1 - ηλ) and the worst direction sets the
per-step factor max(|1 - ηλmin|, |1 - ηλmax|). The best fixed step η = 2 / (λmin + λmax)
balances the two ends and gives (κ - 1) / (κ + 1) with κ = λmax / λmin: the slower the
larger κ is.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy

from quizzes.generators._common import (
    EXACT,
    EXACT_NOTE,
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
    symbols,
)
from quizzes.problem import AnswerKind, Mistake

RATES = (
    "0.01",
    "0.02",
    "0.025",
    "0.03",
    "0.04",
    "0.05",
    "0.06",
    "0.075",
    "0.08",
    "0.1",
    "0.125",
    "0.15",
    "0.2",
    "0.25",
    "0.3",
    "0.4",
)


def _optimal_mistakes(kappa: sympy.Expr) -> tuple[Mistake, ...]:
    return (
        Mistake(
            "one-minus-inverse-kappa",
            "1 - 1/κ is the factor of the step η = 1 / λmax; the best fixed step "
            "2 / (λmin + λmax) does better, balancing |1 - ηλmin| against |1 - ηλmax|.",
            float(1 - 1 / kappa),
            hint="Which step does the card use? Work out |1 - ηλ| at both ends with it.",
        ),
        Mistake(
            "inverse-kappa",
            "1/κ = λmin / λmax is not a per-step factor: the error along each eigenvector "
            "is multiplied by |1 - ηλ|.",
            float(1 / kappa),
        ),
        Mistake(
            "function-value-factor",
            "That is the square of the factor, how fast f - f* shrinks per step; the card "
            "asks how fast the error θ - θ* shrinks.",
            float(((kappa - 1) / (kappa + 1)) ** 2),
        ),
        Mistake(
            "momentum-rate",
            "(√κ - 1) / (√κ + 1) is the rate of optimally tuned heavy-ball momentum on a "
            "quadratic; plain gradient descent, as asked, contracts more slowly.",
            float((sympy.sqrt(kappa) - 1) / (sympy.sqrt(kappa) + 1)),
            hint="This card has no momentum: each step multiplies the error by (I - ηH).",
        ),
    )


def _factor(rate: sympy.Expr, low: sympy.Expr, high: sympy.Expr) -> sympy.Expr:
    return sympy.Max(abs(1 - rate * low), abs(1 - rate * high))


def _rate_mistakes(rate: sympy.Expr, low: sympy.Expr, high: sympy.Expr) -> tuple[Mistake, ...]:
    worst = (
        "The error along each eigenvector is multiplied by |1 - ηλ|; the per-step factor "
        "is the worse of the two, max(|1 - ηλmin|, |1 - ηλmax|)."
    )
    kappa = high / low
    return (
        Mistake("only-lambda-min", worst, float(abs(1 - rate * low))),
        Mistake("only-lambda-max", worst, float(abs(1 - rate * high))),
        Mistake(
            "coefficients-not-hessian",
            "The Hessian of a x² + c y² is diag(2a, 2c): the eigenvalues are twice the "
            "coefficients.",
            float(_factor(rate, low / 2, high / 2)),
        ),
        Mistake(
            "optimal-step-factor",
            "(κ - 1) / (κ + 1) holds only for the best step 2 / (λmin + λmax); this card "
            "fixes η, so work out |1 - ηλ| at both ends.",
            float((kappa - 1) / (kappa + 1)),
        ),
    )


def _stable_rate(draw: Draw, low: sympy.Expr, high: sympy.Expr) -> sympy.Expr:
    """A step below 2 / λmax; as often above the best step (λmax sets the factor) as below."""
    rates = [rational(text) for text in RATES]
    stable = [r for r in rates if r * high < 2]
    sides = (
        [r for r in stable if r * (low + high) < 2],  # the flat direction is the slowest
        [r for r in stable if r * (low + high) > 2],  # the steep direction overshoots most
    )
    side = draw.integer(0, 1)
    return draw.pick(sides[side] or sides[1 - side])


@make_template(
    "gd-contraction",
    "Error contraction of gradient descent on a quadratic",
    "challenges",
    ("ill-conditioning", "eigenvalues", "convergence-rate"),
    "M",
    1,
)
def gd_contraction(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    ask = str(params.get("ask") or draw.pick(("optimal", "given-rate")))
    x, y = symbols(("x", "y"))
    small = draw.integer(1, 5)
    large = draw.integer(small + 1, 12)
    a, c = (small, large) if draw.integer(0, 1) else (large, small)
    f = a * x**2 + c * y**2
    low, high = sympy.Integer(2 * small), sympy.Integer(2 * large)
    kappa = high / low
    eigen = (
        f"f is quadratic with minimum θ* = (0, 0) and constant Hessian H = diag({2 * a}, "
        f"{2 * c}): λmin = {low}, λmax = {high}.",
        "A step gives θ - θ* ← (I - ηH)(θ - θ*): the error along each eigenvector is "
        "multiplied by (1 - ηλ).",
    )
    if ask == "optimal":
        best = 2 / (low + high)
        expected = (kappa - 1) / (kappa + 1)
        question = (
            "Gradient descent runs with the best fixed learning rate η = 2 / (λmin + λmax), "
            "where λmin and λmax are the extreme eigenvalues of the Hessian of f. By what "
            "factor does the error ‖θ - θ*‖ shrink per step (in the worst case over starting "
            "points)?"
        )
        solution = (
            *eigen,
            f"η = 2 / ({low} + {high}) = {num(best)}: then 1 - ηλmin = {num(1 - best * low)} "
            f"and 1 - ηλmax = {num(1 - best * high)}, equal in size.",
            f"κ = λmax / λmin = {num(kappa)}; factor = (κ - 1) / (κ + 1) = "
            f"({high} - {low}) / ({high} + {low}) = {num(expected)}.",
        )
        mistakes = _optimal_mistakes(kappa)
        tolerance, hint = ROUNDED, number_hint(ROUNDED_NOTE + ", or a fraction such as 2/7")
        given: dict[str, object] = {"ask": ask, "eigenvalues": (int(low), int(high))}
    else:
        rate = _stable_rate(draw, low, high)
        expected = _factor(rate, low, high)
        question = (
            f"Gradient descent runs with learning rate η = {num(rate)}. By what factor does "
            "the error ‖θ - θ*‖ shrink per step (in the worst case over starting points)?"
        )
        at_low, at_high = abs(1 - rate * low), abs(1 - rate * high)
        solution = (
            *eigen,
            f"|1 - ηλmin| = |1 - {num(rate)}·{low}| = {num(at_low)}; "
            f"|1 - ηλmax| = |1 - {num(rate)}·{high}| = {num(at_high)}.",
            f"The worse direction sets the rate: max({num(at_low)}, {num(at_high)}) = "
            f"{num(expected)}.",
        )
        mistakes = _rate_mistakes(rate, low, high)
        tolerance, hint = EXACT, number_hint(EXACT_NOTE)
        given = {"ask": ask, "eigenvalues": (int(low), int(high)), "learning_rate": float(rate)}
    return Draft(
        prompt=f"Consider the quadratic f below. {question}",
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=hint,
        tolerance=tolerance,
        solution=solution,
        mistakes=mistakes,
        function=function_text(f),
        variables=("x", "y"),
        given=given,
    )


TEMPLATES = (gd_contraction,)
