"""Nothing a deck holds reaches the terminal as a control sequence through the CLI.

Card text may hold ESC (a CSV can carry the raw byte), and collections written
before names were checked may hold it in deck names; every command's output shows
such characters as visible stand-ins, while JSON and export files keep the text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flashcards import clock
from flashcards.cli import main
from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OSC_TITLE = "\x1b]0;pwned\x07"
OLD_NAME = f"Old{OSC_TITLE}deck"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite3"
    assert main(["--db", str(path), "decks"]) == 0
    return path


def run(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def hostile_table(tmp_path: Path) -> Path:
    table = tmp_path / "hostile.csv"
    table.write_bytes(b"id,front,back\nclip,steal\x1b]52;c;aGk=\x1b\\ this,answer\xc2\x9b2J\n")
    return table


def old_collection(db: Path) -> None:
    """A deck stored before names were checked, through the storage API."""
    card = Card("c1", CardKind.BASIC, f"front{OSC_TITLE}", "back\x1b[2J")
    with Collection(db) as collection:
        import_decks(collection, [Deck("old", OLD_NAME, cards=(card,))], clock.now())


def test_a_card_with_raw_escapes_imports_and_no_output_carries_them(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(db, capsys, "import", str(hostile_table(tmp_path)))
    assert code == 0, err
    assert "1 added" in out
    for argv in (("decks",), ("stats",), ("export", "--reviews", "-o", str(tmp_path / "r.csv"))):
        code, out, err = run(db, capsys, *argv)
        assert code == 0, err
        assert CONTROLS.search(out + err) is None


def test_an_old_collections_deck_name_is_printed_with_stand_ins(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_collection(db)
    code, out, _err = run(db, capsys, "decks")
    assert code == 0
    assert CONTROLS.search(out) is None
    assert "Old␛]0;pwned␇deck" in out


def test_json_output_stays_valid_and_exact(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_collection(db)
    code, out, _err = run(db, capsys, "decks", "--json")
    assert code == 0
    assert OLD_NAME in [deck["name"] for deck in json.loads(out)]


def test_error_messages_on_stderr_are_neutralised(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_collection(db)
    code, out, err = run(db, capsys, "export", f"No{OSC_TITLE}such", "-o", str(tmp_path / "x"))
    assert code != 0
    assert err.startswith("flashcards: ")
    assert CONTROLS.search(out + err) is None


def test_export_files_keep_the_cards_text_unchanged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_collection(db)
    target = tmp_path / "old.csv"
    code, out, _err = run(db, capsys, "export", OLD_NAME, "--format", "csv", "-o", str(target))
    assert code == 0
    assert CONTROLS.search(out) is None
    assert f"front{OSC_TITLE}" in target.read_text(encoding="utf-8")
