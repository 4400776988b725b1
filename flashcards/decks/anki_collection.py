"""Read an Anki collection's SQLite file and turn its notes into our decks and schedules.

Kept apart from `anki_package`, which decides whether a stranger's zip is safe to open:
by the time this runs the collection is a local, size-capped, read-only file, and what
is left is Anki's own schema, which changed shape across versions (JSON note types in
`col`, later tables with protobuf blobs). The result types are defined here, where they
are built, and `anki_package` re-exports them as its public API.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from flashcards.cardtext import CLOZE_PATTERN
from flashcards.decks._protobuf import proto_fields
from flashcards.decks.anki_ids import guid_origin
from flashcards.decks.anki_revlog import AnkiReview, read_revlog
from flashcards.decks.errors import (
    MAX_FIELD_BYTES,
    control_in,
    field_too_big,
    too_big_message,
)
from flashcards.decks.html_text import PlainText, html_to_text
from flashcards.gcpause import gc_paused
from flashcards.model import Card, CardKind, Deck
from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI, MIN_EASINESS_CENTI

_REVIEW, _RELEARNING = 2, 3
_FIRST_TIMESTAMP = 1_000_000_000
_CLOZE_FIELD = re.compile(r"\{\{cloze:([^}]+)\}\}")
# What a damaged or foreign SQLite file can raise while it is read.
DB_ERRORS = (
    sqlite3.Error,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    ArithmeticError,
    OSError,
)
# A note whose fields together are over the field cap is not fetched whole:
# `_field_sizes` first measures each field inside SQLite, so a 160 MB field is
# refused without ever becoming a Python string.
_RENAME_HINT = "rename it in Anki without control characters, then export again"
_NOTE_SQL = (
    "SELECT id, guid, mid, tags,"
    f" CASE WHEN length(CAST(flds AS BLOB)) > {MAX_FIELD_BYTES} THEN NULL ELSE flds END"
    " FROM notes ORDER BY id"
)
_FIELD_SIZES_SQL = """
WITH RECURSIVE parts(n, size, rest) AS (
    SELECT 0, 0, CAST(CAST(flds AS BLOB) || x'1f' AS BLOB) FROM notes WHERE id = ?
    UNION ALL
    SELECT n + 1, instr(rest, x'1f') - 1, substr(rest, instr(rest, x'1f') + 1)
    FROM parts WHERE length(rest) > 0
)
SELECT size FROM parts WHERE n > 0 ORDER BY n
"""
_CARD_SQL = (
    "SELECT nid, ord, CASE WHEN odid THEN odid ELSE did END, type,"
    " CASE WHEN odid AND odue THEN odue ELSE due END, ivl, factor, reps, lapses, id"
    " FROM cards ORDER BY nid, ord"
)


@dataclass(frozen=True)
class AnkiSchedule:
    """Where Anki left a reviewed card, in the terms SM-2 uses."""

    repetitions: int
    easiness_centi: int
    interval_days: int
    lapses: int
    due_date: dt.date | None


@dataclass(frozen=True)
class AnkiImport:
    """Decks ready to store, plus what was left behind so the user can be told."""

    decks: tuple[Deck, ...]
    schedules: Mapping[tuple[str, str], AnkiSchedule]
    media_skipped: int
    notes_skipped: int
    warnings: tuple[str, ...]
    reviews: Mapping[tuple[str, str], tuple[AnkiReview, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Per (deck id, card id), the card's answers from Anki's log; only with keep_schedule."""


@dataclass(frozen=True)
class _NoteType:
    name: str
    fields: tuple[str, ...]
    questions: tuple[str, ...]
    cloze: bool


