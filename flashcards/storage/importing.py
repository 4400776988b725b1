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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

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
) -> ImportReport:
    """Import `decks` in one transaction and report what changed."""
    report = ImportReport([], dry_run)
    stamp = int(now.timestamp() * 1000)
    try:
        with collection.transaction() as conn:
            counter = _Counter(sum(len(deck.cards) for deck in decks), progress)
            for deck in decks:
                importer = _DeckImport(conn, deck, stamp, origin, schedules or {})
                report.decks.append(importer.run(prune, counter))
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
) -> tuple[ImportReport, Path | None]:
    """Import, first backing up a collection that has cards and is about to change.

    The dry run decides whether anything changes, so re-importing an unchanged
    file does not push a useful backup out of the rotation.
    """
    preview = import_decks(
        collection, decks, now, prune=prune, origin=origin, schedules=schedules, dry_run=True
    )
    if not preview.changed:
        return preview, None
    made = (
        backup.create(collection.path, now, "before-import").path
        if collection.card_count()
        else None
    )
    report = import_decks(
        collection, decks, now, prune=prune, origin=origin, schedules=schedules, progress=progress
    )
    return report, made


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

    def run(self, prune: bool, counter: _Counter) -> DeckReport:
        deck_id = self._deck_row()
        existing = {
            row.external_id: row
            for row in self.conn.execute(
                select(
                    cards_t.c.id,
                    cards_t.c.external_id,
                    cards_t.c.kind,
                    cards_t.c.content,
                    cards_t.c.tags,
                    cards_t.c.difficulty,
                    cards_t.c.position,
                    cards_t.c.missing,
                ).where(cards_t.c.deck_id == deck_id)
            )
        }
        seen: set[str] = set()
        inserts: list[tuple[int, Card]] = []
        for position, card in enumerate(self.deck.cards):
            seen.add(card.external_id)
            row = existing.get(card.external_id)
            if row is None:
                inserts.append((position, card))
            else:
                self._update(row, card, position)
        counter.add(len(self.deck.cards) - len(inserts))
        for start in range(0, len(inserts), _Counter.CHUNK):
            chunk = inserts[start : start + _Counter.CHUNK]
            self._insert(deck_id, chunk)
            counter.add(len(chunk))
        gone = [row for ext, row in existing.items() if ext not in seen]
        if prune:
            self._prune(gone)
        else:
            self._mark_missing([row for row in gone if not row.missing])
        return self.report

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
            "content_hash": deck_hash(deck),
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
        next_id = (
            int(self.conn.execute(select(func.coalesce(func.max(cards_t.c.id), 0))).scalar_one())
            + 1
        )
        card_rows = []
        schedule_rows = []
        for offset, (position, card) in enumerate(inserts):
            card_id = next_id + offset
            card_rows.append(
                {
                    "id": card_id,
                    "deck_id": deck_id,
                    "external_id": card.external_id,
                    "kind": card.kind.value,
                    "content": content_json(card),
                    "tags": tags_text(card.tags),
                    "difficulty": card.difficulty.value if card.difficulty else None,
                    "position": position,
                    "missing": 0,
                    "modified_ms": self.stamp,
                }
            )
            state = self.schedules.get((self.deck.external_id, card.external_id), ScheduleState())
            schedule_rows.append(
                {"card_id": card_id, "deck_id": deck_id, "new_position": position}
                | state_values(state)
            )
        self.conn.execute(cards_t.insert(), card_rows)
        self.conn.execute(schedule_t.insert(), schedule_rows)
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
