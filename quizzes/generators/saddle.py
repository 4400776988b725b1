"""Escape a saddle point along an eigenvector of a negative Hessian eigenvalue.

The Hessian is built from an integer eigenvector pair v = (p, q), w = (-q, p), so the
eigenvalues are integers and the eigenvector is found by hand from (H - λI)u = 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
    Draft,
    Draw,
    definition,
    function_text,
    integer_hessian,
    make_template,
    matrix_block,
    num,
    point_text,
    symbols,
    vec,
)
from quizzes.problem import AnswerKind, Mistake

EIGENVECTORS: tuple[tuple[int, int], ...] = (
    (1, 0),
    (1, 1),
    (1, -1),
    (1, 2),
    (2, 1),
    (1, -2),
    (2, -1),
    (1, 3),
    (3, 1),
    (1, -3),
    (3, -1),
)


def eigen_quadratic(
    shifts: Sequence[sympy.Expr], v: tuple[int, int], k_v: int, k_w: int
) -> sympy.Expr:
    """k_v (v·d)² + k_w (w·d)² with w ⟂ v: Hessian eigenvalues 2 k |v|² along v and w."""
    p, q = v
    along_v = p * shifts[0] + q * shifts[1]
    along_w = -q * shifts[0] + p * shifts[1]
    return k_v * along_v**2 + k_w * along_w**2


def _mistakes(other: tuple[float, ...], rows: Sequence[Sequence[int]]) -> tuple[Mistake, ...]:
    mistakes = [
        Mistake(
            "positive-eigenvector",
            "Along that eigenvector the eigenvalue is positive, so f rises: escape along the "
            "eigenvector whose eigenvalue is negative.",
            other,
        )
    ]
    for axis, row in enumerate(rows):
        if row[axis] < 0:
            unit = tuple(1.0 if i == axis else 0.0 for i in range(len(rows)))
            mistakes.append(
                Mistake(
                    "axis-not-eigenvector",
                    "That axis has negative curvature (a negative diagonal entry of H) but is "
                    "not an eigenvector of H; solve (H - λI)u = 0 for the negative λ.",
                    unit,
                )
            )
    return tuple(mistakes)


@dataclass(frozen=True)
class _Saddle:
    """A planted saddle: f, the point, and the eigenpairs the Hessian was built from."""

    f: sympy.Expr
    point: list[int]
    escape: tuple[int, ...]
    climb: tuple[int, ...]
    eig_neg: int
    eig_pos: int


def _plant(draw: Draw, variables: Sequence[sympy.Symbol]) -> _Saddle:
    """Eigenvalues 2k|v|² of both signs on v ⟂ w, a positive extra axis in 3D, cubic noise."""
    point = [draw.integer(-2, 2) for _ in variables]
    shifts = [v - p for v, p in zip(variables, point, strict=True)]
    v = draw.pick(EIGENVECTORS)
    k_neg, k_pos = -draw.integer(1, 3), draw.integer(1, 3)
    negative_on_v = bool(draw.integer(0, 1))
    k_v, k_w = (k_neg, k_pos) if negative_on_v else (k_pos, k_neg)
    quadratic = eigen_quadratic(shifts, v, k_v, k_w)
    if len(variables) == 3:
        quadratic += draw.integer(1, 3) * shifts[2] ** 2
    cubic = draw.nonzero(-2, 2) * shifts[draw.integer(0, 1)] ** 3
    f = sympy.expand(quadratic + cubic + draw.integer(-5, 5))
    pad = (0,) * (len(variables) - 2)
    along_v, along_w = (*v, *pad), (-v[1], v[0], *pad)
    norm2 = v[0] ** 2 + v[1] ** 2
    escape, climb = (along_v, along_w) if negative_on_v else (along_w, along_v)
    return _Saddle(f, point, escape, climb, 2 * k_neg * norm2, 2 * k_pos * norm2)


@make_template(
    "saddle-escape",
    "Escape direction at a saddle",
    "critical-points",
    ("saddle", "eigenvectors", "hessian"),
    "H",
    1,
)
def saddle_escape(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    names = ("x", "y") if draw.integer(0, 2) else ("x", "y", "z")
    variables = symbols(names)
    saddle = _plant(draw, variables)
    rows = integer_hessian(saddle.f, variables, saddle.point)
    where = point_text(names, saddle.point)
    neg, escape = num(saddle.eig_neg), saddle.escape
    solution = (
        f"The gradient vanishes at {where}; the Hessian there is",
        matrix_block("H", rows),
        f"Its eigenvalues include {neg} < 0 and {num(saddle.eig_pos)} > 0: a saddle.",
        f"Solve (H - ({neg})I)u = 0: u = {vec(escape)} (any nonzero multiple).",
        f"Check: H·u = {vec(_times(rows, escape))} = {neg}·u.",
        f"Second order: f(p + t·u) ≈ f(p) + ½·({neg})·t²·|u|² < f(p), so f decreases "
        "along ±u and descent can leave the saddle.",
    )
    return Draft(
        prompt=(
            f"The point {where} is a saddle point of f. Give a direction u that escapes it: "
            "an eigenvector of the Hessian at that point whose eigenvalue is negative. Any "
            "nonzero multiple (either sign) is accepted."
        ),
        math=definition(f"f({', '.join(names)})", saddle.f),
        answer_kind=AnswerKind.DIRECTION,
        expected=tuple(float(c) for c in escape),
        answer_hint=(
            f"a nonzero vector of {len(names)} numbers, like {vec((1, -2, 0)[: len(names)])}; "
            "scale does not matter"
        ),
        tolerance=(1e-4, 0.0),
        solution=solution,
        mistakes=_mistakes(tuple(float(c) for c in saddle.climb), rows),
        function=function_text(saddle.f),
        variables=names,
        point=tuple(float(p) for p in saddle.point),
        given={"hessian": tuple(tuple(row) for row in rows)},
    )


def _times(rows: Sequence[Sequence[int]], u: Sequence[int]) -> tuple[int, ...]:
    return tuple(sum(a * b for a, b in zip(row, u, strict=True)) for row in rows)


TEMPLATES = (saddle_escape,)
