"""Shared fixtures: a collection in a temporary file and a settable clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from flashcards.storage.collection import Collection

from support import FakeClock

# No property test may fail on time: Hypothesis's default 200 ms deadline per example
# failed a test on a busy 2-core machine (a 312 ms first call). Speed is the benchmarks'.
settings.register_profile("flashcards", deadline=None)
settings.load_profile("flashcards")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    with Collection(tmp_path / "collection.sqlite3") as opened:
        yield opened


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's collection."""
    monkeypatch.setenv("FLASHCARDS_DB", str(tmp_path / "default-collection.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
