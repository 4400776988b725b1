"""The steady-state step of heavy-ball momentum under a constant gradient.

In the undamped heavy-ball form

    v_{t+1} = β v_t + g,   θ_{t+1} = θ_t - η v_{t+1}

a constant gradient g builds the velocity up to g (1 + β + β² + …) = g / (1 - β), so θ
settles into steps of η g / (1 - β): the effective learning rate is η / (1 - β). The
syllabus's momentum cards use the damped (EMA) form u ← β u + (1 - β) g instead, whose
velocity settles at g itself. The prompt therefore states the form it uses, and the
damped form's answer is named as the other convention.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy

from quizzes.generators._common import (
    EXACT,
    EXACT_NOTE,
    Draft,
    Draw,
    make_template,
    num,
    number_hint,
    rational,
)
from quizzes.problem import AnswerKind, Mistake

RATES = ("0.001", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5")
BETAS = ("0.5", "0.75", "0.8", "0.9", "0.95", "0.98", "0.99")
GRADIENTS = ("0.2", "0.4", "0.5", "1.5", "2", "2.5", "3", "4", "5")

_FORM = (
    "Heavy-ball momentum in the undamped form v_(t+1) = β v_t + g, θ_(t+1) = θ_t - η v_(t+1) "
    "(the whole gradient g enters the velocity; there is no (1 - β) factor)"
)


def _mistakes(rate: sympy.Expr, beta: sympy.Expr, scale: sympy.Expr) -> tuple[Mistake, ...]:
    """Each slip as an effective rate, times `scale` (g on a step card, 1 on a rate card)."""
    return (
        Mistake(
            "damped-convention",
            "That is the answer for the damped form u ← β u + (1 - β) g, whose velocity "
            "settles at g. This card uses the undamped form v ← β v + g, whose velocity "
            "grows to g / (1 - β).",
            float(rate * scale),
            hint="Check the velocity update this card states: is g scaled by (1 - β) or not?",
        ),
        Mistake(
            "times-one-minus-beta",
            "The velocity sums g (1 + β + β² + …) = g / (1 - β): divide by (1 - β), "
            "do not multiply.",
            float(rate * (1 - beta) * scale),
        ),
        Mistake(
            "divided-by-beta",
            "The geometric series 1 + β + β² + … sums to 1 / (1 - β), not 1 / β.",
            float(rate / beta * scale),
        ),
        Mistake(
            "missed-current-gradient",
            "The series β + β² + … = β / (1 - β) leaves out the current gradient; the "
            "velocity is g (1 + β + β² + …).",
            float(rate * beta / (1 - beta) * scale),
        ),
    )


@make_template(
    "momentum-effective-step",
    "Effective learning rate of heavy-ball momentum",
    "gradient-descent",
    ("momentum", "learning-rate", "optimizers"),
    "M",
    1,
)
def momentum_effective_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    ask = str(params.get("ask") or draw.pick(("rate", "step")))
    rate, beta = rational(draw.pick(RATES)), rational(draw.pick(BETAS))
    effective = rate / (1 - beta)
    settle = (
        "With a constant gradient g and v_0 = 0, v_t = g (1 + β + … + β^(t-1)) = "
        "g (1 - β^t) / (1 - β), which tends to g / (1 - β)."
    )
    factor = f"1 / (1 - β) = 1 / {num(1 - beta)} = {num(1 / (1 - beta))}"
    if ask == "rate":
        expected, scale = effective, sympy.Integer(1)
        question = (
            "After many steps under a constant gradient, θ moves as plain gradient descent "
            "with some learning rate η_eff would. What is that effective learning rate η_eff?"
        )
        solution = (
            settle,
            f"So θ steps by η g / (1 - β): the effective learning rate is η / (1 - β), "
            f"with {factor}.",
            f"η_eff = {num(rate)} / {num(1 - beta)} = {num(expected)}.",
        )
        given: dict[str, object] = {"ask": ask, "learning_rate": float(rate), "beta": float(beta)}
        gradient = ""
    else:
        g = rational(draw.pick(GRADIENTS))
        expected, scale = effective * g, g
        gradient = f" The gradient stays constant at g = {num(g)} (a single parameter)."
        question = (
            "Starting from v_0 = 0, how far does θ move per step once the velocity has "
            "settled (the steady-state step size |θ_(t+1) - θ_t|)?"
        )
        solution = (
            settle,
            f"Steady step = η g / (1 - β), with {factor}.",
            f"Step = {num(rate)} · {num(g)} / {num(1 - beta)} = {num(expected)}.",
        )
        given = {
            "ask": ask,
            "learning_rate": float(rate),
            "beta": float(beta),
            "gradient": float(g),
        }
    return Draft(
        prompt=f"{_FORM}, with η = {num(rate)} and β = {num(beta)}.{gradient} {question}",
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=number_hint(EXACT_NOTE),
        tolerance=EXACT,
        solution=(
            *solution,
            "(In the damped form u ← β u + (1 - β) g the velocity settles at g instead, and "
            "the step at η g.)",
        ),
        mistakes=_mistakes(rate, beta, scale),
        given=given,
    )


TEMPLATES = (momentum_effective_step,)
