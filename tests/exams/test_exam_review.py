"""Going back over a stored attempt: what is kept per item, old attempts, `history --open`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.exams.build import Exam, ItemKind, build_exam
from flashcards.exams.history import load_review, record_attempt
from flashcards.exams.review import NOT_STORED, review_lines, review_text
from flashcards.exams.scoring import Score, score_attempt
from flashcards.exams.spec import load_spec
from flashcards.model import Deck
from flashcards.storage.collection import Collection

from support import FakeClock

WriteSpec = Callable[[str], Path]


@pytest.fixture
def exam(write_spec: WriteSpec, decks: list[Deck], short_spec: str) -> Exam:
    return build_exam(load_spec(write_spec(short_spec), decks), decks, 21)


def graded(exam: Exam) -> Score:
    """The first choice right, the second blank, the open item marked wrong, the compute
    item answered with a mistake its template names."""
    from quizzes.render import DISPLAY_DIGITS, format_value

    first, _, open_item, compute = exam.items
    assert compute.problem is not None
    mistake = compute.problem.mistakes[0]
    typed = format_value(compute.problem.answer_kind, mistake.value, DISPLAY_DIGITS)
    answers = {first.number: first.correct_letter, open_item.number: "no idea"}
    answers[compute.number] = typed
    return score_attempt(exam, answers, {open_item.number: False})


def stored(path: Path, exam: Exam, clock: FakeClock) -> int:
    with Collection(path) as collection:
        return record_attempt(
            collection, exam, graded(exam), started=clock(), finished=clock.advance(minutes=5)
        )


def test_a_stored_attempt_keeps_each_item_as_the_student_saw_it(
    tmp_path: Path, exam: Exam, clock: FakeClock
) -> None:
    attempt_id = stored(tmp_path / "c.sqlite3", exam, clock)
    with Collection(tmp_path / "c.sqlite3") as collection:
        review = load_review(collection, attempt_id)
        assert load_review(collection, attempt_id + 1) is None
    assert review is not None and review.complete and review.title == exam.title
    first, second, open_item, compute = review.items
    assert [item.number for item in review.items] == [item.number for item in exam.items]
    assert (first.correct, first.key, first.response) == (
        True,
        exam.items[0].answer,
        exam.items[0].correct_letter,
    )
    assert second.correct is False and second.response == ""
    assert open_item.kind is ItemKind.OPEN and open_item.correct is False
    assert open_item.key == exam.items[2].answer
    assert compute.mistake and compute.solution == exam.items[3].solution
    assert exam.items[3].question in compute.question
    assert review.earned == exam.items[0].points


def test_an_attempt_stored_before_schema_4_keeps_its_answers_and_says_what_is_missing(
    tmp_path: Path, exam: Exam, clock: FakeClock
) -> None:
    path = tmp_path / "c.sqlite3"
    attempt_id = stored(path, exam, clock)
    with closing(sqlite3.connect(path)) as conn, conn:  # back to a version-3 file
        conn.execute("ALTER TABLE exam_items DROP COLUMN review")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Collection(path) as collection:  # upgrades the file
        review = load_review(collection, attempt_id)
    assert review is not None and not review.complete
    assert [item.response for item in review.items] == [
        exam.items[0].correct_letter,
        "",
        "no idea",
        graded(exam).results[3].response,
    ]
    assert [item.correct for item in review.items] == [True, False, False, False]
    text = review_text(review)
    assert NOT_STORED in text and "Your answer: no idea" in text
    assert "Key" not in "\n".join(review_lines(review.items[0]))


def test_history_open_prints_the_review_and_refuses_an_unknown_id(
    tmp_path: Path, exam: Exam, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.sqlite3"
    attempt_id = stored(db, exam, clock)
    assert main(["--db", str(db), "exam", "history"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[0] == str(attempt_id)
    assert main(["--db", str(db), "exam", "history", "--open", str(attempt_id)]) == 0
    out = capsys.readouterr().out
    compute = graded(exam).results[3]
    assert f"Your answer: {exam.items[0].correct_letter}" in out
    assert f"Key you marked against: {exam.items[2].answer}" in out
    assert "You marked your answer wrong." in out
    assert f"Named mistake ({compute.mistake}): " in out and "Worked solution:" in out
    assert NOT_STORED not in out
    assert main(["--db", str(db), "exam", "history", "--open", "99"]) == 1
    assert "no exam attempt with ID 99" in capsys.readouterr().err
