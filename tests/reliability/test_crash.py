"""Kill a studying process with SIGKILL at random moments; nothing committed is lost.

After every kill: `flashcards doctor` passes, every review the process reported
as committed is in the log, and each card's stored state equals a replay of its
log through the scheduler from a new card. The number of kills defaults to 50
(FLASHCARDS_CRASH_KILLS), with seeded timing, so a failure can be reproduced.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from worker import deck

from flashcards.cli import main
from flashcards.clock import to_epoch_ms
from flashcards.model import ScheduleState
from flashcards.scheduling.policy import apply_answer
from flashcards.storage.collection import Collection
from flashcards.storage.convert import state_from_json
from flashcards.storage.importing import import_decks

from support import stored_rows

WORKER = Path(__file__).with_name("worker.py")
KILLS = int(os.environ.get("FLASHCARDS_CRASH_KILLS", "50"))
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def committed_ids(output: str) -> list[int]:
    """Complete lines only: a line cut by the kill was never fully reported."""
    lines = output.split("\n")[:-1]
    return [int(line) for line in lines if line.strip()]


def last_review_ms(db: Path) -> int:
    with Collection(db) as collection:
        rows = list(stored_rows(collection, "SELECT max(reviewed_ms) FROM review_log"))
    return int(rows[0][0] or to_epoch_ms(START))


def replay_matches(db: Path) -> list[str]:
    """Cards whose stored state differs from replaying their log rows in order."""
    problems: list[str] = []
    with Collection(db) as collection:
        logs = list(
            stored_rows(
                collection,
                "SELECT card_id, day, quality, kind, before_state FROM review_log ORDER BY id",
            )
        )
        states = {card.id: card.state for card in collection.cram_queue() + _suspended(collection)}
    replayed: dict[int, ScheduleState] = {}
    for card_id, day, quality, kind, before_json in logs:
        state = replayed.get(card_id, ScheduleState())
        before = state_from_json(before_json)
        # An import suspends cards missing from its file (and back) without a log row.
        if dataclasses.replace(before, suspended=state.suspended) != state:
            problems.append(f"card {card_id}: log row's before-state differs from the replay")
        replayed[card_id] = apply_answer(before, quality, day, cram=kind == "cram").state
    for card_id, state in states.items():
        expected = replayed.get(card_id, ScheduleState())
        if not expected.leech:  # imports suspend cards missing from a file: not in the log
            expected = dataclasses.replace(expected, suspended=state.suspended)
        if expected != state:
            problems.append(f"card {card_id}: stored {state} != replayed {replayed.get(card_id)}")
    return problems


def _suspended(collection: Collection) -> list:  # type: ignore[type-arg]
    ids = [
        row[0]
        for row in stored_rows(collection, "SELECT card_id FROM schedule WHERE suspended = 1")
    ]
    return [collection.card(card_id) for card_id in ids]


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    with Collection(db) as collection:
        import_decks(collection, [deck(0, size=400)], START)
    rng = random.Random(20261123)
    reported: list[int] = []
    started = time.monotonic()
    for kill in range(KILLS):
        worker = spawn("review", str(db), str(last_review_ms(db) + 60_000), str(kill))
        # Timed from the first committed answer (an event), not from spawn: a loaded
        # machine may take seconds to import, and a kill before then tests nothing.
        assert worker.stdout is not None
        seen = [worker.stdout.readline() for _ in range(1 + rng.randrange(40))]
        assert all(line.endswith("\n") for line in seen), f"kill {kill}: worker ended early"
        worker.send_signal(signal.SIGKILL)
        out, err = worker.communicate()
        assert worker.returncode == -signal.SIGKILL, err
        round_ids = committed_ids("".join(seen) + out)
        assert round_ids, f"kill {kill}: nothing was committed before the kill"
        reported += round_ids
        assert main(["--db", str(db), "doctor"]) == 0, f"doctor failed after kill {kill}"
        with Collection(db) as collection:
            present = {row[0] for row in stored_rows(collection, "SELECT id FROM review_log")}
        missing = sorted(set(reported) - present)
        assert not missing, f"kill {kill}: committed reviews lost: {missing[:10]}"
    assert replay_matches(db) == []
    assert len(reported) > KILLS, "the worker should have answered cards between kills"
    _record("crash", kills=KILLS, reviews=len(reported), seconds=time.monotonic() - started)


def _record(name: str, **figures: float) -> None:
    """Leave the figures for tests/RELIABILITY.md (printed with -s, kept in a file)."""
    target = os.environ.get("FLASHCARDS_RELIABILITY_LOG")
    line = json.dumps({"suite": name, **{k: round(v, 2) for k, v in figures.items()}})
    print(line)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


@pytest.mark.parametrize("seconds", [4.0])
def test_a_reviewer_and_an_importer_share_one_collection(tmp_path: Path, seconds: float) -> None:
    db = tmp_path / "shared.sqlite3"
    with Collection(db) as collection:
        import_decks(collection, [deck(0, size=60)], START)
    reviewer = spawn("review", str(db), str(to_epoch_ms(START)), "7", str(seconds))
    importer = spawn("import", str(db), str(seconds))
    review_out, review_err = reviewer.communicate(timeout=120)
    import_out, import_err = importer.communicate(timeout=120)
    assert reviewer.returncode == 0, review_err
    assert importer.returncode == 0, import_err
    assert "locked" not in review_err + import_err
    answers = committed_ids(review_out)
    imports = committed_ids(import_out)
    assert answers and imports
    with Collection(db) as collection:
        log_ids = [row[0] for row in stored_rows(collection, "SELECT id FROM review_log")]
    assert sorted(log_ids) == sorted(answers), "every answer logged exactly once"
    assert replay_matches(db) == []
    _record("concurrency", seconds=seconds, answers=len(answers), imports=len(imports))
