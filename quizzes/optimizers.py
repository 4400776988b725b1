"""Worked optimizer steps (gradient descent, Newton, momentum, Adam) for compute cards.

These live apart from the critical-point solver because they carry their own machinery,
an iteration loop and an optimizer's memory between steps, that critical points never
need; `quizzes.solver` re-exports them, so callers keep importing from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.arithmetic import (
    DIGITS,
    Function,
    Matrix,
    SolverError,
    Values,
    Vector,
    classify_matrix,
    eigenvalues_of,
    finite_floats,
    high_precision,
    show_matrix,
    show_matrix_of,
    show_num,
    show_numbers,
    show_vector,
    to_floats,
)

MAX_STEPS = 1000
_NEARER = "try a starting point nearer a minimum"
_SMALLER = f"try a smaller learning rate or {_NEARER.removeprefix('try ')}"
_MEMORY_NAMES = {
    "velocity": "the velocity u",
    "m": "the first moment m",
    "v": "the second moment v",
}


@dataclass(frozen=True)
class StepResult:
    """`gradient` is the one the first update used; `next` is the last iterate.

    `state` holds the optimizer's memory after the last step (momentum's velocity,
    Adam's m and v) so a follow-up question can continue from it.
    """

    variables: tuple[str, ...]
    start: Vector
    gradient: Vector
    next: Vector
    path: tuple[Vector, ...]
    steps: tuple[str, ...]
    notes: tuple[str, ...]
    hessian: Matrix | None = None
    state: tuple[tuple[str, Vector], ...] = ()


def gradient_step(
    function: str | sympy.Expr, at: Mapping[str, float], lr: float, steps: int = 1
) -> StepResult:
    """θ_(t+1) = θ_t - η∇f(θ_t), repeated `steps` times."""
    fn = Function.of(function, at)
    eta = high_precision(_positive("learning rate", lr))

    def rule(t: int, theta: Values) -> _Step:
        grad = fn.gradient_values(theta)
        new = tuple(p - eta * g for p, g in zip(theta, grad, strict=True))
        formula = (
            f"θ{_sub(t)} - η∇f(θ{_sub(t)}) = "
            f"{show_vector(theta)} - {show_num(lr)}·{show_vector(grad)}"
        )
        return new, grad, [f"step {t + 1}: ∇f(θ{_sub(t)}) = {show_vector(grad)}"], formula

    path, lines, gradient = _iterate(fn, at, steps, [f"learning rate η = {show_num(lr)}"], rule)
    return _result(fn, path, lines, gradient=gradient)


def newton_step(function: str | sympy.Expr, at: Mapping[str, float], steps: int = 1) -> StepResult:
    """θ_(t+1) = θ_t - H⁻¹∇f(θ_t); a singular Hessian has no Newton step (SolverError)."""
    fn = Function.of(function, at)
    notes: list[str] = []

    def rule(t: int, theta: Values) -> _Step:
        grad, exact = fn.gradient_values(theta), fn.hessian_values(theta)
        hessian = tuple(finite_floats(row, f"the Hessian at θ{_sub(t)}", _NEARER) for row in exact)
        eigenvalues = eigenvalues_of(hessian)
        if min(abs(v) for v in eigenvalues) <= 1e-12 * max(1.0, *map(abs, eigenvalues)):
            raise SolverError(
                f"the Hessian at {fn.named(theta)} is singular (an eigenvalue is 0): "
                "Newton's step is undefined there"
            )
        if classify_matrix(hessian) != "positive definite":
            notes.append(
                f"H is not positive definite at θ{_sub(t)} (λ = {show_numbers(eigenvalues)}): the "
                "Newton step heads for the nearest critical point, which need not be a minimum"
            )
        d = _solve(exact, grad)
        lines = [
            f"step {t + 1}: ∇f(θ{_sub(t)}) = {show_vector(grad)}, "
            f"H(θ{_sub(t)}) = {show_matrix(hessian)}",
            f"  solve H·d = ∇f(θ{_sub(t)}): d = {show_vector(d)}",
        ]
        new = tuple(p - x for p, x in zip(theta, d, strict=True))
        return new, grad, lines, f"θ{_sub(t)} - d"

    path, lines, gradient = _iterate(fn, at, steps, [f"H = {show_matrix_of(fn.hessian)}"], rule)
    hessian = fn.hessian_at(path[0])
    return _result(fn, path, lines, gradient=gradient, notes=notes, hessian=hessian)


def momentum_step(
    function: str | sympy.Expr,
    at: Mapping[str, float],
    lr: float,
    beta: float,
    velocity: Sequence[float] | None = None,
    nesterov: bool = False,
    steps: int = 1,
) -> StepResult:
    """Heavy-ball momentum in its averaged form:
    u_(t+1) = β·u_t + (1 - β)·∇f(θ_t),  θ_(t+1) = θ_t - η·u_(t+1).

    With `nesterov`, the gradient is taken at the look-ahead point θ_t - η·u_t
    (where the old velocity alone would carry θ) instead of at θ_t: the syllabus's
    form, which the nesterov-step cards use too.
    """
    fn = Function.of(function, at)
    eta, b = high_precision(_positive("learning rate", lr)), high_precision(_fraction("beta", beta))
    u = _memory(fn, "velocity", velocity)

    def rule(t: int, theta: Values) -> _Step:
        nonlocal u
        probe = tuple(p - eta * v for p, v in zip(theta, u, strict=True)) if nesterov else theta
        grad = fn.gradient_values(probe)
        u = tuple(b * v + (1 - b) * g for v, g in zip(u, grad, strict=True))
        where = f"look-ahead θ{_sub(t)} - η·u{_sub(t)} = " if nesterov else f"θ{_sub(t)} = "
        lines = [
            f"step {t + 1}: ∇f at {where}{show_vector(probe)} is {show_vector(grad)}",
            f"  u{_sub(t + 1)} = β·u{_sub(t)} + (1 - β)·∇f = {show_vector(u)}",
        ]
        new = tuple(p - eta * v for p, v in zip(theta, u, strict=True))
        return new, grad, lines, f"θ{_sub(t)} - η·u{_sub(t + 1)}"

    where = "θ_t - η·u_t" if nesterov else "θ_t"
    head = [
        f"u_(t+1) = β·u_t + (1 - β)·∇f({where});  θ_(t+1) = θ_t - η·u_(t+1)",
        f"u₀ = {show_vector(u)}, η = {show_num(lr)}, β = {show_num(beta)}",
    ]
    path, lines, gradient = _iterate(fn, at, steps, head, rule)
    return _result(fn, path, lines, gradient=gradient, state=(("velocity", u),))


def adam_step(
    function: str | sympy.Expr,
    at: Mapping[str, float],
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    m: Sequence[float] | None = None,
    v: Sequence[float] | None = None,
    t: int = 1,
    steps: int = 1,
) -> StepResult:
    """Adam with bias correction; `t` is the number of the first step taken (1 for a
    fresh optimizer), `m` and `v` the moment estimates carried in (zeros if None)."""
    fn = Function.of(function, at)
    eta, epsilon = (
        high_precision(_positive("learning rate", lr)),
        high_precision(_positive("eps", eps)),
    )
    b1, b2 = high_precision(_fraction("beta1", beta1)), high_precision(_fraction("beta2", beta2))
    mean, square = _memory(fn, "m", m), _memory(fn, "v", v, squares=True)
    if t < 1:
        raise SolverError(f"t is the step number and starts at 1, not {t}")

    def rule(k: int, theta: Values) -> _Step:
        nonlocal mean, square
        g = fn.gradient_values(theta)
        mean, m_hat = _moment(mean, g, b1, t + k)
        square, v_hat = _moment(square, tuple(x * x for x in g), b2, t + k)
        lines = [
            f"step {k + 1} (t = {t + k}): g = ∇f(θ{_sub(k)}) = {show_vector(g)}",
            f"  m = {show_vector(mean)}, v = {show_vector(square)}",
            f"  m̂ = {show_vector(m_hat)}, v̂ = {show_vector(v_hat)}",
        ]
        steps_taken = (
            eta * a / (sympy.sqrt(s) + epsilon) for a, s in zip(m_hat, v_hat, strict=True)
        )
        new = tuple(p - d for p, d in zip(theta, steps_taken, strict=True))
        return new, g, lines, f"θ{_sub(k)} - η·m̂/(√v̂ + ε)"

    settings = (
        f"η = {show_num(lr)}, β₁ = {show_num(beta1)}, β₂ = {show_num(beta2)}, ε = {show_num(eps)}"
    )
    path, lines, gradient = _iterate(fn, at, steps, [*_ADAM_RULES, settings], rule)
    state = (("m", mean), ("v", square))
    return _result(fn, path, lines, gradient=gradient, state=state)


_ADAM_RULES = (
    "m_t = β₁·m_(t-1) + (1 - β₁)·g;  v_t = β₂·v_(t-1) + (1 - β₂)·g²",
    "m̂ = m_t/(1 - β₁^t);  v̂ = v_t/(1 - β₂^t);  θ_t = θ_(t-1) - η·m̂/(√v̂ + ε)",
)
# One update: the new iterate (unrounded), the gradient it used, the lines explaining it,
# and the formula for the new iterate.
_Step = tuple[tuple[sympy.Expr, ...], Values, list[str], str]


def _moment(average: Values, sample: Values, beta: sympy.Float, t: int) -> tuple[Values, Values]:
    """Adam's running average and its bias-corrected value after step number t."""
    updated = tuple(beta * a + (1 - beta) * x for a, x in zip(average, sample, strict=True))
    return updated, tuple(a / (1 - beta**t) for a in updated)


