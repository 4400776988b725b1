"""`flashcards scheduler optimize|evaluate` on a history drawn from a forgetting curve."""

from __future__ import annotations

import json
import math
import random
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from test_cli import run

from flashcards.scheduling.sm2 import review_centi
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import START, make_deck

DAY_MS = 86_400_000


def simulated_collection(path: Path, cards: int, days: int, seed: int = 11) -> None:
    """A deck studied with SM-2 for `days` days by a student whose memory follows FSRS's
    power forgetting curve, each card with its own hidden stability growth."""
    with Collection(path) as collection:
        import_decks(collection, [make_deck("Sim", n=cards)], START)
        ids = [row[0] for row in collection_ids(path)]
    rng = random.Random(seed)
    rows = []
    for card_id in ids:
        growth = rng.uniform(1.5, 4.0)
        stability, reps, easiness, interval = rng.uniform(0.5, 3.0), 0, 250, 0
        day, last = rng.randrange(10), None
        while day < days:
            if last is not None:
                recall = (1 + 19 / 81 * (day - last) / stability) ** -0.5
                grade = rng.choice([4, 4, 5, 3]) if rng.random() < recall else 1
            else:
                grade = rng.choice([1, 3, 4])
            stability = stability * growth if grade >= 3 else max(0.3, stability / 3)
            before = (reps, easiness, interval)
            reps, easiness, interval = review_centi(reps, easiness, interval, grade)
            rows.append(
                (
                    card_id,
                    day * DAY_MS + 1,
                    day,
                    grade,
                    "review",
                    *before,
                    None,
                    reps,
                    easiness,
                    interval,
                    day + interval,
                    "{}",
                )
            )
            last, day = day, day + interval
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany(
            "INSERT INTO review_log (card_id, reviewed_ms, day, quality, duration_ms, kind, "
            "repetitions_before, easiness_before, interval_before, due_before, "
            "repetitions_after, easiness_after, interval_after, due_after, before_state) "
            "VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def collection_ids(path: Path) -> list[tuple[int]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT id FROM cards ORDER BY id").fetchall()


def scheduler(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("scheduler", *args, db=db)


def test_evaluate_judges_the_three_schedulers_and_fitted_fsrs_beats_sm2(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    simulated_collection(db, cards=150, days=400)
    done = scheduler(db, "evaluate", "--deck", "Sim", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"reviews", "cards", "schedulers"}
    assert set(result["schedulers"]) == {"sm2", "fsrs_default", "fsrs_optimized"}
    for score in result["schedulers"].values():
        assert set(score) == {"log_loss", "rmse_bins"}
        assert all(math.isfinite(v) and v >= 0 for v in score.values())
    schedulers = result["schedulers"]
    assert schedulers["fsrs_optimized"]["log_loss"] < schedulers["sm2"]["log_loss"]
    assert result["cards"] == 150 and result["reviews"] >= 512
    with closing(sqlite3.connect(db)) as conn:
        stored = conn.execute("SELECT value FROM meta WHERE key = 'scheduler_evaluation'")
        kept = json.loads(stored.fetchone()[0])
    assert kept["schedulers"] == schedulers and kept["deck"] == "Sim"
    table = scheduler(db, "evaluate")
    assert table.returncode == 0 and "FSRS, fitted to you" in table.stdout


def test_optimize_keeps_the_fitted_parameters_on_the_deck(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    simulated_collection(db, cards=120, days=300)
    done = scheduler(db, "optimize", "--deck", "Sim")
    assert done.returncode == 0, done.stderr
    assert "Fitted FSRS to" in done.stdout and "No deck uses FSRS yet" in done.stdout
    config = run("deck", "config", "Sim", "--json", db=db)
    assert config.returncode == 0, config.stderr
    settings = json.loads(config.stdout)
    assert len(settings["fsrs_parameters"]) == 21 and settings["fitted_reviews"] >= 512
    assert settings["fitted_ms"] is not None


def test_too_little_history_is_explained_not_judged(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    simulated_collection(db, cards=5, days=60)
    for action in ("evaluate", "optimize"):
        done = scheduler(db, action, "--deck", "Sim")
        assert done.returncode == 1
        assert "at least 512 are needed" in done.stderr and "Traceback" not in done.stderr
