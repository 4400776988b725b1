"""Small decks and a short spec shared by the exam tests (files under data/).

The decks are read by the real deck loader, so the exams under test are drawn
from exactly what a deck file produces.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.decks.yaml_deck import load_decks
from flashcards.model import Deck
from quizzes.registry import check_params, names

DATA = Path(__file__).parent / "data"


@pytest.fixture
def deck_files() -> list[Path]:
    return [DATA / "alpha.yaml", DATA / "beta.yaml"]


@pytest.fixture
def decks(deck_files: list[Path]) -> list[Deck]:
    return load_decks(deck_files, known_generators=names(), check_params=check_params)


@pytest.fixture
def short_spec() -> str:
    """Two choice items (2 points), one open item (3) and one compute item (4)."""
    return (DATA / "short.exam.yaml").read_text(encoding="utf-8")


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str], Path]:
    """Writes spec text to a file and returns its path, so errors name a real file."""

    def write(text: str) -> Path:
        path = tmp_path / "test.exam.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
