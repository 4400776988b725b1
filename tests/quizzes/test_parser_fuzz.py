"""Arbitrary text never crashes the readers: each returns a value or raises its own error.

The default run tries a few hundred inputs per reader. The long run is marked slow and
runs only when FLASHCARDS_FUZZ_EXAMPLES gives its count (the total, shared among the
readers), so a plain `pytest` stays quick:
`FLASHCARDS_FUZZ_EXAMPLES=100000 pytest -m slow tests/quizzes/test_parser_fuzz.py`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.answers import AnswerError, parse_matrix, parse_number, parse_vector
from quizzes.expressions import ExpressionError, parse_expression

QUICK_EXAMPLES = 300
LONG_EXAMPLES = os.environ.get("FLASHCARDS_FUZZ_EXAMPLES")

TOKENS = [
    *"0123456789",
    *"xyz",
    ".",
    "e",
    "E",
    "e-",
    "+",
    "-",
    "*",
    "/",
    "^",
    "**",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    " ",
    "\n",
    "=",
    ":",
    "!",
    "'",
    "_",
    "__",
    ".real",
    "lambda ",
    " for ",
    " if ",
    "exp(",
    "log(",
    "sqrt(",
    "sin(",
    "cos(",
    "tanh(",
    "sigmoid(",
    "abs(",
    "pi",
    "99",
    "9**9",
    "1e308",
    "1/0",
    "nan",
    "inf",
    "__import__(",
    "os",
    "j",
    "%",
    "//",
    "@",
]
SYMBOLS = ["x", "y", "pi", "e", "0", "1", "2.5", "1e-3", "99"]
FUNCTIONS = ["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "abs"]
OPERATORS = ["+", "-", "*", "/", "^", "**"]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(OPERATORS), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})"
    )
    call = st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})")
    return binary | call | children.map(lambda c: f"-{c}")


formulas = st.recursive(st.sampled_from(SYMBOLS), _combine, max_leaves=30)
numbers = st.floats(allow_nan=False, allow_infinity=False).map(repr)
vectors = st.lists(numbers | token_soup, max_size=5).map(lambda items: f"({', '.join(items)})")
matrices = st.lists(vectors, max_size=4).map(lambda rows: f"[{', '.join(rows)}]")
anything = st.text(max_size=200) | token_soup | formulas | vectors | matrices

Reader = Callable[[str], object]
READERS: list[tuple[Reader, type[Exception]]] = [
    (parse_expression, ExpressionError),
    (parse_number, AnswerError),
    (parse_vector, AnswerError),
    (parse_matrix, AnswerError),
]


def check_reader(reader: Reader, own_error: type[Exception], text: str) -> None:
    """Speed lives in tests/benchmarks, not here: a machine pause must not fail CI."""
    try:
        value = reader(text)
    except own_error as exc:
        assert str(exc), "an error must carry a message for the user"
        return
    if reader is parse_expression:
        assert isinstance(value, sympy.Expr)
        return
    if reader is parse_number:
        value = (value,)
    elif reader is parse_matrix:
        assert isinstance(value, tuple)
        value = tuple(number for row in value for number in row)
    assert isinstance(value, tuple)
    assert all(isinstance(v, float) and math.isfinite(v) for v in value)


FUZZ_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


@pytest.mark.parametrize(("reader", "own_error"), READERS)
@settings(FUZZ_SETTINGS, max_examples=QUICK_EXAMPLES)
@given(text=anything)
def test_readers_only_return_values_or_their_own_errors(
    reader: Reader, own_error: type[Exception], text: str
) -> None:
    check_reader(reader, own_error, text)


@pytest.mark.slow
@pytest.mark.skipif(LONG_EXAMPLES is None, reason="set FLASHCARDS_FUZZ_EXAMPLES to run")
@pytest.mark.parametrize(("reader", "own_error"), READERS)
@settings(FUZZ_SETTINGS, max_examples=max(1, int(LONG_EXAMPLES or 1) // len(READERS)))
@given(text=anything)
def test_readers_survive_a_long_fuzzing_run(
    reader: Reader, own_error: type[Exception], text: str
) -> None:
    check_reader(reader, own_error, text)


@settings(max_examples=QUICK_EXAMPLES, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_any_float_it_is_shown(value: float) -> None:
    assert parse_number(repr(value)) == value
