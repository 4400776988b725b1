"""`flashcards stats`: reviews today, retention and cards by state."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.common import open_for, print_json, table
from flashcards.storage.reports import Summary, summary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("stats", help="reviews today, retention, cards by state")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_for(args) as collection:
        result = summary(collection, clock.now())
    if args.json:
        print_json(result.to_dict())
    else:
        print(render(result))
    return 0


def render(result: Summary) -> str:
    retention = "n/a" if result.retention_30d is None else f"{result.retention_30d:.0%}"
    rows = [
        ["Reviews today", str(result.reviews_today)],
        ["Time today", f"{result.minutes_today} min"],
        ["Reviews in all", str(result.reviews_total)],
        ["Retention (30 days)", retention],
        ["Due today", str(result.due_today)],
        ["Cards", str(result.cards_total)],
        ["  new", str(result.cards_new)],
        ["  young (< 21 days)", str(result.cards_young)],
        ["  mature (>= 21 days)", str(result.cards_mature)],
        ["  suspended", str(result.cards_suspended)],
        ["  buried", str(result.cards_buried)],
        ["  leeches", str(result.cards_leech)],
    ]
    return table(rows)
