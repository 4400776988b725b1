"""What every generator shares: seeded integer draws, problem assembly and math display.

Reproducibility rule: a generator reads randomness only through `Draw`, which exposes
integer draws from PCG64. Floats are never drawn; decimals come from fixed lists
(learning rates, betas) and arithmetic is exact (sympy Rationals) until the final answer,
so the same seed gives the same problem on every machine.

Separation rule: every named mistake (and every alternative convention a template lists
as one) must miss the expected answer by more than `SEPARATION` times the tolerance, or a
student could be told "correct" for the wrong method. A draw that breaks it is drawn
again from a stream derived from the same seed (`Draw(seed, attempt)`), so the seed still
names exactly one problem.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import SupportsFloat, TypeVar

import numpy as np
import sympy

from quizzes import polytext, registry
from quizzes.checking import answers_match, unseparated
from quizzes.problem import AnswerKind, Mistake, Problem, Template
from quizzes.render import format_number, math_text

T = TypeVar("T")

# Tolerances: EXACT for answers that are short decimals when worked by hand, ROUNDED for
# answers that need a calculator (logs, square roots, exponentials).
EXACT = (1e-6, 1e-9)
ROUNDED = (1e-3, 1e-4)
EXACT_NOTE = "exact value (a short decimal or a fraction such as 1/3)"
MAX_REDRAWS = 64
EXACTLY = (1e-12, 1e-12)
"""How close a slip's result must be to the answer to count as the answer itself."""
ROUNDED_NOTE = "at least 4 significant digits"


class Draw:
    """Integer draws from `numpy.random.Generator(PCG64(seed))`, the only randomness allowed."""

    def __init__(self, seed: int, attempt: int = 0) -> None:
        entropy: int | list[int] = seed if attempt == 0 else [seed, attempt]
        self._rng = np.random.Generator(np.random.PCG64(entropy))

    def integer(self, low: int, high: int) -> int:
        """A whole number in [low, high], both ends included."""
        return int(self._rng.integers(low, high + 1))

    def nonzero(self, low: int, high: int) -> int:
        return self.pick([value for value in range(low, high + 1) if value != 0])

    def pick(self, options: Sequence[T]) -> T:
        return options[self.integer(0, len(options) - 1)]

    def shuffled(self, options: Sequence[T]) -> list[T]:
        return [options[int(i)] for i in self._rng.permutation(len(options))]


@dataclass(frozen=True)
class Draft:
    """A problem minus its identity (template, version, seed, title), as a body returns it."""

    prompt: str
    answer_kind: AnswerKind
    expected: object
    answer_hint: str
    solution: tuple[str, ...]
    mistakes: tuple[Mistake, ...]
    tolerance: tuple[float, float] = EXACT
    math: str = ""
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    function: str | None = None
    variables: tuple[str, ...] = ()
    point: tuple[float, ...] | None = None
    path: tuple[tuple[float, ...], ...] = ()
    choices: tuple[str, ...] = ()
    given: Mapping[str, object] = field(default_factory=dict)


Body = Callable[[Draw, Mapping[str, str | int]], Draft]


def make_template(
    name: str, title: str, topic: str, tags: tuple[str, ...], difficulty: str, version: int
) -> Callable[[Body], Template]:
    """Decorator turning a body into a Template whose params come from the registry catalog."""

    def wrap(body: Body) -> Template:
        def build(seed: int, params: Mapping[str, str | int]) -> Problem:
            for attempt in range(MAX_REDRAWS):
                draft = body(Draw(seed, attempt), params)
                problem = _assemble(draft, name=name, version=version, seed=seed, title=title)
                if not unseparated(problem):
                    return problem
            raise RuntimeError(
                f"{name}: no draw for seed {seed} keeps its mistakes apart from the answer "
                f"in {MAX_REDRAWS} tries; the template's parameters are degenerate"
            )

        return Template(
            name=name,
            title=title,
            topic=topic,
            tags=tags,
            difficulty=difficulty,
            version=version,
            build=build,
            params=registry.params_of(name),
        )

    return wrap


