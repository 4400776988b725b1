"""Classify a planted critical point of a polynomial in two or three variables.

The kind is drawn first (each of the four with equal chance) and a Hessian of that kind
is built around it, so saddles and inconclusive cases are as common as minima: a
student who always answers "minimum" should fail three times out of four.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import SupportsFloat

import sympy

from quizzes.generators._common import (
    Draft,
    Draw,
    IntPoly,
    eigenvalues,
    make_template,
    matrix_block,
    num,
    point_text,
    poly_definition,
    poly_expr,
    poly_inline,
    poly_text,
)
from quizzes.polytext import integer_det, poly_add, poly_at, poly_diff, poly_mul, poly_sum
from quizzes.problem import AnswerKind, Mistake
from quizzes.solver import CRITICAL_LABELS, classify_eigenvalues

LABELS: dict[str, tuple[str, ...]] = {
    "minimum": ("min", "local min", "local minimum", "minimum point"),
    "maximum": ("max", "local max", "local maximum", "maximum point"),
    "saddle": ("saddle point", "saddlepoint"),
    "inconclusive": ("test inconclusive", "cannot tell", "undecided", "degenerate"),
}
_RULES = {
    "minimum": "All eigenvalues are positive: H is positive definite, a local minimum.",
    "maximum": "All eigenvalues are negative: H is negative definite, a local maximum.",
    "saddle": "The eigenvalues have both signs: f curves up along some directions and down "
    "along others, a saddle point.",
    "inconclusive": "One eigenvalue is zero and the others share a sign: the second-order "
    "test is inconclusive (higher-order terms decide).",
}
_MAX_TRIES = 500


def planted_hessian(draw: Draw, target: str, size: int) -> list[list[int]]:
    """An integer symmetric Hessian whose eigenvalue signs give `target`.

    Diagonal entries are even so that f = 1/2 dᵀHd + ... has integer coefficients.
    """
    for _ in range(_MAX_TRIES):
        rows = _candidate(draw, target, size)
        nonzero = any(any(row) for row in rows)
        if nonzero and classify_eigenvalues(eigenvalues(rows)) == target:
            return rows
    raise RuntimeError(f"no {size}x{size} Hessian of kind {target!r} found")


def _candidate(draw: Draw, target: str, size: int) -> list[list[int]]:
    if target == "inconclusive":
        sign = draw.pick((1, -1))
        vectors = [[draw.integer(-2, 2) for _ in range(size)] for _ in range(size - 1)]
        return [
            [2 * sign * sum(u[i] * u[j] for u in vectors) for j in range(size)] for i in range(size)
        ]
    # Half the saddles get a one-signed diagonal, the case that fools diagonal-readers.
    tricky = target == "saddle" and draw.integer(0, 1) == 1
    sign = draw.pick((1, -1)) if tricky else 1
    low, high = (-3, 3) if target == "saddle" and not tricky else (1, 3)
    reach = 4 if size == 2 else 3
    rows = [[0] * size for _ in range(size)]
    for i in range(size):
        rows[i][i] = 2 * sign * draw.integer(low, high)
        for j in range(i + 1, size):
            rows[i][j] = rows[j][i] = draw.integer(-reach, reach)
    if target == "maximum":
        return [[-value for value in row] for row in rows]
    return rows


def planted_polynomial(
    draw: Draw, variables: Sequence[sympy.Symbol], point: Sequence[int], rows: list[list[int]]
) -> sympy.Expr:
    """f with gradient zero and Hessian `rows` at `point`, plus cubic terms that hide it."""
    return poly_expr(planted_poly(draw, point, rows), variables)


def planted_poly(draw: Draw, point: Sequence[int], rows: list[list[int]]) -> IntPoly:
    """`planted_polynomial` as integer coefficients (same draws, same polynomial).

    f = 1/2 dᵀHd + cubic + constant with d = x - point; it is built doubled so that every
    step stays in integers, then halved (H symmetric with an even diagonal makes it exact).
    """
    size = len(point)
    constant = (0,) * size
    shifts: list[IntPoly] = []
    for i, p in enumerate(point):
        shift: IntPoly = {}
        poly_add(shift, tuple(1 if k == i else 0 for k in range(size)), 1)
        poly_add(shift, constant, -p)
        shifts.append(shift)
    products = [[poly_mul(shifts[i], shifts[j]) for j in range(size)] for i in range(size)]
    doubled = poly_sum(
        {m: rows[i][j] * c for m, c in products[i][j].items()}
        for i in range(size)
        for j in range(size)
    )
    for _ in range(draw.integer(1, 2)):
        i, j = draw.integer(0, size - 1), draw.integer(0, size - 1)
        coefficient = draw.nonzero(-2, 2)
        for m, c in poly_mul(products[i][i], shifts[j]).items():
            poly_add(doubled, m, 2 * coefficient * c)
    poly_add(doubled, constant, 2 * draw.integer(-5, 5))
    if any(c % 2 for c in doubled.values()):
        raise ValueError("the planted Hessian must be symmetric with an even diagonal")
    return {m: c // 2 for m, c in doubled.items()}


def classification_mistakes(target: str, rows: Sequence[Sequence[int]]) -> tuple[Mistake, ...]:
    """The slips students make on each kind, keyed to the label they would answer."""
    diagonal = [rows[i][i] for i in range(len(rows))]
    if target in ("minimum", "maximum"):
        other = "maximum" if target == "minimum" else "minimum"
        sign = "positive" if target == "minimum" else "negative"
        return (
            Mistake(
                "sign-flip",
                f"All eigenvalues are {sign}, so f curves "
                f"{'up' if target == 'minimum' else 'down'} in every direction: "
                f"a {target}, not a {other}.",
                other,
                hint=(
                    "Look at the signs of H's eigenvalues: which way does f curve along each "
                    "eigenvector?"
                ),
            ),
            Mistake(
                "entries-not-eigenvalues",
                f"Every eigenvalue is {sign}, so this is no saddle: entries of H with mixed "
                "signs do not make one, only eigenvalues of both signs do.",
                "saddle",
                hint=(
                    "Mixed signs among the entries of H do not decide the type; look at the signs"
                    " of its eigenvalues."
                ),
            ),
        )
    if target == "saddle":
        return tuple(_saddle_mistake(label, diagonal) for label in ("minimum", "maximum"))
    nonzero_sign = "minimum" if max(diagonal) > 0 else "maximum"
    return (
        Mistake(
            "ignored-zero-eigenvalue",
            "One eigenvalue is zero, so the quadratic term is flat in that direction and the "
            "second-order test cannot decide: inconclusive.",
            nonzero_sign,
            hint=(
                "Look at every eigenvalue of H, a zero one included: what can the second-order "
                "test conclude then?"
            ),
        ),
        Mistake(
            "zero-counted-as-sign-change",
            "A zero eigenvalue is not a negative one: with the others all one sign, the "
            "second-order test is inconclusive. Its verdict is not 'saddle', though higher-order "
            "terms may still make the point one.",
            "saddle",
            hint=(
                "A zero eigenvalue is neither positive nor negative: what does the second-order "
                "test conclude when one is zero?"
            ),
        ),
    )


def _saddle_mistake(label: str, diagonal: Sequence[int]) -> Mistake:
    sign = 1 if label == "minimum" else -1
    if all(sign * d > 0 for d in diagonal):
        return Mistake(
            "diagonal-only",
            "The diagonal of H all has one sign, but the eigenvalues do not: the off-diagonal "
            "terms make this a saddle. Judge by eigenvalues (or minors), not the diagonal.",
            label,
            hint=(
                "The diagonal alone does not decide it: compute the eigenvalues of H (or its "
                "leading principal minors)."
            ),
        )
    return Mistake(
        "missed-sign",
        "H has eigenvalues of both signs, so f rises along some directions and falls along "
        "others: a saddle.",
        label,
        hint="Check the sign of every eigenvalue of H, not just one.",
    )


def matrix_facts(rows: Sequence[Sequence[int]], eigs: Sequence[float], name: str) -> list[str]:
    """Leading principal minors, trace and eigenvalues: the two routes to a classification."""
    size = len(rows)
    leading = [[row[:k] for row in rows[:k]] for k in range(1, size + 1)]
    if all(type(v) is int for row in rows for v in row):
        minors: list[SupportsFloat] = [integer_det(block) for block in leading]
    else:
        minors = [sympy.Matrix(block).det() for block in leading]
    trace = sum(rows[i][i] for i in range(size))
    return [
        f"Leading principal minors of {name}: {', '.join(num(m) for m in minors)}; "
        f"trace {num(trace)}.",
        f"Eigenvalues of {name}: {', '.join(num(e) for e in eigs)}.",
    ]


def _classify(draw: Draw, names: Sequence[str]) -> Draft:
    target = draw.pick(CRITICAL_LABELS)
    size = len(names)
    point = [draw.integer(-2, 2) for _ in range(size)]
    rows = planted_hessian(draw, target, size)
    f = planted_poly(draw, point, rows)
    grads = [poly_diff(f, i) for i in range(size)]
    exact_rows = [[poly_at(poly_diff(g, j), point) for j in range(size)] for g in grads]
    eigs = eigenvalues(exact_rows)
    where = point_text(names, point)
    solution = (
        "Gradient: "
        + ", ".join(
            f"∂f/∂{n} = {poly_inline(g, names)}" for n, g in zip(names, grads, strict=True)
        ),
        f"At {where} every partial derivative is 0, so the point is critical.",
        "Hessian (matrix of second partials) at the point:",
        matrix_block("H", exact_rows),
        *matrix_facts(exact_rows, eigs, "H"),
        _RULES[target],
    )
    return Draft(
        prompt=(
            f"The point {where} is a critical point of f (its gradient is zero there). "
            "Classify it with the second-order test: minimum, maximum, saddle, or "
            "inconclusive."
        ),
        math=poly_definition(f"f({', '.join(names)})", f, names),
        answer_kind=AnswerKind.LABEL,
        expected=target,
        answer_hint="one of: minimum, maximum, saddle, inconclusive (or its number 1-4)",
        labels=LABELS,
        choices=CRITICAL_LABELS,
        solution=solution,
        mistakes=classification_mistakes(target, exact_rows),
        function=poly_text(f, names),
        variables=tuple(names),
        point=tuple(float(p) for p in point),
        given={"hessian": tuple(tuple(row) for row in exact_rows), "eigenvalues": eigs},
    )


@make_template(
    "hessian-classify-2d",
    "Classify a critical point (2 variables)",
    "critical-points",
    ("hessian", "eigenvalues", "critical-point"),
    "M",
    1,
)
def hessian_classify_2d(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    return _classify(draw, ("x", "y"))


@make_template(
    "hessian-classify-3d",
    "Classify a critical point (3 variables)",
    "critical-points",
    ("hessian", "eigenvalues", "critical-point"),
    "H",
    1,
)
def hessian_classify_3d(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    return _classify(draw, ("x", "y", "z"))


TEMPLATES = (hessian_classify_2d, hessian_classify_3d)
