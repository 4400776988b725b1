"""Putting validated decks into the collection: add, update, suspend or prune.

Cards match on (deck id, card id). A changed card keeps its schedule and
history; a card missing from the new file is suspended and reported (or, with
prune, moved to `removed_cards`, its reviews kept). The whole import is one
transaction; a dry run runs the very same code and rolls back, so its report
cannot drift from what a real import would do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select

from flashcards.errors import UserError
from flashcards.model import Card, Deck, ScheduleState
from flashcards.storage import backup
from flashcards.storage.collection import Collection
from flashcards.storage.convert import content_json, state_values, tags_text
from flashcards.storage.tables import cards_t, decks_t, removed_t, schedule_t

Progress = Callable[[int, int], None]


@dataclass
class DeckReport:
    name: str
    created: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0
    moved: int = 0
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        changes = (self.added, self.updated, self.restored, self.moved, self.missing, self.pruned)
        return self.created or any(changes)


@dataclass
class ImportReport:
    decks: list[DeckReport]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(deck.changed for deck in self.decks)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        out: list[str] = []
        for deck in self.decks:
            head = f"{deck.name}{' (new deck)' if deck.created else ''}: "
            restored = f", {deck.restored} back in the file again" if deck.restored else ""
            restored += f", {deck.moved} moved" if deck.moved else ""
            out.append(
                head
                + f"{deck.added} added, {deck.updated} updated, {deck.unchanged} unchanged"
                + restored
            )
            if deck.missing:
                out.append(
                    f"  {len(deck.missing)} cards no longer in the file {verb} suspended "
                    f"(use --prune to remove them): {_preview(deck.missing)}"
                )
            if deck.pruned:
                out.append(f"  {len(deck.pruned)} cards {verb} removed: {_preview(deck.pruned)}")
        return out


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def deck_hash(deck: Deck) -> str:
    """A fingerprint of a deck's content, to tell whether a bundled deck changed."""
    payload = [deck.external_id, deck.name, deck.description, list(deck.tags)]
    payload += [
        [c.external_id, c.kind.value, content_json(c), " ".join(c.tags), c.difficulty or ""]
        for c in deck.cards
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def import_decks(
    collection: Collection,
    decks: Sequence[Deck],
    now: datetime,
    *,
    origin: str = "user",
    prune: bool = False,
    dry_run: bool = False,
    schedules: Mapping[tuple[str, str], ScheduleState] | None = None,
    progress: Progress | None = None,
    additive: AbstractSet[str] = frozenset(),
) -> ImportReport:
    """Import `decks` in one transaction and report what changed.

    Decks whose id is in `additive` came from a format that holds a batch of
    cards rather than a whole deck (CSV/TSV): their missing cards are left
    alone unless `prune` is given.
    """
    report = ImportReport([], dry_run)
    stamp = int(now.timestamp() * 1000)
    try:
        with collection.transaction() as conn:
            counter = _Counter(sum(len(deck.cards) for deck in decks), progress)
            for deck in decks:
                importer = _DeckImport(conn, deck, stamp, origin, schedules or {})
                partial = deck.external_id in additive and not prune
                report.decks.append(importer.run(prune, counter, partial=partial))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def import_with_backup(
    collection: Collection,
    decks: Sequence[Deck],
    now: datetime,
    *,
    prune: bool = False,
    origin: str = "user",
    schedules: Mapping[tuple[str, str], ScheduleState] | None = None,
    progress: Progress | None = None,
    additive: AbstractSet[str] = frozenset(),
) -> tuple[ImportReport, Path | None]:
    """Import, first backing up a collection that has cards and is about to change.

    The dry run decides whether anything changes, so re-importing an unchanged
    file does not push a useful backup out of the rotation.
    """
    run = partial(
        import_decks,
        collection,
        decks,
        now,
        prune=prune,
        origin=origin,
        schedules=schedules,
        additive=additive,
    )
    preview = run(dry_run=True)
    if not preview.changed:
        return preview, None
    made = (
        backup.create(collection.path, now, "before-import").path
        if collection.card_count()
        else None
    )
    report = run(progress=progress)
    return report, made


def _positional_insert(table: Table, columns: Sequence[str]) -> str:
    missing = set(columns) - set(table.c.keys())
    assert not missing, f"not columns of {table.name}: {missing}"
    names = ", ".join(f'"{name}"' for name in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"


_INSERT_CARD = _positional_insert(
    cards_t,
    (
        "id",
        "deck_id",
        "external_id",
        "kind",
        "content",
        "tags",
        "difficulty",
        "position",
        "missing",
        "modified_ms",
    ),
)
_INSERT_SCHEDULE = _positional_insert(
    schedule_t, ("card_id", "deck_id", "new_position", *state_values(ScheduleState()))
)


class _Counter:
    """Reports progress every CHUNK cards, so a big single-deck import moves the bar."""

    CHUNK = 1000

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def add(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)


class _DeckImport:
    def __init__(
        self,
        conn: Connection,
        deck: Deck,
        stamp: int,
        origin: str,
        schedules: Mapping[tuple[str, str], ScheduleState],
    ) -> None:
        self.conn = conn
        self.deck = deck
        self.stamp = stamp
        self.origin = origin
        self.schedules = schedules
        self.report = DeckReport(deck.name)

    def run(self, prune: bool, counter: _Counter, *, partial: bool = False) -> DeckReport:
        deck_id = self._deck_row()
        known = {
            external_id: card_id
            for external_id, card_id in self.conn.execute(
                select(cards_t.c.external_id, cards_t.c.id).where(cards_t.c.deck_id == deck_id)
            ).all()
        }
        inserts: list[tuple[int, Card]] = []
        matched: list[tuple[int, Card, int]] = []
        for position, card in enumerate(self.deck.cards):
            card_id = known.pop(card.external_id, None)
            if card_id is None:
                inserts.append((position, card))
            else:
                matched.append((position, card, card_id))
        rows = self._rows([card_id for _, _, card_id in matched])
        for position, card, card_id in matched:
            self._update(rows[card_id], card, position)
        counter.add(len(matched))
        for start in range(0, len(inserts), _Counter.CHUNK):
            chunk = inserts[start : start + _Counter.CHUNK]
            self._insert(deck_id, chunk)
            counter.add(len(chunk))
        gone = [] if partial else list(self._rows(list(known.values())).values())
        if prune:
            self._prune(gone)
        else:
            self._mark_missing([row for row in gone if not row.missing])
        return self.report

    def _rows(self, card_ids: list[int]) -> dict[int, Any]:
        """Full rows of the given cards, fetched only for cards the import touches."""
        c = cards_t.c
        columns = (
            c.id,
            c.external_id,
            c.kind,
            c.content,
            c.tags,
            c.difficulty,
            c.position,
            c.missing,
        )
        rows: dict[int, Any] = {}
        for start in range(0, len(card_ids), 500):
            chunk = card_ids[start : start + 500]
            for row in self.conn.execute(select(*columns).where(c.id.in_(chunk))):
                rows[row.id] = row
        return rows

    def _deck_row(self) -> int:
        d = decks_t.c
        deck = self.deck
        row = self.conn.execute(
            select(d.id, d.name).where(d.external_id == deck.external_id)
        ).one_or_none()
        clash = self.conn.execute(
            select(d.external_id).where(d.name == deck.name, d.external_id != deck.external_id)
        ).scalar_one_or_none()
        if clash is not None:
            raise UserError(
                f"a deck named {deck.name!r} already exists with id {clash!r}; rename one of "
                "them (or give the file that deck's id to update it)"
            )
        values = {
            "name": deck.name,
            "description": deck.description,
            "tags": tags_text(deck.tags),
            # Only bundled decks are compared with a shipped copy; hashing a big
            # user import would cost a JSON encoding of every card for nothing.
            "content_hash": deck_hash(deck) if self.origin == "bundled" else "",
        }
        if row is not None:
            self.conn.execute(decks_t.update().where(d.id == row.id).values(values))
            return int(row.id)
        self.report.created = True
        result = self.conn.execute(
            decks_t.insert().values(
                external_id=deck.external_id, origin=self.origin, created_ms=self.stamp, **values
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _update(self, row: Any, card: Card, position: int) -> None:
        content = {
            "kind": card.kind.value,
            "content": content_json(card),
            "tags": tags_text(card.tags),
            "difficulty": card.difficulty.value if card.difficulty else None,
        }
        edited = any(getattr(row, key) != value for key, value in content.items())
        if not edited and row.position == position and not row.missing:
            self.report.unchanged += 1
            return
        if row.missing:
            # It came back: lift the suspension the import itself put on it.
            self.conn.execute(
                schedule_t.update().where(schedule_t.c.card_id == row.id).values(suspended=0)
            )
            self.report.restored += 1
        elif edited:
            self.report.updated += 1
        else:
            self.report.moved += 1  # same card, new place in the file
        self.conn.execute(
            cards_t.update()
            .where(cards_t.c.id == row.id)
            .values(missing=0, modified_ms=self.stamp, position=position, **content)
        )

    def _insert(self, deck_id: int, inserts: list[tuple[int, Card]]) -> None:
        if not inserts:
            return
        top = self.conn.execute(select(func.coalesce(func.max(cards_t.c.id), 0))).scalar_one()
        card_rows = []
        schedule_rows = []
        new_state = ScheduleState()
        for card_id, (position, card) in enumerate(inserts, start=int(top) + 1):
            difficulty = card.difficulty.value if card.difficulty else None
            identity = (card_id, deck_id, card.external_id, card.kind.value)
            body = (content_json(card), tags_text(card.tags), difficulty)
            card_rows.append((*identity, *body, position, 0, self.stamp))
            state = self.schedules.get((self.deck.external_id, card.external_id), new_state)
            schedule_rows.append((card_id, deck_id, position, *state_values(state).values()))
        # Positional executemany: SQLAlchemy's per-row parameter processing was a
        # third of a 10,000-card import; the SQL is built from the Table objects.
        self.conn.exec_driver_sql(_INSERT_CARD, card_rows)
        self.conn.exec_driver_sql(_INSERT_SCHEDULE, schedule_rows)
        self.report.added += len(inserts)

    def _mark_missing(self, rows: list[Any]) -> None:
        ids = [row.id for row in rows]
        if not ids:
            return
        self.conn.execute(cards_t.update().where(cards_t.c.id.in_(ids)).values(missing=1))
        self.conn.execute(
            schedule_t.update().where(schedule_t.c.card_id.in_(ids)).values(suspended=1)
        )
        self.report.missing = sorted(row.external_id for row in rows)

    def _prune(self, rows: list[Any]) -> None:
        if not rows:
            return
        ids = [row.id for row in rows]
        self.conn.execute(
            removed_t.insert(),
            [
                {
                    "card_id": row.id,
                    "deck_external_id": self.deck.external_id,
                    "external_id": row.external_id,
                    "kind": row.kind,
                    "content": row.content,
                    "removed_ms": self.stamp,
                }
                for row in rows
            ],
        )
        self.conn.execute(schedule_t.delete().where(schedule_t.c.card_id.in_(ids)))
        self.conn.execute(cards_t.delete().where(cards_t.c.id.in_(ids)))
        self.report.pruned = sorted(row.external_id for row in rows)


def _preview(ids: list[str], shown: int = 5) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more
