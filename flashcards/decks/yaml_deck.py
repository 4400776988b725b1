"""Reading YAML deck files into validated `Deck`s, every problem located and reported.

Decks are read through yaml's node API instead of `safe_load` so each problem names
the line and column of the key or value at fault, and so a file's problems all come
out in one pass rather than one per edit-and-retry. Nothing here builds Python
objects from tags: nodes are read as text, lists and mappings only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flashcards.decks import discovery
from flashcards.decks.discovery import compose_yaml, mark_problem
from flashcards.decks.errors import (
    CONTROL_HINT,
    DeckValidationError,
    Problem,
    control_in,
    field_too_big,
)
from flashcards.decks.yaml_cards import (
    NULL_TAG,
    CardInput,
    Fields,
    ParamsCheck,
    build_cards,
    node_shape,
)
from flashcards.gcpause import gc_paused
from flashcards.model import Card, CardKind, Deck, Difficulty

__all__ = [
    "COMMON_KEYS",
    "DECK_KEYS",
    "ID_PATTERN",
    "KIND_KEYS",
    "Fields",
    "ParamsCheck",
    "load_deck",
    "load_decks",
    "parse_deck_text",
]

ID_PATTERN = re.compile(r"[\w.-]+")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")

DECK_KEYS = ("id", "name", "description", "tags", "cards")
COMMON_KEYS = ("id", "kind", "tags", "difficulty", "source")
KIND_KEYS: dict[CardKind, tuple[str, ...]] = {
    CardKind.BASIC: ("front", "back", "extra"),
    CardKind.CHOICE: ("question", "answer", "distractors", "explanation"),
    CardKind.CLOZE: ("text", "extra"),
    CardKind.COMPUTE: ("generator", "params", "title"),
}
_KIND_OF_KEY = {key: kind for kind, keys in KIND_KEYS.items() for key in keys}
_ALL_CARD_KEYS = COMMON_KEYS + tuple(_KIND_OF_KEY)
_ID_HINT = "use letters, digits, '.', '_' and '-' ('#' is reserved: cloze cards get ids ID#cN)"


def _clean(text: str) -> str:
    """Blank lines around text are layout, not content (block scalars add a final newline)."""
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


@dataclass
class _Builder:
    """Turns nodes into cards while collecting every problem it meets."""

    known_generators: Collection[str] | None
    check_params: ParamsCheck | None
    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    seen_ids: dict[str, str] = field(default_factory=dict)

    def report(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(mark_problem(self.filename, node.start_mark, message, hint))

    def mapping(
        self, node: Node, allowed: Sequence[str] | None, what: str, hint: str = ""
    ) -> Fields:
        """The mapping's entries by key; `allowed` None accepts any key."""
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be a mapping of keys to values, not {node_shape(node)}")
            return {}
        fields: Fields = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report(key, f"keys in {what} must be plain names, not {node_shape(key)}")
            elif key.value in fields:
                first = fields[key.value][0].start_mark.line + 1
                self.report(key, f"`{key.value}` appears twice in {what}", f"first on line {first}")
            else:
                if allowed is not None and key.value not in allowed:
                    self.unknown_key(key, allowed, what, hint)
                fields[key.value] = (key, value)
        return fields

    def unknown_key(self, key: ScalarNode, allowed: Sequence[str], what: str, hint: str) -> None:
        close = difflib.get_close_matches(key.value, allowed, n=1)
        owner = _KIND_OF_KEY.get(key.value)
        if close:
            hint = f"did you mean `{close[0]}`?"
        elif owner is not None and "kind" in allowed:
            hint = f"`{key.value}` is a key of {owner} cards; set `kind: {owner}` or remove it"
        elif not hint:
            hint = "allowed keys: " + ", ".join(allowed)
        self.report(key, f"unknown key `{key.value}` in {what}", hint)

    def as_text(self, node: Node, label: str, *, required: bool = True) -> str:
        if not isinstance(node, ScalarNode):
            hint = "quote text that starts with [ or {, or use `|` for several lines"
            self.report(node, f"{label} must be text, not {node_shape(node)}", hint)
            return ""
        text = "" if node.tag == NULL_TAG else _clean(node.value)
        if required and not text:
            self.report(node, f"{label} is empty", "write the text, or remove it")
        return text

    def text(
        self, node: Node, fields: Fields, what: str, key: str, *, required: bool = True
    ) -> str:
        entry = fields.get(key)
        if entry is None:
            if required:
                self.report(node, f"{what} has no `{key}`", f"add `{key}: ...`")
            return ""
        text = self.as_text(entry[1], f"`{key}`", required=required)
        self.check_size(entry[1], what, key, text)
        return text

    def check_size(self, node: Node, what: str, key: str, text: str) -> None:
        too_big = field_too_big(what, key, text)
        if too_big is not None:
            self.report(node, too_big)

    def plain(self, node: Node, label: str, text: str) -> bool:
        """Whether a name, id or tag is free of control characters (reported if not)."""
        problem = control_in(label, text)
        if problem is not None:
            self.report(node, problem, CONTROL_HINT)
        return problem is None

    def ident(self, node: Node, fields: Fields, what: str) -> str:
        text = self.text(node, fields, what, "id")
        if text and not self.plain(fields["id"][1], f"the id of {what}", text):
            return text
        if text and not ID_PATTERN.fullmatch(text):
            self.report(fields["id"][1], f"the id {text!r} has characters ids cannot use", _ID_HINT)
        return text

    def tags(self, fields: Fields) -> tuple[str, ...]:
        entry = fields.get("tags")
        if entry is None:
            return ()
        node = entry[1]
        if not isinstance(node, SequenceNode):
            self.report(
                node, f"`tags` must be a list, not {node_shape(node)}", "write tags: [a, b]"
            )
            return ()
        tags: list[str] = []
        for item in node.value:
            tag = self.as_text(item, "a tag")
            if self.plain(item, "the tag", tag) and re.search(r"[\s,]", tag):
                self.report(item, f"the tag {tag!r} contains a space or comma", "use - or _")
            tags.append(tag)
        return tuple(tags)

    def difficulty(self, fields: Fields) -> Difficulty | None:
        entry = fields.get("difficulty")
        if entry is None:
            return None
        text = self.as_text(entry[1], "`difficulty`")
        try:
            return Difficulty(text)
        except ValueError:
            if text:
                hint = "use E (easy), M (medium) or H (hard)"
                self.report(entry[1], f"difficulty {text!r} is not E, M or H", hint)
            return None

    def card_id(self, node: Node, fields: Fields, what: str) -> str:
        card_id = self.ident(node, fields, what)
        if card_id:
            mark = fields["id"][1].start_mark
            here = f"{self.filename}:{mark.line + 1}:{mark.column + 1}"
            first = self.seen_ids.setdefault(card_id, here)
            if first != here:
                hint = f"first used at {first}; ids must be unique within a deck"
                self.report(fields["id"][1], f"duplicate card id {card_id!r}", hint)
        return card_id

    def kind(self, node: MappingNode) -> CardKind | None:
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "kind":
                text = self.as_text(value, "`kind`")
                if text in CardKind.__members__.values():
                    return CardKind(text)
                if text:
                    close = difflib.get_close_matches(text, list(CardKind), n=1)
                    kinds = "kinds: " + ", ".join(CardKind)
                    hint = f"did you mean `{close[0]}`? {kinds}" if close else kinds
                    self.report(value, f"unknown card kind {text!r}", hint)
                return None
        return CardKind.BASIC

    def card(self, node: Node, index: int, deck_tags: tuple[str, ...]) -> list[Card]:
        if not isinstance(node, MappingNode):
            self.report(node, f"card {index} must be a mapping (id: ..., front: ...)")
            return []
        kind = self.kind(node)
        allowed = _ALL_CARD_KEYS if kind is None else COMMON_KEYS + KIND_KEYS[kind]
        fields = self.mapping(node, allowed, f"card {index}")
        card_id = self.card_id(node, fields, f"card {index}")
        what = f"card {card_id!r}" if card_id else f"card {index}"
        common = {
            "tags": tuple(dict.fromkeys(deck_tags + self.tags(fields))),
            "difficulty": self.difficulty(fields),
            "source": self.text(node, fields, what, "source", required=False),
        }
        if kind is None:
            return []
        return build_cards(kind, CardInput(self, node, fields, what, card_id, common))

    def cards(self, fields: Fields, deck_tags: tuple[str, ...]) -> list[Card]:
        entry = fields.get("cards")
        if entry is None:
            return []
        node = entry[1]
        if not isinstance(node, SequenceNode):
            self.report(
                node, f"`cards` must be a list, not {node_shape(node)}", "start each with -"
            )
            return []
        return [
            card
            for index, item in enumerate(node.value, start=1)
            for card in self.card(item, index, deck_tags)
        ]


