"""The arithmetic and notation that critical points and optimizer steps share.

`quizzes.solver` re-exports the optimizer steps, so `quizzes.optimizers` cannot import
the solver without a cycle; both import from here instead, and the worked lines they
print stay in one notation.

Derivatives are exact (sympy); values are computed with 30 significant digits and only
then rounded to floats, so a step such as 1 - 0.1*6 reports 0.4 rather than
0.39999999999999997 and repeated steps do not pile up rounding error. Eigenvalues come
from numpy on the evaluated (symmetric) Hessian.
"""

from __future__ import annotations

import cmath
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy

from quizzes.expressions import ExpressionError, evaluate, parse_expression

DIGITS = 30
KINK_TOL = 1e-14
SIDE_TOL = 1e-12
"""How closely the pieces meeting at a kink must agree for f to be smooth there."""
MAX_SIDES = 64

Vector = tuple[float, ...]
Matrix = tuple[tuple[float, ...], ...]
Values = tuple[sympy.Float, ...]


class SolverError(ValueError):
    """The question has no answer as asked; `str(exc)` explains why, for the user."""


def classify_matrix(matrix: Sequence[Sequence[float]], tol: float = 1e-9) -> str:
    """Definiteness of the quadratic form vᵀMv, judged on the symmetric part of M.

    The zero matrix counts as positive semidefinite (vᵀMv = 0 ≥ 0 for all v), which
    is the convention most textbooks use.
    """
    array = square_array(matrix)
    signs = sign_set(np.linalg.eigvalsh((array + array.T) / 2).tolist(), tol)
    if signs == {1}:
        return "positive definite"
    if signs == {-1}:
        return "negative definite"
    if {1, -1} <= signs:
        return "indefinite"
    return "negative semidefinite" if -1 in signs else "positive semidefinite"


@dataclass(frozen=True)
class Kink:
    """A piece of f that can bend: abs, max or min, as typed, with its branches as
    (the value compared, the expression f takes where that branch is largest)."""

    piece: sympy.Expr
    shown: str
    branches: tuple[tuple[sympy.Expr, sympy.Expr], ...]


