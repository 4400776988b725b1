"""Integer polynomials and integer matrices, printed exactly as sympy prints them, fast.

A compute card that plants a polynomial spent most of its time in sympy's printers
(ordering the terms of an `Add`, laying out 2-D powers): a warm `hessian-classify-3d`
took about 13 ms, nearly all of it printing. These printers build the very same text
from plain integers: `str(expr)`, `sympy.pretty(Eq(Symbol(lhs), expr))` for a
polynomial with integer coefficients in single-letter variables, and the pretty form
of an integer matrix. `tests/quizzes/test_polytext.py` compares them with sympy on
thousands of random polynomials and matrices. Anything outside the cases they cover (a
single term, a multi-line left-hand side, a matrix with one row or column, names other
than single letters) goes to sympy itself, so the text never depends on the path.

This module imports neither sympy nor numpy: the caller passes the pretty form of the
left-hand side and the sympy fallbacks (`quizzes.generators._common` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

Monomial = tuple[int, ...]
"""Exponents, one per variable, in the order of the variable names given with it."""
IntPoly = dict[Monomial, int]
"""Coefficient of each monomial; zero coefficients are never stored."""

_DOT = "⋅"


def poly_add(target: IntPoly, monomial: Monomial, coefficient: int) -> None:
    """target += coefficient * monomial, dropping a coefficient that cancels to zero."""
    total = target.get(monomial, 0) + coefficient
    if total:
        target[monomial] = total
    else:
        target.pop(monomial, None)


def poly_mul(a: Mapping[Monomial, int], b: Mapping[Monomial, int]) -> IntPoly:
    product: IntPoly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            poly_add(product, tuple(x + y for x, y in zip(ma, mb, strict=True)), ca * cb)
    return product


def poly_sum(polys: Iterable[Mapping[Monomial, int]]) -> IntPoly:
    total: IntPoly = {}
    for poly in polys:
        for monomial, coefficient in poly.items():
            poly_add(total, monomial, coefficient)
    return total


def poly_diff(poly: Mapping[Monomial, int], index: int) -> IntPoly:
    """The partial derivative along variable number `index`."""
    result: IntPoly = {}
    for monomial, coefficient in poly.items():
        power = monomial[index]
        if power:
            lowered = (*monomial[:index], power - 1, *monomial[index + 1 :])
            poly_add(result, lowered, coefficient * power)
    return result


def poly_at(poly: Mapping[Monomial, int], point: Sequence[int]) -> int:
    """The value at an integer point (exact)."""
    total = 0
    for monomial, coefficient in poly.items():
        term = coefficient
        for value, power in zip(point, monomial, strict=True):
            term *= value**power
        total += term
    return total


def integer_det(rows: Sequence[Sequence[int]]) -> int:
    """Exact determinant of a small integer matrix (cofactor expansion; sizes up to 4)."""
    size = len(rows)
    if size == 0:
        return 1
    if size == 1:
        return rows[0][0]
    if size == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    total = 0
    for j in range(size):
        if rows[0][j]:
            minor = [[*row[:j], *row[j + 1 :]] for row in rows[1:]]
            total += (-1) ** j * rows[0][j] * integer_det(minor)
    return total


# --- the order sympy prints the terms of a sum in ----------------------------------------


def _simple(names: Sequence[str]) -> bool:
    """Single ASCII letters, distinct: sympy sorts such symbols by name and prints them bare."""
    return len(set(names)) == len(names) > 0 and all(
        len(n) == 1 and n.isascii() and n.isalpha() for n in names
    )


def ordered_terms(poly: Mapping[Monomial, int], names: Sequence[str]) -> list[Monomial]:
    """Monomials in the order `Expr.as_ordered_terms()` gives: lex, variables sorted by name.

    One exception, as in sympy: a positive constant plus a negative multiple of a single
    power (`3 - 2*x`) keeps the constant first.
    """
    order = sorted(range(len(names)), key=lambda i: names[i])
    terms = sorted(poly, key=lambda m: tuple(m[i] for i in order), reverse=True)
    if len(terms) == 2:
        first, second = terms
        constant = (0,) * len(names)
        if (
            second == constant
            and poly[constant] > 0
            and poly[first] < 0
            and sum(1 for power in first if power) == 1
        ):
            return [second, first]
    return terms


# --- str() -------------------------------------------------------------------------------


def _str_factors(monomial: Monomial, names: Sequence[str]) -> list[str]:
    factors = []
    for i in sorted(range(len(names)), key=lambda k: names[k]):
        power = monomial[i]
        if power == 1:
            factors.append(names[i])
        elif power:
            factors.append(f"{names[i]}**{power}")
    return factors


def _str_magnitude(monomial: Monomial, magnitude: int, names: Sequence[str]) -> str:
    factors = _str_factors(monomial, names)
    if not factors:
        return str(magnitude)
    if magnitude != 1:
        factors.insert(0, str(magnitude))
    return "*".join(factors)


def poly_str(
    poly: Mapping[Monomial, int],
    names: Sequence[str],
    sympy_text: Callable[[], str],
) -> str:
    """`str()` of the sympy expression of `poly` (with `**`), built without sympy."""
    if not _simple(names) or any(len(m) != len(names) for m in poly):
        return sympy_text()
    if not poly:
        return "0"
    parts: list[str] = []
    for k, monomial in enumerate(ordered_terms(poly, names)):
        coefficient = poly[monomial]
        text = _str_magnitude(monomial, abs(coefficient), names)
        if coefficient < 0:
            parts.append("-" + text if k == 0 else " - " + text)
        else:
            parts.append(text if k == 0 else " + " + text)
    return "".join(parts)


# --- sympy.pretty() ----------------------------------------------------------------------


class _Pict:
    """A block of equal-width lines with a baseline row (sympy's stringPict, reduced)."""

    __slots__ = ("baseline", "lines")

    def __init__(self, lines: list[str], baseline: int) -> None:
        self.lines = lines
        self.baseline = baseline

    @property
    def width(self) -> int:
        return len(self.lines[0])


def _beside(picts: Sequence[_Pict]) -> _Pict:
    """Pictures side by side, baselines aligned (`stringPict.next`)."""
    above = max(p.baseline for p in picts)
    below = max(len(p.lines) - p.baseline for p in picts)
    rows = [""] * (above + below)
    for pict in picts:
        blank = " " * pict.width
        top = above - pict.baseline
        for r in range(above + below):
            inside = 0 <= r - top < len(pict.lines)
            rows[r] += pict.lines[r - top] if inside else blank
    return _Pict(rows, above)


def _text(text: str) -> _Pict:
    return _Pict([text], 0)


def _pretty_magnitude(monomial: Monomial, magnitude: int, names: Sequence[str]) -> _Pict:
    """The pretty form of magnitude * monomial (magnitude >= 1)."""
    pieces: list[_Pict] = []
    if magnitude != 1 or not any(monomial):
        pieces.append(_text(str(magnitude)))
    for i in sorted(range(len(names)), key=lambda k: names[k]):
        power = monomial[i]
        if not power:
            continue
        if pieces:
            pieces.append(_text(_DOT))
        if power == 1:
            pieces.append(_text(names[i]))
        else:
            exponent = str(power)
            base = names[i]
            pieces.append(_Pict([" " * len(base) + exponent, base + " " * len(exponent)], 1))
    return _beside(pieces)


def pretty_poly_definition(
    lhs: str,
    poly: Mapping[Monomial, int],
    names: Sequence[str],
    sympy_pretty: Callable[[], str],
) -> str:
    """`sympy.pretty(Eq(Symbol(name), expr), use_unicode=True, wrap_line=False)` of `poly`.

    `lhs` is the pretty form of `Symbol(name)`, which must be one line. Covers sums of two
    or more terms; anything else is printed by `sympy_pretty`.
    """
    if (
        len(poly) < 2
        or "\n" in lhs
        or not _simple(names)
        or any(len(m) != len(names) for m in poly)
    ):
        return sympy_pretty()
    pieces: list[_Pict] = [_text(lhs + " = ")]
    for k, monomial in enumerate(ordered_terms(poly, names)):
        coefficient = poly[monomial]
        term = _pretty_magnitude(monomial, abs(coefficient), names)
        if coefficient < 0:
            sign = " - " if k else ("- " if len(term.lines) > 1 else "-")
        else:
            sign = " + " if k else ""
        if sign:
            pieces.append(_text(sign))
        pieces.append(term)
    return "\n".join(_beside(pieces).lines)


def pretty_matrix_definition(
    lhs: str, rows: Sequence[Sequence[object]], sympy_pretty: Callable[[], str]
) -> str:
    """`sympy.pretty(Eq(Symbol(name), Matrix(rows)), use_unicode=True, wrap_line=False)`.

    `lhs` is the pretty form of `Symbol(name)`, which must be one line. For matrices of
    Python ints with at least two rows and two columns; else `sympy_pretty`.
    """
    height = len(rows)
    width = len(rows[0]) if rows else 0
    if (
        height < 2
        or width < 2
        or any(len(row) != width for row in rows)
        or not all(type(v) is int for row in rows for v in row)
        or "\n" in lhs
    ):
        return sympy_pretty()
    cells = [[str(v) for v in row] for row in rows]
    widths = [max(len(cells[i][j]) for i in range(height)) for j in range(width)]
    inner: list[str] = []
    for i, row in enumerate(cells):
        if i:
            inner.append(" " * (sum(widths) + 2 * (width - 1)))
        padded = []
        for text, column in zip(row, widths, strict=True):
            before = (column - len(text)) // 2
            padded.append(" " * before + text + " " * (column - len(text) - before))
        inner.append("  ".join(padded))
    last = len(inner) - 1
    lines = []
    for r, line in enumerate(inner):
        opening, closing = ("⎡", "⎤") if r == 0 else ("⎣", "⎦") if r == last else ("⎢", "⎥")
        lines.append(opening + line + closing)
    baseline = len(lines) // 2
    prefix = lhs + " = "
    blank = " " * len(prefix)
    return "\n".join((prefix if r == baseline else blank) + line for r, line in enumerate(lines))
