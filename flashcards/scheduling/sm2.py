"""SuperMemo's SM-2, exactly as published, as pure functions.

The easiness factor (EF) only ever moves in steps of 0.02 from 2.5, so it is
kept as an integer number of hundredths internally: `ceil(interval * EF)` is
then exact integer arithmetic and 125 x 2.8 gives 350 days, never 351.
"""

from __future__ import annotations

from flashcards.scheduling.constants import MIN_EASINESS_CENTI, PASS_GRADE, RIGHT_GRADE

FIRST_INTERVAL_DAYS = 1
SECOND_INTERVAL_DAYS = 6


def check_quality(quality: int) -> int:
    """Reject anything that is not an integer grade 0..5 (bools included)."""
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 5:
        raise ValueError(f"quality must be an integer from 0 to 5, got {quality!r}")
    return quality


def next_easiness_centi(easiness_centi: int, quality: int) -> int:
    """EF' = EF + (0.1 - (5 - q)(0.08 + (5 - q) 0.02)), floored at 1.3, in hundredths."""
    miss = 5 - check_quality(quality)
    return max(MIN_EASINESS_CENTI, easiness_centi + 10 - miss * (8 + miss * 2))


def next_interval_days(repetitions_before: int, interval_days: int, easiness_centi: int) -> int:
    """Interval after a pass: 1, then 6, then ceil(previous interval x EF before review)."""
    if repetitions_before == 0:
        return FIRST_INTERVAL_DAYS
    if repetitions_before == 1:
        return SECOND_INTERVAL_DAYS
    return -(-interval_days * easiness_centi // 100)


def review_centi(
    repetitions: int, easiness_centi: int, interval_days: int, quality: int
) -> tuple[int, int, int]:
    """One review on exact integers: (repetitions, easiness_centi, interval_days) after it."""
    check_quality(quality)
    new_easiness = next_easiness_centi(easiness_centi, quality)
    if quality < PASS_GRADE:
        return 0, new_easiness, FIRST_INTERVAL_DAYS
    interval = next_interval_days(repetitions, interval_days, easiness_centi)
    return repetitions + 1, new_easiness, interval


def needs_redrill(first_quality_today: int) -> bool:
    """SM-2's last step: a card first graded below 4 today is drilled again today."""
    return check_quality(first_quality_today) < RIGHT_GRADE
