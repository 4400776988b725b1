"""`flashcards scheduler optimize|evaluate`: fit FSRS to your reviews, and judge the schedulers."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.common import open_for, print_json, table
from flashcards.commands.deck import find_deck


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("scheduler", help="fit FSRS to your history, or judge SM-2 and FSRS")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    optimize = actions.add_parser(
        "optimize", help="fit FSRS parameters to your reviews and keep them on the deck(s)"
    )
    optimize.add_argument("--deck", help="fit one deck's history (default: every deck's)")
    optimize.set_defaults(func=run_optimize)
    evaluate = actions.add_parser(
        "evaluate", help="log loss and RMSE(bins) of SM-2, default FSRS and fitted FSRS"
    )
    evaluate.add_argument("--deck", help="judge on one deck's history (default: every deck's)")
    evaluate.add_argument("--json", action="store_true", help="print a JSON object")
    evaluate.set_defaults(func=run_evaluate)


def run_optimize(args: argparse.Namespace) -> int:
    from flashcards.fitting import fit_decks

    with open_for(args) as collection:
        deck_id = None if args.deck is None else find_deck(collection, args.deck).deck_id
        result = fit_decks(collection, deck_id, clock.now())
    fitted = result.fitted
    names = ", ".join(deck.name for deck in result.decks)
    fsrs_decks = [deck.name for deck in result.decks if deck.scheduler == "fsrs"]
    print(
        f"Fitted FSRS to {fitted.reviews_used:,} reviews of {fitted.cards:,} cards; "
        f"the parameters are kept on: {names}."
    )
    if fsrs_decks:
        print("FSRS decks schedule with them from the next answer.")
    else:
        print("No deck uses FSRS yet: `flashcards deck config DECK --scheduler fsrs` switches one.")
    print("Parameters: " + ", ".join(f"{p:.4f}" for p in fitted.parameters))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from flashcards.fitting import judge
    from flashcards.stats import SCHEDULER_LABELS

    with open_for(args) as collection:
        deck = None if args.deck is None else find_deck(collection, args.deck)
        evaluation = judge(collection, deck, clock.now())
    if args.json:
        print_json(evaluation.to_json())
        return 0
    scope = "every deck" if deck is None else f"deck {deck.name!r}"
    print(
        f"On {evaluation.reviews:,} reviews of {evaluation.cards:,} cards ({scope}); "
        "lower is better. FSRS fitted is scored on later reviews than it was fitted on."
    )
    rows = [["Scheduler", "Log loss", "RMSE (bins)"]]
    for key, score in (
        ("sm2", evaluation.sm2),
        ("fsrs_default", evaluation.fsrs_default),
        ("fsrs_optimized", evaluation.fsrs_optimized),
    ):
        rows.append([SCHEDULER_LABELS[key], f"{score.log_loss:.4f}", f"{score.rmse_bins:.4f}"])
    print(table(rows))
    return 0
