"""Domain objects shared by every layer.

They are frozen dataclasses with no database or UI behaviour, so deck parsers,
the collection, the study session and the TUI can pass them around freely and
tests can build them by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI, PASS_GRADE, RIGHT_GRADE


class Grade(IntEnum):
    """SM-2 quality of recall, 0 (blackout) to 5 (perfect)."""

    BLACKOUT = 0
    WRONG_FAMILIAR = 1
    WRONG_EASY = 2
    HARD = 3
    GOOD = 4
    EASY = 5

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def passed(self) -> bool:
        """A successful recall in SM-2's sense (the card does not lapse)."""
        return self >= PASS_GRADE

    @property
    def right(self) -> bool:
        """Right first time: no same-day re-drill needed."""
        return self >= RIGHT_GRADE


GRADE_LABELS: dict[Grade, str] = {
    # One name per grade, on the grade bar, in hints and in the README alike.
    Grade.BLACKOUT: "blackout",
    Grade.WRONG_FAMILIAR: "wrong",
    Grade.WRONG_EASY: "near miss",
    Grade.HARD: "hard",
    Grade.GOOD: "good",
    Grade.EASY: "easy",
}


class CardKind(StrEnum):
    BASIC = "basic"
    CHOICE = "choice"
    CLOZE = "cloze"
    COMPUTE = "compute"


class Difficulty(StrEnum):
    EASY = "E"
    MEDIUM = "M"
    HARD = "H"


class ReviewKind(StrEnum):
    """Why a review row exists; only `review` rows move the SM-2 schedule."""

    REVIEW = "review"
    DRILL = "drill"
    CRAM = "cram"
    EXAM = "exam"


@dataclass(frozen=True)
class Card:
    """One studyable card as a deck file defines it.

    Field use by kind:
    - basic: `front`, `back`.
    - choice: `front` is the question, `back` the correct answer, `distractors`
      the wrong options; `extra` an optional explanation.
    - cloze: `front` is the whole cloze text and `cloze` the deletion number
      this card asks for (one card per deletion); `extra` optional notes.
    - compute: `generator` names a `quizzes` template and `params` its options;
      `front` is a short title shown in lists.
    """

    external_id: str
    kind: CardKind
    front: str
    back: str = ""
    distractors: tuple[str, ...] = ()
    cloze: int = 0
    generator: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    extra: str = ""
    tags: tuple[str, ...] = ()
    difficulty: Difficulty | None = None
    source: str = ""

    @classmethod
    def basic(cls, external_id: str, front: str, back: str, tags: tuple[str, ...] = ()) -> Card:
        """`Card(external_id, CardKind.BASIC, front, back, tags=tags)`, four times faster.

        A frozen dataclass sets each of its twelve fields through
        `object.__setattr__`; filling `__dict__` at once made a quarter of a
        100,000-row table's parse. A test holds the two equal.
        """
        card = object.__new__(cls)
        card.__dict__.update(
            external_id=external_id,
            kind=CardKind.BASIC,
            front=front,
            back=back,
            distractors=(),
            cloze=0,
            generator="",
            params={},
            extra="",
            tags=tags,
            difficulty=None,
            source="",
        )
        return card

    def content(self) -> dict[str, Any]:
        """The kind-specific fields, as stored in the collection."""
        data: dict[str, Any] = {"front": self.front, "back": self.back}
        if self.distractors:
            data["distractors"] = list(self.distractors)
        if self.cloze:
            data["cloze"] = self.cloze
        if self.generator:
            data["generator"] = self.generator
        if self.params:
            data["params"] = dict(self.params)
        if self.extra:
            data["extra"] = self.extra
        if self.source:
            data["source"] = self.source
        return data


@dataclass(frozen=True)
class Deck:
    """A deck as a file defines it: metadata plus its cards in file order."""

    external_id: str
    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class ScheduleState:
    """Everything the collection knows about where a card stands.

    Days are *study days* (see `flashcards.clock`): integers, so due
    comparisons are exact and index-friendly. `easiness_centi` is the SM-2
    easiness factor in hundredths, which keeps it exact. `stability` (days) and
    `fsrs_difficulty` (1-10) are FSRS's memory state, None until the card's deck
    has used FSRS; the SM-2 fields stay beside them, so a deck can switch back.
    """

    repetitions: int = 0
    easiness_centi: int = INITIAL_EASINESS_CENTI
    interval_days: int = 0
    due_day: int | None = None
    lapses: int = 0
    last_review_day: int | None = None
    redrill_day: int | None = None
    suspended: bool = False
    buried_until: int | None = None
    leech: bool = False
    stability: float | None = None
    fsrs_difficulty: float | None = None

    @property
    def is_new(self) -> bool:
        return self.due_day is None

    @property
    def easiness(self) -> float:
        return self.easiness_centi / 100


@dataclass(frozen=True)
class StoredCard:
    """A card as the collection holds it: its content plus identity and state."""

    id: int
    deck_id: int
    deck_name: str
    card: Card
    state: ScheduleState

    @property
    def external_id(self) -> str:
        return self.card.external_id

    @property
    def tags(self) -> tuple[str, ...]:
        return (*self.card.tags, "leech") if self.state.leech else self.card.tags


@dataclass(frozen=True)
class DeckCounts:
    """What a deck list shows for one deck (limits already applied)."""

    deck_id: int
    name: str
    total: int
    new: int
    due: int
    redrill: int
    suspended: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "total": self.total,
            "new": self.new,
            "due": self.due,
            "redrill": self.redrill,
            "suspended": self.suspended,
        }


@dataclass(frozen=True)
class AnswerResult:
    """What one answer did, so the UI can tell the user (leech, next due)."""

    card_id: int
    kind: ReviewKind
    before: ScheduleState
    after: ScheduleState
    became_leech: bool = False
    review_id: int = 0


@dataclass(frozen=True)
class AttemptRecord:
    """What a compute card's attempt adds to its answer, so the problem can be redrawn.

    (template, version, seed) identifies the exact problem the student saw.
    """

    template: str
    version: int | None
    seed: int
    tries: int = 0


@dataclass(frozen=True)
class CardAnswer:
    """One answer as it crosses from the study front end into the core.

    The session builds it from the key press and its own timing; the scheduler
    turns it into an outcome and storage writes both in one transaction.
    `answer_text` is what the student typed (a compute answer, an exam response),
    None when nothing was typed.
    """

    card_id: int
    grade: Grade
    duration_ms: int = 0
    attempt: AttemptRecord | None = None
    answer_text: str | None = None


@dataclass(frozen=True)
class DeckSettings:
    """How a deck is studied: its scheduler and daily limits.

    `fsrs_parameters` is None until `scheduler optimize` fits them (FSRS-6's
    defaults apply); `fitted_reviews` and `fitted_ms` say on what and when.
    """

    deck_id: int
    external_id: str
    name: str
    scheduler: str = "sm2"
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    fsrs_parameters: tuple[float, ...] | None = None
    fitted_reviews: int | None = None
    fitted_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.name,
            "id": self.external_id,
            "scheduler": self.scheduler,
            "desired_retention": self.desired_retention,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "fsrs_parameters": list(self.fsrs_parameters) if self.fsrs_parameters else None,
            "fitted_reviews": self.fitted_reviews,
            "fitted_ms": self.fitted_ms,
        }
