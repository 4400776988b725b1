"""Deck options (`o` on Decks): the scheduler, desired retention and daily limits of one deck."""

from __future__ import annotations

from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Checkbox, DataTable, Input, Static

from flashcards.answering import answer_card
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import one_deck_settings
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.deck_config import DeckConfigScreen
from flashcards.tui.screens.decks import OPTIONS_KEY, DecksScreen

from support import FakeClock, make_deck


class Notices:
    """Collects the notifications the app shows."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.seen.append(str(message.notification.message))


def studied_decks(collection: Collection, clock: FakeClock) -> None:
    """Deck A with a week of answers on its 6 cards, Deck B untouched."""
    import_decks(collection, [make_deck("Deck A", 6), make_deck("Deck B", 2, prefix="b")], clock())
    deck = [collection.deck_id("Deck A")]
    start = clock.current
    clock.advance(days=-7)
    for _ in range(7):
        for card in collection.queue(clock(), deck, limit=3):
            answer_card(collection, card.id, 4, clock())
        clock.advance(days=1)
    clock.current = start


def dialog(app: FlashcardsApp) -> DeckConfigScreen:
    screen = app.screen
    assert isinstance(screen, DeckConfigScreen)
    return screen


def schedule(collection: Collection) -> list[tuple[int, int | None, int, int, int]]:
    """Every card's due day and SM-2 state: what a switch must leave alone."""
    return sorted(
        (c.id, c.state.due_day, c.state.interval_days, c.state.easiness_centi, c.state.repetitions)
        for c in collection.cram_queue()
    )


async def test_o_opens_the_selected_decks_options(collection: Collection, clock: FakeClock) -> None:
    studied_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("down", OPTIONS_KEY)
        screen = dialog(app)
        assert screen.settings.name == "Deck B"
        assert screen.query_one("#new-per-day", Input).value == "20"
        assert screen.query_one("#reviews-per-day", Input).value == "200"
        assert screen.query_one("#retention", Input).value == "0.90"
        # SM-2 deck: the FSRS-only settings are there but cannot be changed
        assert screen.query_one("#retention", Input).disabled
        assert screen.query_one("#reschedule", Checkbox).disabled
        await pilot.click("#fsrs")
        assert not screen.query_one("#retention", Input).disabled
        assert not screen.query_one("#reschedule", Checkbox).disabled


async def test_saving_fsrs_switches_the_deck_and_says_what_happened(
    collection: Collection, clock: FakeClock
) -> None:
    studied_decks(collection, clock)
    before = schedule(collection)
    notices = Notices()
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test(message_hook=notices) as pilot:
        await pilot.press(OPTIONS_KEY)
        await pilot.click("#fsrs")
        dialog(app).query_one("#retention", Input).value = "0.85"
        await pilot.click("#deck-config-save")
        await pilot.pause()
        assert isinstance(app.screen, DecksScreen)
    settings = one_deck_settings(collection, collection.deck_id("Deck A"))
    assert (settings.scheduler, settings.desired_retention) == ("fsrs", 0.85)
    assert notices.seen[-1].startswith("Deck 'Deck A' now uses FSRS (desired retention 0.85): ")
    assert "6 cards got a memory state from their review history" in notices.seen[-1]
    assert "due dates unchanged" in notices.seen[-1]
    assert schedule(collection) == before


async def test_a_lower_new_card_limit_shows_in_the_deck_list(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Deck A", 6)], clock())
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press(OPTIONS_KEY)
        dialog(app).query_one("#new-per-day", Input).value = "2"
        await pilot.click("#deck-config-save")
        await pilot.pause()
        table: DataTable[object] = app.screen.query_one("#decks-table", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == ["Deck A", "2", "0", "0", "6"]


async def test_an_out_of_range_retention_is_explained_in_the_dialog(
    collection: Collection, clock: FakeClock
) -> None:
    studied_decks(collection, clock)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press(OPTIONS_KEY)
        await pilot.click("#fsrs")
        screen = dialog(app)
        screen.query_one("#retention", Input).value = "1.5"
        await pilot.click("#deck-config-save")
        await pilot.pause()
        assert app.screen is screen
        message = str(screen.query_one("#deck-config-message", Static).render())
        assert "desired retention 1.5 is out of range" in message
        screen.query_one("#retention", Input).value = "0.9"
        blank = screen.query_one("#new-per-day", Input)
        blank.value = ""
        blank.focus()
        await pilot.press("enter")  # Enter in a field saves too
        await pilot.pause()
        assert "New cards per day: type a whole number" in str(
            screen.query_one("#deck-config-message", Static).render()
        )
    assert one_deck_settings(collection, collection.deck_id("Deck A")).scheduler == "sm2"


async def test_escape_and_an_unchanged_form_change_nothing(
    collection: Collection, clock: FakeClock
) -> None:
    studied_decks(collection, clock)
    notices = Notices()
    before = one_deck_settings(collection, collection.deck_id("Deck A"))
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test(message_hook=notices) as pilot:
        await pilot.press(OPTIONS_KEY)
        await pilot.click("#fsrs")
        dialog(app).query_one("#new-per-day", Input).value = "1"
        await pilot.press("escape")
        assert isinstance(app.screen, DecksScreen)
        await pilot.press(OPTIONS_KEY)
        await pilot.click("#deck-config-save")
        await pilot.pause()
        assert isinstance(app.screen, DecksScreen)
    assert notices.seen == ["Nothing changed."]
    assert one_deck_settings(collection, collection.deck_id("Deck A")) == before


async def test_switching_back_to_sm2_from_the_dialog(
    collection: Collection, clock: FakeClock
) -> None:
    studied_decks(collection, clock)
    before = schedule(collection)
    notices = Notices()
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test(message_hook=notices) as pilot:
        for choice in ("#fsrs", "#sm2"):
            await pilot.press(OPTIONS_KEY)
            await pilot.click(choice)
            await pilot.click("#deck-config-save")
            await pilot.pause()
    assert "Deck 'Deck A' uses SM-2 again" in notices.seen[-1]
    assert one_deck_settings(collection, collection.deck_id("Deck A")).scheduler == "sm2"
    assert schedule(collection) == before


async def test_options_on_the_total_line_ask_for_a_deck(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Deck A", 2)], clock())
    notices = Notices()
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test(message_hook=notices) as pilot:
        await pilot.press("down", OPTIONS_KEY)
        assert isinstance(app.screen, DecksScreen)
    assert notices.seen == ["Options are per deck: select a deck's row first."]
