"""The row of six grade buttons, each showing what that grade would schedule.

Seeing "4 · 6d" next to "3 · 1d" before choosing is what makes SM-2 grades
honest: the student knows the cost of a generous grade. The buttons never take
focus, so Space and the number keys keep working while the mouse is used.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from flashcards.model import Grade

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


class GradeButton(Button, can_focus=False):
    """One grade; clicking it grades like pressing its number."""

    DEFAULT_CSS = """
    GradeButton { width: 1fr; min-width: 0; height: 4; margin: 0; }
    """

    def __init__(self, grade: Grade) -> None:
        super().__init__(f"{int(grade)}\n{grade.label}", id=f"grade-{int(grade)}")
        self.grade = grade
        self.tooltip = f"{int(grade)}: {grade.label}"


class GradeBar(Horizontal):
    """Six grade buttons; posts `GradeBar.Chosen` when one is clicked."""

    DEFAULT_CSS = """
    GradeBar { height: 4; width: 1fr; }
    """

    class Chosen(Message):
        """The student clicked a grade button."""

        def __init__(self, quality: int) -> None:
            super().__init__()
            self.quality = quality

    def compose(self) -> ComposeResult:
        for grade in Grade:
            yield GradeButton(grade)

    def show_intervals(self, intervals: Mapping[Grade, int] | None) -> None:
        """Label each button with the interval it gives; None in cram mode (no schedule)."""
        for button in self.query(GradeButton):
            grade = button.grade
            when = "cram" if intervals is None else format_interval(intervals[grade])
            button.label = f"{int(grade)} · {when}\n{grade.label}"

    def suggest(self, quality: int | None) -> None:
        """Highlight the grade the app derived (choice and compute cards)."""
        for button in self.query(GradeButton):
            button.variant = "primary" if button.grade == quality else "default"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, GradeButton):
            event.stop()
            self.post_message(self.Chosen(int(event.button.grade)))
