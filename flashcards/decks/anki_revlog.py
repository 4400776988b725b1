"""Reading an Anki collection's review log (revlog) for the cards an import builds.

Read only for `import --keep-schedule`. Anki logs one row per answer, and a few
rows that are not answers: type 0 learning, 1 review, 2 relearning and 3
filtered (an answer in a cram deck) carry a rating 1-4; type 4 (manual: set due
date, forget) and 5 (FSRS rescheduling) have ease 0 and record that a card was
moved, not recalled, so they are not read. `flashcards.anki_history` maps the
answers onto this app's review log.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

CRAM_TYPE = 3
ANSWER_TYPES = (0, 1, 2, CRAM_TYPE)
_ID_CHUNK = 500
_REVLOG_SQL = (
    "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog"
    f" WHERE type IN ({', '.join(map(str, ANSWER_TYPES))}) AND ease BETWEEN 1 AND 4"
    " AND cid IN ({marks}) ORDER BY cid, id"
)


@dataclass(frozen=True)
class AnkiReview:
    """One answer as Anki logged it: a revlog row of type 0-3 with a rating."""

    revlog_id: int
    """Anki's id, the time of the answer in ms since the epoch."""
    rating: int
    """Again 1, Hard 2, Good 3, Easy 4."""
    anki_type: int
    interval: int
    """Days after the answer; Anki logs a learning step as negative seconds."""
    last_interval: int
    factor: int
    """Ease in permille after the answer; 0 when Anki logged none."""
    time_ms: int


def read_revlog(conn: sqlite3.Connection, card_ids: Iterable[int]) -> dict[int, list[AnkiReview]]:
    """The answers logged for each of `card_ids` (Anki card ids), oldest first."""
    if not _has_revlog(conn):
        return {}
    found: dict[int, list[AnkiReview]] = {}
    ids = sorted(set(card_ids))
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        sql = _REVLOG_SQL.format(marks=", ".join("?" * len(chunk)))
        for rid, cid, ease, ivl, last_ivl, factor, time_ms, kind in conn.execute(sql, chunk):
            review = AnkiReview(rid, ease, kind, ivl, last_ivl, factor, time_ms)
            found.setdefault(cid, []).append(review)
    return found


def _has_revlog(conn: sqlite3.Connection) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='revlog'"
    return conn.execute(sql).fetchone() is not None
