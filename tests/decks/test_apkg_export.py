"""`write_deck_apkg`: the package's own structure, read back with zipfile and sqlite3."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from flashcards.clock import date_to_day
from flashcards.decks.anki_ids import (
    BASIC_MODEL_ID,
    CLOZE_MODEL_ID,
    anki_deck_id,
    guid_origin,
    note_guid,
)
from flashcards.decks.anki_package import load_anki_package
from flashcards.decks.apkg_export import field_html, write_deck_apkg
from flashcards.model import Card, CardKind, Deck, ScheduleState

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CLOZE_TEXT = "Adam keeps {{c1::a running mean}} and {{c2::a running square::second moment}}."
DECK = Deck(
    "optim",
    "Optimizers",
    "Steps <and> stuff",
    ("ml",),
    (
        Card(
            "optim.lr",
            CardKind.BASIC,
            "Is 0 < lr & lr < 1?\nUsually.",
            "<script>alert(1)</script>",
            extra="Two  spaces",
            tags=("basics",),
        ),
        Card(
            "optim.which",
            CardKind.CHOICE,
            "Which method uses momentum?",
            "Heavy ball",
            distractors=("Plain SGD", "Newton"),
            extra="Polyak, 1964.",
        ),
        Card("optim.adam#c1", CardKind.CLOZE, CLOZE_TEXT, "a running mean", cloze=1, extra="E"),
        Card("optim.adam#c2", CardKind.CLOZE, CLOZE_TEXT, "a running square", cloze=2, extra="E"),
        Card("optim.drill", CardKind.COMPUTE, "Compute: adam-step", generator="adam-step"),
    ),
)


def collection_of(path: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        target = tmp_path / f"{path.stem}.anki2"
        target.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(target)


def export(tmp_path: Path, name: str = "deck.apkg", **kwargs: Any) -> sqlite3.Connection:
    path = tmp_path / name
    write_deck_apkg(DECK, path, kwargs.pop("now", NOW), **kwargs)
    return collection_of(path, tmp_path)


def notes(conn: sqlite3.Connection) -> dict[str, tuple[int, list[str], str]]:
    rows = conn.execute("SELECT guid, mid, flds, tags FROM notes")
    return {guid: (mid, flds.split("\x1f"), tags.strip()) for guid, mid, flds, tags in rows}


def test_each_note_has_the_type_and_fields_anki_expects(tmp_path: Path) -> None:
    with contextlib.closing(export(tmp_path)) as conn:
        found = notes(conn)
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    assert found == {
        note_guid("optim", "optim.lr"): (
            BASIC_MODEL_ID,
            [
                "Is 0 &lt; lr &amp; lr &lt; 1?<br>Usually.",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                "Two &nbsp;spaces",
            ],
            "ml basics",
        ),
        note_guid("optim", "optim.which"): (
            BASIC_MODEL_ID,
            [
                "Which method uses momentum?<br><br>a) Newton<br>b) Heavy ball<br>c) Plain SGD",
                "b) Heavy ball",
                "Polyak, 1964.",
            ],
            "ml",
        ),
        note_guid("optim", "optim.adam"): (CLOZE_MODEL_ID, [CLOZE_TEXT, "E"], "ml"),
    }
    assert {m["name"]: m["type"] for m in models.values()} == {
        "Basic (flashcards)": 0,
        "Cloze (flashcards)": 1,
    }
    basic = models[str(BASIC_MODEL_ID)]
    assert [f["name"] for f in basic["flds"]] == ["Front", "Back", "Extra"]
    assert "{{Extra}}" in basic["tmpls"][0]["afmt"]


def test_a_cloze_note_has_one_card_per_deletion_and_compute_cards_are_left_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deck.apkg"
    done = write_deck_apkg(DECK, path, NOW)
    assert (done.notes, done.cards, done.compute_skipped, done.scheduled) == (3, 4, 1, 0)
    with contextlib.closing(collection_of(path, tmp_path)) as conn:
        ords = conn.execute(
            "SELECT c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE n.mid = ? ORDER BY 1",
            (CLOZE_MODEL_ID,),
        ).fetchall()
    assert ords == [(0,), (1,)]


def test_the_deck_gets_its_stable_id_and_name(tmp_path: Path) -> None:
    with contextlib.closing(export(tmp_path)) as conn:
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        (deck_ids,) = zip(*conn.execute("SELECT DISTINCT did FROM cards"), strict=True)
    assert decks[str(anki_deck_id("optim"))]["name"] == "Optimizers"
    assert decks[str(anki_deck_id("optim"))]["desc"] == "Steps &lt;and&gt; stuff"
    assert deck_ids == (anki_deck_id("optim"),)


def test_two_exports_carry_the_same_guids_ids_and_fields(tmp_path: Path) -> None:
    later = NOW + dt.timedelta(days=3)
    with (
        contextlib.closing(export(tmp_path, "one.apkg")) as one,
        contextlib.closing(export(tmp_path, "two.apkg", now=later)) as two,
    ):
        assert notes(one) == notes(two)
        for conn in (one, two):
            models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
            assert sorted(models) == sorted([str(BASIC_MODEL_ID), str(CLOZE_MODEL_ID)])
        # Anki updates a note it has only from a newer one: the stamp is the export's.
        assert one.execute("SELECT max(mod) FROM notes").fetchone() == (int(NOW.timestamp()),)
        assert two.execute("SELECT max(mod) FROM notes").fetchone() == (int(later.timestamp()),)


def test_ids_differ_between_decks_and_guids_name_their_card() -> None:
    assert anki_deck_id("optim") != anki_deck_id("optim2")
    assert 2**30 <= anki_deck_id("optim") < 2**31
    assert guid_origin(note_guid("optim", "optim.lr")) == ("optim", "optim.lr")
    assert guid_origin("Ab1!cD2#eF") is None  # a GUID Anki made itself
    assert guid_origin("flashcards:a b:c") is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("a\nb", "a<br>b"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ("   indented", " &nbsp;&nbsp;indented"),
        ("{{c1::x::hint}} & y", "{{c1::x::hint}} &amp; y"),
    ],
)
def test_card_text_is_escaped_into_html_fields(text: str, field: str) -> None:
    assert field_html(text) == field


def test_with_schedule_writes_review_state_in_ankis_terms(tmp_path: Path) -> None:
    due = dt.date(2026, 3, 12)
    reviewed = ScheduleState(
        repetitions=4, easiness_centi=236, interval_days=10, due_day=date_to_day(due), lapses=1
    )
    schedules = {
        "optim.lr": reviewed,
        "optim.adam#c2": ScheduleState(suspended=True),
        "optim.which": ScheduleState(),
    }
    path = tmp_path / "deck.apkg"
    done = write_deck_apkg(DECK, path, NOW, schedules)
    assert done.scheduled == 1
    with contextlib.closing(collection_of(path, tmp_path)) as conn:
        crt, conf = conn.execute("SELECT crt, conf FROM col").fetchone()
        rows = conn.execute(
            "SELECT n.guid, c.ord, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses"
            " FROM cards c JOIN notes n ON n.id = c.nid"
        ).fetchall()
    assert json.loads(conf)["creationOffset"] == 0
    day_zero = dt.datetime.fromtimestamp(crt, tz=dt.UTC).date()
    state = {(guid_origin(guid) or ("", ""))[1] + f"/{o}": rest for guid, o, *rest in rows}
    assert state["optim.lr/0"] == [2, 2, (due - day_zero).days, 10, 2360, 4, 1]
    assert state["optim.adam/1"][:2] == [0, -1]  # new and suspended
    assert state["optim.adam/0"][:2] == [0, 0]
    assert state["optim.which/0"][:2] == [0, 0]


def test_without_schedule_every_card_is_new_in_deck_order(tmp_path: Path) -> None:
    with contextlib.closing(export(tmp_path)) as conn:
        rows = conn.execute(
            "SELECT n.guid, c.type, c.queue, c.due FROM cards c JOIN notes n ON n.id = c.nid"
            " ORDER BY c.due, c.ord"
        ).fetchall()
    assert [(guid_origin(g) or ("", ""))[1] for g, *_ in rows] == [
        "optim.lr",
        "optim.which",
        "optim.adam",
        "optim.adam",
    ]
    assert {(t, q) for _, t, q, _ in rows} == {(0, 0)}


def test_our_importer_reads_the_package_back_to_the_same_ids(tmp_path: Path) -> None:
    due = dt.date(2026, 3, 12)
    schedules = {"optim.lr": ScheduleState(3, 250, 6, date_to_day(due), 0)}
    path = tmp_path / "deck.apkg"
    write_deck_apkg(DECK, path, NOW, schedules)
    package = load_anki_package(path, keep_schedule=True)
    (deck,) = package.decks
    assert (deck.external_id, deck.name) == ("optim", "Optimizers")
    by_id = {card.external_id: card for card in deck.cards}
    assert list(by_id) == ["optim.lr", "optim.which", "optim.adam#c1", "optim.adam#c2"]
    assert by_id["optim.lr"].front == "Is 0 < lr & lr < 1?\nUsually."
    assert by_id["optim.lr"].back == "<script>alert(1)</script>"
    assert by_id["optim.lr"].extra == "Two spaces"
    assert by_id["optim.lr"].tags == ("ml", "basics")
    assert by_id["optim.adam#c2"].front == CLOZE_TEXT
    assert by_id["optim.adam#c2"].extra == "E"
    schedule = package.schedules[("optim", "optim.lr")]
    assert (schedule.due_date, schedule.interval_days, schedule.easiness_centi) == (due, 6, 250)


def _package_of(path: Path, *decks: tuple[str, list[str]]) -> None:
    """A package of Anki decks (name, note GUIDs), written with genanki directly."""
    import genanki

    from flashcards.decks.apkg_export import BASIC_MODEL

    anki_decks = []
    for index, (name, guids) in enumerate(decks):
        anki_deck = genanki.Deck(2**30 + index, name)
        for guid in guids:
            anki_deck.add_note(genanki.Note(BASIC_MODEL, [f"Q {guid}", "A", ""], guid=guid))
        anki_decks.append(anki_deck)
    genanki.Package(anki_decks).write_to_file(str(path), timestamp=NOW.timestamp())


def test_a_deck_keeps_our_id_only_when_all_its_notes_came_from_that_deck(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.apkg"
    ours = [note_guid("optim", "optim.a"), note_guid("optim", "optim.b")]
    _package_of(
        path,
        ("A first half", ours[:1]),
        ("B second half", ours[1:]),  # the user split our deck in two in Anki
        ("C mixed", [note_guid("other", "other.x"), "Ab1!cD2#eF"]),
    )
    decks = {deck.name: deck for deck in load_anki_package(path).decks}
    assert decks["A first half"].external_id == "optim"
    assert decks["B second half"].external_id == "anki.b-second-half"
    assert decks["C mixed"].external_id == "anki.c-mixed"
    # Card ids still come from our GUIDs wherever the notes went.
    assert [c.external_id for c in decks["B second half"].cards] == ["optim.b"]
    assert decks["C mixed"].cards[0].external_id == "other.x"
    assert decks["C mixed"].cards[1].external_id.startswith("anki-")
