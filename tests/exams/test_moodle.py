"""`exam build --format moodle`: Moodle 4.x XML, parsed back and checked item by item.

The structure follows https://docs.moodle.org/en/Moodle_XML_format: a `<quiz>` of
`<question type=...>` elements, a category question before each variant's questions,
and per type the elements that document lists (answers with fractions, tolerances,
grader information, embedded NUMERICAL answers for cloze).
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET

import pytest
from lms_exams import (
    HOSTILE_ANSWER,
    HOSTILE_KEY,
    HOSTILE_PROMPT,
    HOSTILE_QUESTION,
    WriteSpec,
    covering_exams,
    hostile_exam,
)

from flashcards.exams.build import Exam, ExamItem, ItemKind
from flashcards.exams.moodle import absolute_tolerance, moodle_xml
from quizzes.checking import answers_match
from quizzes.problem import AnswerKind, Problem

CLOZE_FIELD = re.compile(r"\{1:NUMERICAL:=([^:}]+):([^}]+)\}")
COMMON = ("name/text", "questiontext/text", "generalfeedback/text", "defaultgrade", "penalty")
REQUIRED = {
    "multichoice": ("single", "shuffleanswers", "answernumbering", "answer"),
    "numerical": ("answer/tolerance", "unitgradingtype", "showunits"),
    "essay": ("responseformat", "graderinfo/text", "responsetemplate"),
    "shortanswer": ("usecase", "answer"),
    "cloze": (),
}


@pytest.fixture(scope="module")
def exams() -> list[Exam]:
    return covering_exams()


@pytest.fixture(scope="module")
def quiz(exams: list[Exam]) -> ET.Element:
    return ET.fromstring(moodle_xml(exams))


def variants(quiz: ET.Element) -> list[tuple[str, list[ET.Element]]]:
    """(category path, its questions) in file order."""
    groups: list[tuple[str, list[ET.Element]]] = []
    for question in quiz:
        if question.get("type") == "category":
            groups.append((question.findtext("category/text") or "", []))
        else:
            groups[-1][1].append(question)
    return groups


def text(element: ET.Element, path: str) -> str:
    return element.findtext(path) or ""


def test_each_variant_is_its_own_category_holding_its_items(
    exams: list[Exam], quiz: ET.Element
) -> None:
    assert quiz.tag == "quiz" and quiz[0].get("type") == "category"
    groups = variants(quiz)
    assert [path for path, _ in groups] == [
        f"$course$/top/{exam.title}/Variant {exam.variant}" for exam in exams
    ]
    for exam, (_, questions) in zip(exams, groups, strict=True):
        assert len(questions) == len(exam.items)


def test_every_question_has_the_elements_the_format_requires(quiz: ET.Element) -> None:
    types = set()
    for _, questions in variants(quiz):
        for question in questions:
            kind = question.get("type") or ""
            types.add(kind)
            for path in (*COMMON, *REQUIRED[kind]):
                assert question.find(path) is not None, (kind, path)
            assert question.find("questiontext").get("format") == "html"  # type: ignore[union-attr]
    assert types == {"multichoice", "numerical", "essay", "cloze"}


def test_every_item_has_its_type_answer_and_tolerance(exams: list[Exam], quiz: ET.Element) -> None:
    for exam, (_, questions) in zip(exams, variants(quiz), strict=True):
        for item, question in zip(exam.items, questions, strict=True):
            assert text(question, "name/text").startswith(f"Q{item.number} ")
            assert float(text(question, "defaultgrade")) == item.points
            check_item(item, question)


def check_item(item: ExamItem, question: ET.Element) -> None:
    kind = question.get("type")
    if item.kind is ItemKind.CHOICE:
        assert kind == "multichoice"
        check_choices(question, list(item.options), item.correct)
        return
    if item.kind is ItemKind.OPEN:
        assert kind == "essay"
        assert html.escape(item.answer.splitlines()[0]) in text(question, "graderinfo/text")
        return
    problem = item.problem
    assert problem is not None
    for step in problem.solution:  # the worked solution is the general feedback
        assert html.escape(step.splitlines()[0].rstrip()) in text(question, "generalfeedback/text")
    answer_kind = problem.answer_kind
    if answer_kind is AnswerKind.NUMBER:
        assert kind == "numerical"
        check_numerical(question, problem)
    elif answer_kind in (AnswerKind.VECTOR, AnswerKind.MATRIX):
        assert kind == "cloze"
        check_cloze(question, problem)
    elif answer_kind is AnswerKind.LABEL:
        assert kind == "multichoice"
        correct = problem.choices.index(str(problem.expected))
        check_choices(question, list(problem.choices), correct)
    else:
        assert kind == "essay"
        assert "nonzero multiple of" in text(question, "graderinfo/text")


def check_choices(question: ET.Element, options: list[str], correct: int | None) -> None:
    assert text(question, "single") == "true"
    answers = question.findall("answer")
    assert [html.unescape(text(a, "text")) for a in answers] == options
    assert [a.get("fraction") for a in answers] == [
        "100" if i == correct else "0" for i in range(len(options))
    ]
    feedback = [text(a, "feedback/text") for a in answers]
    assert all(feedback)
    assert all(f.startswith("Right") == (i == correct) for i, f in enumerate(feedback))


def check_numerical(question: ET.Element, problem: Problem) -> None:
    right = [a for a in question.findall("answer") if a.get("fraction") == "100"]
    assert len(right) == 1
    value = float(text(right[0], "text"))
    tolerance = float(text(right[0], "tolerance"))
    assert value == pytest.approx(problem.expected, rel=1e-12)
    assert tolerance == pytest.approx(absolute_tolerance(problem, value), rel=1e-12)
    check_margin(problem, value, tolerance)
    for wrong in question.findall("answer"):
        if wrong.get("fraction") == "0":  # named mistakes: their message is the feedback
            assert text(wrong, "feedback/text")


def check_margin(problem: Problem, value: float, tolerance: float) -> None:
    """What Moodle accepts is what the checker accepts, at the edge of the margin."""
    inside, outside = value + 0.99 * tolerance, value + 1.5 * tolerance
    assert answers_match(problem, inside, value)
    if tolerance > 0:
        assert not answers_match(problem, outside, value)


def check_cloze(question: ET.Element, problem: Problem) -> None:
    fields = CLOZE_FIELD.findall(text(question, "questiontext/text"))
    expected = problem.expected
    assert isinstance(expected, tuple)
    entries = (
        [x for row in expected for x in row]
        if problem.answer_kind is AnswerKind.MATRIX
        else list(expected)
    )
    assert len(fields) == len(entries)
    for (value, tolerance), target in zip(fields, entries, strict=True):
        assert math.isclose(float(value), target, rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(float(tolerance), absolute_tolerance(problem, float(value)))
        single = Problem(**{**problem.__dict__, "answer_kind": AnswerKind.NUMBER})
        check_margin(single, float(value), float(tolerance))


def test_hostile_text_arrives_as_text(write_spec: WriteSpec) -> None:
    exam = hostile_exam(write_spec)
    raw = moodle_xml([exam])
    assert not any(tag in raw for tag in ("<script", "<b>", "<i>", "<iframe", "<u>"))
    quiz = ET.fromstring(raw)  # `]]>` and `&` did not break the XML
    category = text(quiz[0], "category/text")
    assert category == "$course$/top/A//B <title> & ]]> more/Variant 1"
    choice, essay = quiz[1], quiz[2]
    assert html.escape(HOSTILE_QUESTION) in text(choice, "questiontext/text")
    assert "<script" not in text(choice, "questiontext/text")
    assert html.unescape(text(choice.find("answer"), "text")) in {  # type: ignore[arg-type]
        HOSTILE_ANSWER,
        "Never & ever <i>",
    }
    assert essay.get("type") == "essay"
    assert html.escape(HOSTILE_PROMPT) in text(essay, "questiontext/text")
    assert html.escape(HOSTILE_KEY) in text(essay, "graderinfo/text")
