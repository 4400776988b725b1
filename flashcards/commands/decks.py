"""`flashcards decks`: the deck list with new / due / re-drill counts."""

from __future__ import annotations

import argparse
from typing import Any

from flashcards import clock
from flashcards.commands.output import print_json, table
from flashcards.model import DeckCounts


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("decks", help="list decks with new, due and re-drill counts")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.paths import collection_path
    from flashcards.storage.deck_list import read_deck_counts

    # An up-to-date collection is read with sqlite3 alone (no SQLAlchemy import);
    # a new, older or damaged one takes the full open, which sets up or explains.
    counts = read_deck_counts(collection_path(getattr(args, "db", None)), clock.now())
    if counts is None:
        from flashcards.commands.common import open_for

        with open_for(args) as collection:
            counts = collection.deck_counts(clock.now())
    if args.json:
        print_json([deck.to_dict() for deck in counts])
    else:
        print(render(counts))
    return 0


def render(counts: list[DeckCounts]) -> str:
    if not counts:
        return "No decks yet. Add some with `flashcards import PATH`."
    rows = [["Deck", "New", "Due", "Re-drill", "Total"]]
    rows += [[d.name, str(d.new), str(d.due), str(d.redrill), str(d.total)] for d in counts]
    rows.append(["Total", *(str(sum(_value(d, key) for d in counts)) for key in _KEYS)])
    return table(rows)


_KEYS = ("new", "due", "redrill", "total")


def _value(deck: DeckCounts, key: str) -> int:
    value: Any = getattr(deck, key)
    return int(value)
