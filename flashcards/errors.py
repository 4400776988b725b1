"""Errors the command line turns into exit codes.

0 is success, 1 a user error (bad option, unknown deck, nothing to undo),
2 a bad input file (a deck or spec that does not validate). Core modules raise
these (or subclasses) so the CLI and the TUI can both show the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flashcards.model import ScheduleState

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


class CardGoneError(UserError):
    """The card was removed meanwhile (say, by an `import --prune` in another process)."""

    def __init__(self, card_id: int) -> None:
        super().__init__(
            f"card {card_id} is no longer in the collection (removed by another process, "
            "for example an import with --prune)"
        )
        self.card_id = card_id


class StaleCardError(UserError):
    """The card's stored state is not the one an answer or undo was computed from."""

    def __init__(self, card_id: int, current: ScheduleState) -> None:
        super().__init__(f"card {card_id} was changed by another process meanwhile")
        self.card_id = card_id
        self.current = current
