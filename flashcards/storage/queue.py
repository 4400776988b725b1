"""The due queue and deck counts: the hot read paths, in SQLAlchemy Core.

Study order is: review cards due today or earlier (oldest due first), then new
cards in deck-file order, each capped by the deck's daily limits less what was
already done today; re-drill cards come after both. Each query runs on a partial
index, so the cost follows the number of due cards, not the collection size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, or_, select

from flashcards.model import ReviewKind
from flashcards.storage.tables import cards_t, decks_t, reviews_t, schedule_t

s = schedule_t.c


@dataclass(frozen=True)
class DeckLimits:
    """What is left of each deck's daily allowance today."""

    new_left: dict[int, int]
    reviews_left: dict[int, int]


def not_buried(today: int) -> ColumnElement[bool]:
    return or_(s.buried_until.is_(None), s.buried_until <= today)


def deck_limits(conn: Connection, today: int, deck_ids: Sequence[int] | None = None) -> DeckLimits:
    """Daily limits minus the new cards introduced and reviews done today."""
    limits = select(decks_t.c.id, decks_t.c.new_per_day, decks_t.c.reviews_per_day)
    if deck_ids is not None:
        limits = limits.where(decks_t.c.id.in_(deck_ids))
    r = reviews_t.c
    done = (
        select(
            s.deck_id,
            # case(), not a bare boolean: sum() takes its argument's type and
            # a Boolean result would turn a count of 5 into True.
            func.sum(case((r.due_before.is_(None), 1), else_=0)),
            func.sum(case((r.due_before.is_not(None), 1), else_=0)),
        )
        .join(schedule_t, s.card_id == r.card_id)
        .where(r.day == today, r.kind == ReviewKind.REVIEW.value)
        .group_by(s.deck_id)
    )
    done_by_deck = {deck: (new or 0, old or 0) for deck, new, old in conn.execute(done)}
    new_left: dict[int, int] = {}
    reviews_left: dict[int, int] = {}
    for deck_id, new_limit, review_limit in conn.execute(limits):
        new_done, reviews_done = done_by_deck.get(deck_id, (0, 0))
        new_left[deck_id] = max(0, new_limit - new_done)
        reviews_left[deck_id] = max(0, review_limit - reviews_done)
    return DeckLimits(new_left, reviews_left)


def _grouped(conn: Connection, *conditions: ColumnElement[bool]) -> dict[int, int]:
    query = select(s.deck_id, func.count()).where(*conditions).group_by(s.deck_id)
    return {deck: count for deck, count in conn.execute(query)}


def raw_counts(conn: Connection, today: int) -> dict[str, dict[int, int]]:
    """Per deck: all cards, suspended, due, new and re-drill counts before limits."""
    total_query = select(cards_t.c.deck_id, func.count()).group_by(cards_t.c.deck_id)
    totals = {deck: count for deck, count in conn.execute(total_query)}
    suspended = _grouped(conn, s.suspended == 1)
    due = _grouped(conn, s.due_day <= today, s.suspended == 0)
    new = _grouped(conn, s.due_day.is_(None), s.suspended == 0)
    # Buried cards are few: fetch them by their own index and subtract, rather
    # than adding a condition that would steer the planner off the due index.
    buried = select(s.deck_id, s.due_day, s.suspended).where(s.buried_until > today)
    for deck_id, due_day, is_suspended in conn.execute(buried):
        if is_suspended:
            continue
        if due_day is None:
            new[deck_id] -= 1
        elif due_day <= today:
            due[deck_id] -= 1
    redrill = _grouped(conn, s.redrill_day == today, s.suspended == 0)
    return {"total": totals, "suspended": suspended, "due": due, "new": new, "redrill": redrill}


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
