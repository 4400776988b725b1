"""FSRS's four ratings and this app's six SM-2 grades, mapped once.

The app stores SM-2 grades 0-5 in every log row. FSRS (and Anki) rate with
Again / Hard / Good / Easy, 1-4. A rating becomes the grade its name means:
Again 1 (wrong, familiar), Hard 3, Good 4, Easy 5, the same mapping the
benchmark workload uses for Anki's history. Going the other way, every grade
below SM-2's pass mark is a lapse, so 0-2 are Again.
"""

from __future__ import annotations

from enum import IntEnum

from flashcards.model import Grade
from flashcards.scheduling.constants import PASS_GRADE


class Rating(IntEnum):
    """An FSRS / Anki rating, 1-4."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


_GRADE_OF_RATING = {
    Rating.AGAIN: Grade.WRONG_FAMILIAR,
    Rating.HARD: Grade.HARD,
    Rating.GOOD: Grade.GOOD,
    Rating.EASY: Grade.EASY,
}


def grade_of_rating(rating: int | Rating) -> Grade:
    """The SM-2 grade a rating is stored as (Again 1, Hard 3, Good 4, Easy 5)."""
    return _GRADE_OF_RATING[Rating(rating)]


def rating_of_grade(grade: int | Grade) -> Rating:
    """The FSRS rating a stored grade means: 0-2 Again, 3 Hard, 4 Good, 5 Easy."""
    grade = Grade(grade)
    if grade < PASS_GRADE:
        return Rating.AGAIN
    return {Grade.HARD: Rating.HARD, Grade.GOOD: Rating.GOOD}.get(grade, Rating.EASY)
