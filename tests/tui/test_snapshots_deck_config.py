"""A picture of the deck options dialog at 80x24, with a fixed clock and data.

Update it with `pytest tests/tui/test_snapshots_deck_config.py --snapshot-update`
after checking the new SVG by eye (syrupy writes it to __snapshots__/).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.decks import OPTIONS_KEY

from support import FakeClock, make_deck

SnapCompare = Callable[..., bool]


async def fsrs_with_a_bad_retention(pilot: Pilot[None]) -> None:
    """Open the options, choose FSRS, type a retention out of range and save."""
    await pilot.press(OPTIONS_KEY)
    await pilot.click("#fsrs")
    retention = pilot.app.screen.query_one("#retention", Input)
    retention.value = "1.5"
    retention.focus()
    await pilot.press("enter")  # not a click: a clicked button glows for 0.2 s
    await pilot.pause()


def test_deck_options_explain_a_bad_retention(
    snap_compare: SnapCompare, tmp_path: Path, clock: FakeClock
) -> None:
    with Collection(tmp_path / "snap.sqlite3") as collection:
        decks = [make_deck("Jensen's inequality", 6), make_deck("Occam's razor", 4, prefix="o")]
        import_decks(collection, decks, clock())
        app = FlashcardsApp(collection, clock=clock, seed=1)
        assert snap_compare(app, run_before=fsrs_with_a_bad_retention, terminal_size=(80, 24))
