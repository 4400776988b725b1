"""Helpers tests import by name (conftest is not importable in importlib mode)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flashcards.model import Card, CardKind, Deck

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock tests move by hand; the core never reads the real one."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def make_deck(name: str = "Deck A", n: int = 5, prefix: str = "c", deck_id: str = "") -> Deck:
    cards = tuple(
        Card(f"{prefix}{i}", CardKind.BASIC, f"{name} question {i}", f"answer {i}")
        for i in range(n)
    )
    return Deck(deck_id or name.lower().replace(" ", "-"), name, cards=cards)


def table_dump(path: object) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that a failed operation changed nothing."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(str(path))) as conn:
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(names)
        }


def stored_rows(collection: object, query: object) -> list[Any]:
    """Rows of a read-only query (SQL text or a SQLAlchemy select) on a collection's file.

    Tests inspect the stored rows through their own connection: the application
    reaches the database only through `Collection`.
    """
    from sqlalchemy import create_engine, text

    path = getattr(collection, "path", collection)
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            statement = text(query) if isinstance(query, str) else query
            return list(conn.execute(statement))  # type: ignore[call-overload]
    finally:
        engine.dispose()


def review_count(collection: object) -> int:
    """How many answers the review log holds."""
    return int(stored_rows(collection, "SELECT count(*) FROM review_log")[0][0])


def newest_review_id(collection: object) -> int:
    """The id of the newest answer in the log."""
    return int(stored_rows(collection, "SELECT max(id) FROM review_log")[0][0])


def bury(collection: Any, card_id: int, now: datetime) -> None:
    """Hide a card until the next study day, as the Review screen's `b` does."""
    from dataclasses import replace

    from flashcards.clock import study_day

    state = collection.card(card_id).state
    collection.restore_state(card_id, state, replace(state, buried_until=study_day(now) + 1))
