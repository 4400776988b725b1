"""`StudySession`: one sitting of study over a selection of cards.

It owns the order cards are shown in, reveal state, timing and undo back to
the session's start; the collection owns every write. Each answer is committed
before `current` moves on, so quitting at any moment loses nothing. No Textual
here: the TUI, the CLI and the benchmarks drive the same object.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flashcards.clock import study_day
from flashcards.model import AnswerResult, Grade, StoredCard
from flashcards.scheduling.policy import apply_answer
from flashcards.storage.collection import Collection

BATCH = 50
Clock = Callable[[], datetime]


@dataclass
class SessionStats:
    """What the summary screen reports at the end."""

    reviewed: int = 0
    right_first_time: int = 0
    seconds: float = 0.0
    first_answers: dict[int, int] = field(default_factory=dict)


class StudySession:
    """Cards of a selection in study order, answered one at a time."""

    def __init__(
        self,
        collection: Collection,
        clock: Clock,
        deck_ids: Sequence[int] | None = None,
        *,
        tag: str | None = None,
        cram: bool = False,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.collection = collection
        self.clock = clock
        self.deck_ids = list(deck_ids) if deck_ids is not None else None
        self.tag = tag
        self.cram = cram
        self._timer = timer
        self._queue: list[StoredCard] = []
        self._history: list[tuple[AnswerResult, StoredCard, int]] = []
        self._shown_at = timer()
        self.revealed = False
        self.stats = SessionStats()
        if cram:
            self._queue = collection.cram_queue(self.deck_ids, tag=tag, seed=study_day(clock()))
        else:
            self._refill()

    @property
    def current(self) -> StoredCard | None:
        return self._queue[0] if self._queue else None

    @property
    def remaining(self) -> int:
        return len(self._queue)

    @property
    def done(self) -> int:
        return len(self._history)

    def reveal(self) -> None:
        self.revealed = True

    def preview(self, quality: int) -> int:
        """The interval in days that grading the current card `quality` would give."""
        card = self.current
        if card is None:
            return 0
        outcome = apply_answer(card.state, quality, study_day(self.clock()), cram=self.cram)
        due = outcome.state.due_day
        return 0 if due is None else due - study_day(self.clock())

    def answer(
        self,
        quality: int | Grade,
        *,
        seed: int | None = None,
        template_version: int | None = None,
        answer_text: str | None = None,
    ) -> AnswerResult:
        card = self.current
        if card is None:
            raise IndexError("no card to answer: the session is finished")
        elapsed = self._timer() - self._shown_at
        result = self.collection.answer(
            card.id,
            int(quality),
            self.clock(),
            duration_ms=int(elapsed * 1000),
            cram=self.cram,
            seed=seed,
            template_version=template_version,
            answer_text=answer_text,
        )
        self._queue.pop(0)
        self._history.append((result, card, int(quality)))
        self._count(card, int(quality), elapsed)
        if self.cram and int(quality) < 4:
            self._queue.append(card)
        elif not self._queue and not self.cram:
            self._refill()
        self._next_card()
        return result

    def undo(self) -> StoredCard | None:
        """Take back the last answer of this session; its card is shown again."""
        if not self._history:
            return None
        result, card, quality = self._history.pop()
        self.collection.undo(result.review_id)
        restored = self.collection.card(card.id)
        self._queue = [c for c in self._queue if c.id != card.id]
        self._queue.insert(0, restored)
        self.stats.reviewed -= 1
        if self.stats.first_answers.get(card.id) == result.review_id:
            del self.stats.first_answers[card.id]
            if quality >= 4:
                self.stats.right_first_time -= 1
        self._next_card()
        return restored

    def skip(self) -> None:
        """Drop the current card from this sitting (after suspend or bury)."""
        if self._queue:
            self._queue.pop(0)
        if not self._queue and not self.cram:
            self._refill()
        self._next_card()

    def replace_current(self, card: StoredCard) -> None:
        """Show an edited version of the current card."""
        if self._queue and self._queue[0].id == card.id:
            self._queue[0] = card

    def _refill(self) -> None:
        self._queue = self.collection.queue(self.clock(), self.deck_ids, BATCH, tag=self.tag)

    def _next_card(self) -> None:
        self.revealed = False
        self._shown_at = self._timer()

    def _count(self, card: StoredCard, quality: int, elapsed: float) -> None:
        self.stats.reviewed += 1
        self.stats.seconds += elapsed
        if card.id not in self.stats.first_answers:
            self.stats.first_answers[card.id] = self._history[-1][0].review_id
            if quality >= 4:
                self.stats.right_first_time += 1
