"""The bundled decks must cover the syllabus and be usable as exam questions.

The syllabus is the contract for what a student can study, so these checks read
it (when the shared folder is present) rather than trusting a list that could
drift from it. Exams turn choice cards into multiple-choice questions, which is
why their distractors get checked as carefully as the answers.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from flashcards.decks.yaml_deck import load_decks
from flashcards.model import Card, CardKind, Deck, Difficulty

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
DEFAULT_SYLLABUS = Path(__file__).resolve().parents[2] / "shared" / "SYLLABUS.md"

# Used only when SYLLABUS.md is not available (e.g. a source distribution).
FALLBACK_SLUGS: dict[int, str] = {
    1: "erm",
    2: "jensen",
    3: "occam",
    4: "capacity",
    5: "paradigms",
    6: "regularization",
    7: "critical-points",
    8: "second-order",
    9: "challenges",
    10: "gradient-descent",
    11: "models",
}
STUDIED_SECTIONS = range(1, 12)
MIN_CARDS = 80
MAX_BACK_LINES = 8
MAX_LINE_WIDTH = 72

HEADING = re.compile(r"^## (\d+)\. .*`([a-z0-9-]+)`\s*$")
TOPIC_LINE = re.compile(r"^- ([EMH]) · ")


@dataclass(frozen=True)
class Section:
    number: int
    slug: str
    difficulties: frozenset[Difficulty]


def syllabus_path() -> Path:
    configured = os.environ.get("FLASHCARDS_SYLLABUS")
    return Path(configured) if configured else DEFAULT_SYLLABUS


def parse_syllabus(text: str) -> list[Section]:
    """Sections with the difficulty tags their topic lines use."""
    slugs: dict[int, str] = {}
    tags: dict[int, set[Difficulty]] = defaultdict(set)
    number: int | None = None
    for line in text.splitlines():
        if heading := HEADING.match(line):
            number = int(heading[1])
            slugs[number] = heading[2]
        elif (topic := TOPIC_LINE.match(line)) and number is not None:
            tags[number].add(Difficulty(topic[1]))
    return [Section(n, slug, frozenset(tags[n])) for n, slug in slugs.items()]


def studied_sections() -> list[Section]:
    path = syllabus_path()
    if path.is_file():
        sections = parse_syllabus(path.read_text(encoding="utf-8"))
        return [s for s in sections if s.number in STUDIED_SECTIONS]
    return [Section(n, slug, frozenset(Difficulty)) for n, slug in FALLBACK_SLUGS.items()]


COMPUTE_DECK = "compute"
"""Section 12's deck: generated problems, checked by `test_compute_deck_*` below."""


@pytest.fixture(scope="module")
def all_decks() -> list[Deck]:
    return load_decks([CONTENT])


@pytest.fixture(scope="module")
def decks(all_decks: list[Deck]) -> list[Deck]:
    """The written decks of sections 1 to 11."""
    return [deck for deck in all_decks if deck.external_id != COMPUTE_DECK]


@pytest.fixture(scope="module")
def cards(decks: list[Deck]) -> list[Card]:
    return [card for deck in decks for card in deck.cards]


def base_id(card: Card) -> str:
    """Cloze cards from one note share their text, so compare notes, not cards."""
    return card.external_id.split("#", 1)[0]


def normalized(text: str) -> str:
    return " ".join(text.casefold().split())


def section_of(card_id: str, sections: list[Section]) -> Section | None:
    return next((s for s in sections if card_id.startswith(s.slug + ".")), None)


def test_syllabus_parser_reads_slugs_and_difficulties() -> None:
    text = "## 1. Risk — `erm`\n- E · one\n- M · two\n\n## 2. Jensen — `jensen`\n- H · x\n"
    assert parse_syllabus(text) == [
        Section(1, "erm", frozenset({Difficulty.EASY, Difficulty.MEDIUM})),
        Section(2, "jensen", frozenset({Difficulty.HARD})),
    ]


def test_syllabus_lists_every_studied_section() -> None:
    assert [s.number for s in studied_sections()] == list(STUDIED_SECTIONS)


