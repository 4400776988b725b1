"""Every variant of a build as one Moodle XML file, for Moodle's question bank (4.x).

Follows https://docs.moodle.org/en/Moodle_XML_format: one `<quiz>` whose first
question of each variant is a `category` question, `$course$/top/<title>/Variant n`,
so every variant imports into its own category. Item kinds map to question types:

- choice card -> `multichoice` (one right option, fraction 100 / 0, feedback per option;
  `shuffleanswers` 0 because the build already shuffled and the key names letters);
- open card (basic, cloze) -> `essay`, the key and its notes in `<graderinfo>`;
- compute, a number -> `numerical`, tolerance absolute (see `absolute_tolerance`); named
  mistakes become extra 0% answers whose feedback names the slip;
- compute, a vector or matrix -> `cloze`, one `{1:NUMERICAL:=value:tolerance}` per entry;
- compute, a label with listed choices -> `multichoice` over them, otherwise `shortanswer`
  with the label and its accepted synonyms;
- compute, a direction or a formula (right up to scale, or by equivalence) -> `essay`,
  since no Moodle type grades these; the grader information says what counts.

All text is `format="html"`: our own text is HTML-escaped, then ElementTree escapes it
again as XML, so `<script>`, `&` and `]]>` in a card arrive in Moodle as the characters.
The worked solution (or a card's explanation) is each question's `<generalfeedback>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html import escape

from flashcards.exams.build import Exam, ExamItem, ItemKind, exam_facts
from quizzes.problem import AnswerKind, Problem

WRONG_OPTION = "Not this one."
NUMBER_FORMAT = ".15g"


def moodle_file_name(exams: Sequence[Exam]) -> str:
    return f"{exams[0].spec_id}-moodle.xml"


def moodle_xml(exams: Sequence[Exam]) -> str:
    """One `<quiz>` with a category per variant, each followed by its questions."""
    quiz = ET.Element("quiz")
    for exam in exams:
        quiz.append(_category(exam))
        for item in exam.items:
            quiz.append(item_question(exam, item))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"


def category_path(exam: Exam) -> str:
    """Moodle splits category paths on "/", so a "/" inside a name is written "//"."""
    title = exam.title.replace("/", "//")
    return f"$course$/top/{title}/Variant {exam.variant}"


def _category(exam: Exam) -> ET.Element:
    question = ET.Element("question", type="category")
    _text(ET.SubElement(question, "category"), category_path(exam))
    info = ET.SubElement(question, "info", format="html")
    _text(info, _paragraphs(f"{exam_facts(exam)}\n\n{exam.instructions}"))
    return question


def item_question(exam: Exam, item: ExamItem) -> ET.Element:
    """The question element of one item, of the type its kind and answer call for."""
    if item.kind is ItemKind.CHOICE:
        return _card_choice(exam, item)
    if item.kind is ItemKind.OPEN or item.problem is None:
        return _essay(exam, item, _item_text(item), _key_html(item))
    problem = item.problem
    kind = problem.answer_kind
    if kind is AnswerKind.NUMBER:
        return _numerical(exam, item, problem)
    if kind in (AnswerKind.VECTOR, AnswerKind.MATRIX):
        return _cloze(exam, item, problem)
    if kind is AnswerKind.LABEL and problem.choices:
        return _label_choice(exam, item, problem)
    if kind is AnswerKind.LABEL:
        return _short_answer(exam, item, problem)
    return _essay(exam, item, _item_text(item), _grading_rule(item, problem))


def _start(exam: Exam, item: ExamItem, kind: str, text: str) -> ET.Element:
    """The parts every question type has, in the order the format document lists them."""
    question = ET.Element("question", type=kind)
    _text(ET.SubElement(question, "name"), f"Q{item.number} {item.topic_name}".strip())
    _text(ET.SubElement(question, "questiontext", format="html"), text)
    feedback = ET.SubElement(question, "generalfeedback", format="html")
    _text(feedback, _solution_html(item))
    ET.SubElement(question, "defaultgrade").text = _number(item.points)
    ET.SubElement(question, "penalty").text = "0"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = f"{exam.spec_id}-v{exam.variant}-q{item.number}"
    return question


def choice_feedback(item: ExamItem) -> list[str]:
    """Per option: "Right." or "Not this one.", each followed by the card's explanation."""
    explanation = " ".join(item.solution)
    right = f"Right. {explanation}".strip()
    wrong = f"{WRONG_OPTION} {explanation}".strip()
    return [right if index == item.correct else wrong for index in range(len(item.options))]


