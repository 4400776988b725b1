"""Review flows driven through the keyboard, checked against the collection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Select, select
from textual.geometry import Region
from textual.message import Message
from textual.notifications import Notify
from textual.widget import Widget
from textual.widgets import Static

from flashcards.clock import study_day
from flashcards.model import Card, CardKind, Deck, ReviewKind, ScheduleState
from flashcards.scheduling.constants import LEECH_LAPSES
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import reviews_t
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.messages import CardAnswered
from flashcards.tui.screens.decks import DecksScreen
from flashcards.tui.screens.edit import EditCardScreen
from flashcards.tui.screens.review import ReviewScreen
from flashcards.tui.screens.summary import SummaryScreen
from flashcards.tui.widgets.card_view import CardView
from flashcards.tui.widgets.grade_bar import GradeBar, GradeButton

from support import FakeClock, make_deck, review_count, stored_rows


def basic_deck(collection: Collection, clock: FakeClock, n: int = 3) -> int:
    import_decks(collection, [make_deck("Deck A", n)], clock())
    return collection.deck_id("Deck A")


def review_app(collection: Collection, clock: FakeClock, deck_id: int) -> FlashcardsApp:
    spec = StartSpec("Deck A", (deck_id,))
    return FlashcardsApp(collection, clock=clock, seed=3, start=spec)


def text_of(widget: Widget) -> str:
    """What the widget shows on screen, as plain text."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def review_screen(app: FlashcardsApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_study_a_deck_to_the_end_then_return_to_refreshed_counts(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        seen = []
        for _ in range(3):
            card = review_screen(app).current
            assert card is not None
            seen.append(card.external_id)
            await pilot.press("space", "4")
        assert seen == ["c0", "c1", "c2"]
        assert isinstance(app.screen, SummaryScreen)
        report = app.screen.report
        assert (report.reviewed, report.right_first_time, report.cards_seen) == (3, 3, 3)
        assert report.left_today == 0 and report.finished
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, DecksScreen)
        table_counts = {d.name: d.new for d in home.counts}
        assert table_counts == {"Deck A": 0}
    assert review_count(collection) == 3


