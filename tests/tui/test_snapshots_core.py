"""Pictures of the core screens at 80x24 (and the wide compute layout at 160x48).

The clock is fixed and the app seeded, so a changed picture means changed
output. Review a failure with `pytest --snapshot-report`, and accept an
intended change with `--snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from flashcards.model import Card, CardKind, Deck
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp, StartSpec
from flashcards.tui.screens.compute import ComputePanel
from quizzes.render import format_value

from support import FakeClock, bury, make_deck

SnapCompare = Callable[..., bool]

STUDY_CARDS = (
    Card(
        "risk",
        CardKind.BASIC,
        "What is the **risk** R(f) of a predictor f?",
        "Its expected loss over the data distribution: R(f) = E[L(f(x), y)].",
        tags=("erm",),
    ),
    Card(
        "curvature",
        CardKind.CHOICE,
        "Which matrix holds the second partial derivatives of f?",
        "The Hessian",
        distractors=("The Jacobian", "The covariance matrix", "The identity"),
        extra="Its eigenvalues give the curvature along each eigenvector.",
    ),
    Card(
        "newton",
        CardKind.CLOZE,
        "Newton's update is θ ← {{c1::θ - H⁻¹∇f(θ)}}; it needs {{c2::the Hessian}}.",
        cloze=1,
    ),
)


@pytest.fixture
def study(tmp_path: Path) -> Iterator[tuple[Collection, FakeClock]]:
    clock = FakeClock()
    with Collection(tmp_path / "snap.sqlite3") as collection:
        decks = [
            Deck("optimization", "Optimization basics", cards=STUDY_CARDS),
            make_deck("Deck B", 4, prefix="b"),
        ]
        import_decks(collection, decks, clock())
        yield collection, clock


def review_of(collection: Collection, clock: FakeClock, deck: str) -> FlashcardsApp:
    spec = StartSpec(deck, (collection.deck_id(deck),))
    return FlashcardsApp(collection, clock=clock, seed=2026, start=spec)


def compute_app(tmp_path: Path, generator: str) -> tuple[FlashcardsApp, Collection]:
    clock = FakeClock()
    collection = Collection(tmp_path / "compute.sqlite3")
    card = Card("drill", CardKind.COMPUTE, "A drill", generator=generator)
    import_decks(collection, [Deck("drills", "Drills", cards=(card,))], clock())
    spec = StartSpec("Drills", (collection.deck_id("Drills"),))
    return FlashcardsApp(collection, clock=clock, seed=2026, start=spec), collection


async def drawn(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def answered_wrong_twice(pilot: Pilot[None]) -> None:
    """Type the problem's first named mistake twice, so the result shows that mistake."""
    await drawn(pilot)
    panel = pilot.app.screen.query_one(ComputePanel)
    assert panel.drawn is not None
    problem = panel.drawn.problem
    for _ in range(2):
        typed = format_value(problem.answer_kind, problem.mistakes[0].value, 6)
        pilot.app.screen.query_one("#compute-input", Input).value = typed
        await pilot.press("enter")
        await drawn(pilot)


def test_decks(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    collection, clock = study
    assert snap_compare(FlashcardsApp(collection, clock=clock, seed=1))


def test_decks_empty(snap_compare: SnapCompare, tmp_path: Path) -> None:
    with Collection(tmp_path / "empty.sqlite3") as collection:
        assert snap_compare(FlashcardsApp(collection, clock=FakeClock(), seed=1))


def test_review_question(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    assert snap_compare(review_of(*study, "Optimization basics"))


def test_review_answer(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    assert snap_compare(review_of(*study, "Optimization basics"), press=["space"])


def test_review_choice_picked_wrong(
    snap_compare: SnapCompare, study: tuple[Collection, FakeClock]
) -> None:
    app = review_of(*study, "Optimization basics")
    assert snap_compare(app, press=["space", "4", "a"])


def test_review_cloze(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    app = review_of(*study, "Optimization basics")
    assert snap_compare(app, press=["space", "4", "space", "4"])


def test_summary(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    app = review_of(*study, "Optimization basics")
    presses = ["space", "5", "space", "2", "space", "4", "space", "4"]
    assert snap_compare(app, press=presses)


def test_nothing_due(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    collection, clock = study
    for card_id in (1, 2, 3):
        bury(collection, card_id, clock())
    assert snap_compare(review_of(collection, clock, "Optimization basics"))


def test_import_dialog(snap_compare: SnapCompare, study: tuple[Collection, FakeClock]) -> None:
    collection, clock = study
    assert snap_compare(FlashcardsApp(collection, clock=clock, seed=1), press=["i"])


def test_compute_question(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, collection = compute_app(tmp_path, "hessian-classify-2d")
    with collection:
        assert snap_compare(app, run_before=drawn)


def test_compute_result_with_heat_map(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, collection = compute_app(tmp_path, "hessian-classify-2d")
    with collection:
        assert snap_compare(app, run_before=answered_wrong_twice, press=[])


def test_compute_path_wide(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, collection = compute_app(tmp_path, "momentum-step")
    with collection:
        assert snap_compare(app, run_before=drawn, press=["ctrl+g"], terminal_size=(160, 48))


def test_compute_result_without_colour(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, collection = compute_app(tmp_path, "gd-step")
    with collection:
        assert snap_compare(app, run_before=drawn, press=["ctrl+g"])