def _iterate(
    fn: Function,
    at: Mapping[str, float],
    steps: int,
    head: list[str],
    rule: Callable[[int, Values], _Step],
) -> tuple[list[Values], list[str], Vector]:
    """Apply `rule` `steps` times from `at`: the path, the worked lines and the gradient
    the first update used."""
    path = [fn.start(at)]
    lines = [*fn.header(), *head, f"θ₀ = {show_vector(path[0])}"]
    gradients: list[Vector] = []
    for t in _step_range(steps):
        new, gradient, explained, formula = rule(t, path[-1])
        gradients.append(finite_floats(gradient, f"the gradient at θ{_sub(t)}", _SMALLER))
        path.append(_finite(new, t))
        lines += [*explained, f"  θ{_sub(t + 1)} = {formula} = {show_vector(path[-1])}"]
    return path, lines, gradients[0]


def _memory(
    fn: Function, name: str, values: Sequence[float] | None, *, squares: bool = False
) -> Values:
    """An optimizer's carried state, one number per variable (zeros if None)."""
    if values is None:
        return tuple(high_precision(0.0) for _ in fn.variables)
    if len(values) != len(fn.variables) or not all(map(math.isfinite, values)):
        raise SolverError(
            f"{name} needs {len(fn.variables)} finite numbers, one per variable "
            f"({', '.join(fn.variables)}); got {len(values)}"
        )
    if squares and min(values) < 0:
        raise SolverError(f"{name} averages squared gradients and cannot be negative")
    return tuple(high_precision(x) for x in values)