def test_every_studied_section_has_cards(cards: list[Card]) -> None:
    missing = [
        s.slug
        for s in studied_sections()
        if not any(c.external_id.startswith(s.slug + ".") for c in cards)
    ]
    assert not missing, f"no cards for syllabus sections: {missing}"


def test_every_card_belongs_to_a_studied_section(decks: list[Deck]) -> None:
    sections = studied_sections()
    slugs = {s.slug for s in sections}
    stray = [d.external_id for d in decks if d.external_id not in slugs]
    assert not stray, f"decks whose id is not a syllabus slug: {stray}"
    misplaced = [
        c.external_id
        for d in decks
        for c in d.cards
        if not c.external_id.startswith(d.external_id + ".")
    ]
    assert not misplaced, f"card ids not prefixed with their deck's slug: {misplaced}"


def test_card_ids_are_unique(cards: list[Card]) -> None:
    counts = Counter(c.external_id for c in cards)
    assert not [card_id for card_id, n in counts.items() if n > 1]


def test_no_two_notes_ask_the_same_question(cards: list[Card]) -> None:
    notes_by_front: dict[str, set[str]] = defaultdict(set)
    for card in cards:
        notes_by_front[normalized(card.front)].add(base_id(card))
    repeated = {front: ids for front, ids in notes_by_front.items() if len(ids) > 1}
    assert not repeated, f"same question in several cards: {repeated}"


def test_there_are_enough_cards(cards: list[Card]) -> None:
    assert len(cards) >= MIN_CARDS


def test_a_third_are_choice_cards_with_three_distractors(cards: list[Card]) -> None:
    choice = [c for c in cards if c.kind is CardKind.CHOICE and len(c.distractors) == 3]
    assert 3 * len(choice) >= len(cards), f"{len(choice)} of {len(cards)} are choice cards"


def test_choice_options_are_all_different(cards: list[Card]) -> None:
    for card in (c for c in cards if c.kind is CardKind.CHOICE):
        options = [normalized(o) for o in (card.back, *card.distractors)]
        assert len(set(options)) == len(options), f"{card.external_id}: repeated option"
        assert all(options), f"{card.external_id}: empty option"


def test_difficulties_match_the_syllabus(cards: list[Card]) -> None:
    sections = studied_sections()
    for card in cards:
        assert card.difficulty is not None, f"{card.external_id}: no difficulty"
        section = section_of(card.external_id, sections)
        assert section is not None
        # A card may go deeper than its syllabus line (a derivation, a counter-example),
        # so H is allowed anywhere; E and M must match a line of the section.
        assert card.difficulty in section.difficulties | {Difficulty.HARD}, (
            f"{card.external_id}: difficulty {card.difficulty} not used in section {section.slug}"
        )


def test_cards_read_well_in_a_terminal(cards: list[Card]) -> None:
    for card in cards:
        text = card.front + card.back + card.extra + "".join(card.distractors)
        assert "\\frac" not in text and "$" not in text, f"{card.external_id}: LaTeX"
        if card.kind is CardKind.BASIC:
            lines = card.back.strip().splitlines()
            assert len([line for line in lines if line.strip()]) <= MAX_BACK_LINES, (
                f"{card.external_id}: back has more than {MAX_BACK_LINES} lines of text"
            )
            assert max(len(line) for line in lines) <= MAX_LINE_WIDTH, (
                f"{card.external_id}: a line of the back is wider than {MAX_LINE_WIDTH}"
            )


def test_compute_deck_drills_every_template(all_decks: list[Deck]) -> None:
    from quizzes.registry import check_params, names

    [compute] = [deck for deck in all_decks if deck.external_id == COMPUTE_DECK]
    assert all(card.kind is CardKind.COMPUTE for card in compute.cards)
    assert {card.generator for card in compute.cards} == names()
    for card in compute.cards:
        check_params(card.generator, card.params)  # raises on an unknown option
    titles = [normalized(card.front) for card in compute.cards]
    assert len(set(titles)) == len(titles)


