"""`StudySession`: one sitting of study over a selection of cards.

It owns the order cards are shown in, reveal state, timing, the compute attempt
of the card on screen, and undo of every action back to the session's start;
the collection owns every write. A grade becomes one `CardAnswer`; the
scheduler's outcomes for the current card are computed once, shown on the grade
buttons and then stored as they are. Each answer is committed before `current`
moves on, so quitting at any moment loses nothing. No Textual here: the TUI,
the CLI and the benchmarks drive the same object.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from flashcards import cardtext
from flashcards.clock import study_day
from flashcards.compute import ComputeAttempt, draw_seed
from flashcards.deck_config import deck_schedulers
from flashcards.errors import CardGoneError, StaleCardError
from flashcards.model import (
    AnswerResult,
    Card,
    CardAnswer,
    CardKind,
    Grade,
    ScheduleState,
    StoredCard,
)
from flashcards.scheduling.base import Outcome, Scheduler
from flashcards.scheduling.policy import SM2, reset_state
from flashcards.scheduling.ratings import Rating, grade_of_rating, rating_of_grade
from flashcards.storage.collection import Collection

BATCH = 50
Clock = Callable[[], datetime]
SNIPPET_CHARS = 40


@dataclass(frozen=True)
class GradeChoice:
    """One grade button: the key that presses it, the grade it stores, its name."""

    key: str
    grade: Grade
    label: str


SM2_CHOICES = tuple(GradeChoice(str(int(g)), g, g.label) for g in Grade)
FSRS_CHOICES = tuple(GradeChoice(str(int(r)), grade_of_rating(r), r.label) for r in Rating)


@dataclass
class SessionStats:
    """What the summary screen reports at the end."""

    reviewed: int = 0
    right_first_time: int = 0
    seconds: float = 0.0
    first_answers: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """One undoable thing the student did, with what undo needs to take it back.

    `card` is the card as it was before the action; `after` the schedule state
    the action left (undo restores `card.state` only from there).
    """

    verb: str
    card: StoredCard
    after: ScheduleState
    review_id: int = 0
    seed: int | None = None
    grade: Grade | None = None
    seconds: float = 0.0
    first_answer: bool = False


@dataclass(frozen=True)
class Undone:
    """What an undo took back, so the front end can say so."""

    verb: str
    card: StoredCard

    @property
    def message(self) -> str:
        card = self.card.card
        shown = card.front if card.kind is not CardKind.CLOZE else cardtext.question(card)
        return f"Undid: {self.verb} of “{snippet(shown)}”"


def snippet(text: str) -> str:
    """The first line of a card's text, short enough for a one-line notice."""
    line = text.strip().splitlines()[0] if text.strip() else "(empty card)"
    return line if len(line) <= SNIPPET_CHARS else line[: SNIPPET_CHARS - 1] + "…"


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
        schedulers: Mapping[int, Scheduler] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.collection = collection
        self.clock = clock
        self.deck_ids = list(deck_ids) if deck_ids is not None else None
        self.tag = tag
        self.cram = cram
        self._schedulers = deck_schedulers(collection) if schedulers is None else schedulers
        self._rng = rng if rng is not None else random.Random()
        self._timer = timer
        self._queue: list[StoredCard] = []
        self._actions: list[Action] = []
        self._seeds: dict[int, int] = {}
        self._outcomes: tuple[int, ScheduleState, int, dict[Grade, Outcome]] | None = None
        self._shown_at = timer()
        self.revealed = False
        self.compute: ComputeAttempt | None = None
        self.stats = SessionStats()
        if cram:
            self._queue = collection.cram_queue(self.deck_ids, tag=tag, seed=study_day(clock()))
        else:
            self._refill()
        self._next_card()

    # -- what is on screen -----------------------------------------------------------

    @property
    def current(self) -> StoredCard | None:
        return self._queue[0] if self._queue else None

    @property
    def remaining(self) -> int:
        return len(self._queue)

    @property
    def done(self) -> int:
        """Answers given in this session and not undone."""
        return self.stats.reviewed

    @property
    def can_undo(self) -> bool:
        return bool(self._actions)

    def reveal(self) -> None:
        self.revealed = True

    def _outcome_on(self, grade: Grade, today: int) -> Outcome:
        """One grade's outcome, from the cache the grade buttons filled if it is there."""
        card = self.current
        if card is None:
            raise IndexError("no card on screen")
        cached = self._outcomes
        if cached is None or cached[:3] != (card.id, card.state, today):
            cached = (card.id, card.state, today, {})
            self._outcomes = cached
        found = cached[3].get(grade)
        if found is None:
            found = self.scheduler_of(card).answer(card.state, grade, today, cram=self.cram)
            cached[3][grade] = found
        return found

    def scheduler_of(self, card: StoredCard) -> Scheduler:
        """The scheduler of the card's deck (SM-2 unless the deck was switched)."""
        return self._schedulers.get(card.deck_id, SM2)

    def grade_choices(self) -> tuple[GradeChoice, ...]:
        """The grade buttons for the card on screen: SM-2's six, or FSRS's four."""
        card = self.current
        if card is not None and self.scheduler_of(card).name == "fsrs":
            return FSRS_CHOICES
        return SM2_CHOICES

    def intervals(self) -> dict[Grade, int] | None:
        """Days until due for each offered grade, for the buttons; None while cramming."""
        if self.cram or self.current is None:
            return None
        today = study_day(self.clock())
        return {
            choice.grade: self._outcome_on(choice.grade, today).interval_days(today)
            for choice in self.grade_choices()
        }

    def offered_grade(self, suggested: Grade) -> Grade:
        """The button a suggested grade (compute, choice) lands on for this card's scheduler."""
        choices = self.grade_choices()
        if choices is SM2_CHOICES:
            return suggested
        return grade_of_rating(rating_of_grade(suggested))

    def upcoming_compute(self) -> ComputeAttempt | None:
        """The compute card after the current one, with the seed it will use, to draw ahead."""
        if len(self._queue) < 2 or self._queue[1].card.kind is not CardKind.COMPUTE:
            return None
        card = self._queue[1]
        seed = self._seeds.setdefault(card.id, draw_seed(self._rng))
        return ComputeAttempt(card.card, seed)

    def new_variant(self) -> ComputeAttempt:
        """A fresh problem (new seed) for the compute card on screen."""
        card = self.current
        if card is None or card.card.kind is not CardKind.COMPUTE:
            raise ValueError("only a compute card has variants")
        self.compute = ComputeAttempt(card.card, draw_seed(self._rng))
        return self.compute

    # -- actions -----------------------------------------------------------------------

    def answer(self, grade: int | Grade) -> AnswerResult:
        """Grade the current card; it is on disk before this returns.

        If another process changed the card since it was shown, the grade is
        applied to its current state instead (never over it). If the card is gone,
        it leaves the queue and `CardGoneError` says so. Any other failure leaves
        the session as it was, so the same grade can be given again.
        """
        card = self.current
        if card is None:
            raise IndexError("no card to answer: the session is finished")
        grade = Grade(grade)
        elapsed = self._timer() - self._shown_at
        compute = self.compute
        attempt = compute.record() if compute is not None else None
        typed = compute.answer_text if compute is not None else None
        answer = CardAnswer(card.id, grade, int(elapsed * 1000), attempt, typed)
        now = self.clock()
        try:
            result = self._record(card, answer, now)
        except CardGoneError:
            self._drop_current()
            raise
        first = card.id not in self.stats.first_answers
        self._actions.append(
            Action(
                "answer",
                card,
                result.after,
                review_id=result.review_id,
                seed=attempt.seed if attempt else None,
                grade=grade,
                seconds=elapsed,
                first_answer=first,
            )
        )
        self._count(card.id, grade, elapsed, result.review_id, first)
        self._queue.pop(0)
        if self.cram and not grade.right:
            self._queue.append(replace(card, state=result.after))
        elif not self._queue and not self.cram:
            self._refill()
        self._next_card()
        return result

    def suspend(self) -> StoredCard:
        """Suspend the current card; it leaves this sitting until unsuspended."""
        return self._change_state("suspend", lambda state: replace(state, suspended=True))

    def bury(self) -> StoredCard:
        """Hide the current card until the next study day."""
        tomorrow = study_day(self.clock()) + 1
        return self._change_state("bury", lambda state: replace(state, buried_until=tomorrow))

    def reset(self) -> StoredCard:
        """Make the current card new again; its history stays in the log."""
        return self._change_state("reset", reset_state)

    def edit(self, content: Card) -> StoredCard:
        """Save new content for the current card; its schedule and history stay."""
        card = self.current
        if card is None:
            raise IndexError("no card to edit")
        stored = self.collection.update_card(card.id, content, self.clock())
        self._actions.append(Action("edit", card, stored.state))
        self._queue[0] = stored
        self._outcomes = None
        if self.compute is not None and stored.card.kind is CardKind.COMPUTE:
            self.compute = ComputeAttempt(stored.card, self.compute.seed)
        elif stored.card.kind is not CardKind.COMPUTE:
            self.compute = None
        return stored

    def undo(self) -> Undone | None:
        """Take back the newest action of this session; its card is shown again.

        A failed undo (disk full, card changed by another process) keeps the
        action, so it can be tried again once the cause is fixed.
        """
        if not self._actions:
            return None
        action = self._actions.pop()
        try:
            restored = self._take_back(action)
        except CardGoneError:
            raise
        except Exception:
            self._actions.append(action)
            raise
        self._queue = [c for c in self._queue if c.id != restored.id]
        self._queue.insert(0, restored)
        if action.seed is not None:
            self._seeds[restored.id] = action.seed
        if action.verb == "answer":
            self._uncount(action)
        self._next_card()
        return Undone(action.verb, restored)

    # -- internals ---------------------------------------------------------------------

    def _record(self, card: StoredCard, answer: CardAnswer, now: datetime) -> AnswerResult:
        """Store the outcome the buttons showed, unless the day turned meanwhile.

        If another process changed the card since it was shown, storage applies the
        same grade to the state it finds, in the same transaction.
        """
        today = study_day(now)
        outcome = self._outcome_on(answer.grade, today)

        scheduler = self.scheduler_of(card)

        def recompute(current: ScheduleState) -> Outcome:
            return scheduler.answer(current, answer.grade, today, cram=self.cram)

        return self.collection.record_answer(answer, outcome, now, recompute=recompute)

    def _change_state(
        self, verb: str, change: Callable[[ScheduleState], ScheduleState]
    ) -> StoredCard:
        card = self.current
        if card is None:
            raise IndexError(f"no card to {verb}")
        try:
            after = change(card.state)
            self.collection.restore_state(card.id, card.state, after)
        except StaleCardError:
            card = self.collection.card(card.id)
            after = change(card.state)
            self.collection.restore_state(card.id, card.state, after)
        except CardGoneError:
            self._drop_current()
            raise
        self._actions.append(Action(verb, card, after))
        self._drop_current()
        return card

    def _take_back(self, action: Action) -> StoredCard:
        card = action.card
        if action.verb == "answer":
            self.collection.undo(action.review_id)
        elif action.verb == "edit":
            self.collection.update_card(card.id, card.card, self.clock())
        else:
            self.collection.restore_state(card.id, action.after, card.state)
        return self.collection.card(card.id)

    def _drop_current(self) -> None:
        if self._queue:
            self._queue.pop(0)
        if not self._queue and not self.cram:
            self._refill()
        self._next_card()

    def _refill(self) -> None:
        self._queue = self.collection.queue(self.clock(), self.deck_ids, BATCH, tag=self.tag)

    def _next_card(self) -> None:
        """A new card is on screen: hide its answer, restart its timer, draw its seed."""
        self.revealed = False
        self._shown_at = self._timer()
        self._outcomes = None
        card = self.current
        if card is None or card.card.kind is not CardKind.COMPUTE:
            self.compute = None
            return
        seed = self._seeds.pop(card.id, None)
        self.compute = ComputeAttempt(card.card, draw_seed(self._rng) if seed is None else seed)

    def _count(
        self, card_id: int, grade: Grade, elapsed: float, review_id: int, first: bool
    ) -> None:
        self.stats.reviewed += 1
        self.stats.seconds += elapsed
        if first:
            self.stats.first_answers[card_id] = review_id
            if grade.right:
                self.stats.right_first_time += 1

    def _uncount(self, action: Action) -> None:
        self.stats.reviewed -= 1
        self.stats.seconds -= action.seconds
        if action.first_answer:
            self.stats.first_answers.pop(action.card.id, None)
            if action.grade is not None and action.grade.right:
                self.stats.right_first_time -= 1


def choice_grade(right: bool) -> Grade:
    """The grade a picked option suggests: good (4) if right, else wrong but familiar (1)."""
    return Grade.GOOD if right else Grade.WRONG_FAMILIAR
