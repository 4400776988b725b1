"""What an exam spec asks for, and the pool of cards each section draws from.

These are plain data: `spec` builds them from YAML, `build` draws from them. The
pool is shared by both, so validation counts exactly what a build can draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flashcards.model import Card, CardKind, Deck, Difficulty

ITEM_KINDS = (CardKind.CHOICE, CardKind.BASIC, CardKind.CLOZE)
MINUTES_PER_ITEM = {CardKind.CHOICE: 1.0, CardKind.CLOZE: 2.0, CardKind.BASIC: 3.0}
"""The usual rule of thumb for written exams: a minute per multiple-choice item, two
per fill-in, three per short written answer."""
COMPUTE_MINUTES = 5.0
"""A worked computation, by the same rule."""

ItemKey = tuple[str, str]
"""What an exam may hold once: (deck id, note id) for cards, ("", name) for templates."""


@dataclass(frozen=True)
class CardDraw:
    """Cards from some decks, narrowed by tags (any of them), difficulty and kind."""

    decks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    difficulty: tuple[Difficulty, ...] = ()
    kinds: tuple[CardKind, ...] = ITEM_KINDS

    def accepts(self, card: Card) -> bool:
        return (
            card.kind in self.kinds
            and (not self.tags or any(tag in card.tags for tag in self.tags))
            and (not self.difficulty or card.difficulty in self.difficulty)
        )


@dataclass(frozen=True)
class TemplateDraw:
    """Compute problems from these templates, taken in turn in a seeded order."""

    templates: tuple[str, ...]


@dataclass(frozen=True)
class SectionSpec:
    title: str
    count: int
    points: float
    draw: CardDraw | TemplateDraw


@dataclass(frozen=True)
class ExamSpec:
    id: str
    title: str
    minutes: int
    sections: tuple[SectionSpec, ...]
    instructions: str = ""
    apart: tuple[frozenset[ItemKey], ...] = ()
    """Groups of items of which an exam holds at most one (the spec's `apart`)."""

    @property
    def item_count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def total_points(self) -> float:
        return sum(section.count * section.points for section in self.sections)

    @property
    def estimated_minutes(self) -> float:
        """Work by the rule of thumb, taking each section's slowest kind it may draw."""
        total = 0.0
        for section in self.sections:
            draw = section.draw
            if isinstance(draw, TemplateDraw):
                total += section.count * COMPUTE_MINUTES
            else:
                total += section.count * max(
                    MINUTES_PER_ITEM.get(kind, COMPUTE_MINUTES) for kind in draw.kinds
                )
        return total


Note = tuple[Deck, tuple[Card, ...]]
"""A deck's cards that share one note: a cloze text's deletions, or a single card.

An exam draws notes, not cards, so two deletions of one cloze text (each of which
shows the other's answer) never appear together."""


def card_pool(draw: CardDraw, decks: Mapping[str, Deck]) -> list[Note]:
    """The notes a section may draw, in deck-list then file order."""
    pool: list[Note] = []
    for deck_id in draw.decks:
        deck = decks.get(deck_id)
        if deck is None:
            continue
        notes: dict[str, list[Card]] = {}
        for card in deck.cards:
            if draw.accepts(card):
                notes.setdefault(note_id(card), []).append(card)
        pool.extend((deck, tuple(cards)) for cards in notes.values())
    return pool


def note_id(card: Card) -> str:
    return card.external_id.partition("#")[0]


def note_key(note: Note) -> ItemKey:
    return note[0].external_id, note_id(note[1][0])
