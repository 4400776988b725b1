"""The per-kind rules of a YAML card: what each kind checks and which cards it yields.

Each kind validates something of its own (a choice card's distractors, a cloze card's
deletions, a compute card's generator and params), and that is where new kinds and new
checks arrive; keeping them here leaves `yaml_deck` about files, mappings and ids. The
builders reach the deck reader only through `_Reader`, so the import runs one way:
`yaml_deck` imports this module, never the reverse.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flashcards.cardtext import CLOZE_PATTERN
from flashcards.decks.discovery import YAML_TAG
from flashcards.model import Card, CardKind

ParamsCheck = Callable[[str, Mapping[str, object]], object]
"""Validates a compute card's params for a generator; raises ValueError saying why."""

Fields = dict[str, tuple[ScalarNode, Node]]

NULL_TAG = YAML_TAG + "null"
_SHAPES: dict[type[Node], str] = {SequenceNode: "a list", MappingNode: "a mapping"}


def node_shape(node: Node) -> str:
    return _SHAPES.get(type(node), "text")


class _Reader(Protocol):
    """What a card builder needs from the deck reader: its checks and its problem list."""

    @property
    def known_generators(self) -> Collection[str] | None: ...

    @property
    def check_params(self) -> ParamsCheck | None: ...

    def report(self, node: Node, message: str, hint: str = "") -> None: ...

    def mapping(
        self, node: Node, allowed: Sequence[str] | None, what: str, hint: str = ""
    ) -> Fields: ...

    def as_text(self, node: Node, label: str, *, required: bool = True) -> str: ...

    def check_size(self, node: Node, what: str, key: str, text: str) -> None: ...

    def text(
        self, node: Node, fields: Fields, what: str, key: str, *, required: bool = True
    ) -> str: ...


@dataclass(frozen=True)
class CardInput:
    """One card entry being read: its node, its fields and what every kind shares."""

    builder: _Reader
    node: Node
    fields: Fields
    what: str
    card_id: str
    common: dict[str, Any]

    def text(self, key: str, *, required: bool = True) -> str:
        return self.builder.text(self.node, self.fields, self.what, key, required=required)

    def card(self, kind: CardKind, front: str, back: str = "", **fields: Any) -> Card:
        return Card(self.card_id, kind, front, back, **fields, **self.common)


def _basic(inp: CardInput) -> list[Card]:
    extra = inp.text("extra", required=False)
    return [inp.card(CardKind.BASIC, inp.text("front"), inp.text("back"), extra=extra)]


def _choice(inp: CardInput) -> list[Card]:
    question, answer = inp.text("question"), inp.text("answer")
    distractors = _distractors(inp, answer)
    extra = inp.text("explanation", required=False)
    return [inp.card(CardKind.CHOICE, question, answer, distractors=distractors, extra=extra)]


def _same(text: str) -> str:
    return " ".join(text.casefold().split())


def _distractors(inp: CardInput, answer: str) -> tuple[str, ...]:
    builder = inp.builder
    entry = inp.fields.get("distractors")
    if entry is None:
        builder.report(inp.node, f"{inp.what} has no `distractors`", "add wrong answers to pick")
        return ()
    node = entry[1]
    if not isinstance(node, SequenceNode) or not node.value:
        found = "an empty list" if isinstance(node, SequenceNode) else node_shape(node)
        message = f"`distractors` must be a list of one or more wrong answers, not {found}"
        builder.report(node, message, "list wrong answers a student might pick; three is best")
        return ()
    first_line: dict[str, int] = {}
    texts: list[str] = []
    for item in node.value:
        text = builder.as_text(item, "a distractor")
        builder.check_size(item, inp.what, "distractors", text)
        key = _same(text)
        if text and key == _same(answer):
            builder.report(item, "this distractor is the answer", "a distractor must be wrong")
        elif text and key in first_line:
            builder.report(item, "this distractor repeats another", f"see line {first_line[key]}")
        first_line.setdefault(key, item.start_mark.line + 1)
        texts.append(text)
    return tuple(texts)


def _cloze(inp: CardInput) -> list[Card]:
    builder = inp.builder
    text = inp.text("text")
    extra = inp.text("extra", required=False)
    hidden: dict[int, list[str]] = {}
    for match in CLOZE_PATTERN.finditer(text):
        hidden.setdefault(int(match.group(1)), []).append(match.group(2))
    node = inp.fields["text"][1] if "text" in inp.fields else inp.node
    if text and not hidden:
        hint = "mark hidden parts as {{c1::hidden}} or {{c1::hidden::hint}}"
        builder.report(node, "cloze text has no deletion", hint)
    if 0 in hidden:
        builder.report(node, "cloze deletions are numbered from 1", "write {{c1::...}}")
    for number, parts in sorted(hidden.items()):
        if not all(part.strip() for part in parts):
            builder.report(node, f"deletion c{number} hides nothing", "put the hidden text in it")
    cards = [
        inp.card(CardKind.CLOZE, text, "; ".join(parts), cloze=number, extra=extra)
        for number, parts in sorted(hidden.items())
    ]
    return [replace(card, external_id=f"{inp.card_id}#c{card.cloze}") for card in cards]


def _compute(inp: CardInput) -> list[Card]:
    generator = inp.text("generator")
    known = generator and _check_generator(inp.builder, inp.fields["generator"][1], generator)
    params = _params(inp.builder, inp.fields, generator if known else "")
    front = inp.text("title", required=False) or f"Compute: {generator}"
    return [inp.card(CardKind.COMPUTE, front, generator=generator, params=params)]


def _check_generator(builder: _Reader, node: Node, name: str) -> bool:
    known = builder.known_generators
    if known is None or name in known:
        return True
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
    maybe = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    builder.report(
        node, f"unknown generator {name!r}", maybe + "`flashcards quizzes list` shows them"
    )
    return False


def _params(builder: _Reader, fields: Fields, generator: str) -> dict[str, Any]:
    entry = fields.get("params")
    if entry is None or (isinstance(entry[1], ScalarNode) and entry[1].tag == NULL_TAG):
        return {}
    node = entry[1]
    values: dict[str, Any] = {}
    for key, value in builder.mapping(node, None, "`params`").items():
        constructed = SafeConstructor().construct_object(value[1], deep=True)
        if isinstance(constructed, str | int | float):
            values[key] = constructed
        else:
            builder.report(value[1], f"param `{key}` must be text, a number or true/false")
    if generator and builder.check_params is not None:
        try:
            builder.check_params(generator, values)
        except ValueError as exc:
            builder.report(
                node, str(exc), "`flashcards quizzes list` shows each template's options"
            )
    return values


_BUILDERS: dict[CardKind, Callable[[CardInput], list[Card]]] = {
    CardKind.BASIC: _basic,
    CardKind.CHOICE: _choice,
    CardKind.CLOZE: _cloze,
    CardKind.COMPUTE: _compute,
}


def build_cards(kind: CardKind, inp: CardInput) -> list[Card]:
    """The cards one entry of `kind` yields (a cloze entry gives one per deletion)."""
    return _BUILDERS[kind](inp)
