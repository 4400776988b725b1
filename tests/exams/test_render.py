"""Printed exams: well-formed self-contained HTML, Markdown and JSON that carry every key."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flashcards.bundled import bundled_decks
from flashcards.exams.build import Exam, ItemKind, build_exam
from flashcards.exams.files import bundled_specs, exam_files, write_exams
from flashcards.exams.render_html import exam_html, key_html
from flashcards.exams.render_md import exam_markdown, key_markdown
from flashcards.exams.serialize import exam_to_dict
from flashcards.exams.spec import load_spec
from flashcards.model import Card, CardKind, Deck

WriteSpec = Callable[[str], Path]
VOID = {"meta", "br", "hr", "img", "input", "link"}
MARKDOWN_ESCAPES = {ord(char): "\\" + char for char in "\\`*_[]<>"}


class _TagBalance(HTMLParser):
    """Checks that every non-void element is closed in order, as a browser would nest it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:  # `<meta ... />` reports an end tag as well
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def parse_html(page: str) -> _TagBalance:
    ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))  # strict: well-formed XML too
    checker = _TagBalance()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    return checker


@pytest.fixture(scope="module")
def mock_exam() -> Exam:
    decks = bundled_decks()
    return build_exam(load_spec(bundled_specs()["mock-exam"], decks), decks, 31, 2)


@pytest.fixture
def hostile_exam(write_spec: WriteSpec) -> Exam:
    card = Card(
        "odd",
        CardKind.CHOICE,
        "Is <script>alert('x')</script> & \"this\" safe?",
        back="Only when <b>escaped</b>",
        distractors=("Never & ever",),
        extra="An *emphasised* word and a </div> tag.",
    )
    deck = Deck("odd-deck", "Odd <deck>", cards=(card,))
    spec_text = (
        "title: A <title> & more\nminutes: 5\nsections:\n  - decks: [odd-deck]\n    count: 1\n"
    )
    spec = load_spec(write_spec(spec_text), [deck])
    return build_exam(spec, [deck], 1)


def test_exam_and_key_html_are_well_formed_and_need_nothing_from_outside(
    mock_exam: Exam,
) -> None:
    for page in (exam_html(mock_exam), key_html(mock_exam)):
        checker = parse_html(page)
        assert not checker.tags & {"script", "link", "img", "iframe", "object"}
        values = [value or "" for _name, value in checker.attributes]
        assert not any("http:" in v or "https:" in v or "//" in v for v in values)
        assert not any(name == "src" or name.startswith("on") for name, _ in checker.attributes)
        assert "default-src 'none'" in page.replace("&#x27;", "'")


def test_text_from_decks_is_escaped_not_interpreted(hostile_exam: Exam) -> None:
    for page in (exam_html(hostile_exam), key_html(hostile_exam)):
        checker = parse_html(page)
        assert "script" not in checker.tags and "b" not in checker.tags
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;this&quot;" in page
    key = key_html(hostile_exam)
    assert "Only when &lt;b&gt;escaped&lt;/b&gt;" in key
    assert "An <em>emphasised</em> word and a &lt;/div&gt; tag." in key
    assert "<title>A &lt;title&gt; &amp; more</title>" in exam_html(hostile_exam)


def test_the_exam_paper_hides_answers_and_the_key_shows_all_of_them(mock_exam: Exam) -> None:
    paper_md, key_md = exam_markdown(mock_exam), key_markdown(mock_exam)
    paper_html, key_page = exam_html(mock_exam), key_html(mock_exam)
    for item in mock_exam.items:
        assert f"**Question {item.number}**" in paper_md and f"**Question {item.number}**" in key_md
        assert f"Question {item.number} " in paper_html and f"Question {item.number} " in key_page
        if item.kind is ItemKind.COMPUTE:
            assert f"Answer: `{item.answer}`" in key_md
        elif item.kind is ItemKind.CHOICE:
            assert f"Answer: {item.answer}" in key_md
            assert f"Answer: {item.answer}" not in paper_md
    computed = sum(1 for item in mock_exam.items if item.kind is ItemKind.COMPUTE)
    assert key_md.count("Worked solution:") == computed == 5
    assert "Worked solution" not in paper_md


def test_worked_steps_appear_in_the_key_and_products_cannot_become_emphasis(
    mock_exam: Exam,
) -> None:
    key_md = key_markdown(mock_exam)
    steps = [s for i in mock_exam.items if i.kind is ItemKind.COMPUTE for s in i.solution]
    for step in steps:
        if "\n" in step:
            assert step.splitlines()[-1].rstrip() in key_md
        else:
            assert "- " + step.translate(MARKDOWN_ESCAPES) in key_md


def test_json_lists_every_item_with_its_source_and_key(mock_exam: Exam) -> None:
    files = exam_files(mock_exam, with_json=True)
    data = json.loads(files["mock-exam-v2.json"])
    assert data == exam_to_dict(mock_exam)
    items = [item for section in data["sections"] for item in section["items"]]
    assert len(items) == 41 and data["total_points"] == mock_exam.total_points
    for item, built in zip(items, mock_exam.items, strict=True):
        assert item["key"]["answer"] == built.answer
        assert ("template" in item["source"]) == (built.kind is ItemKind.COMPUTE)
        if built.kind is ItemKind.CHOICE:
            assert item["key"]["correct_option"] == built.correct_letter


def test_a_build_writes_exam_and_key_for_each_variant(tmp_path: Path, mock_exam: Exam) -> None:
    written = write_exams([mock_exam], tmp_path / "new" / "folder", with_json=False)
    assert sorted(path.name for path in written) == [
        "mock-exam-v2-exam.html",
        "mock-exam-v2-exam.md",
        "mock-exam-v2-key.html",
        "mock-exam-v2-key.md",
    ]
    for path in written:
        assert b"\r\n" not in path.read_bytes()
