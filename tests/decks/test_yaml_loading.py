"""What a valid deck file becomes, where decks are found, and YAML round trips."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flashcards.decks.errors import DeckValidationError
from flashcards.decks.export import dump_deck_yaml, write_deck_yaml
from flashcards.decks.yaml_deck import load_deck, load_decks, parse_deck_text
from flashcards.model import Card, CardKind, Deck, Difficulty
from flashcards.paths import bundled_content_dir

EVERY_KIND = """
id: demo
name: Demo deck
description: Shows every kind.
tags: [optim, demo]
cards:
  - id: demo.basic
    difficulty: E
    tags: [calculus, optim]
    source: "Lecture 3"
    front: What does the gradient point towards?
    back: |

      Steepest ascent.
      Descent steps the other way.

  - id: demo.choice
    kind: choice
    question: Why is Newton's method rare in deep learning?
    answer: The Hessian is too costly.
    distractors: [It diverges on smooth functions., It needs a schedule.]
    explanation: O(n²) memory.
  - id: demo.cloze
    kind: cloze
    difficulty: M
    text: "θ ← θ - {{c2::η}} {{c1::∇f(θ)::gradient}} and {{c2::a rate}}"
    extra: η is the learning rate.
  - id: demo.compute
    kind: compute
    generator: gd-step
    params: {steps: 2}
  - id: demo.titled
    kind: compute
    generator: hessian-classify-2d
    title: Classify a critical point
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def small_deck(deck_id: str) -> str:
    return f"id: {deck_id}\nname: {deck_id.title()}\ncards:\n  - {{id: c1, front: F, back: B}}\n"


@pytest.fixture
def demo() -> Deck:
    return parse_deck_text(EVERY_KIND, "demo.yaml")


def card(deck: Deck, external_id: str) -> Card:
    return next(c for c in deck.cards if c.external_id == external_id)


def test_deck_metadata_and_card_order(demo: Deck) -> None:
    assert (demo.external_id, demo.name, demo.description) == (
        "demo",
        "Demo deck",
        "Shows every kind.",
    )
    assert demo.tags == ("optim", "demo")
    assert [c.external_id for c in demo.cards] == [
        "demo.basic",
        "demo.choice",
        "demo.cloze#c1",
        "demo.cloze#c2",
        "demo.compute",
        "demo.titled",
    ]


def test_a_basic_card_keeps_its_fields_and_gains_the_deck_tags(demo: Deck) -> None:
    basic = card(demo, "demo.basic")
    assert basic.kind is CardKind.BASIC
    assert basic.back == "Steepest ascent.\nDescent steps the other way."
    assert basic.tags == ("optim", "demo", "calculus")
    assert (basic.difficulty, basic.source) == (Difficulty.EASY, "Lecture 3")


def test_a_choice_card_maps_question_answer_and_explanation(demo: Deck) -> None:
    choice = card(demo, "demo.choice")
    assert choice.front == "Why is Newton's method rare in deep learning?"
    assert choice.back == "The Hessian is too costly."
    assert choice.distractors == ("It diverges on smooth functions.", "It needs a schedule.")
    assert choice.extra == "O(n²) memory."
    assert choice.difficulty is None


def test_a_cloze_note_becomes_one_card_per_deletion_number(demo: Deck) -> None:
    first, second = card(demo, "demo.cloze#c1"), card(demo, "demo.cloze#c2")
    assert (
        first.front
        == second.front
        == "θ ← θ - {{c2::η}} {{c1::∇f(θ)::gradient}} and {{c2::a rate}}"
    )
    assert (first.cloze, first.back) == (1, "∇f(θ)")
    assert (second.cloze, second.back) == (2, "η; a rate")
    assert first.extra == "η is the learning rate." and first.difficulty is Difficulty.MEDIUM


def test_compute_cards_name_their_template_and_get_a_default_title(demo: Deck) -> None:
    drill = card(demo, "demo.compute")
    assert (drill.generator, dict(drill.params), drill.front) == (
        "gd-step",
        {"steps": 2},
        "Compute: gd-step",
    )
    assert card(demo, "demo.titled").front == "Classify a critical point"


def test_a_deck_folder_joins_deck_yaml_and_card_files(tmp_path: Path) -> None:
    folder = tmp_path / "hessians"
    write(
        folder / "deck.yaml",
        "id: hess\nname: Hessians\ntags: [h]\ncards:\n  - {id: a, front: F, back: B}\n",
    )
    write(folder / "more.yaml", "cards:\n  - {id: b, front: F2, back: B2}\n")
    write(folder / "README.yaml", "not: a deck\n")
    deck = load_deck(folder)
    assert [c.external_id for c in deck.cards] == ["a", "b"]
    assert deck.cards[1].tags == ("h",)


