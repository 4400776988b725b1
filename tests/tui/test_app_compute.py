"""Compute cards in the Review screen: drawn, answered, checked, explained, graded."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy import select
from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from flashcards.compute import ComputeAttempt
from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.storage.tables import reviews_t
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.screens import compute as compute_screen
from flashcards.tui.screens.compute import ComputePanel
from flashcards.tui.widgets.heatmap import ABOVE_GLYPHS, BELOW_GLYPHS, POINT_GLYPH, HeatMap
from quizzes.answers import parse_matrix
from quizzes.problem import Problem
from quizzes.registry import get
from quizzes.render import format_value

from support import FakeClock, review_count, stored_rows


def compute_app(
    collection: Collection,
    clock: FakeClock,
    generator: str,
    params: Mapping[str, object] | None = None,
    seed: int = 11,
) -> FlashcardsApp:
    card = Card("drill", CardKind.COMPUTE, "A drill", generator=generator, params=params or {})
    import_decks(collection, [Deck("drills", "Drills", cards=(card,))], clock())
    spec = StartSpec("Drills", (collection.deck_id("Drills"),))
    return FlashcardsApp(collection, clock=clock, seed=seed, start=spec)


def text_of(widget: Widget) -> str:
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


async def settle(app: FlashcardsApp, pilot: Pilot[None]) -> ComputePanel:
    """Wait for the drawing or checking worker and its result on screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ComputePanel)


async def shown_problem(app: FlashcardsApp, pilot: Pilot[None]) -> tuple[ComputePanel, Problem]:
    """The panel once its problem is drawn, and that problem."""
    panel = await settle(app, pilot)
    assert panel.drawn is not None, "no problem drawn"
    return panel, panel.drawn.problem


def attempt_of(panel: ComputePanel) -> ComputeAttempt:
    assert panel.attempt is not None, "no compute card on screen"
    return panel.attempt


async def submit(app: FlashcardsApp, pilot: Pilot[None], text: str) -> ComputePanel:
    app.screen.query_one("#compute-input", Input).value = text
    await pilot.press("enter")
    return await settle(app, pilot)


def log_rows(collection: Collection) -> list[tuple[int, int | None, str | None]]:
    query = select(reviews_t.c.quality, reviews_t.c.seed, reviews_t.c.answer)
    return [tuple(row) for row in stored_rows(collection, query.order_by(reviews_t.c.id))]


async def test_a_right_answer_suggests_five_and_logs_seed_and_text(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "gd-step")
    async with app.run_test() as pilot:
        panel, problem = await shown_problem(app, pilot)
        assert problem == get("gd-step").generate(attempt_of(panel).seed, {})
        answer = format_value(problem.answer_kind, problem.expected)
        panel = await submit(app, pilot, answer)
        assert panel.finished and attempt_of(panel).suggested == 5
        verdict = text_of(app.screen.query_one("#compute-verdict", Static))
        assert "✓ Correct." in verdict
        await pilot.press("enter")
        seed = attempt_of(panel).seed
    assert log_rows(collection) == [(5, seed, answer)]


async def test_a_named_mistake_is_explained_and_the_grade_can_be_changed(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "gd-step")
    async with app.run_test() as pilot:
        panel, problem = await shown_problem(app, pilot)
        mistake = problem.mistakes[0]
        typed = format_value(problem.answer_kind, mistake.value)
        panel = await submit(app, pilot, typed)
        assert not panel.finished
        feedback = text_of(app.screen.query_one("#compute-feedback", Static))
        assert mistake.message.split(":")[0] in feedback.replace("\n", " ")
        panel = await submit(app, pilot, typed)
        assert panel.finished and attempt_of(panel).suggested == 2
        solution = text_of(app.screen.query_one("#compute-solution", Static))
        assert "Worked solution" in solution
        await pilot.press("3")
    assert [row[0] for row in log_rows(collection)] == [3]


