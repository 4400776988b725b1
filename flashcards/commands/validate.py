"""`flashcards validate PATH...`: check deck files and exam specs without the collection.

A path is an exam spec when its name ends in `.exam.yaml` (or `.exam.yml`), or when it
is a YAML file with a top-level `sections:` or `minutes:` key; a folder's specs (beside
its decks, or in its `exams/` folder) are checked too. Specs are checked against the
bundled decks, the `--decks` files and the decks given on the same command line, as
`flashcards exam build` would draw them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.errors import EXIT_BAD_INPUT, EXIT_OK

if TYPE_CHECKING:
    from flashcards.decks.errors import Problem
    from flashcards.model import Deck

SPEC_SUFFIXES = (".exam.yaml", ".exam.yml")
YAML_SUFFIXES = (".yaml", ".yml")
DECK_SUFFIXES = (*YAML_SUFFIXES, ".csv", ".tsv", ".txt")
EXAMS_FOLDER = "exams"
_SPEC_KEY = re.compile(r"^(sections|minutes)\s*:", re.MULTILINE)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check deck files and exam specs (file or folder) and list every problem",
        description="Reads the decks exactly as `flashcards import` would, and exam specs "
        "(*.exam.yaml) exactly as `flashcards exam build` would, and reports every problem "
        "with its file, line and column; the collection is not opened.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument(
        "--decks",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="extra deck file or folder that exam specs may draw from (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.decks.errors import DeckValidationError
    from flashcards.decks.yaml_deck import load_decks
    from quizzes.registry import check_params, names

    deck_paths, spec_paths = split_paths(args.paths)
    problems: list[Problem] = []
    decks: list[Deck] = []
    if deck_paths:
        try:
            decks = load_decks(deck_paths, known_generators=names(), check_params=check_params)
        except DeckValidationError as exc:
            problems += exc.problems
        else:
            cards = sum(len(deck.cards) for deck in decks)
            print(f"ok: {len(decks)} deck{'s' if len(decks) != 1 else ''}, {cards} cards")
    if spec_paths:
        problems += _check_specs(spec_paths, args.decks, decks)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _check_specs(specs: list[Path], extra: list[Path], given: list[Deck]) -> list[Problem]:
    """Check each spec; print ok and a summary for those that pass, warnings on stderr."""
    from flashcards.commands.exam import exam_decks
    from flashcards.decks.errors import DeckValidationError, read_text
    from flashcards.exams.spec import check_spec

    try:
        by_id = {deck.external_id: deck for deck in exam_decks(extra)}
    except DeckValidationError as exc:
        return list(exc.problems)
    by_id.update((deck.external_id, deck) for deck in given)
    decks = list(by_id.values())
    problems: list[Problem] = []
    for path in specs:
        try:
            spec, warnings = check_spec(read_text(path), str(path), decks)
        except DeckValidationError as exc:
            problems += exc.problems
            continue
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(
            f"ok: {path}: {spec.item_count} items, {spec.total_points:g} points, about "
            f"{spec.estimated_minutes:g} minutes of work in {spec.minutes}"
        )
    return problems


def split_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(deck paths, spec files): a folder's specs are added, a specs-only folder dropped."""
    decks: list[Path] = []
    specs: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = folder_specs(path)
            specs += found
            if not found or _has_decks(path):
                decks.append(path)
        elif is_spec_file(path):
            specs.append(path)
        else:
            decks.append(path)
    return decks, specs


def folder_specs(folder: Path) -> list[Path]:
    """Specs beside a folder's decks and in its `exams/` folder, in name order."""
    found: list[Path] = []
    for place in (folder, folder / EXAMS_FOLDER):
        if place.is_dir():
            found += sorted(p for p in place.iterdir() if p.is_file() and _named_spec(p))
    return found


def _has_decks(folder: Path) -> bool:
    """Whether the deck loader would find anything in `folder` besides specs."""
    for child in folder.iterdir():
        name = child.name
        if name.startswith(".") or name.upper().startswith("README") or _named_spec(child):
            continue
        if child.is_file() and child.suffix.lower() in DECK_SUFFIXES:
            return True
        if child.is_dir() and name != EXAMS_FOLDER and (child / "deck.yaml").is_file():
            return True
    return False


def _named_spec(path: Path) -> bool:
    return path.name.lower().endswith(SPEC_SUFFIXES)


def is_spec_file(path: Path) -> bool:
    """Named like a spec, or a YAML file whose top level has `sections:` or `minutes:`."""
    if _named_spec(path):
        return True
    if not path.is_file() or path.suffix.lower() not in YAML_SUFFIXES:
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(65536)
    except OSError:
        return False
    return _SPEC_KEY.search(head) is not None