@dataclass(frozen=True)
class Function:
    """f with its variables (alphabetical) and exact derivatives, evaluated on demand."""

    expr: sympy.Expr
    variables: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]
    gradient: tuple[sympy.Expr, ...]

    @classmethod
    def of(cls, function: str | sympy.Expr, at: Mapping[str, float]) -> Function:
        """Variables are those of f plus any extra names in `at` (with ∂f = 0), so a term
        that cancelled, as in x^2 + 0*y^2, does not silently drop a coordinate."""
        parsed = parse_expression(function) if isinstance(function, str) else function
        # Real symbols: the reals are what students mean, and only then can sympy
        # differentiate abs, max and min (as sign, Heaviside and DiracDelta).
        real = {s: sympy.Symbol(str(s), real=True) for s in parsed.free_symbols}
        expr = parsed.xreplace(real)
        own = {str(s): s for s in expr.free_symbols}
        missing = sorted(set(own) - set(at))
        if missing:
            raise SolverError(
                f"no value given for {', '.join(missing)}: give every variable of f, "
                f"like {','.join(f'{n}=1' for n in sorted(own))}"
            )
        variables = tuple(sorted(set(own) | set(at)))
        symbols = tuple(own.get(name, sympy.Symbol(name, real=True)) for name in variables)
        gradient = tuple(sympy.diff(expr, s) for s in symbols)
        return cls(expr, variables, symbols, gradient)

    @cached_property
    def hessian(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return tuple(tuple(sympy.diff(g, s) for s in self.symbols) for g in self.gradient)

    def start(self, at: Mapping[str, float]) -> Values:
        for name in self.variables:
            if not math.isfinite(at[name]):
                raise SolverError(f"{name} = {at[name]} is not a finite number")
        return tuple(high_precision(at[name]) for name in self.variables)

    def named(self, theta: Values) -> str:
        pairs = (f"{n}={show_num(float(v))}" for n, v in zip(self.variables, theta, strict=True))
        return f"({', '.join(pairs)})"

    def header(self) -> list[str]:
        return [
            f"f({', '.join(self.variables)}) = {show_expr(self.expr)}",
            f"∇f = {show_tuple_of(self.gradient)}",
        ]

    def value(self, expr: sympy.Expr, theta: Values) -> sympy.Float:
        """30 digits, after a double-precision look that refuses values too large for
        `evalf` to handle quickly (it raises its precision without limit)."""
        point = {str(s): complex(v) for s, v in zip(self.symbols, theta, strict=True)}
        try:
            rough = evaluate(expr, point)
        except ExpressionError:
            rough = complex("nan")
        number = expr.xreplace(dict(zip(self.symbols, theta, strict=True)))
        if cmath.isfinite(rough) and abs(rough.imag) <= 1e-12 * max(1.0, abs(rough.real)):
            number = number.evalf(DIGITS)
        if not (number.is_Number and number.is_finite and number.is_extended_real):
            raise SolverError(f"{show_expr(expr)} has no finite real value at {self.named(theta)}")
        return number

    @cached_property
    def kinks(self) -> tuple[Kink, ...]:
        """The pieces where f can bend, each as the branches of a max: abs(u) =
        max(u, -u) and min(a, b) = -max(-a, -b). A kink is where the largest branches
        tie; there f equals one of the tied pieces on each side."""
        pieces: list[Kink] = []
        for piece in sympy.preorder_traversal(self.expr):
            if isinstance(piece, sympy.Abs):
                u = piece.args[0]
                pieces.append(Kink(piece, show_expr(piece), ((u, u), (-u, -u))))
            elif isinstance(piece, sympy.Max):
                pieces.append(Kink(piece, show_expr(piece), tuple((a, a) for a in piece.args)))
            elif isinstance(piece, sympy.Min):
                pieces.append(Kink(piece, show_expr(piece), tuple((-a, a) for a in piece.args)))
        return tuple(pieces)

    def _sides(self, theta: Values) -> tuple[tuple[str, ...], list[sympy.Expr]] | None:
        """On a kink: the kinks f sits on, and f with each of them replaced by each
        branch that is largest there (every smooth piece f is made of near the point).
        None off every kink.

        Two branches tie when they agree to within 1e-14 of the size of the point and
        of the branches, so x=3.141592653589793 on abs(sin(x)) counts as on the kink
        at π it was meant to be on.
        """
        near = KINK_TOL * max(1.0, *(abs(float(v)) for v in theta))
        on: list[tuple[Kink, list[sympy.Expr]]] = []
        for kink in self.kinks:
            values = [(float(self.value(test, theta)), piece) for test, piece in kink.branches]
            top = max(value for value, _ in values)
            tied = [piece for value, piece in values if top - value <= near * max(1.0, abs(top))]
            if len(tied) > 1:
                on.append((kink, tied))
        if not on:
            return None
        combinations = itertools.islice(itertools.product(*(tied for _, tied in on)), MAX_SIDES)
        sides = [
            self.expr.xreplace(
                {kink.piece: branch for (kink, _), branch in zip(on, choice, strict=True)}
            )
            for choice in combinations
        ]
        return tuple(kink.shown for kink, _ in on), sides

    def _agree(self, rows: list[Values]) -> bool:
        scale = max(1.0, *(abs(float(v)) for row in rows for v in row))
        return all(
            abs(float(a) - float(b)) <= SIDE_TOL * scale
            for row in rows[1:]
            for a, b in zip(rows[0], row, strict=True)
        )

    def gradient_values(self, theta: Values) -> Values:
        """∇f at theta. On a kink (sympy would differentiate abs as sign, with sign(0) =
        0, a confident wrong answer) f has a gradient only if every piece meeting there
        has the same one: x·|x| does at 0, |x| does not."""
        found = self._sides(theta)
        if found is None:
            return tuple(self.value(g, theta) for g in self.gradient)
        shown, sides = found
        slopes = [
            tuple(self.value(sympy.diff(side, s), theta) for s in self.symbols) for side in sides
        ]
        if not self._agree(slopes):
            raise SolverError(
                f"f is not differentiable at {self.named(theta)} ({' and '.join(shown)} "
                f"{'has a kink' if len(shown) == 1 else 'have kinks'} there); pick another point"
            )
        return slopes[0]

    def gradient_at(self, theta: Values) -> Vector:
        return to_floats(self.gradient_values(theta))

    def hessian_values(self, theta: Values) -> tuple[Values, ...]:
        """The Hessian at theta; on a kink only if the pieces meeting there agree in
        their first and second derivatives (max(x, 0)^3 does at 0, x·|x| does not)."""
        found = self._sides(theta)
        if found is None:
            return tuple(tuple(self.value(h, theta) for h in row) for row in self.hessian)
        self.gradient_values(theta)  # refuses a kink where f has no gradient
        shown, sides = found
        matrices = [
            tuple(
                self.value(sympy.diff(side, a, b), theta)
                for a in self.symbols
                for b in self.symbols
            )
            for side in sides
        ]
        if not self._agree(matrices):
            raise SolverError(
                f"f has no Hessian at {self.named(theta)}: it is differentiable there, but "
                f"its second derivatives jump across the kink of {' and '.join(shown)}, and the "
                "second-order test needs them; pick another point"
            )
        n = len(self.symbols)
        first = matrices[0]
        return tuple(first[i * n : (i + 1) * n] for i in range(n))

    def hessian_at(self, theta: Values) -> Matrix:
        return tuple(to_floats(row) for row in self.hessian_values(theta))


def high_precision(value: float) -> sympy.Float:
    """The decimal a user typed (0.1 means one tenth), carried at 30 digits."""
    exact = Fraction(repr(float(value)))
    return sympy.Float(sympy.Rational(exact.numerator, exact.denominator), DIGITS)


def to_floats(values: Sequence[sympy.Expr]) -> Vector:
    return tuple(float(v) + 0.0 for v in values)


def finite_floats(values: Sequence[sympy.Expr], what: str, hint: str) -> Vector:
    """Floats for output, refusing a value past a double's range (about 1e308), which
    would print as inf and break JSON; `what` names it (like "the gradient at θ₀")."""
    floats = to_floats(values)
    if not all(map(math.isfinite, floats)):
        raise SolverError(f"{what} overflows: a component exceeds 1e308 in size; {hint}")
    return floats


def square_array(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    array = np.array(matrix, dtype=float) if matrix else np.zeros((0, 0))
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.size == 0:
        raise SolverError("expected a non-empty square matrix")
    if not np.isfinite(array).all():
        raise SolverError("the matrix has entries that are not finite numbers")
    return array


def sign_set(eigenvalues: Sequence[float], tol: float) -> set[int]:
    scale = tol * max(1.0, *(abs(v) for v in eigenvalues))
    return {0 if abs(v) <= scale else (1 if v > 0 else -1) for v in eigenvalues}


def eigenvalues_of(hessian: Matrix) -> Vector:
    """Ascending, rounded to 12 significant digits so 3.0000000000000004 shows as 3."""
    values = np.linalg.eigvalsh(square_array(hessian))
    return tuple(float(f"{v:.12g}") + 0.0 for v in values)


def show_num(value: float) -> str:
    return f"{value + 0.0:.6g}"


def show_numbers(values: Sequence[float | sympy.Expr]) -> str:
    return ", ".join(show_num(float(v)) for v in values)


def show_vector(values: Sequence[float | sympy.Expr]) -> str:
    return f"({show_numbers(values)})"


def show_matrix(rows: Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(show_num(v) for v in row) + "]" for row in rows) + "]"


def show_expr(expr: sympy.Expr) -> str:
    text = str(sympy.sstr(expr)).replace("**", "^")
    return text.replace("Abs(", "abs(").replace("Max(", "max(").replace("Min(", "min(")


def show_tuple_of(exprs: Sequence[sympy.Expr]) -> str:
    return f"({', '.join(show_expr(e) for e in exprs)})"


def show_matrix_of(rows: Sequence[Sequence[sympy.Expr]]) -> str:
    return "[" + ", ".join("[" + ", ".join(show_expr(e) for e in row) + "]" for row in rows) + "]"
