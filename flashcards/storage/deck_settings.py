"""The SQL behind deck settings, scheduler switches and FSRS's view of the log.

A switch to FSRS is planned from a read snapshot (the log replay can take a few
seconds on a large collection) and applied in one short write transaction that
only touches cards still where the plan found them: a card answered in between
keeps its new state and gets its memory state on its next FSRS review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from flashcards.errors import UserError
from flashcards.model import DeckSettings
from flashcards.storage.collection import Collection
from flashcards.storage.tables import decks_t, reviews_t, schedule_t

d = decks_t.c
s = schedule_t.c
r = reviews_t.c

_SETTINGS_COLUMNS = (
    d.id,
    d.external_id,
    d.name,
    d.scheduler,
    d.desired_retention,
    d.new_per_day,
    d.reviews_per_day,
    d.fsrs_params,
    d.fsrs_fitted_reviews,
    d.fsrs_fitted_ms,
)


def _settings(row: Any) -> DeckSettings:
    params = json.loads(row.fsrs_params) if row.fsrs_params else None
    return DeckSettings(
        deck_id=row.id,
        external_id=row.external_id,
        name=row.name,
        scheduler=row.scheduler,
        desired_retention=float(row.desired_retention),
        new_per_day=row.new_per_day,
        reviews_per_day=row.reviews_per_day,
        fsrs_parameters=tuple(float(p) for p in params) if params else None,
        fitted_reviews=row.fsrs_fitted_reviews,
        fitted_ms=row.fsrs_fitted_ms,
    )


def deck_settings(
    collection: Collection, deck_ids: Sequence[int] | None = None
) -> list[DeckSettings]:
    """Every deck's settings (or those of `deck_ids`), by name."""
    query = select(*_SETTINGS_COLUMNS).order_by(d.name)
    if deck_ids is not None:
        query = query.where(d.id.in_(list(deck_ids)))
    with collection.read() as conn:
        return [_settings(row) for row in conn.execute(query)]


def one_deck_settings(collection: Collection, deck_id: int) -> DeckSettings:
    found = deck_settings(collection, [deck_id])
    if not found:
        raise UserError(f"no deck with id {deck_id}")
    return found[0]


def update_limits_and_retention(
    collection: Collection,
    deck_id: int,
    *,
    desired_retention: float | None = None,
    new_per_day: int | None = None,
    reviews_per_day: int | None = None,
) -> DeckSettings:
    """Change the settings that need no replay, in one transaction."""
    values: dict[str, Any] = {}
    if desired_retention is not None:
        values["desired_retention"] = desired_retention
    if new_per_day is not None:
        values["new_per_day"] = new_per_day
    if reviews_per_day is not None:
        values["reviews_per_day"] = reviews_per_day
    if values:
        with collection.transaction() as conn:
            conn.execute(decks_t.update().where(d.id == deck_id).values(values))
    return one_deck_settings(collection, deck_id)


def store_fsrs_parameters(
    collection: Collection,
    deck_ids: Sequence[int],
    parameters: Sequence[float],
    reviews: int,
    fitted_ms: int,
) -> None:
    """Keep fitted parameters on each deck, with what they were fitted on and when."""
    with collection.transaction() as conn:
        conn.execute(
            decks_t.update()
            .where(d.id.in_(list(deck_ids)))
            .values(
                fsrs_params=json.dumps([float(p) for p in parameters]),
                fsrs_fitted_reviews=reviews,
                fsrs_fitted_ms=fitted_ms,
            )
        )


@dataclass(frozen=True)
class LoggedAnswer:
    """One review-log row as fitting and replay read it."""

    card_id: int
    day: int
    reviewed_ms: int
    grade: int
    kind: str
    origin_type: int | None
    duration_ms: int = 0


def logged_answers(
    collection: Collection, deck_ids: Sequence[int] | None = None
) -> list[LoggedAnswer]:
    """The log of the decks' current cards (all decks when None), card by card, in time order."""
    query = select(
        r.card_id, r.day, r.reviewed_ms, r.quality, r.kind, r.origin_type, r.duration_ms
    ).order_by(r.card_id, r.reviewed_ms, r.id)
    if deck_ids is not None:
        query = query.where(r.card_id.in_(select(s.card_id).where(s.deck_id.in_(list(deck_ids)))))
    with collection.read() as conn:
        return [LoggedAnswer(*row) for row in conn.execute(query)]


# The IN list walks the deck's cards and each card's log by `ix_review_card`; a
# plain join let the planner scan the whole log instead (7x slower on the workload).
_REVIEW_DAYS_SQL = (
    "SELECT card_id, day, quality FROM review_log "
    "WHERE card_id IN (SELECT card_id FROM schedule WHERE deck_id = ?) AND kind = 'review' "
    "ORDER BY card_id, reviewed_ms, id"
)


def review_days(collection: Collection, deck_id: int) -> list[tuple[int, int, int]]:
    """(card, study day, grade) of every scheduling review of the deck's cards, in time order.

    The switch to FSRS reads a whole deck's history (a million rows on a heavy
    collection), so this goes through the driver's cursor: plain tuples, no row
    objects.
    """
    with collection.read() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return cursor.execute(_REVIEW_DAYS_SQL, (deck_id,)).fetchall()  # type: ignore[no-any-return]
        finally:
            cursor.close()


@dataclass(frozen=True)
class CardMemory:
    """A card's schedule as a switch plans from it (and must still find to apply)."""

    card_id: int
    repetitions: int
    easiness_centi: int
    interval_days: int
    due_day: int | None
    last_review_day: int | None


def deck_memories(collection: Collection, deck_id: int) -> list[CardMemory]:
    query = select(
        s.card_id, s.repetitions, s.easiness_centi, s.interval_days, s.due_day, s.last_review_day
    ).where(s.deck_id == deck_id)
    with collection.read() as conn:
        return [CardMemory(*row) for row in conn.execute(query)]


@dataclass(frozen=True)
class MemoryUpdate:
    """What a switch writes for one card; `due_day`/`interval_days` only with --reschedule."""

    card_id: int
    last_review_day: int | None  # as planned: the update is skipped if it moved
    stability: float | None
    difficulty: float | None
    due_day: int | None = None
    interval_days: int | None = None


# A due day or interval given as NULL keeps the stored one (no --reschedule); the
# update is skipped for a card reviewed since the plan read it.
_SWITCH_SQL = (
    "UPDATE schedule SET stability = ?, fsrs_difficulty = ?, "
    "due_day = coalesce(?, due_day), interval_days = coalesce(?, interval_days) "
    "WHERE card_id = ? AND last_review_day IS ?"
)


def apply_switch(
    collection: Collection, deck_id: int, scheduler: str, updates: Iterable[MemoryUpdate]
) -> None:
    """Set the deck's scheduler and write the planned memory states, in one transaction."""
    rows = [
        (u.stability, u.difficulty, u.due_day, u.interval_days, u.card_id, u.last_review_day)
        for u in updates
    ]
    with collection.transaction() as conn:
        conn.execute(decks_t.update().where(d.id == deck_id).values(scheduler=scheduler))
        if rows:
            conn.exec_driver_sql(_SWITCH_SQL, rows)
