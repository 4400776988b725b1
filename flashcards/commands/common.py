"""What most subcommands share: opening the collection named by `--db`."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.output import print_json as print_json
from flashcards.commands.output import table as table
from flashcards.paths import collection_path
from flashcards.storage.collection import Collection, open_collection
from flashcards.storage.tables import BUNDLED_MARK


def open_for(args: argparse.Namespace, *, bootstrap: bool = True) -> Collection:
    """Open the collection; one that never had the bundled decks gets them first."""
    collection = open_collection(collection_path(getattr(args, "db", None)))
    if bootstrap and collection.meta(BUNDLED_MARK) is None:
        from flashcards.bundled import install_bundled

        try:
            install_bundled(collection, clock.now())
        except Exception:
            collection.close()
            raise
        collection.set_meta(BUNDLED_MARK, "1")
    return collection
