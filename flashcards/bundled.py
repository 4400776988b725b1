"""The bundled content base: loaded into a new collection, updated on request.

Updates go through the normal import path, so edited bundled cards keep their
schedule and history. A deck's stored content hash tells whether the copy
shipped with this version differs from what the collection holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flashcards.model import Deck
from flashcards.paths import bundled_content_dir
from flashcards.storage.collection import Collection
from flashcards.storage.importing import (
    ImportReport,
    deck_hash,
    import_decks,
    import_with_backup,
)
from flashcards.storage.tables import BUNDLED_MARK


def bundled_decks() -> list[Deck]:
    from flashcards.decks.yaml_deck import load_decks
    from quizzes.registry import check_params, names

    return load_decks([bundled_content_dir()], known_generators=names(), check_params=check_params)


def install_bundled(collection: Collection, now: datetime) -> ImportReport:
    """Load every bundled deck (used on a brand-new collection)."""
    return import_decks(collection, bundled_decks(), now, origin="bundled")


@dataclass(frozen=True)
class BundledUpdate:
    deck: Deck
    installed: bool  # False: the deck is new in this version


def pending_updates(collection: Collection) -> list[BundledUpdate]:
    """Bundled decks whose shipped content differs from the collection's copy.

    A collection that never took the bundled decks (a test's, or one made with
    imports only) is not offered them.
    """
    if collection.meta(BUNDLED_MARK) is None:
        return []
    stored = collection.deck_hashes()
    return [
        BundledUpdate(deck, deck.external_id in stored)
        for deck in bundled_decks()
        if stored.get(deck.external_id) != deck_hash(deck)
    ]


def apply_updates(
    collection: Collection, updates: list[BundledUpdate], now: datetime, *, dry_run: bool = False
) -> ImportReport:
    """Re-import the changed bundled decks (with a backup first), or preview it."""
    decks = [update.deck for update in updates]
    if dry_run:
        return import_decks(collection, decks, now, origin="bundled", dry_run=True)
    return import_with_backup(collection, decks, now, origin="bundled")[0]
