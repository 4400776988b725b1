"""An exam and its answer key as single printable HTML files.

Each file stands alone: the style sheet is inline, there are no scripts, fonts or
images, and a Content-Security-Policy forbids loading anything, so a page opened
from a USB stick prints the same offline. Every piece of text is escaped; the
markup is also well-formed XML, which lets a test parse it strictly. Formulas are
Unicode; pretty-printed ones keep their columns in `<pre>` blocks.
"""

from __future__ import annotations

import re
from html import escape

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

CSP = "default-src 'none'; style-src 'unsafe-inline'"
CSS = """
body { font-family: "DejaVu Serif", Georgia, serif; line-height: 1.45; margin: 2em auto;
  max-width: 46em; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 2em; break-after: avoid; }
h3 { font-size: 1em; margin: 0 0 0.4em; }
.facts, .topic { color: #555; font-weight: normal; }
.item { margin: 1.2em 0; break-inside: avoid; }
.text { white-space: pre-wrap; margin: 0.4em 0; }
pre { font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 0.9em;
  margin: 0.5em 0; overflow-x: auto; }
.options { list-style: none; padding-left: 1em; }
.options li { margin: 0.2em 0; }
.letter { font-weight: bold; margin-right: 0.4em; }
.hint { color: #444; font-size: 0.9em; }
.line { border-bottom: 1px solid #333; height: 2em; }
.box { border: 1px solid #999; height: 7em; margin-top: 0.5em; }
.answer { background: #f1f1f1; padding: 0.3em 0.6em; }
.steps li { margin: 0.2em 0; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.6em; text-align: left; }
td.number { text-align: right; }
@page { margin: 1.8cm; }
@media print { body { margin: 0; max-width: none; } .answer { background: none; } }
""".strip()
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def exam_html(exam: Exam) -> str:
    """The student's paper: questions, options, and lines or boxes to write in."""
    body = [
        f"<h1>{escape(exam.title)}</h1>",
        f'<p class="facts">{escape(exam_facts(exam))}</p>',
        '<p>Name: <span class="facts">………………………………………………</span></p>',
        *_blocks(exam.instructions, markdown=True),
    ]
    for index, section in enumerate(exam.sections, start=1):
        body.append(_section_start(index, section))
        for item in section.items:
            body += _item(item, key=False)
        body.append("</section>")
    return _page(exam.title, body)


def key_html(exam: Exam) -> str:
    """The instructor's copy: answers, explanations and worked solutions."""
    body = [
        f"<h1>Answer key: {escape(exam.title)}</h1>",
        f'<p class="facts">{escape(exam_facts(exam))}</p>',
        *_totals(exam),
    ]
    for index, section in enumerate(exam.sections, start=1):
        body.append(_section_start(index, section))
        for item in section.items:
            body += _item(item, key=True)
        body.append("</section>")
    return _page(f"Answer key: {exam.title}", body)


def _page(title: str, body: list[str]) -> str:
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{escape(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"


def _totals(exam: Exam) -> list[str]:
    rows = ["<table>", "<tr><th>Section</th><th>Questions</th><th>Points</th></tr>"]
    for index, section in enumerate(exam.sections, start=1):
        total = sum(item.points for item in section.items)
        rows.append(
            f"<tr><td>{index}. {escape(section.title)}</td>"
            f'<td class="number">{len(section.items)}</td><td class="number">{total:g}</td></tr>'
        )
    return [*rows, "</table>"]


def _section_start(index: int, section: ExamSection) -> str:
    facts = escape(f"({section_facts(section)})")
    return (
        f'<section>\n<h2>{index}. {escape(section.title)} <span class="facts">{facts}</span></h2>'
    )


def _item(item: ExamItem, *, key: bool) -> list[str]:
    topic = f' <span class="topic">· {escape(item.topic_name)}</span>' if key else ""
    points = escape(f"({points_label(item.points)})")
    lines = [
        '<div class="item">',
        f'<h3>Question {item.number} <span class="facts">{points}</span>{topic}</h3>',
    ]
    compute = item.kind is ItemKind.COMPUTE
    lines += _blocks(item.question, markdown=not compute)
    if item.math:
        lines.append(_pre(item.math, "math"))
    if item.kind is ItemKind.CHOICE and not key:
        lines += _options(item)
    if compute and not key:
        lines += _compute_hints(item)
    lines += _answer(item) if key else _space(item)
    return [*lines, "</div>"]


def _options(item: ExamItem) -> list[str]:
    entries = (
        f'<li><span class="letter">{LETTERS[i]})</span>{_inline(option, markdown=True)}</li>'
        for i, option in enumerate(item.options)
    )
    return ['<ul class="options">', *entries, "</ul>"]


def _compute_hints(item: ExamItem) -> list[str]:
    lines = []
    if item.options:
        numbered = " · ".join(f"{i}. {option}" for i, option in enumerate(item.options, 1))
        lines.append(f'<p class="hint">Choices: {escape(numbered)}</p>')
    lines.append(f'<p class="hint">Answer format: {escape(item.answer_hint)}</p>')
    return lines


def _space(item: ExamItem) -> list[str]:
    if item.kind is ItemKind.CHOICE:
        return []
    if item.kind is ItemKind.COMPUTE:
        return ['<div class="line"></div>']
    return ['<div class="box"></div>']


def _answer(item: ExamItem) -> list[str]:
    compute = item.kind is ItemKind.COMPUTE
    answer = _inline(item.answer, markdown=not compute)
    lines = [f'<div class="answer"><strong>Answer:</strong> {answer}</div>']
    if compute:
        steps = (f"<li>{_step(step)}</li>" for step in item.solution)
        lines += ["<p><strong>Worked solution:</strong></p>", '<ol class="steps">', *steps, "</ol>"]
    else:
        for note in item.solution:
            lines += _blocks(note, markdown=True)
    return lines


def _step(step: str) -> str:
    return _pre(step) if "\n" in step else escape(step)


def _blocks(text: str, *, markdown: bool) -> list[str]:
    """Paragraphs keep their line breaks; blocks indented by four spaces become `<pre>`."""
    blocks = [block for block in re.split(r"\n[ \t]*\n", text.strip("\n")) if block.strip()]
    out = []
    for block in blocks:
        lines = block.splitlines()
        if all(line.startswith("    ") for line in lines):
            out.append(_pre("\n".join(line[4:] for line in lines)))
        else:
            out.append(f'<p class="text">{_inline(block.strip(), markdown=markdown)}</p>')
    return out


def _inline(text: str, *, markdown: bool) -> str:
    """Escaped text; in card text (Markdown) `*word*` becomes emphasis."""
    escaped = escape(text)
    return _EMPHASIS.sub(r"<em>\1</em>", escaped) if markdown else escaped


def _pre(text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    body = "\n".join(line.rstrip() for line in text.splitlines())
    return f"<pre{attribute}>{escape(body)}</pre>"
