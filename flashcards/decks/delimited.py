"""Reading basic cards from CSV/TSV tables, as spreadsheets and other apps export them.

Tables come from many programs, so the delimiter is sniffed, a byte order mark is
accepted and quoted fields may span lines. Rows without an id get one derived from
their front text, so re-importing an edited table updates the same cards instead of
adding copies. Like the YAML loader, every bad row is reported before anything loads.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from flashcards.decks.errors import (
    CONTROL_HINT,
    MAX_FIELD_BYTES,
    DeckValidationError,
    Problem,
    control_in,
    field_too_big,
    read_text,
)
from flashcards.gcpause import gc_paused
from flashcards.model import Card, Deck

DELIMITERS = ",\t;"
SNIFF_SAMPLE_CHARS = 64 * 1024
COLUMN_NAMES = {
    "id": "id",
    "front": "front",
    "question": "front",
    "back": "back",
    "answer": "back",
    "tags": "tags",
}
ID_PATTERN = re.compile(r"[\w.-]+")
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
"""Cells Excel or LibreOffice could run as formulas; export prefixes them with one `'`."""

_HEADER_HINT = "start the file with a header row such as: id,front,back,tags"


TAG_SPLIT = re.compile(r"[\s,]+")


def deck_slug(name: str) -> str:
    """A deck id made from a deck name, for tables that carry no id of their own."""
    slug = re.sub(r"[^\w.]+", "-", name.strip().casefold()).strip("-.")
    return slug or "deck"


def derived_id(front: str) -> str:
    """A stable id for a row without one: the same front text always gives the same id."""
    text = front if front.isascii() else unicodedata.normalize("NFC", front)
    normalized = " ".join(text.split())
    return "csv-" + hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:12]


def _cell_value(cell: str) -> str:
    value = cell.strip()
    # unescape_cell, inlined: this runs for every cell of a 100,000-row table.
    return value[1:] if value[:1] == "'" and FORMULA_START.match(value, 1) else value


def unescape_cell(cell: str) -> str:
    """Undo the apostrophe that `export.escape_cell` puts before formula-like cells."""
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell, 1) else cell


class _Row(NamedTuple):
    """A table row and the line it starts on (a tuple: tables run to 100,000 rows)."""

    line: int
    cells: list[str]


def _header_columns(cells: list[str]) -> list[str] | None:
    """The canonical column names, or None when these cells cannot be the header."""
    names = [COLUMN_NAMES.get(cell.strip().casefold(), "") for cell in cells]
    return names if "front" in names and "back" in names else None


def _delimiter(text: str) -> str:
    """The delimiter csv.Sniffer finds, kept only if the header then names our columns."""
    sample = text[:SNIFF_SAMPLE_CHARS]
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    for candidate in dict.fromkeys(sniffed + DELIMITERS):
        cells = next(csv.reader([first_line], delimiter=candidate), [])
        if _header_columns(cells) is not None:
            return candidate
    return sniffed


class _TableReader:
    """Collects the problems of one table while turning its rows into cards."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.first_line: dict[str, int] = {}

    def report(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.filename, line, None, message, hint))

    def plain(self, line: int | None, label: str, text: str) -> bool:
        """Whether a name, id or tag is free of control characters (reported if not)."""
        problem = control_in(label, text)
        if problem is not None:
            self.report(line, problem, CONTROL_HINT)
        return problem is None

    def rows(self, text: str, delimiter: str) -> list[_Row]:
        """Non-blank rows with the line each starts on (quoted newlines span lines).

        Bad quoting stops the reading there, since the rest cannot be split reliably;
        the rows before it are still checked so their problems are reported too.
        """
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows: list[_Row] = []
        line = 1
        try:
            for cells in reader:
                if any(map(str.strip, cells)):
                    rows.append(_Row(line, cells))
                line = reader.line_num + 1
        except csv.Error as exc:
            hint = 'quote the whole field and double the quotes inside: "say ""hi"""'
            self.report(line, f"bad quoting in the row that starts here: {exc}", hint)
        return rows

    def header(self, row: _Row) -> list[str]:
        columns = _header_columns(row.cells)
        if columns is None:
            found = ", ".join(repr(cell) for cell in row.cells[:4])
            message = f"the first row must name the columns front and back (found {found})"
            self.report(row.line, message, _HEADER_HINT)
            return []
        for cell, column in zip(row.cells, columns, strict=True):
            if not column:
                close = difflib.get_close_matches(cell.strip().casefold(), COLUMN_NAMES, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "columns: id, front, back, tags"
                self.report(row.line, f"unknown column {cell.strip()!r}", hint)
        for column in dict.fromkeys(columns):
            if columns.count(column) > 1:
                self.report(row.line, f"the {column!r} column appears twice", "keep one")
        return columns

    def card(self, row: _Row, columns: list[str], delimiter: str) -> Card | None:
        if len(row.cells) != len(columns):
            message = f"this row has {len(row.cells)} fields but the header has {len(columns)}"
            self.report(row.line, message, f"quote fields that contain {delimiter!r}")
            return None
        if len(columns) == 2 and columns[0] == "front" and columns[1] == "back":
            values = {"front": _cell_value(row.cells[0]), "back": _cell_value(row.cells[1])}
        else:
            values = dict(zip(columns, map(_cell_value, row.cells), strict=True))
        front, back = values["front"], values["back"]
        if not (front and back):
            for name in ("front", "back"):
                if not values[name]:
                    self.report(row.line, f"the {name} is empty", "fill it in or delete the row")
        if not (values.get("id") or front):
            return None
        card_id = self.card_id(row.line, values.get("id", ""), front)
        if (len(front) + len(back)) * 4 > MAX_FIELD_BYTES:  # else neither can be too big
            for name in ("front", "back"):
                too_big = field_too_big(f"card {card_id!r}", name, values[name])
                if too_big is not None:
                    self.report(row.line, too_big)
        raw_tags = values.get("tags", "")
        tags = tuple(dict.fromkeys(t for t in TAG_SPLIT.split(raw_tags) if t)) if raw_tags else ()
        for tag in tags:
            self.plain(row.line, "the tag", tag)
        return Card.basic(card_id, front, back, tags)

    def card_id(self, line: int, given: str, front: str) -> str:
        card_id = given or derived_id(front)
        if given and self.plain(line, "the id", card_id) and not ID_PATTERN.fullmatch(card_id):
            hint = "use letters, digits, '.', '_' and '-'"
            self.report(line, f"the id {card_id!r} has characters ids cannot use", hint)
        first = self.first_line.setdefault(card_id, line)
        if first != line:
            hint = "give the rows different ids" if given else "two rows have the same front"
            self.report(line, f"duplicate id {card_id!r}; line {first} has it too", hint)
        return card_id


def parse_delimited(text: str, filename: str, deck_name: str) -> Deck:
    """A deck of basic cards from a table's text; `filename` is used in problem reports."""
    with gc_paused():
        return _parse_delimited(text, filename, deck_name)


def _parse_delimited(text: str, filename: str, deck_name: str) -> Deck:
    delimiter = _delimiter(text)
    reader = _TableReader(filename)
    reader.plain(None, "the deck name", deck_name)
    cards: list[Card] = []
    rows = reader.rows(text, delimiter)
    if not rows:
        reader.report(None, "the file holds no rows", _HEADER_HINT)
    else:
        columns = reader.header(rows[0])
        for row in rows[1:] if columns else ():
            card = reader.card(row, columns, delimiter)
            if card is not None:
                cards.append(card)
    if reader.problems:
        raise DeckValidationError(sorted(reader.problems, key=lambda p: p.line or 0))
    return Deck(deck_slug(deck_name), deck_name, cards=tuple(cards))


def load_delimited(path: Path, deck_name: str | None = None) -> Deck:
    """A deck from a .csv/.tsv/.txt table; the deck is named `deck_name` or the file stem."""
    return parse_delimited(read_text(path), str(path), deck_name or path.stem)
