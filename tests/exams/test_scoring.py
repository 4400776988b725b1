"""Scoring an attempt: machine-graded choice and compute items, self-graded open items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.cardtext import LETTERS
from flashcards.exams.build import Exam, ExamItem, ItemKind, build_exam
from flashcards.exams.scoring import NOT_ANSWERED, choice_index, grade_item, score_attempt
from flashcards.exams.spec import load_spec
from flashcards.model import Deck
from quizzes.render import format_value

WriteSpec = Callable[[str], Path]


@pytest.fixture
def exam(write_spec: WriteSpec, decks: list[Deck], short_spec: str) -> Exam:
    return build_exam(load_spec(write_spec(short_spec), decks), decks, 17)


def wrong_letter(item: ExamItem) -> str:
    assert item.correct is not None
    return LETTERS[(item.correct + 1) % len(item.options)]


def test_a_scripted_attempt_scores_by_section_and_topic(exam: Exam) -> None:
    first, second, open_item, compute = exam.items
    responses = {
        first.number: first.correct_letter.upper(),
        second.number: wrong_letter(second),
        open_item.number: "It scales the step along minus the gradient.",
        compute.number: compute.answer,
    }
    score = score_attempt(exam, responses, {open_item.number: True})
    assert [r.correct for r in score.results] == [True, False, True, True]
    assert (score.earned, score.possible) == (2 + 3 + 4, 11)
    sections = [(s.name, s.earned, s.possible, s.right, s.items) for s in score.sections]
    assert sections == [
        ("Choices", 2, 4, 1, 2),
        ("Open", 3, 3, 1, 1),
        ("Compute", 4, 4, 1, 1),
    ]
    topics = {s.name: (s.earned, s.possible) for s in score.topics}
    assert topics == {"Alpha deck": (5, 7), "jensen": (4, 4)}
    assert [r.item for r in score.wrong] == [second]
    assert score.percent == pytest.approx(100 * 9 / 11)


def test_open_answers_count_nothing_until_the_student_marks_them(exam: Exam) -> None:
    open_item = exam.items[2]
    score = score_attempt(exam, {open_item.number: "my answer"})
    assert [r.item for r in score.ungraded] == [open_item]
    assert score.earned == 0
    marked_wrong = score_attempt(exam, {open_item.number: "my answer"}, {open_item.number: False})
    assert not marked_wrong.ungraded and [r.item for r in marked_wrong.wrong] == list(exam.items)


def test_blank_answers_are_wrong_whatever_the_student_marks(exam: Exam) -> None:
    for item in exam.items:
        result = grade_item(item, "   ", self_grade=True)
        assert (result.correct, result.feedback, result.earned) == (False, NOT_ANSWERED, 0)


@pytest.mark.parametrize(
    "typed",
    ["{letter}", "{upper}", "{letter})", "{number}", " {letter}. ", "{answer}", "{shout}"],
)
def test_a_choice_can_be_typed_as_letter_number_or_text(exam: Exam, typed: str) -> None:
    item = exam.items[0]
    assert item.correct is not None
    option = item.options[item.correct]
    text = typed.format(
        letter=item.correct_letter,
        upper=item.correct_letter.upper(),
        number=item.correct + 1,
        answer=item.answer,
        shout=f"  {option.upper()} ",
    )
    assert choice_index(item, text) == item.correct
    assert grade_item(item, text).correct


def test_a_choice_outside_the_options_is_wrong_and_says_why(exam: Exam) -> None:
    item = exam.items[0]
    last = LETTERS[len(item.options) - 1]
    result = grade_item(item, "z")
    assert result.correct is False
    assert result.feedback == f"'z' is not an option a-{last}."


def test_a_compute_answer_is_checked_with_the_templates_tolerance_and_mistakes(
    exam: Exam,
) -> None:
    item = exam.items[3]
    assert item.kind is ItemKind.COMPUTE and item.problem is not None
    close = format_value(item.problem.answer_kind, float(item.answer) * (1 + 1e-7))
    assert grade_item(item, close).correct
    mistake = item.problem.mistakes[0]
    slip = grade_item(item, format_value(item.problem.answer_kind, mistake.value))
    assert slip.correct is False
    assert slip.feedback.startswith(mistake.message)
    assert slip.feedback.endswith(f"The answer is {item.answer}.")
    unreadable = grade_item(item, "about a half")
    assert unreadable.correct is False and unreadable.feedback.startswith("Could not read")
