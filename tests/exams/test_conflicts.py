"""Items that answer each other never share an exam, and a spec says when it cannot
keep them apart.

Compute problems are stubbed in the many-seed tests: which template a section takes
is decided before its problem is generated, and generating hundreds of problems would
only make the tests slow.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flashcards.bundled import bundled_decks
from flashcards.exams.build import (
    CardRef,
    Exam,
    ExamItem,
    ItemKind,
    ProblemRef,
    build_exam,
)
from flashcards.exams.conflicts import (
    SAME_FACT,
    TEMPLATE_GIVEAWAYS,
    find_conflicts,
    same_fact_pairs,
    spec_conflicts,
    template_key,
)
from flashcards.exams.draws import ItemKey, SectionSpec, note_id
from flashcards.exams.files import bundled_specs
from flashcards.exams.spec import ExamSpecError, load_spec, parse_spec
from flashcards.model import Card, CardKind, Deck
from quizzes.registry import names

WriteSpec = Callable[[str], Path]
SEEDS = 200
VARIANTS = 3


@dataclass(frozen=True)
class _StubProblem:
    template: str
    seed: int


@dataclass(frozen=True)
class _StubTemplate:
    name: str
    topic: str = ""

    def generate(self, seed: int) -> _StubProblem:
        return _StubProblem(self.name, seed)


def _stub_item(
    problem: _StubProblem, topic: str, name: str, number: int, index: int, section: SectionSpec
) -> ExamItem:
    source = ProblemRef(problem.template, 1, problem.seed)
    return ExamItem(number, index, ItemKind.COMPUTE, section.points, topic, name, "", "", source)


@pytest.fixture
def stub_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("quizzes.registry.get", _StubTemplate)
    monkeypatch.setattr("flashcards.exams.build.problem_item", _stub_item)


@pytest.fixture(scope="module")
def bundled() -> list[Deck]:
    return bundled_decks()


def item_keys(exam: Exam) -> Iterator[ItemKey]:
    for item in exam.items:
        source = item.source
        if isinstance(source, CardRef):
            yield source.deck, source.card.partition("#")[0]
        else:
            yield template_key(source.template)


@pytest.mark.usefixtures("stub_templates")
def test_no_bundled_exam_holds_two_items_that_answer_each_other(bundled: list[Deck]) -> None:
    by_id = {deck.external_id: deck for deck in bundled}
    seen: set[ItemKey] = set()
    for name, path in bundled_specs().items():
        spec = load_spec(path, bundled)
        conflicts = spec_conflicts(spec, by_id)
        for seed, variant in itertools.product(range(SEEDS), range(1, VARIANTS + 1)):
            keys = list(item_keys(build_exam(spec, bundled, seed, variant, conflicts)))
            seen.update(keys)
            for first, second in itertools.combinations(keys, 2):
                assert not conflicts.clash(first, second), (name, seed, variant, first, second)
    # Both sides of the pairs the issue names were drawn, just never together.
    for key in [
        template_key("adam-step"),
        ("gradient-descent", "gradient-descent.adam"),
        template_key("nesterov-step"),
        ("gradient-descent", "gradient-descent.nesterov"),
        ("critical-points", "critical-points.pd-test"),
        ("critical-points", "critical-points.positive-definite"),
    ]:
        assert key in seen, key


ADAM_SPEC = """\
title: Adam
minutes: 30
sections:
  - decks: [gradient-descent]
    tags: [adam]
    kinds: [basic, cloze, choice]
    count: 4
  - templates: [adam-step, gd-step]
    count: 1
