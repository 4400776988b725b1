"""Worked solutions for the calculus behind compute cards: critical points and optimizer steps.

Critical points and definiteness are worked here; the optimizer steps live in
`quizzes.optimizers` and are re-exported, so this stays the one import for callers.
Derivatives are exact and values carried at 30 digits (see `quizzes.arithmetic`). Every
result carries its working as short Unicode lines that read well in a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.answers import AnswerError, parse_number
from quizzes.arithmetic import (
    Function,
    Matrix,
    SolverError,
    Vector,
    classify_matrix,
    eigenvalues_of,
    finite_floats,
    show_matrix,
    show_matrix_of,
    show_numbers,
    show_vector,
    sign_set,
    to_floats,
)
from quizzes.optimizers import (
    MAX_STEPS,
    StepResult,
    adam_step,
    gradient_step,
    momentum_step,
    newton_step,
)

__all__ = [
    "CRITICAL_LABELS",
    "DEFAULT_TOL",
    "DEFINITENESS_LABELS",
    "MAX_STEPS",
    "CriticalPoint",
    "Matrix",
    "SolverError",
    "StepResult",
    "Vector",
    "adam_step",
    "classify_eigenvalues",
    "classify_matrix",
    "critical_point",
    "gradient_step",
    "momentum_step",
    "newton_step",
    "parse_point",
]

CRITICAL_LABELS = ("minimum", "maximum", "saddle", "inconclusive")
DEFINITENESS_LABELS = (
    "positive definite",
    "negative definite",
    "indefinite",
    "positive semidefinite",
    "negative semidefinite",
)


@dataclass(frozen=True)
class CriticalPoint:
    variables: tuple[str, ...]
    point: Vector
    gradient: Vector
    hessian: Matrix
    eigenvalues: Vector
    classification: str
    steps: tuple[str, ...]


def classify_eigenvalues(eigenvalues: Sequence[float], tol: float = 1e-9) -> str:
    """Second-derivative test. `tol` is scaled by the largest |λ| so big Hessians with
    rounding noise are not misread; a zero eigenvalue with no sign change is inconclusive."""
    signs = sign_set(eigenvalues, tol)
    if signs == {1}:
        return "minimum"
    if signs == {-1}:
        return "maximum"
    if {1, -1} <= signs:
        return "saddle"
    return "inconclusive"


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


DEFAULT_TOL = 1e-12


def critical_point(
    function: str | sympy.Expr, at: Mapping[str, float], tol: float = DEFAULT_TOL
) -> CriticalPoint:
    """Classify the critical point `at`; raises SolverError when ∇f is not zero there.

    "Zero" is relative: a number counts as zero when its size is at most
    tol × max(1, scale), the scale being the largest |λ| for eigenvalues and, for the
    gradient, the largest |Hessian entry| × the largest |coordinate| (how far ∇f moves
    when the point moves by one part in 1/tol, as a decimal typed for an irrational
    point does). Derivatives are exact and evaluated at 30 digits, so the noise left is
    the float rounding of H and of its eigenvalues (about 1e-16 of their size): the
    default tol of 1e-12 sits well above it, so x^2 + 1e-10*y^2 at (0, 0) is a minimum
    while x^2 - y^4 (λ exactly 0) stays inconclusive. The floor of 1 keeps rounding
    dust such as sin(π) ≈ 1e-16 from counting as curvature, at the price of calling a
    function flatter than tol everywhere (like 1e-13*x^2) inconclusive.
    """
    if not (math.isfinite(tol) and 0 < tol < 1):
        raise SolverError(
            f"tol must be above 0 and below 1, not {tol}: it is relative, a number "
            "counts as zero when it is at most tol × its scale (like 1e-6)"
        )
    fn = Function.of(function, at)
    theta = fn.start(at)
    gradient = finite_floats(fn.gradient_values(theta), "the gradient", _FARTHER)
    hessian = tuple(finite_floats(row, "the Hessian", _FARTHER) for row in fn.hessian_values(theta))
    size = max(abs(v) for row in hessian for v in row) * max(abs(v) for v in to_floats(theta))
    if any(abs(g) > tol * max(1.0, size) for g in gradient):
        raise SolverError(
            f"the gradient at {fn.named(theta)} is {show_vector(gradient)}, not zero: "
            "not a critical point"
        )
    eigenvalues = eigenvalues_of(hessian)
    label = classify_eigenvalues(eigenvalues, tol)
    steps = (
        *fn.header(),
        f"∇f{show_vector(theta)} = {show_vector(gradient)}: a critical point",
        f"H = {show_matrix_of(fn.hessian)}",
        f"H{show_vector(theta)} = {show_matrix(hessian)}",
        f"eigenvalues of H: λ = {show_numbers(eigenvalues)}",
        _CRITICAL_REASONS[label],
    )
    return CriticalPoint(
        fn.variables, to_floats(theta), gradient, hessian, eigenvalues, label, steps
    )


_FARTHER = "this point is too far out for double precision; pick one nearer the origin"
_CRITICAL_REASONS = {
    "minimum": "all λ > 0, so H is positive definite: a local minimum",
    "maximum": "all λ < 0, so H is negative definite: a local maximum",
    "saddle": "λ of both signs, so H is indefinite: a saddle point",
    "inconclusive": "some λ = 0 and no sign change: the second-derivative test is inconclusive",
}