def _finite(theta: tuple[sympy.Expr, ...], t: int) -> Values:
    values = tuple(sympy.Float(x, DIGITS) for x in theta)
    if not all(math.isfinite(float(x)) for x in values):
        raise SolverError(
            f"the step overflows at step {t + 1}: |θ| exceeds 1e308; try a smaller learning rate"
        )
    return values


def _result(
    fn: Function,
    path: list[Values],
    lines: list[str],
    *,
    gradient: Vector,
    notes: Sequence[str] = (),
    hessian: Matrix | None = None,
    state: tuple[tuple[str, Values], ...] = (),
) -> StepResult:
    points = tuple(to_floats(p) for p in path)
    state = tuple(
        (name, finite_floats(values, _MEMORY_NAMES.get(name, name), _SMALLER))
        for name, values in state
    )
    return StepResult(
        fn.variables,
        points[0],
        gradient,
        points[-1],
        points,
        tuple(lines),
        tuple(dict.fromkeys(notes)),
        hessian,
        state,
    )


def _positive(name: str, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise SolverError(f"{name} must be a positive number, not {value}")
    return value


def _fraction(name: str, value: float) -> float:
    if not 0 <= value < 1:
        raise SolverError(f"{name} must be at least 0 and below 1, not {value}")
    return value


def _step_range(steps: int) -> range:
    if not 1 <= steps <= MAX_STEPS:
        raise SolverError(f"steps must be between 1 and {MAX_STEPS}, not {steps}")
    return range(steps)


def _solve(hessian: tuple[Values, ...], gradient: Values) -> Values:
    solution = sympy.Matrix(hessian).LUsolve(sympy.Matrix(gradient))
    return tuple(sympy.Float(x, DIGITS) for x in solution)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