async def test_text_that_does_not_parse_costs_no_attempt(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "gd-step")
    async with app.run_test() as pilot:
        await settle(app, pilot)
        panel = await submit(app, pilot, "downhill please")
        assert attempt_of(panel).tries == 0 and not panel.finished
        feedback = text_of(app.screen.query_one("#compute-feedback", Static))
        assert feedback.startswith("⚠ expected a vector")
        assert panel.drawn is not None
        right = panel.drawn.problem
        panel = await submit(app, pilot, format_value(right.answer_kind, right.expected))
        assert attempt_of(panel).suggested == 5


async def test_asking_for_the_solution_suggests_wrong_not_blackout(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+g")
        panel = app.screen.query_one(ComputePanel)
        assert panel.finished and attempt_of(panel).suggested == 1  # as a wrong guess, no lower
        verdict = text_of(panel.query_one("#compute-verdict", Static))
        assert "no answer was given" in verdict and "Your answer" not in verdict
        await pilot.press("enter")
    assert [row[0] for row in log_rows(collection)] == [1]


async def test_r_draws_a_new_variant_of_the_same_card(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test() as pilot:
        panel = await settle(app, pilot)
        assert panel.drawn is not None
        first_seed, first = attempt_of(panel).seed, panel.drawn.problem
        await pilot.press("escape", "r")
        panel = await settle(app, pilot)
        assert panel.drawn is not None
        assert attempt_of(panel).seed != first_seed
        assert panel.drawn.problem == get("hessian-classify-2d").generate(attempt_of(panel).seed)
        assert panel.drawn.problem.math != first.math
    assert review_count(collection) == 0


async def test_the_same_app_seed_draws_the_same_problems(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "adam-step", seed=5)
    async with app.run_test() as pilot:
        first = attempt_of(await settle(app, pilot)).seed
    again = FlashcardsApp(collection, clock=clock, seed=5, start=app.start)
    async with again.run_test() as pilot:
        assert attempt_of(await settle(again, pilot)).seed == first


async def test_the_heat_map_marks_the_critical_point_after_the_answer(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test(size=(100, 60)) as pilot:
        panel = await settle(app, pilot)
        heatmap = app.screen.query_one(HeatMap)
        result = app.screen.query_one("#compute-result")
        assert not result.display, "the map would give the answer away before it is typed"
        assert panel.drawn is not None and panel.drawn.grid is not None
        problem = panel.drawn.problem
        label = problem.expected
        assert isinstance(label, str)
        await submit(app, pilot, label)
        assert result.display and heatmap.display
        shown = text_of(heatmap)
        assert shown.count(POINT_GLYPH) >= 1
        assert problem.point is not None
        cell = panel.drawn.grid.cell(problem.point)
        assert cell is not None
        row, col = cell
        assert shown.splitlines()[row][col] == POINT_GLYPH


async def test_a_step_problem_draws_its_path_on_the_map(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "momentum-step")
    async with app.run_test(size=(100, 60)) as pilot:
        panel = await settle(app, pilot)
        await pilot.press("ctrl+g")
        assert panel.drawn is not None and panel.drawn.grid is not None
        shown = text_of(app.screen.query_one(HeatMap))
        start = panel.drawn.grid.cell(panel.drawn.path[0])
        assert start is not None
        assert shown.splitlines()[start[0]][start[1]] == "0"
        assert len(panel.drawn.path) == 6
        assert "0-5: steps" in shown


async def test_a_problem_that_cannot_be_drawn_says_what_to_do(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "gd-step", params={"steps": 9})
    async with app.run_test() as pilot:
        panel = await settle(app, pilot)
        assert panel.drawn is None
        prompt = text_of(app.screen.query_one("#compute-prompt", Static))
        assert "could not be drawn" in prompt and "suspend" in prompt
        await pilot.press("s")
    assert collection.card(1).state.suspended


async def test_without_colour_the_map_draws_its_scale_in_characters(
    collection: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    glyphs = set(BELOW_GLYPHS + ABOVE_GLYPHS)
    shown: dict[bool, set[str]] = {}
    for no_color in (False, True):
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        app = compute_app(collection, clock, "hessian-classify-2d")
        async with app.run_test(size=(100, 60)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+g")
            map_rows = text_of(app.screen.query_one(HeatMap)).splitlines()[:-2]
            shown[no_color] = set("".join(map_rows))
    assert not shown[False] & glyphs
    assert len(shown[True] & glyphs) >= 2


async def test_after_a_wrong_answer_typing_replaces_it(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "gd-step")
    async with app.run_test() as pilot:
        panel, problem = await shown_problem(app, pilot)
        await submit(app, pilot, "(12345, 67890)")
        assert not panel.finished and attempt_of(panel).tries == 1
        answer = format_value(problem.answer_kind, problem.expected)
        await pilot.press(*answer)
        assert app.screen.query_one("#compute-input", Input).value == answer
        await pilot.press("enter")
        panel = await settle(app, pilot)
        assert panel.finished and attempt_of(panel).suggested == 4  # right after a retry


async def test_the_log_keeps_template_version_and_seed_for_an_exact_replay(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "newton-step")
    async with app.run_test() as pilot:
        _, shown = await shown_problem(app, pilot)
        await submit(app, pilot, format_value(shown.answer_kind, shown.expected))
        await pilot.press("enter")
        await pilot.pause()
    query = select(reviews_t.c.seed, reviews_t.c.template_version)
    [(seed, version)] = list(stored_rows(collection, query))
    assert version == shown.version
    assert get("newton-step").generate(seed, {}) == shown


async def test_a_first_wrong_label_gets_a_hint_that_does_not_give_the_answer_away(
    collection: Collection, clock: FakeClock
) -> None:
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test() as pilot:
        panel, problem = await shown_problem(app, pilot)
        slip = problem.mistakes[0]
        panel = await submit(app, pilot, str(slip.value))
        feedback = text_of(panel.query_one("#compute-feedback", Static)).lower()
        assert slip.first_hint.lower()[:30] in feedback
        assert str(problem.expected).lower() not in feedback
        assert not panel.finished


async def test_a_pasted_multi_line_matrix_keeps_every_row(
    collection: Collection, clock: FakeClock
) -> None:
    """Input keeps only a paste's first line; the answer box joins rows with "; "."""
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test() as pilot:
        await settle(app, pilot)
        box = app.screen.query_one("#compute-input", Input)
        box.post_message(events.Paste("1 2\n3 4\n"))
        await pilot.pause()
        assert box.value == "1 2; 3 4"
        assert parse_matrix(box.value, (2, 2)) == ((1.0, 2.0), (3.0, 4.0))
        box.select_all()
        box.post_message(events.Paste("H =\n[[1, 2],\n [3, 4]]"))  # replaces the selection
        await pilot.pause()
        assert box.value == "H = [[1, 2],; [3, 4]]"
        assert parse_matrix(box.value, (2, 2)) == ((1.0, 2.0), (3.0, 4.0))
        box.value = ""
        box.post_message(events.Paste("saddle"))  # one line: as Input pastes it
        await pilot.pause()
        assert box.value == "saddle"


@pytest.mark.parametrize("budget", [0.0, 5.0], ids=["drawn-in-a-worker", "drawn-before-paint"])
async def test_the_problem_and_its_map_arrive_whether_or_not_the_screen_waits(
    collection: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, budget: float
) -> None:
    """The first-paint wait is an optimisation only: the same problem, ready to answer."""
    monkeypatch.setattr(compute_screen, "FIRST_PAINT_BUDGET", budget)
    app = compute_app(collection, clock, "hessian-classify-2d")
    async with app.run_test() as pilot:
        panel = await settle(app, pilot)
        assert panel.drawn is not None and not panel.loading
        problem = panel.drawn.problem
        assert problem == get("hessian-classify-2d").generate(attempt_of(panel).seed)
        assert app.screen.query_one("#compute-input", Input).has_focus
        panel = await submit(app, pilot, str(problem.expected))
        assert panel.finished and panel.drawn is not None and panel.drawn.grid is not None
