"""Stored attempts and sending wrong items to review, against a real collection file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.clock import study_day
from flashcards.exams.build import CardRef, Exam, ProblemRef, build_exam
from flashcards.exams.history import list_attempts, record_attempt, send_to_review
from flashcards.exams.scoring import score_attempt
from flashcards.exams.spec import load_spec
from flashcards.model import Deck, ReviewKind
from flashcards.scheduling.constants import PASS_GRADE as PASSING_QUALITY
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.screens.exam import sent_message

from support import FakeClock, newest_review_id, review_count, stored_rows

WriteSpec = Callable[[str], Path]


@pytest.fixture
def exam(write_spec: WriteSpec, decks: list[Deck], short_spec: str) -> Exam:
    return build_exam(load_spec(write_spec(short_spec), decks), decks, 4)


def card_id(collection: Collection, ref: CardRef) -> int:
    rows = stored_rows(
        collection,
        "SELECT cards.id FROM cards JOIN decks ON decks.id = cards.deck_id "
        f"WHERE decks.external_id = '{ref.deck}' AND cards.external_id = '{ref.card}'",
    )
    return int(next(iter(rows))[0])


def test_attempts_are_stored_and_listed_newest_first_with_their_subtotals(
    collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    first = score_attempt(exam, {})
    started = clock()
    record_attempt(
        collection, exam, first, started=started, finished=started + timedelta(minutes=7)
    )
    answers = {item.number: item.answer for item in exam.items}
    second = score_attempt(exam, answers, {exam.items[2].number: True})
    later = clock.advance(days=1)
    newest = record_attempt(collection, exam, second, started=later, finished=later)
    attempts = list_attempts(collection)
    assert attempts[0].id == newest
    assert [(a.earned, a.possible) for a in attempts] == [(11, 11), (0, 11)]
    assert attempts[1].seconds == 7 * 60
    assert attempts[0].sections == second.sections and attempts[0].topics == second.topics
    assert (attempts[0].spec_id, attempts[0].seed, attempts[0].variant) == ("short", 4, 1)
    assert attempts[0].to_dict()["percent"] == 100.0
    assert list_attempts(collection, limit=1)[0].id == newest


def test_each_item_is_stored_with_its_source_answer_and_verdict(
    collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    compute = exam.items[3]
    score = score_attempt(exam, {compute.number: compute.answer, exam.items[2].number: "x"})
    attempt = record_attempt(collection, exam, score, started=clock(), finished=clock())
    rows = list(
        stored_rows(
            collection,
            "SELECT number, kind, deck_external_id, template, seed, answer, correct, earned "
            f"FROM exam_items WHERE attempt_id = {attempt} ORDER BY number",
        )
    )
    assert [row[1] for row in rows] == ["choice", "choice", "open", "compute"]
    assert rows[0][2] == "alpha" and rows[0][6] == 0
    assert rows[2][5:7] == ("x", None)
    source = compute.source
    assert isinstance(source, ProblemRef)
    assert rows[3][3:] == (source.template, source.seed, compute.answer, 1, 4.0)


def test_wrong_card_items_come_back_as_lapses_logged_as_exam_reviews(
    collection: Collection, clock: FakeClock, decks: list[Deck], exam: Exam
) -> None:
    import_decks(collection, decks, clock())
    right, wrong = exam.items[0], exam.items[1]
    assert isinstance(right.source, CardRef) and isinstance(wrong.source, CardRef)
    studied = card_id(collection, wrong.source)
    answer_card(collection, studied, 5, clock())
    before = collection.card(studied).state
    clock.advance(days=before.interval_days)
    score = score_attempt(exam, {right.number: right.correct_letter, wrong.number: "zz"})
    sent = send_to_review(collection, score.results, clock())
    assert (sent.sent, sent.not_in_collection, sent.compute) == (2, (), 1)  # wrong + blank open
    after = collection.card(studied).state
    assert after.lapses == before.lapses + 1
    assert (after.interval_days, after.due_day) == (1, study_day(clock()) + 1)
    rows = list(
        stored_rows(
            collection,
            f"SELECT kind, quality, answer FROM review_log WHERE card_id = {studied} ORDER BY id",
        )
    )
    assert rows[-1][0] == ReviewKind.EXAM.value and rows[-1][1] < PASSING_QUALITY
    assert rows[-1][2] == "zz"
    untouched = collection.card(card_id(collection, right.source)).state
    assert untouched.is_new
    assert (
        collection.undo(newest_review_id(collection)) is not None
    )  # an exam lapse is undoable like any answer


def test_cards_missing_from_the_collection_are_named_not_invented(
    collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    score = score_attempt(exam, {})
    sent = send_to_review(collection, score.results, clock())
    refs = [i.source for i in exam.items if isinstance(i.source, CardRef)]
    assert sent.sent == 0
    assert sent.not_in_collection == tuple(f"{r.deck}/{r.card}" for r in refs)
    assert "not in your collection" in sent_message(sent)
    assert review_count(collection) == 0
