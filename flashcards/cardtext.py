"""How a card reads on screen: the question side and the answer side.

Shared by the TUI, the CLI and exams so a card looks the same everywhere.
Cloze cards blank only the deletion they ask for; choice cards letter their
options in an order fixed by the card and the day, so a reload mid-review
does not reshuffle them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from flashcards.model import Card, CardKind

CLOZE_PATTERN = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
LETTERS = "abcdefgh"


@dataclass(frozen=True)
class Options:
    """Lettered options of a choice card and the letter of the right one."""

    texts: tuple[str, ...]
    correct: int

    @property
    def correct_letter(self) -> str:
        return LETTERS[self.correct]

    def lines(self) -> list[str]:
        return [f"{LETTERS[i]}) {text}" for i, text in enumerate(self.texts)]


def choice_options(card: Card, salt: str = "") -> Options:
    options = [card.back, *card.distractors]
    random.Random(f"{card.external_id}|{salt}").shuffle(options)
    return Options(tuple(options), options.index(card.back))


def cloze_question(text: str, number: int) -> str:
    def blank(match: re.Match[str]) -> str:
        if int(match.group(1)) == number:
            return f"[{match.group(3)}]" if match.group(3) else "[…]"
        return match.group(2)

    return CLOZE_PATTERN.sub(blank, text)


def cloze_answer(text: str, number: int) -> str:
    def show(match: re.Match[str]) -> str:
        return f"**{match.group(2)}**" if int(match.group(1)) == number else match.group(2)

    return CLOZE_PATTERN.sub(show, text)


def question(card: Card, salt: str = "") -> str:
    if card.kind is CardKind.CLOZE:
        return cloze_question(card.front, card.cloze)
    if card.kind is CardKind.CHOICE:
        return "\n".join([card.front, "", *choice_options(card, salt).lines()])
    return card.front


def answer(card: Card, salt: str = "") -> str:
    if card.kind is CardKind.CLOZE:
        body = cloze_answer(card.front, card.cloze)
    elif card.kind is CardKind.CHOICE:
        options = choice_options(card, salt)
        body = f"{options.correct_letter}) {card.back}"
    else:
        body = card.back
    return f"{body}\n\n{card.extra}" if card.extra else body
