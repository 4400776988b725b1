"""Messages the screens post about what happened, named in the past tense.

They let the app react in one place (a leech notice) and let
tests observe the flow through `run_test(message_hook=...)` instead of reading
pixels.
"""

from __future__ import annotations

from textual.message import Message

from flashcards.model import AnswerResult


class CardAnswered(Message):
    """An answer was committed to the collection."""

    def __init__(self, result: AnswerResult, quality: int) -> None:
        super().__init__()
        self.result = result
        self.quality = quality


class CardShown(Message):
    """A card (or the end of the session) is on screen, after the refresh.

    `card_id` is None when the session has run out of cards.
    """

    def __init__(self, card_id: int | None) -> None:
        super().__init__()
        self.card_id = card_id
