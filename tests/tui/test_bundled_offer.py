"""The Decks screen offers this version's bundled decks and updates them on U."""

from __future__ import annotations

import dataclasses

from textual.widgets import Static

from flashcards.answering import answer_card
from flashcards.bundled import bundled_decks, pending_updates
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import BUNDLED_MARK
from flashcards.tui.app import FlashcardsApp

from support import FakeClock, review_count


async def test_changed_bundled_decks_are_offered_and_updated_with_history(
    collection: Collection, clock: FakeClock
) -> None:
    decks = bundled_decks()
    old = decks[0]
    older_copy = dataclasses.replace(old, cards=old.cards[1:])
    import_decks(collection, [older_copy, *decks[1:]], clock(), origin="bundled")
    collection.set_meta(BUNDLED_MARK, "1")
    card = collection.queue(clock(), limit=1)[0]
    answer_card(collection, card.id, 4, clock())
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#decks-status", Static).render())
        assert "1 bundled deck(s) changed" in status and "press U" in status
        await pilot.press("U")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "changed" not in str(app.screen.query_one("#decks-status", Static).render())
    assert pending_updates(collection) == []
    assert review_count(collection) == 1


async def test_a_collection_without_bundled_decks_is_not_nagged(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, bundled_decks()[:1], clock())
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "bundled" not in str(app.screen.query_one("#decks-status", Static).render())
