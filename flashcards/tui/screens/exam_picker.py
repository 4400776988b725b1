"""The practice-exam picker: sit a bundled exam (listed by title), or review a past one.

Opened with `x` from the Decks screen. Choosing an exam draws it off the UI thread
and replaces the picker with the exam; choosing a past attempt opens its review
(`flashcards.tui.screens.exam_review`) over the picker, and Esc comes back here.
"""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from flashcards.exams.build import Exam
from flashcards.exams.catalog import SpecEntry, bundled_catalog
from flashcards.exams.history import Attempt, list_attempts, load_review
from flashcards.tui.safe import safe
from flashcards.tui.screens.exam import ExamHost, ExamScreen

HISTORY_SHOWN = 20


class ExamPickerScreen(ModalScreen[None]):
    """Choose a bundled exam spec (drawn with `seed`), or a past attempt to review."""

    CSS_PATH = "exam_picker.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="exam-picker.cancel")
    ]

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.seed = seed
        self.specs = {entry.id: entry for entry in bundled_catalog()}

    @property
    def host(self) -> ExamHost:
        return cast(ExamHost, self.app)

    def compose(self) -> ComposeResult:
        attempts = list_attempts(self.host.collection, limit=HISTORY_SHOWN)
        with Vertical():
            yield Label("Sit a practice exam (timed; Esc to cancel):")
            yield OptionList(
                *(Option(spec_prompt(entry), id=entry.id) for entry in self.specs.values()),
                id="exam-picker-list",
            )
            if attempts:
                yield Label("Or review a past attempt (Tab to reach it):", id="exam-history-label")
                yield OptionList(
                    *(Option(attempt_prompt(a), id=str(a.id)) for a in attempts),
                    id="exam-history-list",
                )

    @on(OptionList.OptionSelected, "#exam-picker-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Draw the chosen exam off the UI thread: loading decks and templates takes time."""
        self.query_one("#exam-picker-list", OptionList).disabled = True
        self.notify("Drawing the exam…")
        self._draw(event.option.id or "")

    @on(OptionList.OptionSelected, "#exam-history-list")
    def review_chosen(self, event: OptionList.OptionSelected) -> None:
        """Open the review of a stored attempt, with the answers that were stored."""
        from flashcards.tui.screens.exam_review import ExamReviewScreen

        review = load_review(self.host.collection, int(event.option.id or 0))
        if review is None:
            self.notify("That attempt is no longer stored.", severity="error")
            return
        self.app.push_screen(ExamReviewScreen(review, back_to="the list"))

    @work(thread=True, exclusive=True)
    def _draw(self, name: str) -> None:
        from flashcards.bundled import bundled_decks
        from flashcards.errors import FlashcardsError
        from flashcards.exams.build import build_exam
        from flashcards.exams.spec import load_spec

        try:
            decks = bundled_decks()
            exam = build_exam(load_spec(self.specs[name].path, decks), decks, self.seed)
        except FlashcardsError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._open, exam)

    def _open(self, exam: Exam) -> None:
        self.app.switch_screen(ExamScreen(exam))

    def _failed(self, message: str) -> None:
        self.notify(safe(message), severity="error", timeout=15)
        self.query_one("#exam-picker-list", OptionList).disabled = False

    def action_cancel(self) -> None:
        self.dismiss()


def spec_prompt(entry: SpecEntry) -> Text:
    """The title first; the id, which `flashcards exam take` also accepts, dim after it."""
    return Text.assemble(safe(entry.title), "  ", (safe(entry.id), "dim"))


def attempt_prompt(attempt: Attempt) -> Text:
    finished = attempt.finished.astimezone().strftime("%Y-%m-%d %H:%M")
    score = f"{attempt.earned:g}/{attempt.possible:g} ({attempt.percent:.0f}%)"
    return Text.assemble((finished, "dim"), "  ", safe(attempt.title), "  ", score)