def _assemble(draft: Draft, *, name: str, version: int, seed: int, title: str) -> Problem:
    """The Problem of a draft, without the slips this draw makes harmless.

    A slip whose result is exactly the right answer (a factor of 2 on a term that is
    zero here, a square where the graph has none) is not a mistake in this problem and
    is left out. One merely close to the answer stays, and `build` redraws.
    """
    rel_tol, abs_tol = draft.tolerance
    problem = Problem(
        template=name,
        version=version,
        seed=seed,
        title=title,
        prompt=draft.prompt,
        math=draft.math,
        answer_kind=draft.answer_kind,
        expected=draft.expected,
        answer_hint=draft.answer_hint,
        labels=draft.labels,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        solution=tuple(math_text(line) for line in draft.solution),
        mistakes=(),
        function=draft.function,
        variables=draft.variables,
        point=draft.point,
        path=draft.path,
        choices=draft.choices,
        given=draft.given,
    )
    exact = replace(problem, rel_tol=EXACTLY[0], abs_tol=EXACTLY[1])
    kept = tuple(m for m in draft.mistakes if not answers_match(exact, m.value, draft.expected))
    return replace(problem, mistakes=kept)


# --- exact numbers -------------------------------------------------------------------------


def rational(text: str | int) -> sympy.Rational:
    """An exact number from a decimal literal such as "0.05"."""
    return sympy.Rational(text)


def floats(values: Iterable[SupportsFloat]) -> tuple[float, ...]:
    return tuple(float(value) for value in values)


def num(value: SupportsFloat) -> str:
    """A number for a worked-solution line: exact when short, else 6 significant digits."""
    return format_number(float(value), 6)


def vec(values: Iterable[SupportsFloat]) -> str:
    return "(" + ", ".join(num(v) for v in values) + ")"


def point_text(variables: Sequence[str], values: Sequence[SupportsFloat]) -> str:
    """ "(x, y) = (1, -2)", the way prompts name a point."""
    return f"({', '.join(variables)}) = {vec(values)}"


def vector_hint(size: int, note: str) -> str:
    return f"a vector of {size} numbers, like (1.5, -2{', 0' * (size - 2)}); {note}"


def number_hint(note: str) -> str:
    return f"a number, like -0.75; {note}"


# --- symbolic helpers ----------------------------------------------------------------------


def symbols(names: Sequence[str]) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(name) for name in names)


_PRETTY = threading.Lock()


def pretty(expr: object) -> str:
    """Unicode pretty print, unwrapped: the terminal or TUI decides how to scroll.

    sympy switches a process-wide unicode flag on and off around each call, so two
    threads printing at once (the app draws the next problem ahead) could get `*`
    for `⋅`; the lock keeps the same seed giving the same text.
    """
    with _PRETTY:
        return str(sympy.pretty(expr, use_unicode=True, wrap_line=False))


def definition(lhs: str, expr: object) -> str:
    """A pretty-printed `lhs = expr` block (works for matrices and multi-line fractions).

    An integer polynomial is laid out by `quizzes.polytext`, which gives sympy's text.
    """
    found = integer_polynomial(expr)
    if found is not None:
        poly, names = found
        return polytext.pretty_poly_definition(
            _symbol_text(lhs), poly, names, lambda: _sympy_definition(lhs, expr)
        )
    return _sympy_definition(lhs, expr)


def _sympy_definition(lhs: str, expr: object) -> str:
    return pretty(sympy.Eq(sympy.Symbol(lhs), expr, evaluate=False))


def inline(expr: object) -> str:
    """One-line text for an expression inside a sentence, in the form students type."""
    return _str(expr).replace("**", "^")


def function_text(expr: object) -> str:
    """The expression as text that `quizzes.expressions.parse_expression` accepts.

    sympy prints |x| as Abs(x); the parser knows it as abs.
    """
    return _str(expr).replace("Abs(", "abs(")


def _str(expr: object) -> str:
    """`str(expr)`, without sympy's printer for an integer polynomial."""
    found = integer_polynomial(expr)
    if found is not None:
        return polytext.poly_str(*found, lambda: str(expr))
    return str(expr)


