"""Reading an Anki package's review log, and mapping it onto this app's review log.

The package is a real one: Anki's own scheduler answered its cards (see
`anki_history`). Skipped when the `anki` test extra is not installed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.anki_history import MAX_DURATION_MS, history
from flashcards.decks.anki_package import load_anki_package
from flashcards.decks.anki_revlog import AnkiReview
from flashcards.model import Grade, ReviewKind
from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI

pytest.importorskip("anki.collection")

from anki_history import ANSWERS, CRAM, GOOD, Studied, at, study_day_of


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studied]:
    anki = Studied(tmp_path_factory.mktemp("anki"))
    yield anki
    anki.close()


@pytest.fixture(scope="module")
def package(studied: Studied, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return studied.export(tmp_path_factory.mktemp("pkg") / "studied.apkg")


def by_front(path: Path, keep_schedule: bool) -> dict[str, tuple[AnkiReview, ...]]:
    loaded = load_anki_package(path, keep_schedule=keep_schedule)
    (deck,) = loaded.decks
    fronts = {card.external_id: card.front for card in deck.cards}
    return {fronts[card]: reviews for (_, card), reviews in loaded.reviews.items()}


def test_the_package_holds_ankis_own_log_of_every_kind(studied: Studied) -> None:
    """The fixture is what it claims: Anki logged types 0-4, set due date with ease 0."""
    kinds = {kind for _, _, kind in studied.revlog()}
    assert kinds == {0, 1, 2, 3, 4}
    assert all(ease == 0 for _, ease, kind in studied.revlog() if kind == 4)


def test_keep_schedule_reads_each_cards_answers_with_their_ratings(package: Path) -> None:
    reviews = by_front(package, keep_schedule=True)
    for front in ("q0", "q1"):
        given = [(rating, at(day, minutes)) for f, rating, day, minutes in ANSWERS if f == front]
        assert [(r.rating, r.revlog_id) for r in reviews[front]] == given
    assert [r.anki_type for r in reviews["q0"]] == [0, 0, 0, 1, 1, 2]
    # "Set due date" (type 4, no rating) is not an answer: q1 keeps only its review.
    assert [r.anki_type for r in reviews["q1"]] == [1]
    assert [(r.anki_type, r.rating) for r in reviews["q2"]] == [(3, CRAM[1])]


def test_without_keep_schedule_no_history_is_read(package: Path) -> None:
    assert by_front(package, keep_schedule=False) == {}


def test_the_collection_package_carries_the_same_history(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    anki = Studied(tmp_path_factory.mktemp("colpkg"))
    path = anki.export_collection(tmp_path_factory.mktemp("out") / "all.colpkg")
    reviews = by_front(path, keep_schedule=True)
    assert {front: len(found) for front, found in reviews.items()} == {"q0": 6, "q1": 1, "q2": 1}


def test_history_kinds_grades_and_days(package: Path) -> None:
    rows = history(by_front(package, keep_schedule=True)["q0"])
    assert [row.kind for row in rows] == [
        ReviewKind.REVIEW,  # day 0, learning: first answer of the day
        ReviewKind.DRILL,  # day 0 learning steps
        ReviewKind.DRILL,
        ReviewKind.REVIEW,  # day 2
        ReviewKind.REVIEW,  # day 5: the lapse
        ReviewKind.DRILL,  # day 5 relearning step
    ]
    assert [row.grade for row in rows] == [
        Grade.WRONG_FAMILIAR,
        Grade.GOOD,
        Grade.GOOD,
        Grade.GOOD,
        Grade.WRONG_FAMILIAR,
        Grade.GOOD,
    ]
    assert [row.rating for row in rows] == [1, 3, 3, 3, 1, 3]
    assert [row.day for row in rows] == [study_day_of(row.reviewed_ms) for row in rows]
    assert rows[3].day - rows[0].day == 2
    assert {(row.origin, row.origin_id) for row in rows} == {("anki", r.reviewed_ms) for r in rows}


def test_history_before_and_after_follow_ankis_intervals(package: Path) -> None:
    reviews = by_front(package, keep_schedule=True)["q0"]
    rows = history(reviews)
    for review, row in zip(reviews, rows, strict=True):
        # Learning steps are logged in negative seconds: 0 days here.
        assert row.before.interval_days == max(0, review.last_interval)
        assert row.after.interval_days == max(0, review.interval)
        assert row.after.due_day == row.day + row.after.interval_days
    for earlier, later in itertools.pairwise(rows):
        assert later.before.easiness_centi == earlier.after.easiness_centi
    assert rows[0].before.easiness_centi == INITIAL_EASINESS_CENTI
    # SM-2's counts, kept on the day's first answers: a pass adds, Again resets and
    # on a review card (Anki type 1) is a lapse.
    assert [row.after.repetitions for row in rows] == [0, 0, 0, 1, 0, 0]
    assert [row.after.lapses for row in rows] == [0, 0, 0, 0, 1, 1]


def test_a_cram_answer_is_flagged_and_a_long_one_is_capped() -> None:
    noon = int(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC).timestamp() * 1000)
    reviews = [
        AnkiReview(noon, GOOD, 3, 0, 0, 0, 5_000),
        AnkiReview(noon + 1000, GOOD, 1, 4, 1, 2500, 3_600_000),
    ]
    cram, review = history(reviews, dt.UTC)
    assert cram.kind is ReviewKind.CRAM and cram.origin_type == 3
    # Cram does not take the day's first answer: the review after it is still one.
    assert review.kind is ReviewKind.REVIEW
    assert review.duration_ms == MAX_DURATION_MS
    assert review.after.easiness_centi == 250
