"""Deck options: the dialog behind `o` on the Decks screen, `flashcards deck config` in the app.

The form only reads numbers and says things; `flashcards.deck_config` decides
(validation, what a switch does) and `flashcards.deck_wording` words the
result the same way the CLI does. Saving runs in a thread with its own
`Collection` on the same file: a switch to FSRS replays every card's history,
which can take a moment on a large deck.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from flashcards.deck_config import ConfigChange, ConfigResult, configure, validate
from flashcards.deck_wording import change_lines
from flashcards.errors import FlashcardsError, UserError
from flashcards.model import DeckSettings
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe

RESCHEDULE_LABEL = "Move due dates to FSRS intervals now"
RESCHEDULE_HINT = f"press o and tick “{RESCHEDULE_LABEL}”"
FSRS_HELP = (
    "Desired retention: the share of reviews you aim to recall (0.70-0.99); higher "
    "means more reviews. Switching keeps due dates unless you tick the box."
)
SM2_HELP = (
    "SM-2 (the default) schedules from each card's ease and interval. Switching back from "
    "FSRS resumes SM-2 where it left off."
)

Number = TypeVar("Number", int, float)


def parse_number(text: str, convert: Callable[[str], Number], label: str, example: str) -> Number:
    """The field's number, or a UserError that names the field and shows a good value."""
    try:
        return convert(text.strip())
    except ValueError:
        raise UserError(f"{label}: type {example}, not {text.strip()!r}") from None


def apply_change(db: Path, deck_id: int, change: ConfigChange) -> ConfigResult:
    """Configure the deck on its own connection (runs in a worker thread)."""
    with Collection(db) as collection:
        return configure(collection, deck_id, change)


class DeckConfigScreen(ModalScreen[bool]):
    """One deck's scheduler, desired retention and daily limits; True when something changed."""

    CSS_PATH = "deck_config.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="deck-config.cancel")
    ]

    def __init__(self, settings: DeckSettings, db: Path) -> None:
        super().__init__()
        self.settings = settings
        self.db = db
        self.retention_text = f"{settings.desired_retention:.2f}"
        self.saving = False

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(id="deck-config-box"):
            yield Label(f"Options of {safe(s.name)}", id="deck-config-title", markup=False)
            with Horizontal(classes="deck-config-row"):
                yield Label("Scheduler")
                with RadioSet(id="scheduler", compact=True):
                    yield RadioButton("SM-2", value=s.scheduler != "fsrs", id="sm2", compact=True)
                    yield RadioButton("FSRS", value=s.scheduler == "fsrs", id="fsrs", compact=True)
            yield from self._field("Desired retention", "retention", self.retention_text, "number")
            yield from self._field("New cards per day", "new-per-day", str(s.new_per_day))
            yield from self._field("Reviews per day", "reviews-per-day", str(s.reviews_per_day))
            yield Checkbox(RESCHEDULE_LABEL, id="reschedule", compact=True)
            yield Static(id="deck-config-help")
            yield Static(id="deck-config-message", markup=False)
            with Horizontal(id="deck-config-buttons"):
                yield Button("Save", variant="primary", id="deck-config-save", compact=True)
                yield Button("Cancel", id="deck-config-cancel", compact=True)

    def _field(
        self, label: str, name: str, value: str, kind: Literal["integer", "number"] = "integer"
    ) -> ComposeResult:
        with Horizontal(classes="deck-config-row"):
            yield Label(label)
            yield Input(value, id=name, type=kind, compact=True)

    def on_mount(self) -> None:
        self._show_scheduler()
        self.query_one("#scheduler", RadioSet).focus()

    @property
    def fsrs_chosen(self) -> bool:
        return self.query_one("#fsrs", RadioButton).value

    @on(RadioSet.Changed, "#scheduler")
    def _show_scheduler(self) -> None:
        """Retention and the reschedule box are FSRS settings: enabled only with FSRS."""
        fsrs = self.fsrs_chosen
        self.query_one("#retention", Input).disabled = not fsrs
        box = self.query_one("#reschedule", Checkbox)
        box.disabled = not fsrs
        if not fsrs:
            box.value = False
        self.query_one("#deck-config-help", Static).update(FSRS_HELP if fsrs else SM2_HELP)

    def read_change(self) -> ConfigChange:
        """What the form asks to change (unchanged fields left out); UserError if unreadable."""
        s = self.settings
        scheduler = "fsrs" if self.fsrs_chosen else "sm2"
        text = self.query_one("#retention", Input).value
        retention = None
        if scheduler == "fsrs" and text.strip() != self.retention_text:
            retention = parse_number(text, float, "Desired retention", "a number such as 0.90")
        new, reviews = (
            parse_number(self.query_one(f"#{name}", Input).value, int, label, "a whole number")
            for name, label in (
                ("new-per-day", "New cards per day"),
                ("reviews-per-day", "Reviews per day"),
            )
        )
        return ConfigChange(
            scheduler=None if scheduler == s.scheduler else scheduler,
            desired_retention=retention,
            new_per_day=None if new == s.new_per_day else new,
            reviews_per_day=None if reviews == s.reviews_per_day else reviews,
            reschedule=scheduler == "fsrs" and self.query_one("#reschedule", Checkbox).value,
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#deck-config-save")
    async def save(self) -> None:
        """Check the form, then configure the deck off the UI thread and say what happened."""
        if self.saving:
            return
        try:
            change = self.read_change()
            validate(change)
        except UserError as exc:
            self._say(str(exc))
            return
        if change == ConfigChange():
            self.notify("Nothing changed.")
            self.dismiss(False)
            return
        self._busy(True)
        try:
            result = await asyncio.to_thread(apply_change, self.db, self.settings.deck_id, change)
        except FlashcardsError as exc:
            self._say(str(exc))
            return
        finally:
            self._busy(False)
        lines = change_lines(self.settings, change, result, reschedule_hint=RESCHEDULE_HINT)
        self.notify(safe("\n".join(lines)), title="Deck options saved", timeout=10, markup=False)
        self.dismiss(True)

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        self.query_one("#deck-config-save", Button).disabled = busy
        if busy:
            self._say("Saving…")

    def _say(self, text: str) -> None:
        self.query_one("#deck-config-message", Static).update(safe(text))

    @on(Button.Pressed, "#deck-config-cancel")
    def cancel_pressed(self) -> None:
        """The Cancel button leaves without saving."""
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(False)
