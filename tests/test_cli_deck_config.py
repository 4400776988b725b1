"""`flashcards deck config`: a deck's scheduler, retention and daily limits, as a user runs it."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from flashcards import clock
from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import BUNDLED_MARK

from support import make_deck

FSRS_COLUMNS = ("stability", "fsrs_difficulty")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two decks of our own (no bundled ones); Jensen's cards studied over three weeks."""
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        collection.set_meta(BUNDLED_MARK, "1")
        now = clock.now() - timedelta(days=21)
        import_decks(
            collection,
            [make_deck("Jensen", 60, deck_id="jensen"), make_deck("Occam", 4, prefix="o")],
            now,
        )
        deck = [collection.deck_id("Jensen")]
        for day in range(21):
            moment = now + timedelta(days=day)
            for number, card in enumerate(collection.queue(moment, deck, limit=6)):
                answer_card(collection, card.id, (5, 4, 3, 2, 4)[(day + number) % 5], moment)
    return path


def config(db: Path, *args: str) -> int:
    return main(["--db", str(db), "deck", "config", *args])


def schedule_rows(db: Path) -> dict[int, dict[str, Any]]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return {row["card_id"]: dict(row) for row in conn.execute("SELECT * FROM schedule")}


def forget_log(db: Path, card_id: int) -> None:
    """Leave a card with an SM-2 state and no history, as `import --keep-schedule` does."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM review_log WHERE card_id = ?", (card_id,))


def decks_counts(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    assert main(["--db", str(db), "decks", "--json"]) == 0
    return {deck["name"]: deck for deck in json.loads(capsys.readouterr().out)}


def test_without_options_it_prints_the_settings(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(db, "jensen") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Deck", "Jensen", "(id", "jensen)"]
    assert lines[1].split() == ["Scheduler", "SM-2"]
    assert lines[2].startswith("Desired retention  0.90 (used once the deck uses FSRS)")
    assert lines[3].split() == ["New", "cards", "per", "day", "20"]
    assert lines[4].split() == ["Reviews", "per", "day", "200"]


def test_json_prints_every_setting(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert config(db, "JENSEN", "--json") == 0  # any case
    assert json.loads(capsys.readouterr().out) == {
        "deck": "Jensen",
        "id": "jensen",
        "scheduler": "sm2",
        "desired_retention": 0.9,
        "new_per_day": 20,
        "reviews_per_day": 200,
        "fsrs_parameters": None,
        "fitted_reviews": None,
        "fitted_ms": None,
    }


def test_a_deck_is_found_by_its_id_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        collection.set_meta(BUNDLED_MARK, "1")
        import_decks(collection, [make_deck("Occam's razor", 2, deck_id="occam")], clock.now())
    assert config(path, "occam", "--json") == 0
    assert json.loads(capsys.readouterr().out)["deck"] == "Occam's razor"


def test_switching_to_fsrs_and_back_changes_no_sm2_state_and_no_due_date(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = schedule_rows(db)
    studied = [card for card, row in before.items() if row["last_review_day"] is not None]
    forget_log(db, studied[0])

    assert config(db, "Jensen", "--scheduler", "fsrs") == 0
    said = capsys.readouterr().out
    assert said.startswith("Deck 'Jensen' now uses FSRS (desired retention 0.90): ")
    assert f"{len(studied) - 1} cards got a memory state from their review history" in said
    assert "1 was seeded from their SM-2 ease and interval" in said
    assert "due dates unchanged (use --reschedule" in said
    on_fsrs = schedule_rows(db)
    assert all(on_fsrs[card]["stability"] is not None for card in studied)

    assert config(db, "Jensen", "--scheduler", "sm2") == 0
    assert "uses SM-2 again" in capsys.readouterr().out
    after = schedule_rows(db)
    for rows in (on_fsrs, after):
        assert {
            card: {k: v for k, v in row.items() if k not in FSRS_COLUMNS}
            for card, row in rows.items()
        } == {
            card: {k: v for k, v in row.items() if k not in FSRS_COLUMNS}
            for card, row in before.items()
        }
    assert config(db, "Jensen", "--json") == 0
    assert json.loads(capsys.readouterr().out)["scheduler"] == "sm2"


def test_reschedule_moves_due_dates_to_fsrs_intervals(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = schedule_rows(db)
    assert config(db, "Jensen", "--scheduler", "fsrs", "--retention", "0.8", "--reschedule") == 0
    studied = sum(row["last_review_day"] is not None for row in before.values())
    assert f"{studied} cards moved to FSRS intervals" in capsys.readouterr().out
    after = schedule_rows(db)
    assert any(after[card]["due_day"] != row["due_day"] for card, row in before.items())


def test_retention_on_an_sm2_deck_is_kept_for_later(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(db, "Jensen", "--retention", "0.85") == 0
    assert "Desired retention: 0.90 → 0.85 (it takes effect when the deck uses FSRS)." in (
        capsys.readouterr().out
    )
    assert config(db, "Jensen", "--scheduler", "fsrs") == 0
    assert "now uses FSRS (desired retention 0.85)" in capsys.readouterr().out


def test_the_daily_limits_change_what_decks_counts(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = decks_counts(db, capsys)["Jensen"]
    assert counts["new"] == 20 and counts["due"] > 2  # the defaults: 20 new, 200 reviews
    assert config(db, "Jensen", "--new-per-day", "3", "--reviews-per-day", "2") == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1:] == ["New cards per day: 20 → 3.", "Reviews per day: 200 → 2."]
    counts = decks_counts(db, capsys)["Jensen"]
    assert (counts["new"], counts["due"]) == (3, 2)
    assert decks_counts(db, capsys)["Occam"]["new"] == 4  # other decks keep theirs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--retention", "1.5"], "desired retention 1.5 is out of range; give a value from 0.70"),
        (["--retention", "nan"], "desired retention nan is out of range"),
        (["--new-per-day", "-1"], "--new-per-day must be from 0 to 100,000, got -1"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = schedule_rows(db)
    assert config(db, "Jensen", "--scheduler", "fsrs", *args) == 1
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert schedule_rows(db) == before
    assert config(db, "Jensen", "--json") == 0
    assert json.loads(capsys.readouterr().out)["scheduler"] == "sm2"


def test_an_unknown_scheduler_is_a_usage_error(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        config(db, "Jensen", "--scheduler", "anki")
    assert exited.value.code == 1
    assert "invalid choice: 'anki' (choose from 'sm2', 'fsrs')" in capsys.readouterr().err


def test_an_unknown_deck_is_named_with_the_decks_there_are(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(db, "Jensn", "--scheduler", "fsrs") == 1
    error = capsys.readouterr().err
    assert "no deck named 'Jensn'; decks: Jensen, Occam" in error
    assert "Traceback" not in error


def test_reschedule_on_an_sm2_deck_moves_nothing_and_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = schedule_rows(db)
    assert config(db, "Jensen", "--reschedule") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Deck 'Jensen' uses SM-2.",
        "Nothing was rescheduled: rescheduling moves due dates to FSRS intervals.",
    ]
    assert schedule_rows(db) == before
