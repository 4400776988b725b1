"""Bulk loads pause the cyclic collector and always give it back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.decks.delimited import parse_delimited
from flashcards.decks.errors import DeckValidationError
from flashcards.gcpause import gc_paused
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_gives_the_collector_back() -> None:
    with pytest.raises(DeckValidationError):
        parse_delimited("front,back\nonly the front\n", "bad.csv", "Deck")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_an_import_leaves_the_collector_on(tmp_path: Path, clock: FakeClock) -> None:
    with Collection(tmp_path / "c.sqlite3") as collection:
        import_decks(collection, [make_deck(n=3)], clock())
    assert gc.isenabled()
