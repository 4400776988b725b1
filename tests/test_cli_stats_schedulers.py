"""`flashcards stats` with an FSRS deck and a stored evaluation, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flashcards import clock
from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.deck_config import ConfigChange, configure
from flashcards.scheduling.fsrs_policy import FsrsScheduler
from flashcards.storage.collection import Collection
from flashcards.storage.history import EVALUATION_KEY
from flashcards.storage.importing import import_decks

from support import make_deck

EVALUATION = {
    "reviews": 900,
    "cards": 120,
    "schedulers": {
        "sm2": {"log_loss": 0.5, "rmse_bins": 0.15},
        "fsrs_default": {"log_loss": 0.34, "rmse_bins": 0.07},
        "fsrs_optimized": {"log_loss": 0.32, "rmse_bins": 0.05},
    },
    "evaluated_ms": 1_764_000_000_000,
    "deck": "Spanish",
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        import_decks(collection, [make_deck("Spanish", n=3)], clock.now())
        configure(collection, collection.deck_id("Spanish"), ConfigChange(scheduler="fsrs"))
        card = collection.queue(clock.now(), limit=1)[0]
        answer_card(collection, card.id, 4, clock.now(), scheduler=FsrsScheduler())
    return path


def test_text_shows_the_fsrs_deck_and_the_evaluation(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Collection(db) as collection:
        collection.set_meta(EVALUATION_KEY, json.dumps(EVALUATION))
    assert main(["--db", str(db), "stats"]) == 0
    out = capsys.readouterr().out
    deck_line = next(line for line in out.splitlines() if line.startswith("Spanish"))
    assert deck_line.split() == ["Spanish", "90%", "100%", "n/a", "0"]
    assert "Evaluated on 2025-11-24: 900 reviews of 120 cards (Spanish)" in out
    assert "FSRS, fitted to you" in out and "0.320" in out


def test_json_carries_the_same(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (deck,) = data["schedulers"]["fsrs_decks"]
    assert deck["deck"] == "Spanish" and deck["cards_with_memory"] == 1
    assert deck["retrievability"] == 1.0 and deck["true_retention_30d"] is None
    assert data["schedulers"]["evaluation"] is None
    assert data["reviews_total"] == 1


def test_nothing_extra_for_sm2_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "stats"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("  leeches")
