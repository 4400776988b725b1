"""Putting validated decks into the collection: add, update, suspend or prune.

Cards match on (deck id, card id). A changed card keeps its schedule and
history; a card missing from the new file is suspended and reported (or, with
prune, moved to `removed_cards`, its reviews kept).

An import runs in two steps. `plan_import` reads the collection in one read
snapshot, without the write lock, and decides every change; that plan *is* the
dry run, so a preview cannot drift from what happens. `apply_import` then takes
the write lock only to write the decided rows in bulk, so a reviewer answering
cards meanwhile waits for a short write, never for a whole import. The plan
records a fingerprint of each deck it read; if another process changed one of
those decks in between, the plan is made again inside the write transaction
(correct, only slower) rather than applied on stale rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, func, select

from flashcards.errors import UserError
from flashcards.gcpause import gc_paused
from flashcards.model import Card, CardKind, Deck, ScheduleState
from flashcards.storage import backup
from flashcards.storage.collection import Collection
from flashcards.storage.convert import content_json, state_values, tags_text
from flashcards.storage.imported_reviews import (
    ImportedReview,
    ReviewsByCard,
    insert_reviews,
    known_origins,
    new_reviews,
)
from flashcards.storage.tables import cards_t, decks_t, removed_t, schedule_t

Progress = Callable[[int, int], None]
CHUNK = 1000
"""Rows written per statement batch; progress is reported after each batch."""


@dataclass
class DeckReport:
    """What an import does (or would do) to one deck, as data; the front end words it."""

    name: str
    created: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0
    moved: int = 0
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    reviews: int = 0
    """Answers brought from the file's own review history (an Anki package's log)."""

    @property
    def changed(self) -> bool:
        changes = (
            self.added,
            self.updated,
            self.restored,
            self.moved,
            self.missing,
            self.pruned,
            self.reviews,
        )
        return self.created or any(changes)


@dataclass
class ImportReport:
    decks: list[DeckReport]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(deck.changed for deck in self.decks)


Fingerprint = tuple[Any, ...]


@dataclass
class DeckPlan:
    """Every row change one deck needs, decided from a read snapshot."""

    deck: Deck
    report: DeckReport
    deck_row: int | None
    fingerprint: Fingerprint
    inserts: list[tuple[int, Card]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    restored: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    missing_suspended: list[int] = field(default_factory=list)
    pruned: list[tuple[int, str, str, str]] = field(default_factory=list)
    reviews: list[tuple[str, ImportedReview]] = field(default_factory=list)
    """(card id, review) of history not stored yet."""
    card_rows: dict[str, int] = field(default_factory=dict)
    """Row ids of the stored cards that `reviews` names."""


@dataclass
class ImportPlan:
    """An import decided but not yet written; its report is the dry run's."""

    decks: list[DeckPlan]
    origin: str
    prune: bool
    additive: AbstractSet[str]
    schedules: Mapping[tuple[str, str], ScheduleState]
    reviews: ReviewsByCard = field(default_factory=dict)

    @property
    def report(self) -> ImportReport:
        return ImportReport([plan.report for plan in self.decks], dry_run=True)

    @property
    def changed(self) -> bool:
        return self.report.changed

    @property
    def writes(self) -> int:
        return sum(len(p.inserts) + len(p.updates) for p in self.decks)


