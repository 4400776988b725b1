"""Right answers in the forms students type (issue 12), and wrong ones still refused."""

from __future__ import annotations

import math
import re

import pytest

from quizzes import registry
from quizzes.answers import AnswerError, parse_label, parse_matrix, parse_number, parse_vector
from quizzes.checking import check_answer
from quizzes.generators.critical_points import LABELS as CRITICAL
from quizzes.generators.definiteness import LABELS as DEFINITENESS
from quizzes.problem import AnswerKind, Problem

SEEDS = range(12)

NUMBER_FORMS = [
    ("\u22123", -3.0),  # the minus sign the cards print
    ("\u22120.25", -0.25),
    ("\u20130.25", -0.25),  # en dash
    ("\u20140.25", -0.25),  # em dash
    ("\u20120.25", -0.25),  # figure dash
    ("\uff0d0.25", -0.25),  # fullwidth hyphen-minus
    ("1 \u2212 0.75", 0.25),
    ("2.5×10^-2", 0.025),
    ("2.5 × 10^-2", 0.025),
    ("2.5 x 10^-2", 0.025),
    ("2.5X10^-2", 0.025),
    ("2.5·10^-2", 0.025),
    ("2.5⋅10^-2", 0.025),
    ("2.5*10^-2", 0.025),
    ("2.5×10^(-2)", 0.025),
    ("2.5×10^\u22122", 0.025),
    ("2.5×10⁻²", 0.025),
    ("-2.5×10^-2", -0.025),
    ("10^-02", 0.01),
    ("2.5e-02", 0.025),
    ("½", 0.5),
    ("\u2212½", -0.5),
    ("¾", 0.75),
    ("⅓", 1 / 3),
    ("⅞", 0.875),
    ("1½", 1.5),
    ("-1½", -1.5),
    ("0.25.", 0.25),
    ("3/4.", 0.75),
    ("(1 - 0.9)^2.", 0.01),
    # forms of our own choosing
    ("\uff11\uff0e\uff15", 1.5),  # fullwidth digits
    ("3÷4", 0.75),
    ("1\u20444", 0.25),  # fraction slash
    ("25%", 0.25),
    ("√2/2", math.sqrt(2) / 2),
    ("√(1/4)", 0.5),
    ("2π", 2 * math.pi),
    ("= 0.25", 0.25),
    ("≈ 0.3333", 0.3333),
    ("x = 0.25", 0.25),
    ("κ ≈ 30", 30.0),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_FORMS)
