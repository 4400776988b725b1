"""One regularized step: L1 by soft-thresholding (a proximal step), L2 by shrinkage.

The two side by side show the syllabus point: the L1 step sets small weights exactly to
zero, while the L2 step only scales every weight by (1 - 2ηλ).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
    Draft,
    Draw,
    floats,
    make_template,
    num,
    rational,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake

SIZE = 4
Vec = list[sympy.Expr]


def soft_threshold(z: Sequence[sympy.Expr], tau: sympy.Expr) -> Vec:
    return [sympy.sign(v) * sympy.Max(abs(v) - tau, 0) for v in z]


def _tenths(draw: Draw, *, nonzero: bool) -> Vec:
    low, high = -10, 10
    return [
        sympy.Rational(draw.nonzero(low, high) if nonzero else draw.integer(low, high), 10)
        for _ in range(SIZE)
    ]


@dataclass(frozen=True)
class _Setup:
    """Weights, data-loss gradient, step size and penalty strength of one question."""

    w: Vec
    g: Vec
    alpha: sympy.Expr
    lam: sympy.Expr

    @property
    def z(self) -> Vec:
        """The plain gradient step on the data loss."""
        return [wi - self.alpha * gi for wi, gi in zip(self.w, self.g, strict=True)]

    def step(self, penalty_gradient: Callable[[sympy.Expr], sympy.Expr]) -> tuple[float, ...]:
        """w - η(∇L + penalty_gradient(w)), coordinate by coordinate."""
        pairs = zip(self.w, self.g, strict=True)
        return floats([wi - self.alpha * (gi + penalty_gradient(wi)) for wi, gi in pairs])


def _draw_l1(draw: Draw) -> _Setup:
    """A setup whose proximal step zeroes some weights but not all."""
    for _ in range(200):
        setup = _Setup(
            _tenths(draw, nonzero=True),
            _tenths(draw, nonzero=False),
            rational(draw.pick(("0.1", "0.2", "0.5"))),
            rational(draw.pick(("0.5", "1", "2"))),
        )
        zeroed = sum(1 for v in setup.z if abs(v) <= setup.alpha * setup.lam)
        if 0 < zeroed < SIZE:
            return setup
    raise RuntimeError("no L1 draw that zeroes some but not all weights")


def _draft(
    setup: _Setup,
    penalty: str,
    prompt: str,
    result: Vec,
    solution: tuple[str, ...],
    mistakes: tuple[Mistake, ...],
) -> Draft:
    return Draft(
        prompt=prompt,
        answer_kind=AnswerKind.VECTOR,
        expected=floats(result),
        answer_hint=vector_hint(SIZE, ROUNDED_NOTE),
        tolerance=ROUNDED,
        solution=solution,
        mistakes=mistakes,
        given={
            "penalty": penalty,
            "w": floats(setup.w),
            "grad": floats(setup.g),
            "learning_rate": float(setup.alpha),
            "lambda": float(setup.lam),
        },
    )


def _l1_draft(draw: Draw) -> Draft:
    setup = _draw_l1(draw)
    w, g, alpha, lam, z = setup.w, setup.g, setup.alpha, setup.lam, setup.z
    tau = alpha * lam
    result = soft_threshold(z, tau)
    prompt = (
        "Take one proximal-gradient (ISTA) step on L(w) + λ‖w‖₁: a gradient step on L, "
        "z = w - η∇L(w), then soft-thresholding w_i ← sign(z_i)·max(|z_i| - ηλ, 0). "
        f"w = {vec(w)}, ∇L(w) = {vec(g)}, η = {num(alpha)}, λ = {num(lam)}. Give the new w."
    )
    solution = (
        f"z = w - η∇L = {vec(w)} - {num(alpha)}·{vec(g)} = {vec(z)}",
        f"Threshold ηλ = {num(tau)}: entries with |z_i| ≤ {num(tau)} become 0, the rest "
        f"move {num(tau)} toward 0.",
        f"w_new = {vec(result)} — L1 makes weights exactly zero (sparsity).",
    )
    mistakes = (
        Mistake(
            "subgradient-step",
            "A plain subgradient step w - η(∇L + λ sign(w)) jumps past zero; the proximal "
            "step stops at exactly 0 when |z_i| ≤ ηλ.",
            setup.step(lambda wi: lam * sympy.sign(wi)),
        ),
        Mistake(
            "threshold-lambda",
            "The threshold is ηλ (the step size times λ), not λ.",
            floats(soft_threshold(z, lam)),
        ),
        Mistake(
            "no-data-gradient",
            "Take the gradient step on L first (z = w - η∇L), then soft-threshold z.",
            floats(soft_threshold(w, tau)),
        ),
    )
    return _draft(setup, "l1", prompt, result, solution, mistakes)


def _l2_draft(draw: Draw) -> Draft:
    setup = _Setup(
        _tenths(draw, nonzero=True),
        _tenths(draw, nonzero=False),
        rational(draw.pick(("0.1", "0.2", "0.5"))),
        rational(draw.pick(("0.1", "0.2", "0.25"))),
    )
    w, g, alpha, lam = setup.w, setup.g, setup.alpha, setup.lam
    factor = 1 - 2 * alpha * lam
    result = [factor * wi - alpha * gi for wi, gi in zip(w, g, strict=True)]
    prompt = (
        f"Take one gradient-descent step on L(w) + λ‖w‖₂² with η = {num(alpha)}, "
        f"λ = {num(lam)}, w = {vec(w)} and ∇L(w) = {vec(g)}. Give the new w."
    )
    solution = (
        "The penalty's gradient is 2λw, so w_new = w - η(∇L + 2λw) = (1 - 2ηλ)w - η∇L.",
        f"1 - 2ηλ = {num(factor)}: w_new = {num(factor)}·{vec(w)} - {num(alpha)}·{vec(g)} "
        f"= {vec(result)}",
        "L2 shrinks every weight by the same factor; it rarely makes one exactly zero.",
    )
    mistakes = (
        Mistake(
            "forgot-factor-2",
            "The gradient of λ‖w‖₂² is 2λw, not λw.",
            setup.step(lambda wi: lam * wi),
        ),
        Mistake(
            "penalty-sign",
            "The penalty pulls weights toward zero: add 2λw to the gradient, do not subtract it.",
            setup.step(lambda wi: -2 * lam * wi),
        ),
        Mistake(
            "shrink-only",
            "You applied the shrinkage but left out the data gradient -η∇L.",
            floats([factor * wi for wi in w]),
        ),
    )
    return _draft(setup, "l2", prompt, result, solution, mistakes)


@make_template(
    "l1-l2-step",
    "L1 or L2 regularized step",
    "regularization",
    ("regularization", "l1", "l2", "sparsity"),
    "M",
    1,
)
def l1_l2_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    penalty = str(params.get("penalty") or draw.pick(("l1", "l2")))
    return _l1_draft(draw) if penalty == "l1" else _l2_draft(draw)


TEMPLATES = (l1_l2_step,)
