"""Opening a collection written by an older version upgrades it without losing anything.

`tests/fixtures/collection-v1.sqlite3` was written by the schema-1 code (before the
practice-exam tables): two decks, seven cards of every kind, a suspended card and
eleven answers, among them compute reviews with their seeds and a cram answer.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from flashcards.exams.history import list_attempts
from flashcards.storage.collection import Collection
from flashcards.storage.tables import SCHEMA_VERSION

from support import newest_review_id, review_count, stored_rows, table_dump

FIXTURE = Path(__file__).parents[1] / "fixtures" / "collection-v1.sqlite3"
V1_TABLES = ("cards", "decks", "removed_cards", "review_log", "schedule")
APPENDED = {
    "decks": ("sm2", 0.9, None, None, None),  # then the card count, checked below
    "schedule": (None, None),
    "review_log": (None,) * 8,
}


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "collection.sqlite3"
    shutil.copyfile(FIXTURE, path)
    return path


def schema_version(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return str(row[0])


def test_the_fixture_is_a_version_1_file_with_history(old_file: Path) -> None:
    assert schema_version(old_file) == "1"
    before = table_dump(old_file)
    assert "exam_attempts" not in before
    assert len(before["review_log"]) == 11 and len(before["cards"]) == 7


def test_opening_a_version_1_file_upgrades_it_and_keeps_every_row(old_file: Path) -> None:
    before = table_dump(old_file)
    with Collection(old_file) as collection:
        assert collection.check() == []
        assert list_attempts(collection) == []
        assert review_count(collection) == 11
    assert schema_version(old_file) == str(SCHEMA_VERSION) == "5"
    after = table_dump(old_file)
    for table in V1_TABLES:
        # Later versions only append columns: every old value stays, the new ones
        # hold their defaults (versions 3 and 5; 5 puts every deck on SM-2).
        appended = APPENDED.get(table, ())
        width = len(before[table][0]) if before[table] else 0
        assert [row[:width] for row in after[table]] == before[table], table
        added = [row[width:] for row in after[table]]
        if table == "decks":  # version 5 also stores each deck's card count
            counts = Counter(row[1] for row in after["cards"])
            assert [row[-1] for row in added] == [counts[row[0]] for row in after[table]]
            added = [row[:-1] for row in added]
        assert set(added) <= {appended}, table
    assert after["exam_attempts"] == [] and after["exam_items"] == []


def test_the_upgraded_file_schedules_and_undoes_as_before(old_file: Path) -> None:
    with Collection(old_file) as collection:
        suspended = [
            row[0]
            for row in stored_rows(collection, "SELECT card_id FROM schedule WHERE suspended = 1")
        ]
        assert len(suspended) == 1
        newest = newest_review_id(collection)
        undone = collection.undo(newest)
        assert undone is not None and undone.review_id == newest
        assert review_count(collection) == 10


def test_an_upgraded_file_opens_again_without_migrating_twice(old_file: Path) -> None:
    with Collection(old_file):
        pass
    upgraded = table_dump(old_file)
    with Collection(old_file) as collection:
        assert collection.check() == []
    assert table_dump(old_file) == upgraded