# Quality bars from the content review (issue 13): a student must not be able to pass a
# choice card by picking the longest option or the one without "always", every deck has
# hard cards, and tags find cards and problems alike.
MIN_ENTRIES = 230
MAX_LONGEST_KEY_SHARE = 0.30
MIN_HARD_SHARE = 0.15
MAX_BACK_WORDS = 45
ABSOLUTE = re.compile(r"\b(always|never|only|exactly|guaranteed)\b", re.IGNORECASE)


def tag_vocabulary() -> frozenset[str]:
    """The backticked words of the "## Tags" list in content/README.md."""
    text = (CONTENT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Tags\n", 1)[1].split("\n## ", 1)[0]
    listed = "\n".join(line for line in section.splitlines() if line.startswith(("- ", "  ")))
    return frozenset(re.findall(r"`([a-z0-9-]+)`", listed))


def notes(deck_list: list[Deck]) -> dict[str, Card]:
    return {base_id(card): card for deck in deck_list for card in deck.cards}


def test_there_are_enough_card_entries(all_decks: list[Deck]) -> None:
    assert len(notes(all_decks)) >= MIN_ENTRIES


def test_the_key_is_rarely_the_longest_option(cards: list[Card]) -> None:
    choice = [c for c in cards if c.kind is CardKind.CHOICE]
    longest = [c.external_id for c in choice if all(len(c.back) > len(d) for d in c.distractors)]
    assert len(longest) <= MAX_LONGEST_KEY_SHARE * len(choice), (
        f"the key is the longest option in {len(longest)} of {len(choice)} choice cards: {longest}"
    )


def test_absolute_words_are_no_cue(cards: list[Card]) -> None:
    choice = [c for c in cards if c.kind is CardKind.CHOICE]
    keys = sum(bool(ABSOLUTE.search(c.back)) for c in choice) / len(choice)
    wrong = [d for c in choice for d in c.distractors]
    distractors = sum(bool(ABSOLUTE.search(d)) for d in wrong) / len(wrong)
    assert distractors <= keys, (
        f"always/never/only/exactly/guaranteed in {distractors:.0%} of distractors "
        f"but {keys:.0%} of keys: they point away from the wrong options"
    )


def test_every_deck_has_hard_cards(decks: list[Deck]) -> None:
    written = notes(decks)
    hard = [c for c in written.values() if c.difficulty is Difficulty.HARD]
    assert len(hard) >= MIN_HARD_SHARE * len(written), f"{len(hard)} of {len(written)} are H"
    for deck in decks:
        ids = notes([deck])
        if len(ids) > 8:
            assert any(c.difficulty is Difficulty.HARD for c in ids.values()), (
                f"{deck.external_id} has {len(ids)} cards and none is H"
            )


def test_every_card_has_topic_tags_from_the_vocabulary(all_decks: list[Deck]) -> None:
    vocabulary = tag_vocabulary()
    assert {"sgd", "hessian", "momentum", "adam", "autodiff"} <= vocabulary
    for card in (card for deck in all_decks for card in deck.cards):
        assert card.tags, f"{card.external_id} has no tags"
        unknown = set(card.tags) - vocabulary
        assert not unknown, f"{card.external_id}: tags {sorted(unknown)} are not in the list"


def test_templates_share_the_tag_vocabulary() -> None:
    from quizzes.registry import all_templates

    vocabulary = tag_vocabulary()
    for template in all_templates():
        unknown = set(template.tags) - vocabulary
        assert not unknown, f"{template.name}: tags {sorted(unknown)} are not in the list"


def test_backs_are_short_enough_to_recall(cards: list[Card]) -> None:
    long = [(c.external_id, len(c.back.split())) for c in cards if c.kind is CardKind.BASIC]
    assert not [item for item in long if item[1] > MAX_BACK_WORDS], (
        f"backs over {MAX_BACK_WORDS} words: split them"
    )


def test_the_learning_rate_is_eta_everywhere(all_decks: list[Deck]) -> None:
    for card in (card for deck in all_decks for card in deck.cards):
        text = card.front + card.back + card.extra + "".join(card.distractors)
        assert "α" not in text, f"{card.external_id} writes α: the learning rate is η"
