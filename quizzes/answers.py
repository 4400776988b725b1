"""Reading what a student typed: numbers, vectors, matrices, labels and formulas.

Students write answers in many shapes (`(0.8, 0.4)`, `[0.8 0.4]`, `1 2; 3 4`, `3/4`).
Every reader here is forgiving about layout but strict about meaning, and every
failure is an `AnswerError` whose message says what shape was expected, so the
study screen can let the student retype instead of marking them wrong.
"""

from __future__ import annotations

import cmath
import difflib
import math
import random
import re
from collections.abc import Iterable, Mapping

import sympy

from quizzes.expressions import FORMULA_HINT, ExpressionError, evaluate, parse_expression

MAX_ANSWER_CHARS = 2000
NUMBER_HINT = "a number, like 0.25, -3 or 3/4"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PAIRS = {"(": ")", "[": "]"}
_CLOSERS = {")": "(", "]": "["}
_SIMPLIFY_MAX_OPS = 60
_SIMPLIFY_MAX_POWER = 6
_EQUIVALENCE_POINTS = 8
_MIN_USABLE_POINTS = 3


class AnswerError(ValueError):
    """The answer could not be read; `str(exc)` says what was expected."""


def parse_number(text: str) -> float:
    """A real number; simple arithmetic such as `1/3 + 1` or `sqrt(2)/2` is allowed."""
    stripped = _checked(text, NUMBER_HINT)
    if _PLAIN_NUMBER.fullmatch(stripped):
        return _finite(float(stripped), stripped)
    try:
        expr = parse_expression(stripped, variables=())
    except ExpressionError as exc:
        detail = str(exc).removesuffix(FORMULA_HINT).rstrip("; ")
        if "," in stripped:
            detail = "use a dot for decimals (0.5, not 0,5)"
        raise AnswerError(f"expected {NUMBER_HINT}; {detail}") from None
    try:
        value = evaluate(expr)
    except ExpressionError:
        raise AnswerError(f"expected {NUMBER_HINT}; '{_short(stripped)}' has no value") from None
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise AnswerError(f"expected a real number; '{_short(stripped)}' is not real")
    return _finite(value.real, stripped)


def parse_vector(text: str, size: int | None = None) -> tuple[float, ...]:
    """Numbers separated by commas (or, without commas, by spaces), brackets optional."""
    hint = _vector_hint(size)
    body = _strip_brackets(_checked(text, hint), hint)
    items = _split_items(body)
    if not items:
        raise AnswerError(f"expected {hint}; got an empty list")
    values = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(parse_number(item))
        except AnswerError as exc:
            where = f"item {position}" if len(items) > 1 else "the answer"
            raise AnswerError(f"expected {hint}; {where} '{_short(item)}': {exc}") from None
    if size is not None and len(values) != size:
        raise AnswerError(f"expected {hint}; got {_count(len(values), 'number')}")
    return tuple(values)


def parse_matrix(text: str, shape: tuple[int, int] | None = None) -> tuple[tuple[float, ...], ...]:
    """Rows as `[[1, 2], [3, 4]]`, or separated by `;` or new lines as in `1 2; 3 4`."""
    hint = _matrix_hint(shape)
    stripped = _checked(text, hint)
    rows_text = _matrix_rows(stripped, hint)
    rows: list[tuple[float, ...]] = []
    for position, row_text in enumerate(rows_text, start=1):
        try:
            rows.append(parse_vector(row_text))
        except AnswerError as exc:
            raise AnswerError(f"expected {hint}; row {position}: {exc}") from None
    width = len(rows[0])
    for position, row in enumerate(rows, start=1):
        if len(row) != width:
            raise AnswerError(
                f"expected {hint}; row {position} has {_count(len(row), 'number')} "
                f"but row 1 has {width}"
            )
    if shape is not None and (len(rows), width) != shape:
        raise AnswerError(f"expected {hint}; got a {len(rows)}x{width} matrix")
    return tuple(rows)


def parse_label(text: str, synonyms: Mapping[str, Iterable[str]]) -> str:
    """The canonical key whose synonyms (or the key itself) match, ignoring case,
    spaces, hyphens and underscores, so `Saddle-Point` counts as `saddle point`."""
    lookup: dict[str, str] = {}
    for key, words in synonyms.items():
        for word in (key, *words):
            normal = _normal_label(word)
            if lookup.setdefault(normal, key) != key:
                raise ValueError(
                    f"label synonym {word!r} is shared by {lookup[normal]!r} and {key!r}"
                )
    options = ", ".join(synonyms)
    stripped = _checked(text, f"one of: {options}")
    found = lookup.get(_normal_label(stripped))
    if found is not None:
        return found
    close = difflib.get_close_matches(_normal_label(stripped), list(lookup), n=1, cutoff=0.75)
    suggestion = f" (did you mean '{lookup[close[0]]}'?)" if close else ""
    raise AnswerError(f"expected one of: {options}; got '{_short(stripped)}'{suggestion}")


