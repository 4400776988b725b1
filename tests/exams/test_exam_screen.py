"""Taking an exam through the keyboard: answer, move around, hand in, mark, score, review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual import events

from flashcards.exams.build import CardRef, Exam, ExamItem, ItemKind, build_exam
from flashcards.exams.history import list_attempts, record_attempt
from flashcards.exams.review import Review, ReviewItem, review_lines
from flashcards.exams.scoring import NOT_ANSWERED, score_attempt
from flashcards.exams.spec import load_spec
from flashcards.model import Deck, ReviewKind
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.exam import ExamApp, ExamScreen, Phase
from flashcards.tui.screens.exam_picker import ExamPickerScreen
from flashcards.tui.screens.exam_review import ExamReviewScreen

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


async def test_a_pasted_multi_line_answer_keeps_every_row(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    """A matrix pasted on several lines is kept whole (rows joined with "; ")."""
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert screen.current.kind is ItemKind.COMPUTE
        screen.answer_box.post_message(events.Paste("1 2\n3 4"))
        await pilot.pause()
        assert screen.answer_box.value == "1 2; 3 4"
        assert screen.answers[screen.current.number] == "1 2; 3 4"


# -- issue 14: editing answers, choice input, the clock, the picker, the review ---------

SMALL = (80, 24)
LONG_SECTIONS = (
    "id: long\n"
    "title: A test exam whose sections have long titles\n"
    "minutes: 10\n"
    "sections:\n"
    "  - title: Multiple-choice questions on gradient descent and the learning rate\n"
    "    decks: [alpha]\n"
    "    kinds: [choice]\n"
    "    count: 2\n"
    "    points: 2\n"
)


def screen_text(app: ExamApp | FlashcardsApp) -> str:
    """Every row the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def status_text(app: ExamApp | FlashcardsApp) -> str:
    return screen_text(app).splitlines()[1]


def mistaken_answer(item: ExamItem) -> tuple[str, str]:
    """An answer the template's checker names as a mistake, and the mistake's name."""
    from quizzes.render import DISPLAY_DIGITS, format_value

    assert item.problem is not None and item.problem.mistakes
    mistake = item.problem.mistakes[0]
    return format_value(item.problem.answer_kind, mistake.value, DISPLAY_DIGITS), mistake.name