@dataclass(frozen=True)
class _Timing:
    """Anki counts review due dates in days since the collection's first day."""

    day_zero: dt.date
    zone: dt.tzinfo
    rollover: int

    def due_date(self, due: int) -> dt.date:
        """Cards in intraday (re)learning store a timestamp instead of a day number."""
        if due >= _FIRST_TIMESTAMP:
            moment = dt.datetime.fromtimestamp(due, tz=self.zone)
            return (moment - dt.timedelta(hours=self.rollover)).date()
        return self.day_zero + dt.timedelta(days=due)


def read_collection(db_path: Path, keep_schedule: bool) -> _Builder:
    """Every note of the collection at `db_path`, gathered for `_Builder.result`.

    A damaged or foreign file raises one of `DB_ERRORS`.
    """
    with contextlib.closing(_open_readonly(db_path)) as conn, gc_paused():
        builder = _Builder(keep_schedule, _read_timing(conn))
        _feed_notes(conn, builder, _read_note_types(conn), _read_decks(conn))
        if keep_schedule:
            builder.revlog = read_revlog(conn, builder.anki_cards)
    return builder


# --- the SQLite collection ---------------------------------------------------------


def _open_readonly(db_path: Path) -> sqlite3.Connection:
    """Read-only and immutable, with Anki's `unicase` collation so its indexes load."""
    conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro&immutable=1", uri=True)
    conn.create_collation("unicase", _unicase)
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    missing = [name for name in ("col", "notes", "cards") if not _has_table(conn, name)]
    if missing:
        conn.close()
        raise ValueError(f"missing tables: {', '.join(missing)}")
    return conn


def _unicase(left: str, right: str) -> int:
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
    return conn.execute(sql, (name,)).fetchone() is not None


