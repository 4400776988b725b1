"""Time to the first compute card: from the key that opens it to its problem on screen.

Run `python tests/benchmarks/bench_first_compute.py [--repeat N] [--think S]`. Each run
is a fresh interpreter (nothing of sympy imported yet) that opens the app headless on
the Decks screen, waits `--think` seconds as a student reading the deck list would,
then opens a deck holding one compute card and one basic card and times how long the
compute problem takes to be drawn; the basic card's time is measured the same way.
Prints one JSON object with medians and min / max.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RUN = """
import asyncio, sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.screens.compute import ComputePanel
from flashcards.tui.screens.review import ReviewScreen
from flashcards.tui.widgets.card_view import CardView

think, kind = float(sys.argv[1]), sys.argv[2]
card = (Card("c", CardKind.COMPUTE, "A step", generator="hessian-classify-3d")
        if kind == "compute" else Card("b", CardKind.BASIC, "Front", "Back"))

async def main() -> float:
    folder = Path(tempfile.mkdtemp())
    with Collection(folder / "c.sqlite3") as collection:
        import_decks(collection, [Deck("d", "D", cards=(card,))], datetime.now(UTC))
        app = FlashcardsApp(collection)
        async with app.run_test() as pilot:
            await asyncio.sleep(think)  # the student reads the deck list
            started = time.perf_counter()
            await app.push_screen(ReviewScreen(StartSpec("D", (collection.deck_id("D"),))))
            while True:
                screen = app.screen
                if kind == "compute":
                    panel = screen.query_one(ComputePanel)
                    if panel.drawn is not None:
                        break
                elif screen.query_one(CardView).card is not None:
                    break
                await pilot.pause(0.001)
            return (time.perf_counter() - started) * 1000

print(asyncio.run(main()))
"""


def once(think: float, kind: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(think), kind],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(done.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--think", type=float, default=2.0, help="seconds on the deck list")
    options = parser.parse_args()
    compute = [once(options.think, "compute") for _ in range(options.repeat)]
    basic = [once(options.think, "basic") for _ in range(options.repeat)]
    print(
        json.dumps(
            {"first_compute_card_ms": spread(compute), "first_basic_card_ms": spread(basic)},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
