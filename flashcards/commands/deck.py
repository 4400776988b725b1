"""`flashcards deck config DECK`: a deck's scheduler, desired retention and daily limits.

With no change options it prints the settings; with some it applies them
through `flashcards.deck_config` (which decides, validates and switches) and
says what happened. The core is imported inside `run`: registering the command
for `--help` stays cheap.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from flashcards.errors import UserError

if TYPE_CHECKING:
    from flashcards.model import DeckSettings
    from flashcards.storage.collection import Collection

RESCHEDULE_HINT = "use --reschedule"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deck",
        help="show or change one deck's settings (scheduler, retention, daily limits)",
        description="Settings of one deck.",
    )
    actions = p.add_subparsers(dest="deck_command", metavar="{config}", required=True)
    config = actions.add_parser(
        "config",
        help="show or change a deck's scheduler, desired retention and daily limits",
        description="Without options, print the deck's settings. With options, change them: "
        "switching to FSRS gives each studied card a memory state from its review history "
        "(or from its SM-2 ease and interval when it has none) and leaves due dates as they "
        "are unless --reschedule is given; switching back to SM-2 resumes SM-2 from the ease "
        "and interval it left.",
    )
    config.add_argument("deck", metavar="DECK", help="the deck's name (any case) or its id")
    config.add_argument(
        "--scheduler",
        type=str.lower,
        choices=("sm2", "fsrs"),
        help="sm2 (the default) or fsrs",
    )
    config.add_argument(
        "--retention",
        type=float,
        metavar="R",
        help="FSRS's desired retention: the share of reviews you aim to recall, 0.70-0.99 "
        "(default 0.9); higher means shorter intervals and more reviews",
    )
    config.add_argument("--new-per-day", type=int, metavar="N", help="new cards shown per day")
    config.add_argument("--reviews-per-day", type=int, metavar="N", help="reviews shown per day")
    config.add_argument(
        "--reschedule",
        action="store_true",
        help="with FSRS: move due dates to FSRS intervals now (default: they move as cards "
        "are reviewed)",
    )
    config.add_argument("--json", action="store_true", help="print the settings as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.commands.common import open_for, print_json
    from flashcards.deck_config import ConfigChange, configure, validate
    from flashcards.deck_wording import change_lines, settings_lines

    change = ConfigChange(
        scheduler=args.scheduler,
        desired_retention=args.retention,
        new_per_day=args.new_per_day,
        reviews_per_day=args.reviews_per_day,
        reschedule=args.reschedule,
    )
    validate(change)  # before the collection is even opened
    with open_for(args) as collection:
        before = find_deck(collection, args.deck)
        if change == ConfigChange():
            after, lines = before, settings_lines(before)
        else:
            result = configure(collection, before.deck_id, change)
            after = result.settings
            lines = change_lines(before, change, result, reschedule_hint=RESCHEDULE_HINT)
    if args.json:
        print_json(after.to_dict())
    else:
        print("\n".join(lines))
    return 0


def find_deck(collection: Collection, text: str) -> DeckSettings:
    """The deck named `text` (exact, else any case), else the deck whose id is `text`."""
    from flashcards.storage.deck_settings import deck_settings, one_deck_settings

    try:
        return one_deck_settings(collection, collection.deck_id(text))
    except UserError as missing:
        decks = deck_settings(collection)
        for same in (str.__eq__, lambda a, b: a.lower() == b.lower()):
            found = [deck for deck in decks if same(deck.external_id, text)]
            if len(found) == 1:
                return found[0]
        raise UserError(f"{missing} (or give a deck's id)") from None
