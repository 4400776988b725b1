"""Names, ids and tags holding control characters are refused by every reader.

A deck name such as "ESC ] 0 ; pwned BEL" would retitle the terminal each time the
deck list is printed; such files are refused, located, and nothing is imported.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from flashcards.cli import main
from flashcards.decks.anki_package import load_anki_package
from flashcards.decks.delimited import parse_delimited
from flashcards.decks.errors import DeckValidationError
from flashcards.decks.yaml_deck import parse_deck_text

from support import table_dump

ANKI = Path(__file__).resolve().parents[1] / "fixtures" / "anki"

DECK = """\
id: {deck_id}
name: {name}
tags: [{tag}]
cards:
  - id: {card_id}
    front: What does Adam keep per parameter?
    back: Running means of the gradient and of its square.
"""
SAFE = {"deck_id": "adam", "name": "Adam", "tag": "optim", "card_id": "adam.one"}
PWNED = '"x\\e]0;pwned\\a"'


def refusal(text: str) -> str:
    with pytest.raises(DeckValidationError) as caught:
        parse_deck_text(text, "deck.yaml")
    return str(caught.value)


def test_a_safe_deck_loads() -> None:
    assert parse_deck_text(DECK.format(**SAFE), "deck.yaml").name == "Adam"


@pytest.mark.parametrize(
    ("key", "line", "label"),
    [
        ("name", 2, "the deck name"),
        ("tag", 3, "the tag"),
        ("card_id", 5, "the id of card 1"),
        ("deck_id", 1, "the id of the deck"),
    ],
)
def test_yaml_refuses_an_escape_sequence_naming_field_and_line(
    key: str, line: int, label: str
) -> None:
    message = refusal(DECK.format(**{**SAFE, key: PWNED}))
    assert f"deck.yaml:{line}:" in message
    assert f"{label} 'x␛]0;pwned␇' holds a control character (U+001B)" in message
    assert "\x1b" not in message
    assert "nothing was imported" in message


def test_yaml_refuses_a_tab_in_a_deck_name() -> None:
    message = refusal(DECK.format(**{**SAFE, "name": '"Adam\\tW"'}))
    assert "the deck name" in message and "U+0009" in message


def test_yaml_import_of_a_bad_deck_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "decks"]) == 0
    before = table_dump(db)
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(**{**SAFE, "tag": PWNED}), encoding="utf-8")
    assert main(["--db", str(db), "import", str(deck)]) != 0
    assert table_dump(db) == before


@pytest.mark.parametrize(
    ("row", "label"),
    [
        ("c\x1b1,front,back,ok", "the id 'c␛1'"),
        ("c1,front,back,ok b\x1b]0;x\x07", "the tag 'b␛]0;x␇'"),
    ],
)
def test_csv_refuses_control_characters_in_ids_and_tags(row: str, label: str) -> None:
    with pytest.raises(DeckValidationError) as caught:
        parse_delimited(f"id,front,back,tags\n{row}\n", "t.csv", "Table")
    message = str(caught.value)
    assert f"t.csv:2: {label} holds a control character" in message


def test_csv_refuses_a_deck_name_with_an_escape() -> None:
    with pytest.raises(DeckValidationError, match="the deck name 'T␛]0;x'"):
        parse_delimited("front,back\nq,a\n", "t.csv", "T\x1b]0;x")


def test_csv_card_text_with_an_escape_is_accepted() -> None:
    deck = parse_delimited("front,back\nq\x1b[31m,a\n", "t.csv", "Table")
    assert deck.cards[0].front == "q\x1b[31m"


def rewrite_apkg(tmp_path: Path, sql: str) -> Path:
    """A copy of current.apkg with `sql` applied to its collection."""
    db = tmp_path / "collection.db"
    with zipfile.ZipFile(ANKI / "current.apkg") as src:
        packed = src.read("collection.anki21b")
        db.write_bytes(zstandard.ZstdDecompressor().stream_reader(packed).read())
        members = {name: src.read(name) for name in src.namelist()}
    conn = sqlite3.connect(db)
    conn.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    with conn:
        conn.execute(sql)
    conn.close()
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(db.read_bytes())
    target = tmp_path / "rewritten.apkg"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("sql", "label"),
    [
        ("UPDATE notes SET tags = ' ok t' || char(27) || ']0;x '", "the tag 't␛]0;x'"),
        ("UPDATE decks SET name = name || char(27)", "the deck name 'ML Optimization␛'"),
    ],
)
def test_anki_refuses_control_characters_in_tags_and_deck_names(
    tmp_path: Path, sql: str, label: str
) -> None:
    path = rewrite_apkg(tmp_path, sql)
    with pytest.raises(DeckValidationError) as caught:
        load_anki_package(path)
    message = str(caught.value)
    assert f"{path}: {label} holds a control character (U+001B)" in message
    assert message.count(label) == 1  # once, not once per note