_CARD_FILE_HINT = "card files in a deck folder hold only `cards:`; deck keys go in deck.yaml"


def _build(files: Sequence[tuple[str, str]], builder: _Builder) -> Deck:
    """A deck from (filename, text) pairs: a deck file first, then card-only files."""
    header = Deck("", "")
    cards: list[Card] = []
    for position, (filename, text) in enumerate(files):
        builder.filename = filename
        root = compose_yaml(text, filename, builder.problems)
        if root is None:
            continue
        if position == 0:
            fields = builder.mapping(root, DECK_KEYS, "the deck")
            header = _header(builder, root, fields)
        else:
            fields = builder.mapping(root, ("cards",), "a card file", _CARD_FILE_HINT)
        cards.extend(builder.cards(fields, header.tags))
    if not cards and not builder.problems:
        hint = "add a `cards:` list"
        builder.problems.append(Problem(files[0][0], None, None, "the deck has no cards", hint))
    if builder.problems:
        order = {filename: position for position, (filename, _text) in enumerate(files)}
        raise DeckValidationError(
            sorted(builder.problems, key=lambda p: (order[p.file], p.line or 0, p.column or 0))
        )
    return replace(header, cards=tuple(cards))


def _header(builder: _Builder, root: Node, fields: Fields) -> Deck:
    """The deck's own keys; its cards are added once every file is read."""
    return Deck(
        external_id=builder.ident(root, fields, "the deck"),
        name=_name(builder, root, fields),
        description=builder.text(root, fields, "the deck", "description", required=False),
        tags=tuple(dict.fromkeys(builder.tags(fields))),
    )


