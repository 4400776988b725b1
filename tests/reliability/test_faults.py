"""Disk full, a read-only collection, a corrupt file: clear messages, nothing changed.

SQLite's own limits stand in for the faults: `max_page_count` pinned at the
file's size makes every growth fail exactly as a full disk does (SQLITE_FULL),
and `query_only` makes writes fail as on a read-only file (SQLITE_READONLY).
Root ignores file permissions, so chmod could not simulate the latter here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.errors import CollectionError
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck, table_dump


def pin_size(collection: Collection) -> None:
    with collection.transaction() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")


def test_disk_full_during_answers_refuses_cleanly(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=20)], clock())
    pin_size(collection)
    failure = None
    for card in collection.queue(clock(), limit=20):
        before = table_dump(collection.path)
        try:
            for _ in range(40):  # fill the free space a page at a time
                answer_card(collection, card.id, 4, clock.advance(minutes=1))
                before = table_dump(collection.path)
        except CollectionError as exc:
            failure = exc
            assert table_dump(collection.path) == before
            break
    assert failure is not None, "the pinned size should have been reached"
    assert "disk is full" in str(failure) and "Nothing was changed" in str(failure)


def test_disk_full_during_an_import_imports_nothing(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=2)], clock())
    pin_size(collection)
    before = table_dump(collection.path)
    with pytest.raises(CollectionError, match="disk is full"):
        import_decks(collection, [make_deck("Big", n=3000, prefix="b")], clock())
    assert table_dump(collection.path) == before


def test_read_only_collection_refuses_answers_with_a_message(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=2)], clock())
    card = collection.queue(clock())[0]
    with collection.transaction() as conn:
        conn.exec_driver_sql("PRAGMA query_only = ON")
    before = table_dump(collection.path)
    with pytest.raises(CollectionError, match="read-only"):
        answer_card(collection, card.id, 4, clock())
    assert table_dump(collection.path) == before


def test_corrupt_file_is_refused_and_backup_restore_recovers(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "decks"]) == 0
    assert main(["--db", str(db), "backup", "create"]) == 0
    raw = bytearray(db.read_bytes())
    raw[:100] = b"\x00" * 100  # wipe the header: no longer a database
    db.write_bytes(bytes(raw))
    assert main(["--db", str(db), "decks"]) == 1
    assert "damaged or not a database" in capsys.readouterr().err
    assert main(["--db", str(db), "backup", "restore"]) == 0
    assert main(["--db", str(db), "doctor"]) == 0
    assert main(["--db", str(db), "decks"]) == 0


def test_damaged_pages_are_reported_by_doctor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    main(["--db", str(db), "decks"])  # closing the last connection checkpoints the WAL
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(db, copy)
    raw = bytearray(copy.read_bytes())
    page = 4096
    for offset in range(2 * page, len(raw) - page, 7 * page):
        raw[offset + 100 : offset + 400] = b"\xff" * 300
    copy.write_bytes(bytes(raw))
    capsys.readouterr()
    assert main(["--db", str(copy), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "problem" in out or "damaged" in out
