"""Worked solutions for the calculus behind compute cards: critical points and optimizer steps.

Derivatives are exact (sympy); values are computed with 30 significant digits and only
then rounded to floats, so a step such as 1 - 0.1*6 reports 0.4 rather than
0.39999999999999997 and repeated steps do not pile up rounding error. Eigenvalues come
from numpy on the evaluated (symmetric) Hessian. Every result carries its working as
short Unicode lines that read well in a terminal.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy

from quizzes.answers import AnswerError, parse_number
from quizzes.expressions import ExpressionError, evaluate, parse_expression

CRITICAL_LABELS = ("minimum", "maximum", "saddle", "inconclusive")
DEFINITENESS_LABELS = (
    "positive definite",
    "negative definite",
    "indefinite",
    "positive semidefinite",
    "negative semidefinite",
)
MAX_STEPS = 1000
_DIGITS = 30

Vector = tuple[float, ...]
Matrix = tuple[tuple[float, ...], ...]
_Values = tuple[sympy.Float, ...]


class SolverError(ValueError):
    """The question has no answer as asked; `str(exc)` explains why, for the user."""


@dataclass(frozen=True)
class CriticalPoint:
    variables: tuple[str, ...]
    point: Vector
    gradient: Vector
    hessian: Matrix
    eigenvalues: Vector
    classification: str
    steps: tuple[str, ...]


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


def classify_eigenvalues(eigenvalues: Sequence[float], tol: float = 1e-9) -> str:
    """Second-derivative test. `tol` is scaled by the largest |λ| so big Hessians with
    rounding noise are not misread; a zero eigenvalue with no sign change is inconclusive."""
    signs = _signs(eigenvalues, tol)
    if signs == {1}:
        return "minimum"
    if signs == {-1}:
        return "maximum"
    if {1, -1} <= signs:
        return "saddle"
    return "inconclusive"


def classify_matrix(matrix: Sequence[Sequence[float]], tol: float = 1e-9) -> str:
    """Definiteness of the quadratic form vᵀMv, judged on the symmetric part of M.

    The zero matrix counts as positive semidefinite (vᵀMv = 0 ≥ 0 for all v), which
    is the convention most textbooks use.
    """
    array = _square(matrix)
    signs = _signs(np.linalg.eigvalsh((array + array.T) / 2).tolist(), tol)
    if signs == {1}:
        return "positive definite"
    if signs == {-1}:
        return "negative definite"
    if {1, -1} <= signs:
        return "indefinite"
    return "negative semidefinite" if -1 in signs else "positive semidefinite"


def parse_point(text: str) -> dict[str, float]:
    """`x=1,y=-2.5` (commas or semicolons; values may be fractions like 3/4)."""
    point: dict[str, float] = {}
    for item in text.replace(";", ",").split(","):
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier():
            raise SolverError(
                f"expected name=value pairs like x=1,y=-2.5; could not read '{item.strip()}'"
            )
        if name in point:
            raise SolverError(f"{name} is given twice in '{text.strip()}'")
        try:
            point[name] = parse_number(value)
        except AnswerError as exc:
            raise SolverError(f"the value of {name}: {exc}") from None
    return point


def critical_point(
    function: str | sympy.Expr, at: Mapping[str, float], tol: float = 1e-9
) -> CriticalPoint:
    """Classify the critical point `at`; raises SolverError when ∇f is not zero there."""
    fn = _Function.of(function, at)
    theta = fn.start(at)
    gradient = fn.gradient_at(theta)
    if any(abs(g) > tol for g in gradient):
        raise SolverError(
            f"the gradient at {fn.named(theta)} is {_vector(gradient)}, not zero: "
            "not a critical point"
        )
    hessian = fn.hessian_at(theta)
    eigenvalues = _eigenvalues(hessian)
    label = classify_eigenvalues(eigenvalues, tol)
    steps = (
        f"f({', '.join(fn.variables)}) = {_expr(fn.expr)}",
        f"∇f = {_tuple_of(fn.gradient)}",
        f"∇f{_vector(theta)} = {_vector(gradient)}: a critical point",
        f"H = {_matrix_of(fn.hessian)}",
        f"H{_vector(theta)} = {_matrix(hessian)}",
        f"eigenvalues of H: λ = {_numbers(eigenvalues)}",
        _CRITICAL_REASONS[label],
    )
    return CriticalPoint(fn.variables, _floats(theta), gradient, hessian, eigenvalues, label, steps)


_CRITICAL_REASONS = {
    "minimum": "all λ > 0, so H is positive definite: a local minimum",
    "maximum": "all λ < 0, so H is negative definite: a local maximum",
    "saddle": "λ of both signs, so H is indefinite: a saddle point",
    "inconclusive": "some λ = 0 and no sign change: the second-derivative test is inconclusive",
}


def gradient_step(
    function: str | sympy.Expr, at: Mapping[str, float], lr: float, steps: int = 1
) -> StepResult:
    """θ_(t+1) = θ_t - η∇f(θ_t), repeated `steps` times."""
    fn = _Function.of(function, at)
    eta = _high(_positive("learning rate", lr))

    def rule(t: int, theta: _Values) -> _Step:
        grad = fn.gradient_values(theta)
        new = tuple(p - eta * g for p, g in zip(theta, grad, strict=True))
        formula = f"θ{_sub(t)} - η∇f(θ{_sub(t)}) = {_vector(theta)} - {_num(lr)}·{_vector(grad)}"
        return new, grad, [f"step {t + 1}: ∇f(θ{_sub(t)}) = {_vector(grad)}"], formula

    path, lines, gradient = _iterate(fn, at, steps, [f"learning rate η = {_num(lr)}"], rule)
    return fn.result(path, lines, gradient=gradient)


def newton_step(function: str | sympy.Expr, at: Mapping[str, float], steps: int = 1) -> StepResult:
    """θ_(t+1) = θ_t - H⁻¹∇f(θ_t); a singular Hessian has no Newton step (SolverError)."""
    fn = _Function.of(function, at)
    notes: list[str] = []

    def rule(t: int, theta: _Values) -> _Step:
        grad, hessian = fn.gradient_values(theta), fn.hessian_at(theta)
        eigenvalues = _eigenvalues(hessian)
        if min(abs(v) for v in eigenvalues) <= 1e-12 * max(1.0, *map(abs, eigenvalues)):
            raise SolverError(
                f"the Hessian at {fn.named(theta)} is singular (an eigenvalue is 0): "
                "Newton's step is undefined there"
            )
        if classify_matrix(hessian) != "positive definite":
            notes.append(
                f"H is not positive definite at θ{_sub(t)} (λ = {_numbers(eigenvalues)}): the "
                "Newton step heads for the nearest critical point, which need not be a minimum"
            )
        d = _solve(fn.hessian_values(theta), grad)
        lines = [
            f"step {t + 1}: ∇f(θ{_sub(t)}) = {_vector(grad)}, H(θ{_sub(t)}) = {_matrix(hessian)}",
            f"  solve H·d = ∇f(θ{_sub(t)}): d = {_vector(d)}",
        ]
        new = tuple(p - x for p, x in zip(theta, d, strict=True))
        return new, grad, lines, f"θ{_sub(t)} - d"

    path, lines, gradient = _iterate(fn, at, steps, [f"H = {_matrix_of(fn.hessian)}"], rule)
    return fn.result(path, lines, gradient=gradient, notes=notes, hessian=fn.hessian_at(path[0]))


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
    fn = _Function.of(function, at)
    eta, b = _high(_positive("learning rate", lr)), _high(_fraction("beta", beta))
    u = fn.memory("velocity", velocity)

    def rule(t: int, theta: _Values) -> _Step:
        nonlocal u
        probe = tuple(p - eta * v for p, v in zip(theta, u, strict=True)) if nesterov else theta
        grad = fn.gradient_values(probe)
        u = tuple(b * v + (1 - b) * g for v, g in zip(u, grad, strict=True))
        where = f"look-ahead θ{_sub(t)} - η·u{_sub(t)} = " if nesterov else f"θ{_sub(t)} = "
        lines = [
            f"step {t + 1}: ∇f at {where}{_vector(probe)} is {_vector(grad)}",
            f"  u{_sub(t + 1)} = β·u{_sub(t)} + (1 - β)·∇f = {_vector(u)}",
        ]
        new = tuple(p - eta * v for p, v in zip(theta, u, strict=True))
        return new, grad, lines, f"θ{_sub(t)} - η·u{_sub(t + 1)}"

    where = "θ_t - η·u_t" if nesterov else "θ_t"
    head = [
        f"u_(t+1) = β·u_t + (1 - β)·∇f({where});  θ_(t+1) = θ_t - η·u_(t+1)",
        f"u₀ = {_vector(u)}, η = {_num(lr)}, β = {_num(beta)}",
    ]
    path, lines, gradient = _iterate(fn, at, steps, head, rule)
    return fn.result(path, lines, gradient=gradient, state=(("velocity", _floats(u)),))


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
    fn = _Function.of(function, at)
    eta, epsilon = _high(_positive("learning rate", lr)), _high(_positive("eps", eps))
    b1, b2 = _high(_fraction("beta1", beta1)), _high(_fraction("beta2", beta2))
    mean, square = fn.memory("m", m), fn.memory("v", v, squares=True)
    if t < 1:
        raise SolverError(f"t is the step number and starts at 1, not {t}")

    def rule(k: int, theta: _Values) -> _Step:
        nonlocal mean, square
        g = fn.gradient_values(theta)
        mean, m_hat = _moment(mean, g, b1, t + k)
        square, v_hat = _moment(square, tuple(x * x for x in g), b2, t + k)
        lines = [
            f"step {k + 1} (t = {t + k}): g = ∇f(θ{_sub(k)}) = {_vector(g)}",
            f"  m = {_vector(mean)}, v = {_vector(square)}",
            f"  m̂ = {_vector(m_hat)}, v̂ = {_vector(v_hat)}",
        ]
        steps_taken = (
            eta * a / (sympy.sqrt(s) + epsilon) for a, s in zip(m_hat, v_hat, strict=True)
        )
        new = tuple(p - d for p, d in zip(theta, steps_taken, strict=True))
        return new, g, lines, f"θ{_sub(k)} - η·m̂/(√v̂ + ε)"

    settings = f"η = {_num(lr)}, β₁ = {_num(beta1)}, β₂ = {_num(beta2)}, ε = {_num(eps)}"
    path, lines, gradient = _iterate(fn, at, steps, [*_ADAM_RULES, settings], rule)
    state = (("m", _floats(mean)), ("v", _floats(square)))
    return fn.result(path, lines, gradient=gradient, state=state)


_ADAM_RULES = (
    "m_t = β₁·m_(t-1) + (1 - β₁)·g;  v_t = β₂·v_(t-1) + (1 - β₂)·g²",
    "m̂ = m_t/(1 - β₁^t);  v̂ = v_t/(1 - β₂^t);  θ_t = θ_(t-1) - η·m̂/(√v̂ + ε)",
)
# One update: the new iterate (unrounded), the gradient it used, the lines explaining it,
# and the formula for the new iterate.
_Step = tuple[tuple[sympy.Expr, ...], _Values, list[str], str]


def _moment(
    average: _Values, sample: _Values, beta: sympy.Float, t: int
) -> tuple[_Values, _Values]:
    """Adam's running average and its bias-corrected value after step number t."""
    updated = tuple(beta * a + (1 - beta) * x for a, x in zip(average, sample, strict=True))
    return updated, tuple(a / (1 - beta**t) for a in updated)


