"""Errors the command line turns into exit codes.

0 is success, 1 a user error (bad option, unknown deck, nothing to undo),
2 a bad input file (a deck or spec that does not validate). Core modules raise
these (or subclasses) so the CLI and the TUI can both show the message.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_BAD_INPUT = 2


class FlashcardsError(Exception):
    """Base of every error with a message meant for the user."""

    exit_code = EXIT_USER_ERROR


class UserError(FlashcardsError):
    """The user asked for something that cannot be done as asked."""


class BadInputError(FlashcardsError):
    """An input file (deck, spec, package) is malformed; nothing was imported."""

    exit_code = EXIT_BAD_INPUT


class CollectionError(FlashcardsError):
    """The collection file is unusable (corrupt, newer schema, unwritable)."""
