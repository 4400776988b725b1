"""The `flashcards` command: argparse wiring over the core.

Subcommands live in `flashcards.commands.*` and are imported only when chosen,
so `flashcards decks` never pays for Textual, sympy or numpy.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from flashcards.errors import EXIT_USER_ERROR, FlashcardsError

# Subcommand modules, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "study",
    "decks",
    "stats",
    "doctor",
    "imports",
    "export",
    "validate",
    "backup",
    "content",
    "solve",
    "quizzes_cmd",
    "exam",
)


class _Parser(argparse.ArgumentParser):
    """Usage errors are user errors (exit 1); exit 2 means a bad input file."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flashcards",
        description="Study machine-learning optimization with spaced repetition.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="collection file (default: $FLASHCARDS_DB, else the user data directory)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"flashcards.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"flashcards.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from flashcards.commands.study import run_home

        func = run_home
    else:
        func = args.func
    try:
        return int(func(args))
    except FlashcardsError as exc:
        print(f"flashcards: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("flashcards: interrupted; every answer given so far is saved.", file=sys.stderr)
        return 130