def _iterate(
    fn: _Function,
    at: Mapping[str, float],
    steps: int,
    head: list[str],
    rule: Callable[[int, _Values], _Step],
) -> tuple[list[_Values], list[str], Vector]:
    """Apply `rule` `steps` times from `at`: the path, the worked lines and the gradient
    the first update used."""
    path = [fn.start(at)]
    lines = [*fn.header(), *head, f"θ₀ = {_vector(path[0])}"]
    gradients: list[Vector] = []
    for t in _step_range(steps):
        new, gradient, explained, formula = rule(t, path[-1])
        gradients.append(_floats(gradient))
        path.append(fn.finite(new, t))
        lines += [*explained, f"  θ{_sub(t + 1)} = {formula} = {_vector(path[-1])}"]
    return path, lines, gradients[0]


@dataclass(frozen=True)
class _Function:
    """f with its variables (alphabetical) and exact derivatives, evaluated on demand."""

    expr: sympy.Expr
    variables: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]
    gradient: tuple[sympy.Expr, ...]

    @classmethod
    def of(cls, function: str | sympy.Expr, at: Mapping[str, float]) -> _Function:
        """Variables are those of f plus any extra names in `at` (with ∂f = 0), so a term
        that cancelled, as in x^2 + 0*y^2, does not silently drop a coordinate."""
        expr = parse_expression(function) if isinstance(function, str) else function
        own = {str(s): s for s in expr.free_symbols}
        missing = sorted(set(own) - set(at))
        if missing:
            raise SolverError(
                f"no value given for {', '.join(missing)}: give every variable of f, "
                f"like {','.join(f'{n}=1' for n in sorted(own))}"
            )
        variables = tuple(sorted(set(own) | set(at)))
        symbols = tuple(own.get(name, sympy.Symbol(name)) for name in variables)
        gradient = tuple(sympy.diff(expr, s) for s in symbols)
        return cls(expr, variables, symbols, gradient)

    @cached_property
    def hessian(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return tuple(tuple(sympy.diff(g, s) for s in self.symbols) for g in self.gradient)

    def start(self, at: Mapping[str, float]) -> _Values:
        for name in self.variables:
            if not math.isfinite(at[name]):
                raise SolverError(f"{name} = {at[name]} is not a finite number")
        return tuple(_high(at[name]) for name in self.variables)

    def named(self, theta: _Values) -> str:
        pairs = (f"{n}={_num(float(v))}" for n, v in zip(self.variables, theta, strict=True))
        return f"({', '.join(pairs)})"

    def header(self) -> list[str]:
        return [
            f"f({', '.join(self.variables)}) = {_expr(self.expr)}",
            f"∇f = {_tuple_of(self.gradient)}",
        ]

    def value(self, expr: sympy.Expr, theta: _Values) -> sympy.Float:
        """30 digits, after a double-precision look that refuses values too large for
        `evalf` to handle quickly (it raises its precision without limit)."""
        point = {str(s): complex(v) for s, v in zip(self.symbols, theta, strict=True)}
        try:
            rough = evaluate(expr, point)
        except ExpressionError:
            rough = complex("nan")
        number = expr.xreplace(dict(zip(self.symbols, theta, strict=True)))
        if cmath.isfinite(rough) and abs(rough.imag) <= 1e-12 * max(1.0, abs(rough.real)):
            number = number.evalf(_DIGITS)
        if not (number.is_Number and number.is_finite and number.is_extended_real):
            raise SolverError(f"{_expr(expr)} has no finite real value at {self.named(theta)}")
        return number

    def gradient_values(self, theta: _Values) -> _Values:
        return tuple(self.value(g, theta) for g in self.gradient)

    def gradient_at(self, theta: _Values) -> Vector:
        return _floats(self.gradient_values(theta))

    def hessian_values(self, theta: _Values) -> tuple[_Values, ...]:
        return tuple(tuple(self.value(h, theta) for h in row) for row in self.hessian)

    def hessian_at(self, theta: _Values) -> Matrix:
        return tuple(_floats(row) for row in self.hessian_values(theta))

    def memory(
        self, name: str, values: Sequence[float] | None, *, squares: bool = False
    ) -> _Values:
        """An optimizer's carried state, one number per variable (zeros if None)."""
        if values is None:
            return tuple(_high(0.0) for _ in self.variables)
        if len(values) != len(self.variables) or not all(map(math.isfinite, values)):
            raise SolverError(
                f"{name} needs {len(self.variables)} finite numbers, one per variable "
                f"({', '.join(self.variables)}); got {len(values)}"
            )
        if squares and min(values) < 0:
            raise SolverError(f"{name} averages squared gradients and cannot be negative")
        return tuple(_high(x) for x in values)

    def finite(self, theta: tuple[sympy.Expr, ...], t: int) -> _Values:
        values = tuple(sympy.Float(x, _DIGITS) for x in theta)
        if not all(math.isfinite(float(x)) for x in values):
            raise SolverError(
                f"the iterates overflowed at step {t + 1}; try a smaller learning rate"
            )
        return values

    def result(
        self,
        path: list[_Values],
        lines: list[str],
        *,
        gradient: Vector,
        notes: Sequence[str] = (),
        hessian: Matrix | None = None,
        state: tuple[tuple[str, Vector], ...] = (),
    ) -> StepResult:
        points = tuple(_floats(p) for p in path)
        return StepResult(
            self.variables,
            points[0],
            gradient,
            points[-1],
            points,
            tuple(lines),
            tuple(dict.fromkeys(notes)),
            hessian,
            state,
        )


def _high(value: float) -> sympy.Float:
    """The decimal a user typed (0.1 means one tenth), carried at 30 digits."""
    exact = Fraction(repr(float(value)))
    return sympy.Float(sympy.Rational(exact.numerator, exact.denominator), _DIGITS)


def _floats(values: Sequence[sympy.Expr]) -> Vector:
    return tuple(float(v) + 0.0 for v in values)


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


def _square(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    array = np.array(matrix, dtype=float) if matrix else np.zeros((0, 0))
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.size == 0:
        raise SolverError("expected a non-empty square matrix")
    if not np.isfinite(array).all():
        raise SolverError("the matrix has entries that are not finite numbers")
    return array


def _signs(eigenvalues: Sequence[float], tol: float) -> set[int]:
    scale = tol * max(1.0, *(abs(v) for v in eigenvalues))
    return {0 if abs(v) <= scale else (1 if v > 0 else -1) for v in eigenvalues}


def _eigenvalues(hessian: Matrix) -> Vector:
    """Ascending, rounded to 12 significant digits so 3.0000000000000004 shows as 3."""
    values = np.linalg.eigvalsh(_square(hessian))
    return tuple(float(f"{v:.12g}") + 0.0 for v in values)


def _solve(hessian: tuple[_Values, ...], gradient: _Values) -> _Values:
    solution = sympy.Matrix(hessian).LUsolve(sympy.Matrix(gradient))
    return tuple(sympy.Float(x, _DIGITS) for x in solution)


def _num(value: float) -> str:
    return f"{value + 0.0:.6g}"


def _numbers(values: Sequence[float | sympy.Expr]) -> str:
    return ", ".join(_num(float(v)) for v in values)


def _vector(values: Sequence[float | sympy.Expr]) -> str:
    return f"({_numbers(values)})"


def _matrix(rows: Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in rows) + "]"


def _expr(expr: sympy.Expr) -> str:
    return str(sympy.sstr(expr)).replace("**", "^")


def _tuple_of(exprs: Sequence[sympy.Expr]) -> str:
    return f"({', '.join(_expr(e) for e in exprs)})"


def _matrix_of(rows: Sequence[Sequence[sympy.Expr]]) -> str:
    return "[" + ", ".join("[" + ", ".join(_expr(e) for e in row) + "]" for row in rows) + "]"


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
