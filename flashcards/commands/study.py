"""`flashcards` opens the app on the Decks screen; `flashcards study` opens a review.

Textual is imported inside the run functions only, so the other commands never
pay for it. A deck name is resolved before the app starts, so a typo is an
ordinary command-line error (exit 1) rather than a screen.
"""

from __future__ import annotations

import argparse

from flashcards.commands.common import open_for


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "study",
        help="open the app straight into a review",
        description="Review due cards of one deck, one tag or everything, in the app. "
        "With --cram, go through the selection now without changing the schedule.",
    )
    parser.add_argument("--deck", metavar="NAME", help="study only this deck")
    parser.add_argument("--tag", metavar="TAG", help="study only cards with this tag")
    parser.add_argument(
        "--cram", action="store_true", help="study every card of the selection; no schedule change"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.tui.app import FlashcardsApp, StartSpec

    with open_for(args) as collection:
        deck_ids = None if args.deck is None else (collection.deck_id(args.deck),)
        title = args.deck or (f"tag {args.tag}" if args.tag else "All decks")
        start = StartSpec(title, deck_ids, tag=args.tag, cram=args.cram)
        app = FlashcardsApp(collection, start=start)
        app.run()
    return app.return_code or 0


def run_home(args: argparse.Namespace) -> int:
    from flashcards.tui.app import FlashcardsApp

    with open_for(args) as collection:
        app = FlashcardsApp(collection)
        app.run()
    return app.return_code or 0