def test_numbers_are_read_in_the_forms_students_type(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_product_after_a_division_is_not_read_as_scientific_notation() -> None:
    # 3/2.5×10^2 is (3/2.5)·100 as written, not 3/250.
    assert parse_number("3/2.5×10^2") == pytest.approx(120.0)


VECTOR_FORMS = [
    "(0.8, \u22120.4)",
    "(0.8, \u20130.4)",
    "[0.8; -0.4]",
    "[0.8; -0.4;]",
    "0.8; -0.4",
    "<0.8, -0.4>",
    "⟨0.8, -0.4⟩",
    "〈0.8, -0.4〉",
    "x=0.8, y=-0.4",
    "x = 0.8, y = -0.4",
    "x = 0.8 y = -0.4",
    "x: 0.8, y: -0.4",
    "θ = (0.8, -0.4)",
    "θ=(0.8,-0.4)",
    "θ_new = (0.8, -0.4)",
    "(x, y) = (0.8, -0.4)",
    "θ ≈ (0.8, -0.4)",
    "θ₁ = 0.8, θ₂ = -0.4",
    "(0.8\uff0c-0.4)",  # fullwidth comma
    "\uff080.8\uff0c\uff0d0.4\uff09",  # fullwidth brackets and minus
    "0.8、-0.4",  # ideographic comma
    "(0.8, -0.4).",
    "(4/5, -2/5)",
    "(8×10^-1, -4 x 10^-1)",
    "(8·10^-1 -4·10^-1)",
    "{0.8, -0.4}",
]


@pytest.mark.parametrize("text", VECTOR_FORMS)
def test_vectors_are_read_in_the_forms_students_type(text: str) -> None:
    assert parse_vector(text, 2) == pytest.approx((0.8, -0.4))


MATRIX_FORMS = [
    "1 2\n3 4",
    "1 2\n3 4\n",
    "1 2\r\n3 4",
    "1, 2\n3, 4",
    "1, 2,\n3, 4",
    "[1 2\n 3 4]",
    "[1, 2\n 3, 4]",
    "[1, 2]\n[3, 4]",
    "[1, 2],\n[3, 4]",
    "(1 2)\n(3 4)",
    "[[1, 2],\n [3, 4]]",
    "\n[[1, 2],\n\n [3, 4]]\n",
    "1 2;\n3 4",
    "{{1, 2}, {3, 4}}",
    "1 & 2 \\\\ 3 & 4",
    "H = [[1, 2], [3, 4]]",
    "[[1, 2], [3, 4]].",
    "[[\u22121, 2], [3, 4]]",
]


@pytest.mark.parametrize("text", MATRIX_FORMS)
def test_matrices_are_read_from_one_line_or_many(text: str) -> None:
    expected = ((-1.0, 2.0), (3.0, 4.0)) if "\u2212" in text else ((1.0, 2.0), (3.0, 4.0))
    assert parse_matrix(text, (2, 2)) == expected


CRITICAL_FORMS = {
    "minimum": (
        "a minimum",
        "minima",
        "local minima",
        "a local minimum",
        "relative min",
        "relative minimum",
        "strict local minimum",
        "Min.",
        "minimum point",
        "localmin",
    ),
    "maximum": ("maxima", "a maximum", "relative max", "relative maximum", "local maxima"),
    "saddle": ("a saddle point", "saddle pt", "Saddle-Point", "saddle point.", "it's a saddle"),
    "inconclusive": (
        "the test is inconclusive",
        "indeterminate",
        "test inconclusive",
        "the second-order test is inconclusive",
        "can't tell",
        "cannot tell",
    ),
}
DEFINITENESS_FORMS = {
    "positive definite": (
        "p.d.",
        "PD",
        "spd",
        "s.p.d.",
        "pos def",
        "positive-definite",
        "the matrix is positive definite",
        "definite positive",
    ),
    "negative definite": ("n.d.", "nd", "neg def", "negative-definite"),
    "indefinite": ("indef", "Indefinite.", "it is indefinite", "not definite"),
    "positive semidefinite": (
        "p.s.d.",
        "p. s. d.",
        "psd",
        "pos semidef",
        "pos. semidef.",
        "positive semi-definite",
        "positive semi definite",
        "non-negative definite",
        "nonnegative definite",
        "non negative definite",
        "semi-positive definite",
    ),
    "negative semidefinite": (
        "n.s.d.",
        "neg semidef",
        "non-positive definite",
        "negative semi-definite",
    ),
}
LABEL_CASES = [
    (text, label, table)
    for table in (CRITICAL, DEFINITENESS)
    for label, forms in (CRITICAL_FORMS if table is CRITICAL else DEFINITENESS_FORMS).items()
    for text in forms
]


@pytest.mark.parametrize(("text", "label", "table"), LABEL_CASES)
def test_label_synonyms_read_as_their_label(
    text: str, label: str, table: dict[str, tuple[str, ...]]
) -> None:
    assert parse_label(text, table) == label


@pytest.mark.parametrize(
    ("text", "table", "message"),
    [
        ("semidefinite", DEFINITENESS, "which one: 'positive semidefinite' or 'negative"),
        ("definite", DEFINITENESS, "which one: 'positive definite' or 'negative definite'"),
        ("positive", DEFINITENESS, "which one: 'positive definite' or 'positive semidef"),
        ("indefinite", CRITICAL, "got 'indefinite'"),
        ("inconclusive", DEFINITENESS, "got 'inconclusive'"),
        ("min/max", CRITICAL, "got 'min/max'"),
        ("global minimum", CRITICAL, "got 'global minimum'"),
        ("not positive definite", DEFINITENESS, "got 'not positive definite'"),
    ],
)
def test_labels_that_do_not_decide_are_refused_with_what_was_read(
    text: str, table: dict[str, tuple[str, ...]], message: str
) -> None:
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_label(text, table)


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (lambda t: parse_vector(t, 2), "y=2, x=1", "in order (x, y), got 'y=2, x=1'"),
        (lambda t: parse_vector(t, 2), "θ2 = 2, θ1 = 1", "in order (θ1, θ2)"),
        (lambda t: parse_vector(t, 2), "x=1, x=2", "'x' is given twice in 'x=1, x=2'"),
        (lambda t: parse_vector(t, 2), "(1, 2, 3)", "got 3 numbers in '(1, 2, 3)'"),
        (lambda t: parse_vector(t, 2), "[1; 2", "the brackets do not match in '[1; 2'"),
        (lambda t: parse_vector(t, 2), "[1;; 2]", "two semicolons in a row in '[1;; 2]'"),
        (lambda t: parse_vector(t, 2), "<>", "got an empty list '<>'"),
        (lambda t: parse_vector(t, 2), "(1, 2½x)", "item 2 '(2+1/2)x' of '(1, 2½x)'"),
        (lambda t: parse_matrix(t, (2, 2)), "1 2\n3", "row 2 has 1 number but row 1 has 2: '3'"),
        (lambda t: parse_matrix(t, (2, 2)), "1 2\n3 4\n5 6", "3x2 matrix in '1 2⏎3 4⏎5 6'"),
        (lambda t: parse_matrix(t, (2, 2)), "[1, 2], 3, 4", "every row in brackets, or none: got"),
        (parse_number, "2.5×10^-2x", "'2.5×10^-2x' (read as '2.5*10^-2x')"),
        (parse_number, "½x", "'½x' (read as '(1/2)x')"),
        (parse_number, "1,5", "'1,5': use a dot for decimals"),
        (parse_number, "x =", "'x =' has no number"),
        (lambda t: parse_vector(t, 2), "A:", "got an empty list 'A:'"),
        (lambda t: parse_matrix(t, (2, 2)), "H =", "got an empty matrix 'H ='"),
    ],
)
def test_refusals_show_what_was_read_and_the_form_expected(
    reader: object, text: str, message: str
) -> None:
    assert callable(reader)
    with pytest.raises(AnswerError, match=re.escape(message)) as caught:
        reader(text)
    assert "expected a" in str(caught.value)


