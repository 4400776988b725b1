"""The row of grade buttons, each showing what that grade would schedule.

Seeing "4 · 6d" next to "3 · 1d" before choosing is what makes SM-2 grades
honest: the student knows the cost of a generous grade. An SM-2 card gets six
buttons (keys 0-5), an FSRS card four (Again / Hard / Good / Easy, keys 1-4);
the session says which (`grade_choices`). The buttons never take focus, so
Space and the number keys keep working while the mouse is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from flashcards.model import Grade
from flashcards.session import SM2_CHOICES, GradeChoice

# Short forms of Grade.label that fit six buttons across 80 columns; the full
# meaning is in each button's tooltip.


def format_interval(days: int) -> str:
    """A compact interval: days up to two months, then months, then years."""
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days}d"
    if days < 730:
        return f"{days / 30.4:.1f}mo"
    return f"{days / 365:.1f}y"


def button_label(choice: GradeChoice, intervals: Mapping[Grade, int] | None) -> str:
    """The key, what it schedules (or "cram") and the name: "4 · 6d" over "good"."""
    when = "cram" if intervals is None else format_interval(intervals[choice.grade])
    return f"{choice.key} · {when}\n{choice.label}"


class GradeButton(Button, can_focus=False):
    """One grade; clicking it grades like pressing its key."""

    DEFAULT_CSS = """
    GradeButton { width: 1fr; min-width: 0; height: 4; margin: 0; }
    """

    def __init__(self, choice: GradeChoice, label: str | None = None) -> None:
        # No id: a rebuilt bar mounts its new buttons while the old ones are
        # still being removed, and two "grade-4" buttons must never meet.
        super().__init__(label or f"{choice.key}\n{choice.label}")
        self.choice = choice
        self.grade = choice.grade
        self.tooltip = f"{choice.key}: {choice.label}"


class GradeBar(Horizontal):
    """A card's grade buttons; posts `GradeBar.Chosen` when one is clicked."""

    DEFAULT_CSS = """
    GradeBar { height: 4; width: 1fr; }
    """

    class Chosen(Message):
        """The student clicked a grade button."""

        def __init__(self, quality: int) -> None:
            super().__init__()
            self.quality = quality

    def __init__(self) -> None:
        super().__init__()
        self.choices: tuple[GradeChoice, ...] = SM2_CHOICES
        self._buttons = [GradeButton(choice) for choice in self.choices]

    def compose(self) -> ComposeResult:
        yield from self._buttons

    @property
    def buttons(self) -> Sequence[GradeButton]:
        """The buttons on show, left to right (not yet mounted right after a rebuild)."""
        return tuple(self._buttons)

    def show(
        self,
        choices: tuple[GradeChoice, ...],
        intervals: Mapping[Grade, int] | None,
        suggested: Grade | None = None,
    ) -> None:
        """Offer `choices`, each labelled with its interval (None: cram), `suggested` lit.

        The buttons are rebuilt only when the choices change (a session over
        "All due" can move from an SM-2 deck's card to an FSRS deck's).
        """
        if choices != self.choices:
            self.choices = choices
            self.remove_children()
            self._buttons = [GradeButton(c, button_label(c, intervals)) for c in choices]
            self.mount_all(self._buttons)
        self.show_intervals(intervals)
        self.suggest(suggested)

    def show_intervals(self, intervals: Mapping[Grade, int] | None) -> None:
        """Label each button with the interval it gives; None in cram mode (no schedule)."""
        for button in self._buttons:
            button.label = button_label(button.choice, intervals)

    def suggest(self, quality: int | None) -> None:
        """Highlight the grade the app derived (choice and compute cards)."""
        for button in self._buttons:
            button.variant = "primary" if button.grade == quality else "default"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, GradeButton):
            event.stop()
            self.post_message(self.Chosen(int(event.button.grade)))
