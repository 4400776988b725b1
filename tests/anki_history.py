"""A real Anki collection with a review log, built with the `anki` test extra.

Three Basic notes are studied through Anki's own scheduler (answers are given
at chosen times, as Anki's `CardAnswer` allows), so the revlog holds what Anki
itself writes: learning steps, reviews, a lapse and its relearning step, a
"set due date" (manual, type 4) and an answer in a preview filtered deck (type 3).
Callers `pytest.importorskip("anki.collection")` before using it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from flashcards import clock

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
BASE = dt.datetime.now().astimezone().replace(
    hour=12, minute=0, second=0, microsecond=0
) - dt.timedelta(days=10)
"""Noon, ten days ago: answers a few minutes apart stay on one study day."""


def at(day: int, minutes: int = 0) -> int:
    """Epoch ms of `minutes` past noon on day `day` of the history."""
    return int((BASE + dt.timedelta(days=day, minutes=minutes)).timestamp() * 1000)


def study_day_of(ms: int) -> int:
    return clock.study_day(dt.datetime.fromtimestamp(ms / 1000).astimezone())


# (front, rating, day, minutes): every answer the history gives, in order.
ANSWERS = (
    ("q0", AGAIN, 0, 0),  # learning (type 0): the day's first answer
    ("q0", GOOD, 0, 1),  # learning step, same day: drill
    ("q0", GOOD, 0, 2),  # graduates, same day: drill
    ("q0", GOOD, 2, 0),  # review (type 1)
    ("q0", AGAIN, 5, 0),  # review, a lapse
    ("q0", GOOD, 5, 10),  # relearning step (type 2), same day: drill
    ("q1", HARD, 6, 0),  # review after "set due date" (type 4, not an answer)
)
CRAM = ("q2", GOOD, 7, 0)  # in a preview filtered deck (type 3)


class Studied:
    """An Anki collection whose three notes are answered as `ANSWERS` says."""

    def __init__(self, folder: Path) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.col: Any = cast(Any, Collection(str(folder / "collection.anki2")))
        model = self.col.models.by_name("Basic")
        self.cards: dict[str, int] = {}
        for front in ("q0", "q1", "q2"):
            note = self.col.new_note(model)
            note["Front"], note["Back"] = front, f"answer to {front}"
            self.col.add_note(note, 1)
            self.cards[front] = note.cards()[0].id
        self.col.sched.set_due_date([self.cards["q1"]], "0")
        for front, rating, day, minutes in ANSWERS:
            self.answer(front, rating, at(day, minutes))
        self._cram(CRAM[0])
        self.answer(CRAM[0], CRAM[1], at(CRAM[2], CRAM[3]))

    def answer(self, front: str, rating: int, when_ms: int, taken_ms: int = 7000) -> None:
        from anki.scheduler_pb2 import CardAnswer

        card_id = self.cards[front]
        states = self.col._backend.get_scheduling_states(card_id)
        new_state = (states.again, states.hard, states.good, states.easy)[rating - 1]
        answer = CardAnswer(
            card_id=card_id,
            current_state=states.current,
            new_state=new_state,
            rating=cast(Any, rating - 1),
            answered_at_millis=when_ms,
            milliseconds_taken=taken_ms,
        )
        self.col.sched.answer_card(answer)

    def _cram(self, front: str) -> None:
        """Move the card into a filtered deck that does not reschedule (Anki's preview)."""
        deck = self.col.sched.get_or_create_filtered_deck(0)
        deck.name = "Cram"
        deck.config.reschedule = False
        del deck.config.search_terms[:]
        deck.config.search_terms.add(search=f"front:{front}", limit=10, order=0)
        self.col.sched.add_or_update_filtered_deck(deck)

    def revlog(self) -> list[tuple[int, int, int]]:
        """(revlog id, ease, type) of every row Anki logged."""
        rows = self.col.db.all("SELECT id, ease, type FROM revlog ORDER BY id")
        return [(int(i), int(e), int(t)) for i, e, t in rows]

    def export(self, path: Path) -> Path:
        from anki.collection import ExportAnkiPackageOptions

        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        )
        self.col.export_anki_package(out_path=str(path), options=options, limit=None)
        return path

    def export_collection(self, path: Path) -> Path:
        self.col.export_collection_package(str(path), include_media=False, legacy=False)
        return path

    def close(self) -> None:
        self.col.close()
