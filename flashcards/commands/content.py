"""`flashcards update-content`: bring the bundled decks up to this version's copy."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.common import open_for


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "update-content",
        help="show or apply updates to the bundled decks (your reviews are kept)",
        description="Each version of flashcards ships its decks; this compares them with the "
        "copies in your collection and, with --apply, re-imports the changed ones. Cards keep "
        "their schedule and history; cards dropped from a bundled deck are suspended.",
    )
    parser.add_argument("--apply", action="store_true", help="import the changed decks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.bundled import apply_updates, pending_updates

    with open_for(args) as collection:
        updates = pending_updates(collection)
        if not updates:
            print("the bundled decks in your collection are up to date")
            return 0
        report = apply_updates(collection, updates, clock.now(), dry_run=not args.apply)
    from flashcards.wording import BUNDLED_PRUNE_HINT, import_lines

    for line in import_lines(report, prune_hint=BUNDLED_PRUNE_HINT):
        print(line)
    if not args.apply:
        print("run `flashcards update-content --apply` to make these changes")
    return 0
