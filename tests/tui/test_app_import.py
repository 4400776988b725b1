"""Importing from the Decks screen: worker, progress, report and refreshed counts."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, ProgressBar, Static

from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.decks import DecksScreen
from flashcards.tui.screens.importer import ImportScreen

from support import FakeClock, make_deck

GOOD_DECK = """\
id: hessian-basics
name: Hessian basics
cards:
  - id: h1
    front: "What does a positive definite Hessian at a critical point tell you?"
    back: "The point is a strict local minimum."
  - id: h2
    front: "What is the Hessian of f(x) = xᵀAx/2 for symmetric A?"
    back: "A itself."
"""

BAD_DECK = """\
id: broken
name: Broken deck
cards:
  - id: b1
    front: "A card without its other side"
  - id: b2
    kind: compute
    generator: hessian-clasify-2d
"""


def report_text(app: FlashcardsApp) -> str:
    return str(app.screen.query_one("#import-report", Static).render())


async def settled_report(app: FlashcardsApp, pilot: Pilot[None], before: str) -> str:
    """The report once the press was handled and its worker is done (events, not time)."""
    button = app.screen.query_one("#import-start", Button)
    for _ in range(500):
        await pilot.pause()
        await app.workers.wait_for_complete()
        text = report_text(app)
        if text != before and not button.disabled:
            return text
    raise AssertionError(f"the import dialog never settled: {report_text(app)!r}")


async def preview_import(app: FlashcardsApp, pilot: Pilot[None], path: Path) -> str:
    await pilot.press("i")
    assert isinstance(app.screen, ImportScreen)
    app.screen.query_one("#path", Input).value = str(path)
    await pilot.pause()
    before = report_text(app)
    await pilot.press("enter")
    return await settled_report(app, pilot, before)


async def press_button(app: FlashcardsApp, pilot: Pilot[None]) -> str:
    """Press Preview / Apply (a Button ignores clicks within 0.2 s of its last press)."""
    before = report_text(app)
    app.screen.query_one("#import-start", Button).press()
    return await settled_report(app, pilot, before)


async def run_import(app: FlashcardsApp, pilot: Pilot[None], path: Path) -> str:
    """Preview, then apply when there is something to apply."""
    report = await preview_import(app, pilot, path)
    if "press “Apply import”" not in report:
        return report
    return await press_button(app, pilot)


async def test_importing_a_deck_reports_it_and_refreshes_the_counts(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    import_decks(collection, [make_deck("Deck A", 2)], clock())
    source = tmp_path / "hessian.yaml"
    source.write_text(GOOD_DECK, encoding="utf-8")
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        report = await run_import(app, pilot, source)
        assert "Hessian basics (new deck): 2 added" in report
        assert "backup" in report
        bar = app.screen.query_one("#import-progress", ProgressBar)
        assert bar.progress == bar.total == 2
        await pilot.press("escape")
        assert isinstance(app.screen, DecksScreen)
        table: DataTable[object] = app.screen.query_one("#decks-table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == ["Deck A", "Hessian basics", "Total"]
    assert collection.card_count() == 4


async def test_the_preview_writes_nothing_and_asks_before_applying(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    import_decks(collection, [make_deck("Deck A", 3)], clock())
    source = tmp_path / "deck-a.yaml"
    source.write_text(
        "id: deck-a\nname: Deck A\ncards:\n  - {id: c0, front: changed, back: answer 0}\n",
        encoding="utf-8",
    )
    before = collection.card(collection.queue(clock(), None, 1)[0].id)
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        preview = await preview_import(app, pilot, source)
        assert "Deck A: 0 added, 1 updated, 0 unchanged" in preview
        assert "2 cards no longer in the file would be suspended" in preview
        assert "Remove cards missing from the file" in preview  # no --prune in the app
        assert "--prune" not in preview
        assert collection.card(before.id) == before  # nothing written yet
        await pilot.click("#prune")  # changing the form drops the preview
        await pilot.pause()
        assert "press Preview again" in report_text(app)
        assert "press “Apply import”" in await press_button(app, pilot)
        report = await press_button(app, pilot)
        assert "2 cards were removed: c1, c2" in report
    assert collection.card_count() == 1


async def test_every_validation_problem_is_listed_with_its_line(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    source = tmp_path / "broken.yaml"
    source.write_text(BAD_DECK, encoding="utf-8")
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        report = await run_import(app, pilot, source)
    lines = report.splitlines()
    assert any(line.startswith(f"{source}:4:") and "back" in line for line in lines)
    assert any(line.startswith(f"{source}:8:") and "hessian-classify-2d" in line for line in lines)
    assert lines[-1] == "nothing was imported"
    assert collection.card_count() == 0


async def test_a_missing_path_is_reported_without_closing_the_dialog(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    app = FlashcardsApp(collection, clock=clock)
    async with app.run_test() as pilot:
        report = await run_import(app, pilot, tmp_path / "nowhere.yaml")
        assert report == f"{tmp_path / 'nowhere.yaml'}: no such file or folder"
        assert isinstance(app.screen, ImportScreen)
