"""What most subcommands share: opening the collection named by `--db`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from flashcards import clock
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


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def table(rows: list[list[str]], right_align_from: int = 1) -> str:
    """A plain text table; columns after the first are right-aligned numbers."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(widths[i]) if i < right_align_from else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
