"""`flashcards export`: a deck back to a file, or the whole review log as CSV."""

from __future__ import annotations

import argparse
import csv
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.commands.common import open_for
from flashcards.errors import UserError
from flashcards.storage.collection import Collection

if TYPE_CHECKING:
    from flashcards.model import Deck, ScheduleState


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write a deck to YAML/CSV/Anki .apkg, or the review log to CSV",
        description="`export DECK --format yaml -o deck.yaml` writes a file that imports back "
        "to the same cards; `--format apkg -o deck.apkg` writes a package Anki imports; "
        "`export --reviews -o reviews.csv` writes every review; `export --reviews --format fsrs "
        "-o revlog.csv` writes them in the FSRS optimizer's schema.",
    )
    parser.add_argument("deck", nargs="?", metavar="DECK", help="deck name")
    parser.add_argument(
        "--format",
        choices=("yaml", "csv", "apkg", "fsrs"),
        help="a deck: yaml (the default), csv or apkg; --reviews: csv (the default) or "
        "fsrs (card_id, review_time, review_rating, review_state, review_duration)",
    )
    parser.add_argument(
        "--with-schedule",
        action="store_true",
        help="apkg: carry each card's due date, interval, ease, reps and lapses",
    )
    parser.add_argument("--reviews", action="store_true", help="export the review log instead")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="PATH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "fsrs" and not args.reviews:
        raise UserError(
            "--format fsrs writes the review log, not a deck: run "
            "`flashcards export --reviews --format fsrs -o revlog.csv`"
        )
    if args.reviews == bool(args.deck):
        raise UserError("name a DECK to export, or give --reviews (not both)")
    if args.with_schedule and (args.reviews or args.format != "apkg"):
        raise UserError("--with-schedule only goes with `--format apkg`")
    if args.reviews and args.format not in (None, "csv", "fsrs"):
        raise UserError(
            f"--reviews writes the review log as csv or fsrs, not {args.format}; "
            "drop --format or choose one of those"
        )
    if not args.output.parent.is_dir():
        raise UserError(f"{args.output.parent}: no such folder; create it or choose another -o")
    with open_for(args) as collection:
        if args.reviews and args.format == "fsrs":
            count = write_fsrs_reviews(collection, args.output)
            print(
                f"wrote {count} reviews in the FSRS optimizer's schema to {args.output} "
                "(cram and exam answers left out)"
            )
            return 0
        if args.reviews:
            count = write_reviews(collection, args.output)
            print(f"wrote {count} reviews to {args.output}")
            return 0
        from flashcards.storage.exporting import deck_model, deck_schedules

        deck_row = collection.deck_id(args.deck)
        deck = deck_model(collection, deck_row)
        schedules = deck_schedules(collection, deck_row) if args.with_schedule else None
    if args.format == "apkg":
        return write_apkg(deck, args.output, schedules)
    if args.format in (None, "yaml"):
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


def write_apkg(deck: Deck, path: Path, schedules: dict[str, ScheduleState] | None) -> int:
    from flashcards import clock
    from flashcards.decks.apkg_export import write_deck_apkg
    from flashcards.model import CardKind

    if all(card.kind is CardKind.COMPUTE for card in deck.cards):
        raise UserError(
            f"{deck.name} has no card Anki can show (compute cards draw a new problem each "
            "review, which needs flashcards); nothing was written"
        )
    try:
        done = write_deck_apkg(deck, path, clock.now(), schedules)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the package ({exc.strerror or exc})") from exc
    print(f"wrote {done.notes} notes ({done.cards} Anki cards) of {deck.name} to {path}")
    if schedules is not None:
        print(f"{done.scheduled} cards carry their review schedule; the rest are new in Anki")
    if done.compute_skipped:
        print(
            f"{done.compute_skipped} compute cards were left out: they draw a new problem "
            "each review, which needs flashcards"
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


def write_fsrs_reviews(collection: Collection, path: Path) -> int:
    """The review log as the FSRS optimizer's `revlog.csv`: numbers only, one row per answer."""
    from flashcards.storage.exporting import FSRS_REVIEW_FIELDS, fsrs_review_records

    count = 0
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(FSRS_REVIEW_FIELDS)
            for record in fsrs_review_records(collection):
                writer.writerow(astuple(record))
                count += 1
    except OSError as exc:
        raise UserError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
    return count
