"""`Collection`: the only door to the database.

Everything above storage talks to this class and gets domain dataclasses back,
never rows. Every public write is one `with self.transaction():` block, so
an interrupted process leaves either the whole change or none of it. The hot
paths (queue, answer) use Core statements: the ORM's per-object cost shows in
the benchmark and buys nothing there.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DatabaseError, OperationalError

from flashcards.clock import study_day, to_epoch_ms
from flashcards.errors import CardGoneError, CollectionError, StaleCardError, UserError
from flashcards.model import (
    AnswerResult,
    Card,
    CardAnswer,
    DeckCounts,
    ReviewKind,
    ScheduleState,
    StoredCard,
)
from flashcards.paths import make_private_dirs
from flashcards.scheduling.base import Outcome
from flashcards.scheduling.policy import reset_state
from flashcards.storage import deck_list, queue
from flashcards.storage.convert import (
    STATE_COLUMNS,
    card_from_row,
    content_json,
    state_from_json,
    state_from_row,
    state_from_tuple,
    state_to_json,
    state_tuple,
    state_values,
    tags_text,
)
from flashcards.storage.engine import WRITE_OPTION, explain_failure, make_engine
from flashcards.storage.filelock import SharedLock, ensure_not_replaced, file_identity
from flashcards.storage.schema import ensure_schema, integrity_problems, schema_problems
from flashcards.storage.tables import (
    LOGGED_ANSWER_COLUMNS,
    cards_t,
    decks_t,
    meta_t,
    reviews_t,
    schedule_t,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_STATE_COLUMNS = [schedule_t.c[name] for name in state_values(ScheduleState())]
_CARD_COLUMNS = [
    cards_t.c.id,
    cards_t.c.deck_id,
    decks_t.c.name,
    cards_t.c.external_id,
    cards_t.c.kind,
    cards_t.c.content,
    cards_t.c.tags,
    cards_t.c.difficulty,
]


# The answer path's statements, as driver SQL built from the Table objects (so a
# renamed column fails at import, not at the first answer).
_STATE_NAMES = STATE_COLUMNS
_REVIEW_NAMES = (
    *LOGGED_ANSWER_COLUMNS,
    "seed",
    "template_version",
    "answer",
    "scheduler",
    "stability_after",
    "difficulty_after",
    "rating",
)
assert set(_STATE_NAMES) <= set(schedule_t.c.keys())
assert set(_REVIEW_NAMES) <= set(reviews_t.c.keys())
_SELECT_STATE_SQL = f"SELECT {', '.join(_STATE_NAMES)} FROM {schedule_t.name} WHERE card_id = ?"
_STATE_MATCHES = " AND ".join(f"{name} IS ?" for name in STATE_COLUMNS)
_SWAP_STATE_SQL = (
    f"UPDATE {schedule_t.name} SET {', '.join(f'{name} = ?' for name in STATE_COLUMNS)} "
    f"WHERE card_id = ? AND {_STATE_MATCHES}"
)
_STATE_IS_SQL = f"SELECT 1 FROM {schedule_t.name} WHERE card_id = ? AND {_STATE_MATCHES}"
_UPDATE_STATE_SQL = (
    f"UPDATE {schedule_t.name} SET {', '.join(f'{name} = ?' for name in _STATE_NAMES)} "
    "WHERE card_id = ?"
)
_INSERT_REVIEW_SQL = (
    f"INSERT INTO {reviews_t.name} ({', '.join(_REVIEW_NAMES)}) "
    f"VALUES ({', '.join('?' * len(_REVIEW_NAMES))})"
)


def _stored_state(raw: sqlite3.Connection, card_id: int) -> ScheduleState:
    """The card's state as stored now (inside the caller's write transaction)."""
    row = raw.execute(_SELECT_STATE_SQL, (card_id,)).fetchone()
    if row is None:
        raise CardGoneError(card_id)
    return state_from_tuple(row)


class Collection:
    """A study collection in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        make_private_dirs(path.parent)
        # Held until close(): a restore refuses while any process holds it (filelock).
        self._lock = SharedLock(path)
        self._engine = make_engine(path)
        try:
            ensure_schema(self._engine)
        except Exception:
            self._engine.dispose()
            self._lock.release()
            raise
        self._identity = file_identity(path)
        # Two long-lived connections: a transaction on a held Connection costs a
        # third of an ORM Session's, and nothing here needs an identity map.
        self._read = self._engine.connect()
        self._write = self._engine.connect().execution_options(**{WRITE_OPTION: True})

    def close(self) -> None:
        self._read.close()
        self._write.close()
        self._engine.dispose()
        self._lock.release()

    def __enter__(self) -> Collection:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------

    def deck_counts(self, now: datetime) -> list[DeckCounts]:
        """New / due / re-drill counts per deck, with today's limits applied."""
        with self._read.begin():
            raw = self._read.connection.driver_connection
            assert raw is not None
            return deck_list.count_decks(raw, study_day(now))

    def deck_id(self, name: str) -> int:
        """The id of the deck called `name` (exact, else case-insensitive)."""
        with self._read.begin():
            rows = self._read.execute(select(decks_t.c.id, decks_t.c.name)).all()
        for deck_id, deck_name in rows:
            if deck_name == name:
                return int(deck_id)
        matches = [deck_id for deck_id, deck_name in rows if deck_name.lower() == name.lower()]
        if len(matches) == 1:
            return int(matches[0])
        names = ", ".join(sorted(deck_name for _, deck_name in rows)) or "none yet"
        raise UserError(f"no deck named {name!r}; decks: {names}")

    def queue(
        self,
        now: datetime,
        deck_ids: Sequence[int] | None = None,
        limit: int = 50,
        *,
        tag: str | None = None,
    ) -> list[StoredCard]:
        """The next `limit` cards in study order: due, then new, then re-drill."""
        today = study_day(now)
        extra = queue.tagged(tag) if tag else None
        with self._read.begin():
            conn = self._read
            limits = queue.deck_limits(conn, today, deck_ids)
            ids = queue.due_ids(conn, today, deck_ids, limits.reviews_left, limit, extra)
            ids += queue.new_ids(conn, today, deck_ids, limits.new_left, limit - len(ids), extra)
            if len(ids) < limit:
                ids += queue.redrill_ids(conn, today, deck_ids, limit - len(ids), extra)
            return self._load_cards(conn, ids)

    def cram_queue(
        self, deck_ids: Sequence[int] | None = None, *, tag: str | None = None, seed: int = 0
    ) -> list[StoredCard]:
        """Every unsuspended card of the selection in a seeded random order."""
        with self._read.begin():
            conn = self._read
            ids = queue.cram_ids(conn, deck_ids, queue.tagged(tag) if tag else None)
            random.Random(seed).shuffle(ids)
            return self._load_cards(conn, ids)

    def card(self, card_id: int) -> StoredCard:
        with self._read.begin():
            cards = self._load_cards(self._read, [card_id])
        if not cards:
            raise CardGoneError(card_id)
        return cards[0]

    def _load_cards(self, conn: Any, ids: Sequence[int]) -> list[StoredCard]:
        if not ids:
            return []
        query = (
            select(*_CARD_COLUMNS, *_STATE_COLUMNS)
            .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
            .join(schedule_t, schedule_t.c.card_id == cards_t.c.id)
            .where(cards_t.c.id.in_(ids))
        )
        by_id = {row.id: _stored_card(row._mapping) for row in conn.execute(query)}
        return [by_id[card_id] for card_id in ids if card_id in by_id]

    def deck_hashes(self) -> dict[str, str | None]:
        """Each deck's content hash by deck id, to tell which bundled decks changed."""
        with self._read.begin():
            rows = self._read.execute(select(decks_t.c.external_id, decks_t.c.content_hash))
            return {str(deck): digest for deck, digest in rows}

    def card_count(self) -> int:
        with self._read.begin():
            return int(self._read.execute(select(func.count()).select_from(cards_t)).scalar_one())

    def record_answer(
        self,
        answer: CardAnswer,
        outcome: Outcome,
        now: datetime,
        *,
        kind: ReviewKind | None = None,
        recompute: Callable[[ScheduleState], Outcome] | None = None,
    ) -> AnswerResult:
        """Write an answer's outcome and its log row in one transaction, as given.

        The outcome was computed from `outcome.before`. If the card's stored state
        differs (another process answered, reset or re-imported it meanwhile), the
        stored state is never overwritten: with `recompute`, the grade is applied
        again to the current state inside the same transaction (so no third writer
        can slip in between); without it, nothing is written and `StaleCardError`
        says so. `kind` relabels the log row (an exam lapse is logged as `exam`).
        """
        card_id = answer.card_id
        attempt = answer.attempt
        with self._driver_transaction() as raw:
            # The hot path talks to the driver directly: two prepared statements,
            # no per-call compile or result processing (that was two thirds of an
            # answer's Python time). The update is a compare-and-set on the state
            # the outcome was computed from; only when it finds nothing (the card
            # moved on, or is gone) is the stored state read.
            if not self._swap_state(raw, card_id, outcome.before, outcome.state):
                stored = _stored_state(raw, card_id)
                if stored != outcome.before:
                    if recompute is None:
                        raise StaleCardError(card_id, stored)
                    outcome = recompute(stored)
                    self._swap_state(raw, card_id, outcome.before, outcome.state)
            logged_kind = kind or outcome.kind
            before, after = outcome.before, outcome.state
            inserted = raw.execute(
                _INSERT_REVIEW_SQL,
                (
                    card_id,
                    to_epoch_ms(now),
                    study_day(now),
                    int(outcome.grade),
                    max(0, answer.duration_ms),
                    logged_kind.value,
                    before.repetitions,
                    before.easiness_centi,
                    before.interval_days,
                    before.due_day,
                    after.repetitions,
                    after.easiness_centi,
                    after.interval_days,
                    after.due_day,
                    state_to_json(before),
                    attempt.seed if attempt else None,
                    attempt.version if attempt else None,
                    answer.answer_text,
                    outcome.scheduler,
                    after.stability,
                    after.fsrs_difficulty,
                    outcome.rating,
                ),
            )
        review_id = int(inserted.lastrowid or 0)
        return AnswerResult(
            card_id, logged_kind, before, after, outcome.became_leech, review_id=review_id
        )

    @staticmethod
    def _swap_state(
        raw: sqlite3.Connection, card_id: int, expected: ScheduleState, state: ScheduleState
    ) -> bool:
        """Write `state` if the card still holds `expected`; whether it did."""
        if state == expected:
            found = raw.execute(_STATE_IS_SQL, (card_id, *state_tuple(expected))).fetchone()
            return found is not None
        cursor = raw.execute(
            _SWAP_STATE_SQL, (*state_tuple(state), card_id, *state_tuple(expected))
        )
        return cursor.rowcount == 1

    def restore_state(self, card_id: int, expected: ScheduleState, state: ScheduleState) -> None:
        """Put a card back to `state`, if it still stands where `expected` says.

        Undo of suspend, bury and reset uses it: an undo never overwrites a change
        made since (by another process, or a later action) without saying so.
        """
        with self._driver_transaction() as raw:
            stored = _stored_state(raw, card_id)
            if stored != expected:
                raise StaleCardError(card_id, stored)
            raw.execute(_UPDATE_STATE_SQL, (*state_tuple(state), card_id))

    def undo(self, review_id: int) -> AnswerResult | None:
        """Take back an answer, restoring the exact state it was computed from.

        An answer can only be undone while it is its card's newest, so undo never
        rewrites history out of order. Returns None if that answer is not logged.
        """
        r = reviews_t.c
        with self.transaction() as conn:
            query = select(r.id, r.card_id, r.kind, r.before_state).where(r.id == review_id)
            row = conn.execute(query).one_or_none()
            if row is None:
                return None
            newest = conn.execute(select(func.max(r.id)).where(r.card_id == row.card_id))
            if newest.scalar_one() != row.id:
                raise UserError("that answer is not the card's latest; undo the later ones first")
            current = conn.execute(
                select(*_STATE_COLUMNS).where(schedule_t.c.card_id == row.card_id)
            ).one_or_none()
            before = state_from_json(row.before_state)
            if current is not None:
                conn.execute(
                    schedule_t.update()
                    .where(schedule_t.c.card_id == row.card_id)
                    .values(state_values(before))
                )
            conn.execute(reviews_t.delete().where(r.id == row.id))
        after = state_from_row(current._mapping) if current is not None else before
        return AnswerResult(row.card_id, ReviewKind(row.kind), after, before, review_id=row.id)

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> int:
        return self._update_states(card_ids, lambda state: replace(state, suspended=suspended))

    def reset(self, card_ids: Sequence[int]) -> int:
        """Make cards new again; their review history stays in the log."""
        return self._update_states(card_ids, reset_state)

    def _update_states(
        self, card_ids: Sequence[int], change: Callable[[ScheduleState], ScheduleState]
    ) -> int:
        changed = 0
        with self.transaction() as conn:
            rows = conn.execute(
                select(schedule_t.c.card_id, *_STATE_COLUMNS).where(
                    schedule_t.c.card_id.in_(card_ids)
                )
            ).all()
            missing = set(card_ids) - {row.card_id for row in rows}
            if missing:
                raise UserError(f"no card with id {', '.join(map(str, sorted(missing)))}")
            for row in rows:
                before = state_from_row(row._mapping)
                after = change(before)
                if after != before:
                    conn.execute(
                        schedule_t.update()
                        .where(schedule_t.c.card_id == row.card_id)
                        .values(state_values(after))
                    )
                    changed += 1
        return changed

    def update_card(self, card_id: int, card: Card, now: datetime) -> StoredCard:
        """Save an edited card's content; its schedule and history stay as they are."""
        with self.transaction() as conn:
            result = conn.execute(
                cards_t.update()
                .where(cards_t.c.id == card_id)
                .values(
                    kind=card.kind.value,
                    content=content_json(card),
                    tags=tags_text(card.tags),
                    difficulty=card.difficulty.value if card.difficulty else None,
                    modified_ms=to_epoch_ms(now),
                )
            )
            if result.rowcount != 1:
                raise CardGoneError(card_id)
        return self.card(card_id)

    def meta(self, key: str) -> str | None:
        with self._read.begin():
            value = self._read.execute(select(meta_t.c.value).where(meta_t.c.key == key))
            return value.scalar_one_or_none()

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(meta_t.delete().where(meta_t.c.key == key))
            conn.execute(meta_t.insert().values(key=key, value=value))

    # -- maintenance ---------------------------------------------------------------

    def check(self) -> list[str]:
        """Integrity and schema problems, empty when the file is healthy."""
        try:
            with self._read.begin():
                conn = self._read
                return integrity_problems(conn) + schema_problems(conn)
        except DatabaseError as exc:
            return [f"SQLite could not read the file: {exc.orig}"]

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE; all of it or none of it.

        SQLite's own failures (disk full, read-only file, a lock held too long)
        become a `CollectionError` that says what happened and that nothing changed.
        """
        try:
            with self._write.begin():
                yield self._write
                ensure_not_replaced(self.path, self._identity)
        except (OperationalError, sqlite3.OperationalError) as exc:
            # sqlite3's own error comes from the answer path, which uses the driver.
            raise CollectionError(explain_failure(exc)) from exc

    @contextmanager
    def _driver_transaction(self) -> Iterator[sqlite3.Connection]:
        """`transaction()` on the write connection's driver, for the per-answer writes.

        The same guarantees (BEGIN IMMEDIATE, the replaced-file check, all or
        nothing, failures explained) without SQLAlchemy's transaction objects and
        events, which cost about as much as the three statements they wrap.
        """
        raw = self._write.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        try:
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield raw
                ensure_not_replaced(self.path, self._identity)
                raw.execute("COMMIT")
            finally:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise CollectionError(explain_failure(exc)) from exc

    @contextmanager
    def orm_session(self, *, write: bool = True) -> Iterator[Session]:
        """An ORM Session in one transaction (BEGIN IMMEDIATE when `write`).

        For code that works with mapped objects (`flashcards.storage.orm`); the
        same error translation as `transaction()` applies.
        """
        from sqlalchemy.orm import Session

        bind = self._write if write else self._read
        try:
            with Session(bind=bind) as session, session.begin():
                yield session
                if write:
                    ensure_not_replaced(self.path, self._identity)
        except OperationalError as exc:
            raise CollectionError(explain_failure(exc)) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction, a consistent snapshot; for the storage modules only.

        Code above storage asks `Collection` (or a storage function) for data and
        never sees a connection: the layer test holds every other module to that.
        """
        with self._read.begin():
            yield self._read


def _stored_card(row: Any) -> StoredCard:
    return StoredCard(
        id=row["id"],
        deck_id=row["deck_id"],
        deck_name=row["name"],
        card=card_from_row(
            row["external_id"], row["kind"], row["content"], row["tags"], row["difficulty"]
        ),
        state=state_from_row(row),
    )


def open_collection(path: Path) -> Collection:
    try:
        return Collection(path)
    except CollectionError:
        raise
    except OSError as exc:
        raise CollectionError(f"cannot open the collection at {path}: {exc}") from exc
