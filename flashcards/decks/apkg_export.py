"""Writing a deck as an Anki package (.apkg) that Anki imports, and imports again as updates.

The package is written by `genanki`, the maintained writer used by most deck
generators. It beats writing the SQLite file and the zip ourselves because Anki's
legacy collection schema is large and unforgiving (the `col` row's JSON for decks,
note types and their `req` lists, sort fields, card ords for cloze deletions), and
genanki already produces exactly what every Anki version since 2.1 imports.

What maps to what:
- basic cards: notes of our "Basic (flashcards)" type (Front, Back and an Extra
  field the back shows under the answer);
- cloze cards: one "Cloze (flashcards)" note per cloze text (Text, Back Extra);
  our `{{c1::x}}` / `{{c1::x::hint}}` syntax is Anki's, and the note's deletions
  are our cards `ID#c1`, `ID#c2`, ...;
- choice cards: Basic notes, the question and its lettered options on the front,
  the right letter and option on the back and the explanation as the Extra;
- compute cards are left out (counted in the result): a problem drawn afresh
  from a template on every review needs flashcards, and a fixed copy would teach
  one instance of it.

Ids come from `anki_ids`, so each export carries the same GUIDs, deck id and note
type ids. genanki cannot write scheduling (its cards are always new), so
`schedules` are applied with sqlite3 to the collection genanki wrote, before the
zip is made: review cards get Anki's type and queue 2, their due day counted from
the collection's creation day (pinned to UTC by `creationOffset`), interval, ease
in permille, reps and lapses, as Anki's own export with scheduling does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import itertools
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import genanki

from flashcards.cardtext import choice_options, question
from flashcards.clock import date_to_day
from flashcards.decks.anki_ids import (
    BASIC_MODEL_ID,
    CLOZE_MODEL_ID,
    anki_deck_id,
    guid_origin,
    note_guid,
)
from flashcards.model import Card, CardKind, Deck, ScheduleState

_CSS = (
    ".card { font-family: arial; font-size: 20px; text-align: left; color: black;"
    " background-color: white; }\n.cloze { font-weight: bold; color: blue; }\n"
    ".nightMode .cloze { color: lightblue; }\n"
)
BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "Basic (flashcards)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
            "{{#Extra}}<br><br>{{Extra}}{{/Extra}}",
        }
    ],
    css=_CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "Cloze (flashcards)",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}",
        }
    ],
    css=_CSS,
)
_COLLECTION = "collection.anki2"
_REVIEW = 2
_SUSPENDED = -1


@dataclass(frozen=True)
class ApkgExport:
    """What went into the package, for the report."""

    notes: int
    cards: int
    compute_skipped: int
    scheduled: int


def field_html(text: str) -> str:
    """Our plain/Markdown text as an Anki field: escaped, newlines as `<br>`.

    Runs of spaces keep their width with `&nbsp;` (HTML would fold them into one).
    """
    lines = text.replace("\r\n", "\n").split("\n")
    escaped = (re.sub(r"(?<= ) ", "&nbsp;", html.escape(line)) for line in lines)
    return "<br>".join(escaped)


def _note_tags(deck: Deck, card: Card) -> list[str]:
    return list(dict.fromkeys((*deck.tags, *card.tags)))


def _cloze_base(card: Card) -> str:
    base, mark, _number = card.external_id.rpartition("#c")
    return base if mark else card.external_id


def _fields(card: Card) -> list[str]:
    if card.kind is CardKind.CLOZE:
        return [field_html(card.front), field_html(card.extra)]
    if card.kind is CardKind.CHOICE:
        options = choice_options(card)
        back = f"{options.correct_letter}) {card.back}"
        return [field_html(question(card)), field_html(back), field_html(card.extra)]
    return [field_html(card.front), field_html(card.back), field_html(card.extra)]


def deck_notes(deck: Deck) -> Iterator[genanki.Note]:
    """One note per basic or choice card and per cloze text, in deck order."""
    seen_cloze: set[str] = set()
    for card in deck.cards:
        if card.kind is CardKind.COMPUTE:
            continue
        note_id = card.external_id
        if card.kind is CardKind.CLOZE:
            note_id = _cloze_base(card)
            if note_id in seen_cloze:
                continue
            seen_cloze.add(note_id)
        yield genanki.Note(
            model=CLOZE_MODEL if card.kind is CardKind.CLOZE else BASIC_MODEL,
            fields=_fields(card),
            tags=_note_tags(deck, card),
            guid=note_guid(deck.external_id, note_id),
        )


def write_deck_apkg(
    deck: Deck,
    path: Path,
    now: dt.datetime,
    schedules: Mapping[str, ScheduleState] | None = None,
) -> ApkgExport:
    """Write `deck` to `path` as an .apkg; `schedules` (card id -> state) carries progress.

    `now` stamps the notes' modification time: Anki updates a note it already has
    only from a newer one. The file is replaced in one step, never left half-written.
    """
    anki_deck = genanki.Deck(
        anki_deck_id(deck.external_id), deck.name, description=field_html(deck.description)
    )
    for position, note in enumerate(deck_notes(deck)):
        note.due = position  # new cards come up in deck order
        anki_deck.add_note(note)
    timestamp = now.timestamp()
    with tempfile.TemporaryDirectory(prefix="flashcards-apkg-") as tmp:
        db_path = Path(tmp) / _COLLECTION
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            cursor = conn.cursor()
            id_gen = itertools.count(int(timestamp * 1000))
            genanki.Package(anki_deck).write_to_db(cursor, timestamp, id_gen)
            scheduled = _apply_schedules(conn, schedules) if schedules else 0
            cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
            conn.commit()
        _zip(db_path, path)
    compute = sum(card.kind is CardKind.COMPUTE for card in deck.cards)
    return ApkgExport(len(anki_deck.notes), cards, compute, scheduled)


def _zip(db_path: Path, target: Path) -> None:
    """Zip beside the target, then rename over it (created with the usual permissions)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, _COLLECTION)
            archive.writestr("media", "{}")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _apply_schedules(conn: sqlite3.Connection, schedules: Mapping[str, ScheduleState]) -> int:
    """Give each card genanki wrote (all new) the state our collection holds for it.

    Returns how many cards left as review cards (new cards stay new).
    """
    crt, conf = conn.execute("SELECT crt, conf FROM col").fetchone()
    config = json.loads(conf)
    config["creationOffset"] = 0  # day zero is crt's UTC date, for Anki and for our importer
    conn.execute("UPDATE col SET conf = ?", (json.dumps(config),))
    day_zero = date_to_day(dt.datetime.fromtimestamp(crt, tz=dt.UTC).date())
    rows = conn.execute(
        "SELECT c.id, c.ord, n.mid, n.guid FROM cards c JOIN notes n ON n.id = c.nid"
    ).fetchall()
    scheduled = 0
    for card_id, ord_, model_id, guid in rows:
        origin = guid_origin(guid)
        if origin is None:
            continue
        external_id = f"{origin[1]}#c{ord_ + 1}" if model_id == CLOZE_MODEL_ID else origin[1]
        state = schedules.get(external_id)
        if state is None:
            continue
        if state.due_day is None:
            if state.suspended:
                conn.execute("UPDATE cards SET queue = ? WHERE id = ?", (_SUSPENDED, card_id))
            continue
        conn.execute(_REVIEW_UPDATE, (*_review_values(state, day_zero), card_id))
        scheduled += 1
    return scheduled


_REVIEW_UPDATE = (
    "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?"
    " WHERE id = ?"
)


def _review_values(state: ScheduleState, day_zero: int) -> tuple[int, ...]:
    """Anki's (type, queue, due, ivl, factor, reps, lapses) for a card we have reviewed."""
    assert state.due_day is not None
    queue = _SUSPENDED if state.suspended else _REVIEW
    return (
        _REVIEW,
        queue,
        state.due_day - day_zero,
        max(1, state.interval_days),
        state.easiness_centi * 10,
        state.repetitions,
        state.lapses,
    )
