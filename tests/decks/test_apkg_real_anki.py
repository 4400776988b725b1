"""`export --format apkg` proved with the real Anki library (the `anki` test extra).

A fresh Anki collection in tmp_path imports our package exactly as Anki's
File > Import does; the test reads back what Anki made of it. Skipped when the
`anki` package is not installed (it is a test-only extra, never a runtime import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flashcards import clock
from flashcards.decks.anki_ids import note_guid
from flashcards.decks.anki_package import load_anki_package
from flashcards.decks.apkg_export import write_deck_apkg
from flashcards.model import Card, CardKind, Deck, ScheduleState

anki_collection = pytest.importorskip("anki.collection")

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
CLOZE = "SGD steps by {{c1::the learning rate}} times {{c2::the gradient::what?}}."
DECK = Deck(
    "optim",
    "Optimizers",
    cards=(
        Card("optim.lr", CardKind.BASIC, "What does lr <= 1 mean?\nBriefly.", "Small steps & safe"),
        Card(
            "optim.which",
            CardKind.CHOICE,
            "Which method uses momentum?",
            "Heavy ball",
            distractors=("Plain SGD", "Newton"),
            extra="Polyak, 1964.",
        ),
        Card("optim.sgd#c1", CardKind.CLOZE, CLOZE, "the learning rate", cloze=1),
        Card("optim.sgd#c2", CardKind.CLOZE, CLOZE, "the gradient", cloze=2),
        Card("optim.drill", CardKind.COMPUTE, "Compute: adam-step", generator="adam-step"),
    ),
)


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Any]:
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_into(col: Any, path: Path) -> Any:
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path),
        options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
    )
    return col.import_anki_package(request)


def notes_by_guid(col: Any) -> dict[str, Any]:
    found = (col.get_note(nid) for nid in col.find_notes(""))
    return {note.guid: note for note in found}


def test_anki_imports_basic_choice_and_cloze_notes(anki: Any, tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    write_deck_apkg(DECK, path, NOW)
    import_into(anki, path)
    assert (anki.note_count(), anki.card_count()) == (3, 4)
    notes = notes_by_guid(anki)
    basic = notes[note_guid("optim", "optim.lr")]
    assert basic.note_type()["name"] == "Basic (flashcards)"
    assert basic["Front"] == "What does lr &lt;= 1 mean?<br>Briefly."
    assert basic["Back"] == "Small steps &amp; safe"
    choice = notes[note_guid("optim", "optim.which")]
    assert choice["Front"].endswith("a) Newton<br>b) Heavy ball<br>c) Plain SGD")
    assert (choice["Back"], choice["Extra"]) == ("b) Heavy ball", "Polyak, 1964.")
    cloze = notes[note_guid("optim", "optim.sgd")]
    assert cloze.note_type()["name"] == "Cloze (flashcards)"
    assert cloze["Text"] == CLOZE
    assert sorted(card.ord for card in cloze.cards()) == [0, 1]
    # Current Anki matches decks by name and gives them its own ids.
    deck_id = anki.decks.id_for_name("Optimizers")
    assert {anki.get_card(cid).did for cid in anki.find_cards("")} == {deck_id}
    question = cloze.cards()[1].question()
    assert "[what?]" in question and "the learning rate" in question


def test_a_second_import_of_a_reexport_updates_instead_of_duplicating(
    anki: Any, tmp_path: Path
) -> None:
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    write_deck_apkg(DECK, first, NOW)
    import_into(anki, first)
    edited = replace(DECK.cards[0], back="Small, safe steps")
    deck = replace(DECK, cards=(edited, *DECK.cards[1:]))
    write_deck_apkg(deck, second, NOW + dt.timedelta(minutes=1))
    log = import_into(anki, second).log
    assert (anki.note_count(), anki.card_count()) == (3, 4)
    # Anki lists every note it replaced with a newer one; none is new.
    assert (len(log.new), len(log.updated)) == (0, 3)
    assert notes_by_guid(anki)[note_guid("optim", "optim.lr")]["Back"] == "Small, safe steps"
    names = [entry.name for entry in anki.models.all_names_and_ids()]
    assert names.count("Basic (flashcards)") == names.count("Cloze (flashcards)") == 1


def test_with_schedule_cards_arrive_due_when_they_were_due(anki: Any, tmp_path: Path) -> None:
    today = clock.study_day(clock.now())
    schedules = {
        "optim.lr": ScheduleState(4, 236, 10, today + 7, 1),
        "optim.sgd#c2": ScheduleState(2, 250, 3, today - 2, 0),
    }
    path = tmp_path / "deck.apkg"
    write_deck_apkg(DECK, path, NOW, schedules)
    import_into(anki, path)
    cards = {}
    for note in notes_by_guid(anki).values():
        for card in note.cards():
            cards[(note.guid, card.ord)] = card
    lr = cards[(note_guid("optim", "optim.lr"), 0)]
    assert (lr.type, lr.queue, lr.ivl, lr.factor, lr.reps, lr.lapses) == (2, 2, 10, 2360, 4, 1)
    assert lr.due - anki.sched.today == 7
    late = cards[(note_guid("optim", "optim.sgd"), 1)]
    assert (late.type, late.ivl, late.due - anki.sched.today) == (2, 3, -2)
    new = cards[(note_guid("optim", "optim.sgd"), 0)]
    assert new.type == 0


def test_ankis_own_export_of_our_notes_imports_back_to_the_same_cards(
    anki: Any, tmp_path: Path
) -> None:
    """Study in Anki, export from Anki, import into flashcards: the same deck and card ids."""
    today = clock.study_day(clock.now())
    path, back = tmp_path / "deck.apkg", tmp_path / "from-anki.apkg"
    write_deck_apkg(DECK, path, NOW, {"optim.lr": ScheduleState(4, 236, 10, today + 7, 1)})
    import_into(anki, path)
    options = anki_collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
    )
    anki.export_anki_package(out_path=str(back), options=options, limit=None)
    package = load_anki_package(back, keep_schedule=True)
    (deck,) = package.decks
    assert (deck.external_id, deck.name) == ("optim", "Optimizers")
    assert [card.external_id for card in deck.cards] == [
        "optim.lr",
        "optim.which",
        "optim.sgd#c1",
        "optim.sgd#c2",
    ]
    schedule = package.schedules[("optim", "optim.lr")]
    assert (schedule.interval_days, schedule.repetitions, schedule.lapses) == (10, 4, 1)
    assert clock.date_to_day(schedule.due_date or dt.date.min) == today + 7
