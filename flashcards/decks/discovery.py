"""From paths to trusted input: which files make which deck, read without YAML's risks.

A path can be one deck file, a deck folder (`deck.yaml` plus card files) or a folder
of decks such as `content/`; deciding which happens here so every command agrees.
YAML is composed into nodes with anchors, aliases, deep nesting and explicit tags
refused, so the deck parser only ever sees plain text, lists and mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from flashcards.decks.delimited import load_delimited
from flashcards.decks.errors import DeckValidationError, Problem, read_text
from flashcards.model import Deck

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
DELIMITED_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
DECK_FILE = "deck.yaml"
EXAMS_FOLDER = "exams"
MAX_DEPTH = 16
YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_FOLDER_HINT = "a deck folder needs a deck.yaml; a folder of decks needs *.yaml files"

YamlParser = Callable[[Sequence[tuple[str, str]]], Deck]
"""Builds one deck from (filename, text) pairs: the deck file, then card-only files."""


class SourceFormat(StrEnum):
    YAML = "yaml"
    DELIMITED = "delimited"


@dataclass(frozen=True)
class DeckSource:
    """One deck to load: its files in load order (a folder's deck.yaml comes first)."""

    path: Path
    files: tuple[Path, ...]
    format: SourceFormat = SourceFormat.YAML


def _skipped(path: Path) -> bool:
    """README files, exam specs and hidden files sit beside decks but are not decks."""
    name = path.name
    return (
        name.startswith(".")
        or name.upper().startswith("README")
        or name.endswith((".exam.yaml", ".exam.yml"))
    )


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(
        child
        for child in folder.iterdir()
        if child.is_file() and child.suffix.lower() in YAML_SUFFIXES and not _skipped(child)
    )


def folder_deck(folder: Path) -> DeckSource:
    """A deck folder: deck.yaml, then every other YAML file in name order."""
    main = folder / DECK_FILE
    rest = [path for path in _yaml_files(folder) if path.name != DECK_FILE]
    return DeckSource(folder, (main, *rest))


def _folder_of_decks(folder: Path) -> list[DeckSource]:
    sources = [DeckSource(path, (path,)) for path in _yaml_files(folder)]
    for child in sorted(folder.iterdir()):
        if (
            child.is_dir()
            and child.name != EXAMS_FOLDER
            and not _skipped(child)
            and (child / DECK_FILE).is_file()
        ):
            sources.append(folder_deck(child))
    return sources


def _problem(path: Path, message: str, hint: str = "") -> Problem:
    return Problem(str(path), None, None, message, hint)


def _file_source(path: Path) -> DeckSource | Problem:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return DeckSource(path, (path,))
    if suffix in DELIMITED_SUFFIXES:
        return DeckSource(path, (path,), SourceFormat.DELIMITED)
    hint = "decks are .yaml/.yml files, deck folders, or .csv/.tsv/.txt tables"
    return _problem(path, f"not a deck file (its name ends in {suffix or 'nothing'!r})", hint)


def find_sources(paths: Iterable[Path], problems: list[Problem]) -> list[DeckSource]:
    """The decks named by `paths`; paths that hold no deck become problems."""
    sources: list[DeckSource] = []
    for path in paths:
        try:
            sources.extend(_sources_at(path, problems))
        except OSError as exc:
            problems.append(_problem(path, f"cannot read: {exc.strerror or exc}"))
    return sources


def _sources_at(path: Path, problems: list[Problem]) -> list[DeckSource]:
    if path.is_dir():
        if (path / DECK_FILE).is_file():
            return [folder_deck(path)]
        in_folder = _folder_of_decks(path)
        if not in_folder:
            problems.append(_problem(path, "this folder holds no deck files", _FOLDER_HINT))
        return in_folder
    if not path.is_file():
        problems.append(_problem(path, "no such file or folder", "check the path"))
        return []
    found = _file_source(path)
    if isinstance(found, Problem):
        problems.append(found)
        return []
    return [found]


def load_source(source: DeckSource, parse_yaml: YamlParser) -> Deck:
    """Read every file of one deck (reporting all unreadable ones), then parse them."""
    if source.format is SourceFormat.DELIMITED:
        return load_delimited(source.path)
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for path in source.files:
        try:
            files.append((str(path), read_text(path)))
        except DeckValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DeckValidationError(problems)
    return parse_yaml(files)


def load_all(paths: Sequence[Path], parse_yaml: YamlParser) -> list[Deck]:
    """Every deck the paths name; one error lists the problems of all of them, in order."""
    problems: list[Problem] = []
    decks: list[Deck] = []
    first_use: dict[str, Path] = {}
    for path in paths:
        for source in find_sources([path], problems):
            try:
                deck = load_source(source, parse_yaml)
            except DeckValidationError as exc:
                problems.extend(exc.problems)
                continue
            first = first_use.setdefault(deck.external_id, source.path)
            if first != source.path:
                message = f"the deck id {deck.external_id!r} is also used by {first}"
                problems.append(_problem(source.path, message, "give each deck its own id"))
            decks.append(deck)
    if problems:
        raise DeckValidationError(problems)
    return decks


class Marked(Protocol):
    """Where something is in a YAML text (0-based), as yaml's marks record it."""

    line: int
    column: int


class _Refused(yaml.YAMLError):
    """YAML we will not read (aliases, deep nesting), with a hint on what to write instead."""

    def __init__(self, mark: Marked | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint


class _DeckLoader(yaml.SafeLoader):
    """Composes nodes only; refuses anchors and aliases so alias bombs cannot expand.

    Deck files never need to share a node, so refusing aliases outright is simpler and
    safer than capping how far they expand.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]  # stub lacks types
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the repeated text out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"the document nests deeper than {MAX_DEPTH} levels",
                    "a deck needs only deck, cards and card fields",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def mark_problem(filename: str, mark: Marked | None, message: str, hint: str) -> Problem:
    if mark is None:
        return Problem(filename, None, None, message, hint)
    return Problem(filename, mark.line + 1, mark.column + 1, message, hint)


def compose_yaml(text: str, filename: str, problems: list[Problem]) -> Node | None:
    """The document's root node, or None after recording why it cannot be read."""
    try:
        loader = _DeckLoader(text)  # checks for unprintable characters up front
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"control character U+{int(exc.character):04X} is not allowed in YAML"
        problems.append(Problem(filename, line, column, message, "delete the character"))
        return None
    try:
        root = loader.get_single_node()
    except _Refused as exc:
        problems.append(mark_problem(filename, exc.mark, exc.message, exc.hint))
        return None
    except yaml.MarkedYAMLError as exc:
        detail = f"{exc.context}: {exc.problem}" if exc.context else str(exc.problem)
        mark = exc.problem_mark or exc.context_mark
        hint = "check the indentation, and quote text that contains ': ' or starts with [ { * &"
        problems.append(mark_problem(filename, mark, f"not valid YAML: {detail}", hint))
        return None
    finally:
        loader.dispose()
    if root is None:
        problems.append(Problem(filename, None, None, "the file is empty", "write a deck into it"))
        return None
    before = len(problems)
    problems.extend(_tag_problems(root, filename))
    return root if len(problems) == before else None


def _tag_problems(root: Node, filename: str) -> Iterator[Problem]:
    """Explicit tags could ask a loader to build objects; only plain data is accepted."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.removeprefix(YAML_TAG)
            if tag.startswith("python/"):
                message = f"Python tags are not allowed (found !!{tag})"
            else:
                message = f"the YAML tag {node.tag!r} is not allowed"
            hint = "remove the tag; deck files hold only text, lists and mappings"
            yield mark_problem(filename, node.start_mark, message, hint)
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            stack.extend(reversed([item for pair in node.value for item in pair]))
