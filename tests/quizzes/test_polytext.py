"""The fast integer-polynomial and matrix printers give sympy's text, character for character.

Compute cards show these strings (the prompt's f, the worked solution's gradient and
Hessian); a seed must keep naming the same problem, so the fast printers may never
differ from the sympy printers they replace.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from quizzes.generators._common import (
    Draw,
    definition,
    function_text,
    gradient,
    hessian,
    inline,
    matrix_block,
    poly_definition,
    poly_expr,
    poly_inline,
    poly_text,
    pretty,
)
from quizzes.generators.critical_points import matrix_facts, planted_poly, planted_polynomial
from quizzes.polytext import IntPoly, integer_det, poly_at, poly_diff

NAME_SETS = [("x",), ("x", "y"), ("x", "y", "z"), ("y", "x"), ("z", "a", "m"), ("w", "v")]


def random_poly(rng: np.random.Generator, size: int) -> IntPoly:
    poly: IntPoly = {}
    top = int(rng.choice([3, 3, 3, 12]))
    for _ in range(int(rng.integers(1, 9))):
        monomial = tuple(
            int(e) for e in rng.integers(0, top + 1, size=size) * (rng.random(size) < 0.6)
        )
        coefficient = int(rng.choice([1, -1, 2, -2, int(rng.integers(-300, 301))]))
        if coefficient:
            poly[monomial] = coefficient
    return poly


def two_terms(rng: np.random.Generator, size: int) -> IntPoly:
    """A constant and one more term: sympy's `3 - 2*x` ordering special case and its neighbours."""
    monomial = [0] * size
    for i in rng.choice(size, size=int(rng.integers(1, size + 1)), replace=False):
        monomial[int(i)] = int(rng.integers(1, 4))
    return {
        (0,) * size: int(rng.choice([-3, -1, 1, 4])),
        tuple(monomial): int(rng.choice([-5, -1, 1, 2])),
    }


def cases(count: int) -> list[tuple[tuple[str, ...], IntPoly]]:
    rng = np.random.default_rng(20261202)
    out = []
    for k in range(count):
        names = NAME_SETS[k % len(NAME_SETS)]
        make = two_terms if k % 5 == 0 else random_poly
        out.append((names, make(rng, len(names))))
    return out


def sympy_definition(lhs: str, expr: object) -> str:
    """What `definition` printed before the fast path: sympy's pretty form, verbatim."""
    return pretty(sympy.Eq(sympy.Symbol(lhs), expr, evaluate=False))


@pytest.mark.parametrize("chunk", range(4))
def test_polynomial_text_is_sympys(chunk: int) -> None:
    for names, poly in cases(600)[chunk::4]:
        expr = poly_expr(poly, [sympy.Symbol(n) for n in names])
        assert poly_text(poly, names) == str(expr), (names, poly)
        assert function_text(expr) == str(expr), (names, poly)
        assert poly_inline(poly, names) == str(expr).replace("**", "^")
        assert inline(expr) == str(expr).replace("**", "^")
        for lhs in ("f(x, y)", "g", "f1", "theta"):
            expected = sympy_definition(lhs, expr)
            assert poly_definition(lhs, poly, names) == expected, (lhs, poly)
            assert definition(lhs, expr) == expected, (lhs, poly)


def test_zero_and_single_terms_are_sympys() -> None:
    names = ("x", "y")
    polys: list[IntPoly] = [{}, {(0, 0): 5}, {(0, 0): -5}, {(1, 0): -1}, {(2, 1): 3}, {(0, 2): -7}]
    for poly in polys:
        expr = poly_expr(poly, sympy.symbols("x y"))
        assert poly_text(poly, names) == str(expr)
        assert poly_definition("f(x, y)", poly, names) == sympy_definition("f(x, y)", expr)


X, Y = sympy.symbols("x y")
OTHER_FORMS = [
    X,
    sympy.Integer(3),
    sympy.Rational(1, 2) * X**2 + Y,
    sympy.Float(0.5) * X + 1,
    2 * X * (X + Y),
    sympy.Add(X, X, evaluate=False),
    sympy.Mul(2, 3, X, evaluate=False),
    sympy.Mul(1, X, evaluate=False) + Y,
    sympy.Mul(X, 2, evaluate=False) + Y,
    sympy.Pow(X, 1, evaluate=False) + Y,
    sympy.Mul(X, X, evaluate=False) + 1,
    X**-1 + Y,
    sympy.Symbol("x", positive=True) ** 2 + X,
    sympy.Dummy("d") ** 2 + X,
    sympy.Symbol("x1") ** 2 - 3 * sympy.Symbol("x2") + 1,
    sympy.Symbol("alpha") * X + 1,
    sympy.Abs(X) + X**2,
    sympy.sin(X) + 1,
    sympy.Matrix([[1, 2], [3, 4]]),
    sympy.ImmutableMatrix([[1, 2], [3, 4]]),
    -X - Y,
    3 - 2 * X,
    3 - 2 * X * Y,
    -3 + 2 * X,
    1 - X**2,
]


