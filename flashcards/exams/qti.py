"""One variant as a Canvas quiz: a QTI 1.2 zip written by text2qti (0.8.0).

text2qti (https://github.com/gpoore/text2qti) reads a Markdown-like quiz text and
writes the QTI 1.2 package Canvas imports ("Import existing content" -> "QTI .zip
file"). This module writes that text and calls text2qti's Python API (`Quiz`, `QTI`);
nothing runs as a subprocess, no config file is read and no code block is executed.
Item kinds map to Canvas question types:

- choice card -> multiple_choice_question, feedback on every option;
- open card -> essay_question, the key in the question's feedback (QTI 1.2 has no
  grader-only field for essays in Canvas);
- compute, a number -> numerical_question with an accepted range;
- compute, a vector or matrix -> one numerical_question per entry ("Question 7, entry 2
  of 3"), the item's points shared equally, since text2qti has no multi-blank numeric type;
- compute, a label -> multiple_choice_question over its choices (short_answer_question
  with the accepted synonyms if it has none);
- compute, a direction or a formula -> essay_question with the grading rule as feedback.

Canvas numerical ranges pass through text2qti with four decimals, so each range is
widened outward to the next 0.0001 (and away from zero to at least 0.0001, the
smallest magnitude text2qti accepts): it always contains the checker's range.
Text is escaped for text2qti's Markdown: HTML as entities, Markdown punctuation and
`$` (LaTeX) with backslashes, so no card can inject markup, math or a local image.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass

from text2qti.config import Config
from text2qti.err import Text2qtiError
from text2qti.qti import QTI
from text2qti.quiz import Question, Quiz

from flashcards.errors import UserError
from flashcards.exams.build import Exam, ExamItem, ItemKind, exam_facts
from flashcards.exams.moodle import (
    absolute_tolerance,
    answer_rows,
    choice_feedback,
    label_feedback,
)
from quizzes.problem import AnswerKind, Problem

RESOLUTION = 1e-4
"""text2qti writes numerical bounds with four decimals and refuses magnitudes below this."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|$])")
_CARD_PUNCTUATION = re.compile(r"([\\\[\]!$])")


@dataclass(frozen=True)
class QuizText:
    """text2qti's input for one variant, and the points of its questions in order."""

    text: str
    points: tuple[float, ...]


def qti_file_name(exam: Exam) -> str:
    return f"{exam.spec_id}-v{exam.variant}-qti.zip"


def qti_zip(exam: Exam) -> bytes:
    """The Canvas package of one variant, byte-identical for the same exam."""
    source = quiz_text(exam)
    try:
        quiz = Quiz(source.text, config=Config(), source_name=qti_file_name(exam))
    except Text2qtiError as exc:
        raise UserError(
            f"variant {exam.variant}: text2qti could not read the quiz written for it ({exc}); "
            "build the other formats without --format qti and report this exam"
        ) from exc
    questions = [part for part in quiz.questions_and_delims if isinstance(part, Question)]
    for question, points in zip(questions, source.points, strict=True):
        question.points_possible = points  # any positive number; text2qti's text wants halves
    quiz.points_possible = sum(source.points)
    return stable_zip(QTI(quiz).zip_bytes())


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so equal builds give equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def quiz_text(exam: Exam) -> QuizText:
    lines = [
        f"Quiz title: {_one_line(f'{exam.title} (variant {exam.variant})')}",
        *_block("Quiz description:", plain_md(f"{exam_facts(exam)}\n\n{exam.instructions}")),
        "Shuffle answers: false",
        "",
    ]
    points: list[float] = []
    for item in exam.items:
        for question, share in _questions(item):
            lines += [*question, ""]
            points.append(share)
    return QuizText("\n".join(lines), tuple(points))


def _questions(item: ExamItem) -> list[tuple[list[str], float]]:
    """The text2qti questions of one item with their points: one, or one per entry."""
    feedback = _feedback(item)
    if item.kind is ItemKind.CHOICE:
        options = [card_md(option) for option in item.options]
        notes = [card_md(note) for note in choice_feedback(item)]
        body = _choices(options, item.correct, notes)
        return [(_question(item, _item_md(item), feedback, body), item.points)]
    if item.kind is ItemKind.OPEN or item.problem is None:
        key = "\n\n".join([f"Key: {card_md(item.answer)}", feedback])
        return [(_question(item, _item_md(item), key, ["___"]), item.points)]
    return _compute_questions(item, item.problem, feedback)


