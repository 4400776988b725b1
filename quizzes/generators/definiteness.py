"""Classify a symmetric matrix as definite, semidefinite or indefinite.

Each of the five labels is drawn with equal chance before the matrix is built, so the
semidefinite cases (a zero eigenvalue) get as much practice as the definite ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quizzes.generators._common import Draft, Draw, eigenvalues, make_template, matrix_block
from quizzes.generators.critical_points import matrix_facts
from quizzes.problem import AnswerKind, Mistake
from quizzes.solver import DEFINITENESS_LABELS, classify_matrix

LABELS: dict[str, tuple[str, ...]] = {
    "positive definite": ("pd", "posdef", "positive-definite"),
    "negative definite": ("nd", "negdef"),
    "indefinite": ("not definite", "neither"),
    "positive semidefinite": ("psd", "positive semi-definite", "semidefinite positive"),
    "negative semidefinite": ("nsd", "negative semi-definite", "semidefinite negative"),
}
_RULES = {
    "positive definite": "All eigenvalues are positive: positive definite (xᵀAx > 0 for x ≠ 0).",
    "negative definite": "All eigenvalues are negative: negative definite (xᵀAx < 0 for x ≠ 0).",
    "indefinite": "Eigenvalues of both signs: indefinite (xᵀAx takes both signs).",
    "positive semidefinite": "Eigenvalues are ≥ 0 with at least one zero: positive semidefinite.",
    "negative semidefinite": "Eigenvalues are ≤ 0 with at least one zero: negative semidefinite.",
}
_MAX_TRIES = 500


def _candidate(draw: Draw, target: str, size: int) -> list[list[int]]:
    sign = -1 if target.startswith("negative") else 1
    if target.endswith("semidefinite"):
        rank = draw.integer(1, size - 1)
        vectors = [[draw.integer(-2, 2) for _ in range(size)] for _ in range(rank)]
        weights = [draw.integer(1, 2) for _ in range(rank)]
        return [
            [
                sign * sum(w * u[i] * u[j] for w, u in zip(weights, vectors, strict=True))
                for j in range(size)
            ]
            for i in range(size)
        ]
    low = 1 if target != "indefinite" else -5
    reach = 4 if size == 2 else 3
    rows = [[0] * size for _ in range(size)]
    for i in range(size):
        rows[i][i] = sign * draw.integer(low, 6)
        for j in range(i + 1, size):
            rows[i][j] = rows[j][i] = draw.integer(-reach, reach)
    return rows


def _matrix(draw: Draw, target: str, size: int) -> list[list[int]]:
    for _ in range(_MAX_TRIES):
        rows = _candidate(draw, target, size)
        if any(any(row) for row in rows) and classify_matrix(rows) == target:
            return rows
    raise RuntimeError(f"no {size}x{size} matrix of kind {target!r} found")


def _mistakes(target: str, rows: Sequence[Sequence[int]]) -> tuple[Mistake, ...]:
    """Named slips: sign flips, definite vs semidefinite, judging by the diagonal."""
    positive = "positive" if target.startswith("positive") else "negative"
    flipped = {"positive": "negative", "negative": "positive"}[positive]
    if target == "indefinite":
        diagonal = [rows[i][i] for i in range(len(rows))]
        return tuple(
            _indefinite_mistake(label, diagonal)
            for label in ("positive definite", "negative definite")
        )
    strict = target.endswith(" definite")
    other_strength = f"{positive} {'semidefinite' if strict else 'definite'}"
    strength = Mistake(
        "definite-vs-semidefinite",
        "No eigenvalue is zero (det ≠ 0), so the precise answer is definite; semidefinite "
        "means some eigenvalue is exactly zero."
        if strict
        else "det A = 0, so an eigenvalue is zero: the matrix is only semidefinite.",
        other_strength,
        hint="Is any eigenvalue exactly zero? Check det A.",
    )
    return (
        strength,
        Mistake(
            "sign-flip",
            f"The nonzero eigenvalues are {positive}, so the form xᵀAx is {positive}, "
            f"not {flipped}.",
            target.replace(positive, flipped),
            hint="Look at the signs of the eigenvalues (or try xᵀAx for a few x).",
        ),
        Mistake(
            "entries-not-eigenvalues",
            "No two eigenvalues have opposite signs, so A is not indefinite; entries of mixed "
            "sign do not decide it.",
            "indefinite",
            hint=(
                "Mixed signs among the entries do not decide it; look at the signs of the "
                "eigenvalues."
            ),
        ),
    )


def _indefinite_mistake(label: str, diagonal: Sequence[int]) -> Mistake:
    sign = 1 if label.startswith("positive") else -1
    if all(sign * d > 0 for d in diagonal):
        return Mistake(
            "diagonal-only",
            "Every diagonal entry has one sign, but the eigenvalues do not: the off-diagonal "
            "entries make A indefinite.",
            label,
            hint=(
                "The diagonal alone does not decide it: compute the eigenvalues (or the leading "
                "principal minors)."
            ),
        )
    return Mistake(
        "missed-sign",
        "A has eigenvalues of both signs, so xᵀAx is positive for some x and negative for "
        "others: indefinite.",
        label,
        hint="Check the sign of every eigenvalue of A, not just one.",
    )


@make_template(
    "definiteness",
    "Definiteness of a symmetric matrix",
    "critical-points",
    ("quadratic-form", "eigenvalues", "definiteness"),
    "M",
    1,
)
def definiteness(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    target = draw.pick(DEFINITENESS_LABELS)
    size = draw.integer(2, 3)
    rows = _matrix(draw, target, size)
    eigs = eigenvalues(rows)
    return Draft(
        prompt=(
            "Classify the symmetric matrix A: positive definite, negative definite, "
            "indefinite, positive semidefinite or negative semidefinite."
        ),
        math=matrix_block("A", rows),
        answer_kind=AnswerKind.LABEL,
        expected=target,
        answer_hint="one of the five names (pd, nd, psd, nsd also work) or its number 1-5",
        labels=LABELS,
        choices=DEFINITENESS_LABELS,
        solution=(*matrix_facts(rows, eigs, "A"), _RULES[target]),
        mistakes=_mistakes(target, rows),
        given={"matrix": tuple(tuple(row) for row in rows)},
    )


TEMPLATES = (definiteness,)