async def test_revisiting_an_answer_puts_the_cursor_after_it(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        await pilot.press("pagedown", "pagedown", *"descent", "pagedown", "pageup")
        assert screen.answer_box.cursor_position == len("descent")
        await pilot.press("x")
        assert screen.answer_box.value == "descentx"
        assert screen.answers[screen.current.number] == "descentx"


async def test_a_choice_item_takes_only_its_letters_or_numbers(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    first = exam.items[0]
    last = "abcd"[len(first.options) - 1]
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = exam_screen(app)
        for typed in ("e", "ce", "a b", "0", str(len(first.options) + 1)):
            await pilot.press(*typed)
            assert f"Type a letter a\u2013{last}" in status_text(app), typed
            assert screen.answers[first.number] == "", typed
            await pilot.press("enter")  # refused: the item stays, unanswered
            assert screen.current == first
            await pilot.press(*["backspace"] * len(typed))
        for typed in (first.correct_letter.upper() + ")", first.correct_letter + ".", "1"):
            await pilot.press(*typed)
            assert "Type a letter" not in status_text(app)
            assert screen.answers[first.number] == typed
            await pilot.press(*["backspace"] * len(typed))
        await pilot.press("e", "pagedown")  # moving on is allowed; the slip counts as blank
        await pilot.press("ctrl+s")
        assert phase(screen) is Phase.ANSWERING  # blanks: asked to confirm
        await pilot.press("ctrl+s", "n")
    stored = list_attempts(stocked)
    assert len(stored) == 1
    assert screen.score is not None and screen.score.results[0].feedback == NOT_ANSWERED


async def test_the_clock_shows_at_80_columns_beside_a_long_section_title(
    stocked: Collection, clock: FakeClock, write_spec: WriteSpec, decks: list[Deck]
) -> None:
    exam = build_exam(load_spec(write_spec(LONG_SECTIONS), decks), decks, 3)
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        assert "10:00 left" in status_text(app)
        await pilot.press("e")  # a choice slip adds its notice to the status line
        clock.advance(seconds=75)
        await pilot.pause(1.2)  # the one-second timer ticks
        assert "8:45 left" in status_text(app)
        assert "Type a letter" in status_text(app)


async def test_the_picker_lists_titles_with_the_id_aside(
    collection: Collection, clock: FakeClock
) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ExamPickerScreen(seed=5))
        await pilot.pause()
        shown = screen_text(app)
        assert "Quiz: critical points and curvature  critical-points-quiz" in shown
        assert "Mock exam: optimization for machine learning  mock-exam" in shown
        assert "review a past attempt" not in shown  # there are none yet


async def test_the_review_goes_through_every_item_after_the_score(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    first, second, open_item, compute = exam.items
    mistaken, mistake = mistaken_answer(compute)
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        screen = exam_screen(app)
        await pilot.press(first.correct_letter, "enter", wrong_letter(exam), "enter")
        await pilot.press(*"descent", "enter", *mistaken, "ctrl+s", "y")
        assert phase(screen) is Phase.REPORT
        await pilot.press("v")
        review = app.screen
        assert isinstance(review, ExamReviewScreen)
        assert "✓ right" in status_text(app) and f"Your answer: {first.correct_letter}" in (
            screen_text(app)
        )
        await pilot.press("pagedown")
        shown = screen_text(app)
        assert "✗ wrong" in status_text(app)
        assert f"Your answer: {wrong_letter(exam)}" in shown and f"Key: {second.answer}" in shown
        await pilot.press("n")
        shown = screen_text(app)
        assert "Key you marked against: " + open_item.answer[:20] in shown
        assert "You marked your answer right." in shown
        await pilot.press("n")
        lines = review_lines(review.current)
        assert f"Named mistake ({mistake}): " in "\n".join(lines)
        assert "Worked solution:" in lines and compute.solution[0] in lines
        await pilot.press("n")  # the last item: stays
        assert review.current.number == compute.number
        await pilot.press("p", "pageup")
        assert review.current.number == second.number
        await pilot.press("escape")
        assert app.screen is screen and phase(screen) is Phase.REPORT


async def test_the_review_shows_deck_text_as_plain_text(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    """Markup in a card stays literal and a terminal escape is made visible."""
    hostile = ReviewItem(
        number=1,
        kind=ItemKind.OPEN,
        topic="t",
        points=1,
        earned=0,
        response="[bold red]mine[/]",
        correct=False,
        question="What is [b]this[/b]?\x1b]52;c;aGk=\x07",
        key="[link=http://x]key[/link]",
    )
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ExamReviewScreen(Review("T [i]x[/i]", (hostile,))))
        await pilot.pause()
        shown = screen_text(app)
        assert "What is [b]this[/b]?" in shown and "\x1b" not in shown
        assert "Your answer: [bold red]mine[/]" in shown
        assert "Key you marked against: [link=http://x]key[/link]" in shown


async def test_a_past_attempt_reopens_from_the_picker_with_its_answers(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    first = exam.items[0]
    score = score_attempt(exam, {first.number: first.correct_letter, 3: "descent"}, {3: False})
    attempt_id = record_attempt(stocked, exam, score, started=clock(), finished=clock())
    app = FlashcardsApp(stocked, clock=clock, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ExamPickerScreen(seed=5))
        await pilot.pause()
        assert f"Short test exam  {score.earned:g}/11" in screen_text(app)
        app.screen.query_one("#exam-history-list").focus()
        await pilot.press("enter")
        review = app.screen
        assert isinstance(review, ExamReviewScreen) and review.review.attempt_id == attempt_id
        assert f"Your answer: {first.correct_letter}" in screen_text(app)
        await pilot.press("n", "n")
        assert "Your answer: descent" in screen_text(app)
        assert "You marked your answer wrong." in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ExamPickerScreen)


async def test_pgdn_moves_to_the_next_item_even_when_the_item_scrolls(
    stocked: Collection, clock: FakeClock, exam: Exam
) -> None:
    """A long worked solution makes the body scrollable; PgDn still means the next item."""
    long = ReviewItem(
        number=1,
        kind=ItemKind.COMPUTE,
        topic="t",
        points=1,
        earned=1,
        response="1",
        correct=True,
        question="Question 1",
        key="1",
        solution=tuple(f"step {n}" for n in range(40)),
    )
    review = Review("T", (long, replace(long, number=2)))
    app = ExamApp(stocked, exam, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(ExamReviewScreen(review))
        await pilot.pause()
        await pilot.press("pagedown")
        screen = app.screen
        assert isinstance(screen, ExamReviewScreen) and screen.current.number == 2
        await pilot.press("pageup")
        assert screen.current.number == 1
