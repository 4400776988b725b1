"""FSRS decks grade with Again / Hard / Good / Easy on keys 1-4, each with its interval."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Input, Static

from flashcards.deck_config import ConfigChange, configure
from flashcards.model import Card, CardKind, Deck, Grade
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import reviews_t
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.screens.compute import ComputePanel
from flashcards.tui.screens.review import ReviewScreen
from flashcards.tui.widgets.card_view import CardView
from flashcards.tui.widgets.grade_bar import GradeBar, format_interval
from quizzes.render import format_value

from support import FakeClock, make_deck, review_count, stored_rows


def fsrs_deck(collection: Collection, name: str) -> int:
    deck_id = collection.deck_id(name)
    configure(collection, deck_id, ConfigChange(scheduler="fsrs"))
    return deck_id


def study_all(collection: Collection, clock: FakeClock) -> FlashcardsApp:
    """ "All due": Deck A (FSRS) and Deck B (SM-2) cards take turns, c0, b0, c1, b1."""
    import_decks(collection, [make_deck("Deck A", 2), make_deck("Deck B", 2, prefix="b")], clock())
    fsrs_deck(collection, "Deck A")
    return FlashcardsApp(collection, clock=clock, seed=3, start=StartSpec())


def review_screen(app: FlashcardsApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def bar_labels(app: FlashcardsApp) -> list[str]:
    return [str(button.label) for button in app.screen.query_one(GradeBar).buttons]


def hint(app: FlashcardsApp) -> str:
    return str(app.screen.query_one("#review-hint", Static).render())


def grade_keys_in_footer(app: FlashcardsApp) -> list[str]:
    """The number keys the footer offers (a key switched off by check_action is not shown)."""
    return sorted(key for key in app.screen.active_bindings if key.isdigit())


async def test_an_fsrs_card_offers_four_buttons_with_their_intervals_and_sm2_keeps_six(
    collection: Collection, clock: FakeClock
) -> None:
    app = study_all(collection, clock)
    async with app.run_test() as pilot:
        screen = review_screen(app)
        assert screen.current is not None and screen.current.external_id == "c0"
        await pilot.press("space")
        assert screen.session is not None
        intervals = screen.session.intervals()
        assert intervals is not None and len(intervals) == 4
        assert bar_labels(app) == [
            f"{key} · {format_interval(intervals[grade])}\n{label}"
            for key, grade, label in (
                ("1", Grade.WRONG_FAMILIAR, "Again"),
                ("2", Grade.HARD, "Hard"),
                ("3", Grade.GOOD, "Good"),
                ("4", Grade.EASY, "Easy"),
            )
        ]
        assert grade_keys_in_footer(app) == ["1", "2", "3", "4"]
        assert "1-4  grade how well you recalled it" in hint(app)
        await pilot.press("3")
        assert screen.current is not None and screen.current.external_id == "b0"
        await pilot.press("space")
        assert [label.split(" ·")[0] for label in bar_labels(app)] == list("012345")
        assert bar_labels(app)[4] == "4 · 1d\ngood"
        assert grade_keys_in_footer(app) == list("012345")
        assert "0-5  grade how well you recalled it" in hint(app)
        await pilot.press("4")
        await pilot.press("space")  # back to Deck A: the bar is rebuilt with four buttons
        assert [label.split("\n")[1] for label in bar_labels(app)] == [
            "Again",
            "Hard",
            "Good",
            "Easy",
        ]


async def test_key_4_on_an_fsrs_card_stores_easy_0_or_5_store_nothing_and_a_click_grades(
    collection: Collection, clock: FakeClock
) -> None:
    app = study_all(collection, clock)
    async with app.run_test() as pilot:
        await pilot.press("space", "0", "5")
        assert review_count(collection) == 0
        card = review_screen(app).current
        assert card is not None and card.external_id == "c0"
        await pilot.press("4")
        assert review_count(collection) == 1
        await pilot.press("space", "4", "space")  # b0 (SM-2) graded good; then c1 (FSRS)
        hard = app.screen.query_one(GradeBar).buttons[1]
        await pilot.click(hard)  # a click grades like its key: Hard
        assert review_count(collection) == 3
    query = select(
        reviews_t.c.quality,
        reviews_t.c.rating,
        reviews_t.c.scheduler,
        reviews_t.c.stability_after,
    ).order_by(reviews_t.c.id)
    [easy, _, clicked] = stored_rows(collection, query)
    assert tuple(easy)[:3] == (5, 4, "fsrs") and easy.stability_after is not None
    assert tuple(clicked)[:3] == (3, 2, "fsrs")


async def test_a_choice_card_on_an_fsrs_deck_answered_right_suggests_good(
    collection: Collection, clock: FakeClock
) -> None:
    card = Card("pick", CardKind.CHOICE, "Which is a matrix?", "H", distractors=("f", "x", "θ"))
    import_decks(collection, [Deck("d", "Deck A", cards=(card,))], clock())
    deck_id = fsrs_deck(collection, "Deck A")
    app = FlashcardsApp(collection, clock=clock, seed=3, start=StartSpec("Deck A", (deck_id,)))
    async with app.run_test() as pilot:
        view = app.screen.query_one(CardView)
        assert view.options is not None
        await pilot.press("abcd"[view.options.correct])
        assert review_screen(app).suggested == Grade.GOOD
        assert "Enter  accept 3 (Good) · 1-4  another grade" in hint(app)
        lit = [
            b.choice.label for b in app.screen.query_one(GradeBar).buttons if b.variant == "primary"
        ]
        assert lit == ["Good"]
        await pilot.press("enter")
    query = select(reviews_t.c.quality, reviews_t.c.rating)
    assert [tuple(row) for row in stored_rows(collection, query)] == [(4, 3)]


async def test_a_near_miss_on_an_fsrs_compute_card_is_offered_as_again(
    collection: Collection, clock: FakeClock
) -> None:
    """The compute card suggests SM-2's 2 (near miss); an FSRS deck has no 2, so Again."""
    card = Card("drill", CardKind.COMPUTE, "A drill", generator="gd-step")
    import_decks(collection, [Deck("drills", "Drills", cards=(card,))], clock())
    deck_id = fsrs_deck(collection, "Drills")
    app = FlashcardsApp(collection, clock=clock, seed=11, start=StartSpec("Drills", (deck_id,)))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(ComputePanel)
        assert panel.drawn is not None
        problem = panel.drawn.problem
        slip = format_value(problem.answer_kind, problem.mistakes[0].value)
        for _ in range(2):
            app.screen.query_one("#compute-input", Input).value = slip
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert panel.attempt is not None and panel.attempt.suggested == Grade.WRONG_EASY
        assert review_screen(app).suggested == Grade.WRONG_FAMILIAR
        assert "Enter  accept 1 (Again) · 1-4  another grade · r  a new variant" in hint(app)
        await pilot.press("enter")
    query = select(reviews_t.c.quality, reviews_t.c.rating, reviews_t.c.scheduler)
    assert [tuple(row) for row in stored_rows(collection, query)] == [(1, 1, "fsrs")]