"""


@pytest.mark.usefixtures("stub_templates")
def test_the_adam_step_template_never_comes_with_the_cards_that_ask_for_its_update(
    bundled: list[Deck],
) -> None:
    spec = parse_spec(ADAM_SPEC, "adam.exam.yaml", bundled)
    for seed in range(SEEDS):
        keys = set(item_keys(build_exam(spec, bundled, seed)))
        assert template_key("gd-step") in keys or not (
            {("gradient-descent", card) for card in TEMPLATE_GIVEAWAYS["adam-step"]} & keys
        ), seed


def test_a_section_that_conflicts_could_empty_is_a_spec_error(bundled: list[Deck]) -> None:
    text = ADAM_SPEC.replace("[adam-step, gd-step]", "[adam-step]")
    with pytest.raises(ExamSpecError) as caught:
        parse_spec(text, "adam.exam.yaml", bundled)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (8, 16)
    assert "may rule out every template" in problem.message


def card_ids(exam: Exam) -> set[str]:
    return {item.source.card for item in exam.items if isinstance(item.source, CardRef)}


@pytest.mark.usefixtures("stub_templates")
def test_apart_groups_keep_their_cards_apart(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    pair = {"alpha.step", "alpha.rate"}
    plain = load_spec(write_spec(short_spec), decks)
    assert any(pair <= card_ids(build_exam(plain, decks, seed)) for seed in range(SEEDS))
    spec = load_spec(write_spec(short_spec + "apart:\n  - [alpha.step, alpha.rate]\n"), decks)
    for seed in range(SEEDS):
        assert not pair <= card_ids(build_exam(spec, decks, seed)), seed


def test_an_apart_group_that_leaves_too_few_cards_is_reported_with_the_count_to_use(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec + "apart:\n  - [alpha.step, alpha.rate, alpha.hessian]\n"
    with pytest.raises(ExamSpecError) as caught:
        load_spec(write_spec(text), decks)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (8, 12)
    assert "some seeds leave only 1" in problem.message
    assert "lower `count` to 1" in problem.hint


def test_apart_names_are_checked_with_did_you_mean(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec + "apart:\n  - [alpha.stpe, jensen-gpa]\n  - [alpha.step]\n"
    with pytest.raises(ExamSpecError) as caught:
        load_spec(write_spec(text), decks)
    found = [(p.line, p.column, p.message, p.hint) for p in caught.value.problems]
    assert found[0][:3] == (20, 6, "unknown card id or template 'alpha.stpe'")
    assert "did you mean 'alpha.step'" in found[0][3]
    assert found[1][:3] == (20, 18, "unknown card id or template 'jensen-gpa'")
    assert "did you mean 'jensen-gap'" in found[1][3]
    assert found[2][:3] == (21, 5, "each group in `apart` needs two or more entries")


def _note(deck: str, card_id: str, front: str, back: str) -> tuple[Deck, tuple[Card, ...]]:
    card = Card(external_id=card_id, kind=CardKind.BASIC, front=front, back=back)
    return Deck(external_id=deck, name=deck, cards=(card,)), (card,)


def test_a_card_whose_question_writes_out_another_cards_key_conflicts_with_it() -> None:
    asks = _note("d", "d.rule", "Write the update rule of gradient descent.", "θ_new = θ − η ∇f(θ)")
    shows = _note("d", "d.shows", "Descent sets θ_new = θ - η ∇f(θ). Why the minus?", "x")
    other = _note("d", "d.other", "Why does a large learning rate diverge?", "θ − η")
    assert same_fact_pairs([asks, shows, other]) == [(("d", "d.rule"), ("d", "d.shows"))]


def test_short_keys_and_named_terms_do_not_count_as_given_away() -> None:
    term = _note("d", "d.term", "Which paradigm uses no labels at all?", "Unsupervised learning")
    names_it = _note("d", "d.what", "What is unsupervised learning? Give an example.", "…")
    assert same_fact_pairs([term, names_it]) == []


def test_near_identical_questions_conflict() -> None:
    first = _note(
        "a", "a.q", "With a constant gradient g and momentum β, where does θ settle?", "x"
    )
    second = _note(
        "b", "b.q", "With a constant gradient g and momentum β, where does θ settle?!", "y"
    )
    assert same_fact_pairs([first, second]) == [(("a", "a.q"), ("b", "b.q"))]


def test_the_declared_giveaways_name_real_templates_and_cards(bundled: list[Deck]) -> None:
    notes = {note_id(card) for deck in bundled for card in deck.cards}
    assert set(TEMPLATE_GIVEAWAYS) <= set(names())
    for given in [*TEMPLATE_GIVEAWAYS.values(), *SAME_FACT]:
        assert set(given) <= notes, set(given) - notes


def test_find_conflicts_is_symmetric_and_reads_apart_groups() -> None:
    first, second = ("a", "a.1"), ("b", "b.2")
    conflicts = find_conflicts([], (), [frozenset({first, second})])
    assert conflicts.clash(first, second)
    assert conflicts.clash(second, first)
