"""Exported files import back to the same cards, and spreadsheets cannot run them."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.decks.delimited import load_delimited
from flashcards.decks.export import escape_cell, write_deck_csv
from flashcards.model import Card, CardKind, Deck

FORMULA_PREFIXES = ("=", "+", "-", "@", "'", "'=", "''@", "\t", "\r")

tricky_pieces = st.sampled_from([*",;\t\"'\n\r =+-@#|", "\r\n", '""', "é", "∇", "θ²", "😀"])
plain_chars = st.characters(exclude_categories=("Cs", "Cc"))
card_text = (
    st.tuples(
        st.sampled_from(("", *FORMULA_PREFIXES)),
        st.lists(st.one_of(tricky_pieces, plain_chars), max_size=30).map("".join),
    )
    .map(lambda parts: (parts[0] + parts[1]).strip())
    .filter(bool)
)
card_id = st.from_regex(r"[\w.-]{1,12}", fullmatch=True)
tag = st.from_regex(r"[\w.-]{1,8}", fullmatch=True)


def basic_deck(name: str, rows: list[tuple[str, str, str, list[str]]]) -> Deck:
    cards = tuple(
        Card(card_id, CardKind.BASIC, front, back, tags=tuple(tags))
        for card_id, front, back, tags in rows
    )
    return Deck(name.lower(), name, cards=cards)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(card_id, card_text, card_text, st.lists(tag, max_size=3, unique=True)),
        min_size=1,
        max_size=6,
        unique_by=lambda row: row[0],
    )
)
def test_any_text_survives_csv_export_and_import(
    rows: list[tuple[str, str, str, list[str]]],
) -> None:
    deck = basic_deck("Roundtrip", rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Roundtrip.csv"
        assert write_deck_csv(deck, path) == 0
        assert load_delimited(path) == deck


def test_formula_like_cells_are_escaped_in_the_file(tmp_path: Path) -> None:
    deck = basic_deck("Sheet", [("c1", "=HYPERLINK(evil)", "+1", ["x"]), ("c2", "@SUM", "ok", [])])
    path = tmp_path / "sheet.csv"
    write_deck_csv(deck, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads the file as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [
        ["id", "front", "back", "tags"],
        ["c1", "'=HYPERLINK(evil)", "'+1", "x"],
        ["c2", "'@SUM", "ok", ""],
    ]


def test_escape_cell_leaves_ordinary_text_alone() -> None:
    assert escape_cell("gradient = slope") == "gradient = slope"
    assert escape_cell("it's fine") == "it's fine"
    assert escape_cell("-1") == "'-1"
    assert escape_cell("'=x") == "''=x"


def test_only_basic_cards_go_to_csv_and_the_rest_are_counted(tmp_path: Path) -> None:
    cards = (
        Card("b1", CardKind.BASIC, "Q", "A"),
        Card("ch", CardKind.CHOICE, "Q?", "A", distractors=("B",)),
        Card("z#c1", CardKind.CLOZE, "{{c1::x}}", "x", cloze=1),
        Card("g", CardKind.COMPUTE, "Compute: gd-step", generator="gd-step"),
    )
    path = tmp_path / "mixed.csv"
    assert write_deck_csv(Deck("mixed", "mixed", cards=cards), path) == 3
    assert [c.external_id for c in load_delimited(path).cards] == ["b1"]
