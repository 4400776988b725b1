"""Writing decks back to files that the loaders read into the same cards.

YAML keeps every card kind; CSV holds basic cards only, because a table has no
place for distractors, deletions or templates.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from flashcards.decks.delimited import FORMULA_START
from flashcards.model import Card, CardKind, Deck

CSV_COLUMNS = ("id", "front", "back", "tags")


class _DeckDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, lists indented as people write them, and never an
    anchor (the loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, indentless=False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_DeckDumper.add_representer(str, _represent_text)


def _common(card: Card, deck_tags: tuple[str, ...], card_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": card_id}
    if card.kind is not CardKind.BASIC:
        entry["kind"] = card.kind.value
    if card.difficulty is not None:
        entry["difficulty"] = card.difficulty.value
    own_tags = (
        card.tags[len(deck_tags) :] if card.tags[: len(deck_tags)] == deck_tags else card.tags
    )
    if own_tags:
        entry["tags"] = list(own_tags)
    if card.source:
        entry["source"] = card.source
    return entry


def _cloze_base(card: Card) -> str:
    base, mark, _number = card.external_id.rpartition("#c")
    return base if mark else card.external_id


def _kind_fields(card: Card) -> dict[str, Any]:
    if card.kind is CardKind.CHOICE:
        fields: dict[str, Any] = {"question": card.front, "answer": card.back}
        return fields | {"distractors": list(card.distractors)} | _optional("explanation", card)
    if card.kind is CardKind.CLOZE:
        return {"text": card.front} | _optional("extra", card)
    if card.kind is CardKind.COMPUTE:
        fields = {"generator": card.generator}
        if card.params:
            fields["params"] = dict(card.params)
        if card.front != f"Compute: {card.generator}":
            fields["title"] = card.front
        return fields
    return {"front": card.front, "back": card.back} | _optional("extra", card)


def _optional(key: str, card: Card) -> dict[str, Any]:
    return {key: card.extra} if card.extra else {}


def deck_document(deck: Deck) -> dict[str, Any]:
    """The deck as the YAML format's plain data; a cloze note's cards become one entry."""
    document: dict[str, Any] = {"id": deck.external_id, "name": deck.name}
    if deck.description:
        document["description"] = deck.description
    if deck.tags:
        document["tags"] = list(deck.tags)
    entries: list[dict[str, Any]] = []
    written_cloze: set[str] = set()
    for card in deck.cards:
        card_id = _cloze_base(card) if card.kind is CardKind.CLOZE else card.external_id
        if card.kind is CardKind.CLOZE:
            if card_id in written_cloze:
                continue
            written_cloze.add(card_id)
        entries.append(_common(card, deck.tags, card_id) | _kind_fields(card))
    document["cards"] = entries
    return document


def dump_deck_yaml(deck: Deck) -> str:
    """YAML text that `yaml_deck.parse_deck_text` reads back into an equal deck."""
    return yaml.dump(
        deck_document(deck),
        Dumper=_DeckDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def escape_cell(value: str) -> str:
    """Prefix formula-like cells with `'` so spreadsheets show them as text.

    `delimited.unescape_cell` removes exactly one such apostrophe on load, which is why
    cells already starting with apostrophes before a formula character get one more.
    """
    return "'" + value if FORMULA_START.match(value) else value


def _csv_text(cards: list[Card]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        cells = (card.external_id, card.front, card.back, " ".join(card.tags))
        writer.writerow([escape_cell(cell) for cell in cells])
    return buffer.getvalue()


def write_deck_csv(deck: Deck, path: Path) -> int:
    """Write the deck's basic cards as id,front,back,tags; return how many were skipped.

    The file starts with a UTF-8 byte order mark so Excel reads it as UTF-8.
    """
    basic = [card for card in deck.cards if card.kind is CardKind.BASIC]
    path.write_text("\ufeff" + _csv_text(basic), encoding="utf-8", newline="")
    return len(deck.cards) - len(basic)


def write_deck_yaml(deck: Deck, path: Path) -> None:
    path.write_text(dump_deck_yaml(deck), encoding="utf-8")