def _compute_questions(
    item: ExamItem, problem: Problem, feedback: str
) -> list[tuple[list[str], float]]:
    kind = problem.answer_kind
    text = _item_md(item)
    if kind is AnswerKind.NUMBER:
        value = answer_rows_number(problem)
        return [(_question(item, text, feedback, [numerical_range(problem, value)]), item.points)]
    if kind in (AnswerKind.VECTOR, AnswerKind.MATRIX):
        return _entry_questions(item, problem, _item_md(item, hint=False), feedback)
    if kind is AnswerKind.LABEL and problem.choices:
        body = _choices(
            [plain_md(choice) for choice in problem.choices],
            problem.choices.index(str(problem.expected)),
            [plain_md(note) for note in label_feedback(problem)],
        )
        return [(_question(item, text, feedback, body), item.points)]
    if kind is AnswerKind.LABEL:
        expected = str(problem.expected)
        accepted = [
            f"* {_one_line(word)}" for word in (expected, *problem.labels.get(expected, ()))
        ]
        return [(_question(item, text, feedback, accepted), item.points)]
    if kind is AnswerKind.DIRECTION:
        rule = f"Any nonzero multiple of {item.answer} is right (a direction)."
    else:
        rule = f"Any answer equivalent to {item.answer} is right."
    return [(_question(item, text, f"{plain_md(rule)}\n\n{feedback}", ["___"]), item.points)]


def _entry_questions(
    item: ExamItem, problem: Problem, text: str, feedback: str
) -> list[tuple[list[str], float]]:
    rows = answer_rows(problem)
    count = sum(len(row) for row in rows)
    share = item.points / count
    out = []
    position = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            position += 1
            where = f"row {r}, column {c}" if problem.answer_kind is AnswerKind.MATRIX else f"{c}"
            ask = f"{text}\n\nEnter entry {where} of the answer ({position} of {count})."
            title = f"Question {item.number}, entry {position} of {count}"
            question = _question(item, ask, feedback, [numerical_range(problem, value)], title)
            out.append((question, share))
    return out


def answer_rows_number(problem: Problem) -> float:
    value = problem.expected
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{problem.template}: {value!r} is not a number")
    return float(value)


def numerical_range(problem: Problem, value: float) -> str:
    """`= [low, high]`: the checker's range, widened outward to text2qti's resolution."""
    tolerance = absolute_tolerance(problem, value)
    low = math.floor(round((value - tolerance) / RESOLUTION, 6)) * RESOLUTION
    high = math.ceil(round((value + tolerance) / RESOLUTION, 6)) * RESOLUTION
    if abs(low) < RESOLUTION:
        low = -RESOLUTION
    if abs(high) < RESOLUTION:
        high = RESOLUTION
    return f"= [{low:.4f}, {high:.4f}]"


def _question(
    item: ExamItem, text: str, feedback: str, response: list[str], title: str = ""
) -> list[str]:
    lines = [f"Title: {title or f'Question {item.number}'}"]
    lines += _block(f"{item.number}.", text)
    if feedback:
        lines += _block("...", feedback)
    return lines + response


def _choices(options: list[str], correct: int | None, notes: list[str]) -> list[str]:
    lines = []
    for index, option in enumerate(options):
        letter = "abcdefghijklmnopqrstuvwxyz"[index]
        lines += _block(f"{'*' if index == correct else ''}{letter})", option)
        if notes[index]:
            lines += _block("...", notes[index])
    return lines


def _item_md(item: ExamItem, *, hint: bool = True) -> str:
    compute = item.kind is ItemKind.COMPUTE
    parts = [plain_md(item.question) if compute else card_md(item.question)]
    if item.math:
        parts.append(_code(item.math))
    if compute and item.options:
        parts.append(plain_md("Choices: " + ", ".join(item.options)))
    if compute and hint and item.answer_hint:
        parts.append(plain_md(f"Answer format: {item.answer_hint}"))
    return "\n\n".join(parts)


def _feedback(item: ExamItem) -> str:
    if item.kind is not ItemKind.COMPUTE:
        return "\n\n".join(card_md(note) for note in item.solution)
    steps = [_code(step) if "\n" in step else plain_md(step) for step in item.solution]
    return "\n\n".join([plain_md(f"Answer: {item.answer}"), "Worked solution:", *steps])


def _block(marker: str, text: str) -> list[str]:
    """A text2qti entry: marker and first line, then lines indented under the text."""
    lines = text.strip("\n").splitlines() or ["(no text)"]
    if not lines[0].strip():
        lines[0] = "(no text)"
    indent = " " * (len(marker) + 1)
    return [
        f"{marker} {lines[0].strip()}",
        *(indent + line if line.strip() else "" for line in lines[1:]),
    ]


def _code(text: str) -> str:
    """A Markdown code block: columns kept, nothing inside interpreted."""
    return "\n".join("    " + line.rstrip() for line in text.splitlines())


def _html_entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_md(text: str) -> str:
    """Plain text (compute prompts, formats) as Markdown that shows it unchanged."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", _html_entities(text))


def card_md(text: str) -> str:
    """Card text keeps its Markdown emphasis; raw HTML, links, images and `$` math do not."""
    return _CARD_PUNCTUATION.sub(r"\\\1", _html_entities(text))


def _one_line(text: str) -> str:
    return " ".join(text.split())
