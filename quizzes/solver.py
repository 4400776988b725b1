"""Worked solutions for the calculus behind compute cards: critical points and optimizer steps.

Critical points and definiteness are worked here; the optimizer steps live in
`quizzes.optimizers` and are re-exported, so this stays the one import for callers.
Derivatives are exact and values carried at 30 digits (see `quizzes.arithmetic`). Every
result carries its working as short Unicode lines that read well in a terminal.
"""

from __future__ import annotations

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


def critical_point(
    function: str | sympy.Expr, at: Mapping[str, float], tol: float = 1e-9
) -> CriticalPoint:
    """Classify the critical point `at`; raises SolverError when ∇f is not zero there."""
    fn = Function.of(function, at)
    theta = fn.start(at)
    gradient = fn.gradient_at(theta)
    if any(abs(g) > tol for g in gradient):
        raise SolverError(
            f"the gradient at {fn.named(theta)} is {show_vector(gradient)}, not zero: "
            "not a critical point"
        )
    hessian = fn.hessian_at(theta)
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


_CRITICAL_REASONS = {
    "minimum": "all λ > 0, so H is positive definite: a local minimum",
    "maximum": "all λ < 0, so H is negative definite: a local maximum",
    "saddle": "λ of both signs, so H is indefinite: a saddle point",
    "inconclusive": "some λ = 0 and no sign change: the second-derivative test is inconclusive",
}