def expressions_equivalent(a: sympy.Expr, b: sympy.Expr, seed: int = 0) -> bool:
    """Whether `a` and `b` are the same function of their variables.

    Cheap checks decide almost every case: sympy's automatic cancellation of `a - b`,
    then evaluating both sides at random real points (agreement to 1e-9 at every usable
    point settles it either way). Only when too few points can be evaluated is
    `simplify` asked, and only on small differences without large powers, because on
    something like (x + y + z + w)^40 it would expand for minutes.
    """
    a, b = _unify_symbols(a, b)
    if a == b or a - b == 0:
        return True
    agreed = _agree_numerically(a, b, random.Random(seed))
    if agreed is not None:
        return agreed
    difference = a - b
    if not _cheap_to_simplify(difference):
        return False
    try:
        return bool(sympy.simplify(difference) == 0)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return False


def _checked(text: str, hint: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise AnswerError(f"expected {hint}; got nothing")
    if len(stripped) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is too long (more than {MAX_ANSWER_CHARS:,} characters)")
    return stripped


def _finite(value: float, text: str) -> float:
    if not math.isfinite(value):
        raise AnswerError(f"expected {NUMBER_HINT}; '{_short(text)}' is too large")
    return value


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _vector_hint(size: int | None) -> str:
    if size is None:
        return "a list of numbers, like (1.5, -2)"
    example = ", ".join(("1.5", "-2", "0", "3")[:size]) if size <= 4 else "1.5, -2, …"
    return f"a vector of {_count(size, 'number')}, like ({example})"


def _matrix_hint(shape: tuple[int, int] | None) -> str:
    if shape is None:
        return "a matrix, like [[1, 2], [3, 4]] or 1 2; 3 4"
    rows, columns = shape
    return f"a {rows}x{columns} matrix, like [[1, 2], [3, 4]] or 1 2; 3 4"


def _matching_close(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start`, or -1 when unbalanced."""
    stack: list[str] = []
    for index in range(start, len(text)):
        char = text[index]
        if char in _PAIRS:
            stack.append(char)
        elif char in _CLOSERS:
            if not stack or stack.pop() != _CLOSERS[char]:
                return -1
            if not stack:
                return index
    return -1


def _wrapped(text: str) -> bool:
    return bool(text) and text[0] in _PAIRS and _matching_close(text, 0) == len(text) - 1


def _strip_brackets(text: str, hint: str) -> str:
    if _wrapped(text):
        return text[1:-1].strip()
    if text[0] in _PAIRS and _matching_close(text, 0) == -1:
        raise AnswerError(f"expected {hint}; the brackets do not match")
    return text


def _split_top(text: str, separators: str) -> list[str]:
    """Split at `separators` outside brackets; a run of whitespace counts as one."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _PAIRS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    if " " in separators or "\n" in separators:
        return [part for part in parts if part]
    return parts


def _split_items(body: str) -> list[str]:
    if not body:
        return []
    if _split_top(body, ",") != [body]:
        items = _split_top(body, ",")
        if items[-1] == "":
            items.pop()
        if "" in items:
            raise AnswerError("two commas in a row; write one number between each pair of commas")
        return items
    return _split_top(body, " \t\n")


def _matrix_rows(text: str, hint: str) -> list[str]:
    body = _strip_brackets(text, hint)
    for separators in (";", "\n"):
        rows = [row for row in _split_top(body, separators) if row.strip()]
        if len(rows) > 1:
            return rows
    items = _split_items(body)
    bracketed = [_wrapped(item) for item in items]
    if items and all(bracketed):
        return items
    if any(bracketed):
        raise AnswerError(f"expected {hint}; put every row in brackets, or none")
    if not items:
        raise AnswerError(f"expected {hint}; got an empty matrix")
    return [body]


def _normal_label(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", text.casefold()).strip(".'\"")


def _unify_symbols(a: sympy.Expr, b: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """Symbols with the same name are the same variable, whatever their assumptions."""
    names = {str(s) for s in a.free_symbols | b.free_symbols}
    real = {name: sympy.Symbol(name, real=True) for name in names}
    a = a.xreplace({s: real[str(s)] for s in a.free_symbols})
    b = b.xreplace({s: real[str(s)] for s in b.free_symbols})
    return a, b


def _cheap_to_simplify(expr: sympy.Expr) -> bool:
    if int(sympy.count_ops(expr)) > _SIMPLIFY_MAX_OPS:
        return False
    exponents = (power.exp for power in expr.atoms(sympy.Pow))
    return all(not e.is_Number or abs(e) <= _SIMPLIFY_MAX_POWER for e in exponents)


def _agree_numerically(a: sympy.Expr, b: sympy.Expr, rng: random.Random) -> bool | None:
    """True/False when the sample points decide; None when too few could be evaluated."""
    names = sorted({str(s) for s in a.free_symbols | b.free_symbols})
    usable = 0
    for _ in range(_EQUIVALENCE_POINTS):
        point = {name: complex(rng.choice((-1, 1)) * rng.uniform(0.2, 2.5)) for name in names}
        left, right = _value_at(a, point), _value_at(b, point)
        if left is None or right is None:
            continue
        usable += 1
        if not cmath.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True if usable >= _MIN_USABLE_POINTS else None


def _value_at(expr: sympy.Expr, point: Mapping[str, complex]) -> complex | None:
    try:
        return evaluate(expr, point)
    except ExpressionError:
        return None
