"""The Review screen when saving fails or waits: a notice, never a traceback; nothing lost."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing

from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Static

from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.screens.review import SAVING_HINT, ReviewScreen

from support import FakeClock, make_deck, review_count


class Notices:
    """Collects the notifications the app shows."""

    def __init__(self) -> None:
        self.seen: list[Notify] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.seen.append(message)

    @property
    def titles(self) -> list[str]:
        return [n.notification.title for n in self.seen]


def studying(collection: Collection, clock: FakeClock) -> FlashcardsApp:
    import_decks(collection, [make_deck("Deck A", 3)], clock())
    spec = StartSpec("Deck A", (collection.deck_id("Deck A"),))
    return FlashcardsApp(collection, clock=clock, seed=3, start=spec)


def screen_of(app: FlashcardsApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def set_write_pragma(collection: Collection, pragma: str) -> None:
    """Change the collection's own SQLite write connection, as a real failure would find it.

    Root may write to any file, so a read-only file cannot be made here; SQLite's
    `query_only` gives the same "readonly database" error on the same path.
    """
    raw = collection._write.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA {pragma}")


async def test_a_read_only_collection_shows_a_notice_and_keeps_the_card(
    collection: Collection, clock: FakeClock
) -> None:
    app = studying(collection, clock)
    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        first = screen_of(app).current
        set_write_pragma(collection, "query_only = ON")  # SQLite: "readonly database"
        await pilot.press("space", "4")
        screen = screen_of(app)
        assert notices.titles == ["Answer not saved"]
        assert "read-only" in str(notices.seen[0].notification.message)
        assert screen.current == first and screen.session is not None
        assert screen.session.done == 0
        set_write_pragma(collection, "query_only = OFF")  # fixed: the same key saves it
        await pilot.press("4")
        assert screen.session.done == 1
    assert review_count(collection) == 1


async def wait_until_saving(pilot: Pilot[None], screen: ReviewScreen) -> None:
    """Let the app run until the answer is waiting for the lock (an event, not a timer)."""
    for _ in range(1000):
        if screen.saving:
            return
        await pilot.pause()
    raise AssertionError("the answer never started saving")


async def test_an_answer_waiting_for_the_lock_says_so_then_saves(
    collection: Collection, clock: FakeClock
) -> None:
    app = studying(collection, clock)
    async with app.run_test() as pilot:
        screen = screen_of(app)
        await pilot.press("space")
        with closing(sqlite3.connect(collection.path, isolation_level=None)) as importer:
            importer.execute("BEGIN IMMEDIATE")  # a big import holds the write lock
            press = asyncio.ensure_future(pilot.press("4"))
            await wait_until_saving(pilot, screen)
            hint = str(screen.query_one("#review-hint", Static).render())
            assert hint == SAVING_HINT
            assert not screen.check_action("grade", (4,))  # no second answer meanwhile
            importer.execute("COMMIT")  # the import finishes within the busy timeout
            await press
        assert screen.session is not None and screen.session.done == 1
        assert not screen.saving
    assert review_count(collection) == 1


async def test_a_lock_held_past_the_timeout_is_a_notice_not_a_crash(
    collection: Collection, clock: FakeClock
) -> None:
    app = studying(collection, clock)
    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        set_write_pragma(collection, "busy_timeout = 50")  # the 10 s timeout, shortened
        screen = screen_of(app)
        with closing(sqlite3.connect(collection.path, isolation_level=None)) as importer:
            importer.execute("BEGIN IMMEDIATE")
            await pilot.press("space", "4")
            importer.execute("ROLLBACK")
        assert notices.titles == ["Answer not saved"]
        assert "locked" in str(notices.seen[0].notification.message)
        assert screen.session is not None and screen.session.done == 0
        await pilot.press("4")
        assert screen.session.done == 1
    assert review_count(collection) == 1


async def test_a_card_removed_by_another_process_is_skipped_with_a_notice(
    collection: Collection, clock: FakeClock
) -> None:
    app = studying(collection, clock)
    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        screen = screen_of(app)
        gone = screen.current
        assert gone is not None
        others = make_deck("Deck A", 3)
        kept = [c for c in others.cards if c.external_id != gone.external_id]
        import_decks(
            collection,
            [others.__class__("deck-a", "Deck A", cards=tuple(kept))],
            clock(),
            prune=True,
        )
        await pilot.press("space", "4")
        assert notices.titles == ["Card gone"]
        assert screen.current is not None and screen.current.id != gone.id
    assert review_count(collection) == 0
