"""The edit modal: the fields each kind offers, validation, and what it hands back."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from flashcards.model import Card, CardKind, Deck, Difficulty, StoredCard
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.edit import EditCardScreen

from support import FakeClock

CARDS = {
    "basic": Card("b", CardKind.BASIC, "What is a saddle?", "Up one way, down another."),
    "choice": Card(
        "c", CardKind.CHOICE, "Which is second order?", "Newton", distractors=("Adam", "SGD")
    ),
    "cloze": Card("z", CardKind.CLOZE, "Newton divides by {{c1::the Hessian}}.", cloze=1),
    "compute": Card(
        "g", CardKind.COMPUTE, "Gradient steps", generator="gd-step", params={"steps": 2}
    ),
}


def stored(collection: Collection, clock: FakeClock, kind: str) -> StoredCard:
    import_decks(collection, [Deck("d", "Deck", cards=(CARDS[kind],))], clock())
    return collection.queue(clock(), limit=1)[0]


class Editing:
    """Opens the modal in the app and records what it dismisses with."""

    def __init__(self, pilot: Pilot[None], card: StoredCard) -> None:
        self.pilot = pilot
        self.results: list[Card | None] = []
        self.modal = EditCardScreen(card)

    async def open(self) -> Editing:
        await self.pilot.app.push_screen(self.modal, self.results.append)
        await self.pilot.pause()
        return self

    def set(self, field: str, text: str) -> None:
        widget: Any = self.modal.query_one(f"#{field}")
        if isinstance(widget, TextArea):
            widget.text = text
        elif isinstance(widget, Input | Select):
            widget.value = text

    async def save(self) -> None:
        await self.pilot.press("ctrl+s")
        await self.pilot.pause()

    @property
    def error(self) -> str:
        return str(self.modal.query_one("#error", Static).render())


async def test_a_basic_card_edits_front_back_tags_and_difficulty(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "basic")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        assert {w.id for w in editing.modal.query("TextArea")} == {"front", "back"}
        editing.set("back", "  Curves up along one axis and down along another.  ")
        editing.set("tags", "hessian, critical-points hessian")
        editing.set("difficulty", "H")
        await editing.save()
    (result,) = editing.results
    assert result is not None
    assert result.back == "Curves up along one axis and down along another."
    assert result.tags == ("hessian", "critical-points")
    assert result.difficulty is Difficulty.HARD
    assert (result.external_id, result.kind, result.front) == ("b", CardKind.BASIC, card.card.front)


async def test_an_empty_front_is_refused_and_focused(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "basic")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set("front", "   ")
        await editing.save()
        assert "the front is empty" in editing.error
        assert editing.modal.query_one("#front").has_focus
        assert pilot.app.screen is editing.modal
    assert editing.results == []


async def test_cancel_and_an_unchanged_save_hand_back_nothing(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "basic")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        cancelled = await Editing(pilot, card).open()
        cancelled.set("front", "Something else")
        await pilot.press("escape")
        unchanged = await Editing(pilot, card).open()
        await unchanged.save()
    assert cancelled.results == [None]
    assert unchanged.results == [None]


async def test_a_choice_card_takes_wrong_options_one_per_line(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "choice")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        assert editing.modal.query_one("#distractors", TextArea).text == "Adam\nSGD"
        editing.set("distractors", "Adam\n\nMomentum\nAdam\n")
        await editing.save()
    (result,) = editing.results
    assert result is not None
    assert result.distractors == ("Adam", "Momentum")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("distractors", "Adam\nNewton", "repeats the correct answer"),
        ("distractors", "\n", "add at least one wrong option"),
        ("back", "", "the correct answer is empty"),
    ],
)
async def test_a_choice_card_needs_distinct_wrong_options_and_an_answer(
    collection: Collection, clock: FakeClock, field: str, text: str, message: str
) -> None:
    card = stored(collection, clock, "choice")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set(field, text)
        await editing.save()
        assert message in editing.error
        assert editing.modal.query_one(f"#{field}").has_focus
    assert editing.results == []


async def test_a_cloze_card_must_keep_its_own_deletion(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "cloze")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set("front", "Newton divides by {{c2::the Hessian}}.")
        await editing.save()
        assert "has no {{c1::...}}" in editing.error
        editing.set("front", "Newton's step divides by {{c1::the Hessian}}.")
        await editing.save()
    (result,) = editing.results
    assert result is not None
    assert result.front == "Newton's step divides by {{c1::the Hessian}}."


async def test_a_compute_card_checks_its_template_options(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "compute")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        assert editing.modal.query_one("#params", Input).value == "steps=2"
        editing.set("params", "steps=9")
        await editing.save()
        assert "'steps' must be one of" in editing.error
        editing.set("params", "steps=3")
        await editing.save()
    (result,) = editing.results
    assert result is not None
    assert (result.generator, dict(result.params)) == ("gd-step", {"steps": 3})


async def test_a_compute_card_can_switch_template(collection: Collection, clock: FakeClock) -> None:
    card = stored(collection, clock, "compute")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set("template", "newton-step")
        editing.set("params", "")
        await editing.save()
    (result,) = editing.results
    assert result is not None
    assert (result.generator, dict(result.params)) == ("newton-step", {})


async def test_a_malformed_option_says_how_to_write_it(
    collection: Collection, clock: FakeClock
) -> None:
    card = stored(collection, clock, "compute")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set("params", "steps")
        await editing.save()
        assert "write name=value, like steps=2" in editing.error


async def test_tags_with_quotes_are_refused(collection: Collection, clock: FakeClock) -> None:
    card = stored(collection, clock, "basic")
    async with FlashcardsApp(collection, clock=clock).run_test() as pilot:
        editing = await Editing(pilot, card).open()
        editing.set("tags", 'ok "bad"')
        await editing.save()
        assert "the tag '\"bad\"'" in editing.error
        assert editing.modal.query_one("#tags").has_focus