async def test_grades_wait_for_the_answer_and_show_their_intervals(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        bar = app.screen.query_one(GradeBar)
        await pilot.press("4")
        assert review_count(collection) == 0
        assert not bar.display
        await pilot.press("space")
        assert bar.display
        labels = {b.grade: str(b.label) for b in bar.query(GradeButton)}
        assert labels[4].startswith("4 · 1d") and labels[0].startswith("0 · 1d")
        assert "good" in labels[4]
        await pilot.press("4")
        assert review_count(collection) == 1


async def test_each_answer_is_on_disk_before_the_next_card_shows(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("space", "5")
        with Collection(collection.path) as other:
            assert review_count(other) == 1
            assert other.card(1).state.interval_days == 1


async def test_undo_walks_back_three_answers_to_the_session_start(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    before = [collection.card(i).state for i in (1, 2, 3)]
    async with app.run_test() as pilot:
        await pilot.press("space", "4", "space", "1", "space", "5")
        assert review_count(collection) == 3
        await pilot.press("u")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.current
        assert card is not None and card.external_id == "c2"
        await pilot.press("u", "u")
        card = review_screen(app).current
        assert card is not None and card.external_id == "c0"
        await pilot.press("u")
        session = review_screen(app).session
        assert session is not None and session.done == 0
    assert review_count(collection) == 0
    assert [collection.card(i).state for i in (1, 2, 3)] == before


async def test_undo_from_the_summary_goes_back_to_the_last_card(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock, n=1)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        card = review_screen(app).current
        assert card is not None and card.external_id == "c0"
    assert review_count(collection) == 0


async def test_suspend_and_bury_take_the_card_out_of_the_session(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("s")
        card = review_screen(app).current
        assert card is not None and card.external_id == "c1"
        await pilot.press("b")
        card = review_screen(app).current
        assert card is not None and card.external_id == "c2"
    assert collection.card(1).state.suspended
    assert collection.card(2).state.buried_until is not None
    assert review_count(collection) == 0


async def test_a_choice_card_grades_itself_from_the_letter_picked(
    collection: Collection, clock: FakeClock
) -> None:
    card = Card("pick", CardKind.CHOICE, "Which is a matrix?", "H", distractors=("f", "x", "θ"))
    other = Card("pick2", CardKind.CHOICE, "Which is a number?", "3", distractors=("v", "M", "f"))
    import_decks(collection, [Deck("d", "Deck A", cards=(card, other))], clock())
    app = review_app(collection, clock, collection.deck_id("Deck A"))
    async with app.run_test() as pilot:
        view = app.screen.query_one(CardView)
        assert view.options is not None
        right = "abcd"[view.options.correct]
        await pilot.press(right)
        assert review_screen(app).suggested == 4
        assert "✓ Right" in text_of(app.screen.query_one("#card-verdict", Static))
        await pilot.press("enter")
        view = app.screen.query_one(CardView)
        assert view.options is not None
        wrong = "abcd"[(view.options.correct + 1) % 4]
        await pilot.press(wrong)
        assert review_screen(app).suggested == 1
        await pilot.press("3")
    qualities = [row.quality for row in stored_rows(collection, _log_rows())]
    assert qualities == [4, 3]


async def test_a_cloze_card_hides_only_its_own_deletion(
    collection: Collection, clock: FakeClock
) -> None:
    text = "Newton's step is {{c1::θ - H⁻¹∇f}}; it needs {{c2::the Hessian}}."
    card = Card("cz", CardKind.CLOZE, text, cloze=1)
    import_decks(collection, [Deck("d", "Deck A", cards=(card,))], clock())
    app = review_app(collection, clock, collection.deck_id("Deck A"))
    async with app.run_test() as pilot:
        front = text_of(app.screen.query_one("#card-front", Static))
        assert "[…]" in front and "the Hessian" in front and "H⁻¹" not in front
        await pilot.press("space")
        back = text_of(app.screen.query_one("#card-back", Static))
        assert "θ - H⁻¹∇f" in back


async def test_editing_saves_through_the_collection_and_shows_the_new_text(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock, n=1)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditCardScreen)
        edited = Card("c0", CardKind.BASIC, "What does SM-2 keep per card?", "EF and interval")
        editor.dismiss(edited)
        await pilot.pause()
        front = text_of(app.screen.query_one("#card-front", Static))
        assert "What does SM-2 keep per card?" in front
    assert collection.card(1).card.front == "What does SM-2 keep per card?"
    assert review_count(collection) == 0


async def test_nothing_due_says_so_and_offers_to_cram_without_touching_the_schedule(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock, n=2)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("space", "5", "space", "5")
        await pilot.press("enter")
    states = [collection.card(i).state for i in (1, 2)]
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        empty = text_of(app.screen.query_one("#review-empty", Static))
        assert "No cards due in Deck A" in empty and "c to cram" in empty
        await pilot.press("c")
        assert review_screen(app).current is not None
        await pilot.press("space", "1")
    assert [collection.card(i).state for i in (1, 2)] == states
    kinds = [row.kind for row in stored_rows(collection, _log_rows())]
    assert kinds[-1] == ReviewKind.CRAM.value


async def test_every_answer_posts_a_message_the_app_can_react_to(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    answered: list[CardAnswered] = []

    def hook(message: Message) -> None:
        # The hook sees a bubbling message once per node it reaches.
        if isinstance(message, CardAnswered) and all(m is not message for m in answered):
            answered.append(message)

    app = review_app(collection, clock, deck_id)
    async with app.run_test(message_hook=hook) as pilot:
        await pilot.press("space", "2", "space", "4")
    assert [(m.result.card_id, m.quality) for m in answered] == [(1, 2), (2, 4)]


async def test_escape_mid_session_summarises_what_was_done(
    collection: Collection, clock: FakeClock
) -> None:
    deck_id = basic_deck(collection, clock)
    app = review_app(collection, clock, deck_id)
    async with app.run_test() as pilot:
        await pilot.press("space", "3", "escape")
        assert isinstance(app.screen, SummaryScreen)
        report = app.screen.report
        assert not report.finished
        assert (report.reviewed, report.right_first_time, report.left_today) == (1, 0, 3)


def _log_rows() -> Select[tuple[int, str]]:
    return select(reviews_t.c.quality, reviews_t.c.kind).order_by(reviews_t.c.id)


async def test_a_card_that_becomes_a_leech_is_announced(
    collection: Collection, clock: FakeClock
) -> None:
    today = study_day(clock())
    worn = ScheduleState(
        repetitions=4,
        interval_days=10,
        due_day=today,
        lapses=LEECH_LAPSES - 1,
        last_review_day=today - 10,
    )
    import_decks(collection, [make_deck("Deck A", 1)], clock(), schedules={("deck-a", "c0"): worn})
    notices: list[Notify] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notices.append(message)

    app = review_app(collection, clock, collection.deck_id("Deck A"))
    async with app.run_test(message_hook=hook) as pilot:
        await pilot.press("space", "1")
    assert [n.notification.title for n in notices] == ["Leech"]
    assert collection.card(1).state.suspended and collection.card(1).state.leech
