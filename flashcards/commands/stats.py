"""`flashcards stats`: reviews today, retention, cards by state, and FSRS decks' memory."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.common import open_for, print_json, table
from flashcards.stats import SchedulerReport, scheduler_report
from flashcards.storage.history import load_scheduler_history
from flashcards.storage.reports import Summary, summary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("stats", help="reviews today, retention, cards by state")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    now = clock.now()
    with open_for(args) as collection:
        result = summary(collection, now)
        schedulers = scheduler_report(load_scheduler_history(collection, now))
    if args.json:
        print_json({**result.to_dict(), "schedulers": schedulers.to_dict()})
    else:
        print(render(result))
        if not schedulers.is_empty:
            print()
            print(render_schedulers(schedulers))
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


def render_schedulers(report: SchedulerReport) -> str:
    """FSRS decks' retrievability and true retention against their target, then `evaluate`."""
    blocks = []
    if report.decks:
        rows = [["FSRS deck", "Target", "Retrievability", "True retention (30 d)", "Reviews"]]
        for deck in report.decks:
            rows.append(
                [
                    deck.deck,
                    f"{deck.desired_retention:.0%}",
                    _percent(deck.retrievability),
                    _percent(deck.true_retention),
                    str(deck.judged),
                ]
            )
        blocks.append(table(rows))
    evaluation = report.evaluation
    if evaluation is not None:
        when = "" if evaluation.evaluated is None else f" on {evaluation.evaluated.isoformat()}"
        scope = "all decks" if evaluation.deck is None else evaluation.deck
        rows = [["Scheduler", "Log loss", "RMSE(bins)"]]
        rows += [
            [
                score.label,
                f"{score.log_loss:.3f}",
                f"{score.rmse_bins:.3f}",
            ]
            for score in evaluation.scores
        ]
        blocks.append(
            f"Evaluated{when}: {evaluation.reviews} reviews of {evaluation.cards} cards "
            f"({scope}); lower is better\n" + table(rows)
        )
    return "\n\n".join(blocks)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
