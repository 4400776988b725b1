"""Browse through the real app: search, preview, edit, suspend, reset and paging."""

from __future__ import annotations

import threading
from datetime import datetime

from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from flashcards.answering import answer_card
from flashcards.model import Card, CardKind, Deck
from flashcards.storage.browse import PAGE_SIZE
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.browse import BrowseScreen, ConfirmResetScreen
from flashcards.tui.screens.edit import EditCardScreen
from flashcards.tui.widgets.card_preview import CardPreview

from support import FakeClock, make_deck, review_count

HESSIAN = Deck(
    "hessian",
    "Hessian",
    cards=(
        Card("def", CardKind.BASIC, "What is the Hessian?", "The matrix of second derivatives."),
        Card(
            "sym",
            CardKind.CHOICE,
            "When is the Hessian symmetric?",
            "When f is twice continuously differentiable",
            distractors=("Always", "Never"),
            tags=("hessian",),
        ),
    ),
)


def fill(collection: Collection, clock: FakeClock, *decks: Deck) -> None:
    import_decks(collection, list(decks) or [HESSIAN, make_deck("Physics", n=3)], clock())


async def open_browse(pilot: Pilot[None], query: str = "") -> BrowseScreen:
    screen = BrowseScreen(query)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def settle(pilot: Pilot[None]) -> None:
    """Let the search worker finish and its results reach the table."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_rows(screen: BrowseScreen) -> list[list[str]]:
    table: DataTable[str] = screen.table
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def status(screen: BrowseScreen) -> str:
    return str(screen.query_one("#status", Static).render())


async def test_typing_a_query_narrows_the_table(collection: Collection, clock: FakeClock) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        assert len(table_rows(screen)) == 5
        await pilot.press(*"hessian", "enter")
        await settle(pilot)
        assert [row[1] for row in table_rows(screen)] == [
            "What is the Hessian?",
            "When is the Hessian symmetric?",
        ]
        assert status(screen) == "2 cards match"
        assert screen.table.has_focus


async def test_the_query_it_opens_with_is_applied(collection: Collection, clock: FakeClock) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot, 'deck:"Physics"')
        assert {row[0] for row in table_rows(screen)} == {"Physics"}
        # Settled means settled: no second search of the same text is still to come
        # (it used to land a quarter second later, racing the snapshot tests).
        assert not screen.search_pending


async def test_typing_schedules_one_search_for_the_pause(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press(*"hess")
        assert screen.search_pending
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        assert not screen.search_pending  # back to the text already searched


async def test_a_bad_query_explains_itself_and_keeps_the_table(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press(*"colour:red", "enter")
        await settle(pilot)
        assert "valid keys are deck:, tag:, is:, kind:" in status(screen)
        assert screen.query_one("#status").has_class("-error")
        assert len(table_rows(screen)) == 5


async def test_the_preview_follows_the_highlighted_card(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot, "tag:hessian")
        await pilot.pause()
        source = screen.query_one("#preview", CardPreview).source
        assert "When is the Hessian symmetric?" in source
        assert "twice continuously differentiable" in source
        assert "\nnew\n" in source  # its schedule line


async def test_suspend_toggles_through_the_collection(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot, "deck:hessian")
        screen.table.focus()
        card_id = screen.highlighted.id if screen.highlighted else 0
        await pilot.press("s")
        await settle(pilot)
        assert collection.card(card_id).state.suspended
        assert table_rows(screen)[0][3] == "suspended"
        await pilot.press("s")
        await settle(pilot)
        assert not collection.card(card_id).state.suspended
        assert table_rows(screen)[0][3] == "new"


async def test_reset_asks_first_and_makes_the_card_new(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    card_id = collection.queue(clock(), limit=1)[0].id
    answer_card(collection, card_id, 5, clock())
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot, "-is:new")
        screen.table.focus()
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmResetScreen)
        await pilot.press("escape")
        assert not collection.card(card_id).state.is_new
        await pilot.press("r", "y")
        await settle(pilot)
        assert collection.card(card_id).state.is_new
        assert review_count(collection) == 1  # the history stays
        assert table_rows(screen) == []


async def test_edit_saves_through_the_collection_and_refreshes(
    collection: Collection, clock: FakeClock
) -> None:
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot, "deck:hessian")
        screen.table.focus()
        card_id = screen.highlighted.id if screen.highlighted else 0
        await pilot.press("e")
        modal = app.screen
        assert isinstance(modal, EditCardScreen)
        modal.query_one("#back", TextArea).text = "The square matrix of second partials."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert collection.card(card_id).card.back == "The square matrix of second partials."
        assert "second partials" in screen.query_one("#preview", CardPreview).source


async def test_pages_move_with_the_bracket_keys(collection: Collection, clock: FakeClock) -> None:
    fill(collection, clock, make_deck("Big", n=PAGE_SIZE + 5))
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        screen.table.focus()
        assert len(table_rows(screen)) == PAGE_SIZE
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert table_rows(screen)[0][1] == f"Big question {PAGE_SIZE}"
        assert "showing 201-205" in status(screen)
        await pilot.press("right_square_bracket")  # no page after the last
        await settle(pilot)
        assert len(table_rows(screen)) == 5
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert len(table_rows(screen)) == PAGE_SIZE


async def test_an_empty_collection_says_what_to_do(
    collection: Collection, clock: FakeClock
) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browse(pilot)
        assert "no cards yet" in status(screen)
        await pilot.press("e", "s", "r")  # nothing to act on: no modal, no error
        assert app.screen is screen


async def test_escape_goes_back(collection: Collection, clock: FakeClock) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        await open_browse(pilot)
        await pilot.press("escape")
        assert app.screen is home


class GatedClock(FakeClock):
    """A clock that holds worker threads until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self) -> datetime:
        if threading.current_thread() is not threading.main_thread():
            self.gate.wait(timeout=10)
        return super().__call__()


async def test_leaving_during_a_search_drops_its_results(collection: Collection) -> None:
    clock = GatedClock()
    fill(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        await open_browse(pilot)
        clock.gate.clear()
        await pilot.press(*"hessian", "enter", "escape")
        clock.gate.set()
        await settle(pilot)
        assert app.screen is home
        assert app.is_running
