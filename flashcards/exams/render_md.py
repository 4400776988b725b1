"""An exam and its answer key as Markdown, for instructors who edit or print from text.

Card text is already Markdown (see content/README.md) and goes in as written, except
that raw HTML is neutralized (`safe`): a `<` that could open a tag becomes `&lt;`, so
`<script>` or `<img onerror=...>` from a deck or a spec shows as text, while math such
as `x < y`, `a<2` and `H ≻ 0` is untouched and `a<b` still renders as `a<b`. The spec's
title and section titles are also kept to one line. Text from compute templates is
plain and uses `*` for products, so it is escaped; its pretty-printed formulas and
matrices go in fenced blocks, where column alignment survives. Output depends only on
the exam, never on the date or the machine, so the same spec and seed give
byte-identical files.
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
_TAG_START = re.compile(r"[A-Za-z/!?]")
_BACKTICKS = re.compile(r"`+")


def exam_markdown(exam: Exam) -> str:
    """The paper the student gets: questions, options and room for answers."""
    lines = [f"# {one_line(exam.title)}", "", exam_facts(exam), "", f"Name: {BLANK}", ""]
    if exam.instructions:
        lines += [safe(exam.instructions), ""]
    for index, section in enumerate(exam.sections, start=1):
        lines += [_section_heading(index, section), ""]
        for item in section.items:
            lines += _question(item)
    return _finish(lines)


def key_markdown(exam: Exam) -> str:
    """The instructor's copy: each answer with its explanation or worked solution."""
    lines = [f"# Answer key: {one_line(exam.title)}", "", exam_facts(exam), ""]
    lines += ["| Section | Questions | Points |", "| --- | ---: | ---: |"]
    for index, section in enumerate(exam.sections, start=1):
        total = sum(item.points for item in section.items)
        title = one_line(section.title).replace("|", "\\|")
        lines.append(f"| {index}. {title} | {len(section.items)} | {total:g} |")
    lines.append("")
    for index, section in enumerate(exam.sections, start=1):
        lines += [_section_heading(index, section), ""]
        for item in section.items:
            lines += _key_entry(item)
    return _finish(lines)


def _section_heading(index: int, section: ExamSection) -> str:
    return f"## {index}. {one_line(section.title)} ({section_facts(section)})"


def _question(item: ExamItem) -> list[str]:
    lines = [f"**Question {item.number}** ({points_label(item.points)})", ""]
    if item.kind is ItemKind.COMPUTE:
        lines += [plain(item.question), "", *_fenced(item.math)]
        if item.options:
            numbered = " · ".join(f"{i}. {plain(o)}" for i, o in enumerate(item.options, 1))
            lines += [f"Choices: {numbered}", ""]
        lines += [f"Answer format: {plain(item.answer_hint)}", "", f"Answer: {BLANK}", ""]
    elif item.kind is ItemKind.CHOICE:
        lines += [safe(item.question), ""]
        lines += [f"- {LETTERS[i]}) {safe(option)}" for i, option in enumerate(item.options)]
        lines.append("")
    else:
        lines += [safe(item.question), "", f"Answer: {BLANK}", "", BLANK, ""]
    return lines


def _key_entry(item: ExamItem) -> list[str]:
    topic = one_line(item.topic_name)
    heading = f"**Question {item.number}** ({points_label(item.points)} · {topic})"
    if item.kind is ItemKind.COMPUTE:
        lines = [heading, "", plain(item.question), "", *_fenced(item.math)]
        lines += [f"Answer: `{item.answer}`", "", "Worked solution:", ""]
        for step in item.solution:
            lines += _fenced(step) if "\n" in step else [f"- {plain(step)}"]
        return [*lines, ""]
    key = safe(item.answer)
    answer = ["**Answer:**", "", key] if "\n" in key else [f"Answer: {key}"]
    lines = [heading, "", safe(item.question), "", *answer, ""]
    for note in item.solution:
        lines += [safe(note), ""]
    return lines


def _fenced(text: str) -> list[str]:
    if not text:
        return []
    return ["", "```", *(line.rstrip() for line in text.splitlines()), "```", ""]


def plain(text: str) -> str:
    """Plain text made safe inside Markdown: `2*x*y` must not turn into emphasis."""
    return _SPECIAL.sub(r"\\\1", text)


def safe(text: str) -> str:
    """Markdown with raw HTML neutralized: `<` before a letter, `/`, `!` or `?` is `&lt;`.

    Backslash escapes and one-line code spans are copied as they are (inside a code span
    `<` is already literal); a code span that would run over a line end is not trusted,
    since a block boundary there would end it and expose what follows.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            out.append(text[index : index + 2])
            index += 2
        elif char == "`":
            run = _BACKTICKS.match(text, index)
            assert run is not None
            end = _code_span_end(text, run.end(), len(run.group()))
            out.append(text[index:end])
            index = end
        elif char == "<" and _TAG_START.match(text, index + 1):
            out.append("&lt;")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _code_span_end(text: str, start: int, ticks: int) -> int:
    """Where the code span opened by `ticks` backticks ends, or `start` if none closes it."""
    line_end = text.find("\n", start)
    closing = re.compile(rf"(?<!`)`{{{ticks}}}(?!`)")
    found = closing.search(text, start, len(text) if line_end < 0 else line_end)
    return found.end() if found else start


def one_line(text: str) -> str:
    """A title for a heading or table cell: white space runs (newlines too) become one space."""
    return safe(" ".join(text.split()))


def _finish(lines: list[str]) -> str:
    """One trailing newline and no runs of blank lines, however the parts were joined."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
