"""An Anki card's answers, mapped onto this app's review log (`import --keep-schedule`).

| Anki type        | what it is                          | stored as                    |
|------------------|-------------------------------------|------------------------------|
| 0 learning       | a new card's learning steps         | `review` / `drill` (below)   |
| 1 review         | a due review                        | `review` / `drill`           |
| 2 relearning     | steps after a lapse                 | `review` / `drill`           |
| 3 filtered       | an answer in a filtered (cram) deck | `cram`                       |
| 4 manual         | set due date, forget (ease 0)       | not imported                 |
| 5 rescheduled    | FSRS rescheduling (ease 0)          | not imported                 |

Among types 0-2, a card's first answer of a study day is a `review` (the recall
event a scheduler learns from) and its later answers that day, Anki's learning
and relearning steps, are `drill`, as this app logs its own same-day re-drills;
so fitting can leave `drill` and `cram` out. The rating becomes a grade through
`grade_of_rating` (Again 1, Hard 3, Good 4, Easy 5) and is kept beside it, with
Anki's revlog id and type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import replace

from flashcards.clock import study_day
from flashcards.decks.anki_revlog import CRAM_TYPE, AnkiReview
from flashcards.model import ReviewKind, ScheduleState
from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI, MIN_EASINESS_CENTI
from flashcards.scheduling.ratings import Rating, grade_of_rating
from flashcards.storage.imported_reviews import ImportedReview

ANKI_ORIGIN = "anki"
MAX_DURATION_MS = 60_000
"""Anki's default cap on an answer's time; a longer one is a card left open, not thought."""
_REVIEW_TYPE = 1


def history(
    reviews: Sequence[AnkiReview], zone: dt.tzinfo | None = None
) -> tuple[ImportedReview, ...]:
    """A card's Anki answers as review-log rows, each with the state before and after.

    `zone` is where study days are counted (None: this machine's local time, as
    the app counts its own). Intervals come from the revlog (a learning step's
    negative seconds become 0 days), ease from its factor (kept when Anki logged
    none); repetitions and lapses are counted as SM-2 counts them, on `review`
    rows only: a pass adds a repetition, Again resets them and, on a review card,
    is a lapse.
    """
    return tuple(_rows(sorted(reviews, key=lambda r: r.revlog_id), zone))


def _rows(reviews: Sequence[AnkiReview], zone: dt.tzinfo | None) -> Iterator[ImportedReview]:
    state = ScheduleState()
    answered_days: set[int] = set()
    for review in reviews:
        moment = dt.datetime.fromtimestamp(review.revlog_id / 1000, tz=dt.UTC).astimezone(zone)
        day = study_day(moment)
        kind = _kind(review, day, answered_days)
        before = replace(state, interval_days=max(0, review.last_interval))
        after = _after(before, review, kind, day)
        yield ImportedReview(
            reviewed_ms=review.revlog_id,
            day=day,
            grade=grade_of_rating(review.rating),
            rating=review.rating,
            duration_ms=min(MAX_DURATION_MS, max(0, review.time_ms)),
            kind=kind,
            before=before,
            after=after,
            origin=ANKI_ORIGIN,
            origin_id=review.revlog_id,
            origin_type=review.anki_type,
        )
        state = after


def _kind(review: AnkiReview, day: int, answered_days: set[int]) -> ReviewKind:
    if review.anki_type == CRAM_TYPE:
        return ReviewKind.CRAM
    if day in answered_days:
        return ReviewKind.DRILL
    answered_days.add(day)
    return ReviewKind.REVIEW


def _after(before: ScheduleState, review: AnkiReview, kind: ReviewKind, day: int) -> ScheduleState:
    interval = max(0, review.interval)
    easiness = (
        max(MIN_EASINESS_CENTI, round(review.factor / 10))
        if review.factor > 0
        else before.easiness_centi or INITIAL_EASINESS_CENTI
    )
    after = replace(before, interval_days=interval, easiness_centi=easiness, due_day=day + interval)
    if kind is not ReviewKind.REVIEW:
        return after
    again = review.rating == Rating.AGAIN
    return replace(
        after,
        repetitions=0 if again else before.repetitions + 1,
        lapses=before.lapses + (again and review.anki_type == _REVIEW_TYPE),
        last_review_day=day,
    )
