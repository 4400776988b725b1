"""The checker: tolerances, answer layouts, named mistakes, parse errors and grades."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.checking import audit_problem, check_answer
from quizzes.problem import AnswerKind, Mistake, Problem

LABELS = {
    "minimum": ("min", "local minimum"),
    "maximum": ("max",),
    "saddle": ("saddle point",),
}


def make(kind: AnswerKind, expected: object, *mistakes: Mistake, **fields: object) -> Problem:
    problem = Problem(
        template="hand-made",
        version=1,
        seed=3,
        title="A hand-made problem",
        prompt="",
        math="",
        answer_kind=kind,
        expected=expected,
        answer_hint="",
        labels={},
        rel_tol=1e-3,
        abs_tol=1e-4,
        solution=(),
        mistakes=mistakes,
    )
    return replace(problem, **fields)  # type: ignore[arg-type]


ASCENT = Mistake("ascent", "You stepped along the gradient instead of against it.", (1.4, 2.2))
STEP = make(AnswerKind.VECTOR, (0.6, 1.8), ASCENT)


@pytest.mark.parametrize("text", ["(0.6, 1.8)", "[0.6 1.8]", "0.6, 1.8", " ( 3/5 , 1.8 ) "])
def test_vector_layouts_students_type_are_accepted(text: str) -> None:
    result = check_answer(STEP, text)
    assert result.correct
    assert result.parsed == pytest.approx((0.6, 1.8))


def test_numbers_count_as_right_within_the_problems_tolerance() -> None:
    third = make(AnswerKind.NUMBER, 1 / 3)
    assert check_answer(third, "1/3").correct
    assert check_answer(third, "0.3333").correct
    assert not check_answer(third, "0.33").correct
    tiny = make(AnswerKind.NUMBER, 0.0)
    assert check_answer(tiny, "0.00005").correct
    assert not check_answer(tiny, "0.001").correct


def test_a_known_mistake_is_named_with_its_feedback() -> None:
    result = check_answer(STEP, "(1.4, 2.2)")
    assert not result.correct
    assert result.mistake == ASCENT
    assert result.message == ASCENT.message
    assert not result.parse_error


def test_an_unknown_wrong_answer_gets_a_hint_not_the_answer() -> None:
    result = check_answer(STEP, "(5, 5)")
    assert not result.correct and result.mistake is None and not result.parse_error
    assert "0.6" not in result.message and "try again" in result.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("banana", "expected a vector of 2 numbers"),
        ("(1, 2, 3)", "expected a vector of 2 numbers"),
        ("", "expected a vector of 2 numbers"),
        ("1" * 2001, "2000"),
    ],
)
def test_unreadable_text_is_a_parse_error_saying_what_was_expected(
    text: str, fragment: str
) -> None:
    result = check_answer(STEP, text)
    assert result.parse_error and not result.correct
    assert result.parsed is None
    assert fragment in result.message


def test_labels_accept_synonyms_case_and_choice_numbers() -> None:
    problem = make(
        AnswerKind.LABEL,
        "saddle",
        Mistake("sign", "Eigenvalues have both signs.", "minimum"),
        labels=LABELS,
        choices=("minimum", "maximum", "saddle"),
    )
    for text in ("saddle", "Saddle-Point", " SADDLE POINT ", "3"):
        assert check_answer(problem, text).correct, text
    named = check_answer(problem, "local minimum")
    assert named.mistake is not None and named.mistake.name == "sign"
    assert not check_answer(problem, "max").correct
    garbage = check_answer(problem, "banana")
    assert garbage.parse_error and "minimum" in garbage.message
    assert check_answer(problem, "4").parse_error


def test_directions_are_right_up_to_scale_and_sign() -> None:
    other = Mistake("wrong-eigenvector", "That eigenvalue is positive.", (1.0, 1.0))
    problem = make(AnswerKind.DIRECTION, (1.0, -1.0), other, rel_tol=1e-4, abs_tol=0.0)
    for text in ("(1, -1)", "(-2.5, 2.5)", "(0.7071, -0.7071)"):
        assert check_answer(problem, text).correct, text
    assert check_answer(problem, "(3, 3)").mistake == other
    assert not check_answer(problem, "(1, -0.9)").correct
    zero = check_answer(problem, "(0, 0)")
    assert zero.parse_error and "nonzero" in zero.message


def test_matrices_compare_entry_by_entry() -> None:
    problem = make(AnswerKind.MATRIX, ((2.0, 1.0), (1.0, 3.0)))
    assert check_answer(problem, "[[2, 1], [1, 3]]").correct
    assert check_answer(problem, "2 1; 1 3").correct
    assert not check_answer(problem, "2 1; 1 4").correct
    assert check_answer(problem, "2 1 1 3").parse_error


def test_expressions_are_right_when_equivalent() -> None:
    forgot_chain = Mistake("forgot-chain", "Multiply by the inner derivative.", "cos(x^2)")
    problem = make(AnswerKind.EXPRESSION, "2*x*cos(x**2)", forgot_chain, variables=("x",))
    assert check_answer(problem, "cos(x^2)*x*2").correct
    assert check_answer(problem, "cos(x**2)").mistake == forgot_chain
    assert not check_answer(problem, "2*x*sin(x^2)").correct
    unknown = check_answer(problem, "2*y*cos(y^2)")
    assert unknown.parse_error and "y" in unknown.message


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_any_number_typed_in_full_is_accepted(value: float) -> None:
    problem = make(AnswerKind.NUMBER, value)
    assert check_answer(problem, repr(value)).correct


def test_two_slips_with_one_result_are_both_named() -> None:
    twin = Mistake("twin", "You used the old velocity.", (1.4, 2.2), hint="Which velocity?")
    both = replace(STEP, mistakes=(ASCENT, twin))
    result = check_answer(both, "(1.4, 2.2)")
    assert result.mistakes == (ASCENT, twin)
    assert ASCENT.message in result.message and twin.message in result.message
    assert "Which velocity?" in result.hint and audit_problem(both) == ()


def test_a_first_wrong_try_hears_the_hint_not_the_explanation() -> None:
    slip = Mistake("flip", "It is a minimum, not a maximum.", "maximum", hint="Look at the signs.")
    labelled = make(AnswerKind.LABEL, "minimum", slip, labels={"minimum": (), "maximum": ()})
    result = check_answer(labelled, "maximum")
    assert result.hint == "Look at the signs." and "minimum" not in result.hint
    assert result.message == slip.message
    telling = replace(labelled, mistakes=(Mistake("flip", "It is a minimum.", "maximum"),))
    assert "gives the answer away" in "\n".join(audit_problem(telling))


def test_audit_reports_broken_problems_and_passes_sound_ones() -> None:
    assert audit_problem(STEP) == ()
    right = Mistake("right", "This one is the answer.", (0.6, 1.8))
    near = Mistake("near", "Off by a rounding.", (0.6004, 1.8))  # inside 5x the tolerance
    broken = replace(STEP, mistakes=(ASCENT, right, near))
    failures = "\n".join(audit_problem(broken))
    assert "mistake 'right' is within 5x the tolerance of the answer" in failures
    assert "mistake 'right' is accepted as right when typed" in failures
    assert "mistake 'near' is within 5x the tolerance of the answer" in failures
    assert "ascent" not in failures
    unsolvable = replace(STEP, expected=(math.inf, 1.0))
    assert any("fails its own checker" in line for line in audit_problem(unsolvable))


def test_a_choice_number_may_end_with_a_full_stop() -> None:
    picked = make(
        AnswerKind.LABEL,
        "saddle",
        labels={"minimum": (), "saddle": ()},
        choices=("minimum", "saddle"),
    )
    assert check_answer(picked, "2.").correct
    assert not check_answer(picked, "1.").correct
