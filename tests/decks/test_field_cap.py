"""A card field over 64 KB is refused by every reader, and nothing is imported.

A field of megabytes leaves the app blank for minutes while it lays the text out;
the refusal names the file, the card, the field and its size.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from flashcards.cli import main
from flashcards.decks.errors import MAX_FIELD_BYTES

from support import table_dump

ANKI = Path(__file__).resolve().parents[1] / "fixtures" / "anki"
BIG = "word " * (70 * 1024 // 5)  # 70 KB
LIMIT = "the limit is 64 KB per field: split the card"
BASIC_NOTE = 1795462617232  # a Basic note in current.apkg
GLOSSARY_NOTE = 1795462617272  # an "Optimizer glossary" note: its third field becomes `extra`


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite3"
    assert main(["--db", str(path), "decks"]) == 0
    return path


def refused(db: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Import `path`, which must fail without changing the collection; the error text."""
    before = table_dump(db)
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(path)]) != 0
    assert table_dump(db) == before
    return capsys.readouterr().err


def test_the_limit_is_64_kib() -> None:
    assert MAX_FIELD_BYTES == 65_536


def test_yaml_refuses_a_70_kb_back(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "big.yaml"
    deck.write_text(
        "id: big\nname: Big\ncards:\n"
        "  - id: small\n    front: q\n    back: a\n"
        f"  - id: huge\n    front: q2\n    back: {BIG}\n",
        encoding="utf-8",
    )
    err = refused(db, deck, capsys)
    assert f"{deck}:9:11: card 'huge' field 'back' is 70.0 KB; {LIMIT}" in err
    assert "nothing was imported" in err


def test_yaml_refuses_a_70_kb_distractor() -> None:
    from flashcards.decks.errors import DeckValidationError
    from flashcards.decks.yaml_deck import parse_deck_text

    text = (
        "id: big\nname: Big\ncards:\n  - id: pick\n    kind: choice\n"
        f"    question: q\n    answer: a\n    distractors: [b, {BIG}]\n"
    )
    with pytest.raises(DeckValidationError, match=r"card 'pick' field 'distractors' is 70\.0 KB"):
        parse_deck_text(text, "big.yaml")


def test_a_field_just_under_the_limit_is_accepted(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "edge.csv"
    table.write_text(f"id,front,back\nedge,q,{'é' * (MAX_FIELD_BYTES // 2)}\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(table)]) == 0
    table.write_text(f"id,front,back\nedge,q,{'é' * (MAX_FIELD_BYTES // 2)}x\n", encoding="utf-8")
    assert "card 'edge' field 'back' is 64.0 KB" in refused(db, table, capsys)


def test_csv_refuses_a_70_kb_front(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "big.csv"
    table.write_text(f"id,front,back\nok,q,a\nhuge,{BIG},a\n", encoding="utf-8")
    err = refused(db, table, capsys)
    assert f"{table}:3: card 'huge' field 'front' is 70.0 KB; {LIMIT}" in err


def apkg_with_note(tmp_path: Path, note_id: int, fields: str) -> Path:
    """current.apkg with the note `note_id` holding `fields` (joined by 0x1f)."""
    collection = tmp_path / "collection.db"
    with zipfile.ZipFile(ANKI / "current.apkg") as src:
        packed = src.read("collection.anki21b")
        collection.write_bytes(zstandard.ZstdDecompressor().stream_reader(packed).read())
        members = {name: src.read(name) for name in src.namelist()}
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE notes SET flds = ? WHERE id = ?", (fields, note_id))
    conn.close()
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(collection.read_bytes())
    target = tmp_path / "big.apkg"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return target


def test_apkg_refuses_a_70_kb_field(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = apkg_with_note(tmp_path, BASIC_NOTE, f"Front text\x1f{BIG}")
    err = refused(db, package, capsys)
    assert f"{package}: card 'anki-" in err
    assert f"field 'Back' is 70.0 KB; {LIMIT}" in err


def test_apkg_refuses_fields_that_join_into_an_oversized_extra(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each field is under the cap, but the card's `extra` adds the field's name to it."""
    under = "y" * (MAX_FIELD_BYTES - 2)
    package = apkg_with_note(tmp_path, GLOSSARY_NOTE, f"Nesterov\x1fLook ahead\x1f{under}")
    err = refused(db, package, capsys)
    assert f"field 'extra' is 64.0 KB; {LIMIT}" in err