def _name(builder: _Builder, root: Node, fields: Fields) -> str:
    name = builder.text(root, fields, "the deck", "name")
    if name:
        builder.plain(fields["name"][1], "the deck name", name)
    return name


def parse_deck_text(
    text: str,
    filename: str,
    known_generators: Collection[str] | None = None,
    check_params: ParamsCheck | None = None,
) -> Deck:
    """A deck from one file's text; `filename` is only used in problem reports."""
    return _parser(known_generators, check_params)([(filename, text)])


def _parser(
    known_generators: Collection[str] | None, check_params: ParamsCheck | None
) -> discovery.YamlParser:
    def parse(files: Sequence[tuple[str, str]]) -> Deck:
        with gc_paused():
            return _build(files, _Builder(known_generators, check_params))

    return parse


def load_deck(
    path: Path,
    known_generators: Collection[str] | None = None,
    check_params: ParamsCheck | None = None,
) -> Deck:
    """One deck from a .yaml/.yml file or a folder holding deck.yaml."""
    if path.is_dir():
        if not (path / discovery.DECK_FILE).is_file():
            hint = "put the deck keys in deck.yaml, or load the folder with load_decks"
            problem = Problem(str(path), None, None, "this folder has no deck.yaml", hint)
            raise DeckValidationError([problem])
        source = discovery.folder_deck(path)
    else:
        source = discovery.DeckSource(path, (path,))
    return discovery.load_source(source, _parser(known_generators, check_params))


def load_decks(
    paths: Sequence[Path],
    known_generators: Collection[str] | None = None,
    check_params: ParamsCheck | None = None,
) -> list[Deck]:
    """Every deck the paths name, checked together: one error lists all their problems.

    A path is a deck file (YAML, or a CSV/TSV table), a deck folder, or a folder of
    decks (see `flashcards.decks.discovery`). `known_generators`, when given, is the
    set of compute templates cards may name; `check_params` validates their params.
    """
    return discovery.load_all(paths, _parser(known_generators, check_params))