def _config(conn: sqlite3.Connection, key: str) -> Any:
    if _has_table(conn, "config"):
        row = conn.execute("SELECT val FROM config WHERE KEY=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None
    (conf,) = conn.execute("SELECT conf FROM col").fetchone()
    return json.loads(conf or "{}").get(key)


def _read_timing(conn: sqlite3.Connection) -> _Timing:
    """Day zero of Anki's day count, as its scheduler fixes it.

    Current collections record the UTC offset they were created in
    (`creationOffset`); older ones count from `crt` in local time, so the
    importing machine's zone is the best guess there.
    """
    (crt,) = conn.execute("SELECT crt FROM col").fetchone()
    offset = _config(conn, "creationOffset")
    rollover = _config(conn, "rollover")
    if isinstance(offset, int):
        created = dt.datetime.fromtimestamp(crt, tz=dt.timezone(-dt.timedelta(minutes=offset)))
    else:
        created = dt.datetime.fromtimestamp(crt).astimezone()
    zone = created.tzinfo or dt.UTC
    return _Timing(created.date(), zone, rollover if isinstance(rollover, int) else 4)


def _read_note_types(conn: sqlite3.Connection) -> dict[int, _NoteType]:
    if not _has_table(conn, "notetypes"):
        (models,) = conn.execute("SELECT models FROM col").fetchone()
        return {int(mid): _legacy_note_type(model) for mid, model in json.loads(models).items()}
    fields: dict[int, list[str]] = {}
    for ntid, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    questions: dict[int, list[str]] = {}
    for ntid, config in conn.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        qfmt = proto_fields(config).get(1, [b""])[0]
        questions.setdefault(ntid, []).append(qfmt.decode() if isinstance(qfmt, bytes) else "")
    types: dict[int, _NoteType] = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = proto_fields(config).get(1, [0])[0]
        qs = tuple(questions.get(ntid, ()))
        cloze = kind == 1 or any("{{cloze:" in q for q in qs)
        types[ntid] = _NoteType(name, tuple(fields.get(ntid, ())), qs, cloze)
    return types


def _legacy_note_type(model: dict[str, Any]) -> _NoteType:
    fields = tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"]))
    qs = tuple(t.get("qfmt", "") for t in sorted(model["tmpls"], key=lambda t: t["ord"]))
    cloze = model.get("type") == 1 or any("{{cloze:" in q for q in qs)
    return _NoteType(str(model["name"]), fields, qs, cloze)


def _read_decks(conn: sqlite3.Connection) -> dict[int, str]:
    if _has_table(conn, "decks"):
        rows = conn.execute("SELECT id, name FROM decks")
        return {did: name.replace("\x1f", "::") for did, name in rows}
    (decks,) = conn.execute("SELECT decks FROM col").fetchone()
    return {int(did): str(deck["name"]) for did, deck in json.loads(decks).items()}


# --- notes to cards ------------------------------------------------------------------


class _CardRow(NamedTuple):
    ord: int
    deck_id: int
    ctype: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    anki_id: int


@dataclass(frozen=True)
class _Note:
    base_id: str
    tags: tuple[str, ...]
    note_type: _NoteType
    fields: tuple[PlainText, ...]
    origin_deck: str | None = None
    """Our deck id, for a note that flashcards exported (see `anki_ids`)."""

    @property
    def kind(self) -> str:
        if self.note_type.cloze:
            return "cloze"
        names = {name.casefold() for name in self.note_type.fields}
        return "basic" if {"front", "back"} <= names else "other"

    def text(self, index: int) -> str:
        return self.fields[index].text if 0 <= index < len(self.fields) else ""

    def named(self, name: str) -> str:
        names = [n.casefold() for n in self.note_type.fields]
        return self.text(names.index(name.casefold()) if name.casefold() in names else -1)

    def card(self, ord_: int) -> Card | None:
        """The card Anki's template `ord_` shows, or None when it would ask nothing."""
        if self.kind == "cloze":
            return self._cloze(ord_ + 1)
        if self.kind == "basic":
            questions = self.note_type.questions
            question = questions[ord_] if ord_ < len(questions) else ""
            if _is_reverse(question, ord_):
                return self._basic(self.named("Back"), self.named("Front"), "#rev")
            return self._basic(self.named("Front"), self.named("Back"), "", self.named("Extra"))
        rest = zip(self.note_type.fields[2:], self.fields[2:], strict=False)
        extra = "\n".join(f"{name}: {value.text}" for name, value in rest if value.text)
        return self._basic(self.text(0), self.text(1), "", extra)

    def _basic(self, front: str, back: str, suffix: str, extra: str = "") -> Card | None:
        if not front:
            return None
        return Card(self.base_id + suffix, CardKind.BASIC, front, back, extra=extra, tags=self.tags)

    def _cloze(self, number: int) -> Card | None:
        text = self._cloze_text()
        hidden = [m.group(2) for m in CLOZE_PATTERN.finditer(text) if int(m.group(1)) == number]
        if not hidden or any(h.startswith("image-occlusion:") for h in hidden):
            return None
        extra = next((f.text for f in self.fields if f.text and f.text != text), "")
        return Card(
            f"{self.base_id}#c{number}",
            CardKind.CLOZE,
            text,
            " ... ".join(h.strip() for h in hidden),
            cloze=number,
            extra=extra,
            tags=self.tags,
        )

    def _cloze_text(self) -> str:
        """The field the cloze template deletes from (Anki's stock type calls it Text)."""
        match = next(filter(None, map(_CLOZE_FIELD.search, self.note_type.questions)), None)
        return self.named(match.group(1).split(":")[-1].strip()) if match else self.text(0)


def _is_reverse(question: str, ord_: int) -> bool:
    if not question:
        return ord_ > 0
    return "{{Back}}" in question and "{{Front}}" not in question


def _feed_notes(
    conn: sqlite3.Connection,
    builder: _Builder,
    types: dict[int, _NoteType],
    decks: dict[int, str],
) -> None:
    cards: dict[int, list[_CardRow]] = {}
    for nid, *row in conn.execute(_CARD_SQL):
        cards.setdefault(nid, []).append(_CardRow(*row))
    for nid, guid, mid, tags, flds in conn.execute(_NOTE_SQL):
        note_type = types.get(mid)
        if note_type is None or nid not in cards:
            builder.skip_note("their note type or cards are missing from the package")
            continue
        for tag in tags.split():
            builder.check_plain("the tag", tag)
        if flds is None:
            flds = _big_note_fields(conn, builder, nid, _note_id(guid), note_type)
            if flds is None:
                continue
        fields = tuple(html_to_text(value) for value in flds.split("\x1f"))
        builder.media.update(name for text in fields for name in text.media)
        origin = guid_origin(guid)
        base_id, origin_deck = (origin[1], origin[0]) if origin else (_note_id(guid), None)
        note = _Note(base_id, tuple(tags.split()), note_type, fields, origin_deck)
        builder.add_note(note, [(decks.get(row.deck_id, "Default"), row) for row in cards[nid]])


def _big_note_fields(
    conn: sqlite3.Connection, builder: _Builder, nid: int, card_id: str, note_type: _NoteType
) -> str | None:
    """The fields of a note too big to fetch blindly, or None when one is over the cap.

    Anki fields are measured as stored, HTML and all, since measuring the text
    would mean converting the huge string this check exists to avoid.
    """
    sizes = [size for (size,) in conn.execute(_FIELD_SIZES_SQL, (nid,))]
    over = [(index, size) for index, size in enumerate(sizes) if size > MAX_FIELD_BYTES]
    for index, size in over:
        names = note_type.fields
        name = names[index] if index < len(names) else f"field {index + 1}"
        builder.problems.append((too_big_message(f"card {card_id!r}", name, size), ""))
    if over:
        return None
    row = conn.execute("SELECT flds FROM notes WHERE id = ?", (nid,)).fetchone()
    return str(row[0])


# --- assembling the result -----------------------------------------------------------


class _Builder:
    """Collects cards per deck, schedules and the tally of what was left out."""

    def __init__(self, keep_schedule: bool, timing: _Timing) -> None:
        self.keep_schedule = keep_schedule
        self.timing = timing
        self.decks: dict[str, dict[str, Card]] = {}
        self.schedules: dict[tuple[str, str], AnkiSchedule] = {}
        self.anki_cards: dict[int, tuple[str, str]] = {}
        """Anki card id -> (deck name, card id) of each card built, for its review log."""
        self.revlog: dict[int, list[AnkiReview]] = {}
        self.media: set[str] = set()
        self.skipped: Counter[str] = Counter()
        self.fallback_types: Counter[str] = Counter()
        self.problems: list[tuple[str, str]] = []
        """(message, hint): why the package cannot be imported; each is reported once."""
        self.origins: dict[str, set[str | None]] = {}
        """Per Anki deck, the deck ids our GUIDs name (None: a note we did not write)."""

    def check_plain(self, label: str, text: str) -> None:
        problem = control_in(label, text)
        if problem is not None and (problem, _RENAME_HINT) not in self.problems:
            self.problems.append((problem, _RENAME_HINT))

    def skip_note(self, reason: str) -> None:
        self.skipped[reason] += 1

    def add_note(self, note: _Note, rows: list[tuple[str, _CardRow]]) -> None:
        """One card per Anki card; a note of another type gives one card, from its first."""
        added = 0
        for deck_name, row in rows[:1] if note.kind == "other" else rows:
            card = note.card(row.ord)
            deck = self.decks.setdefault(deck_name, {})
            self.origins.setdefault(deck_name, set()).add(note.origin_deck)
            if card is None or card.external_id in deck:
                continue
            self._check_sizes(card)
            deck[card.external_id] = card
            added += 1
            self.anki_cards[row.anki_id] = (deck_name, card.external_id)
            schedule = self._schedule(row) if self.keep_schedule else None
            if schedule is not None:
                self.schedules[(deck_name, card.external_id)] = schedule
        if not added:
            self.skip_note("nothing was left to ask once images, sounds and HTML were removed")
        elif note.kind == "other":
            self.fallback_types[note.note_type.name] += 1

    def _check_sizes(self, card: Card) -> None:
        """Fields under the cap can still join into one over it (a note type's extra fields)."""
        for name in ("front", "back", "extra"):
            too_big = field_too_big(f"card {card.external_id!r}", name, getattr(card, name))
            if too_big is not None:
                self.problems.append((too_big, ""))

    def _schedule(self, row: _CardRow) -> AnkiSchedule | None:
        """Review and relearning cards keep their state; new and learning cards start new."""
        if row.ctype not in (_REVIEW, _RELEARNING):
            return None
        ease = (
            INITIAL_EASINESS_CENTI
            if row.factor <= 0
            else max(MIN_EASINESS_CENTI, round(row.factor / 10))
        )
        due_date = self.timing.due_date(row.due)
        return AnkiSchedule(row.reps, ease, max(1, row.ivl), row.lapses, due_date)

    def result(self, shipped_media: frozenset[str]) -> AnkiImport:
        names = sorted(name for name, cards in self.decks.items() if cards)
        for name in names:
            self.check_plain("the deck name", name)
        ids = _deck_ids(names, self._claimed(names))
        decks = tuple(
            Deck(external_id=ids[name], name=name, cards=tuple(self.decks[name].values()))
            for name in names
        )
        schedules = {(ids[deck], card): value for (deck, card), value in self.schedules.items()}
        reviews = {
            (ids[deck], card): tuple(self.revlog[anki_id])
            for anki_id, (deck, card) in self.anki_cards.items()
            if anki_id in self.revlog
        }
        return AnkiImport(
            decks=decks,
            schedules=MappingProxyType(schedules),
            media_skipped=len(self.media | shipped_media),
            notes_skipped=sum(self.skipped.values()),
            warnings=tuple(self._warnings()),
            reviews=MappingProxyType(reviews),
        )

    def _claimed(self, names: list[str]) -> dict[str, str]:
        """Anki decks that hold only notes flashcards exported from one deck keep its id.

        So importing our own package (or Anki's re-export of it) updates that deck;
        should two Anki decks name the same one, the first by name keeps it.
        """
        claimed: dict[str, str] = {}
        for name in names:
            origins = self.origins.get(name, set())
            origin = next(iter(origins)) if len(origins) == 1 else None
            if origin is not None and origin not in claimed.values():
                claimed[name] = origin
        return claimed

    def _warnings(self) -> Iterator[str]:
        """Explanations only: the caller reports the counts and prefixes the file name."""
        for type_name, count in sorted(self.fallback_types.items()):
            yield (
                f"note type {type_name!r} is neither Basic nor Cloze; its first two fields"
                f" became the front and back of {count} card(s)"
            )
        for reason, count in sorted(self.skipped.items()):
            yield f"{count} note(s) skipped: {reason}"


def _deck_ids(names: list[str], claimed: Mapping[str, str]) -> dict[str, str]:
    """Ids must survive re-imports and stay ASCII, so they come from the name alone.

    "anki." + a slug of each "::" level joined by "."; a clash gets "-2", "-3"...
    in name order. Decks in `claimed` keep the id given there.
    """
    ids: dict[str, str] = dict(claimed)
    for name in names:
        if name in claimed:
            continue
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        parts = (re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in ascii_name.split("::"))
        slug = "anki." + (".".join(p for p in parts if p) or "deck")
        candidate, n = slug, 1
        while candidate in ids.values():
            n += 1
            candidate = f"{slug}-{n}"
        ids[name] = candidate
    return ids


def _note_id(guid: str) -> str:
    """A stable card id from Anki's note guid, in the id alphabet our YAML accepts.

    Guids hold punctuation such as `$ ( ) : ;`, which a deck file's ids may not,
    so an exported deck would not import back; a digest keeps ids stable and plain.
    """
    return "anki-" + hashlib.sha1(guid.encode("utf-8")).hexdigest()[:16]
