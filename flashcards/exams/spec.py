"""Exam specs: which items an exam draws, read from YAML with every problem located.

A spec is read through yaml's node API, as deck files are (see
`flashcards.decks.discovery`), so an unknown deck, a count larger than its pool or a
negative score is reported with the file, line and column to change, and all of a
file's problems come out in one pass. The spec is checked against the decks it will
draw from: a spec that passes can be built with any seed without running out of cards,
even with the items that give each other away kept apart (see `room`). `check_spec`
also returns warnings, such as more work than the time limit allows.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flashcards.decks.discovery import YAML_TAG, compose_yaml, mark_problem
from flashcards.decks.errors import DeckValidationError, Problem, read_text
from flashcards.decks.yaml_deck import ID_PATTERN
from flashcards.exams.conflicts import spec_conflicts, template_key
from flashcards.exams.draws import (
    ITEM_KINDS,
    CardDraw,
    ExamSpec,
    ItemKey,
    SectionSpec,
    TemplateDraw,
    card_pool,
    note_id,
    note_key,
)
from flashcards.exams.room import Draw, room
from flashcards.model import CardKind, Deck, Difficulty

SPEC_SUFFIXES = (".exam.yaml", ".exam.yml")
SPEC_KEYS = ("id", "title", "minutes", "instructions", "sections", "apart")
SECTION_KEYS = ("title", "decks", "tags", "difficulty", "kinds", "templates", "count", "points")
CARD_FILTERS = ("tags", "difficulty", "kinds")
MAX_ITEMS = 500
MAX_MINUTES = 24 * 60
_NULL = YAML_TAG + "null"
_Choice = TypeVar("_Choice", Difficulty, CardKind)


class ExamSpecError(DeckValidationError):
    """A spec that does not validate; no exam file was written."""

    def _render(self) -> str:
        return "\n".join([*(str(problem) for problem in self.problems), "no exam was built"])


def load_spec(
    path: Path, decks: Sequence[Deck], templates: Collection[str] | None = None
) -> ExamSpec:
    """Read and check the spec at `path` (size and encoding limits as for decks)."""
    return parse_spec(read_text(path), str(path), decks, templates)


def parse_spec(
    text: str, filename: str, decks: Sequence[Deck], templates: Collection[str] | None = None
) -> ExamSpec:
    """The spec in `text`, checked against `decks` and the template names.

    Raises ExamSpecError listing every problem; `filename` only labels them.
    """
    return check_spec(text, filename, decks, templates)[0]


def check_spec(
    text: str, filename: str, decks: Sequence[Deck], templates: Collection[str] | None = None
) -> tuple[ExamSpec, list[Problem]]:
    """As `parse_spec`, with the warnings: things that build but deserve a look."""
    if templates is None:
        from quizzes.registry import names

        templates = names()
    if not text.strip():
        hint = "write a title, minutes and sections into it (see content/exams/README.md)"
        raise ExamSpecError([Problem(filename, None, None, "the spec file is empty", hint)])
    reader = _Reader(filename, {deck.external_id: deck for deck in decks}, templates)
    root = compose_yaml(text, filename, reader.problems)
    spec = reader.spec(root) if root is not None else None
    if reader.problems or spec is None:
        ordered = sorted(reader.problems, key=lambda p: (p.line or 0, p.column or 0))
        raise ExamSpecError(ordered)
    return spec, reader.warnings


def default_id(filename: str) -> str:
    name = Path(filename).name
    for suffix in (*SPEC_SUFFIXES, ".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


Fields = dict[str, tuple[ScalarNode, Node]]


@dataclass
class _Reader:
    """Turns spec nodes into dataclasses while collecting every problem it meets."""

    filename: str
    decks: Mapping[str, Deck]
    templates: Collection[str]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pending: list[tuple[SectionSpec, Node]] = field(default_factory=list)
    """Sound sections with the node to blame if they may run dry: checked at the end."""

    def report(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(mark_problem(self.filename, node.start_mark, message, hint))

    def warn(self, node: Node, message: str, hint: str = "") -> None:
        self.warnings.append(mark_problem(self.filename, node.start_mark, message, hint))

    def spec(self, root: Node) -> ExamSpec | None:
        fields = self.mapping(root, SPEC_KEYS, "the exam spec")
        title = self.text(root, fields, "the exam spec", "title")
        minutes = self.whole(root, fields, "minutes", MAX_MINUTES, "the time limit in minutes")
        sections = self.sections(root, fields)
        if not fields:
            return None
        spec_id = self.text(root, fields, "the exam spec", "id", required=False)
        if spec_id and not ID_PATTERN.fullmatch(spec_id):
            hint = "use letters, digits, '.', '_' and '-': the id names the files a build writes"
            self.report(fields["id"][1], f"the id {spec_id!r} has characters ids cannot use", hint)
        instructions = self.text(root, fields, "the exam spec", "instructions", required=False)
        apart = self.apart(fields["apart"][1]) if "apart" in fields else ()
        spec = ExamSpec(
            spec_id or default_id(self.filename), title, minutes, sections, instructions, apart
        )
        self.check_room(spec)
        if minutes and spec.estimated_minutes > minutes:
            self.warn(
                fields["minutes"][1],
                f"about {spec.estimated_minutes:g} minutes of work in {minutes}, by the rule "
                "of thumb (choice 1 minute, cloze 2, basic 3, compute 5)",
                f"raise `minutes` to {math.ceil(spec.estimated_minutes)} or draw fewer items",
            )
        return spec

    def sections(self, root: Node, fields: Fields) -> tuple[SectionSpec, ...]:
        entry = fields.get("sections")
        if entry is None:
            if fields:
                self.report(root, "the exam spec has no `sections`", "add a `sections:` list")
            return ()
        node = entry[1]
        if not isinstance(node, SequenceNode) or not node.value:
            hint = "start each section with - and give it `decks` or `templates`, and `count`"
            self.report(node, "`sections` must be a list of one or more sections", hint)
            return ()
        found = (self.section(item, index) for index, item in enumerate(node.value, start=1))
        sections = tuple(section for section in found if section is not None)
        total = sum(section.count for section in sections)
        if total > MAX_ITEMS:
            message = f"the exam has {total} items; the limit is {MAX_ITEMS}"
            self.report(node, message, "split it into two exams")
        return sections

    def section(self, node: Node, index: int) -> SectionSpec | None:
        what = f"section {index}"
        fields = self.mapping(node, SECTION_KEYS, what)
        if not fields:
            return None
        title = self.text(node, fields, what, "title", required=False) or f"Section {index}"
        count = self.whole(node, fields, "count", MAX_ITEMS, "how many items to draw")
        points = self.points(fields)
        if ("decks" in fields) == ("templates" in fields):
            found = "both" if "decks" in fields else "neither"
            hint = "cards come from `decks: [...]`, compute problems from `templates: [...]`"
            self.report(node, f"{what} names {found} of `decks` and `templates`", hint)
            return None
        before = len(self.problems)
        draw = self.card_draw(fields) if "decks" in fields else self.template_draw(fields)
        section = SectionSpec(title, count, points, draw)
        if count and len(self.problems) == before:
            blame = fields["count" if "decks" in fields else "templates"][1]
            self.pending.append((section, blame))
        return section

    def card_draw(self, fields: Fields) -> CardDraw:
        decks = self.names(fields["decks"][1], "deck", self.decks)
        draw = CardDraw(
            decks,
            tags=self.tags(fields, decks),
            difficulty=self.choices(fields, "difficulty", Difficulty, "E, M or H"),
            kinds=self.choices(fields, "kinds", CardKind, "choice, basic or cloze") or ITEM_KINDS,
        )
        if CardKind.COMPUTE in draw.kinds:
            hint = "compute problems come from `templates:` in a section of their own"
            self.report(fields["kinds"][1], "`kinds` cannot include compute", hint)
        return draw

    def template_draw(self, fields: Fields) -> TemplateDraw:
        for key in CARD_FILTERS:
            if key in fields:
                hint = "filters apply to cards; remove it or move it to a `decks` section"
                self.report(fields[key][0], f"`{key}` does not apply to `templates`", hint)
        return TemplateDraw(self.names(fields["templates"][1], "template", self.templates))

    def check_room(self, spec: ExamSpec) -> None:
        """Every sound section can draw its count with any seed (see `room`)."""
        conflicts = spec_conflicts(spec, self.decks)
        earlier: list[Draw] = []
        for section, blame in self.pending:
            draw = section.draw
            if isinstance(draw, CardDraw):
                pool = frozenset(note_key(note) for note in card_pool(draw, self.decks))
                picks = section.count
            else:
                pool = frozenset(template_key(name) for name in draw.templates)
                picks = min(section.count, len(pool))
            found = room(earlier, pool, conflicts)
            earlier.append(Draw(pool, picks))
            if isinstance(draw, TemplateDraw) and found.left < 1:
                hint = "add templates, or leave out the cards that conflict with them"
                message = "items of earlier sections may rule out every template listed here"
                self.report(blame, message + ": each prints the answer to one of them", hint)
            elif isinstance(draw, CardDraw) and section.count > found.left:
                self.report(blame, *found.shortfall(section.count))

    def apart(self, node: Node) -> tuple[frozenset[ItemKey], ...]:
        """`apart: [[card or template, ...], ...]`: at most one item of each group."""
        if not isinstance(node, SequenceNode) or not node.value:
            hint = "write groups like `- [deck.card, other-deck.card, template-name]`"
            self.report(node, "`apart` must be a list of groups of card ids or templates", hint)
            return ()
        known = self.item_names()
        groups = []
        for group in node.value:
            if not isinstance(group, SequenceNode) or len(group.value) < 2:
                hint = "list two or more card ids or template names, like `[a.card, b.card]`"
                self.report(group, "each group in `apart` needs two or more entries", hint)
                continue
            names = self.names(group, "card id or template", known)
            groups.append(frozenset(key for name in names for key in known[name]))
        return tuple(groups)

    def item_names(self) -> dict[str, list[ItemKey]]:
        """What `apart` may name: card ids (a cloze's `#cN` optional) and template names."""
        known: dict[str, list[ItemKey]] = {name: [template_key(name)] for name in self.templates}
        for deck in self.decks.values():
            for card in deck.cards:
                key = (deck.external_id, note_id(card))
                for name in (card.external_id, note_id(card), f"{deck.external_id}.{key[1]}"):
                    if key not in known.setdefault(name, []):
                        known[name].append(key)
        return known

    def mapping(self, node: Node, allowed: Sequence[str], what: str) -> Fields:
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be a mapping of keys to values", "write `key: value`")
            return {}
        fields: Fields = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report(key, f"keys in {what} must be plain names")
            elif key.value in fields:
                first = fields[key.value][0].start_mark.line + 1
                self.report(key, f"`{key.value}` appears twice in {what}", f"first on line {first}")
            else:
                if key.value not in allowed:
                    self.unknown(key, key.value, allowed, f"key in {what}", "keys: ")
                fields[key.value] = (key, value)
        return fields

    def unknown(
        self, node: Node, name: str, known: Collection[str], what: str, listing: str
    ) -> None:
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
        if close:
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?"
        else:
            hint = listing + ", ".join(sorted(known))
        self.report(node, f"unknown {what} {name!r}", hint)

    def text(
        self, node: Node, fields: Fields, what: str, key: str, *, required: bool = True
    ) -> str:
        entry = fields.get(key)
        if entry is None:
            if required:
                self.report(node, f"{what} has no `{key}`", f"add `{key}: ...`")
            return ""
        value = entry[1]
        if not isinstance(value, ScalarNode):
            self.report(value, f"`{key}` must be text", "quote it, or use `|` for several lines")
            return ""
        text = "" if value.tag == _NULL else value.value.strip()
        if required and not text:
            self.report(value, f"`{key}` is empty", "write the text")
        return text

    def number(self, fields: Fields, key: str) -> tuple[Node, object] | None:
        entry = fields.get(key)
        if entry is None:
            return None
        value = entry[1]
        if not isinstance(value, ScalarNode):
            return value, None
        return value, SafeConstructor().construct_object(value)

    def whole(self, root: Node, fields: Fields, key: str, limit: int, meaning: str) -> int:
        found = self.number(fields, key)
        if found is None:
            self.report(root, f"missing `{key}` ({meaning})", f"add `{key}: ...`")
            return 0
        node, value = found
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            hint = f"write a whole number from 1 to {limit}"
            self.report(
                node, f"`{key}` ({meaning}) must be a whole number, got {_show(node)}", hint
            )
            return 0
        return value

    def points(self, fields: Fields) -> float:
        """Points per item; 1 when the section does not say."""
        found = self.number(fields, "points")
        if found is None:
            return 1.0
        node, value = found
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else -1
        if math.isfinite(number) and number > 0:
            return float(number)
        hint = "give each item a positive number of points, like `points: 2` or `0.5`"
        self.report(node, f"`points` must be more than 0, got {_show(node)}", hint)
        return 1.0

    def items(self, node: Node, key: str) -> Iterator[ScalarNode]:
        """A list's text entries; a single text counts as a list of one."""
        if isinstance(node, ScalarNode) and node.tag != _NULL and node.value.strip():
            yield node
            return
        if not isinstance(node, SequenceNode) or not node.value:
            self.report(node, f"`{key}` must be a list of one or more names", f"`{key}: [a, b]`")
            return
        for item in node.value:
            if isinstance(item, ScalarNode) and item.value.strip():
                yield item
            else:
                self.report(item, f"each entry of `{key}` must be a name", "write plain text")

    def names(self, node: Node, what: str, known: Collection[str]) -> tuple[str, ...]:
        """Deck ids or template names, each checked once; unknown ones are reported."""
        seen: dict[str, int] = {}
        for item in self.items(node, f"{what}s"):
            name = item.value.strip()
            if name in seen:
                self.report(item, f"the {what} {name!r} is listed twice", f"see line {seen[name]}")
            elif name not in known:
                self.unknown(item, name, known, what, f"known {what}s: ")
            seen.setdefault(name, item.start_mark.line + 1)
        return tuple(name for name in seen if name in known)

    def tags(self, fields: Fields, decks: Sequence[str]) -> tuple[str, ...]:
        """The tags to filter by; one no card of these decks carries is reported."""
        entry = fields.get("tags")
        if entry is None:
            return ()
        known = {tag for deck in decks for card in self.decks[deck].cards for tag in card.tags}
        tags: dict[str, None] = {}
        for item in self.items(entry[1], "tags"):
            tag = item.value.strip()
            if decks and not known:
                hint = "no card of these decks has tags: remove `tags`"
                self.report(item, f"unknown tag {tag!r} (in these decks)", hint)
            elif decks and tag not in known:
                self.unknown(item, tag, known, "tag (in these decks)", "their tags: ")
            tags[tag] = None
        return tuple(tags)

    def choices(
        self, fields: Fields, key: str, enum: type[_Choice], allowed: str
    ) -> tuple[_Choice, ...]:
        entry = fields.get(key)
        if entry is None:
            return ()
        values: list[_Choice] = []
        for item in self.items(entry[1], key):
            try:
                values.append(enum(item.value.strip()))
            except ValueError:
                self.report(item, f"{item.value.strip()!r} is not a {key} value", f"use {allowed}")
        return tuple(dict.fromkeys(values))


def _show(node: Node) -> str:
    return repr(node.value) if isinstance(node, ScalarNode) else "a list or mapping"
