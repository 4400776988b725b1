"""One momentum or Nesterov step in the syllabus's damped form.

    u_{t+1} = β u_t + (1 - β) ∇f(p),   θ_{t+1} = θ_t - η u_{t+1}

with p = θ_t for momentum and the look-ahead p = θ_t - η u_t for Nesterov. Both forms
are spelled out in the prompt, because books differ (undamped velocity, β inside the
look-ahead) and the student must know which one is being asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
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
    random_quadratic,
    rational,
    symbols,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake

RATES = ("0.05", "0.1", "0.2", "0.25", "0.5")
BETAS = ("0.5", "0.8", "0.9")

Vec = list[sympy.Expr]


def _minus(a: Sequence[sympy.Expr], scale: sympy.Expr, b: Sequence[sympy.Expr]) -> Vec:
    return [x - scale * y for x, y in zip(a, b, strict=True)]


@dataclass(frozen=True)
class _State:
    """The drawn optimizer state; `step` replays the update with a chosen gradient point."""

    grads: Sequence[sympy.Expr]
    variables: Sequence[sympy.Symbol]
    theta: Vec
    u: Vec
    alpha: sympy.Expr
    beta: sympy.Expr

    def grad(self, point: Sequence[sympy.Expr]) -> Vec:
        return at(self.grads, self.variables, point)

    def velocity(self, point: Sequence[sympy.Expr], *, damp: bool = True) -> Vec:
        weight = 1 - self.beta if damp else sympy.Integer(1)
        pairs = zip(self.u, self.grad(point), strict=True)
        return [self.beta * ui + weight * gi for ui, gi in pairs]

    def step(self, point: Sequence[sympy.Expr], *, damp: bool = True) -> tuple[float, ...]:
        return floats(_minus(self.theta, self.alpha, self.velocity(point, damp=damp)))

    def look_ahead(self, scale: sympy.Expr) -> Vec:
        return _minus(self.theta, scale, self.u)


def _mistakes(state: _State, *, nesterov: bool) -> tuple[Mistake, ...]:
    theta, alpha = state.theta, state.alpha
    probe = state.look_ahead(alpha) if nesterov else theta
    common = (
        Mistake(
            "ascent",
            "You moved along the velocity instead of against it: θ_(t+1) = θ_t - η u_(t+1).",
            floats(_minus(theta, -alpha, state.velocity(probe))),
        ),
        Mistake(
            "undamped-velocity",
            "This card uses the damped velocity u = β u + (1 - β) g; you left out the (1 - β).",
            state.step(probe, damp=False),
        ),
        Mistake(
            "old-velocity",
            "Update the velocity first, then step with the new one, u_(t+1).",
            floats(_minus(theta, alpha, state.u)),
        ),
    )
    if not nesterov:
        plain = Mistake(
            "no-momentum",
            "That is a plain gradient step θ - η∇f; momentum steps with the velocity.",
            floats(_minus(theta, alpha, state.grad(theta))),
        )
        # The other convention a student may know: Nesterov's look-ahead, in both forms.
        look_ahead = Mistake(
            "nesterov-look-ahead",
            "That is a Nesterov step: the gradient at the look-ahead point θ_t - η u_t. "
            "Plain momentum, as this card asks, takes the gradient at θ_t itself.",
            state.step(state.look_ahead(alpha)),
            hint="Check where this card evaluates the gradient: at θ_t, or somewhere else?",
        )
        beta_look_ahead = Mistake(
            "nesterov-look-ahead-with-beta",
            "That is a Nesterov step with the look-ahead θ_t - ηβ u_t. Plain momentum, as "
            "this card asks, takes the gradient at θ_t itself.",
            state.step(state.look_ahead(alpha * state.beta)),
            hint="Check where this card evaluates the gradient: at θ_t, or somewhere else?",
        )
        return (*common, plain, look_ahead, beta_look_ahead)
    return (
        *common,
        Mistake(
            "gradient-at-current-point",
            "Nesterov takes the gradient at the look-ahead point θ_t - η u_t, not at θ_t; "
            "that was plain momentum.",
            state.step(theta),
        ),
        Mistake(
            "look-ahead-with-beta",
            "This card's look-ahead point is θ_t - η u_t, as the prompt states; you used "
            "θ_t - ηβ u_t, the form some books use.",
            state.step(state.look_ahead(alpha * state.beta)),
        ),
    )


def _solution(state: _State, probe: Vec, *, nesterov: bool) -> tuple[str, ...]:
    where = "the look-ahead point θ_t - η u_t" if nesterov else "θ_t"
    g, u_next = state.grad(probe), state.velocity(probe)
    beta = state.beta
    return (
        "∇f = (" + ", ".join(inline(d) for d in state.grads) + ")",
        f"Gradient at {where} = {vec(probe)}: {vec(g)}",
        f"u_(t+1) = {num(beta)}·{vec(state.u)} + {num(1 - beta)}·{vec(g)} = {vec(u_next)}",
        f"θ_(t+1) = {vec(state.theta)} - {num(state.alpha)}·{vec(u_next)} = "
        f"{vec(state.step(probe))}",
    )


def _step(draw: Draw, *, nesterov: bool) -> Draft:
    names = ("x", "y")
    variables = symbols(names)
    f = random_quadratic(draw, variables)
    state = _State(
        grads=gradient(f, variables),
        variables=variables,
        theta=[sympy.Integer(draw.integer(-3, 3)) for _ in names],
        u=[sympy.Rational(draw.nonzero(-4, 4), 2), sympy.Rational(draw.integer(-4, 4), 2)],
        alpha=rational(draw.pick(RATES)),
        beta=rational(draw.pick(BETAS)),
    )
    probe = state.look_ahead(state.alpha) if nesterov else state.theta
    result = state.step(probe)
    gradient_point = "g = ∇f(θ_t - η u_t) (the look-ahead point)" if nesterov else "g = ∇f(θ_t)"
    return Draft(
        prompt=(
            f"{'Nesterov momentum' if nesterov else 'Momentum'} with {gradient_point}: "
            "u_(t+1) = β u_t + (1 - β) g, θ_(t+1) = θ_t - η u_(t+1). "
            f"With η = {num(state.alpha)}, β = {num(state.beta)}, θ_t = (x, y) = "
            f"{vec(state.theta)} and velocity u_t = {vec(state.u)}, give θ_(t+1)."
        ),
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.VECTOR,
        expected=result,
        answer_hint=vector_hint(2, ROUNDED_NOTE),
        tolerance=ROUNDED,
        solution=_solution(state, probe, nesterov=nesterov),
        mistakes=_mistakes(state, nesterov=nesterov),
        function=function_text(f),
        variables=names,
        point=floats(state.theta),
        path=(floats(state.theta), result),
        given={
            "learning_rate": float(state.alpha),
            "beta": float(state.beta),
            "velocity": floats(state.u),
            "nesterov": nesterov,
        },
    )


@make_template(
    "momentum-step",
    "One momentum step",
    "gradient-descent",
    ("momentum", "optimizers"),
    "M",
    2,
)
def momentum_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    return _step(draw, nesterov=False)


@make_template(
    "nesterov-step",
    "One Nesterov momentum step",
    "gradient-descent",
    ("nesterov", "momentum", "optimizers"),
    "H",
    2,
)
def nesterov_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    return _step(draw, nesterov=True)


TEMPLATES = (momentum_step, nesterov_step)
