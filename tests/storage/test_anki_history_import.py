"""`flashcards import FILE.apkg --keep-schedule` brings the package's review history.

A real Anki package (see `anki_history`) is imported as a user runs it; the
review log is read back as rows. Skipped without the `anki` test extra.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.cli import main

pytest.importorskip("anki.collection")

from anki_history import GOOD, Studied, at

from support import review_count, stored_rows

ALL_REVIEWS = 8  # q0: 6, q1: 1, q2: 1 (the set-due-date row is not an answer)


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studied]:
    anki = Studied(tmp_path_factory.mktemp("anki"))
    yield anki
    anki.close()


@pytest.fixture(scope="module")
def package(studied: Studied, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return studied.export(tmp_path_factory.mktemp("pkg") / "studied.apkg")


def run(db: Path, *args: str) -> None:
    assert main(["--db", str(db), "import", *args]) == 0


def history(db: Path) -> list[tuple[str, str, int, int, str, int]]:
    """(front, kind, quality, rating, origin, origin type) of each review, oldest first."""
    rows = stored_rows(
        db,
        "SELECT c.content, r.kind, r.quality, r.rating, r.origin, r.origin_type"
        " FROM review_log r JOIN cards c ON c.id = r.card_id ORDER BY r.reviewed_ms",
    )
    return [(json.loads(content)["front"], *rest) for content, *rest in rows]


def test_keep_schedule_imports_the_review_log_with_grades_and_flags(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    run(db, str(package), "--keep-schedule")
    assert f"{ALL_REVIEWS} reviews from the package's history" in capsys.readouterr().out
    assert history(db) == [
        ("q0", "review", 1, 1, "anki", 0),  # Again -> 1, the rating kept beside it
        ("q0", "drill", 4, 3, "anki", 0),  # Good -> 4; a later learning step that day
        ("q0", "drill", 4, 3, "anki", 0),
        ("q0", "review", 4, 3, "anki", 1),
        ("q0", "review", 1, 1, "anki", 1),
        ("q0", "drill", 4, 3, "anki", 2),  # relearning step
        ("q1", "review", 3, 2, "anki", 1),  # Hard -> 3
        ("q2", "cram", 4, 3, "anki", 3),  # a preview filtered deck
    ]


def test_history_rows_carry_ankis_time_and_duration(package: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    run(db, str(package), "--keep-schedule")
    rows = stored_rows(db, "SELECT reviewed_ms, origin_id, duration_ms FROM review_log")
    assert {row[0] for row in rows} == {row[1] for row in rows}
    assert at(0) in {row[0] for row in rows}
    assert {row[2] for row in rows} == {7000}


def test_re_importing_adds_no_review_twice(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    run(db, str(package), "--keep-schedule")
    capsys.readouterr()
    run(db, str(package), "--keep-schedule", "--dry-run")
    assert "from the package's history" not in capsys.readouterr().out
    run(db, str(package), "--keep-schedule")
    out = capsys.readouterr().out
    assert "from the package's history" not in out
    # Nothing to write, so no backup pushes a useful one out of the rotation.
    assert "nothing to change" in out and "backup" not in out
    assert review_count(db) == ALL_REVIEWS


def test_a_newer_export_brings_only_the_answers_given_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anki = Studied(tmp_path / "anki")
    db = tmp_path / "c.sqlite3"
    try:
        run(db, str(anki.export(tmp_path / "one.apkg")), "--keep-schedule")
        anki.answer("q1", GOOD, at(8))
        newer = anki.export(tmp_path / "two.apkg")
    finally:
        anki.close()
    capsys.readouterr()
    run(db, str(newer), "--keep-schedule")
    assert "1 review from the package's history" in capsys.readouterr().out
    assert review_count(db) == ALL_REVIEWS + 1


def test_without_keep_schedule_no_history_is_imported(package: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    run(db, str(package))
    assert review_count(db) == 0


def test_a_dry_run_counts_the_history_and_writes_none(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    run(db, str(package), "--keep-schedule", "--dry-run")
    out = capsys.readouterr().out
    assert f"{ALL_REVIEWS} reviews from the package's history" in out
    assert "dry run: nothing was changed" in out
    assert review_count(db) == 0


def test_an_imported_history_gives_fsrs_its_memory_states(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Switching the imported deck to FSRS replays the Anki history; each kept review
    card knows the day of its last review, so FSRS can count the days since."""
    db = tmp_path / "c.sqlite3"
    run(db, str(package), "--keep-schedule")
    assert main(["--db", str(db), "deck", "config", "Default", "--scheduler", "fsrs"]) == 0
    assert "2 cards got a memory state from their review history" in capsys.readouterr().out
    last_reviews = dict(
        stored_rows(
            db,
            "SELECT r.card_id, max(r.day) FROM review_log r WHERE r.kind = 'review' "
            "GROUP BY r.card_id",
        )
    )
    for card_id, last, due, stability in stored_rows(
        db,
        "SELECT s.card_id, s.last_review_day, s.due_day, s.stability FROM schedule s "
        "JOIN decks d ON d.id = s.deck_id WHERE d.name = 'Default'",
    ):
        if due is None:
            continue  # new in Anki: FSRS starts it at its first review
        assert last == last_reviews[card_id] and stability is not None
