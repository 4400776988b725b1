"""Going back over an attempt: each item with the answer given, the key and the verdict.

A review is plain data, built from a fresh score (`review_of`) or from a stored
attempt (`flashcards.exams.history.load_review`). Since schema 4 every stored item
keeps, as JSON (`shown_json`), the question, key and solution the student saw, so a
past attempt reads as it did on the day even after the decks change. Attempts
stored before that kept only the answers and the verdicts; their review shows
those and says what is missing (`NOT_STORED`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from flashcards.exams.build import ItemKind, points_label
from flashcards.exams.scoring import ItemResult, Score
from flashcards.exams.text import question_text

REVIEW_SINCE_SCHEMA = 4
NOT_STORED = (
    f"Questions and keys were not stored for attempts before schema {REVIEW_SINCE_SCHEMA}: "
    "only your answers and marks are shown."
)


@dataclass(frozen=True)
class ReviewItem:
    """One item as the review shows it; `question` is "" when it was not stored."""

    number: int
    kind: ItemKind
    topic: str
    points: float
    earned: float
    response: str
    correct: bool | None
    question: str = ""
    key: str = ""
    solution: tuple[str, ...] = ()
    feedback: str = ""
    mistake: str = ""  # a compute answer's named slip, as the checker names it

    @property
    def stored(self) -> bool:
        return bool(self.question)


@dataclass(frozen=True)
class Review:
    """A whole attempt to go back over; `attempt_id` is None before it is stored."""

    title: str
    items: tuple[ReviewItem, ...]
    attempt_id: int | None = None

    @property
    def earned(self) -> float:
        return sum(item.earned for item in self.items)

    @property
    def possible(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def complete(self) -> bool:
        """Every item kept its question and key (attempts since schema 4)."""
        return all(item.stored for item in self.items)


def review_item(result: ItemResult) -> ReviewItem:
    item = result.item
    return ReviewItem(
        number=item.number,
        kind=item.kind,
        topic=item.topic_name or item.topic,
        points=item.points,
        earned=result.earned,
        response=result.response,
        correct=result.correct,
        question=question_text(item),
        key=item.answer,
        solution=item.solution,
        feedback=result.feedback,
        mistake=result.mistake,
    )


def review_of(title: str, score: Score, attempt_id: int | None = None) -> Review:
    return Review(title, tuple(review_item(result) for result in score.results), attempt_id)


def shown_json(item: ReviewItem) -> str:
    """What storage keeps of an item beyond the answer and the verdict."""
    shown = {
        "question": item.question,
        "key": item.key,
        "solution": list(item.solution),
        "feedback": item.feedback,
        "mistake": item.mistake,
    }
    return json.dumps(shown, ensure_ascii=False)


def with_shown(item: ReviewItem, text: str | None) -> ReviewItem:
    """`item` completed from its `shown_json` text; as it is for an item stored before it."""
    if not text:
        return item
    shown = json.loads(text)
    return replace(
        item,
        question=str(shown.get("question", "")),
        key=str(shown.get("key", "")),
        solution=tuple(str(line) for line in shown.get("solution", ())),
        feedback=str(shown.get("feedback", "")),
        mistake=str(shown.get("mistake", "")),
    )


def verdict(item: ReviewItem) -> str:
    """Right or wrong and the points, in a few words."""
    points = f"{item.earned:g} of {points_label(item.points)}"
    if not item.response.strip():
        return f"✗ blank · {points}"
    if item.correct is None:
        return f"? not marked · {points}"
    return f"{'✓ right' if item.correct else '✗ wrong'} · {points}"


def review_lines(item: ReviewItem) -> list[str]:
    """The item under review as plain lines: question, answer, key, why, solution."""
    if item.stored:
        lines = [item.question, ""]
    else:
        lines = [f"Question {item.number}  ({points_label(item.points)}) · {item.topic}", ""]
    lines.append(f"Your answer: {item.response.strip() or '(blank)'}")
    if item.stored:
        label = "Key you marked against" if item.kind is ItemKind.OPEN else "Key"
        lines.append(f"{label}: {item.key}")
    lines.append(f"Verdict: {verdict(item)}")
    if item.kind is ItemKind.OPEN:
        if item.response.strip():
            lines.append(_open_mark(item.correct))
    elif item.mistake:
        lines.append(f"Named mistake ({item.mistake}): {item.feedback}")
    elif item.kind is ItemKind.COMPUTE and item.response.strip() and not item.correct:
        lines.append(item.feedback)  # "not right", or why the answer could not be read
    if item.solution:
        heading = "Worked solution:" if item.kind is ItemKind.COMPUTE else "Notes:"
        lines += ["", heading, *item.solution]
    return lines


def _open_mark(correct: bool | None) -> str:
    if correct is None:
        return "You did not mark this answer, so it counts 0."
    return f"You marked your answer {'right' if correct else 'wrong'}."


def review_text(review: Review) -> str:
    """The whole review as text, for `flashcards exam history --open`."""
    head = [
        f"{review.title}: {review.earned:g} of {review.possible:g} points",
    ]
    if not review.complete:
        head.append(NOT_STORED)
    blocks = ["\n".join(head)]
    blocks += ["\n".join(review_lines(item)) for item in review.items]
    return "\n\n---\n\n".join(blocks) + "\n"
