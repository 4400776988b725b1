"""Exams shared by the Moodle and QTI tests (tests/exams): the mock exam and a hostile one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flashcards.bundled import bundled_decks
from flashcards.exams.build import Exam, build_variants
from flashcards.exams.files import bundled_specs
from flashcards.exams.spec import load_spec
from flashcards.model import Card, CardKind, Deck
from quizzes.problem import AnswerKind

WriteSpec = Callable[[str], Path]
HOSTILE_QUESTION = "Is <script>alert('x')</script> & $x$ ]]> ![i](/etc/passwd) safe?"
HOSTILE_ANSWER = "Only when <b>escaped</b> & ]]>"
HOSTILE_PROMPT = "Explain what <iframe src=x> does to a page & why ]]> ends CDATA."
HOSTILE_KEY = "It embeds <u>another</u> page & ]]> closes a CDATA section."


def mock_exams(seed: int, count: int) -> list[Exam]:
    decks = bundled_decks()
    return build_variants(load_spec(bundled_specs()["mock-exam"], decks), decks, seed, count)


def covering_exams() -> list[Exam]:
    """Mock-exam variants until every compute answer kind the exam can draw has appeared."""
    wanted = {AnswerKind.NUMBER, AnswerKind.VECTOR, AnswerKind.LABEL, AnswerKind.DIRECTION}
    exams: list[Exam] = []
    seen: set[AnswerKind] = set()
    seed = 0
    while not wanted <= seen:
        exams += mock_exams(seed, 2)
        seen = {item.problem.answer_kind for exam in exams for item in exam.items if item.problem}
        seed += 1
    return exams


def hostile_exam(write_spec: WriteSpec) -> Exam:
    """Card and spec text that would be markup, CDATA ends, math or an image if not escaped."""
    choice = Card(
        "odd",
        CardKind.CHOICE,
        HOSTILE_QUESTION,
        back=HOSTILE_ANSWER,
        distractors=("Never & ever <i>",),
        extra="An *emphasised* word and a </div> tag ]]>.",
    )
    open_card = Card("open", CardKind.BASIC, HOSTILE_PROMPT, back=HOSTILE_KEY)
    deck = Deck("odd-deck", "Odd <deck>", cards=(choice, open_card))
    spec_text = (
        "title: A/B <title> & ]]> more\nminutes: 5\nsections:\n"
        "  - decks: [odd-deck]\n    kinds: [choice]\n    count: 1\n"
        "  - decks: [odd-deck]\n    kinds: [basic]\n    count: 1\n"
    )
    spec = load_spec(write_spec(spec_text), [deck])
    return build_variants(spec, [deck], 1, 1)[0]
