"""The deck list's counts, on a bare sqlite3 connection: no SQLAlchemy on this path.

`flashcards decks` is a whole process each time, and importing SQLAlchemy alone
took longer than the rest of that process together. So the counts are plain SQL
run on the driver connection, shared by two callers: `Collection.deck_counts`
(the driver connection under its SQLAlchemy one) and `read_deck_counts`, which
opens the file with sqlite3 alone for an up-to-date collection and says None
when the full open is needed (a new file, an upgrade, the bundled decks to
install). Table names are written out here; a test checks them against
`flashcards.storage.tables`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flashcards.clock import study_day
from flashcards.model import DeckCounts, ReviewKind
from flashcards.storage.filelock import SharedLock

SCHEMA_VERSION = 5
BUNDLED_MARK = "bundled_installed"
"""Meta key set once the bundled decks were loaded: only such collections get updates."""

BUSY_TIMEOUT_S = 10.0
TABLES = ("meta", "decks", "cards", "schedule", "review_log")

_DONE_TODAY_SQL = (
    "SELECT s.deck_id, sum(r.due_before IS NULL), sum(r.due_before IS NOT NULL) "
    "FROM review_log r JOIN schedule s ON s.card_id = r.card_id "
    "WHERE r.day = ? AND r.kind = ? GROUP BY s.deck_id"
)
_LIMITS_SQL = "SELECT id, new_per_day, reviews_per_day FROM decks"
_NAMES_SQL = "SELECT id, name FROM decks ORDER BY name"
_TOTALS_SQL = "SELECT id, card_count FROM decks"
_GROUPED_SQL = {
    "suspended": "SELECT deck_id, count(*) FROM schedule WHERE suspended = 1 GROUP BY deck_id",
    "due": "SELECT deck_id, count(*) FROM schedule WHERE due_day <= ? AND suspended = 0 "
    "GROUP BY deck_id",
    "new": "SELECT deck_id, count(*) FROM schedule WHERE due_day IS NULL AND suspended = 0 "
    "GROUP BY deck_id",
    "redrill": "SELECT deck_id, count(*) FROM schedule WHERE redrill_day = ? AND suspended = 0 "
    "GROUP BY deck_id",
}
_BURIED_SQL = "SELECT deck_id, due_day, suspended FROM schedule WHERE buried_until > ?"
_META_SQL = "SELECT key, value FROM meta WHERE key IN ('schema_version', ?)"


@dataclass(frozen=True)
class DeckLimits:
    """What is left of each deck's daily allowance today."""

    new_left: dict[int, int]
    reviews_left: dict[int, int]


def deck_limits(
    raw: sqlite3.Connection, today: int, deck_ids: Sequence[int] | None = None
) -> DeckLimits:
    """Daily limits minus the new cards introduced and reviews done today."""
    done = raw.execute(_DONE_TODAY_SQL, (today, ReviewKind.REVIEW.value))
    done_by_deck = {deck: (new or 0, old or 0) for deck, new, old in done}
    wanted = None if deck_ids is None else set(deck_ids)
    new_left: dict[int, int] = {}
    reviews_left: dict[int, int] = {}
    for deck_id, new_limit, review_limit in raw.execute(_LIMITS_SQL):
        if wanted is not None and deck_id not in wanted:
            continue
        new_done, reviews_done = done_by_deck.get(deck_id, (0, 0))
        new_left[deck_id] = max(0, new_limit - new_done)
        reviews_left[deck_id] = max(0, review_limit - reviews_done)
    return DeckLimits(new_left, reviews_left)


def raw_counts(raw: sqlite3.Connection, today: int) -> dict[str, dict[int, int]]:
    """Per deck: all cards, suspended, due, new and re-drill counts before limits."""
    counts = {"total": dict(raw.execute(_TOTALS_SQL).fetchall())}
    for name, sql in _GROUPED_SQL.items():
        counts[name] = dict(raw.execute(sql, (today,) if "?" in sql else ()).fetchall())
    # Buried cards are few: fetch them by their own index and subtract, rather
    # than adding a condition that would steer the planner off the due index.
    due, new = counts["due"], counts["new"]
    for deck_id, due_day, is_suspended in raw.execute(_BURIED_SQL, (today,)):
        if is_suspended:
            continue
        if due_day is None:
            new[deck_id] -= 1
        elif due_day <= today:
            due[deck_id] -= 1
    return counts


def count_decks(raw: sqlite3.Connection, today: int) -> list[DeckCounts]:
    """Every deck's counts with today's limits applied, by name (inside a read transaction)."""
    counts = raw_counts(raw, today)
    limits = deck_limits(raw, today)
    return [
        DeckCounts(
            deck_id=deck_id,
            name=name,
            total=counts["total"].get(deck_id, 0),
            new=min(counts["new"].get(deck_id, 0), limits.new_left.get(deck_id, 0)),
            due=min(counts["due"].get(deck_id, 0), limits.reviews_left.get(deck_id, 0)),
            redrill=counts["redrill"].get(deck_id, 0),
            suspended=counts["suspended"].get(deck_id, 0),
        )
        for deck_id, name in raw.execute(_NAMES_SQL)
    ]


def read_deck_counts(path: Path, now: datetime) -> list[DeckCounts] | None:
    """The deck list of an up-to-date collection, or None if it needs the full open."""
    if not path.is_file():
        return None
    lock = SharedLock(path)  # a restore waits for this read, as for any open collection
    try:
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        lock.release()
        return None
    try:
        raw.execute("PRAGMA query_only = ON")
        raw.execute("BEGIN")
        meta = dict(raw.execute(_META_SQL, (BUNDLED_MARK,)).fetchall())
        if meta.get("schema_version") != str(SCHEMA_VERSION) or BUNDLED_MARK not in meta:
            return None
        return count_decks(raw, study_day(now))
    except sqlite3.Error:
        return None  # damaged, locked or not ours: the full open explains it properly
    finally:
        raw.close()
        lock.release()
