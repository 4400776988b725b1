"""`flashcards export`: a deck back to a file, or the whole review log as CSV."""

from __future__ import annotations

import argparse
import csv
from dataclasses import astuple
from pathlib import Path

from flashcards.commands.common import open_for
from flashcards.errors import UserError
from flashcards.storage.collection import Collection


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write a deck to YAML/CSV, or the review log to CSV",
        description="`export DECK --format yaml -o deck.yaml` writes a file that imports back "
        "to the same cards; `export --reviews -o reviews.csv` writes every review.",
    )
    parser.add_argument("deck", nargs="?", metavar="DECK", help="deck name")
    parser.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    parser.add_argument("--reviews", action="store_true", help="export the review log instead")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="PATH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.reviews == bool(args.deck):
        raise UserError("name a DECK to export, or give --reviews (not both)")
    with open_for(args) as collection:
        if args.reviews:
            count = write_reviews(collection, args.output)
            print(f"wrote {count} reviews to {args.output}")
            return 0
        from flashcards.storage.exporting import deck_model

        deck = deck_model(collection, collection.deck_id(args.deck))
    if args.format == "yaml":
        from flashcards.decks.export import write_deck_yaml

        write_deck_yaml(deck, args.output)
        print(f"wrote {len(deck.cards)} cards of {deck.name} to {args.output}")
    else:
        from flashcards.decks.export import write_deck_csv

        skipped = write_deck_csv(deck, args.output)
        print(f"wrote {len(deck.cards) - skipped} cards of {deck.name} to {args.output}")
        if skipped:
            print(
                f"{skipped} cards are not basic cards and were left out: CSV holds front/back "
                "pairs only; use --format yaml to keep every card"
            )
    return 0


def write_reviews(collection: Collection, path: Path) -> int:
    from flashcards.decks.export import escape_cell
    from flashcards.storage.exporting import REVIEW_FIELDS, review_records

    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REVIEW_FIELDS)
        for record in review_records(collection):
            writer.writerow([escape_cell(v) if isinstance(v, str) else v for v in astuple(record)])
            count += 1
    return count