def label_feedback(problem: Problem) -> list[str]:
    """Per listed label: "Right.", the named mistake that gives it, or "Not this one."."""
    slips = {str(m.value): m.message for m in problem.mistakes}
    return [
        "Right." if choice == problem.expected else slips.get(choice, WRONG_OPTION)
        for choice in problem.choices
    ]


def _card_choice(exam: Exam, item: ExamItem) -> ET.Element:
    feedback = choice_feedback(item)
    return _multichoice(exam, item, list(item.options), item.correct, feedback)


def _label_choice(exam: Exam, item: ExamItem, problem: Problem) -> ET.Element:
    choices = list(problem.choices)
    correct = choices.index(str(problem.expected))
    return _multichoice(exam, item, choices, correct, label_feedback(problem))


def _multichoice(
    exam: Exam, item: ExamItem, options: list[str], correct: int | None, feedback: list[str]
) -> ET.Element:
    question = _start(exam, item, "multichoice", _item_text(item, options=False))
    ET.SubElement(question, "single").text = "true"
    ET.SubElement(question, "shuffleanswers").text = "0"
    ET.SubElement(question, "answernumbering").text = "abc"
    for index, option in enumerate(options):
        fraction = "100" if index == correct else "0"
        answer = ET.SubElement(question, "answer", fraction=fraction, format="html")
        _text(answer, escape(option))
        _text(ET.SubElement(answer, "feedback", format="html"), escape(feedback[index]))
    return question


def _numerical(exam: Exam, item: ExamItem, problem: Problem) -> ET.Element:
    question = _start(exam, item, "numerical", _item_text(item))
    value = _float(problem.expected)
    _numeric_answer(question, "100", value, absolute_tolerance(problem, value), "Right.")
    for mistake in problem.mistakes:
        if isinstance(mistake.value, int | float):
            wrong = float(mistake.value)
            tolerance = absolute_tolerance(problem, wrong)
            _numeric_answer(question, "0", wrong, tolerance, mistake.message)
    ET.SubElement(question, "unitgradingtype").text = "0"
    ET.SubElement(question, "unitpenalty").text = "0"
    ET.SubElement(question, "showunits").text = "3"  # no units asked
    ET.SubElement(question, "unitsleft").text = "0"
    return question


def _numeric_answer(
    question: ET.Element, fraction: str, value: float, tolerance: float, feedback: str
) -> None:
    answer = ET.SubElement(question, "answer", fraction=fraction, format="moodle_auto_format")
    _text(answer, format(value, NUMBER_FORMAT))
    ET.SubElement(answer, "tolerance").text = format(tolerance, NUMBER_FORMAT)
    _text(ET.SubElement(answer, "feedback", format="html"), escape(feedback))


def absolute_tolerance(problem: Problem, value: float) -> float:
    """The checker accepts |x - v| <= max(rel_tol * max(|x|, |v|), abs_tol); Moodle takes
    one absolute margin, so this is the checker's margin at v: max(rel_tol * |v|, abs_tol)."""
    return max(problem.rel_tol * abs(value), problem.abs_tol)


def cloze_field(problem: Problem, value: float) -> str:
    """One embedded NUMERICAL answer; Moodle reads `{weight:NUMERICAL:=value:tolerance}`."""
    tolerance = absolute_tolerance(problem, value)
    return f"{{1:NUMERICAL:={format(value, NUMBER_FORMAT)}:{format(tolerance, NUMBER_FORMAT)}}}"


def _cloze(exam: Exam, item: ExamItem, problem: Problem) -> ET.Element:
    rows = answer_rows(problem)
    if len(rows) == 1:
        fields = ", ".join(cloze_field(problem, value) for value in rows[0])
        blanks = f"<p>Answer: ( {fields} )</p>"
    else:
        cells = (
            "<tr>" + "".join(f"<td>{cloze_field(problem, v)}</td>" for v in row) + "</tr>"
            for row in rows
        )
        blanks = "<p>Answer (one entry per box):</p><table>" + "".join(cells) + "</table>"
    return _start(exam, item, "cloze", _item_text(item, hint=False) + blanks)