def deck_hash(deck: Deck) -> str:
    """A fingerprint of a deck's content, to tell whether a bundled deck changed."""
    payload = [deck.external_id, deck.name, deck.description, list(deck.tags)]
    payload += [
        [c.external_id, c.kind.value, content_json(c), " ".join(c.tags), c.difficulty or ""]
        for c in deck.cards
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def plan_import(
    collection: Collection,
    decks: Sequence[Deck],
    *,
    origin: str = "user",
    prune: bool = False,
    schedules: Mapping[tuple[str, str], ScheduleState] | None = None,
    additive: AbstractSet[str] = frozenset(),
    reviews: ReviewsByCard | None = None,
) -> ImportPlan:
    """Decide every change from one read snapshot; nothing is written, no lock is held.

    Decks whose id is in `additive` came from a format that holds a batch of
    cards rather than a whole deck (CSV/TSV): their missing cards are left
    alone unless `prune` is given. `reviews` is history the files bring (an Anki
    package's log): only answers not stored yet are planned, for new and kept cards.
    """
    with collection.read() as conn, gc_paused():
        return _plan(conn, decks, origin, prune, schedules or {}, additive, reviews or {})


def apply_import(
    collection: Collection, plan: ImportPlan, now: datetime, *, progress: Progress | None = None
) -> ImportReport:
    """Write a plan in one transaction; re-plan inside it if its decks changed meanwhile."""
    stamp = int(now.timestamp() * 1000)
    with collection.transaction() as conn, gc_paused():
        if any(_fingerprint(conn, p.deck) != p.fingerprint for p in plan.decks):
            decks = [p.deck for p in plan.decks]
            plan = _plan(
                conn, decks, plan.origin, plan.prune, plan.schedules, plan.additive, plan.reviews
            )
        total = plan.writes
        done = 0
        for deck_plan in plan.decks:
            for written in _Apply(conn, deck_plan, stamp, plan.origin, plan.schedules).run():
                done += written
                if progress is not None:
                    progress(done, total)
    return replace(plan.report, dry_run=False)


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
    reviews: ReviewsByCard | None = None,
) -> ImportReport:
    """Plan and (unless `dry_run`) apply an import; the report says what changed."""
    with gc_paused():  # one pause over both steps: their objects are walked once, after
        plan = plan_import(
            collection,
            decks,
            origin=origin,
            prune=prune,
            schedules=schedules,
            additive=additive,
            reviews=reviews,
        )
        if dry_run:
            return plan.report
        return apply_import(collection, plan, now, progress=progress)


def apply_with_backup(
    collection: Collection, plan: ImportPlan, now: datetime, *, progress: Progress | None = None
) -> tuple[ImportReport, Path | None]:
    """Apply a plan, first backing up a collection that has cards and is about to change.

    An unchanged plan writes nothing, so re-importing an unchanged file does not
    push a useful backup out of the rotation.
    """
    if not plan.changed:
        return replace(plan.report, dry_run=False), None
    made = (
        backup.create(collection.path, now, "before-import").path
        if collection.card_count()
        else None
    )
    return apply_import(collection, plan, now, progress=progress), made


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
    """Plan once, back up if anything will change, then apply that same plan."""
    plan = plan_import(
        collection, decks, origin=origin, prune=prune, schedules=schedules, additive=additive
    )
    return apply_with_backup(collection, plan, now, progress=progress)


def _check_columns(table: Table, columns: Sequence[str]) -> None:
    missing = set(columns) - set(table.c.keys())
    assert not missing, f"not columns of {table.name}: {missing}"


