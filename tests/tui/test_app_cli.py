"""`flashcards` and `flashcards study` open the app with the right start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import BUNDLED_MARK
from flashcards.tui.app import FlashcardsApp, StartSpec

from support import FakeClock, make_deck


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock) -> Path:
    path = tmp_path / "study.sqlite3"
    with Collection(path) as collection:
        import_decks(collection, [make_deck("Deck A", 2)], clock())
        collection.set_meta(BUNDLED_MARK, "1")
    return path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[StartSpec | None]:
    """Replace the terminal run with a record of what the app was asked to open."""
    starts: list[StartSpec | None] = []

    def run(self: FlashcardsApp) -> None:
        starts.append(self.start)

    monkeypatch.setattr(FlashcardsApp, "run", run)
    return starts


def test_bare_command_opens_the_decks_screen(db: Path, started: list[StartSpec | None]) -> None:
    assert main(["--db", str(db)]) == 0
    assert started == [None]


def test_study_resolves_the_deck_before_opening(db: Path, started: list[StartSpec | None]) -> None:
    assert main(["--db", str(db), "study", "--deck", "deck a", "--cram"]) == 0
    with Collection(db) as collection:
        deck_id = collection.deck_id("Deck A")
    assert started == [StartSpec("deck a", (deck_id,), cram=True)]


def test_study_by_tag_opens_on_every_deck(db: Path, started: list[StartSpec | None]) -> None:
    assert main(["--db", str(db), "study", "--tag", "hessian"]) == 0
    assert started == [StartSpec("tag hessian", None, tag="hessian")]


def test_an_unknown_deck_is_a_user_error_and_no_app_opens(
    db: Path, started: list[StartSpec | None], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "study", "--deck", "Nope"]) == 1
    assert "no deck named 'Nope'; decks: Deck A" in capsys.readouterr().err
    assert started == []


def test_the_study_command_module_does_not_import_textual_until_run() -> None:
    code = "import sys\nimport flashcards.commands.study\nprint('textual' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
