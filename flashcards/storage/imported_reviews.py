"""Review history brought in by an import (Anki's review log), written beside the cards.

These rows are history, not session actions: undo never touches them, and they
carry their origin (`origin`, `origin_id`, `origin_type`) so a re-import adds
only answers it has not brought before. The unique index on (card, origin id)
is the guard; planning also leaves known ones out, so a dry run counts right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flashcards.model import Grade, ReviewKind, ScheduleState
from flashcards.storage.convert import state_to_json
from flashcards.storage.tables import LOGGED_ANSWER_COLUMNS, reviews_t


@dataclass(frozen=True)
class ImportedReview:
    """An answer given elsewhere, as one row of this app's review log."""

    reviewed_ms: int
    day: int
    grade: Grade
    rating: int
    """The rating as given there (Anki: Again 1, Hard 2, Good 3, Easy 4)."""
    duration_ms: int
    kind: ReviewKind
    before: ScheduleState
    after: ScheduleState
    origin: str
    origin_id: int
    """Its id where it came from (Anki's revlog id); a card holds each id once."""
    origin_type: int


_COLUMNS = (*LOGGED_ANSWER_COLUMNS, "rating", "origin", "origin_id", "origin_type")
assert set(_COLUMNS) <= set(reviews_t.c.keys())
_INSERT_SQL = (
    f"INSERT INTO {reviews_t.name} ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_COLUMNS))}) ON CONFLICT DO NOTHING"
)
_KNOWN_SQL = (
    f"SELECT card_id, origin_id FROM {reviews_t.name}"
    " WHERE origin_id IS NOT NULL AND card_id IN ({marks})"
)
_ID_CHUNK = 500


def known_origins(raw: Any, card_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(card id, origin id) of the imported reviews already stored for these cards."""
    found: set[tuple[int, int]] = set()
    for start in range(0, len(card_ids), _ID_CHUNK):
        chunk = list(card_ids[start : start + _ID_CHUNK])
        sql = _KNOWN_SQL.format(marks=", ".join("?" * len(chunk)))
        found.update((card, origin) for card, origin in raw.execute(sql, chunk))
    return found


def new_reviews(
    reviews: Sequence[ImportedReview], card_id: int | None, known: set[tuple[int, int]]
) -> list[ImportedReview]:
    """Those of a card's reviews not stored yet (all of them for a card being added)."""
    if card_id is None:
        return list(reviews)
    return [r for r in reviews if (card_id, r.origin_id) not in known]


def insert_reviews(raw: Any, rows: Iterable[tuple[int, ImportedReview]]) -> int:
    """Write (card id, review) pairs; an answer already stored is skipped. Returns rows added."""
    values = [_row(card_id, review) for card_id, review in rows]
    if not values:
        return 0
    cursor = raw.executemany(_INSERT_SQL, values)
    return int(cursor.rowcount)


def _row(card_id: int, review: ImportedReview) -> tuple[Any, ...]:
    before, after = review.before, review.after
    return (
        card_id,
        review.reviewed_ms,
        review.day,
        int(review.grade),
        review.duration_ms,
        review.kind.value,
        before.repetitions,
        before.easiness_centi,
        before.interval_days,
        before.due_day,
        after.repetitions,
        after.easiness_centi,
        after.interval_days,
        after.due_day,
        state_to_json(before),
        review.rating,
        review.origin,
        review.origin_id,
        review.origin_type,
    )


ReviewsByCard = Mapping[tuple[str, str], Sequence[ImportedReview]]
"""Per (deck id, card id), the reviews an import brings."""