def test_card_files_in_a_folder_hold_only_cards_and_ids_stay_unique(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    write(folder / "deck.yaml", "id: d\nname: D\ncards:\n  - {id: a, front: F, back: B}\n")
    extra = write(folder / "extra.yaml", "name: Other\ncards:\n  - {id: a, front: F, back: B}\n")
    with pytest.raises(DeckValidationError) as caught:
        load_deck(folder)
    unknown, duplicate = caught.value.problems
    assert (unknown.file, unknown.line, unknown.column) == (str(extra), 1, 1)
    assert "deck keys go in deck.yaml" in unknown.hint
    assert (duplicate.file, duplicate.line) == (str(extra), 3)
    assert f"first used at {folder / 'deck.yaml'}:4:10" in duplicate.hint


def test_a_folder_of_decks_skips_readmes_exams_and_exam_specs(tmp_path: Path) -> None:
    write(tmp_path / "b.yaml", small_deck("b"))
    write(tmp_path / "a.yml", small_deck("a"))
    write(tmp_path / "README.yaml", "whatever: true\n")
    write(tmp_path / "final.exam.yaml", "questions: []\n")
    write(tmp_path / "exams" / "deck.yaml", "not a deck\n")
    write(tmp_path / "folder" / "deck.yaml", small_deck("folder"))
    write(tmp_path / "notes" / "x.txt", "ignored: no deck.yaml here\n")
    decks = load_decks([tmp_path])
    assert [deck.external_id for deck in decks] == ["a", "b", "folder"]


def test_problems_of_every_file_are_collected_into_one_error(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", small_deck("good"))
    bad = write(tmp_path / "bad.yaml", "id: bad\nname: Bad\ncards:\n  - {id: x, front: F}\n")
    clash = write(tmp_path / "clash.yaml", small_deck("good"))
    not_yaml = write(tmp_path / "broken.yaml", "id: [\n")
    with pytest.raises(DeckValidationError) as caught:
        load_decks([good, bad, clash, not_yaml, tmp_path / "nowhere"])
    files = [problem.file for problem in caught.value.problems]
    assert files == [str(bad), str(clash), str(not_yaml), str(tmp_path / "nowhere")]
    assert f"the deck id 'good' is also used by {good}" in str(caught.value)


def test_tables_are_loaded_when_named_directly(tmp_path: Path) -> None:
    table = write(tmp_path / "vocab.csv", "front,back\nrisk,expected loss\n")
    [deck] = load_decks([table])
    assert (deck.external_id, deck.cards[0].back) == ("vocab", "expected loss")


def test_load_deck_on_a_folder_without_deck_yaml_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(DeckValidationError, match=r"this folder has no deck\.yaml"):
        load_deck(tmp_path)


def test_every_kind_survives_yaml_and_back(demo: Deck) -> None:
    text = dump_deck_yaml(demo)
    assert parse_deck_text(text, "again.yaml") == demo
    assert "&" not in text and "*" not in text


def test_a_written_file_loads_back_equal(tmp_path: Path, demo: Deck) -> None:
    path = tmp_path / "out.yaml"
    write_deck_yaml(demo, path)
    assert load_deck(path) == demo


def test_basic_cards_with_notes_from_anki_keep_them_through_yaml(tmp_path: Path) -> None:
    cards = (Card("n1", CardKind.BASIC, "Front", "Back", extra="Source: lecture 2\nSee fig. 3"),)
    deck = Deck("anki-import", "Anki import", cards=cards)
    path = tmp_path / "anki.yaml"
    write_deck_yaml(deck, path)
    assert load_deck(path) == deck


def test_text_that_looks_like_yaml_stays_text_through_a_round_trip() -> None:
    tricky = ("null", "yes", "12", "- item", "a: b", "{x}", "#hash", "  indented", "line\n  more")
    cards = tuple(
        Card(f"t{i}", CardKind.BASIC, text, f"back {text}") for i, text in enumerate(tricky)
    )
    deck = Deck("tricky", "Tricky", cards=cards)
    assert parse_deck_text(dump_deck_yaml(deck), "t.yaml") == deck


def test_the_bundled_decks_round_trip() -> None:
    decks = load_decks([bundled_content_dir()])
    assert decks
    for deck in decks:
        assert parse_deck_text(dump_deck_yaml(deck), f"{deck.external_id}.yaml") == deck