def _problems(name: str) -> list[Problem]:
    return [registry.get(name).generate(seed, {}) for seed in SEEDS]


@pytest.mark.parametrize(
    ("template", "forms"),
    [("hessian-classify-2d", CRITICAL_FORMS), ("definiteness", DEFINITENESS_FORMS)],
)
def test_drawn_label_problems_accept_synonyms_and_refuse_other_labels(
    template: str, forms: dict[str, tuple[str, ...]]
) -> None:
    for problem in _problems(template):
        assert problem.answer_kind is AnswerKind.LABEL
        for label, texts in forms.items():
            for text in texts:
                result = check_answer(problem, text)
                assert not result.parse_error, (problem.seed, text, result.message)
                assert result.correct == (label == problem.expected), (problem.seed, text)


def _typed(values: tuple[float, ...], form: str) -> str:
    """The vector in one of the notations students use, each number to 4 decimals."""
    x, y = (f"{v:.4f}".replace("-", "\u2212") for v in values)
    return form.format(x=x, y=y)


ADAM_FORMS = ("({x}, {y})", "[{x}; {y}]", "<{x}, {y}>", "x = {x}, y = {y}", "θ = ({x}, {y})")


def test_adam_answers_written_as_the_hint_asks_are_accepted_and_slips_refused() -> None:
    for problem in _problems("adam-step"):
        assert isinstance(problem.expected, tuple)
        assert "4 decimal places" in problem.answer_hint
        for form in ADAM_FORMS:
            typed = _typed(problem.expected, form)
            assert check_answer(problem, typed).correct, (problem.seed, typed)
        for mistake in problem.mistakes:
            assert isinstance(mistake.value, tuple)
            typed = _typed(mistake.value, ADAM_FORMS[0])
            assert not check_answer(problem, typed).correct, (problem.seed, mistake.name)


_DECIMALS = re.compile(r"(\d+) decimal places")
_SIGNIFICANT = re.compile(r"at least (\d+) significant digits")


@pytest.mark.parametrize("template", registry.names())
def test_every_hint_asks_for_a_precision_its_tolerance_accepts(template: str) -> None:
    """An answer rounded exactly as the hint says must be marked right, for every seed."""
    for problem in _problems(template):
        decimals = _DECIMALS.search(problem.answer_hint)
        significant = _SIGNIFICANT.search(problem.answer_hint)
        if problem.answer_kind not in (AnswerKind.NUMBER, AnswerKind.VECTOR):
            continue
        if decimals:
            spec = f".{decimals[1]}f"
        elif significant:
            spec = f".{significant[1]}g"
        else:
            continue
        expected = problem.expected
        values = expected if isinstance(expected, tuple) else (expected,)
        typed = ", ".join(format(float(v), spec) for v in values)
        assert check_answer(problem, typed).correct, (problem.seed, typed, problem.answer_hint)