def integer_polynomial(expr: object) -> tuple[IntPoly, tuple[str, ...]] | None:
    """(coefficients, variable names) of an expanded polynomial with integer coefficients.

    The names are sorted, which is the order sympy prints such symbols in.

    Only sympy's canonical forms are read: a sum of terms, each an optional integer
    coefficient other than 1 first and then distinct symbols or their positive integer
    powers. Anything else (fractions, floats, functions, unevaluated sums or products
    sympy would print as written) gives None, and the caller uses sympy's printers.
    """
    found = _integer_polynomial(expr)
    if found is None:
        return None
    poly, variables = found
    return poly, tuple(v.name for v in variables)


def _integer_polynomial(expr: object) -> tuple[IntPoly, tuple[sympy.Symbol, ...]] | None:
    """`integer_polynomial` with the symbols themselves, sorted by name."""
    if not isinstance(expr, sympy.Expr) or not (expr.is_Add or expr.is_Mul or expr.is_Pow):
        return None
    terms: list[tuple[int, dict[str, int]]] = []
    seen: dict[str, sympy.Symbol] = {}
    for term in expr.args if expr.is_Add else (expr,):
        coefficient = 1
        powers: dict[str, int] = {}
        for k, factor in enumerate(term.args if term.is_Mul else (term,)):
            base, power = (factor.base, factor.exp) if factor.is_Pow else (factor, sympy.S.One)
            if type(base) is sympy.Symbol:
                if base.name in powers or seen.setdefault(base.name, base) != base:
                    return None  # a repeated factor, or two symbols of one name
                if factor.is_Pow and not (power.is_Integer and power > 1):
                    return None
                powers[base.name] = int(power)
            elif not factor.is_Integer or factor == 0:
                return None
            elif (term.is_Mul and k == 0 and factor != 1) or (not term.is_Mul and expr.is_Add):
                coefficient = int(factor)  # a leading coefficient, or a constant term
            else:
                return None
        terms.append((coefficient, powers))
    names = sorted(seen)
    poly: IntPoly = {}
    for coefficient, powers in terms:
        monomial = tuple(powers.get(name, 0) for name in names)
        if monomial in poly:
            return None
        poly[monomial] = coefficient
    return poly, tuple(seen[name] for name in names)


def _integer_polynomial_in(expr: object, variables: Sequence[sympy.Symbol]) -> IntPoly | None:
    """The integer coefficients of `expr` with exponents in `variables` order, if it is an
    integer polynomial in (some of) those plain symbols; else None."""
    found = _integer_polynomial(expr)
    if found is None or not all(type(v) is sympy.Symbol for v in variables):
        return None
    poly, present = found
    index = {v: i for i, v in enumerate(variables)}
    if len(index) != len(variables) or any(v not in index for v in present):
        return None
    places = [index[v] for v in present]
    spread: IntPoly = {}
    for monomial, coefficient in poly.items():
        exponents = [0] * len(variables)
        for place, power in zip(places, monomial, strict=True):
            exponents[place] = power
        spread[tuple(exponents)] = coefficient
    return spread


