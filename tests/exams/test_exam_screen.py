"""Taking an exam through the keyboard: answer, move around, hand in, mark, score, review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.exams.build import CardRef, Exam, ItemKind, build_exam
from flashcards.exams.history import list_attempts
from flashcards.exams.spec import load_spec
from flashcards.model import Deck, ReviewKind
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.exam import ExamApp, ExamPickerScreen, ExamScreen, Phase

from support import FakeClock, stored_rows

WriteSpec = Callable[[str], Path]
SIZE = (100, 40)


@pytest.fixture
def exam(write_spec: WriteSpec, decks: list[Deck], short_spec: str) -> Exam:
    return build_exam(load_spec(write_spec(short_spec), decks), decks, 21)


@pytest.fixture
def stocked(collection: Collection, clock: FakeClock, decks: list[Deck]) -> Collection:
    import_decks(collection, decks, clock())
    return collection


def exam_screen(app: ExamApp | FlashcardsApp) -> ExamScreen:
    screen = app.screen
    assert isinstance(screen, ExamScreen)
    return screen


def phase(screen: ExamScreen) -> Phase:
    """Read afresh after each key press (a plain attribute read would stay narrowed)."""
    return screen.phase


def wrong_letter(exam: Exam) -> str:
    item = exam.items[1]
    assert item.correct is not None
    return "abcd"[(item.correct + 1) % len(item.options)]


async def test_a_short_exam_from_first_key_to_stored_score_and_review(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    first, second, open_item, compute = exam.items
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press(first.correct_letter, "enter")
        await pilot.press(wrong_letter(exam), "pagedown")
        await pilot.press(*"descent", "pageup")
        assert screen.current == second and screen.answer_box.value == wrong_letter(exam)
        await pilot.press("pagedown", "pagedown")
        assert screen.current == compute and screen.answer_box.value == ""
        await pilot.press(*compute.answer)
        await pilot.press("pageup")
        assert screen.answer_box.value == "descent"
        clock.advance(minutes=4)
        await pilot.press("ctrl+s")
        assert phase(screen) is Phase.MARKING and screen.current == open_item
        assert screen.answer_box.disabled
        await pilot.press("y")
        assert phase(screen) is Phase.REPORT
        attempts = list_attempts(stocked)
        assert [(a.earned, a.possible, a.seconds) for a in attempts] == [(2 + 3 + 4, 11, 240)]
        assert [(s.name, s.earned) for s in attempts[0].sections] == [
            ("Choices", 2),
            ("Open", 3),
            ("Compute", 4),
        ]
        await pilot.press("r")
        assert screen.sent is not None and screen.sent.sent == 1
        await pilot.press("escape")
    assert isinstance(second.source, CardRef)
    rows = list(
        stored_rows(
            stocked,
            "SELECT cards.external_id, review_log.kind, review_log.quality "
            "FROM review_log JOIN cards ON cards.id = review_log.card_id",
        )
    )
    assert rows == [(second.source.card, ReviewKind.EXAM.value, 1)]
    assert app.return_code == 0


async def test_when_time_runs_out_the_answers_are_handed_in(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    first = exam.items[0]
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press(first.correct_letter)
        clock.advance(minutes=exam.minutes, seconds=1)
        await pilot.pause(1.2)  # the one-second timer notices
        assert phase(screen) is Phase.REPORT  # nothing open was answered, so nothing to mark
        assert screen.score is not None and screen.score.earned == first.points
    assert [a.earned for a in list_attempts(stocked)] == [first.points]


async def test_handing_in_with_blanks_and_leaving_early_both_ask_twice(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press("ctrl+s")
        assert phase(screen) is Phase.ANSWERING
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
    assert list_attempts(stocked) == []


async def test_marking_keys_work_only_on_answered_open_items(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press("pagedown", "pagedown", *"an answer", "ctrl+s", "ctrl+s")
        assert phase(screen) is Phase.MARKING and screen.current.kind is ItemKind.OPEN
        await pilot.press("pageup")
        await pilot.press("y")
        assert screen.marks == {} and phase(screen) is Phase.MARKING
        await pilot.press("pagedown", "n")
        assert phase(screen) is Phase.REPORT and screen.score is not None
        assert screen.score.earned == 0


async def test_the_decks_screen_picker_draws_a_bundled_exam_and_opens_it(
    collection: Collection, clock: FakeClock
) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ExamPickerScreen(seed=5))
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ExamScreen):
                break
        screen = exam_screen(app)
        assert screen.exam.seed == 5 and screen.exam.spec_id == "critical-points-quiz"
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, ExamScreen | ExamPickerScreen)