def answer_rows(problem: Problem) -> list[tuple[float, ...]]:
    """A vector as one row, a matrix as its rows: the entries a cloze or QTI item asks for."""
    expected = problem.expected
    if not isinstance(expected, tuple):
        raise TypeError(f"{problem.template}: {expected!r} is not a vector or a matrix")
    if problem.answer_kind is AnswerKind.MATRIX:
        return [tuple(_float(x) for x in _tuple(row)) for row in expected]
    return [tuple(_float(x) for x in expected)]


def _tuple(value: object) -> tuple[object, ...]:
    if not isinstance(value, tuple):
        raise TypeError(f"expected a matrix row, got {value!r}")
    return value


def _float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _short_answer(exam: Exam, item: ExamItem, problem: Problem) -> ET.Element:
    question = _start(exam, item, "shortanswer", _item_text(item))
    ET.SubElement(question, "usecase").text = "0"
    expected = str(problem.expected)
    for accepted in (expected, *problem.labels.get(expected, ())):
        answer = ET.SubElement(question, "answer", fraction="100", format="moodle_auto_format")
        _text(answer, _shortanswer_literal(accepted))
        _text(ET.SubElement(answer, "feedback", format="html"), "Right.")
    return question


def _shortanswer_literal(text: str) -> str:
    """In a short answer `*` is a wildcard; `\\*` is a literal star."""
    return text.replace("*", r"\*")


def _essay(exam: Exam, item: ExamItem, text: str, grader_info: str) -> ET.Element:
    question = _start(exam, item, "essay", text)
    ET.SubElement(question, "responseformat").text = "editor"
    ET.SubElement(question, "responserequired").text = "1"
    ET.SubElement(question, "responsefieldlines").text = "10"
    ET.SubElement(question, "attachments").text = "0"
    ET.SubElement(question, "attachmentsrequired").text = "0"
    _text(ET.SubElement(question, "graderinfo", format="html"), grader_info)
    _text(ET.SubElement(question, "responsetemplate", format="html"), "")
    return question


def _grading_rule(item: ExamItem, problem: Problem) -> str:
    if problem.answer_kind is AnswerKind.DIRECTION:
        rule = f"Any nonzero multiple of {item.answer} is right (a direction)."
    else:
        rule = f"Any answer equivalent to {item.answer} is right."
    return f"<p>{escape(rule)}</p>"


def _key_html(item: ExamItem) -> str:
    return f"<p><strong>Key:</strong></p>{_paragraphs(item.answer)}{_paragraphs_of(item)}"


def _item_text(item: ExamItem, *, options: bool = True, hint: bool = True) -> str:
    """The question as HTML: text, pre-formatted formula, and for compute items the format."""
    parts = [_paragraphs(item.question)]
    if item.math:
        parts.append(_pre(item.math))
    if item.kind is ItemKind.COMPUTE and options and item.options:
        parts.append(f"<p>Choices: {escape(', '.join(item.options))}</p>")
    if item.kind is ItemKind.COMPUTE and hint and item.answer_hint:
        parts.append(f"<p>Answer format: {escape(item.answer_hint)}</p>")
    return "".join(parts)


def _solution_html(item: ExamItem) -> str:
    if item.kind is not ItemKind.COMPUTE:
        return _paragraphs_of(item)
    steps = "".join(f"<li>{_pre(s) if chr(10) in s else escape(s)}</li>" for s in item.solution)
    return f"<p>Answer: {escape(item.answer)}</p><p>Worked solution:</p><ol>{steps}</ol>"


def _paragraphs_of(item: ExamItem) -> str:
    return "".join(_paragraphs(note) for note in item.solution)


def _paragraphs(text: str) -> str:
    """Blank lines split paragraphs; blocks indented four spaces keep their columns."""
    out = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if not block.strip():
            continue
        lines = block.splitlines()
        if all(line.startswith("    ") for line in lines):
            out.append(_pre("\n".join(line[4:] for line in lines)))
        else:
            out.append("<p>" + "<br/>".join(escape(line) for line in lines) + "</p>")
    return "".join(out)


def _pre(text: str) -> str:
    return "<pre>" + escape("\n".join(line.rstrip() for line in text.splitlines())) + "</pre>"


def _text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format(value, "g")