def _positional_insert(table: Table, columns: Sequence[str]) -> str:
    _check_columns(table, columns)
    names = ", ".join(f'"{name}"' for name in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _positional_update(table: Table, columns: Sequence[str], key: str) -> str:
    _check_columns(table, (*columns, key))
    sets = ", ".join(f'"{name}" = ?' for name in columns)
    return f'UPDATE {table.name} SET {sets} WHERE "{key}" = ?'


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
# Positional executemany: SQLAlchemy's per-row parameter processing was a third of
# a 10,000-card import, and one UPDATE statement per changed card made a 100k-card
# update take minutes; the SQL is built from the Table objects, so names are checked.
_UPDATE_CARD = _positional_update(
    cards_t,
    ("kind", "content", "tags", "difficulty", "position", "missing", "modified_ms"),
    "id",
)
# A card the import suspended (missing = SUSPENDED_BY_IMPORT) gets its suspension
# lifted when it comes back, unless it became a leech meanwhile; one the student had
# suspended already (missing = ALREADY_SUSPENDED) stays suspended.
_UNSUSPEND = "UPDATE schedule SET suspended = 0 WHERE card_id = ? AND leech = 0"
SUSPENDED_BY_IMPORT = 1
ALREADY_SUSPENDED = 2


def _plan(
    conn: Connection,
    decks: Sequence[Deck],
    origin: str,
    prune: bool,
    schedules: Mapping[tuple[str, str], ScheduleState],
    additive: AbstractSet[str],
    reviews: ReviewsByCard,
) -> ImportPlan:
    plans = [
        _plan_deck(conn, deck, prune, partial=deck.external_id in additive and not prune)
        for deck in decks
    ]
    if reviews:
        for plan in plans:
            _plan_reviews(conn, plan, reviews)
    return ImportPlan(plans, origin, prune, additive, schedules, reviews)


def _fingerprint(conn: Connection, deck: Deck) -> Fingerprint:
    """What another writer would change between planning and applying this deck.

    The deck's row and any name clash, and over its cards: how many, the newest
    edit, the ids and how many are marked missing. Answers (schedule rows) are
    not part of it: an import never overwrites a schedule it did not decide to.
    """
    d, c = decks_t.c, cards_t.c
    row = conn.execute(select(d.id).where(d.external_id == deck.external_id)).scalar_one_or_none()
    clash = conn.execute(
        select(d.external_id).where(d.name == deck.name, d.external_id != deck.external_id)
    ).scalar_one_or_none()
    if row is None:
        return (None, clash)
    stats = conn.execute(
        select(func.count(), func.max(c.modified_ms), func.sum(c.id), func.sum(c.missing)).where(
            c.deck_id == row
        )
    ).one()
    return (row, clash, *stats)


def _plan_deck(conn: Connection, deck: Deck, prune: bool, *, partial: bool) -> DeckPlan:
    fingerprint = _fingerprint(conn, deck)
    deck_row, clash = fingerprint[0], fingerprint[1]
    if clash is not None:
        raise UserError(
            f"a deck named {deck.name!r} already exists with id {clash!r}; rename one of "
            "them (or give the file that deck's id to update it)"
        )
    plan = DeckPlan(deck, DeckReport(deck.name, created=deck_row is None), deck_row, fingerprint)
    raw = conn.connection.driver_connection
    assert raw is not None
    # Ids first, from the (deck, card id) index alone; the rest only of the cards
    # the plan touches, so adding rows to a big deck reads almost nothing.
    known = dict(raw.execute(_IDS_SQL, (deck_row,)).fetchall()) if deck_row is not None else {}
    matched: list[tuple[int, Card, int]] = []
    for position, card in enumerate(deck.cards):
        card_id = known.pop(card.external_id, None)
        if card_id is None:
            plan.inserts.append((position, card))
        else:
            matched.append((position, card, card_id))
    plan.report.added = len(plan.inserts)
    gone_ids = [] if partial else list(known.values())
    stored = _details(raw, deck_row, [i for _, _, i in matched] + gone_ids)
    for position, card, card_id in matched:
        _plan_update(plan, stored[card_id], card, position)
    gone = [stored[card_id] for card_id in gone_ids]
    if prune:
        plan.pruned = [(r.id, r.external_id, r.kind, r.content) for r in gone]
        plan.report.pruned = sorted(r.external_id for r in gone)
    else:
        newly = [r for r in gone if not r.missing]
        plan.missing = [r.id for r in newly if not r.suspended]
        plan.missing_suspended = [r.id for r in newly if r.suspended]
        plan.report.missing = sorted(r.external_id for r in newly)
    return plan


def _plan_reviews(conn: Connection, plan: DeckPlan, reviews: ReviewsByCard) -> None:
    """The history of the deck's cards that is not stored yet; none is written twice."""
    deck_key = plan.deck.external_id
    wanted = [
        card.external_id for card in plan.deck.cards if (deck_key, card.external_id) in reviews
    ]
    if not wanted:
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    stored: dict[str, int] = {}
    if plan.deck_row is not None:
        stored = dict(raw.execute(_IDS_SQL, (plan.deck_row,)).fetchall())
    plan.card_rows = {card: stored[card] for card in wanted if card in stored}
    known = known_origins(raw, list(plan.card_rows.values()))
    for card in wanted:
        fresh = new_reviews(reviews[(deck_key, card)], plan.card_rows.get(card), known)
        plan.reviews += [(card, review) for review in fresh]
    plan.report.reviews = len(plan.reviews)


class _Stored(NamedTuple):
    """A stored card as planning compares it with the file's."""

    id: int
    external_id: str
    position: int
    missing: int
    suspended: int
    kind: str
    content: str
    tags: str
    difficulty: str | None


_IDS_SQL = f"SELECT external_id, id FROM {cards_t.name} WHERE deck_id = ?"
_DETAILS_SQL = (
    "SELECT c.id, c.external_id, c.position, c.missing, s.suspended, c.kind, c.content, "
    f"c.tags, c.difficulty FROM {cards_t.name} c JOIN {schedule_t.name} s ON s.card_id = c.id"
)
_ID_CHUNK = 500


def _details(raw: Any, deck_row: int | None, ids: list[int]) -> dict[int, _Stored]:
    """The given cards in full: the whole deck in one pass when most are wanted, else by id."""
    if not ids or deck_row is None:
        return {}
    if len(ids) * 4 > _ID_CHUNK:
        rows = raw.execute(f"{_DETAILS_SQL} WHERE c.deck_id = ?", (deck_row,))
        return {row[0]: _Stored(*row) for row in rows}
    found: dict[int, _Stored] = {}
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = raw.execute(f"{_DETAILS_SQL} WHERE c.id IN ({marks})", chunk)
        found.update({row[0]: _Stored(*row) for row in rows})
    return found


def _plan_update(plan: DeckPlan, row: _Stored, card: Card, position: int) -> None:
    content = (
        card.kind.value,
        content_json(card),
        tags_text(card.tags),
        card.difficulty.value if card.difficulty else None,
    )
    stored = (row.kind, row.content, row.tags, row.difficulty)
    edited = stored != content
    report = plan.report
    if not edited and row.position == position and not row.missing:
        report.unchanged += 1
        return
    if row.missing:
        if row.missing == SUSPENDED_BY_IMPORT:
            plan.restored.append(row.id)  # it came back: lift the suspension the import put on it
        report.restored += 1
    elif edited:
        report.updated += 1
    else:
        report.moved += 1  # same card, new place in the file
    plan.updates.append((*content, position, 0, row.id))


_RECOUNT = (
    "UPDATE decks SET card_count = (SELECT count(*) FROM cards WHERE deck_id = ?) WHERE id = ?"
)


class _Apply:
    """Writes one deck's plan in batches, yielding how many cards each batch wrote."""

    def __init__(
        self,
        conn: Connection,
        plan: DeckPlan,
        stamp: int,
        origin: str,
        schedules: Mapping[tuple[str, str], ScheduleState],
    ) -> None:
        self.conn = conn
        self.plan = plan
        self.stamp = stamp
        self.origin = origin
        self.schedules = schedules

    def run(self) -> Iterator[int]:
        plan = self.plan
        deck_id = self._deck_row()
        for start in range(0, len(plan.updates), CHUNK):
            chunk = plan.updates[start : start + CHUNK]
            rows = [(*update[:-1], self.stamp, update[-1]) for update in chunk]
            self.conn.exec_driver_sql(_UPDATE_CARD, rows)
            yield len(chunk)
        if plan.restored:
            self.conn.exec_driver_sql(_UNSUSPEND, [(card_id,) for card_id in plan.restored])
        for start in range(0, len(plan.inserts), CHUNK):
            chunk = plan.inserts[start : start + CHUNK]
            self._insert(deck_id, chunk)
            yield len(chunk)
        self._insert_reviews()
        self._mark_missing(plan.missing, SUSPENDED_BY_IMPORT, suspend=True)
        self._mark_missing(plan.missing_suspended, ALREADY_SUSPENDED, suspend=False)
        self._prune(plan.pruned)
        if plan.inserts or plan.pruned or plan.deck_row is None:
            self.conn.exec_driver_sql(_RECOUNT, (deck_id, deck_id))

    def _deck_row(self) -> int:
        deck, d = self.plan.deck, decks_t.c
        values = {
            "name": deck.name,
            "description": deck.description,
            "tags": tags_text(deck.tags),
            # Only bundled decks are compared with a shipped copy; hashing a big
            # user import would cost a JSON encoding of every card for nothing.
            "content_hash": deck_hash(deck) if self.origin == "bundled" else "",
        }
        if self.plan.deck_row is not None:
            self.conn.execute(decks_t.update().where(d.id == self.plan.deck_row).values(values))
            return self.plan.deck_row
        result = self.conn.execute(
            decks_t.insert().values(
                external_id=deck.external_id, origin=self.origin, created_ms=self.stamp, **values
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _insert(self, deck_id: int, inserts: list[tuple[int, Card]]) -> None:
        # The loop runs once per new card (10,000 in a big table): no nested tuples to
        # unpack, no enum lookups, and the empty tag list is not joined.
        top = self.conn.execute(select(func.coalesce(func.max(cards_t.c.id), 0))).scalar_one()
        card_rows = []
        schedule_rows = []
        new_values = tuple(state_values(ScheduleState()).values())
        deck_key = self.plan.deck.external_id
        schedules, stamp = self.schedules, self.stamp
        kinds = {kind: kind.value for kind in CardKind}
        for card_id, (position, card) in enumerate(inserts, start=int(top) + 1):
            difficulty = card.difficulty.value if card.difficulty else None
            tags = tags_text(card.tags) if card.tags else ""
            card_rows.append(
                (
                    card_id,
                    deck_id,
                    card.external_id,
                    kinds[card.kind],
                    content_json(card),
                    tags,
                    difficulty,
                    position,
                    0,
                    stamp,
                )
            )
            state = schedules.get((deck_key, card.external_id)) if schedules else None
            if state is None:
                schedule_rows.append((card_id, deck_id, position, *new_values))
            else:
                schedule_rows.append((card_id, deck_id, position, *state_values(state).values()))
        self.conn.exec_driver_sql(_INSERT_CARD, card_rows)
        self.conn.exec_driver_sql(_INSERT_SCHEDULE, schedule_rows)
        if self.plan.reviews:  # history to attach: it needs the new cards' ids
            self.plan.card_rows.update((row[2], row[0]) for row in card_rows)

    def _insert_reviews(self) -> None:
        """History goes in with its cards; the report counts what was really added."""
        if not self.plan.reviews:
            return
        rows = self.plan.card_rows
        raw = self.conn.connection.driver_connection
        added = insert_reviews(raw, ((rows[card], review) for card, review in self.plan.reviews))
        self.plan.report.reviews = added

    def _mark_missing(self, ids: list[int], mark: int, *, suspend: bool) -> None:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            self.conn.execute(cards_t.update().where(cards_t.c.id.in_(chunk)).values(missing=mark))
            if suspend:
                self.conn.execute(
                    schedule_t.update().where(schedule_t.c.card_id.in_(chunk)).values(suspended=1)
                )

    def _prune(self, rows: list[tuple[int, str, str, str]]) -> None:
        if not rows:
            return
        self.conn.execute(
            removed_t.insert(),
            [
                {
                    "card_id": card_id,
                    "deck_external_id": self.plan.deck.external_id,
                    "external_id": external_id,
                    "kind": kind,
                    "content": content,
                    "removed_ms": self.stamp,
                }
                for card_id, external_id, kind, content in rows
            ],
        )
        for start in range(0, len(rows), CHUNK):
            ids = [row[0] for row in rows[start : start + CHUNK]]
            self.conn.execute(schedule_t.delete().where(schedule_t.c.card_id.in_(ids)))
            self.conn.execute(cards_t.delete().where(cards_t.c.id.in_(ids)))
