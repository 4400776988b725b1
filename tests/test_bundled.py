"""The bundled decks: loaded on first run, updated later without losing reviews."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.bundled import (
    apply_updates,
    bundled_decks,
    install_bundled,
    pending_updates,
)
from flashcards.cli import main
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import BUNDLED_MARK

from support import FakeClock, review_count


def test_a_new_collection_holds_every_bundled_card(
    collection: Collection, clock: FakeClock
) -> None:
    install_bundled(collection, clock())
    expected = sum(len(deck.cards) for deck in bundled_decks())
    assert collection.card_count() == expected >= 80
    assert pending_updates(collection) == []


def test_an_edited_bundled_deck_is_offered_and_updates_keep_history(
    collection: Collection, clock: FakeClock
) -> None:
    decks = bundled_decks()
    old = decks[0]
    # The collection holds last version's copy: one card worded differently, one card fewer.
    first = dataclasses.replace(old.cards[0], front=old.cards[0].front + " (old wording)")
    import_decks(collection, [dataclasses.replace(old, cards=(first, *old.cards[2:]))], clock())
    assert pending_updates(collection) == []  # never took the bundled decks: nothing offered
    collection.set_meta(BUNDLED_MARK, "1")
    card = collection.queue(clock(), limit=1)[0]
    answer_card(collection, card.id, 5, clock())
    updates = pending_updates(collection)
    assert old.external_id in [update.deck.external_id for update in updates]
    report = apply_updates(collection, updates, clock())
    mine = next(d for d in report.decks if d.name == old.name)
    assert (mine.updated, mine.added) == (1, 1)
    assert collection.card(card.id).card.front == old.cards[0].front
    assert review_count(collection) == 1 and not collection.card(card.id).state.is_new
    assert pending_updates(collection) == []


def test_update_content_command_previews_then_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: FakeClock
) -> None:
    db = tmp_path / "c.sqlite3"
    main(["--db", str(db), "decks"])
    assert main(["--db", str(db), "update-content"]) == 0
    assert "up to date" in capsys.readouterr().out
    old = bundled_decks()[1]
    with Collection(db) as collection:
        import_decks(collection, [dataclasses.replace(old, cards=old.cards[1:])], clock())
    assert main(["--db", str(db), "update-content"]) == 0
    out = capsys.readouterr().out
    assert "1 back in the file again" in out and "--apply" in out
    assert main(["--db", str(db), "update-content", "--apply"]) == 0
    assert main(["--db", str(db), "update-content"]) == 0
    assert "up to date" in capsys.readouterr().out
