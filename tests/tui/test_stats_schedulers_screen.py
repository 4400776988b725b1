"""The Statistics screen's FSRS panel: shown for FSRS decks and a stored evaluation only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from flashcards.answering import answer_card
from flashcards.clock import to_epoch_ms
from flashcards.deck_config import ConfigChange, configure
from flashcards.scheduling.fsrs_policy import FsrsScheduler
from flashcards.storage.collection import Collection
from flashcards.storage.history import EVALUATION_KEY
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.stats import StatsScreen

from support import FakeClock, make_deck

SnapCompare = Callable[..., bool]


def fsrs_collection(path: Path, clock: FakeClock) -> Collection:
    """An FSRS deck studied for three weeks, and a stored `scheduler evaluate` result."""
    collection = Collection(path)
    start = clock.current
    clock.advance(days=-21)
    import_decks(collection, [make_deck("Spanish", n=8), make_deck("Basics", n=4)], clock())
    configure(collection, collection.deck_id("Spanish"), ConfigChange(scheduler="fsrs"))
    fsrs = FsrsScheduler()
    spanish = collection.deck_id("Spanish")
    for day in range(21):
        if day % 4 == 0:
            for number, card in enumerate(collection.queue(clock(), limit=4)):
                grade = (4, 5, 2, 4, 3)[(day + number) % 5]
                if card.deck_id == spanish:
                    answer_card(collection, card.id, grade, clock(), scheduler=fsrs)
                else:
                    answer_card(collection, card.id, grade, clock())
        clock.advance(days=1)
    clock.current = start
    evaluation = {
        "reviews": 2048,
        "cards": 311,
        "schedulers": {
            "sm2": {"log_loss": 0.5471, "rmse_bins": 0.1482},
            "fsrs_default": {"log_loss": 0.3394, "rmse_bins": 0.0719},
            "fsrs_optimized": {"log_loss": 0.3207, "rmse_bins": 0.0463},
        },
        "evaluated_ms": to_epoch_ms(clock()),
        "deck": None,
    }
    collection.set_meta(EVALUATION_KEY, json.dumps(evaluation))
    return collection


async def show_stats(pilot: Pilot[None]) -> None:
    await pilot.app.push_screen(StatsScreen())
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_panel_shows_fsrs_decks_and_the_evaluation(
    tmp_path: Path, clock: FakeClock
) -> None:
    with fsrs_collection(tmp_path / "c.sqlite3", clock) as collection:
        app = FlashcardsApp(collection, clock=clock, seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            await show_stats(pilot)
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            panel = screen.query_one("#schedulers-panel")
            assert panel.display and panel.has_class("-shown")
            text = str(screen.query_one("#schedulers-text", Static).render())
            assert "Spanish (FSRS) · target retention 90%" in text
            assert "retrievability today" in text and "true retention" in text
            assert "Basics" not in text
            assert "2,048 reviews, 311 cards (all decks)" in text
            assert "FSRS, fitted to you" in text and "0.321" in text and "0.046" in text


async def test_the_panel_stays_hidden_for_sm2_only(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Basics", n=4)], clock())
    answer_card(collection, collection.queue(clock(), limit=1)[0].id, 4, clock())
    app = FlashcardsApp(collection, clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_stats(pilot)
        panel = app.screen.query_one("#schedulers-panel")
        assert not panel.has_class("-shown")
        assert panel.styles.display == "none"


def test_statistics_with_an_fsrs_deck(
    snap_compare: SnapCompare, tmp_path: Path, clock: FakeClock
) -> None:
    with fsrs_collection(tmp_path / "snap.sqlite3", clock) as collection:
        app = FlashcardsApp(collection, clock=clock, seed=7)
        assert snap_compare(app, run_before=show_stats, terminal_size=(80, 24))
