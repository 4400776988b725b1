"""`flashcards` with no command: the home screen (for now, the due summary)."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.commands.common import open_for
from flashcards.commands.decks import render


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`study` is added with the TUI; the bare command works already."""


def run_home(args: argparse.Namespace) -> int:
    with open_for(args) as collection:
        counts = collection.deck_counts(clock.now())
    print(render(counts))
    return 0
