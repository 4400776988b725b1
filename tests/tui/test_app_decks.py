"""The Decks screen: counts, empty states, and the ways into the other screens."""

from __future__ import annotations

import inspect
from dataclasses import replace

from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.browse import BrowseScreen
from flashcards.tui.screens.decks import EXAM_KEY, TOTAL_ROW, DecksScreen
from flashcards.tui.screens.review import ReviewScreen
from flashcards.tui.screens.stats import StatsScreen

from support import FakeClock, make_deck


def two_decks(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck("Deck A", 3), make_deck("Deck B", 2, prefix="b")], clock())


def decks_screen(app: FlashcardsApp) -> DecksScreen:
    screen = app.screen
    assert isinstance(screen, DecksScreen)
    return screen


def table_rows(app: FlashcardsApp) -> list[list[str]]:
    table: DataTable[object] = app.screen.query_one("#decks-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_table_shows_each_deck_and_a_total_line(
    collection: Collection, clock: FakeClock
) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test():
        assert table_rows(app) == [
            ["Deck A", "3", "0", "0", "3"],
            ["Deck B", "2", "0", "0", "2"],
            ["Total", "5", "0", "0", "5"],
        ]


async def test_enter_studies_the_selected_deck_and_the_counts_follow(
    collection: Collection, clock: FakeClock
) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.spec.deck_ids == (collection.deck_id("Deck B"),)
        await pilot.press("space", "4", "escape", "enter")
        assert table_rows(app)[1] == ["Deck B", "1", "0", "0", "2"]
        assert decks_screen(app).table.cursor_row == 1


async def test_enter_on_the_total_line_and_a_both_study_everything_due(
    collection: Collection, clock: FakeClock
) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("down", "down", "enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.spec.deck_ids is None
        home = app.screen_stack[0]
        assert isinstance(home, DecksScreen) and home.selected_key() == TOTAL_ROW
        await pilot.press("escape", "a")
        assert isinstance(app.screen, ReviewScreen) and app.screen.spec.deck_ids is None


async def test_an_empty_collection_says_how_to_add_decks(
    collection: Collection, clock: FakeClock
) -> None:
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        status = app.screen.query_one("#decks-status", Static)
        assert "No decks yet. Press i to import" in str(status.render())
        assert not decks_screen(app).table.display
        await pilot.press("a")
        assert isinstance(app.screen, DecksScreen)


async def test_nothing_due_offers_cram(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck("Deck A", 1)], clock())
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "5")
        await pilot.press("enter")
        status = str(app.screen.query_one("#decks-status", Static).render())
        assert status.startswith("Nothing is due right now. Press c to cram")
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.spec.cram
        assert screen.current is not None


async def test_t_crams_the_cards_of_one_tag(collection: Collection, clock: FakeClock) -> None:
    deck = make_deck("Deck A", 3)
    cards = (deck.cards[0], replace(deck.cards[1], tags=("hessian",)), deck.cards[2])
    import_decks(collection, [replace(deck, cards=cards)], clock())
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("t")
        app.screen.query_one(Input).value = "hessian"
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.spec.tag == "hessian" and screen.spec.cram
        assert screen.session is not None and screen.session.remaining == 1


async def test_browse_and_stats_keys_open_those_screens(
    collection: Collection, clock: FakeClock
) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("b")
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert screen.initial_query == 'deck:"Deck A"'
        app.pop_screen()
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)


async def test_the_command_palette_offers_every_action_of_the_screen(
    collection: Collection, clock: FakeClock
) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test():
        titles = {command.title for command in app.get_system_commands(app.screen)}
        wanted = {b.description for b in Binding.make_bindings(DecksScreen.BINDINGS)}
        assert wanted <= titles


async def test_a_palette_command_runs_its_action(collection: Collection, clock: FakeClock) -> None:
    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "All due")
        outcome = command.callback()
        if inspect.isawaitable(outcome):
            await outcome
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


def test_the_exam_key_is_bound_once() -> None:
    keys = [b.key for b in Binding.make_bindings(DecksScreen.BINDINGS)]
    assert keys.count(EXAM_KEY) == 1


async def test_the_exam_key_opens_the_exam_picker(collection: Collection, clock: FakeClock) -> None:
    from flashcards.tui.screens.exam_picker import ExamPickerScreen

    two_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=3)
    async with app.run_test() as pilot:
        await pilot.press(EXAM_KEY)
        await pilot.pause()
        assert isinstance(app.screen, ExamPickerScreen)
