"""How an exam item reads in a terminal: the question, and after handing in, the key.

Plain text, shared by the exam screen and anything else that prints items, so an
item reads the same wherever it is shown (as `flashcards.cardtext` does for cards).
"""

from __future__ import annotations

from flashcards.cardtext import LETTERS
from flashcards.exams.build import ExamItem, ItemKind, points_label
from flashcards.exams.scoring import ItemResult

VERDICTS = {True: "✓ right", False: "✗ wrong", None: "? not marked yet"}


def question_text(item: ExamItem) -> str:
    """Heading, question, formula, then the options or the answer format."""
    parts = [f"Question {item.number}  ({points_label(item.points)})", item.question]
    if item.math:
        parts.append(item.math)
    if item.kind is ItemKind.CHOICE:
        parts.append("\n".join(f"{LETTERS[i]}) {o}" for i, o in enumerate(item.options)))
    elif item.kind is ItemKind.COMPUTE:
        if item.options:
            parts.append("Choices: " + ", ".join(item.options))
        parts.append(f"Answer format: {item.answer_hint}")
    return "\n\n".join(parts)


def key_text(result: ItemResult) -> str:
    """The student's answer beside the key, with the explanation or worked solution."""
    item = result.item
    lines = [
        f"Your answer: {result.response.strip() or '(blank)'}",
        f"Key: {item.answer}",
    ]
    if item.solution:
        lines += ["", *item.solution]
    if item.kind is ItemKind.OPEN and result.answered and result.correct is None:
        lines += ["", "Is your answer right? Press y (right) or n (wrong)."]
    return "\n".join(lines)
