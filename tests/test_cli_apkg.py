"""`flashcards export DECK --format apkg`, and importing that package back, as a user runs them."""

from __future__ import annotations

import contextlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from flashcards import clock
from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.decks.anki_ids import note_guid
from flashcards.storage.collection import Collection

from support import review_count, stored_rows

DECK = """\
id: mine
name: My deck
tags: [ml]
cards:
  - id: mine.one
    front: "Is a saddle point <b>a minimum</b>?"
    back: |-
      No:
      it rises in some directions & falls in others.
    tags: [critical-points]
  - id: mine.two
    kind: choice
    question: Which matrix decides the kind of a critical point?
    answer: The Hessian
    distractors: [The Jacobian, The gradient, The covariance]
  - id: mine.three
    kind: cloze
    text: "Newton step: x ← x − {{c1::H⁻¹}} {{c2::∇f(x)::the slope}}"
  - id: mine.four
    kind: compute
    generator: adam-step
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite3"
    deck = tmp_path / "mine.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert main(["--db", str(path), "import", str(deck)]) == 0
    return path


def card_rows(db: Path) -> dict[str, int]:
    """Card id -> row id: the same rows mean the same cards, with their reviews."""
    rows = stored_rows(db, "SELECT external_id, id FROM cards")
    return {str(external): int(row) for external, row in rows}


def anki_cards(package: Path, tmp_path: Path) -> list[tuple[str, int, int, int]]:
    target = tmp_path / "unpacked.anki2"
    with zipfile.ZipFile(package) as archive:
        target.write_bytes(archive.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(target)) as conn:
        rows = conn.execute(
            "SELECT n.guid, c.ord, c.type, c.ivl FROM cards c JOIN notes n ON n.id = c.nid"
            " ORDER BY n.guid, c.ord"
        ).fetchall()
    return [(str(g), int(o), int(t), int(i)) for g, o, t, i in rows]


def test_export_reports_notes_and_the_compute_cards_left_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "mine.apkg"
    assert main(["--db", str(db), "export", "My deck", "--format", "apkg", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote 3 notes (4 Anki cards) of My deck to {out}" in printed
    assert "1 compute cards were left out" in printed
    assert [row[:2] for row in anki_cards(out, tmp_path)] == [
        (note_guid("mine", "mine.one"), 0),
        (note_guid("mine", "mine.three"), 0),
        (note_guid("mine", "mine.three"), 1),
        (note_guid("mine", "mine.two"), 0),
    ]


def test_importing_the_package_back_matches_the_same_cards(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = card_rows(db)
    with Collection(db) as collection:
        card = collection.queue(clock.now(), [collection.deck_id("My deck")])[0]
        answer_card(collection, card.id, 5, clock.now())
    out = tmp_path / "mine.apkg"
    assert main(["--db", str(db), "export", "My deck", "--format", "apkg", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(out)]) == 0
    printed = capsys.readouterr().out
    # Basic and cloze cards come back as they were; the choice card as the Basic
    # note Anki holds (an update of the same card); the compute card, which Anki
    # cannot hold, is reported missing as for any deck file without it.
    assert "My deck: 0 added, 1 updated, 3 unchanged" in printed
    assert "1 cards no longer in the file were suspended" in printed
    assert card_rows(db) == before
    with Collection(db) as collection:
        assert review_count(collection) == 1


def test_with_schedule_carries_reviewed_cards_as_anki_review_cards(
    db: Path, tmp_path: Path
) -> None:
    with Collection(db) as collection:
        answer_card(collection, card_rows(db)["mine.one"], 5, clock.now())
    out = tmp_path / "mine.apkg"
    args = ["--db", str(db), "export", "My deck", "--format", "apkg", "-o", str(out)]
    assert main([*args, "--with-schedule"]) == 0
    rows = {(guid, ord_): (kind, ivl) for guid, ord_, kind, ivl in anki_cards(out, tmp_path)}
    assert rows[(note_guid("mine", "mine.one"), 0)] == (2, 1)
    assert rows[(note_guid("mine", "mine.two"), 0)] == (0, 0)
    assert main(args) == 0  # without the flag every card is new in Anki
    assert {row[2] for row in anki_cards(out, tmp_path)} == {0}


@pytest.mark.parametrize(
    "extra", [["--format", "yaml", "--with-schedule"], ["--format", "csv", "--with-schedule"]]
)
def test_with_schedule_only_goes_with_apkg(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    out = tmp_path / "mine.out"
    assert main(["--db", str(db), "export", "My deck", *extra, "-o", str(out)]) != 0
    assert "--with-schedule only goes with `--format apkg`" in capsys.readouterr().err
    assert not out.exists()


def test_a_deck_of_compute_cards_only_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    deck = tmp_path / "drills.yaml"
    deck.write_text(
        "id: drills\nname: Drills\ncards:\n  - id: d.one\n    kind: compute\n"
        "    generator: adam-step\n",
        encoding="utf-8",
    )
    assert main(["--db", str(db), "import", str(deck)]) == 0
    out = tmp_path / "drills.apkg"
    assert main(["--db", str(db), "export", "Drills", "--format", "apkg", "-o", str(out)]) != 0
    assert "Drills has no card Anki can show" in capsys.readouterr().err
    assert not out.exists()


def test_an_output_folder_that_does_not_exist_is_a_clear_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "mine.apkg"
    assert main(["--db", str(db), "export", "My deck", "--format", "apkg", "-o", str(out)]) == 1
    assert f"{out.parent}: no such folder" in capsys.readouterr().err
