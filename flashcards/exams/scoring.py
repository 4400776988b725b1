"""Grading an attempt: choice and compute items by machine, open items by the student.

A choice answer is a letter (or the option's number); a compute answer goes through
the same checker as compute cards, with the template's own tolerances, so an exam
never disagrees with a review. Open items cannot be judged by string comparison:
the student compares their answer with the key and says right or wrong. Until they
do, the item counts zero and is reported as ungraded, so a score is never inflated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from flashcards.cardtext import LETTERS
from flashcards.exams.build import Exam, ExamItem, ItemKind

NOT_ANSWERED = "Not answered."
DASH = "\u2013"  # the en dash of a range, as in "a to d"


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one item; `correct` None means an open item not yet self-graded."""

    item: ExamItem
    response: str
    correct: bool | None
    feedback: str
    mistake: str = ""  # a compute answer's named slip(s), as the checker names them

    @property
    def earned(self) -> float:
        return self.item.points if self.correct else 0.0

    @property
    def answered(self) -> bool:
        return bool(self.response.strip())


@dataclass(frozen=True)
class Subtotal:
    """Points and right answers for one section or one topic."""

    name: str
    earned: float
    possible: float
    items: int
    right: int

    @property
    def percent(self) -> float:
        return 100 * self.earned / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class Score:
    results: tuple[ItemResult, ...]
    sections: tuple[Subtotal, ...]
    topics: tuple[Subtotal, ...]

    @property
    def earned(self) -> float:
        return sum(result.earned for result in self.results)

    @property
    def possible(self) -> float:
        return sum(result.item.points for result in self.results)

    @property
    def percent(self) -> float:
        return 100 * self.earned / self.possible if self.possible else 0.0

    @property
    def ungraded(self) -> tuple[ItemResult, ...]:
        return tuple(result for result in self.results if result.correct is None)

    @property
    def wrong(self) -> tuple[ItemResult, ...]:
        """Items answered wrong or left blank: the ones worth sending to review."""
        return tuple(result for result in self.results if result.correct is False)


def grade_item(item: ExamItem, response: str, self_grade: bool | None = None) -> ItemResult:
    """Judge one answer; `self_grade` is the student's verdict on an open item."""
    if not response.strip():
        return ItemResult(item, response, False, NOT_ANSWERED)
    if item.kind is ItemKind.CHOICE:
        return _grade_choice(item, response)
    if item.kind is ItemKind.COMPUTE:
        return _grade_compute(item, response)
    feedback = {
        None: "Compare your answer with the key and mark it right or wrong.",
        True: "You marked this right.",
        False: "You marked this wrong.",
    }[self_grade]
    return ItemResult(item, response, self_grade, feedback)


def choice_index(item: ExamItem, response: str) -> int | None:
    """The option a typed answer picks; None when it names none.

    Accepted: the letter (`b`, `B`, `b)`, `b) and its text`), the option's number,
    or the option's text itself (case and spacing aside).
    """
    text = " ".join(response.split()).casefold()
    count = len(item.options)
    lettered = re.fullmatch(r"([a-h])(?:[.)](?: .*)?)?", text)
    if lettered and lettered.group(1) in LETTERS[:count]:
        return LETTERS.index(lettered.group(1))
    if text.isdigit() and 1 <= int(text) <= count:
        return int(text) - 1
    texts = [" ".join(option.split()).casefold() for option in item.options]
    return texts.index(text) if text in texts else None


def choice_input_problem(item: ExamItem, response: str) -> str | None:
    """Why a typed choice answer is not accepted while answering; None when it is.

    Stricter than `choice_index`, which grades what was stored: while answering, only
    an option's letter (either case, with an optional ")" or ".") or its number is
    taken, so a slip like `e` or `ce` is caught before it is handed in as wrong.
    """
    text = response.strip().casefold()
    count = len(item.options)
    lettered = re.fullmatch(r"([a-z])\s*[.)]?", text)
    if lettered and lettered.group(1) in LETTERS[:count]:
        return None
    if text.isdigit() and 1 <= int(text) <= count:
        return None
    return f"Type a letter a{DASH}{LETTERS[count - 1]} (or 1{DASH}{count})"


def _grade_choice(item: ExamItem, response: str) -> ItemResult:
    picked = choice_index(item, response)
    if picked is None:
        last = LETTERS[len(item.options) - 1]
        return ItemResult(item, response, False, f"{response.strip()!r} is not an option a-{last}.")
    if picked == item.correct:
        return ItemResult(item, response, True, "Correct.")
    return ItemResult(item, response, False, f"The answer is {item.answer}")


def _grade_compute(item: ExamItem, response: str) -> ItemResult:
    from quizzes.checking import check_answer

    if item.problem is None:
        raise ValueError(f"compute item {item.number} was built without its problem")
    result = check_answer(item.problem, response)
    if result.parse_error:
        return ItemResult(item, response, False, f"Could not read the answer: {result.message}")
    if result.correct:
        return ItemResult(item, response, True, "Correct.")
    named = " or ".join(mistake.name for mistake in result.mistakes)
    why = result.message if named else "Not right."
    return ItemResult(item, response, False, f"{why} The answer is {item.answer}.", named)


def score_attempt(
    exam: Exam,
    responses: Mapping[int, str],
    self_grades: Mapping[int, bool] | None = None,
) -> Score:
    """Grade every item (by number) and total them by section and by topic."""
    grades = self_grades or {}
    results = tuple(
        grade_item(item, responses.get(item.number, ""), grades.get(item.number))
        for item in exam.items
    )
    titles = [section.title for section in exam.sections]
    return Score(
        results,
        _subtotals(results, lambda result: titles[result.item.section]),
        _subtotals(results, lambda result: result.item.topic_name),
    )


def _subtotals(
    results: Sequence[ItemResult], group: Callable[[ItemResult], str]
) -> tuple[Subtotal, ...]:
    """One subtotal per group, in the order the groups first appear."""
    grouped: dict[str, list[ItemResult]] = {}
    for result in results:
        grouped.setdefault(group(result), []).append(result)
    return tuple(
        Subtotal(
            name,
            sum(r.earned for r in members),
            sum(r.item.points for r in members),
            len(members),
            sum(1 for r in members if r.correct),
        )
        for name, members in grouped.items()
    )
