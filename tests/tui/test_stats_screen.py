"""The Statistics screen with a history, with cards but no answers, and with nothing."""

from __future__ import annotations

from datetime import date, timedelta

from textual.pilot import Pilot
from textual.widgets import Static

from flashcards.answering import answer_card
from flashcards.clock import study_day
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.stats import NO_CARDS, NO_REVIEWS, StatsScreen
from flashcards.tui.widgets.plots import (
    HBLOCKS,
    BarChart,
    CalendarHeatmap,
    HorizontalBars,
    Line,
    bar_lines,
    calendar_lines,
    hbar_lines,
    percent,
)

from support import FakeClock, make_deck


def study_three_days(collection: Collection, clock: FakeClock) -> None:
    """Day 1: four new cards, three right first time; day 3: two of them again, both right."""
    import_decks(collection, [make_deck(n=10)], clock())
    for quality in (5, 4, 2, 5):
        answer_card(collection, collection.queue(clock(), limit=1)[0].id, quality, clock())
    clock.advance(days=2)
    for card in collection.queue(clock(), limit=10)[:2]:
        answer_card(collection, card.id, 4, clock())


async def open_stats(pilot: Pilot[None]) -> StatsScreen:
    screen = StatsScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(screen: StatsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_plots_show_the_history(collection: Collection, clock: FakeClock) -> None:
    first_day = study_day(clock())
    study_three_days(collection, clock)
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_stats(pilot)
        calendar = dict(screen.query_one("#calendar", CalendarHeatmap).days)
        statistics = screen.statistics
        assert statistics is not None
        assert [day.count for day in statistics.reviews[-3:]] == [4, 0, 2]
        assert sum(calendar.values()) == 6
        assert "6 answers on 2 of 90 days" in text(screen, "#reviews-caption")
        assert "Today 2 answers" in text(screen, "#headline")
        forecast = screen.query_one("#forecast-chart", BarChart).values
        assert len(forecast) == 30
        assert sum(v or 0 for v in forecast) == 4  # every studied card is due again
        assert statistics.retention[-1].answered == 6  # both days fall in one week
        assert statistics.retention[-1].right == 5
        states = dict(screen.query_one("#states-chart", HorizontalBars).items)
        assert states["new"] == 6
        assert states["young (< 21 d)"] == 4
        assert study_day(clock()) == first_day + 2


async def test_no_answers_yet_says_how_to_start(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=3)], clock())
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert text(screen, "#headline") == NO_REVIEWS
        assert text(screen, "#reviews-caption") == "No answers in the last 90 days."
        assert "No graded reviews" in text(screen, "#retention-caption")
        retention = screen.query_one("#retention-chart", BarChart).values
        assert set(retention) == {None}  # drawn as "no data", not as 0 %


async def test_an_empty_collection_says_to_import(collection: Collection, clock: FakeClock) -> None:
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert text(screen, "#headline") == NO_CARDS
        assert not screen.query_one("#plots").loading


async def test_reload_picks_up_new_answers(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=3)], clock())
    app = FlashcardsApp(collection, clock=clock, seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        answer_card(collection, collection.queue(clock(), limit=1)[0].id, 5, clock())
        await pilot.press("r")
        await settle(pilot)
        assert "Today 1 answers" in text(screen, "#headline")
        await pilot.press("escape")
        assert app.screen is not screen


def drawn(lines: list[Line]) -> list[str]:
    return ["".join(cell.text for cell in line) for line in lines]


def test_a_small_count_still_shows_next_to_a_large_one() -> None:
    rows = drawn(bar_lines([1000, 1, 0], ["", "", ""], width=40, rows=4))
    baseline_row = rows[3]
    tall, short = baseline_row.split("│")[1].split()
    assert set(tall) == {"█"}
    assert set(short) == {"▁"}  # 1 of 1000 rounds to nothing, but shows as an eighth


def test_days_without_data_are_dots_not_zero_bars() -> None:
    rows = drawn(bar_lines([None, 0.5], ["a", "b"], width=30, rows=2, top=1.0, fmt=percent))
    assert rows[0].startswith("100% ┤")
    assert "·" in rows[1] and "█" in rows[1]
    assert rows[-1].split() == ["a", "b"]


def test_bars_that_do_not_fit_are_cut_with_an_ellipsis() -> None:
    rows = drawn(bar_lines(list(range(1, 101)), [], width=30, rows=3))
    assert rows[-2].endswith("…")
    assert all(len(row) <= 30 for row in rows)


def test_the_calendar_has_a_row_per_weekday_and_shades_by_count() -> None:
    monday = date(2026, 11, 16)
    days = [(monday + timedelta(days=i), count) for i, count in enumerate([0, 1, 2, 3, 4, 8, 8])]
    rows = drawn(calendar_lines(days))
    assert [row[:3] for row in rows[1:8]] == ["Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun"]
    assert [row.split()[-1] for row in rows[1:8:2]] == ["·", "░░", "▒▒", "██"]


def test_horizontal_bars_scale_to_the_largest_count() -> None:
    rows = drawn(hbar_lines([("new", 10), ("young", 5), ("leech", 0)], width=30))
    bars = [row.split()[-1] if row.split()[-1] != "0" else "" for row in rows]
    eighths = [8 * bar.count("█") + sum(HBLOCKS.index(c) for c in bar if c != "█") for bar in bars]
    assert eighths[0] == 2 * eighths[1]
    assert eighths[2] == 0
