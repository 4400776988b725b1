"""The app never draws a deck's control characters: an old collection holding ESC is safe.

Rich drops BEL but passes ESC to the terminal, so a card holding an OSC sequence
could set the clipboard or the window title each time it was shown. The check is at
display time, so collections imported before names and text were checked are covered.
"""

from __future__ import annotations

import re

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.browse import BrowseScreen
from flashcards.tui.screens.review import ReviewScreen
from flashcards.tui.widgets.card_preview import CardPreview
from flashcards.tui.widgets.card_view import CardView

from support import FakeClock

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CLIPBOARD = "\x1b]52;c;aGk=\x1b\\"
HOSTILE = Deck(
    "old",
    "Old\x1b]0;pwned\x07deck",
    cards=(
        Card(
            "c1",
            CardKind.CHOICE,
            f"Which step?{CLIPBOARD}",
            "Newton\x9b2J",
            distractors=("Plain\x1b[31m", "None"),
            extra="why\x1b[8m",
            tags=("t",),
        ),
    ),
)


def hostile(collection: Collection, clock: FakeClock) -> int:
    """Stored through the storage API, as an import before the checks would have."""
    import_decks(collection, [HOSTILE], clock())
    return collection.deck_id(HOSTILE.name)


def shown(widget: Widget) -> str:
    """What the widget and its children draw, as plain text."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    parts = ["\n".join(strip.text for strip in widget.render_lines(region))]
    parts += [shown(child) for child in widget.children if child.display]
    return "\n".join(parts)


def screen_svg(app: FlashcardsApp) -> str:
    return app.export_screenshot()


async def test_a_review_of_a_hostile_card_draws_no_control_characters(
    collection: Collection, clock: FakeClock
) -> None:
    hostile(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # study the deck under the cursor, as a student would
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        view = app.screen.query_one(CardView)
        front = shown(view)
        assert "Which step?␛]52;c;aGk=␛\\" in front
        assert CONTROLS.search(front) is None
        assert CONTROLS.search(screen_svg(app)) is None
        await pilot.press("a")
        await pilot.pause()
        after = shown(view)
        assert "Newton" in after
        assert CONTROLS.search(after) is None
        assert CONTROLS.search(screen_svg(app)) is None


async def test_the_deck_list_shows_a_hostile_name_with_stand_ins(
    collection: Collection, clock: FakeClock
) -> None:
    hostile(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table: DataTable[object] = app.screen.query_one("#decks-table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Old␛]0;pwned␇deck" in names
        assert CONTROLS.search(screen_svg(app)) is None


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_browse_rows_and_preview_draw_no_control_characters(
    collection: Collection, clock: FakeClock
) -> None:
    hostile(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(BrowseScreen(""))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.table
        cells = [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
        assert any("␛" in cell for cell in cells)
        assert CONTROLS.search("".join(cells)) is None
        preview = screen.query_one(CardPreview)
        assert "Newton" in preview.source
        assert CONTROLS.search(preview.source + shown(preview)) is None
        assert CONTROLS.search(screen_svg(app)) is None


async def test_the_editor_shows_stand_ins_and_keeps_untouched_fields_as_stored(
    collection: Collection, clock: FakeClock
) -> None:
    from textual.widgets import TextArea

    from flashcards.tui.screens.edit import EditCardScreen

    hostile(collection, clock)
    card = collection.queue(clock(), limit=1)[0]
    app = FlashcardsApp(collection, clock=clock, seed=1)
    results: list[Card | None] = []
    async with app.run_test(size=(100, 40)) as pilot:
        modal = EditCardScreen(card)
        await app.push_screen(modal, results.append)
        await pilot.pause()
        assert not CONTROLS.search(modal.query_one("#front", TextArea).text)
        assert not CONTROLS.search(shown(modal))
        modal.query_one("#extra", TextArea).text = "a plain explanation"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [edited] = results
    assert edited is not None
    assert edited.front == card.card.front  # untouched: the stored text, not the stand-ins
    assert edited.distractors == card.card.distractors
    assert edited.extra == "a plain explanation"
