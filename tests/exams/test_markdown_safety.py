"""Markdown exams carry no live HTML, from the spec or from the decks, and math still reads.

Each `.md` file is rendered with a CommonMark renderer that passes raw HTML through
(markdown-it-py, which Rich brings), so any tag that survived would show up as a tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from flashcards.decks.yaml_deck import load_decks
from flashcards.exams.build import build_exam
from flashcards.exams.render_md import exam_markdown, key_markdown, safe
from flashcards.exams.spec import load_spec
from quizzes.registry import check_params, names

WriteSpec = Callable[[str], Path]
HOSTILE_DECK = """\
id: hostile
name: "Deck <img src=x onerror=alert('deck')>"
cards:
  - id: hostile.choice
    kind: choice
    question: "Pick one <script>alert('q')</script> when x < y and a<b"
    answer: "<img src=x onerror=alert(1)>"
    distractors: ["<iframe src=evil>", "H ≻ 0", "`a<b` in code"]
    explanation: "<svg onload=alert(2)> then <!-- hidden --> and </p><b>bold</b>"
  - id: hostile.open
    front: "Explain <a href=javascript:alert(3)>this</a>; note a<b and x < y"
    back: "Because H ≻ 0 <script>alert(4)</script>\\n<style>body{display:none}</style>"
"""
HOSTILE_SPEC = """\
title: "T </title><script>alert('title')</script>"
minutes: 10
instructions: |
  Read this <img src=x onerror=alert(1)> carefully.
  <script>alert('instructions')</script>
sections:
  - title: "Cards <script>alert('section')</script>\\n# not a heading"
    decks: [hostile]
    count: 2
"""
LIVE_TAG = re.compile(r"(?<!\\)<[A-Za-z/!?]")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.comments: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(markdown: str) -> _Tags:
    parser = _Tags()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return parser


def hostile_exam_files(tmp_path: Path, write_spec: WriteSpec) -> list[str]:
    deck_file = tmp_path / "hostile.yaml"
    deck_file.write_text(HOSTILE_DECK, encoding="utf-8")
    decks = load_decks([deck_file], known_generators=names(), check_params=check_params)
    exam = build_exam(load_spec(write_spec(HOSTILE_SPEC), decks), decks, seed=1)
    return [exam_markdown(exam), key_markdown(exam)]


def test_no_html_from_the_spec_or_the_cards_survives_in_markdown(
    tmp_path: Path, write_spec: WriteSpec
) -> None:
    for markdown in hostile_exam_files(tmp_path, write_spec):
        assert "<script" not in markdown.lower()
        assert "<img" not in markdown.lower()
        outside_code = CODE_SPAN.sub("", markdown)
        assert LIVE_TAG.search(outside_code) is None, LIVE_TAG.findall(outside_code)
        html = rendered(markdown)
        allowed = {"h1", "h2", "p", "strong", "em", "ul", "li", "code", "hr", "table"}
        assert html.tags <= allowed | {"thead", "tbody", "tr", "th", "td"}, html.tags
        assert html.comments == []
        text = "".join(html.text)
        assert "<script>alert(" in text  # shown to the reader as text, not run


def test_titles_stay_on_one_line(tmp_path: Path, write_spec: WriteSpec) -> None:
    paper = hostile_exam_files(tmp_path, write_spec)[0]
    headings = [line for line in paper.splitlines() if line.startswith("#")]
    assert len(headings) == 2
    assert headings[1].startswith("## 1. Cards &lt;script>alert('section')&lt;/script> # not")


def test_math_still_reads_right(tmp_path: Path, write_spec: WriteSpec) -> None:
    paper, key = hostile_exam_files(tmp_path, write_spec)
    for markdown in (paper, key):
        text = "".join(rendered(markdown).text)
        for math in ("x < y", "a<b", "H ≻ 0"):
            assert math in text
    assert "`a<b` in code" in paper  # a code span is left as written


def test_safe_leaves_plain_math_and_code_alone_and_disarms_tags() -> None:
    assert safe("x < y, x<2, x <= y, H ≻ 0, `a<b`") == "x < y, x<2, x <= y, H ≻ 0, `a<b`"
    assert safe("a<b") == "a&lt;b"
    assert safe("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)>"
    assert safe(r"\`<b>\`") == r"\`&lt;b>\`"  # escaped backticks open no code span
    assert safe("`a\n\n<b>`") == "`a\n\n&lt;b>`"  # nor does a span broken by a blank line
