"""The due queue and deck counts: the hot read paths, in SQLAlchemy Core.

Study order is: review cards due today or earlier (oldest due first), then new
cards in deck-file order, each capped by the deck's daily limits less what was
already done today; re-drill cards come after both. Each query runs on a partial
index, so the cost follows the number of due cards, not the collection size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, or_, select

from flashcards.storage import deck_list
from flashcards.storage.deck_list import DeckLimits
from flashcards.storage.tables import cards_t, schedule_t

s = schedule_t.c


def not_buried(today: int) -> ColumnElement[bool]:
    return or_(s.buried_until.is_(None), s.buried_until <= today)


def deck_limits(conn: Connection, today: int, deck_ids: Sequence[int] | None = None) -> DeckLimits:
    """Daily limits minus what was done today (the deck list's own function, shared)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return deck_list.deck_limits(raw, today, deck_ids)


def tagged(tag: str) -> ColumnElement[bool]:
    """Cards carrying `tag` (tags are stored space-separated)."""
    pattern = f"% {tag.replace('%', '').replace('_', '')} %"
    cards = select(cards_t.c.id).where((" " + cards_t.c.tags + " ").like(pattern))
    return s.card_id.in_(cards.scalar_subquery())


def due_ids(
    conn: Connection,
    today: int,
    deck_ids: Sequence[int] | None,
    caps: dict[int, int],
    limit: int,
    extra: ColumnElement[bool] | None = None,
) -> list[int]:
    """Review cards due by `today`, oldest first, honouring each deck's cap."""
    query = (
        select(s.card_id, s.deck_id)
        .where(s.due_day <= today, s.suspended == 0, not_buried(today))
        .order_by(s.due_day, s.deck_id, s.card_id)
    )
    return _take(conn.execute(_narrow(query, deck_ids, extra)), caps, limit)


def new_ids(
    conn: Connection,
    today: int,
    deck_ids: Sequence[int] | None,
    caps: dict[int, int],
    limit: int,
    extra: ColumnElement[bool] | None = None,
) -> list[int]:
    """New cards in deck-file order, interleaving decks, honouring each deck's cap."""
    query = (
        select(s.card_id, s.deck_id)
        .where(s.due_day.is_(None), s.suspended == 0, not_buried(today))
        .order_by(s.new_position, s.deck_id)
    )
    return _take(conn.execute(_narrow(query, deck_ids, extra)), caps, limit)


def redrill_ids(
    conn: Connection,
    today: int,
    deck_ids: Sequence[int] | None,
    limit: int,
    extra: ColumnElement[bool] | None = None,
) -> list[int]:
    query = (
        select(s.card_id)
        .where(s.redrill_day == today, s.suspended == 0, not_buried(today))
        .order_by(s.card_id)
        .limit(limit)
    )
    return list(conn.execute(_narrow(query, deck_ids, extra)).scalars())


def cram_ids(
    conn: Connection, deck_ids: Sequence[int] | None, extra: ColumnElement[bool] | None
) -> list[int]:
    """Every unsuspended card of the selection, due or not."""
    query = select(s.card_id).where(s.suspended == 0).order_by(s.card_id)
    return list(conn.execute(_narrow(query, deck_ids, extra)).scalars())


def _narrow(
    query: Select[Any], deck_ids: Sequence[int] | None, extra: ColumnElement[bool] | None
) -> Select[Any]:
    if deck_ids is not None:
        query = query.where(s.deck_id.in_(deck_ids))
    if extra is not None:
        query = query.where(extra)
    return query


def _take(rows: Iterable[tuple[int, int]], caps: dict[int, int], limit: int) -> list[int]:
    """Stream rows in order, skipping decks whose cap is used up; stop at `limit`."""
    left = dict(caps)
    taken: list[int] = []
    if limit <= 0 or not any(left.values()):
        return taken
    for card_id, deck_id in rows:
        if left.get(deck_id, 0) <= 0:
            if not any(left.values()):
                break
            continue
        left[deck_id] -= 1
        taken.append(card_id)
        if len(taken) >= limit:
            break
    return taken
