"""`flashcards export --reviews --format fsrs`: the FSRS optimizer's revlog.csv, end to end."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import fsrs_rs_python
import pytest

from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.clock import to_epoch_ms
from flashcards.deck_config import ConfigChange, configure
from flashcards.model import ReviewKind
from flashcards.scheduling.fsrs_policy import DEFAULT_PARAMETERS, FsrsScheduler
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck

HEADER = ["card_id", "review_time", "review_rating", "review_state", "review_duration"]
DAY_MS = 86_400_000


def card_ids(collection: Collection, deck: str) -> list[int]:
    deck_id = collection.deck_id(deck)
    return sorted(card.id for card in collection.cram_queue() if card.deck_id == deck_id)


@dataclass
class Known:
    """What the fixture answered: the two cards, and when each SM-2 answer was given."""

    sm2: int
    fsrs: int
    times: list[int] = field(default_factory=list)
    fsrs_time: int = 0


@pytest.fixture
def history(tmp_path: Path, clock: FakeClock) -> tuple[Path, Known]:
    """An SM-2 card with a lapse, drills, cram and exam answers, and an FSRS deck's card."""
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        import_decks(collection, [make_deck("Sm", n=2), make_deck("Fs", n=2, prefix="f")], clock())
        configure(collection, collection.deck_id("Fs"), ConfigChange(scheduler="fsrs"))
        known = Known(card_ids(collection, "Sm")[0], card_ids(collection, "Fs")[0])
        # Day 0: new card graded 2 (a lapse), re-drilled to 4; an exam answer too.
        for grade in (2, 4):
            known.times.append(to_epoch_ms(clock()))
            answer_card(collection, known.sm2, grade, clock(), duration_ms=1200)
            clock.advance(minutes=5)
        answer_card(collection, known.sm2, 1, clock(), kind=ReviewKind.EXAM)
        fsrs = FsrsScheduler()
        known.fsrs_time = to_epoch_ms(clock())
        answer_card(collection, known.fsrs, 4, clock(), scheduler=fsrs, duration_ms=900)
        # Day 3: a due review graded 3 (Hard), re-drilled to 5; then a cram answer.
        clock.advance(days=3)
        for grade in (3, 5):
            known.times.append(to_epoch_ms(clock()))
            answer_card(collection, known.sm2, grade, clock(), duration_ms=2500)
            clock.advance(minutes=5)
        answer_card(collection, known.sm2, 5, clock(), cram=True)
        answer_card(collection, known.fsrs, 5, clock(), scheduler=fsrs)
    return path, known


def export(path: Path, out: Path) -> list[dict[str, str]]:
    assert main(["--db", str(path), "export", "--reviews", "--format", "fsrs", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        return list(reader)


def test_the_header_and_a_known_cards_rows(
    history: tuple[Path, Known], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, known = history
    rows = export(path, tmp_path / "revlog.csv")
    assert "wrote 6 reviews in the FSRS optimizer's schema" in capsys.readouterr().out
    mine = [row for row in rows if row["card_id"] == str(known.sm2)]
    # grade -> rating: 2 Again, 4 Good, 3 Hard, 5 Easy; states: New, Learning, Review, Relearning
    assert [
        (int(r["review_time"]), r["review_rating"], r["review_state"], r["review_duration"])
        for r in mine
    ] == [
        (known.times[0], "1", "0", "1200"),
        (known.times[1], "3", "1", "1200"),
        (known.times[2], "2", "2", "2500"),
        (known.times[3], "4", "3", "2500"),
    ]


def test_cram_and_exam_answers_are_left_out(history: tuple[Path, Known], tmp_path: Path) -> None:
    path, _ = history
    with Collection(path) as collection, collection.read() as conn:
        kinds = [row[0] for row in conn.exec_driver_sql("SELECT kind FROM review_log")]
    assert {"cram", "exam"} <= set(kinds)
    rows = export(path, tmp_path / "revlog.csv")
    assert len(rows) == len(kinds) - 2


def test_fsrs_rows_carry_the_rating_given(history: tuple[Path, Known], tmp_path: Path) -> None:
    path, known = history
    rows = [r for r in export(path, tmp_path / "revlog.csv") if r["card_id"] == str(known.fsrs)]
    assert [(r["review_rating"], r["review_state"]) for r in rows] == [("3", "0"), ("4", "2")]
    assert int(rows[0]["review_time"]) == known.fsrs_time
    assert rows[0]["review_duration"] == "900"


def test_a_stored_rating_wins_over_the_grade(history: tuple[Path, Known], tmp_path: Path) -> None:
    """Anki's Hard is stored as grade 3 with rating 2; the export keeps the 2."""
    path, known = history
    with Collection(path) as collection, collection.transaction() as conn:
        conn.exec_driver_sql(
            "UPDATE review_log SET rating = 2 WHERE card_id = ? AND kind = 'review'",
            (known.fsrs,),
        )
    rows = [r for r in export(path, tmp_path / "revlog.csv") if r["card_id"] == str(known.fsrs)]
    assert [r["review_rating"] for r in rows] == ["2", "2"]


def test_the_file_loads_as_fsrs_items(history: tuple[Path, Known], tmp_path: Path) -> None:
    """Grouped by card with delta_t in whole UTC days, as the optimizer reads it."""
    path, _ = history
    by_card: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in export(path, tmp_path / "revlog.csv"):
        by_card[row["card_id"]].append((int(row["review_time"]), int(row["review_rating"])))
    model = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS))
    for reviews in by_card.values():
        days = [time // DAY_MS for time, _ in reviews]
        steps = [
            fsrs_rs_python.FSRSReview(rating, day - (days[i - 1] if i else day))
            for i, ((_, rating), day) in enumerate(zip(reviews, days, strict=True))
        ]
        item = fsrs_rs_python.FSRSItem(steps)
        assert item.long_term_review_cnt() == 1
        assert model.memory_state(item).stability > 0


def test_fsrs_format_needs_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite3"
    out = tmp_path / "x.csv"
    for argv in (["export", "--format", "fsrs"], ["export", "Sm", "--format", "fsrs"]):
        assert main(["--db", str(db), *argv, "-o", str(out)]) != 0
        assert "--format fsrs writes the review log" in capsys.readouterr().err
    assert not out.exists()


def test_reviews_refuse_a_deck_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.apkg"
    argv = ["--db", str(tmp_path / "c.sqlite3"), "export", "--reviews", "--format", "apkg"]
    assert main([*argv, "-o", str(out)]) != 0
    assert "as csv or fsrs, not apkg" in capsys.readouterr().err
    assert not out.exists()
