"""Reading typed answers: the forms students use, and messages that say what was expected."""

from __future__ import annotations

import math

import pytest
import sympy

from quizzes.answers import (
    MAX_ANSWER_CHARS,
    AnswerError,
    expressions_equivalent,
    parse_label,
    parse_matrix,
    parse_number,
    parse_vector,
)
from quizzes.expressions import parse_expression

NUMBERS = [
    ("3", 3.0),
    ("-0", 0.0),
    ("0.25", 0.25),
    (".5", 0.5),
    ("3/4", 0.75),
    ("-3/4", -0.75),
    ("-1e-3", -0.001),
    ("2.5E2", 250.0),
    ("1/3+1", 4 / 3),
    (" 7 ", 7.0),
    ("sqrt(2)/2", math.sqrt(2) / 2),
    ("2*pi", 2 * math.pi),
    ("e^2", math.e**2),
    ("(1 - 0.9)^2", 0.01),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number_reads_common_forms(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_minus_zero_keeps_its_sign_but_equals_zero() -> None:
    value = parse_number("-0")
    assert value == 0.0
    assert math.copysign(1.0, value) == -1.0


BAD_NUMBERS = [
    ("", "got nothing"),
    ("x", "found the name 'x'"),
    ("1,5", r"use a dot for decimals"),
    ("nan", "found the name 'nan'"),
    ("inf", "found the name 'inf'"),
    ("1e999", "too large"),
    ("sqrt(-1)", "not real"),
    ("1/0", "undefined"),
    ("9**9**9", "exponents are limited"),
    ("two", "found the name 'two'"),
    ("__import__('os')", "cannot be called"),
]


@pytest.mark.parametrize(("text", "message"), BAD_NUMBERS)
def test_parse_number_explains_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(AnswerError, match=message) as caught:
        parse_number(text)
    if text:
        assert "expected a" in str(caught.value)


def test_answers_longer_than_the_limit_are_refused() -> None:
    with pytest.raises(AnswerError, match="too long"):
        parse_number("1+" * MAX_ANSWER_CHARS + "1")


@pytest.mark.parametrize(
    "text",
    ["(0.8, 0.4)", "[0.8 0.4]", "0.8, 0.4", "0.8 0.4", "( 0.8 ,0.4 )", "(0.8, 0.4,)", "[4/5, 2/5]"],
)
def test_parse_vector_accepts_brackets_commas_or_spaces(text: str) -> None:
    assert parse_vector(text, 2) == pytest.approx((0.8, 0.4))


def test_parse_vector_with_spaces_keeps_negative_signs() -> None:
    assert parse_vector("-1 -2.5") == (-1.0, -2.5)


def test_parse_vector_without_a_size_takes_any_length() -> None:
    assert parse_vector("(1, 2, 3)") == (1.0, 2.0, 3.0)
    assert parse_vector("5") == (5.0,)


BAD_VECTORS = [
    ("(1, 2, 3)", "expected a vector of 2 numbers, like \\(1.5, -2\\); got 3 numbers"),
    ("(1)", r"got 1 number in '\(1\)'$"),
    ("(1, 2", "brackets do not match"),
    ("[1, 2)", "brackets do not match"),
    ("(1,,2)", "two commas in a row"),
    ("()", "empty"),
    ("(a, 2)", "item 1 'a'"),
    ("(1, 2/0)", "item 2 '2/0'"),
    ("", "got nothing"),
]


@pytest.mark.parametrize(("text", "message"), BAD_VECTORS)
def test_parse_vector_says_what_shape_was_expected(text: str, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_vector(text, 2)


@pytest.mark.parametrize(
    "text",
    [
        "[[1,2],[3,4]]",
        "[[1, 2], [3, 4]]",
        "((1, 2), (3, 4))",
        "[[1 2] [3 4]]",
        "1 2; 3 4",
        "[1, 2; 3, 4]",
        "1, 2; 3, 4;",
        "1 2\n3 4",
    ],
)
def test_parse_matrix_accepts_nested_or_semicolon_rows(text: str) -> None:
    assert parse_matrix(text, (2, 2)) == ((1.0, 2.0), (3.0, 4.0))


def test_parse_matrix_reads_non_square_and_single_row_matrices() -> None:
    assert parse_matrix("[[1, 2, 3], [4, 5, 6]]") == ((1, 2, 3), (4, 5, 6))
    assert parse_matrix("[1, 2]") == ((1.0, 2.0),)


BAD_MATRICES = [
    ("[[1, 2], [3]]", "row 2 has 1 number but row 1 has 2"),
    ("[[1, 2], 3]", "put every row in brackets, or none"),
    ("[[1, 2], [3, 4], [5, 6]]", "expected a 2x2 matrix.*got a 3x2 matrix"),
    ("[[1, 2], [3, x]]", "row 2: .*item 2 'x'"),
    ("[]", "empty matrix"),
    ("[[1, 2], [3, 4]", "brackets do not match"),
]


@pytest.mark.parametrize(("text", "message"), BAD_MATRICES)
def test_parse_matrix_says_what_shape_was_expected(text: str, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_matrix(text, (2, 2))


CRITICAL = {
    "minimum": ("min", "local min", "local minimum"),
    "maximum": ("max", "local max", "local maximum"),
    "saddle": ("saddle point",),
    "inconclusive": ("test fails",),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("minimum", "minimum"),
        ("Min", "minimum"),
        ("local min", "minimum"),
        ("LOCAL-MINIMUM", "minimum"),
        ("  local   max ", "maximum"),
        ("saddle point", "saddle"),
        ("Saddle-Point", "saddle"),
        ("saddle_point", "saddle"),
        ("saddlepoint", "saddle"),
        ("Inconclusive", "inconclusive"),
    ],
)
def test_parse_label_ignores_case_spaces_and_hyphens(text: str, expected: str) -> None:
    assert parse_label(text, CRITICAL) == expected


def test_parse_label_lists_the_options_and_suggests_a_near_miss() -> None:
    with pytest.raises(
        AnswerError, match="expected one of: minimum, maximum, saddle, inconclusive"
    ):
        parse_label("valley", CRITICAL)
    with pytest.raises(AnswerError, match="did you mean 'saddle'"):
        parse_label("sadle", CRITICAL)


def test_parse_label_refuses_a_table_where_two_labels_share_a_synonym() -> None:
    with pytest.raises(ValueError, match="shared by"):
        parse_label("min", {"minimum": ("min",), "minimal": ("Min",)})


def _equivalent(a: str, b: str) -> bool:
    return expressions_equivalent(parse_expression(a), parse_expression(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2*x", "x + x"),
        ("(x + 1)^2", "x^2 + 2*x + 1"),
        ("sin(x)^2 + cos(x)^2", "1"),
        ("sigmoid(x)*(1 - sigmoid(x))", "exp(-x)/(1 + exp(-x))^2"),
        ("exp(2*log(x))", "x^2"),
        ("0.5*x*y", "x*y/2"),
        ("(x + y + 1)^40", "(1 + y + x)^40"),
        ("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)"),
    ],
)
def test_equivalent_expressions_are_recognised(a: str, b: str) -> None:
    assert _equivalent(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2*x", "x^2"),
        ("(x + 1)^2", "x^2 + 1"),
        ("sqrt(x^2)", "x"),  # differs for negative x
        ("x*y", "x*y + 0.001"),
        ("(x + y + 1)^40", "(1 + y + x)^40 + x"),
        ("exp(exp(exp(x)))", "exp(exp(exp(x))) + 1"),
    ],
)
def test_different_expressions_are_told_apart(a: str, b: str) -> None:
    assert not _equivalent(a, b)


def test_large_expressions_are_compared() -> None:
    a = parse_expression("(x + y + z + 1)^60 * (x - y)^40")
    b = parse_expression("(x - y)^40 * (1 + z + y + x)^60")
    assert expressions_equivalent(a, b)
    assert not expressions_equivalent(a, b + 1)


def test_symbols_with_the_same_name_are_the_same_variable() -> None:
    real_x = sympy.Symbol("x", real=True)
    assert expressions_equivalent(real_x**2, parse_expression("x*x"))
