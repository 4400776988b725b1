"""An exam and its answer key as Markdown, for instructors who edit or print from text.

Card text is already Markdown (see content/README.md) and goes in as written.
Text from compute templates is plain and uses `*` for products, so it is escaped;
its pretty-printed formulas and matrices go in fenced blocks, where column
alignment survives. Output depends only on the exam, never on the date or the
machine, so the same spec and seed give byte-identical files.
"""

from __future__ import annotations

import re

from flashcards.cardtext import LETTERS
from flashcards.exams.build import (
    Exam,
    ExamItem,
    ExamSection,
    ItemKind,
    exam_facts,
    points_label,
    section_facts,
)

BLANK = "_" * 40
_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def exam_markdown(exam: Exam) -> str:
    """The paper the student gets: questions, options and room for answers."""
    lines = [f"# {exam.title}", "", exam_facts(exam), "", f"Name: {BLANK}", ""]
    if exam.instructions:
        lines += [exam.instructions, ""]
    for index, section in enumerate(exam.sections, start=1):
        lines += [_section_heading(index, section), ""]
        for item in section.items:
            lines += _question(item)
    return _finish(lines)


def key_markdown(exam: Exam) -> str:
    """The instructor's copy: each answer with its explanation or worked solution."""
    lines = [f"# Answer key: {exam.title}", "", exam_facts(exam), ""]
    lines += ["| Section | Questions | Points |", "| --- | ---: | ---: |"]
    for index, section in enumerate(exam.sections, start=1):
        total = sum(item.points for item in section.items)
        lines.append(f"| {index}. {section.title} | {len(section.items)} | {total:g} |")
    lines.append("")
    for index, section in enumerate(exam.sections, start=1):
        lines += [_section_heading(index, section), ""]
        for item in section.items:
            lines += _key_entry(item)
    return _finish(lines)


def _section_heading(index: int, section: ExamSection) -> str:
    return f"## {index}. {section.title} ({section_facts(section)})"


def _question(item: ExamItem) -> list[str]:
    lines = [f"**Question {item.number}** ({points_label(item.points)})", ""]
    if item.kind is ItemKind.COMPUTE:
        lines += [plain(item.question), "", *_fenced(item.math)]
        if item.options:
            numbered = " · ".join(f"{i}. {plain(o)}" for i, o in enumerate(item.options, 1))
            lines += [f"Choices: {numbered}", ""]
        lines += [f"Answer format: {plain(item.answer_hint)}", "", f"Answer: {BLANK}", ""]
    elif item.kind is ItemKind.CHOICE:
        lines += [item.question, ""]
        lines += [f"- {LETTERS[i]}) {option}" for i, option in enumerate(item.options)]
        lines.append("")
    else:
        lines += [item.question, "", f"Answer: {BLANK}", "", BLANK, ""]
    return lines


def _key_entry(item: ExamItem) -> list[str]:
    heading = f"**Question {item.number}** ({points_label(item.points)} · {item.topic_name})"
    if item.kind is ItemKind.COMPUTE:
        lines = [heading, "", plain(item.question), "", *_fenced(item.math)]
        lines += [f"Answer: `{item.answer}`", "", "Worked solution:", ""]
        for step in item.solution:
            lines += _fenced(step) if "\n" in step else [f"- {plain(step)}"]
        return [*lines, ""]
    answer = ["**Answer:**", "", item.answer] if "\n" in item.answer else [f"Answer: {item.answer}"]
    lines = [heading, "", item.question, "", *answer, ""]
    for note in item.solution:
        lines += [note, ""]
    return lines


def _fenced(text: str) -> list[str]:
    if not text:
        return []
    return ["", "```", *(line.rstrip() for line in text.splitlines()), "```", ""]


def plain(text: str) -> str:
    """Plain text made safe inside Markdown: `2*x*y` must not turn into emphasis."""
    return _SPECIAL.sub(r"\\\1", text)


def _finish(lines: list[str]) -> str:
    """One trailing newline and no runs of blank lines, however the parts were joined."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