@pytest.mark.parametrize("expr", OTHER_FORMS, ids=str)
def test_other_forms_print_as_sympy_does(expr: object) -> None:
    assert definition("f(x, y)", expr) == sympy_definition("f(x, y)", expr)
    if isinstance(expr, sympy.Expr):
        assert function_text(expr) == str(expr).replace("Abs(", "abs(")
        assert inline(expr) == str(expr).replace("**", "^")


def test_matrix_block_is_sympys() -> None:
    rng = np.random.default_rng(7)
    for k in range(240):
        height, width = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        reach = int(rng.choice([2, 9, 40, 400]))
        rows = [
            [int(v) for v in rng.integers(-reach, reach + 1, size=width)] for _ in range(height)
        ]
        name = ("H", "A", "M2", "f(x, y)")[k % 4]
        assert matrix_block(name, rows) == sympy_definition(name, sympy.Matrix(rows)), rows


def test_determinants_and_derivatives_are_exact() -> None:
    rng = np.random.default_rng(11)
    x, y, z = symbols = sympy.symbols("x y z")
    for _ in range(60):
        size = int(rng.integers(1, 5))
        rows = [[int(v) for v in rng.integers(-20, 21, size=size)] for _ in range(size)]
        assert integer_det(rows) == sympy.Matrix(rows).det()
        poly = random_poly(rng, 3)
        expr = poly_expr(poly, symbols)
        point = [int(v) for v in rng.integers(-3, 4, size=3)]
        for i, v in enumerate((x, y, z)):
            derivative = poly_expr(poly_diff(poly, i), symbols)
            assert sympy.expand(derivative - sympy.diff(expr, v)) == 0
            assert poly_at(poly_diff(poly, i), point) == sympy.diff(expr, v).subs(
                dict(zip(symbols, point, strict=True))
            )


def test_planted_polynomial_is_the_expanded_sum() -> None:
    """The integer build of f equals the sympy one it replaced, draw for draw."""
    names = sympy.symbols("x y z")
    for seed in range(40):
        size = 2 + seed % 2
        variables = names[:size]
        point = [seed % 3 - 1, 2 - seed % 5, 1][:size]
        rows = [
            [2 * (i + 1) if i == j else (i + j + seed) % 5 - 2 for j in range(size)]
            for i in range(size)
        ]
        reference = _sympy_planted(Draw(seed), variables, point, rows)
        assert planted_polynomial(Draw(seed), variables, point, rows) == reference
        assert poly_expr(planted_poly(Draw(seed), point, rows), variables) == reference


def _sympy_planted(
    draw: Draw, variables: tuple[sympy.Symbol, ...], point: list[int], rows: list[list[int]]
) -> sympy.Expr:
    shifts = [v - p for v, p in zip(variables, point, strict=True)]
    size = len(shifts)
    quadratic = sum(
        sympy.Rational(rows[i][j], 2) * shifts[i] * shifts[j]
        for i in range(size)
        for j in range(size)
    )
    cubic = sympy.Integer(0)
    for _ in range(draw.integer(1, 2)):
        i, j = draw.integer(0, size - 1), draw.integer(0, size - 1)
        cubic += draw.nonzero(-2, 2) * shifts[i] ** 2 * shifts[j]
    return sympy.expand(quadratic + cubic + draw.integer(-5, 5))


def test_matrix_facts_of_non_integers_still_use_sympy() -> None:
    rows = [[sympy.Rational(1, 2), 1], [1, 3]]
    assert matrix_facts(rows, [0.1, 3.4], "A")[0].startswith(
        "Leading principal minors of A: 0.5, 0.5;"
    )


def test_gradient_and_hessian_match_polys() -> None:
    """The integer-coefficient derivatives are the very expressions Poly.diff gives."""
    x, y, z = sympy.symbols("x y z")
    for names, poly in cases(120):
        expr = poly_expr(poly, [sympy.Symbol(n) for n in names])
        for variables in ((x, y), (y, x), (x, y, z), (z, x, y)):
            if not expr.free_symbols <= set(variables):
                continue
            reference = sympy.Poly(expr, *variables)
            assert gradient(expr, variables) == [reference.diff(v).as_expr() for v in variables]
            assert hessian(expr, variables) == [
                [reference.diff(a).diff(b).as_expr() for b in variables] for a in variables
            ]
    # Not in the given variables, or not integer: Poly's path, same answers.
    t = sympy.Symbol("t")
    for expr in (x**2 * t + y, sympy.Rational(1, 2) * x**2 + y, x + sympy.sin(t)):
        variables = (x, y)
        reference = sympy.Poly(expr, *variables)
        assert gradient(expr, variables) == [reference.diff(v).as_expr() for v in variables]
