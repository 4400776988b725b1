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

# Command name -> module in flashcards.commands, in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "study": "study",
    "decks": "decks",
    "deck": "deck",
    "stats": "stats",
    "scheduler": "scheduler_cmd",
    "doctor": "doctor",
    "import": "imports",
    "export": "export",
    "validate": "validate",
    "backup": "backup",
    "update-content": "content",
    "quizzes": "quizzes_cmd",
    "solve": "solve",
    "exam": "exam",
    "serve": "serve",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors are user errors (exit 1); exit 2 means a bad input file."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message}\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv` naming a command, only that command's module is loaded.

    Every module costs import time, and `flashcards decks` should not pay for
    the exam builder or the import code; help and errors still list them all.
    """
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
    chosen = _command_in(argv) if argv is not None else None
    for name in [chosen] if chosen else COMMANDS.values():
        importlib.import_module(f"flashcards.commands.{name}").register(sub)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The module of the command `argv` names, if it names a known one."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not token.startswith("-"):
            return COMMANDS.get(token)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; deck text it prints cannot drive the terminal (see flashcards.terminal)."""
    from flashcards.terminal import neutralised_output

    with neutralised_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
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
    except Exception as exc:
        from flashcards.crash import report_crash

        return report_crash(exc, [sys.argv[0], *arguments])
