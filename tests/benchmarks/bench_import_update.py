"""Benchmark 6 of shared/WORKLOAD.md: re-importing 100,000 cards while someone studies.

Run `python tests/benchmarks/bench_import_update.py [--quick]`. It builds the
workload collection (bench_collection's builder), then times, in one run:

- adding the 100,000 cards to an empty collection (the baseline an update is
  compared with);
- updating all of them (every back changed): planning from a read snapshot, and
  applying the plan under the write lock, separately;
- a second process answering cards through `StudySession` the whole time: the
  longest and the 99th-percentile answer, which must stay under the busy
  timeout (an answer that waits past it would fail).

It prints one JSON object. `--quick` uses a 10x smaller workload.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_collection import NOW, build  # noqa: E402

from flashcards.model import Deck  # noqa: E402
from flashcards.storage.collection import Collection  # noqa: E402
from flashcards.storage.engine import BUSY_TIMEOUT_MS  # noqa: E402
from flashcards.storage.importing import apply_import, import_decks, plan_import  # noqa: E402

REVIEWER = """
import json, sys, time
from datetime import datetime, UTC
from pathlib import Path
from flashcards.session import StudySession
from flashcards.storage.collection import Collection
now = datetime(2026, 11, 23, 12, tzinfo=UTC)
waits = []
with Collection(Path(sys.argv[1])) as collection:
    session = StudySession(collection, lambda: now)
    print("ready", flush=True)
    stop = Path(sys.argv[2])
    while not stop.exists() and session.current is not None:
        started = time.perf_counter()
        session.answer(4)
        waits.append(time.perf_counter() - started)
print(json.dumps(waits))
"""


def stored_decks(db: Path) -> list[Deck]:
    """The workload's decks as stored, to re-import them changed."""
    from flashcards.storage.exporting import deck_model

    with Collection(db) as collection:
        ids = [d.deck_id for d in collection.deck_counts(NOW)]
        return [deck_model(collection, deck_id) for deck_id in ids]


def changed(decks: list[Deck]) -> list[Deck]:
    return [
        dataclasses.replace(
            deck,
            cards=tuple(dataclasses.replace(c, back=c.back + " (revised)") for c in deck.cards),
        )
        for deck in decks
    ]


def time_add(decks: list[Deck], folder: Path) -> float:
    with Collection(folder / "empty.sqlite3") as collection:
        started = time.perf_counter()
        import_decks(collection, decks, NOW)
        return time.perf_counter() - started


def time_update(db: Path, decks: list[Deck], stop: Path) -> dict[str, object]:
    reviewer = subprocess.Popen(
        [sys.executable, "-c", REVIEWER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reviewer.stdout is not None
    if reviewer.stdout.readline().strip() != "ready":
        raise SystemExit(f"the reviewer did not start: {reviewer.communicate()[1]}")
    with Collection(db) as collection:
        started = time.perf_counter()
        plan = plan_import(collection, decks)
        planned = time.perf_counter()
        report = apply_import(collection, plan, NOW)
        applied = time.perf_counter()
    stop.touch()
    out, err = reviewer.communicate(timeout=600)
    if reviewer.returncode != 0:
        raise SystemExit(f"the reviewer failed: {err}")
    waits = sorted(json.loads(out.strip().splitlines()[-1]))
    updated = sum(deck.updated for deck in report.decks)
    return {
        "update_s": round(applied - started, 2),
        "plan_s": round(planned - started, 2),
        "apply_under_lock_s": round(applied - planned, 2),
        "cards_updated": updated,
        "reviewer_answers": len(waits),
        "reviewer_answer_ms": {
            "median": round(1000 * statistics.median(waits), 2) if waits else None,
            "p99": round(1000 * waits[int(0.99 * (len(waits) - 1))], 2) if waits else None,
            "max": round(1000 * waits[-1], 2) if waits else None,
        },
        "busy_timeout_ms": BUSY_TIMEOUT_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 10x smaller workload")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "workload.sqlite3"
        build(db, scale)
        decks = stored_decks(db)
        result: dict[str, object] = {"cards": sum(len(d.cards) for d in decks)}
        result["add_s"] = round(time_add(decks, folder), 2)
        result.update(time_update(db, changed(decks), folder / "stop"))
    add, update = result["add_s"], result["update_s"]
    assert isinstance(add, float) and isinstance(update, float)
    result["update_vs_add"] = round(update / add, 2) if add else None
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
