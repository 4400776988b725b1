"""A separate process that studies or imports, for the crash and concurrency suites.

`review DB START_MS SEED [SECONDS]` answers cards in a loop through the normal
StudySession, printing each review id only after its commit returned.
`import DB DECK_YAML SECONDS` re-imports a deck over and over, alternating its
content, printing one line per finished import.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flashcards.model import Card, CardKind, Deck
from flashcards.session import StudySession
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

GRADES = (0, 1, 2, 3, 4, 4, 4, 5, 5)


class SteppingClock:
    """Moves 40 minutes per reading, so sessions cross study days quickly."""

    def __init__(self, start_ms: int) -> None:
        self.current = datetime.fromtimestamp(start_ms / 1000, tz=UTC)

    def __call__(self) -> datetime:
        self.current += timedelta(minutes=40)
        return self.current


def review(db: Path, start_ms: int, seed: int, seconds: float) -> None:
    rng = random.Random(seed)
    clock = SteppingClock(start_ms)
    deadline = time.monotonic() + seconds
    with Collection(db) as collection:
        session = StudySession(collection, clock)
        while time.monotonic() < deadline:
            if session.current is None:
                clock.current += timedelta(days=1)
                session = StudySession(collection, clock)
                continue
            result = session.answer(rng.choice(GRADES))
            print(result.review_id, flush=True)


def deck(version: int, size: int = 60) -> Deck:
    cards = tuple(
        Card(f"card-{i}", CardKind.BASIC, f"Question {i} (v{version})", f"Answer {i}")
        for i in range(size + version % 2 * 5)
    )
    return Deck("reliability", "Reliability", cards=cards)


def importer(db: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    version = 0
    with Collection(db) as collection:
        while time.monotonic() < deadline:
            version += 1
            import_decks(collection, [deck(version)], datetime.now(UTC))
            print(version, flush=True)


def main(argv: list[str]) -> None:
    mode, db = argv[0], Path(argv[1])
    if mode == "review":
        seconds = float(argv[4]) if len(argv) > 4 else 3600.0
        review(db, int(argv[2]), int(argv[3]), seconds)
    elif mode == "import":
        importer(db, float(argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
