"""One Adam step with bias correction, from a given optimizer state.

At t = 1 from zero moments the corrected step is about η·sign(g) whatever the gradient's
size; the cards with t > 1 carry moments in, so the correction factors matter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
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

RATES = ("0.1", "0.05", "0.01")
BETA1, BETA2, EPS = rational("0.9"), rational("0.999"), 1e-8


def _update(
    theta: Sequence[sympy.Expr],
    rate: sympy.Expr,
    m: Sequence[sympy.Expr],
    v: Sequence[sympy.Expr],
    *,
    root: bool = True,
    sign: int = 1,
) -> tuple[float, ...]:
    """θ - sign·η·m/(√v + ε) in floats (the square root leaves exact arithmetic here)."""
    out = []
    for t, mi, vi in zip(theta, m, v, strict=True):
        scale = math.sqrt(float(vi)) if root else float(vi)
        out.append(float(t) - sign * float(rate) * float(mi) / (scale + EPS))
    return tuple(out)


@dataclass(frozen=True)
class _Step:
    """One Adam step worked exactly: the state drawn and the moments it produces."""

    theta: list[sympy.Expr]
    g: list[sympy.Expr]
    rate: sympy.Expr
    t: int
    m_old: list[sympy.Expr]
    v_old: list[sympy.Expr]

    @property
    def m(self) -> list[sympy.Expr]:
        return [BETA1 * a + (1 - BETA1) * gi for a, gi in zip(self.m_old, self.g, strict=True)]

    @property
    def v(self) -> list[sympy.Expr]:
        return [BETA2 * a + (1 - BETA2) * gi**2 for a, gi in zip(self.v_old, self.g, strict=True)]

    @property
    def m_hat(self) -> list[sympy.Expr]:
        return [a / (1 - BETA1**self.t) for a in self.m]

    @property
    def v_hat(self) -> list[sympy.Expr]:
        return [a / (1 - BETA2**self.t) for a in self.v]


def _draw_step(draw: Draw, grads: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]) -> _Step:
    """A start where no gradient component is zero (so every coordinate moves) and a state.

    At t = 1 the moments start at zero, as in a fresh optimizer.
    """
    for _ in range(100):
        theta = [sympy.Integer(draw.integer(-3, 3)) for _ in variables]
        g = at(grads, variables, theta)
        if all(g):
            break
    else:
        raise RuntimeError("no start point with a nonzero gradient in every coordinate")
    rate = rational(draw.pick(RATES))
    t = draw.pick((1, 1, 2, 3))
    if t == 1:
        m_old = v_old = [sympy.Integer(0)] * len(variables)
    else:
        m_old = [sympy.Rational(draw.integer(-10, 10), 10) for _ in variables]
        v_old = [sympy.Rational(draw.integer(1, 50), 100) for _ in variables]
    return _Step(theta, g, rate, t, m_old, v_old)


def _solution(step: _Step, grads: Sequence[sympy.Expr], result: Sequence[float]) -> tuple[str, ...]:
    pairs = zip(step.m_hat, step.v_hat, strict=True)
    ratio = [float(a) / (math.sqrt(float(b)) + EPS) for a, b in pairs]
    t = step.t
    return (
        "∇f = (" + ", ".join(inline(d) for d in grads) + f"); g = ∇f{vec(step.theta)} = "
        f"{vec(step.g)}",
        f"m = 0.9·{vec(step.m_old)} + 0.1·g = {vec(step.m)};  "
        f"v = 0.999·{vec(step.v_old)} + 0.001·g² = {vec(step.v)}",
        f"Bias correction at t = {t}: m̂ = m / (1 - 0.9^{t}) = {vec(step.m_hat)}; "
        f"v̂ = v / (1 - 0.999^{t}) = {vec(step.v_hat)}",
        f"θ_new = θ - η·m̂ / (√v̂ + ε) = {vec(step.theta)} - {num(step.rate)}·{vec(ratio)} = "
        f"{vec(result)}",
    )


def _mistakes(step: _Step) -> tuple[Mistake, ...]:
    theta, rate = step.theta, step.rate
    return (
        Mistake(
            "no-bias-correction",
            "You forgot the bias correction: divide m by (1 - β1^t) and v by (1 - β2^t) "
            "before the update.",
            _update(theta, rate, step.m, step.v),
        ),
        Mistake(
            "ascent",
            "You moved uphill: Adam subtracts η·m̂/(√v̂ + ε) from θ.",
            _update(theta, rate, step.m_hat, step.v_hat, sign=-1),
        ),
        Mistake(
            "forgot-square-root",
            "The denominator is √v̂ + ε: v̂ estimates g², so take its square root.",
            _update(theta, rate, step.m_hat, step.v_hat, root=False),
        ),
    )


@make_template(
    "adam-step",
    "One Adam step",
    "gradient-descent",
    ("adam", "optimizers", "bias-correction"),
    "H",
    2,
)
def adam_step(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    names = ("x", "y")
    variables = symbols(names)
    f = random_quadratic(draw, variables)
    grads = gradient(f, variables)
    step = _draw_step(draw, grads, variables)
    result = _update(step.theta, step.rate, step.m_hat, step.v_hat)
    return Draft(
        prompt=(
            "Take one Adam step: m_t = β1 m_(t-1) + (1 - β1) g, v_t = β2 v_(t-1) + (1 - β2) g², "
            "m̂ = m_t / (1 - β1^t), v̂ = v_t / (1 - β2^t), θ ← θ - η m̂ / (√v̂ + ε), "
            f"with g = ∇f(θ), η = {num(step.rate)}, β1 = 0.9, β2 = 0.999, ε = 1e-8. "
            f"This is step t = {step.t}; θ = (x, y) = {vec(step.theta)}, "
            f"m_(t-1) = {vec(step.m_old)}, v_(t-1) = {vec(step.v_old)}. Give the new θ."
        ),
        math=definition("f(x, y)", f),
        answer_kind=AnswerKind.VECTOR,
        expected=result,
        # θ moves by about η, so 4 significant digits of θ ≈ 2.95 keep too little of the
        # step: the answer is read to 4 decimal places (within 1e-4), and the hint says so.
        answer_hint=vector_hint(
            2, "each to 4 decimal places, like 2.9537 (4 significant digits, 2.954, are too few)"
        ),
        tolerance=(1e-6, 1e-4),
        solution=_solution(step, grads, result),
        mistakes=_mistakes(step),
        function=function_text(f),
        variables=names,
        point=floats(step.theta),
        path=(floats(step.theta), result),
        given={
            "learning_rate": float(step.rate),
            "t": step.t,
            "m": floats(step.m_old),
            "v": floats(step.v_old),
        },
    )


TEMPLATES = (adam_step,)