def gradient(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> list[sympy.Expr]:
    """Partial derivatives of a polynomial (via Poly: ten times faster than sympy.diff;
    an integer polynomial is differentiated on its integer coefficients, faster still)."""
    ints = _integer_polynomial_in(expr, variables)
    if ints is not None:
        return [poly_expr(polytext.poly_diff(ints, i), variables) for i in range(len(variables))]
    poly = sympy.Poly(expr, *variables)
    return [poly.diff(v).as_expr() for v in variables]


def hessian(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> list[list[sympy.Expr]]:
    ints = _integer_polynomial_in(expr, variables)
    if ints is not None:
        size = len(variables)
        firsts = [polytext.poly_diff(ints, a) for a in range(size)]
        return [
            [poly_expr(polytext.poly_diff(first, b), variables) for b in range(size)]
            for first in firsts
        ]
    poly = sympy.Poly(expr, *variables)
    return [[poly.diff(a).diff(b).as_expr() for b in variables] for a in variables]


def at(
    exprs: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol], values: Sequence[object]
) -> list[sympy.Expr]:
    """Exact values of `exprs` at the point `values`."""
    subs = {
        v: sympy.Integer(x) if isinstance(x, int) else x
        for v, x in zip(variables, values, strict=True)
    }
    return [e.xreplace(subs) for e in exprs]


def integer_hessian(
    expr: sympy.Expr, variables: Sequence[sympy.Symbol], point: Sequence[int]
) -> list[list[int]]:
    """The Hessian at an integer point of an integer polynomial (so its entries are ints)."""
    return [[int(entry) for entry in at(row, variables, point)] for row in hessian(expr, variables)]


def matrix_block(name: str, rows: Sequence[Sequence[object]]) -> str:
    """`definition(name, Matrix(rows))`; a matrix of Python ints skips sympy's printer."""
    ints = [[int(v) if isinstance(v, sympy.Integer) else v for v in row] for row in rows]
    return polytext.pretty_matrix_definition(
        _symbol_text(name), ints, lambda: _sympy_definition(name, sympy.Matrix(rows))
    )


@lru_cache(maxsize=64)
def _symbol_text(name: str) -> str:
    """How `pretty` shows Symbol(name) (digits become subscripts, Greek names letters)."""
    return pretty(sympy.Symbol(name))


# --- integer polynomials, without sympy (same text, a fraction of the time) ---------------


IntPoly = polytext.IntPoly


def poly_expr(poly: Mapping[tuple[int, ...], int], variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """The sympy expression of an integer polynomial (exponents in `variables` order)."""
    return sympy.Add(
        *(
            sympy.Integer(c) * sympy.Mul(*(v**e for v, e in zip(variables, m, strict=True)))
            for m, c in poly.items()
        )
    )


def poly_definition(lhs: str, poly: IntPoly, names: Sequence[str]) -> str:
    """`definition(lhs, expr)` of an integer polynomial in the variables `names`."""
    return polytext.pretty_poly_definition(
        _symbol_text(lhs),
        poly,
        names,
        lambda: _sympy_definition(lhs, poly_expr(poly, symbols(names))),
    )


def poly_text(poly: IntPoly, names: Sequence[str]) -> str:
    """`str(expr)` of an integer polynomial: `function_text` of it (no Abs can occur)."""
    return polytext.poly_str(poly, names, lambda: str(poly_expr(poly, symbols(names))))


def poly_inline(poly: IntPoly, names: Sequence[str]) -> str:
    """`inline(expr)` of an integer polynomial."""
    return poly_text(poly, names).replace("**", "^")


def eigenvalues(rows: Sequence[Sequence[SupportsFloat]]) -> tuple[float, ...]:
    """Eigenvalues of a symmetric matrix, ascending, with float noise around zero removed."""
    values = np.linalg.eigvalsh(np.array([[float(x) for x in row] for row in rows]))
    scale = max(1.0, float(np.max(np.abs(values))))
    return tuple(0.0 if abs(v) < 1e-12 * scale else float(v) for v in values)


def random_quadratic(draw: Draw, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """a x² + b xy + c y² + d x + e y with small integers, convex in most draws."""
    x, y = variables
    a, c = draw.integer(1, 3), draw.integer(1, 3)
    b = draw.integer(-2, 2)
    d, e = draw.integer(-4, 4), draw.integer(-4, 4)
    return a * x**2 + b * x * y + c * y**2 + d * x + e * y


# --- tolerance for answers far below 1 -------------------------------------------------------

ROUNDED_RELATIVE = (1e-3, 1e-12)
"""ROUNDED without its absolute floor, for answers small by nature (a weight variance of
0.001, a standard error of 0.02): ROUNDED's abs_tol of 1e-4 would accept 0.0009 for
0.00098 and leave a slip off by 5e-4 unseparated, while an answer rounded to 4
significant digits still passes this relative tolerance."""
