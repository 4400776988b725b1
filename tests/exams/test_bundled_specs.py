"""The shipped exam specs are fair exams: they fit their time, follow their own rules,
vary between seeds, and the documented example builds.

Minutes per item are the usual rule of thumb for written exams, kept in the core
(`flashcards.exams.draws.MINUTES_PER_ITEM`, `COMPUTE_MINUTES`) so that `flashcards
validate` warns by the same numbers: a multiple-choice item about a minute, a fill-in
two, a short written answer three, a worked computation five.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flashcards.bundled import bundled_decks
from flashcards.exams.build import build_exam
from flashcards.exams.draws import CardDraw, ExamSpec, TemplateDraw, card_pool
from flashcards.exams.files import bundled_specs
from flashcards.exams.spec import load_spec, parse_spec
from flashcards.model import Deck
from quizzes.registry import get

ROUNDED_ANSWER = 1e-3
"""A relative tolerance this loose means the answer needs a calculator (logs, roots)."""
NO_CALCULATOR = re.compile(r"\bno\b(\s+\w+){0,3}\s+calculators?\b", re.IGNORECASE)
EXAMS_README = Path(__file__).resolve().parents[2] / "content" / "exams" / "README.md"


@pytest.fixture(scope="module")
def decks() -> list[Deck]:
    return bundled_decks()


@pytest.fixture(scope="module")
def specs(decks: list[Deck]) -> dict[str, ExamSpec]:
    return {name: load_spec(path, decks) for name, path in bundled_specs().items()}


def test_every_shipped_exam_fits_its_time_limit(specs: dict[str, ExamSpec]) -> None:
    for name, spec in specs.items():
        assert spec.estimated_minutes <= spec.minutes, (
            f"{name}: about {spec.estimated_minutes:.0f} minutes of work in {spec.minutes}"
        )


def test_every_card_section_has_room_to_vary(specs: dict[str, ExamSpec], decks: list[Deck]) -> None:
    by_id = {deck.external_id: deck for deck in decks}
    for name, spec in specs.items():
        for section in spec.sections:
            if isinstance(section.draw, CardDraw):
                pool = len(card_pool(section.draw, by_id))
                assert pool >= 1.5 * section.count, (
                    f"{name}, {section.title}: draws {section.count} of {pool} cards, "
                    "so every variant asks nearly the same"
                )


def test_no_calculator_rule_matches_the_problems(specs: dict[str, ExamSpec]) -> None:
    for name, spec in specs.items():
        if not NO_CALCULATOR.search(spec.instructions):
            continue
        for section in spec.sections:
            if isinstance(section.draw, TemplateDraw):
                for template in section.draw.templates:
                    needs = any(
                        get(template).generate(seed).rel_tol >= ROUNDED_ANSWER for seed in range(5)
                    )
                    assert not needs, f"{name} forbids calculators but draws {template}"


def test_the_documented_example_spec_builds(decks: list[Deck]) -> None:
    text = EXAMS_README.read_text(encoding="utf-8")
    example = text.split("## A complete example", 1)[1].split("```yaml\n", 1)[1]
    example = example.split("```", 1)[0]
    spec = parse_spec(example, str(EXAMS_README), decks)
    exam = build_exam(spec, decks, seed=1)
    assert sum(len(section.items) for section in exam.sections) == spec.item_count
