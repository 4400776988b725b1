"""Running a Browse search against the collection, one page at a time.

Every term becomes a Core condition that is NULL-safe, so negating it (`-is:due`)
keeps exactly the cards the term did not match. Free words first test the raw
JSON content with a plain LIKE, which rejects most rows cheaply, and only then
look inside the text fields, so a key name such as "front" never matches every
card. SQLite's LIKE folds ASCII letters only, so case-insensitivity stops there.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false, func, not_, or_, select, true

from flashcards.clock import day_to_date, study_day
from flashcards.model import StoredCard
from flashcards.search import Field, Query, SearchError, State, Term, parse_query
from flashcards.storage.collection import Collection
from flashcards.storage.convert import SCHEDULE_COLUMNS, card_from_row, state_from_row
from flashcards.storage.tables import cards_t, decks_t, schedule_t

PAGE_SIZE = 200
TEXT_FIELDS = ("front", "back", "extra", "distractors")
_ESCAPE = "\\"
_JSON_ESCAPED = {'"', "\\"}

c = cards_t.c
s = schedule_t.c


@dataclass(frozen=True)
class BrowseRow:
    """A matching card with the schedule facts the Browse table shows."""

    stored: StoredCard
    due: date | None  # None while the card is new

    @property
    def interval_days(self) -> int:
        return self.stored.state.interval_days

    @property
    def ease(self) -> float:
        return self.stored.state.easiness


@dataclass(frozen=True)
class BrowsePage:
    rows: tuple[BrowseRow, ...]
    total: int  # every match, not only this page
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


def search_cards(
    collection: Collection,
    query: Query | str,
    now: datetime,
    *,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> BrowsePage:
    """One page of the cards matching `query`, in the order they were added."""
    parsed = parse_query(query) if isinstance(query, str) else query
    today = study_day(now)
    with collection.read() as conn:
        where = and_(true(), *(_condition(conn, term, today) for term in parsed.terms))
        total = conn.execute(select(func.count()).select_from(_joined()).where(where)).scalar_one()
        rows = conn.execute(
            select(
                c.id,
                c.deck_id,
                decks_t.c.name,
                c.external_id,
                c.kind,
                c.content,
                c.tags,
                c.difficulty,
                *(s[name] for name in SCHEDULE_COLUMNS),
            )
            .select_from(_joined().join(decks_t, decks_t.c.id == c.deck_id))
            .where(where)
            .order_by(c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        ).all()
    return BrowsePage(tuple(_row(row._mapping) for row in rows), int(total), offset, limit)


def _joined() -> Any:
    return cards_t.join(schedule_t, s.card_id == c.id)


def _condition(conn: Connection, term: Term, today: int) -> ColumnElement[bool]:
    if term.field is Field.DECK:
        condition: ColumnElement[bool] = c.deck_id.in_(_deck_ids(conn, term.value))
    elif term.field is Field.TAG:
        condition = _tag(term.value)
    elif term.field is Field.IS:
        condition = _state(State(term.value), today)
    elif term.field is Field.KIND:
        condition = c.kind == term.value
    else:
        condition = _text(term.value)
    return not_(condition) if term.negated else condition


def _deck_ids(conn: Connection, pattern: str) -> list[int]:
    """Decks named `pattern`, case-insensitively, `*` matching any run of characters."""
    decks = conn.execute(select(decks_t.c.id, decks_t.c.name)).all()
    wanted = pattern.lower()
    ids = [
        int(deck_id)
        for deck_id, name in decks
        if fnmatch.fnmatchcase(name.lower(), wanted.replace("[", "[[]").replace("?", "[?]"))
    ]
    if not ids:
        names = ", ".join(sorted(name for _, name in decks)) or "none yet"
        raise SearchError(
            f"search: no deck matches deck:{pattern}; decks: {names} "
            '(quote names with spaces, like deck:"Deck 01"; * matches any text)'
        )
    return ids


def _tag(value: str) -> ColumnElement[bool]:
    pattern = f"% {_like_escape(value).replace('*', '%')} %"
    tagged = and_(c.tags != "", (" " + c.tags + " ").like(pattern, escape=_ESCAPE))
    if fnmatch.fnmatchcase("leech", value.lower()):
        # The leech mark lives in the schedule but shows as a tag in the app.
        return or_(tagged, s.leech == 1)
    return tagged


def _state(state: State, today: int) -> ColumnElement[bool]:
    if state is State.DUE:
        return and_(
            s.due_day.is_not(None),
            s.due_day <= today,
            s.suspended == 0,
            or_(s.buried_until.is_(None), s.buried_until <= today),
        )
    if state is State.NEW:
        return s.due_day.is_(None)
    if state is State.SUSPENDED:
        return s.suspended == 1
    if state is State.BURIED:
        return and_(s.buried_until.is_not(None), s.buried_until > today)
    if state is State.LEECH:
        return s.leech == 1
    return false()


def _text(word: str) -> ColumnElement[bool]:
    pattern = f"%{_like_escape(word)}%"
    inside = or_(
        *(
            func.coalesce(func.json_extract(c.content, f"$.{name}"), "").like(
                pattern, escape=_ESCAPE
            )
            for name in TEXT_FIELDS
        )
    )
    if _JSON_ESCAPED.intersection(word) or any(ord(char) < 32 for char in word):
        return inside
    # Stored JSON keeps such words verbatim, so this cheap test is a safe prefilter.
    return and_(c.content.like(pattern, escape=_ESCAPE), inside)


def _like_escape(value: str) -> str:
    return (
        value.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )


def _row(row: Any) -> BrowseRow:
    state = state_from_row(row)
    stored = StoredCard(
        id=row["id"],
        deck_id=row["deck_id"],
        deck_name=row["name"],
        card=card_from_row(
            row["external_id"], row["kind"], row["content"], row["tags"], row["difficulty"]
        ),
        state=state,
    )
    due = None if state.due_day is None else day_to_date(state.due_day)
    return BrowseRow(stored, due)
