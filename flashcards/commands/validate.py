"""`flashcards validate PATH...`: check deck files without touching the collection."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flashcards.errors import EXIT_BAD_INPUT, EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check deck files (YAML file or folder, .csv/.tsv) and list every problem",
        description="Reads the decks exactly as `flashcards import` would and reports every "
        "problem with its file, line and column; the collection is not opened.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.decks.errors import DeckValidationError
    from flashcards.decks.yaml_deck import load_decks
    from quizzes.registry import check_params, names

    try:
        decks = load_decks(args.paths, known_generators=names(), check_params=check_params)
    except DeckValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_BAD_INPUT
    cards = sum(len(deck.cards) for deck in decks)
    print(f"ok: {len(decks)} deck{'s' if len(decks) != 1 else ''}, {cards} cards")
    return EXIT_OK
