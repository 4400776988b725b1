"""Drawing exams: reproducible from (spec, seed, variant), varied across variants, keyed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.bundled import bundled_decks
from flashcards.cardtext import LETTERS
from flashcards.exams.build import (
    CardRef,
    Exam,
    ItemKind,
    ProblemRef,
    build_exam,
    build_variants,
)
from flashcards.exams.draws import ExamSpec
from flashcards.exams.files import bundled_specs, exam_files
from flashcards.exams.spec import load_spec
from flashcards.model import Card, CardKind, Deck
from quizzes.checking import check_answer
from quizzes.registry import get

WriteSpec = Callable[[str], Path]


@pytest.fixture
def short(write_spec: WriteSpec, decks: list[Deck], short_spec: str) -> ExamSpec:
    return load_spec(write_spec(short_spec), decks)


@pytest.fixture(scope="module")
def mock_exam() -> tuple[ExamSpec, list[Deck]]:
    decks = bundled_decks()
    return load_spec(bundled_specs()["mock-exam"], decks), decks


def cards_by_ref(decks: list[Deck]) -> dict[CardRef, Card]:
    return {CardRef(d.external_id, c.external_id): c for d in decks for c in d.cards}


def drawn(exam: Exam) -> list[CardRef | ProblemRef]:
    return [item.source for item in exam.items]


def test_the_same_seed_and_variant_give_the_same_files(short: ExamSpec, decks: list[Deck]) -> None:
    first = exam_files(build_exam(short, decks, 42, 3), with_json=True)
    again = exam_files(build_exam(short, decks, 42, 3), with_json=True)
    assert first == again
    assert len(first) == 5


def test_builds_in_separate_processes_write_identical_bytes(tmp_path: Path) -> None:
    """String hashing is randomised per process; nothing in a build may depend on it."""
    outputs = []
    for hash_seed in ("1", "2"):
        folder = tmp_path / f"run{hash_seed}"
        command = [sys.executable, "-m", "flashcards", "exam", "build", "critical-points-quiz"]
        command += ["--seed", "9", "--variants", "2", "--json", "-o", str(folder)]
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
        outputs.append({path.name: path.read_bytes() for path in sorted(folder.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 10


def test_variants_differ_in_their_draws_and_numbers(
    mock_exam: tuple[ExamSpec, list[Deck]],
) -> None:
    spec, decks = mock_exam
    exams = build_variants(spec, decks, 2026, 4)
    assert [exam.variant for exam in exams] == [1, 2, 3, 4]
    card_sets = [{ref for ref in drawn(exam) if isinstance(ref, CardRef)} for exam in exams]
    seeds = [[ref.seed for ref in drawn(exam) if isinstance(ref, ProblemRef)] for exam in exams]
    for i, first in enumerate(exams):
        for j in range(i + 1, len(exams)):
            assert card_sets[i] != card_sets[j]
            assert seeds[i] != seeds[j]
            assert exam_files(first) != exam_files(exams[j])


def test_another_seed_gives_another_exam(short: ExamSpec, decks: list[Deck]) -> None:
    exams = [build_exam(short, decks, seed) for seed in range(8)]
    assert len({tuple(drawn(exam)) for exam in exams}) > 1


def test_every_item_has_a_key_that_its_own_grader_accepts(
    mock_exam: tuple[ExamSpec, list[Deck]],
) -> None:
    spec, decks = mock_exam
    cards = cards_by_ref(decks)
    for exam in build_variants(spec, decks, 11, 3):
        assert [item.number for item in exam.items] == list(range(1, spec.item_count + 1))
        for item in exam.items:
            assert item.answer.strip() and item.topic and item.topic_name
            if item.kind is ItemKind.COMPUTE:
                assert item.problem is not None and item.solution
                assert check_answer(item.problem, item.answer).correct
            elif item.kind is ItemKind.CHOICE:
                assert isinstance(item.source, CardRef)
                assert item.correct is not None
                assert item.options[item.correct] == cards[item.source].back
                assert item.answer.startswith(f"{LETTERS[item.correct]}) ")


def test_cards_become_the_right_kind_of_item(short: ExamSpec, decks: list[Deck]) -> None:
    cards = cards_by_ref(decks)
    exam = build_exam(short, decks, 5)
    kinds = [item.kind for item in exam.items]
    assert kinds == [ItemKind.CHOICE, ItemKind.CHOICE, ItemKind.OPEN, ItemKind.COMPUTE]
    for item in exam.items[:2]:
        assert isinstance(item.source, CardRef)
        card = cards[item.source]
        assert card.kind is CardKind.CHOICE
        assert sorted(item.options) == sorted([card.back, *card.distractors])
    open_item = exam.items[2]
    assert isinstance(open_item.source, CardRef)
    assert open_item.answer == cards[open_item.source].back
    assert exam.total_points == 2 + 2 + 3 + 4


def test_a_compute_item_is_the_problem_its_template_draws_for_the_recorded_seed(
    short: ExamSpec, decks: list[Deck]
) -> None:
    item = build_exam(short, decks, 5).items[3]
    assert isinstance(item.source, ProblemRef)
    again = get(item.source.template).generate(item.source.seed)
    assert item.source.version == again.version
    assert (item.question, item.math, item.solution) == (again.prompt, again.math, again.solution)


def test_choice_options_are_shuffled_by_the_seed(short: ExamSpec, decks: list[Deck]) -> None:
    orders = {
        item.options
        for seed in range(12)
        for item in build_exam(short, decks, seed).items
        if isinstance(item.source, CardRef) and item.source.card == "alpha.step"
    }
    assert len(orders) > 1


def test_a_cloze_card_becomes_an_open_item_with_its_deletion_blanked(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    spec = load_spec(write_spec(short_spec.replace("kinds: [basic]", "kinds: [cloze]")), decks)
    for seed in range(6):
        item = build_exam(spec, decks, seed).items[2]
        assert item.kind is ItemKind.OPEN
        assert item.answer in {"α", "∇f(θ)"}
        blanked = item.question.splitlines()[-1]
        assert "[…]" in blanked and item.answer not in blanked
        assert item.solution[0] == "Whole text: Gradient descent updates θ ← θ − α ∇f(θ)"


def test_sections_never_repeat_a_note_and_cloze_siblings_never_meet(
    write_spec: WriteSpec, decks: list[Deck]
) -> None:
    text = """
title: Everything twice
minutes: 5
sections:
  - decks: [alpha, beta]
    count: 4
  - decks: [alpha, beta]
    count: 3
"""
    spec = load_spec(write_spec(text), decks)
    for seed in range(20):
        refs = [item.source for item in build_exam(spec, decks, seed).items]
        notes = [ref.card.partition("#")[0] for ref in refs if isinstance(ref, CardRef)]
        assert len(notes) == len(set(notes)) == 7
