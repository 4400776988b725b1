"""The picture of an FSRS deck's card with its four grade buttons, at 80x24.

The clock is fixed and the app seeded, so a changed picture means changed
output. Accept an intended change with `--snapshot-update` on this file only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flashcards.deck_config import ConfigChange, configure
from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp, StartSpec

from support import FakeClock

SnapCompare = Callable[..., bool]

RISK = Card(
    "risk",
    CardKind.BASIC,
    "What is the **risk** R(f) of a predictor f?",
    "Its expected loss over the data distribution: R(f) = E[L(f(x), y)].",
    tags=("erm",),
)


def test_review_answer_on_an_fsrs_deck(snap_compare: SnapCompare, tmp_path: Path) -> None:
    clock = FakeClock()
    with Collection(tmp_path / "fsrs.sqlite3") as collection:
        import_decks(collection, [Deck("optimization", "Optimization", cards=(RISK,))], clock())
        deck_id = collection.deck_id("Optimization")
        configure(collection, deck_id, ConfigChange(scheduler="fsrs"))
        spec = StartSpec("Optimization", (deck_id,))
        app = FlashcardsApp(collection, clock=clock, seed=2026, start=spec)
        assert snap_compare(app, press=["space"], terminal_size=(80, 24))
