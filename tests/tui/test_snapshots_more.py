"""Pictures of Browse, Statistics and the edit modal at 80x24, with a fixed clock and data.

Update them with `pytest tests/tui/test_snapshots_more.py --snapshot-update` after
checking the new SVGs by eye (syrupy writes them to __snapshots__/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from flashcards.answering import answer_card
from flashcards.model import Card, CardKind, Deck, Difficulty
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.browse import BrowseScreen
from flashcards.tui.screens.edit import EditCardScreen
from flashcards.tui.screens.stats import StatsScreen

from support import FakeClock

SnapCompare = Callable[..., bool]

DECKS = [
    Deck(
        "curvature",
        "Curvature",
        cards=(
            Card(
                "saddle",
                CardKind.BASIC,
                "What is a saddle point?",
                "A critical point where the Hessian has eigenvalues of both signs.",
                tags=("hessian",),
                difficulty=Difficulty.MEDIUM,
            ),
            Card(
                "newton",
                CardKind.CHOICE,
                "Which method divides the gradient by the curvature?",
                "Newton's method",
                distractors=("Momentum", "Plain gradient descent", "Adam"),
                extra="It solves H d = g for the step d.",
                tags=("second-order",),
            ),
            Card(
                "kappa",
                CardKind.CLOZE,
                "The condition number is {{c1::λ_max / λ_min}}.",
                cloze=1,
            ),
            Card("gd", CardKind.COMPUTE, "Gradient-descent steps", generator="gd-step"),
        ),
    ),
    Deck(
        "basics",
        "Basics",
        cards=tuple(
            Card(f"b{i}", CardKind.BASIC, f"Basic question number {i}", f"Answer {i}")
            for i in range(12)
        ),
    ),
]


def studied_collection(path: Path, clock: FakeClock) -> Collection:
    """Three weeks of answers on a fixed schedule, so every plot has something to draw."""
    collection = Collection(path)
    start = clock.current
    clock.advance(days=-21)
    import_decks(collection, DECKS, clock())
    for day in range(21):
        if day % 3 != 2:
            for number, card in enumerate(collection.queue(clock(), limit=4 + day % 4)):
                answer_card(collection, card.id, (5, 4, 3, 2, 4)[(day + number) % 5], clock())
        clock.advance(days=1)
    clock.current = start
    return collection


def showing(screen: Callable[[], Screen[Any]]) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(screen())
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[FlashcardsApp]:
    with studied_collection(tmp_path / "snapshots.sqlite3", clock) as collection:
        yield FlashcardsApp(collection, clock=clock, seed=7)


def test_browse_everything(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(app, run_before=showing(BrowseScreen), press=["tab", "down"])


def test_browse_a_search(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(
        app, run_before=showing(lambda: BrowseScreen("deck:curvature -is:new")), press=["tab"]
    )


def test_browse_a_mistyped_search(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(app, run_before=showing(lambda: BrowseScreen("colour:red hessian")))


def test_browse_asks_before_a_reset(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(app, run_before=showing(BrowseScreen), press=["tab", "r"])


def test_statistics(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(app, run_before=showing(StatsScreen))


def test_statistics_scrolled_to_the_end(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    assert snap_compare(app, run_before=showing(StatsScreen), press=["end"])


def test_statistics_of_an_empty_collection(
    snap_compare: SnapCompare, collection: Collection, clock: FakeClock
) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=7)
    assert snap_compare(app, run_before=showing(StatsScreen))


def test_edit_a_choice_card(snap_compare: SnapCompare, app: FlashcardsApp) -> None:
    newton = next(card for card in app.collection.cram_queue() if card.external_id == "newton")
    assert snap_compare(app, run_before=showing(lambda: EditCardScreen(newton)))
