"""A restore never pulls the collection from under a running process; files stay private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.errors import CollectionError, UserError
from flashcards.paths import backup_dir, collection_path, data_dir
from flashcards.storage import backup
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck, review_count, table_dump

# Opens the collection, writes one row (it stays in the WAL while the file is
# open), says so, and keeps the collection open until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from flashcards.storage.collection import Collection
collection = Collection(Path(sys.argv[1]))
collection.set_meta("written-by-child", "1")
print("ready", flush=True)
sys.stdin.read()
collection.close()
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock) -> Path:
    """A collection with one backup taken, then one answer the backup lacks."""
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        import_decks(collection, [make_deck("Deck A", 3)], clock())
        backup.create(path, clock(), "manual")
        answer_card(collection, collection.queue(clock())[0].id, 4, clock())
    return path


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another flashcards process with the collection open, ready when this yields."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        yield child
    finally:
        child.stdin.close()
        child.stdout.close()
        child.wait(timeout=60)


def test_restore_refuses_while_another_process_has_the_collection_open(
    db: Path,
    holder: subprocess.Popen[str],
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wal = Path(f"{db}-wal")
    before = (db.read_bytes(), wal.read_bytes())
    backups_before = backup.list_backups(db)

    with pytest.raises(UserError, match="open in another flashcards process"):
        backup.restore(db, None, clock())
    assert main(["--db", str(db), "backup", "restore"]) == 1
    assert capsys.readouterr().err == (
        "flashcards: the collection is open in another flashcards process (the app or a "
        "command); close it, then run the restore again\n"
    )

    assert (db.read_bytes(), wal.read_bytes()) == before
    assert backup.list_backups(db) == backups_before  # not even a safety copy

    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=60) == 0
    restored, safety = backup.restore(db, None, clock())
    assert restored == backups_before[0] and safety is not None
    assert table_dump(db)["review_log"] == []  # the backup predates the answer
    assert ("written-by-child", "1") in table_dump(safety.path)["meta"]


def test_restore_refuses_while_this_process_has_the_collection_open(
    db: Path, clock: FakeClock
) -> None:
    with Collection(db) as collection:
        with pytest.raises(UserError, match="open in another flashcards process"):
            backup.restore(db, None, clock())
        assert review_count(collection) == 1
    backup.restore(db, None, clock())
    with Collection(db) as collection:
        assert review_count(collection) == 0


def test_an_answer_into_a_replaced_file_is_refused(
    db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    other = tmp_path / "other.sqlite3"
    with Collection(other):
        pass
    with Collection(db) as collection:
        card = collection.queue(clock())[0]
        os.replace(other, db)  # as an old restore (or any other program) would
        with pytest.raises(CollectionError) as caught:
            answer_card(collection, card.id, 4, clock())
        assert str(caught.value) == (
            "the collection file was replaced by another program (a restore?) while this one "
            "had it open; nothing was saved. Restart flashcards."
        )


def test_a_new_collection_is_private_and_backups_keep_its_mode(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.delenv("FLASHCARDS_DB")
    path = collection_path()
    assert not data_dir().exists()
    with Collection(path):
        pass
    assert mode(path) == 0o600
    assert mode(data_dir()) == 0o700
    assert mode(data_dir().parent) == 0o700  # a missing parent made on the way, too

    first = backup.create(path, clock(), "manual")
    assert mode(first.path) == 0o600
    assert mode(backup_dir(path)) == 0o700

    path.chmod(0o640)  # the user's choice, say to share with a group
    second = backup.create(path, clock.advance(seconds=1), "manual")
    assert mode(second.path) == 0o640

    backup.restore(path, first.name, clock.advance(seconds=1))
    assert mode(path) == 0o640  # the restored file keeps the replaced file's mode


def test_an_existing_folder_the_user_chose_keeps_its_mode(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o755)
    with Collection(mine / "c.sqlite3"):
        pass
    assert mode(mine) == 0o755
    assert mode(mine / "c.sqlite3") == 0o600
